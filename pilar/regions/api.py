import django_filters
from django.db.models import QuerySet
from rest_framework import serializers, viewsets

from pilar.regions.converters import RegionCodeConverter
from pilar.regions.models import Region, RegionLevel


class RegionSerializer(serializers.ModelSerializer[Region]):
    class Meta:
        model = Region
        fields = ["code", "name", "level", "kind", "parent", "is_active"]


class RegionFilter(django_filters.FilterSet):
    level = django_filters.TypedChoiceFilter(choices=RegionLevel.choices, coerce=int)
    parent = django_filters.CharFilter(field_name="parent_id")
    q = django_filters.CharFilter(method="filter_name", label="Name contains (case- and accent-insensitive)")
    is_active = django_filters.BooleanFilter()

    class Meta:
        model = Region
        fields = ["level", "parent", "q", "is_active"]

    def filter_name(self, queryset: QuerySet[Region], name: str, value: str) -> QuerySet[Region]:
        return queryset.search(value)  # type: ignore[attr-defined]


class RegionViewSet(viewsets.ReadOnlyModelViewSet[Region]):
    """The official administrative areas. Master data: readable by every signed-in user."""

    queryset = Region.objects.all()
    serializer_class = RegionSerializer
    filterset_class = RegionFilter
    lookup_field = "code"
    lookup_value_regex = RegionCodeConverter.regex
