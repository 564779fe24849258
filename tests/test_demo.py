"""`pilar demo` (the README's first command) builds what it promises: all regions, an
account for every role, and data in every state, through the services; a second
run changes nothing; it refuses any database but the embedded SQLite."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from pilar.activities.models import Activity, MonthlyReport, ReportStatus
from pilar.beneficiaries.models import Person, PpksRecord, PpksStatus
from pilar.cases.models import Case, CaseLevel, CaseStatus, Referral
from pilar.core.demo import DEMO_PASSWORD
from pilar.regions.models import Region
from pilar.workforce.models import Engagement, Institution

ACCOUNTS = {
    "psm.hajimena": "psm",
    "psm.sidosari": "psm",
    "tksk.natar": "tksk",
    "dinsos.lampungselatan": "dinsos_kabkota",
    "dinsos.lampung": "dinsos_provinsi",
    "kemensos": "pusat",
    "admin": "admin",
}


def counts() -> dict[str, int]:
    models = (Region, Engagement, Institution, Person, PpksRecord, Case, Referral, Activity, MonthlyReport)
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the demo runs on SQLite only")
@pytest.mark.django_db(transaction=True)
def test_the_demo_has_every_role_and_every_state_and_a_second_run_changes_nothing() -> None:
    first = io.StringIO()
    again = io.StringIO()

    call_command("demo", "--no-serve", stdout=first)
    built = counts()
    call_command("demo", "--no-serve", stdout=again)

    assert built["Region"] == 91_599
    for username, role in ACCOUNTS.items():
        assert [line.split()[:2] for line in first.getvalue().splitlines() if line.startswith(f"  {username} ")] == [
            [username, role]
        ]
    assert first.getvalue().count("(baru)") == len(ACCOUNTS)
    assert again.getvalue().count("(sudah ada)") == len(ACCOUNTS)
    assert counts() == built
    assert set(Case.objects.values_list("level", flat=True)) == set(CaseLevel.values)
    assert set(Case.objects.values_list("status", flat=True)) == set(CaseStatus.values)
    assert set(PpksRecord.objects.values_list("status", flat=True)) == set(PpksStatus.values)
    assert set(MonthlyReport.objects.values_list("status", flat=True)) == set(ReportStatus.values)
    # Each account that writes reports bears the name of its worker record.
    linked = Engagement.objects.filter(worker__account__isnull=False).select_related("worker__account")
    assert sorted(e.worker.account.username for e in linked) == ["psm.hajimena", "psm.sidosari", "tksk.natar"]
    assert all(e.worker.account.full_name == e.worker.full_name for e in linked)
    two_steps = set()
    for username in ACCOUNTS:
        client = Client()
        assert client.post("/akun/masuk/", {"username": username, "password": DEMO_PASSWORD}).status_code == 302
        if client.get("/rekap/dasbor/").status_code == 302:
            two_steps.add(username)
            code = io.StringIO()
            call_command("demo_code", username, stdout=code)
            client.post("/akun/dua-langkah/", {"code": code.getvalue().strip()})
        assert client.get("/rekap/dasbor/").status_code == 200
    assert two_steps == {"dinsos.lampungselatan", "dinsos.lampung", "kemensos", "admin"}
    with pytest.raises(CommandError, match=r"psm\.hajimena bukan akun demo yang masuk dengan dua langkah"):
        call_command("demo_code", "psm.hajimena")


@pytest.mark.skipif(connection.vendor == "sqlite", reason="on SQLite the demo runs")
@pytest.mark.django_db
def test_the_demo_refuses_a_server_database() -> None:
    with pytest.raises(
        CommandError, match=r"Demo hanya berjalan pada basis data SQLite bawaan: kosongkan DATABASE_URL\."
    ):
        call_command("demo", "--no-serve")

    assert Region.objects.count() == 0
