"""The PPKS registry: people, households, PPKS records and what is decided about them.

- `Person`: one human being, with or without a NIK (many PPKS have none). One NIK is
  one person: the database enforces it. A person lives in a village (`village`), and
  that village decides who may see them; the NIK's region digits never do.
- `Household`: a family card (Kartu Keluarga); its members are the people whose
  `household` it is, so a person belongs to at most one household at a time (their
  history keeps the earlier ones), and a household has at most one head.
- `PpksRecord`: a person or a household x one of the 26 PPKS types, with the
  conditions observed. Its `region` is the village of the person or household, copied
  so that the recap summaries count by place without joining people. Its status moves
  only through `pilar.beneficiaries.services`, which appends a `PpksEvent` per step.
- `PpksSummary`: counts per kecamatan x type, kept by the services and the importer,
  so that a provincial or national recap never scans the records.
- `Move`, `Merge`, `DuplicateDecision`: recorded actions on people.
"""

from __future__ import annotations

from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pilar.accounts import policy as accounts_policy
from pilar.beneficiaries.names import spelling_key
from pilar.beneficiaries.ppks import PPKS_CHOICES, PPKS_TYPES
from pilar.core.fields import BytewiseCharField
from pilar.core.identity import Sex
from pilar.core.models import TransferRequest
from pilar.core.scoping import RegionScopedQuerySet
from pilar.regions.models import Region

# A search by part of a NIK needs at least this many of its first digits.
NIK_PREFIX_DIGITS = 6


class Disability(models.TextChoices):
    """The kinds of disability of UU 8/2016 (article 4)."""

    NONE = "", _("None")
    PHYSICAL = "fisik", _("Physical")
    INTELLECTUAL = "intelektual", _("Intellectual")
    MENTAL = "mental", _("Mental")
    SENSORY = "sensorik", _("Sensory")
    MULTIPLE = "ganda", _("Multiple")


class LegalBasis(models.TextChoices):
    """Why Pilar may process this person's data (UU PDP 27/2022, article 20)."""

    PUBLIC_TASK = "tugas_publik", _("Public task (social-welfare services by law)")
    CONSENT = "persetujuan", _("Consent of the person or guardian")


class PpksStatus(models.TextChoices):
    REPORTED = "dilaporkan", _("Reported")
    VERIFIED = "terverifikasi", _("Verified")
    REJECTED = "ditolak", _("Rejected")
    HANDLED = "ditangani", _("Being handled")
    DONE = "selesai", _("Done")


# Who may move a record where: verification belongs to the TKSK or the social office
# (see `policy`); the rest to anyone who works in the record's area.
ALLOWED_MOVES: dict[str, tuple[str, ...]] = {
    PpksStatus.REPORTED: (PpksStatus.VERIFIED, PpksStatus.REJECTED),
    PpksStatus.VERIFIED: (PpksStatus.HANDLED,),
    PpksStatus.HANDLED: (PpksStatus.DONE,),
    PpksStatus.REJECTED: (),
    PpksStatus.DONE: (),
}
# Records counted in recaps: everything but the rejected.
COUNTED_STATUSES = (PpksStatus.REPORTED, PpksStatus.VERIFIED, PpksStatus.HANDLED, PpksStatus.DONE)


class Relation(models.TextChoices):
    HEAD = "kepala", _("Head of household")
    SPOUSE = "pasangan", _("Spouse")
    CHILD = "anak", _("Child")
    PARENT = "orang_tua", _("Parent")
    OTHER = "lainnya", _("Other family member")


class RecordSource(models.TextChoices):
    FORM = "formulir", _("Form")
    IMPORT = "impor", _("Import")


def handles_restricted(user: Any) -> bool:
    """Whether `user` sees people whose processing is restricted: the Dinsos operators
    (and the administrator), who handle the request; within their area as always."""
    return accounts_policy.is_manager(user)


class VillageQuerySet(RegionScopedQuerySet):
    """People and households: scoped by their village."""

    region_field = "village__code"

    def search(self, query: str) -> Self:
        """Digits: a NIK, exactly (16) or by its first 6 to 15 digits (a shorter run
        finds nobody: it would match half a kecamatan); anything else as a
        spelling-tolerant part of the name."""
        query = query.strip()
        if not query:
            return self
        if query.isascii() and query.isdigit():
            if len(query) == 16:
                return self.filter(nik=query)
            if len(query) >= NIK_PREFIX_DIGITS:
                return self.filter(nik__startswith=query)
            return self.none()
        return self.filter(search_name__contains=spelling_key(query))


