"""A list too long to write during a request (the PPKS people or the cases of a
province), written to a file by the job worker for the user who asked for it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilar.core.scoping import Scope


class ExportKind(models.TextChoices):
    PEOPLE = "people", _("PPKS people")
    CASES = "cases", _("Cases")


class ExportStatus(models.TextChoices):
    WAITING = "menunggu", _("Waiting")
    RUNNING = "berjalan", _("Being written")
    READY = "siap", _("Ready")
    FAILED = "gagal", _("Failed")
    EXPIRED = "kedaluwarsa", _("Expired")


class ExportQuerySet(models.QuerySet["Export"]):
    def of(self, user: Any) -> ExportQuerySet:
        """An export is its requester's alone: it was written with their area and their
        right to see full NIKs, which another user may not share."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(requested_by=user)


class Export(models.Model):
    kind = models.CharField(max_length=20, choices=ExportKind.choices, verbose_name=_("list"))
    file_format = models.CharField(max_length=4, verbose_name=_("format"))
    # The list's filters, as in its address (`?region=18.01&category=PPKS-08`).
    query = models.CharField(max_length=1000, blank=True, verbose_name=_("filters"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now, verbose_name=_("requested"))
    status = models.CharField(
        max_length=12, choices=ExportStatus.choices, default=ExportStatus.WAITING, verbose_name=_("status")
    )
    row_count = models.PositiveIntegerField(default=0, verbose_name=_("rows"))
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/", blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The requester's area when the file was written (region codes; "*" the nation):
    # the file is served only while their area still covers all of it.
    area = models.JSONField(default=list, blank=True)

    objects = ExportQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        indexes = [models.Index(fields=["requested_by", "-requested_at"], name="export_requester_at")]

    def __str__(self) -> str:
        return f"{self.kind} {self.requested_at:%Y-%m-%d %H:%M}"

    def is_covered_by(self, user: Any) -> bool:
        """Does `user`'s area today still hold everything the file was written from?"""
        scope = Scope.for_user(user)
        if scope.everything:
            return True
        return bool(self.area) and "*" not in self.area and all(scope.includes(code) for code in self.area)

    @property
    def is_running(self) -> bool:
        return self.status in (ExportStatus.WAITING, ExportStatus.RUNNING)

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.progress_done / self.progress_total)) if self.progress_total else 0
