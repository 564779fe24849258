"""The case lists as the pages, the exports and the background export job filter and
write them, for one user (their work lists, their area)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from pilar.beneficiaries.names import spelling_key
from pilar.cases import forms, worklists
from pilar.cases.models import OPEN_STATUSES, Case
from pilar.core.http import parse_id
from pilar.core.scoping import subtree
from pilar.core.search import unseal_params
from pilar.core.tabular import Table, Value

HEADERS = [
    "nomor",
    "nama",
    "kode_desa",
    "status",
    "prioritas",
    "tingkat",
    "wilayah_pemegang",
    "petugas",
    "dibuka",
    "tenggat",
    "terlambat",
    "hasil",
]


def list_name(params: Mapping[str, Any], default: str = "semua") -> str:
    name = params.get("daftar", "")
    return name if name in worklists.LISTS else default


def filter_cases(user: Any, params: Mapping[str, Any], name: str) -> tuple[forms.CaseFilterForm, QuerySet[Case]]:
    """The cases of `user`'s work list `name`, narrowed by the list's filters (`params`,
    the query string)."""
    params = unseal_params(user, params)
    form = forms.CaseFilterForm(params or None)
    cases = worklists.work_list(user, name)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"].strip():
            cases = cases.filter(person__search_name__contains=spelling_key(data["q"]))
        if data["status"]:
            cases = cases.filter(status=data["status"])
        if data["level"] is not None:
            cases = cases.filter(level=data["level"])
        if data["priority"]:
            cases = cases.filter(priority=data["priority"])
        if data["overdue"]:
            cases = cases.filter(status__in=OPEN_STATUSES, due_at__lt=timezone.now())
    person = parse_id(params.get("orang"))
    if person is not None:
        cases = cases.filter(person_id=person)
    region = params.get("region", "").strip()
    if region:
        cases = cases.filter(subtree("region__code", region))
    return form, cases


def case_table(user: Any, params: Mapping[str, Any]) -> Table:
    """The facts of each case of the list, never its story."""
    name = list_name(params)
    _form, cases = filter_cases(user, params, name)
    now = timezone.now()
    table = Table(name=f"kasus-{name}", headers=HEADERS, rows=(), count=cases.count(), model=Case, ids_column=0)

    def rows() -> Iterator[list[Value]]:
        for case in cases.select_related("person", "household", "assigned_to").iterator(chunk_size=2000):
            table.saw(case.person_id)
            yield [
                case.pk,
                case.person.full_name if case.person else str(case.household),
                case.region_id,
                case.get_status_display(),
                case.get_priority_display(),
                case.get_level_display(),
                case.holding_region_id or "",
                case.assigned_to.username if case.assigned_to else "",
                timezone.localtime(case.opened_at).date(),
                timezone.localtime(case.due_at).date(),
                _("yes") if case.is_overdue(now) else "",
                case.get_outcome_display(),
            ]

    table.rows = rows()
    return table
