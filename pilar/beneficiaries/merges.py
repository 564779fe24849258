"""Merging two records of one person, and undoing it.

A merge carries everything: every reference to the merged person, found in the model
registry (so that a reference added by a later app cannot be forgotten), moves to the
survivor in the merge's transaction: PPKS records, cases (with their referrals and
attachments, which hang on the case), moves, transfers, consents, data-subject
requests, wards, people merged earlier, household membership. What stays is named in
STAYS with the reason. Each moved row's id is kept in `Merge.moved`, with what the
survivor took from the merged person, so that the merge can be undone exactly: by the
verifier who made it or by one with authority over them (accounts.policy), while both
people are still in the undoer's area."""

from __future__ import annotations

import datetime
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pilar.accounts.policy import can_manage_user
from pilar.beneficiaries import policy
from pilar.beneficiaries.models import DuplicateDecision, Merge, Person, PpksEvent, PpksRecord, PpksStatus
from pilar.beneficiaries.services import require_verifier
from pilar.beneficiaries.summaries import refresh_districts
from pilar.core.history import stamp

# References to a person that a merge leaves where they are, with the reason.
STAYS: dict[tuple[str, str], str] = {
    ("beneficiaries.Merge", "survivor"): "the log of merges says what happened",
    ("beneficiaries.Merge", "merged"): "the log of merges says what happened",
    ("beneficiaries.DuplicateDecision", "first"): "copied for the survivor (decisions_added), kept for the merged",
    ("beneficiaries.DuplicateDecision", "second"): "copied for the survivor (decisions_added), kept for the merged",
    ("beneficiaries.PpksRecord", "person"): "moved one by one: a type both hold is combined (merge_records)",
}
# Fields of the survivor filled from the merged person where the survivor's are empty.
FILLED = ("family_card", "birth_place", "birth_date", "address", "phone", "disability", "notes")


def person_references() -> list[tuple[type[models.Model], str]]:
    """Every foreign key to Person in the model registry, but history tables (the
    record of what was, never rewritten)."""
    return [
        (model, field.name)
        for model in apps.get_models()
        if not model.__name__.startswith("Historical")
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is Person
    ]


def moved_references() -> list[tuple[type[models.Model], str]]:
    return [(model, name) for model, name in person_references() if (model._meta.label, name) not in STAYS]


def _key(model: type[models.Model], name: str) -> str:
    return f"{model._meta.label}.{name}"


def _repoint(model: type[models.Model], name: str, ids: list[int], to: Person, acting_user: Any, reason: str) -> None:
    """Point `name` of the rows `ids` of `model` at `to`, with a history row where the
    model keeps history."""
    if hasattr(model, "history"):
        for row in model._default_manager.filter(pk__in=ids).order_by("pk"):
            setattr(row, name, to)
            stamp(row, acting_user, reason)
            row.save()
    else:
        model._default_manager.filter(pk__in=ids).update(**{name: to})


def _reject_as_duplicate(record: PpksRecord, kept: PpksRecord, acting_user: Any) -> None:
    note = _("Duplicate of record %(id)s") % {"id": kept.pk}
    now = timezone.now()
    PpksEvent.objects.create(
        record=record, from_status=record.status, to_status=PpksStatus.REJECTED, reason=note,
        acting_user=acting_user, at=now,
    )  # fmt: skip
    record.status, record.status_reason, record.status_changed_at = PpksStatus.REJECTED, note, now
    stamp(record, acting_user, note)
    record.save()


