from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from pilar.workforce import assignments


class Command(BaseCommand):
    help = (
        "Make inactive every TKSK whose assignments have all ended, so that their kecamatan can be given to "
        "another. Run it daily from the scheduler."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        ended = assignments.expire()
        self.stdout.write(_("%(count)s TKSK made inactive: their assignment ended.") % {"count": len(ended)})
