from typing import Any

from django.db import models


def stamp(instance: models.Model, acting_user: Any, reason: str) -> None:
    """Tell django-simple-history who makes the next save of `instance` and why."""
    instance._history_user = acting_user  # type: ignore[attr-defined]
    instance._change_reason = reason  # type: ignore[attr-defined]
