"""The case recap counts exactly what happened, for any region, on the page, the API,
the file exports and the command."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from pilar.cases import services
from pilar.cases.models import Case, Programme
from tests.cases.conftest import act, fresh, open_for, register


def days_to_close(case: Case) -> float:
    case = fresh(case)
    assert case.closed_at is not None
    return round((case.closed_at - case.opened_at).total_seconds() / 86400, 1)


@pytest.fixture
def history(people):  # type: ignore[no-untyped-def]
    """Four cases: two of Hajimena (one closed after 3 days, one escalated and overdue),
    one of Sidosari with two referrals, one of Jati Baru (another kecamatan)."""
    psm_a, psm_b = people["psm_a"], people["psm_b"]
    closed = open_for(
        register("Satu", "18.01.04.2001", psm_a), psm_a, opened_on=timezone.localdate() - datetime.timedelta(days=3)
    )
    act(closed, "take", psm_a)
    act(closed, "close", psm_a, outcome="teratasi")
    late = open_for(
        register("Dua", "18.01.04.2001", psm_a), psm_a, opened_on=timezone.localdate() - datetime.timedelta(days=30)
    )
    act(late, "escalate", psm_a, "Naik")
    Case.objects.filter(pk=late.pk).update(due_at=timezone.now() - datetime.timedelta(days=1))
    referred = open_for(register("Tiga", "18.01.04.2002", psm_b), psm_b)
    for destination in (
        {"agency": "dukcapil", "destination_kind": "instansi"},
        {"programme": Programme.objects.get(code="pkh"), "destination_kind": "program"},
    ):
        referral = services.refer_case(
            fresh(referred), expected_version=fresh(referred).version, reason="Perlu", acting_user=psm_b, **destination
        )
    services.answer_referral(
        referral,
        expected_version=fresh(referred).version,
        to_status="ditolak",
        answer="Kuota habis",
        acting_user=people["tksk"],  # the TKSK records it: nobody answers their own referral
    )
    open_for(register("Empat", "18.01.05.2001", None), people["operator_regency"])
    return closed


@pytest.mark.django_db
def test_the_recap_of_a_kecamatan_and_its_regency_counts_exactly_what_happened(history) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    call_command("recap", "cases", "--region", "18.01.04", "--format", "json", stdout=out)
    natar = json.loads(out.getvalue())
    out = io.StringIO()
    call_command("recap", "cases", "--region", "18.01", "--format", "csv", stdout=out)

    assert {key: natar[key] for key in ("region", "open", "overdue", "closed", "escalations", "referrals")} == {
        "region": "18.01.04",
        "open": 2,
        "overdue": 1,
        "closed": 1,
        "escalations": 1,
        "referrals": 2,
    }
    assert natar["median_days_to_close"] == days_to_close(history)
    assert natar["open_by_level"]["kecamatan"]["dieskalasi"] == 1
    assert natar["open_by_level"]["desa"]["dirujuk"] == 1
    assert sum(sum(statuses.values()) for statuses in natar["open_by_level"].values()) == 2
    assert natar["referrals_by_destination"] == [
        {
            "destination": "instansi:dukcapil",
            "label": "Dukcapil (untuk yang belum punya NIK)",
            "dikirim": 1,
            "diterima": 0,
            "selesai": 0,
            "ditolak": 0,
        },
        {
            "destination": "program:pkh",
            "label": "PKH (Program Keluarga Harapan)",
            "dikirim": 0,
            "diterima": 0,
            "selesai": 0,
            "ditolak": 1,
        },
    ]
    children = {child["region"]: (child["open"], child["closed"], child["referrals"]) for child in natar["children"]}
    assert children == {"18.01.04.2001": (1, 1, 0), "18.01.04.2002": (1, 0, 2)}
    assert out.getvalue().splitlines()[-3:] == [
        "18.01.04,Natar,2,1,1,1,2",
        "18.01.05,Tanjung Bintang,1,0,0,0,0",
        "18.01,Jumlah,3,1,1,1,2",
    ]


@pytest.mark.django_db
def test_the_recap_page_api_and_export_stay_inside_the_viewers_area(client_for, api_for, history) -> None:  # type: ignore[no-untyped-def]
    page = client_for("tksk").get("/rekap/kasus/")
    mine = api_for("psm_a").get("/api/v1/recap/cases/").json()
    exported = client_for("operator_regency").get("/rekap/kasus/unduh.csv?region=18.01.04")

    assert page.status_code == 200
    assert "Rekap kasus: Natar" in page.content.decode()
    assert (mine["region"], mine["open"], mine["closed"]) == ("18.01.04.2001", 1, 1)
    assert api_for("psm_a").get("/api/v1/recap/cases/?region=18.01.04.2002").status_code == 404
    assert client_for("psm_b").get("/rekap/kasus/?region=18.01.04.2001").status_code == 404
    assert exported.content.decode("utf-8-sig").splitlines() == [
        "kode_wilayah,nama_wilayah,open,overdue,closed,escalations,referrals,median_hari_sampai_ditutup",
        "18.01.04.2001,Hajimena,1,1,1,1,0,",
        "18.01.04.2002,Sidosari,1,0,0,0,2,",
        f"18.01.04,Total,2,1,1,1,2,{days_to_close(history)}",
    ]
