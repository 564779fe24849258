"""Bad input is a 400 or a form error, never a 500, on every route.

Every route of the access matrix is sent, as a persona allowed to use it, the values
that broke pages before: a NUL character in every query parameter and form field
(PostgreSQL refuses it in text), and ids that cannot be record ids (letters, past 64
bits, negative, full-width digits) in every parameter and field. A refused request
changes nothing."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from pilar.accounts.models import User
from pilar.exports.models import Export, ExportKind
from tests.access_matrix import OFFICES, OWN, RECORDERS, ROUTES, SUPERVISORS, Route, Subject
from tests.personas import sign_in

# Every query parameter a page, an export or the API reads.
PARAMETERS = [
    "q", "cari", "region", "region_code", "page", "orang", "daftar", "status", "level", "priority", "overdue",
    "category", "kategori", "kind", "sex", "source", "month", "bulan", "since", "until", "year", "engagement",
    "indikator", "action", "list", "username", "family_card", "role", "is_active", "parent", "format",
]  # fmt: skip
# Fields posted by forms that name records by id.
ID_FIELDS = ["record", "first", "second", "completed", "version", "institution", "programme", "engagement"]
NOT_IDS = ["abc", "99999999999999999999999", "-1", "\uff11\uff12", "1.5", ""]
NUL = "a\x00b"
NUL_REFUSED = "Permintaan memuat karakter yang tidak diizinkan (NUL). Tidak ada yang diubah."


def persona_for(route: Route) -> str:
    return "operator_regency" if route.kind in {RECORDERS, OFFICES, SUPERVISORS} else "admin"


def client(user: User, route: Route) -> Client:
    made: Client = APIClient() if route.api else Client()
    sign_in(made, user)
    return made


def url_for(name: str, route: Route, subject: Subject, user: User) -> str:
    if route.kind == OWN:  # the persona's own export
        export = Export.objects.create(kind=ExportKind.PEOPLE, file_format="csv", requested_by=user)
        return reverse(name, kwargs={"export_id": export.pk})
    return reverse(name, kwargs=route.kwargs(subject))


def post_data(route: Route, subject: Subject) -> dict[str, Any]:
    return route.make_data(subject) if route.make_data else dict(route.data)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ROUTES))
def test_a_nul_character_anywhere_is_a_400_with_a_message_and_changes_nothing(
    name: str, people: dict[str, User]
) -> None:
    route = ROUTES[name]
    subject = Subject("village_a")
    user = people[persona_for(route)]
    url = url_for(name, route, subject, user)
    data = post_data(route, subject)
    before = subject.state()
    browser = client(user, route)

    answers = [browser.get(url, dict.fromkeys(PARAMETERS, NUL))]
    if route.method == "post":
        answers.append(browser.post(url, {**dict.fromkeys(data, NUL), **dict.fromkeys(ID_FIELDS, NUL)}))
        answers.append(browser.post(f"{url}?region={NUL}", data))

    assert [answer.status_code for answer in answers] == [400] * len(answers)
    for answer in answers:
        assert NUL_REFUSED in answer.content.decode("unicode_escape" if route.api else "utf-8")
    assert subject.state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ROUTES))
def test_values_that_cannot_be_ids_never_answer_500(name: str, people: dict[str, User]) -> None:
    route = ROUTES[name]
    subject = Subject("village_a")
    user = people[persona_for(route)]
    url = url_for(name, route, subject, user)
    data = post_data(route, subject)
    browser = client(user, route)

    statuses = set()
    for value in NOT_IDS:
        statuses.add(browser.get(url, dict.fromkeys(PARAMETERS, value)).status_code)
        if route.method == "post":
            statuses.add(browser.post(url, {**data, **dict.fromkeys(ID_FIELDS, value)}).status_code)
            for field in data:
                statuses.add(browser.post(url, {**data, field: value}).status_code)

    assert max(statuses) < 500, statuses
