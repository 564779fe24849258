import uuid

from django import template
from django.utils.html import format_html

from pilar.core.once import FIELD
from pilar.core.versions import FIELD as VERSION_FIELD

register = template.Library()


@register.simple_tag
def once_field() -> str:
    """A create form's one-time key (`pilar.core.once`), fresh each time it is shown."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, uuid.uuid4())


@register.simple_tag
def version_field(version: str) -> str:
    """The version of the record an edit form was opened at (`pilar.core.versions`)."""
    return format_html('<input type="hidden" name="{}" value="{}">', VERSION_FIELD, version)
