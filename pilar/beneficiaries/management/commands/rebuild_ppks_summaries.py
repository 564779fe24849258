from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from pilar.beneficiaries.summaries import rebuild_all


class Command(BaseCommand):
    help = "Recount the PPKS summaries (kecamatan x type) from the records. Safe to run at any time."

    def handle(self, *args: Any, **options: Any) -> None:
        rows = rebuild_all()
        self.stdout.write(_("%(rows)s summary rows written.") % {"rows": rows})