class PersonQuerySet(VillageQuerySet):
    def visible_to(self, user: Any) -> Self:
        """The people of the user's area; a person whose processing is restricted (at
        their request, or their consent withdrawn: UU PDP 27/2022 art. 11) only to the
        operators who handle it."""
        visible = super().visible_to(user).filter(erased_at__isnull=True)
        if handles_restricted(user):
            return visible
        return visible.filter(restricted_at__isnull=True)

    def of_area(self, user: Any) -> Self:
        """Every person of the user's area, restricted and erased ones too: for the
        register of requests about personal data, which must list them all."""
        return super().visible_to(user)

    def current(self) -> Self:
        """Leaves out people merged into another (kept for their history)."""
        return self.filter(merged_into__isnull=True)


class Person(models.Model):
    # Unique through Meta.constraints: one index, without the LIKE index Django adds
    # for unique=True on PostgreSQL (a NIK is only ever matched exactly).
    nik = BytewiseCharField(max_length=16, null=True, blank=True, verbose_name=_("NIK"))
    family_card = BytewiseCharField(max_length=16, blank=True, verbose_name=_("family card number (No. KK)"))
    full_name = models.CharField(max_length=150, verbose_name=_("name"))
    search_name = BytewiseCharField(max_length=150, editable=False)
    sex = models.CharField(max_length=1, choices=Sex.choices, verbose_name=_("sex"))
    birth_place = models.CharField(max_length=100, blank=True, verbose_name=_("place of birth"))
    birth_date = models.DateField(null=True, blank=True, verbose_name=_("birth date"))
    # Indexed by person_village_name (village first).
    village = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", db_index=False, verbose_name=_("village")
    )
    address = models.CharField(max_length=250, blank=True, verbose_name=_("address"))
    phone = models.CharField(max_length=20, blank=True, verbose_name=_("phone"))
    disability = models.CharField(
        max_length=12, choices=Disability.choices, blank=True, default="", verbose_name=_("disability")
    )
    household = models.ForeignKey(
        "Household",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("household"),
    )
    household_relation = models.CharField(
        max_length=10, choices=Relation.choices, blank=True, verbose_name=_("relation to the head")
    )
    guardian = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="wards",
        db_index=False,  # a partial index below: few people have a guardian recorded
        verbose_name=_("guardian"),
    )
    guardian_relation = models.CharField(max_length=60, blank=True, verbose_name=_("guardian's relation"))
    legal_basis = models.CharField(
        max_length=12, choices=LegalBasis.choices, default=LegalBasis.PUBLIC_TASK, verbose_name=_("legal basis")
    )
    notes = models.TextField(blank=True, verbose_name=_("notes"))
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        verbose_name=_("merged into"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set while processing is restricted (pilar.beneficiaries.subject_rights).
    restricted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("restricted since"))
    # The legal obligation that requires keeping the record (a court case, the archives
    # law): while set, erasure is refused and retention never proposes the person.
    legal_hold = models.CharField(max_length=300, blank=True, verbose_name=_("kept by law"))
    # Set when the person was anonymised (pilar.beneficiaries.erasure); the row stays
    # for the anonymous counts, and nobody sees it in a list again.
    erased_at = models.DateTimeField(null=True, blank=True, verbose_name=_("erased at"))
    history = HistoricalRecords(
        excluded_fields=["search_name", "updated_at"],
        no_db_index=["nik", "village", "household", "guardian", "merged_into", "created_by"],
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            # The village list (ordered by name) and the key of rows without NIK.
            models.Index(fields=["village", "search_name"], name="person_village_name"),
            models.Index(fields=["guardian"], condition=Q(guardian__isnull=False), name="person_guardian"),
            models.Index(fields=["merged_into"], condition=Q(merged_into__isnull=False), name="person_merged_into"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["nik"], name="one_person_per_nik"),
            models.UniqueConstraint(
                fields=["household"], condition=Q(household_relation="kepala"), name="one_head_per_household"
            ),
        ]

    def __str__(self) -> str:
        if self.erased_at is not None:
            return _("(erased person #%(number)s)") % {"number": self.pk}
        return self.full_name

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_name = spelling_key(self.full_name)
        if self.nik == "":
            self.nik = None
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Household(models.Model):
    family_card = BytewiseCharField(max_length=16, blank=True, verbose_name=_("family card number (No. KK)"))
    village = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", db_index=False, verbose_name=_("village")
    )
    address = models.CharField(max_length=250, blank=True, verbose_name=_("address"))
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(no_db_index=["village"])

    objects = VillageQuerySet.as_manager()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        indexes = [models.Index(fields=["village"], name="household_village")]
        constraints = [
            models.UniqueConstraint(
                fields=["family_card"], condition=~Q(family_card=""), name="one_household_per_family_card"
            )
        ]

    def __str__(self) -> str:
        head = self.current_head()
        return f"{self.family_card or _('(no family card)')} {head.full_name if head else ''}".strip()

    def current_head(self) -> Person | None:
        return self.members.filter(household_relation=Relation.HEAD).first()


