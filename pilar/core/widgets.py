"""Form widgets every Pilar form shares."""

from typing import Any

from django import forms


class DateInput(forms.DateInput):
    """A browser date picker. Its value is always written ISO (2026-12-03): the input
    rejects any other form, and the Indonesian locale's own (03-12-2026) would leave
    the field empty on the page."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")
