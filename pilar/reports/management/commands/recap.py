import csv
import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from pilar.regions.models import Region
from pilar.reports.pillars import PILLAR_KEYS, pillar_recap


class Command(BaseCommand):
    help = "Print a recap for a region (or the nation without --region)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("subject", choices=["pillars"])
        parser.add_argument("--region", default="", help="Area code, e.g. 18 or 18.01; the nation if left out.")
        parser.add_argument("--format", dest="output_format", choices=["table", "json", "csv"], default="table")

    def handle(self, *args: Any, subject: str, region: str, output_format: str, **options: Any) -> None:
        area = None
        if region:
            area = Region.objects.filter(code=region).first()
            if area is None:
                raise CommandError(_("Unknown region code %(code)s.") % {"code": region})
        recap = pillar_recap(area)
        if output_format == "json":
            self.stdout.write(json.dumps(recap.as_dict(), ensure_ascii=False, indent=2))
            return
        rows: list[list[object]] = [
            [child.region or "", child.name, *child.counts.values()] for child in recap.children
        ]
        rows.append([recap.region or "", _("Total"), *recap.counts.values()])
        headers: list[object] = [_("code"), _("region"), *PILLAR_KEYS]
        if output_format == "csv":
            writer = csv.writer(self.stdout)
            writer.writerow(headers)
            writer.writerows(rows)
            return
        widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))]
        self.stdout.write(f"{recap.region or ''} {recap.name}")
        for row in [headers, *rows]:
            self.stdout.write("  ".join(str(value).ljust(width) for value, width in zip(row, widths, strict=True)))
