"""The worker lifecycle completed (issue 19, point 5): a TKSK counts as coverage only
while an assignment is in force, the regency sees those ending within 30 days, ends
one early or renews it; a pengukuhan has its list, its page and its participants'
list in PDF."""

import datetime
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from django.utils.formats import date_format
from pypdf import PdfReader

from pilar.accounts.models import User
from pilar.core.synthetic import person
from pilar.notices import services as services_notices
from pilar.notices.models import Notice
from pilar.regions.models import Region
from pilar.reports.pillars import coverage, pillar_recap
from pilar.workforce import assignments, services
from pilar.workforce.kinds import WorkerKind, WorkerStatus
from pilar.workforce.models import Assignment, Engagement, Inauguration

pytestmark = pytest.mark.django_db

NATAR = "18.01.04"
DECREE = services.DecreeInfo("466/001/2026", datetime.date(2026, 1, 2), "Gubernur Lampung")


def tksk(number: int = 10, district: str = NATAR) -> Engagement:
    someone = person(number, district)
    return services.register_worker(
        nik=someone.nik, full_name=someone.name, sex=someone.sex, birth_date=someone.birth_date,
        home_village=None, kind=WorkerKind.TKSK, region=Region.objects.get(code=district), acting_user=None,
    )  # fmt: skip


def assigned(engagement: Engagement, start: datetime.date, end: datetime.date) -> Assignment:
    return services.assign_tksk(
        engagement, region=engagement.region, budget_year=start.year, start_date=start, end_date=end,
        decree=DECREE, acting_user=None,
    )  # fmt: skip


def natar_covered() -> int:
    line = next(line for line in coverage(Region.objects.get(code="18.01")).children if line.region == NATAR)
    return line.districts_with_tksk


def test_a_kecamatan_whose_tksk_assignment_ended_yesterday_is_uncovered_today(regions: None) -> None:
    today = timezone.localdate()
    ended = tksk()
    assigned(ended, today - datetime.timedelta(days=200), today - datetime.timedelta(days=1))
    recap = pillar_recap(Region.objects.get(code="18.01"))

    assert Engagement.objects.get(pk=ended.pk).status == WorkerStatus.ACTIVE  # the daily job has not run yet
    assert natar_covered() == 0
    assert recap.counts[WorkerKind.TKSK] == 0


def test_a_tksk_counts_on_the_last_day_of_the_assignment(regions: None) -> None:
    today = timezone.localdate()
    assigned(tksk(), today - datetime.timedelta(days=200), today)

    assert natar_covered() == 1
    assert pillar_recap(Region.objects.get(code="18.01")).counts[WorkerKind.TKSK] == 1


def test_the_daily_job_makes_a_tksk_whose_assignment_ended_inactive_and_frees_the_kecamatan(regions: None) -> None:
    today = timezone.localdate()
    ended = tksk()
    assigned(ended, today - datetime.timedelta(days=200), today - datetime.timedelta(days=1))
    out = io.StringIO()

    call_command("end_assignments", stdout=out)
    successor = tksk(11)
    assigned(successor, today, today + datetime.timedelta(days=100))  # the kecamatan is free for another

    ended = Engagement.objects.get(pk=ended.pk)
    assert out.getvalue() == (
        "0 penugasan yang berakhir dalam 30 hari dilaporkan.\n1 TKSK dinonaktifkan: penugasannya berakhir.\n"
    )
    assert (ended.status, ended.inactive_reason) == (WorkerStatus.INACTIVE, "masa_tugas_berakhir")
    assert Engagement.objects.get(pk=successor.pk).status == WorkerStatus.ACTIVE
    assert natar_covered() == 1
    assert assignments.expire() == []  # once


def test_the_regency_sees_the_assignments_ending_within_30_days_not_renewed(client_for: Any, regions: None) -> None:
    today = timezone.localdate()
    soon = assigned(tksk(10), today - datetime.timedelta(days=300), today + datetime.timedelta(days=20))
    later = assigned(tksk(11, "18.01.05"), today - datetime.timedelta(days=300), today + datetime.timedelta(days=40))

    ending = list(assignments.ending_soon(Assignment.objects.all(), today))
    page = client_for("operator_regency").get("/psks/penugasan/").content.decode()

    assert ending == [soon]
    assert later not in ending
    assert "1 penugasan segera berakhir" in page
    # Renewed for the next year, it is no longer a warning.
    year = soon.end_date.year + 1
    services.assign_tksk(
        soon.engagement, region=soon.region, budget_year=year, start_date=soon.end_date + datetime.timedelta(days=1),
        end_date=datetime.date(year, 12, 31), decree=DECREE, acting_user=None,
    )  # fmt: skip
    assert list(assignments.ending_soon(Assignment.objects.all(), today)) == []


