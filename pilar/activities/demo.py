"""Demo activities and monthly reports for Kabupaten Lampung Selatan, made through the
same services as the pages: the demo accounts linked to their workers in the registry,
three months of activities in Natar and around the regency, and monthly reports in
every review state (draft, submitted, returned, approved)."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from pilar.accounts.models import User
from pilar.activities import services
from pilar.activities.models import Activity, ActivityKind, MonthlyReport, ReportEvent, ReportStatus
from pilar.regions.models import Region
from pilar.workforce import services as workforce
from pilar.workforce.kinds import InstitutionKind, WorkerKind
from pilar.workforce.models import Engagement, Institution

# Demo account -> (worker kind, region) of the worker it belongs to.
ACCOUNTS = {
    "psm.hajimena": (WorkerKind.PSM, "18.01.04.2001"),
    "psm.sidosari": (WorkerKind.PSM, "18.01.04.2002"),
    "tksk.natar": (WorkerKind.TKSK, "18.01.04"),
}
VILLAGE_KINDS = [
    (ActivityKind.COUNSELLING, "Penyuluhan bahaya narkoba bagi remaja"),
    (ActivityKind.MAPPING, "Pemetaan PPKS dusun"),
    (ActivityKind.GUIDANCE, "Bimbingan sosial keluarga rentan"),
    (ActivityKind.ELDERLY_FRIENDLY_VILLAGE, "Posyandu lansia"),
    (ActivityKind.GROUP_ACCOMPANIMENT, "Pendampingan kelompok usaha ekonomi produktif"),
    (ActivityKind.COMMUNITY_REHABILITATION, "Rehabilitasi berbasis masyarakat bagi penyandang disabilitas"),
]


def _months_back(count: int) -> list[datetime.date]:
    months = [services.first_of_month(timezone.localdate())]
    while len(months) < count:
        months.append(services.previous_month(months[-1]))
    return list(reversed(months))


def _day_in(month: datetime.date, day: int) -> datetime.date:
    return min(month.replace(day=min(day, 28)), timezone.localdate())


@transaction.atomic
def ensure_demo_activities() -> bool:
    """Create the demo activities and reports unless activities exist; True when created."""
    if Activity.objects.exists():
        return False
    engagements: dict[str, Engagement] = {}
    for username, (worker_kind, code) in ACCOUNTS.items():
        user = User.objects.filter(username=username).first()
        engagement = Engagement.objects.filter(kind=worker_kind, region_id=code).select_related("worker").first()
        if user is None or engagement is None:
            return False
        workforce.update_worker(engagement.worker, account=user, acting_user=None, reason="Akun Pilar")
        # The account bears its worker's name: the reports it writes are signed with it.
        User.objects.filter(pk=user.pk).update(full_name=engagement.worker.full_name)
        engagements[username] = Engagement.objects.select_related("worker").get(pk=engagement.pk)
    chooser = random.Random(2026)
    months = _months_back(3)
    partners = list(
        Institution.objects.active().filter(kind=InstitutionKind.KARANG_TARUNA, region__code__startswith="18.01.04.")
    )
    tksk = engagements["tksk.natar"]
    for month in months:
        for username in ("psm.hajimena", "psm.sidosari"):
            engagement = engagements[username]
            for number in range(2):
                kind, title = VILLAGE_KINDS[(months.index(month) * 2 + number + len(username)) % len(VILLAGE_KINDS)]
                services.record_activity(
                    kind=kind,
                    title=title,
                    held_on=_day_in(month, 6 + 9 * number),
                    region=engagement.region,
                    place="Balai desa",
                    organisers=[engagement.worker],
                    partners=[p for p in partners if p.region_id == engagement.region_id][:1],
                    men=chooser.randint(5, 25),
                    women=chooser.randint(8, 30),
                    acting_user=engagement.worker.account,
                )
        services.record_activity(
            kind=ActivityKind.COORDINATION,
            title="Rapat koordinasi PSM se-Kecamatan Natar",
            held_on=_day_in(month, 3),
            region=tksk.region,
            place="Kantor Camat Natar",
            organisers=[tksk.worker, engagements["psm.hajimena"].worker, engagements["psm.sidosari"].worker],
            men=chooser.randint(10, 20),
            women=chooser.randint(10, 20),
            acting_user=tksk.worker.account,
        )
    # Around the regency: activities of the other PSM (without accounts), recorded by the office.
    others = list(
        Engagement.objects.filter(kind=WorkerKind.PSM, region__code__startswith="18.01.")
        .exclude(region__code__startswith="18.01.04.")
        .select_related("worker", "region")[:12]
    )
    for number, engagement in enumerate(others):
        activity_kind, title = VILLAGE_KINDS[number % len(VILLAGE_KINDS)]
        services.record_activity(
            kind=activity_kind,
            title=title,
            held_on=_day_in(months[number % 3], 10 + number),
            region=engagement.region,
            organisers=[engagement.worker],
            men=chooser.randint(5, 20),
            women=chooser.randint(5, 20),
            acting_user=None,
        )
    regency = Region.objects.get(code="18.01")
    services.record_activity(
        kind=ActivityKind.DISASTER_RESPONSE,
        title="Simulasi tanggap bencana banjir bersama Tagana",
        held_on=_day_in(months[1], 20),
        region=regency,
        place="Lapangan Kalianda",
        men=46,
        women=38,
        acting_user=None,
    )
    _reports(engagements, months)
    return True


def _on(report: MonthlyReport, month: datetime.date, day: int, hour: int) -> MonthlyReport:
    """Date the report's last step as a worker would have taken it, on `day` of the
    month after `month` (the services stamp the present moment)."""
    when = timezone.make_aware(
        datetime.datetime.combine(services.next_month(month).replace(day=day), datetime.time(hour))
    )
    when = min(when, timezone.now())
    event = report.events.order_by("-at", "-pk").first()
    assert event is not None
    ReportEvent.objects.filter(pk=event.pk).update(at=when)
    field = "reviewed_at" if event.to_status in (ReportStatus.APPROVED, ReportStatus.RETURNED) else "submitted_at"
    MonthlyReport.objects.filter(pk=report.pk).update(**{field: when})
    report.refresh_from_db()
    return report


def _reports(engagements: dict[str, Engagement], months: list[datetime.date]) -> None:
    """Two months ago approved, last month submitted (one late) or returned, this month
    a draft."""
    regency_operator = User.objects.filter(username="dinsos.lampungselatan").first()
    tksk_user = engagements["tksk.natar"].worker.account
    two_ago, last, current = months
    hajimena, sidosari, tksk = (engagements[name] for name in ("psm.hajimena", "psm.sidosari", "tksk.natar"))
    for number, engagement in enumerate((hajimena, sidosari)):
        report = services.submit_report(
            engagement,
            two_ago,
            narrative="Kegiatan berjalan sesuai rencana; dua keluarga diusulkan ke PKH.",
            acting_user=engagement.worker.account,
        )
        _on(report, two_ago, 2 + number, 9)
        _on(services.review_report(report, approve=True, acting_user=tksk_user), two_ago, 6, 10)
    report = services.submit_report(
        hajimena, last, narrative="Pendampingan lansia rutin setiap minggu.", acting_user=hajimena.worker.account
    )
    _on(report, last, 3, 9)
    returned = services.submit_report(sidosari, last, narrative="Bulan ini sepi.", acting_user=sidosari.worker.account)
    _on(returned, last, 8, 15)  # after the due date: listed as late
    returned = services.review_report(
        returned, approve=False, comment="Lengkapi uraian kegiatan posyandu lansia.", acting_user=tksk_user
    )
    _on(returned, last, 9, 10)
    services.save_narrative(
        hajimena, current, narrative="(draf) Pemetaan dusun 3 sedang berjalan.", acting_user=hajimena.worker.account
    )
    tksk_report = services.submit_report(
        tksk, two_ago, narrative="Verifikasi PPKS Natar dan rapat koordinasi bulanan.", acting_user=tksk_user
    )
    _on(tksk_report, two_ago, 4, 14)
    _on(services.review_report(tksk_report, approve=True, acting_user=regency_operator), two_ago, 7, 9)
    report = services.submit_report(
        tksk,
        last,
        narrative="Rapat koordinasi PSM se-Kecamatan Natar; pendampingan lansia dilanjutkan.",
        acting_user=tksk_user,
    )
    _on(report, last, 5, 11)
