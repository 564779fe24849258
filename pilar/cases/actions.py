"""The POST handlers of the case page: each validates its form and calls one service.

A refused change shows the case page again with the form as it was filled in: with
the error (400), or, when someone changed the case in the meantime, with the case as
it is now and the form rebased on the current version (409), so nothing typed is
lost and nothing is saved over a change the author has not seen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pilar.cases import forms, services
from pilar.cases.models import Case, CaseEvent, CaseStatus, Referral
from pilar.cases.views import referral_institutions, render_case, visible_case
from pilar.core.http import AuthenticatedHttpRequest

# What a writer typed, shown back after a conflict even if they may no longer act.
UNSAVED_FIELDS = ("text", "action_taken", "next_step", "reason", "answer")


def _form(name: str, case: Case, data: Any, files: Any = None) -> Any:
    if name == "referral":
        return forms.ReferralForm(data, institutions=referral_institutions(case))
    if name == "reassign":
        return forms.ReassignForm(data, workers=services.holders(case.level, case.holding_region_id))
    classes = {
        "visit": forms.VisitForm,
        "note": forms.NoteForm,
        "attachment": forms.AttachmentForm,
        "action": forms.ActionForm,
        "answer": forms.AnswerForm,
        "correction": forms.NoteForm,
        "extend": forms.ExtendForm,
    }
    return classes[name](data, files)


def _submit(
    request: AuthenticatedHttpRequest,
    case: Case,
    name: str,
    change: Callable[[dict[str, Any]], Any],
    success: str,
) -> HttpResponse:
    form = _form(name, case, request.POST, request.FILES or None)
    if not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                label = form.fields[field].label if field in form.fields else ""
                messages.error(request, f"{label}: {error}" if label else str(error))
        return render_case(request, case, status=400, bound={name: form})
    try:
        change(form.cleaned_data)
    except services.CaseConflict as conflict:
        messages.error(request, conflict.messages[0])
        data = request.POST.copy()
        data["version"] = str(conflict.current.version)
        current = visible_case(request, case.pk)
        unsaved = [str(data[name]) for name in UNSAVED_FIELDS if data.get(name, "").strip()]
        return render_case(
            request,
            current,
            status=409,
            bound={name: _form(name, current, data, request.FILES or None)},
            unsaved=unsaved,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return render_case(request, visible_case(request, case.pk), status=400, bound={name: form})
    messages.success(request, success)
    return redirect("cases:case-detail", case.pk)


@require_POST
def visit(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    case = visible_case(request, case_id)

    def change(data: dict[str, Any]) -> None:
        services.record_visit(  # the visit and its photo, or neither
            case,
            expected_version=data["version"],
            happened_on=data["happened_on"],
            place=data["place"],
            action_taken=data["action_taken"],
            next_step=data["next_step"],
            next_visit_on=data.get("next_visit_on"),
            photo=data.get("photo") or None,
            acting_user=request.user,
        )

    return _submit(request, case, "visit", change, _("Visit recorded."))


@require_POST
def note(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    case = visible_case(request, case_id)
    return _submit(
        request,
        case,
        "note",
        lambda data: services.add_note(
            case, expected_version=data["version"], text=data["text"], acting_user=request.user
        ),
        _("Note added."),
    )


@require_POST
def correction(request: AuthenticatedHttpRequest, case_id: int, event_id: int) -> HttpResponse:
    case = visible_case(request, case_id)
    event = get_object_or_404(CaseEvent, pk=event_id, case=case)
    return _submit(
        request,
        case,
        "correction",
        lambda data: services.correct_event(
            case, event, expected_version=data["version"], text=data["text"], acting_user=request.user
        ),
        _("Correction recorded."),
    )


@require_POST
def attachment(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    case = visible_case(request, case_id)
    return _submit(
        request,
        case,
        "attachment",
        lambda data: services.add_attachment(
            case,
            expected_version=data["version"],
            upload=data["file"],
            description=data["description"],
            acting_user=request.user,
        ),
        _("Attachment added."),
    )


@require_POST
def action(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    case = visible_case(request, case_id)
    to_status = services.ACTIONS.get(request.POST.get("action", ""), CaseStatus.HANDLED)
    done = _("The case is now %(status)s.") % {"status": CaseStatus(to_status).label.lower()}
    response = _submit(
        request,
        case,
        "action",
        lambda data: services.perform(
            case,
            data["action"],
            expected_version=data["version"],
            text=data["text"],
            outcome=data["outcome"],
            acting_user=request.user,
        ),
        done,
    )
    if response.status_code == 302 and not Case.objects.visible_to(request.user).filter(pk=case.pk).exists():
        return redirect("cases:case-list")
    return response


@require_POST
def reassign(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    case = visible_case(request, case_id)
    return _submit(
        request,
        case,
        "reassign",
        lambda data: services.reassign_case(
            case, expected_version=data["version"], assignee=data["assignee"], acting_user=request.user
        ),
        _("The case was reassigned."),
    )


@require_POST
def extend(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    """The level above gives the case more time, once per level."""
    case = visible_case(request, case_id)
    return _submit(
        request,
        case,
        "extend",
        lambda data: services.extend_deadline(
            case,
            expected_version=data["version"],
            days=data["days"],
            reason=data["reason"],
            acting_user=request.user,
        ),
        _("The deadline was extended."),
    )


@require_POST
def refer(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    case = visible_case(request, case_id)
    return _submit(
        request,
        case,
        "referral",
        lambda data: services.refer_case(
            case,
            expected_version=data["version"],
            destination_kind=data["destination_kind"],
            institution=data["institution"],
            programme=data["programme"],
            agency=data["agency"],
            destination_name=data["destination_name"],
            reason=data["reason"],
            acting_user=request.user,
        ),
        _("Referral sent."),
    )


@require_POST
def answer(request: AuthenticatedHttpRequest, referral_id: int) -> HttpResponse:
    referral = get_object_or_404(Referral.objects.visible_to(request.user), pk=referral_id)
    case = visible_case(request, referral.case_id)
    return _submit(
        request,
        case,
        "answer",
        lambda data: services.answer_referral(
            referral,
            expected_version=data["version"],
            to_status=data["to_status"],
            answer=data["answer"],
            acting_user=request.user,
        ),
        _("The answer of the referral is recorded."),
    )
