"""A visit plans the next one; the PSM finds her planned visits of the coming week
(issue 19, point 1)."""

import datetime
from typing import Any

import pytest
from django.utils import timezone

from pilar.accounts.models import User
from pilar.beneficiaries.models import Person
from pilar.cases.models import CaseEvent
from tests.cases.conftest import fresh, open_for

pytestmark = pytest.mark.django_db


def test_a_planned_visit_shows_in_the_psm_s_list_and_a_plan_for_the_past_is_refused(
    people: dict[str, User], sumini: Person, client_for: Any
) -> None:
    case = open_for(sumini, people["psm_a"])
    today = timezone.localdate()
    psm = client_for("psm_a")

    past = psm.post(
        f"/kasus/{case.pk}/kunjungan/simpan/",
        {"version": case.version, "happened_on": today.isoformat(), "action_taken": "Asesmen",
         "next_visit_on": today.isoformat()},
    )  # fmt: skip
    planned = psm.post(
        f"/kasus/{case.pk}/kunjungan/simpan/",
        {"version": case.version, "happened_on": today.isoformat(), "action_taken": "Asesmen",
         "next_visit_on": (today + datetime.timedelta(days=4)).isoformat()},
    )  # fmt: skip
    listed = psm.get("/kasus/?daftar=kunjungan").content.decode()
    other = client_for("psm_b").get("/kasus/?daftar=kunjungan").content.decode()

    assert past.status_code == 400
    assert "Rencanakan kunjungan berikutnya sesudah hari kunjungan ini." in past.content.decode()
    assert planned.status_code == 302
    assert CaseEvent.objects.get(case=case, kind="kunjungan").next_visit_on == today + datetime.timedelta(days=4)
    assert fresh(case).version == case.version + 1
    assert f"/kasus/{case.pk}/" in listed
    assert f"/kasus/{case.pk}/" not in other
