from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper


class BytewiseCharField(models.CharField):
    """Text that is compared byte by byte: codes and keys nobody reads in the
    alphabetical order of a language (area codes, NIK, family card numbers, spelling
    keys, PPKS codes, statuses).

    On PostgreSQL the column uses the "C" collation, whatever the database's default:
    sorting, grouping and indexing compare bytes instead of applying the locale's
    rules (several times faster on a million rows), and a plain b-tree index serves
    `LIKE 'prefix%'`. SQLite compares bytes already. Foreign keys to such a field take
    the same collation (Django copies it from the target field).
    """

    def db_parameters(self, connection: BaseDatabaseWrapper) -> dict[str, Any]:
        parameters = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            parameters["collation"] = "C"
        return parameters


class RegionCodeField(BytewiseCharField):
    """A dotted Kemendagri area code (`18`, `18.01`, `18.01.01`, `18.01.01.2001`),
    ordered and prefix-matched byte-wise."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 13)
        super().__init__(*args, **kwargs)
