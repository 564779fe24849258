"""Recaps and dashboards as printable PDF (WeasyPrint, A4) under the viewer's office
letterhead: the same figures as the page, as tables.

A table wider than a portrait page prints in landscape; one wider than a landscape
page prints in parts, each repeating the leading columns (the region, and the total
where there is one), so that every column is on paper at a readable size."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.utils import formats, timezone

from pilar.activities.documents import office_letterhead
from pilar.core.pdf import render_pdf
from pilar.core.tabular import Value

# Up to this many columns a table fits a portrait page.
PORTRAIT_COLUMNS = 7
# Columns of figures that one part of a landscape table holds beside the leading ones.
FIGURES_PER_PART = 13


@dataclass(frozen=True)
class Column:
    """A column of a recap: `key` heads the spreadsheet (stable, for machines), `title`
    the printed table (for people)."""

    key: str
    title: str
    number: bool = True


@dataclass(frozen=True)
class Cell:
    text: str
    number: bool


@dataclass(frozen=True)
class TablePart:
    columns: list[Column]
    rows: list[list[Cell]]


def printed(value: Value) -> str:
    """A figure as the page's language writes it: 3.122 and 33,3 in Indonesian."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return formats.number_format(value, decimal_pos=1 if isinstance(value, float) else None, force_grouping=True)


def table_parts(columns: Sequence[Column], rows: Sequence[Sequence[Value]], *, leading: int) -> list[TablePart]:
    """The table cut into parts of at most FIGURES_PER_PART columns after the
    `leading` ones, as evenly as possible (26 PPKS types: two parts of 13)."""
    figures = len(columns) - leading
    count = max(1, math.ceil(figures / FIGURES_PER_PART))
    size = math.ceil(figures / count) if figures else 0
    parts = []
    for number in range(count):
        chosen = [*range(leading), *range(leading + number * size, min(len(columns), leading + (number + 1) * size))]
        parts.append(
            TablePart(
                columns=[columns[index] for index in chosen],
                rows=[[Cell(printed(row[index]), columns[index].number) for index in chosen] for row in rows],
            )
        )
    return parts


def pdf_response(template: str, context: dict[str, Any], filename: str, *, user: Any) -> HttpResponse:
    content = render_pdf(
        template, {**context, "letterhead": office_letterhead(user), "generated": timezone.localtime()}
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    return response


def table_pdf(
    title: str,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Value]],
    filename: str,
    *,
    user: Any,
    leading: int = 2,
    total: Sequence[Value] | None = None,
) -> HttpResponse:
    """`rows` under `columns`, and the `total` line (if any) at the foot of each part."""
    lines = [*rows, *([total] if total is not None else [])]
    parts = table_parts(columns, lines, leading=leading)
    context = {
        "title": title,
        "landscape": len(columns) > PORTRAIT_COLUMNS,
        "parts": [(part.columns, part.rows[: len(rows)], part.rows[len(rows) :]) for part in parts],
    }
    return pdf_response("reports/table_pdf.html", context, filename, user=user)
