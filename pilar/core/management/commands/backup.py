from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from pilar.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and the stored files into one file (see pilar.core.backup)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--output", required=True, type=Path, help="The backup file to write.")

    def handle(self, *args: Any, output: Path, **options: Any) -> None:
        try:
            manifest = backup(output)
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            _("Backed up %(tables)s tables (%(rows)s rows) and %(files)s files into %(output)s.")
            % {"tables": len(manifest["tables"]), "rows": rows, "files": len(manifest["files"]), "output": output}
        )
