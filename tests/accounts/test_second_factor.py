"""Two-step sign-in through the real pages, and the sessions that end when they must.

The authenticator's clock is a fixed instant (django-otp reads `time.time()` in its
TOTP model, patched here), so no test waits for a code to change."""

from typing import Any

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp import models as totp_models
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from pilar.accounts import services
from pilar.accounts.models import User
from tests.personas import PASSWORD, sign_in

pytestmark = pytest.mark.django_db
NOW = 1_800_000_000.0  # 2027-01-15 08:00 UTC


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: Any) -> Clock:
    fixed = Clock()
    monkeypatch.setattr(totp_models, "time", fixed)
    return fixed


def code(device: TOTPDevice, clock: Clock, *, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = clock.now + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def a_minute_later() -> None:
    """After a wrong code every device waits a second before the next try (doubling
    with each failure); the test lets that time pass without waiting."""
    TOTPDevice.objects.update(throttling_failure_timestamp=None)
    StaticDevice.objects.update(throttling_failure_timestamp=None)


def password_sign_in(username: str) -> Client:
    client = Client()
    response = client.post("/akun/masuk/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def set_up(client: Client, user: User, clock: Clock) -> list[str]:
    """Go through the set-up page as the user would; the recovery codes shown."""
    client.get("/akun/dua-langkah/siapkan/")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    done = client.post("/akun/dua-langkah/siapkan/", {"code": code(device, clock), "next": "/ppks/orang/"})
    assert done.status_code == 302
    shown = client.get(done["Location"])
    return list(shown.context["codes"])


def test_an_operator_with_a_password_only_sets_up_the_second_step_before_any_personal_data(
    people: dict[str, User], clock: Clock
) -> None:
    operator = people["operator_regency"]
    client = password_sign_in("operator_regency")

    people_list = client.get("/ppks/orang/")
    api = client.get("/api/v1/people/")
    setup_page = client.get(people_list["Location"])
    codes = set_up(client, operator, clock)
    after = client.get("/ppks/orang/")

    assert people_list.status_code == 302
    assert people_list["Location"] == "/akun/dua-langkah/siapkan/?next=%2Fppks%2Forang%2F"
    assert api.status_code == 403
    assert api.json() == {"detail": "Selesaikan dulu langkah kedua masuk."}
    assert "tambahkan akun dengan memindai kode ini" in setup_page.content.decode()
    assert "<svg" in setup_page.content.decode()
    assert len(codes) == 10
    assert len(set(codes)) == 10
    assert after.status_code == 200
    assert client.get("/akun/keamanan/kode-pemulihan/")["Location"] == "/akun/keamanan/"  # shown once only
    assert operator.history.order_by("-history_id")[0].history_change_reason == "Two-step sign-in set up"


def test_the_next_sign_in_asks_for_the_code_and_a_recovery_code_works_once(
    people: dict[str, User], clock: Clock
) -> None:
    operator = people["operator_regency"]
    codes = set_up(password_sign_in("operator_regency"), operator, clock)
    device = TOTPDevice.objects.get(user=operator, confirmed=True)

    second = password_sign_in("operator_regency")
    asked = second.get("/ppks/orang/")
    wrong = second.post("/akun/dua-langkah/", {"code": "000000", "next": "/ppks/orang/"})
    still_asked = second.get("/ppks/orang/")
    a_minute_later()
    right = second.post("/akun/dua-langkah/", {"code": code(device, clock, steps_ahead=1), "next": "/ppks/orang/"})

    third = password_sign_in("operator_regency")
    recovered = third.post("/akun/dua-langkah/", {"code": codes[0], "next": "/ppks/orang/"})
    fourth = password_sign_in("operator_regency")
    reused = fourth.post("/akun/dua-langkah/", {"code": codes[0], "next": "/ppks/orang/"})

    assert asked["Location"] == "/akun/dua-langkah/?next=%2Fppks%2Forang%2F"
    assert wrong.status_code == 200
    assert "Kode itu tidak benar." in wrong.content.decode()
    assert still_asked.status_code == 302
    assert right["Location"] == "/ppks/orang/"
    assert second.get("/ppks/orang/").status_code == 200
    assert recovered["Location"] == "/ppks/orang/"
    assert third.get("/ppks/orang/").status_code == 200
    assert reused.status_code == 200
    assert fourth.get("/ppks/orang/").status_code == 302
    assert StaticToken.objects.filter(device__user=operator).count() == 9


def test_an_unverified_session_cannot_replace_the_app(people: dict[str, User], clock: Clock) -> None:
    operator = people["operator_regency"]
    set_up(password_sign_in("operator_regency"), operator, clock)

    intruder = password_sign_in("operator_regency")  # knows the password, not the phone
    response = intruder.get("/akun/dua-langkah/siapkan/")

    assert response["Location"].startswith("/akun/dua-langkah/?next=")
    assert TOTPDevice.objects.filter(user=operator).count() == 1


def test_the_second_step_is_optional_for_a_psm_and_asked_once_she_has_it(people: dict[str, User], clock: Clock) -> None:
    psm = people["psm_a"]
    client = password_sign_in("psm_a")

    before = client.get("/ppks/orang/")
    set_up(client, psm, clock)
    later = password_sign_in("psm_a").get("/ppks/orang/")

    assert before.status_code == 200
    assert later.status_code == 302
    assert later["Location"].startswith("/akun/dua-langkah/")


def test_a_password_reset_does_not_skip_the_second_step(people: dict[str, User], clock: Clock) -> None:
    operator = people["operator_regency"]
    set_up(password_sign_in("operator_regency"), operator, clock)
    link = services.issue_password_link(User.objects.get(pk=operator.pk), acting_user=None)
    visitor = Client()
    form = visitor.get(link)
    visitor.post(
        form["Location"], {"new_password1": "sandi-baru-yang-panjang", "new_password2": "sandi-baru-yang-panjang"}
    )

    client = Client()
    client.post("/akun/masuk/", {"username": "operator_regency", "password": "sandi-baru-yang-panjang"})
    response = client.get("/ppks/orang/")

    assert response["Location"].startswith("/akun/dua-langkah/")


def test_only_the_administrator_resets_a_second_step_and_it_is_recorded(
    people: dict[str, User], client_for: Any, clock: Clock
) -> None:
    operator = people["operator_regency"]
    session = password_sign_in("operator_regency")
    set_up(session, operator, clock)

    refused = client_for("operator_province").post(f"/akun/pengguna/{operator.pk}/dua-langkah/hapus/")
    kept = TOTPDevice.objects.filter(user=operator).count()
    done = client_for("admin").post(f"/akun/pengguna/{operator.pk}/dua-langkah/hapus/")

    assert refused.status_code == 403
    assert kept == 1
    assert done.status_code == 302
    assert TOTPDevice.objects.filter(user=operator).count() == 0
    assert StaticToken.objects.filter(device__user=operator).count() == 0
    latest = operator.history.order_by("-history_id")[0]
    assert (latest.history_change_reason, latest.history_user) == (
        "Two-step sign-in reset by an administrator",
        people["admin"],
    )
    assert session.get("/ppks/orang/")["Location"].startswith("/akun/masuk/")  # their session ended


@pytest.mark.parametrize("ending", ["deactivated", "role revoked", "new password"])
def test_a_session_and_a_token_end_at_once(people: dict[str, User], ending: str) -> None:
    psm = people["psm_a"]
    client = Client()
    sign_in(client, psm)
    token = Token.objects.create(user=psm)
    assert client.get("/ppks/orang/").status_code == 200
    assert Client().get("/api/v1/me/", headers={"Authorization": f"Token {token.key}"}).status_code == 200

    if ending == "deactivated":
        services.set_active(psm, is_active=False, acting_user=people["admin"], reason="berhenti")
    elif ending == "role revoked":
        services.revoke_role(psm.role_assignments.get(), acting_user=people["admin"], reason="pindah tugas")
    else:
        user = User.objects.get(pk=psm.pk)
        user.set_password("kata-sandi-baru-panjang")
        user.save()

    assert client.get("/ppks/orang/")["Location"].startswith("/akun/masuk/")
    assert Client().get("/api/v1/me/", headers={"Authorization": f"Token {token.key}"}).status_code == 401
    assert not Token.objects.filter(user=psm).exists()
