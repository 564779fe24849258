"""Nobody reviews, verifies or approves their own work, whatever accounts or worker
records they hold; refused attempts change nothing.

The actions: approving or returning a monthly report, verifying or rejecting a PPKS
record, recording the answer to a referral. The authors: the worker whose report it
is (a TKSK who is also the PSM of a village in their kecamatan), an operator who
linked their own account to a worker, the PSM who reported a record, the worker who
sent a referral. Each is refused through the page and the service; another person in
the same place still may act."""

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from pilar.accounts import services as accounts
from pilar.accounts.models import User
from pilar.accounts.roles import Role
from pilar.activities import services as reports
from pilar.activities.models import MonthlyReport, ReportStatus
from pilar.beneficiaries import services as registry
from pilar.beneficiaries.models import PpksEvent, PpksRecord, PpksStatus
from pilar.cases import services as cases
from pilar.cases.models import Referral, ReferralStatus
from pilar.core.versions import version_of
from pilar.regions.models import Region
from pilar.workforce import services as workforce
from pilar.workforce.kinds import WorkerKind, WorkerStatus
from pilar.workforce.models import Engagement, Worker
from tests.cases.conftest import fresh, open_for, register

pytestmark = pytest.mark.django_db


def worker(kind: str, region: str, nik: str, account: User | None) -> Engagement:
    engagement = workforce.register_worker(
        nik=nik,
        full_name="Rahmat Hidayat",
        sex="L",
        birth_date=datetime.date(1980, 7, 15),
        home_village=Region.objects.get(code="18.01.04.2001"),
        kind=kind,
        region=Region.objects.get(code=region),
        acting_user=None,
    )
    Engagement.objects.filter(pk=engagement.pk).update(status=WorkerStatus.ACTIVE)
    if account is not None:
        workforce.update_worker(engagement.worker, account=account, acting_user=None)
    return Engagement.objects.select_related("worker").get(pk=engagement.pk)


def report_state(report: MonthlyReport) -> tuple[Any, ...]:
    report.refresh_from_db()
    return (report.status, report.reviewed_by_id, report.events.count(), report.history.count())


def test_a_tksk_who_is_also_a_psm_of_the_kecamatan_cannot_approve_their_own_psm_report(
    people: dict[str, User], client_for: Any
) -> None:
    tksk = people["tksk"]
    own = worker(WorkerKind.TKSK, "18.01.04", "1801041507800002", tksk)
    psm = workforce.add_engagement(
        own.worker, kind=WorkerKind.PSM, region=Region.objects.get(code="18.01.04.2001"), acting_user=None
    )
    Engagement.objects.filter(pk=psm.pk).update(status=WorkerStatus.ACTIVE)
    psm.refresh_from_db()
    report = reports.submit_report(psm, timezone.localdate(), narrative="Laporan sendiri", acting_user=tksk)
    before = report_state(report)

    with pytest.raises(PermissionDenied):
        reports.review_report(report, approve=True, acting_user=tksk)
    page = client_for("tksk").post(
        f"/laporan/{psm.pk}/{report.month:%Y-%m}/tinjau/", {"decision": "approve"}, follow=True
    )

    assert page.status_code == 403
    assert report_state(report) == before


def test_an_operator_cannot_link_their_own_account_to_a_worker_nor_approve_its_report(
    people: dict[str, User], client_for: Any
) -> None:
    operator = people["operator_regency"]
    engagement = worker(WorkerKind.TKSK, "18.01.04", "1801041507800002", None)
    before = (Worker.objects.get(pk=engagement.worker_id).account_id, engagement.worker.history.count())

    with pytest.raises(ValidationError, match="akun Anda sendiri"):
        workforce.update_worker(engagement.worker, account=operator, acting_user=operator)
    page = client_for("operator_regency").post(
        f"/psks/pekerja/{engagement.worker_id}/ubah/",
        {
            "full_name": "Rahmat Hidayat",
            "phone": "",
            "education": "",
            "account": "operator_regency",
            "version": version_of(Worker.objects.get(pk=engagement.worker_id)),
        },
    )

    assert page.status_code == 200
    assert "Anda tidak dapat menautkan akun Anda sendiri ke seorang pekerja." in page.content.decode()
    assert (Worker.objects.get(pk=engagement.worker_id).account_id, engagement.worker.history.count()) == before


def test_an_operator_cannot_take_over_a_worker_already_linked_to_another_account(people: dict[str, User]) -> None:
    engagement = worker(WorkerKind.PSM, "18.01.04.2001", "1801041507800003", people["psm_a"])

    with pytest.raises(ValidationError, match="hanya administrator"):
        workforce.update_worker(engagement.worker, account=people["psm_b"], acting_user=people["operator_regency"])

    assert Worker.objects.get(pk=engagement.worker_id).account == people["psm_a"]


