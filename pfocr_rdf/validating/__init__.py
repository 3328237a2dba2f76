"""Validation: check RDF against the pfocr-rdf SHACL shapes and say what is wrong in a few lines.

This stage reads RDF (any file pyoxigraph parses, or an rdflib graph), checks it against the shapes that
ship in ``pfocr_rdf.shapes`` (``shapes/pfocr.shacl.ttl`` in a checkout) or against another shapes file,
and returns a :class:`Report`: the results grouped by (severity, shape, path, constraint component),
each group with its count and a few example focus nodes, never a list of a million results. It knows
nothing of PFOCR records and writes no RDF of its own but the report. Only violations make data
non-conforming; warnings (what Bioschemas recommends) are reported and counted, as pySHACL's
``allow_warnings`` does.

How a file of corpus size is validated with flat memory (:func:`validate_files`):

1. *Load.* Above 4 MiB of input, the store is on disk in a temporary folder and holds only the
   ``rdf:type`` triples of the classes that ``sh:class`` constraints name (written in batches of 100,000
   quads); meanwhile the subjects whose triples come in more than one run of the files, or in a run
   too long to hold, are noted (``loading.py``). Every triple is loaded (merged into the default graph)
   when the store is in memory, when a SPARQL constraint reads more than its focus node's triples, and
   when the files cannot be read back subject by subject (blank-node subjects, rdflib's fallback parser)
   or declare ``rdfs:subClassOf``.
2. *Plan.* The shapes are split in two. Almost every constraint reads only its focus node's own
   triples (cardinalities, datatypes, patterns, value lists, ...): those are checked chunk by chunk.
   Two kinds read more: ``sh:class`` reads the type of the *linked* node, which may be described
   anywhere in the file (a gene is described once, however many figures mention it), and SPARQL-based
   constraints may read anything (and pySHACL parses their query again for every focus node). A
   ``sh:class`` check runs on each focus node's description as it goes by, with a look-up of each
   value's type in the store (``checking.ClassChecks``). SPARQL constraints become queries with the
   shape's targets joined in (one query per target, so that no DISTINCT holds every focus node in
   memory). The target pattern goes first in the constraint's WHERE group,
   which binds ``$this`` for the whole group; a ``$this`` that only a nested group or sub-SELECT
   mentions is not pre-bound this way. A SPARQL constraint whose every triple pattern has ``$this`` as
   subject reads only the focus node's triples (:func:`plan.reads_only_this`) and runs on the chunks;
   the others run once on the whole store. Shapes outside this plan
   (``sh:targetObjectsOf``, ``sh:targetNode``, property paths other than a single predicate,
   ``sh:class`` or SPARQL inside nested shapes, ...), and data that declares ``rdfs:subClassOf`` (a
   class target would need the hierarchy in every chunk), are validated the plain way, the whole graph
   in one pySHACL run, which is correct but not flat in memory (:attr:`Report.streamed` says which).
   For pySHACL, each named property shape of a targeted node shape is given that node shape's targets
   (same results, 3x faster: see :func:`plan.lift_property_shapes`). The plan is ``plan.py``.
3. *Chunk.* Each subject's triples are read whole: on disk, by parsing the files again (the subjects
   noted in step 1 from the store, where their triples are put meanwhile); in memory, from the store.
   The *screen* (``screening.py``), compiled from the chunk-local shapes,
   passes the subjects on which pySHACL would certainly report nothing; the others, with only the
   triples the shapes read, are cut into chunks of about ``chunk_size`` triples for pySHACL, so every
   result reported is pySHACL's own. Class-based targets and every local constraint see exactly what
   they would see in the whole graph; each node is validated once. With ``jobs`` > 1, worker processes
   run pySHACL side by side, a few chunks in flight at a time. The local SPARQL constraints run on
   chunks of whole subjects in an in-memory store, in a thread, and the whole-store SPARQL checks (if
   any) in two more threads: Oxigraph releases the GIL while it loads and queries, so they take the
   second core even with ``jobs`` = 1 (``checking.py`` holds the engines). A subject of more than
   50,000 triples is never held whole: only the triples the shapes read are kept, and its local SPARQL
   constraints run on the store for it alone, so memory stays flat whatever the shape of the input.
   The report's triple count is summed here, subject by subject, each distinct triple once (Oxigraph's
   ``len(store)`` would read the whole store again).
4. *Aggregate.* Results are counted per group, keeping the ``examples`` smallest focus nodes of each so
   that the report is the same whatever the chunking (``report.py``; the report formats are
   ``formats.py``).

``validate_graph`` runs the same plan on an rdflib graph. ``tests/test_shapes.py`` checks that every
test graph gives the same results as pySHACL on the whole graph, even with chunks of one subject.
"""

