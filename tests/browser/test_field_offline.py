"""The field app offline, in Debian's headless chromium (issue 17): a PSM signs in
online, goes offline, registers a person with two PPKS types, records a visit with
a photo and logs an activity; the page is closed and opened again without a signal
(the outbox and the field data are still there); back online, the three items reach
the server exactly once, the TKSK sees the new PPKS record in the verification
queue and the case timeline has the visit with its photo. Screenshots at 360 px are
kept in test-artifacts/."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page, sync_playwright

from pilar.accounts.models import User
from pilar.activities.models import Activity
from pilar.beneficiaries.models import Person, PpksStatus
from pilar.cases.models import Case, CaseEvent, EventKind
from pilar.core.models import IdempotencyKey
from tests.browser.helpers import CHROMIUM, off_the_loop, session_cookie, signed_in
from tests.cases.conftest import HAJIMENA, open_for, register
from tests.field.conftest import jpeg

# True once the service worker keeps the app's shell: the page then opens offline.
SHELL_CACHED = (
    "caches.keys().then(keys => Promise.all(keys.map(key => caches.open(key)"
    ".then(cache => cache.match('/lapangan/', {ignoreVary: true})))))"
    ".then(hits => hits.some(Boolean))"
)
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


@pytest.fixture
def field_case(people: dict[str, User]) -> Case:
    return open_for(register("Sumini", HAJIMENA, people["psm_a"]), people["psm_a"])


@pytest.fixture
def phones(live_server: Any, monkeypatch: Any) -> Iterator[Any]:
    """Phones in chromium at 360 px, each signed in as one user, with script errors."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])

        def phone_of(user: User) -> BrowserContext:
            cookie = session_cookie(user)
            context = browser.new_context(viewport={"width": 360, "height": 740}, service_workers="allow")
            context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
            context.on("weberror", lambda error: errors.append(str(error.error)))
            return context

        phone_of.errors = errors  # type: ignore[attr-defined]
        yield phone_of
        browser.close()


@pytest.fixture
def phone(phones: Any, people: dict[str, User]) -> tuple[BrowserContext, list[str]]:
    """PSM A's phone."""
    return phones(people["psm_a"]), phones.errors


def open_app(context: BrowserContext, url: str) -> Page:
    page = context.new_page()
    page.on("console", lambda message: print("console:", message.text))
    page.goto(f"{url}/lapangan/")
    page.wait_for_selector("body[data-field-ready=true]")
    return page


def start_registration_offline(context: BrowserContext, page: Page, url: str) -> None:
    """The signal goes; the PSM opens the registration form and starts with Painem."""
    context.set_offline(True)
    page.wait_for_selector("#net[data-online=false]")
    page.goto(f"{url}/lapangan/#daftar")
    page.wait_for_selector("body[data-field-ready=true]")
    page.fill("#p-full_name", "Painem")
    page.select_option("#p-sex", "P")