def merge_records(survivor: Person, duplicate: Person, acting_user: Any, reason: str) -> dict[str, Any]:
    """Move the duplicate's PPKS records to the survivor; a type both hold is combined:
    the survivor's record takes the duplicate's conditions and ticked criteria, and the
    duplicate's stays with the merged person, rejected as a duplicate so that it is
    counted once. What was done, for an undo."""
    done: dict[str, Any] = {"ppks_records": [], "combined_records": {}}
    survivor_types = dict(survivor.ppks_records.values_list("category", "pk"))
    for record in duplicate.ppks_records.order_by("pk"):
        if record.category in survivor_types:
            kept = PpksRecord.objects.select_for_update().get(pk=survivor_types[record.category])
            done["combined_records"][str(record.pk)] = {
                "kept": kept.pk,
                "kept_conditions": kept.conditions,
                "kept_checklist": list(kept.checklist),
                "status": record.status,
                "status_reason": record.status_reason,
                "status_changed_at": record.status_changed_at.isoformat(),
            }
            kept.conditions = "\n".join(part for part in (kept.conditions, record.conditions) if part)
            kept.checklist = sorted(set(kept.checklist) | set(record.checklist))
            stamp(kept, acting_user, reason)
            kept.save()
            if record.status != PpksStatus.REJECTED:
                _reject_as_duplicate(record, kept, acting_user)
            continue
        record.person, record.region_id = survivor, survivor.village_id
        stamp(record, acting_user, reason)
        record.save()
        done["ppks_records"].append(record.pk)
    return done


def _lock(*people: Person) -> list[Person]:
    locked = {person.pk: person for person in Person.objects.select_for_update().filter(pk__in=[p.pk for p in people])}
    return [locked[person.pk] for person in people]


def merge_people(survivor: Person, duplicate: Person, *, acting_user: Any) -> Merge:
    """`duplicate` is `survivor`: every reference to the duplicate moves to the
    survivor (see the module), the survivor's empty fields are filled from the
    duplicate, and the duplicate stays (merged_into) with its history. Recorded as a
    `Merge` that can be undone (`undo_merge`)."""
    require_verifier(acting_user, survivor.village_id)
    require_verifier(acting_user, duplicate.village_id)
    if survivor.pk == duplicate.pk:
        raise ValidationError(_("A person cannot be merged with themselves."), code="merge_self")
    if survivor.nik and duplicate.nik and survivor.nik != duplicate.nik:
        raise ValidationError(
            _("Both people have a NIK and the NIKs differ: they are two people."), code="merge_two_niks"
        )
    if duplicate.merged_into_id or survivor.merged_into_id:
        raise ValidationError(_("One of them was already merged."), code="merged")
    reason = _("Merged: %(merged)s into %(survivor)s") % {"merged": duplicate.pk, "survivor": survivor.pk}
    with transaction.atomic():
        survivor, duplicate = _lock(survivor, duplicate)
        moved: dict[str, Any] = merge_records(survivor, duplicate, acting_user, reason)
        for model, name in moved_references():
            ids = list(model._default_manager.filter(**{name: duplicate}).order_by("pk").values_list("pk", flat=True))
            if ids:
                moved[_key(model, name)] = ids
                _repoint(model, name, ids, survivor, acting_user, reason)
        moved["decisions_added"] = _copy_decisions(survivor, duplicate, acting_user)
        moved["duplicate"] = {
            "nik": duplicate.nik,
            "household": duplicate.household_id,
            "household_relation": duplicate.household_relation,
        }
        if survivor.household_id is None and duplicate.household_id is not None:
            moved["household"] = [duplicate.household_id]
            survivor.household_id, survivor.household_relation = duplicate.household_id, duplicate.household_relation
        duplicate.household, duplicate.household_relation = None, ""
        nik = duplicate.nik
        duplicate.nik = None
        duplicate.merged_into = survivor
        stamp(duplicate, acting_user, reason)
        duplicate.save()
        moved["filled"] = [name for name in FILLED if not getattr(survivor, name) and getattr(duplicate, name)]
        for name in moved["filled"]:
            setattr(survivor, name, getattr(duplicate, name))
        if nik and not survivor.nik:
            survivor.nik = nik
            moved["filled"].append("nik")
        stamp(survivor, acting_user, reason)
        survivor.save()
        merge = Merge.objects.create(
            survivor=survivor, merged=duplicate, moved=moved, acting_user=acting_user, at=timezone.now()
        )
        refresh_districts({survivor.village_id, duplicate.village_id})
    return merge


