"""Serializing single RDF terms for N-Triples, N-Quads and Turtle, with the escapes those grammars need.

Kept apart from the writers so that every line-based syntax escapes the same way. IRIs the mapper mints
are already percent-encoded; an IRI that still holds a character the grammars forbid is refused here
rather than written broken.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rdflib import Literal, URIRef
from rdflib.term import Node

from ..namespaces import PREFIXES, RDF, XSD

__all__ = ["Names", "iri_ref", "literal", "quote"]

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f]')
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_SAFE_LOCAL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*")
_RDF_TYPE = str(RDF.type)
_XSD_STRING = str(XSD.string)


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    return _ESCAPES.get(char) or f"\\u{ord(char):04X}"


def quote(text: str) -> str:
    """Return ``text`` as a double-quoted N-Triples/Turtle string, escaped."""
    if _NEEDS_ESCAPE.search(text):
        text = _NEEDS_ESCAPE.sub(_escape_char, text)
    return f'"{text}"'


def iri_ref(iri: str) -> str:
    """Return ``<iri>``; raise ValueError for a character no IRI reference may hold."""
    if _IRI_FORBIDDEN.search(iri):
        raise ValueError(f"not a valid IRI: {iri!r}")
    return f"<{iri}>"


def literal(node: Literal, iri: Callable[[str], str]) -> str:
    """Return a literal's N-Triples/Turtle form, its datatype written with ``iri``."""
    text = quote(str(node))
    if node.language:
        return f"{text}@{node.language}"
    datatype = node.datatype
    if datatype is not None and str(datatype) != _XSD_STRING:
        return f"{text}^^{iri(datatype)}"
    return text


class Names:
    """Writes IRIs and literals, remembering the forms of those that repeat (bounded in size).

    With ``prefixed=True`` (Turtle) an IRI in one of :data:`~pfocr_rdf.namespaces.PREFIXES` becomes a
    prefixed name when its local part is plainly safe, and rdf:type as a predicate becomes ``a``.
    """

    # ``limit`` bounds each cache: at 100,000 entries, the caches of each worker process of a whole-corpus
    # export held ~50 MB of mostly one-off forms and pushed it over 300 MB; the forms that repeat are fewer.
    def __init__(self, *, prefixed: bool, limit: int = 25_000) -> None:
        self._prefixed = prefixed
        self._limit = limit
        self._iris: dict[str, str] = {}
        self.known = self._iris  #: IRI -> written form, for callers that inline the look-up
        self._literals: dict[str, str] = {}
        self._by_namespace = {ns: prefix for prefix, ns in PREFIXES.items()}
        self._namespaces = tuple(self._by_namespace)

    def iri(self, node: str) -> str:
        """Return the written form of an IRI."""
        text = self._iris.get(node)
        if text is None:
            text = self._prefixed_name(str(node)) if self._prefixed else iri_ref(str(node))
            if len(self._iris) >= self._limit:
                self._iris.clear()  # in place: ``known`` is the same dict
            self._iris[node] = text
        return text

    def subject(self, node: str) -> str:
        """Return the written form of a subject IRI, remembering it only if it was known already.

        Most subjects (each mention annotation) occur once in the whole output; caching them would only
        push out the IRIs that repeat and grow the cache to its limit.
        """
        text = self._iris.get(node)
        if text is None:
            text = self._prefixed_name(str(node)) if self._prefixed else iri_ref(str(node))
        return text

    def predicate(self, node: str) -> str:
        """Return the written form of an IRI as a predicate (``a`` for rdf:type in Turtle)."""
        if self._prefixed and str(node) == _RDF_TYPE:
            return "a"
        return self.iri(node)

    def term(self, node: Node) -> str:
        """Return the written form of an IRI or a literal in subject or object position."""
        if type(node) is URIRef:
            return self.iri(node)
        if isinstance(node, Literal):
            if node.language is None and node.datatype is None:
                return self.plain(str(node))  # a plain str: rdflib's Literal hashing is slow
            return literal(node, self.iri)
        if isinstance(node, URIRef):
            return self.iri(node)
        raise ValueError(f"cannot write {type(node).__name__} {node!r}: only IRIs and literals are written")

    def plain(self, text: str) -> str:
        """Return the written form of a plain (``xsd:string``) literal; short ones, which repeat, are remembered."""
        if len(text) >= 80:
            return quote(text)
        written = self._literals.get(text)
        if written is None:
            if len(self._literals) >= self._limit:
                self._literals.clear()
            written = self._literals[text] = quote(text)
        return written

    def tagged(self, text: str, language: str) -> str:
        """Return the written form of a literal with a language tag."""
        return f"{quote(text)}@{language}"

    def typed(self, text: str, datatype: str) -> str:
        """Return the written form of a literal of a datatype other than ``xsd:string``."""
        return f"{quote(text)}^^{self.iri(datatype)}"

    def _prefixed_name(self, iri: str) -> str:
        if not iri.startswith(self._namespaces):
            return iri_ref(iri)  # most minted IRIs: no namespace to look for (one test, in C)
        best = ""
        for separator in ("/", "#", "_"):
            head, found, _ = iri.rpartition(separator)
            namespace = head + found
            if found and len(namespace) > len(best) and namespace in self._by_namespace:
                best = namespace
        if best:
            local = iri[len(best):]
            if _SAFE_LOCAL.fullmatch(local):
                return f"{self._by_namespace[best]}:{local}"
        return iri_ref(iri)
