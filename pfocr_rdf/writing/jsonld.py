"""JSON-LD output: compact node objects built straight from the triples, one figure per object.

Two forms share one renderer: :class:`JsonLd`, a single document whose ``@graph`` is streamed object by
object, and :class:`JsonLines`, one standalone JSON-LD object per line (for ``.jsonl``). Both name the
context that ships in the package, :data:`CONTEXT_URL`, rather than inlining it; :func:`context_text`
gives the file to publish there, and :func:`document_loader` serves it to pyld without any network.

A figure's block becomes one object: the figure, with its mention annotations nested under
``annotations`` (the context's reverse of ``oa:hasTarget``), so one line of JSON Lines is one whole
figure. Every other block gives one object per subject.

The objects are built by hand, not by pyld (which compacts ~170 records/s, framing is slower still):
the terms, prefixes and coercions come from the bundled context itself, read once. pyld stays the
reference: the tests expand our output with it and compare with the Turtle export's triples. What
this module keeps true for that to hold: a term coerced to IRIs (``"@type": "@id"``) gets IRIs as
plain strings and anything else as an explicit value object; a term coerced to a datatype gets that
datatype's literals as plain strings and anything else explicit; a term without coercion (and a
predicate the context lacks, keyed by its compact or full IRI) gets plain literals as plain strings
and anything else explicit. IRIs are compacted with the prefixes only where the local part is as
plainly safe as Turtle requires, else written in full.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Sequence
from importlib import resources
from typing import Any, ClassVar

from rdflib import Literal, URIRef

from ..errors import UsageError
from ..namespaces import OA, PREFIXES, RDF, SCHEMA, XSD
from .base import Serializer, Triple
from .terms import iri_ref

__all__ = ["CONTEXT_URL", "JsonLd", "JsonLines", "context", "context_text", "document_loader"]

#: Where the context is published; every document names it as its ``@context``.
CONTEXT_URL = "https://pfocr.wikipathways.org/rdf/context.jsonld"

# URIRefs, not strs: an rdflib term never equals a str, so caches and comparisons stay with terms
_RDF_TYPE = URIRef(str(RDF.type))
_HAS_TARGET = URIRef(str(OA.hasTarget))
_IMAGE_OBJECT = URIRef(str(SCHEMA.ImageObject))
_XSD_STRING = str(XSD.string)
_ID = "@id"
# the local part of a compact IRI: as in Turtle, so that both formats shorten the same IRIs
_SAFE_LOCAL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*")

Node = dict[str, Any]


@functools.cache
def context_text() -> str:
    """Return the bundled JSON-LD context file, as published at :data:`CONTEXT_URL`."""
    return resources.files("pfocr_rdf.data").joinpath("context.jsonld").read_text(encoding="utf-8")


def context() -> dict[str, Any]:
    """Return the bundled context document (a fresh copy: callers may change it)."""
    document: dict[str, Any] = json.loads(context_text())
    return document


def document_loader() -> Callable[[str, Any], dict[str, Any]]:
    """Return a pyld document loader that serves the bundled context for :data:`CONTEXT_URL` only.

    Any other URL raises UsageError: pfocr-rdf never fetches from the network, and a document naming
    another context is not ours.
    """

    def load(url: str, options: Any = None) -> dict[str, Any]:
        if url != CONTEXT_URL:
            raise UsageError(f"refusing to load {url!r}: this loader serves only {CONTEXT_URL} "
                             "(from the package; it never fetches)")
        return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
                "document": context()}

    return load


class _Terms:
    """What the renderer needs from the context: each IRI's term and the coercion of that term."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.namespaces = {ns: prefix for prefix, ns in PREFIXES.items()}
        # IRI -> (term, coercion): "@id", a datatype IRI, or None (plain strings are plain literals)
        self.terms: dict[str, tuple[str, str | None]] = {}
        self.reverse_target = ""
        for term, definition in document["@context"].items():
            if term.startswith("@") or term in PREFIXES:
                continue
            if isinstance(definition, str):
                definition = {_ID: definition}
            if "@reverse" in definition:
                if self._expand(definition["@reverse"]) == str(_HAS_TARGET):
                    self.reverse_target = term
                continue
            coercion = definition.get("@type")
            if coercion is not None and coercion != _ID:
                coercion = self._expand(coercion)
            self.terms[self._expand(definition.get(_ID, term))] = (term, coercion)
        if not self.reverse_target:
            raise ValueError("the JSON-LD context has no @reverse term for oa:hasTarget")

    @staticmethod
    def _expand(value: str) -> str:
        prefix, colon, local = value.partition(":")
        if colon and prefix in PREFIXES and not local.startswith("//"):
            return PREFIXES[prefix] + local
        return value

    def compact(self, iri: str) -> str:
        """Return ``iri`` as a compact IRI where a prefix covers it and the local part is plainly safe.

        Raises ValueError for an IRI whose scheme is one of the prefixes (``doi:10.1/x``).
        """
        best = ""
        for separator in ("/", "#", "_"):
            head, found, _ = iri.rpartition(separator)
            namespace = head + found
            if found and len(namespace) > len(best) and namespace in self.namespaces:
                best = namespace
        if best and _SAFE_LOCAL.fullmatch(iri, len(best)):
            return f"{self.namespaces[best]}:{iri[len(best):]}"
        scheme, _, rest = iri.partition(":")
        if scheme in PREFIXES and not rest.startswith("//"):
            # JSON-LD would read it as a compact IRI, and has no way to say otherwise
            raise ValueError(f"cannot write {iri!r} in JSON-LD: its scheme is a prefix of the context")
        return iri


