"""Background jobs for large uploads (people): check, then import, with progress.

Run by the job worker (`pilar db_worker`, started by `pilar demo` next to the
server). The progress is written to the `Upload` row as the rows are checked, outside
the import's transaction, so the upload page can show it while the job runs.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.tasks import task
from django.utils.translation import gettext as _

from pilar.imports.base import ImportReport, RowError
from pilar.imports.models import Upload, UploadStatus
from pilar.imports.registry import run_import

logger = logging.getLogger(__name__)


@task()
def process_upload(upload_id: int, *, write: bool, skip_invalid: bool) -> None:
    upload = Upload.objects.select_related("uploaded_by").get(pk=upload_id)

    def progress(done: int, total: int) -> None:
        Upload.objects.filter(pk=upload_id).update(progress_done=done, progress_total=total)

    try:
        with upload.file.open("rb") as stored:
            data = stored.read()
        # The check counts what the valid rows would do (skip_invalid), so the preview
        # can offer to import them when some rows are invalid.
        report = run_import(
            upload.kind,
            data,
            upload.original_name,
            acting_user=upload.uploaded_by,
            dry_run=not write,
            skip_invalid=skip_invalid or not write,
            progress=progress,
        )
    except Exception:
        # The import's transaction rolled back; the page must not wait for ever.
        failed = ImportReport(kind=upload.kind, filename=upload.original_name, dry_run=not write)
        failed.errors.append(
            RowError(0, "", _("The job stopped on an unexpected error; nothing was imported. Try again later."))
        )
        Upload.objects.filter(pk=upload_id).update(status=UploadStatus.REJECTED, report=failed.as_dict())
        logger.exception("upload %s failed", upload_id)
        raise
    if write:
        status = UploadStatus.IMPORTED if report.written else UploadStatus.REJECTED
    else:
        status = UploadStatus.CHECKED if report.is_valid else UploadStatus.REJECTED
    with transaction.atomic():
        Upload.objects.filter(pk=upload_id).update(status=status, report=report.as_dict())


def start(upload: Upload, *, write: bool, skip_invalid: bool = False) -> None:
    """Queue the job once the upload's new status is committed."""
    transaction.on_commit(lambda: process_upload.enqueue(upload.pk, write=write, skip_invalid=skip_invalid))
