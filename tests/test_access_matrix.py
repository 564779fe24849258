"""Every route x every persona x an object in every place around village A.

See tests/access_matrix.py for the classification and tests/personas.py for who sees what.
"""

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from pilar.accounts.models import User
from pilar.core.scoping import contains
from pilar.exports.models import Export, ExportKind, ExportStatus
from tests.access_matrix import (
    ADMIN,
    FIELD,
    MANAGERS,
    MAPPERS,
    OFFICES,
    OWN,
    PUBLIC,
    RECORDERS,
    ROUTES,
    SCOPED,
    SIGNED_IN,
    SUPERVISORS,
    VERIFIERS,
    Route,
    Subject,
)
from tests.personas import BY_NAME, PERSONA_NAMES, PLACES, sign_in

MANAGER_PERSONAS = {"operator_regency", "operator_province", "operator_other_province", "admin"}
VERIFIER_PERSONAS = {"tksk", *MANAGER_PERSONAS}
MAPPER_PERSONAS = {"psm_a", "psm_b", *VERIFIER_PERSONAS}
OFFICE_PERSONAS = {"operator_regency", "operator_province", "operator_other_province"}
RECORDER_PERSONAS = {"psm_a", "psm_b", "tksk", *OFFICE_PERSONAS}
SUPERVISOR_PERSONAS = {"tksk", "operator_regency"}
FIELD_PERSONAS = {"psm_a", "psm_b", "tksk"}


def route_names(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= route_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"route {pattern.pattern} has no name, so it cannot be classified"
            names.add(namespace + pattern.name)
    return names


def test_every_route_is_classified_and_every_classification_is_a_route() -> None:
    names = route_names()

    assert sorted(names - set(ROUTES)) == [], "classify these routes in tests/access_matrix.py"
    assert sorted(set(ROUTES) - names) == [], "these classified routes no longer exist"


def request(client: Client, route: Route, url: str, subject: Subject | None = None) -> Any:
    if route.method == "post":
        data = route.make_data(subject) if route.make_data and subject else route.data
        return client.post(url, data)
    return client.get(url)


def client_for(user: User | None, route: Route) -> Client:
    client: Client = APIClient() if route.api else Client()
    if user is not None:
        sign_in(client, user)
    return client


def persona_sees(persona: str, code: str) -> bool:
    """The scoping rule, restated for the test: a role sees its region and below."""
    profile = BY_NAME[persona]
    if profile.role is None:
        return False
    return profile.region_code is None or contains(profile.region_code, code)


def test_persona_table_agrees_with_the_rule() -> None:
    for persona in PERSONA_NAMES:
        assert {place for place, code in PLACES.items() if persona_sees(persona, code)} == BY_NAME[persona].sees


NON_SCOPED = sorted(name for name, route in ROUTES.items() if route.kind not in {SCOPED, OWN})
OWN_ROUTES = sorted(name for name, route in ROUTES.items() if route.kind == OWN)
SCOPED_ROUTES = sorted(name for name, route in ROUTES.items() if route.kind == SCOPED)


@pytest.mark.django_db
@pytest.mark.parametrize("name", NON_SCOPED)
def test_anonymous_visitor(name: str, regions: None) -> None:
    route = ROUTES[name]
    subject = Subject("village_a")
    url = reverse(name, kwargs=route.kwargs(subject))

    response = request(client_for(None, route), route, url)

    if route.kind == PUBLIC:
        assert response.status_code in {200, 302}
        if response.status_code == 302:
            assert "/akun/masuk/" not in response["Location"]
    elif route.api:
        assert response.status_code in {401, 403}
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/akun/masuk/?next=")


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONA_NAMES)
@pytest.mark.parametrize("name", NON_SCOPED)
def test_unscoped_route(name: str, persona: str, people: dict[str, User]) -> None:
    route = ROUTES[name]
    subject = Subject("village_a")
    url = reverse(name, kwargs=route.kwargs(subject))

    response = request(client_for(people[persona], route), route, url)

    if (
        (route.kind == MANAGERS and persona not in MANAGER_PERSONAS)
        or (route.kind == MAPPERS and persona not in MAPPER_PERSONAS)
        or (route.kind == VERIFIERS and persona not in VERIFIER_PERSONAS)
        or (route.kind == RECORDERS and persona not in RECORDER_PERSONAS)
        or (route.kind == OFFICES and persona not in OFFICE_PERSONAS)
        or (route.kind == SUPERVISORS and persona not in SUPERVISOR_PERSONAS)
        or (route.kind == ADMIN and persona != "admin")
        or (route.kind == FIELD and persona not in FIELD_PERSONAS)
        or (route.needs_role and persona == "no_role")
    ):
        assert response.status_code == 403
    else:
        assert route.kind in {
            PUBLIC,
            SIGNED_IN,
            MANAGERS,
            MAPPERS,
            VERIFIERS,
            RECORDERS,
            OFFICES,
            SUPERVISORS,
            ADMIN,
            FIELD,
        }
        expected = route.allowed_status or (302 if route.method == "post" else 200)
        if callable(expected):
            expected = expected(people[persona])
        assert response.status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize("place", sorted(PLACES))
