"""The participants' list of a pengukuhan, as the office prints it for the ceremony and
its archive: under the office's letterhead, every PSM confirmed with their village, and
room for their signature."""

from __future__ import annotations

from django.http import HttpResponse

from pilar.audit.models import AccessAction
from pilar.core.http import AuthenticatedHttpRequest
from pilar.reports.pdf import pdf_response
from pilar.workforce.views import visible_inauguration


def inauguration_pdf(request: AuthenticatedHttpRequest, inauguration_id: int) -> HttpResponse:
    inauguration, participants = visible_inauguration(request, inauguration_id, action=AccessAction.EXPORT)
    return pdf_response(
        "reports/inauguration_pdf.html",
        {"inauguration": inauguration, "participants": participants},
        f"pengukuhan-{inauguration.date:%Y-%m-%d}-{inauguration.region_id}",
        user=request.user,
    )