class PpksRecordQuerySet(RegionScopedQuerySet):
    def visible_to(self, user: Any) -> Self:
        """The records of the user's area, but a restricted person's (see
        PersonQuerySet.visible_to) only for the operators; counted in recaps all the same."""
        visible = super().visible_to(user).exclude(person__erased_at__isnull=False)
        if handles_restricted(user):
            return visible
        return visible.filter(person__restricted_at__isnull=True)

    def counted(self) -> Self:
        return self.filter(status__in=COUNTED_STATUSES)


class PpksRecord(models.Model):
    # person and household are indexed by the unique constraints (leading column).
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ppks_records",
        db_index=False,
        verbose_name=_("person"),
    )
    household = models.ForeignKey(
        Household,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ppks_records",
        db_index=False,
        verbose_name=_("household"),
    )
    category = BytewiseCharField(max_length=7, choices=PPKS_CHOICES, verbose_name=_("PPKS type"))
    # A copy of the person's (or household's) village, kept by the services and the
    # importer; the person's own foreign key already guarantees the code exists.
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,  # indexed by ppks_region_category (region first)
        verbose_name=_("village"),
    )
    conditions = models.TextField(blank=True, verbose_name=_("conditions observed"))
    # The numbers of the type's conditions (ppks.PPKS_TYPES[category].conditions) the
    # mapper ticked, for the verifier.
    checklist = models.JSONField(default=list, blank=True, verbose_name=_("criteria ticked"))
    status = BytewiseCharField(
        max_length=13, choices=PpksStatus.choices, default=PpksStatus.REPORTED, verbose_name=_("status")
    )
    status_reason = models.CharField(max_length=300, blank=True, verbose_name=_("reason"))
    source = models.CharField(max_length=10, choices=RecordSource.choices, default=RecordSource.FORM)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        verbose_name=_("mapped by"),
    )
    reported_at = models.DateTimeField(verbose_name=_("mapped at"))
    status_changed_at = models.DateTimeField(verbose_name=_("status since"))
    history = HistoricalRecords(no_db_index=["person", "household", "region", "reported_by"])

    objects = PpksRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("PPKS record")
        verbose_name_plural = _("PPKS records")
        indexes = [
            # Region scoping, the summaries (per kecamatan prefix x type) and the
            # verification queue of an area (a few thousand rows, sorted by date).
            models.Index(fields=["region", "category", "status"], name="ppks_region_category"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, household__isnull=True)
                | Q(person__isnull=True, household__isnull=False),
                name="ppks_record_person_or_household",
            ),
            # Not partial: a partial index would not serve `person_id IN (...)` with
            # bound parameters (a prefetch), which PostgreSQL cannot prove non-null.
            models.UniqueConstraint(fields=["person", "category"], name="one_ppks_record_per_person_and_type"),
            models.UniqueConstraint(
                fields=["household", "category"],
                condition=Q(household__isnull=False),
                name="one_ppks_record_per_household_and_type",
            ),
        ]

    def __str__(self) -> str:
        subject = self.person or self.household
        return f"{self.category} {subject}"

    def ticked_conditions(self) -> list[str]:
        """The texts of the conditions the mapper ticked, in the reader's language."""
        ticked = set(self.checklist or ())
        return [condition.text for condition in PPKS_TYPES[self.category].conditions if condition.number in ticked]

    @property
    def subject(self) -> Person | Household:
        return self.person or self.household  # type: ignore[return-value]


class PpksEvent(models.Model):
    """One step of a record's status after it was mapped (the mapping itself is the
    record's `reported_by` and `reported_at`). Append-only: written by the services."""

    record = models.ForeignKey(PpksRecord, on_delete=models.PROTECT, related_name="events")
    from_status = models.CharField(max_length=13, choices=PpksStatus.choices, blank=True)
    to_status = models.CharField(max_length=13, choices=PpksStatus.choices)
    reason = models.CharField(max_length=300, blank=True, verbose_name=_("reason"))
    acting_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.record_id}: {self.from_status} -> {self.to_status}"


class PpksSummary(models.Model):
    """PPKS records per kecamatan x type and status (rejected ones are not kept)."""

    district = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    category = models.CharField(max_length=7, choices=PPKS_CHOICES)
    reported = models.PositiveIntegerField(default=0)
    verified = models.PositiveIntegerField(default=0)
    handled = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["district", "category"], name="one_summary_per_district_type")]

    def __str__(self) -> str:
        return f"{self.district_id} {self.category}: {self.total}"


