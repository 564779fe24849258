from __future__ import annotations

from typing import Self

from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from pilar.core.fields import RegionCodeField
from pilar.regions.text import fold


class RegionLevel(models.IntegerChoices):
    PROVINCE = 1, _("Province")
    REGENCY = 2, _("Regency/city")
    DISTRICT = 3, _("Kecamatan")
    VILLAGE = 4, _("Village")


class RegionKind(models.TextChoices):
    PROVINCE = "provinsi", _("Provinsi")
    REGENCY = "kabupaten", _("Kabupaten")
    CITY = "kota", _("Kota")
    DISTRICT = "kecamatan", _("Kecamatan")
    VILLAGE = "desa", _("Desa")
    URBAN_VILLAGE = "kelurahan", _("Kelurahan")
    CUSTOMARY_VILLAGE = "desa_adat", _("Desa adat")


class RegionQuerySet(models.QuerySet["Region"]):
    def active(self) -> Self:
        return self.filter(is_active=True)

    def search(self, query: str) -> Self:
        folded = fold(query)
        if not folded:
            return self.none()
        return self.filter(search_name__contains=folded)

    def with_children_count(self) -> Self:
        return self.annotate(children_count=Count("children", filter=models.Q(children__is_active=True)))


class Region(models.Model):
    """An official administrative area. The primary key is its dotted Kemendagri code,
    so every record that belongs to a place carries the code itself and can be scoped
    by prefix without a join."""

    code = RegionCodeField(primary_key=True, verbose_name=_("code"))
    level = models.PositiveSmallIntegerField(choices=RegionLevel.choices, verbose_name=_("level"))
    kind = models.CharField(max_length=12, choices=RegionKind.choices, verbose_name=_("kind"))
    name = models.CharField(max_length=120, verbose_name=_("name"))
    search_name = models.CharField(max_length=120, editable=False, db_index=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent"),
    )
    is_active = models.BooleanField(default=True, verbose_name=_("active"))

    objects = RegionQuerySet.as_manager()

    # Regions are written only by `pilar.regions.loading` (the official list), which
    # sets `kind` and `search_name` through `build_region`.

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        indexes = [models.Index(fields=["level", "code"], name="region_level_code")]
        constraints = [
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=4), name="region_level_1_to_4"),
            models.CheckConstraint(
                condition=models.Q(level=1, parent__isnull=True) | models.Q(level__gt=1, parent__isnull=False),
                name="region_parent_iff_below_province",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def ancestor_codes(self) -> list[str]:
        """Codes from the province down to the parent: `18.01.01` gives `18`, `18.01`."""
        parts = self.code.split(".")
        return [".".join(parts[:depth]) for depth in range(1, len(parts))]

    def ancestors(self) -> list[Region]:
        codes = self.ancestor_codes()
        by_code = Region.objects.in_bulk(codes)
        return [by_code[code] for code in codes if code in by_code]

    @property
    def child_level_label(self) -> str:
        if self.level >= RegionLevel.VILLAGE:
            return ""
        return str(RegionLevel(self.level + 1).label)
