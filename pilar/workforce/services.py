"""Every change to the workforce registry. Pages, the API, commands, imports and the
demo call these; none of them repeats a rule (see `rules` and `policy`).

Each function checks who acts (`acting_user=None` is the command line), checks the
rule, locks what it changes, and writes the event and history rows in the same
transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from pilar.accounts.policy import can_manage_user
from pilar.core.history import stamp
from pilar.core.identity import check_nik
from pilar.core.scoping import contains
from pilar.core.versions import check_version
from pilar.regions.models import Region, RegionLevel
from pilar.regions.text import fold
from pilar.workforce import policy, rules
from pilar.workforce.kinds import (
    TRAINING_ORGANISER_LEVEL,
    ChangeSource,
    EvaluationRating,
    TrainingKind,
    WorkerKind,
    WorkerStatus,
)
from pilar.workforce.models import (
    Assignment,
    Engagement,
    EngagementEvent,
    Evaluation,
    Inauguration,
    Quota,
    Training,
    TrainingParticipant,
    Worker,
)


@dataclass(frozen=True)
class DecreeInfo:
    number: str
    date: datetime.date
    issuer: str = ""


class DuplicateWorker(ValidationError):
    """The NIK belongs to a registered worker: named when the user's area holds them,
    otherwise nothing of them is said and the user may ask for a transfer."""

    def __init__(self, existing: Worker, *, visible: bool) -> None:
        if visible:
            message = _("A worker with this NIK is already registered: %(name)s.") % {"name": existing.full_name}
        else:
            message = _(
                "A worker with this NIK is registered outside your area. You may ask for them to serve in your "
                "region too; the Dinsos office above both areas decides."
            )
        super().__init__(message, code="duplicate_nik")
        self.existing = existing
        self.visible = visible


def require_manager(acting_user: Any, region_code: str) -> None:
    if acting_user is not None and not policy.can_manage_registry(acting_user, region_code):
        raise PermissionDenied(_("Only the social office of this region may change its registry."))


def region_label(region: Region) -> str:
    return f"{region.code} {region.name}"


def has_basic_training(engagement: Engagement) -> bool:
    return TrainingParticipant.objects.filter(
        engagement__worker_id=engagement.worker_id, training__kind=TrainingKind.BASIC, completed=True
    ).exists()


def current_tksk(region_code: str) -> Engagement | None:
    return (
        Engagement.objects.filter(region_id=region_code, kind=WorkerKind.TKSK, status=WorkerStatus.ACTIVE)
        .select_related("worker")
        .first()
    )


def tksk_taken_message(holder_name: str, region_code: str) -> str:
    return _("Kecamatan %(region)s already has an active TKSK: %(name)s. Make them inactive first.") % {
        "region": region_code,
        "name": holder_name,
    }


def _record(
    engagement: Engagement,
    *,
    from_status: str,
    from_region: str | None,
    acting_user: Any,
    source: str,
    note: str = "",
    reason: str = "",
    decree: DecreeInfo | None = None,
) -> EngagementEvent:
    return EngagementEvent.objects.create(
        engagement=engagement,
        from_status=from_status,
        to_status=engagement.status,
        from_region_id=from_region,
        to_region_id=engagement.region_id,
        reason=reason,
        note=note,
        source=source,
        acting_user=acting_user,
        decree_number=decree.number if decree else "",
        decree_date=decree.date if decree else None,
        decree_issuer=decree.issuer if decree else "",
        created_at=timezone.now(),
    )


def _save_engagement(engagement: Engagement) -> None:
    """Save, turning the database's one-TKSK-per-kecamatan rule into a message."""
    try:
        with transaction.atomic():
            engagement.save()
    except IntegrityError:
        if engagement.kind == WorkerKind.TKSK and engagement.status == WorkerStatus.ACTIVE:
            holder = current_tksk(engagement.region_id)
            raise ValidationError(
                tksk_taken_message(holder.worker.full_name if holder else "?", engagement.region_id),
                code="tksk_taken",
            ) from None
        raise


@transaction.atomic
def register_worker(
    *,
    nik: str,
    full_name: str,
    sex: str,
    birth_date: datetime.date,
    home_village: Region | None,
    kind: str,
    region: Region,
    acting_user: Any,
    phone: str = "",
    education: str = "",
    source: str = ChangeSource.PAGE,
) -> Engagement:
    """A new person in the registry, as a candidate of `kind` serving `region`."""
    require_manager(acting_user, region.code)
    check_nik(nik, sex=sex, birth_date=birth_date)
    if home_village is not None and home_village.level != RegionLevel.VILLAGE:
        raise ValidationError(_("The home village must be a desa/kelurahan."), code="home_not_village")
    existing = Worker.objects.filter(nik=nik).first()
    if existing is not None:
        raise DuplicateWorker(
            existing,
            visible=acting_user is None or Worker.objects.visible_to(acting_user).filter(pk=existing.pk).exists(),
        )
    worker = Worker(
        nik=nik,
        full_name=full_name.strip(),
        search_name=fold(full_name),
        sex=sex,
        birth_date=birth_date,
        home_village=home_village,
        phone=phone,
        education=education,
    )
    stamp(worker, acting_user, gettext_noop("Registered"))
    worker.save()
    return add_engagement(worker, kind=kind, region=region, acting_user=acting_user, source=source)


