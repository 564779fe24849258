"""A passkey as the second step, through the real pages in headless chromium: its
virtual authenticator (DevTools' WebAuthn domain) stands for a phone's screen lock or a
security key, so the whole ceremony runs as it does for a person, the browser's
cryptography and the server's checks included."""

from typing import Any

import pytest
from django.conf import settings
from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import expect, sync_playwright

from pilar.accounts.models import User
from tests.browser.helpers import CHROMIUM, off_the_loop, session_cookie
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_operator_adds_a_passkey_and_signs_in_with_it(
    live_server: Any, people: dict[str, User], monkeypatch: Any
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    operator = people["operator_regency"]  # her authenticator app is set up, her session verified
    # A passkey belongs to a name, not an address: the relying party is "localhost".
    site = live_server.url.replace("127.0.0.1", "localhost")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 360, "height": 740})
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session_cookie(operator), "url": site}])
        page = context.new_page()
        devtools = context.new_cdp_session(page)
        devtools.send("WebAuthn.enable")
        authenticator = devtools.send(
            "WebAuthn.addVirtualAuthenticator",
            {
                "options": {
                    "protocol": "ctap2",
                    "transport": "internal",
                    "hasResidentKey": True,
                    "hasUserVerification": True,
                    "isUserVerified": True,
                }
            },
        )["authenticatorId"]

        page.goto(f"{site}/akun/keamanan/")
        expect(page.get_by_text("Belum ada passkey.")).to_be_visible()
        page.get_by_role("button", name="Tambahkan passkey").click()
        expect(page.locator("#passkeys li")).to_have_count(1)
        listed = page.locator("#passkeys li").inner_text()
        held = devtools.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]

        # Signed out, she signs in again: password, then the passkey instead of a code.
        page.get_by_role("button", name="Keluar").click()
        page.goto(f"{site}/ppks/orang/")
        page.get_by_label("Nama pengguna").fill(operator.username)
        page.get_by_label("Kata sandi").fill(PASSWORD)
        page.get_by_role("button", name="Masuk").click()
        expect(page).to_have_url(f"{site}/akun/dua-langkah/?next=%2Fppks%2Forang%2F")
        page.get_by_role("button", name="Pakai passkey saya").click()
        expect(page).to_have_url(f"{site}/ppks/orang/")
        heading = page.locator("h1").inner_text()
        browser.close()

    credentials = off_the_loop(lambda: list(WebAuthnCredential.objects.filter(user=operator)))
    reasons = off_the_loop(
        lambda: list(User.objects.get(pk=operator.pk).history.values_list("history_change_reason", flat=True))
    )
    assert listed.startswith("Ditambahkan ")
    assert len(held) == 1
    assert len(credentials) == 1
    assert credentials[0].confirmed
    assert credentials[0].last_used_at is not None  # the sign-in used it
    assert "Passkey added" in reasons
    assert heading == "Pemerlu Pelayanan Kesejahteraan Sosial (PPKS)"
