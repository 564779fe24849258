"""Printable documents (A4) from templates, by WeasyPrint: monthly reports, recaps,
dashboards. One place that loads Pango, and only when a PDF is asked for."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # loading Pango is slow; only PDFs need it

    return HTML(string=render_to_string(template, context)).write_pdf()
