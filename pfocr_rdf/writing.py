"""Writing triples as Turtle or N-Triples, streaming, and output files that are never left truncated.

Writers know triples and formats, nothing of PFOCR. They take triples in blocks (see
:class:`~pfocr_rdf.mapping.Block`) and write each block as soon as it comes, so memory does not grow
with the corpus. Terms are serialized by hand with the escaping rules of N-Triples and Turtle 1.1
(rdflib's own serializer holds the whole graph and slows down as it grows); the tests check the output
against rdflib and pyoxigraph parsers. Turtle uses a prefixed name only where the local part is plainly
safe; anything else is written as a full ``<IRI>`` (some stores mishandle escaped prefixed names).

Formats live in one registry, :data:`FORMATS`; ``--format`` choices come from it.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal as TypingLiteral

from rdflib import Literal, URIRef
from rdflib.term import Node

from .errors import UsageError
from .namespaces import PREFIXES, RDF, XSD

__all__ = ["FORMATS", "Format", "FormatName", "NTriplesWriter", "TurtleWriter", "atomic_output", "format_for"]

FormatName = TypingLiteral["turtle", "nt"]
Triple = tuple[URIRef, URIRef, Node]

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f]')
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_SAFE_LOCAL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*")
_RDF_TYPE = str(RDF.type)


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    return _ESCAPES.get(char) or f"\\u{ord(char):04X}"


def _quote(text: str) -> str:
    if _NEEDS_ESCAPE.search(text):
        text = _NEEDS_ESCAPE.sub(_escape_char, text)
    return f'"{text}"'


def _iri_ref(iri: str) -> str:
    if _IRI_FORBIDDEN.search(iri):
        # The mapper percent-encodes what it mints; an IRI that still has such a character is a bug upstream.
        raise ValueError(f"not a valid IRI: {iri!r}")
    return f"<{iri}>"


class _TermCache:
    """Serializations of IRIs that repeat (predicates, classes, entities), bounded in size."""

    def __init__(self, render: Callable[[str], str], limit: int = 200_000) -> None:
        self._render, self._limit, self._cache = render, limit, dict[str, str]()

    def __call__(self, iri: str) -> str:
        text = self._cache.get(iri)
        if text is None:
            text = self._render(iri)
            if len(self._cache) >= self._limit:
                self._cache.clear()
            self._cache[iri] = text
        return text


class NTriplesWriter:
    """Writes triples to a text stream as N-Triples (one line per triple)."""

    extension = ".nt"

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.count = 0
        self._iri = _TermCache(_iri_ref)

    def start(self) -> None:
        """Write what comes before the first triple (nothing, for N-Triples)."""

    def write(self, triples: Iterable[Triple]) -> None:
        """Write one block of triples."""
        term, lines = self.term, []
        for s, p, o in triples:
            lines.append(f"{self._iri(s)} {self._iri(p)} {term(o)} .\n")
        self.stream.write("".join(lines))
        self.count += len(lines)

    def finish(self) -> None:
        """Write what comes after the last triple (nothing, for N-Triples)."""

    def term(self, node: Node) -> str:
        """Return the N-Triples form of an IRI or a literal."""
        if isinstance(node, URIRef):
            return self._iri(node)
        if isinstance(node, Literal):
            return _literal(node, self._iri)
        raise ValueError(f"cannot write {type(node).__name__} {node!r}: only IRIs and literals are written")


def _literal(node: Literal, iri: Callable[[str], str]) -> str:
    text = _quote(str(node))
    if node.language:
        return f"{text}@{node.language}"
    if node.datatype is not None and node.datatype != XSD.string:
        return f"{text}^^{iri(node.datatype)}"
    return text


class TurtleWriter(NTriplesWriter):
    """Writes triples to a text stream as Turtle, grouping each subject's triples into one statement."""

    extension = ".ttl"

    def __init__(self, stream: IO[str]) -> None:
        super().__init__(stream)
        self._namespaces = sorted(((ns, prefix) for prefix, ns in PREFIXES.items()), key=lambda p: -len(p[0]))
        self._iri = _TermCache(self._name)

    def _name(self, iri: str) -> str:
        if str(iri) == _RDF_TYPE:  # str(): rdflib terms never equal plain strings
            return "a"
        for namespace, prefix in self._namespaces:
            if iri.startswith(namespace):
                local = iri[len(namespace):]
                if _SAFE_LOCAL.fullmatch(local):
                    return f"{prefix}:{local}"
                break
        return _iri_ref(iri)

    def start(self) -> None:
        """Write the prefix declarations."""
        self.stream.write("".join(f"@prefix {prefix}: <{ns}> .\n" for prefix, ns in PREFIXES.items()) + "\n")

    def write(self, triples: Iterable[Triple]) -> None:
        """Write one block of triples, one statement per run of triples with the same subject."""
        name, term = self._iri, self.term
        parts: list[str] = []
        subject = predicate = None
        count = 0
        for s, p, o in triples:
            count += 1
            # identity, not equality: the mapper reuses term objects, and rdflib's __eq__ is slow; an
            # equal but distinct subject merely starts a new (still valid) statement
            if s is not subject:
                if subject is not None:
                    parts.append(" .\n\n")
                parts.append(f"{name(s)} {name(p)} {term(o)}")
                subject, predicate = s, p
            elif p is not predicate:
                parts.append(f" ;\n    {name(p)} {term(o)}")
                predicate = p
            else:
                parts.append(f" ,\n        {term(o)}")
        if subject is not None:
            parts.append(" .\n\n")
        self.stream.write("".join(parts))
        self.count += count

    def term(self, node: Node) -> str:
        """Return the Turtle form of an IRI or a literal (``a`` only ever stands for rdf:type as predicate)."""
        if type(node) is URIRef or isinstance(node, URIRef):
            text = self._iri(node)
            return "rdf:type" if text == "a" else text
        if isinstance(node, Literal):
            return _literal(node, self._iri)
        raise ValueError(f"cannot write {type(node).__name__} {node!r}: only IRIs and literals are written")


@dataclass(frozen=True)
class Format:
    """One output format: its name, file extensions, media type and writer."""

    name: FormatName
    extensions: tuple[str, ...]
    media_type: str
    writer: type[NTriplesWriter]


FORMATS: dict[str, Format] = {
    "turtle": Format("turtle", (".ttl", ".turtle"), "text/turtle", TurtleWriter),
    "nt": Format("nt", (".nt", ".ntriples"), "application/n-triples", NTriplesWriter),
}


def format_for(name: str | None, path: str | Path | None = None) -> Format:
    """Return the format named ``name``, else the one the file extension implies, else Turtle.

    Raises UsageError for an unknown name or extension, listing the valid ones.
    """
    if name is not None:
        try:
            return FORMATS[name]
        except KeyError:
            raise UsageError(f"unknown format {name!r}; choose one of: {', '.join(FORMATS)}") from None
    if path is not None and str(path) != "-":
        suffix = Path(path).suffix.lower()
        for fmt in FORMATS.values():
            if suffix in fmt.extensions:
                return fmt
        known = ", ".join(ext for fmt in FORMATS.values() for ext in fmt.extensions)
        raise UsageError(f"cannot tell the format of {path} from its extension ({known}); use --format")
    return FORMATS["turtle"]


@contextmanager
def atomic_output(path: str | Path) -> Iterator[IO[str]]:
    """Open ``path`` for writing through a temporary file that replaces it only when the block succeeds.

    A failure or interruption (even SIGKILL) leaves the previous file, or none, under the final name.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
