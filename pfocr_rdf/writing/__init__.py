"""Writing: triples to Turtle, N-Triples, N-Quads or JSON-LD, streamed, into files never left truncated.

Writers know triples and formats, nothing of PFOCR. A :class:`~.base.Serializer` renders one block of
triples at a time to text, so memory does not grow with the corpus and worker processes can render
while the parent writes. Terms are serialized by hand (rdflib's own serializers hold the whole graph and
slow down as it grows); tests check every format against rdflib, pyoxigraph and pyld.

Formats live in one registry, :data:`FORMATS`; ``--format`` choices come from it. A name ending in
``.gz`` is compressed (deterministically: no time stamp or file name in the gzip header).
"""

from __future__ import annotations

import gzip
import io
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, BinaryIO, Literal, cast

from ..errors import UsageError
from .base import Serializer, Triple
from .jsonld import JsonLd, JsonLines
from .lines import NQuads, NTriples
from .turtle import Turtle

__all__ = [
    "FORMATS",
    "Format",
    "FormatName",
    "NTriplesWriter",
    "Serializer",
    "StreamWriter",
    "Triple",
    "TurtleWriter",
    "atomic_output",
    "format_for",
]

FormatName = Literal["turtle", "nt", "nquads", "jsonld", "jsonl"]


@dataclass(frozen=True)
class Format:
    """One output format: its name, serializer, file extensions and media type."""

    name: FormatName
    serializer: type[Serializer]

    @property
    def extensions(self) -> tuple[str, ...]:
        """The file name endings that select this format."""
        return self.serializer.extensions

    @property
    def media_type(self) -> str:
        """The format's IANA media type."""
        return self.serializer.media_type


FORMATS: dict[str, Format] = {
    "turtle": Format("turtle", Turtle),
    "nt": Format("nt", NTriples),
    "nquads": Format("nquads", NQuads),
    "jsonld": Format("jsonld", JsonLd),
    "jsonl": Format("jsonl", JsonLines),
}


def _suffix(path: str | Path) -> str:
    name = Path(path).name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return Path(name).suffix


def format_for(name: str | None, path: str | Path | None = None) -> Format:
    """Return the format named ``name``, else the one the file name implies, else Turtle.

    Raises UsageError for an unknown name or file extension, listing the valid ones.
    """
    if name is not None:
        try:
            return FORMATS[name]
        except KeyError:
            raise UsageError(f"unknown format {name!r}; choose one of: {', '.join(FORMATS)}") from None
    if path is not None and str(path) != "-":
        suffix = _suffix(path)
        for fmt in FORMATS.values():
            if suffix in fmt.extensions:
                return fmt
        known = ", ".join(ext for fmt in FORMATS.values() for ext in fmt.extensions)
        raise UsageError(f"cannot tell the format of {path} from its extension ({known}, "
                         "each optionally with .gz); use --format")
    return FORMATS["turtle"]


@contextmanager
def atomic_output(path: str | Path, *, compress: bool | None = None) -> Iterator[IO[str]]:
    """Open ``path`` for text as a careful program writes a file; raise UsageError or OSError.

    A regular file (or a new one) is written through a temporary file beside it that replaces it only
    when the block succeeds: a failure or interruption (even SIGKILL) leaves the previous file, or
    none, under the final name. The file gets the permissions a plain write would give it (an existing
    file keeps its mode and, where allowed, its owner; a new one gets 0666 less the umask). A symbolic
    link is followed: its target is replaced, the link stays. A character device (``/dev/null``,
    ``/dev/stdout``), a FIFO or a socket is written directly, as there is nothing to replace; a folder
    or a block device is refused. ``compress`` (default: the name ends in ``.gz``) writes gzip with a
    fixed header, so the same text gives the same bytes.
    """
    given = Path(path)
    if compress is None:
        compress = given.name.lower().endswith(".gz")
    target = Path(os.path.realpath(given)) if given.is_symlink() else given
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and stat.S_ISDIR(mode):
        raise UsageError(f"{path}: is a folder, not a file to write")
    if mode is not None and stat.S_ISBLK(mode):
        raise UsageError(f"{path}: is a block device; refusing to write over it")
    if mode is not None and not stat.S_ISREG(mode):
        with open(target, "wb") as raw:  # a device, FIFO or socket: nothing to replace, write through
            with _encoded(cast(BinaryIO, raw), compress) as stream:
                yield stream
        return
    folder = target.parent if str(target.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name[:200]}.", suffix=".part", dir=folder)
    try:
        _copy_permissions(handle, target, mode)
        with os.fdopen(handle, "wb") as raw:
            with _encoded(cast(BinaryIO, raw), compress) as stream:
                yield stream
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _copy_permissions(handle: int, target: Path, mode: int | None) -> None:
    """Give the temporary file the mode (and owner) the target has, or a new file's mode."""
    if mode is None:
        os.fchmod(handle, 0o666 & ~_umask())
        return
    os.fchmod(handle, stat.S_IMODE(mode))
    info = target.stat()
    try:
        os.fchown(handle, info.st_uid, info.st_gid)
    except OSError:
        pass  # not allowed (not root, not the owner): the file becomes ours, as a replaced file does


def _umask() -> int:
    # os.umask only sets; set it back at once (no thread of ours creates files meanwhile)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextmanager
def _encoded(raw: BinaryIO, compress: bool) -> Iterator[IO[str]]:
    if compress:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6) as zipped, \
                _text(cast(BinaryIO, zipped)) as stream:
            yield stream
    else:
        with _text(raw) as stream:
            yield stream


@contextmanager
def _text(binary: BinaryIO) -> Iterator[IO[str]]:
    wrapper = io.TextIOWrapper(binary, encoding="utf-8", newline="\n", write_through=False)
    try:
        yield wrapper
        wrapper.flush()
    finally:
        wrapper.detach()


class StreamWriter:
    """Writes blocks of triples to a text stream with one serializer; counts the triples written."""

    serializer_class: type[Serializer] = Turtle

    def __init__(self, stream: IO[str], serializer: Serializer | None = None) -> None:
        self.stream = stream
        self.serializer = serializer or self.serializer_class()
        self.count = 0
        self._blocks = 0

    def start(self) -> None:
        """Write the serializer's header."""
        self.stream.write(self.serializer.header())

    def write(self, triples: Iterable[Triple]) -> None:
        """Write one block of triples."""
        block = list(triples)
        text = self.serializer.render(block)
        if text:
            if self._blocks and self.serializer.separator:
                self.stream.write(self.serializer.separator)
            self.stream.write(text)
            self._blocks += 1
        self.count += len(block)

    def finish(self) -> None:
        """Write the serializer's footer."""
        self.stream.write(self.serializer.footer())


class TurtleWriter(StreamWriter):
    """A :class:`StreamWriter` for Turtle."""

    serializer_class = Turtle


class NTriplesWriter(StreamWriter):
    """A :class:`StreamWriter` for N-Triples."""

    serializer_class = NTriples