from __future__ import annotations

import collections
import concurrent.futures
import contextlib
import multiprocessing
import os
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence

import pyoxigraph as ox
from rdflib import RDFS, Graph

from ..errors import UsageError
from ..rdffiles import RdfFile, rdf_files
from .checking import (
    ClassChecks,
    run_checks,
    run_checks_on,
    run_local_checks,
    start_worker,
    validate_in_worker,
    validate_text,
)
from .formats import FORMATS, ReportFormat, format_json, format_report, format_text, format_turtle
from .loading import (
    Keeping,
    SubjectRuns,
    SubjectTriples,
    chunk_text,
    file_subjects,
    load_file,
    store_subjects,
)
from .plan import Plan, load_shapes, plan_screen, shapes_and_plan, shapes_text
from .report import EXAMPLES, Collector, Example, Progress, Report, ResultGroup, Row
from .screening import Screen, Subject, Term

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "EXAMPLES",
    "FORMATS",
    "Example",
    "Progress",
    "Report",
    "ReportFormat",
    "ResultGroup",
    "format_json",
    "format_report",
    "format_text",
    "format_turtle",
    "load_shapes",
    "shapes_text",
    "validate_files",
    "validate_graph",
]


#: How many triples pySHACL validates at a time; batches of about 50 records are as fast as one graph.
DEFAULT_CHUNK_SIZE = 20_000


#: Inputs bigger than this (in bytes, all files together) are loaded into a store on disk. In memory,
#: Oxigraph takes ~700 bytes a triple (1 GB for 2,000 figures); on disk, its indexes' caches: ~210 MiB for
#: 2,000 figures, ~520 MiB for 110,000.
_ON_DISK_ABOVE = 4 * 1024 * 1024


#: Whole-store SPARQL queries run at a time.
_CHECK_THREADS = 2

#: Triples of whole subjects per in-memory store for the checks that read only their focus node.
_LOCAL_CHUNK = 50_000


#: A subject with more triples than this is not held whole: the checks that read all its triples run
#: on the store for it alone (see ``loading.Keeping``).
_WHOLE_UP_TO = 50_000


def _triples_of(subject: Subject, triples: dict[str, dict[Term, None]],
                only: frozenset[str] | None = None) -> Iterator[ox.Triple]:
    for predicate, objects in triples.items():
        if only is None or predicate in only:
            node = ox.NamedNode(predicate)
            for value in objects:
                yield ox.Triple(subject, node, value)


def _quads_of(subject: Subject, triples: dict[str, dict[Term, None]]) -> Iterator[ox.Quad]:
    for predicate, objects in triples.items():
        node = ox.NamedNode(predicate)
        for value in objects:
            yield ox.Quad(subject, node, value)


def _validate_subjects(subjects: Iterator[SubjectTriples], store: ox.Store, plan: Plan, screen: Screen | None,
                       classes: ClassChecks, collector: Collector, *, chunk_size: int, jobs: int, total: int,
                       progress: Progress | None,
                       checking: concurrent.futures.Future[None] | None = None) -> tuple[int, int]:
    """Run pySHACL on the subjects the screen does not pass, in chunks; return the chunks validated and
    the triples seen (each once).

    The checks that read only their focus node's triples (:attr:`plan.GlobalCheck.local`) run here too,
    on chunks of whole subjects in memory (a subject too big to hold, on the store), and so do the
    ``sh:class`` checks, on each subject's description (``classes``). ``total`` (for ``progress``) is
    the triples read, which may count a triple more than once.
    """
    local_checks = [c for c in plan.checks if c.local]
    only = None if screen is None else screen.relevant
    done = chunks = 0
    told = -1

    def tell() -> None:
        nonlocal told
        if progress is not None and min(done, total) != told:
            told = min(done, total)
            progress("chunk", told, total)

    def collect(rows: list[Row]) -> None:
        nonlocal chunks
        if checking is not None and checking.done():
            checking.result()  # the SPARQL checks failed: say so now, not after every chunk
        for row in rows:
            collector.add(*row)
        chunks += 1
        tell()

    # The local checks run in a thread of their own (Oxigraph frees the GIL while it loads and queries),
    # beside the screen, on chunks of _LOCAL_CHUNK triples: a query costs ~1 ms to plan, whatever its
    # input, and each check is one query per target.
    local_pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="pfocr-local")
    in_flight: collections.deque[concurrent.futures.Future[None]] = collections.deque()

    def check_locally(whole: list[ox.Quad]) -> None:
        in_flight.append(local_pool.submit(run_local_checks, whole, local_checks, collector))
        while len(in_flight) > 1:
            in_flight.popleft().result()

    def suspects() -> Iterator[list[ox.Triple]]:
        """The subjects to give pySHACL, in chunks of about ``chunk_size`` triples."""
        nonlocal done
        chunk: list[ox.Triple] = []
        whole: list[ox.Quad] = []  # for the local checks
        for subject, triples, count, complete, quads in subjects:
            done += count
            if classes:
                classes.check(subject, triples)
            if local_checks:
                if complete:
                    whole.extend(_quads_of(subject, triples) if quads is None else quads)
                    if len(whole) >= _LOCAL_CHUNK:
                        check_locally(whole)
                        whole = []
                else:
                    run_checks_on(store, subject, local_checks, collector)
            if screen is None or not screen.passes(subject, triples):
                chunk.extend(_triples_of(subject, triples, only))
                if len(chunk) >= chunk_size:
                    yield chunk
                    chunk = []
            elif done - told > 100_000:
                tell()
        if whole:
            check_locally(whole)
        while in_flight:
            in_flight.popleft().result()
        if chunk:
            yield chunk

    with local_pool:
        _pyshacl_chunks(suspects(), plan, collect, jobs)
    if progress is not None:
        progress("chunk", done, done)
    return chunks, done


