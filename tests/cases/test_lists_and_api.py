"""Work lists, navigation counts, notifications, exports and the API of cases."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pilar.audit.models import AccessLog
from pilar.cases.models import Case, Notification
from tests.cases.conftest import act, fresh, open_for, register


@pytest.mark.django_db
def test_the_navigation_counts_what_waits_and_notifications_can_be_read(  # type: ignore[no-untyped-def]
    client_for, people, sumini, django_capture_on_commit_callbacks
) -> None:
    people["tksk"].email = "tksk@natar.example"
    people["tksk"].save()
    case = open_for(sumini, people["psm_a"])
    with django_capture_on_commit_callbacks(execute=True):
        with_email = act(case, "escalate", people["psm_a"], "Naik")
    tksk = client_for("tksk")

    home = tksk.get("/").content.decode()
    listed = tksk.get("/kasus/notifikasi/").content.decode()
    tksk.post("/kasus/notifikasi/")

    assert '<span class="badge" title="Menunggu tindakan saya">1</span>' in home
    assert '<span class="badge" title="Notifikasi belum dibaca">✉ 1</span>' in home
    assert f"Kasus #{case.pk} sampai di tingkat Anda dan menunggu tindakan Anda." in listed
    assert Notification.objects.get(user=people["tksk"]).read_at is not None
    assert [message.to for message in mail.outbox] == [["tksk@natar.example"]]
    assert (
        mail.outbox[0].subject == f"[Pilar] Kasus #{with_email.pk} sampai di tingkat Anda dan menunggu tindakan Anda."
    )
    assert "Sumini" not in mail.outbox[0].body


@pytest.mark.django_db
def test_the_case_list_runs_a_fixed_number_of_queries_and_is_logged(client_for, people) -> None:  # type: ignore[no-untyped-def]
    client = client_for("psm_a")
    open_for(register("Satu", "18.01.04.2001", people["psm_a"]), people["psm_a"])
    with CaptureQueriesContext(connection) as one:
        client.get("/kasus/?daftar=semua")
    for number in range(6):
        open_for(register(f"Orang {number}", "18.01.04.2001", people["psm_a"]), people["psm_a"])
    with CaptureQueriesContext(connection) as seven:
        page = client.get("/kasus/?daftar=semua")

    assert len(seven.captured_queries) == len(one.captured_queries)
    assert page.content.decode().count('<tr><td><a href="/kasus/') == 7
    assert AccessLog.objects.filter(record_type="cases.Case", action="view").count() == 2


@pytest.mark.django_db
def test_each_work_list_holds_what_it_says(client_for, people, sumini) -> None:  # type: ignore[no-untyped-def]
    waiting = open_for(sumini, people["psm_a"])
    mine = act(open_for(sumini, people["psm_a"]), "take", people["psm_a"])
    escalated = act(open_for(sumini, people["psm_a"]), "escalate", people["psm_a"], "Naik")
    closed = act(
        act(open_for(sumini, people["psm_a"]), "take", people["psm_a"]), "close", people["psm_a"], outcome="meninggal"
    )
    later = timezone.now() + timezone.timedelta(days=15)

    from pilar.cases.worklists import work_list

    def ids(name: str, who: str = "psm_a", now=None) -> list[int]:  # type: ignore[no-untyped-def]
        return [case.pk for case in work_list(people[who], name, now)]

    assert ids("menunggu") == [waiting.pk]
    assert ids("saya") == [waiting.pk, mine.pk]
    assert ids("diikuti") == [escalated.pk]
    assert ids("selesai") == [closed.pk]
    assert ids("terlambat") == []
    assert ids("terlambat", now=later) == [waiting.pk, mine.pk]
    assert ids("menunggu", "tksk") == [escalated.pk]
    assert ids("semua", "psm_b") == []
    assert ids("semua", "no_role") == []
    assert sorted(ids("semua", "pusat")) == sorted([waiting.pk, mine.pk, escalated.pk, closed.pk])


@pytest.mark.django_db
def test_the_export_lists_the_facts_of_the_cases_of_the_area_and_is_logged(client_for, people, sumini) -> None:  # type: ignore[no-untyped-def]
    case = open_for(sumini, people["psm_a"], summary="Cerita rahasia")
    open_for(register("Di Sidosari", "18.01.04.2002", people["psm_b"]), people["psm_b"])

    response = client_for("psm_a").get("/kasus/unduh.csv?daftar=semua")

    lines = response.content.decode("utf-8-sig").splitlines()
    assert (
        lines[0]
        == "nomor,nama,kode_desa,status,prioritas,tingkat,wilayah_pemegang,petugas,dibuka,tenggat,terlambat,hasil"
    )
    assert lines[1].startswith(f"{case.pk},Sumini,18.01.04.2001,Terbuka,Sedang,Desa/kelurahan,18.01.04.2001,psm_a,")
    assert len(lines) == 2
    assert "Cerita rahasia" not in response.content.decode("utf-8-sig")
    assert AccessLog.objects.get(action="export", record_type="cases.Case").record_ids == [case.pk]
    assert AccessLog.objects.get(action="export", record_type="beneficiaries.Person").record_ids == [case.person_id]


@pytest.mark.django_db
def test_the_api_opens_a_case_records_a_visit_and_refuses_a_stranger(api_for, people, sumini) -> None:  # type: ignore[no-untyped-def]
    client = api_for("psm_a")
    record = sumini.ppks_records.get()

    created = client.post(
        "/api/v1/cases/", {"person": sumini.pk, "summary": "Lewat API", "ppks_records": [record.pk]}, format="json"
    )
    case_id = created.json()["id"]
    visit = client.post(
        f"/api/v1/cases/{case_id}/events/",
        {"version": 1, "kind": "kunjungan", "text": "Kunjungan lewat API", "place": "Rumah"},
        format="json",
    )
    stale = client.post(
        f"/api/v1/cases/{case_id}/events/", {"version": 1, "kind": "catatan", "text": "Basi"}, format="json"
    )
    stranger = api_for("psm_b").post(
        "/api/v1/cases/", {"person": sumini.pk, "summary": "Bukan wilayah saya"}, format="json"
    )
    bad = client.post(f"/api/v1/cases/{case_id}/transition/", {"version": 2, "action": "resolve"}, format="json")

    assert created.status_code == 201
    assert (created.json()["level"], created.json()["status"], created.json()["ppks_records"]) == (
        4,
        "terbuka",
        [record.pk],
    )
    assert visit.status_code == 201
    assert visit.json()["text"] == "Kunjungan lewat API"
    assert stale.status_code == 409
    assert stranger.status_code == 404
    assert bad.status_code == 400
    assert bad.json() == {"detail": ["Kasus yang berstatus terbuka tidak dapat menjadi selesai."]}
    assert (fresh(Case.objects.get()).version, Case.objects.count()) == (2, 1)
