"""Case pages: the work lists, opening a case, the case page with its timeline, the
attachments, notifications and the programmes a case can be referred to.

A case outside the viewer's area is 404. The story of a sensitive case is shown only
to those handling it (`policy.can_read_story`). Every list, detail, attachment and
export is written to the access log. The POST handlers are in `actions.py`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pilar.accounts.roles import Role
from pilar.audit.access import record_request
from pilar.audit.models import AccessAction
from pilar.beneficiaries.models import Household, Person, PpksRecord
from pilar.cases import forms, listing, policy, services, worklists
from pilar.cases.models import (
    ALLOWED_MOVES,
    REFERRAL_MOVES,
    Attachment,
    Case,
    CaseStatus,
    EventKind,
    Notification,
    Outcome,
    Programme,
)
from pilar.cases.notifications import describe
from pilar.core.http import AuthenticatedHttpRequest
from pilar.core.once import once_per_key
from pilar.core.scoping import subtree
from pilar.core.search import redirect_to_sealed
from pilar.core.tabular import EXPORT_FORMATS
from pilar.exports.services import deliver
from pilar.workforce.kinds import InstitutionKind
from pilar.workforce.models import Institution

PAGE_SIZE = 50


def case_people(case: Case) -> list[int]:
    """The people a case page names: its person, or its household's members."""
    if case.person_id is not None:
        return [case.person_id]
    if case.household_id is not None:
        return list(Person.objects.filter(household_id=case.household_id).values_list("pk", flat=True))
    return []


def visible_case(request: AuthenticatedHttpRequest, case_id: int) -> Case:
    return get_object_or_404(
        Case.objects.visible_to(request.user).select_related(
            "person", "household", "region", "holding_region", "assigned_to", "opened_by"
        ),
        pk=case_id,
    )


def filtered_cases(request: AuthenticatedHttpRequest, name: str) -> tuple[forms.CaseFilterForm, QuerySet[Case]]:
    return listing.filter_cases(request.user, request.GET, name)


