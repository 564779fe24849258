"""Every change to a case. Pages, the API, the scheduler's command and the demo call
these; none repeats a rule.

Each change is based on the version of the case its author saw (`expected_version`).
It starts by moving the case from that version to the next in one compare-and-set
UPDATE, which also holds the case's row until the transaction ends: a change based on
an older version (someone else changed the case in between) is refused with
`CaseConflict`, on SQLite and PostgreSQL alike, and two simultaneous escalations make
one. Then it checks who acts and the rule, writes the case with its history and one
`CaseEvent` (the timeline is append-only), and sends notifications after commit.

Escalation policy: a case moves one level up (village -> kecamatan -> regency/city ->
province -> ministry) with a reason; it is due at each level `CASE_DEADLINE_DAYS`
after it arrived there, and `escalate_overdue` (run by the scheduler) moves an overdue
case up with the reason recorded as automatic. A case returned down goes back to the
level it was escalated from, with an instruction.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from pilar.accounts.models import User
from pilar.beneficiaries.models import Household, Person, PpksRecord, PpksStatus
from pilar.cases import notifications, policy
from pilar.cases.attachments import check_upload
from pilar.cases.models import (
    ALLOWED_MOVES,
    OPEN_STATUSES,
    REFERRAL_MOVES,
    Agency,
    Attachment,
    Case,
    CaseEvent,
    CaseLevel,
    CaseStatus,
    DestinationKind,
    EventKind,
    NotificationKind,
    Outcome,
    Priority,
    Programme,
    Referral,
    ReferralStatus,
)
from pilar.core import images
from pilar.core.history import stamp
from pilar.workforce.kinds import InstitutionStatus
from pilar.workforce.models import Institution

# A case transcribed from paper may be backdated this far.
MAX_BACKDATE = datetime.timedelta(days=366)


class CaseConflict(ValidationError):
    """The case changed since the version the change was based on; `current` is how it is now."""

    def __init__(self, current: Case) -> None:
        super().__init__(
            _(
                "This case was changed by someone else in the meantime (it is now %(status)s, held at %(level)s). "
                "Your change was not saved: look at the case as it is now and try again."
            )
            % {"status": current.get_status_display().lower(), "level": current.get_level_display().lower()},
            code="conflict",
        )
        self.current = current


def _claim(case: Case, expected_version: int) -> Case:
    """Take the case at `expected_version` for this transaction (see the module docstring)."""
    claimed = Case.objects.filter(pk=case.pk, version=expected_version).update(version=F("version") + 1)
    current = Case.objects.select_related("region", "holding_region").get(pk=case.pk)
    if not claimed:
        raise CaseConflict(current)
    return current


def _require_handler(acting_user: Any, case: Case) -> None:
    if acting_user is not None and not policy.can_handle(acting_user, case):
        raise PermissionDenied(
            _("This case is held at %(level)s; only the workers there can act on it.")
            % {"level": place_name(case.level, case.holding_region_id)}
        )


def _require_companion(acting_user: Any, case: Case) -> None:
    if acting_user is not None and not policy.accompanies(acting_user, case):
        _require_handler(acting_user, case)


def place_name(level: int, code: str | None) -> str:
    if level == CaseLevel.MINISTRY:
        return str(CaseLevel.MINISTRY.label)
    return f"{CaseLevel(level).label} {code}"


def _check_move(case: Case, to_status: str) -> None:
    if to_status not in ALLOWED_MOVES[case.status]:
        raise ValidationError(
            _("A case that is %(from)s cannot become %(to)s.")
            % {"from": case.get_status_display().lower(), "to": CaseStatus(to_status).label.lower()},
            code="illegal_move",
        )


def _required(text: str, message: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError(message, code="required")
    return text


def _event(case: Case, kind: str, acting_user: Any, at: datetime.datetime, **fields: Any) -> CaseEvent:
    return CaseEvent.objects.create(case=case, kind=kind, actor=acting_user, at=at, **fields)


def _set_status(case: Case, to_status: str, at: datetime.datetime) -> dict[str, str]:
    """Move `case` to `to_status` (checked); the from/to fields of its event."""
    _check_move(case, to_status)
    step = {"from_status": case.status, "to_status": to_status}
    case.status = to_status
    case.status_changed_at = at
    return step


def _save(case: Case, acting_user: Any, reason: str) -> None:
    stamp(case, acting_user, reason)
    case.save()


def holders(level: int, code: str | None) -> list[User]:
    """The users who handle cases at this place (active role, active account)."""
    return list(User.objects.holding(policy.HANDLING_ROLE[level], code))


def _arrive(case: Case, level: int, at: datetime.datetime, *, assignee: User | None = None) -> None:
    """Put `case` at `level` from `at`: its holding region, a new deadline, and its
    worker (the one given, or the only worker of that place)."""
    case.level = level
    case.holding_region_id = policy.holding_code(case.region_id, level)
    case.arrived_at = at
    case.due_at = policy.deadline_for(level, case.priority, at)
    case.deadline_warned = False
    case.extended_at_level = None
    case.held_back = ""
    if assignee is None:
        candidates = holders(level, case.holding_region_id)
        assignee = candidates[0] if len(candidates) == 1 else None
    case.assigned_to = assignee


def _move(
    case: Case,
    level: int,
    kind: str,
    acting_user: Any,
    at: datetime.datetime,
    text: str,
    step: dict[str, Any],
    *,
    assignee: User | None = None,
    **fields: Any,
) -> None:
    """Pass the case to another level (an escalation or a return): save it, record
    the event with where it came from and went to, and tell the receiving level."""
    from_level, from_region = case.level, case.holding_region_id
    _arrive(case, level, at, assignee=assignee)
    _save(case, acting_user, text)
    _event(
        case,
        kind,
        acting_user,
        at,
        text=text,
        from_level=from_level,
        from_region_id=from_region,
        to_level=case.level,
        to_region_id=case.holding_region_id,
        assigned_to=case.assigned_to,
        **fields,
        **step,
    )
    _tell_arrival(case, acting_user)


def _tell_arrival(case: Case, acting_user: Any) -> None:
    """Tell the assigned worker, or every worker of the holding place, that the case is theirs."""
    recipients = [case.assigned_to] if case.assigned_to else holders(case.level, case.holding_region_id)
    notifications.notify(recipients, case, NotificationKind.ARRIVED, excluding=acting_user)


def open_case(
    *,
    person: Person | None = None,
    household: Household | None = None,
    summary: str,
    needs: str = "",
    priority: str = Priority.NORMAL,
    is_sensitive: bool = False,
    records: Sequence[PpksRecord] = (),
    opened_on: datetime.date | None = None,
    acting_user: Any,
) -> Case:
    """A new case for a person or household, held at the opener's own level (a PSM's
    case at the village, a TKSK's at the kecamatan...). `opened_on` backdates a case
    transcribed from paper; its deadline runs from then."""
    if (person is None) == (household is None):
        raise ValueError("a case is for a person or for a household")
    subject: Person | Household = person or household  # type: ignore[assignment]
    level = CaseLevel.VILLAGE if acting_user is None else policy.opening_level(acting_user, subject.village_id)
    if level is None:
        raise PermissionDenied(_("You may open cases only for people in your own area."))
    if person is not None and person.merged_into_id:
        raise ValidationError(_("This person was merged into another; open the case there."), code="merged")
    summary = _required(summary, _("Write a short summary of the case."))
    if priority not in Priority.values:
        raise ValidationError(_("Choose a priority."), code="priority")
    for record in records:
        if (record.person_id, record.household_id) != (getattr(person, "pk", None), getattr(household, "pk", None)):
            raise ValidationError(_("A linked PPKS record belongs to someone else."), code="record_subject")
        if record.status == PpksStatus.REJECTED:
            raise ValidationError(_("A rejected PPKS record cannot be linked to a case."), code="record_rejected")
    now = timezone.now()
    opened_at = now
    if opened_on is not None:
        today = timezone.localdate()
        if opened_on > today:
            raise ValidationError(_("The opening date is in the future."), code="future")
        if today - opened_on > MAX_BACKDATE:
            raise ValidationError(_("A case can be backdated at most one year."), code="too_old")
        if opened_on < today:
            opened_at = timezone.make_aware(datetime.datetime.combine(opened_on, datetime.time(8, 0)))
    with transaction.atomic():
        case = Case(
            person=person,
            household=household,
            region_id=subject.village_id,
            summary=summary,
            needs=needs.strip(),
            priority=priority,
            is_sensitive=is_sensitive,
            status=CaseStatus.OPEN,
            opened_by=acting_user,
            opened_at=opened_at,
            status_changed_at=opened_at,
        )
        _arrive(case, level, opened_at, assignee=acting_user if acting_user is not None else None)
        _save(case, acting_user, _("Opened"))
        case.ppks_records.set(records)
        _event(
            case,
            EventKind.OPENED,
            acting_user,
            opened_at,
            to_status=CaseStatus.OPEN,
            to_level=case.level,
            to_region_id=case.holding_region_id,
            assigned_to=case.assigned_to,
        )
        if case.assigned_to is None:
            _tell_arrival(case, acting_user)
    return case


def take_case(case: Case, *, expected_version: int, acting_user: Any) -> Case:
    """The holding level takes the case up (it becomes theirs: ditangani)."""
    now = timezone.now()
    with transaction.atomic():
        case = _claim(case, expected_version)
        _require_handler(acting_user, case)
        step = _set_status(case, CaseStatus.HANDLED, now)
        if acting_user is not None and policy.holds(acting_user, case):
            case.assigned_to = acting_user
        _save(case, acting_user, _("Taken up"))
        _event(case, EventKind.TAKEN, acting_user, now, assigned_to=case.assigned_to, **step)
    return case


def _check_day(case: Case, day: datetime.date) -> None:
    if day > timezone.localdate():
        raise ValidationError(_("The date is in the future."), code="future")
    if day < timezone.localdate(case.opened_at):
        raise ValidationError(_("The date is before the case was opened."), code="before_opening")


def record_visit(
    case: Case,
    *,
    expected_version: int,
    happened_on: datetime.date,
    place: str = "",
    action_taken: str,
    next_step: str = "",
    next_visit_on: datetime.date | None = None,
    photo: Any = None,
    acting_user: Any,
) -> CaseEvent:
    """A pendampingan visit: when, where, what was done, what comes next and when (the
    next visit, planned from the day of this one on); `photo`, an upload taken during
    the visit, is kept as the visit's attachment."""
    content_type = check_upload(photo) if photo is not None else ""
    stored = images.kept(photo, content_type) if photo is not None else None
    now = timezone.now()
    with transaction.atomic():
        case = _claim(case, expected_version)
        _require_companion(acting_user, case)
        _require_open(case)
        _check_day(case, happened_on)
        action_taken = _required(action_taken, _("Write what was done during the visit."))
        if next_visit_on is not None and next_visit_on <= happened_on:
            raise ValidationError(_("Plan the next visit after the day of this one."), code="next_visit")
        _save(case, acting_user, _("Visit recorded"))
        visit = _event(
            case,
            EventKind.VISIT,
            acting_user,
            now,
            happened_on=happened_on,
            place=place.strip(),
            text=action_taken,
            next_step=next_step.strip(),
            next_visit_on=next_visit_on,
        )
        if stored is not None:
            _keep_file(case, visit, stored, content_type)
    return visit