@pytest.mark.django_db(transaction=True)
def test_a_psm_works_offline_and_everything_reaches_the_server_once(  # type: ignore[no-untyped-def]
    live_server, people, field_case, phone
) -> None:
    context, errors = phone
    ARTIFACTS.mkdir(exist_ok=True)
    page = open_app(context, live_server.url)
    page.wait_for_selector("body[data-field-synced=true]")
    page.wait_for_function("navigator.serviceWorker.controller !== null || navigator.serviceWorker.ready")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function(SHELL_CACHED)
    assert page.locator("[data-person]").count() == 1  # Sumini, downloaded

    start_registration_offline(context, page, live_server.url)
    page.check("input[name=categories][value='PPKS-01']")
    page.check("input[name=categories][value='PPKS-08']")
    page.screenshot(path=str(ARTIFACTS / "field-register-360.png"), full_page=True)
    page.locator("#person-form button[type=submit]").click()
    page.wait_for_selector("#pending[data-count='1']")

    page.goto(f"{live_server.url}/lapangan/#kasus")
    page.locator(f"[data-visit='{field_case.pk}']").click()
    page.fill("#v-text", "Kunjungan rumah, lansia sehat")
    page.set_input_files("#v-photo", files=[{"name": "foto.jpg", "mimeType": "image/jpeg", "buffer": jpeg(1600, 1200)}])
    page.locator("#visit-form button[type=submit]").click()
    page.wait_for_selector("#pending[data-count='2']")

    page.goto(f"{live_server.url}/lapangan/#kegiatan")
    page.select_option("#a-kind", "penyuluhan_sosial")
    page.fill("#a-title", "Penyuluhan gizi lansia")
    page.fill("#a-men", "4")
    page.fill("#a-women", "9")
    page.locator("#activity-form button[type=submit]").click()
    page.wait_for_selector("#pending[data-count='3']")
    page.screenshot(path=str(ARTIFACTS / "field-outbox-offline-360.png"), full_page=True)
    page.close()

    again = open_app(context, live_server.url)  # still offline: the service worker's shell
    again.wait_for_selector("#pending[data-count='3']")
    assert again.locator("#net").get_attribute("data-online") == "false"
    assert again.locator("[data-person]").count() == 2  # Sumini, and Painem not sent yet
    assert again.locator("#outbox-list [data-state=waiting]").count() == 3

    context.set_offline(False)
    again.wait_for_selector("#pending[data-count='0']")
    again.goto(f"{live_server.url}/lapangan/#kiriman")
    again.wait_for_selector("#outbox-list [data-state=sent] >> nth=2")
    again.screenshot(path=str(ARTIFACTS / "field-outbox-sent-360.png"), full_page=True)
    assert again.locator("#outbox-list [data-state=sent]").count() == 3
    assert errors == []

    def reached_the_server_once() -> None:
        painem = Person.objects.get(full_name="Painem")
        assert sorted(painem.ppks_records.values_list("category", "status")) == [
            ("PPKS-01", PpksStatus.REPORTED),
            ("PPKS-08", PpksStatus.REPORTED),
        ]
        visit = CaseEvent.objects.get(case=field_case, kind=EventKind.VISIT)
        assert visit.text == "Kunjungan rumah, lansia sehat"
        assert visit.attachment.content_type == "image/jpeg"
        assert Activity.objects.filter(title="Penyuluhan gizi lansia", men=4, women=9).count() == 1
        assert IdempotencyKey.objects.filter(scope__startswith="field:").count() == 3

        assert "Painem" in signed_in(people["tksk"]).get("/ppks/verifikasi/").content.decode()
        timeline = signed_in(people["psm_a"]).get(f"/kasus/{field_case.pk}/").content.decode()
        assert "Kunjungan rumah, lansia sehat" in timeline
        assert reverse("cases:attachment-file", args=[visit.attachment.pk]) in timeline

    off_the_loop(reached_the_server_once)


