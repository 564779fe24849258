"""Consent as a record, and restriction of processing (UU PDP 27/2022 art. 9, 11,
20-22).

A consent says when, who took it, how (a signed form whose photo is kept, or verbal
before a named witness) and what it covers; recording one makes consent the person's
legal basis. Its withdrawal restricts processing at once. A restricted person leaves
every list, page, export and the field download of everyone but the Dinsos operators
of their area, who handle the request (`PersonQuerySet.visible_to`); the recaps still
count them, anonymously. Each restriction and its lifting is a recorded request."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from pilar.beneficiaries import policy
from pilar.beneficiaries.models import (
    Consent,
    ConsentMethod,
    LegalBasis,
    Person,
    SubjectRequest,
    SubjectRequestKind,
    SubjectRequestStatus,
    handles_restricted,
)
from pilar.cases.attachments import check_upload
from pilar.core import images
from pilar.core.history import stamp

RESTRICTION_GROUND = "UU 27/2022 pasal 11"
WITHDRAWAL_GROUND = "UU 27/2022 pasal 9"


def require_handler(acting_user: Any, person: Person) -> None:
    if not (handles_restricted(acting_user) and Person.objects.visible_to(acting_user).filter(pk=person.pk).exists()):
        raise PermissionDenied(_("Requests about personal data are handled by the Dinsos operators."))


def may_take_consent(acting_user: Any, person: Person) -> bool:
    return policy.can_map(acting_user, person.village_id) or handles_restricted(acting_user)


@transaction.atomic
def record_consent(
    person: Person,
    *,
    given_on: datetime.date,
    method: str,
    covers: str,
    witness: str = "",
    photo: Any = None,
    acting_user: Any,
) -> Consent:
    if not may_take_consent(acting_user, person):
        raise PermissionDenied(_("Only the workers and operators of the person's area record consent."))
    problems = {}
    if given_on > timezone.localdate():
        problems["given_on"] = _("The date is in the future.")
    if not covers.strip():
        problems["covers"] = _("Say what the consent covers.")
    if method == ConsentMethod.VERBAL and not witness.strip():
        problems["witness"] = _("Verbal consent needs the name of its witness.")
    stored = None
    if method == ConsentMethod.SIGNED_FORM:
        if photo is None:
            problems["form_photo"] = _("Attach the photo of the signed form.")
        else:
            try:
                content_type = check_upload(photo)
                if not images.is_image(content_type):
                    raise ValidationError(_("The photo must be a JPEG, PNG or WebP image."))
                stored = images.pixels_only(photo, content_type)
            except ValidationError as error:
                problems["form_photo"] = error.messages[0]
    if problems:
        raise ValidationError(problems)
    consent = Consent(
        person=person,
        given_on=given_on,
        taken_by=acting_user,
        method=method,
        witness=witness.strip(),
        covers=covers.strip(),
    )
    if stored is not None:
        consent.form_photo.save("persetujuan.jpg", stored, save=False)
    stamp(consent, acting_user, gettext_noop("Consent recorded"))
    consent.save()
    if person.legal_basis != LegalBasis.CONSENT:
        person.legal_basis = LegalBasis.CONSENT
        stamp(person, acting_user, gettext_noop("Consent recorded"))
        person.save(update_fields=["legal_basis", "updated_at"])
    return consent


@transaction.atomic
def withdraw_consent(consent: Consent, *, note: str, acting_user: Any) -> Consent:
    """The person withdraws their consent: recorded, and processing restricted."""
    locked = Consent.objects.select_for_update().get(pk=consent.pk)
    if not may_take_consent(acting_user, locked.person):
        raise PermissionDenied(_("Only the workers and operators of the person's area record consent."))
    if locked.withdrawn_on is not None:
        raise ValidationError(_("This consent was already withdrawn."), code="already_withdrawn")
    locked.withdrawn_on = timezone.localdate()
    locked.withdrawn_by = acting_user
    locked.withdrawal_note = note.strip()
    stamp(locked, acting_user, gettext_noop("Consent withdrawn"))
    locked.save()
    _restrict(locked.person, note=note or _("Consent withdrawn."), ground=WITHDRAWAL_GROUND, acting_user=acting_user)
    return locked


def granted(person: Person, *, kind: str, note: str, ground: str, decision: str, acting_user: Any) -> SubjectRequest:
    """A request recorded and granted at once by the operator at the desk."""
    now = timezone.now()
    return SubjectRequest.objects.create(
        person=person,
        kind=kind,
        status=SubjectRequestStatus.GRANTED,
        note=note,
        legal_ground=ground,
        requested_at=now,
        recorded_by=acting_user,
        decided_at=now,
        decided_by=acting_user,
        decision=decision,
    )


def _restrict(person: Person, *, note: str, ground: str, acting_user: Any) -> SubjectRequest:
    request = granted(
        person,
        kind=SubjectRequestKind.RESTRICTION,
        note=note,
        ground=ground,
        decision=_("Processing restricted: the person is hidden from all but the operators."),
        acting_user=acting_user,
    )
    now = request.decided_at
    if person.restricted_at is None:
        person.restricted_at = now
        stamp(person, acting_user, gettext_noop("Processing restricted"))
        person.save(update_fields=["restricted_at"])
    return request


@transaction.atomic
def restrict(person: Person, *, note: str, acting_user: Any) -> SubjectRequest:
    """The person asks that their data be no longer processed (pending a correction,
    an objection): recorded, and the person hidden from all but the operators."""
    require_handler(acting_user, person)
    if not note.strip():
        raise ValidationError({"note": _("Say what the person asked and why.")})
    return _restrict(person, note=note.strip(), ground=RESTRICTION_GROUND, acting_user=acting_user)


@transaction.atomic
def lift_restriction(person: Person, *, note: str, acting_user: Any) -> None:
    require_handler(acting_user, person)
    if person.restricted_at is None:
        raise ValidationError(_("Processing of this person is not restricted."), code="not_restricted")
    if not note.strip():
        raise ValidationError({"note": _("Say why the restriction ends.")})
    person.restricted_at = None
    stamp(person, acting_user, gettext_noop("Restriction lifted"))
    person.save(update_fields=["restricted_at"])
    SubjectRequest.objects.filter(
        person=person, kind=SubjectRequestKind.RESTRICTION, status=SubjectRequestStatus.GRANTED
    ).update(decision=_("Restriction lifted: %(note)s") % {"note": note.strip()})


@transaction.atomic
def set_legal_hold(person: Person, *, ground: str, acting_user: Any) -> None:
    """Record the legal obligation that keeps the person's record (erasure is refused
    and retention never proposes them while it is set); an empty ground ends it."""
    require_handler(acting_user, person)
    ground = ground.strip()
    if ground == person.legal_hold:
        return
    person.legal_hold = ground
    stamp(person, acting_user, gettext_noop("Kept by law") if ground else gettext_noop("No longer kept by law"))
    person.save(update_fields=["legal_hold", "updated_at"])
