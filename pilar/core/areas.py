"""A form field for a region of the user's own area, chosen instead of typed.

Few places (a PSM's village, a TKSK's villages and kecamatan): a list to choose from,
the only one already chosen. Many (an operator's regency or province, the nation): a
text box that takes the region's code or its name, found inside the area (a name that
several regions share asks for the code, listing them). A region outside the area, or
of the wrong level, is an error beside the field, and nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from pilar.core.scoping import contains, within
from pilar.regions.models import Region, RegionLevel

MAX_CHOICES = 60


class AreaField(forms.CharField):
    def __init__(self, *, levels: Sequence[int], **kwargs: Any) -> None:
        super().__init__(max_length=150, **kwargs)
        self.levels = tuple(levels)
        self.roots: list[str | None] = []

    def limit_to(self, roots: Sequence[str | None]) -> None:
        """Only regions inside `roots` (None: the nation) are accepted; few of them
        become a list to choose from."""
        self.roots = list(roots)
        candidates = self._candidates()
        if None in self.roots or candidates.count() > MAX_CHOICES:
            self.help_text = _("The code or the name of the place.")
            return
        places = list(candidates.select_related("parent").order_by("level", "name"))
        self.widget = forms.Select(choices=[("", "—"), *[(place.code, _label(place)) for place in places]])
        self.help_text = ""
        if len(places) == 1:
            self.initial = places[0].code

    def _candidates(self) -> QuerySet[Region]:
        regions = Region.objects.filter(level__in=self.levels, is_active=True)
        if None in self.roots:
            return regions
        return regions.filter(within("code", [str(root) for root in self.roots]))

    def _inside(self, code: str) -> bool:
        return any(root is None or contains(root, code) for root in self.roots)

    def clean(self, value: Any) -> Region:
        text = str(super().clean(value)).strip()
        region = Region.objects.filter(code=text).first()
        if region is None:
            found = list(self._candidates().filter(name__iexact=text).select_related("parent")[:6])
            if len(found) > 1:
                raise forms.ValidationError(
                    _("Several places are called %(name)s: give the code of one of them (%(places)s).")
                    % {"name": text, "places": "; ".join(f"{_label(place)} {place.code}" for place in found[:5])}
                )
            region = found[0] if found else None
        if region is None:
            raise forms.ValidationError(_("No place %(text)s in your area.") % {"text": text})
        if region.level not in self.levels:
            raise forms.ValidationError(
                _("%(name)s is a %(level)s; choose a %(wanted)s.")
                % {
                    "name": region.name,
                    "level": region.get_level_display().lower(),
                    "wanted": " / ".join(str(label).lower() for value, label in _levels(self.levels)),
                }
            )
        if not self._inside(region.code):
            raise forms.ValidationError(_("%(name)s is outside your area.") % {"name": region.name})
        return region


def _levels(levels: Sequence[int]) -> list[tuple[int, str]]:
    return [(level, str(RegionLevel(level).label)) for level in levels]


def _label(place: Region) -> str:
    return f"{place.name} ({place.parent.name})" if place.parent_id and place.parent else place.name
