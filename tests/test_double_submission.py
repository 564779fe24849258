"""A form sent twice saves once: every create form carries a one-time key (the same
kind of key the offline outbox sends), and a second submission of it leads where the
first one did."""

import io
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from pilar.accounts.models import User
from pilar.activities.models import Activity
from pilar.beneficiaries.models import Person
from pilar.cases.models import Case
from pilar.core.models import IdempotencyKey
from tests.cases.conftest import register

pytestmark = pytest.mark.django_db
KEY = re.compile(r'name="idempotency_key" value="([0-9a-f-]{36})"')


def key_of(client: Client, url: str) -> str:
    found = KEY.search(client.get(url).content.decode())
    assert found, url
    return found[1]


def send_twice(client: Client, url: str, data: dict[str, Any]) -> tuple[Any, Any]:
    data = {**data, "idempotency_key": key_of(client, url)}
    return client.post(url, data), client.post(url, data)


def test_a_person_without_nik_sent_twice_is_registered_once(client_for: Any) -> None:
    client = client_for("psm_a")
    data = {"full_name": "Anak Jalanan", "sex": "L", "village": "18.01.04.2001", "legal_basis": "tugas_publik"}

    first, second = send_twice(client, "/ppks/orang/baru/", data)

    assert Person.objects.filter(full_name="Anak Jalanan").count() == 1
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]


def test_a_case_sent_twice_is_opened_once(client_for: Any, people: dict[str, User]) -> None:
    person = register("Sumini", "18.01.04.2001", people["psm_a"])
    url = f"/kasus/baru/orang/{person.pk}/"
    data = {"summary": "Lansia sendiri", "priority": "sedang", "records": [person.ppks_records.get().pk]}

    first, second = send_twice(client_for("psm_a"), url, data)

    assert Case.objects.filter(person=person).count() == 1
    assert first["Location"] == second["Location"]


def test_an_activity_sent_twice_is_logged_once(client_for: Any) -> None:
    data = {
        "kind": "penyuluhan_sosial", "title": "Penyuluhan", "held_on": timezone.localdate().isoformat(),
        "region": "18.01.04.2001", "men": 2, "women": 3,
    }  # fmt: skip

    first, second = send_twice(client_for("psm_a"), "/kegiatan/baru/", data)

    assert Activity.objects.filter(title="Penyuluhan").count() == 1
    assert first["Location"] == second["Location"]


def test_a_refused_form_keeps_its_key_free_for_the_corrected_one(client_for: Any) -> None:
    client = client_for("psm_a")
    key = key_of(client, "/ppks/orang/baru/")
    data = {
        "full_name": "",
        "sex": "L",
        "village": "18.01.04.2001",
        "legal_basis": "tugas_publik",
        "idempotency_key": key,
    }

    refused = client.post("/ppks/orang/baru/", data)
    saved = client.post("/ppks/orang/baru/", {**data, "full_name": "Anak Jalanan"})

    assert (refused.status_code, saved.status_code) == (200, 302)
    assert Person.objects.filter(full_name="Anak Jalanan").count() == 1
    assert IdempotencyKey.objects.get().location == saved["Location"]


def test_the_same_key_of_another_user_is_another_write(client_for: Any) -> None:
    psm_a, tksk = client_for("psm_a"), client_for("tksk")
    data = {"full_name": "Anak Jalanan", "sex": "L", "village": "18.01.04.2001", "legal_basis": "tugas_publik"}
    data["idempotency_key"] = key_of(psm_a, "/ppks/orang/baru/")

    psm_a.post("/ppks/orang/baru/", data)
    tksk.post("/ppks/orang/baru/", data)

    assert Person.objects.filter(full_name="Anak Jalanan").count() == 2


def test_keys_older_than_thirty_days_are_purged(client_for: Any) -> None:
    client = client_for("psm_a")
    data = {"full_name": "Anak Jalanan", "sex": "L", "village": "18.01.04.2001", "legal_basis": "tugas_publik"}
    send_twice(client, "/ppks/orang/baru/", data)
    IdempotencyKey.objects.update(created_at=timezone.now() - timezone.timedelta(days=31))
    out = io.StringIO()

    call_command("purge_idempotency_keys", stdout=out)

    assert IdempotencyKey.objects.count() == 0
    assert out.getvalue() == "1 kunci sekali-pakai lama dihapus.\n"
