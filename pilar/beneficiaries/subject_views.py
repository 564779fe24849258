"""The data subject's rights at the office: a Dinsos operator records a person's
request and hands them everything Pilar holds about them (pilar.beneficiaries.
subject_access); the register of requests lists every request and its decision."""

from __future__ import annotations

import json

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pilar.accounts import policy as accounts_policy
from pilar.activities.documents import office_letterhead
from pilar.audit.access import record_request
from pilar.audit.models import AccessAction
from pilar.beneficiaries.models import Person, SubjectRequest, SubjectRequestKind, SubjectRequestStatus
from pilar.beneficiaries.subject_access import as_json, subject_data
from pilar.core.http import AuthenticatedHttpRequest
from pilar.core.pdf import render_pdf

# The article of UU PDP 27/2022 behind each right.
GROUNDS = {SubjectRequestKind.ACCESS: "UU 27/2022 pasal 7"}


class AccessRequestForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("How the person was identified"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("For example: came to the office in person, KTP shown."),
    )
    file_format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[("pdf", gettext_lazy("PDF, for the person")), ("json", gettext_lazy("JSON, for a machine"))],
    )


def _require_operator(request: AuthenticatedHttpRequest) -> None:
    if not accounts_policy.is_manager(request.user):
        raise PermissionDenied(_("Requests about personal data are handled by the Dinsos operators."))


def person_data(request: AuthenticatedHttpRequest, person_id: int) -> HttpResponse:
    """The person's requests, and the form that records an access request and gives
    the person everything Pilar holds about them."""
    person = get_object_or_404(Person.objects.visible_to(request.user).select_related("village"), pk=person_id)
    _require_operator(request)
    form = AccessRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        now = timezone.now()
        SubjectRequest.objects.create(
            person=person,
            kind=SubjectRequestKind.ACCESS,
            status=SubjectRequestStatus.GRANTED,
            note=form.cleaned_data["note"],
            legal_ground=GROUNDS[SubjectRequestKind.ACCESS],
            requested_at=now,
            recorded_by=request.user,
            decided_at=now,
            decided_by=request.user,
            decision=_("Everything held was handed over."),
        )
        record_request(request, action=AccessAction.EXPORT, model=Person, ids=[person.pk])
        sections = subject_data(person, viewer=request.user)
        name = f"data-pribadi-{person.pk}"
        if form.cleaned_data["file_format"] == "json":
            content = json.dumps(
                {"person": person.pk, "generated_at": now.isoformat(), "sections": as_json(sections)},
                ensure_ascii=False,
                indent=1,
            )
            response = HttpResponse(content, content_type="application/json")
            response["Content-Disposition"] = f'attachment; filename="{name}.json"'
            return response
        document = render_pdf(
            "beneficiaries/subject_data_pdf.html",
            {
                "person": person,
                "sections": sections,
                "letterhead": office_letterhead(request.user),
                "generated": timezone.localtime(now),
            },
        )
        response = HttpResponse(document, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    return render(
        request,
        "beneficiaries/person_data.html",
        {"person": person, "form": form, "requests": person.subject_requests.select_related("recorded_by")},
    )


def subject_requests(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every request about personal data of the operator's area, newest first."""
    _require_operator(request)
    requests = SubjectRequest.objects.filter(person__in=Person.objects.visible_to(request.user)).select_related(
        "person", "recorded_by", "decided_by"
    )
    page = Paginator(requests, 50).get_page(request.GET.get("page"))
    record_request(request, action=AccessAction.VIEW, model=Person, ids=[entry.person_id for entry in page])
    return render(request, "beneficiaries/subject_requests.html", {"page": page})
