"""The offline field app's pages: the app shell, its service worker and its manifest.

The shell (`/lapangan/`) holds no personal data: only the forms, the reference lists
(PPKS types, kinds of activity) and the words of the interface in the user's
language. Everything about people and cases comes from the field download into the
phone's IndexedDB, which sign-out clears (`Clear-Site-Data` on the sign-out answer,
and `forget.js` for browsers without it). The service worker caches the shell and
the static files, so the app opens without a signal.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

from pilar.activities.models import ActivityKind
from pilar.beneficiaries.forms import checklist_html
from pilar.beneficiaries.models import Disability, Person
from pilar.beneficiaries.ppks import PPKS_CHOICES
from pilar.core.identity import Sex
from pilar.field.scope import works_in_field
from pilar.field.writes import EDITABLE

# The static files the app needs offline, cached by the service worker.
SHELL_STATIC = [
    "pilar/pilar.css",
    "vendor/idb/umd.js",
    "field/store.js",
    "field/field.js",
    "pilar/ppks-checklist.js",
    "field/icon-192.png",
    "field/icon-512.png",
]


def strings() -> dict[str, str]:
    """The words field.js shows, translated here so that every one is in the catalogue."""
    return {
        "online": _("Online"),
        "offline": _("Offline: your work is kept on this phone"),
        "waiting": _("%(count)s waiting to be sent"),
        "nothing_waiting": _("Everything is sent"),
        "attention": _("%(count)s need your decision (see the outbox)"),
        "sending": _("Sending…"),
        "downloaded": _("Data of %(when)s"),
        "never_downloaded": _("No data on this phone yet: connect once to download your area."),
        "downloading": _("Downloading your area…"),
        "download_failed": _("The download did not finish; the data on this phone is kept."),
        "sign_in_again": _("Your session ended: sign in again to send what is waiting."),
        "state_waiting": _("Waiting"),
        "state_sent": _("Sent"),
        "state_refused": _("Refused"),
        "state_conflict": _("Conflict"),
        "kind_person": _("New person"),
        "kind_person_edit": _("Correction of a person"),
        "kind_ppks": _("PPKS report"),
        "kind_visit": _("Case visit"),
        "kind_activity": _("Activity"),
        "fix": _("Correct and send again"),
        "discard": _("Delete"),
        "discard_confirm": _("Delete this item from the phone? It was not sent."),
        "keep_mine": _("Keep my version"),
        "take_theirs": _("Take the saved version"),
        "mine": _("Mine"),
        "saved": _("Saved on the server"),
        "conflict_help": _("Someone changed this record before your correction arrived. Choose which to keep."),
        "no_people": _("No people found."),
        "no_cases": _("No open cases of yours here."),
        "not_sent_yet": _("not sent yet"),
        "visit_with_photo": _("with photo"),
        "edit": _("Correct"),
        "report": _("Report a PPKS type"),
        "record_visit": _("Record a visit"),
        "due": _("due %(date)s"),
        "overdue": _("overdue"),
        "saved_offline": _("Saved on the phone; it will be sent when there is a signal."),
        "signout_waiting": _("%(count)s items are not sent yet and will be deleted from this phone. Sign out anyway?"),
        "photo_failed": _("The photo could not be read; take it again."),
        "no_nik": _("no NIK"),
        "other_user": _("This phone held another user's data; it was removed."),
        "required": _("This field is required."),
    }


def app(request: HttpRequest) -> HttpResponse:
    if not works_in_field(request.user):
        raise PermissionDenied(_("The field app is for PSM and TKSK."))
    context: dict[str, Any] = {
        "ppks_choices": PPKS_CHOICES,
        # Each type's conditions to tick, as on the pages (beneficiaries.forms.ChecklistField).
        "person_checklist": checklist_html("p-checklist"),
        "ppks_checklist": checklist_html("r-checklist"),
        "activity_kinds": ActivityKind.choices,
        "sex_choices": Sex.choices,
        "disability_choices": Disability.choices,
        "config": {
            "user": request.user.pk,
            "download": reverse("api-field-download"),
            "outbox": reverse("api-field-outbox"),
            "worker": reverse("field-worker"),
            "login": reverse("accounts:login") + "?next=" + reverse("field-app"),
            "strings": strings(),
            "ppks": dict(PPKS_CHOICES),
            # The fields of a person a correction may change, with their names.
            "labels": {name: str(Person._meta.get_field(name).verbose_name) for name in EDITABLE if name != "nik"},  # type: ignore[union-attr]
        },
    }
    return render(request, "field/app.html", context)


@functools.cache
def _shell_version() -> str:
    """A digest of the shell's static files and of the shell template: it changes
    whenever one of them does, so that the service worker caches the new ones."""
    digest = hashlib.sha256()
    for name in SHELL_STATIC:
        found = finders.find(name)
        digest.update(name.encode())
        digest.update(Path(str(found)).read_bytes() if found else b"")
    for template in ("field/app.html", "field/person_fields.html", "field/sw.js"):
        origin = get_template(template).origin.name  # type: ignore[attr-defined]
        digest.update(Path(str(origin)).read_bytes())
    return digest.hexdigest()[:12]


@login_not_required
def service_worker(request: HttpRequest) -> HttpResponse:
    context = {
        "version": _shell_version(),
        "shell": reverse("field-app"),
        "precache": json.dumps([reverse("field-app"), *[static(name) for name in SHELL_STATIC]]),
        "idb": static("vendor/idb/umd.js"),
        "store": static("field/store.js"),
        "static_prefix": settings.STATIC_URL if settings.STATIC_URL.startswith("/") else f"/{settings.STATIC_URL}",
    }
    response = render(request, "field/sw.js", context, content_type="text/javascript")
    response["Cache-Control"] = "no-cache"
    return response


@login_not_required
def manifest(request: HttpRequest) -> JsonResponse:
    data = {
        "name": _("Pilar: field work"),
        "short_name": "Pilar",
        "description": _("Map people, record visits and activities, also without a signal."),
        "start_url": reverse("field-app"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b5d3b",
        "lang": request.LANGUAGE_CODE,
        "icons": [
            {"src": static("field/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("field/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        ],
    }
    response = JsonResponse(data, content_type="application/manifest+json")
    response["Cache-Control"] = "no-cache"
    return response
