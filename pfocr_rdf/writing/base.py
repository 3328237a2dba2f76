"""What every serializer offers: a header, one block of triples at a time, a footer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rdflib import URIRef
from rdflib.term import Node

__all__ = ["Serializer", "Triple"]

Triple = tuple[URIRef, URIRef, Node]


class Serializer:
    """Turns blocks of triples into text; knows a format, nothing of PFOCR, nothing of files.

    ``render`` is called once per block and returns text that the caller writes; blocks rendered
    separately are joined with ``separator``. Serializers keep caches, so each process uses its own.
    """

    name: ClassVar[str]
    media_type: ClassVar[str]
    extensions: ClassVar[tuple[str, ...]]
    separator: ClassVar[str] = ""

    def __init__(self, *, graph: str | None = None) -> None:
        self.graph = graph

    def header(self) -> str:
        """Return what comes before the first block."""
        return ""

    def render(self, triples: Sequence[Triple]) -> str:
        """Return one block of triples as text."""
        raise NotImplementedError

    def footer(self) -> str:
        """Return what comes after the last block."""
        return ""
