from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from pilar.activities.models import ActivityKind, Letterhead
from pilar.cases.attachments import check_upload
from pilar.core.areas import AreaField
from pilar.core.widgets import DateInput
from pilar.regions.models import RegionLevel
from pilar.workforce.models import Institution, Worker

DATE = DateInput()


class WorkerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Worker) -> str:
        return obj.full_name


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(choices=ActivityKind.choices, label=gettext_lazy("kind"))
    title = forms.CharField(max_length=200, label=gettext_lazy("title"))
    held_on = forms.DateField(widget=DATE, label=gettext_lazy("date"))
    region = AreaField(
        levels=[RegionLevel.VILLAGE, RegionLevel.DISTRICT, RegionLevel.REGENCY],
        label=gettext_lazy("region"),
        help_text=gettext_lazy("The village, kecamatan or regency where it was held."),
    )
    place = forms.CharField(required=False, max_length=200, label=gettext_lazy("place"))
    organisers = WorkerChoiceField(
        queryset=Worker.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("organising workers"),
    )
    partners = forms.ModelMultipleChoiceField(
        queryset=Institution.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
        label=gettext_lazy("partner institutions"),
    )
    men = forms.IntegerField(min_value=0, initial=0, label=gettext_lazy("participants, men"))
    women = forms.IntegerField(min_value=0, initial=0, label=gettext_lazy("participants, women"))
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label=gettext_lazy("notes"))
    photo = forms.FileField(required=False, label=gettext_lazy("photo (optional)"))

    def __init__(
        self,
        *args: Any,
        workers: QuerySet[Worker],
        institutions: QuerySet[Institution],
        regions: list[str | None],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        region: Any = self.fields["region"]
        region.limit_to(regions)
        if region.initial and not self.initial.get("region"):
            self.initial["region"] = region.initial
        self.fields["organisers"].queryset = workers  # type: ignore[attr-defined]
        self.fields["partners"].queryset = institutions  # type: ignore[attr-defined]
        self.fields["photo"].widget.attrs["accept"] = "image/jpeg,image/png,image/webp"

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        if photo:
            check_upload(photo)
        return photo


class ActivityFilterForm(forms.Form):
    kind = forms.ChoiceField(
        required=False, choices=[("", gettext_lazy("(every kind)")), *ActivityKind.choices], label=gettext_lazy("kind")
    )
    month = forms.CharField(
        required=False,
        label=gettext_lazy("month"),
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"}),
    )
    region = forms.CharField(
        required=False,
        label=gettext_lazy("region code"),
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("Region code"), "size": 13}),
    )


class NarrativeForm(forms.Form):
    narrative = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        label=gettext_lazy("narrative"),
        help_text=gettext_lazy("What happened this month, in your own words: problems met, help needed."),
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", gettext_lazy("Approve")), ("return", gettext_lazy("Return with a comment"))],
        widget=forms.RadioSelect,
        label=gettext_lazy("decision"),
    )
    comment = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label=gettext_lazy("comment for the worker")
    )


class LetterheadForm(forms.ModelForm[Letterhead]):
    class Meta:
        model = Letterhead
        fields = ["government", "office", "address", "phone", "email", "head_title", "head_name", "head_id_number"]
