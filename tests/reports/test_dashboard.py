"""Dashboards and maps show each role its own area, with figures that match the data."""

import io
import json

import pytest
from django.utils import timezone
from pypdf import PdfReader

from pilar.activities import services as activities
from pilar.regions.models import Region
from tests.cases.conftest import open_for, register


@pytest.fixture
def data(people):  # type: ignore[no-untyped-def]
    """PPKS and cases in villages A and B, and in Jati Baru (another kecamatan); activities."""
    for name, village, by in (
        ("Satu", "18.01.04.2001", people["psm_a"]),
        ("Dua", "18.01.04.2001", people["psm_a"]),
        ("Tiga", "18.01.04.2002", people["psm_b"]),
        ("Empat", "18.01.05.2001", None),
    ):
        person = register(name, village, by)
        if by is not None:
            open_for(person, by)
    for code, men in (("18.01.04.2001", 4), ("18.01.04.2002", 6), ("17.01.01.2001", 9)):
        activities.record_activity(
            kind="penyuluhan_sosial",
            title="Penyuluhan",
            held_on=timezone.localdate(),
            region=Region.objects.get(code=code),
            men=men,
            women=1,
            acting_user=None,
        )


def figures(client) -> dict[str, object]:  # type: ignore[no-untyped-def]
    response = client.get("/rekap/dasbor/")
    assert response.status_code == 200
    return json.loads(json.dumps(response.context["board"].as_dict()))


@pytest.mark.django_db
def test_each_role_sees_the_dashboard_of_its_own_area(client_for, data) -> None:  # type: ignore[no-untyped-def]
    boards = {
        name: figures(client_for(name))
        for name in ("psm_a", "tksk", "operator_province", "operator_other_province", "pusat")
    }

    summary = {
        name: (
            board["region"],
            sum(board["ppks"].values()),
            board["cases_by_status"]["terbuka"],
            sum(board["activities_by_kind"].values()),
            board["participants"],
        )
        for name, board in boards.items()
    }
    assert summary == {
        "psm_a": ("18.01.04.2001", 2, 2, 1, 5),
        "tksk": ("18.01.04", 3, 3, 2, 12),
        "operator_province": ("18", 4, 3, 2, 12),
        "operator_other_province": ("17", 0, 0, 1, 10),
        "pusat": (None, 4, 3, 3, 22),
    }
    assert client_for("psm_a").get("/rekap/dasbor/?region=18.01.04.2002").status_code == 404
    assert client_for("no_role").get("/rekap/dasbor/").status_code == 403


@pytest.mark.django_db
def test_every_number_links_to_the_list_behind_it(client_for, data) -> None:  # type: ignore[no-untyped-def]
    page = client_for("tksk").get("/rekap/dasbor/").content.decode()

    assert (
        '<a href="/kasus/?daftar=semua&amp;status=terbuka&amp;region=18.01.04"><strong>3</strong> Terbuka</a>' in page
    )
    assert '<a href="/ppks/orang/?category=PPKS-08&amp;region=18.01.04">3</a>' in page
    assert (
        '<a href="/kegiatan/?kind=penyuluhan_sosial&amp;region=18.01.04"><strong>2</strong> Penyuluhan sosial</a>'
        in page
    )


@pytest.mark.django_db
def test_the_map_colours_the_children_of_the_region_and_stays_in_scope(client_for, data) -> None:  # type: ignore[no-untyped-def]
    regency = client_for("operator_regency").get("/rekap/peta/?region=18.01&indikator=cases")
    province = client_for("operator_province").get("/rekap/peta/?indikator=ppks&kategori=PPKS-08")

    config = regency.context["map"]
    assert (config["layer"], config["object"], config["prefix"], config["drill"]) == (
        "/static/pilar/maps/districts-18.topo.json",
        "districts",
        "18.01.",
        False,
    )
    assert [(area["code"], area["value"]) for area in config["areas"]] == [("18.01.04", 3), ("18.01.05", 0)]
    assert [(area["code"], area["value"]) for area in province.context["map"]["areas"]] == [("18.01", 4), ("18.02", 0)]
    assert province.context["map"]["layer"] == "/static/pilar/maps/regencies-18.topo.json"
    density = client_for("operator_province").get("/rekap/peta/?indikator=ppks_per_village&kategori=PPKS-08")
    assert [(area["code"], area["value"]) for area in density.context["map"]["areas"]] == [
        ("18.01", 1.3),
        ("18.02", 0.0),
    ]
    assert client_for("operator_regency").get("/rekap/peta/?region=18.02").status_code == 404
    assert client_for("psm_a").get("/rekap/peta/?region=18.01.04").status_code == 404


@pytest.mark.django_db
def test_below_a_regency_the_map_draws_the_kecamatan_with_the_viewer_s_own_figure(client_for, data) -> None:  # type: ignore[no-untyped-def]
    tksk = client_for("tksk").get("/rekap/peta/?indikator=cases")
    psm = client_for("psm_a").get("/rekap/peta/?indikator=cases")

    assert [(area["code"], area["name"], area["value"]) for area in tksk.context["map"]["areas"]] == [
        ("18.01.04", "Natar", 3)
    ]
    assert [(area.code, area.value) for area in tksk.context["data"].areas] == [
        ("18.01.04.2001", 2),
        ("18.01.04.2002", 1),
    ]
    assert [(area["code"], area["name"], area["value"]) for area in psm.context["map"]["areas"]] == [
        ("18.01.04", "Hajimena", 2)
    ]
    assert [(area.code, area.value) for area in psm.context["data"].areas] == [("18.01.04.2001", 2)]
    assert (psm.context["map"]["prefix"], psm.context["map"]["drill"]) == ("", False)


@pytest.mark.django_db
def test_the_dashboard_and_the_recaps_print_to_pdf(client_for, data) -> None:  # type: ignore[no-untyped-def]
    client = client_for("tksk")

    board = client.get("/rekap/dasbor/unduh.pdf")
    recap = client.get("/rekap/kasus/unduh.pdf")
    ppks = client.get("/rekap/ppks/unduh.pdf")

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(board.content)).pages)
    assert board["Content-Type"] == "application/pdf"
    assert "Dasbor: Natar" in text
    assert "Penyuluhan sosial 2" in text
    assert "PSM 0" in text
    for response in (recap, ppks):
        assert response["Content-Type"] == "application/pdf"
    assert "18.01.04.2001 Hajimena 2" in "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(recap.content)).pages
    )
