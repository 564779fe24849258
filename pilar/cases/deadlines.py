"""The scheduler's work on case deadlines (`pilar escalate_overdue`): warn the workers
before a deadline, and move a case that passed it one level up, unless the work is
going on.

A deadline follows the work: a case past its deadline is escalated automatically
only when nothing shows it is being handled. It is held back, flagged for the level
above (who may extend its deadline once, services.extend_deadline, or escalate it),
while
- it is being handled and was visited in the last CASE_RECENT_VISIT_DAYS days, or
- an institution accepted one of its referrals and will answer (status accepted).
Deadlines themselves depend on the level and the priority (policy.deadline_for).
Every automatic escalation names the rule that caused it in the timeline."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from pilar.cases import notifications, policy, services
from pilar.cases.models import (
    Case,
    CaseLevel,
    CaseStatus,
    EventKind,
    HeldBack,
    NotificationKind,
    Priority,
    ReferralStatus,
)

# "A deadline is near": this long before it.
DEADLINE_WARNING = datetime.timedelta(days=2)


def held_back(case: Case, now: datetime.datetime) -> str:
    """Why the overdue `case` is not escalated automatically (a HeldBack), or ""."""
    if case.referrals.filter(status=ReferralStatus.ACCEPTED).exists():
        return HeldBack.REFERRAL
    # Visits made at this level in the last days (by the day of the visit, which a
    # worker back from the field may record later).
    today = timezone.localdate(now)
    since = max(today - datetime.timedelta(days=settings.CASE_RECENT_VISIT_DAYS), timezone.localdate(case.arrived_at))
    visits = case.events.filter(kind=EventKind.VISIT, happened_on__gte=since, at__gte=case.arrived_at)
    if case.status == CaseStatus.HANDLED and visits.exists():
        return HeldBack.VISIT
    return ""


def rule(case: Case) -> str:
    """The rule an automatic escalation applies, in words, for the timeline."""
    days = (case.due_at - case.arrived_at).days
    level = services.place_name(case.level, case.holding_region_id)
    if case.extended_at_level == case.level:
        return _("Automatic: past its deadline at %(level)s, extended to %(due)s.") % {
            "level": level,
            "due": formats.date_format(timezone.localtime(case.due_at), "j F Y"),
        }
    if case.priority in settings.CASE_PRIORITY_DEADLINE_DAYS and days < settings.CASE_DEADLINE_DAYS[case.level]:
        return _("Automatic: past the deadline of %(days)s days for a case of %(priority)s priority at %(level)s.") % {
            "days": days,
            "priority": Priority(case.priority).label.lower(),
            "level": level,
        }
    return _("Automatic: past the deadline of %(days)s days at %(level)s.") % {"days": days, "level": level}


def escalate_overdue(now: datetime.datetime | None = None) -> list[int]:
    """Escalate every open case past its deadline below the ministry, but those held
    back (see the module), which are flagged once and their supervisors told. A case
    changed meanwhile by someone is left for the next run. Returns the escalated ids."""
    now = now or timezone.now()
    escalated = []
    overdue = Case.objects.overdue(now).filter(level__gt=CaseLevel.MINISTRY).order_by("due_at", "pk")
    for case in overdue.iterator():
        reason = held_back(case, now)
        if reason:
            _flag(case, reason)
            continue
        try:
            services.escalate_case(
                case, expected_version=case.version, reason=rule(case), acting_user=None, automatic=True, now=now
            )
        except services.CaseConflict:
            continue
        escalated.append(case.pk)
    return escalated


def _flag(case: Case, reason: str) -> None:
    """Mark `case` held back (a flag, not a change: no new version, no history row) and
    tell the level above, once per reason."""
    with transaction.atomic():
        if not Case.objects.filter(pk=case.pk, version=case.version).exclude(held_back=reason).update(held_back=reason):
            return
        above = services.holders(case.level - 1, policy.holding_code(case.region_id, case.level - 1))
        notifications.notify(above, case, NotificationKind.HELD_BACK)


def warn_deadlines(now: datetime.datetime | None = None) -> list[int]:
    """Tell the workers of every open case whose deadline is near, once per level."""
    now = now or timezone.now()
    warned = []
    near = Case.objects.still_open().filter(due_at__gte=now, due_at__lt=now + DEADLINE_WARNING, deadline_warned=False)
    for case in near.select_related("assigned_to").iterator():
        with transaction.atomic():
            # A flag, not a change of the case: no new version, no history row.
            if not Case.objects.filter(pk=case.pk, deadline_warned=False).update(deadline_warned=True):
                continue
            recipients = (
                [case.assigned_to] if case.assigned_to else services.holders(case.level, case.holding_region_id)
            )
            notifications.notify(recipients, case, NotificationKind.DEADLINE_NEAR)
        warned.append(case.pk)
    return warned
