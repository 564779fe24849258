from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pilar.core.scoping import RegionScopedQuerySet
from pilar.regions.models import Region


class UploadStatus(models.TextChoices):
    CHECKING = "memeriksa", _("Being checked")
    CHECKED = "diperiksa", _("Checked, waiting for confirmation")
    IMPORTING = "mengimpor", _("Being imported")
    REJECTED = "ditolak", _("Refused: the file has errors")
    IMPORTED = "diimpor", _("Imported")


class Upload(models.Model):
    """A file uploaded for import: checked first (the preview), imported on confirmation.

    It belongs to the region of the uploader's managing role, so the file (personal
    data) is seen only inside that region, like the records it holds.
    """

    kind = models.CharField(max_length=20, verbose_name=_("kind"))
    original_name = models.CharField(max_length=200, verbose_name=_("file"))
    file = models.FileField(upload_to="imports/")
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=UploadStatus.choices, verbose_name=_("status"))
    report = models.JSONField(default=dict)
    # Progress of the background job that checks or imports a large file (people).
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("upload")
        verbose_name_plural = _("uploads")

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_running(self) -> bool:
        return self.status in (UploadStatus.CHECKING, UploadStatus.IMPORTING)

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.progress_done / self.progress_total)) if self.progress_total else 0
