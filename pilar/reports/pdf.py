"""Recaps and dashboards as printable PDF (WeasyPrint, A4): the same figures as the
page, as tables."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import HttpResponse
from django.utils import timezone

from pilar.core.pdf import render_pdf


def pdf_response(template: str, context: dict[str, Any], filename: str) -> HttpResponse:
    content = render_pdf(template, {**context, "generated": timezone.localtime()})
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    return response


def table_pdf(title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]], filename: str) -> HttpResponse:
    return pdf_response("reports/table_pdf.html", {"title": title, "headers": headers, "rows": rows}, filename)
