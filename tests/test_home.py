"""The home page is each role's work (issue 19, point 1): the demo's PSM, TKSK and
regency operator land on their own work, and every count is the one the database
holds, counted here independently of pilar.reports.home, and links to its list."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Exists, OuterRef, Q, Subquery
from django.test import Client
from django.utils import timezone

from pilar.accounts.models import User
from pilar.activities.models import MonthlyReport, ReportStatus
from pilar.beneficiaries.models import Person, PpksRecord
from pilar.cases.models import OPEN_STATUSES, WAITING_STATUSES, Case, CaseEvent
from pilar.regions.models import Region, RegionLevel
from pilar.workforce.kinds import WorkerKind, WorkerStatus
from pilar.workforce.models import Assignment, Engagement
from tests.personas import sign_in

ITEM = re.compile(r'<li(?: class="late")?><a href="([^"]+)"><strong>([\d.]+)</strong> ([^<]+)</a></li>')
HAJIMENA, NATAR, LAMPUNG_SELATAN = "18.01.04.2001", "18.01.04", "18.01"


def home_of(username: str) -> dict[str, tuple[int, str]]:
    client = Client()
    sign_in(client, User.objects.get(username=username))
    page = client.get("/").content.decode()
    return {label.strip(): (int(count.replace(".", "")), url) for url, count, label in ITEM.findall(page)}


def held_by(user: User, level: int, code: str) -> Q:
    return Q(level=level, holding_region_id=code) | Q(assigned_to=user)


def case_counts(user: User, level: int, code: str) -> dict[str, int]:
    now = timezone.now()
    mine = Case.objects.filter(held_by(user, level, code))
    return {
        "Kasus menunggu tindakan Anda": mine.filter(status__in=WAITING_STATUSES).count(),
        "Kasus bertenggat dalam 3 hari": mine.filter(
            status__in=OPEN_STATUSES, due_at__gte=now, due_at__lt=now + datetime.timedelta(days=3)
        ).count(),
        "Kasus melewati tenggat": mine.filter(status__in=OPEN_STATUSES, due_at__lt=now).count(),
    }


def villages_without_psm(code: str) -> int:
    active_psm = Engagement.objects.filter(region_id=OuterRef("code"), kind=WorkerKind.PSM, status=WorkerStatus.ACTIVE)
    villages = Region.objects.filter(level=RegionLevel.VILLAGE, code__startswith=code + ".", is_active=True)
    return villages.exclude(Exists(active_psm)).count()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the demo runs on SQLite only")
@pytest.mark.django_db(transaction=True)
def test_the_demo_s_psm_tksk_and_regency_operator_land_on_their_own_work_counted_exactly() -> None:
    call_command("demo", "--no-serve", verbosity=0)
    psm, tksk = User.objects.get(username="psm.hajimena"), User.objects.get(username="tksk.natar")
    operator = User.objects.get(username="dinsos.lampungselatan")

    psm_home, tksk_home, office_home = home_of("psm.hajimena"), home_of("tksk.natar"), home_of(operator.username)

    last_visit = CaseEvent.objects.filter(case=OuterRef("pk"), kind="kunjungan").order_by("-at", "-pk")
    planned = (
        Case.objects.filter(status__in=OPEN_STATUSES)
        .filter(Q(region_id=HAJIMENA, is_sensitive=False) | Q(opened_by=psm) | held_by(psm, 4, HAJIMENA))
        .annotate(next_visit=Subquery(last_visit.values("next_visit_on")[:1]))
        .filter(next_visit__lte=timezone.localdate() + datetime.timedelta(days=7))
    )
    waiting_people = Person.objects.filter(ppks_records__status="dilaporkan", village_id=HAJIMENA).distinct()
    rejected_people = Person.objects.filter(ppks_records__status="ditolak", village_id=HAJIMENA).distinct()
    assert {label: count for label, (count, _url) in psm_home.items()} == {
        **case_counts(psm, 4, HAJIMENA),
        "Kunjungan yang direncanakan dalam 7 hari": planned.count(),
        "Orang yang catatan PPKS-nya menunggu verifikasi": waiting_people.count(),
        "Orang yang catatan PPKS-nya ditolak": rejected_people.count(),
    }
    assert psm_home["Kasus melewati tenggat"][1] == "/kasus/?daftar=terlambat"
    assert psm_home["Kunjungan yang direncanakan dalam 7 hari"] == (1, "/kasus/?daftar=kunjungan")

    in_natar = PpksRecord.objects.filter(region__code__startswith=NATAR + ".")
    queue = in_natar.filter(status="dilaporkan").exclude(reported_by=tksk)
    to_review = MonthlyReport.objects.filter(
        engagement__kind=WorkerKind.PSM,
        engagement__region__code__startswith=NATAR + ".",
        engagement__status=WorkerStatus.ACTIVE,
        status=ReportStatus.SUBMITTED,
    )
    assert {label: count for label, (count, _url) in tksk_home.items()} == {
        "Catatan PPKS untuk diverifikasi": queue.count(),
        **case_counts(tksk, 3, NATAR),
        "Laporan bulanan untuk ditinjau": to_review.count(),
        "Desa tanpa PSM aktif di Natar": villages_without_psm(NATAR),
    }
    assert tksk_home["Catatan PPKS untuk diverifikasi"] == (queue.count(), "/ppks/verifikasi/")

    today = timezone.localdate()
    serving_tksk = Assignment.objects.filter(engagement=OuterRef("pk"), start_date__lte=today, end_date__gte=today)
    covered = set(
        Engagement.objects.filter(kind=WorkerKind.TKSK, status=WorkerStatus.ACTIVE, region__code__startswith="18.01.")
        .filter(Exists(serving_tksk))
        .values_list("region_id", flat=True)
    )
    districts = Region.objects.filter(level=RegionLevel.DISTRICT, code__startswith="18.01.", is_active=True)
    office = {label: count for label, (count, _url) in office_home.items()}
    assert {label: office[label] for label in case_counts(operator, 2, LAMPUNG_SELATAN)} == case_counts(
        operator, 2, LAMPUNG_SELATAN
    )
    assert office["Desa tanpa PSM aktif di Kabupaten Lampung Selatan"] == villages_without_psm(LAMPUNG_SELATAN)
    assert (
        office["Kecamatan tanpa TKSK di Kabupaten Lampung Selatan"] == districts.exclude(code__in=covered).count() == 1
    )
    later = Assignment.objects.filter(engagement=OuterRef("engagement"), start_date__gt=OuterRef("end_date"))
    ending = Assignment.objects.filter(
        region__code__startswith="18.01.",
        start_date__lte=today,
        end_date__gte=today,
        end_date__lt=today + datetime.timedelta(days=30),
    ).exclude(Exists(later))
    assert office["Penugasan TKSK yang berakhir dalam 30 hari"] == ending.count()
    assert any(label.startswith("Petugas yang belum menyerahkan laporan") for label in office)
    # The demo holds work for each of them.
    assert sum(psm_home[label][0] for label in psm_home) > 0
    assert tksk_home["Catatan PPKS untuk diverifikasi"][0] > 0