def case_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "POST":  # the search form: a person's name stays out of the URL
        return redirect_to_sealed(request)
    name = request.GET.get("daftar", "")
    if name not in worklists.LISTS:
        name = "menunggu" if policy.handles_somewhere(request.user) else "semua"
    form, cases = filtered_cases(request, name)
    page = Paginator(cases.select_related("person", "household", "holding_region", "assigned_to"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    record_request(request, model=Case, ids=[case.pk for case in page.object_list])
    record_request(
        request, model=Person, ids=sorted({case.person_id for case in page.object_list if case.person_id is not None})
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/case_list.html",
        {
            "lists": worklists.LISTS,
            "current": name,
            "form": form,
            "page": page,
            "now": timezone.now(),
            "query": query.urlencode(),
            "export_formats": EXPORT_FORMATS,
        },
    )


def case_export(request: AuthenticatedHttpRequest, export_format: str) -> HttpResponse:
    """The list as CSV/XLSX: the facts of each case, never its story; a large list is
    written by a background job."""
    if export_format not in EXPORT_FORMATS:
        raise Http404
    table = listing.case_table(request.user, request.GET)
    return deliver(request, table, export_format, kind="cases", back=reverse("cases:case-list"))


@once_per_key("cases.case-create-person")
def case_create_for_person(request: AuthenticatedHttpRequest, person_id: int) -> HttpResponse:
    person = get_object_or_404(Person.objects.visible_to(request.user).current(), pk=person_id)
    return case_create(request, person, None, PpksRecord.objects.filter(person=person))


@once_per_key("cases.case-create-household")
def case_create_for_household(request: AuthenticatedHttpRequest, household_id: int) -> HttpResponse:
    household = get_object_or_404(Household.objects.visible_to(request.user), pk=household_id)
    return case_create(request, None, household, PpksRecord.objects.filter(household=household))


def case_create(
    request: AuthenticatedHttpRequest,
    person: Person | None,
    household: Household | None,
    records: QuerySet[PpksRecord],
) -> HttpResponse:
    """Open a case for a person or a household of one's area."""
    subject: Person | Household = person or household  # type: ignore[assignment]
    if policy.opening_level(request.user, subject.village_id) is None:
        raise PermissionDenied(_("You may open cases only for people in your own area."))
    form = forms.CaseForm(request.POST or None, records=records)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.open_case(
                person=person,
                household=household,
                summary=data["summary"],
                needs=data["needs"],
                priority=data["priority"],
                is_sensitive=data["is_sensitive"],
                records=list(data["records"]),
                opened_on=data["opened_on"],
                acting_user=request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Case #%(id)s is open.") % {"id": case.pk})
            return redirect("cases:case-detail", case.pk)
    shown = [subject.pk] if person is not None else list(subject.members.values_list("pk", flat=True))  # type: ignore[union-attr]
    record_request(request, action=AccessAction.VIEW, model=Person, ids=shown)
    return render(request, "cases/case_form.html", {"form": form, "subject": subject})


def referral_institutions(case: Case) -> QuerySet[Institution]:
    """Active welfare institutions of the case's province (LKS and LK3)."""
    return (
        Institution.objects.active()
        .filter(subtree("region__code", case.region_id[:2]), kind__in=[InstitutionKind.LKS, InstitutionKind.LK3])
        .order_by("name")
    )


def action_forms(case: Case, bound: dict[str, Any] | None = None) -> dict[str, Any]:
    """The forms of the case page for its current version (or the ones bound after a conflict)."""
    initial = {"version": case.version}
    made: dict[str, Any] = {
        "visit": forms.VisitForm(initial=initial),
        "note": forms.NoteForm(initial=initial),
        "attachment": forms.AttachmentForm(initial=initial),
        "referral": forms.ReferralForm(initial=initial, institutions=referral_institutions(case)),
        "reassign": forms.ReassignForm(initial=initial, workers=services.holders(case.level, case.holding_region_id)),
    }
    made.update(bound or {})
    return made


def render_case(
    request: AuthenticatedHttpRequest,
    case: Case,
    *,
    status: int = 200,
    bound: dict[str, Any] | None = None,
    unsaved: list[str] | None = None,
) -> HttpResponse:
    record_request(request, action=AccessAction.VIEW, model=Case, ids=[case.pk])
    record_request(request, action=AccessAction.VIEW, model=Person, ids=case_people(case))
    can_handle = policy.can_handle(request.user, case)
    story = policy.can_read_story(request.user, case)
    events = list(
        case.events.select_related("actor", "assigned_to", "referral", "corrects").prefetch_related(
            Prefetch("attachment", queryset=Attachment.objects.all())
        )
    )
    for event in events:
        event.attachment_or_none = getattr(event, "attachment", None) if story else None  # type: ignore[attr-defined]
    # The answers a viewer may record: never to a referral they sent themselves.
    referrals = [
        (
            referral,
            list(REFERRAL_MOVES[referral.status])
            if policy.can_answer_referral(request.user, case, referral.sent_by_id)
            else [],
        )
        for referral in case.referrals.select_related("institution", "programme", "sent_by").order_by("sent_at")
    ]
    moves = set(ALLOWED_MOVES[case.status]) if can_handle else set()
    actions = [name for name, to_status in services.ACTIONS.items() if to_status in moves]
    if case.level == 0 and "escalate" in actions:
        actions.remove("escalate")
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "story": story,
            "can_handle": can_handle,
            "accompanies": not can_handle and policy.accompanies(request.user, case),
            "actions": actions,
            "events": events,
            "referrals": referrals,
            "records": case.ppks_records.order_by("category"),
            "forms": action_forms(case, bound) if can_handle or policy.accompanies(request.user, case) else {},
            "is_overdue": case.is_overdue(),
            "can_extend": case.is_open
            and case.extended_at_level != case.level
            and policy.supervises(request.user, case),
            "extend_form": (bound or {}).get("extend") or forms.ExtendForm(initial={"version": case.version}),
            "can_refer": (can_handle and CaseStatus.REFERRED in ALLOWED_MOVES[case.status])
            or case.status == CaseStatus.REFERRED,
            "outcomes": Outcome.choices,
            "correctable": (EventKind.VISIT, EventKind.NOTE, EventKind.CORRECTION),
            "unsaved": unsaved or [],
        },
        status=status,
    )


def case_detail(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    return render_case(request, visible_case(request, case_id))


def visit_page(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    """The visit form alone, for a phone in the field (a POST goes to actions.visit)."""
    case = visible_case(request, case_id)
    if not policy.accompanies(request.user, case):
        raise PermissionDenied(_("Only the workers who hold this case record visits."))
    form = forms.VisitForm(initial={"version": case.version})
    record_request(request, action=AccessAction.VIEW, model=Case, ids=[case.pk])
    record_request(request, action=AccessAction.VIEW, model=Person, ids=case_people(case))
    return render(request, "cases/visit_form.html", {"case": case, "form": form, "story": True})


def attachment_file(request: AuthenticatedHttpRequest, attachment_id: int) -> FileResponse:
    """An attachment, to those who may read the case's story; logged as a read."""
    attachment = get_object_or_404(
        Attachment.objects.filter(case__in=Case.objects.visible_to(request.user)).select_related("case"),
        pk=attachment_id,
    )
    if not policy.can_read_story(request.user, attachment.case):
        raise PermissionDenied(_("This case is sensitive: only those handling it see its attachments."))
    record_request(request, action=AccessAction.VIEW, model=Attachment, ids=[attachment.pk])
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=attachment.content_type == "application/pdf",
        filename=attachment.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "POST":
        services.mark_read(request.user)
        return redirect("cases:notifications")
    visible = Case.objects.visible_to(request.user).values("pk")
    page = Paginator(Notification.objects.filter(user=request.user, case__in=visible), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [(notification, describe(notification.kind, notification.case_id)) for notification in page.object_list]
    return render(request, "cases/notifications.html", {"page": page, "rows": rows})


def programme_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The programmes a case can be referred to; the administrator adds and retires them."""
    if not request.user.has_role(Role.ADMIN):
        raise PermissionDenied
    form = forms.ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_programme(code=form.cleaned_data["code"], name=form.cleaned_data["name"], acting_user=request.user)
        messages.success(request, _("Programme added."))
        return redirect("cases:programmes")
    return render(request, "cases/programmes.html", {"form": form, "programmes": Programme.objects.all()})


@require_POST
def programme_toggle(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    if not request.user.has_role(Role.ADMIN):
        raise PermissionDenied
    programme = get_object_or_404(Programme, pk=programme_id)
    services.set_programme_active(programme, active=not programme.is_active, acting_user=request.user)
    return redirect("cases:programmes")
