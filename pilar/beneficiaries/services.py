"""Every change to the PPKS registry. Pages, the API, the importer's checks and the
demo call these; none repeats a rule.

Each function checks who acts (`acting_user=None` is the command line), checks the
rule, writes the change with its history (and a `PpksEvent` for a status step), and
recounts the summaries of the kecamatan it touched, in one transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from pilar.beneficiaries import policy, ppks
from pilar.beneficiaries.models import (
    ALLOWED_MOVES,
    DuplicateDecision,
    Household,
    LegalBasis,
    Move,
    Person,
    PpksEvent,
    PpksRecord,
    PpksStatus,
    RecordSource,
    Relation,
)
from pilar.beneficiaries.ppks import PPKS_TYPES
from pilar.beneficiaries.summaries import refresh_districts
from pilar.core.history import stamp
from pilar.core.identity import check_nik, mask_nik
from pilar.core.versions import check_version
from pilar.notices import services as notices
from pilar.notices.models import NoticeKind
from pilar.regions.models import Region, RegionLevel


class DuplicateNik(ValidationError):
    """The NIK belongs to a person already registered. Inside the user's area the
    person is named, to be opened instead; outside it nothing of them is said (not the
    name, not the region), and the user may ask for a transfer (`transfers`)."""

    def __init__(self, existing: Person, *, visible: bool) -> None:
        if visible:
            message = _("A person with this NIK is already registered: %(name)s (%(nik)s).") % {
                "name": existing.full_name,
                "nik": mask_nik(existing.nik or ""),
            }
        else:
            message = _(
                "A person with this NIK is registered outside your area. You may ask for them to be moved to "
                "your village; the Dinsos office above both areas decides."
            )
        super().__init__(message, code="nik_taken")
        self.existing = existing
        self.visible = visible


def duplicate_nik(existing: Person, acting_user: Any) -> DuplicateNik:
    visible = acting_user is None or Person.objects.visible_to(acting_user).filter(pk=existing.pk).exists()
    return DuplicateNik(existing, visible=visible)


class FamilyCardElsewhere(ValidationError):
    """The family card belongs to a household outside the user's area (nothing more is said)."""

    def __init__(self, household: Household) -> None:
        super().__init__(
            _(
                "This family card number is registered outside your area. Ask the Dinsos office to move the "
                "household first, or leave the number empty."
            ),
            code="family_card_elsewhere",
        )
        self.household = household


@dataclass(frozen=True)
class PersonData:
    full_name: str
    sex: str
    village: Region
    nik: str = ""
    family_card: str = ""
    birth_place: str = ""
    birth_date: datetime.date | None = None
    address: str = ""
    phone: str = ""
    disability: str = ""
    guardian: Person | None = None
    guardian_relation: str = ""
    legal_basis: str = LegalBasis.PUBLIC_TASK
    notes: str = ""

    @classmethod
    def from_form(cls, cleaned: Mapping[str, Any]) -> PersonData:
        """The person's data from a person form's cleaned data (other fields ignored)."""
        return cls(**{name: cleaned[name] for name in cls.__dataclass_fields__ if name in cleaned})


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def require_mapper(acting_user: Any, village_code: str) -> None:
    if acting_user is not None:
        _require(policy.can_map(acting_user, village_code), _("You do not work in this village."))


def require_verifier(acting_user: Any, village_code: str) -> None:
    if acting_user is not None:
        _require(
            policy.can_verify(acting_user, village_code),
            _("Only the TKSK of the kecamatan or the social office may verify PPKS records here."),
        )


def check_village(region: Region) -> None:
    if region.level != RegionLevel.VILLAGE:
        raise ValidationError(
            _("A person lives in a village (desa/kelurahan), not in %(region)s.") % {"region": region.name}
        )


def _check_person(data: PersonData, *, acting_user: Any, excluding: int | None = None) -> str | None:
    check_village(data.village)
    if data.family_card and (len(data.family_card) != 16 or not data.family_card.isdigit()):
        raise ValidationError(_("A family card number (No. KK) is exactly 16 digits."), code="kk_format")
    if data.birth_date and data.birth_date > timezone.localdate():
        raise ValidationError(_("The birth date is in the future."), code="birth_date_future")
    if not data.nik:
        return None
    check_nik(data.nik, sex=data.sex, birth_date=data.birth_date)
    others = Person.objects.filter(nik=data.nik)
    if excluding is not None:
        others = others.exclude(pk=excluding)
    existing = others.first()
    if existing is not None:
        raise duplicate_nik(existing, acting_user)
    return data.nik