@functools.cache
def _terms() -> _Terms:
    return _Terms(context())


# what a predicate is to the renderer
_PLAIN, _TYPE, _TARGET = 0, 1, 2


class JsonLd(Serializer):
    """One JSON-LD document whose ``@graph`` is streamed: one node object per line, figures whole."""

    name = "jsonld"
    media_type = "application/ld+json"
    extensions: ClassVar[tuple[str, ...]] = (".jsonld", ".json")
    separator = ",\n"

    #: the ``@context`` each object names itself (None: the document's header names it once)
    _own_context: ClassVar[str | None] = None

    def __init__(self, *, graph: str | None = None, limit: int = 200_000) -> None:
        super().__init__(graph=graph)
        self._terms = _terms()
        self._limit = limit
        self._iris: dict[URIRef, str] = {}
        self._predicates: dict[URIRef, tuple[str, str | None, int]] = {}
        self._classes: dict[URIRef, tuple[str, bool]] = {}  # class -> (its term, is it a figure's)
        # no sort_keys: keys come in a fixed order (@context, @id, @type, then the triples' order)
        self._dumps = json.JSONEncoder(ensure_ascii=False, allow_nan=False, check_circular=False,
                                       separators=(",", ":")).encode

    def header(self) -> str:
        """Return the document's opening: its context and the start of ``@graph``."""
        return f'{{"@context":{json.dumps(CONTEXT_URL)},"@graph":[\n'

    def footer(self) -> str:
        """Return the end of ``@graph`` and of the document."""
        return "\n]}\n"

    def render(self, triples: Sequence[Triple]) -> str:
        """Return one block of triples as compact JSON-LD node objects, joined by the separator.

        Raises ValueError for a blank node or an IRI no IRI reference may hold.
        """
        return _escape_breaks(self.separator.join([self._dumps(node) for node in self.nodes(triples)]))

    def nodes(self, triples: Sequence[Triple]) -> list[Node]:
        """Return one block of triples as compact node objects, figures with their annotations nested.

        Raises ValueError for a blank node or an IRI no IRI reference may hold.
        """
        # The hot path, written out: ~2 µs per triple matters at 100k figures of ~500 triples. Caches
        # are keyed by the rdflib terms themselves: the mapper reuses them, so look-ups hit by identity.
        iris, predicates, classes = self._iris, self._predicates, self._classes
        nodes: dict[URIRef, Node] = {}
        figures: set[URIRef] = set()
        targets: list[tuple[URIRef, Node, URIRef]] = []
        subject: object = None
        node: Node = {}
        value: Any
        for s, p, o in triples:
            if s is not subject:
                if type(s) is not URIRef:
                    s = _plain(s)
                subject = s
                found = nodes.get(s)
                if found is None:
                    found = nodes[s] = {_ID: iris.get(s) or self._iri(s)}
                node = found
            entry = predicates.get(p)
            if entry is None:
                entry = self._predicate(p)
            key, coercion, role = entry
            if type(o) is URIRef:
                if role == _TYPE:
                    key, (value, figure) = "@type", classes.get(o) or self._class(o)
                    if figure:  # nest its annotations below
                        figures.add(s)
                elif role == _TARGET:
                    targets.append((s, node, o))
                    continue
                else:
                    text = iris.get(o)
                    if text is None:
                        text = self._iri(o)
                    value = text if coercion == _ID else {_ID: text}
            elif type(o) is Literal and o.language is None and o.datatype is None:  # a plain literal
                value = str(o) if coercion is None else {"@value": str(o)}
            else:
                value = self._value(o, coercion)
            # one value stays a scalar, a second makes a list (no value is itself a list)
            old = node.get(key)
            if old is None:
                node[key] = value
            elif type(old) is list:
                old.append(value)
            else:
                node[key] = [old, value]
        if targets:
            self._nest(nodes, figures, targets)
        if self._own_context is None:
            return list(nodes.values())
        return [{"@context": self._own_context, **node} for node in nodes.values()]

    def _nest(self, nodes: dict[URIRef, Node], figures: set[URIRef],
              targets: list[tuple[URIRef, Node, URIRef]]) -> None:
        """Move each annotation of a figure in this block into the figure's reverse property."""
        reverse = self._terms.reverse_target
        key, coercion, _ = self._predicate(_HAS_TARGET)
        for annotation, node, target in targets:
            if target in figures and annotation not in figures and annotation in nodes:
                # always a list, even of one: a figure's annotations are what readers iterate over
                nodes[target].setdefault(reverse, []).append(node)
                del nodes[annotation]
            else:
                # not a figure of this block (or a second target): an ordinary link
                value = self._value(target, coercion)
                old = node.get(key)
                node[key] = value if old is None else [*old, value] if type(old) is list else [old, value]

    def _iri(self, iri: URIRef) -> str:
        text = self._iris.get(iri)
        if text is None:
            iri_ref(iri)  # refuse what no IRI may hold, as the other formats do
            text = self._terms.compact(str(iri))
            if len(self._iris) >= self._limit:
                self._iris.clear()
            self._iris[iri] = text
        return text

    def _class(self, iri: URIRef) -> tuple[str, bool]:
        """Return the ``@type`` value of a class and whether it marks a figure; remember both."""
        known = self._terms.terms.get(str(iri))
        entry = (known[0] if known is not None else self._iri(iri), iri == _IMAGE_OBJECT)
        if len(self._classes) >= self._limit:
            self._classes.clear()
        self._classes[iri] = entry
        return entry

    def _predicate(self, predicate: URIRef) -> tuple[str, str | None, int]:
        """Return the key of a predicate, the coercion that key implies, and its role here."""
        entry = self._predicates.get(predicate)
        if entry is None:
            predicate = _plain(predicate)
            role = _TYPE if predicate == _RDF_TYPE else _TARGET if predicate == _HAS_TARGET else _PLAIN
            # a predicate the context does not name (or rdf:type, with a literal) is keyed by its
            # compact or full IRI, which coerces nothing
            key, coercion = self._terms.terms.get(str(predicate)) or (self._iri(predicate), None)
            entry = self._predicates[predicate] = (key, coercion, role)
        return entry

    def _value(self, o: object, coercion: str | None) -> Any:
        if isinstance(o, URIRef):
            text = self._iri(_plain(o))
            return text if coercion == _ID else {_ID: text}
        if isinstance(o, Literal):
            text = str(o)
            language = o.language
            if language:
                return {"@value": text, "@language": language}
            datatype = o.datatype
            if datatype is None or str(datatype) == _XSD_STRING:
                return text if coercion is None else {"@value": text}
            if str(datatype) == coercion:
                return text
            return {"@value": text, "@type": self._iri(_plain(datatype))}
        raise ValueError(f"cannot write {type(o).__name__} {o!r}: only IRIs and literals are written")


