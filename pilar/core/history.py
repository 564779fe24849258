"""Who changed a record and why, for django-simple-history.

A reason Pilar writes itself is stored as its English message, marked with
gettext_noop, and shown in the reader's language by the `reason` filter
(`{% load history %}{{ entry.history_change_reason|reason }}`); a reason a person typed
is stored and shown as typed."""

from typing import Any

from django.db import models

# django-simple-history's history_change_reason is a varchar of this length.
REASON_LENGTH = 100


def stamp(instance: models.Model, acting_user: Any, reason: str) -> None:
    """Tell django-simple-history who makes the next save of `instance` and why (a
    longer reason, such as an automatic escalation's rule, is cut to the column; the
    timeline's event keeps it whole)."""
    instance._history_user = acting_user  # type: ignore[attr-defined]
    if len(reason) > REASON_LENGTH:
        reason = reason[: REASON_LENGTH - 1] + "…"
    instance._change_reason = reason  # type: ignore[attr-defined]