def _pyshacl_chunks(chunks: Iterator[list[ox.Triple]], plan: Plan, collect: Callable[[list[Row]], None],
                    jobs: int) -> None:
    """Validate each chunk with pySHACL (in ``jobs`` worker processes if more than 1)."""
    if jobs <= 1:
        for chunk in chunks:
            collect(validate_text(chunk_text(chunk), plan.local))
    else:
        # "spawn": the workers must not inherit the store's open files and threads
        context = multiprocessing.get_context("spawn")
        shapes = plan.local.serialize(format="nt", encoding="utf-8")
        with concurrent.futures.ProcessPoolExecutor(jobs, mp_context=context, initializer=start_worker,
                                                    initargs=(shapes,)) as pool:
            pending: collections.deque[concurrent.futures.Future[list[Row]]] = collections.deque()
            for chunk in chunks:
                pending.append(pool.submit(validate_in_worker, chunk_text(chunk)))
                while len(pending) > 2 * jobs:  # a few chunks in flight, not the whole store
                    collect(pending.popleft().result())
            while pending:
                collect(pending.popleft().result())


def _validate_store(store: ox.Store, on_disk: bool, shapes: Graph, plan: Plan | None, *, chunk_size: int,
                    jobs: int, examples: int, progress: Progress | None, read: int, files: Sequence[RdfFile] = (),
                    runs: SubjectRuns | None = None) -> Report:
    """Validate what the store and the files hold (see the module's docstring); ``read`` is the triples read.

    With ``runs`` usable, the store may hold only the ``rdf:type`` triples that the class checks look up:
    each subject's triples then come from the files.
    """
    collector = Collector(shapes, examples)
    names = tuple(str(f.path) for f in files)
    if plan is not None and (store.query(f"ASK {{ ?sub <{RDFS.subClassOf}> ?super }}")
                             or (runs is not None and runs.subclasses)):
        # a class target would need the class hierarchy, which may be in another chunk
        plan = None
    if plan is None:
        # shapes outside the plan, or subclasses in the data: validate the whole graph at once
        total = 0  # the store holds each triple once

        def triples() -> Iterator[ox.Triple]:
            nonlocal total
            for quad in store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
                total += 1
                yield ox.Triple(quad.subject, quad.predicate, quad.object)

        for row in validate_text(chunk_text(triples()), shapes):
            collector.add(*row)
        if progress is not None:
            progress("chunk", total, total)
        return Report(collector.groups(), total, names, chunks=1, streamed=False)
    screen = plan_screen(plan)
    classes = ClassChecks([c for c in plan.checks if c.cls is not None], store, collector)
    sparql = [c for c in plan.checks if c.cls is None and not c.local]
    relevant = None if screen is None or screen.relevant is None else screen.relevant | classes.predicates
    from_files = on_disk and runs is not None and runs.usable
    if from_files or any(c.local for c in plan.checks):
        # the local checks read every triple of their focus nodes; from the files, every triple of a run
        # is kept, to count each once (a run too long to hold is narrowed, and counted by the store)
        keeping = Keeping(None, relevant, _WHOLE_UP_TO)
    else:
        keeping = Keeping(relevant)
    if from_files:
        assert runs is not None
        subjects = file_subjects(store, files, runs, keeping)
    else:
        subjects = store_subjects(store, on_disk, keeping)
    # The whole-graph SPARQL checks run in threads beside the chunks: Oxigraph releases the GIL while it
    # evaluates a query, so they take the other cores even with jobs=1 (the collector takes a lock). The
    # sh:class checks are not among them: they run on each subject's description as it goes by.
    stop = threading.Event()
    whole_graph = len(sparql) + len(classes)
    if progress is not None:
        progress("check", 0, whole_graph)
    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="pfocr-checks") as pool:
        checking = pool.submit(run_checks, store, sparql, collector, None, stop, threads=_CHECK_THREADS)
        try:
            chunks, total = _validate_subjects(subjects, store, plan, screen, classes, collector,
                                               chunk_size=chunk_size, jobs=jobs, total=read, progress=progress,
                                               checking=checking)
            checking.result()  # waits for the checks; raises what they raised
        except BaseException:
            stop.set()  # on an error or Ctrl-C, the thread ends within its current query
            raise
    if progress is not None:
        progress("check", whole_graph, whole_graph)
    return Report(collector.groups(), total, names, chunks=chunks)


