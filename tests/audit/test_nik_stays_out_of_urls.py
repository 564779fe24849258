"""A search by NIK never writes the full NIK into a URL, a log or a stored query.

The list's search form goes by POST and the list comes back with the search sealed
(`pilar.core.search`); the access log keeps the search masked; a background export
stores the sealed search. After searching and exporting, every table but the person's
own holds the NIK nowhere, and neither does any log line Pilar wrote."""

import logging
from typing import Any

import pytest
from django.apps import apps

from pilar.accounts.models import User
from pilar.audit.models import AccessAction, AccessLog
from pilar.core.search import mask, seal, unseal
from pilar.exports.models import Export
from pilar.regions.models import Region
from pilar.workforce import services as workforce
from pilar.workforce.kinds import WorkerKind
from tests.beneficiaries.test_mapping import HAJIMENA, register

NIK = "1801045507500003"
MASKED = "1801********0003"
# Where a NIK belongs: the person and worker registries and their history.
HOLDERS = {"beneficiaries.Person", "beneficiaries.HistoricalPerson", "workforce.Worker", "workforce.HistoricalWorker"}


def tables_holding(text: str) -> list[str]:
    return sorted(
        model._meta.label
        for model in apps.get_models()
        if model._meta.label not in HOLDERS
        and any(text in str(row) for row in model._default_manager.values_list().iterator())
    )


@pytest.mark.django_db
def test_a_nik_search_on_the_people_list_leaves_the_nik_in_no_url_log_or_table(
    client_for: Any,
    people: dict[str, User],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    django_capture_on_commit_callbacks: Any,
) -> None:
    caplog.set_level(logging.DEBUG)
    person = register("Siti Aminah", HAJIMENA, nik=NIK)
    client = client_for("tksk")

    searched = client.post("/ppks/orang/", {"q": NIK, "category": "PPKS-08", "region": ""})
    page = client.get(searched["Location"])
    export = client.get(f"/ppks/orang/unduh.csv?{searched['Location'].split('?')[1]}")
    monkeypatch.setattr("pilar.exports.services.DIRECT_LIMIT", 0)
    with django_capture_on_commit_callbacks(execute=True):
        background = client.get(f"/ppks/orang/unduh.csv?{searched['Location'].split('?')[1]}")
    stored = Export.objects.get()
    detail = client.get(background["Location"])

    assert searched.status_code == 303
    assert searched["Location"].startswith("/ppks/orang/?category=PPKS-08&cari=")
    assert NIK not in searched["Location"]
    assert f"/ppks/orang/{person.pk}/" in page.content.decode()
    assert NIK in export.content.decode()
    assert NIK not in stored.query
    assert stored.row_count == 1
    assert NIK in detail.content.decode()  # the requester sees the filters they chose
    assert list(AccessLog.objects.filter(action=AccessAction.SEARCH).values_list("query", flat=True)) == [
        f"category=PPKS-08&q={MASKED}"
    ]
    assert AccessLog.objects.filter(path__contains=NIK).count() == 0
    assert tables_holding(NIK) == []
    assert [record.getMessage() for record in caplog.records if NIK in record.getMessage()] == []


@pytest.mark.django_db
def test_a_nik_typed_into_the_url_is_masked_in_the_log_and_sealed_in_a_stored_export(
    client_for: Any, people: dict[str, User], monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    register("Siti Aminah", HAJIMENA, nik=NIK)
    client = client_for("psm_a")
    monkeypatch.setattr("pilar.exports.services.DIRECT_LIMIT", 0)

    listed = client.get(f"/ppks/orang/?q={NIK}")
    with django_capture_on_commit_callbacks(execute=True):
        client.get(f"/ppks/orang/unduh.csv?q={NIK}")

    assert listed.status_code == 200
    assert "Siti Aminah" in listed.content.decode()
    assert Export.objects.get().row_count == 1
    assert tables_holding(NIK) == []


@pytest.mark.django_db
def test_a_nik_search_on_the_workers_list_and_by_api_post_keeps_the_nik_out(
    client_for: Any, api_for: Any, people: dict[str, User]
) -> None:
    engagement = workforce.register_worker(
        nik=NIK,
        full_name="Siti Pekerja",
        sex="P",
        birth_date=__import__("datetime").date(1950, 7, 15),
        home_village=Region.objects.get(code=HAJIMENA),
        kind=WorkerKind.PSM,
        region=Region.objects.get(code=HAJIMENA),
        acting_user=None,
    )
    client = client_for("operator_regency")

    searched = client.post("/psks/pekerja/", {"q": NIK})
    page = client.get(searched["Location"])
    api = api_for("operator_regency").post("/api/v1/workers/search/", {"q": NIK}, format="json")

    assert NIK not in searched["Location"]
    assert "Siti Pekerja" in page.content.decode()
    assert api.status_code == 200
    assert [row["id"] for row in api.json()["results"]] == [engagement.worker_id]
    assert tables_holding(NIK) == []


@pytest.mark.django_db
def test_a_people_search_by_api_post_finds_by_nik_and_logs_it_masked(api_for: Any, people: dict[str, User]) -> None:
    person = register("Siti Aminah", HAJIMENA, nik=NIK)

    found = api_for("tksk").post("/api/v1/people/search/", {"q": NIK}, format="json")
    outsider = api_for("psm_b").post("/api/v1/people/search/", {"q": NIK}, format="json")
    not_an_object = api_for("tksk").post("/api/v1/people/search/", [NIK], format="json")

    assert [row["id"] for row in found.json()["results"]] == [person.pk]
    assert outsider.json()["results"] == []
    assert not_an_object.status_code == 400
    assert list(AccessLog.objects.filter(username="tksk").values_list("query", "path")) == [
        (f"q={MASKED}", f"/api/v1/people/search/?q={MASKED}")
    ]
    assert tables_holding(NIK) == []


@pytest.mark.django_db
def test_a_sealed_search_opens_only_for_the_user_who_made_it(people: dict[str, User]) -> None:
    token = seal(people["psm_a"], NIK)

    assert unseal(people["psm_a"], token) == NIK
    assert unseal(people["psm_b"], token) == ""
    assert unseal(people["psm_a"], token[:-2] + "xx") == ""
    assert unseal(people["psm_a"], "bukan-token") == ""
    assert mask(f"nama {NIK} dan 123456 dan 12345") == f"nama {MASKED} dan ****** dan 12345"
