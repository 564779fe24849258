"""Writes that happen once, however often they are sent.

API writes carry an `Idempotency-Key` header instead (`once_per_api_key`), the key
the offline outbox makes on the phone when an item is created.

A create form carries a one-time key (`{% once_field %}`, a UUID made when the form
is shown); the view is wrapped in `once_per_key`: the first request with a key runs
and, when it saved (a redirect), its answer is kept with the key; every later request
with the same key is sent where the first one went, and writes nothing. Two requests
racing with one key are settled by the unique key row: the second waits for the
first's transaction and then sees its answer. A request that did not save (a form
error) keeps nothing, so the corrected form may be sent again with the same key.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.request import Request
from rest_framework.response import Response

from pilar.core.models import IdempotencyKey

FIELD = "idempotency_key"
KEEP_DAYS = 30


def parse_key(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value or ""))
    except ValueError:
        return None


def once_per_key(scope: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            key = parse_key(request.POST.get(FIELD)) if request.method == "POST" else None
            if key is None or not request.user.is_authenticated:
                return view(request, *args, **kwargs)
            with transaction.atomic():
                try:
                    with transaction.atomic():
                        row = IdempotencyKey.objects.create(user=request.user, key=key, scope=scope)
                except IntegrityError:
                    first = IdempotencyKey.objects.filter(user=request.user, key=key, scope=scope).first()
                    if first is not None and first.location:
                        messages.info(request, _("This was already saved; here it is."))
                        return HttpResponseRedirect(first.location)
                    return view(request, *args, **kwargs)
                response = view(request, *args, **kwargs)
                if isinstance(response, HttpResponseRedirect):
                    row.status_code, row.location = response.status_code, response["Location"][:500]
                    row.save(update_fields=["status_code", "location"])
                else:
                    transaction.set_rollback(True)  # nothing saved: the key stays free
                return response

        return wrapped

    return decorator


def purge(now: datetime.datetime | None = None) -> int:
    cutoff = (now or timezone.now()) - datetime.timedelta(days=KEEP_DAYS)
    deleted, _kinds = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted


HEADER = "Idempotency-Key"


def once_per_api_key(method: Callable[..., Response]) -> Callable[..., Response]:
    """An API write (a view set method) that happens once per `Idempotency-Key`.

    The key is a UUID the client made when the write was created (the offline outbox
    makes it on the phone). The first request with it runs; its answer, when it
    succeeded, is kept with a digest of the request; a replay with the same key and
    body gets that answer again (header `Idempotent-Replayed: true`) and writes
    nothing; the same key with another body is refused (422). A refused write (400,
    403, 409) keeps nothing, so the client may correct it and send it again. Without
    the header the write runs as usual."""

    @functools.wraps(method)
    def wrapped(viewset: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        raw = request.headers.get(HEADER)
        if request.method != "POST" or raw is None:
            return method(viewset, request, *args, **kwargs)
        key = parse_key(raw)
        if key is None:
            return Response({"detail": _("The Idempotency-Key header must be a UUID.")}, status=400)
        digest = hashlib.sha256(request._request.body).hexdigest()  # before the parsers read the stream
        user: Any = request.user  # signed in: the permission check ran before the handler
        return run_once(user, key, f"api:{request.path}", digest, lambda: method(viewset, request, *args, **kwargs))

    return wrapped


def run_once(user: Any, key: uuid.UUID, scope: str, digest: str, write: Callable[[], Response]) -> Response:
    """Run `write` once for (`user`, `key`): see `once_per_api_key`. `scope` names the
    kind of write and `digest` the request, so that a key reused for another request
    is refused (422) instead of answered with the first one's result."""
    scope = scope[:100]
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = IdempotencyKey.objects.create(user=user, key=key, scope=scope, request_hash=digest)
        except IntegrityError:
            first = IdempotencyKey.objects.get(user=user, key=key)
            if (first.scope, first.request_hash) != (scope, digest) or first.status_code is None:
                return Response({"detail": _("This Idempotency-Key was already used for another request.")}, status=422)
            return Response(first.body, status=first.status_code, headers={"Idempotent-Replayed": "true"})
        response = write()
        if 200 <= response.status_code < 300:
            row.status_code = response.status_code
            row.body = json.loads(json.dumps(response.data, cls=DjangoJSONEncoder))
            row.save(update_fields=["status_code", "body"])
        else:
            transaction.set_rollback(True)  # nothing was written: the key stays free
        return response
