from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from pilar.accounts.models import User
from pilar.imports.base import ImportReport
from pilar.imports.registry import IMPORT_KINDS, run_import


def describe(report: ImportReport) -> str:
    text = _("%(rows)s rows: %(created)s new, %(updated)s changed, %(unchanged)s unchanged.") % {
        "rows": report.rows,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
    }
    if report.kind == "people":
        text += " " + _("%(records)s new PPKS records.") % {"records": report.records}
    return text


class Command(BaseCommand):
    help = (
        "Import a CSV or XLSX file of workers, institutions or people (PPKS). Nothing is written if any row "
        "is invalid, unless --skip-invalid (people only) writes the valid rows."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("kind", choices=sorted(IMPORT_KINDS))
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report; write nothing.")
        parser.add_argument(
            "--skip-invalid", action="store_true", help="(people) Write the valid rows and report the invalid ones."
        )
        parser.add_argument(
            "--as",
            dest="username",
            metavar="USERNAME",
            help="Import as this user, inside their area and rights, as their upload page would.",
        )

    def handle(
        self,
        *args: Any,
        kind: str,
        file: Path,
        dry_run: bool,
        skip_invalid: bool,
        username: str | None,
        **options: Any,
    ) -> None:
        if skip_invalid and not IMPORT_KINDS[kind].in_background:
            raise CommandError(_("--skip-invalid is available for people only."))
        acting_user = None
        if username is not None:
            acting_user = User.objects.filter(username=username, is_active=True).first()
            if acting_user is None:
                raise CommandError(_("No active user %(username)s.") % {"username": username})
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(_("Cannot read %(file)s: %(error)s") % {"file": file, "error": error.strerror}) from None
        extra = {"skip_invalid": True} if skip_invalid else {}
        report = run_import(kind, data, file.name, acting_user=acting_user, dry_run=dry_run, **extra)
        for problem in report.errors:
            where = f"{file}:{problem.row}" if problem.row else str(file)
            column = f" [{problem.column}]" if problem.column else ""
            self.stderr.write(f"{where}{column}: {problem.message}")
        if report.errors and not (skip_invalid and (report.written or dry_run)):
            raise CommandError(_("%(count)s problems found; nothing was imported.") % {"count": len(report.errors)})
        if report.errors:
            self.stderr.write(_("%(count)s invalid rows skipped.") % {"count": len(report.errors)})
        prefix = _("Dry run, nothing written.") + " " if dry_run else ""
        self.stdout.write(prefix + describe(report))
