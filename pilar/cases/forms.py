"""Forms of the case pages. Every form that changes a case carries the `version` of
the case its author saw (see services: no lost updates)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilar.accounts.models import User
from pilar.beneficiaries.models import PpksRecord, PpksStatus
from pilar.cases.attachments import check_upload
from pilar.cases.models import (
    Agency,
    CaseLevel,
    CaseStatus,
    DestinationKind,
    Outcome,
    Priority,
    Programme,
    ReferralStatus,
)
from pilar.cases.services import ACTIONS
from pilar.core.widgets import DateInput
from pilar.workforce.models import Institution

TEXT = {"rows": 3}


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class RecordChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: PpksRecord) -> str:
        return f"{obj.get_category_display()} ({obj.get_status_display()})"


class CaseForm(forms.Form):
    records = RecordChoiceField(
        queryset=PpksRecord.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("PPKS records this case is about"),
    )
    summary = forms.CharField(widget=forms.Textarea(attrs=TEXT), label=_("summary"))
    needs = forms.CharField(required=False, widget=forms.Textarea(attrs=TEXT), label=_("needs"))
    priority = forms.ChoiceField(choices=Priority.choices, initial=Priority.NORMAL, label=_("priority"))
    is_sensitive = forms.BooleanField(
        required=False,
        label=_("sensitive"),
        help_text=_("For example violence against a child: the story is shown only to those handling the case."),
    )
    opened_on = forms.DateField(
        required=False,
        label=_("opened on"),
        help_text=_("Only for a case transcribed from paper notes; today when left empty."),
        widget=DateInput(),
    )

    def __init__(self, *args: Any, records: QuerySet[PpksRecord], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["records"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = records.exclude(status=PpksStatus.REJECTED).order_by("category")


class VisitForm(VersionedForm):
    happened_on = forms.DateField(label=_("date"), widget=DateInput())
    place = forms.CharField(required=False, max_length=200, label=_("place"))
    action_taken = forms.CharField(widget=forms.Textarea(attrs=TEXT), label=_("what was done"))
    next_step = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label=_("next step"))
    next_visit_on = forms.DateField(required=False, label=_("next visit planned on"), widget=DateInput())
    photo = forms.FileField(required=False, label=_("photo or document (optional)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["happened_on"].initial = timezone.localdate
        self.fields["photo"].widget.attrs["accept"] = "image/jpeg,image/png,image/webp,application/pdf"

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        if photo:
            check_upload(photo)
        return photo


class NoteForm(VersionedForm):
    text = forms.CharField(widget=forms.Textarea(attrs=TEXT), label=_("note"))


class AttachmentForm(VersionedForm):
    file = forms.FileField(label=_("photo or document"))
    description = forms.CharField(required=False, max_length=300, label=_("description"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = "image/jpeg,image/png,image/webp,application/pdf"

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        check_upload(upload)
        return upload


class ActionForm(VersionedForm):
    action = forms.ChoiceField(choices=[(name, name) for name in ACTIONS], widget=forms.HiddenInput)
    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label=_("reason or note"))
    outcome = forms.ChoiceField(required=False, choices=[("", "—"), *Outcome.choices], label=_("outcome"))


class ExtendForm(VersionedForm):
    days = forms.IntegerField(min_value=1, initial=7, label=_("more days"))
    reason = forms.CharField(max_length=300, label=_("reason"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["days"]
        assert isinstance(field, forms.IntegerField)
        field.max_value = settings.CASE_MAX_EXTENSION_DAYS
        field.widget.attrs["max"] = settings.CASE_MAX_EXTENSION_DAYS


class ReassignForm(VersionedForm):
    assignee = forms.ModelChoiceField(queryset=User.objects.none(), label=_("worker"))

    def __init__(self, *args: Any, workers: QuerySet[User] | list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.filter(pk__in=[worker.pk for worker in workers]).order_by("full_name")


class ReferralForm(VersionedForm):
    destination_kind = forms.ChoiceField(choices=DestinationKind.choices, label=_("referred to"))
    institution = forms.ModelChoiceField(queryset=Institution.objects.none(), required=False, label=_("institution"))
    programme = forms.ModelChoiceField(
        queryset=Programme.objects.filter(is_active=True), required=False, label=_("programme")
    )
    agency = forms.ChoiceField(choices=[("", "—"), *Agency.choices], required=False, label=_("agency"))
    destination_name = forms.CharField(
        required=False,
        max_length=200,
        label=_("name of the agency"),
        help_text=_("For example Puskesmas Natar or SDN 1 Hajimena."),
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("reason"))

    def __init__(self, *args: Any, institutions: QuerySet[Institution], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["institution"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = institutions

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("destination_kind")
        needed = {
            DestinationKind.INSTITUTION: ("institution", _("Choose the institution.")),
            DestinationKind.PROGRAMME: ("programme", _("Choose the programme.")),
            DestinationKind.AGENCY: ("agency", _("Choose the agency.")),
        }
        if kind in needed:
            name, message = needed[DestinationKind(kind)]
            if not data.get(name):
                raise ValidationError({name: message})
        return data


class AnswerForm(VersionedForm):
    to_status = forms.ChoiceField(
        choices=[(status.value, status.label) for status in ReferralStatus if status != ReferralStatus.SENT],
        label=_("answer"),
    )
    answer = forms.CharField(required=False, max_length=1000, label=_("note of the answer"))


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        required=False,
        label=_("name of the person"),
        widget=forms.TextInput(attrs={"placeholder": _("name of the person"), "type": "search"}),
    )
    status = forms.ChoiceField(
        required=False, choices=[("", _("(every status)")), *CaseStatus.choices], label=_("status")
    )
    level = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("(every level)")), *CaseLevel.choices],
        label=_("held at"),
    )
    priority = forms.ChoiceField(
        required=False, choices=[("", _("(every priority)")), *Priority.choices], label=_("priority")
    )
    overdue = forms.BooleanField(required=False, label=_("overdue only"))


class ProgrammeForm(forms.ModelForm[Programme]):
    class Meta:
        model = Programme
        fields = ["code", "name"]
