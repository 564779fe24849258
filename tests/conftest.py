import pytest
from django.test import Client
from rest_framework.test import APIClient

from pilar.accounts.models import User
from pilar.regions.loading import DEFAULT_SOURCE, build_region, read_source
from pilar.regions.models import Region
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


@pytest.fixture
def lampung(db: None) -> list[Region]:
    """The official regions of province Lampung (18): 15 regencies/cities, 228+ kecamatan, 2,600+ villages."""
    regions = [
        build_region(code=source.code, name=source.name)
        for source in sorted(read_source(DEFAULT_SOURCE), key=lambda source: source.level)
        if source.code == "18" or source.code.startswith("18.")
    ]
    Region.objects.bulk_create(regions, batch_size=2000)
    return regions
