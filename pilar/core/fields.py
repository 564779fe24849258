from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper


class RegionCodeField(models.CharField):
    """A dotted Kemendagri area code (`18`, `18.01`, `18.01.01`, `18.01.01.2001`).

    On PostgreSQL the column uses the "C" collation so that ordering and prefix
    matching are byte-wise whatever the database's default collation, and a plain
    b-tree index serves `LIKE '18.01.%'`. SQLite compares bytes already. Foreign keys
    to a region take the same collation (Django copies it from the target field).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 13)
        super().__init__(*args, **kwargs)

    def db_parameters(self, connection: BaseDatabaseWrapper) -> dict[str, Any]:
        parameters = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            parameters["collation"] = "C"
        return parameters
