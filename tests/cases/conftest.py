import datetime

import pytest

from pilar.accounts.models import User
from pilar.beneficiaries import services as registry
from pilar.beneficiaries.models import Person
from pilar.cases import services
from pilar.cases.models import Case
from pilar.regions.models import Region

HAJIMENA, SIDOSARI = "18.01.04.2001", "18.01.04.2002"


def register(name: str, village: str, by: User | None = None, category: str = "PPKS-08") -> Person:
    return registry.register_person(
        registry.PersonData(
            full_name=name, sex="P", village=Region.objects.get(code=village), birth_date=datetime.date(1950, 7, 15)
        ),
        categories=[category],
        acting_user=by,
    )


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def open_for(person: Person, by: User, **options: object) -> Case:
    return services.open_case(
        person=person,
        summary=str(options.pop("summary", "Lansia tinggal sendiri")),
        records=list(person.ppks_records.all()),
        acting_user=by,
        **options,  # type: ignore[arg-type]
    )


def act(case: Case, action: str, by: User | None, text: str = "", outcome: str = "") -> Case:
    case = fresh(case)
    return services.perform(case, action, expected_version=case.version, text=text, outcome=outcome, acting_user=by)


@pytest.fixture
def sumini(people: dict[str, User]) -> Person:
    """A PPKS person of village A (Hajimena), mapped by its PSM."""
    return register("Sumini", HAJIMENA, people["psm_a"])
