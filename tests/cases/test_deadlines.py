"""Deadlines per level and `pilar escalate_overdue`, shown by moving the clock."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from pilar.cases import deadlines, services
from pilar.cases.models import Case, Notification
from tests.cases.conftest import act, fresh, open_for


def run_command_at(monkeypatch: pytest.MonkeyPatch, moment: datetime.datetime) -> str:
    monkeypatch.setattr(timezone, "now", lambda: moment)
    out = io.StringIO()
    call_command("escalate_overdue", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_case_left_past_its_deadline_is_escalated_automatically(monkeypatch, people, sumini) -> None:  # type: ignore[no-untyped-def]
    case = open_for(sumini, people["psm_a"])
    opened = case.arrived_at

    early = run_command_at(monkeypatch, opened + datetime.timedelta(days=13, hours=23))
    assert early == "0 kasus dieskalasi, 1 peringatan tenggat dikirim.\n"
    assert (fresh(case).level, fresh(case).version) == (4, 1)
    assert list(Notification.objects.filter(case=case).values_list("user__username", "kind")) == [("psm_a", "tenggat")]

    late = opened + datetime.timedelta(days=14, minutes=1)
    output = run_command_at(monkeypatch, late)
    case = fresh(case)

    assert output == f"1 kasus dieskalasi, 0 peringatan tenggat dikirim.\n  #{case.pk}\n"
    assert (case.level, case.holding_region_id, case.status, case.assigned_to) == (
        3,
        "18.01.04",
        "dieskalasi",
        people["tksk"],
    )
    assert (case.arrived_at, case.due_at) == (late, late + datetime.timedelta(days=14))
    escalation = case.events.get(kind="eskalasi")
    assert (escalation.actor, escalation.is_automatic, escalation.text) == (
        None,
        True,
        "Otomatis: melewati tenggat 14 hari di tingkat Desa/kelurahan 18.01.04.2001.",
    )
    assert Notification.objects.filter(user=people["tksk"], case=case, kind="tiba").count() == 1
    assert run_command_at(monkeypatch, late) == "0 kasus dieskalasi, 0 peringatan tenggat dikirim.\n"


@pytest.mark.django_db
def test_each_level_has_its_own_deadline_and_the_ministry_is_never_escalated(people, sumini) -> None:  # type: ignore[no-untyped-def]
    days = {4: 3, 3: 7, 2: 14, 1: 21, 0: 1}
    with override_settings(CASE_DEADLINE_DAYS=days):
        at_village = open_for(sumini, people["psm_a"])
        at_ministry = open_for(sumini, people["psm_a"])
        for name in ("psm_a", "tksk", "operator_regency", "operator_province"):
            act(at_ministry, "escalate", people[name], "Naik")
        start = fresh(at_village).arrived_at

        assert deadlines.escalate_overdue(start + datetime.timedelta(days=2)) == []
        escalated = deadlines.escalate_overdue(start + datetime.timedelta(days=3, seconds=1))
        assert escalated == [at_village.pk]
        assert fresh(at_village).due_at == start + datetime.timedelta(days=3, seconds=1) + datetime.timedelta(days=7)
        assert deadlines.escalate_overdue(start + datetime.timedelta(days=30)) == [at_village.pk]
        assert fresh(at_village).level == 2
    assert fresh(at_ministry).level == 0
    assert fresh(at_ministry).events.filter(kind="eskalasi", is_automatic=True).count() == 0


@pytest.mark.django_db
def test_a_case_changed_while_the_scheduler_runs_is_left_for_the_next_run(people, sumini) -> None:  # type: ignore[no-untyped-def]
    case = open_for(sumini, people["psm_a"])
    stale = Case.objects.get(pk=case.pk)
    act(case, "take", people["psm_a"])

    with pytest.raises(services.CaseConflict):
        services.escalate_case(
            stale, expected_version=stale.version, reason="Otomatis", acting_user=None, automatic=True
        )

    assert (fresh(case).status, fresh(case).level, fresh(case).version) == ("ditangani", 4, 2)
