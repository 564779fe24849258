import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from pilar.accounts.models import User
from pilar.audit.models import AccessLog
from tests.personas import make_worker_account

pytestmark = pytest.mark.django_db


def token_client(user: User) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_psm_token_gets_404_for_a_worker_of_the_sibling_village(people: dict[str, User]) -> None:
    sibling = make_worker_account("village_b")
    own = make_worker_account("village_a")
    client = token_client(people["psm_a"])

    assert client.get(f"/api/v1/users/{sibling.pk}/").status_code == 404
    assert client.get(f"/api/v1/users/{own.pk}/").status_code == 200


def test_user_list_is_scoped_paginated_and_logged(people: dict[str, User]) -> None:
    body = token_client(people["tksk"]).get("/api/v1/users/").json()

    assert body["count"] == 3
    assert [row["username"] for row in body["results"]] == ["psm_a", "psm_b", "tksk"]
    assert body["results"][0]["roles"][0]["region"] == "18.01.04.2001"
    assert AccessLog.objects.get().record_count == 3


def test_bad_token_is_401(people: dict[str, User]) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-key")

    assert client.get("/api/v1/me/").status_code == 401


def test_schema_and_docs_are_served_locally(api_for) -> None:  # type: ignore[no-untyped-def]
    client = api_for("psm_a")

    schema = client.get("/api/schema/")
    docs = client.get("/api/docs/")

    assert schema.status_code == 200
    assert b"/api/v1/regions/" in schema.content
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()
