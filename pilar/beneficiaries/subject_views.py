"""The data subject's rights at the office: a Dinsos operator records a person's
request and hands them everything Pilar holds about them (pilar.beneficiaries.
subject_access); the register of requests lists every request and its decision."""

from __future__ import annotations

import json

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from pilar.activities.documents import office_letterhead
from pilar.audit.access import record_request
from pilar.audit.models import AccessAction
from pilar.beneficiaries import erasure, subject_rights
from pilar.beneficiaries import retention as retention_rules
from pilar.beneficiaries.models import (
    ConsentMethod,
    Person,
    SubjectRequest,
    SubjectRequestKind,
    SubjectRequestStatus,
    handles_restricted,
)
from pilar.beneficiaries.subject_access import as_json, subject_data
from pilar.core.http import AuthenticatedHttpRequest, parse_id, parse_ids
from pilar.core.pdf import render_pdf
from pilar.core.widgets import DateInput

ACCESS_GROUND = "UU 27/2022 pasal 7"


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
    if not handles_restricted(request.user):
        raise PermissionDenied(_("Requests about personal data are handled by the Dinsos operators."))


def person_data(request: AuthenticatedHttpRequest, person_id: int) -> HttpResponse:
    """The person's requests, and the form that records an access request and gives
    the person everything Pilar holds about them."""
    person = get_object_or_404(Person.objects.visible_to(request.user).select_related("village"), pk=person_id)
    _require_operator(request)
    form = AccessRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        now = subject_rights.granted(
            person,
            kind=SubjectRequestKind.ACCESS,
            note=form.cleaned_data["note"],
            ground=ACCESS_GROUND,
            decision=_("Everything held was handed over."),
            acting_user=request.user,
        ).requested_at
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
    record_request(request, action=AccessAction.VIEW, model=Person, ids=[person.pk])
    return render(
        request,
        "beneficiaries/person_data.html",
        {
            "person": person,
            "form": form,
            "restriction_form": RestrictionForm(),
            "erasure_form": ErasureForm(),
            "hold_form": LegalHoldForm(initial={"ground": person.legal_hold}),
            "erasure_refusals": erasure.refusals(person),
            "requests": person.subject_requests.select_related("recorded_by"),
        },
    )


