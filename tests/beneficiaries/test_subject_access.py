"""A person asks at the office for everything Pilar holds about them (issue 18, point
3, access): the operator records the request and hands over one document, PDF or
JSON, with their PPKS history, their case timeline and who read their record, and
nothing about anyone else."""

import io
import json
from typing import Any

import pytest
from django.utils import timezone
from pypdf import PdfReader

from pilar.beneficiaries import services as registry
from pilar.beneficiaries.models import PpksStatus, SubjectRequest
from pilar.cases import services as cases
from tests.cases.conftest import HAJIMENA, open_for, register
from tests.test_stale_edits import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def sumini(people: Any) -> Any:
    """Sumini, verified PPKS, with a case and a visit; Painem, her neighbour, too."""
    psm = people["psm_a"]
    person = register("Sumini", HAJIMENA, psm)
    registry.change_status(person.ppks_records.get(), PpksStatus.VERIFIED, acting_user=people["tksk"])
    case = open_for(person, psm)
    cases.record_visit(
        case,
        expected_version=case.version,
        happened_on=timezone.localdate(),
        action_taken="Kunjungan rumah Sumini, atap bocor",
        acting_user=psm,
    )
    neighbour = register("Painem", HAJIMENA, psm)
    open_for(neighbour, psm, summary="Painem sakit")
    return person


def download(client: Any, person: Any, file_format: str) -> Any:
    return client.post(
        f"/ppks/orang/{person.pk}/data-pribadi/",
        {"note": "Datang sendiri, KTP ditunjukkan", "file_format": file_format},
    )


def test_the_download_holds_her_history_timeline_and_readers_and_no_one_else(client_for: Any, sumini: Any) -> None:
    client_for("tksk").get(f"/ppks/orang/{sumini.pk}/")
    client_for("psm_a").get(f"/ppks/orang/{sumini.pk}/")
    operator = client_for("operator_regency")

    answer = download(operator, sumini, "json")
    document = json.loads(answer.content)
    text = answer.content.decode()
    sections = {section["title"]: section["items"] for section in document["sections"]}
    pdf = download(operator, sumini, "pdf")
    pdf_text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf.content)).pages)

    assert answer.status_code == 200
    assert answer["Content-Disposition"] == f'attachment; filename="data-pribadi-{sumini.pk}.json"'
    assert sections["Identitas"][0]["fields"]["full_name"] == "Sumini"
    [record] = sections["Catatan PPKS"]
    statuses = [change["fields"]["status"] for change in record["sections"][0]["items"]]
    assert statuses == ["Dilaporkan", "Terverifikasi"]
    [case] = sections["Kasus"]
    timeline = case["sections"][0]["items"]
    assert "Kunjungan rumah Sumini, atap bocor" in [event["fields"]["text"] for event in timeline]
    readers = [
        (read["fields"]["user"], read["fields"]["action"])
        for read in sections["Siapa yang membaca atau mengekspor data ini"]
    ]
    assert ("tksk", "lihat") in readers
    assert ("psm_a", "lihat") in readers
    assert "Painem" not in text
    assert "Kunjungan rumah Sumini, atap bocor" in pdf_text
    assert "Data pribadi yang disimpan tentang Sumini" in pdf_text
    assert "Painem" not in pdf_text
    assert list(SubjectRequest.objects.values_list("kind", "status", "recorded_by__username")) == [
        ("akses", "dipenuhi", "operator_regency"),
        ("akses", "dipenuhi", "operator_regency"),
    ]
    listed = operator.get("/ppks/permintaan-data/")
    assert [entry.person_id for entry in listed.context["page"].object_list] == [sumini.pk, sumini.pk]


@pytest.mark.parametrize(("persona", "status"), [("tksk", 403), ("psm_a", 403), ("operator_other_province", 404)])
def test_who_is_not_the_areas_operator_gets_nothing_and_nothing_is_recorded(
    client_for: Any, sumini: Any, persona: str, status: int
) -> None:
    response = download(client_for(persona), sumini, "json")

    assert response.status_code == status
    assert SubjectRequest.objects.count() == 0


def test_a_request_without_how_the_person_was_identified_is_refused(client_for: Any, sumini: Any) -> None:
    response = client_for("operator_regency").post(f"/ppks/orang/{sumini.pk}/data-pribadi/", {"file_format": "pdf"})

    assert response.status_code == 200
    assert "Bidang ini harus diisi." in response.content.decode()
    assert SubjectRequest.objects.count() == 0


def test_a_correction_through_the_normal_edit_keeps_its_reason(client_for: Any, sumini: Any) -> None:
    psm = client_for("psm_a")
    data = form_data(psm.get(f"/ppks/orang/{sumini.pk}/ubah/"))
    data.update(phone="081234567890", reason="Orangnya menunjukkan nomor barunya")

    saved = psm.post(f"/ppks/orang/{sumini.pk}/ubah/", data)

    assert saved.status_code == 302
    latest = sumini.history.order_by("-history_id")[0]
    assert (latest.phone, latest.history_change_reason) == ("081234567890", "Orangnya menunjukkan nomor barunya")
