"""RDF files: the one rule for which file names hold which RDF syntax, and reading such files back.

Every command that reads or writes RDF files names them by this rule (``export`` writes, ``load``,
``load --endpoint``, ``validate`` and ``query --data`` read), so each reads everything ``export`` writes:

- The syntax comes from the name's last extension, case-insensitive, after an optional ``.gz`` (gzip):
  ``.ttl`` / ``.turtle`` Turtle, ``.nt`` / ``.ntriples`` N-Triples, ``.nq`` / ``.nquads`` N-Quads,
  ``.jsonld`` / ``.json`` JSON-LD, ``.jsonl`` JSON Lines of JSON-LD objects (all written by ``export``;
  the extensions are those of :data:`pfocr_rdf.writing.FORMATS`), and, read only, ``.trig`` TriG,
  ``.n3`` N3, ``.rdf`` / ``.owl`` RDF/XML. Any other name is refused, listing these.
- JSON-LD that names pfocr-rdf's context (:data:`~pfocr_rdf.writing.jsonld.CONTEXT_URL`) is given the
  context bundled in the package; nothing is fetched from the network, and another remote context is an
  error naming the file.
- pyoxigraph's parsers stop at a token (a literal, an IRI, a line of N-Triples) over 16 MiB. A file that
  holds one is read again from its start: N-Triples and N-Quads line by line (pyoxigraph for the lines
  under 8 MiB, rdflib for the longer ones), other syntaxes by rdflib, in memory (about 1 KB per
  triple). A literal's size is then bounded by memory only. Readers into a store take the triples read
  before such a restart once more (not for N-Triples and N-Quads), which a store, a set, ignores.

This module reads and classifies files; it neither writes RDF nor knows PFOCR.
"""

from __future__ import annotations

import gzip
import io
import itertools
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO, Final, cast

import pyoxigraph as ox

from .errors import InputError, UnknownName, UsageError
from .writing import FORMATS

__all__ = [
    "OXIGRAPH_TOKEN_LIMIT",
    "SYNTAXES",
    "RdfFile",
    "Syntax",
    "iter_quads",
    "known_names",
    "load_quads",
    "rdf_files",
    "syntax_of",
]

#: pyoxigraph's parser buffer: a longer token makes the file go through rdflib (see the module's text).
OXIGRAPH_TOKEN_LIMIT: Final = 16 * 1024 * 1024

#: Quads per write into a store: about 100 MB of memory, as fast as bigger batches.
_BATCH = 100_000


@dataclass(frozen=True)
class Syntax:
    """One RDF syntax: its name, the extensions that select it and how pyoxigraph parses it."""

    name: str
    extensions: tuple[str, ...]
    oxigraph: ox.RdfFormat
    written: bool  # written by ``export`` (else read only)
    lines: bool = False  # JSON Lines: one JSON-LD object per line


_WRITTEN: Final = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "nquads": ox.RdfFormat.N_QUADS,
                   "jsonld": ox.RdfFormat.JSON_LD, "jsonl": ox.RdfFormat.JSON_LD}

#: Every syntax pfocr-rdf reads, in the order of the rule above: first those ``export`` writes.
SYNTAXES: Final[tuple[Syntax, ...]] = (
    *(Syntax(name, fmt.extensions, _WRITTEN[name], True, lines=name == "jsonl") for name, fmt in FORMATS.items()),
    Syntax("trig", (".trig",), ox.RdfFormat.TRIG, False),
    Syntax("n3", (".n3",), ox.RdfFormat.N3, False),
    Syntax("rdfxml", (".rdf", ".owl"), ox.RdfFormat.RDF_XML, False),
)


def known_names() -> str:
    """Return the accepted file name endings, for messages and help."""
    return ", ".join(ext for syntax in SYNTAXES for ext in syntax.extensions) + " (each optionally .gz)"


def syntax_of(path: str | Path) -> tuple[Syntax, bool]:
    """Return the syntax a file name implies and whether it is gzipped; raise UsageError for another name."""
    name = Path(path).name.lower()
    gzipped = name.endswith(".gz")
    if gzipped:
        name = name[: -len(".gz")]
    suffix = Path(name).suffix
    for syntax in SYNTAXES:
        if suffix in syntax.extensions:
            return syntax, gzipped
    raise UnknownName(f"{path}: cannot tell the RDF syntax from the file name; expected one of {known_names()}")