def register_person(
    data: PersonData,
    *,
    categories: Sequence[str] = (),
    conditions: str = "",
    checklists: Mapping[str, Sequence[int]] | None = None,
    acting_user: Any,
) -> Person:
    """A new person, optionally with PPKS records (each with the conditions ticked of
    its type, by code, in `checklists`); a NIK already held raises `DuplicateNik`."""
    require_mapper(acting_user, data.village.code)
    check_fit(categories, birth_date=data.birth_date, sex=data.sex)
    nik = _check_person(data, acting_user=acting_user)
    if data.family_card:
        household = Household.objects.filter(family_card=data.family_card).first()
        if household is not None and acting_user is not None and not policy.can_map(acting_user, household.village_id):
            raise FamilyCardElsewhere(household)
    with transaction.atomic():
        person = Person(**{**data.__dict__, "nik": nik})
        person.created_by = acting_user
        stamp(person, acting_user, _("Registered"))
        try:
            with transaction.atomic():
                person.save()
        except IntegrityError:
            raise duplicate_nik(Person.objects.get(nik=nik), acting_user) from None
        if data.family_card:
            household = Household.objects.filter(family_card=data.family_card).first()
            if household is None:
                household = _create_household(data.family_card, data.village, data.address, acting_user)
            has_head = household.members.filter(household_relation=Relation.HEAD).exists()
            join_household(
                person, household, relation=Relation.OTHER if has_head else Relation.HEAD, acting_user=acting_user
            )
        for category in categories:
            report_ppks(
                person=person,
                category=category,
                conditions=conditions,
                checklist=(checklists or {}).get(category, ()),
                acting_user=acting_user,
            )
    return person


def update_person(
    person: Person, data: PersonData, *, acting_user: Any, reason: str = "", expected_version: str | None = None
) -> Person:
    """Correct a person's data. A change of village is a move: use `move_person`.
    `expected_version`: the version the editor's form was opened at (`StaleVersion`
    when the person changed since)."""
    require_mapper(acting_user, person.village_id)
    if data.village.code != person.village_id:
        raise ValidationError(_("To change the village, record a move."), code="use_move")
    nik = _check_person(data, acting_user=acting_user, excluding=person.pk)
    if person.nik and not nik:
        raise ValidationError(_("A recorded NIK cannot be removed; correct it instead."), code="nik_removed")
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        check_version(person, expected_version)
        for name, value in data.__dict__.items():
            setattr(person, name, value)
        person.nik = nik
        stamp(person, acting_user, reason or _("Corrected"))
        try:
            with transaction.atomic():
                person.save()
        except IntegrityError:
            raise duplicate_nik(Person.objects.get(nik=nik), acting_user) from None
    return person


def _create_household(family_card: str, village: Region, address: str, acting_user: Any) -> Household:
    household = Household(family_card=family_card, village=village, address=address)
    stamp(household, acting_user, _("Registered"))
    household.save()
    return household


def join_household(person: Person, household: Household, *, relation: str, acting_user: Any) -> Person:
    """Make `person` a member of `household` (leaving any other: a person has one)."""
    require_mapper(acting_user, household.village_id)
    require_mapper(acting_user, person.village_id)
    if person.village_id != household.village_id:
        raise ValidationError(
            _("%(name)s lives in another village than this household; record a move first.")
            % {"name": person.full_name},
            code="household_village",
        )
    if (
        relation == Relation.HEAD
        and household.members.filter(household_relation=Relation.HEAD).exclude(pk=person.pk).exists()
    ):
        raise ValidationError(_("This household already has a head."), code="head_taken")
    person.household = household
    person.household_relation = relation
    stamp(person, acting_user, gettext_noop("Joined a household"))  # which one: the row's household
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        raise ValidationError(_("This household already has a head."), code="head_taken") from None
    return person


