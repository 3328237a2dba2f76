"""Turtle: prefixed names where plainly safe, one statement per subject, streamed block by block."""

from __future__ import annotations

from collections.abc import Sequence

from ..namespaces import PREFIXES
from .base import Row, RowSerializer
from .terms import Names

__all__ = ["Turtle"]


class Turtle(RowSerializer):
    """Turtle 1.1, with every prefix of :data:`~pfocr_rdf.namespaces.PREFIXES` declared up front.

    A prefixed name is used only where its local part is letters, digits, ``_`` and ``-``; anything
    else is a full ``<IRI>``, because some stores mishandle escaped local names (``ex:a\\/b``).
    """

    name = "turtle"
    media_type = "text/turtle"
    extensions = (".ttl", ".turtle")

    def __init__(self, *, graph: str | None = None) -> None:
        super().__init__(graph=graph)
        self.names = Names(prefixed=True)

    def header(self) -> str:
        """Return the prefix declarations."""
        return "".join(f"@prefix {prefix}: <{ns}> .\n" for prefix, ns in PREFIXES.items()) + "\n"

    def join(self, rows: Sequence[Row]) -> str:
        """Return one block of rows, one statement per run of rows with the same subject."""
        parts: list[str] = []
        subject = predicate = None
        for s, p, o in rows:
            if s != subject:
                if subject is not None:
                    parts.append(" .\n\n")
                parts.append(f"{s} {p} {o}")
                subject, predicate = s, p
            elif p != predicate:
                parts.append(f" ;\n    {p} {o}")
                predicate = p
            else:
                parts.append(f" ,\n        {o}")
        if subject is not None:
            parts.append(" .\n\n")
        return "".join(parts)
