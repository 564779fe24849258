"""The data subject's right of access (UU PDP 27/2022, art. 7): everything Pilar holds
about one person, as one document, for the operator to hand to the person who asked
at the office (PDF) or to a machine (JSON).

It holds the person's own record and its history, their household as it concerns
them, their PPKS records with their history, their cases with the timeline and the
referrals (a sensitive case's story only when the operator may read it), their moves,
and every read and export of their record from the access log. Nothing about another
person: not the other members of the household, not other people a list showed."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pilar.audit.models import AccessedRecord
from pilar.beneficiaries.models import Person
from pilar.cases import policy as case_policy

# Internal columns that say nothing about the person (search keys, lock versions).
SKIPPED = {"search_name", "spelling_key", "version", "merged_into"}


@dataclass
class Item:
    """One record: its fields as (name, label, value)."""

    title: str
    fields: list[tuple[str, str, Any]]
    children: list[Section] = field(default_factory=list)


@dataclass
class Section:
    title: str
    items: list[Item]


def _value(instance: models.Model, model_field: models.Field[Any, Any]) -> Any:
    if model_field.choices:
        return getattr(instance, f"get_{model_field.name}_display")()
    if isinstance(model_field, models.ForeignKey):
        related = getattr(instance, model_field.name)
        return str(related) if related is not None else None
    value = getattr(instance, model_field.attname)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or None
    return value


def _fields(instance: models.Model) -> list[tuple[str, str, Any]]:
    return [
        (model_field.name, str(model_field.verbose_name), _value(instance, model_field))
        for model_field in instance._meta.concrete_fields
        if model_field.name not in SKIPPED and not model_field.name.startswith("history_") and model_field.name != "id"
    ]


def _history(instance: Any) -> Section:
    rows = instance.history.select_related("history_user").order_by("history_date")
    return Section(
        _("Changes"),
        [
            Item(
                date_format(timezone.localtime(row.history_date), "j F Y H:i"),
                [
                    ("by", _("by"), row.history_user.username if row.history_user else _("system")),
                    ("reason", _("reason"), _(row.history_change_reason) if row.history_change_reason else ""),
                    *_fields(row),
                ],
            )
            for row in rows
        ],
    )


def subject_data(person: Person, *, viewer: Any) -> list[Section]:
    """Everything about `person`, in sections."""
    sections = [Section(_("Identity"), [Item(person.full_name, _fields(person), [_history(person)])])]
    if person.household is not None:
        household = person.household
        sections.append(
            Section(
                _("Household"),
                [
                    Item(
                        household.family_card or _("(no family card)"),
                        [
                            ("family_card", _("family card number"), household.family_card),
                            ("address", _("address"), household.address),
                            ("village", _("village"), str(household.village)),
                            ("relation", _("relation"), person.get_household_relation_display()),
                        ],
                    )
                ],
            )
        )
    records = person.ppks_records.order_by("category", "pk")
    sections.append(
        Section(_("PPKS records"), [Item(str(record), _fields(record), [_history(record)]) for record in records])
    )
    cases = []
    for case in person.cases.order_by("opened_at"):
        children = [
            Section(
                _("Referrals"), [Item(str(referral), _fields(referral)) for referral in case.referrals.order_by("pk")]
            )
        ]
        fields = _fields(case)
        if case_policy.can_read_story(viewer, case):
            events = case.events.select_related("actor").order_by("at", "pk")
            children.insert(0, Section(_("Timeline"), [Item(str(event), _fields(event)) for event in events]))
        else:
            fields = [(name, label, value) for name, label, value in fields if name not in {"summary", "needs"}] + [
                ("story", _("story"), _("Sensitive case: its story is given by the worker who handles it."))
            ]
        cases.append(Item(_("Case #%(number)s") % {"number": case.pk}, fields, children))
    sections.append(Section(_("Cases"), cases))
    moves = person.moves.order_by("at")
    sections.append(Section(_("Moves"), [Item(str(move), _fields(move)) for move in moves]))
    reads = (
        AccessedRecord.objects.filter(record_type=Person._meta.label, record_id=person.pk)
        .select_related("entry")
        .order_by("at", "pk")
    )
    sections.append(
        Section(
            _("Who read or exported this record"),
            [
                Item(
                    date_format(timezone.localtime(read.at), "j F Y H:i"),
                    [
                        ("user", _("user"), read.entry.username),
                        ("roles", _("roles"), read.entry.roles),
                        ("action", _("action"), read.entry.get_action_display()),
                        ("path", _("path"), read.entry.path),
                    ],
                )
                for read in reads
            ],
        )
    )
    return sections


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, str | int | float | bool | list | dict) or value is None:
        return value
    return str(value)


def as_json(sections: list[Section]) -> list[dict[str, Any]]:
    def item(entry: Item) -> dict[str, Any]:
        return {
            "title": entry.title,
            "fields": {name: _plain(value) for name, _label, value in entry.fields},
            **({"sections": as_json(entry.children)} if entry.children else {}),
        }

    return [{"title": section.title, "items": [item(entry) for entry in section.items]} for section in sections]
