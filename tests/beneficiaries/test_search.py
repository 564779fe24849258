"""Finding people as a worker types: by a NIK's first six digits or more (fewer find
nobody, and the page says why), and by a name in any of its spellings, j/y included."""

import importlib
from typing import Any

import pytest
from django.apps import apps

from pilar.accounts.models import User
from pilar.beneficiaries.models import Person
from pilar.beneficiaries.names import spelling_key
from tests.beneficiaries.test_mapping import HAJIMENA, SIDOSARI, register

pytestmark = pytest.mark.django_db


def found(client: Any, query: str) -> tuple[list[str], str]:
    searched = client.post("/ppks/orang/", {"q": query})
    page = client.get(searched["Location"])
    return sorted(row["name"] for row in page.context["rows"]), page.content.decode()


def test_a_nik_prefix_of_six_digits_or_more_finds_and_fewer_find_nobody(
    client_for: Any, people: dict[str, User]
) -> None:
    register("Siti Aminah", HAJIMENA, nik="1801045507500003")
    register("Tuti Rahayu", SIDOSARI, nik="1801045507500004")
    register("Tanpa NIK", HAJIMENA)
    client = client_for("tksk")

    assert found(client, "1801045507500003")[0] == ["Siti Aminah"]
    assert found(client, "180104")[0] == ["Siti Aminah", "Tuti Rahayu"]
    names, page = found(client, "18010")
    assert names == []
    assert "Ketik paling sedikit 6 digit pertama NIK (atau NIK lengkap) untuk mencari dengan NIK." in page


@pytest.mark.parametrize(
    ("written", "typed"), [("Wijaya", "Wijaja"), ("Djoko Susilo", "joko"), ("Soekarno", "Sukarno")]
)
def test_a_name_is_found_in_its_old_and_new_spelling(
    client_for: Any, people: dict[str, User], written: str, typed: str
) -> None:
    register(written, HAJIMENA)

    assert found(client_for("psm_a"), typed)[0] == [written]
    assert spelling_key("Wijaja") == spelling_key("Wijaya") == "wiyaya"


def test_the_migration_rekeys_stored_names(people: dict[str, User]) -> None:
    person = register("Joko Wijaya", HAJIMENA)
    Person.objects.filter(pk=person.pk).update(search_name="joko wijaya")  # as stored before

    rekey = importlib.import_module("pilar.beneficiaries.migrations.0005_spelling_key_j_is_y").rekey
    rekey(apps, None)

    assert Person.objects.get(pk=person.pk).search_name == "yoko wiyaya"
