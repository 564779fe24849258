from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from pilar.workforce import assignments


class Command(BaseCommand):
    help = (
        "Tell the regency offices of the TKSK assignments ending within 30 days, and make inactive every TKSK "
        "whose assignments have all ended, so that their kecamatan can be given to another. Run it daily."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        warned = assignments.warn()
        ended = assignments.expire()
        self.stdout.write(_("%(count)s assignments ending within 30 days reported.") % {"count": len(warned)})
        self.stdout.write(_("%(count)s TKSK made inactive: their assignment ended.") % {"count": len(ended)})