def _keep_file(case: Case, event: CaseEvent, upload: Any, content_type: str) -> Attachment:
    attachment = Attachment(
        case=case,
        event=event,
        original_name=(getattr(upload, "name", "") or "lampiran")[-200:],
        content_type=content_type,
        size=upload.size,
    )
    attachment.file.save("lampiran", upload, save=False)
    attachment.save()
    return attachment


def _require_open(case: Case) -> None:
    if not case.is_open:
        raise ValidationError(
            _("The case is %(status)s; reopen it first.") % {"status": case.get_status_display().lower()},
            code="not_open",
        )


def add_note(case: Case, *, expected_version: int, text: str, acting_user: Any) -> CaseEvent:
    now = timezone.now()
    with transaction.atomic():
        case = _claim(case, expected_version)
        _require_companion(acting_user, case)
        text = _required(text, _("The note is empty."))
        _save(case, acting_user, _("Note added"))
        return _event(case, EventKind.NOTE, acting_user, now, text=text)


def correct_event(case: Case, event: CaseEvent, *, expected_version: int, text: str, acting_user: Any) -> CaseEvent:
    """A correction of a visit or a note, by its author: a new event; the original stays."""
    now = timezone.now()
    with transaction.atomic():
        case = _claim(case, expected_version)
        if event.case_id != case.pk or event.kind not in (EventKind.VISIT, EventKind.NOTE, EventKind.CORRECTION):
            raise ValidationError(_("Only a visit or a note can be corrected."), code="not_correctable")
        if acting_user is not None and event.actor_id != acting_user.pk:
            raise PermissionDenied(_("Only the author of an entry corrects it."))
        text = _required(text, _("Write the correction."))
        _save(case, acting_user, _("Correction"))
        return _event(case, EventKind.CORRECTION, acting_user, now, text=text, corrects=event)


