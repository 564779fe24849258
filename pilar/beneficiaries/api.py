"""Read access to the PPKS registry over the API: the same scoping, NIK masking and
access log as the pages (`LoggedReadOnlyViewSet`). Changes go through the pages and
imports, and so through the same services."""

from __future__ import annotations

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from rest_framework import serializers

from pilar.audit.api import LoggedReadOnlyViewSet, NikField, SearchByPost
from pilar.beneficiaries import policy
from pilar.beneficiaries.models import Household, Person, PpksRecord, PpksStatus
from pilar.beneficiaries.ppks import PPKS_CHOICES
from pilar.core.scoping import subtree


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
        return Household.objects.visible_to(self.request.user).prefetch_related("members").order_by("village_id", "pk")


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
