from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from pilar.core import once


class Command(BaseCommand):
    help = "Delete the one-time keys of forms and offline writes older than 30 days (run daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = once.purge()
        self.stdout.write(_("%(count)s old one-time keys deleted.") % {"count": deleted})