@transaction.atomic
def add_engagement(
    worker: Worker, *, kind: str, region: Region, acting_user: Any, source: str = ChangeSource.PAGE
) -> Engagement:
    """`worker` starts as a candidate of another kind (a PSM recruited as TKSK)."""
    require_manager(acting_user, region.code)
    rules.check_region_for_kind(kind, region)
    rules.check_step(
        kind=kind,
        to_status=WorkerStatus.CANDIDATE,
        birth_date=worker.birth_date,
        home_village_code=worker.home_village_id or "",
        region_code=region.code,
        decree_number="",
        decree_date=None,
        reason="",
        has_basic_training=False,
        from_roster=False,
    )
    if worker.engagements.filter(kind=kind).exists():
        raise ValidationError(
            _("%(name)s is already registered as %(kind)s.") % {"name": worker.full_name, "kind": kind},
            code="duplicate_engagement",
        )
    engagement = Engagement(worker=worker, kind=kind, region=region, status_changed_at=timezone.now())
    stamp(engagement, acting_user, gettext_noop("Registered"))
    engagement.save()
    _record(engagement, from_status="", from_region=None, acting_user=acting_user, source=source)
    return engagement


def _check_account_link(worker: Worker, account: Any, acting_user: Any) -> None:
    """Linking an account to a worker makes that account the author of the worker's
    reports, so it is guarded: the administrator links and unlinks any account; a
    Dinsos operator only links a worker who has none yet, to an account of lower rank
    that they manage; nobody links their own account."""
    if acting_user is None:
        return
    if account is not None and account.pk == acting_user.pk:
        raise ValidationError(_("You cannot link your own account to a worker."), code="own_account")
    if policy.manages_nation(acting_user):
        return
    if worker.account_id is not None:
        raise ValidationError(
            _("This worker already has an account; only the administrator changes it."), code="account_linked"
        )
    if account is not None and not can_manage_user(acting_user, account):
        raise ValidationError(
            _("You may link only an account of lower rank that you manage."), code="account_not_managed"
        )


@transaction.atomic
def update_worker(
    worker: Worker, *, acting_user: Any, reason: str = "", expected_version: str | None = None, **changes: Any
) -> Worker:
    """Change a worker's personal data (name, phone, education, photo, ...);
    `StaleVersion` when the worker changed after `expected_version`."""
    for engagement in worker.engagements.all():
        require_manager(acting_user, engagement.region_id)
    allowed = {"full_name", "phone", "education", "photo", "sex", "birth_date", "home_village", "account"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)} here")
    locked = Worker.objects.select_for_update().get(pk=worker.pk)
    check_version(locked, expected_version)
    account = changes.get("account", locked.account)
    relinked = "account" in changes and getattr(account, "pk", None) != locked.account_id
    if relinked:
        _check_account_link(locked, account, acting_user)
        reason = reason or (
            _("Pilar account linked: %(username)s") % {"username": account.username}
            if account is not None
            else _("Pilar account unlinked")
        )
    for field, value in changes.items():
        setattr(locked, field, value)
    check_nik(locked.nik, sex=locked.sex, birth_date=locked.birth_date)
    locked.search_name = fold(locked.full_name)
    stamp(locked, acting_user, reason or gettext_noop("Corrected"))
    try:
        with transaction.atomic():
            locked.save()
    except IntegrityError:
        raise ValidationError(_("This account already belongs to another worker."), code="account_taken") from None
    return locked


