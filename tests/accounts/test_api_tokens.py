"""API tokens (issue 18, point 1): made by their owner from a signed-in session (after
the second step where the role must take it), shown once, expiring, revoked by their
owner or the administrator."""

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from pilar.accounts.models import User
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db


def api(key: str) -> int:
    return Client().get("/api/v1/me/", headers={"Authorization": f"Token {key}"}).status_code


def test_the_owner_makes_a_token_sees_it_once_and_revokes_it(client_for: Any, people: dict[str, User]) -> None:
    psm = client_for("psm_a")

    made = psm.post("/akun/keamanan/token/")
    first = psm.get("/akun/keamanan/").context["new_key"]
    again = psm.get("/akun/keamanan/").context["new_key"]
    key = Token.objects.get(user=people["psm_a"]).key
    works = api(key)
    psm.post("/akun/keamanan/token/cabut/")

    assert made["Location"] == "/akun/keamanan/"
    assert first == key
    assert again is None
    assert works == 200
    assert api(key) == 401
    reasons = list(people["psm_a"].history.order_by("history_id").values_list("history_change_reason", flat=True))
    assert reasons[-2:] == ["API token made", "API token revoked"]


def test_a_token_expires(people: dict[str, User], settings: Any) -> None:
    token = Token.objects.create(user=people["psm_a"])
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - datetime.timedelta(days=31))

    response = Client().get("/api/v1/me/", headers={"Authorization": f"Token {token.key}"})

    assert settings.PILAR_API_TOKEN_DAYS == 30
    assert response.status_code == 401
    assert response.json() == {"detail": "Token API ini sudah kedaluwarsa: buat yang baru di Keamanan masuk."}


def test_only_the_administrator_revokes_another_users_token(client_for: Any, people: dict[str, User]) -> None:
    psm = people["psm_a"]
    key = Token.objects.create(user=psm).key

    refused = client_for("operator_regency").post(f"/akun/pengguna/{psm.pk}/token/cabut/")
    kept = api(key)
    done = client_for("admin").post(f"/akun/pengguna/{psm.pk}/token/cabut/")

    assert refused.status_code == 403
    assert kept == 200
    assert done.status_code == 302
    assert api(key) == 401
    latest = psm.history.order_by("-history_id")[0]
    assert (latest.history_change_reason, latest.history_user) == (
        "API token revoked by an administrator",
        people["admin"],
    )


def test_an_operator_without_the_second_step_gets_no_token(people: dict[str, User]) -> None:
    client = Client()
    client.post("/akun/masuk/", {"username": "operator_regency", "password": PASSWORD})

    response = client.post("/akun/keamanan/token/")

    assert response["Location"].startswith("/akun/dua-langkah/siapkan/")
    assert not Token.objects.filter(user=people["operator_regency"]).exists()
