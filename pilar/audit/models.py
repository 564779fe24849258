"""The access log: every time personal data is shown or exported, who saw what.

Changes to records are kept by django-simple-history (a `history` table per model);
this log is for reads, which leave no trace otherwise (UU PDP 27/2022 accountability).
Rows are append-only: nothing in Pilar updates or deletes them, and on PostgreSQL
triggers refuse UPDATE, DELETE and TRUNCATE from any connection (migration 0002).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessAction(models.TextChoices):
    VIEW = "view", _("view")
    SEARCH = "search", _("search")
    EXPORT = "export", _("export")


class AccessLog(models.Model):
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,  # a user who saw personal data is deactivated, never deleted
        related_name="+",
        verbose_name=_("user"),
    )
    username = models.CharField(_("username"), max_length=150)
    roles = models.CharField(
        _("roles"), max_length=500, help_text=_("The user's roles and regions at the time, e.g. psm@18.01.01.2001.")
    )
    action = models.CharField(_("action"), max_length=10, choices=AccessAction.choices)
    record_type = models.CharField(_("record type"), max_length=100)
    record_ids = models.JSONField(_("records"), default=list)
    record_count = models.PositiveIntegerField(_("number of records"), default=0)
    query = models.CharField(_("query"), max_length=500, blank=True)
    path = models.CharField(_("path"), max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        indexes = [models.Index(fields=["user", "-at"], name="accesslog_user_at")]

    def __str__(self) -> str:
        return f"{self.username} {self.action} {self.record_type} ({self.record_count})"


class AccessedRecord(models.Model):
    """Each person or case an access-log entry showed or exported, with the village it
    belonged to then: the log by person (what a data subject may ask), and each
    supervisor's view of who read the people of their area. All of them, also for an
    export of a million people (the entry's own `record_ids` keeps the first few)."""

    entry = models.ForeignKey(AccessLog, on_delete=models.PROTECT, related_name="records")
    record_type = models.CharField(max_length=100)
    record_id = models.BigIntegerField()
    region = models.CharField(max_length=13, blank=True)
    at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["record_type", "record_id", "-at"], name="accessed_record_at"),
            models.Index(fields=["region", "-at"], name="accessed_region_at"),
        ]

    def __str__(self) -> str:
        return f"{self.record_type} {self.record_id} @{self.region}"
