from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db.backends.postgresql.operations import DatabaseOperations
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from pilar.accounts.models import User
from pilar.regions.loading import DEFAULT_SOURCE, build_region, read_source
from pilar.regions.models import Region
from tests.personas import PERSONAS, make_persona, make_regions, sign_in

# The tables that refuse TRUNCATE (migrations audit 0002 and 0003), with their trigger.
APPEND_ONLY = [
    ("audit_accesslog", "access_log_no_truncate"),
    ("audit_accessedrecord", "accessed_record_no_truncate"),
]


@pytest.fixture(autouse=True, scope="session")
def _flush_past_the_append_only_access_log() -> Iterator[None]:
    """Transactional tests empty every table with one TRUNCATE after each test; the
    access log refuses TRUNCATE (migration audit 0002), so the test database's owner
    lifts that one trigger for the flush alone. The application never flushes."""
    flush = DatabaseOperations.sql_flush

    def sql_flush(self: DatabaseOperations, style: Any, tables: Any, **options: Any) -> list[str]:
        statements = flush(self, style, tables, **options)
        guarded = [(table, trigger) for table, trigger in APPEND_ONLY if table in tables]
        if not guarded or not statements:
            return statements
        return [
            *(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}" for table, trigger in guarded),
            *statements,
            *(f"ALTER TABLE {table} ENABLE ALWAYS TRIGGER {trigger}" for table, trigger in guarded),
        ]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "sql_flush", sql_flush)
        yield


@pytest.fixture(autouse=True)
def _each_test_starts_in_indonesian() -> Iterator[None]:
    """A request of an earlier test leaves its language active in the thread (the
    language middleware activates one per request); code run outside a request, as a
    job or a command is, speaks the default language."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


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
        sign_in(client, people[name])
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
