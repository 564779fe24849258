"""Demo registry for Kabupaten Lampung Selatan, made through the same services as the
pages: PSM in every lifecycle state, a basic bimtek, a pengukuhan, a TKSK assigned to
every kecamatan, Karang Taruna and LKS, and the regency's PSM quotas."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from pilar.core.synthetic import person
from pilar.regions.models import Region, RegionLevel
from pilar.workforce import institutions, services
from pilar.workforce.kinds import InactiveReason, TrainingKind, WorkerKind, WorkerStatus
from pilar.workforce.models import Engagement

REGENCY = "18.01"
PSM_VILLAGES = 40


@transaction.atomic
def ensure_demo_registry() -> bool:
    """Create the demo registry unless one exists; True when created."""
    if Engagement.objects.exists():
        return False
    regency = Region.objects.get(code=REGENCY)
    villages = list(
        Region.objects.active().filter(level=RegionLevel.VILLAGE, code__startswith=REGENCY + ".").order_by("code")
    )
    # Hajimena and Sidosari (the demo PSM accounts' villages) first.
    villages.sort(key=lambda village: village.code not in {"18.01.04.2001", "18.01.04.2002"})
    districts = list(regency.children.active().order_by("code"))
    psm = []
    for number, village in enumerate(villages[:PSM_VILLAGES]):
        someone = person(number, village.code[:8], seed=2025)
        psm.append(
            services.register_worker(
                nik=someone.nik,
                full_name=someone.name,
                sex=someone.sex,
                birth_date=someone.birth_date,
                home_village=village,
                kind=WorkerKind.PSM,
                region=village,
                phone=someone.phone,
                education="SMA",
                acting_user=None,
            )
        )
    training = services.create_training(
        kind=TrainingKind.BASIC,
        title="Bimtek Dasar PSM Kabupaten Lampung Selatan 2025",
        organiser=regency,
        start_date=datetime.date(2025, 4, 14),
        end_date=datetime.date(2025, 4, 16),
        place="Aula Dinas Sosial, Kalianda",
        acting_user=None,
    )
    services.add_participants(training, psm[:34], acting_user=None)
    services.record_completion(training, completed_ids={engagement.pk for engagement in psm[:30]}, acting_user=None)
    decree = services.DecreeInfo("460/112/IV.02/2025", datetime.date(2025, 5, 20), "Bupati Lampung Selatan")
    services.inaugurate(
        region=regency,
        date=datetime.date(2025, 5, 20),
        place="Pendopo Kabupaten, Kalianda",
        official="Bupati Lampung Selatan",
        decree=decree,
        engagements=list(Engagement.objects.filter(pk__in=[engagement.pk for engagement in psm[:25]])),
        acting_user=None,
    )
    for engagement, reason in zip(psm[23:25], [InactiveReason.MOVED, InactiveReason.RESIGNED], strict=True):
        services.change_status(engagement, to_status=WorkerStatus.INACTIVE, reason=reason, acting_user=None)
    services.create_training(
        kind=TrainingKind.ADVANCED,
        title="Bimtek Lanjutan TKSK Provinsi Lampung 2026",
        organiser=regency.parent,  # type: ignore[arg-type]
        start_date=datetime.date(2026, 3, 9),
        end_date=datetime.date(2026, 3, 12),
        place="Bandar Lampung",
        acting_user=None,
    )
    for number, district in enumerate(districts):
        someone = person(5000 + number, district.code, seed=2025)
        tksk = services.register_worker(
            nik=someone.nik,
            full_name=someone.name,
            sex=someone.sex,
            birth_date=someone.birth_date,
            home_village=None,
            kind=WorkerKind.TKSK,
            region=district,
            phone=someone.phone,
            education="S1",
            acting_user=None,
        )
        if number == len(districts) - 1:
            continue  # one kecamatan still waits for its TKSK: coverage shows it
        this_year = timezone.localdate().year  # the demo's assignments are in force today
        for year in (this_year - 1, this_year):
            services.assign_tksk(
                tksk,
                region=district,
                budget_year=year,
                start_date=datetime.date(year, 1, 2),
                end_date=datetime.date(year, 12, 31),
                decree=services.DecreeInfo(
                    f"466/{number + 1:03d}/{year}", datetime.date(year, 1, 2), "Gubernur Lampung"
                ),
                acting_user=None,
            )
    for village in villages[:20]:
        institutions.register_institution(
            kind="KARANG_TARUNA", name=f"Karang Taruna {village.name}", region=village, acting_user=None
        )
    for number, (name, accreditation) in enumerate(
        [("LKS Harapan Bunda", "A"), ("LKS Anak Bangsa", "B"), ("LKS Lansia Sejahtera", "belum")]
    ):
        institutions.register_institution(
            kind="LKS",
            name=name,
            region=districts[number],
            registration_number=f"LKS/18.01/2021/{number + 1:03d}",
            accreditation=accreditation,
            accreditation_date=datetime.date(2023, 8, 1) if accreditation != "belum" else None,
            leader_name=person(9000 + number, districts[number].code).name,
            member_count=12 + number * 5,
            acting_user=None,
        )
    for year, target in ((2024, 27), (2025, 77)):
        services.set_quota(region=regency, year=year, kind=WorkerKind.PSM, target=target, acting_user=None)
    services.set_quota(region=regency, year=2025, kind=WorkerKind.TKSK, target=len(districts), acting_user=None)
    return True
