from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _

from pilar.core.demo import current_code


class Command(BaseCommand):
    help = "Print the sign-in code of a demo account that signs in in two steps (demo database only)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username", help="A demo account, for example dinsos.lampungselatan.")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        if connection.vendor != "sqlite":
            raise CommandError(_("Demo codes exist only in the demo, on the embedded SQLite database."))
        try:
            self.stdout.write(current_code(username))
        except LookupError:
            raise CommandError(
                _("%(username)s is not a demo account that signs in in two steps.") % {"username": username}
            ) from None