@pytest.mark.parametrize(("persona", "status", "ended"), [("operator_regency", 302, True), ("tksk", 403, False)])
def test_the_regency_ends_an_assignment_early_with_its_reason(
    client_for: Any, people: dict[str, User], persona: str, status: int, ended: bool
) -> None:
    today = timezone.localdate()
    assignment = assigned(tksk(), today - datetime.timedelta(days=100), today + datetime.timedelta(days=100))
    last_day = today - datetime.timedelta(days=1)

    response = client_for(persona).post(
        f"/psks/penugasan/{assignment.pk}/akhiri/", {"on": last_day.isoformat(), "reason": "Mengundurkan diri"}
    )

    after = Assignment.objects.get(pk=assignment.pk)
    assert response.status_code == status
    assert (after.end_date == last_day) is ended
    assert (Engagement.objects.get(pk=assignment.engagement_id).status == WorkerStatus.INACTIVE) is ended
    assert natar_covered() == (0 if ended else 1)


def test_a_renewal_starts_the_day_after_the_last_one_ends(client_for: Any, people: dict[str, User]) -> None:
    assignment = assigned(tksk(), datetime.date(2026, 1, 2), datetime.date(2026, 12, 31))

    page = client_for("operator_regency").get(
        f"/psks/keterlibatan/{assignment.engagement_id}/penugasan/?perpanjang={assignment.pk}"
    )

    form = page.context["form"]
    assert (form.initial["budget_year"], form.initial["start_date"], form.initial["end_date"]) == (
        2027,
        datetime.date(2027, 1, 1),
        datetime.date(2027, 12, 31),
    )


@pytest.fixture
def pengukuhan(people: dict[str, User]) -> Inauguration:
    region = Region.objects.get(code="18.01")
    engagements = []
    for number, village in enumerate(("18.01.04.2001", "18.01.04.2002")):
        someone = person(700 + number, NATAR)
        engagements.append(
            services.register_worker(
                nik=someone.nik,
                full_name=f"Pekerja {number}",
                sex=someone.sex,
                birth_date=someone.birth_date,
                home_village=Region.objects.get(code=village),
                kind=WorkerKind.PSM,
                region=Region.objects.get(code=village),
                acting_user=None,
            )
        )
    inauguration = Inauguration.objects.create(
        region=region, date=datetime.date(2026, 5, 20), place="Aula Dinas Sosial", official="Bupati Lampung Selatan",
        decree_number="460/112/IV.02/2026", decree_date=datetime.date(2026, 5, 20),
    )  # fmt: skip
    inauguration.engagements.set(engagements)
    return inauguration


def test_a_pengukuhan_has_its_page_and_its_participants_list_in_pdf(client_for: Any, pengukuhan: Inauguration) -> None:
    operator = client_for("operator_regency")

    listing = operator.get("/psks/pengukuhan/").content.decode()
    detail = operator.get(f"/psks/pengukuhan/{pengukuhan.pk}/").content.decode()
    pdf = operator.get(f"/rekap/pengukuhan/{pengukuhan.pk}/peserta.pdf")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    outsider = client_for("operator_other_province").get(f"/psks/pengukuhan/{pengukuhan.pk}/")

    assert "20 Mei 2026" in listing
    assert "460/112/IV.02/2026" in detail
    assert "Bupati Lampung Selatan" in detail
    assert "Pekerja 0" in detail
    assert "Pekerja 1" in detail
    assert pdf["Content-Type"] == "application/pdf"
    assert "Daftar peserta pengukuhan" in text
    assert "Pekerja 0" in text
    assert "Pekerja 1" in text
    assert "2 PSM dikukuhkan." in text
    assert outsider.status_code == 404


def test_the_regency_operators_are_told_once_of_an_assignment_ending_within_30_days(people: dict[str, User]) -> None:
    today = timezone.localdate()
    soon = assigned(tksk(10), today - datetime.timedelta(days=300), today + datetime.timedelta(days=20))
    assigned(tksk(11, "18.01.05"), today - datetime.timedelta(days=300), today + datetime.timedelta(days=40))

    first = assignments.warn(today)
    again = assignments.warn(today)

    notices = list(Notice.objects.values_list("user__username", "kind", "url"))
    assert (first, again) == ([soon.pk], [])
    assert notices == [("operator_regency", "penugasan_berakhir", "/psks/penugasan/")]
    assert services_notices.describe(Notice.objects.get()) == (
        f"Penugasan TKSK {soon.engagement.worker.full_name} di Natar berakhir pada "
        f"{date_format(soon.end_date, 'j F Y')}: evaluasi dan perpanjang, atau biarkan berakhir."
    )
