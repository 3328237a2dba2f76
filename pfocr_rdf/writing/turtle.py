"""Turtle: prefixed names where plainly safe, one statement per subject, streamed block by block."""

from __future__ import annotations

from collections.abc import Sequence

from rdflib import URIRef

from ..namespaces import PREFIXES
from .base import Serializer, Triple
from .terms import Names

__all__ = ["Turtle"]


class Turtle(Serializer):
    """Turtle 1.1, with every prefix of :data:`~pfocr_rdf.namespaces.PREFIXES` declared up front.

    A prefixed name is used only where its local part is letters, digits, ``_`` and ``-``; anything
    else is a full ``<IRI>``, because some stores mishandle escaped local names (``ex:a\\/b``).
    """

    name = "turtle"
    media_type = "text/turtle"
    extensions = (".ttl", ".turtle")

    def __init__(self, *, graph: str | None = None) -> None:
        super().__init__(graph=graph)
        self._names = Names(prefixed=True)

    def header(self) -> str:
        """Return the prefix declarations."""
        return "".join(f"@prefix {prefix}: <{ns}> .\n" for prefix, ns in PREFIXES.items()) + "\n"

    def render(self, triples: Sequence[Triple]) -> str:
        """Return one block of triples, one statement per run of triples with the same subject."""
        names = self._names
        subject_of, predicate_of, term = names.subject, names.predicate, names.term
        known = names.known  # written forms already made, looked up here to save a call per term
        parts: list[str] = []
        subject = predicate = None
        for s, p, o in triples:
            o_text = known.get(o) if type(o) is URIRef else None
            if o_text is None:
                o_text = term(o)
            # identity, not equality: the mapper reuses term objects and rdflib's __eq__ is slow; an
            # equal but distinct subject or predicate merely starts a new (still valid) statement or list
            if s is not subject:
                if subject is not None:
                    parts.append(" .\n\n")
                parts.append(f"{subject_of(s)} {predicate_of(p)} {o_text}")
                subject, predicate = s, p
            elif p is not predicate:
                parts.append(f" ;\n    {predicate_of(p)} {o_text}")
                predicate = p
            else:
                parts.append(f" ,\n        {o_text}")
        if subject is not None:
            parts.append(" .\n\n")
        return "".join(parts)
