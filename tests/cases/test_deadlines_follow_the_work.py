"""Deadlines that follow the work (issue 19, point 3): a case being worked on is
flagged, not escalated; the level above extends a deadline once per level with a
reason; urgent cases have shorter deadlines; every automatic escalation names its
rule. The scheduler's clock is moved; nothing waits."""

import datetime
from typing import Any

import pytest
from django.utils import timezone

from pilar.accounts.models import User
from pilar.beneficiaries.models import Person
from pilar.cases import deadlines, services
from pilar.cases.models import Case, CaseEvent, HeldBack, Notification, ReferralStatus
from pilar.regions.models import Region
from pilar.workforce import institutions
from tests.cases.conftest import HAJIMENA, act, fresh, open_for

pytestmark = pytest.mark.django_db


def visit(case: Case, by: User, on: datetime.date) -> None:
    case = fresh(case)
    services.record_visit(
        case, expected_version=case.version, happened_on=on, action_taken="Kunjungan rumah", acting_user=by
    )


def test_a_case_visited_today_is_flagged_not_escalated_an_hour_after_its_deadline(
    people: dict[str, User], sumini: Person
) -> None:
    case = act(open_for(sumini, people["psm_a"]), "take", people["psm_a"])
    now = timezone.now()
    # It came to the village 14 days ago; its deadline passed an hour ago.
    Case.objects.filter(pk=case.pk).update(
        arrived_at=now - datetime.timedelta(days=14, hours=1), due_at=now - datetime.timedelta(hours=1)
    )
    visit(case, people["psm_a"], timezone.localdate())
    before = fresh(case)

    escalated = deadlines.escalate_overdue(now)
    again = deadlines.escalate_overdue(now + datetime.timedelta(hours=1))

    after = fresh(case)
    assert (escalated, again) == ([], [])
    assert (after.level, after.status, after.version, after.held_back) == (4, "ditangani", before.version, "kunjungan")
    assert list(Notification.objects.filter(case=case, kind="tertahan").values_list("user__username", flat=True)) == [
        "tksk"
    ]  # told once
    # A week without a visit: the rule no longer holds it.
    later = before.due_at + datetime.timedelta(days=8)
    assert deadlines.escalate_overdue(later) == [case.pk]
    assert (fresh(case).level, fresh(case).held_back) == (3, "")


def test_a_case_waiting_for_an_accepted_referral_is_flagged_not_escalated(
    people: dict[str, User], sumini: Person
) -> None:
    case = act(open_for(sumini, people["psm_a"]), "take", people["psm_a"])
    lks = institutions.register_institution(
        kind="LKS", name="LKS Harapan", region=Region.objects.get(code=HAJIMENA), acting_user=None
    )
    referral = services.refer_case(
        fresh(case), expected_version=fresh(case).version, destination_kind="lembaga", institution=lks,
        reason="Perlu panti", acting_user=people["psm_a"],
    )  # fmt: skip
    services.answer_referral(
        referral, expected_version=fresh(case).version, to_status=ReferralStatus.ACCEPTED, acting_user=people["tksk"]
    )
    due = fresh(case).due_at

    assert deadlines.escalate_overdue(due + datetime.timedelta(days=20)) == []
    assert fresh(case).held_back == HeldBack.REFERRAL


def test_an_urgent_case_is_due_sooner_and_its_escalation_names_the_rule(
    people: dict[str, User], sumini: Person
) -> None:
    case = open_for(sumini, people["psm_a"], priority="darurat")
    normal = open_for(sumini, people["psm_a"])

    assert case.due_at - case.arrived_at == datetime.timedelta(days=2)
    assert normal.due_at - normal.arrived_at == datetime.timedelta(days=14)
    assert deadlines.escalate_overdue(case.due_at + datetime.timedelta(minutes=1)) == [case.pk]
    assert fresh(case).events.get(kind="eskalasi").text == (
        "Otomatis: melewati tenggat 2 hari untuk kasus berprioritas darurat di tingkat Desa/kelurahan 18.01.04.2001."
    )


def test_the_tksk_extends_a_village_case_once_with_a_reason(
    people: dict[str, User], sumini: Person, client_for: Any
) -> None:
    case = open_for(sumini, people["psm_a"])
    due = case.due_at
    tksk = client_for("tksk")

    without_reason = tksk.post(f"/kasus/{case.pk}/perpanjang/", {"version": case.version, "days": 7, "reason": ""})
    unchanged = fresh(case)
    done = tksk.post(
        f"/kasus/{case.pk}/perpanjang/", {"version": case.version, "days": 7, "reason": "Menunggu surat desa"}
    )
    extended = fresh(case)
    twice = tksk.post(f"/kasus/{case.pk}/perpanjang/", {"version": extended.version, "days": 3, "reason": "Lagi"})

    assert without_reason.status_code == 400
    assert (unchanged.due_at, unchanged.version) == (due, case.version)
    assert done.status_code == 302
    assert extended.due_at == due + datetime.timedelta(days=7)
    assert extended.extended_at_level == 4
    event = extended.events.get(kind="perpanjangan")
    assert (event.actor, event.text) == (people["tksk"], "Menunggu surat desa")
    assert twice.status_code == 400
    assert "sudah diperpanjang sekali" in twice.content.decode()
    assert fresh(case).due_at == extended.due_at
    assert Notification.objects.filter(case=case, kind="diperpanjang", user=people["psm_a"]).count() == 1
    # Escalated at last, the timeline names the extended deadline as the rule.
    assert deadlines.escalate_overdue(extended.due_at + datetime.timedelta(minutes=1)) == [case.pk]
    assert fresh(case).events.get(kind="eskalasi").text.startswith("Otomatis: melewati tenggatnya di tingkat Desa")
    assert fresh(case).extended_at_level is None  # a new level, a new extension


@pytest.mark.parametrize(("persona", "status"), [("psm_a", 403), ("operator_regency", 403), ("psm_b", 404)])
def test_only_the_level_above_extends_and_a_refusal_changes_nothing(
    people: dict[str, User], sumini: Person, client_for: Any, persona: str, status: int
) -> None:
    case = open_for(sumini, people["psm_a"])

    response = client_for(persona).post(
        f"/kasus/{case.pk}/perpanjang/", {"version": case.version, "days": 7, "reason": "Tolong"}
    )

    assert response.status_code == status
    assert (fresh(case).due_at, fresh(case).version) == (case.due_at, case.version)
    assert not CaseEvent.objects.filter(case=case, kind="perpanjangan").exists()
