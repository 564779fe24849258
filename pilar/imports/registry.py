"""The kinds of file Pilar imports, for the command line and the upload page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from pilar.beneficiaries import exchange
from pilar.imports import institutions, people, workers
from pilar.imports.base import ImportReport


@dataclass(frozen=True)
class ImportKind:
    name: str
    label: str | Promise
    run: Callable[..., ImportReport]
    columns: list[str]
    required: list[str]
    example: list[str]
    # Large files: checked and imported by a background job, invalid rows may be skipped.
    in_background: bool = False


IMPORT_KINDS = {
    "workers": ImportKind(
        "workers",
        _("Workers (PSM, TKSK, ...)"),
        workers.import_workers,
        workers.COLUMNS,
        workers.REQUIRED,
        workers.EXAMPLE,
    ),
    "institutions": ImportKind(
        "institutions",
        _("Institutions (Karang Taruna, LKS, ...)"),
        institutions.import_institutions,
        institutions.COLUMNS,
        institutions.REQUIRED,
        institutions.EXAMPLE,
    ),
    "people": ImportKind(
        "people",
        _("People and their PPKS types (social mapping)"),
        people.import_people,
        exchange.COLUMNS,
        exchange.REQUIRED,
        exchange.EXAMPLE,
        in_background=True,
    ),
}


def run_import(
    kind: str, data: bytes, filename: str, *, acting_user: Any, dry_run: bool, **options: Any
) -> ImportReport:
    """`options` (skip_invalid, progress) only for kinds that run in the background."""
    return IMPORT_KINDS[kind].run(data, filename, acting_user=acting_user, dry_run=dry_run, **options)
