"""`{{ engagement.kind|kind_name }}`: a pillar's kind as people say it ("Karang Taruna",
"PSM"), never its stored code."""

from django import template

from pilar.workforce.kinds import short_name

register = template.Library()


@register.filter
def kind_name(kind: str) -> str:
    return short_name(kind)
