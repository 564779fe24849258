"""Case handling: a case follows one person or household until someone can solve it.

- `Case`: opened for a person or a household (linked to their PPKS records), held at
  one level of the chain village -> kecamatan -> regency/city -> province -> ministry
  (`level`, `holding_region`) and assigned to a worker. Its `region` is the village of
  the person: it decides who may read the case, so every level along its path (all
  of them contain the village) keeps read access when the case moves up. `version`
  grows with every change; a change based on an older version is refused
  (`services.CaseConflict`), so nobody overwrites what they have not seen.
- `CaseEvent`: the append-only timeline. Nothing in it is edited or deleted; a
  correction is a new event that points to the one it corrects.
- `Referral`: the case sent to an institution, a programme or an agency, with its own
  status. `Programme`: the programmes a case can be referred to (configurable).
- `Attachment`: a photo or a document, stored outside the web root, served only
  through a view that checks access.
- `Notification`: what a user is told in the app (and by e-mail).

Statuses change only through `pilar.cases.services`, against `ALLOWED_MOVES`.
"""

from __future__ import annotations

import datetime
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pilar.beneficiaries.models import Household, Person, PpksRecord, handles_restricted
from pilar.core.scoping import RegionScopedQuerySet
from pilar.regions.models import Region
from pilar.workforce.models import Institution


class CaseLevel(models.IntegerChoices):
    """Where a case is held; the numbers are the region levels, the ministry is 0."""

    MINISTRY = 0, _("Ministry")
    PROVINCE = 1, _("Province")
    REGENCY = 2, _("Regency/city")
    DISTRICT = 3, _("Kecamatan")
    VILLAGE = 4, _("Village")


class CaseStatus(models.TextChoices):
    OPEN = "terbuka", _("Open")
    HANDLED = "ditangani", _("Being handled")
    REFERRED = "dirujuk", _("Referred")
    ESCALATED = "dieskalasi", _("Escalated")
    RETURNED = "dikembalikan", _("Returned")
    REOPENED = "dibuka_kembali", _("Reopened")
    RESOLVED = "selesai", _("Resolved")
    CLOSED = "ditutup", _("Closed")


# The declared state machine. Every move is made by one service (see services.py).
ALLOWED_MOVES: dict[str, tuple[str, ...]] = {
    CaseStatus.OPEN: (CaseStatus.HANDLED, CaseStatus.REFERRED, CaseStatus.ESCALATED, CaseStatus.CLOSED),
    CaseStatus.HANDLED: (
        CaseStatus.REFERRED,
        CaseStatus.ESCALATED,
        CaseStatus.RETURNED,
        CaseStatus.RESOLVED,
        CaseStatus.CLOSED,
    ),
    CaseStatus.REFERRED: (CaseStatus.HANDLED, CaseStatus.ESCALATED, CaseStatus.RESOLVED, CaseStatus.CLOSED),
    CaseStatus.ESCALATED: (CaseStatus.HANDLED, CaseStatus.ESCALATED, CaseStatus.RETURNED),
    CaseStatus.RETURNED: (CaseStatus.HANDLED, CaseStatus.ESCALATED),
    CaseStatus.REOPENED: (CaseStatus.HANDLED, CaseStatus.ESCALATED, CaseStatus.CLOSED),
    CaseStatus.RESOLVED: (CaseStatus.CLOSED, CaseStatus.REOPENED),
    CaseStatus.CLOSED: (CaseStatus.REOPENED,),
}
# Still in somebody's hands (counted as open, can become overdue).
OPEN_STATUSES = tuple(status for status in CaseStatus if status not in (CaseStatus.RESOLVED, CaseStatus.CLOSED))
# Arrived at a level and not yet taken up there: "waiting for my action".
WAITING_STATUSES = (CaseStatus.OPEN, CaseStatus.ESCALATED, CaseStatus.RETURNED, CaseStatus.REOPENED)


