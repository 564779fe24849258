"""Spelling-tolerant name keys.

Indonesian names are written in the old (Van Ophuijsen/Soewandi) and the new (EYD)
spelling on different documents: Soekarno and Sukarno, Djoko and Joko, Tjipto and
Cipto, Wijaja and Wijaya. `spelling_key` folds case and accents and maps the old
spellings to the new so that both find the same person; it is stored as
`Person.search_name` and the search query goes through it too. The old j is the new
y, and the old dj the new j: the key writes both as y (Djoko, Joko and Yoko share a
key), so that every way a name was written meets.
"""

from __future__ import annotations

import re

from pilar.regions.text import fold

# In this order: the pairs before the last overlap no other's result; the last folds
# every j (an old j, a new j, the new j of an old dj) into y.
OLD_TO_NEW = (("oe", "u"), ("dj", "j"), ("tj", "c"), ("sj", "sy"), ("nj", "ny"), ("ch", "kh"), ("j", "y"))
_NOT_LETTER = re.compile(r"[^a-z ]+")


def spelling_key(name: str) -> str:
    key = " ".join(name.lower().split()) if name.isascii() else fold(name)
    for old, new in OLD_TO_NEW:
        if old in key:
            key = key.replace(old, new)
    if not key.isascii() or not key.replace(" ", "").isalpha():
        key = " ".join(_NOT_LETTER.sub(" ", key).split())
    return key