def _copy_decisions(survivor: Person, duplicate: Person, acting_user: Any) -> list[int]:
    """'Not the same person' decisions about the duplicate hold for the survivor too."""
    added = []
    decisions = DuplicateDecision.objects.filter(models.Q(first=duplicate) | models.Q(second=duplicate))
    for decision in decisions:
        other = decision.second_id if decision.first_id == duplicate.pk else decision.first_id
        if other == survivor.pk:
            continue
        low, high = sorted((survivor.pk, other))
        copy, created = DuplicateDecision.objects.get_or_create(
            first_id=low, second_id=high, defaults={"acting_user": acting_user, "at": timezone.now()}
        )
        if created:
            added.append(copy.pk)
    return added


def can_undo(user: Any, merge: Merge) -> bool:
    """The verifier who made the merge, or one with authority over them, while both
    people are in their area; once."""
    if merge.undone_at is not None or user is None or "duplicate" not in merge.moved:
        return False  # merges recorded before undo existed lack what an undo needs
    if not all(policy.can_verify(user, person.village_id) for person in (merge.survivor, merge.merged)):
        return False
    return merge.acting_user_id == user.pk or (
        merge.acting_user is not None and can_manage_user(user, merge.acting_user)
    )


def undo_merge(merge: Merge, *, acting_user: Any) -> Merge:
    """Both people as they were before `merge`: every moved reference back to the
    merged person, the survivor's filled fields emptied again (those nobody changed
    since), combined records separated, the merged person's NIK and household back."""
    if not can_undo(acting_user, merge):
        raise PermissionDenied(_("Only who made the merge, or their supervisor, undoes it."))
    with transaction.atomic():
        merge = Merge.objects.select_for_update().get(pk=merge.pk)
        if merge.undone_at is not None:
            raise ValidationError(_("This merge was undone already."), code="undone")
        survivor, duplicate = _lock(merge.survivor, merge.merged)
        moved = merge.moved
        reason = _("Merge undone: %(merged)s out of %(survivor)s") % {"merged": duplicate.pk, "survivor": survivor.pk}
        for model, name in moved_references():
            ids = moved.get(_key(model, name), [])
            if ids:
                _repoint(model, name, ids, duplicate, acting_user, reason)
        for record in PpksRecord.objects.filter(pk__in=moved.get("ppks_records", [])).order_by("pk"):
            record.person, record.region_id = duplicate, duplicate.village_id
            stamp(record, acting_user, reason)
            record.save()
        _separate(moved.get("combined_records", {}), acting_user, reason)
        DuplicateDecision.objects.filter(pk__in=moved.get("decisions_added", [])).delete()
        before = moved.get("duplicate", {})
        for name in moved.get("filled", []):
            if getattr(survivor, name) == getattr(duplicate, name) or name == "nik":
                setattr(survivor, name, None if name in {"nik", "birth_date"} else "")
        if "household" in moved:
            survivor.household_id, survivor.household_relation = None, ""
        stamp(survivor, acting_user, reason)
        survivor.save()
        duplicate.merged_into = None
        duplicate.nik = before.get("nik")
        duplicate.household_id = before.get("household")
        duplicate.household_relation = before.get("household_relation", "")
        stamp(duplicate, acting_user, reason)
        duplicate.save()
        merge.undone_at, merge.undone_by = timezone.now(), acting_user
        merge.save(update_fields=["undone_at", "undone_by"])
        refresh_districts({survivor.village_id, duplicate.village_id})
    return merge


def _separate(combined: dict[str, Any], acting_user: Any, reason: str) -> None:
    """Records of one type that a merge combined, apart again as they were."""
    for record_id, before in combined.items():
        kept = PpksRecord.objects.get(pk=before["kept"])
        kept.conditions, kept.checklist = before["kept_conditions"], before["kept_checklist"]
        stamp(kept, acting_user, reason)
        kept.save()
        record = PpksRecord.objects.get(pk=int(record_id))
        if record.status != before["status"]:
            PpksEvent.objects.create(
                record=record, from_status=record.status, to_status=before["status"], reason=reason,
                acting_user=acting_user, at=timezone.now(),
            )  # fmt: skip
            record.status, record.status_reason = before["status"], before["status_reason"]
            record.status_changed_at = datetime.datetime.fromisoformat(before["status_changed_at"])
            stamp(record, acting_user, reason)
            record.save()
