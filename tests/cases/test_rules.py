"""The state machine, escalation, returns, corrections and referrals, through the
services: exact messages, and nothing changed by a refused action."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from pilar.cases import services
from pilar.cases.models import Case, Notification
from tests.cases.conftest import act, fresh, open_for


def snapshot(case: Case) -> tuple[object, ...]:
    case = fresh(case)
    return (case.version, case.status, case.level, case.holding_region_id, case.assigned_to_id, case.events.count())


@pytest.mark.django_db
def test_an_illegal_move_is_refused_with_a_clear_message_and_changes_nothing(people, sumini) -> None:  # type: ignore[no-untyped-def]
    case = open_for(sumini, people["psm_a"])
    before = snapshot(case)

    with pytest.raises(ValidationError) as refused:
        act(case, "resolve", people["psm_a"], "Sudah beres")

    assert refused.value.messages == ["Kasus yang berstatus terbuka tidak dapat menjadi selesai."]
    assert snapshot(case) == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("action", "text", "outcome", "message"),
    [
        ("escalate", " ", "", "Sebutkan alasan kasus dieskalasi."),
        ("close", "", "", "Pilih hasil akhir kasus."),
        (
            "return",
            "Lengkapi dokumen",
            "",
            "Kasus ini dibuka di tingkat ini; tidak ada tingkat di bawahnya untuk mengembalikannya.",
        ),
    ],
)
def test_a_change_missing_what_it_needs_is_refused(people, sumini, action, text, outcome, message) -> None:  # type: ignore[no-untyped-def]
    case = act(open_for(sumini, people["psm_a"]), "take", people["psm_a"])
    before = snapshot(case)

    with pytest.raises(ValidationError) as refused:
        act(case, action, people["psm_a"], text, outcome)

    assert refused.value.messages == [message]
    assert snapshot(case) == before


@pytest.mark.django_db
def test_an_outsider_and_a_higher_level_cannot_act_on_a_case_held_at_the_village(people, sumini) -> None:  # type: ignore[no-untyped-def]
    case = open_for(sumini, people["psm_a"])
    before = snapshot(case)

    for name in ("psm_b", "tksk", "operator_regency", "pusat", "admin"):
        with pytest.raises(PermissionDenied) as refused:
            act(case, "escalate", people[name], "Naik")
        assert str(refused.value) == (
            "Kasus ini dipegang tingkat Desa/kelurahan 18.01.04.2001; "
            "hanya petugas di sana yang dapat menindaklanjutinya."
        )

    assert snapshot(case) == before


@pytest.mark.django_db
def test_escalation_climbs_to_the_ministry_and_stops_there(people, sumini) -> None:  # type: ignore[no-untyped-def]
    case = open_for(sumini, people["psm_a"])
    act(case, "escalate", people["psm_a"], "Desa tidak sanggup")
    act(case, "escalate", people["tksk"], "Kecamatan tidak sanggup")
    act(case, "escalate", people["operator_regency"], "Kabupaten tidak sanggup")
    act(case, "escalate", people["operator_province"], "Provinsi tidak sanggup")
    case = fresh(case)

    assert (case.level, case.holding_region_id, case.assigned_to, case.status) == (
        0,
        None,
        people["pusat"],
        "dieskalasi",
    )
    with pytest.raises(ValidationError) as refused:
        act(case, "escalate", people["pusat"], "Lebih tinggi")
    assert refused.value.messages == ["Kementerian adalah tingkat terakhir; kasus tidak dapat naik lagi."]
    assert list(case.events.filter(kind="eskalasi").values_list("to_level", "to_region", "actor__username")) == [
        (3, "18.01.04", "psm_a"),
        (2, "18.01", "tksk"),
        (1, "18", "operator_regency"),
        (0, None, "operator_province"),
    ]
    assert Notification.objects.filter(case=case, kind="tiba").count() == 4


@pytest.mark.django_db
def test_a_returned_case_goes_back_to_the_level_it_came_from_with_the_instruction(people, sumini) -> None:  # type: ignore[no-untyped-def]
    case = open_for(sumini, people["psm_a"])
    act(case, "escalate", people["psm_a"], "Butuh beasiswa")
    act(case, "return", people["tksk"], "Daftarkan dulu ke PIP lewat sekolah")
    case = fresh(case)

    assert (case.level, case.holding_region_id, case.assigned_to, case.status) == (
        4,
        "18.01.04.2001",
        people["psm_a"],
        "dikembalikan",
    )
    returned = case.events.get(kind="dikembalikan")
    assert (returned.text, returned.from_level, returned.to_level, returned.actor) == (
        "Daftarkan dulu ke PIP lewat sekolah",
        3,
        4,
        people["tksk"],
    )
    assert list(services.holders(4, "18.01.04.2001")) == [people["psm_a"]]
    assert Notification.objects.filter(user=people["psm_a"], case=case, kind="tiba").count() == 1
    assert act(case, "take", people["psm_a"]).status == "ditangani"


@pytest.mark.django_db
def test_a_closed_case_reopens_with_a_new_deadline_and_a_resolved_one_closes(people, sumini) -> None:  # type: ignore[no-untyped-def]
    case = act(open_for(sumini, people["psm_a"]), "take", people["psm_a"])
    act(case, "resolve", people["psm_a"], "Bantuan diterima")
    closed = act(case, "close", people["psm_a"], outcome="teratasi")
    assert (closed.status, closed.outcome) == ("ditutup", "teratasi")

    reopened = act(case, "reopen", people["psm_a"], "Kambuh lagi")

    assert (reopened.status, reopened.outcome, reopened.closed_at) == ("dibuka_kembali", "", None)
    assert reopened.due_at == reopened.arrived_at + datetime.timedelta(days=14)
    assert list(fresh(case).events.values_list("kind", flat=True)) == [
        "dibuka",
        "ditangani",
        "selesai",
        "ditutup",
        "dibuka_kembali",
    ]


@pytest.mark.django_db
def test_a_correction_is_a_new_event_by_the_author_and_the_original_stays(people, sumini) -> None:  # type: ignore[no-untyped-def]
    case = open_for(sumini, people["psm_a"])
    visit = services.record_visit(
        case,
        expected_version=fresh(case).version,
        happened_on=timezone.localdate(),
        action_taken="Memberi 5 kg beras",
        acting_user=people["psm_a"],
    )

    correction = services.correct_event(
        case, visit, expected_version=fresh(case).version, text="Yang benar 10 kg beras", acting_user=people["psm_a"]
    )

    visit.refresh_from_db()
    assert (visit.text, correction.corrects, correction.kind) == ("Memberi 5 kg beras", visit, "koreksi")
    before = snapshot(case)
    with pytest.raises(PermissionDenied) as refused:
        services.correct_event(case, visit, expected_version=fresh(case).version, text="x", acting_user=people["tksk"])
    assert str(refused.value) == "Hanya penulis entri yang dapat mengoreksinya."
    assert snapshot(case) == before


@pytest.mark.django_db
def test_referral_answers_follow_their_own_states_and_tell_the_sender(people, sumini) -> None:  # type: ignore[no-untyped-def]
    psm_a, tksk, regency = people["psm_a"], people["tksk"], people["operator_regency"]
    case = open_for(sumini, tksk)
    referral = services.refer_case(
        case,
        expected_version=fresh(case).version,
        destination_kind="instansi",
        agency="dukcapil",
        destination_name="Disdukcapil Lampung Selatan",
        reason="Belum ada NIK",
        acting_user=tksk,
    )
    with pytest.raises(ValidationError) as skipped:
        services.answer_referral(
            referral, expected_version=fresh(case).version, to_status="selesai", acting_user=regency
        )
    with pytest.raises(ValidationError) as no_reason:
        services.answer_referral(
            referral, expected_version=fresh(case).version, to_status="ditolak", acting_user=regency
        )

    services.answer_referral(
        referral,
        expected_version=fresh(case).version,
        to_status="diterima",
        answer="Jadwal rekam 3 Des",
        acting_user=regency,  # the level above records it: the sender may not
    )
    services.reassign_case(fresh(case), expected_version=fresh(case).version, assignee=tksk, acting_user=tksk)

    referral.refresh_from_db()
    assert skipped.value.messages == ["Rujukan yang berstatus dikirim tidak dapat menjadi selesai."]
    assert no_reason.value.messages == ["Sebutkan alasan rujukan ditolak."]
    assert (referral.status, referral.answer, referral.destination) == (
        "diterima",
        "Jadwal rekam 3 Des",
        "Dukcapil (untuk yang belum punya NIK): Disdukcapil Lampung Selatan",
    )
    assert list(fresh(case).events.values_list("kind", "referral_status")) == [
        ("dibuka", ""),
        ("rujukan", "dikirim"),
        ("jawaban_rujukan", "diterima"),
        ("penugasan", ""),
    ]
    assert psm_a not in services.holders(3, "18.01.04")
    with pytest.raises(ValidationError) as elsewhere:
        services.reassign_case(fresh(case), expected_version=fresh(case).version, assignee=psm_a, acting_user=tksk)
    assert elsewhere.value.messages == ["Psm A tidak bertugas di tingkat yang memegang kasus ini."]