@pytest.mark.parametrize("persona", PERSONA_NAMES)
@pytest.mark.parametrize("name", SCOPED_ROUTES)
def test_scoped_route(name: str, persona: str, place: str, people: dict[str, User]) -> None:
    route = ROUTES[name]
    subject = Subject(place)
    url = reverse(name, kwargs=route.kwargs(subject))
    if route.make_data:
        route.make_data(subject)  # make the objects it names before taking the state
    before = subject.state()

    response = request(client_for(people[persona], route), route, url, subject)

    if persona_sees(persona, route.region(subject)):
        assert response.status_code != 404
        assert response.status_code in {200, 201, 302, 403}
    else:
        assert response.status_code == 404
        assert subject.state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("name", SCOPED_ROUTES)
def test_scoped_route_sends_anonymous_visitor_away(name: str, regions: None) -> None:
    route = ROUTES[name]
    subject = Subject("village_a")
    url = reverse(name, kwargs=route.kwargs(subject))
    if route.make_data:
        route.make_data(subject)
    before = subject.state()

    response = request(client_for(None, route), route, url, subject)

    assert response.status_code in ({401, 403} if route.api else {302})
    assert subject.state() == before


@pytest.mark.django_db
def test_refusal_pages_explain_themselves_in_indonesian(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("psm_a")

    forbidden = client.get("/audit/akses/")
    missing = client.get("/akun/pengguna/999999/")

    assert forbidden.status_code == 403
    assert "Peran Anda tidak mengizinkan tindakan ini." in forbidden.content.decode()
    assert missing.status_code == 404
    assert "atau berada di luar wilayah Anda." in missing.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONA_NAMES)
@pytest.mark.parametrize("name", OWN_ROUTES)
def test_own_route(name: str, persona: str, people: dict[str, User]) -> None:
    """A file written for the regency operator, reached by every persona and a visitor."""
    owner = people["operator_regency"]
    export = Export.objects.create(kind=ExportKind.PEOPLE, file_format="csv", requested_by=owner)
    export.file.save("ppks-orang.csv", ContentFile(b"nik\n"), save=False)
    Export.objects.filter(pk=export.pk).update(
        status=ExportStatus.READY, file=export.file.name, row_count=0, area=["18.01"]
    )
    url = reverse(name, kwargs={"export_id": export.pk})

    response = client_for(people[persona], ROUTES[name]).get(url)
    anonymous = client_for(None, ROUTES[name]).get(url)

    assert response.status_code == (200 if persona == "operator_regency" else 404)
    assert anonymous.status_code == 302
    assert Export.objects.get(pk=export.pk).status == ExportStatus.READY
