"""Passkeys as a second step: who may add one, removing one, and the administrator's
reset. The whole ceremony with a real (virtual) authenticator is in
tests/browser/test_passkeys.py."""

import json
import secrets
from typing import Any

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from pilar.accounts.models import User
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db

BEGIN = "/akun/passkey/daftar/mulai/"


def a_passkey(user: User) -> WebAuthnCredential:
    return WebAuthnCredential.objects.create(
        user=user,
        name=user.username,
        credential_id=secrets.token_bytes(32),
        public_key=secrets.token_bytes(77),
        confirmed=True,
    )


def test_a_passkey_is_added_only_after_the_authenticator_app(people: dict[str, User], client_for: Any) -> None:
    psm = people["psm_a"]  # no authenticator app: the second step is optional for her

    psm_client = client_for("psm_a")
    refused = psm_client.post(BEGIN, content_type="application/json")
    allowed = client_for("operator_regency").post(BEGIN, content_type="application/json")

    assert refused.status_code == 403
    assert refused.json()["detail"] == (
        "Siapkan aplikasi autentikator lebih dulu dan masuk dengannya: kode pemulihannya "
        "membuka akun Anda bila perangkat yang menyimpan passkey hilang."
    )
    assert "otp_webauthn_register_state" not in psm_client.session
    assert allowed.status_code == 200
    options = allowed.json()
    assert options["rp"] == {"name": "Pilar", "id": "testserver"}
    assert options["user"]["name"] == "operator_regency"
    assert options["authenticatorSelection"]["userVerification"] in {"preferred", "required"}
    assert not WebAuthnCredential.objects.filter(user=psm).exists()


def test_a_session_that_knows_only_the_password_cannot_add_a_passkey(people: dict[str, User]) -> None:
    operator = people["operator_regency"]
    TOTPDevice.objects.create(user=operator, name="app", confirmed=True)
    intruder = Client()
    intruder.post("/akun/masuk/", {"username": "operator_regency", "password": PASSWORD})

    response = intruder.post(BEGIN, content_type="application/json")
    completed = intruder.post("/akun/passkey/daftar/selesai/", json.dumps({"id": "x"}), content_type="application/json")

    assert response.status_code == 302
    assert response["Location"].startswith("/akun/dua-langkah/?next=")
    assert completed.status_code == 302
    assert not WebAuthnCredential.objects.filter(user=operator).exists()


def test_the_code_page_offers_a_passkey_to_whoever_has_one(people: dict[str, User]) -> None:
    operator = people["operator_regency"]
    TOTPDevice.objects.create(user=operator, name="app", confirmed=True)
    without = Client()
    without.post("/akun/masuk/", {"username": "operator_regency", "password": PASSWORD})
    page_without = without.get("/akun/dua-langkah/").content.decode()
    a_passkey(operator)
    with_one = Client()
    with_one.post("/akun/masuk/", {"username": "operator_regency", "password": PASSWORD})
    page_with = with_one.get("/akun/dua-langkah/").content.decode()

    assert "passkey-verification-placeholder" not in page_without
    assert "passkey-verification-placeholder" in page_with
    assert "Pakai passkey saya" in page_with
    # Its scripts come from Pilar itself (no CDN), their messages in Indonesian.
    assert "/static/django_otp_webauthn/otp_webauthn_auth.js" in page_with
    catalog = with_one.get("/akun/passkey/jsi18n/").content.decode()
    assert "Verifikasi berhasil." in catalog


def test_passwordless_sign_in_is_off(people: dict[str, User]) -> None:
    a_passkey(people["operator_regency"])

    response = Client().post("/akun/passkey/masuk/mulai/", content_type="application/json")

    assert response.status_code == 302
    assert response["Location"].startswith("/akun/masuk/")


def test_a_user_removes_her_own_passkey_and_nobody_else_s(people: dict[str, User], client_for: Any) -> None:
    operator = people["operator_regency"]
    mine = a_passkey(operator)
    theirs = a_passkey(people["operator_province"])

    refused = client_for("operator_regency").post(f"/akun/keamanan/passkey/{theirs.pk}/hapus/")
    done = client_for("operator_regency").post(f"/akun/keamanan/passkey/{mine.pk}/hapus/")

    assert refused.status_code == 404
    assert WebAuthnCredential.objects.filter(pk=theirs.pk).exists()
    assert done.status_code == 302
    assert not WebAuthnCredential.objects.filter(pk=mine.pk).exists()
    latest = operator.history.order_by("-history_id")[0]
    assert (latest.history_change_reason, latest.history_user) == ("Passkey removed", operator)


def test_the_administrator_s_reset_removes_the_passkeys_too(people: dict[str, User], client_for: Any) -> None:
    operator = people["operator_regency"]
    TOTPDevice.objects.create(user=operator, name="app", confirmed=True)
    a_passkey(operator)
    other = a_passkey(people["operator_province"])

    client_for("admin").post(f"/akun/pengguna/{operator.pk}/dua-langkah/hapus/")

    assert not WebAuthnCredential.objects.filter(user=operator).exists()
    assert WebAuthnCredential.objects.filter(pk=other.pk).exists()