def leave_household(person: Person, *, acting_user: Any) -> Person:
    require_mapper(acting_user, person.village_id)
    person.household = None
    person.household_relation = ""
    stamp(person, acting_user, _("Left the household"))
    person.save()
    return person


def _move_records(records: Iterable[PpksRecord], village: Region, acting_user: Any, reason: str) -> None:
    for record in records:
        record.region = village
        stamp(record, acting_user, reason)
        record.save()


def _start_move(
    subject: Person | Household, village: Region, *, already: str, reason: str, acting_user: Any
) -> tuple[Person | Household, Region, Move]:
    """Check and lock `subject`, record its `Move` to `village`, and set its village."""
    require_mapper(acting_user, subject.village_id)
    require_mapper(acting_user, village.code)
    check_village(village)
    if village.code == subject.village_id:
        raise ValidationError(already, code="same_village")
    subject = type(subject).objects.select_for_update().get(pk=subject.pk)
    origin = subject.village
    which = "person" if isinstance(subject, Person) else "household"
    move = Move.objects.create(
        **{which: subject},
        from_village=origin,
        to_village=village,
        reason=reason,
        acting_user=acting_user,
        at=timezone.now(),
    )
    subject.village = village
    stamp(subject, acting_user, _("Moved to %(village)s") % {"village": village.name})
    return subject, origin, move


def move_person(person: Person, village: Region, *, reason: str = "", acting_user: Any) -> Move:
    """One recorded action: the person lives in `village` now, their PPKS records follow
    them, and they leave a household that stays behind."""
    already = _("%(name)s already lives there.") % {"name": person.full_name}
    with transaction.atomic():
        moved, origin, move = _start_move(person, village, already=already, reason=reason, acting_user=acting_user)
        assert isinstance(moved, Person)
        moved.household, moved.household_relation = None, ""
        moved.save()
        _move_records(moved.ppks_records.all(), village, acting_user, _("Moved with the person"))
        refresh_districts([origin.code, village.code])
    return move


def move_household(household: Household, village: Region, *, reason: str = "", acting_user: Any) -> Move:
    """One recorded action: the household and all its current members move."""
    already = _("The household already lives there.")
    with transaction.atomic():
        moved, origin, move = _start_move(household, village, already=already, reason=reason, acting_user=acting_user)
        assert isinstance(moved, Household)
        moved.save()
        note = _("Moved with the household")
        _move_records(moved.ppks_records.all(), village, acting_user, note)
        for member in moved.members.all():
            member.village = village
            stamp(member, acting_user, note)
            member.save()
            _move_records(member.ppks_records.all(), village, acting_user, note)
        refresh_districts([origin.code, village.code])
    return move


def check_fit(categories: Iterable[str], *, birth_date: datetime.date | None, sex: str) -> None:
    """Refuse, naming the type's ages, PPKS types the person is too young or too old
    for (or of the wrong sex for); all of them at once."""
    today = timezone.localdate()
    problems = [
        problem
        for category in categories
        if category in PPKS_TYPES
        and (problem := ppks.refusal(category, birth_date=birth_date, sex=sex, on=today)) is not None
    ]
    if problems:
        raise ValidationError(problems, code="ppks_age")


def report_ppks(
    *,
    category: str,
    person: Person | None = None,
    household: Household | None = None,
    conditions: str = "",
    checklist: Sequence[int] = (),
    acting_user: Any,
) -> PpksRecord:
    """Map a person or a household as one PPKS type: a record in status dilaporkan,
    with the type's conditions ticked (`checklist`, their numbers). A person outside
    the type's ages is refused with a message that names them."""
    if (person is None) == (household is None):
        raise ValueError("a PPKS record is for a person or for a household")
    subject: Person | Household = person or household  # type: ignore[assignment]
    require_mapper(acting_user, subject.village_id)
    if category not in PPKS_TYPES:
        raise ValidationError(_("%(value)s is not a PPKS type.") % {"value": category}, code="ppks_type")
    if person is not None and person.merged_into_id:
        raise ValidationError(_("This person was merged into another; record it there."), code="merged")
    if person is not None:
        check_fit([category], birth_date=person.birth_date, sex=person.sex)
    unknown = set(checklist) - PPKS_TYPES[category].condition_numbers()
    if unknown:
        raise ValidationError(
            _("%(type)s has no condition %(numbers)s.")
            % {"type": PPKS_TYPES[category].name, "numbers": ", ".join(map(str, sorted(unknown)))},
            code="ppks_checklist",
        )
    existing = PpksRecord.objects.filter(category=category, person=person, household=household).first()
    if existing is not None:
        raise ValidationError(
            _("%(subject)s is already mapped as %(type)s (%(status)s).")
            % {"subject": subject, "type": PPKS_TYPES[category].name, "status": existing.get_status_display()},
            code="ppks_exists",
        )
    now = timezone.now()
    with transaction.atomic():
        record = PpksRecord(
            person=person,
            household=household,
            category=category,
            region_id=subject.village_id,
            conditions=conditions,
            checklist=sorted(set(checklist)),
            status=PpksStatus.REPORTED,
            source=RecordSource.FORM,
            reported_by=acting_user,
            reported_at=now,
            status_changed_at=now,
        )
        stamp(record, acting_user, _("Mapped"))
        record.save()
        refresh_districts([record.region_id])
    return record


