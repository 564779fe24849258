"""A notice tells a user that something waits for them outside the cases (which have
their own notifications, pilar.cases.notifications): a monthly report to review, a
report of theirs returned or approved, a PPKS record of theirs rejected. It is read in
the app; and mailed by the job worker to those who chose e-mail
(User.email_notices), with no personal data in the mail but the link."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NoticeKind(models.TextChoices):
    REPORT_SUBMITTED = "laporan_diajukan", _("A monthly report waits for your review")
    REPORT_RETURNED = "laporan_dikembalikan", _("Your monthly report was returned")
    REPORT_APPROVED = "laporan_disetujui", _("Your monthly report was approved")
    PPKS_REJECTED = "ppks_ditolak", _("A PPKS record you mapped was rejected")
    ASSIGNMENT_ENDING = "penugasan_berakhir", _("A TKSK assignment ends soon")


class Notice(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=20, choices=NoticeKind.choices, verbose_name=_("kind"))
    # What the sentence names (a month, a worker's name, a record number): no PPKS
    # person's data, since the sentence is also mailed.
    params = models.JSONField(default=dict)
    # The page it points to, which checks the reader's access again.
    url = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    mailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notice_user_unread")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}"
