"""What the coverage map colours: one indicator for each child of a region (provinces
of the nation, regencies of a province, kecamatan of a regency), and which boundary
layer draws them. The boundaries are static files split per province
(`scripts/split_boundaries.py`); a regency's kecamatan come from its province's file.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _

from pilar.beneficiaries.ppks import PPKS_TYPES
from pilar.regions.models import Region, RegionLevel
from pilar.reports import pillars
from pilar.reports.cases import case_recap
from pilar.reports.ppks import ppks_recap

INDICATORS = {
    "psm": _("Villages with an active PSM (%)"),
    "ppks": _("PPKS records"),
    "ppks_per_village": _("PPKS records per village"),
    "cases": _("Open cases"),
}
# Indicators that a PPKS type narrows.
BY_TYPE = ("ppks", "ppks_per_village")


@dataclass
class MapArea:
    code: str
    name: str
    value: float


@dataclass
class MapData:
    region: Region | None
    indicator: str
    category: str
    layer_url: str
    layer_object: str
    # The shapes drawn, keyed by the boundary layer's codes, and the rows of the table
    # under the map (the same areas, except below a regency, see `map_data`).
    shapes: list[MapArea]
    areas: list[MapArea]
    is_percent: bool

    @property
    def drills_down(self) -> bool:
        """Whether a click on an area opens its own map (kecamatan have no smaller layer)."""
        return self.region is None or self.region.level < RegionLevel.REGENCY


def layer(region: Region | None) -> tuple[str, str]:
    if region is None:
        return static("pilar/maps/provinces.topo.json"), "provinces"
    if region.level == RegionLevel.PROVINCE:
        return static(f"pilar/maps/regencies-{region.code}.topo.json"), "regencies"
    return static(f"pilar/maps/districts-{region.code[:2]}.topo.json"), "districts"


def _figures(region: Region | None, indicator: str, category: str) -> tuple[MapArea, list[MapArea]]:
    """The indicator for `region` itself and for each of its children."""
    if indicator == "psm":
        coverage = pillars.coverage(region)
        lines = [coverage.total, *coverage.children]
        values = [(line.region, line.name, line.psm_percent) for line in lines]
    elif indicator == "cases":
        cases = case_recap(region)
        values = [(line.region, line.name, line.counts["open"]) for line in [cases, *cases.children]]
    else:
        recap = ppks_recap(region)
        values = [
            (line.region, line.name, line.counts[category] if category in PPKS_TYPES else line.total)
            for line in [recap, *recap.children]
        ]
        if indicator == "ppks_per_village":
            coverage = pillars.coverage(region)
            villages = [line.villages for line in [coverage.total, *coverage.children]]
            values = [
                (code, name, round(count / count_villages, 1) if count_villages else 0.0)
                for (code, name, count), count_villages in zip(values, villages, strict=True)
            ]
    own, *children = [MapArea(code or "", name, value) for code, name, value in values]
    return own, children


def map_data(region: Region | None, indicator: str, category: str = "") -> MapData:
    """A nation, a province or a regency is drawn as its children. A kecamatan or a
    village has no smaller layer: its kecamatan is drawn, coloured by the figure of the
    region itself, and the table lists its villages (for a village, the village)."""
    category = category if indicator in BY_TYPE and category in PPKS_TYPES else ""
    own, children = _figures(region, indicator, category)
    if region is None or region.level <= RegionLevel.REGENCY:
        shapes = areas = children
    else:
        district = region if region.level == RegionLevel.DISTRICT else region.parent
        assert district is not None
        shapes = [MapArea(district.code, own.name, own.value)]
        areas = children or [own]
    url, name = layer(region)
    return MapData(
        region=region,
        indicator=indicator,
        category=category,
        layer_url=url,
        layer_object=name,
        shapes=shapes,
        areas=areas,
        is_percent=indicator == "psm",
    )
