"""The endpoint's query engine: SPARQL queries run in worker processes, with a time limit and a size cap.

Each worker is a process of its own that opens the store read-only (RocksDB lets any number of readers
share a folder) and answers one query at a time. A query that runs past the time limit cannot be
interrupted inside Oxigraph, so its worker is killed (SIGKILL) and a fresh one started in its place: the
client gets HTTP 503 with a message saying the limit, and no other query is disturbed. An answer is
materialized up to the row cap plus one; an answer with more rows (or triples) than the cap is refused
with HTTP 400 and a message saying to page with LIMIT/OFFSET, rather than cut short without a word.

Results are written by pyoxigraph's own serializers in the format the client's ``Accept`` header (or a
``format`` parameter) chooses. This module knows SPARQL and processes, nothing of HTTP frameworks.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import multiprocessing
import queue
import signal
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Final

from pyoxigraph import (
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
    Triple,
    parse_query_results,
    serialize,
)

from ..namespaces import PREFIXES
from ..querying import json_term

__all__ = [
    "GRAPH_FORMATS",
    "RESULT_FORMATS",
    "Answer",
    "QueryJob",
    "WorkerPool",
    "negotiate",
]

#: Media types offered for SELECT and ASK answers, the default first; ``format=`` names in brackets.
RESULT_FORMATS: Final[dict[str, QueryResultsFormat]] = {
    "application/sparql-results+json": QueryResultsFormat.JSON,
    "application/sparql-results+xml": QueryResultsFormat.XML,
    "text/csv": QueryResultsFormat.CSV,
    "text/tab-separated-values": QueryResultsFormat.TSV,
    "application/json": QueryResultsFormat.JSON,
    "application/xml": QueryResultsFormat.XML,
}
#: Media types offered for CONSTRUCT and DESCRIBE answers, the default first.
GRAPH_FORMATS: Final[dict[str, RdfFormat]] = {
    "text/turtle": RdfFormat.TURTLE,
    "application/n-triples": RdfFormat.N_TRIPLES,
    "application/ld+json": RdfFormat.JSON_LD,
    "application/rdf+xml": RdfFormat.RDF_XML,
    "text/plain": RdfFormat.N_TRIPLES,
}
#: Short names a ``format`` request parameter may give instead of an Accept header.
FORMAT_NAMES: Final[dict[str, str]] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}


@dataclass(frozen=True)
class QueryJob:
    """One query for a worker: its text, the client's Accept header, the dataset and the row cap."""

    text: str
    accept: str
    max_rows: int
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answer:
    """An HTTP-ready answer: status, media type and body."""

    status: int
    media_type: str
    body: bytes

    @classmethod
    def error(cls, status: int, message: str) -> Answer:
        """Return a plain-text error answer."""
        return cls(status, "text/plain; charset=utf-8", (message.rstrip("\n") + "\n").encode("utf-8"))


def negotiate(accept: str, offered: Sequence[str]) -> str | None:
    """Return the media type of ``offered`` that ``accept`` prefers (the first offered on ties), or None.

    ``accept`` is an HTTP Accept header: media ranges with optional ``q`` weights; an empty header
    accepts anything. A media type the header gives exactly beats a wildcard of the same weight.
    """
    ranges = _media_ranges(accept or "*/*")
    best: tuple[float, int, int] | None = None
    chosen: str | None = None
    for position, offer in enumerate(offered):
        # The most specific range that matches the offer gives its weight (RFC 9110 12.5.1), so
        # "text/turtle;q=0, */*" refuses Turtle even though */* matches it.
        kind = offer.partition("/")[0]
        match: tuple[int, float] | None = None
        for media, weight in ranges:
            if media == offer:
                specificity = 2
            elif media == f"{kind}/*":
                specificity = 1
            elif media == "*/*":
                specificity = 0
            else:
                continue
            if match is None or specificity > match[0]:
                match = (specificity, weight)
        if match is None or match[1] <= 0:
            continue
        score = (match[1], match[0], -position)
        if best is None or score > best:
            best, chosen = score, offer
    return chosen