@transaction.atomic
def change_status(
    engagement: Engagement,
    *,
    to_status: str,
    acting_user: Any,
    reason: str = "",
    note: str = "",
    decree: DecreeInfo | None = None,
    source: str = ChangeSource.PAGE,
) -> Engagement:
    """Move an engagement along its lifecycle (see `kinds.ALLOWED_MOVES` and `rules`)."""
    locked = Engagement.objects.select_for_update().select_related("worker").get(pk=engagement.pk)
    require_manager(acting_user, locked.region_id)
    rules.check_move(locked.status, to_status)
    rules.check_step(
        kind=locked.kind,
        to_status=to_status,
        birth_date=locked.worker.birth_date,
        home_village_code=locked.worker.home_village_id or "",
        region_code=locked.region_id,
        decree_number=decree.number if decree else "",
        decree_date=decree.date if decree else None,
        reason=reason,
        has_basic_training=source == ChangeSource.TRAINING or has_basic_training(locked),
        from_roster=False,
    )
    from_status = locked.status
    locked.status = to_status
    locked.status_changed_at = timezone.now()
    locked.inactive_reason = reason if to_status == WorkerStatus.INACTIVE else ""
    if decree is not None:
        locked.decree_number, locked.decree_date, locked.decree_issuer = decree.number, decree.date, decree.issuer
    stamp(locked, acting_user, note or f"{WorkerStatus(from_status).label} → {WorkerStatus(to_status).label}")
    _save_engagement(locked)
    _record(
        locked,
        from_status=from_status,
        from_region=locked.region_id,
        acting_user=acting_user,
        source=source,
        note=note,
        reason=reason,
        decree=decree,
    )
    return locked


@transaction.atomic
def create_training(
    *,
    kind: str,
    title: str,
    organiser: Region,
    start_date: datetime.date,
    end_date: datetime.date,
    place: str,
    acting_user: Any,
) -> Training:
    require_manager(acting_user, organiser.code)
    expected = TRAINING_ORGANISER_LEVEL[TrainingKind(kind)]
    if organiser.level != expected:
        raise ValidationError(
            _("A %(kind)s is organised by a %(level)s office.")
            % {"kind": TrainingKind(kind).label, "level": str(RegionLevel(expected).label).lower()},
            code="wrong_organiser",
        )
    if end_date < start_date:
        raise ValidationError(_("The training cannot end before it starts."), code="dates")
    training = Training(
        kind=kind,
        title=title,
        organiser=organiser,
        start_date=start_date,
        end_date=end_date,
        place=place,
        created_by=acting_user,
    )
    stamp(training, acting_user, gettext_noop("Recorded"))
    training.save()
    return training


@transaction.atomic
def add_participants(training: Training, engagements: Iterable[Engagement], *, acting_user: Any) -> int:
    """Enrol workers of the organiser's area; returns how many were new."""
    require_manager(acting_user, training.organiser_id)
    added = 0
    for engagement in engagements:
        if not contains(training.organiser_id, engagement.region_id):
            raise ValidationError(
                _("%(name)s serves outside the area of this training.") % {"name": engagement.worker.full_name},
                code="outside_training_area",
            )
        if engagement.status == WorkerStatus.INACTIVE:
            raise ValidationError(
                _("%(name)s is inactive.") % {"name": engagement.worker.full_name}, code="inactive_participant"
            )
        _attendance, created = TrainingParticipant.objects.get_or_create(training=training, engagement=engagement)
        added += created
    return added


@transaction.atomic
def record_completion(training: Training, *, completed_ids: set[int], acting_user: Any) -> int:
    """Mark who completed the training; a candidate who completed a basic bimtek
    becomes trained. Returns how many became trained."""
    require_manager(acting_user, training.organiser_id)
    trained = 0
    for attendance in training.attendance.select_related("engagement").select_for_update():
        completed = attendance.engagement_id in completed_ids
        if attendance.completed != completed:
            attendance.completed = completed
            stamp(attendance, acting_user, gettext_noop("Completion recorded"))
            attendance.save()
        engagement = attendance.engagement
        if completed and training.kind == TrainingKind.BASIC and engagement.status == WorkerStatus.CANDIDATE:
            change_status(
                engagement,
                to_status=WorkerStatus.TRAINED,
                acting_user=acting_user,
                note=training.title,
                source=ChangeSource.TRAINING,
            )
            trained += 1
    return trained


@transaction.atomic
def inaugurate(
    *,
    region: Region,
    date: datetime.date,
    place: str,
    official: str,
    decree: DecreeInfo,
    engagements: list[Engagement],
    acting_user: Any,
) -> Inauguration:
    """The pengukuhan: every listed trained PSM becomes active under one decree, or none does."""
    require_manager(acting_user, region.code)
    if region.level != RegionLevel.REGENCY:
        raise ValidationError(_("A pengukuhan is held by a regency/city office."), code="wrong_organiser")
    if not engagements:
        raise ValidationError(_("Choose at least one PSM to confirm."), code="no_participants")
    problems = []
    for engagement in engagements:
        if engagement.kind != WorkerKind.PSM or not contains(region.code, engagement.region_id):
            problems.append(
                _("%(name)s is not a PSM of %(region)s.")
                % {"name": engagement.worker.full_name, "region": region_label(region)}
            )
        elif engagement.status != WorkerStatus.TRAINED:
            problems.append(
                _("%(name)s is %(status)s, not trained.")
                % {"name": engagement.worker.full_name, "status": WorkerStatus(engagement.status).label}
            )
    if problems:
        raise ValidationError(problems, code="not_ready")
    inauguration = Inauguration.objects.create(
        region=region,
        date=date,
        place=place,
        official=official,
        decree_number=decree.number,
        decree_date=decree.date,
        decree_issuer=decree.issuer,
        created_by=acting_user,
    )
    inauguration.engagements.set(engagements)
    for engagement in engagements:
        try:
            change_status(
                engagement,
                to_status=WorkerStatus.ACTIVE,
                acting_user=acting_user,
                decree=decree,
                note=_("Pengukuhan %(date)s, %(place)s") % {"date": date_format(date, "j F Y"), "place": place},
                source=ChangeSource.INAUGURATION,
            )
        except ValidationError as error:
            raise ValidationError(
                [f"{engagement.worker.full_name}: {message}" for message in error.messages], code="not_ready"
            ) from None
    return inauguration