def subject_requests(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every request about personal data of the operator's area, newest first."""
    _require_operator(request)
    requests = SubjectRequest.objects.filter(person__in=Person.objects.of_area(request.user)).select_related(
        "person", "recorded_by", "decided_by"
    )
    page = Paginator(requests, 50).get_page(request.GET.get("page"))
    record_request(request, action=AccessAction.VIEW, model=Person, ids=[entry.person_id for entry in page])
    return render(request, "beneficiaries/subject_requests.html", {"page": page})


class RestrictionForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("What the person asked, and why"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


@require_POST
def person_restriction(request: AuthenticatedHttpRequest, person_id: int) -> HttpResponse:
    """Restrict the processing of a person's data, or lift the restriction."""
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=person_id)
    _require_operator(request)
    form = RestrictionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Say what the person asked and why."))
        if request.POST.get("lift"):
            subject_rights.lift_restriction(person, note=form.cleaned_data["note"], acting_user=request.user)
            messages.success(request, _("The restriction is lifted."))
        else:
            subject_rights.restrict(person, note=form.cleaned_data["note"], acting_user=request.user)
            messages.success(request, _("Processing is restricted: only the operators of the area see this person."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("beneficiaries:person-data", person_id=person.pk)


class ConsentForm(forms.Form):
    given_on = forms.DateField(label=gettext_lazy("Given on"), widget=DateInput())
    method = forms.ChoiceField(label=gettext_lazy("How"), choices=ConsentMethod.choices)
    witness = forms.CharField(label=gettext_lazy("Witness (for verbal consent)"), max_length=150, required=False)
    covers = forms.CharField(
        label=gettext_lazy("What it covers"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("For example: mapping, accompaniment and referral to programmes."),
    )
    form_photo = forms.FileField(label=gettext_lazy("Photo of the signed form"), required=False)


def person_consent(request: AuthenticatedHttpRequest, person_id: int) -> HttpResponse:
    """The person's consents; record one, or its withdrawal."""
    person = get_object_or_404(Person.objects.visible_to(request.user).select_related("village"), pk=person_id)
    if not subject_rights.may_take_consent(request.user, person):
        raise PermissionDenied(_("Only the workers and operators of the person's area record consent."))
    form = ConsentForm(request.POST or None, request.FILES or None, initial={"given_on": timezone.localdate()})
    if request.method == "POST" and request.POST.get("withdraw"):
        consent = get_object_or_404(person.consents, pk=parse_id(request.POST.get("withdraw")))
        try:
            subject_rights.withdraw_consent(consent, note=request.POST.get("note", ""), acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Consent withdrawn: processing of this person is restricted."))
        if handles_restricted(request.user):
            return redirect("beneficiaries:person-consent", person_id=person.pk)
        return redirect("beneficiaries:person-list")  # a worker no longer sees the person
    if request.method == "POST" and form.is_valid():
        try:
            subject_rights.record_consent(
                person,
                given_on=form.cleaned_data["given_on"],
                method=form.cleaned_data["method"],
                covers=form.cleaned_data["covers"],
                witness=form.cleaned_data["witness"],
                photo=form.cleaned_data["form_photo"],
                acting_user=request.user,
            )
        except ValidationError as error:
            for field, messages_of in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages_of)
        else:
            messages.success(request, _("Consent recorded."))
            return redirect("beneficiaries:person-consent", person_id=person.pk)
    record_request(request, action=AccessAction.VIEW, model=Person, ids=[person.pk])
    return render(
        request,
        "beneficiaries/person_consent.html",
        {"person": person, "form": form, "consents": person.consents.select_related("taken_by", "withdrawn_by")},
    )


class ErasureForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("What the person asked, and how they were identified"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that the person's data is anonymised for good, and cannot be restored."),
        error_messages={"required": gettext_lazy("Tick the box to confirm the erasure.")},
    )


@require_POST
def person_erasure(request: AuthenticatedHttpRequest, person_id: int) -> HttpResponse:
    """Carry out the person's request to be erased, or record its refusal."""
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=person_id)
    _require_operator(request)
    form = ErasureForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(message) for errors in form.errors.values() for message in errors))
        return redirect("beneficiaries:person-data", person_id=person.pk)
    try:
        decided = erasure.request_erasure(person, note=form.cleaned_data["note"], acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("beneficiaries:person-data", person_id=person.pk)
    if decided.status == SubjectRequestStatus.REFUSED:
        messages.error(request, _("Erasure refused: %(reasons)s") % {"reasons": decided.decision})
        return redirect("beneficiaries:person-data", person_id=person.pk)
    messages.success(request, _("The person is erased: nothing says who they were; the recaps still count them."))
    return redirect("beneficiaries:subject-requests")


class LegalHoldForm(forms.Form):
    ground = forms.CharField(
        label=gettext_lazy("The obligation to keep the record"),
        max_length=300,
        required=False,
        help_text=gettext_lazy(
            "For example: a court case, a police report, the archives retention schedule. Empty: no obligation."
        ),
    )


@require_POST
def person_legal_hold(request: AuthenticatedHttpRequest, person_id: int) -> HttpResponse:
    """Record (or end) the legal obligation that keeps the person's record."""
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=person_id)
    _require_operator(request)
    form = LegalHoldForm(request.POST)
    if form.is_valid():
        subject_rights.set_legal_hold(person, ground=form.cleaned_data["ground"], acting_user=request.user)
        if person.legal_hold:
            messages.success(request, _("Recorded: the record is kept by law, and cannot be erased."))
        else:
            messages.success(request, _("The obligation to keep the record is ended."))
    else:
        messages.error(request, " ".join(str(message) for errors in form.errors.values() for message in errors))
    return redirect("beneficiaries:person-data", person_id=person.pk)


def retention(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The people of the operator's area proposed for anonymisation: their retention
    period has passed. The operator ticks those to anonymise, and confirms."""
    _require_operator(request)
    if request.method == "POST":
        ids = parse_ids(request.POST.getlist("person"))
        if not ids:
            messages.error(request, _("Tick the people to anonymise."))
        elif not request.POST.get("confirm"):
            messages.error(request, _("Tick the box to confirm the anonymisation."))
        else:
            erased = retention_rules.confirm(request.user, ids)
            messages.success(
                request,
                ngettext("%(count)s person anonymised.", "%(count)s people anonymised.", erased) % {"count": erased},
            )
        return redirect("beneficiaries:retention")
    page = Paginator(retention_rules.proposals(request.user).select_related("village"), 100).get_page(
        request.GET.get("page")
    )
    record_request(request, action=AccessAction.VIEW, model=Person, ids=[person.pk for person in page])
    return render(
        request,
        "beneficiaries/retention.html",
        {"page": page, "years": settings.PILAR_RETENTION_YEARS, "before": retention_rules.cutoff()},
    )