def test_linking_an_account_is_recorded_and_the_administrator_may_relink(people: dict[str, User]) -> None:
    engagement = worker(WorkerKind.PSM, "18.01.04.2001", "1801041507800003", None)

    workforce.update_worker(engagement.worker, account=people["psm_a"], acting_user=people["operator_regency"])
    workforce.update_worker(engagement.worker, account=people["psm_b"], acting_user=people["admin"])

    rows = list(engagement.worker.history.order_by("history_id").values_list("history_change_reason", "history_user"))
    assert rows[-2:] == [
        ("Akun Pilar ditautkan: psm_a", people["operator_regency"].pk),
        ("Akun Pilar ditautkan: psm_b", people["admin"].pk),
    ]


def test_an_operator_whose_account_is_linked_to_a_tksk_cannot_approve_that_tksk_report(
    people: dict[str, User],
) -> None:
    operator = people["operator_regency"]
    engagement = worker(WorkerKind.TKSK, "18.01.04", "1801041507800002", operator)
    report = reports.submit_report(engagement, timezone.localdate(), narrative="x", acting_user=operator)
    before = report_state(report)

    with pytest.raises(PermissionDenied, match="laporannya sendiri"):
        reports.review_report(report, approve=True, acting_user=operator)

    assert report_state(report) == before
    colleague = accounts.create_user(
        username="operator_kedua", full_name="Operator Kedua", role=Role.DINSOS_KABKOTA,
        region=Region.objects.get(code="18.01"), acting_user=None,
    )  # fmt: skip
    assert reports.review_report(report, approve=True, acting_user=colleague).status == ReportStatus.APPROVED


def record_state(record: PpksRecord) -> tuple[Any, ...]:
    record.refresh_from_db()
    return (record.status, PpksEvent.objects.filter(record=record).count(), record.history.count())


def test_nobody_verifies_a_record_they_reported(people: dict[str, User], client_for: Any) -> None:
    person = register("Sumini", "18.01.04.2001", people["tksk"])
    record = person.ppks_records.get()
    before = record_state(record)
    client = client_for("tksk")

    with pytest.raises(PermissionDenied, match="dilaporkannya sendiri"):
        registry.change_status(record, PpksStatus.VERIFIED, acting_user=people["tksk"])
    queue = client.get("/ppks/verifikasi/")
    bulk = client.post("/ppks/verifikasi/", {"record": [record.pk], "to_status": PpksStatus.VERIFIED})
    single = client.post(f"/ppks/catatan/{record.pk}/status/", {"to_status": PpksStatus.REJECTED, "reason": "x"})

    assert f'value="{record.pk}"' not in queue.content.decode()
    assert (bulk.status_code, single.status_code) == (302, 403)
    assert record_state(record) == before
    verified = registry.change_status(record, PpksStatus.VERIFIED, acting_user=people["operator_regency"])
    assert verified.status == PpksStatus.VERIFIED


def test_the_sender_of_a_referral_cannot_record_its_answer_and_the_tksk_above_may(
    people: dict[str, User], client_for: Any
) -> None:
    psm = people["psm_a"]
    person = register("Sumini", "18.01.04.2001", psm)
    case = open_for(person, psm)
    referral = cases.refer_case(
        fresh(case), expected_version=fresh(case).version, destination_kind="instansi", agency="dukcapil",
        reason="Belum punya NIK", acting_user=psm,
    )  # fmt: skip
    before = (Referral.objects.get(pk=referral.pk).status, fresh(case).version, fresh(case).events.count())

    with pytest.raises(PermissionDenied, match="rujukan yang dikirimnya sendiri"):
        cases.answer_referral(
            referral, expected_version=fresh(case).version, to_status=ReferralStatus.ACCEPTED, acting_user=psm
        )
    page = client_for("psm_a").post(
        f"/kasus/rujukan/{referral.pk}/jawab/",
        {"version": fresh(case).version, "to_status": ReferralStatus.ACCEPTED, "answer": ""},
    )
    shown = client_for("psm_a").get(f"/kasus/{case.pk}/").content.decode()

    assert page.status_code == 403
    assert f"/kasus/rujukan/{referral.pk}/jawab/" not in shown
    assert (Referral.objects.get(pk=referral.pk).status, fresh(case).version, fresh(case).events.count()) == before
    answered = cases.answer_referral(
        referral, expected_version=fresh(case).version, to_status=ReferralStatus.ACCEPTED, acting_user=people["tksk"]
    )
    assert answered.status == ReferralStatus.ACCEPTED
