"""Notices for reports and verification (issue 19, point 6): a submitted report
notifies its reviewer, a returned or approved one its author, a rejected PPKS record
its mapper; in the app and by e-mail from the job worker (run at once in the tests),
never with a person's name in the mail, and by e-mail only to those who chose it."""

from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from pilar.accounts.models import User
from pilar.activities import services as reporting
from pilar.beneficiaries import services as registry
from pilar.notices.models import Notice
from pilar.workforce.kinds import WorkerKind
from tests.activities.test_monthly_reports import active_worker
from tests.cases.conftest import HAJIMENA, act, open_for, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def emails(people: dict[str, User]) -> dict[str, User]:
    for name in ("psm_a", "tksk", "operator_regency"):
        User.objects.filter(pk=people[name].pk).update(email=f"{name}@contoh.id")
        people[name].refresh_from_db()
    return people


def notices_of(user: User) -> list[tuple[str, str]]:
    return [(notice.kind, notice.url) for notice in Notice.objects.filter(user=user).order_by("pk")]


def test_a_submitted_report_notifies_its_reviewer_and_the_review_its_author(
    emails: dict[str, User], client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    psm, tksk = emails["psm_a"], emails["tksk"]
    worker = active_worker(WorkerKind.PSM, HAJIMENA, psm, "1801041507800003", "Siti Aminah")
    month = reporting.first_of_month(timezone.localdate())
    url = f"/laporan/{worker.pk}/{month:%Y-%m}/"

    with django_capture_on_commit_callbacks(execute=True):
        report = reporting.submit_report(worker, month, narrative="Bulan ini", acting_user=psm)
    submitted_mail = list(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        reporting.review_report(report, approve=False, comment="Lengkapi foto kegiatan", acting_user=tksk)
    tksk_home = client_for("tksk").get("/").content.decode()
    psm_page = client_for("psm_a").get("/pemberitahuan/").content.decode()

    assert notices_of(tksk) == [("laporan_diajukan", url)]
    assert [message.to for message in submitted_mail] == [["tksk@contoh.id"]]
    assert submitted_mail[0].subject == "[Pilar] Laporan bulanan menunggu tinjauan Anda"
    assert url in submitted_mail[0].body
    assert "Siti Aminah menyerahkan laporan bulanan" in tksk_home
    assert notices_of(psm) == [("laporan_dikembalikan", url)]
    assert "Laporan bulanan Anda untuk" in psm_page
    assert "dikembalikan: Lengkapi foto kegiatan" in psm_page
    assert [message.to for message in mail.outbox[1:]] == [["psm_a@contoh.id"]]
    assert Notice.objects.filter(mailed_at__isnull=True).count() == 0


def test_a_rejected_ppks_record_notifies_its_mapper_without_the_person_in_the_mail(
    emails: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    painem = register("Painem Wulandari", HAJIMENA, emails["psm_a"])
    record = painem.ppks_records.get()

    with django_capture_on_commit_callbacks(execute=True):
        registry.change_status(record, "ditolak", reason="Bukan warga desa ini", acting_user=emails["tksk"])

    assert notices_of(emails["psm_a"]) == [("ppks_ditolak", f"/ppks/orang/{painem.pk}/")]
    assert [message.to for message in mail.outbox] == [["psm_a@contoh.id"]]
    assert f"#{record.pk}" in mail.outbox[0].body
    assert "Bukan warga desa ini" in mail.outbox[0].body
    assert "Painem" not in mail.outbox[0].body + mail.outbox[0].subject
    assert notices_of(emails["tksk"]) == []  # who acted is not told


def test_a_user_who_chose_the_app_only_gets_no_mail_of_any_kind(
    emails: dict[str, User], client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client_for("tksk").post("/pemberitahuan/email/", {})  # the box left unticked
    tksk = User.objects.get(pk=emails["tksk"].pk)
    sumini = register("Sumini", HAJIMENA, emails["psm_a"])

    with django_capture_on_commit_callbacks(execute=True):
        case = open_for(sumini, emails["psm_a"])
        act(case, "escalate", emails["psm_a"], "Perlu TKSK")  # a case notification for the TKSK
        registry.change_status(sumini.ppks_records.get(), "ditolak", reason="Data ganda", acting_user=tksk)

    assert tksk.email_notices is False
    assert tksk.notifications.count() >= 1  # in the app all the same
    assert "tksk@contoh.id" not in [address for message in mail.outbox for address in message.to]
    assert [message.to for message in mail.outbox] == [["psm_a@contoh.id"]]  # her notice, mailed


def test_the_notices_page_marks_all_read_and_the_menu_counts_the_unread(
    emails: dict[str, User], client_for: Any
) -> None:
    painem = register("Painem", HAJIMENA, emails["psm_a"])
    registry.change_status(painem.ppks_records.get(), "ditolak", reason="Data ganda", acting_user=emails["tksk"])
    psm = client_for("psm_a")

    before = psm.get("/ppks/orang/").content.decode()
    psm.post("/pemberitahuan/")
    after = psm.get("/ppks/orang/").content.decode()

    assert 'title="Pemberitahuan belum dibaca">1</span>' in before
    assert "Pemberitahuan belum dibaca" not in after
    assert Notice.objects.get().read_at is not None
