"""Spelling-tolerant name keys.

Indonesian names are written in the old (Van Ophuijsen/Soewandi) and the new (EYD)
spelling on different documents: Soekarno and Sukarno, Djoko and Joko, Tjipto and
Cipto. `spelling_key` folds case and accents and maps the old spellings to the new
so that both find the same person; it is stored as `Person.search_name` and the
search query goes through it too.
"""

from __future__ import annotations

import re

from pilar.regions.text import fold

# Longest first is not needed: no pair overlaps another's result.
OLD_TO_NEW = (("oe", "u"), ("dj", "j"), ("tj", "c"), ("sj", "sy"), ("nj", "ny"), ("ch", "kh"))
_NOT_LETTER = re.compile(r"[^a-z ]+")


def spelling_key(name: str) -> str:
    key = " ".join(name.lower().split()) if name.isascii() else fold(name)
    for old, new in OLD_TO_NEW:
        if old in key:
            key = key.replace(old, new)
    if not key.isascii() or not key.replace(" ", "").isalpha():
        key = " ".join(_NOT_LETTER.sub(" ", key).split())
    return key
