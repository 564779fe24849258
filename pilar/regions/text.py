import unicodedata


def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced text for case- and accent-insensitive search."""
    decomposed = unicodedata.normalize("NFKD", text)
    without_marks = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(without_marks.casefold().split())