@dataclass(frozen=True)
class RdfFile:
    """An RDF file to read: its path, its syntax and whether it is gzipped."""

    path: Path
    syntax: Syntax
    gzipped: bool

    def open(self) -> IO[bytes]:
        """Open the file for reading, decompressed; raise InputError."""
        try:
            if self.gzipped:
                return cast(IO[bytes], gzip.open(self.path, "rb"))
            return self.path.open("rb")
        except OSError as error:
            raise InputError(f"{self.path}: cannot read: {error.strerror or error}") from error

    def parsable(self) -> IO[bytes]:
        """Open the file as pyoxigraph parses it: decompressed, the bundled JSON-LD context inlined."""
        raw = self.open()
        if self.syntax.oxigraph != ox.RdfFormat.JSON_LD:
            return raw
        blocks = _json_lines(raw) if self.syntax.lines else _blocks(raw)
        return io.BufferedReader(_Reader(_inline_context(blocks), raw), 1 << 16)


def rdf_files(paths: Iterable[str | os.PathLike[str]]) -> list[RdfFile]:
    """Check every path (a known name, an existing regular file) before any is read; raise PfocrError."""
    files = [Path(p) for p in paths]
    if not files:
        raise UsageError("no RDF file given")
    checked = []
    for path in files:
        syntax, gzipped = syntax_of(path)
        if not path.is_file():
            what = "not a regular file" if path.exists() else "no such file"
            raise InputError(f"{path}: {what}")
        checked.append(RdfFile(path, syntax, gzipped))
    return checked


def iter_quads(file: RdfFile, *, rdflib: bool = False,
               on_restart: Callable[[], None] | None = None) -> Iterator[ox.Quad]:
    """Yield the quads of ``file``, parsed by pyoxigraph (or by rdflib when ``rdflib``); raise InputError.

    When pyoxigraph meets a token over its buffer, the file is read again from its start: N-Triples and
    N-Quads line by line, in the same order, so the quads yielded before are skipped; other syntaxes by
    rdflib, whose order differs, so ``on_restart`` is called and the quads yielded before come again.
    """
    if rdflib:
        yield from _rdflib_quads(file)
        return
    yielded = 0
    try:
        with file.parsable() as stream:
            for quad in ox.parse(stream, file.syntax.oxigraph):
                yield quad
                yielded += 1
    except MemoryError:
        if file.syntax.oxigraph in _LINE_FORMATS:
            yield from itertools.islice(_line_quads(file), yielded, None)
            return
        if on_restart is not None:
            on_restart()
        yield from _rdflib_quads(file)
    except SyntaxError as error:
        raise InputError(f"{file.path}: not valid {file.syntax.oxigraph.name}: {_syntax_message(error)}") from None
    except (OSError, EOFError, ValueError) as error:  # gzip reports truncated or corrupt files this way
        raise InputError(f"{file.path}: cannot read: {error}") from None


def load_quads(store: ox.Store, file: RdfFile, *, merge_graphs: bool = False,
               progress: Callable[[int], None] | None = None) -> int:
    """Add the quads of ``file`` to ``store`` in batches; return how many were read; raise InputError.

    ``merge_graphs`` puts every quad in the default graph. Between batches Python runs, so Ctrl-C and
    SIGTERM stop a load within one batch. ``progress`` is told the quads read so far.
    """
    if file.syntax.oxigraph == ox.RdfFormat.N_TRIPLES or (
            file.syntax.oxigraph == ox.RdfFormat.N_QUADS and not merge_graphs):
        return _bulk_load_lines(store, file, progress)
    read = 0  # quads read, not len(store): Oxigraph counts by reading the whole store
    repeated = 0  # of them, those read again after a restart (see iter_quads)

    def restart() -> None:
        nonlocal repeated
        repeated = read

    def counted() -> Iterator[ox.Quad]:
        nonlocal read
        for quad in iter_quads(file, on_restart=restart):
            read += 1
            yield ox.Quad(quad.subject, quad.predicate, quad.object) if merge_graphs else quad

    quads = counted()
    while batch := list(itertools.islice(quads, _BATCH)):
        store.bulk_extend(batch)
        if progress is not None:
            progress(read - repeated)
    return read - repeated


