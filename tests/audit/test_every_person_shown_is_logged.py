"""Every response that shows a person's identity writes who saw whom to the access log.

The people of the walk get names that carry their id (`Warga0042Xq`); every page,
export and API read of the access matrix is requested by every persona, the ids of
the names in the answer are read back, and each must be among the Person ids that the
access-log rows written by that request name. 0 people shown without a log row."""

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from pilar.accounts.models import User
from pilar.audit.models import AccessLog
from pilar.beneficiaries.models import Person
from pilar.exports.models import Export, ExportKind
from tests.access_matrix import OWN, ROUTES, Subject
from tests.personas import PERSONA_NAMES, sign_in

NAME = re.compile(r"Warga(\d{4})Xq")


def shown_people(response: Any) -> set[int]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return {int(number) for number in NAME.findall(content.decode("utf-8", errors="replace"))}


def logged_people(after: int) -> set[int]:
    ids: set[int] = set()
    for record_ids in AccessLog.objects.filter(pk__gt=after, record_type="beneficiaries.Person").values_list(
        "record_ids", flat=True
    ):
        ids |= {int(identifier) for identifier in record_ids}
    return ids


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_no_response_shows_a_person_the_access_log_does_not_name(persona: str, people: dict[str, User]) -> None:
    subject = Subject("village_a")
    for made in ("person", "other_person", "case", "visit", "referral", "attachment", "record"):
        getattr(subject, made)
    subject.person.household  # noqa: B018
    for person in Person.objects.all():
        Person.objects.filter(pk=person.pk).update(full_name=f"Warga{person.pk:04d}Xq")
    user = people[persona]
    unlogged = []
    for name, route in sorted(ROUTES.items()):
        if route.method != "get":
            continue
        client: Client = APIClient() if route.api else Client()
        sign_in(client, user)
        if route.kind == OWN:
            export = Export.objects.create(kind=ExportKind.PEOPLE, file_format="csv", requested_by=user)
            url = reverse(name, kwargs={"export_id": export.pk})
        else:
            url = reverse(name, kwargs=route.kwargs(subject))
        before = AccessLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        response = client.get(url)
        missing = shown_people(response) - logged_people(before)
        if missing:
            unlogged.append((name, url, sorted(missing)))

    assert unlogged == [], "\n".join(map(str, unlogged))