class Priority(models.TextChoices):
    LOW = "rendah", _("Low")
    NORMAL = "sedang", _("Normal")
    HIGH = "tinggi", _("High")
    URGENT = "darurat", _("Urgent")


class HeldBack(models.TextChoices):
    """Why a case past its deadline was not escalated automatically."""

    VISIT = "kunjungan", _("a visit was recorded recently")
    REFERRAL = "rujukan", _("an institution accepted a referral and will answer")


class Outcome(models.TextChoices):
    SOLVED = "teratasi", _("Solved")
    SERVED_BY_REFERRAL = "terlayani_rujukan", _("Served through a referral")
    NOT_SOLVED = "tidak_teratasi", _("Could not be solved")
    DECLINED = "menolak", _("Person declined the services")
    MOVED_AWAY = "pindah", _("Moved out of the area")
    DIED = "meninggal", _("Died")


class CaseQuerySet(RegionScopedQuerySet):
    def visible_to(self, user: Any) -> Self:
        """The cases of the user's area; a restricted person's only for the operators
        (pilar.beneficiaries.models.PersonQuerySet.visible_to); an erased person's
        to nobody (their anonymous rows stay for the recaps)."""
        visible = super().visible_to(user).exclude(person__erased_at__isnull=False)
        if handles_restricted(user):
            return visible
        return visible.filter(Q(person__isnull=True) | Q(person__restricted_at__isnull=True))

    def still_open(self) -> Self:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, now: datetime.datetime | None = None) -> Self:
        return self.still_open().filter(due_at__lt=now or timezone.now())


