"""Searches that can carry a NIK never put it in a URL, a log or a stored query.

A list's search form is sent by POST. The list answers with a redirect to itself in
which the search text (`q`) is replaced by a sealed token (`cari`): the text
encrypted and authenticated (Fernet, a key derived from the SECRET_KEY) together with
the id of the user who typed it. Pages, pagination links, exports and the background
export job read the list's parameters through `unseal_params`, which puts the text
back for that user alone; a token of another user, or a forged one, is no search at
all. The web server's access log, the browser history, `AccessLog.query` and
`Export.query` see only the token; the access log records the search masked
(`masked_query`).

A `q` typed straight into a URL still works (it is already in the web server's log by
then), but it is masked in Pilar's own log and sealed before an export stores it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Mapping
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict

SEARCH = "q"
SEALED = "cari"
# A run of this many digits may be (part of) a NIK or a family-card number.
DIGITS = re.compile(r"\d{6,}")


def _fernet() -> Fernet:
    key = hashlib.sha256(b"pilar.core.search:" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(user: Any, text: str) -> str:
    payload = json.dumps({"user": getattr(user, "pk", None), "q": text}).encode()
    return _fernet().encrypt(payload).decode()


def unseal(user: Any, token: str) -> str:
    """The text sealed for `user`, or '' for a token that is not theirs or not valid."""
    try:
        payload = json.loads(_fernet().decrypt(token.encode()))
    except (InvalidToken, ValueError, TypeError):
        return ""
    if not isinstance(payload, dict) or payload.get("user") != getattr(user, "pk", None):
        return ""
    text = payload.get("q", "")
    return text if isinstance(text, str) else ""


def unseal_params(user: Any, params: Mapping[str, Any]) -> QueryDict:
    """The list's parameters with the sealed search opened for `user`."""
    opened = QueryDict(mutable=True)
    for key in params:
        if key != SEALED:
            opened.setlist(key, _values(params, key))
    token = params.get(SEALED)
    if token:
        opened[SEARCH] = unseal(user, str(token))
    return opened


def seal_params(user: Any, params: Mapping[str, Any]) -> QueryDict:
    """The parameters with any search text sealed for `user`: what may be stored or linked."""
    opened = unseal_params(user, params)
    sealed = QueryDict(mutable=True)
    for key in opened:
        if key != SEARCH:
            sealed.setlist(key, opened.getlist(key))
    text = str(opened.get(SEARCH, "")).strip()
    if text:
        sealed[SEALED] = seal(user, text)
    return sealed


def mask(text: str) -> str:
    """`text` with every run of six or more digits masked but its first and last four
    (a NIK 1801041007707010 becomes 1801********7010)."""

    def hide(found: re.Match[str]) -> str:
        digits = found[0]
        return digits[:4] + "*" * (len(digits) - 8) + digits[-4:] if len(digits) > 8 else "*" * len(digits)

    return DIGITS.sub(hide, text)


def masked_query(request: HttpRequest) -> str:
    """The request's query string for the access log: the search opened and masked."""
    opened = unseal_params(getattr(request, "user", None), request.GET)
    if SEARCH in opened:
        opened[SEARCH] = mask(str(opened[SEARCH]))
    return opened.urlencode(safe="*")


def masked_path(request: HttpRequest) -> str:
    query = masked_query(request)
    return f"{request.path}?{query}" if query else request.path


def redirect_to_sealed(request: HttpRequest) -> HttpResponse:
    """The answer to a list's search form sent by POST: the same list, by GET, with the
    search sealed (303, so that reloading the list does not send the form again)."""
    params = QueryDict(mutable=True)
    for key in request.POST:
        if key != "csrfmiddlewaretoken" and any(value.strip() for value in request.POST.getlist(key)):
            params.setlist(key, [value.strip() for value in request.POST.getlist(key)])
    query = seal_params(request.user, params).urlencode()
    response = HttpResponseRedirect(f"{request.path}?{query}" if query else request.path)
    response.status_code = 303
    return response


def _values(params: Mapping[str, Any], key: str) -> list[str]:
    getlist = getattr(params, "getlist", None)
    if getlist is not None:
        return list(getlist(key))
    value = params[key]
    return [str(item) for item in value] if isinstance(value, list | tuple) else [str(value)]
