"""The restore drill (issue 18, point 8): a database filled with every kind of record
the demo makes, and stored files, is backed up, restored by `pilar restore` in a
process of its own into a new database and a new files folder, and found equal: the
same rows in every table, the same checksums, the same files."""

import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from pilar.activities import services as activities
from pilar.activities.demo import ensure_demo_activities
from pilar.activities.models import Activity
from pilar.beneficiaries.demo import ensure_demo_ppks
from pilar.cases import services as cases
from pilar.cases.demo import ensure_demo_cases
from pilar.cases.models import Case
from pilar.core.backup import BackupError, backup, restore, summary
from pilar.core.demo import ensure_demo_accounts
from pilar.workforce.demo import ensure_demo_registry
from tests.images import PNG

ROOT = Path(__file__).resolve().parent.parent


def on_disk(settings: Any, tmp_path: Path) -> None:
    """Stored files on disk, as in production (the tests otherwise keep them in memory)."""
    settings.MEDIA_ROOT = str(tmp_path / "files")
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}


@pytest.fixture
def new_database(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment of a Pilar process on a new, empty database and files folder."""
    env = {**os.environ, "PILAR_DEBUG": "true", "PILAR_DATA_DIR": str(tmp_path / "restored")}
    if connection.vendor == "sqlite":
        env.pop("DATABASE_URL", None)
        yield env
        return
    database = settings.DATABASES["default"]
    name = f"pilar_restore_{uuid.uuid4().hex[:8]}"
    server = f"postgresql://{database['USER']}@{database['HOST']}:{database['PORT']}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = f"{server}/{name}"
    yield env
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def restored_counts(env: dict[str, str]) -> dict[str, int]:
    """Row counts read straight from the restored database, not through Pilar."""
    if "DATABASE_URL" not in env:
        with sqlite3.connect(Path(env["PILAR_DATA_DIR"]) / "pilar.sqlite3") as database:
            names = [row[0] for row in database.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            return {
                name: database.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
                for name in names
                if not name.startswith("sqlite_")
            }
    with psycopg.connect(env["DATABASE_URL"]) as database:
        names = [row[0] for row in database.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        return {name: database.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_with_every_count_and_checksum_equal(  # type: ignore[no-untyped-def]
    lampung, tmp_path, settings, new_database
) -> None:
    on_disk(settings, tmp_path)
    ensure_demo_accounts()
    ensure_demo_registry()
    ensure_demo_ppks()
    ensure_demo_cases()
    ensure_demo_activities()
    case = Case.objects.filter(status="terbuka").first()
    cases.add_attachment(
        case, expected_version=case.version, upload=SimpleUploadedFile("rumah.png", PNG), acting_user=None
    )
    activities.add_photo(Activity.objects.first(), upload=SimpleUploadedFile("kegiatan.png", PNG), acting_user=None)
    before = summary()
    archive = tmp_path / "pilar.backup"

    manifest = backup(archive)
    restored = subprocess.run(  # noqa: S603 (our own command)
        [sys.executable, "-m", "config.cli", "restore", str(archive)],
        env=new_database,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )

    assert restored.returncode == 0, restored.stderr
    assert "setiap jumlah dan checksum sama dengan cadangannya" in restored.stdout
    assert manifest["tables"] == before["tables"]
    assert restored_counts(new_database) == {name: table["rows"] for name, table in before["tables"].items()}
    filled = [name for name, table in before["tables"].items() if table["rows"]]
    assert len(filled) >= 50
    assert len(before["files"]) == 2
    restored_files = Path(new_database["PILAR_DATA_DIR"]) / "files"
    assert sorted(path.relative_to(restored_files).as_posix() for path in restored_files.rglob("*.png")) == sorted(
        before["files"]
    )


@pytest.mark.django_db(transaction=True)
def test_a_restore_into_a_database_in_use_is_refused_and_changes_nothing(  # type: ignore[no-untyped-def]
    people: Any, tmp_path, settings
) -> None:
    on_disk(settings, tmp_path)
    archive = tmp_path / "pilar.backup"
    backup(archive)
    before = summary()

    with pytest.raises(BackupError, match="Basis data tidak kosong"):
        restore(archive)

    assert summary() == before