def add_attachment(
    case: Case, *, expected_version: int, upload: Any, description: str = "", acting_user: Any
) -> Attachment:
    """A photo (JPEG, PNG, WebP) or a PDF document, checked by its content and size."""
    content_type = check_upload(upload)
    stored = images.kept(upload, content_type)
    now = timezone.now()
    with transaction.atomic():
        case = _claim(case, expected_version)
        _require_handler(acting_user, case)
        _save(case, acting_user, _("Attachment added"))
        event = _event(case, EventKind.ATTACHMENT, acting_user, now, text=description.strip())
        return _keep_file(case, event, stored, content_type)


def refer_case(
    case: Case,
    *,
    expected_version: int,
    destination_kind: str,
    reason: str,
    institution: Institution | None = None,
    programme: Programme | None = None,
    agency: str = "",
    destination_name: str = "",
    acting_user: Any,
) -> Referral:
    """Send the case to an institution, a programme or an agency; the case is dirujuk
    until the handler takes it back up or resolves it."""
    now = timezone.now()
    destination: dict[str, Any] = {"institution": None, "programme": None, "agency": ""}
    if destination_kind == DestinationKind.INSTITUTION and institution is not None:
        if institution.status != InstitutionStatus.ACTIVE:
            raise ValidationError(_("The institution is not active."), code="institution_inactive")
        destination["institution"] = institution
    elif destination_kind == DestinationKind.PROGRAMME and programme is not None:
        if not programme.is_active:
            raise ValidationError(_("The programme is no longer offered."), code="programme_inactive")
        destination["programme"] = programme
    elif destination_kind == DestinationKind.AGENCY and agency in Agency.values:
        destination["agency"] = agency
    else:
        raise ValidationError(_("Choose where the case is referred to."), code="destination")
    with transaction.atomic():
        case = _claim(case, expected_version)
        _require_handler(acting_user, case)
        reason = _required(reason, _("Say why the case is referred."))
        step = {} if case.status == CaseStatus.REFERRED else _set_status(case, CaseStatus.REFERRED, now)
        referral = Referral(
            case=case,
            destination_kind=destination_kind,
            destination_name=destination_name.strip(),
            reason=reason,
            sent_by=acting_user,
            sent_at=now,
            **destination,
        )
        stamp(referral, acting_user, _("Sent"))
        referral.save()
        _save(case, acting_user, _("Referred"))
        _event(
            case,
            EventKind.REFERRAL,
            acting_user,
            now,
            referral=referral,
            referral_status=ReferralStatus.SENT,
            text=reason,
            **step,
        )
    return referral