class Case(models.Model):
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="cases", verbose_name=_("person")
    )
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.PROTECT, related_name="cases", verbose_name=_("household")
    )
    ppks_records = models.ManyToManyField(PpksRecord, blank=True, related_name="cases", verbose_name=_("PPKS records"))
    # The village of the person when the case was opened: who may read the case.
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", db_index=False, verbose_name=_("village")
    )
    level = models.PositiveSmallIntegerField(choices=CaseLevel.choices, verbose_name=_("held at"))
    # The region of the holding level (a prefix of `region`); none at the ministry.
    holding_region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        verbose_name=_("held by"),
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_cases",
        verbose_name=_("assigned worker"),
    )
    status = models.CharField(
        max_length=14, choices=CaseStatus.choices, default=CaseStatus.OPEN, verbose_name=_("status")
    )
    priority = models.CharField(
        max_length=7, choices=Priority.choices, default=Priority.NORMAL, verbose_name=_("priority")
    )
    is_sensitive = models.BooleanField(
        default=False,
        verbose_name=_("sensitive"),
        help_text=_("For example violence against a child: the story is shown only to those handling the case."),
    )
    summary = models.TextField(verbose_name=_("summary"))
    needs = models.TextField(blank=True, verbose_name=_("needs"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(verbose_name=_("opened"))
    # When the case arrived at its current level, and when it is overdue there.
    arrived_at = models.DateTimeField()
    due_at = models.DateTimeField(verbose_name=_("deadline"))
    deadline_warned = models.BooleanField(default=False)
    # The level at which the deadline was extended (once per level; see
    # services.extend_deadline), None until then or after the case moved on.
    extended_at_level = models.PositiveSmallIntegerField(null=True, blank=True)
    # Past its deadline but not escalated, and why (cases.deadlines.held_back): a
    # flag for the supervisors, cleared when the case moves.
    held_back = models.CharField(max_length=10, choices=HeldBack.choices, blank=True, verbose_name=_("held back"))
    status_changed_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("closed"))
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True, verbose_name=_("outcome"))
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(
        excluded_fields=["version", "deadline_warned", "held_back"],
        no_db_index=["person", "household", "region", "holding_region", "assigned_to", "opened_by"],
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            # Region scoping and the recaps (a prefix range on the village code).
            models.Index(fields=["region", "status"], name="case_region_status"),
            # The work lists: what is held at a level and region.
            models.Index(fields=["level", "holding_region", "status"], name="case_holding"),
            models.Index(fields=["due_at"], condition=Q(closed_at__isnull=True), name="case_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, household__isnull=True)
                | Q(person__isnull=True, household__isnull=False),
                name="case_person_or_household",
            ),
            models.CheckConstraint(
                condition=Q(level=0, holding_region__isnull=True) | Q(level__gt=0, holding_region__isnull=False),
                name="case_holding_region_matches_level",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject}"

    @property
    def subject(self) -> Person | Household:
        return self.person or self.household  # type: ignore[return-value]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, now: datetime.datetime | None = None) -> bool:
        return self.is_open and self.due_at < (now or timezone.now())


class EventKind(models.TextChoices):
    OPENED = "dibuka", _("Opened")
    TAKEN = "ditangani", _("Taken up")
    VISIT = "kunjungan", _("Visit")
    NOTE = "catatan", _("Note")
    CORRECTION = "koreksi", _("Correction")
    ATTACHMENT = "lampiran", _("Attachment")
    REFERRAL = "rujukan", _("Referral")
    REFERRAL_ANSWER = "jawaban_rujukan", _("Referral answered")
    ESCALATION = "eskalasi", _("Escalation")
    RETURN = "dikembalikan", _("Returned")
    REASSIGNMENT = "penugasan", _("Reassigned")
    RESOLVED = "selesai", _("Resolved")
    CLOSURE = "ditutup", _("Closed")
    REOPENED = "dibuka_kembali", _("Reopened")
    EXTENSION = "perpanjangan", _("Deadline extended")


class ReferralStatus(models.TextChoices):
    SENT = "dikirim", _("Sent")
    ACCEPTED = "diterima", _("Accepted")
    DONE = "selesai", _("Done")
    REFUSED = "ditolak", _("Refused")


class CaseEvent(models.Model):
    """One entry of a case's timeline. Written only by the services; never changed."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_automatic = models.BooleanField(default=False)
    at = models.DateTimeField()
    from_status = models.CharField(max_length=14, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(max_length=14, choices=CaseStatus.choices, blank=True)
    from_level = models.PositiveSmallIntegerField(choices=CaseLevel.choices, null=True, blank=True)
    to_level = models.PositiveSmallIntegerField(choices=CaseLevel.choices, null=True, blank=True)
    from_region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    to_region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The reason, instruction, note or correction; for a visit, what was done.
    text = models.TextField(blank=True, verbose_name=_("text"))
    happened_on = models.DateField(null=True, blank=True, verbose_name=_("date"))
    # A visit's planned next visit (the PSM's "visits planned" on her home page).
    next_visit_on = models.DateField(null=True, blank=True, verbose_name=_("next visit planned"))
    place = models.CharField(max_length=200, blank=True, verbose_name=_("place"))
    next_step = models.TextField(blank=True, verbose_name=_("next step"))
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    referral = models.ForeignKey(
        "Referral", null=True, blank=True, on_delete=models.PROTECT, related_name="events", db_index=False
    )
    referral_status = models.CharField(max_length=8, choices=ReferralStatus.choices, blank=True)
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections", db_index=False
    )

    class Meta:
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["case", "at"], name="case_event_timeline"),
            models.Index(fields=["actor", "case"], name="case_event_actor"),
            models.Index(fields=["kind", "at"], name="case_event_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.at:%Y-%m-%d}"


class DestinationKind(models.TextChoices):
    INSTITUTION = "lembaga", _("Institution")
    PROGRAMME = "program", _("Programme")
    AGENCY = "instansi", _("Agency")


class Agency(models.TextChoices):
    CIVIL_REGISTRY = "dukcapil", _("Dukcapil (civil registry, for a missing NIK)")
    HEALTH_CENTRE = "puskesmas", _("Puskesmas")
    HOSPITAL = "rumah_sakit", _("Hospital")
    WOMEN_CHILD_PROTECTION = "uptd_ppa", _("UPTD PPA (protection of women and children)")
    POLICE = "polisi", _("Police")
    SCHOOL = "sekolah", _("School")
    OTHER = "lainnya", _("Other agency")


REFERRAL_MOVES: dict[str, tuple[str, ...]] = {
    ReferralStatus.SENT: (ReferralStatus.ACCEPTED, ReferralStatus.REFUSED),
    ReferralStatus.ACCEPTED: (ReferralStatus.DONE,),
    ReferralStatus.DONE: (),
    ReferralStatus.REFUSED: (),
}


class Programme(models.Model):
    """A programme a case can be referred to: the national ones, and any the
    administrator adds (a province's own assistance, for instance)."""

    code = models.SlugField(max_length=30, unique=True, verbose_name=_("code"))
    name = models.CharField(max_length=150, verbose_name=_("name"))
    is_active = models.BooleanField(default=True, verbose_name=_("active"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.name


class ReferralQuerySet(RegionScopedQuerySet):
    region_field = "case__region__code"


class Referral(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals")
    destination_kind = models.CharField(max_length=8, choices=DestinationKind.choices, verbose_name=_("referred to"))
    institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals"
    )
    programme = models.ForeignKey(Programme, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals")
    agency = models.CharField(max_length=12, choices=Agency.choices, blank=True, verbose_name=_("agency"))
    # The agency's own name (Puskesmas Natar, SDN 1 Hajimena), or the other agency.
    destination_name = models.CharField(max_length=200, blank=True, verbose_name=_("name"))
    reason = models.TextField(verbose_name=_("reason"))
    status = models.CharField(
        max_length=8, choices=ReferralStatus.choices, default=ReferralStatus.SENT, verbose_name=_("status")
    )
    answer = models.TextField(blank=True, verbose_name=_("answer"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(no_db_index=["case", "institution", "programme", "sent_by"])

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(destination_kind="lembaga", institution__isnull=False, programme__isnull=True, agency="")
                    | Q(destination_kind="program", institution__isnull=True, programme__isnull=False, agency="")
                    | (Q(destination_kind="instansi", institution__isnull=True, programme__isnull=True) & ~Q(agency=""))
                ),
                name="referral_one_destination",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} -> {self.destination}"

    @property
    def destination(self) -> str:
        if self.institution_id:
            return str(self.institution)
        if self.programme_id:
            return str(self.programme)
        label = str(Agency(self.agency).label) if self.agency else ""
        return f"{label}: {self.destination_name}" if self.destination_name else label


def attachment_path(instance: Attachment, filename: str) -> str:
    # The stored name never comes from the user: the original is kept in `original_name`.
    extension = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "application/pdf": "pdf"}
    return f"kasus/{instance.case_id}/{timezone.now():%Y%m%d%H%M%S%f}.{extension[instance.content_type]}"


class Attachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="attachments")
    event = models.OneToOneField(CaseEvent, on_delete=models.PROTECT, related_name="attachment")
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(max_length=200, verbose_name=_("file name"))
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()

    def __str__(self) -> str:
        return self.original_name


class NotificationKind(models.TextChoices):
    ARRIVED = "tiba", _("A case reached you")
    ASSIGNED = "ditugaskan", _("A case was assigned to you")
    REFERRAL_ANSWERED = "rujukan_dijawab", _("A referral was answered")
    DEADLINE_NEAR = "tenggat", _("A deadline is near")
    DEADLINE_EXTENDED = "diperpanjang", _("A deadline was extended")
    HELD_BACK = "tertahan", _("A case past its deadline was not escalated")


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=NotificationKind.choices)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "created_at"], name="notification_user"),
            models.Index(fields=["user"], condition=Q(read_at__isnull=True), name="notification_unread"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.case_id}"
