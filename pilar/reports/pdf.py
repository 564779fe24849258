"""Recaps and dashboards as printable PDF (WeasyPrint, A4): the same figures as the
page, as tables."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone


def pdf_response(template: str, context: dict[str, Any], filename: str) -> HttpResponse:
    from weasyprint import HTML  # loading Pango is slow; only PDFs need it

    html = render_to_string(template, {**context, "generated": timezone.localtime()})
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    return response


def table_pdf(title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]], filename: str) -> HttpResponse:
    return pdf_response("reports/table_pdf.html", {"title": title, "headers": headers, "rows": rows}, filename)
