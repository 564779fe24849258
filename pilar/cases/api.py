"""Cases over the API: the same scoping, story rule, access log and services as the
pages. Every change carries the `version` of the case it is based on; a stale one is
answered 409 with the case as it is now.

- `GET /api/v1/cases/` (`status`, `level`, `priority`, `region`, `list`: one of the
  work lists) and `GET /api/v1/cases/{id}/`; `POST /api/v1/cases/` opens a case.
- `GET /api/v1/cases/{id}/events/`: the timeline; `POST` records a visit (with a `photo`
  file in a multipart request) or a note.
- `POST /api/v1/cases/{id}/transition/`: take, escalate, return, resolve, close, reopen.
- `POST /api/v1/cases/{id}/referrals/`: refer; `GET /api/v1/referrals/`,
  `POST /api/v1/referrals/{id}/answer/`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from pilar.audit.access import record_access
from pilar.audit.api import LoggedReadOnlyViewSet
from pilar.audit.models import AccessAction
from pilar.beneficiaries.models import Household, Person, PpksRecord
from pilar.cases import policy, services, worklists
from pilar.cases.models import (
    Agency,
    Case,
    CaseEvent,
    DestinationKind,
    EventKind,
    Outcome,
    Priority,
    Programme,
    Referral,
    ReferralStatus,
)
from pilar.core.once import once_per_api_key
from pilar.core.scoping import subtree
from pilar.workforce.models import Institution


class CaseSerializer(serializers.ModelSerializer[Case]):
    """A case; its story (summary, needs) is null for a reader who may not see it."""

    summary = serializers.SerializerMethodField()
    needs = serializers.SerializerMethodField()
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "version",
            "person",
            "household",
            "ppks_records",
            "region",
            "level",
            "holding_region",
            "assigned_to",
            "status",
            "priority",
            "is_sensitive",
            "summary",
            "needs",
            "opened_by",
            "opened_at",
            "arrived_at",
            "due_at",
            "is_overdue",
            "status_changed_at",
            "closed_at",
            "outcome",
        ]

    def _story(self, case: Case) -> bool:
        return policy.can_read_story(self.context["request"].user, case)

    def get_summary(self, case: Case) -> str | None:
        return case.summary if self._story(case) else None

    def get_needs(self, case: Case) -> str | None:
        return case.needs if self._story(case) else None

    def get_is_overdue(self, case: Case) -> bool:
        return case.is_overdue()


class CaseEventSerializer(serializers.ModelSerializer[CaseEvent]):
    text = serializers.SerializerMethodField()
    next_step = serializers.SerializerMethodField()
    place = serializers.SerializerMethodField()
    attachment = serializers.SerializerMethodField()

    class Meta:
        model = CaseEvent
        fields = [
            "id",
            "kind",
            "actor",
            "is_automatic",
            "at",
            "from_status",
            "to_status",
            "from_level",
            "to_level",
            "from_region",
            "to_region",
            "assigned_to",
            "text",
            "happened_on",
            "place",
            "next_step",
            "outcome",
            "referral",
            "referral_status",
            "corrects",
            "attachment",
        ]

    def _story(self) -> bool:
        return bool(self.context.get("story"))

    def get_text(self, event: CaseEvent) -> str | None:
        return event.text if self._story() else None

    def get_next_step(self, event: CaseEvent) -> str | None:
        return event.next_step if self._story() else None

    def get_place(self, event: CaseEvent) -> str | None:
        return event.place if self._story() else None

    def get_attachment(self, event: CaseEvent) -> str | None:
        attachment = getattr(event, "attachment", None)
        if attachment is None or not self._story():
            return None
        return reverse("cases:attachment-file", args=[attachment.pk])


class ReferralSerializer(serializers.ModelSerializer[Referral]):
    destination = serializers.CharField(read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "case",
            "destination_kind",
            "institution",
            "programme",
            "agency",
            "destination_name",
            "destination",
            "status",
            "answer",
            "sent_by",
            "sent_at",
            "answered_at",
        ]


class OpenCaseSerializer(serializers.Serializer[Any]):
    person = serializers.IntegerField(required=False)
    household = serializers.IntegerField(required=False)
    summary = serializers.CharField()
    needs = serializers.CharField(required=False, allow_blank=True, default="")
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.NORMAL)
    is_sensitive = serializers.BooleanField(default=False)
    ppks_records = serializers.ListField(child=serializers.IntegerField(), default=list)
    opened_on = serializers.DateField(required=False, allow_null=True, default=None)


class VersionSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)


class TransitionSerializer(VersionSerializer):
    action = serializers.ChoiceField(choices=sorted(services.ACTIONS))
    text = serializers.CharField(required=False, allow_blank=True, default="")
    outcome = serializers.ChoiceField(choices=Outcome.choices, required=False, allow_blank=True, default="")


class NewEventSerializer(VersionSerializer):
    kind = serializers.ChoiceField(choices=[EventKind.VISIT, EventKind.NOTE])
    text = serializers.CharField()
    happened_on = serializers.DateField(required=False)
    place = serializers.CharField(required=False, allow_blank=True, default="")
    next_step = serializers.CharField(required=False, allow_blank=True, default="")


class NewReferralSerializer(VersionSerializer):
    destination_kind = serializers.ChoiceField(choices=DestinationKind.choices)
    institution = serializers.IntegerField(required=False, allow_null=True, default=None)
    programme = serializers.SlugField(required=False, allow_blank=True, default="")
    agency = serializers.ChoiceField(choices=Agency.choices, required=False, allow_blank=True, default="")
    destination_name = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField()


class AnswerSerializer(VersionSerializer):
    to_status = serializers.ChoiceField(choices=[ReferralStatus.ACCEPTED, ReferralStatus.DONE, ReferralStatus.REFUSED])
    answer = serializers.CharField(required=False, allow_blank=True, default="")


def _valid(serializer_class: type[serializers.Serializer[Any]], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class CaseFilter(filters.FilterSet):
    region = filters.CharFilter(method="in_region")

    class Meta:
        model = Case
        fields = ["status", "level", "priority", "region", "person", "household"]

    def in_region(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return queryset.filter(subtree("region__code", value.strip()))


class CaseViewSet(LoggedReadOnlyViewSet[Case]):
    serializer_class = CaseSerializer
    filterset_class = CaseFilter
    logged_model = Case

    def get_queryset(self) -> QuerySet[Case]:
        name = self.request.query_params.get("list", "semua")
        cases = worklists.work_list(self.request.user, name if name in worklists.LISTS else "semua")
        return cases.prefetch_related("ppks_records")

    def _changed(self, request: Request, change: Callable[[], Any], *, created: bool = False) -> Response:
        """Run a service; 409 with the current case on a conflict, 400 on a refused rule."""
        try:
            result = change()
        except services.CaseConflict as conflict:
            current = CaseSerializer(conflict.current, context=self.get_serializer_context()).data
            return Response({"detail": conflict.messages[0], "current": current}, status=status.HTTP_409_CONFLICT)
        except ValidationError as error:
            return Response({"detail": error.messages}, status=status.HTTP_400_BAD_REQUEST)
        if isinstance(result, Referral):
            return Response(ReferralSerializer(result).data, status=status.HTTP_201_CREATED)
        if isinstance(result, CaseEvent):
            return Response(CaseEventSerializer(result, context={"story": True}).data, status=status.HTTP_201_CREATED)
        case = Case.objects.get(pk=result.pk)
        data = CaseSerializer(case, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(request=OpenCaseSerializer, responses=CaseSerializer)
    @once_per_api_key
    def create(self, request: Request) -> Response:
        data = _valid(OpenCaseSerializer, request)
        person = household = None
        if data.get("household"):
            household = get_object_or_404(Household.objects.visible_to(request.user), pk=data["household"])
        else:
            person = get_object_or_404(Person.objects.visible_to(request.user), pk=data.get("person") or 0)
        records = list(
            PpksRecord.objects.visible_to(request.user).filter(pk__in=data["ppks_records"], person=person)
            if person
            else PpksRecord.objects.visible_to(request.user).filter(pk__in=data["ppks_records"], household=household)
        )
        if len(records) != len(set(data["ppks_records"])):
            return Response({"detail": [_("A linked PPKS record belongs to someone else.")]}, status=400)
        return self._changed(
            request,
            lambda: services.open_case(
                person=person,
                household=household,
                summary=data["summary"],
                needs=data["needs"],
                priority=data["priority"],
                is_sensitive=data["is_sensitive"],
                records=records,
                opened_on=data["opened_on"],
                acting_user=request.user,
            ),
            created=True,
        )

    @extend_schema(request=NewEventSerializer, responses=CaseEventSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    @once_per_api_key
    def events(self, request: Request, pk: str) -> Response:
        case = self.get_object()
        if request.method == "POST":
            data = _valid(NewEventSerializer, request)
            if data["kind"] == EventKind.VISIT:
                return self._changed(
                    request,
                    lambda: services.record_visit(
                        case,
                        expected_version=data["version"],
                        happened_on=data.get("happened_on") or timezone.localdate(),
                        place=data["place"],
                        action_taken=data["text"],
                        next_step=data["next_step"],
                        photo=request.FILES.get("photo"),
                        acting_user=request.user,
                    ),
                )
            return self._changed(
                request,
                lambda: services.add_note(
                    case, expected_version=data["version"], text=data["text"], acting_user=request.user
                ),
            )
        events = case.events.select_related("attachment")
        record_access(
            user=request.user, action=AccessAction.VIEW, model=Case, ids=[case.pk], path=request.get_full_path()
        )
        story = policy.can_read_story(request.user, case)
        return Response(CaseEventSerializer(events, many=True, context={"story": story}).data)

    @extend_schema(request=TransitionSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    @once_per_api_key
    def transition(self, request: Request, pk: str) -> Response:
        case = self.get_object()
        data = _valid(TransitionSerializer, request)
        return self._changed(
            request,
            lambda: services.perform(
                case,
                data["action"],
                expected_version=data["version"],
                text=data["text"],
                outcome=data["outcome"],
                acting_user=request.user,
            ),
        )

    @extend_schema(request=NewReferralSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    @once_per_api_key
    def referrals(self, request: Request, pk: str) -> Response:
        case = self.get_object()
        data = _valid(NewReferralSerializer, request)
        institution = Institution.objects.filter(pk=data["institution"]).first() if data["institution"] else None
        programme = Programme.objects.filter(code=data["programme"]).first() if data["programme"] else None
        return self._changed(
            request,
            lambda: services.refer_case(
                case,
                expected_version=data["version"],
                destination_kind=data["destination_kind"],
                institution=institution,
                programme=programme,
                agency=data["agency"],
                destination_name=data["destination_name"],
                reason=data["reason"],
                acting_user=request.user,
            ),
        )


class ReferralViewSet(LoggedReadOnlyViewSet[Referral]):
    serializer_class = ReferralSerializer
    logged_model = Referral
    filterset_fields = ["status", "destination_kind", "case"]

    def get_queryset(self) -> QuerySet[Referral]:
        return Referral.objects.visible_to(self.request.user).select_related("institution", "programme").order_by("pk")

    @extend_schema(request=AnswerSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: str) -> Response:
        referral = self.get_object()
        data = _valid(AnswerSerializer, request)
        try:
            answered = services.answer_referral(
                referral,
                expected_version=data["version"],
                to_status=data["to_status"],
                answer=data["answer"],
                acting_user=request.user,
            )
        except services.CaseConflict as conflict:
            current = CaseSerializer(conflict.current, context=self.get_serializer_context()).data
            return Response({"detail": conflict.messages[0], "current": current}, status=status.HTTP_409_CONFLICT)
        except ValidationError as error:
            return Response({"detail": error.messages}, status=status.HTTP_400_BAD_REQUEST)
        return Response(ReferralSerializer(answered).data)
