import csv
import json
from argparse import ArgumentParser
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from pilar.beneficiaries.ppks import PPKS_CODES
from pilar.core.tabular import safe_row
from pilar.regions.models import Region
from pilar.reports.cases import CASE_KEYS, case_recap
from pilar.reports.pillars import PILLAR_KEYS, pillar_recap
from pilar.reports.ppks import ppks_recap

# subject: (recap function, its count keys, whether a total column leads the counts)
SUBJECTS: dict[str, tuple[Callable[[Region | None], Any], list[str], bool]] = {
    "pillars": (pillar_recap, PILLAR_KEYS, False),
    "ppks": (ppks_recap, PPKS_CODES, True),
    "cases": (case_recap, CASE_KEYS, False),
}


class Command(BaseCommand):
    help = "Print a recap for a region (or the nation without --region)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("subject", choices=sorted(SUBJECTS))
        parser.add_argument("--region", default="", help="Area code, e.g. 18 or 18.01; the nation if left out.")
        parser.add_argument("--format", dest="output_format", choices=["table", "json", "csv"], default="table")

    def handle(self, *args: Any, subject: str, region: str, output_format: str, **options: Any) -> None:
        area = None
        if region:
            area = Region.objects.filter(code=region).first()
            if area is None:
                raise CommandError(_("Unknown region code %(code)s.") % {"code": region})
        make, keys, with_total = SUBJECTS[subject]
        recap = make(area)
        if output_format == "json":
            self.stdout.write(json.dumps(recap.as_dict(), ensure_ascii=False, indent=2))
            return

        def line(code: str, name: str, counts: dict[str, int]) -> list[object]:
            total = [sum(counts.values())] if with_total else []
            return [code, name, *total, *counts.values()]

        rows = [line(child.region or "", child.name, child.counts) for child in recap.children]
        rows.append(line(recap.region or "", _("Total"), recap.counts))
        headers: list[object] = [_("code"), _("region"), *([_("total")] if with_total else []), *keys]
        if output_format == "csv":
            writer = csv.writer(self.stdout)
            writer.writerow(safe_row(headers))
            writer.writerows(safe_row(row) for row in rows)
            return
        widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))]
        self.stdout.write(f"{recap.region or ''} {recap.name}")
        for row in [headers, *rows]:
            self.stdout.write("  ".join(str(value).ljust(width) for value, width in zip(row, widths, strict=True)))
