from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pilar.beneficiaries import policy, services
from pilar.beneficiaries.models import NIK_PREFIX_DIGITS, Disability, LegalBasis, Person, PpksStatus
from pilar.beneficiaries.ppks import PPKS_CHOICES, PPKS_TYPES
from pilar.core.areas import AreaField
from pilar.core.identity import Sex, check_nik
from pilar.core.widgets import DateInput
from pilar.regions.models import Region, RegionLevel

ANY: list[tuple[str, Any]] = [("", gettext_lazy("(all)"))]


class PeopleFilterForm(forms.Form):
    q = forms.CharField(
        required=False,
        label=gettext_lazy("NIK or name"),
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("NIK or name"), "type": "search"}),
    )
    region = forms.CharField(
        required=False,
        label=gettext_lazy("Region code"),
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("Region code"), "size": 13}),
    )
    category = forms.ChoiceField(required=False, label=gettext_lazy("PPKS type"), choices=ANY + PPKS_CHOICES)
    status = forms.ChoiceField(required=False, label=gettext_lazy("Status"), choices=ANY + PpksStatus.choices)

    def clean_q(self) -> str:
        query = str(self.cleaned_data["q"]).strip()
        if query.isascii() and query.isdigit() and len(query) < NIK_PREFIX_DIGITS:
            raise forms.ValidationError(
                _("Type at least %(count)s digits of the NIK (or the whole NIK) to search by NIK.")
                % {"count": NIK_PREFIX_DIGITS}
            )
        return query


class VillageField(forms.CharField):
    def clean(self, value: Any) -> Region:
        code = super().clean(value).strip()
        region = Region.objects.filter(code=code, level=RegionLevel.VILLAGE).first()
        if region is None:
            raise forms.ValidationError(_("%(code)s is not a village code.") % {"code": code})
        return region


class PersonForm(forms.Form):
    nik = forms.CharField(required=False, max_length=16, label=gettext_lazy("NIK (if known)"))
    family_card = forms.CharField(required=False, max_length=16, label=gettext_lazy("family card number (No. KK)"))
    full_name = forms.CharField(max_length=150, label=gettext_lazy("name"))
    sex = forms.ChoiceField(choices=Sex.choices, label=gettext_lazy("sex"))
    birth_place = forms.CharField(required=False, max_length=100, label=gettext_lazy("place of birth"))
    birth_date = forms.DateField(required=False, label=gettext_lazy("birth date"), widget=DateInput())
    village = AreaField(levels=[RegionLevel.VILLAGE], label=gettext_lazy("village"))
    address = forms.CharField(required=False, max_length=250, label=gettext_lazy("address"))
    phone = forms.CharField(required=False, max_length=20, label=gettext_lazy("phone"))
    disability = forms.ChoiceField(required=False, choices=Disability.choices, label=gettext_lazy("disability"))
    guardian_nik = forms.CharField(
        required=False,
        max_length=16,
        label=gettext_lazy("guardian's NIK"),
        help_text=gettext_lazy("For a child or a person who needs a guardian: the guardian, registered in Pilar."),
    )
    guardian_relation = forms.CharField(required=False, max_length=60, label=gettext_lazy("guardian's relation"))
    legal_basis = forms.ChoiceField(choices=LegalBasis.choices, label=gettext_lazy("legal basis"))
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label=gettext_lazy("notes"))

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        village: Any = self.fields["village"]
        village.limit_to(policy.mapping_regions(user))
        if village.initial and not self.initial.get("village"):
            self.initial["village"] = village.initial

    def clean(self) -> dict[str, Any]:
        """The checks of the registry's services that need no other record, here, so
        that every problem of the form shows at once (the services check them again)."""
        cleaned = super().clean() or {}
        card = (cleaned.get("family_card") or "").strip()
        if card and (len(card) != 16 or not card.isdigit()):
            self.add_error("family_card", _("A family card number (No. KK) is exactly 16 digits."))
        birth_date = cleaned.get("birth_date")
        if birth_date and birth_date > timezone.localdate():
            self.add_error("birth_date", _("The birth date is in the future."))
        nik = (cleaned.get("nik") or "").strip()
        if nik and "nik" not in self.errors:
            try:
                check_nik(
                    nik,
                    sex=cleaned.get("sex") or None,
                    birth_date=birth_date if "birth_date" not in self.errors else None,
                )
            except ValidationError as error:
                self.add_error("nik", error)
        return cleaned

    def clean_guardian_nik(self) -> str:
        nik = self.cleaned_data["guardian_nik"].strip()
        self.cleaned_data["guardian"] = None
        if nik:
            guardian = Person.objects.visible_to(self.user).current().filter(nik=nik).first()
            if guardian is None:
                raise forms.ValidationError(_("No person with this NIK is registered in your area."))
            self.cleaned_data["guardian"] = guardian
        return nik


