from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from pilar.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup into an empty database and files folder, and check it against its manifest."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("source", type=Path, help="A file written by `pilar backup`.")

    def handle(self, *args: Any, source: Path, **options: Any) -> None:
        if not source.is_file():
            raise CommandError(_("%(path)s is not a file.") % {"path": source})
        try:
            manifest = restore(source)
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            _(
                "Restored %(tables)s tables (%(rows)s rows) and %(files)s files; "
                "every count and checksum equals the backup's."
            )
            % {"tables": len(manifest["tables"]), "rows": rows, "files": len(manifest["files"])}
        )
