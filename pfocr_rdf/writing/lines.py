"""N-Triples and N-Quads: one line per triple, the forms bulk loaders read fastest."""

from __future__ import annotations

from collections.abc import Sequence

from .base import Row, RowSerializer
from .terms import Names, iri_ref

__all__ = ["NQuads", "NTriples"]


class NTriples(RowSerializer):
    """N-Triples: ``<s> <p> <o> .`` per line."""

    name = "nt"
    media_type = "application/n-triples"
    extensions = (".nt", ".ntriples")

    def __init__(self, *, graph: str | None = None) -> None:
        super().__init__(graph=graph)
        self.names = Names(prefixed=False)
        self._end = " .\n"

    def join(self, rows: Sequence[Row]) -> str:
        """Return one block of rows as lines."""
        end = self._end
        return "".join([f"{s} {p} {o}{end}" for s, p, o in rows])


class NQuads(NTriples):
    """N-Quads: every triple in one named graph, the release's IRI (the data's provenance travels with it)."""

    name = "nquads"
    media_type = "application/n-quads"
    extensions = (".nq", ".nquads")

    def __init__(self, *, graph: str | None = None) -> None:
        super().__init__(graph=graph)
        if graph is None:
            raise ValueError("N-Quads needs the graph IRI")
        self._end = f" {iri_ref(graph)} .\n"
