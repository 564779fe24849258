"""Backups that are proven to restore: `pilar backup --output FILE` and
`pilar restore FILE`.

A backup is one tar file:
- `database.dump` (PostgreSQL, pg_dump's custom format) or `database.sqlite3` (SQLite,
  through its online backup API, consistent while Pilar runs);
- `files/`: everything under MEDIA_ROOT (photos, attachments, uploads, exports);
- `manifest.json`: the engine, when, and the row count and checksum of every table and
  the checksum of every file.

A restore goes into an empty database and an empty files folder only, then counts and
checksums everything again against the manifest, and fails loudly on any difference."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

MANIFEST = "manifest.json"
FILES = "files"
DUMPS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}


class BackupError(Exception):
    """A backup or restore that cannot go on, with the reason."""


@dataclass(frozen=True)
class TableSum:
    rows: int
    checksum: str


def tables() -> list[str]:
    with connection.cursor() as cursor:
        return sorted(connection.introspection.table_names(cursor))


def _ordered_rows(table: str) -> Iterator[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        columns = connection.introspection.get_primary_key_columns(cursor, table) or []
        quote = connection.ops.quote_name
        order = ", ".join(quote(column) for column in columns) or "1"
        cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {order}")  # noqa: S608 (names from introspection)
        while batch := cursor.fetchmany(2000):
            yield from batch


def table_sums() -> dict[str, TableSum]:
    """Every table's row count and a checksum of its rows in key order."""
    sums = {}
    for table in tables():
        digest = hashlib.sha256()
        count = 0
        for row in _ordered_rows(table):
            values = tuple(value.hex() if isinstance(value, bytes | memoryview) else value for value in row)
            digest.update(repr(values).encode())
            count += 1
        sums[table] = TableSum(count, digest.hexdigest())
    return sums


def file_sums(root: Path) -> dict[str, str]:
    if not root.exists():
        return {}
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _postgres_url() -> str:
    database = settings.DATABASES["default"]
    user, password = database.get("USER") or "", database.get("PASSWORD") or ""
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host, port = database.get("HOST") or "localhost", database.get("PORT") or "5432"
    return f"postgresql://{credentials}{host}:{port}/{database['NAME']}"


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 (our own command)
    if result.returncode != 0:
        raise BackupError(f"{command[0]}: {result.stderr.strip()}")


def _dump_database(target: Path) -> None:
    if connection.vendor == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}", _postgres_url()])
    else:
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()


def summary() -> dict[str, Any]:
    media = Path(settings.MEDIA_ROOT)
    return {
        "tables": {name: {"rows": table.rows, "checksum": table.checksum} for name, table in table_sums().items()},
        "files": file_sums(media),
    }


def backup(output: Path) -> dict[str, Any]:
    """Write the backup to `output`; its manifest."""
    if connection.vendor not in DUMPS:
        raise BackupError(_("Backups know PostgreSQL and SQLite only."))
    manifest = {"engine": connection.vendor, "made_at": timezone.now().isoformat(), **summary()}
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as scratch:
        dump = Path(scratch) / DUMPS[connection.vendor]
        _dump_database(dump)
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w") as archive:
            encoded = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(encoded)
            archive.addfile(info, io.BytesIO(encoded))
            archive.add(dump, arcname=dump.name)
            for name in manifest["files"]:
                archive.add(media / name, arcname=f"{FILES}/{name}")
        partial.replace(output)  # a backup file is whole or absent
    return manifest


def _is_empty() -> bool:
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def restore(source: Path) -> dict[str, Any]:
    """Restore `source` into the configured (empty) database and files folder, then
    check every count and checksum against its manifest; the manifest."""
    media = Path(settings.MEDIA_ROOT)
    if not _is_empty():
        raise BackupError(_("The database is not empty: restore only into a new, empty database."))
    if media.exists() and any(media.iterdir()):
        raise BackupError(_("The files folder %(path)s is not empty.") % {"path": media})
    with tarfile.open(source, "r") as archive, tempfile.TemporaryDirectory() as scratch:
        archive.extractall(scratch, filter="data")
        manifest = json.loads((Path(scratch) / MANIFEST).read_text())
        if manifest["engine"] != connection.vendor:
            raise BackupError(
                _("This backup is of a %(engine)s database; restore it into one.") % {"engine": manifest["engine"]}
            )
        dump = Path(scratch) / DUMPS[connection.vendor]
        if connection.vendor == "postgresql":
            _run(
                [
                    "pg_restore",
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    f"--dbname={_postgres_url()}",
                    str(dump),
                ]
            )
        else:
            connection.ensure_connection()
            with sqlite3.connect(dump) as copy:
                copy.backup(connection.connection)
            copy.close()
        if (Path(scratch) / FILES).exists():
            media.mkdir(parents=True, exist_ok=True)
            shutil.copytree(Path(scratch) / FILES, media, dirs_exist_ok=True)
    connection.close()  # the restored schema is read afresh
    found = summary()
    if found["tables"] != manifest["tables"] or found["files"] != manifest["files"]:
        differ = sorted(
            name
            for name in set(found["tables"]) | set(manifest["tables"])
            if found["tables"].get(name) != manifest["tables"].get(name)
        ) + sorted(set(found["files"]) ^ set(manifest["files"]))
        raise BackupError(_("The restore differs from the backup: %(names)s.") % {"names": ", ".join(differ)})
    return manifest
