"""The dashboard and the coverage map in a real browser (Debian's chromium, headless):
they render without script errors, the regency map draws every kecamatan of the
regency, and a click drills down. Screenshots are kept in test-artifacts/."""

import datetime
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, sync_playwright

from pilar.accounts import services
from pilar.accounts.roles import Role
from pilar.regions.models import Region, RegionLevel
from pilar.workforce import services as workforce
from pilar.workforce.kinds import WorkerKind, WorkerStatus
from pilar.workforce.models import Engagement
from tests.personas import sign_in

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


@pytest.fixture
def kecamatan(lampung) -> int:  # type: ignore[no-untyped-def]
    """Kabupaten Lampung Selatan's kecamatan, counted before the browser starts: a query
    made while Playwright's event loop runs gets a connection nobody closes."""
    return Region.objects.filter(level=RegionLevel.DISTRICT, code__startswith="18.01.").count()


@pytest.fixture
def browser_page(live_server, lampung, monkeypatch) -> Iterator[tuple[Page, list[str]]]:  # type: ignore[no-untyped-def]
    """A signed-in province operator of Lampung in chromium, with the page's script errors."""
    # Playwright's sync API runs an event loop in this thread; the test's own database
    # calls are still synchronous (Django's documented switch for such tools).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    user = services.create_user(
        username="dinsos.lampung",
        password="correct-horse-battery",
        full_name="Operator Provinsi",
        role=Role.DINSOS_PROVINSI,
        region=Region.objects.get(code="18"),
        acting_user=None,
    )
    client = Client()
    sign_in(client, user)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 1000, "height": 900})
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        yield page, errors
        browser.close()


@pytest.mark.django_db(transaction=True)
def test_the_regency_dashboard_and_map_render_and_a_click_drills_down(  # type: ignore[no-untyped-def]
    live_server, kecamatan, browser_page
) -> None:
    page, errors = browser_page
    ARTIFACTS.mkdir(exist_ok=True)

    page.goto(f"{live_server.url}/rekap/dasbor/?region=18.01")
    page.wait_for_function("document.querySelectorAll('canvas').length === 5 && window.Chart !== undefined")
    page.screenshot(path=str(ARTIFACTS / "dashboard-18.01.png"), full_page=True)
    assert page.locator("h1").inner_text() == "Dasbor: Kabupaten Lampung Selatan"

    page.goto(f"{live_server.url}/rekap/peta/?region=18")
    page.wait_for_selector("#map[data-areas]")
    assert page.locator("#map").get_attribute("data-areas") == "15"
    page.locator("path.area-18-01").dispatch_event("click")
    page.wait_for_url("**/rekap/peta/?region=18.01**")
    page.wait_for_selector("#map[data-areas]")
    page.screenshot(path=str(ARTIFACTS / "map-18.01.png"), full_page=True)

    assert page.locator("#map").get_attribute("data-areas") == str(kecamatan)
    assert page.locator("path.area").count() == kecamatan
    assert page.locator("#legend span").count() == 1  # no PSM in the regency: every kecamatan at 0
    page.locator("path.area-18-01-04").dispatch_event("click")
    page.wait_for_url("**/rekap/dasbor/?region=18.01.04")
    assert page.locator("h1").inner_text() == "Dasbor: Natar"
    assert errors == []


@pytest.fixture
def one_psm(lampung) -> None:  # type: ignore[no-untyped-def]
    """One active PSM in the province, in Hajimena (Lampung Selatan): every other regency at 0 %."""
    engagement = workforce.register_worker(
        nik="1801041507800003",
        full_name="Siti Aminah",
        sex="L",
        birth_date=datetime.date(1980, 7, 15),
        home_village=Region.objects.get(code="18.01.04.2001"),
        kind=WorkerKind.PSM,
        region=Region.objects.get(code="18.01.04.2001"),
        acting_user=None,
    )
    Engagement.objects.filter(pk=engagement.pk).update(status=WorkerStatus.ACTIVE)


@pytest.mark.django_db(transaction=True)
def test_the_province_map_classes_by_the_datas_spread_names_the_areas_and_says_what_colours_mean(  # type: ignore[no-untyped-def]
    live_server, one_psm, browser_page
) -> None:
    page, errors = browser_page
    page.goto(f"{live_server.url}/rekap/peta/?region=18")
    page.wait_for_selector("#map[data-areas]")

    assert page.locator("path.area-18-01").get_attribute("fill") == "#0b6e4f"  # the only one above 0: the most
    assert page.locator("path.area-18-02").get_attribute("fill") == "#f1f7f4"  # 0: apart
    assert page.locator(".area-name").count() == 15
    assert "Kabupaten Lampung Selatan" in page.locator(".area-name").all_inner_texts()
    legend = page.locator("#legend")
    assert legend.locator("strong").inner_text() == "Desa dengan PSM aktif (%)"
    assert [item.get_attribute("data-colour") for item in legend.locator("span").all()] == ["#f1f7f4", "#0b6e4f"]
    assert legend.locator("span").first.inner_text().strip() == "0 %"
    assert "," in legend.locator("span").last.inner_text()  # 0,4 %: the Indonesian decimal comma
    assert errors == []
