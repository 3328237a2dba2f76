"""The export pipeline: read records, map them, write them; account for every record.

This stage wires the others together and owns what spans records: each description is written once
(by block key, first seen wins), the counts for the release description, the rejects report, and
the rule that a run ends with ``read = exported + rejected``. It holds one record at a time plus the
set of keys already written, so memory stays flat as the corpus grows. A record's text is rendered in
full before any of it is written, so a record that fails to serialize leaves no half in the output.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timezone
from io import StringIO
from pathlib import Path
from typing import IO

from rdflib import URIRef

from . import __version__
from .errors import RecordError, RecordFault
from .mapping import Block, Triple, map_record, release_blocks
from .namespaces import DEFAULT_BASE
from .reading import RecordFile, discover, iter_records
from .records import FigureRecord
from .writing import NTriplesWriter, atomic_output, format_for

__all__ = ["ExportSummary", "StrictStop", "export", "generated_time", "records_of", "triples_of"]


class StrictStop(RecordError):
    """``--strict`` stopped the export at the first bad record."""


@dataclass
class ExportSummary:
    """What an export did: the numbers its closing summary prints."""

    read: int = 0
    exported: int = 0
    rejected: int = 0
    triples: int = 0
    seconds: float = 0.0
    warnings: int = 0
    faults: list[RecordFault] = field(default_factory=list)
    output: str = "-"

    def line(self) -> str:
        """Return the one-line closing summary."""
        return (f"read {self.read} records: {self.exported} exported, {self.rejected} rejected; "
                f"{self.triples} triples written to {self.output} in {self.seconds:.2f} s")


def generated_time(files: Sequence[RecordFile]) -> str:
    """Return the release time: ``SOURCE_DATE_EPOCH`` when set, else the newest input file's mtime.

    Either way the same input gives the same time, so the output is byte-identical from run to run.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        stamp = int(epoch)
    else:
        stamp = max((int(f.path.stat().st_mtime) for f in files), default=0)
    return datetime.fromtimestamp(stamp, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def export(
    sources: Iterable[str | Path],
    *,
    output: str | Path | None = None,
    format: str | None = None,
    base: str = DEFAULT_BASE,
    strict: bool = False,
    rejects: str | Path | None = None,
    warn: Callable[[str], None] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ExportSummary:
    """Export PFOCR records from trees, folders or files to one RDF file (stdout when ``output`` is None).

    Raises InputError for missing sources, UsageError for an unknown format, StrictStop with
    ``strict=True`` at the first bad record (nothing is then left under the output name).
    """
    started = time.perf_counter()
    fmt = format_for(format, output)
    if not base.endswith(("/", "#")):
        base += "/"
    files = discover(sources)
    summary = ExportSummary(output=str(output) if output not in (None, "-") else "-")
    warnings = Counter[str]()

    def _warn(message: str) -> None:
        warnings["n"] += 1
        if warn is not None:
            warn(message)

    with _open(output) as stream, _rejects_file(rejects) as rejects_stream:
        writer = fmt.writer(stream)
        writer.start()
        seen: set[str] = set()
        entities: Counter[URIRef] = Counter()
        for item in iter_records(files, warn=_warn):
            summary.read += 1
            if isinstance(item, RecordFault):
                _reject(summary, item, rejects_stream, strict)
            else:
                try:
                    text, new_keys, counts = _render(writer, map_record(item, base=base), seen)
                except (ValueError, TypeError, KeyError, UnicodeError) as err:
                    fault = RecordFault(item.source, None, None, f"cannot be mapped: {err}", item.figid)
                    _reject(summary, fault, rejects_stream, strict)
                else:
                    stream.write(text)
                    seen.update(new_keys)
                    entities.update(counts)
                    summary.exported += 1
            if progress is not None:
                progress(summary.read, len(files))
        content_triples = writer.count
        release = release_blocks(
            base=base, triples=content_triples, entities=entities, generated=generated_time(files),
            version=__version__, formats=[(fmt.name, fmt.media_type)],
        )
        for block in release:
            writer.write(block.triples)
        writer.finish()
        summary.triples = writer.count
    summary.warnings = warnings["n"]
    summary.seconds = time.perf_counter() - started
    return summary


def _render(
    writer: NTriplesWriter, blocks: list[Block], seen: set[str]
) -> tuple[str, list[str], Counter[URIRef]]:
    """Render a record's new blocks to text without writing; return the text, new keys and node counts."""
    buffer = StringIO()
    stream, writer.stream = writer.stream, buffer
    before = writer.count
    new_keys: list[str] = []
    counts: Counter[URIRef] = Counter()
    try:
        for block in blocks:
            if block.key is not None:
                if block.key in seen or block.key in new_keys:
                    continue
                new_keys.append(block.key)
                if block.kind is not None:
                    counts[block.kind] += 1
            for cls, n in block.counts:
                counts[cls] += n
            writer.write(block.triples)
    except BaseException:
        writer.count = before
        raise
    finally:
        writer.stream = stream
    return buffer.getvalue(), new_keys, counts


def _reject(summary: ExportSummary, fault: RecordFault, rejects: IO[str] | None, strict: bool) -> None:
    summary.rejected += 1
    summary.faults.append(fault)
    if rejects is not None:
        rejects.write(json.dumps(fault.as_dict(), ensure_ascii=False) + "\n")
    if strict:
        raise StrictStop(fault.file, fault.reason, line=fault.line, field=fault.field, figid=fault.figid)


@contextmanager
def _open(output: str | Path | None) -> Iterator[IO[str]]:
    if output is None or str(output) == "-":
        yield sys.stdout
        sys.stdout.flush()
    else:
        with atomic_output(output) as stream:
            yield stream


def _rejects_file(path: str | Path | None) -> "contextmanager[IO[str] | None]":  # type: ignore[valid-type]
    return atomic_output(path) if path is not None else nullcontext(None)  # type: ignore[return-value]


def triples_of(sources: Iterable[str | Path], *, base: str = DEFAULT_BASE) -> Iterator[Triple]:
    """Yield the triples an export writes for the good records of the sources, release excluded.

    The same selection as :func:`export` (each keyed description once, first seen wins), without any
    writing: the reference for tests and for the benchmark's rdflib baseline.
    """
    seen: set[str] = set()
    for record in records_of(sources):
        for block in map_record(record, base=base):
            if block.key is not None:
                if block.key in seen:
                    continue
                seen.add(block.key)
            yield from block.triples


def records_of(sources: Iterable[str | Path]) -> Iterator[FigureRecord]:
    """Yield the good records of the sources, silently skipping bad ones (for tests and benchmarks)."""
    for item in iter_records(discover(sources), warn=lambda _: None):
        if isinstance(item, FigureRecord):
            yield item
