import pytest
from django.test import Client
from rest_framework.test import APIClient

from pilar.accounts.models import User
from tests.personas import PERSONAS, make_persona, make_regions


@pytest.fixture
def regions(db: None) -> None:
    make_regions()


@pytest.fixture
def people(regions: None) -> dict[str, User]:
    """Every persona of tests.personas, by name."""
    return {persona.name: make_persona(persona) for persona in PERSONAS}


@pytest.fixture
def client_for(people: dict[str, User]):  # type: ignore[no-untyped-def]
    def make(name: str) -> Client:
        client = Client()
        client.force_login(people[name])
        return client

    return make


@pytest.fixture
def api_for(people: dict[str, User]):  # type: ignore[no-untyped-def]
    def make(name: str) -> APIClient:
        client = APIClient()
        client.force_authenticate(people[name])
        return client

    return make
