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
from django.test import Client
from playwright.sync_api import BrowserContext, Page, sync_playwright

from pilar.accounts.models import User
from pilar.activities.models import Activity
from pilar.beneficiaries import services as registry
from pilar.beneficiaries.models import Person, PpksStatus
from pilar.cases.models import Case, CaseEvent, EventKind
from pilar.core.models import IdempotencyKey
from pilar.core.versions import version_of
from tests.cases.conftest import HAJIMENA, open_for, register
from tests.field.conftest import jpeg

CHROMIUM = "/usr/bin/chromium"
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
def phone(live_server: Any, people: dict[str, User], monkeypatch: Any) -> Iterator[tuple[BrowserContext, list[str]]]:
    """PSM A's phone: chromium at 360 px, signed in, with the page's script errors."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    client = Client()
    client.force_login(people["psm_a"])
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 360, "height": 740}, service_workers="allow")
        context.add_cookies(
            [
                {"name": name, "value": client.cookies[name].value, "url": live_server.url}
                for name in (settings.SESSION_COOKIE_NAME,)
            ]
        )
        errors: list[str] = []
        context.on("weberror", lambda error: errors.append(str(error.error)))
        yield context, errors
        browser.close()


def open_app(context: BrowserContext, url: str) -> Page:
    page = context.new_page()
    page.on("console", lambda message: print("console:", message.text))
    page.goto(f"{url}/lapangan/")
    page.wait_for_selector("body[data-field-ready=true]")
    return page


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

    context.set_offline(True)
    page.wait_for_selector("#net[data-online=false]")

    page.goto(f"{live_server.url}/lapangan/#daftar")
    page.wait_for_selector("body[data-field-ready=true]")
    page.fill("#p-full_name", "Painem")
    page.select_option("#p-sex", "P")
    page.check("input[name=categories][value='PPKS-01']")
    page.check("input[name=categories][value='PPKS-08']")
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

    tksk = Client()
    tksk.force_login(people["tksk"])
    assert "Painem" in tksk.get("/ppks/verifikasi/").content.decode()
    psm = Client()
    psm.force_login(people["psm_a"])
    timeline = psm.get(f"/kasus/{field_case.pk}/").content.decode()
    assert "Kunjungan rumah, lansia sehat" in timeline
    assert f"/kasus/lampiran/{visit.attachment.pk}/" in timeline or "lampiran" in timeline


@pytest.mark.django_db(transaction=True)
def test_an_offline_correction_that_meets_a_newer_one_is_a_conflict_shown_on_the_phone(  # type: ignore[no-untyped-def]
    live_server, people, field_case, phone
) -> None:
    context, errors = phone
    sumini = field_case.person
    page = open_app(context, live_server.url)
    page.wait_for_selector("body[data-field-synced=true]")

    context.set_offline(True)
    page.wait_for_selector("#net[data-online=false]")
    page.locator(f"[data-edit='{sumini.pk}']").click()
    page.fill("#e-phone", "081211112222")
    page.locator("#edit-form button[type=submit]").click()
    page.wait_for_selector("#pending[data-count='1']")
    # Meanwhile the TKSK, online, corrects the address of the same person.
    saved = Person.objects.get(pk=sumini.pk)
    registry.update_person(
        saved,
        registry.PersonData(
            **{
                **{name: getattr(saved, name) for name in registry.PersonData.__dataclass_fields__},
                "address": "Dusun II",
            }
        ),
        acting_user=people["tksk"],
        expected_version=version_of(saved),
    )

    context.set_offline(False)
    page.wait_for_selector("#outbox-list [data-state=conflict]")
    page.screenshot(path=str(ARTIFACTS / "field-conflict-360.png"), full_page=True)
    rows = {
        row.get_attribute("data-field"): [cell.inner_text() for cell in row.locator("td").all()]
        for row in page.locator("#outbox-list table tr[data-field]").all()
    }
    assert rows == {"address": ["", "Dusun II"], "phone": ["081211112222", ""]}
    assert Person.objects.get(pk=sumini.pk).phone == ""  # nothing of the phone's was saved over the TKSK's

    page.locator("#outbox-list [data-keep-mine]").click()
    page.wait_for_selector("#outbox-list [data-state=sent]")
    kept = Person.objects.get(pk=sumini.pk)
    assert (kept.phone, kept.address) == ("081211112222", "Dusun II")  # both corrections kept

    page.locator("footer form[action$='/akun/keluar/'] button").click()
    page.wait_for_url("**/akun/masuk/?keluar=1")
    page.wait_for_function(
        "indexedDB.databases().then(all => !all.some(db => db.name === 'pilar-lapangan'))"
        ".then(gone => gone && caches.keys().then(keys => keys.length === 0))"
    )
    assert errors == []
