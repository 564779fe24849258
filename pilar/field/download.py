"""The field download: what a PSM's or TKSK's phone keeps for offline work.

It holds the people of the worker's field regions (see `scope`) with their PPKS
records, and the open cases the worker accompanies there (`cases.policy.accompanies`) with their
last visits; never
anything outside those regions, and NIKs masked as the worker's role sees them.

The first download is whole. Each answer carries a `token` (signed: when it was made
and for which regions); a download with that token is incremental: it sends only the
people and cases that changed since, and the ids of everything the worker may still
hold (`keep`), so the phone drops whatever left the scope (a move, a merge, an
escalated or closed case). A token made for other regions (the worker's assignment
changed) or a broken one gives a whole download.

"Changed since" is read from the stored timestamps (a person's `updated_at`, a PPKS
record's report and status times, a case's opening and events), less `OVERLAP`: a
write whose transaction commits after the download started is still seen the next
time. A record sent twice costs a few bytes; a record missed would be wrong.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from pilar.beneficiaries import policy as people_policy
from pilar.beneficiaries.models import Person, PpksRecord
from pilar.cases import policy as case_policy
from pilar.cases.models import OPEN_STATUSES, Case, CaseEvent, EventKind
from pilar.core.identity import mask_nik
from pilar.core.scoping import within
from pilar.core.versions import version_of
from pilar.field.scope import field_regions, scope_digest
from pilar.regions.models import Region, RegionLevel

OVERLAP = datetime.timedelta(minutes=5)
LAST_VISITS = 3
SALT = "pilar.field.download"


@dataclass(frozen=True)
class Download:
    data: dict[str, Any]
    person_ids: list[int]  # the people sent in full, for the access log


def people_in_scope(user: Any) -> QuerySet[Person]:
    regions = field_regions(user)
    return Person.objects.visible_to(user).filter(within("village__code", regions), merged_into__isnull=True)


def cases_in_scope(user: Any) -> QuerySet[Case]:
    regions = field_regions(user)
    return Case.objects.visible_to(user).filter(
        case_policy.accompanied_filter(user), within("region__code", regions), status__in=OPEN_STATUSES
    )


def read_token(token: str, user: Any) -> datetime.datetime | None:
    """When the download that made `token` started, less the overlap; None when the
    token is missing, broken, or made for another user or other regions."""
    if not token:
        return None
    try:
        payload = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("s") != scope_digest(user):
        return None
    try:
        started = datetime.datetime.fromisoformat(str(payload.get("t")))
    except ValueError:
        return None
    return started - OVERLAP


def _person(person: Person, full_nik: bool) -> dict[str, Any]:
    return {
        "id": person.pk,
        "version": version_of(person),
        "nik": (person.nik if full_nik else mask_nik(person.nik)) if person.nik else "",
        "full_name": person.full_name,
        "sex": person.sex,
        "birth_place": person.birth_place,
        "birth_date": person.birth_date.isoformat() if person.birth_date else "",
        "village": person.village_id,
        "address": person.address,
        "phone": person.phone,
        "disability": person.disability,
        "ppks": [
            {
                "id": record.pk,
                "category": record.category,
                "status": record.status,
                "status_label": record.get_status_display(),
                "conditions": record.conditions,
            }
            for record in person.ppks_records.all()
        ],
    }


def _case(case: Case, user: Any) -> dict[str, Any]:
    story = case_policy.can_read_story(user, case)
    visits = [event for event in case.events.all() if event.kind == EventKind.VISIT][-LAST_VISITS:]
    return {
        "id": case.pk,
        "version": case.version,
        "person": case.person_id,
        "subject": str(case.person or case.household or ""),
        "village": case.region_id,
        "status": case.status,
        "status_label": case.get_status_display(),
        "priority": case.priority,
        "priority_label": case.get_priority_display(),
        "opened_at": case.opened_at.isoformat(),
        "due_at": case.due_at.isoformat() if case.due_at else "",
        "is_overdue": case.is_overdue(),
        "summary": case.summary if story else "",
        "visits": [
            {
                "happened_on": event.happened_on.isoformat() if event.happened_on else "",
                "place": event.place if story else "",
                "text": event.text if story else "",
                "next_step": event.next_step if story else "",
                "photo": story and getattr(event, "attachment", None) is not None,
            }
            for event in visits
        ],
    }


VISITS = CaseEvent.objects.filter(kind=EventKind.VISIT)
RECORDS = PpksRecord.objects.order_by("category", "pk")


def field_download(user: Any, token: str = "") -> Download:
    started = timezone.now()
    since = read_token(token, user)
    full_nik = people_policy.can_see_full_nik(user)
    people = people_in_scope(user)
    cases = cases_in_scope(user)
    changed_people = people
    changed_cases = cases
    if since is not None:
        touched = PpksRecord.objects.filter(person=OuterRef("pk")).filter(
            Q(reported_at__gte=since) | Q(status_changed_at__gte=since)
        )
        changed_people = people.filter(Q(updated_at__gte=since) | Exists(touched))
        events = CaseEvent.objects.filter(case=OuterRef("pk"), at__gte=since)
        changed_cases = cases.filter(Q(opened_at__gte=since) | Exists(events))
    sent_people = list(
        changed_people.prefetch_related(Prefetch("ppks_records", RECORDS)).order_by("village_id", "search_name", "pk")
    )
    sent_cases = list(
        changed_cases.select_related("person", "household")
        .prefetch_related(Prefetch("events", VISITS.select_related("attachment").order_by("at", "pk")))
        .order_by("due_at", "pk")
    )
    regions = field_regions(user)
    villages = (
        Region.objects.filter(within("code", regions), level=RegionLevel.VILLAGE, is_active=True)
        .order_by("name", "code")
        .values_list("code", "name")
    )
    data = {
        "token": signing.dumps({"t": started.isoformat(), "s": scope_digest(user)}, salt=SALT),
        "full": since is None,
        "generated_at": started.isoformat(),
        "user": user.pk,
        "regions": regions,
        "villages": [{"code": code, "name": name} for code, name in villages],
        "people": [_person(person, full_nik) for person in sent_people],
        "cases": [_case(case, user) for case in sent_cases],
        "keep": {
            "people": list(people.order_by("pk").values_list("pk", flat=True)),
            "cases": list(cases.order_by("pk").values_list("pk", flat=True)),
        },
    }
    return Download(data=data, person_ids=[person.pk for person in sent_people])