@pytest.mark.django_db(transaction=True)
def test_two_offline_corrections_of_one_person_the_second_phone_gets_a_conflict(  # type: ignore[no-untyped-def]
    live_server, people, field_case, phones
) -> None:
    sumini = field_case.person
    psm, tksk = phones(people["psm_a"]), phones(people["tksk"])
    psm_page, tksk_page = open_app(psm, live_server.url), open_app(tksk, live_server.url)
    for page in (psm_page, tksk_page):
        page.wait_for_selector("body[data-field-synced=true]")

    # Both phones lose the signal and correct Sumini: the PSM her phone, the TKSK her address.
    for context in (psm, tksk):
        context.set_offline(True)
    for page, field, value in ((psm_page, "#e-phone", "081211112222"), (tksk_page, "#e-address", "Dusun II")):
        page.wait_for_selector("#net[data-online=false]")
        page.locator(f"[data-edit='{sumini.pk}']").click()
        page.wait_for_function("document.querySelector('#e-full_name').value === 'Sumini'")
        page.fill(field, value)
        page.locator("#edit-form button[type=submit]").click()
        page.wait_for_selector("#pending[data-count='1']")

    tksk.set_offline(False)  # the TKSK's phone syncs first
    tksk_page.goto(f"{live_server.url}/lapangan/#kiriman")
    tksk_page.wait_for_selector("#outbox-list [data-state=sent]")
    psm.set_offline(False)  # the PSM's second: a conflict, with both versions
    psm_page.goto(f"{live_server.url}/lapangan/#kiriman")
    psm_page.wait_for_selector("#outbox-list [data-state=conflict]")
    psm_page.screenshot(path=str(ARTIFACTS / "field-conflict-360.png"), full_page=True)
    rows = {
        row.get_attribute("data-field"): [cell.inner_text() for cell in row.locator("td").all()]
        for row in psm_page.locator("#outbox-list table tr[data-field]").all()
    }
    assert rows == {"address": ["", "Dusun II"], "phone": ["081211112222", ""]}
    saved = off_the_loop(lambda: Person.objects.get(pk=sumini.pk))
    assert (saved.phone, saved.address) == ("", "Dusun II")  # nothing of the PSM's was saved over the TKSK's

    psm_page.locator("#outbox-list [data-keep-mine]").click()
    psm_page.wait_for_selector("#outbox-list [data-state=sent]")
    kept = off_the_loop(lambda: Person.objects.get(pk=sumini.pk))
    assert (kept.phone, kept.address) == ("081211112222", "Dusun II")  # both corrections kept

    psm_page.locator("footer form[action$='/akun/keluar/'] button").click()
    psm_page.wait_for_url("**/akun/masuk/?keluar=1")
    psm_page.wait_for_function(
        "indexedDB.databases().then(all => !all.some(db => db.name === 'pilar-lapangan'))"
        ".then(gone => gone && caches.keys().then(keys => keys.length === 0))"
    )
    assert phones.errors == []


@pytest.mark.django_db(transaction=True)
def test_a_refused_item_comes_back_with_the_servers_message_and_is_corrected_and_resent(  # type: ignore[no-untyped-def]
    live_server, people, phone
) -> None:
    context, errors = phone
    page = open_app(context, live_server.url)
    page.wait_for_selector("body[data-field-synced=true]")
    start_registration_offline(context, page, live_server.url)
    page.fill("#p-nik", "1801041234567890")  # not a NIK: day 12, month 34
    page.locator("#person-form button[type=submit]").click()
    page.wait_for_selector("#pending[data-count='1']")

    context.set_offline(False)
    page.wait_for_selector("#outbox-list [data-state=refused]")
    message = page.locator("#outbox-list [data-state=refused] .errorlist").inner_text()
    assert "NIK" in message
    assert not off_the_loop(lambda: Person.objects.filter(full_name="Painem").exists())

    page.locator("#outbox-list [data-fix]").click()
    page.wait_for_selector("#daftar:not([hidden])")
    assert page.locator("#p-full_name").input_value() == "Painem"
    assert page.locator("#person-form [data-errors]").inner_text() == message
    page.fill("#p-nik", "")  # no NIK is known: the person is registered without one
    page.locator("#person-form button[type=submit]").click()
    page.wait_for_selector("#outbox-list [data-state=sent]")
    assert page.locator("#outbox-list [data-item]").count() == 1  # the same item, sent
    assert off_the_loop(lambda: Person.objects.filter(full_name="Painem", nik__isnull=True).count()) == 1
    assert errors == []


@pytest.mark.django_db(transaction=True)
def test_the_field_app_speaks_english_when_the_user_chose_it(  # type: ignore[no-untyped-def]
    live_server, people, field_case, phone
) -> None:
    context, errors = phone
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    page = open_app(context, live_server.url)
    page.wait_for_selector("body[data-field-synced=true]")
    context.set_offline(True)
    page.wait_for_selector("#net[data-online=false]")

    assert page.locator("#net").inner_text() == "Offline: your work is kept on this phone"
    assert page.locator(".tabs").inner_text().split() == ["People", "Register", "My", "cases", "Activity", "Outbox"]
    assert page.locator(f"[data-visit='{field_case.pk}']").inner_text() == "Record a visit"
    page.goto(f"{live_server.url}/lapangan/#kasus")
    page.screenshot(path=str(ARTIFACTS / "field-cases-360-en.png"), full_page=True)
    assert errors == []
