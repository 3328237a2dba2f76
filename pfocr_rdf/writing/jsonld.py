"""JSON-LD output: compact node objects built straight from the triples, one figure per object.

Two forms share one renderer: :class:`JsonLd`, a single document whose ``@graph`` is streamed object by
object, and :class:`JsonLines`, one standalone JSON-LD object per line (for ``.jsonl``). Both name the
context that ships in the package, :data:`CONTEXT_URL`, rather than inlining it; :func:`context_text`
gives the file to publish there, and :func:`document_loader` serves it to pyld without any network.

A figure's block becomes one object: the figure, with its mention annotations nested under
``annotations`` (the context's reverse of ``oa:hasTarget``), so one line of JSON Lines is one whole
figure. Every other block gives one object per subject.

The objects are built by hand, not by pyld: pyld compacts ~170 records/s, this ~100 times faster.
pyld stays the reference: the tests expand our output with it and compare with the Turtle export.
What this module must keep true for that to hold: a term coerced to IRIs (``"@type": "@id"``) gets
IRIs as plain strings and anything else as an explicit value object; a term coerced to a datatype gets
that datatype's literals as plain strings and anything else explicit; a term without coercion gets
plain strings for plain literals and explicit objects for the rest. Predicates the context does not
name are written as compact or full IRIs, their values always explicit.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Sequence
from importlib import resources
from typing import Any

from rdflib import Literal, URIRef

from ..errors import UsageError
from ..namespaces import OA, PREFIXES, RDF, SCHEMA, XSD
from .base import Serializer, Triple
from .terms import iri_ref

__all__ = ["CONTEXT_URL", "JsonLd", "JsonLines", "context", "context_text", "document_loader"]

#: Where the context is published; every document names it as its ``@context``.
CONTEXT_URL = "https://pfocr.wikipathways.org/rdf/context.jsonld"

_RDF_TYPE = str(RDF.type)
_HAS_TARGET = str(OA.hasTarget)
_IMAGE_OBJECT = str(SCHEMA.ImageObject)
_XSD_STRING = str(XSD.string)
_ID = "@id"
# the local part of a compact IRI: as in Turtle, so that both formats shorten the same IRIs
_SAFE_LOCAL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*")
_GEN_DELIMS = frozenset(":/?#[]@")

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
    """What the renderer needs from the context: a key and a coercion per predicate, a term per class."""

    def __init__(self, document: dict[str, Any]) -> None:
        definitions: dict[str, Any] = document["@context"]
        self.namespaces = {ns: prefix for prefix, ns in PREFIXES.items()}
        # predicate IRI -> (key, coercion): coercion "@id", a datatype IRI, or None (plain strings)
        self.predicates: dict[str, tuple[str, str | None]] = {}
        self.classes: dict[str, str] = {}
        self.reverse_target = ""
        for term, definition in definitions.items():
            if term.startswith("@") or term in PREFIXES:
                continue
            if isinstance(definition, str):
                definition = {_ID: definition}
            if definition.get("@reverse") is not None:
                if self._expand(definition["@reverse"]) == _HAS_TARGET:
                    self.reverse_target = term
                continue
            iri = self._expand(definition.get(_ID, term))
            coercion = definition.get("@type")
            if coercion is not None and coercion != _ID:
                coercion = self._expand(coercion)
            if iri[len(iri.rstrip("/#")) - 1:] and iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1][:1].isupper():
                self.classes[iri] = term
            else:
                self.predicates[iri] = (term, coercion)
        if not self.reverse_target:
            raise ValueError("the JSON-LD context has no @reverse term for oa:hasTarget")

    @staticmethod
    def _expand(value: str) -> str:
        prefix, colon, local = value.partition(":")
        if colon and prefix in PREFIXES and not local.startswith("//"):
            return PREFIXES[prefix] + local
        return value

    def compact(self, iri: str) -> str:
        """Return a compact IRI where a prefix covers ``iri`` and its local part is plainly safe."""
        best = ""
        for separator in ("/", "#", "_"):
            head, found, _ = iri.rpartition(separator)
            namespace = head + found
            if found and len(namespace) > len(best) and namespace in self.namespaces:
                best = namespace
        if best and _SAFE_LOCAL.fullmatch(iri, len(best)):
            return f"{self.namespaces[best]}:{iri[len(best):]}"
        return iri


@functools.cache
def _terms() -> _Terms:
    return _Terms(context())


class JsonLd(Serializer):
    """One JSON-LD document whose ``@graph`` is streamed: one node object per line, figures whole."""

    name = "jsonld"
    media_type = "application/ld+json"
    extensions = (".jsonld", ".json")
    separator = ",\n"

    #: the ``@context`` each object carries (None: the document's header names it once)
    _own_context: str | None = None

    def __init__(self, *, graph: str | None = None, limit: int = 200_000) -> None:
        super().__init__(graph=graph)
        self._terms = _terms()
        self._limit = limit
        self._iris: dict[str, str] = {}
        self._keys: dict[str, tuple[str, str | None]] = {}
        # sort_keys stays off: keys come in a fixed order (@context, @id, @type, then triple order)
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
        return self.separator.join([self._dumps(node) for node in self.nodes(triples)])

    def nodes(self, triples: Sequence[Triple]) -> list[Node]:
        """Return one block of triples as compact node objects, figures with their annotations nested."""
        iri, value = self._iri, self._value
        nodes: dict[str, Node] = {}
        figures: set[str] = set()
        targets: list[tuple[str, Node, URIRef]] = []
        subject: object = None
        node: Node = {}
        last_p: object = None
        entry: tuple[str, str | None] = ("", None)
        for s, p, o in triples:
            # identity first: the mapper reuses term objects, and rdflib's hashing is slow
            if s is not subject:
                subject = s
                key_s = str(s)
                found = nodes.get(key_s)
                if found is None:
                    if type(s) is not URIRef:
                        raise ValueError(f"cannot write {type(s).__name__} {s!r}: only IRIs are written")
                    found = nodes[key_s] = {_ID: iri(key_s)}
                node = found
            if p is not last_p:
                last_p = p
                entry = self._key(p)
            key, coercion = entry
            if key == "@type":
                if type(o) is URIRef:
                    if o == _IMAGE_OBJECT:
                        figures.add(str(s))
                    _add(node, "@type", self._class(o))
                    continue
                key, coercion = self._key_of(_RDF_TYPE, literal=True)
            elif key is _HAS_TARGET and type(o) is URIRef:
                targets.append((str(s), node, o))
                continue
            _add(node, key, value(o, coercion))
        for annotation, node, target in targets:
            host = nodes.get(target) if target in figures and annotation not in figures else None
            if host is None:
                key, coercion = self._key(target.__class__(_HAS_TARGET))
                _add(node, key, value(target, coercion))
            else:
                _add(host, self._terms.reverse_target, node, many=True)
                del nodes[annotation]
        out = []
        for node in nodes.values():
            if self._own_context is not None:
                node = {"@context": self._own_context, **node}
            for key, values in node.items():
                if type(values) is list and len(values) == 1 and key != self._terms.reverse_target:
                    node[key] = values[0]
            out.append(node)
        return out

    def _iri(self, iri: str) -> str:
        text = self._iris.get(iri)
        if text is None:
            iri_ref(iri)  # refuse what no IRI may hold, as the other formats do
            text = self._terms.compact(iri)
            if len(self._iris) >= self._limit:
                self._iris.clear()
            self._iris[iri] = text
        return text

    def _class(self, iri: str) -> str:
        return self._terms.classes.get(iri) or self._iri(iri)

    def _key(self, predicate: str) -> tuple[str, str | None]:
        entry = self._keys.get(predicate)
        if entry is None:
            entry = self._keys[predicate] = self._key_of(str(predicate))
        return entry

    def _key_of(self, predicate: str, *, literal: bool = False) -> tuple[str, str | None]:
        if predicate == _RDF_TYPE and not literal:
            return "@type", None
        if predicate == _HAS_TARGET:
            # marks the triples that may nest under their figure; a target left over falls back below
            return _HAS_TARGET, None
        known = self._terms.predicates.get(predicate)
        if known is not None:
            return known
        # not in the context: a compact or full IRI as the key, every value explicit
        iri_ref(predicate)
        return self._terms.compact(predicate), "@explicit"

    def _value(self, o: object, coercion: str | None) -> Any:
        if type(o) is URIRef:
            text = self._iri(o)
            return text if coercion == _ID else {_ID: text}
        if isinstance(o, Literal):
            text = str(o)
            language = o.language
            if language:
                return {"@value": text, "@language": language}
            datatype = o.datatype
            if datatype is None or datatype == _XSD_STRING:
                return text if coercion is None else {"@value": text}
            if datatype == coercion:
                return text
            return {"@value": text, "@type": self._iri(datatype)}
        if isinstance(o, URIRef):
            return self._value(URIRef(str(o)), coercion)
        raise ValueError(f"cannot write {type(o).__name__} {o!r}: only IRIs and literals are written")


def _add(node: Node, key: str, value: Any, *, many: bool = False) -> None:
    """Append ``value`` to ``node[key]``, always a list here; single values become scalars at the end."""
    values = node.get(key)
    if values is None:
        node[key] = [value]
    else:
        values.append(value)


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
        return "".join([self._dumps(node) + "\n" for node in self.nodes(triples)])
