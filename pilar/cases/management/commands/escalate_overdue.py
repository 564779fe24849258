from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from pilar.cases import deadlines


class Command(BaseCommand):
    help = (
        "Escalate every open case past its deadline to the next level (reason: automatic) and warn the "
        "workers of cases whose deadline is near. Run it from the scheduler, for example every hour."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        warned = deadlines.warn_deadlines()
        escalated = deadlines.escalate_overdue()
        self.stdout.write(
            _("%(escalated)s cases escalated, %(warned)s deadline warnings sent.")
            % {"escalated": len(escalated), "warned": len(warned)}
        )
        for case_id in escalated:
            self.stdout.write(f"  #{case_id}")