def answer_referral(
    referral: Referral, *, expected_version: int, to_status: str, answer: str = "", acting_user: Any
) -> Referral:
    """Record the destination's answer: accepted, done, or refused (with a reason)."""
    now = timezone.now()
    with transaction.atomic():
        case = _claim(referral.case, expected_version)
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        if acting_user is not None and referral.sent_by_id == acting_user.pk:
            raise PermissionDenied(_("Nobody records the answer to a referral they sent: another worker must."))
        if acting_user is not None and not policy.can_answer_referral(acting_user, case, referral.sent_by_id):
            _require_handler(acting_user, case)
        if to_status not in REFERRAL_MOVES[referral.status]:
            raise ValidationError(
                _("A referral that is %(from)s cannot become %(to)s.")
                % {"from": referral.get_status_display().lower(), "to": ReferralStatus(to_status).label.lower()},
                code="illegal_move",
            )
        answer = answer.strip()
        if to_status == ReferralStatus.REFUSED:
            answer = _required(answer, _("Say why the referral was refused."))
        referral.status = to_status
        referral.answer = answer
        referral.answered_at = now
        stamp(referral, acting_user, str(ReferralStatus(to_status).label))
        referral.save()
        _save(case, acting_user, _("Referral answered"))
        _event(
            case, EventKind.REFERRAL_ANSWER, acting_user, now, referral=referral, referral_status=to_status, text=answer
        )
        told = [user for user in (referral.sent_by, case.assigned_to) if user is not None]
        notifications.notify(told, case, NotificationKind.REFERRAL_ANSWERED, excluding=acting_user)
    return referral