def _check_step(record: PpksRecord, to_status: str, reason: str, acting_user: Any) -> None:
    if to_status not in ALLOWED_MOVES[record.status]:
        raise ValidationError(
            _("A record that is %(from)s cannot become %(to)s.")
            % {"from": record.get_status_display().lower(), "to": PpksStatus(to_status).label.lower()},
            code="illegal_move",
        )
    if to_status in (PpksStatus.VERIFIED, PpksStatus.REJECTED):
        require_verifier(acting_user, record.region_id)
        _require(
            not policy.reported(acting_user, record),
            _("Nobody verifies a record they reported: another verifier must check it."),
        )
    else:
        require_mapper(acting_user, record.region_id)
    if to_status == PpksStatus.REJECTED and not reason.strip():
        raise ValidationError(_("Say why the record is rejected."), code="reason_required")


def change_status(record: PpksRecord, to_status: str, *, reason: str = "", acting_user: Any) -> PpksRecord:
    """One step of a record's lifecycle (`ALLOWED_MOVES`), with its event."""
    return change_statuses([record], to_status, reason=reason, acting_user=acting_user)[0]


def change_statuses(
    records: Sequence[PpksRecord], to_status: str, *, reason: str = "", acting_user: Any
) -> list[PpksRecord]:
    """The same step for several records (the verification queue's bulk action): all of
    them or, if any cannot take it, none."""
    now = timezone.now()
    with transaction.atomic():
        locked = list(
            PpksRecord.objects.select_for_update().filter(pk__in=[record.pk for record in records]).order_by("pk")
        )
        for record in locked:
            _check_step(record, to_status, reason, acting_user)
        for record in locked:
            PpksEvent.objects.create(
                record=record,
                from_status=record.status,
                to_status=to_status,
                reason=reason.strip(),
                acting_user=acting_user,
                at=now,
            )
            record.status = to_status
            record.status_reason = reason.strip()
            record.status_changed_at = now
            stamp(record, acting_user, reason.strip() or str(PpksStatus(to_status).label))
            record.save()
            if to_status == PpksStatus.REJECTED and record.reported_by is not None:
                notices.notify(
                    [record.reported_by],
                    NoticeKind.PPKS_REJECTED,
                    url=_subject_url(record),
                    params={"record": record.pk, "reason": reason.strip()},
                    excluding=acting_user,
                )
        refresh_districts({record.region_id for record in locked})
    return locked


def _subject_url(record: PpksRecord) -> str:
    if record.person_id is not None:
        return reverse("beneficiaries:person-detail", args=[record.person_id])
    return reverse("beneficiaries:household-detail", args=[record.household_id])


def _pair(first: Person, second: Person) -> tuple[Person, Person]:
    return (first, second) if first.pk < second.pk else (second, first)


def mark_not_duplicate(first: Person, second: Person, *, acting_user: Any) -> DuplicateDecision:
    require_verifier(acting_user, first.village_id)
    require_verifier(acting_user, second.village_id)
    low, high = _pair(first, second)
    decision, _created = DuplicateDecision.objects.get_or_create(
        first=low, second=high, defaults={"acting_user": acting_user, "at": timezone.now()}
    )
    return decision