def _escape_breaks(text: str) -> str:
    """Escape the characters besides LF that some readers take for line breaks (``str.splitlines``).

    JSON allows them raw inside strings, and ``json`` leaves them so; escaped, a line is a line for
    every reader of JSON Lines. The checks are cheap: an ASCII-only text cannot hold them at all.
    """
    if "\u2028" in text or "\u2029" in text or "\x85" in text:
        text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").replace("\x85", "\\u0085")
    return text


def _plain(term: object) -> URIRef:
    """Return an IRI as a plain URIRef (the caches' key type); raise ValueError for anything else."""
    if type(term) is URIRef:
        return term
    if isinstance(term, URIRef):
        return URIRef(str(term))
    raise ValueError(f"cannot write {type(term).__name__} {term!r} here: only IRIs")


class JsonLines(JsonLd):
    """JSON Lines: one standalone compact JSON-LD object per line, each naming the context."""

    name = "jsonl"
    media_type = "application/x-ndjson"
    extensions = (".jsonl",)
    separator = ""
    _own_context = CONTEXT_URL

    def header(self) -> str:
        """Return nothing: every line stands alone."""
        return ""

    def footer(self) -> str:
        """Return nothing: every line stands alone."""
        return ""

    def render(self, triples: Sequence[Triple]) -> str:
        """Return one block of triples as lines, one JSON-LD object each.

        Raises ValueError for a blank node or an IRI no IRI reference may hold.
        """
        return _escape_breaks("".join([self._dumps(node) + "\n" for node in self.nodes(triples)]))