def escalate_case(
    case: Case,
    *,
    expected_version: int,
    reason: str,
    acting_user: Any,
    automatic: bool = False,
    now: datetime.datetime | None = None,
) -> Case:
    """Pass the case one level up, with the reason; the receiving level sees it at once.
    (`now` is the scheduler's clock for an automatic escalation.)"""
    now = now or timezone.now()
    with transaction.atomic():
        case = _claim(case, expected_version)
        if not automatic:
            _require_handler(acting_user, case)
        if case.level == CaseLevel.MINISTRY:
            raise ValidationError(_("The ministry is the last level; the case cannot go higher."), code="top")
        step = _set_status(case, CaseStatus.ESCALATED, now)
        reason = _required(reason, _("Say why the case is escalated."))
        _move(case, case.level - 1, EventKind.ESCALATION, acting_user, now, reason, step, is_automatic=automatic)
    return case


def return_case(case: Case, *, expected_version: int, instruction: str, acting_user: Any) -> Case:
    """Send the case back down to the level it was escalated from, with an instruction."""
    now = timezone.now()
    with transaction.atomic():
        case = _claim(case, expected_version)
        _require_handler(acting_user, case)
        step = _set_status(case, CaseStatus.RETURNED, now)
        came_from = case.events.filter(kind=EventKind.ESCALATION, to_level=case.level).order_by("-at", "-pk").first()
        if came_from is None or came_from.from_level is None:
            raise ValidationError(
                _("This case was opened at this level; there is no lower level to return it to."), code="no_lower"
            )
        instruction = _required(instruction, _("Write the instruction for the level below."))
        back = came_from.actor
        keeps_place = back is not None and (came_from.from_level, came_from.from_region_id) in policy.places(back)
        assignee = back if keeps_place else None
        _move(case, came_from.from_level, EventKind.RETURN, acting_user, now, instruction, step, assignee=assignee)
    return case


def reassign_case(case: Case, *, expected_version: int, assignee: User, acting_user: Any) -> Case:
    """Give the case to another worker of the level that holds it."""
    now = timezone.now()
    with transaction.atomic():
        case = _claim(case, expected_version)
        _require_handler(acting_user, case)
        if (case.level, case.holding_region_id) not in policy.places(assignee):
            raise ValidationError(
                _("%(name)s does not work at the level that holds this case.") % {"name": assignee},
                code="assignee_elsewhere",
            )
        case.assigned_to = assignee
        _save(case, acting_user, _("Reassigned"))
        _event(case, EventKind.REASSIGNMENT, acting_user, now, assigned_to=assignee)
        notifications.notify([assignee], case, NotificationKind.ASSIGNED, excluding=acting_user)
    return case


def resolve_case(case: Case, *, expected_version: int, text: str, acting_user: Any) -> Case:
    """The need is met (selesai); closing records the outcome."""
    now = timezone.now()
    with transaction.atomic():
        case = _claim(case, expected_version)
        _require_handler(acting_user, case)
        step = _set_status(case, CaseStatus.RESOLVED, now)
        text = _required(text, _("Write what was achieved."))
        _save(case, acting_user, text)
        _event(case, EventKind.RESOLVED, acting_user, now, text=text, **step)
    return case


def close_case(case: Case, *, expected_version: int, outcome: str, text: str = "", acting_user: Any) -> Case:
    """Close the case with its outcome."""
    now = timezone.now()
    with transaction.atomic():
        case = _claim(case, expected_version)
        _require_handler(acting_user, case)
        step = _set_status(case, CaseStatus.CLOSED, now)
        if outcome not in Outcome.values:
            raise ValidationError(_("Choose the outcome of the case."), code="outcome")
        case.outcome = outcome
        case.closed_at = now
        _save(case, acting_user, str(Outcome(outcome).label))
        _event(case, EventKind.CLOSURE, acting_user, now, outcome=outcome, text=text.strip(), **step)
    return case