@transaction.atomic
def assign_tksk(
    engagement: Engagement,
    *,
    region: Region,
    budget_year: int,
    start_date: datetime.date,
    end_date: datetime.date,
    decree: DecreeInfo,
    acting_user: Any,
) -> Assignment:
    """Assign (or re-assign for a new budget year) a TKSK to a kecamatan; the decree
    makes them active there. A kecamatan held by another active TKSK is refused."""
    require_manager(acting_user, region.code)
    locked = Engagement.objects.select_for_update().select_related("worker").get(pk=engagement.pk)
    if locked.kind != WorkerKind.TKSK:
        raise ValidationError(_("Only a TKSK is assigned to a kecamatan."), code="not_tksk")
    rules.check_region_for_kind(WorkerKind.TKSK, region)
    if end_date < start_date:
        raise ValidationError(_("The assignment cannot end before it starts."), code="dates")
    if locked.assignments.filter(budget_year=budget_year).exists():
        raise ValidationError(
            _("%(name)s already has an assignment for %(year)s.")
            % {"name": locked.worker.full_name, "year": budget_year},
            code="duplicate_assignment",
        )
    from_status, from_region = locked.status, locked.region_id
    if from_status != WorkerStatus.ACTIVE:
        rules.check_move(from_status, WorkerStatus.ACTIVE)
    locked.region = region
    locked.status = WorkerStatus.ACTIVE
    locked.inactive_reason = ""
    locked.decree_number, locked.decree_date, locked.decree_issuer = decree.number, decree.date, decree.issuer
    if (from_status, from_region) != (locked.status, locked.region_id):
        locked.status_changed_at = timezone.now()
    stamp(locked, acting_user, _("Assigned to %(region)s for %(year)s") % {"region": region.name, "year": budget_year})
    _save_engagement(locked)
    _record(
        locked,
        from_status=from_status,
        from_region=from_region,
        acting_user=acting_user,
        source=ChangeSource.ASSIGNMENT,
        note=_("Assignment %(year)s") % {"year": budget_year},
        decree=decree,
    )
    assignment = Assignment(
        engagement=locked,
        region=region,
        budget_year=budget_year,
        start_date=start_date,
        end_date=end_date,
        decree_number=decree.number,
        decree_date=decree.date,
        decree_issuer=decree.issuer,
        created_by=acting_user,
    )
    stamp(assignment, acting_user, gettext_noop("Assigned"))
    assignment.save()
    return assignment


@transaction.atomic
def evaluate_assignment(
    assignment: Assignment, *, rating: str, recommend_renewal: bool, notes: str, acting_user: Any
) -> Evaluation:
    require_manager(acting_user, assignment.region_id)
    if rating not in EvaluationRating.values:
        raise ValidationError(_("Choose a rating."), code="rating")
    if Evaluation.objects.filter(assignment=assignment).exists():
        raise ValidationError(_("This assignment has already been evaluated."), code="duplicate_evaluation")
    evaluation = Evaluation(
        assignment=assignment,
        rating=rating,
        recommend_renewal=recommend_renewal,
        notes=notes,
        evaluated_by=acting_user,
        evaluated_at=timezone.now(),
    )
    stamp(evaluation, acting_user, gettext_noop("Evaluated"))
    evaluation.save()
    return evaluation


@transaction.atomic
def set_quota(*, region: Region, year: int, kind: str, target: int, acting_user: Any) -> Quota:
    require_manager(acting_user, region.code)
    if region.level == RegionLevel.VILLAGE:
        raise ValidationError(_("Quotas are set for a province, regency/city or kecamatan."), code="quota_level")
    if target < 0:
        raise ValidationError(_("A target cannot be negative."), code="negative_target")
    quota = Quota.objects.select_for_update().filter(region=region, year=year, kind=kind).first()
    if quota is None:
        quota = Quota(region=region, year=year, kind=kind, target=target)
    quota.target = target
    quota.updated_by = acting_user
    stamp(quota, acting_user, gettext_noop("Quota set"))
    quota.save()
    return quota
