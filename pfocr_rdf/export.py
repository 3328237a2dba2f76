"""The export pipeline: read records, map them, render them, write them; account for every record.

This stage wires the others together and owns what spans records: each description is written once
(by block key, first seen wins, in file order), the counts for the release description, the rejects
report, figids claimed twice, and the rule that a run ends with ``read = exported + rejected``.

Records are read, mapped and rendered to text in order, by this process or by ``jobs`` worker
processes that each take a chunk of files; this process alone decides what is written, in file order,
so the output is byte-identical whatever ``jobs`` is. It holds a bounded window of records plus the
set of keys already written: memory stays flat as the corpus grows. A record's text is complete before
any of it is written, so a record that fails leaves no half in the output.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import re
import signal
import sys
import threading
import time
import zlib
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, NamedTuple

from rdflib import URIRef

from . import __version__
from .errors import RecordError, RecordFault, UsageError
from .mapping import Block, Triple, WordIndex, load_vocabulary, map_record, release_blocks, word_matches
from .namespaces import DEFAULT_BASE
from .organisms import Organisms
from .reading import Claims, RecordFile, discover, figure_iri_of, iter_records, organism_pages, read_one
from .records import FigureRecord
from .rendering import Rendered, Renderer, renderer_for
from .writing import FORMATS, Format, Serializer, atomic_output, format_for

__all__ = [
    "ExportSummary",
    "Snapshot",
    "StrictStop",
    "default_jobs",
    "export",
    "generated_time",
    "parse_partition",
    "records_of",
    "source_snapshot",
    "triples_of",
]

_CHUNK = 32  # records per task handed to a worker process
_MAX_DEFAULT_JOBS = 8  # beyond this the parent, which writes alone, is the limit

#: Shard and release file names this exporter writes in a shard folder (any format, gzipped or not).
_SHARD_NAME = re.compile(r"(pfocr-\d{5}|release)(\.[a-z]+)(\.gz)?")


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
    files: list[str] = field(default_factory=list)
    faults: list[RecordFault] = field(default_factory=list)
    output: str = "-"
    organism_names: int = 0  # organism names of exported records (curated and NER), each time it occurs
    organisms_resolved: int = 0  # of which resolved to one NCBI taxon
    unresolved: Counter[tuple[str, str]] = field(default_factory=Counter)  # (name, why) -> occurrences
    removed: list[str] = field(default_factory=list)  # stale shards of an earlier export, removed

    def line(self) -> str:
        """Return the one-line closing summary."""
        removed = (f"; removed {len(self.removed)} shard file(s) of an earlier export from that folder"
                   if self.removed else "")
        return (f"read {self.read} records: {self.exported} exported, {self.rejected} rejected; "
                f"{self.triples} triples written to {self.output} in {self.seconds:.2f} s; "
                f"{self.organisms_resolved} of {self.organism_names} organism names resolved to an NCBI taxon"
                f"{removed}")


class _Done(NamedTuple):
    """One record file, processed: its rendered blocks, or the fault that rejects it.

    Flat tuples of strings and numbers, not a tuple of block objects: a worker sends one per record, and
    pickling a hundred small objects per record cost more than rendering it.
    """

    file: RecordFile
    figid: str | None
    iri: str | None  # the figure's IRI
    fault: RecordFault | None
    warnings: tuple[str, ...]
    organisms: tuple[tuple[str, str], ...] = ()  # (name, status) of each organism name of the record
    keys: tuple[str | None, ...] = ()  # the rendered blocks, in order: key (None: written each time),
    kinds: tuple[str | None, ...] = ()  # class of the node described (VoID counts),
    texts: tuple[str, ...] = ()  # text
    triples: tuple[int, ...] = ()  # and number of triples
    counts: tuple[tuple[str, int], ...] = ()  # nodes per class in the unkeyed blocks
    skipped: tuple[str, ...] = ()  # keys of blocks not rendered: the process that read it rendered them before
    words: tuple[tuple[str, int], ...] = ()  # what the record adds to the OCR-word counts (word_matches)


def _done(file: RecordFile, figid: str, iri: str, rendered: Rendered, warnings: tuple[str, ...],
          organisms: tuple[tuple[str, str], ...], words: tuple[tuple[str, int], ...]) -> _Done:
    blocks = rendered.blocks
    return _Done(
        file, figid, iri, None, warnings, organisms,
        keys=tuple([b.key for b in blocks]), kinds=tuple([b.kind for b in blocks]),
        texts=tuple([b.text for b in blocks]), triples=tuple([b.triples for b in blocks]),
        counts=tuple([c for b in blocks for c in b.counts]), skipped=tuple(rendered.skipped), words=words,
    )


class Snapshot(NamedTuple):
    """What the input is: its time (an ``xsd:dateTime`` lexical form) and, for a git checkout, its commit."""

    time: str
    commit: str | None = None


def source_snapshot(files: Sequence[RecordFile]) -> Snapshot:
    """Return the input's time and commit: a clean git checkout's HEAD and commit time, else
    ``SOURCE_DATE_EPOCH`` when set, else the newest input file's mtime.

    Two clones of one commit give the same snapshot (a clone's file times are the clone's, not the data's),
    so they export byte-identical files. A checkout with changes to the exported files is not that commit:
    its time comes from the fallbacks and no commit is named.
    """
    commit = _git_commit(files)
    if commit is not None:
        return Snapshot(_utc(commit[1]), commit[0])
    return Snapshot(generated_time(files))


def generated_time(files: Sequence[RecordFile]) -> str:
    """Return ``SOURCE_DATE_EPOCH`` when set, else the newest input file's mtime, as an ``xsd:dateTime``."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None and epoch.strip():
        text = epoch.strip()
        # a year must have four digits in xsd:dateTime: 253402300799 is 9999-12-31T23:59:59Z
        if not (text.isascii() and text.isdigit() and len(text) <= 12 and int(text) <= 253402300799):
            raise UsageError(f"SOURCE_DATE_EPOCH={epoch[:40]!r}: expected seconds since 1970 as a whole "
                             "number from 0 to 253402300799 (9999-12-31)")
        stamp = int(text)
    else:
        stamp = max((_mtime(f.path) for f in files), default=0)
    return _utc(stamp)


def _utc(stamp: int) -> str:
    return datetime.fromtimestamp(stamp, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _git_commit(files: Sequence[RecordFile]) -> tuple[str, int] | None:
    """Return (HEAD, its commit time) when every file is in one git work tree with no change under the
    exported folders, else None. Needs the ``git`` command; without it, None."""
    import subprocess

    if not files:
        return None
    folders = sorted({str(f.path.parent.resolve()) for f in files})
    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", "-C", folders[0], *args], capture_output=True, text=True, timeout=120,
                                  check=False)
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    top = git("rev-parse", "--show-toplevel")
    if not top or not all(Path(folder).is_relative_to(Path(top).resolve()) for folder in folders):
        return None
    head, when = git("rev-parse", "HEAD"), git("log", "-1", "--format=%ct")
    data_dirs = sorted({str(d.resolve()) for f in files for d in f.data_dirs if d.is_dir()} | set(folders))
    # untracked or ignored files are not in the commit either: any line means "not that commit"
    status = git("status", "--porcelain", "--untracked-files=all", "--ignored", "--", *data_dirs)
    if not head or not when or not when.isdigit() or status is None or status:
        return None
    return head, int(when)


def _mtime(path: Path) -> int:
    try:
        return int(path.stat().st_mtime)
    except OSError:
        return 0  # unreadable (a symlink loop, say): the record is rejected when it is read


def default_jobs() -> int:
    """Return the default number of worker processes: the CPUs this process may use, at most 8."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        usable = os.cpu_count() or 1
    return max(1, min(usable, _MAX_DEFAULT_JOBS))


def parse_partition(text: str) -> tuple[int, int]:
    """Return (K, N) from ``"K/N"``; raise UsageError unless 1 <= K <= N."""
    head, _, tail = text.partition("/")
    if not (head.isdigit() and tail.isdigit() and 1 <= int(head) <= int(tail)):
        raise UsageError(f"--partition {text!r}: expected K/N with 1 <= K <= N, e.g. 2/8")
    return int(head), int(tail)


def _checked_base(base: str) -> str:
    """Return the base IRI ending in ``/`` or ``#``; raise UsageError unless it is an absolute, clean IRI."""
    from .identifiers import IdentifierError, encode_iri

    scheme, colon, rest = base.partition(":")
    try:
        clean = colon and scheme.isascii() and scheme[:1].isalpha() and rest and encode_iri(base) == base
    except IdentifierError:
        clean = False
    if not clean:
        raise UsageError(f"--base {base!r}: expected an absolute IRI with nothing to escape, "
                         "e.g. https://example.org/pfocr/")
    return base if base.endswith(("/", "#")) else base + "/"


def _check_targets(files: Sequence[RecordFile], *, output: str | Path | None, rejects: str | Path | None) -> None:
    """Raise UsageError when an output would overwrite an input (a record or a TSV), or the other output."""
    targets = {name: Path(str(path)) for name, path in (("-o", output), ("--rejects", rejects))
               if path is not None and str(path) != "-"}
    if len({os.path.realpath(path) for path in targets.values()}) < len(targets):
        raise UsageError(f"-o and --rejects name the same file ({output}): give two different files")
    identities: dict[tuple[int, int], str] = {}
    for name, path in targets.items():
        try:
            info = path.stat()
        except OSError:
            continue  # not there yet: it can be neither an input nor the other output
        if not os.path.isfile(path):
            continue  # devices and FIFOs: writing there replaces nothing
        key = (info.st_dev, info.st_ino)
        if key in identities:
            raise UsageError(f"{name} {path} is the same file as {identities[key]}: give two different files")
        identities[key] = f"{name} {path}"
    if not identities:
        return
    # Each folder is listed once; only links cost a stat (a plain entry's inode comes with the listing).
    folders = {f.path.parent for f in files} | {d for f in files for d in f.data_dirs}
    for folder in sorted(folders):
        try:
            device = folder.stat().st_dev
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if not entry.name.endswith((".md", ".tsv")):
                continue
            try:
                key = (device, entry.inode())
                if entry.is_symlink():
                    info = entry.stat()
                    key = (info.st_dev, info.st_ino)
            except OSError:
                continue
            if key in identities:
                raise UsageError(f"{identities[key]} is an input ({entry.path}); "
                                 "writing there would destroy it: choose another output file")


def _in_partition(file: RecordFile, partition: tuple[int, int]) -> bool:
    # the file name is the figid in PFOCR's layout; hashing it needs no read, so parts never overlap
    k, n = partition
    return zlib.crc32(file.path.stem.encode("utf-8")) % n == k - 1


def export(
    sources: Iterable[str | Path],
    *,
    output: str | Path | None = None,
    format: str | None = None,
    base: str = DEFAULT_BASE,
    strict: bool = False,
    rejects: str | Path | None = None,
    jobs: int | None = 1,
    shard_records: int | None = None,
    compress: bool = False,
    partition: tuple[int, int] | None = None,
    validate: bool = False,
    warn: Callable[[str], None] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ExportSummary:
    """Export PFOCR records from trees, folders or files to RDF.

    ``output`` is a file (standard output when None), or with ``shard_records`` a folder that gets
    numbered files of that many records each plus ``release`` (each file parses on its own).
    ``validate`` checks each record's triples against the SHACL shapes and rejects those that violate them.
    ``jobs`` worker processes (None: :func:`default_jobs`) render records; never more than there are
    chunks of records, and the output is the same for any number. An output or rejects file must not be
    one of the inputs, nor each other; ``compress`` needs a name ending in ``.gz`` (or shards).
    Raises InputError for missing sources, UsageError for bad options, StrictStop with ``strict=True``
    at the first bad record (nothing is then left under the output name).
    """
    started = time.perf_counter()
    base = _checked_base(base)
    if jobs is None:
        jobs = default_jobs()
    if jobs < 1:
        raise UsageError(f"--jobs {jobs}: expected 1 or more")
    if shard_records is not None:
        if shard_records < 1:
            raise UsageError(f"--shard-records {shard_records}: expected 1 or more")
        if output is None or str(output) == "-":
            raise UsageError("--shard-records needs -o FOLDER")
        fmt = format_for(format or "turtle")
    else:
        fmt = format_for(format, output)
        if compress and (output is None or str(output) == "-" or not str(output).lower().endswith(".gz")):
            raise UsageError("--compress writes gzip: name the output FILE.gz (a name ending in .gz is "
                             "compressed without --compress), or use it with --shard-records")
    if jobs > 1 and sys.platform != "win32":  # workers are forked (see _results)
        # Load the shipped tables first, which forked workers then share: decompressing the NCBI name table
        # takes ~170 MB for a moment, best taken before the list of a whole corpus's files is in memory too.
        Organisms().load_tables()
    everything = discover(sources)
    files = everything
    if partition is not None:
        files = [f for f in files if _in_partition(f, partition)]
    _check_targets(everything, output=None if shard_records is not None else output, rejects=rejects)
    graph = f"{base}dataset"
    summary = ExportSummary(output=str(output) if output not in (None, "-") else "-")
    warnings = Counter[str]()

    def _warn(message: str) -> None:
        warnings["n"] += 1
        if warn is not None:
            warn(message)

    organisms = Organisms(organism_pages(files, warn=_warn))
    claims = Claims(files, universe=everything)
    seen: set[str] = set()
    entities: Counter[str] = Counter()
    # The ambiguous OCR words count over the whole corpus: a part of it cannot say how many genes a word matched.
    words = WordIndex() if partition is None else None
    if words is None:
        _warn("--partition: the ambiguous OCR words (pfocr:AmbiguousWord) count over the whole corpus and are "
              "not written by a part; export without --partition to have them")
    with ExitStack() as stack:
        stack.enter_context(_few_collections())
        rejects_stream = stack.enter_context(atomic_output(rejects)) if rejects is not None else None
        if shard_records is not None:
            sink: _Sink = stack.enter_context(_ShardSink(Path(str(output)), fmt, graph, shard_records, compress))
        else:
            sink = stack.enter_context(_FileSink(output, fmt, graph, compress))
        # this process's renderer (with its caches), for --jobs 1 and for records taken back from a worker
        renderer = renderer_for(fmt.serializer(graph=graph), base=base, organisms=organisms)
        results = _results(files, fmt=fmt, renderer=renderer, graph=graph, jobs=jobs, seen=seen, validate=validate,
                           organisms=organisms)
        for done in results:
            # this process's own RecordFile, not a worker's copy: the claims keep its path for the whole run
            file = files[summary.read]
            summary.read += 1
            for message in done.warnings:
                _warn(message)
            fault = done.fault
            if fault is None and done.figid is not None:
                fault = claims.settle(file.location, done.figid, done.iri)
            if fault is None and not seen.issuperset(done.skipped):
                # a worker skipped a block it had rendered for a record this process then rejected
                done = _process(file, renderer, None, organisms=organisms)
                fault = done.fault
            if fault is not None:
                _reject(summary, fault, rejects_stream, strict)
            else:
                texts: list[str] = []
                for key, kind, text, triples in zip(done.keys, done.kinds, done.texts, done.triples, strict=True):
                    if key is not None:
                        if key in seen:
                            continue
                        seen.add(key)
                        if kind is not None:
                            entities[kind] += 1
                    texts.append(text)
                    summary.triples += triples
                for cls, n in done.counts:
                    entities[cls] += n
                sink.record(texts)
                if words is not None:
                    words.add(done.words)
                summary.exported += 1
                for name, status in done.organisms:
                    summary.organism_names += 1
                    if status == "resolved":
                        summary.organisms_resolved += 1
                    else:
                        summary.unresolved[name, status] += 1
            if progress is not None:
                progress(summary.read, len(files))
        for block in words.blocks(base) if words is not None else ():
            sink.release(block.triples)
            summary.triples += len(block.triples)
            for cls, n in block.counts:
                entities[str(cls)] += n
        snapshot = source_snapshot(files)
        release = release_blocks(
            base=base, triples=summary.triples, entities={URIRef(k): n for k, n in entities.items()},
            generated=snapshot.time, commit=snapshot.commit,
            version=__version__, formats=[(fmt.name, fmt.media_type)],
        )
        for release_block in release:
            sink.release(release_block.triples)
            summary.triples += len(release_block.triples)
        summary.files = sink.close()
        if isinstance(sink, _ShardSink):
            summary.removed = sink.remove_stale()
    for (name, status), count in sorted(summary.unresolved.items()):
        why = ("NCBI Taxonomy gives this name to several taxa; kept as a name only" if status == "ambiguous"
               else "not an NCBI Taxonomy name; kept as a name only")
        _warn(f"organism name {name!r} ({count}x): {why}")
    summary.warnings = warnings["n"]
    summary.seconds = time.perf_counter() - started
    return summary


@contextmanager
def _few_collections() -> Iterator[None]:
    """Run the cyclic garbage collector rarely: an export allocates millions of short-lived tuples that
    reference counting frees, and frequent collections cost about a tenth of its time."""
    previous = gc.get_threshold()
    gc.set_threshold(200_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*previous)


def _results(
    files: Sequence[RecordFile], *, fmt: Format, renderer: Renderer, graph: str, jobs: int, seen: set[str],
    validate: bool, organisms: Organisms,
) -> Iterator[_Done]:
    """Yield each file's processed record in file order, from this process or from worker processes."""
    jobs = min(jobs, -(-len(files) // _CHUNK))  # never more workers than chunks of records
    if jobs <= 1:
        for file in files:
            # the parent's set: read, not added to
            yield _process(file, renderer, seen, validate, organisms=organisms)
        return
    chunks = (files[i:i + _CHUNK] for i in range(0, len(files), _CHUNK))
    context = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
    if context.get_start_method() == "fork":
        organisms.load_tables()  # once, here: forked workers share it (the table is ~85 MB)
        load_vocabulary()
    with _signals_blocked():  # only while it forks: see _signals_blocked
        pool = context.Pool(jobs, initializer=_worker_init, initargs=(fmt.name, graph, renderer.base, organisms))
    if context.get_start_method() == "fork":
        # The workers resolve the names and hold their copy of the table; this process only writes (it reads
        # the table again if it must render a record itself): 86 MB less for it to carry through the export.
        organisms.release_tables()
    with _stop_signals_deferred() as stopped, pool:
        pending: deque[multiprocessing.pool.AsyncResult[list[_Done]]] = deque()
        for chunk in chunks:
            pending.append(pool.apply_async(_process_chunk, (chunk, validate)))
            if len(pending) >= 3 * jobs:
                yield from _collect(pending.popleft(), stopped)
        while pending:
            yield from _collect(pending.popleft(), stopped)


class _Stopped(Exception):
    """A stop signal arrived while the pool ran; raised where the pool's own locks are not held."""


def _collect(result: multiprocessing.pool.AsyncResult[list[_Done]], stopped: list[int]) -> list[_Done]:
    while not stopped:
        try:
            return result.get(timeout=0.1)
        except multiprocessing.TimeoutError:
            continue
    raise _Stopped


@contextmanager
def _stop_signals_deferred() -> Iterator[list[int]]:
    """Note Ctrl-C and SIGTERM while the pool runs; act on them once the pool has been ended.

    Raised at an arbitrary point in the parent, KeyboardInterrupt can land inside the pool's own
    locking (a ``Condition.wait`` in ``AsyncResult.get``, a queue put) and leave ``Pool.terminate``
    waiting forever. Here the handlers only note the signal; ``_collect`` stops at a safe point, the pool
    is terminated, and then the signal is raised again under the previous handler, so the command line
    reports it exactly as it reports a signal anywhere else.
    """
    if threading.current_thread() is not threading.main_thread():
        yield []  # only the main thread receives signals (and may set their handlers)
        return
    stopped: list[int] = []

    def note(signum: int, frame: object) -> None:
        stopped.append(signum)

    # a signal the caller ignores (SIGINT in a background job) stays ignored
    previous = {sig: signal.signal(sig, note) for sig in _STOP_SIGNALS
                if signal.getsignal(sig) is not signal.SIG_IGN}
    try:
        yield stopped
    except _Stopped:
        pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if stopped:
        signal.raise_signal(stopped[0])
        raise KeyboardInterrupt  # the previous handler returned: still, the records were not all read


_STOP_SIGNALS = frozenset({signal.SIGINT, signal.SIGTERM})


@contextmanager
def _signals_blocked() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM while the pool forks its workers, deliver them once it has.

    A worker forked with the signals open could be hit by a Ctrl-C to the process group before
    ``_worker_init`` ignores it; a worker that dies that way can leave the pool's queue lock held and
    ``Pool.terminate`` waiting for it forever. Forked with them blocked, each worker opens them only after
    it ignores them; a signal that arrives meanwhile reaches the parent as soon as the pool exists. The pool's own
    threads keep them blocked, and so do the workers they fork to replace one.
    """
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)


class _Worker(NamedTuple):
    """What a worker process keeps across the chunks of one export."""

    renderer: Renderer
    organisms: Organisms
    # The keys of the blocks this worker has rendered, for records the parent takes in order after those
    # it got from here before: it has written them already (see _Done.skipped).
    rendered: set[str]


_worker: _Worker | None = None  # set in each worker process by _worker_init, never in the parent


def _worker_init(format_name: str, graph: str, base: str, organisms: Organisms) -> None:
    global _worker
    # Workers ignore Ctrl-C and die quietly when the pool ends them: the parent alone stops the run,
    # cleans up, and reports it once (a forked worker would otherwise inherit the CLI's SIGTERM handler).
    # They start with both signals blocked (see _signals_blocked) and open them once ignored.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
    gc.set_threshold(200_000, 50, 100)  # as in the parent (see _few_collections)
    serializer = format_for(format_name).serializer(graph=graph)
    _worker = _Worker(renderer_for(serializer, base=base, organisms=organisms), organisms, set())


def _process_chunk(files: list[RecordFile], validate: bool) -> list[_Done]:
    if _worker is None:
        raise RuntimeError("_process_chunk runs in a worker process started by _results")
    renderer, organisms, rendered = _worker
    return [_process(file, renderer, rendered, validate, remember=True, organisms=organisms) for file in files]


def _process(
    file: RecordFile,
    renderer: Renderer,
    seen: set[str] | None,
    validate: bool = False,
    *,
    remember: bool = False,
    organisms: Organisms,
) -> _Done:
    """Read, map and render one record file.

    Blocks whose key is in ``seen`` are not rendered (their text is None); with ``remember`` the keys
    rendered here are added to ``seen`` (a worker's own set; the parent's is only read).
    """
    warnings: list[str] = []
    result = read_one(file, warn=warnings.append)
    if isinstance(result, RecordFault):
        return _Done(file, result.figid, None, result, tuple(warnings))
    iri = figure_iri_of(result)
    try:
        local = {g.organism_name: g.taxon for g in result.genes if g.organism_name and g.taxon}
        statuses = tuple((name, organisms.resolve(name, local).status)
                         for name in (*result.organisms, *result.ner_organisms))
        if validate:
            # the shapes check the triples themselves: the reference path, whatever the format
            blocks = map_record(result, base=renderer.base, organisms=organisms)
            failed = _shape_failures(blocks)
            if failed:
                fault = RecordFault(str(file.path), None, None, f"violates the SHACL shapes: {failed}", result.figid)
                return _Done(file, result.figid, iri, fault, tuple(warnings))
            rendered = renderer.render_blocks(blocks, seen, remember=remember)
        else:
            rendered = renderer.render(result, seen, remember=remember)
    except (ValueError, TypeError, KeyError, UnicodeError) as err:
        fault = RecordFault(str(file.path), None, None, f"cannot be mapped: {err}", result.figid)
        return _Done(file, result.figid, iri, fault, tuple(warnings))
    return _done(file, result.figid, iri, rendered, tuple(warnings), statuses, word_matches(result.genes))


def _shape_failures(blocks: Sequence[Block]) -> str:
    """Return the shapes constraints a record's triples violate, described, or '' when they conform.

    Every block of the record is checked, descriptions written earlier included, so that checks on the
    classes of linked nodes see them.
    """
    from rdflib import Graph

    from .validating import validate_graph

    graph = Graph()
    for block in blocks:
        for triple in block.triples:
            graph.add(triple)
    report = validate_graph(graph)
    failures = [
        f"{_short(g.shape)} ({_short(g.component)}{', path ' + _short(g.path) if g.path else ''}; "
        f"{g.count}x, e.g. {g.examples[0] if g.examples else '?'})"
        for g in report.groups if g.severity.endswith("#Violation")
    ]
    return "; ".join(failures)


def _short(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _reject(summary: ExportSummary, fault: RecordFault, rejects: IO[str] | None, strict: bool) -> None:
    summary.rejected += 1
    summary.faults.append(fault)
    if rejects is not None:
        # ASCII escapes: a file name that is not UTF-8 (a lone surrogate here) must still be reported
        rejects.write(json.dumps(fault.as_dict()) + "\n")
    if strict:
        raise StrictStop(fault.file, fault.reason, line=fault.line, field=fault.field, figid=fault.figid)


class _Sink:
    """Where rendered records go: one file, or numbered shards."""

    def __enter__(self) -> _Sink:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.__exit__(*exc)  # type: ignore[arg-type]

    def __init__(self, fmt: Format, graph: str) -> None:
        self._fmt = fmt
        self._graph = graph
        self._stack = ExitStack()
        self._release = fmt.serializer(graph=graph)

    def record(self, texts: list[str]) -> None:
        """Write one record's rendered blocks."""
        raise NotImplementedError

    def release(self, triples: Sequence[Triple]) -> None:
        """Write one block of the release description."""
        raise NotImplementedError

    def close(self) -> list[str]:
        """Finish every file; return their names."""
        raise NotImplementedError


class _Stream:
    """One open output: header written, blocks joined by the format's separator, footer on close."""

    def __init__(self, stream: IO[str], serializer: Serializer) -> None:
        self.stream, self.serializer, self.blocks = stream, serializer, 0
        stream.write(serializer.header())

    def write(self, texts: Iterable[str]) -> None:
        separator = self.serializer.separator
        for text in texts:
            if self.blocks and separator:
                self.stream.write(separator)
            self.stream.write(text)
            self.blocks += 1

    def close(self) -> None:
        self.stream.write(self.serializer.footer())


class _FileSink(_Sink):
    def __init__(self, output: str | Path | None, fmt: Format, graph: str, compress: bool) -> None:
        super().__init__(fmt, graph)
        self._name = "-" if output is None or str(output) == "-" else str(output)
        stream = self._stack.enter_context(_open(output, compress=compress))
        self._out = _Stream(stream, fmt.serializer(graph=graph))

    def record(self, texts: list[str]) -> None:
        self._out.write(texts)

    def release(self, triples: Sequence[Triple]) -> None:
        self._out.write([self._release.render(triples)])

    def close(self) -> list[str]:
        self._out.close()
        return [self._name]


class _ShardSink(_Sink):
    def __init__(self, folder: Path, fmt: Format, graph: str, records: int, compress: bool) -> None:
        super().__init__(fmt, graph)
        folder.mkdir(parents=True, exist_ok=True)
        self._folder, self._records, self._compress = folder, records, compress
        self._suffix = fmt.extensions[0] + (".gz" if compress else "")
        self._index = 0
        self._in_shard = 0
        self._names: list[str] = []
        self._shard: ExitStack | None = None
        self._out: _Stream | None = None
        self._release_out: _Stream | None = None

    def _next_shard(self) -> _Stream:
        self._end_shard()
        self._index += 1
        path = self._folder / f"pfocr-{self._index:05d}{self._suffix}"
        self._shard = ExitStack()
        stream = self._shard.enter_context(atomic_output(path, compress=self._compress))
        self._names.append(str(path))
        return _Stream(stream, self._fmt.serializer(graph=self._graph))

    def _end_shard(self) -> None:
        if self._out is not None and self._shard is not None:
            self._out.close()
            self._shard.close()
            self._out = self._shard = None
            self._in_shard = 0

    def record(self, texts: list[str]) -> None:
        if self._out is None or self._in_shard >= self._records:
            self._out = self._next_shard()
        self._out.write(texts)
        self._in_shard += 1

    def release(self, triples: Sequence[Triple]) -> None:
        if self._release_out is None:
            self._end_shard()
            path = self._folder / f"release{self._suffix}"
            stream = self._stack.enter_context(atomic_output(path, compress=self._compress))
            self._names.append(str(path))
            self._release_out = _Stream(stream, self._fmt.serializer(graph=self._graph))
        self._release_out.write([self._release.render(triples)])

    def close(self) -> list[str]:
        self._end_shard()
        if self._release_out is not None:
            self._release_out.close()
        return self._names

    def remove_stale(self) -> list[str]:
        """Remove the shards of an earlier export into this folder that this one did not write again.

        Only names this exporter writes (``pfocr-NNNNN.EXT[.gz]``, ``release.EXT[.gz]``) are touched:
        left there, a loader given the folder would load the old shards' triples with the new ones.
        """
        written = {Path(name).name for name in self._names}
        extensions = {ext for fmt in FORMATS.values() for ext in fmt.extensions}
        stale = []
        for entry in sorted(self._folder.iterdir()):
            match = _SHARD_NAME.fullmatch(entry.name)
            if match and match.group(2) in extensions and entry.name not in written and entry.is_file():
                entry.unlink()
                stale.append(str(entry))
        return stale

    def __exit__(self, *exc: object) -> None:
        if self._shard is not None:
            self._shard.__exit__(*exc)  # type: ignore[arg-type]
        super().__exit__(*exc)


@contextmanager
def _open(output: str | Path | None, *, compress: bool) -> Iterator[IO[str]]:
    if output is None or str(output) == "-":
        yield sys.stdout
        sys.stdout.flush()
    else:
        with atomic_output(output, compress=compress or None) as stream:
            yield stream


def triples_of(sources: Iterable[str | Path], *, base: str = DEFAULT_BASE) -> Iterator[Triple]:
    """Yield the triples an export writes for the good records of the sources and the ambiguous OCR words,
    release excluded.

    The same selection as :func:`export` (each keyed description once, first seen wins), without any
    writing: the reference for tests and for the benchmark's rdflib baseline.
    """
    seen: set[str] = set()
    words = WordIndex()
    for record in records_of(sources):
        for block in map_record(record, base=base):
            if block.key is not None:
                if block.key in seen:
                    continue
                seen.add(block.key)
            yield from block.triples
        words.add(word_matches(record.genes))
    for block in words.blocks(base):
        yield from block.triples


def records_of(sources: Iterable[str | Path]) -> Iterator[FigureRecord]:
    """Yield the good records of the sources, silently skipping bad ones (for tests and benchmarks)."""
    for item in iter_records(discover(sources), warn=lambda _: None):
        if isinstance(item, FigureRecord):
            yield item
