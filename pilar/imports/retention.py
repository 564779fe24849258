"""Uploaded files are kept only as long as they are useful: PILAR_UPLOAD_KEEP_DAYS
after their upload (`pilar purge_uploads`, daily), the file of every upload that is
not being checked or imported is deleted; its row and its report (counts, errors)
stay. An upload whose file is gone cannot be confirmed: it is uploaded again."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from pilar.imports.models import Upload, UploadStatus

BUSY = (UploadStatus.CHECKING, UploadStatus.IMPORTING)


def purge_old_uploads(*, now: datetime.datetime | None = None) -> int:
    """Delete the files of uploads older than the days they are kept; how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.PILAR_UPLOAD_KEEP_DAYS)
    count = 0
    for upload in Upload.objects.filter(uploaded_at__lt=cutoff).exclude(file="").exclude(status__in=BUSY):
        upload.file.delete(save=False)
        Upload.objects.filter(pk=upload.pk).update(file="")
        count += 1
    return count
