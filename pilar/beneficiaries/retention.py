"""Retention (UU PDP 27/2022 art. 43): personal data is kept while it serves the
person. PILAR_RETENTION_YEARS after a person's last activity (their record changed,
a PPKS record's status, a case closed) with every PPKS record finished or rejected,
no open case and no legal obligation to keep them, the registry proposes them to the
Dinsos operators of their area, who confirm the anonymisation in bulk
(pilar.beneficiaries.erasure; each one a request of the register)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import DateTimeField, Max, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pilar.beneficiaries.erasure import request_erasure
from pilar.beneficiaries.models import Person, PersonQuerySet, PpksStatus, SubjectRequestStatus
from pilar.cases.models import OPEN_STATUSES

RETENTION_GROUND = "UU 27/2022 pasal 43"
UNFINISHED = (PpksStatus.REPORTED, PpksStatus.VERIFIED, PpksStatus.HANDLED)


def cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    """Activity before this is older than the retention period."""
    now = now or timezone.now()
    try:
        return now.replace(year=now.year - settings.PILAR_RETENTION_YEARS)
    except ValueError:  # 29 February
        return now.replace(year=now.year - settings.PILAR_RETENTION_YEARS, day=28)


def proposals(user: Any, *, now: datetime.datetime | None = None) -> PersonQuerySet:
    """The people of `user`'s area whose retention period has passed, oldest activity
    first, each with its `last_activity`."""
    before = cutoff(now)
    never = Value(datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC), output_field=DateTimeField())
    return (
        Person.objects.visible_to(user)
        .current()
        .filter(legal_hold="", updated_at__lt=before)
        .exclude(ppks_records__status__in=UNFINISHED)
        .exclude(ppks_records__status_changed_at__gte=before)
        .exclude(cases__status__in=OPEN_STATUSES)
        .exclude(cases__closed_at__gte=before)
        .annotate(
            last_activity=Greatest(
                "updated_at",
                Coalesce(Max("ppks_records__status_changed_at"), never),
                Coalesce(Max("cases__closed_at"), never),
            )
        )
        .order_by("last_activity", "pk")
    )


def confirm(user: Any, ids: Iterable[int], *, now: datetime.datetime | None = None) -> int:
    """Anonymise those of `ids` still proposed to `user` (a person who became active
    again since the page was shown is left); how many were."""
    erased = 0
    for person in proposals(user, now=now).filter(pk__in=list(ids)):
        note = _(
            "Proposed by Pilar: no activity since %(day)s; the retention period of %(years)s years has passed."
        ) % {
            "day": date_format(timezone.localtime(person.last_activity), "j F Y"),
            "years": settings.PILAR_RETENTION_YEARS,
        }
        decided = request_erasure(person, note=note, ground=RETENTION_GROUND, acting_user=user)
        erased += decided.status == SubjectRequestStatus.GRANTED
    return erased
