"""PPKS counts per kecamatan x type, kept in `PpksSummary`.

Every service that creates a record, changes its status or moves it calls
`refresh_districts` with the kecamatan it touched, in the same transaction; the
importer calls it once with every kecamatan of the file. A refresh recounts the
kecamatan from its records (a few thousand rows at most, through the index on
region), so the summary is exact after every commit rather than adjusted by
increments that could drift. Concurrent refreshes of one kecamatan are serialised by
locking its region row (FOR NO KEY UPDATE, which leaves foreign-key checks free).

`rebuild_all` recounts everything (`pilar rebuild_ppks_summaries`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, Q
from django.db.models.functions import Substr

from pilar.beneficiaries.models import COUNTED_STATUSES, PpksRecord, PpksStatus, PpksSummary
from pilar.core.bulk import insert_rows
from pilar.core.scoping import subtree
from pilar.regions.models import Region

DISTRICT_CODE_LENGTH = len("18.01.04")
# At most this many index ranges (kecamatan, else regencies, else provinces) per recount.
RANGE_QUERIES_UP_TO = 50
CHUNK = 1000

STATUS_FIELDS = {
    PpksStatus.REPORTED: "reported",
    PpksStatus.VERIFIED: "verified",
    PpksStatus.HANDLED: "handled",
    PpksStatus.DONE: "done",
}


def district_of(village_code: str) -> str:
    return village_code[:DISTRICT_CODE_LENGTH]


def _covering_prefixes(codes: list[str]) -> list[str]:
    """At most RANGE_QUERIES_UP_TO area codes whose subtrees hold these kecamatan: the
    kecamatan themselves, else their regencies, else their provinces."""
    for length in (DISTRICT_CODE_LENGTH, len("18.01"), len("18")):
        prefixes = sorted({code[:length] for code in codes})
        if len(prefixes) <= RANGE_QUERIES_UP_TO:
            return prefixes
    return prefixes


def _counts(codes: list[str]) -> dict[tuple[str, str], dict[str, int]]:
    """Counts by (kecamatan, type) and status, read through the region index: one range
    per kecamatan, regency or province covering them (see `_covering_prefixes`)."""
    condition = Q()
    for prefix in _covering_prefixes(codes):
        condition |= Q(region__code__startswith=f"{prefix}.")
    rows = PpksRecord.objects.filter(condition, status__in=COUNTED_STATUSES)
    grouped = (
        rows.annotate(district=Substr("region_id", 1, DISTRICT_CODE_LENGTH))
        .values_list("district", "category", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    wanted = set(codes)
    for district, category, status, n in grouped:
        if district in wanted:
            counts[(district, category)][STATUS_FIELDS[status]] = n
    return counts


def refresh_districts(codes: Iterable[str]) -> None:
    """Recount the summaries of these kecamatan (codes of villages are accepted too)."""
    districts = sorted({district_of(code) for code in codes if len(code) >= DISTRICT_CODE_LENGTH})
    if not districts:
        return
    with transaction.atomic():
        for start in range(0, len(districts), CHUNK):
            chunk = districts[start : start + CHUNK]
            list(Region.objects.select_for_update(no_key=True).filter(code__in=chunk).values_list("code"))
        counts = _counts(districts)
        for start in range(0, len(districts), CHUNK):
            PpksSummary.objects.filter(district_id__in=districts[start : start + CHUNK]).delete()
        # A national import recounts some 100,000 (kecamatan, type) pairs: written
        # without model instances.
        fields = list(STATUS_FIELDS.values())
        with connection.cursor() as cursor:
            insert_rows(
                cursor,
                PpksSummary._meta.db_table,
                ["district_id", "category", *fields, "total"],
                (
                    (district, category, *(by_status.get(name, 0) for name in fields), sum(by_status.values()))
                    for (district, category), by_status in sorted(counts.items())
                ),
            )


def rebuild_all() -> int:
    """Recount every kecamatan; the number of summary rows written."""
    with transaction.atomic():
        PpksSummary.objects.all().delete()
        districts = (
            PpksRecord.objects.annotate(district=Substr("region_id", 1, DISTRICT_CODE_LENGTH))
            .values_list("district", flat=True)
            .distinct()
            .order_by()
        )
        refresh_districts(list(districts))
        return PpksSummary.objects.count()


def summaries_within(code: str | None):  # type: ignore[no-untyped-def]
    rows = PpksSummary.objects.all()
    return rows if code is None else rows.filter(subtree("district__code", code))
