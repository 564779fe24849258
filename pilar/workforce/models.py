"""The workforce registry: workers and their engagements in each kind of pillar,
trainings, inaugurations, TKSK assignments and evaluations, institutions, quotas.

A `Worker` is one person, keyed by NIK. An `Engagement` is that person serving as one
kind of pillar (PSM, TKSK, ...) in one region, with its lifecycle status; a PSM later
recruited as TKSK keeps one `Worker` and gains a second `Engagement`. Every status or
region change of an engagement leaves an `EngagementEvent` row, written by
`pilar.workforce.services` in the same transaction.
"""

from __future__ import annotations

import datetime
from typing import Self

from django.conf import settings
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pilar.core.identity import Sex
from pilar.core.models import TransferRequest
from pilar.core.scoping import RegionScopedQuerySet
from pilar.regions.models import Region
from pilar.regions.text import fold
from pilar.workforce.kinds import (
    Accreditation,
    ChangeSource,
    Education,
    EvaluationRating,
    InactiveReason,
    InstitutionKind,
    InstitutionStatus,
    TrainingKind,
    WorkerKind,
    WorkerStatus,
)


class Decree(models.Model):
    """The SK behind a change: number, date and issuing office."""

    decree_number = models.CharField(max_length=100, blank=True, verbose_name=_("decree (SK) number"))
    decree_date = models.DateField(null=True, blank=True, verbose_name=_("decree (SK) date"))
    decree_issuer = models.CharField(max_length=200, blank=True, verbose_name=_("decree issued by"))

    class Meta:
        abstract = True


class WorkerQuerySet(models.QuerySet["Worker"]):
    def visible_to(self, user: object) -> Self:
        """Workers with an engagement in the user's scope (a worker belongs to the
        places they serve, not to their NIK)."""
        visible = Engagement.objects.visible_to(user).values("worker_id")
        return self.filter(pk__in=visible)

    def search(self, query: str) -> Self:
        query = query.strip()
        if not query:
            return self
        if query.isdigit() and len(query) == 16:
            return self.filter(nik=query)
        return self.filter(search_name__contains=fold(query))


