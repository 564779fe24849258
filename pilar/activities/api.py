"""Activities and monthly reports over the API, scoped like the pages (reports are
logged as reads). `POST /activities/` records an activity with its photos (the field
write of `pilar.field.writes`, once per `Idempotency-Key`)."""

from __future__ import annotations

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from pilar.activities.models import Activity, MonthlyReport
from pilar.audit.api import LoggedReadOnlyViewSet
from pilar.core.once import once_per_api_key
from pilar.core.scoping import subtree
from pilar.field import writes
from pilar.field.api import sent


class ActivitySerializer(serializers.ModelSerializer[Activity]):
    participants = serializers.IntegerField(read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "kind",
            "title",
            "held_on",
            "region",
            "place",
            "organisers",
            "partners",
            "men",
            "women",
            "participants",
            "notes",
            "recorded_at",
        ]


class ActivityFilter(filters.FilterSet):
    region = filters.CharFilter(method="in_region")
    since = filters.DateFilter(field_name="held_on", lookup_expr="gte")
    until = filters.DateFilter(field_name="held_on", lookup_expr="lte")

    class Meta:
        model = Activity
        fields = ["kind", "region", "since", "until"]

    def in_region(self, queryset: QuerySet[Activity], name: str, value: str) -> QuerySet[Activity]:
        return queryset.filter(subtree("region__code", value.strip()))


class ActivityViewSet(viewsets.ReadOnlyModelViewSet[Activity]):
    """Activities inside the caller's regions; filter by `kind`, `region`, `since`, `until`."""

    serializer_class = ActivitySerializer
    filterset_class = ActivityFilter

    def get_queryset(self) -> QuerySet[Activity]:
        return (
            Activity.objects.visible_to(self.request.user)
            .prefetch_related("organisers", "partners")
            .order_by("-held_on", "-pk")
        )

    @extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)
    @once_per_api_key
    def create(self, request: Request) -> Response:
        """Record an activity; `photos`: up to five image files (or data URLs in JSON)."""
        return writes.answered(lambda: writes.record_activity(request.user, *sent(request)))


class MonthlyReportSerializer(serializers.ModelSerializer[MonthlyReport]):
    class Meta:
        model = MonthlyReport
        fields = [
            "id",
            "engagement",
            "month",
            "status",
            "narrative",
            "figures",
            "submitted_at",
            "reviewed_at",
            "review_comment",
        ]


class MonthlyReportViewSet(LoggedReadOnlyViewSet[MonthlyReport]):
    serializer_class = MonthlyReportSerializer
    logged_model = MonthlyReport
    filterset_fields = ["status", "month", "engagement"]

    def get_queryset(self) -> QuerySet[MonthlyReport]:
        return MonthlyReport.objects.visible_to(self.request.user).order_by("-month", "pk")
