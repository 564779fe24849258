"""The people list as the pages, the exports and the background export job filter
and write it, for one user (their area, their right to see full NIKs)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.db.models import QuerySet

from pilar.beneficiaries import exchange, policy
from pilar.beneficiaries.forms import PeopleFilterForm
from pilar.beneficiaries.models import Person, PpksRecord
from pilar.core.identity import mask_nik
from pilar.core.scoping import subtree
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
    form = PeopleFilterForm(params or None)
    people = Person.objects.visible_to(user).current().select_related("village")
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


def people_table(user: Any, params: Mapping[str, Any]) -> Table:
    _form, people = filter_people(user, params)

    def rows() -> Iterator[list[Value]]:
        for person in people.prefetch_related("ppks_records").iterator(chunk_size=2000):
            yield [
                shown_nik(user, person.nik),
                person.family_card,
                person.full_name,
                person.sex,
                person.birth_place,
                person.birth_date,
                person.village_id,
                person.village.name,
                person.address,
                ";".join(record.category for record in person.ppks_records.all()),
                person.phone,
            ]

    return Table(name="ppks-orang", headers=HEADERS, rows=rows(), count=people.count(), model=Person)
