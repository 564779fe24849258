from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from pilar.imports.retention import purge_old_uploads


class Command(BaseCommand):
    help = "Delete the files of uploads older than PILAR_UPLOAD_KEEP_DAYS (their reports stay)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = purge_old_uploads()
        self.stdout.write(
            _("%(count)s uploaded files older than %(days)s days deleted.")
            % {"count": count, "days": settings.PILAR_UPLOAD_KEEP_DAYS}
        )
