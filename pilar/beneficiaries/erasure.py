"""Erasure of a person (UU PDP 27/2022 art. 8 and 43): at their request, or when the
retention period after their last activity has passed (pilar.beneficiaries.retention).

The person is anonymised, not deleted: their row, their PPKS records and their cases
stay, so that every recap counts them as before, but nothing that says who they were
remains anywhere Pilar keeps data:

- their identity (name, NIK, family card, birth place and date, address, phone,
  guardian, notes), in the record and in every history row of it; a household they
  lived in alone loses its family card and address, one they shared is left;
- the free text of their PPKS records, cases, timelines, referrals, moves, transfer
  requests, consents and requests, with the history rows of each; the attachments of
  their cases and the photos of their consent forms, files and rows;
- people merged into them (the same person, recorded twice);
- their name and NIK where other records of their regency wrote them (activities,
  monthly reports, other people's cases and notes), replaced by the REDACTED mark;
- the searches of the access log that named them (its rows stay: who read what);
- the stored export files that held them, and the uploaded import files that did;
- the saved answers of one-time keys that carried them.

It is refused, with the reason, while a case of theirs is open or a legal obligation
to keep the record is recorded (`Person.legal_hold`). Every erasure and refusal is a
SubjectRequest of the register. Backups age out with their schedule (README)."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from pilar.activities.models import Activity, MonthlyReport, ReportEvent
from pilar.audit.models import AccessAction, AccessedRecord, AccessLog
from pilar.beneficiaries.models import (
    Consent,
    Household,
    Move,
    Person,
    PersonTransfer,
    PpksEvent,
    PpksRecord,
    SubjectRequest,
    SubjectRequestKind,
    SubjectRequestStatus,
)
from pilar.beneficiaries.subject_rights import require_handler
from pilar.cases.models import OPEN_STATUSES, Attachment, Case, CaseEvent, Referral
from pilar.core.history import stamp
from pilar.core.models import IdempotencyKey
from pilar.core.search import SEARCH
from pilar.exports.models import Export, ExportStatus
from pilar.exports.services import expire
from pilar.imports.models import Upload
from pilar.imports.reading import TableError, read_raw

ERASURE_GROUND = "UU 27/2022 pasal 8"
REDACTED = "*dihapus*"  # URL-safe: it replaces searches in the access log too

# The identity of a person; blanked (None where the column allows it) in the record
# and every history row of it.
IDENTITY = {
    "nik": None,
    "family_card": "",
    "full_name": "",
    "birth_place": "",
    "birth_date": None,
    "address": "",
    "phone": "",
    "guardian_id": None,
    "guardian_relation": "",
    "notes": "",
}
# The person's own records: their free text, blanked in the record and its history.
OWN_TEXT: list[tuple[type[models.Model], str, tuple[str, ...]]] = [
    (PpksRecord, "person", ("conditions", "status_reason")),
    (Case, "person", ("summary", "needs")),
    (CaseEvent, "case__person", ("text", "place", "next_step")),
    (Referral, "case__person", ("reason", "answer")),
    (PpksEvent, "record__person", ("reason",)),
    (Move, "person", ("reason",)),
    (PersonTransfer, "person", ("reason", "decision_note")),
    (Consent, "person", ("witness", "covers", "withdrawal_note")),
    (SubjectRequest, "person", ("note",)),
]
# Where other records of the regency may name the person: (model, region path, fields).
NAMED_IN: list[tuple[type[models.Model], str, tuple[str, ...]]] = [
    (Person, "village__code", ("notes",)),
    (PpksRecord, "region__code", ("conditions", "status_reason")),
    (Case, "region__code", ("summary", "needs")),
    (CaseEvent, "case__region__code", ("text", "place", "next_step")),
    (Referral, "case__region__code", ("reason", "answer")),
    (Activity, "region__code", ("title", "place", "notes")),
    (MonthlyReport, "engagement__region__code", ("narrative", "review_comment")),
    (ReportEvent, "report__engagement__region__code", ("comment",)),
]
MIN_NAME_LENGTH = 4  # shorter names are not looked for in other records' text


def refusals(person: Person) -> list[str]:
    """Why `person` may not be erased now (empty: they may)."""
    reasons = []
    open_cases = list(Case.objects.filter(person=person, status__in=OPEN_STATUSES).values_list("pk", flat=True))
    if open_cases:
        reasons.append(
            _("A case of this person is still open (%(cases)s): close it first.")
            % {"cases": ", ".join(f"#{number}" for number in open_cases)}
        )
    if person.legal_hold:
        reasons.append(_("The record must be kept by law: %(ground)s") % {"ground": person.legal_hold})
    return reasons


def request_erasure(person: Person, *, note: str, acting_user: Any, ground: str = ERASURE_GROUND) -> SubjectRequest:
    """Record the person's request and carry it out, or refuse it with the reason; the
    request, granted or refused, is in the register either way."""
    require_handler(acting_user, person)
    if not note.strip():
        raise ValidationError({"note": _("Say what the person asked and how they were identified.")})
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        now = timezone.now()
        request = SubjectRequest(
            person=locked,
            kind=SubjectRequestKind.ERASURE,
            note=note.strip(),
            legal_ground=ground,
            requested_at=now,
            recorded_by=acting_user,
            decided_at=now,
            decided_by=acting_user,
        )
        reasons = refusals(locked)
        if reasons:
            request.status = SubjectRequestStatus.REFUSED
            request.decision = " ".join(reasons)
            request.save()
            return request
        request.status = SubjectRequestStatus.GRANTED
        request.decision = _("The person was anonymised everywhere; the recaps still count them.")
        request.save()
        erase(locked, acting_user=acting_user)
    return request


def erase(person: Person, *, acting_user: Any) -> None:
    """Anonymise `person` and everything that says who they were (the module's list).
    Inside the caller's transaction; the caller checked `refusals`."""
    people = _with_merged(person)
    names = {value for value in (row.full_name.strip() for row in people) if len(value) >= MIN_NAME_LENGTH}
    niks = {row.nik for row in people if row.nik}
    ids = [row.pk for row in people]
    # In the typed reasons of their own history, every number that identifies them too.
    pattern = _pattern(names | niks | {value for row in people for value in (row.family_card, row.phone) if value})
    _redact_elsewhere(person, names | niks, ids)
    _forget_searches(names)
    _forget_answers(names | niks)
    _drop_export_files(ids)
    _drop_uploads(person, names, niks)
    for attachment in Attachment.objects.filter(case__person_id__in=ids):
        attachment.file.delete(save=False)
    Attachment.objects.filter(case__person_id__in=ids).delete()
    for consent in Consent.objects.filter(person_id__in=ids).exclude(form_photo=""):
        consent.form_photo.delete(save=False)
    for model, path, fields in OWN_TEXT:
        blank = dict.fromkeys(fields, "")
        if model is Consent:
            blank["form_photo"] = ""
        model._default_manager.filter(**{f"{path}_id__in": ids}).update(**blank)
        if hasattr(model, "history"):
            rows = _history_rows(model, path, ids)
            rows.update(**blank)
            _redact_reasons(rows, pattern)
    _forget_households(people)
    now = timezone.now()
    own_history = Person.history.model.objects.filter(id__in=ids)
    own_history.update(**IDENTITY, household_id=None, erased_at=now)
    _redact_reasons(own_history, pattern)
    for row in people:
        for name, value in IDENTITY.items():
            setattr(row, name, value)
        row.erased_at = now
        row.household = None
        row.household_relation = ""
        stamp(row, acting_user, gettext_noop("Erased"))
        row.save()


def _with_merged(person: Person) -> list[Person]:
    """`person` and everyone merged into them, at any depth."""
    found = [person]
    frontier = [person.pk]
    while frontier:
        merged = list(Person.objects.select_for_update().filter(merged_into_id__in=frontier))
        found += merged
        frontier = [row.pk for row in merged]
    return found


def _history_rows(model: type[models.Model], path: str, ids: list[int]) -> models.QuerySet[Any]:
    """The history rows of the `model` rows whose `path` leads to one of `ids`."""
    first, _separator, rest = path.partition("__")
    if rest:
        target = model._meta.get_field(first).related_model
        ids = list(target._default_manager.filter(**{f"{rest}_id__in": ids}).values_list("pk", flat=True))  # type: ignore[union-attr]
    return model.history.model.objects.filter(**{f"{first}_id__in": ids})  # type: ignore[attr-defined]


def _redact_reasons(rows: models.QuerySet[Any], pattern: re.Pattern[str] | None) -> None:
    """A reason typed for a change (a correction's) may name the person."""
    if pattern is None:
        return
    for row in rows.exclude(history_change_reason="").exclude(history_change_reason__isnull=True):
        reason = pattern.sub(REDACTED, row.history_change_reason)
        if reason != row.history_change_reason:
            rows.model.objects.filter(pk=row.pk).update(history_change_reason=reason)


def _forget_households(people: list[Person]) -> None:
    """A household the person lived in alone is anonymised; a shared one is the
    family's, and the person leaves it."""
    ids = [row.pk for row in people]
    for household in Household.objects.filter(members__in=ids).distinct():
        if not household.members.exclude(pk__in=ids).filter(erased_at__isnull=True).exists():
            Household.objects.filter(pk=household.pk).update(family_card="", address="")
            Household.history.model.objects.filter(id=household.pk).update(family_card="", address="")


def _pattern(values: set[str]) -> re.Pattern[str] | None:
    if not values:
        return None
    alternatives = "|".join(re.escape(value) for value in sorted(values, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _within(path: str, person: Person) -> models.Q:
    """The person's regency (its code is the village code's first two parts)."""
    regency = ".".join(person.village_id.split(".")[:2])
    return models.Q(**{path: regency}) | models.Q(**{f"{path}__startswith": f"{regency}."})


def _redact_elsewhere(person: Person, values: set[str], ids: list[int]) -> None:
    pattern = _pattern(values)
    if pattern is None:
        return
    for model, path, fields in NAMED_IN:
        targets = [model._default_manager]
        history = getattr(model, "history", None)
        if history is not None:
            targets.append(history.model.objects)
        for manager in targets:
            mentions = models.Q()
            for field in fields:
                for value in values:
                    mentions |= models.Q(**{f"{field}__icontains": value})
            rows = manager.filter(_within(path, person)).filter(mentions)
            if model is Person:
                rows = rows.exclude(**{"id__in" if manager is not Person._default_manager else "pk__in": ids})
            for row in rows.only("pk", *fields):
                changed = {field: pattern.sub(REDACTED, getattr(row, field)) for field in fields}
                manager.filter(pk=row.pk).update(**changed)


def _forget_searches(names: set[str]) -> None:
    """The access log keeps who searched, when and what they were shown; a search that
    typed the person's name keeps the REDACTED mark in its place (NIKs are masked
    there already)."""
    if not names:
        return
    lowered = [name.lower() for name in names]
    candidates = models.Q()
    for name in names:
        for word in name.split():
            candidates |= models.Q(query__icontains=word)
    for entry in AccessLog.objects.filter(action=AccessAction.SEARCH).filter(candidates).only("pk", "query", "path"):
        params = parse_qsl(entry.query, keep_blank_values=True)
        changed = False
        for index, (key, value) in enumerate(params):
            if key == SEARCH and any(name in value.lower() for name in lowered):
                params[index] = (key, REDACTED)
                changed = True
        if changed:
            query = urlencode(params, safe="*")
            path = entry.path.split("?", 1)[0]
            AccessLog.objects.filter(pk=entry.pk).update(query=query, path=f"{path}?{query}")


def _forget_answers(values: set[str]) -> None:
    """A one-time key keeps the answer of its write, for a repeat; an answer that
    carried the person keeps only that it was answered."""
    if not values:
        return
    as_text = IdempotencyKey.objects.annotate(text=Cast("body", models.TextField()))
    mentions = models.Q()
    for value in values:
        mentions |= models.Q(text__icontains=value) | models.Q(text__icontains=json.dumps(value)[1:-1])
    as_text.filter(mentions).update(body=None)


def _drop_export_files(ids: list[int]) -> None:
    """An export file that held the person is deleted (its requester writes it again
    if they need it); the export stays, expired."""
    ready = {
        reverse("exports:export-detail", args=[export.pk]): export
        for export in Export.objects.filter(status=ExportStatus.READY)
    }
    if not ready:
        return
    paths = AccessedRecord.objects.filter(
        record_type=Person._meta.label,
        record_id__in=ids,
        entry__action=AccessAction.EXPORT,
        entry__path__in=list(ready),
    ).values_list("entry__path", flat=True)
    for path in set(paths):
        expire(ready[path])


def _drop_uploads(person: Person, names: set[str], niks: set[str]) -> None:
    """An uploaded people file that still holds the person is deleted, as the daily
    purge does; its row and report stay, with the person's values redacted."""
    lowered = {name.lower() for name in names} | niks
    regency = ".".join(person.village_id.split(".")[:2])
    province = regency.split(".")[0]
    uploads = Upload.objects.filter(kind="people").filter(
        models.Q(region__isnull=True) | models.Q(region_id__in=[province, regency]) | _within("region__code", person)
    )
    for upload in uploads:
        if upload.file and _holds(upload, lowered):
            upload.file.delete(save=False)
            Upload.objects.filter(pk=upload.pk).update(file="")
        report = json.dumps(upload.report, ensure_ascii=False)
        pattern = _pattern(names | niks)
        if pattern is not None and pattern.search(report):
            Upload.objects.filter(pk=upload.pk).update(report=json.loads(pattern.sub(REDACTED, report)))


def _holds(upload: Upload, values: set[str]) -> bool:
    try:
        with upload.file.open("rb") as stored:
            table = read_raw(stored.read(), upload.original_name)
    except (OSError, TableError):
        return True  # unreadable now: kept no longer than it must
    return any(str(cell).strip().lower() in values for _number, row in table.rows for cell in row)
