"""The people list as the pages, the exports and the background export job filter
and write it, for one user (their area, their right to see full NIKs)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import Any

from django.db.models import QuerySet

from pilar.beneficiaries import exchange, policy
from pilar.beneficiaries.forms import PeopleFilterForm
from pilar.beneficiaries.models import Person, PpksRecord
from pilar.core.identity import mask_nik
from pilar.core.scoping import subtree
from pilar.core.search import unseal_params
from pilar.core.tabular import Table, Value

# The import's columns (so an export can be corrected and imported again), and the village name.
HEADERS = [*exchange.COLUMNS[:7], "nama_wilayah", *exchange.COLUMNS[7:]]


def shown_nik(user: Any, nik: str | None) -> str:
    if not nik:
        return ""
    return nik if policy.can_see_full_nik(user) else mask_nik(nik)


def filter_people(user: Any, params: Mapping[str, Any]) -> tuple[PeopleFilterForm, QuerySet[Person]]:
    """The current people `user` may see, narrowed by the list's filters (`params`,
    the query string: q, region, category, status)."""
    params = unseal_params(user, params)
    form = PeopleFilterForm(params or None)
    people = Person.objects.visible_to(user).current().select_related("village")
    if form.is_bound and not form.is_valid():
        return form, people.none()  # a refused filter lists nobody rather than everybody
    if form.is_valid():
        data = form.cleaned_data
        people = people.search(data["q"])
        if data["region"].strip():
            people = people.filter(subtree("village__code", data["region"].strip()))
        if data["category"] or data["status"]:
            records = PpksRecord.objects.all()
            if data["category"]:
                records = records.filter(category=data["category"])
            if data["status"]:
                records = records.filter(status=data["status"])
            people = people.filter(pk__in=records.values("person_id"))
    return form, people.order_by("village_id", "search_name", "pk")


CHUNK = 2000


def people_table(user: Any, params: Mapping[str, Any]) -> Table:
    """Plain values, not model instances (a province holds millions of people): the
    people in chunks, each chunk's PPKS types in one query."""
    _form, people = filter_people(user, params)
    full_nik = policy.can_see_full_nik(user)  # once: it reads the user's roles
    fields = ("pk", "nik", "family_card", "full_name", "sex", "birth_place", "birth_date", "village_id")
    values = people.values_list(*fields, "village__name", "address", "phone")

    table = Table(name="ppks-orang", headers=HEADERS, rows=(), count=people.count(), model=Person)

    def write(chunk: list[tuple[Any, ...]]) -> Iterator[list[Value]]:
        types: dict[int, list[str]] = defaultdict(list)
        records = PpksRecord.objects.filter(person_id__in=[row[0] for row in chunk])
        for person_id, category in records.values_list("person_id", "category"):
            types[person_id].append(category)
        for pk, nik, family_card, name, sex, place, born, village, village_name, address, phone in chunk:
            table.saw(pk)
            shown = (nik if full_nik else mask_nik(nik)) if nik else ""
            yield [
                shown,
                family_card,
                name,
                sex,
                place,
                born,
                village,
                village_name,
                address,
                ";".join(types[pk]),
                phone,
            ]

    def rows() -> Iterator[list[Value]]:
        chunk: list[tuple[Any, ...]] = []
        for row in values.iterator(chunk_size=CHUNK):
            chunk.append(row)
            if len(chunk) == CHUNK:
                yield from write(chunk)
                chunk = []
        yield from write(chunk)

    table.rows = rows()
    return table
