"""Every page of every role loads under Pilar's strict Content-Security-Policy with no
violation, in Debian's headless chromium, and is sent with `Cache-Control: no-store`.

The pages are the access matrix's routes that answer HTML, each reached with the
objects of village A; each persona signs in and opens them all. A violation is caught
by a `securitypolicyviolation` listener installed before any page script runs, and by
chromium's console."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser, sync_playwright

from pilar.accounts.models import User
from tests.access_matrix import ROUTES, Subject
from tests.personas import sign_in

CHROMIUM = "/usr/bin/chromium"
FILES = ("-export", "-download", "-file", "-photo", "-errors", ":template", ":attachment", "-pdf")
PERSONAS = ["psm_a", "tksk", "operator_regency", "operator_province", "pusat", "admin", "no_role"]
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + (event.blockedURI || "inline") + " " + event.sourceFile);
});
"""
# Let every event already queued (a violation is reported as a task) reach the listener.
FLUSH = "() => new Promise((done) => setTimeout(() => requestAnimationFrame(() => setTimeout(done, 0)), 0))"

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the same pages on PostgreSQL: the policy does not depend on the database"
)


def html_pages(admin: User, subject: Subject) -> list[str]:
    """The URLs of the page routes that answer HTML to the administrator."""
    client = Client()
    sign_in(client, admin)
    urls = []
    for name, route in sorted(ROUTES.items()):
        if route.api or route.method != "get" or route.kind == "own":
            continue
        url = reverse(name, kwargs=route.kwargs(subject))
        if "." in url.rstrip("/").rsplit("/", 1)[-1] or name.endswith(FILES):
            continue  # a download for those who may have it
        if client.get(url)["Content-Type"].startswith("text/html"):
            urls.append(url)
    return urls


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Browser]:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.mark.django_db(transaction=True)
def test_every_page_of_every_role_loads_with_no_policy_violation(
    live_server: Any, people: dict[str, User], browser: Browser
) -> None:
    subject = Subject("village_a")
    subject.report  # noqa: B018 (the objects the pages show, made before the browser starts)
    subject.case  # noqa: B018
    subject.activity_photo  # noqa: B018
    urls = html_pages(people["admin"], subject)
    sessions = {}
    for persona in PERSONAS:
        client = Client()
        sign_in(client, people[persona])
        sessions[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value
    found: list[str] = []
    headers: set[tuple[str, str]] = set()
    for persona in PERSONAS:
        context = browser.new_context(viewport={"width": 360, "height": 740})
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": sessions[persona], "url": live_server.url}]
        )
        context.add_init_script(LISTEN)
        page = context.new_page()
        console: list[str] = []

        def keep(message: Any, console: list[str] = console) -> None:
            if "Content Security Policy" in message.text:
                console.append(message.text)

        page.on("console", keep)
        for url in urls:
            response = page.goto(live_server.url + url)
            assert response is not None
            page.evaluate(FLUSH)
            headers.add(
                (response.headers.get("cache-control", ""), response.headers.get("content-security-policy", ""))
            )
            found += [f"{persona} {url}: {violation}" for violation in page.evaluate("window.__violations")]
            found += [f"{persona} {url}: {message}" for message in console]
            console.clear()
        context.close()

    assert len(urls) >= 50
    assert found == []
    assert [cache for cache, _policy in headers if "no-store" not in cache.split(", ")] == []
    for policy in {policy for _cache, policy in headers}:
        assert "default-src 'self'" in policy
        assert "script-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy
        assert "form-action 'self'" in policy
        assert "unsafe-inline" not in policy
