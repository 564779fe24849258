import io

import pytest
from django.core.management import CommandError, call_command

from pilar.accounts.models import User

pytestmark = pytest.mark.django_db


def run(*args: str, stdin: str = "") -> str:
    out = io.StringIO()
    import sys

    original = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        call_command(*args, stdout=out)
    finally:
        sys.stdin = original
    return out.getvalue()


def test_add_user_creates_user_with_role_and_password_from_stdin(regions: None) -> None:
    run("add_user", "siti", "--role", "psm", "--region", "18.01.04.2001", "--password-stdin", stdin="a-long-password\n")

    user = User.objects.get(username="siti")
    assert user.check_password("a-long-password")
    assert list(user.role_assignments.values_list("role", "region_id")) == [("psm", "18.01.04.2001")]
    assert user.history.get().history_change_reason == "Through the command line"


def test_add_user_adds_a_role_to_an_existing_user(regions: None) -> None:
    run("add_user", "siti", "--role", "psm", "--region", "18.01.04.2001")

    run("add_user", "siti", "--role", "tksk", "--region", "18.01.04")

    roles = User.objects.get(username="siti").role_assignments.values_list("role", "region_id")
    assert sorted(roles) == [("psm", "18.01.04.2001"), ("tksk", "18.01.04")]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--role", "wizard", "--region", "18.01"], "Peran wizard tidak dikenal"),
        (["--role", "psm", "--region", "18.01"], "memerlukan desa/kelurahan"),
        (["--role", "psm", "--region", "99.99.99.9999"], "Tidak ada wilayah dengan kode 99.99.99.9999"),
        (["--role", "admin", "--region", "18"], "tidak memakai wilayah"),
    ],
)
def test_add_user_refuses_bad_input_and_creates_nothing(regions: None, arguments: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run("add_user", "siti", *arguments)

    assert not User.objects.filter(username="siti").exists()


def test_drf_create_token_prints_a_key_that_authenticates(people: dict[str, User]) -> None:
    from rest_framework.test import APIClient

    output = run("drf_create_token", "psm_a")
    key = output.split()[2]

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/me/").json()["username"] == "psm_a"
