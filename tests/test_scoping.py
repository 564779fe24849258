import pytest
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from pilar.core.scoping import Scope, contains

segment_widths = [2, 2, 2, 4]


@st.composite
def region_codes(draw: st.DrawFn) -> str:
    depth = draw(st.integers(min_value=1, max_value=4))
    return ".".join(draw(st.text("0123456789", min_size=w, max_size=w)) for w in segment_widths[:depth])


@given(region_codes(), region_codes())
def test_contains_means_the_code_lies_in_the_subtree(ancestor: str, code: str) -> None:
    parts, code_parts = ancestor.split("."), code.split(".")

    assert contains(ancestor, code) is (code_parts[: len(parts)] == parts)


def test_a_code_is_not_inside_a_code_that_merely_shares_its_first_characters() -> None:
    assert contains("18.01", "18.01.04") is True
    assert contains("18.01", "18.010") is False
    assert contains("18.0", "18.01") is False


def test_overlapping_roots_are_reduced_to_the_widest() -> None:
    scope = Scope(everything=False, roots=frozenset({"18", "18.01", "18.01.04.2001", "17.01"}))

    assert scope.roots == frozenset({"18", "17.01"})


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="collations are a PostgreSQL matter")
def test_region_code_columns_use_the_c_collation_on_postgresql() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT table_name, column_name, collation_name FROM information_schema.columns
            WHERE table_schema = current_schema()
              AND (table_name, column_name) IN (
                ('regions_region', 'code'), ('regions_region', 'parent_id'),
                ('accounts_roleassignment', 'region_id'))
            ORDER BY table_name, column_name
            """
        )
        columns = cursor.fetchall()

    assert columns == [
        ("accounts_roleassignment", "region_id", "C"),
        ("regions_region", "code", "C"),
        ("regions_region", "parent_id", "C"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("psm_a", [("psm", "18.01.04.2001")]),
        ("tksk", [("psm", "18.01.04.2001"), ("psm", "18.01.04.2002"), ("tksk", "18.01.04")]),
        (
            "operator_regency",
            [("dinsos_kabkota", "18.01"), ("psm", "18.01.04.2001"), ("psm", "18.01.04.2002"), ("tksk", "18.01.04")],
        ),
        ("operator_other_province", [("dinsos_provinsi", "17")]),
        ("no_role", []),
    ],
)
def test_region_scoped_queryset_keeps_the_persona_region_and_below(
    people, persona: str, expected: list[tuple[str, str]]
) -> None:  # type: ignore[no-untyped-def]
    from pilar.accounts.models import RoleAssignment

    visible = RoleAssignment.objects.visible_to(people[persona]).values_list("role", "region_id")

    assert sorted(visible) == expected


@pytest.mark.django_db
def test_national_roles_see_every_assignment_including_national_ones(people) -> None:  # type: ignore[no-untyped-def]
    from pilar.accounts.models import RoleAssignment

    assert RoleAssignment.objects.visible_to(people["pusat"]).count() == RoleAssignment.objects.count() == 8
