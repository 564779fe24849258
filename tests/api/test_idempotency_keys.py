"""API writes with an `Idempotency-Key` happen once: a replay (the phone did not hear
the answer) returns the first answer and writes nothing; the same key with another
body is refused; a refused write keeps the key free for the corrected one."""

import uuid
from typing import Any

import pytest

from pilar.accounts.models import User
from pilar.cases.models import Case, CaseEvent
from pilar.core.models import IdempotencyKey
from tests.cases.conftest import register

pytestmark = pytest.mark.django_db


def post(client: Any, url: str, data: dict[str, Any], key: str) -> Any:
    return client.post(url, data, format="json", headers={"Idempotency-Key": key})


def test_a_replayed_case_opening_returns_the_first_answer_and_opens_one_case(
    api_for: Any, people: dict[str, User]
) -> None:
    person = register("Sumini", "18.01.04.2001", people["psm_a"])
    client, key = api_for("psm_a"), str(uuid.uuid4())
    data = {"person": person.pk, "summary": "Lansia sendiri", "ppks_records": [person.ppks_records.get().pk]}

    first, replay = post(client, "/api/v1/cases/", data, key), post(client, "/api/v1/cases/", data, key)

    assert (first.status_code, replay.status_code) == (201, 201)
    assert replay.json() == first.json()
    assert replay["Idempotent-Replayed"] == "true"
    assert Case.objects.count() == 1


def test_the_same_key_with_another_body_is_refused_and_writes_nothing(api_for: Any, people: dict[str, User]) -> None:
    person = register("Sumini", "18.01.04.2001", people["psm_a"])
    client, key = api_for("psm_a"), str(uuid.uuid4())
    data = {"person": person.pk, "summary": "Lansia sendiri", "ppks_records": []}
    post(client, "/api/v1/cases/", data, key)

    other = post(client, "/api/v1/cases/", {**data, "summary": "Lain"}, key)

    assert other.status_code == 422
    assert other.json() == {"detail": "Kunci Idempotency-Key ini sudah dipakai untuk permintaan lain."}
    assert list(Case.objects.values_list("summary", flat=True)) == ["Lansia sendiri"]


def test_a_replayed_visit_is_recorded_once_and_a_stale_one_keeps_its_key_free(
    api_for: Any, people: dict[str, User]
) -> None:
    person = register("Sumini", "18.01.04.2001", people["psm_a"])
    client = api_for("psm_a")
    case = post(client, "/api/v1/cases/", {"person": person.pk, "summary": "x", "ppks_records": []}, str(uuid.uuid4()))
    url = f"/api/v1/cases/{case.json()['id']}/events/"
    visit = {"kind": "kunjungan", "version": case.json()["version"], "text": "Kunjungan rumah"}
    key = str(uuid.uuid4())

    answers = [post(client, url, visit, key) for _ in range(3)]
    stale_key = str(uuid.uuid4())
    stale = post(client, url, visit, stale_key)  # the version moved on: a conflict, not kept

    assert [answer.status_code for answer in answers] == [201, 201, 201]
    assert CaseEvent.objects.filter(kind="kunjungan").count() == 1
    assert stale.status_code == 409
    assert not IdempotencyKey.objects.filter(key=stale_key).exists()


def test_keys_belong_to_their_user_and_must_be_uuids(api_for: Any, people: dict[str, User]) -> None:
    person = register("Sumini", "18.01.04.2001", people["psm_a"])
    data = {"person": person.pk, "summary": "x", "ppks_records": []}
    key = str(uuid.uuid4())

    post(api_for("psm_a"), "/api/v1/cases/", data, key)
    post(api_for("tksk"), "/api/v1/cases/", data, key)
    bad = post(api_for("psm_a"), "/api/v1/cases/", data, "bukan-uuid")

    assert Case.objects.count() == 2
    assert (bad.status_code, bad.json()) == (400, {"detail": "Header Idempotency-Key harus berupa UUID."})
