"""Read access to the registry over the API: the same scoping, masking and access log
as the pages. Changes go through the pages (and so through the same services)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django_filters import rest_framework as filters
from rest_framework import serializers, viewsets

from pilar.audit.api import LoggedReadOnlyViewSet, NikField, SearchByPost
from pilar.workforce import policy
from pilar.workforce.kinds import WorkerKind, WorkerStatus
from pilar.workforce.models import Engagement, Institution, Quota, Training, Worker


class EngagementSerializer(serializers.ModelSerializer[Engagement]):
    class Meta:
        model = Engagement
        fields = [
            "id",
            "kind",
            "region",
            "status",
            "inactive_reason",
            "decree_number",
            "decree_date",
            "status_changed_at",
        ]


class WorkerSerializer(serializers.ModelSerializer[Worker]):
    nik = NikField()
    engagements = EngagementSerializer(many=True, source="visible_engagements", read_only=True)

    class Meta:
        model = Worker
        fields = ["id", "nik", "full_name", "sex", "birth_date", "phone", "education", "home_village", "engagements"]


class WorkerFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(field_name="engagements__kind", choices=WorkerKind.choices, distinct=True)
    status = filters.ChoiceFilter(field_name="engagements__status", choices=WorkerStatus.choices, distinct=True)

    class Meta:
        model = Worker
        fields = ["kind", "status"]


class WorkerViewSet(SearchByPost, LoggedReadOnlyViewSet[Worker]):
    """Workers serving inside the caller's regions, with their engagements there.
    `q` searches name or exact NIK; the NIK is masked unless the caller keeps the registry."""

    serializer_class = WorkerSerializer
    filterset_class = WorkerFilter
    logged_model = Worker
    full_nik = staticmethod(policy.can_see_full_nik)

    def get_queryset(self) -> QuerySet[Worker]:
        visible = Engagement.objects.visible_to(self.request.user)
        return (
            Worker.objects.visible_to(self.request.user)
            .search(self.request.query_params.get("q", ""))
            .prefetch_related(Prefetch("engagements", queryset=visible, to_attr="visible_engagements"))
            .order_by("full_name", "pk")
        )


class InstitutionSerializer(serializers.ModelSerializer[Institution]):
    class Meta:
        model = Institution
        fields = [
            "id",
            "kind",
            "name",
            "region",
            "registration_number",
            "accreditation",
            "accreditation_date",
            "leader_name",
            "member_count",
            "phone",
            "address",
            "services",
            "status",
        ]


class InstitutionViewSet(LoggedReadOnlyViewSet[Institution]):
    serializer_class = InstitutionSerializer
    filterset_fields = ["kind", "status", "accreditation"]
    logged_model = Institution

    def get_queryset(self) -> QuerySet[Institution]:
        return (
            Institution.objects.visible_to(self.request.user)
            .search(self.request.query_params.get("q", ""))
            .order_by("region_id", "name")
        )


class QuotaSerializer(serializers.ModelSerializer[Quota]):
    class Meta:
        model = Quota
        fields = ["id", "region", "year", "kind", "target"]


class QuotaViewSet(viewsets.ReadOnlyModelViewSet[Quota]):
    serializer_class = QuotaSerializer
    filterset_fields = ["year", "kind"]

    def get_queryset(self) -> QuerySet[Quota]:
        return Quota.objects.visible_to(self.request.user).order_by("-year", "region_id", "kind")


class TrainingSerializer(serializers.ModelSerializer[Training]):
    class Meta:
        model = Training
        fields = ["id", "kind", "title", "organiser", "start_date", "end_date", "place"]


class TrainingViewSet(viewsets.ReadOnlyModelViewSet[Training]):
    serializer_class = TrainingSerializer
    filterset_fields = ["kind"]

    def get_queryset(self) -> QuerySet[Training]:
        return Training.objects.visible_to(self.request.user).order_by("-start_date", "-pk")
