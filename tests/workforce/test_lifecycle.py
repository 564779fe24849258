"""The worker lifecycle through the services: every step recorded, illegal steps refused
with nothing changed, pengukuhan all or nothing, one active TKSK per kecamatan."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pilar.accounts.models import User
from pilar.core.synthetic import person
from pilar.regions.models import Region
from pilar.workforce import institutions, services
from pilar.workforce.kinds import TrainingKind, WorkerKind, WorkerStatus
from pilar.workforce.models import Engagement, EngagementEvent, Inauguration, Institution

DECREE = services.DecreeInfo("460/77/IV.02/2025", datetime.date(2025, 6, 2), "Bupati Lampung Selatan")


def register_psm(number: int, village_code: str = "18.01.04.2001", acting_user: User | None = None) -> Engagement:
    someone = person(number, village_code[:8])
    village = Region.objects.get(code=village_code)
    return services.register_worker(
        nik=someone.nik,
        full_name=someone.name,
        sex=someone.sex,
        birth_date=someone.birth_date,
        home_village=village,
        kind=WorkerKind.PSM,
        region=village,
        acting_user=acting_user,
    )


def basic_training(acting_user: User | None = None) -> services.Training:  # type: ignore[name-defined]
    return services.create_training(
        kind=TrainingKind.BASIC,
        title="Bimtek Dasar PSM 2025",
        organiser=Region.objects.get(code="18.01"),
        start_date=datetime.date(2025, 5, 5),
        end_date=datetime.date(2025, 5, 7),
        place="Kalianda",
        acting_user=acting_user,
    )


@pytest.mark.django_db
def test_psm_goes_from_candidate_through_bimtek_and_pengukuhan_to_active(people: dict[str, User]) -> None:
    operator = people["operator_regency"]
    candidates = [register_psm(number, acting_user=operator) for number in range(3)]
    training = basic_training(operator)
    services.add_participants(training, candidates, acting_user=operator)

    trained = services.record_completion(
        training, completed_ids={candidates[0].pk, candidates[1].pk}, acting_user=operator
    )
    services.inaugurate(
        region=Region.objects.get(code="18.01"),
        date=datetime.date(2025, 6, 2),
        place="Kalianda",
        official="Bupati Lampung Selatan",
        decree=DECREE,
        engagements=list(Engagement.objects.filter(pk__in=[candidates[0].pk, candidates[1].pk])),
        acting_user=operator,
    )

    assert trained == 2
    statuses = list(Engagement.objects.order_by("pk").values_list("status", "decree_number"))
    assert statuses == [("aktif", DECREE.number), ("aktif", DECREE.number), ("calon", "")]
    steps = list(
        EngagementEvent.objects.filter(engagement=candidates[0]).values_list("from_status", "to_status", "source")
    )
    assert steps == [("", "calon", "halaman"), ("calon", "terlatih", "bimtek"), ("terlatih", "aktif", "pengukuhan")]
    assert set(EngagementEvent.objects.values_list("acting_user__username", flat=True)) == {"operator_regency"}


@pytest.mark.django_db
def test_pengukuhan_with_one_untrained_psm_confirms_nobody(regions: None) -> None:
    trained = register_psm(1)
    untrained = register_psm(2, "18.01.04.2002")
    training = basic_training()
    services.add_participants(training, [trained], acting_user=None)
    services.record_completion(training, completed_ids={trained.pk}, acting_user=None)

    with pytest.raises(ValidationError) as refusal:
        services.inaugurate(
            region=Region.objects.get(code="18.01"),
            date=datetime.date(2025, 6, 2),
            place="Kalianda",
            official="Bupati",
            decree=DECREE,
            engagements=list(Engagement.objects.all()),
            acting_user=None,
        )

    assert refusal.value.messages == [f"{untrained.worker.full_name} berstatus Calon, bukan terlatih."]
    assert list(Engagement.objects.order_by("pk").values_list("status", flat=True)) == ["terlatih", "calon"]
    assert Inauguration.objects.count() == 0


@pytest.mark.django_db
def test_psm_cannot_become_active_without_basic_bimtek_and_nothing_changes(regions: None) -> None:
    candidate = register_psm(1)

    with pytest.raises(ValidationError) as refusal:
        services.change_status(candidate, to_status=WorkerStatus.ACTIVE, decree=DECREE, acting_user=None)

    assert refusal.value.messages == ["PSM harus lulus bimtek dasar terlebih dahulu."]
    candidate.refresh_from_db()
    assert (candidate.status, candidate.decree_number, candidate.events.count()) == ("calon", "", 1)


@pytest.mark.django_db
def test_illegal_move_is_refused_with_a_clear_message(regions: None) -> None:
    candidate = register_psm(1)
    services.change_status(candidate, to_status=WorkerStatus.INACTIVE, reason="mengundurkan_diri", acting_user=None)

    with pytest.raises(ValidationError) as refusal:
        services.change_status(candidate, to_status=WorkerStatus.TRAINED, acting_user=None)

    assert refusal.value.messages == ["Pekerja tidak dapat berpindah dari Nonaktif ke Terlatih."]
    candidate.refresh_from_db()
    assert (candidate.status, candidate.inactive_reason) == ("nonaktif", "mengundurkan_diri")


@pytest.mark.django_db
def test_psm_must_live_in_the_village_served_and_be_18_on_the_decree_date(regions: None) -> None:
    someone = person(5, "18.01.04")
    with pytest.raises(ValidationError) as elsewhere:
        services.register_worker(
            nik=someone.nik,
            full_name=someone.name,
            sex=someone.sex,
            birth_date=someone.birth_date,
            home_village=Region.objects.get(code="18.01.04.2002"),
            kind=WorkerKind.PSM,
            region=Region.objects.get(code="18.01.04.2001"),
            acting_user=None,
        )
    young = register_psm(6)
    training = basic_training()
    services.add_participants(training, [young], acting_user=None)
    services.record_completion(training, completed_ids={young.pk}, acting_user=None)
    too_early = services.DecreeInfo("1/1980", young.worker.birth_date.replace(year=young.worker.birth_date.year + 17))

    with pytest.raises(ValidationError) as underage:
        services.change_status(young, to_status=WorkerStatus.ACTIVE, decree=too_early, acting_user=None)

    assert elsewhere.value.messages == [
        "PSM bertugas di desa domisilinya: 18.01.04.2002 bukan desa tugas, 18.01.04.2001."
    ]
    assert underage.value.messages == ["PSM harus berusia minimal 18 tahun pada tanggal SK; yang ini berusia 17."]
    assert Engagement.objects.get().status == "terlatih"


@pytest.mark.django_db
def test_second_tksk_for_a_kecamatan_is_refused_naming_the_holder(regions: None) -> None:
    natar = Region.objects.get(code="18.01.04")
    first, second = (
        services.register_worker(
            nik=person(number, "18.01.04").nik,
            full_name=person(number, "18.01.04").name,
            sex=person(number, "18.01.04").sex,
            birth_date=person(number, "18.01.04").birth_date,
            home_village=None,
            kind=WorkerKind.TKSK,
            region=natar,
            acting_user=None,
        )
        for number in (10, 11)
    )
    assignment = dict(
        region=natar, budget_year=2026, start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2026, 12, 31)
    )
    services.assign_tksk(first, decree=DECREE, acting_user=None, **assignment)  # type: ignore[arg-type]

    with pytest.raises(ValidationError) as refusal:
        services.assign_tksk(second, decree=DECREE, acting_user=None, **assignment)  # type: ignore[arg-type]

    assert refusal.value.messages == [
        f"Kecamatan 18.01.04 sudah memiliki TKSK aktif: {first.worker.full_name}. Nonaktifkan dulu TKSK tersebut."
    ]
    second.refresh_from_db()
    assert (second.status, second.assignments.count(), second.events.count()) == ("calon", 0, 1)


@pytest.mark.django_db
def test_one_active_karang_taruna_per_village(regions: None) -> None:
    hajimena = Region.objects.get(code="18.01.04.2001")
    institutions.register_institution(kind="KARANG_TARUNA", name="KT Tunas Muda", region=hajimena, acting_user=None)

    with pytest.raises(ValidationError) as refusal:
        institutions.register_institution(kind="KARANG_TARUNA", name="KT Kedua", region=hajimena, acting_user=None)

    assert refusal.value.messages == ["18.01.04.2001 sudah memiliki Karang Taruna aktif: KT Tunas Muda."]
    assert Institution.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["psm_a", "tksk", "pusat", "no_role", "operator_other_province"])
def test_only_the_social_office_of_the_region_changes_the_registry(persona: str, people: dict[str, User]) -> None:
    candidate = register_psm(1)

    with pytest.raises(PermissionDenied):
        services.change_status(
            candidate, to_status=WorkerStatus.INACTIVE, reason="meninggal", acting_user=people[persona]
        )

    candidate.refresh_from_db()
    assert (candidate.status, candidate.events.count()) == ("calon", 1)