class Move(models.Model):
    """A person or a whole household moved to another village, as one action."""

    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="moves")
    household = models.ForeignKey(Household, null=True, blank=True, on_delete=models.PROTECT, related_name="moves")
    from_village = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    to_village = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=300, blank=True)
    acting_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.from_village_id} -> {self.to_village_id}"


class Merge(models.Model):
    """`merged` turned out to be the same person as `survivor`; everything of `merged`
    now points to `survivor`, and `merged` stays (with `merged_into`) for its history."""

    survivor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    # What was re-pointed and filled, for an undo (see beneficiaries.merges).
    moved = models.JSONField(default=dict)
    acting_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()
    undone_at = models.DateTimeField(null=True, blank=True, verbose_name=_("undone at"))
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("undone by"),
    )

    def __str__(self) -> str:
        return f"{self.merged_id} -> {self.survivor_id}"


class DuplicateDecision(models.Model):
    """Two people a reviewer decided are not the same person; never proposed again."""

    first = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    acting_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="one_decision_per_pair"),
            models.CheckConstraint(condition=Q(first__lt=models.F("second")), name="decision_pair_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} != {self.second_id}"


class PersonTransfer(TransferRequest):
    """A mapper asks for a person registered elsewhere to be moved to their village
    (`pilar.beneficiaries.transfers`)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    from_village = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    to_village = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")

    class Meta(TransferRequest.Meta):
        verbose_name = _("person transfer request")
        verbose_name_plural = _("person transfer requests")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "requested_by"],
                condition=models.Q(status="menunggu"),
                name="one_waiting_transfer_per_person_and_requester",
            )
        ]


class SubjectRequestKind(models.TextChoices):
    """The rights a person may ask for at the office (UU PDP 27/2022, art. 5-9)."""

    ACCESS = "akses", _("Access to their data")
    CORRECTION = "koreksi", _("Correction")
    RESTRICTION = "pembatasan", _("Restriction of processing")
    ERASURE = "penghapusan", _("Erasure")


class SubjectRequestStatus(models.TextChoices):
    OPEN = "diproses", _("Being handled")
    GRANTED = "dipenuhi", _("Granted")
    REFUSED = "ditolak", _("Refused")


class SubjectRequest(models.Model):
    """A person's request about their own data, its decision, and the operators who
    recorded and decided it: the register a data-protection officer reads."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="subject_requests")
    kind = models.CharField(max_length=12, choices=SubjectRequestKind.choices, verbose_name=_("request"))
    status = models.CharField(
        max_length=10, choices=SubjectRequestStatus.choices, default=SubjectRequestStatus.OPEN, verbose_name=_("status")
    )
    note = models.TextField(
        blank=True, verbose_name=_("note"), help_text=_("How the person was identified, what they asked.")
    )
    legal_ground = models.CharField(max_length=300, blank=True, verbose_name=_("legal ground"))
    requested_at = models.DateTimeField(verbose_name=_("requested at"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.TextField(blank=True, verbose_name=_("decision"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("data subject request")
        verbose_name_plural = _("data subject requests")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.person_id}"


class ConsentMethod(models.TextChoices):
    SIGNED_FORM = "formulir", _("Signed form (its photo kept)")
    VERBAL = "lisan", _("Verbal, before a witness")


def consent_photo_path(instance: Consent, filename: str) -> str:
    return f"persetujuan/{instance.person_id}/{timezone.now():%Y%m%d%H%M%S%f}.jpg"


class Consent(models.Model):
    """A person's consent to the processing of their data, where consent is the legal
    basis (UU PDP 27/2022 art. 20-22): when, who took it, how, what it covers, and its
    withdrawal, which restricts processing (pilar.beneficiaries.subject_rights)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="consents")
    given_on = models.DateField(verbose_name=_("given on"))
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    method = models.CharField(max_length=10, choices=ConsentMethod.choices, verbose_name=_("how"))
    witness = models.CharField(max_length=150, blank=True, verbose_name=_("witness"))
    covers = models.TextField(verbose_name=_("what it covers"))
    form_photo = models.FileField(upload_to=consent_photo_path, blank=True, verbose_name=_("photo of the signed form"))
    withdrawn_on = models.DateField(null=True, blank=True, verbose_name=_("withdrawn on"))
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawal_note = models.TextField(blank=True, verbose_name=_("withdrawal"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-given_on", "-pk"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.get_method_display()} · {self.given_on}"