class Worker(models.Model):
    nik = models.CharField(max_length=16, unique=True, verbose_name=_("NIK"))
    full_name = models.CharField(max_length=150, verbose_name=_("name"))
    search_name = models.CharField(max_length=150, editable=False, db_index=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, verbose_name=_("sex"))
    birth_date = models.DateField(verbose_name=_("birth date"))
    phone = models.CharField(max_length=20, blank=True, verbose_name=_("phone"))
    education = models.CharField(max_length=20, choices=Education.choices, blank=True, verbose_name=_("education"))
    home_village = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("home village")
    )
    # The worker's own sign-in, when they have one: what they record in Pilar (mapping,
    # cases, activities) is theirs, and their monthly report is written from it.
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="worker",
        verbose_name=_("account"),
    )
    photo = models.FileField(
        upload_to="workers/photos/",
        blank=True,
        validators=[FileExtensionValidator(["jpg", "jpeg", "png", "webp"])],
        verbose_name=_("photo"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["search_name", "updated_at"])

    objects = WorkerQuerySet.as_manager()

    class Meta:
        verbose_name = _("worker")
        verbose_name_plural = _("workers")

    def __str__(self) -> str:
        return self.full_name


class EngagementQuerySet(RegionScopedQuerySet):
    def active(self) -> Self:
        return self.filter(status=WorkerStatus.ACTIVE)

    def serving(self, on: datetime.date | None = None) -> Self:
        """The workers who count in recaps and coverage on `on` (today): active, and a
        TKSK only while an assignment of theirs is in force (it stops counting on the
        day after its end date, renewed or not)."""
        day = on or timezone.localdate()
        in_force = Assignment.objects.filter(engagement=OuterRef("pk"), start_date__lte=day, end_date__gte=day)
        return self.filter(status=WorkerStatus.ACTIVE).filter(~Q(kind=WorkerKind.TKSK) | Exists(in_force))


class Engagement(Decree):
    """One person serving as one kind of pillar. The decree fields hold the decree of
    the current status (the appointment SK while active)."""

    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="engagements", verbose_name=_("worker"))
    kind = models.CharField(max_length=20, choices=WorkerKind.choices, verbose_name=_("kind"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region served"))
    status = models.CharField(
        max_length=10, choices=WorkerStatus.choices, default=WorkerStatus.CANDIDATE, verbose_name=_("status")
    )
    inactive_reason = models.CharField(
        max_length=20, choices=InactiveReason.choices, blank=True, verbose_name=_("reason for inactive status")
    )
    status_changed_at = models.DateTimeField(verbose_name=_("status since"))
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = EngagementQuerySet.as_manager()

    class Meta:
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        indexes = [models.Index(fields=["kind", "status", "region"], name="engagement_kind_status_region")]
        constraints = [
            models.UniqueConstraint(fields=["worker", "kind"], name="one_engagement_per_worker_and_kind"),
            # Permensos 28/2018: one TKSK per kecamatan.
            models.UniqueConstraint(
                fields=["region"],
                condition=Q(kind=WorkerKind.TKSK, status=WorkerStatus.ACTIVE),
                name="one_active_tksk_per_kecamatan",
            ),
            models.CheckConstraint(
                condition=Q(status=WorkerStatus.INACTIVE) | Q(inactive_reason=""),
                name="inactive_reason_only_when_inactive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.worker} ({self.kind}, {self.region_id})"


class EngagementEvent(Decree):
    """One step of an engagement's life: append-only."""

    engagement = models.ForeignKey(Engagement, on_delete=models.PROTECT, related_name="events")
    from_status = models.CharField(max_length=10, choices=WorkerStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=WorkerStatus.choices)
    from_region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=20, choices=InactiveReason.choices, blank=True)
    note = models.TextField(blank=True)
    source = models.CharField(max_length=12, choices=ChangeSource.choices)
    acting_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("engagement event")
        verbose_name_plural = _("engagement events")

    def __str__(self) -> str:
        return f"{self.engagement_id}: {self.from_status} -> {self.to_status}"


class TrainingQuerySet(RegionScopedQuerySet):
    region_field = "organiser__code"


class Training(models.Model):
    """A bimtek: basic by a regency/city office, advanced by a province office."""

    kind = models.CharField(max_length=10, choices=TrainingKind.choices, verbose_name=_("kind"))
    title = models.CharField(max_length=200, verbose_name=_("title"))
    organiser = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("organised by"))
    start_date = models.DateField(verbose_name=_("start date"))
    end_date = models.DateField(verbose_name=_("end date"))
    place = models.CharField(max_length=200, verbose_name=_("place"))
    participants = models.ManyToManyField(Engagement, through="TrainingParticipant", related_name="trainings")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = TrainingQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("training (bimtek)")
        verbose_name_plural = _("trainings (bimtek)")
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="training_ends_after_start")
        ]

    def __str__(self) -> str:
        return self.title


class TrainingParticipant(models.Model):
    training = models.ForeignKey(Training, on_delete=models.PROTECT, related_name="attendance")
    engagement = models.ForeignKey(Engagement, on_delete=models.PROTECT, related_name="attendance")
    completed = models.BooleanField(default=False, verbose_name=_("completed"))
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["training", "engagement"], name="one_attendance_per_training"),
        ]

    def __str__(self) -> str:
        return f"{self.training_id}/{self.engagement_id}"


