from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from pilar.regions.loading import DEFAULT_SOURCE, RegionSourceError, load_regions
from pilar.regions.models import RegionLevel


class Command(BaseCommand):
    help = "Load the official administrative areas (provinces, regencies, kecamatan, villages)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--source",
            type=Path,
            default=DEFAULT_SOURCE,
            help="Folder with provinces.csv, regencies.csv, districts.csv and villages.csv.",
        )

    def handle(self, *args: Any, source: Path, **options: Any) -> None:
        try:
            report = load_regions(source)
        except RegionSourceError as error:
            raise CommandError(
                _("The region source is invalid; nothing was changed.")
                + "\n"
                + "\n".join(error.problems[:50])
                + (
                    "\n" + _("... and %(count)d more problems.") % {"count": len(error.problems) - 50}
                    if len(error.problems) > 50
                    else ""
                )
            ) from None
        if report.changed:
            self.stdout.write(
                _(
                    "Regions updated: %(created)d new, %(renamed)d renamed, %(moved)d moved, "
                    "%(deactivated)d deactivated, %(reactivated)d reactivated."
                )
                % {
                    "created": report.created,
                    "renamed": report.renamed,
                    "moved": report.moved,
                    "deactivated": report.deactivated,
                    "reactivated": report.reactivated,
                }
            )
        else:
            self.stdout.write(_("No change: the regions already match the source."))
        for level in RegionLevel:
            self.stdout.write(
                f"  {level.label}: {report.total_active_by_level.get(level.value, 0):,}".replace(",", ".")
            )
