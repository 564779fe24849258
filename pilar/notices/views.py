from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pilar.core.http import AuthenticatedHttpRequest
from pilar.notices import services
from pilar.notices.models import Notice

PAGE_SIZE = 25


def notice_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """One's own notices, newest first; the unread ones marked; read all at once."""
    if request.method == "POST":
        services.mark_read(request.user)
        return redirect("notices:list")
    page = Paginator(Notice.objects.filter(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(notice, services.describe(notice)) for notice in page.object_list]
    return render(request, "notices/list.html", {"page": page, "rows": rows})


@require_POST
def email_choice(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Whether one's notifications and notices also come by e-mail."""
    user = request.user
    user.email_notices = request.POST.get("email_notices") == "on"
    user.save(update_fields=["email_notices"])
    if user.email_notices:
        messages.success(request, _("Notifications also come by e-mail to %(email)s.") % {"email": user.email or "—"})
    else:
        messages.success(request, _("Notifications stay in the app; no e-mail is sent."))
    return redirect("notices:list")