def validate_graph(graph: Graph, *, shapes: str | os.PathLike[str] | None = None,
                   examples: int = EXAMPLES) -> Report:
    """Validate an rdflib graph against the shipped shapes (or the shapes file ``shapes``).

    Raises :class:`InputError` when the shapes file cannot be read.
    """
    shapes_graph, plan = shapes_and_plan(shapes)
    store = ox.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES)
    return _validate_store(store, False, shapes_graph, plan, chunk_size=max(1, len(graph)), jobs=1,
                           examples=examples, progress=None, read=len(graph))


def validate_files(
    paths: Sequence[str | os.PathLike[str]],
    *,
    shapes: str | os.PathLike[str] | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    jobs: int = 1,
    examples: int = EXAMPLES,
    progress: Progress | None = None,
    on_disk: bool | None = None,
) -> Report:
    """Validate RDF files, merged into one graph, in chunks of about ``chunk_size`` triples.

    The syntax comes from each file's name (:mod:`pfocr_rdf.rdffiles`: whatever ``export`` writes, gzipped
    or not, and ``.trig``, ``.n3``, ``.rdf``). ``jobs``
    worker processes validate chunks side by side, while a thread runs the whole-graph SPARQL checks.
    ``progress`` is called as ``progress(stage, done, total)`` (see :data:`Progress`), perhaps from that
    thread. ``on_disk`` puts the store in a temporary folder (default: when the files are bigger than
    4 MiB together) so that memory stays flat however big they are.

    Raises :class:`InputError` when a file is missing, unreadable, of an unknown format or not valid RDF
    (the message names the file and the line), and :class:`UsageError` for a bad ``chunk_size`` or
    ``jobs``.
    """
    if not paths:
        raise UsageError("no file to validate")
    if chunk_size < 1 or jobs < 1:
        raise UsageError(f"chunk_size and jobs must be at least 1, not {chunk_size} and {jobs}")
    rdf = rdf_files(paths)
    files = [file.path for file in rdf]
    shapes_graph, plan = shapes_and_plan(shapes)
    if on_disk is None:
        on_disk = sum(p.stat().st_size for p in files) > _ON_DISK_ABOVE
    with contextlib.ExitStack() as stack:
        if on_disk:
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="pfocr-validate-"))
            store = ox.Store(folder)
        else:
            store = ox.Store()
        runs = SubjectRuns(sum(p.stat().st_size for p in files), _WHOLE_UP_TO) if on_disk else None
        # On disk, only the rdf:type triples the class checks look up are loaded, unless a SPARQL check
        # reads more than its focus node's triples (it runs on the whole store)
        types = None
        if on_disk and plan is not None and not any(c.cls is None and not c.local for c in plan.checks):
            types = sorted({c.cls for c in plan.checks if c.cls is not None})
        read = 0
        for file in rdf:
            read += load_file(store, file, progress=progress, before=read, runs=runs, types=types)
        if runs is not None and types is not None and (not runs.usable or runs.subclasses):
            # the files cannot be read back subject by subject (or are validated whole): load everything
            again = 0
            for file in rdf:
                again += load_file(store, file, progress=progress, before=again)
        if on_disk:
            store.flush()
        return _validate_store(store, on_disk, shapes_graph, plan, chunk_size=chunk_size, jobs=jobs,
                               examples=examples, progress=progress, read=read, files=rdf, runs=runs)
