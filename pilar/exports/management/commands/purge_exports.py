from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from pilar.exports.services import KEEP_DAYS, purge_expired


class Command(BaseCommand):
    help = "Delete the files of background exports older than the days they are kept."

    def handle(self, *args: Any, **options: Any) -> None:
        count = purge_expired()
        self.stdout.write(
            _("%(count)s export files older than %(days)s days deleted.") % {"count": count, "days": KEEP_DAYS}
        )
