import datetime

import pytest

from pilar.accounts.models import User
from pilar.beneficiaries import services as registry
from pilar.beneficiaries.models import Person
from pilar.beneficiaries.ppks import PPKS_TYPES
from pilar.cases import services
from pilar.cases.models import Case
from pilar.regions.models import Region

HAJIMENA, SIDOSARI = "18.01.04.2001", "18.01.04.2002"


def born_for(category: str) -> datetime.date:
    """A birth date of someone the PPKS type is for: an old woman (born 1950) where the
    type takes her, otherwise the middle of its ages."""
    ppks = PPKS_TYPES[category]
    if (ppks.max_age is None or ppks.max_age >= 80) and (ppks.min_age or 0) <= 70:
        return datetime.date(1950, 7, 15)
    age = ((ppks.min_age or 0) + (ppks.max_age if ppks.max_age is not None else 80)) // 2
    return datetime.date(datetime.date.today().year - age - 1, 7, 15)


def register(name: str, village: str, by: User | None = None, category: str = "PPKS-08") -> Person:
    return registry.register_person(
        registry.PersonData(
            full_name=name, sex="P", village=Region.objects.get(code=village), birth_date=born_for(category)
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