class PersonCorrectionForm(PersonForm):
    """The person form for a correction: why, kept in the person's history (also what
    a data subject who asked for the correction said)."""

    reason = forms.CharField(
        required=False,
        max_length=300,
        label=gettext_lazy("reason for the correction"),
        help_text=gettext_lazy("For example: the person showed their KTP; the name was misspelt."),
    )


class ChecklistWidget(forms.CheckboxSelectMultiple):
    """The conditions of every PPKS type, a group of boxes each; ppks-checklist.js
    shows only the groups of the types chosen in the same form."""

    template_name = "beneficiaries/widgets/checklist.html"


def _checklist_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    return [
        (
            f"{ppks.code} {ppks.name}",
            [(f"{ppks.code}:{condition.number}", condition.text) for condition in ppks.conditions],
        )
        for ppks in PPKS_TYPES.values()
    ]


class ChecklistField(forms.MultipleChoiceField):
    """The conditions ticked, as `{type code: [condition numbers]}`; the caller keeps
    those of the types actually chosen (see `checklists_of`)."""

    widget = ChecklistWidget

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            required=False,
            choices=_checklist_choices,
            label=gettext_lazy("criteria observed"),
            help_text=gettext_lazy("Tick what you saw yourself; the TKSK checks it when verifying."),
            **kwargs,
        )

    def clean(self, value: Any) -> dict[str, list[int]]:
        ticked: dict[str, list[int]] = {}
        for key in super().clean(value):
            code, number = key.split(":")
            ticked.setdefault(code, []).append(int(number))
        return ticked


def checklists_of(cleaned: dict[str, Any], categories: list[str]) -> dict[str, list[int]]:
    """The conditions ticked for each of `categories` (boxes of other types, hidden
    when their type was unchosen, are dropped)."""
    ticked = cleaned.get("checklist") or {}
    return {category: ticked[category] for category in categories if category in ticked}


class TickedMixin:
    cleaned_data: dict[str, Any]

    def checklists(self) -> dict[str, list[int]]:
        """The conditions ticked, by the PPKS type chosen."""
        if "categories" in self.cleaned_data:
            chosen = list(self.cleaned_data["categories"])
        else:
            chosen = [self.cleaned_data["category"]]
        return checklists_of(self.cleaned_data, chosen)


def checklist_html(element_id: str) -> str:
    """The checklist's boxes, for a form written in Pilar's own markup (the field app)."""
    return ChecklistWidget(choices=_checklist_choices()).render("checklist", [], attrs={"id": element_id})


class NewPersonForm(TickedMixin, PersonForm):
    categories = forms.MultipleChoiceField(
        required=False,
        choices=PPKS_CHOICES,
        label=gettext_lazy("PPKS types"),
        widget=forms.CheckboxSelectMultiple(attrs={"data-ppks-types": ""}),
    )
    checklist = ChecklistField()
    conditions = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label=gettext_lazy("conditions observed")
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        categories = cleaned.get("categories") or []
        if categories and "birth_date" not in self.errors and "sex" not in self.errors:
            try:
                services.check_fit(categories, birth_date=cleaned.get("birth_date"), sex=cleaned.get("sex") or "")
            except ValidationError as error:
                self.add_error("categories", error)
        return cleaned


class ReportForm(TickedMixin, forms.Form):
    category = forms.ChoiceField(
        choices=PPKS_CHOICES, label=gettext_lazy("PPKS type"), widget=forms.Select(attrs={"data-ppks-types": ""})
    )
    checklist = ChecklistField()
    conditions = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label=gettext_lazy("conditions observed")
    )


class StatusForm(forms.Form):
    to_status = forms.ChoiceField(choices=PpksStatus.choices, label=gettext_lazy("new status"))
    reason = forms.CharField(required=False, max_length=300, label=gettext_lazy("reason"))


class MoveForm(forms.Form):
    village = VillageField(label=gettext_lazy("new village code"), max_length=13)
    reason = forms.CharField(required=False, max_length=300, label=gettext_lazy("reason"))