class Inauguration(Decree):
    """A pengukuhan: the ceremony and decree that make trained PSM active."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("organised by"))
    date = models.DateField(verbose_name=_("date"))
    place = models.CharField(max_length=200, verbose_name=_("place"))
    official = models.CharField(max_length=200, verbose_name=_("officiating official"))
    engagements = models.ManyToManyField(Engagement, related_name="inaugurations", verbose_name=_("confirmed PSM"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("inauguration (pengukuhan)")
        verbose_name_plural = _("inaugurations (pengukuhan)")

    def __str__(self) -> str:
        return f"{self.decree_number} ({self.date})"


class Assignment(Decree):
    """A TKSK's assignment to one kecamatan for one budget year (renewed yearly)."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("TKSK")
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("kecamatan"))
    budget_year = models.PositiveSmallIntegerField(verbose_name=_("budget year"))
    start_date = models.DateField(verbose_name=_("start date"))
    end_date = models.DateField(verbose_name=_("end date"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The regency was told it ends within 30 days (workforce.assignments.warn): a flag,
    # set once, not a change of the assignment.
    ending_warned = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["ending_warned"])

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-budget_year", "region_id"]
        verbose_name = _("assignment (penugasan)")
        verbose_name_plural = _("assignments (penugasan)")
        constraints = [
            models.UniqueConstraint(fields=["engagement", "budget_year"], name="one_assignment_per_tksk_and_year"),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="assignment_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.budget_year}"


class Evaluation(models.Model):
    """The annual evaluation of a TKSK's assignment."""

    assignment = models.OneToOneField(Assignment, on_delete=models.PROTECT, related_name="evaluation")
    rating = models.CharField(max_length=12, choices=EvaluationRating.choices, verbose_name=_("rating"))
    recommend_renewal = models.BooleanField(verbose_name=_("recommend renewal"))
    notes = models.TextField(blank=True, verbose_name=_("notes"))
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    evaluated_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self) -> str:
        return f"{self.assignment_id}: {self.rating}"


class InstitutionQuerySet(RegionScopedQuerySet):
    def active(self) -> Self:
        return self.filter(status=InstitutionStatus.ACTIVE)

    def search(self, query: str) -> Self:
        folded = fold(query)
        return self.filter(search_name__contains=folded) if folded else self


class Institution(models.Model):
    kind = models.CharField(max_length=20, choices=InstitutionKind.choices, verbose_name=_("kind"))
    name = models.CharField(max_length=200, verbose_name=_("name"))
    search_name = models.CharField(max_length=200, editable=False, db_index=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    registration_number = models.CharField(max_length=100, blank=True, verbose_name=_("registration number"))
    accreditation = models.CharField(
        max_length=5, choices=Accreditation.choices, default=Accreditation.NONE, verbose_name=_("accreditation")
    )
    accreditation_date = models.DateField(null=True, blank=True, verbose_name=_("accreditation date"))
    leader_name = models.CharField(max_length=150, blank=True, verbose_name=_("leader"))
    member_count = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("members"))
    phone = models.CharField(max_length=20, blank=True, verbose_name=_("phone"))
    address = models.CharField(max_length=300, blank=True, verbose_name=_("address"))
    services = models.TextField(blank=True, verbose_name=_("services"))
    status = models.CharField(
        max_length=10, choices=InstitutionStatus.choices, default=InstitutionStatus.ACTIVE, verbose_name=_("status")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["search_name", "updated_at"])

    objects = InstitutionQuerySet.as_manager()

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        indexes = [models.Index(fields=["kind", "status", "region"], name="institution_kind_status_region")]
        constraints = [
            # Permensos 25/2019: one Karang Taruna per desa/kelurahan (and per higher level).
            models.UniqueConstraint(
                fields=["region"],
                condition=Q(kind=InstitutionKind.KARANG_TARUNA, status=InstitutionStatus.ACTIVE),
                name="one_active_karang_taruna_per_region",
            ),
            models.UniqueConstraint(
                fields=["kind", "registration_number"],
                condition=~Q(registration_number=""),
                name="unique_registration_number_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Quota(models.Model):
    """A target number of workers of one kind for a region and year."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    year = models.PositiveSmallIntegerField(verbose_name=_("year"))
    kind = models.CharField(max_length=20, choices=WorkerKind.choices, verbose_name=_("kind"))
    target = models.PositiveIntegerField(validators=[MinValueValidator(0)], verbose_name=_("target"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "region_id", "kind"]
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "kind"], name="one_quota_per_region_year_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year} {self.kind}: {self.target}"


class WorkerTransfer(TransferRequest):
    """An office asks for a worker registered elsewhere to serve in its region too, as a
    candidate of `kind` (`pilar.workforce.transfers`)."""

    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=WorkerKind.choices, verbose_name=_("kind"))
    from_region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    to_region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")

    class Meta(TransferRequest.Meta):
        verbose_name = _("worker transfer request")
        verbose_name_plural = _("worker transfer requests")
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "kind", "requested_by"],
                condition=models.Q(status="menunggu"),
                name="one_waiting_transfer_per_worker_kind_and_requester",
            )
        ]
