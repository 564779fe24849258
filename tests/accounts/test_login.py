import re

import pytest
from django.conf import settings
from django.test import Client, override_settings

from pilar.accounts.models import User
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db


def without_csrf_token(content: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)


def login(client: Client, username: str, password: str):  # type: ignore[no-untyped-def]
    return client.post("/akun/masuk/", {"username": username, "password": password})


def test_production_hasher_is_argon2() -> None:
    from config import settings as production_settings

    assert production_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"])
def test_password_is_stored_as_argon2(regions: None) -> None:
    user = User.objects.create_user("argon", "a-long-enough-password", full_name="Argon")

    assert user.password.startswith("argon2$")


def test_correct_password_signs_in(people: dict[str, User]) -> None:
    client = Client()

    response = login(client, "psm_a", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").context["user"] == people["psm_a"]


def test_wrong_password_gives_the_same_message_as_unknown_user(people: dict[str, User]) -> None:
    wrong_password = login(Client(), "psm_a", "not-the-password")
    unknown_user = login(Client(), "nobody_here", "not-the-password")

    assert wrong_password.status_code == unknown_user.status_code == 200
    assert wrong_password.context["form"].non_field_errors() == unknown_user.context["form"].non_field_errors()
    assert wrong_password.context["form"].non_field_errors() == [
        "Nama pengguna atau kata sandi salah. Perhatikan huruf besar dan kecil."
    ]


def test_lockout_after_repeated_failures_is_the_same_for_known_and_unknown_usernames(people: dict[str, User]) -> None:
    limit = settings.AXES_FAILURE_LIMIT
    answers = {}
    for username in ("psm_a", "nobody_here"):
        client = Client()
        for _attempt in range(limit):
            login(client, username, "not-the-password")
        answers[username] = login(client, username, PASSWORD if username == "psm_a" else "x")

    assert answers["psm_a"].status_code == answers["nobody_here"].status_code == 429
    assert without_csrf_token(answers["psm_a"].content) == without_csrf_token(answers["nobody_here"].content)
    # The locked account stays locked even with its right password.
    assert "_auth_user_id" not in Client().session


def test_session_expires_when_idle_and_at_browser_close() -> None:
    assert settings.SESSION_COOKIE_AGE == 60 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_logout_ends_the_session(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("psm_a")

    client.post("/akun/keluar/")

    assert client.get("/").status_code == 302


def test_pages_are_indonesian_by_default_and_english_on_request(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("psm_a")

    assert "Wilayah" in client.get("/wilayah/", headers={"accept-language": "en-US,en"}).content.decode()
    client.post("/bahasa/", {"language": "en", "next": "/wilayah/"})
    assert "Regions" in client.get("/wilayah/").content.decode()


def test_user_without_role_is_told_why_they_see_nothing(client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("no_role").get("/")

    assert response.context["assignments"] == []
