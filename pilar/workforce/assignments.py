"""The end of a TKSK's assignment. A TKSK serves a kecamatan for one budget year
(Permensos 28/2018), and counts as its coverage only while an assignment is in force
(EngagementQuerySet.serving): from the day after its end date the kecamatan shows
uncovered, renewed or not. The regency office sees the assignments that end within
WARNING_DAYS (and is told once, by a notice: `warn`), renews them for the next budget
year after the annual evaluation
(services.assign_tksk), or ends one early with its reason. The daily job
(`pilar end_assignments`) makes a TKSK whose assignments all ended inactive, so that
the kecamatan can be given to another."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pilar.accounts.models import User
from pilar.accounts.roles import Role
from pilar.core.history import stamp
from pilar.notices import services as notices
from pilar.notices.models import NoticeKind
from pilar.workforce import services
from pilar.workforce.kinds import ChangeSource, InactiveReason, WorkerKind, WorkerStatus
from pilar.workforce.models import Assignment, Engagement

# The regency is warned this many days before an assignment ends.
WARNING_DAYS = 30


def ending_soon(assignments: QuerySet[Assignment], today: datetime.date) -> QuerySet[Assignment]:
    """Assignments in force that end within WARNING_DAYS and have no successor (an
    assignment of the same TKSK that starts after them)."""
    successor = Assignment.objects.filter(engagement=OuterRef("engagement"), start_date__gt=OuterRef("end_date"))
    return (
        assignments.filter(start_date__lte=today, end_date__gte=today)
        .filter(end_date__lt=today + datetime.timedelta(days=WARNING_DAYS))
        .exclude(Exists(successor))
    )


@transaction.atomic
def end_assignment(assignment: Assignment, *, on: datetime.date, reason: str, acting_user: Any) -> Assignment:
    """End `assignment` early, on `on` (its last day), with the reason; a TKSK whose
    assignment has ended by today becomes inactive at once."""
    services.require_manager(acting_user, assignment.region_id)
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if not reason.strip():
        raise ValidationError(_("Say why the assignment ends."), code="reason_required")
    if not locked.start_date <= on <= locked.end_date:
        raise ValidationError(
            _("The last day must fall within the assignment, %(start)s to %(end)s.")
            % {"start": date_format(locked.start_date, "j F Y"), "end": date_format(locked.end_date, "j F Y")},
            code="dates",
        )
    locked.end_date = on
    stamp(locked, acting_user, reason.strip())
    locked.save()
    if on < timezone.localdate():
        _make_inactive(locked.engagement, acting_user, on)
    return locked


def _make_inactive(engagement: Engagement, acting_user: Any, ended: datetime.date) -> None:
    if engagement.status != WorkerStatus.ACTIVE:
        return
    services.change_status(
        engagement,
        to_status=WorkerStatus.INACTIVE,
        acting_user=acting_user,
        reason=InactiveReason.TERM_ENDED,
        note=_("Assignment ended on %(date)s") % {"date": date_format(ended, "j F Y")},
        source=ChangeSource.ASSIGNMENT,
    )


def warn(today: datetime.date | None = None) -> list[int]:
    """Tell the regency office, once, of every assignment ending within WARNING_DAYS
    and not yet renewed (a notice to each operator of the kecamatan's regency); the
    ids of the assignments."""
    day = today or timezone.localdate()
    warned = []
    ending = ending_soon(Assignment.objects.filter(ending_warned=False), day).select_related(
        "engagement__worker", "region"
    )
    for assignment in ending.order_by("end_date", "pk"):
        with transaction.atomic():
            if not Assignment.objects.filter(pk=assignment.pk, ending_warned=False).update(ending_warned=True):
                continue
            operators = User.objects.holding(Role.DINSOS_KABKOTA, assignment.region_id[:5])
            notices.notify(
                operators,
                NoticeKind.ASSIGNMENT_ENDING,
                url=reverse("workforce:assignment-list"),
                params={
                    "worker": assignment.engagement.worker.full_name,
                    "region": assignment.region.name,
                    "end": assignment.end_date.isoformat(),
                },
            )
        warned.append(assignment.pk)
    return warned


def expire(today: datetime.date | None = None) -> list[int]:
    """Make inactive every active TKSK none of whose assignments is in force any more
    (the last one ended before `today`); the ids of their engagements."""
    day = today or timezone.localdate()
    in_force = Assignment.objects.filter(engagement=OuterRef("pk"), start_date__lte=day, end_date__gte=day)
    ended = Assignment.objects.filter(engagement=OuterRef("pk"), end_date__lt=day)
    expired = (
        Engagement.objects.filter(kind=WorkerKind.TKSK, status=WorkerStatus.ACTIVE)
        .filter(Exists(ended))
        .exclude(Exists(in_force))
        .exclude(Exists(Assignment.objects.filter(engagement=OuterRef("pk"), start_date__gt=day)))
    )
    done = []
    for engagement in expired.order_by("pk"):
        last = engagement.assignments.order_by("-end_date").first()
        with transaction.atomic():
            _make_inactive(engagement, None, last.end_date if last else day)
        done.append(engagement.pk)
    return done
