"""Region-scoped access: the one rule every page, API view, export, report and job uses.

A role sees its region and everything below it, and nothing else. A user with no
role, or an anonymous user, sees nothing. National roles (pusat, admin) see all.

Scope is decided from the dotted area codes alone: region `18.01` contains `18.01`
itself and every code that starts with `18.01.`; the trailing dot keeps `18.01`
from matching `18.010`. Codes are stored with a C collation on PostgreSQL, so the
prefix match is byte-wise whatever the database collation.

Models that belong to a place use `RegionScopedQuerySet` and call
`visible_to(user)`; other querysets (users, for instance, who belong to places
through their roles) build on `scope_filter`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Self

from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from pilar.accounts.models import User


class Scope:
    """The set of region codes a user may see: everything, nothing, or some subtrees."""

    def __init__(self, *, everything: bool, roots: frozenset[str]) -> None:
        self.everything = everything
        # Drop roots already covered by another root: `18` makes `18.01` redundant.
        self.roots = frozenset(
            code for code in roots if not any(contains(other, code) for other in roots if other != code)
        )

    @classmethod
    def for_user(cls, user: Any) -> Scope:
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return cls(everything=False, roots=frozenset())
        assignments = user.active_role_assignments()
        if any(assignment.region_id is None for assignment in assignments):
            return cls(everything=True, roots=frozenset())
        return cls(
            everything=False,
            roots=frozenset(assignment.region_id for assignment in assignments),
        )

    @property
    def is_empty(self) -> bool:
        return not self.everything and not self.roots

    def includes(self, code: str | None) -> bool:
        if self.everything:
            return True
        if code is None:
            return False
        return any(contains(root, code) for root in self.roots)

    def filter(self, field: str) -> Q:
        """A Q object that keeps rows whose `field` (a region code) is inside this scope.

        The caller must handle `everything` and `is_empty` first: there is no
        portable Q for "all rows" that keeps NULL codes, nor for "no rows".
        """
        condition = Q()
        for root in sorted(self.roots):
            condition |= subtree(field, root)
        return condition


def subtree(field: str, code: str) -> Q:
    """A Q object for rows whose `field` (a region code) is `code` or lies below it."""
    return Q(**{field: code}) | Q(**{f"{field}__startswith": f"{code}."})


def within(field: str, roots: Iterable[str]) -> Q:
    """A Q object for rows whose `field` lies in one of `roots`; no rows for no roots."""
    condition = Q(pk__in=[])
    for code in roots:
        condition |= subtree(field, code)
    return condition


def subtree_sql(column: str, roots: list[str]) -> tuple[str, list[str]]:
    """Raw SQL for "`column` (a region code) lies in one of `roots`", with its
    parameters; FALSE for no roots. For set-based statements that the ORM cannot
    write; codes hold only digits and dots, so LIKE needs no escaping."""
    if not roots:
        return "FALSE", []
    parts, params = [], []
    for root in sorted(roots):
        parts.append(f"{column} = %s OR {column} LIKE %s")
        params += [root, f"{root}.%"]
    return "(" + " OR ".join(parts) + ")", params


def contains(ancestor: str, code: str) -> bool:
    """True when `code` is `ancestor` or lies below it."""
    return code == ancestor or code.startswith(ancestor + ".")


def scope_filter(queryset: models.QuerySet[Any], user: Any, *, field: str) -> models.QuerySet[Any]:
    """Restrict `queryset` to rows whose `field` holds a region code inside the user's scope."""
    scope = Scope.for_user(user)
    if scope.everything:
        return queryset
    if scope.is_empty:
        return queryset.none()
    return queryset.filter(scope.filter(field))


class RegionScopedQuerySet(models.QuerySet):
    """For models with a `region` foreign key (whose key is the area code)."""

    region_field = "region__code"

    def visible_to(self, user: User | Any) -> Self:
        return scope_filter(self, user, field=self.region_field)  # type: ignore[return-value]
