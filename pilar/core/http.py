from collections.abc import Iterable

from django.http import HttpRequest

from pilar.accounts.models import User

# The largest primary key the databases hold (a signed 64-bit integer).
LARGEST_ID = 2**63 - 1


class AuthenticatedHttpRequest(HttpRequest):
    """A request to a page behind PageLoginRequiredMiddleware: `user` is a signed-in User."""

    user: User


def parse_id(value: object) -> int | None:
    """A record id sent in a form or query string, or None when it cannot be one (not
    ASCII digits, zero, or past 64 bits): looked up as such, it would fail in the
    database instead of finding nothing."""
    text = str(value or "").strip()
    if not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if 0 < number <= LARGEST_ID else None


def parse_ids(values: Iterable[object]) -> list[int]:
    """The values that can be record ids, as ids (the rest left out)."""
    return [number for number in map(parse_id, values) if number is not None]
