"""The work lists every user sees on /kasus/, and their counts in the navigation.

- waiting: cases held where the user works (or assigned to them) that arrived and
  were not taken up yet: opened, escalated to them, returned to them, reopened;
- mine: open cases assigned to the user;
- overdue: open cases held where the user works (or assigned to them) past their deadline;
- due soon: the same, not yet overdue but due within DUE_SOON;
- planned visits: open cases the user accompanies whose last visit planned the next
  one within PLANNED_AHEAD (or on a day already past, not yet made);
- closed: cases the user held, was assigned or opened that were resolved or closed
  in the last 30 days;
- following: open cases the user opened or acted on that are now held elsewhere
  (a PSM following the case she escalated);
- all: every case the user may read, filtered.

All of them start from `Case.objects.visible_to(user)`.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilar.cases import policy
from pilar.cases.models import OPEN_STATUSES, WAITING_STATUSES, Case, CaseEvent, CaseStatus, EventKind

RECENTLY = datetime.timedelta(days=30)
# "Due soon": the deadline falls within this time.
DUE_SOON = datetime.timedelta(days=3)
# "Visits planned": the next visit falls within this time.
PLANNED_AHEAD = datetime.timedelta(days=7)

LISTS = {
    "menunggu": _("Waiting for my action"),
    "saya": _("My cases"),
    "terlambat": _("Overdue"),
    "segera": _("Due within 3 days"),
    "kunjungan": _("Visits planned within 7 days"),
    "selesai": _("Recently closed"),
    "diikuti": _("Following"),
    "semua": _("All in my area"),
}


def _mine(user: Any) -> Q:
    holding = policy.holding_filter(user)
    assigned = Q(assigned_to=user)
    return assigned if holding is None else holding | assigned


def work_list(user: Any, name: str, now: datetime.datetime | None = None) -> QuerySet[Case]:
    now = now or timezone.now()
    cases = Case.objects.visible_to(user)
    if name == "menunggu":
        return cases.filter(_mine(user), status__in=WAITING_STATUSES).order_by("due_at", "pk")
    if name == "saya":
        return cases.filter(assigned_to=user, status__in=OPEN_STATUSES).order_by("due_at", "pk")
    if name == "terlambat":
        return cases.filter(_mine(user)).overdue(now).order_by("due_at", "pk")
    if name == "kunjungan":
        last_visit = CaseEvent.objects.filter(case=OuterRef("pk"), kind=EventKind.VISIT).order_by("-at", "-pk")
        accompanied = policy.accompanied_filter(user)
        return (
            cases.filter(accompanied, status__in=OPEN_STATUSES)
            .annotate(next_visit_on=Subquery(last_visit.values("next_visit_on")[:1]))
            .filter(next_visit_on__lte=timezone.localdate(now) + PLANNED_AHEAD)
            .order_by("next_visit_on", "pk")
        )
    if name == "segera":
        return cases.filter(_mine(user), status__in=OPEN_STATUSES, due_at__gte=now, due_at__lt=now + DUE_SOON).order_by(
            "due_at", "pk"
        )
    if name == "selesai":
        return cases.filter(
            _mine(user) | Q(opened_by=user),
            status__in=(CaseStatus.RESOLVED, CaseStatus.CLOSED),
            status_changed_at__gte=now - RECENTLY,
        ).order_by("-status_changed_at", "-pk")
    if name == "diikuti":
        acted = CaseEvent.objects.filter(case=OuterRef("pk"), actor=user)
        return (
            cases.filter(status__in=OPEN_STATUSES)
            .exclude(_mine(user))
            .filter(Q(opened_by=user) | Exists(acted))
            .order_by("due_at", "pk")
        )
    return cases.order_by("-opened_at", "-pk")


def counts(user: Any, now: datetime.datetime | None = None) -> dict[str, int]:
    """How many cases wait for the user and how many of theirs are overdue (one query)."""
    now = now or timezone.now()
    if not policy.handles_somewhere(user):
        return {"waiting": 0, "overdue": 0}
    figures = (
        Case.objects.visible_to(user)
        .filter(_mine(user), status__in=OPEN_STATUSES)
        .aggregate(
            waiting=Count("pk", filter=Q(status__in=WAITING_STATUSES)),
            overdue=Count("pk", filter=Q(due_at__lt=now)),
        )
    )
    return {"waiting": figures["waiting"], "overdue": figures["overdue"]}
