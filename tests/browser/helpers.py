"""What the browser tests share: the system's chromium, and database reads kept off
Playwright's event loop."""

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import connections
from django.test import Client

from pilar.accounts.models import User
from tests.personas import sign_in

CHROMIUM = "/usr/bin/chromium"  # Debian's; Playwright never downloads a browser here


def off_the_loop[T](read: Callable[[], T]) -> T:
    """Run `read` (database queries) in a thread of its own, and close its connection.

    Playwright's sync API runs an event loop in the test's thread, and a query made
    there gets a connection of its own that nobody closes (PostgreSQL then cannot drop
    the test database); a thread that closes its connection leaves none behind."""

    def run() -> T:
        try:
            return read()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


def signed_in(user: User) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def session_cookie(user: User) -> str:
    """A signed-in session of `user`, for a browser context (read off the loop)."""
    return off_the_loop(lambda: signed_in(user).cookies[settings.SESSION_COOKIE_NAME].value)
