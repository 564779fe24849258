"""Importing a worker roster (PSM, TKSK, ...) from CSV or XLSX.

A roster records what the office already holds on paper: each row is one person in
one kind of pillar, in one region, with a status. People are keyed by NIK and
engagements by NIK and kind, so a second import of the same file changes nothing.
A row may move an existing engagement only along the lifecycle (`kinds.ALLOWED_MOVES`);
the PSM rules apply except that a trained or active PSM need not bring the training
record behind it (see `pilar.workforce.rules`).

Writes are bulk inserts and updates with their history rows and one
`EngagementEvent` per created or changed engagement, in one transaction.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from pilar.core.identity import Sex, check_nik
from pilar.imports.base import (
    ImportReport,
    RowError,
    choice_cell,
    chunks,
    date_cell,
    fetch_regions,
    nik_cell,
    optional_text,
    parse_cells,
    required_text,
    run_import_pipeline,
)
from pilar.imports.reading import SourceRow
from pilar.regions.models import Region
from pilar.regions.text import fold
from pilar.workforce import policy, rules
from pilar.workforce.kinds import ChangeSource, WorkerKind, WorkerStatus
from pilar.workforce.models import Assignment, Engagement, EngagementEvent, Worker
from pilar.workforce.services import tksk_taken_message

COLUMNS = [
    "jenis",
    "nik",
    "nama",
    "jenis_kelamin",
    "tanggal_lahir",
    "kode_wilayah",
    "status",
    "nomor_sk",
    "tanggal_sk",
    "telepon",
]
REQUIRED = COLUMNS[:7]
EXAMPLE = [
    "PSM",
    "1801044101900001",
    "Siti Aminah",
    "P",
    "1990-01-01",
    "18.01.04.2001",
    "aktif",
    "460/123/IV.02/2025",
    "2025-03-01",
    "081234567890",
]
BATCH_SIZE = 2000

# Which column a rule's complaint is about.
ERROR_COLUMNS = {
    "decree_required": "nomor_sk",
    "psm_too_young": "tanggal_sk",
    "psm_home_village": "kode_wilayah",
    "wrong_region_level": "kode_wilayah",
    "inactive_region": "kode_wilayah",
    "illegal_move": "status",
    "reason_required": "status",
    "psm_basic_training_required": "status",
}


@dataclass
class WorkerRow:
    number: int
    kind: str
    nik: str
    name: str
    sex: str
    birth_date: datetime.date
    region_code: str
    status: str
    decree_number: str
    decree_date: datetime.date | None
    phone: str


def parse_row(row: SourceRow) -> tuple[WorkerRow | None, list[RowError]]:
    values, errors = parse_cells(
        row,
        {
            "kind": lambda: choice_cell(row, "jenis", WorkerKind.values),
            "nik": lambda: nik_cell(row),
            "name": lambda: required_text(row, "nama", max_length=150),
            "sex": lambda: choice_cell(row, "jenis_kelamin", Sex.values),
            "birth_date": lambda: date_cell(row, "tanggal_lahir", required=True),
            "region_code": lambda: required_text(row, "kode_wilayah", max_length=13),
            "status": lambda: choice_cell(row, "status", WorkerStatus.values),
            "decree_number": lambda: optional_text(row, "nomor_sk", max_length=100),
            "decree_date": lambda: date_cell(row, "tanggal_sk", required=False),
            "phone": lambda: optional_text(row, "telepon", max_length=20).lstrip("'"),
        },
    )
    if values is None:
        return None, errors
    return WorkerRow(number=row.number, **values), []


def _fetch_existing(niks: set[str]) -> tuple[dict[str, Worker], dict[tuple[str, str], Engagement]]:
    workers: dict[str, Worker] = {}
    engagements: dict[tuple[str, str], Engagement] = {}
    for chunk in chunks(sorted(niks)):
        for worker in Worker.objects.filter(nik__in=chunk):
            workers[worker.nik] = worker
        for engagement in Engagement.objects.filter(worker__nik__in=chunk).select_related("worker"):
            engagements[(engagement.worker.nik, engagement.kind)] = engagement
    return workers, engagements


class RosterImport:
    """Validates a roster whole, then writes it (unless asked not to)."""

    def __init__(self, rows: list[WorkerRow], report: ImportReport, acting_user: Any) -> None:
        self.rows = rows
        self.report = report
        self.acting_user = acting_user
        self.regions = fetch_regions({row.region_code for row in rows})
        self.workers, self.engagements = _fetch_existing({row.nik for row in rows})
        self.places: dict[str, list[str]] = {}
        for (nik, _kind), engagement in self.engagements.items():
            self.places.setdefault(nik, []).append(engagement.region_id)

    def error(self, row: WorkerRow, column: str, message: str) -> None:
        self.report.errors.append(RowError(row=row.number, column=column, message=message))

    def validate(self) -> None:
        identity_rows: dict[str, WorkerRow] = {}
        seen: dict[tuple[str, str], int] = {}
        for row in self.rows:
            region = self.regions.get(row.region_code)
            if region is None:
                self.error(row, "kode_wilayah", _("Unknown region code %(code)s.") % {"code": row.region_code})
                continue
            if self.acting_user is not None and not policy.can_manage_registry(self.acting_user, region.code):
                self.error(row, "kode_wilayah", _("%(code)s is outside your region.") % {"code": region.code})
                continue
            if not self._may_change_worker(row):
                self.error(
                    row,
                    "nik",
                    _(
                        "This NIK belongs to a worker registered outside your region, so the row cannot be "
                        "imported here. Ask the Dinsos office above both areas to transfer the worker."
                    ),
                )
                continue
            if (row.nik, row.kind) in seen:
                self.error(
                    row,
                    "nik",
                    _("This NIK is already listed as %(kind)s in row %(row)s.")
                    % {"kind": row.kind, "row": seen[(row.nik, row.kind)]},
                )
                continue
            seen[(row.nik, row.kind)] = row.number
            first = identity_rows.setdefault(row.nik, row)
            if (first.name, first.sex, first.birth_date) != (row.name, row.sex, row.birth_date):
                self.error(
                    row,
                    "nik",
                    _("Row %(row)s gives another name, sex or birth date for this NIK.") % {"row": first.number},
                )
                continue
            self._validate_rules(row, region)
        self._validate_tksk_holders()

    def _may_change_worker(self, row: WorkerRow) -> bool:
        """A row may touch a registered worker only when the importer keeps the
        registry of a place that worker serves (or, with no engagement, their home
        village), and of the engagement the row would change: otherwise an import
        could rename or move a worker of another province and reveal their data."""
        worker = self.workers.get(row.nik)
        if self.acting_user is None or worker is None:
            return True
        places = self.places.get(row.nik, [])
        if not places and worker.home_village_id:
            places = [worker.home_village_id]
        if not any(policy.can_manage_registry(self.acting_user, code) for code in places):
            return policy.manages_nation(self.acting_user)
        engagement = self.engagements.get((row.nik, row.kind))
        return engagement is None or policy.can_manage_registry(self.acting_user, engagement.region_id)

    def _validate_rules(self, row: WorkerRow, region: Region) -> None:
        existing = self.engagements.get((row.nik, row.kind))
        try:
            check_nik(row.nik, sex=row.sex, birth_date=row.birth_date)
        except ValidationError as error:
            self.error(row, "nik", error.messages[0])
            return
        try:
            rules.check_region_for_kind(row.kind, region)
            if existing is not None and existing.status != row.status:
                rules.check_move(existing.status, row.status)
            rules.check_step(
                kind=row.kind,
                to_status=row.status,
                birth_date=row.birth_date,
                home_village_code=row.region_code if row.kind == WorkerKind.PSM else "",
                region_code=row.region_code,
                decree_number=row.decree_number,
                decree_date=row.decree_date,
                reason="",
                has_basic_training=False,
                from_roster=True,
            )
        except ValidationError as error:
            self.error(row, ERROR_COLUMNS.get(str(error.code), "status"), error.messages[0])

    def _validate_tksk_holders(self) -> None:
        """One active TKSK per kecamatan, counting the file and the registry together."""
        active_rows = [row for row in self.rows if row.kind == WorkerKind.TKSK and row.status == WorkerStatus.ACTIVE]
        if not active_rows:
            return
        mentioned = {row.nik for row in self.rows if row.kind == WorkerKind.TKSK}
        holders: dict[str, str] = {}
        for chunk in chunks(sorted({row.region_code for row in active_rows})):
            for engagement in Engagement.objects.filter(
                region_id__in=chunk, kind=WorkerKind.TKSK, status=WorkerStatus.ACTIVE
            ).select_related("worker"):
                if engagement.worker.nik not in mentioned:
                    holders[engagement.region_id] = engagement.worker.full_name
        in_file: dict[str, WorkerRow] = {}
        for row in active_rows:
            if row.region_code in holders:
                self.error(row, "kode_wilayah", tksk_taken_message(holders[row.region_code], row.region_code))
            elif row.region_code in in_file:
                other = in_file[row.region_code]
                self.error(
                    row,
                    "kode_wilayah",
                    _("Row %(row)s already makes %(name)s the active TKSK of %(region)s.")
                    % {"row": other.number, "name": other.name, "region": row.region_code},
                )
            else:
                in_file[row.region_code] = row

    def plan(self) -> tuple[list[Worker], list[Worker], list[tuple[WorkerRow, Engagement | None]]]:
        """New workers, changed workers, and the rows whose engagement is new or changes."""
        new_workers: dict[str, Worker] = {}
        changed_workers: dict[str, Worker] = {}
        engagement_changes: list[tuple[WorkerRow, Engagement | None]] = []
        for row in self.rows:
            worker = self.workers.get(row.nik)
            home = row.region_code if row.kind == WorkerKind.PSM else None
            if worker is None:
                if row.nik not in new_workers:
                    new_workers[row.nik] = Worker(
                        nik=row.nik,
                        full_name=row.name,
                        search_name=fold(row.name),
                        sex=row.sex,
                        birth_date=row.birth_date,
                        phone=row.phone,
                        home_village_id=home,
                    )
                elif home:
                    new_workers[row.nik].home_village_id = home
            else:
                wanted = {"full_name": row.name, "phone": row.phone or worker.phone}
                if home:
                    wanted["home_village_id"] = home
                if any(getattr(worker, field) != value for field, value in wanted.items()):
                    for field, value in wanted.items():
                        setattr(worker, field, value)
                    worker.search_name = fold(worker.full_name)
                    changed_workers[row.nik] = worker
            engagement = self.engagements.get((row.nik, row.kind))
            if engagement is None or (
                engagement.status,
                engagement.region_id,
                engagement.decree_number,
                engagement.decree_date,
            ) != (row.status, row.region_code, row.decree_number, row.decree_date):
                engagement_changes.append((row, engagement))
        return list(new_workers.values()), list(changed_workers.values()), engagement_changes

    def count_planned(self) -> None:
        _new, _changed, changes = self.plan()
        created = sum(1 for _row, engagement in changes if engagement is None)
        self.report.created = created
        self.report.updated = len(changes) - created
        self.report.unchanged = len(self.rows) - len(changes)

    @transaction.atomic
    def write(self) -> None:
        new_workers, changed_workers, engagement_changes = self.plan()
        now = timezone.now()
        reason = _("roster import %(file)s") % {"file": self.report.filename}
        history = {"default_user": self.acting_user, "default_change_reason": reason[:100], "default_date": now}
        bulk_create_with_history(new_workers, Worker, batch_size=BATCH_SIZE, **history)
        if changed_workers:
            bulk_update_with_history(
                changed_workers,
                Worker,
                ["full_name", "search_name", "phone", "home_village_id"],
                batch_size=BATCH_SIZE,
                **history,
            )
        worker_ids = {worker.nik: worker.pk for worker in [*new_workers, *changed_workers]}
        worker_ids.update({nik: worker.pk for nik, worker in self.workers.items()})
        created: list[Engagement] = []
        updated: list[Engagement] = []
        before: dict[int, tuple[str, str]] = {}
        for row, engagement in engagement_changes:
            if engagement is None:
                engagement = Engagement(worker_id=worker_ids[row.nik], kind=row.kind)
                created.append(engagement)
            else:
                before[id(engagement)] = (engagement.status, engagement.region_id)
                updated.append(engagement)
            if engagement.status != row.status or engagement.pk is None:
                engagement.status_changed_at = now
            engagement.status = row.status
            engagement.region_id = row.region_code
            engagement.decree_number = row.decree_number
            engagement.decree_date = row.decree_date
            engagement.inactive_reason = ""
        bulk_create_with_history(created, Engagement, batch_size=BATCH_SIZE, **history)
        if updated:
            bulk_update_with_history(
                updated,
                Engagement,
                ["status", "region_id", "decree_number", "decree_date", "inactive_reason", "status_changed_at"],
                batch_size=BATCH_SIZE,
                **history,
            )
        EngagementEvent.objects.bulk_create(
            [
                EngagementEvent(
                    engagement=engagement,
                    from_status=before.get(id(engagement), ("", None))[0],
                    to_status=engagement.status,
                    from_region_id=before.get(id(engagement), ("", None))[1],
                    to_region_id=engagement.region_id,
                    note=reason,
                    source=ChangeSource.IMPORT,
                    acting_user=self.acting_user,
                    decree_number=engagement.decree_number,
                    decree_date=engagement.decree_date,
                    created_at=now,
                )
                for engagement in [*created, *updated]
            ],
            batch_size=BATCH_SIZE,
        )
        self._record_tksk_assignments(created, updated)
        self.report.created = len(created)
        self.report.updated = len(updated)
        self.report.unchanged = len(self.rows) - len(created) - len(updated)

    def _record_tksk_assignments(self, created: list[Engagement], updated: list[Engagement]) -> None:
        """An active TKSK with a decree is assigned under it, from the decree's date to
        the end of the budget year the roster is imported in: a roster lists who serves
        now (a TKSK is renewed each year, often under the first decree)."""
        this_year = timezone.localdate().year
        existing = set(
            Assignment.objects.filter(
                engagement_id__in=[engagement.pk for engagement in updated if engagement.kind == WorkerKind.TKSK]
            ).values_list("engagement_id", "budget_year")
        )
        assignments = [
            Assignment(
                engagement=engagement,
                region_id=engagement.region_id,
                budget_year=max(engagement.decree_date.year, this_year),
                start_date=engagement.decree_date,
                end_date=datetime.date(max(engagement.decree_date.year, this_year), 12, 31),
                decree_number=engagement.decree_number,
                decree_date=engagement.decree_date,
                created_by=self.acting_user,
            )
            for engagement in [*created, *updated]
            if engagement.kind == WorkerKind.TKSK
            and engagement.status == WorkerStatus.ACTIVE
            and engagement.decree_date is not None
            and (engagement.pk, max(engagement.decree_date.year, this_year)) not in existing
        ]
        bulk_create_with_history(assignments, Assignment, batch_size=BATCH_SIZE, default_user=self.acting_user)


def import_workers(data: bytes, filename: str, *, acting_user: Any = None, dry_run: bool = False) -> ImportReport:
    return run_import_pipeline(
        kind="workers",
        data=data,
        filename=filename,
        required=REQUIRED,
        parse_row=parse_row,
        make_importer=lambda rows, report: RosterImport(rows, report, acting_user),
        dry_run=dry_run,
    )
