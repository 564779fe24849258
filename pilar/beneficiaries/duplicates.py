"""Probable duplicates: people who may be one person recorded twice.

A NIK already makes one person (the database enforces it). Without one, two rows are
proposed for review when:
- they live in the same village, were born on the same day, and their names are
  similar (rapidfuzz ratio of the spelling keys at least `SIMILAR`), or
- they share the name (spelling key), the birth date and the family card number,
  wherever they live.
Pairs where both have a NIK (two different NIKs are two people), pairs someone
already decided are not the same person, and merged people are never proposed.
Blocks are found by grouping in the database; names are compared only inside a block.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

from django.db.models import Count, QuerySet
from rapidfuzz import fuzz

from pilar.beneficiaries.models import DuplicateDecision, Person

SIMILAR = 85
MAX_BLOCKS = 500


@dataclass(frozen=True)
class Candidate:
    first: Person
    second: Person
    reason: str  # "similar_name" | "same_family_card"
    score: int


def _decided(pairs: set[tuple[int, int]]) -> set[tuple[int, int]]:
    if not pairs:
        return set()
    firsts = {first for first, _second in pairs}
    return set(DuplicateDecision.objects.filter(first_id__in=firsts).values_list("first_id", "second_id")) & pairs


def probable_duplicates(people: QuerySet[Person]) -> list[Candidate]:
    current = people.filter(merged_into__isnull=True, birth_date__isnull=False)
    found: dict[tuple[int, int], Candidate] = {}

    village_blocks = list(
        current.values_list("village_id", "birth_date").annotate(n=Count("pk")).filter(n__gt=1).order_by()[:MAX_BLOCKS]
    )
    by_block: dict[tuple[str, object], list[Person]] = defaultdict(list)
    if village_blocks:
        villages = {village for village, _date, _n in village_blocks}
        dates = {date for _village, date, _n in village_blocks}
        wanted = {(village, date) for village, date, _n in village_blocks}
        for person in current.filter(village_id__in=villages, birth_date__in=dates).select_related("village"):
            if (person.village_id, person.birth_date) in wanted:
                by_block[(person.village_id, person.birth_date)].append(person)
    for block in by_block.values():
        for first, second in combinations(sorted(block, key=lambda person: person.pk), 2):
            if first.nik and second.nik:
                continue
            score = round(fuzz.ratio(first.search_name, second.search_name))
            if score >= SIMILAR:
                found[(first.pk, second.pk)] = Candidate(first, second, "similar_name", score)

    card_blocks = list(
        current.exclude(family_card="")
        .values_list("family_card", "birth_date", "search_name")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .order_by()[:MAX_BLOCKS]
    )
    if card_blocks:
        cards = {card for card, _date, _name, _n in card_blocks}
        wanted_cards = {(card, date, name) for card, date, name, _n in card_blocks}
        groups: dict[tuple[str, object, str], list[Person]] = defaultdict(list)
        for person in current.filter(family_card__in=cards).select_related("village"):
            key = (person.family_card, person.birth_date, person.search_name)
            if key in wanted_cards:
                groups[key].append(person)
        for group in groups.values():
            for first, second in combinations(sorted(group, key=lambda person: person.pk), 2):
                if first.nik and second.nik:
                    continue
                found.setdefault((first.pk, second.pk), Candidate(first, second, "same_family_card", 100))

    decided = _decided(set(found))
    return sorted(
        (candidate for pair, candidate in found.items() if pair not in decided),
        key=lambda candidate: (candidate.first.village_id, candidate.first.search_name, candidate.first.pk),
    )
