"""No operator sets or learns another user's password: they hand over a single-use link."""

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from pilar.accounts.models import User

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "kata-sandi-pilihan-sendiri"


def issue(client: Client, user: User) -> str:
    page = client.post(f"/akun/pengguna/{user.pk}/tautan-sandi/").content.decode()
    found = re.search(r"<code>(http://testserver(/akun/sandi-baru/[^<]+))</code>", page)
    assert found, page
    return found[2]


def test_the_link_lets_the_user_choose_a_password_once(
    client_for: Any, people: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    psm = people["psm_a"]
    User.objects.filter(pk=psm.pk).update(email="siti@contoh.id")
    operator = client_for("operator_regency")
    before = psm.history.count()

    with django_capture_on_commit_callbacks(execute=True):
        link = issue(operator, psm)
    visitor = Client()
    form = visitor.get(link)
    saved = visitor.post(form["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    again = Client().get(link, follow=True)

    assert form.status_code == 302  # Django moves the token out of the URL into the session
    assert saved["Location"] == "/akun/sandi-baru/selesai/"
    assert User.objects.get(pk=psm.pk).check_password(NEW_PASSWORD)
    assert "Tautan ini tidak berlaku lagi" in again.content.decode()
    assert psm.history.count() == before + 2  # the link issued, then the password chosen
    assert psm.history.order_by("-history_id")[1].history_change_reason == "Password link issued"
    assert [message.to for message in mail.outbox] == [["siti@contoh.id"]]
    assert link in mail.outbox[0].body


@pytest.mark.parametrize("persona", ["tksk", "psm_b", "operator_other_province", "no_role"])
def test_who_may_not_manage_the_user_gets_no_link_and_nothing_changes(
    client_for: Any, people: dict[str, User], persona: str
) -> None:
    psm = people["psm_a"]
    before = (User.objects.get(pk=psm.pk).password, psm.history.count())

    response = client_for(persona).post(f"/akun/pengguna/{psm.pk}/tautan-sandi/")

    assert response.status_code in {403, 404}
    assert (User.objects.get(pk=psm.pk).password, psm.history.count()) == before
    assert mail.outbox == []


def test_the_link_page_asks_first_and_is_never_cached(client_for: Any, people: dict[str, User]) -> None:
    response = client_for("operator_regency").get(f"/akun/pengguna/{people['psm_a'].pk}/tautan-sandi/")

    assert response.status_code == 200
    assert "Buat tautan" in response.content.decode()
    assert response["Cache-Control"] == "no-store"
