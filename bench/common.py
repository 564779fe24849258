"""What the benchmarks share: a throwaway database with the test settings."""

import contextlib
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.db import connection
from django.test.utils import setup_test_environment


@contextlib.contextmanager
def throwaway_database() -> Iterator[None]:
    """A fresh database (migrated, empty) for the benchmark, dropped afterwards; never
    the demo's or production's. SQLite uses a file, as the demo does."""
    setup_test_environment()
    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
