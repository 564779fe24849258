import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _

from pilar.activities.demo import ensure_demo_activities
from pilar.beneficiaries.demo import ensure_demo_ppks
from pilar.cases.demo import ensure_demo_cases
from pilar.core.demo import DEMO_PASSWORD, ensure_demo_accounts
from pilar.core.processes import run_beside
from pilar.workforce.demo import ensure_demo_registry


class Command(BaseCommand):
    help = "Set up the demo (SQLite database, all regions, an account for every role) and serve it."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--address", default="127.0.0.1:8000", help="Where to serve the demo.")
        parser.add_argument("--no-serve", action="store_true", help="Prepare the data and stop.")

    def handle(self, *args: Any, address: str, no_serve: bool, **options: Any) -> None:
        if connection.vendor != "sqlite":
            raise CommandError(
                _(
                    "The demo runs only on the embedded SQLite database: unset DATABASE_URL. "
                    "It creates accounts with a published password and must never touch a real database."
                )
            )
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_regions", stdout=self.stdout)
        results = ensure_demo_accounts()
        if ensure_demo_registry():
            self.stdout.write(_("Demo registry of Kabupaten Lampung Selatan created."))
        if ensure_demo_ppks():
            self.stdout.write(_("Demo PPKS registry of kecamatan Natar created."))
        if ensure_demo_cases():
            self.stdout.write(_("Demo cases of kecamatan Natar created."))
        if ensure_demo_activities():
            self.stdout.write(_("Demo activities and monthly reports created."))
        self.stdout.write("")
        self.stdout.write(_("Demo accounts (password for all: %(password)s)") % {"password": DEMO_PASSWORD})
        self.stdout.write(
            _(
                "The Dinsos, ministry and administrator accounts sign in in two steps: "
                "`.venv/bin/pilar demo_code USERNAME` prints the code their app would show."
            )
        )
        for account, created in results:
            where = account.region_code or _("national")
            status = _("new") if created else _("existing")
            self.stdout.write(f"  {account.username:<24} {account.role:<16} {where:<15} ({status})")
        if no_serve:
            return
        self.stdout.write("")
        self.stdout.write(
            _("Open http://%(address)s/ and sign in with one of the accounts above.") % {"address": address}
        )
        self.stdout.write(_("Stop it with Ctrl-C; the job worker stops with it."))
        # The job worker runs next to the server, so that an upload is checked and imported.
        run_beside(
            [sys.executable, "-m", "config.cli", "db_worker", "--interval", "1"],
            lambda: call_command("runserver", address, use_reloader=False),
        )
