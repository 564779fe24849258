"""Edits that never overwrite a change their author has not seen.

An edit form carries the version of the record it was opened at (`{% version_field
%}`): a digest of the record's stored values. The service that saves the edit locks
the record, compares that version with the record's own, and on a difference raises
`StaleVersion` with the record as it is now; the page then shows the form as the
editor filled it in next to the saved values (409), with the new version, so nothing
typed is lost and nothing is saved over someone else's change. The digest needs no
column: any save that changes a stored value changes it.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

FIELD = "version"


def version_of(instance: models.Model) -> str:
    """A digest of every stored value of `instance`."""
    values = [f"{field.attname}={field.value_to_string(instance)}" for field in instance._meta.concrete_fields]
    return hashlib.sha256("\x1f".join(values).encode()).hexdigest()[:20]


class StaleVersion(Exception):
    """The record changed after the form was opened; `current` is the record now."""

    def __init__(self, current: models.Model) -> None:
        super().__init__(_("Someone saved a change to this record after you opened the form."))
        self.current = current


def check_version(current: models.Model, expected: str | None) -> None:
    """Raise `StaleVersion` when `expected` (None: the caller does not check) is not
    the version of `current`, the record as locked for the save."""
    if expected is not None and expected != version_of(current):
        raise StaleVersion(current)


def side_by_side(form: Any, current: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """(label, what the editor sent, what is saved now) for the form's fields whose
    values differ, to show with a stale edit."""
    rows = []
    for name, field in form.fields.items():
        if name not in current or name == FIELD:
            continue
        sent = form.data.get(name, "")
        saved = current[name]
        if isinstance(saved, models.Model):
            saved = saved.pk  # a form sends a related record by its key (a region code, an id)
        saved_text = "" if saved is None else str(saved)
        if str(sent).strip() != saved_text.strip():
            rows.append((str(field.label or name), sent, saved_text))
    return rows
