from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pilar.accounts.models import User
from pilar.cases.attachments import sniff
from pilar.core import images
from pilar.core.identity import Sex, check_nik
from pilar.core.widgets import DateInput
from pilar.regions.models import Region
from pilar.workforce.kinds import (
    Accreditation,
    Education,
    EvaluationRating,
    InactiveReason,
    InstitutionKind,
    InstitutionStatus,
    TrainingKind,
    WorkerKind,
    WorkerStatus,
)

DATE_INPUT = DateInput()


class RegionCodeField(forms.CharField):
    """A dotted area code typed by the user; cleans to the Region."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 13)
        kwargs.setdefault("help_text", _("For example 18.01.04.2001 for a village, 18.01.04 for a kecamatan."))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Region | None:
        code = super().clean(value)
        if not code:
            return None
        region = Region.objects.filter(code=code.strip()).first()
        if region is None:
            raise ValidationError(_("There is no region with code %(code)s."), params={"code": code})
        return region


class WorkerForm(forms.Form):
    nik = forms.CharField(label=_("NIK"), min_length=16, max_length=16)
    full_name = forms.CharField(label=_("Name"), max_length=150)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    birth_date = forms.DateField(label=_("Birth date"), widget=DATE_INPUT)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    education = forms.ChoiceField(label=_("Education"), choices=[("", "—"), *Education.choices], required=False)
    home_village = RegionCodeField(label=_("Home village (code)"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=WorkerKind.choices)
    region = RegionCodeField(label=_("Region served (code)"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("nik") and cleaned.get("sex") and cleaned.get("birth_date"):
            try:
                check_nik(cleaned["nik"], sex=cleaned["sex"], birth_date=cleaned["birth_date"])
            except ValidationError as error:
                self.add_error("nik", error)
        return cleaned


class WorkerEditForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=150)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    education = forms.ChoiceField(label=_("Education"), choices=[("", "—"), *Education.choices], required=False)
    photo = forms.FileField(label=_("Photo"), required=False, help_text=_("JPEG, PNG or WebP, at most 2 MB."))
    account = forms.CharField(
        label=_("Pilar account (username)"),
        max_length=150,
        required=False,
        help_text=_("The worker's own sign-in: their monthly report is written from what they record."),
    )

    def __init__(self, *args: Any, viewer: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.viewer = viewer

    def clean_account(self) -> Any:
        username = self.cleaned_data["account"].strip()
        if not username:
            return None
        user = User.objects.visible_to(self.viewer).filter(username=username).first()
        if user is None:
            raise ValidationError(_("No user %(username)s in your area.") % {"username": username})
        return user

    MAX_PHOTO_BYTES = 2 * 1024 * 1024

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        if not photo:
            return photo
        if photo.size > self.MAX_PHOTO_BYTES:
            raise ValidationError(_("The photo is larger than 2 MB."))
        header = photo.read(16)
        photo.seek(0)
        content_type = sniff(header)
        if content_type is None or not images.is_image(content_type):
            raise ValidationError(_("The photo must be a JPEG, PNG or WebP image."))
        return images.pixels_only(photo, content_type)


class StatusForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), choices=WorkerStatus.choices)
    reason = forms.ChoiceField(
        label=_("Reason (when becoming inactive)"), choices=[("", "—"), *InactiveReason.choices], required=False
    )
    decree_number = forms.CharField(label=_("Decree (SK) number"), max_length=100, required=False)
    decree_date = forms.DateField(label=_("Decree (SK) date"), widget=DATE_INPUT, required=False)
    decree_issuer = forms.CharField(label=_("Decree issued by"), max_length=200, required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class DecreeFields(forms.Form):
    decree_number = forms.CharField(label=_("Decree (SK) number"), max_length=100)
    decree_date = forms.DateField(label=_("Decree (SK) date"), widget=DATE_INPUT)
    decree_issuer = forms.CharField(label=_("Decree issued by"), max_length=200, required=False)


class AssignmentForm(DecreeFields):
    region = RegionCodeField(label=_("Kecamatan (code)"), help_text=_("For example 18.01.04."))
    budget_year = forms.IntegerField(label=_("Budget year"), min_value=2000, max_value=2100)
    start_date = forms.DateField(label=_("Start date"), widget=DATE_INPUT)
    end_date = forms.DateField(label=_("End date"), widget=DATE_INPUT)

    field_order = ["region", "budget_year", "start_date", "end_date", "decree_number", "decree_date", "decree_issuer"]


class AssignmentEndForm(forms.Form):
    on = forms.DateField(label=_("Last day"), widget=DATE_INPUT)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class EvaluationForm(forms.Form):
    rating = forms.ChoiceField(label=_("Rating"), choices=EvaluationRating.choices)
    recommend_renewal = forms.BooleanField(label=_("Recommend renewal"), required=False)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class TrainingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=TrainingKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    organiser = RegionCodeField(
        label=_("Organised by (code)"),
        help_text=_("A regency/city for a basic bimtek, a province for an advanced one."),
    )
    start_date = forms.DateField(label=_("Start date"), widget=DATE_INPUT)
    end_date = forms.DateField(label=_("End date"), widget=DATE_INPUT)
    place = forms.CharField(label=_("Place"), max_length=200)


class ParticipantsForm(forms.Form):
    niks = forms.CharField(
        label=_("NIK of the participants"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One NIK per line."),
    )

    def clean_niks(self) -> list[str]:
        niks = [line.strip() for line in self.cleaned_data["niks"].splitlines() if line.strip()]
        wrong = [nik for nik in niks if len(nik) != 16 or not nik.isdigit()]
        if wrong:
            raise ValidationError(_("Not a NIK: %(values)s."), params={"values": ", ".join(wrong)})
        return niks


class InaugurationForm(DecreeFields):
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    place = forms.CharField(label=_("Place"), max_length=200)
    official = forms.CharField(label=_("Officiating official"), max_length=200)
    engagements = forms.MultipleChoiceField(
        label=_("Trained PSM to confirm"), widget=forms.CheckboxSelectMultiple, choices=[]
    )

    def __init__(self, *args: Any, candidates: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: forms.MultipleChoiceField = self.fields["engagements"]  # type: ignore[assignment]
        field.choices = candidates


class InstitutionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=InstitutionKind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    region = RegionCodeField(label=_("Region (code)"))
    registration_number = forms.CharField(label=_("Registration number"), max_length=100, required=False)
    accreditation = forms.ChoiceField(label=_("Accreditation"), choices=Accreditation.choices)
    accreditation_date = forms.DateField(label=_("Accreditation date"), widget=DATE_INPUT, required=False)
    leader_name = forms.CharField(label=_("Leader"), max_length=150, required=False)
    member_count = forms.IntegerField(label=_("Members"), min_value=0, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    services = forms.CharField(label=_("Services"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class InstitutionEditForm(InstitutionForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["kind"]
        del self.fields["region"]


class InstitutionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=InstitutionStatus.choices)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class QuotaForm(forms.Form):
    region = RegionCodeField(label=_("Region (code)"), help_text=_("A province, regency/city or kecamatan."))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, initial=datetime.date.today().year)
    kind = forms.ChoiceField(label=_("Kind"), choices=WorkerKind.choices)
    target = forms.IntegerField(label=_("Target"), min_value=0)


class WorkerFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or NIK"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds")), *WorkerKind.choices], required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All statuses")), *WorkerStatus.choices], required=False
    )
    region = forms.CharField(label=_("Region code"), max_length=13, required=False)


class InstitutionFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds")), *InstitutionKind.choices], required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All statuses")), *InstitutionStatus.choices], required=False
    )
    region = forms.CharField(label=_("Region code"), max_length=13, required=False)
