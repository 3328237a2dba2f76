"""What every serializer offers: a header, one block of triples at a time, a footer.

Turtle, N-Triples and N-Quads are :class:`RowSerializer` s: a block is rows of terms already written
(``(subject, predicate, object)`` text), which :meth:`RowSerializer.join` lays out. ``render`` writes the
rdflib terms of a block and joins them; the export's fast path (:mod:`pfocr_rdf.rendering`) writes the terms
itself and joins them the same way, so both give the same text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rdflib import URIRef
from rdflib.term import Node

from .terms import Names

__all__ = ["Row", "RowSerializer", "Serializer", "Triple"]

Triple = tuple[URIRef, URIRef, Node]
Row = tuple[str, str, str]  # subject, predicate and object, each written in the serializer's syntax


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


class RowSerializer(Serializer):
    """A serializer whose text is laid out from rows of written terms (``names`` writes them)."""

    names: Names

    def predicate(self, iri: str) -> str:
        """Return the written form of an IRI as a predicate (``a`` for rdf:type in Turtle)."""
        return self.names.predicate(iri)

    def join(self, rows: Sequence[Row]) -> str:
        """Return one block of rows of written terms as text."""
        raise NotImplementedError

    def render(self, triples: Sequence[Triple]) -> str:
        """Return one block of triples as text."""
        names = self.names
        subject, predicate, term = names.subject, self.predicate, names.term
        return self.join([(subject(s), predicate(p), term(o)) for s, p, o in triples])
