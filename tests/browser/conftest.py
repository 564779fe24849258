"""Fixtures of the browser tests: a phone (360 x 740) signed in as a given user."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Page, sync_playwright

from pilar.accounts.models import User
from tests.browser.helpers import CHROMIUM, session_cookie


@pytest.fixture
def phone_of(live_server: Any, monkeypatch: Any) -> Iterator[Callable[[User], Page]]:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])

        def open_as(user: User) -> Page:
            context = browser.new_context(viewport={"width": 360, "height": 740})
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": session_cookie(user), "url": live_server.url}]
            )
            return context.new_page()

        yield open_as
        browser.close()
