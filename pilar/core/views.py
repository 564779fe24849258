from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from pilar.core.versions import FIELD, side_by_side, version_of


def edit_version(request: HttpRequest, instance: models.Model | None) -> str:
    """The version an edit form carries: the one it was opened at when it comes back."""
    if request.method == "POST":
        return request.POST.get(FIELD, "")
    return version_of(instance) if instance is not None and instance.pk else ""


def stale_edit(
    request: HttpRequest, template: str, context: dict[str, Any], *, form: Any, current: models.Model
) -> HttpResponse:
    """The edit form again, as its author filled it in, beside the values someone else
    saved meanwhile (409); with the current version, so sending it again is a choice."""
    messages.error(
        request,
        _(
            "Someone saved a change to this record after you opened the form. Nothing of yours was saved: "
            "compare the two versions below, then save again."
        ),
    )
    saved = {name: getattr(current, name) for name in form.fields if hasattr(current, name)}
    context = {**context, "form": form, "version": version_of(current), "conflict": side_by_side(form, saved)}
    return render(request, template, context, status=409)


@login_not_required
def health(request: HttpRequest) -> JsonResponse:
    """For the load balancer: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def transfer_step(request: HttpRequest, step: Callable[[], object], *, success: str, back: str) -> HttpResponse:
    """One step of a transfer request (asking for it, deciding it) from its page: the
    refusal or the success as a message, then back to the list of requests."""
    try:
        step()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect(back)
