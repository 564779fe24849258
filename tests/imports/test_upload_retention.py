"""Uploaded import files are kept PILAR_UPLOAD_KEEP_DAYS (issue 18, point 5): older
files are deleted, their reports stay, files being checked or imported are left, and
an upload whose file is gone is refused at confirmation with the reason."""

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from pilar.imports.models import Upload, UploadStatus
from pilar.workforce.models import Institution

pytestmark = pytest.mark.django_db


def upload(people: Any, status: str, days_old: int) -> Upload:
    made = Upload(
        kind="institutions",
        original_name="lembaga.csv",
        region_id="18.01",
        uploaded_by=people["operator_regency"],
        status=status,
        report={"kind": "institutions", "filename": "lembaga.csv", "rows": 1, "created": 1},
    )
    made.file.save("lembaga.csv", ContentFile(b"jenis,nama,kode_wilayah\nLKS,LKS Baru,18.01.04.2001\n"))
    Upload.objects.filter(pk=made.pk).update(uploaded_at=timezone.now() - datetime.timedelta(days=days_old))
    return made


def test_old_files_go_their_reports_stay_and_a_purged_upload_cannot_be_confirmed(
    people: Any, client_for: Any, settings: Any
) -> None:
    old = {status: upload(people, status, 31) for status in UploadStatus.values}
    recent = upload(people, UploadStatus.CHECKED, 29)
    out = StringIO()

    call_command("purge_uploads", stdout=out)
    confirmed = client_for("operator_regency").post(f"/psks/impor/{old[UploadStatus.CHECKED].pk}/impor/", follow=True)

    assert settings.PILAR_UPLOAD_KEEP_DAYS == 30
    assert out.getvalue().strip() == "3 berkas unggahan yang lebih lama dari 30 hari dihapus."
    kept = {status for status, made in old.items() if Upload.objects.get(pk=made.pk).file}
    assert kept == {UploadStatus.CHECKING, UploadStatus.IMPORTING}
    assert Upload.objects.get(pk=recent.pk).file
    assert not default_storage.exists(old[UploadStatus.IMPORTED].file.name)
    assert Upload.objects.get(pk=old[UploadStatus.IMPORTED].pk).report["created"] == 1
    assert "Berkas dihapus 30 hari setelah diunggah; unggah lagi." in confirmed.content.decode()
    assert Institution.objects.count() == 0
