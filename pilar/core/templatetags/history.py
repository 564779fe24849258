"""`{{ entry.history_change_reason|reason }}`: a reason Pilar wrote, in the reader's
language; a reason a person typed, as typed (see pilar.core.history)."""

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.filter
def reason(text: str | None) -> str:
    return gettext(text) if text else ""
