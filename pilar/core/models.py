"""Shared records: the one-time keys of writes (`pilar.core.once`), and the base of
requests to bring a record into one's area (`pilar.core.transfers`)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IdempotencyKey(models.Model):
    """A write a user sent with a one-time key, and how it was answered.

    Forms carry a key made when the form was shown, the offline outbox one made when
    an item was created on the phone; a second request with the same key gets the
    first one's answer instead of writing again. Kept `KEEP_DAYS` days (`pilar
    purge_idempotency_keys`)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.UUIDField()
    scope = models.CharField(max_length=100)  # the form or endpoint the key was used on
    request_hash = models.CharField(max_length=64, blank=True)
    status_code = models.PositiveSmallIntegerField(null=True)
    location = models.CharField(max_length=500, blank=True)
    body = models.JSONField(null=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once_per_user")]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"


class TransferStatus(models.TextChoices):
    WAITING = "menunggu", _("Waiting for a decision")
    APPROVED = "disetujui", _("Approved")
    REFUSED = "ditolak", _("Refused")


class TransferRequest(models.Model):
    """A user asks for a record registered outside their area to be brought into it.

    The requester learns nothing of the record (they knew its NIK); the request is
    decided by someone whose area holds both the record and the requester's region
    (`pilar.core.transfers`). Concrete requests add the record and the target."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(default=timezone.now, verbose_name=_("requested"))
    reason = models.CharField(max_length=300, verbose_name=_("reason"))
    status = models.CharField(
        max_length=10, choices=TransferStatus.choices, default=TransferStatus.WAITING, verbose_name=_("status")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(null=True, verbose_name=_("decided"))
    decision_note = models.CharField(max_length=300, blank=True, verbose_name=_("note"))

    class Meta:
        abstract = True
        ordering = ["-requested_at", "-pk"]
