"""The participants' list of a pengukuhan, as the office prints it for the ceremony and
its archive: under the office's letterhead, every PSM confirmed with their village, and
room for their signature."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from pilar.audit.access import record_access
from pilar.audit.models import AccessAction
from pilar.core.http import AuthenticatedHttpRequest
from pilar.reports.pdf import pdf_response
from pilar.workforce.models import Inauguration, Worker
from pilar.workforce.views import inauguration_participants


def inauguration_pdf(request: AuthenticatedHttpRequest, inauguration_id: int) -> HttpResponse:
    inauguration = get_object_or_404(
        Inauguration.objects.visible_to(request.user).select_related("region"), pk=inauguration_id
    )
    participants = inauguration_participants(inauguration)
    record_access(
        user=request.user,
        action=AccessAction.EXPORT,
        model=Worker,
        ids=[engagement.worker_id for engagement in participants],
        path=request.path,
    )
    return pdf_response(
        "reports/inauguration_pdf.html",
        {"inauguration": inauguration, "participants": participants},
        f"pengukuhan-{inauguration.date:%Y-%m-%d}-{inauguration.region_id}",
        user=request.user,
    )