#: Bytes of N-Triples / N-Quads per bulk load: Oxigraph parses each block on all cores.
_BLOCK = 32 * 1024 * 1024


def _bulk_load_lines(store: ox.Store, file: RdfFile, progress: Callable[[int], None] | None) -> int:
    """Bulk-load a line-based file in blocks cut at line ends: as fast as one bulk load (its parser runs
    on every core), yet Python runs between blocks, so Ctrl-C stops it within one."""
    fmt = file.syntax.oxigraph
    read = 0
    line = 1
    for block in _line_blocks(file):
        lines = [piece for piece in block.splitlines() if piece.strip() and not piece.lstrip().startswith(b"#")]
        try:
            store.bulk_load(block, fmt)
        except MemoryError:  # a line over pyoxigraph's buffer: this block line by line (again: a set)
            store.bulk_extend(list(_quads_of_lines(file, block.splitlines(keepends=True))))
        except SyntaxError as error:
            raise InputError(f"{file.path}: not valid {fmt.name} (in the lines from {line} on): "
                             f"{_syntax_message(error)}") from None
        read += len(lines)
        line += block.count(b"\n")
        if progress is not None:
            progress(read)
    return read


def _line_blocks(file: RdfFile) -> Iterator[bytes]:
    carry = b""
    try:
        with file.open() as stream:
            while data := stream.read(_BLOCK):
                data = carry + data
                cut = max(data.rfind(b"\n"), data.rfind(b"\r")) + 1
                carry = data[cut:]
                if cut:
                    yield data[:cut]
        if carry:
            yield carry
    except (OSError, EOFError) as error:
        raise InputError(f"{file.path}: cannot read: {error}") from None


# --- the bundled JSON-LD context --------------------------------------------------------------------------


@cache
def _context_pattern() -> re.Pattern[bytes]:
    from .writing.jsonld import CONTEXT_URL

    # Quotes inside a JSON string are escaped, so this only matches a real "@context" key.
    return re.compile(rb'"@context"\s{0,16}:\s{0,16}"' + re.escape(CONTEXT_URL.encode()) + rb'"')


@cache
def _inlined() -> bytes:
    from .writing.jsonld import context

    return b'"@context":' + json.dumps(context()["@context"], separators=(",", ":")).encode()


def _blocks(raw: IO[bytes], size: int = 1 << 20) -> Iterator[bytes]:
    while block := raw.read(size):
        yield block


def _json_lines(raw: IO[bytes]) -> Iterator[bytes]:
    """Turn JSON Lines into one JSON-LD document: a top-level array of the lines' objects."""
    yield b"["
    first = True
    for line in raw:
        if line.strip():
            yield line if first else b"," + line
            first = False
    yield b"]"


def _inline_context(blocks: Iterable[bytes]) -> Iterator[bytes]:
    """Replace every reference to the bundled context by the context itself, across block boundaries."""
    pattern, inlined = _context_pattern(), _inlined()
    keep = 2 * len(pattern.pattern)  # longer than any match: a match cut by a block end waits for the next
    carry = b""
    for block in blocks:
        text = pattern.sub(inlined, carry + block)
        carry = text[-keep:]
        if len(text) > keep:
            yield text[:-keep]
    if carry:
        yield pattern.sub(inlined, carry)


class _Reader(io.RawIOBase):
    """A binary stream over an iterator of byte blocks (closing it closes ``raw`` too)."""

    def __init__(self, blocks: Iterator[bytes], raw: IO[bytes]) -> None:
        self._blocks, self._raw, self._pending = blocks, raw, b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        while not self._pending:
            self._pending = next(self._blocks, b"")
            if not self._pending:
                return 0
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n

    def close(self) -> None:
        self._raw.close()
        super().close()


# --- the rdflib path, for tokens over pyoxigraph's buffer -------------------------------------------------


_RDFLIB_FORMATS: Final = {
    ox.RdfFormat.TURTLE: "turtle", ox.RdfFormat.N_TRIPLES: "nt", ox.RdfFormat.N_QUADS: "nquads",
    ox.RdfFormat.JSON_LD: "json-ld", ox.RdfFormat.TRIG: "trig", ox.RdfFormat.N3: "n3",
    ox.RdfFormat.RDF_XML: "xml",
}


