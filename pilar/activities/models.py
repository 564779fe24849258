"""Activities of the pillars (penyuluhan, bimbingan, pemetaan, rapat koordinasi...)
with their participants, and the monthly report each PSM and TKSK files.

- `Activity`: one activity held in a region on a date, organised by registered
  workers, with partner institutions, counted participants (men and women) and photos.
  It belongs to its `region`, which decides who may see it.
- `MonthlyReport`: a worker's report for one month. Its figures are counted from what
  the worker recorded that month (mapping, verification, cases, activities) when it is
  submitted, and kept with the report, so an approved report never changes after the
  fact; the worker adds a narrative. It moves only through `services` along
  `REPORT_MOVES`, each step a `ReportEvent`.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pilar.core.scoping import RegionScopedQuerySet
from pilar.regions.models import Region
from pilar.workforce.models import Engagement, Institution, Worker


class ActivityKind(models.TextChoices):
    COUNSELLING = "penyuluhan_sosial", _("Social counselling (penyuluhan sosial)")
    GUIDANCE = "bimbingan_sosial", _("Social guidance (bimbingan sosial)")
    MAPPING = "pemetaan_sosial", _("Social mapping (pemetaan sosial)")
    GROUP_ACCOMPANIMENT = "pendampingan_kelompok", _("Group accompaniment (pendampingan kelompok)")
    COORDINATION = "rapat_koordinasi", _("Coordination meeting (rapat koordinasi)")
    TRAINING = "bimtek", _("Technical training (bimtek)")
    COMMUNITY_REHABILITATION = "rbm", _("Community-based rehabilitation (RBM)")
    DISABILITY_FRIENDLY_VILLAGE = "desa_ramah_disabilitas", _("Disability-friendly village")
    ELDERLY_FRIENDLY_VILLAGE = "desa_ramah_lansia", _("Elderly-friendly village")
    DISASTER_RESPONSE = "tanggap_bencana", _("Disaster response (tanggap bencana)")
    OTHER = "lainnya", _("Other")


class ActivityQuerySet(RegionScopedQuerySet):
    def in_month(self, month: datetime.date) -> ActivityQuerySet:
        return self.filter(held_on__gte=month, held_on__lt=next_month(month))


def next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


class Activity(models.Model):
    kind = models.CharField(max_length=24, choices=ActivityKind.choices, verbose_name=_("kind"))
    title = models.CharField(max_length=200, verbose_name=_("title"))
    held_on = models.DateField(verbose_name=_("date"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    place = models.CharField(max_length=200, blank=True, verbose_name=_("place"))
    organisers = models.ManyToManyField(
        Worker, related_name="organised_activities", blank=True, verbose_name=_("organising workers")
    )
    partners = models.ManyToManyField(
        Institution, related_name="activities", blank=True, verbose_name=_("partner institutions")
    )
    men = models.PositiveIntegerField(default=0, verbose_name=_("participants, men"))
    women = models.PositiveIntegerField(default=0, verbose_name=_("participants, women"))
    notes = models.TextField(blank=True, verbose_name=_("notes"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(no_db_index=["region", "recorded_by"])

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [models.Index(fields=["region", "held_on"], name="activity_region_date")]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"

    @property
    def participants(self) -> int:
        return self.men + self.women


def activity_photo_path(instance: ActivityPhoto, filename: str) -> str:
    extension = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "application/pdf": "pdf"}
    return f"kegiatan/{instance.activity_id}/{instance.uploaded_at:%Y%m%d%H%M%S%f}.{extension[instance.content_type]}"


class ActivityPhoto(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=activity_photo_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.original_name


class ReportStatus(models.TextChoices):
    DRAFT = "draf", _("Draft")
    SUBMITTED = "diajukan", _("Submitted")
    APPROVED = "disetujui", _("Approved")
    RETURNED = "dikembalikan", _("Returned")


REPORT_MOVES: dict[str, tuple[str, ...]] = {
    ReportStatus.DRAFT: (ReportStatus.SUBMITTED,),
    ReportStatus.SUBMITTED: (ReportStatus.APPROVED, ReportStatus.RETURNED),
    ReportStatus.RETURNED: (ReportStatus.SUBMITTED,),
    ReportStatus.APPROVED: (),
}


class MonthlyReportQuerySet(RegionScopedQuerySet):
    region_field = "engagement__region__code"


class MonthlyReport(models.Model):
    engagement = models.ForeignKey(
        Engagement, on_delete=models.PROTECT, related_name="monthly_reports", verbose_name=_("worker")
    )
    month = models.DateField(verbose_name=_("month"))  # the first day of the month
    status = models.CharField(
        max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT, verbose_name=_("status")
    )
    narrative = models.TextField(blank=True, verbose_name=_("narrative"))
    # The counted figures, kept as they were at the last submission (see services.figures).
    figures = models.JSONField(default=dict)
    submitted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("submitted"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True, verbose_name=_("supervisor's comment"))
    history = HistoricalRecords(no_db_index=["engagement", "reviewed_by"])

    objects = MonthlyReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        constraints = [
            models.UniqueConstraint(fields=["engagement", "month"], name="one_report_per_worker_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="report_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.engagement} {self.month:%Y-%m}"


class ReportEvent(models.Model):
    report = models.ForeignKey(MonthlyReport, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, choices=ReportStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=ReportStatus.choices)
    comment = models.TextField(blank=True)
    acting_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.from_status} -> {self.to_status}"


class Letterhead(models.Model):
    """The letterhead (kop surat) and signature block of a social office, printed on
    the monthly reports of the workers of its area."""

    region = models.OneToOneField(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    government = models.CharField(
        max_length=150, verbose_name=_("government"), help_text=_("e.g. PEMERINTAH KABUPATEN LAMPUNG SELATAN")
    )
    office = models.CharField(max_length=150, verbose_name=_("office"), help_text=_("e.g. DINAS SOSIAL"))
    address = models.CharField(max_length=250, blank=True, verbose_name=_("address"))
    phone = models.CharField(max_length=50, blank=True, verbose_name=_("phone"))
    email = models.EmailField(blank=True, verbose_name=_("e-mail"))
    head_title = models.CharField(max_length=150, blank=True, verbose_name=_("title of the head"))
    head_name = models.CharField(max_length=150, blank=True, verbose_name=_("name of the head"))
    head_id_number = models.CharField(max_length=30, blank=True, verbose_name=_("NIP of the head"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("letterhead")
        verbose_name_plural = _("letterheads")

    def __str__(self) -> str:
        return f"{self.office} {self.region_id}"
