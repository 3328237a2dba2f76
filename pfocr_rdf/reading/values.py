"""Cleaning single values: null sentinels, text, lexicon names.

PFOCR's R scripts write missing values as ``.na.character``, ``NA``, ``NaN`` or ``''``; none of them may
ever become data. Everything that reads a value goes through :func:`clean` or :func:`is_null`.
"""

from __future__ import annotations

__all__ = ["LEXICONS", "SENTINELS", "clean", "is_null", "shown"]

#: The values PFOCR uses for "no value" (compared after stripping surrounding white space).
SENTINELS: frozenset[str] = frozenset({"", ".na.character", "NA", "NaN"})

#: The lexicon sources PFOCR matches OCR words against (``source`` columns), lower-cased.
LEXICONS: frozenset[str] = frozenset({
    "ncbigene_symbol",
    "ncbigene_synonym",
    "famplex_relations",
    "hgnc_symbol",
    "hgnc_alias_symbol",
    "hgnc_prev_symbol",
    "bioentities_symbol",
    "mesh",
})


def is_null(value: object) -> bool:
    """Return whether ``value`` is absent or one of the null sentinels."""
    if value is None:
        return True
    if isinstance(value, float):
        return value != value  # NaN
    return isinstance(value, str) and value.strip() in SENTINELS


def clean(value: str | None) -> str | None:
    """Return ``value`` stripped of surrounding white space, or None for a null sentinel."""
    if value is None:
        return None
    stripped = value.strip()
    return None if stripped in SENTINELS else stripped


def shown(value: object, limit: int = 80) -> str:
    """Return ``repr(value)`` for a message, cut to about ``limit`` characters (a value may be megabytes)."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit - 5]}...{text[-1]}"