def reopen_case(case: Case, *, expected_version: int, reason: str, acting_user: Any) -> Case:
    """A resolved or closed case needs work again: it is due again at its level."""
    now = timezone.now()
    with transaction.atomic():
        case = _claim(case, expected_version)
        _require_handler(acting_user, case)
        step = _set_status(case, CaseStatus.REOPENED, now)
        reason = _required(reason, _("Say why the case is reopened."))
        case.closed_at = None
        case.outcome = ""
        _arrive(case, case.level, now, assignee=case.assigned_to)
        _save(case, acting_user, reason)
        _event(case, EventKind.REOPENED, acting_user, now, text=reason, assigned_to=case.assigned_to, **step)
    return case


# The actions of a case, by the name pages and the API use: the status each leads to.
ACTIONS = {
    "take": CaseStatus.HANDLED,
    "escalate": CaseStatus.ESCALATED,
    "return": CaseStatus.RETURNED,
    "resolve": CaseStatus.RESOLVED,
    "close": CaseStatus.CLOSED,
    "reopen": CaseStatus.REOPENED,
}


def perform(
    case: Case, action: str, *, expected_version: int, text: str = "", outcome: str = "", acting_user: Any
) -> Case:
    """One of ACTIONS by name (the text is the reason, instruction or note it needs)."""
    match action:
        case "take":
            return take_case(case, expected_version=expected_version, acting_user=acting_user)
        case "escalate":
            return escalate_case(case, expected_version=expected_version, reason=text, acting_user=acting_user)
        case "return":
            return return_case(case, expected_version=expected_version, instruction=text, acting_user=acting_user)
        case "resolve":
            return resolve_case(case, expected_version=expected_version, text=text, acting_user=acting_user)
        case "close":
            return close_case(
                case, expected_version=expected_version, outcome=outcome, text=text, acting_user=acting_user
            )
        case "reopen":
            return reopen_case(case, expected_version=expected_version, reason=text, acting_user=acting_user)
    raise ValueError(f"unknown case action {action!r}")


def extend_deadline(case: Case, *, expected_version: int, days: int, reason: str, acting_user: Any) -> Case:
    """Give the level that holds the case `days` more (at most CASE_MAX_EXTENSION_DAYS),
    once per level, with the reason: by the worker's supervisor (policy.supervises)."""
    now = timezone.now()
    with transaction.atomic():
        case = _claim(case, expected_version)
        if acting_user is None or not policy.supervises(acting_user, case):
            raise PermissionDenied(_("Only the level above the one that holds the case extends its deadline."))
        if case.status not in OPEN_STATUSES:
            raise ValidationError(_("Only an open case has a deadline to extend."), code="closed")
        if case.extended_at_level == case.level:
            raise ValidationError(
                _("The deadline at this level was extended once already; escalate or return the case instead."),
                code="extended_once",
            )
        if not 1 <= days <= settings.CASE_MAX_EXTENSION_DAYS:
            raise ValidationError(
                _("Extend by 1 to %(most)s days.") % {"most": settings.CASE_MAX_EXTENSION_DAYS}, code="days"
            )
        reason = _required(reason, _("Say why the deadline is extended."))
        case.due_at = max(case.due_at, now) + datetime.timedelta(days=days)
        case.extended_at_level, case.held_back, case.deadline_warned = case.level, "", False
        _save(case, acting_user, reason)
        _event(case, EventKind.EXTENSION, acting_user, now, text=reason)
        recipients = [case.assigned_to] if case.assigned_to else holders(case.level, case.holding_region_id)
        notifications.notify(recipients, case, NotificationKind.DEADLINE_EXTENDED, excluding=acting_user)
    return case


def mark_read(user: Any, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications (all of them, or `ids`) as read."""
    unread = user.notifications.filter(read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return int(unread.update(read_at=timezone.now()))


def add_programme(*, code: str, name: str, acting_user: Any) -> Programme:
    programme = Programme(code=code, name=name.strip())
    stamp(programme, acting_user, _("Added"))
    programme.save()
    return programme


def set_programme_active(programme: Programme, *, active: bool, acting_user: Any) -> Programme:
    """Retire a programme (existing referrals keep it) or offer it again."""
    programme.is_active = active
    stamp(programme, acting_user, _("Offered again") if active else _("Retired"))
    programme.save()
    return programme
