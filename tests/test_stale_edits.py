"""No edit page loses an update: every form carries the version it was opened at.

Two editors open the same record; the first saves one field; the second, whose form
is older, saves another: the second is refused (409) with both versions side by side
and everything they typed still in the form, and the first one's change is kept.
The table below must name every edit page of Pilar (a route ending in `-edit`, the
letterhead and the monthly report's narrative), so a new one cannot be forgotten.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import models
from django.test import Client
from django.urls import reverse

from pilar.accounts import services as accounts
from pilar.accounts.models import User
from pilar.accounts.roles import Role
from pilar.activities.models import Letterhead, MonthlyReport
from pilar.beneficiaries.models import Person
from pilar.regions.models import Region
from pilar.workforce.models import Institution, Worker
from tests.access_matrix import Subject
from tests.personas import sign_in
from tests.test_access_matrix import route_names

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class EditPage:
    editors: tuple[str, str]
    url: Callable[[Subject, dict[str, User]], str]
    record: Callable[[Subject], models.Model]
    first: tuple[str, str]  # the field the first editor changes, and to what
    second: tuple[str, str]  # the field the second editor changes


def _second_operator(people: dict[str, User]) -> None:
    if "operator_two" not in people:
        people["operator_two"] = accounts.create_user(
            username="operator_two", full_name="Operator Dua", role=Role.DINSOS_KABKOTA,
            region=Region.objects.get(code="18.01"), acting_user=None,
        )  # fmt: skip


def _letterhead(subject: Subject) -> Letterhead:
    letterhead, _made = Letterhead.objects.get_or_create(
        region_id="18.01", defaults={"government": "PEMERINTAH KABUPATEN", "office": "DINAS SOSIAL"}
    )
    return letterhead


def _report(subject: Subject) -> MonthlyReport:
    report = subject.report
    MonthlyReport.objects.filter(pk=report.pk).update(status="draf")
    return MonthlyReport.objects.get(pk=report.pk)


EDIT_PAGES = {
    "beneficiaries:person-edit": EditPage(
        ("psm_a", "tksk"),
        lambda subject, people: reverse("beneficiaries:person-edit", args=[subject.person.pk]),
        lambda subject: Person.objects.get(pk=subject.person.pk),
        ("phone", "081299990001"),
        ("address", "Dusun Baru RT 02"),
    ),
    "workforce:worker-edit": EditPage(
        ("operator_regency", "admin"),
        lambda subject, people: reverse("workforce:worker-edit", args=[subject.engagement.worker_id]),
        lambda subject: Worker.objects.get(pk=subject.engagement.worker_id),
        ("phone", "081299990002"),
        ("full_name", "Nama Dibetulkan"),
    ),
    "workforce:institution-edit": EditPage(
        ("operator_regency", "admin"),
        lambda subject, people: reverse("workforce:institution-edit", args=[subject.institution.pk]),
        lambda subject: Institution.objects.get(pk=subject.institution.pk),
        ("phone", "0721999"),
        ("address", "Jl. Baru No. 2"),
    ),
    "activities:activity-edit": EditPage(
        ("psm_a", "tksk"),
        lambda subject, people: reverse("activities:activity-edit", args=[subject.activity.pk]),
        lambda subject: subject.activity.__class__.objects.get(pk=subject.activity.pk),
        ("title", "Penyuluhan dibetulkan"),
        ("men", "9"),
    ),
    "activities:letterhead": EditPage(
        ("operator_regency", "operator_two"),
        lambda subject, people: reverse("activities:letterhead") + "?region=18.01",
        _letterhead,
        ("phone", "0721-111"),
        ("address", "Jl. Kantor 1"),
    ),
    "activities:report-detail": EditPage(
        ("subject_village_a", "subject_village_a"),  # the worker, in two tabs
        lambda subject, people: reverse("activities:report-detail", kwargs=subject.report_kwargs()),
        _report,
        ("narrative", "Versi pertama"),
        ("narrative", "Versi kedua"),
    ),
}


def test_every_edit_page_is_in_the_table() -> None:
    edit_routes = {name for name in route_names() if name.endswith("-edit")}

    assert edit_routes <= set(EDIT_PAGES), "add the new edit page to EDIT_PAGES"


def form_data(response: Any) -> dict[str, Any]:
    form = response.context["form"]
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or getattr(field.widget, "input_type", "") == "file":
            continue
        if isinstance(value, (list, tuple)):
            data[name] = [str(item) for item in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif hasattr(value, "isoformat"):
            data[name] = value.isoformat()
        else:
            data[name] = str(value)
    data["version"] = response.context["version"]
    return data


@pytest.mark.parametrize("name", sorted(EDIT_PAGES))
def test_a_stale_save_is_refused_with_both_versions_and_the_first_change_is_kept(
    name: str, people: dict[str, User]
) -> None:
    page = EDIT_PAGES[name]
    _second_operator(people)
    subject = Subject("village_a")
    people["subject_village_a"] = subject.account
    record = page.record(subject)
    url = page.url(subject, people)
    first, second = Client(), Client()
    sign_in(first, people[page.editors[0]])
    sign_in(second, people[page.editors[1]])

    opened_first, opened_second = first.get(url), second.get(url)
    data_first, data_second = form_data(opened_first), form_data(opened_second)
    data_first[page.first[0]] = page.first[1]
    data_second[page.second[0]] = page.second[1]
    if name == "activities:report-detail":
        data_first["save"] = data_second["save"] = "1"
    saved = first.post(url, data_first)
    after_first = page.record(subject)
    refused = second.post(url, data_second)

    assert (opened_first.status_code, saved.status_code, refused.status_code) == (200, 302, 409)
    assert str(getattr(after_first, page.first[0])) == page.first[1]
    kept = page.record(subject)
    assert [getattr(kept, field.attname) for field in kept._meta.concrete_fields] == [
        getattr(after_first, field.attname) for field in after_first._meta.concrete_fields
    ]
    shown = refused.content.decode()
    assert page.second[1] in shown  # what the second editor typed is still there
    assert page.first[1] in shown  # beside what is saved now
    assert record.pk == kept.pk


def test_the_side_by_side_lists_only_the_fields_that_differ() -> None:
    from django import forms

    from pilar.core.versions import side_by_side

    class Form(forms.Form):
        village = forms.CharField(label="desa")
        phone = forms.CharField(label="telepon")

    form = Form({"village": "18.01.04.2001", "phone": "0812"})
    saved = {"village": Region(code="18.01.04.2001", name="Hajimena"), "phone": "0899"}

    assert side_by_side(form, saved) == [("telepon", "0812", "0899")]
