"""Importing institutions (Karang Taruna, LKS, LK3, WKSBM, Dunia Usaha) from CSV or XLSX.

An institution is found again by its kind and registration number, or, without a
number, by its kind, region and name (ignoring case and accents), so a second import
of the same file changes nothing. Imported institutions are active; one active
Karang Taruna per region holds across the file and the registry together.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from pilar.imports.base import (
    ImportReport,
    RowError,
    choice_cell,
    chunks,
    fetch_regions,
    integer_cell,
    optional_text,
    parse_cells,
    required_text,
    run_import_pipeline,
)
from pilar.imports.reading import SourceRow
from pilar.imports.workers import BATCH_SIZE
from pilar.regions.models import Region
from pilar.regions.text import fold
from pilar.workforce import policy
from pilar.workforce.institutions import karang_taruna_taken_message
from pilar.workforce.kinds import Accreditation, InstitutionKind, InstitutionStatus
from pilar.workforce.models import Institution

COLUMNS = [
    "jenis",
    "nama",
    "kode_wilayah",
    "nomor_registrasi",
    "akreditasi",
    "ketua",
    "jumlah_anggota",
    "telepon",
    "alamat",
]
REQUIRED = COLUMNS[:3]
EXAMPLE = [
    "LKS",
    "LKS Harapan Bunda",
    "18.01.04",
    "LKS/18.01/2021/007",
    "B",
    "Hj. Nurhayati",
    "25",
    "0721123456",
    "Jl. Raya Natar No. 10",
]
FIELDS = [
    "name",
    "search_name",
    "registration_number",
    "accreditation",
    "leader_name",
    "member_count",
    "phone",
    "address",
]


@dataclass
class InstitutionRow:
    number: int
    kind: str
    name: str
    region_code: str
    registration_number: str
    accreditation: str
    leader_name: str
    member_count: int | None
    phone: str
    address: str

    @property
    def key(self) -> tuple[str, ...]:
        if self.registration_number:
            return (self.kind, "number", self.registration_number)
        return (self.kind, self.region_code, fold(self.name))


def institution_key(institution: Institution) -> tuple[str, ...]:
    if institution.registration_number:
        return (institution.kind, "number", institution.registration_number)
    return (institution.kind, institution.region_id, institution.search_name)


def parse_row(row: SourceRow) -> tuple[InstitutionRow | None, list[RowError]]:
    values, errors = parse_cells(
        row,
        {
            "kind": lambda: choice_cell(row, "jenis", InstitutionKind.values),
            "name": lambda: required_text(row, "nama", max_length=200),
            "region_code": lambda: required_text(row, "kode_wilayah", max_length=13),
            "registration_number": lambda: optional_text(row, "nomor_registrasi", max_length=100),
            "accreditation": lambda: choice_cell(row, "akreditasi", Accreditation.values, default=Accreditation.NONE),
            "leader_name": lambda: optional_text(row, "ketua", max_length=150),
            "member_count": lambda: integer_cell(row, "jumlah_anggota"),
            "phone": lambda: optional_text(row, "telepon", max_length=20).lstrip("'"),
            "address": lambda: optional_text(row, "alamat", max_length=300),
        },
    )
    if values is None:
        return None, errors
    return InstitutionRow(number=row.number, **values), []


class InstitutionImport:
    def __init__(self, rows: list[InstitutionRow], report: ImportReport, acting_user: Any) -> None:
        self.rows = rows
        self.report = report
        self.acting_user = acting_user
        self.regions = fetch_regions({row.region_code for row in rows})
        self.existing: dict[tuple[str, ...], Institution] = {}
        for chunk in chunks(sorted(self.regions)):
            for institution in Institution.objects.filter(region_id__in=chunk):
                self.existing[institution_key(institution)] = institution
        numbers = sorted({row.registration_number for row in rows if row.registration_number})
        for chunk in chunks(numbers):
            for institution in Institution.objects.filter(registration_number__in=chunk):
                self.existing[institution_key(institution)] = institution

    def error(self, row: InstitutionRow, column: str, message: str) -> None:
        self.report.errors.append(RowError(row=row.number, column=column, message=message))

    def validate(self) -> None:
        seen: dict[tuple[str, ...], int] = {}
        karang_taruna: dict[str, InstitutionRow] = {}
        for row in self.rows:
            region: Region | None = self.regions.get(row.region_code)
            if region is None:
                self.error(row, "kode_wilayah", _("Unknown region code %(code)s.") % {"code": row.region_code})
                continue
            if not region.is_active:
                self.error(
                    row, "kode_wilayah", _("%(region)s is no longer an active region.") % {"region": region.code}
                )
                continue
            if self.acting_user is not None and not policy.can_manage_registry(self.acting_user, region.code):
                self.error(row, "kode_wilayah", _("%(code)s is outside your region.") % {"code": region.code})
                continue
            existing = self.existing.get(row.key)
            if (
                existing is not None
                and self.acting_user is not None
                and not policy.can_manage_registry(self.acting_user, existing.region_id)
            ):
                # Found by its registration number in another region: an import must not
                # rename or rewrite an institution the importer does not keep.
                self.error(
                    row,
                    "nomor_registrasi",
                    _(
                        "This registration number belongs to an institution registered outside your region, so "
                        "the row cannot be imported here."
                    ),
                )
                continue
            if row.key in seen:
                self.error(row, "nama", _("The same institution is already in row %(row)s.") % {"row": seen[row.key]})
                continue
            seen[row.key] = row.number
            if row.kind == InstitutionKind.KARANG_TARUNA:
                self._check_karang_taruna(row, karang_taruna)

    def _check_karang_taruna(self, row: InstitutionRow, in_file: dict[str, InstitutionRow]) -> None:
        if row.region_code in in_file:
            self.error(
                row,
                "kode_wilayah",
                _("Row %(row)s already has the Karang Taruna of %(region)s.")
                % {"row": in_file[row.region_code].number, "region": row.region_code},
            )
            return
        in_file[row.region_code] = row
        mine = self.existing.get(row.key)
        holders = Institution.objects.filter(
            region_id=row.region_code, kind=InstitutionKind.KARANG_TARUNA, status=InstitutionStatus.ACTIVE
        )
        if mine is not None:
            holders = holders.exclude(pk=mine.pk)
        other = holders.exists()
        if other:
            self.error(row, "kode_wilayah", karang_taruna_taken_message(row.region_code))

    def plan(self) -> tuple[list[Institution], list[Institution]]:
        created, updated = [], []
        for row in self.rows:
            wanted = {
                "name": row.name,
                "search_name": fold(row.name),
                "registration_number": row.registration_number,
                "accreditation": row.accreditation,
                "leader_name": row.leader_name,
                "member_count": row.member_count,
                "phone": row.phone,
                "address": row.address,
            }
            institution = self.existing.get(row.key)
            if institution is None:
                created.append(
                    Institution(kind=row.kind, region_id=row.region_code, status=InstitutionStatus.ACTIVE, **wanted)
                )
            elif any(getattr(institution, field) != value for field, value in wanted.items()):
                for field, value in wanted.items():
                    setattr(institution, field, value)
                updated.append(institution)
        return created, updated

    def count_planned(self) -> None:
        created, updated = self.plan()
        self.report.created, self.report.updated = len(created), len(updated)
        self.report.unchanged = len(self.rows) - len(created) - len(updated)

    @transaction.atomic
    def write(self) -> None:
        created, updated = self.plan()
        reason = (_("institution import %(file)s") % {"file": self.report.filename})[:100]
        bulk_create_with_history(
            created, Institution, batch_size=BATCH_SIZE, default_user=self.acting_user, default_change_reason=reason
        )
        if updated:
            bulk_update_with_history(
                updated,
                Institution,
                FIELDS,
                batch_size=BATCH_SIZE,
                default_user=self.acting_user,
                default_change_reason=reason,
            )
        self.report.created, self.report.updated = len(created), len(updated)
        self.report.unchanged = len(self.rows) - len(created) - len(updated)


def import_institutions(data: bytes, filename: str, *, acting_user: Any = None, dry_run: bool = False) -> ImportReport:
    return run_import_pipeline(
        kind="institutions",
        data=data,
        filename=filename,
        required=REQUIRED,
        parse_row=parse_row,
        make_importer=lambda rows, report: InstitutionImport(rows, report, acting_user),
        dry_run=dry_run,
    )
