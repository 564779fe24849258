"""Writing many rows without model instances: COPY on PostgreSQL, one prepared
statement in chunks elsewhere (SQLite has no COPY).

For loads of tens of thousands of rows and more (regions, import staging, summaries),
where building a model instance per row costs more than the write itself. Table and
column names come from model metadata, never from input; values are parameters.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection
from django.db.backends.utils import CursorWrapper

CHUNK = 5000


def insert_rows(cursor: CursorWrapper, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Insert `rows` (tuples in the order of `columns`) into `table`."""
    quote = connection.ops.quote_name
    column_list = ", ".join(quote(column) for column in columns)
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {quote(table)} ({column_list}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    placeholders = ", ".join(["%s"] * len(columns))
    statement = f"INSERT INTO {quote(table)} ({column_list}) VALUES ({placeholders})"  # noqa: S608
    batch: list[Sequence[Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= CHUNK:
            cursor.executemany(statement, batch)
            batch = []
    if batch:
        cursor.executemany(statement, batch)
