"""The path of a case from the village PSM to the regency office, through the pages,
as the people who would do it; and who may follow it afterwards."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from pilar.audit.models import AccessLog
from pilar.cases.models import Case, Notification, Referral
from pilar.cases.worklists import work_list
from pilar.regions.models import Region
from pilar.workforce import institutions
from tests.cases.conftest import fresh
from tests.images import PNG


def post_action(client, case: Case, action: str, text: str = "", outcome: str = ""):  # type: ignore[no-untyped-def]
    data = {"version": fresh(case).version, "action": action, "text": text, "outcome": outcome}
    return client.post(f"/kasus/{case.pk}/tindakan/", data)


@pytest.mark.django_db
def test_a_psm_case_goes_up_to_the_regency_which_closes_it_and_the_psm_still_follows(  # type: ignore[no-untyped-def]
    client_for, people, sumini
) -> None:
    lks = institutions.register_institution(
        kind="LKS", name="LKS Harapan Bunda", region=Region.objects.get(code="18.01"), acting_user=None
    )
    psm, tksk, regency = client_for("psm_a"), client_for("tksk"), client_for("operator_regency")
    record = sumini.ppks_records.get()

    opened = psm.post(
        f"/kasus/baru/orang/{sumini.pk}/",
        {
            "summary": "Lansia tinggal sendiri, sering sakit",
            "needs": "Pendampingan",
            "priority": "tinggi",
            "records": [record.pk],
        },
    )
    case = Case.objects.get()
    assert opened.status_code == 302
    assert opened["Location"] == f"/kasus/{case.pk}/"
    assert (case.level, case.holding_region_id, case.assigned_to, case.status, case.region_id) == (
        4,
        "18.01.04.2001",
        people["psm_a"],
        "terbuka",
        "18.01.04.2001",
    )
    assert list(case.ppks_records.all()) == [record]

    today = timezone.localdate().isoformat()
    visit = psm.post(
        f"/kasus/{case.pk}/kunjungan/simpan/",
        {
            "version": fresh(case).version,
            "happened_on": today,
            "place": "Rumah Ibu Sumini",
            "action_taken": "Asesmen kebutuhan, cek obat",
            "next_step": "Rujuk ke LKS",
            "photo": SimpleUploadedFile("rumah.png", PNG, content_type="image/png"),
        },
    )
    referral = psm.post(
        f"/kasus/{case.pk}/rujukan/",
        {"version": fresh(case).version, "destination_kind": "lembaga", "institution": lks.pk, "reason": "Butuh panti"},
    )
    escalated = post_action(psm, case, "escalate", "Di luar kemampuan desa")
    assert [visit.status_code, referral.status_code, escalated.status_code] == [302, 302, 302]
    case = fresh(case)
    assert (case.level, case.holding_region_id, case.status, case.assigned_to) == (
        3,
        "18.01.04",
        "dieskalasi",
        people["tksk"],
    )

    waiting = tksk.get("/kasus/?daftar=menunggu")
    assert f"#{case.pk} Sumini" in waiting.content.decode()
    assert list(work_list(people["tksk"], "menunggu")) == [case]
    assert list(Notification.objects.filter(user=people["tksk"]).values_list("kind", "case")) == [("tiba", case.pk)]

    assert post_action(tksk, case, "escalate", "Perlu panti milik kabupaten").status_code == 302
    assert list(work_list(people["operator_regency"], "menunggu")) == [fresh(case)]
    assert list(work_list(people["tksk"], "menunggu")) == []
    assert post_action(regency, case, "take").status_code == 302
    closed = post_action(regency, case, "close", "Ditempatkan di LKS", outcome="teratasi")

    case = fresh(case)
    assert closed.status_code == 302
    assert (case.status, case.outcome, case.level, case.holding_region_id) == ("ditutup", "teratasi", 2, "18.01")
    assert case.closed_at is not None
    assert list(case.events.values_list("kind", "from_status", "to_status", "actor__username", "text")) == [
        ("dibuka", "", "terbuka", "psm_a", ""),
        ("kunjungan", "", "", "psm_a", "Asesmen kebutuhan, cek obat"),  # with its photo
        ("rujukan", "terbuka", "dirujuk", "psm_a", "Butuh panti"),
        ("eskalasi", "dirujuk", "dieskalasi", "psm_a", "Di luar kemampuan desa"),
        ("eskalasi", "dieskalasi", "dieskalasi", "tksk", "Perlu panti milik kabupaten"),
        ("ditangani", "dieskalasi", "ditangani", "operator_regency", ""),
        ("ditutup", "ditangani", "ditutup", "operator_regency", "Ditempatkan di LKS"),
    ]
    assert case.events.get(kind="kunjungan").attachment.content_type == "image/png"
    assert list(
        case.events.filter(kind="eskalasi").values_list("from_level", "from_region", "to_level", "to_region")
    ) == [
        (4, "18.01.04.2001", 3, "18.01.04"),
        (3, "18.01.04", 2, "18.01"),
    ]
    assert Referral.objects.get().institution == lks

    followed = psm.get(f"/kasus/{case.pk}/")
    page = followed.content.decode()
    assert followed.status_code == 200
    assert "Ditempatkan di LKS" in page
    assert "Asesmen kebutuhan, cek obat" in page
    assert list(work_list(people["psm_a"], "selesai")) == [case]

    attachment = case.attachments.get()
    sibling = client_for("psm_b")
    assert sibling.get(f"/kasus/{case.pk}/").status_code == 404
    assert sibling.get(f"/kasus/lampiran/{attachment.pk}/").status_code == 404
    assert client_for("psm_b").get(f"/kasus/{case.pk}/kunjungan/").status_code == 404
    assert list(work_list(people["psm_b"], "semua")) == []


@pytest.mark.django_db
def test_the_sibling_psm_gets_404_for_the_case_its_events_and_its_attachments_in_the_api(  # type: ignore[no-untyped-def]
    api_for, client_for, people, sumini
) -> None:
    psm = client_for("psm_a")
    psm.post(f"/kasus/baru/orang/{sumini.pk}/", {"summary": "Butuh bantuan", "priority": "sedang"})
    case = Case.objects.get()
    psm.post(
        f"/kasus/{case.pk}/lampiran/",
        {"version": fresh(case).version, "file": SimpleUploadedFile("surat.pdf", b"%PDF-1.4\n%%EOF\n")},
    )
    attachment = case.attachments.get()
    sibling = api_for("psm_b")

    assert sibling.get(f"/api/v1/cases/{case.pk}/").status_code == 404
    assert sibling.get(f"/api/v1/cases/{case.pk}/events/").status_code == 404
    assert sibling.post(f"/api/v1/cases/{case.pk}/transition/", {"version": 2, "action": "take"}).status_code == 404
    assert sibling.get("/api/v1/cases/").json()["results"] == []
    assert client_for("psm_b").get(f"/kasus/lampiran/{attachment.pk}/").status_code == 404
    assert fresh(case).status == "terbuka"

    served = psm.get(f"/kasus/lampiran/{attachment.pk}/")
    assert served.status_code == 200
    assert served["Content-Type"] == "application/pdf"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert b"".join(served.streaming_content) == b"%PDF-1.4\n%%EOF\n"
    assert AccessLog.objects.filter(record_type="cases.Attachment", record_ids=[attachment.pk]).count() == 1
    events = api_for("psm_a").get(f"/api/v1/cases/{case.pk}/events/").json()
    assert [event["kind"] for event in events] == ["dibuka", "lampiran"]
    assert events[1]["attachment"] == f"/kasus/lampiran/{attachment.pk}/"


@pytest.mark.django_db
def test_every_role_reads_the_case_of_its_area_and_only_the_holder_acts(client_for, people, sumini) -> None:  # type: ignore[no-untyped-def]
    psm = client_for("psm_a")
    psm.post(f"/kasus/baru/orang/{sumini.pk}/", {"summary": "Butuh bantuan", "priority": "sedang"})
    case = Case.objects.get()

    seen = {name: client_for(name).get(f"/kasus/{case.pk}/").status_code for name in people}
    acted = {
        name: post_action(client_for(name), case, "take").status_code
        for name in ("tksk", "operator_regency", "operator_province", "pusat", "admin", "psm_b", "no_role")
    }

    assert seen == {
        "psm_a": 200,
        "psm_b": 404,
        "tksk": 200,
        "operator_regency": 200,
        "operator_province": 200,
        "operator_other_province": 404,
        "pusat": 200,
        "admin": 200,
        "no_role": 404,
    }
    assert acted == {
        "tksk": 403,
        "operator_regency": 403,
        "operator_province": 403,
        "pusat": 403,
        "admin": 403,
        "psm_b": 404,
        "no_role": 404,
    }
    assert (fresh(case).status, fresh(case).version, case.events.count()) == ("terbuka", 1, 1)
    assert post_action(psm, case, "take").status_code == 302
    assert fresh(case).status == "ditangani"


@pytest.mark.django_db
def test_only_area_workers_open_a_case_and_the_form_refuses_an_empty_summary(client_for, people, sumini) -> None:  # type: ignore[no-untyped-def]
    url = f"/kasus/baru/orang/{sumini.pk}/"

    statuses = {name: client_for(name).get(url).status_code for name in people}
    empty = client_for("psm_a").post(url, {"summary": "  ", "priority": "sedang"})

    assert statuses == {
        "psm_a": 200,
        "psm_b": 404,
        "tksk": 200,
        "operator_regency": 200,
        "operator_province": 200,
        "operator_other_province": 404,
        "pusat": 403,
        "admin": 403,
        "no_role": 404,
    }
    assert empty.status_code == 200
    assert '<ul class="errorlist" id="id_summary_error"><li>Bidang ini harus diisi.</li></ul>' in empty.content.decode()
    assert Case.objects.count() == 0
