from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from pilar.imports.base import ImportReport
from pilar.imports.registry import IMPORT_KINDS, run_import


def describe(report: ImportReport) -> str:
    return _("%(rows)s rows: %(created)s new, %(updated)s changed, %(unchanged)s unchanged.") % {
        "rows": report.rows,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
    }


class Command(BaseCommand):
    help = "Import a CSV or XLSX file of workers or institutions. Nothing is written if any row is invalid."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("kind", choices=sorted(IMPORT_KINDS))
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report; write nothing.")

    def handle(self, *args: Any, kind: str, file: Path, dry_run: bool, **options: Any) -> None:
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(_("Cannot read %(file)s: %(error)s") % {"file": file, "error": error.strerror}) from None
        report = run_import(kind, data, file.name, acting_user=None, dry_run=dry_run)
        if report.errors:
            for problem in report.errors:
                where = f"{file}:{problem.row}" if problem.row else str(file)
                column = f" [{problem.column}]" if problem.column else ""
                self.stderr.write(f"{where}{column}: {problem.message}")
            raise CommandError(_("%(count)s problems found; nothing was imported.") % {"count": len(report.errors)})
        prefix = _("Dry run, nothing written.") + " " if dry_run else ""
        self.stdout.write(prefix + describe(report))
