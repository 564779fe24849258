"""The PPKS registry over the API: the same scoping, NIK masking and access log as
the pages (`LoggedReadOnlyViewSet`). Writes (`POST /people/`, `POST
/people/{id}/correct/`, `POST /ppks/`) are the field writes of `pilar.field.writes`,
once per `Idempotency-Key`, checked by the pages' forms and saved by their services."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from pilar.audit.api import LoggedReadOnlyViewSet, NikField, SearchByPost
from pilar.beneficiaries import policy
from pilar.beneficiaries.models import Household, Person, PpksRecord, PpksStatus
from pilar.beneficiaries.ppks import PPKS_CHOICES
from pilar.core.once import once_per_api_key
from pilar.core.scoping import subtree
from pilar.field import writes
from pilar.field.api import sent


class PpksRecordSerializer(serializers.ModelSerializer[PpksRecord]):
    class Meta:
        model = PpksRecord
        fields = [
            "id",
            "person",
            "household",
            "category",
            "region",
            "conditions",
            "status",
            "status_reason",
            "source",
            "reported_at",
            "status_changed_at",
        ]


class PersonSerializer(serializers.ModelSerializer[Person]):
    nik = NikField()
    ppks_records = PpksRecordSerializer(many=True, read_only=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "nik",
            "family_card",
            "full_name",
            "sex",
            "birth_place",
            "birth_date",
            "village",
            "address",
            "phone",
            "disability",
            "household",
            "household_relation",
            "guardian",
            "guardian_relation",
            "legal_basis",
            "merged_into",
            "ppks_records",
        ]


class PersonFilter(filters.FilterSet):
    region = filters.CharFilter(method="in_region")
    category = filters.ChoiceFilter(field_name="ppks_records__category", choices=PPKS_CHOICES, distinct=True)
    status = filters.ChoiceFilter(field_name="ppks_records__status", choices=PpksStatus.choices, distinct=True)

    class Meta:
        model = Person
        fields = ["region", "category", "status", "sex"]

    def in_region(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        return queryset.filter(subtree("village__code", value.strip()))


class PersonViewSet(SearchByPost, LoggedReadOnlyViewSet[Person]):
    """People inside the caller's regions with their PPKS records. `q`: exact NIK or a
    spelling-tolerant part of the name; `region`, `category`, `status`, `sex` filter."""

    serializer_class = PersonSerializer
    filterset_class = PersonFilter
    logged_model = Person
    full_nik = staticmethod(policy.can_see_full_nik)

    def get_queryset(self) -> QuerySet[Person]:
        return (
            Person.objects.visible_to(self.request.user)
            .search(self.request.query_params.get("q", ""))
            .prefetch_related("ppks_records")
            .order_by("village_id", "search_name", "pk")
        )

    @extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)
    @once_per_api_key
    def create(self, request: Request) -> Response:
        """Register a person (NIK optional) with `categories`, the PPKS types reported."""
        return writes.answered(lambda: writes.register_person(request.user, *sent(request)))

    @extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["post"])
    @once_per_api_key
    def correct(self, request: Request, pk: str) -> Response:
        """Correct a person; `version` is the one the edit was based on (409 when stale)."""
        data, files = sent(request)
        return writes.answered(lambda: writes.edit_person(request.user, {**data, "id": pk}, files))


class MemberSerializer(serializers.ModelSerializer[Person]):
    nik = NikField()

    class Meta:
        model = Person
        fields = ["id", "nik", "full_name", "household_relation"]


class HouseholdSerializer(serializers.ModelSerializer[Household]):
    members = MemberSerializer(many=True, read_only=True)

    class Meta:
        model = Household
        fields = ["id", "family_card", "village", "address", "members"]


class HouseholdViewSet(LoggedReadOnlyViewSet[Household]):
    serializer_class = HouseholdSerializer
    logged_model = Household
    people_field, people_model = "members", Person  # the members each answer names are logged as read
    full_nik = staticmethod(policy.can_see_full_nik)
    filterset_fields = ["family_card"]

    def get_queryset(self) -> QuerySet[Household]:
        members = Prefetch(
            "members", queryset=Person.objects.visible_to(self.request.user)
        )  # a restricted one left out
        return Household.objects.visible_to(self.request.user).prefetch_related(members).order_by("village_id", "pk")


class PpksRecordViewSet(LoggedReadOnlyViewSet[PpksRecord]):
    """PPKS records inside the caller's regions; filter by `category`, `status`, `region`."""

    serializer_class = PpksRecordSerializer
    logged_model = PpksRecord

    class Filter(filters.FilterSet):
        region = filters.CharFilter(method="in_region")

        class Meta:
            model = PpksRecord
            fields = ["category", "status", "region", "source"]

        def in_region(self, queryset: QuerySet[PpksRecord], name: str, value: str) -> QuerySet[PpksRecord]:
            return queryset.filter(subtree("region__code", value.strip()))

    filterset_class = Filter

    def get_queryset(self) -> QuerySet[PpksRecord]:
        return PpksRecord.objects.visible_to(self.request.user).order_by("region_id", "pk")

    @extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)
    @once_per_api_key
    def create(self, request: Request) -> Response:
        """Report a PPKS type (`category`, `conditions`) for a `person`."""
        return writes.answered(lambda: writes.report_ppks(request.user, *sent(request)))