#: Lines of N-Triples / N-Quads longer than this go to rdflib one by one; the others to pyoxigraph.
_LONG_LINE = OXIGRAPH_TOKEN_LIMIT // 2
_LAST_TERM = re.compile(rb"\s(<[^<>\s]*>|_:\S+)\s*\.\s*$")


_LINE_FORMATS: Final = (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS)


def _rdflib_quads(file: RdfFile) -> Iterator[ox.Quad]:
    if file.syntax.oxigraph in _LINE_FORMATS:
        yield from _line_quads(file)
        return
    with file.parsable() as stream:
        yield from _rdflib_parse(file, stream.read(), _RDFLIB_FORMATS[file.syntax.oxigraph])


def _line_quads(file: RdfFile) -> Iterator[ox.Quad]:
    """Parse N-Triples or N-Quads line by line: long lines with rdflib, batches of the others with pyoxigraph.

    (rdflib's own N-Triples parser takes minutes on a line of a few MB; its Turtle parser reads N-Triples
    in linear time, so a long line is given to that, its graph name, if any, cut off first.)
    """
    with file.open() as stream:
        yield from _quads_of_lines(file, stream)


def _quads_of_lines(file: RdfFile, lines: Iterable[bytes]) -> Iterator[ox.Quad]:
    fmt = file.syntax.oxigraph
    batch: list[bytes] = []
    number = 0

    def flush() -> Iterator[ox.Quad]:
        try:
            yield from ox.parse(b"".join(batch), fmt)
        except SyntaxError as error:
            raise InputError(f"{file.path}: not valid {fmt.name} (near line {number}): {error}") from None
        batch.clear()

    for number, line in enumerate(lines, start=1):  # noqa: B007 (``number`` is read by flush)
        if len(line) < _LONG_LINE:
            batch.append(line)
            if len(batch) >= _BATCH:
                yield from flush()
            continue
        yield from flush()
        graph = None
        if fmt == ox.RdfFormat.N_QUADS:
            match = _LAST_TERM.search(line)
            body = line if match is None else line[: match.start()] + b" .\n"
            try:
                quads = list(_rdflib_parse(file, body, "turtle")) if match is not None else []
            except InputError:
                quads = []
            if match is None or len(quads) != 1:  # three terms after all: the last was the object
                quads = list(_rdflib_parse(file, line, "turtle"))
            elif match is not None:
                text = match.group(1).decode()
                graph = ox.NamedNode(text[1:-1]) if text.startswith("<") else ox.BlankNode(text[2:])
            for quad in quads:
                yield ox.Quad(quad.subject, quad.predicate, quad.object, graph or ox.DefaultGraph())
        else:
            yield from _rdflib_parse(file, line, "turtle")
    yield from flush()


def _rdflib_parse(file: RdfFile, data: bytes, rdflib_format: str) -> Iterator[ox.Quad]:
    from rdflib import BNode, Dataset, Literal, URIRef
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    def term(node: object) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        if isinstance(node, URIRef):
            return ox.NamedNode(str(node))
        if isinstance(node, BNode):
            return ox.BlankNode(str(node))
        if isinstance(node, Literal):
            if node.language:
                return ox.Literal(str(node), language=node.language)
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)) if node.datatype else None)
        raise InputError(f"{file.path}: cannot read a {type(node).__name__} term")

    dataset = Dataset()
    try:
        dataset.parse(data=data, format=rdflib_format)
    except Exception as error:  # rdflib's parsers raise many kinds; each is bad input here
        raise InputError(f"{file.path}: not valid {file.syntax.oxigraph.name}: {error}") from None
    for s, p, o, g in dataset.quads((None, None, None, None)):
        graph_id = getattr(g, "identifier", g)
        graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph = ox.DefaultGraph()
        if graph_id is not None and graph_id != DATASET_DEFAULT_GRAPH_ID:
            named = term(graph_id)
            graph = named if not isinstance(named, ox.Literal) else ox.DefaultGraph()
        subject, predicate, object_ = term(s), term(p), term(o)
        if isinstance(subject, ox.Literal) or not isinstance(predicate, ox.NamedNode):
            raise InputError(f"{file.path}: a literal subject or a predicate that is not an IRI")
        yield ox.Quad(subject, predicate, object_, graph)


def _syntax_message(error: SyntaxError) -> str:
    return str(error.msg if error.msg else error)