def _media_ranges(accept: str) -> list[tuple[str, float]]:
    ranges = []
    for part in accept.split(","):
        fields = [field.strip() for field in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        weight = 1.0
        for parameter in fields[1:]:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        ranges.append((media, weight))
    return ranges


# --- the worker side -----------------------------------------------------------------------------------


def _worker_main(store_dir: str, connection: Connection) -> None:
    """Serve queries from ``connection`` on the store in ``store_dir`` until told to stop (None)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops us
    store = Store.read_only(store_dir)
    while True:
        try:
            job = connection.recv()
        except EOFError:
            return
        if job is None:
            return
        connection.send(answer_query(store, job))


def answer_query(store: Store, job: QueryJob) -> Answer:
    """Run ``job`` on ``store`` and return its answer written in the negotiated format (or an error)."""
    try:
        answer = store.query(
            job.text,
            use_default_graph_as_union=not job.default_graphs,
            default_graph=[NamedNode(g) for g in job.default_graphs] or None,
            named_graphs=[NamedNode(g) for g in job.named_graphs] or None,
        )
    except SyntaxError as error:
        return Answer.error(400, f"not valid SPARQL: {error}")
    except ValueError as error:
        return Answer.error(400, f"bad dataset: {error}")
    except (OSError, RuntimeError) as error:
        return Answer.error(500, f"the query failed: {error}")
    try:
        if isinstance(answer, QueryTriples):
            return _graph_answer(answer, job)
        return _results_answer(answer, job)
    except (OSError, RuntimeError) as error:
        return Answer.error(500, f"the query failed while its answer was read: {error}")


def _results_answer(answer: QuerySolutions | QueryBoolean, job: QueryJob) -> Answer:
    media = negotiate(job.accept, list(RESULT_FORMATS))
    if media is None:
        return Answer.error(406, f"a SELECT or ASK answer can be sent as {', '.join(RESULT_FORMATS)}; "
                                 f"the request accepts none of them ({job.accept})")
    fmt = RESULT_FORMATS[media]
    if isinstance(answer, QueryBoolean):
        return Answer(200, fmt.media_type, answer.serialize(format=fmt) or b"")
    variables = [variable.value for variable in answer.variables]
    rows = list(itertools.islice(answer, job.max_rows + 1))
    if len(rows) > job.max_rows:
        return _too_big("rows", job.max_rows)
    # The rows are materialized (to cap them), so they are written as SPARQL JSON and read back as a
    # QuerySolutions that pyoxigraph's serializers take, whatever the format.
    document = {
        "head": {"vars": variables},
        "results": {"bindings": [
            {name: json_term(term) for name, term in zip(variables, row, strict=True) if term is not None}
            for row in rows
        ]},
    }
    payload = json.dumps(document, ensure_ascii=False).encode("utf-8")
    if fmt == QueryResultsFormat.JSON:
        return Answer(200, fmt.media_type, payload)
    solutions = parse_query_results(payload, QueryResultsFormat.JSON)
    return Answer(200, fmt.media_type, solutions.serialize(format=fmt) or b"")


def _graph_answer(answer: QueryTriples, job: QueryJob) -> Answer:
    media = negotiate(job.accept, list(GRAPH_FORMATS))
    if media is None:
        return Answer.error(406, f"a CONSTRUCT or DESCRIBE answer can be sent as {', '.join(GRAPH_FORMATS)}; "
                                 f"the request accepts none of them ({job.accept})")
    fmt = GRAPH_FORMATS[media]
    triples = list(itertools.islice(answer, job.max_rows + 1))
    if len(triples) > job.max_rows:
        return _too_big("triples", job.max_rows)
    return Answer(200, fmt.media_type, serialize_triples(triples, fmt))


def serialize_triples(triples: Sequence[Triple], fmt: RdfFormat) -> bytes:
    """Return ``triples`` written as ``fmt`` by pyoxigraph, with pfocr-rdf's prefixes where the format has them."""
    prefixes = PREFIXES if fmt in (RdfFormat.TURTLE, RdfFormat.TRIG, RdfFormat.N3) else None
    return serialize(triples, format=fmt, prefixes=prefixes) or b""


def _too_big(what: str, cap: int) -> Answer:
    return Answer.error(400, f"the answer has more than {cap:,} {what}, this endpoint's cap (serve --max-rows); "
                             "ask for fewer with LIMIT, and page through the rest with OFFSET")


# --- the server side -----------------------------------------------------------------------------------


class _Worker:
    """One worker process and the pipe to it."""

    def __init__(self, context: multiprocessing.context.SpawnContext, store_dir: str) -> None:
        self._context = context
        self._store_dir = store_dir
        parent, child = context.Pipe()
        self.connection = parent
        self.process = context.Process(target=_worker_main, args=(store_dir, child), daemon=True,
                                       name="pfocr-rdf-sparql")
        self.process.start()
        child.close()

    def ask(self, job: QueryJob, timeout: float) -> Answer | None:
        """Send ``job`` and wait up to ``timeout`` seconds; return None if it did not answer in time."""
        self.connection.send(job)
        if not self.connection.poll(timeout):
            return None
        answer: Answer = self.connection.recv()
        return answer

    def kill(self) -> None:
        """Stop this worker at once (a query inside Oxigraph cannot be interrupted otherwise)."""
        self.process.kill()
        self.process.join(timeout=10)
        self.connection.close()

    def close(self) -> None:
        """Ask this worker to stop, then make sure it has."""
        with contextlib.suppress(OSError, ValueError):
            self.connection.send(None)
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.kill()
        self.connection.close()


class WorkerPool:
    """Worker processes that run queries on a store with a time limit; safe to use from many threads."""

    def __init__(self, store_dir: str, *, workers: int = 2, timeout: float = 30.0) -> None:
        if workers < 1:
            raise ValueError("a pool needs at least one worker")
        self.store_dir = store_dir
        self.timeout = timeout
        self._context = multiprocessing.get_context("spawn")  # never fork a process that runs threads
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: list[_Worker] = []
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(workers):
            self._add(_Worker(self._context, store_dir))

    def _add(self, worker: _Worker) -> None:
        with self._lock:
            self._all.append(worker)
        self._idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._all.remove(worker)
            if self._closed:
                return
        self._add(_Worker(self._context, self.store_dir))

    def run(self, job: QueryJob) -> Answer:
        """Run ``job`` on an idle worker within the time limit; blocks the calling thread.

        The wait for an idle worker counts towards the limit. A worker that overruns is killed and
        replaced; one that dies (e.g. out of memory) is replaced and the client told.
        """
        started = time.monotonic()
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            return Answer.error(503, f"every query worker stayed busy for the whole time limit ({self.timeout:g} s); "
                                     "try again later")
        remaining = max(self.timeout - (time.monotonic() - started), 0.001)
        try:
            answer = worker.ask(job, remaining)
        except (EOFError, OSError, BrokenPipeError) as error:
            self._replace(worker)
            return Answer.error(500, f"the query worker died while answering ({error or 'no answer'}); "
                                     "a new one has been started")
        if answer is None:
            self._replace(worker)
            return Answer.error(503, f"the query ran longer than this endpoint's time limit of {self.timeout:g} s "
                                     "(serve --timeout) and was stopped")
        self._idle.put(worker)
        return answer

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.close()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def workers(self) -> Iterator[int]:
        """Yield the process id of every worker (for tests and logs)."""
        with self._lock:
            pids = [w.process.pid for w in self._all]
        for pid in pids:
            if pid is not None:
                yield pid
