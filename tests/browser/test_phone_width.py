"""Every page of the field roles fits a 360 px phone (issue 23, point 2): in Debian's
headless chromium at 360x740, no page a PSM or a TKSK may open scrolls sideways
(`scrollWidth <= innerWidth`), the pages of the objects of their own village included."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import sync_playwright

from pilar.accounts.models import User
from tests.access_matrix import CSV, OWN, PUBLIC, ROUTES, Subject
from tests.browser.helpers import CHROMIUM, session_cookie

FIELD_ROLES = ["psm_a", "tksk"]
# The element that sticks out furthest to the right, to say what is too wide.
WIDEST = """(() => { let widest = null, right = window.innerWidth;
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect().right;
    if (r > right) { right = r; widest = el; } }
  return widest ? widest.tagName + '#' + widest.id + '.' + widest.className + ' ' + Math.round(right) : ''; })()"""


def pages(subject: Subject) -> list[str]:
    """The URL of every page (GET, not the API, not a file download) with the objects of village A."""
    urls = []
    for name, route in sorted(ROUTES.items()):
        if route.api or route.method != "get" or route.kind in (PUBLIC, OWN):
            continue
        kwargs = route.kwargs(subject)
        if kwargs == CSV or "export_format" in kwargs or name.endswith(("-file", "-pdf", "-photo", "-export")):
            continue
        url = reverse(name, kwargs=kwargs)
        if "." not in url.rstrip("/").rsplit("/", 1)[-1]:  # unduh.xlsx, laporan.pdf: files
            urls.append(url)
    return urls


@pytest.fixture
def village_pages(people: dict[str, User]) -> list[str]:
    return pages(Subject("village_a"))


@pytest.fixture
def chromium(monkeypatch: Any) -> Iterator[Any]:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("persona", FIELD_ROLES)
def test_no_page_of_a_field_role_scrolls_sideways_at_360_px(  # type: ignore[no-untyped-def]
    live_server, people, village_pages, chromium, persona
) -> None:
    context = chromium.new_context(viewport={"width": 360, "height": 740})
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session_cookie(people[persona]), "url": live_server.url}]
    )
    page = context.new_page()
    too_wide = {}
    for url in village_pages:
        response = page.goto(f"{live_server.url}{url}")
        if response is None or response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
            continue
        if url == reverse("field-app"):  # let the field app finish its download first
            page.wait_for_selector("body[data-field-synced=true]")
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if width[0] > width[1]:
            too_wide[url] = (width[0], page.evaluate(WIDEST))
    assert too_wide == {}
