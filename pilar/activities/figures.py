"""The figures of a worker's monthly report, counted from what they recorded that
month (local time): PPKS mapped and verified, cases opened, handled, visited,
referred, escalated and closed, and the activities they organised with their
participants. What a worker recorded is what their account (`Worker.account`) did;
a worker without an account has only their activities counted."""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils import timezone

from pilar.activities.models import Activity, ActivityKind, next_month
from pilar.beneficiaries.models import PpksEvent, PpksRecord, PpksStatus
from pilar.cases.models import Case, CaseEvent, EventKind, Referral
from pilar.workforce.models import Engagement

# The order of the figures in the page, the PDF and the workbook.
FIGURE_KEYS = [
    "ppks_mapped",
    "ppks_verified",
    "ppks_rejected",
    "cases_opened",
    "cases_handled",
    "visits",
    "referrals",
    "escalations",
    "cases_closed",
    "activities",
    "participants_men",
    "participants_women",
    "participants",
]


@dataclass
class MonthFigures:
    ppks_mapped: int = 0
    ppks_verified: int = 0
    ppks_rejected: int = 0
    cases_opened: int = 0
    cases_handled: int = 0
    visits: int = 0
    referrals: int = 0
    escalations: int = 0
    cases_closed: int = 0
    activities: int = 0
    participants_men: int = 0
    participants_women: int = 0
    participants: int = 0
    activities_by_kind: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def month_bounds(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(month, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(next_month(month), datetime.time.min))
    return start, end


def count_month(engagement: Engagement, month: datetime.date) -> MonthFigures:
    figures = MonthFigures()
    start, end = month_bounds(month)
    user = engagement.worker.account
    if user is not None:
        events = CaseEvent.objects.filter(actor=user, at__gte=start, at__lt=end)
        figures.ppks_mapped = PpksRecord.objects.filter(
            reported_by=user, reported_at__gte=start, reported_at__lt=end
        ).count()
        decided = PpksEvent.objects.filter(acting_user=user, at__gte=start, at__lt=end)
        figures.ppks_verified = decided.filter(to_status=PpksStatus.VERIFIED).count()
        figures.ppks_rejected = decided.filter(to_status=PpksStatus.REJECTED).count()
        figures.cases_opened = Case.objects.filter(opened_by=user, opened_at__gte=start, opened_at__lt=end).count()
        figures.cases_handled = events.values("case").distinct().count()
        figures.visits = events.filter(kind=EventKind.VISIT).count()
        figures.referrals = Referral.objects.filter(sent_by=user, sent_at__gte=start, sent_at__lt=end).count()
        figures.escalations = events.filter(kind=EventKind.ESCALATION).count()
        figures.cases_closed = events.filter(kind=EventKind.CLOSURE).count()
    activities = Activity.objects.in_month(month).filter(organisers=engagement.worker)
    by_kind = dict.fromkeys(ActivityKind.values, 0)
    for kind, men, women in activities.values_list("kind", "men", "women"):
        figures.activities += 1
        figures.participants_men += men
        figures.participants_women += women
        by_kind[kind] += 1
    figures.participants = figures.participants_men + figures.participants_women
    figures.activities_by_kind = {kind: count for kind, count in by_kind.items() if count}
    return figures
