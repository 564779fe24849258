"""Recording activities through the pages: who may, what is kept, and what each role sees."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from pilar.activities import services
from pilar.activities.models import Activity
from pilar.core.versions import version_of
from pilar.regions.models import Region
from pilar.workforce import services as workforce
from pilar.workforce.kinds import WorkerKind
from tests.images import PNG


@pytest.fixture
def psm_worker(people):  # type: ignore[no-untyped-def]
    """The registered PSM of village A, linked to the psm_a account."""
    engagement = workforce.register_worker(
        nik="1801045507800001",
        full_name="Siti Aminah",
        sex="P",
        birth_date=datetime.date(1980, 7, 15),
        home_village=Region.objects.get(code="18.01.04.2001"),
        kind=WorkerKind.PSM,
        region=Region.objects.get(code="18.01.04.2001"),
        acting_user=None,
    )
    return workforce.update_worker(engagement.worker, account=people["psm_a"], acting_user=None)


@pytest.mark.django_db
def test_a_psm_records_an_activity_with_a_photo_and_the_sibling_village_does_not_see_it(  # type: ignore[no-untyped-def]
    client_for, people, psm_worker
) -> None:
    client = client_for("psm_a")
    today = timezone.localdate()

    form = client.get("/kegiatan/baru/").content.decode()
    response = client.post(
        "/kegiatan/baru/",
        {
            "kind": "penyuluhan_sosial",
            "title": "Penyuluhan bahaya narkoba",
            "held_on": today.isoformat(),
            "region": "18.01.04.2001",
            "place": "Balai desa",
            "organisers": [psm_worker.pk],
            "men": 12,
            "women": 19,
            "photo": SimpleUploadedFile("foto.png", PNG),
        },
    )

    activity = Activity.objects.get()
    assert 'value="18.01.04.2001"' in form
    assert f'value="{psm_worker.pk}" id="id_organisers_0" checked' in form
    assert response.status_code == 302
    assert (activity.title, activity.men, activity.women, activity.participants, activity.recorded_by) == (
        "Penyuluhan bahaya narkoba",
        12,
        19,
        31,
        people["psm_a"],
    )
    assert list(activity.organisers.all()) == [psm_worker]
    assert activity.photos.count() == 1
    photo = activity.photos.get()
    assert client.get(f"/kegiatan/foto/{photo.pk}/").status_code == 200
    assert client_for("psm_b").get(f"/kegiatan/{activity.pk}/").status_code == 404
    assert client_for("psm_b").get(f"/kegiatan/foto/{photo.pk}/").status_code == 404
    assert client_for("operator_province").get(f"/kegiatan/{activity.pk}/").status_code == 200
    assert client_for("psm_b").get("/api/v1/activities/").json()["results"] == []
    assert [row["id"] for row in client_for("tksk").get("/api/v1/activities/").json()["results"]] == [activity.pk]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"held_on": "2999-01-01"}, "Tanggal kegiatan ada di masa depan."),
        ({"photo": SimpleUploadedFile("x.gif", b"GIF89a")}, "Lampirkan foto (JPEG, PNG, atau WebP) atau dokumen PDF."),
    ],
)
def test_a_bad_activity_is_refused_with_a_message_and_nothing_is_saved(client_for, people, changes, message) -> None:  # type: ignore[no-untyped-def]
    data = {
        "kind": "bimbingan_sosial",
        "title": "Bimbingan",
        "held_on": timezone.localdate().isoformat(),
        "region": "18.01.04.2001",
        "men": 1,
        "women": 1,
        **changes,
    }

    response = client_for("psm_a").post("/kegiatan/baru/", data)

    assert (response.status_code, message in response.content.decode()) == (200, True)
    assert Activity.objects.count() == 0


@pytest.mark.django_db
def test_an_activity_outside_ones_area_is_refused_and_nothing_is_saved(client_for, people) -> None:  # type: ignore[no-untyped-def]
    data = {
        "kind": "bimbingan_sosial",
        "title": "Bimbingan",
        "held_on": timezone.localdate().isoformat(),
        "men": 1,
        "women": 1,
    }

    sibling = client_for("psm_a").post("/kegiatan/baru/", {**data, "region": "18.01.04.2002"})
    ministry = client_for("pusat").post("/kegiatan/baru/", {**data, "region": "18.01.04.2002"})

    assert (sibling.status_code, ministry.status_code) == (200, 403)
    assert "Sidosari di luar wilayah Anda." in sibling.content.decode()  # beside the field, the form kept
    assert 'value="Bimbingan"' in sibling.content.decode()
    assert Activity.objects.count() == 0


@pytest.mark.django_db
def test_a_correction_keeps_the_history_and_only_area_workers_correct(client_for, people) -> None:  # type: ignore[no-untyped-def]
    activity = services.record_activity(
        kind="rapat_koordinasi",
        title="Rapat PSM",
        held_on=timezone.localdate(),
        region=Region.objects.get(code="18.01.04"),
        men=5,
        women=7,
        acting_user=people["tksk"],
    )
    edit = f"/kegiatan/{activity.pk}/ubah/"
    data = {
        "kind": "rapat_koordinasi",
        "title": "Rapat koordinasi PSM",
        "held_on": activity.held_on.isoformat(),
        "region": "18.01.04",
        "men": 6,
        "women": 7,
        "version": version_of(activity),  # the version the form was opened at
    }

    refused = {
        name: client_for(name).post(edit, data).status_code
        for name in ("psm_a", "pusat", "admin", "operator_other_province")
    }
    done = client_for("tksk").post(edit, data)

    activity.refresh_from_db()
    assert refused == {"psm_a": 404, "pusat": 403, "admin": 403, "operator_other_province": 404}
    assert done.status_code == 302
    assert (activity.title, activity.men) == ("Rapat koordinasi PSM", 6)
    assert list(activity.history.order_by("history_date").values_list("title", "history_change_reason")) == [
        ("Rapat PSM", "Dicatat"),
        ("Rapat koordinasi PSM", "Diperbaiki"),
    ]


@pytest.mark.django_db
def test_the_activity_export_lists_the_area_and_is_logged(client_for, people) -> None:  # type: ignore[no-untyped-def]
    for code, title in (("18.01.04.2001", "Di Hajimena"), ("18.01.04.2002", "Di Sidosari")):
        services.record_activity(
            kind="penyuluhan_sosial",
            title=title,
            held_on=datetime.date(2026, 10, 5),
            region=Region.objects.get(code=code),
            men=2,
            women=3,
            acting_user=None,
        )

    lines = client_for("psm_a").get("/kegiatan/unduh.csv?month=2026-10").content.decode("utf-8-sig").splitlines()

    assert lines == [
        "tanggal,jenis,judul,kode_wilayah,nama_wilayah,tempat,penyelenggara,mitra,peserta_laki_laki,peserta_perempuan,peserta_total",
        "2026-10-05,Penyuluhan sosial,Di Hajimena,18.01.04.2001,Hajimena,,,,2,3,5",
    ]
