"""The engines: pySHACL on one chunk, the SPARQL checks on the embedded store (or a chunk of it), and
the ``sh:class`` checks on each subject's description (:class:`ClassChecks`, a type look-up per value).

All turn what they find into :data:`report.Row` tuples for the :class:`report.Collector`. Worker
processes (``jobs`` > 1) run :func:`validate_in_worker` with the chunk-local shapes they were started with.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import logging
import re
import signal
import threading
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence

import pyoxigraph as ox
import pyshacl
from rdflib import RDF, SH, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ..errors import InputError
from .plan import GlobalCheck, Target
from .report import Collector, Progress, Row
from .screening import Term


def _term_text(term: Node) -> str:
    """A focus node as the report writes it: an IRI as is, a blank node as _:id, a literal in N-Triples."""
    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    return term.n3()


def _pyshacl_rows(report: Graph) -> list[Row]:
    """Read pySHACL's report: (severity, shape, path, component, focus, value, message) per result."""
    rows: list[Row] = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        shape = report.value(result, SH.sourceShape)
        path = report.value(result, SH.resultPath)
        focus = report.value(result, SH.focusNode)
        value = report.value(result, SH.value)
        message = report.value(result, SH.resultMessage)
        rows.append((
            str(report.value(result, SH.resultSeverity) or SH.Violation),
            # a blank shape or path is copied into each report afresh: name them by kind only
            str(shape) if isinstance(shape, URIRef) else "_:unnamed-shape",
            None if path is None else (str(path) if isinstance(path, URIRef) else "_:complex-path"),
            str(report.value(result, SH.sourceConstraintComponent)),
            _term_text(focus) if focus is not None else "",
            None if value is None else value.n3(),
            None if message is None else str(message),
        ))
    return rows


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

_RDF_TYPE = ox.NamedNode(str(RDF.type))


def _rdflib_graph(ntriples: bytes) -> Graph:
    """Parse N-Triples into an rdflib graph: with pyoxigraph, 2.5x faster than rdflib's own parser.

    Terms are the ones rdflib's parser makes: a simple literal has no datatype (rdflib tells
    ``"a"`` from ``"a"^^xsd:string``), and each IRI is made once per chunk.
    """
    iris: dict[str, URIRef] = {}

    def iri(value: str) -> URIRef:
        term = iris.get(value)
        if term is None:
            term = iris[value] = URIRef(value)
        return term

    def term(node: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Node:
        if isinstance(node, ox.NamedNode):
            return iri(node.value)
        if isinstance(node, ox.BlankNode):
            return BNode(node.value)
        if isinstance(node, ox.Literal):
            if node.language:
                return Literal(node.value, lang=node.language)
            datatype = node.datatype.value
            return Literal(node.value) if datatype == _XSD_STRING else Literal(node.value, datatype=iri(datatype))
        raise InputError("RDF-star quoted triples are not supported")

    graph = Graph()
    try:
        graph.addN((term(t.subject), iri(t.predicate.value), term(t.object), graph)
                   for t in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES))
    except MemoryError:  # a term over pyoxigraph's 16 MiB buffer (see pfocr_rdf.rdffiles): rdflib's parser
        graph = Graph()
        graph.parse(data=ntriples, format="turtle")  # its N-Triples parser is quadratic in a line's length
    return graph


def validate_text(ntriples: bytes, shapes: Graph) -> list[Row]:
    """Validate one chunk, given in N-Triples, with pySHACL."""
    with _quiet_rdflib():
        graph = _rdflib_graph(ntriples)
        _, report, _ = pyshacl.validate(graph, shacl_graph=shapes, inference="none", allow_warnings=True)
    assert isinstance(report, Graph)
    return _pyshacl_rows(report)


# Worker processes (``jobs`` > 1) parse the chunk-local shapes once, in their initializer, and keep
# them here: a per-process cache, never set in the parent.
_worker_shapes: Graph | None = None


def start_worker(shapes_ntriples: bytes) -> None:
    global _worker_shapes
    # Ctrl-C reaches the whole process group: the parent stops the work, the workers need not say so
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_shapes = Graph().parse(data=shapes_ntriples, format="nt")


def validate_in_worker(ntriples: bytes) -> list[Row]:
    assert _worker_shapes is not None, "the worker was started without its shapes"
    return validate_text(ntriples, _worker_shapes)


@contextlib.contextmanager
def _quiet_rdflib() -> Iterator[None]:
    """Silence rdflib's logged traceback for each ill-typed literal; the shapes report them."""
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def run_checks(store: ox.Store, checks: Sequence[GlobalCheck], collector: Collector,
               progress: Progress | None, stop: threading.Event | None = None, *, threads: int = 1) -> None:
    """Run the whole-store checks, ``threads`` queries at a time (Oxigraph releases the GIL meanwhile)."""
    queries = [(check, index, query) for check in checks for index, query in enumerate(check.queries())]
    if progress is not None:
        progress("check", 0, len(queries))
    done = 0
    lock = threading.Lock()

    def run(check: GlobalCheck, index: int, query: str) -> None:
        nonlocal done
        if stop is not None and stop.is_set():
            return
        _run_check(store, check, index, query, collector, stop)
        with lock:
            done += 1
            if progress is not None:
                progress("check", done, len(queries))

    if threads <= 1:
        for item in queries:
            run(*item)
        return
    with concurrent.futures.ThreadPoolExecutor(threads, thread_name_prefix="pfocr-check") as pool:
        for future in [pool.submit(run, *item) for item in queries]:
            future.result()


def run_local_checks(quads: Iterable[ox.Quad], checks: Sequence[GlobalCheck], collector: Collector) -> None:
    """Run checks that read only their focus node's triples on ``quads`` (whole subjects, default graph),
    in memory.

    The same queries as on the whole store, on an in-memory store of a chunk: 4x faster than reading
    Oxigraph's on-disk store, and the same rows, since each focus node's description is whole here.
    """
    store = ox.Store()
    store.bulk_extend(quads)
    for check in checks:
        for index, query in enumerate(check.queries()):
            _run_check(store, check, index, query, collector)


def run_checks_on(store: ox.Store, focus: ox.NamedNode | ox.BlankNode, checks: Sequence[GlobalCheck],
                  collector: Collector) -> None:
    """Run ``checks`` for the one focus node ``focus`` on the whole store (a subject too big for a chunk)."""
    for check in checks:
        for index, query in enumerate(check.queries(str(focus))):
            _run_check(store, check, index, query, collector)


def _targeted(store: ox.Store, target: Target, node: ox.NamedNode | ox.BlankNode | ox.Literal) -> bool:
    """True when ``node`` is a focus node of ``target`` (a class or subjects-of target) in the store."""
    if isinstance(node, ox.Literal):
        return False
    if target.kind == SH.targetClass:
        return ox.Quad(node, _RDF_TYPE, ox.NamedNode(str(target.node)), ox.DefaultGraph()) in store
    found = store.quads_for_pattern(node, ox.NamedNode(str(target.node)), None, ox.DefaultGraph())
    return next(iter(found), None) is not None


def _run_check(store: ox.Store, check: GlobalCheck, index: int, query: str, collector: Collector,
               stop: threading.Event | None = None) -> None:
    """Run the query of target ``index``; a focus node of an earlier target has its results already."""
    solutions = store.query(query)
    assert isinstance(solutions, ox.QuerySolutions)
    earlier = check.targets[:index]
    for count, solution in enumerate(solutions):
        if stop is not None and count % 1000 == 0 and stop.is_set():
            return
        this, path, value = _get(solution, "this"), _get(solution, "path"), _get(solution, "value")
        if this is None or any(_targeted(store, target, this) for target in earlier):
            continue
        collector.add(
            severity=check.severity,
            shape=check.shape,
            path=check.path if path is None else _ox_text(path),
            component=check.component,
            focus=_ox_text(this),
            # a node shape's result without ?value is about the focus node itself
            value=str(value) if value is not None else (str(this) if check.path is None else None),
            message=_fill(check.message, solution),
        )


#: Type look-ups remembered per class by :class:`ClassChecks` before that memory is cleared (so it stays bounded).
_CLASS_CACHE = 100_000


class ClassChecks:
    """The ``sh:class`` checks, run on each focus node's whole description as it goes by.

    A check reads the focus node's own triples (its types or predicates, for its targets, and the values
    of its one property) and, for each value, whether the value has the class as an ``rdf:type``: one
    look-up in ``types``, a store holding at least every such ``rdf:type`` triple of the data (the
    whole data, or only those triples, see ``loading.load_file``). The plan sends data that declares
    ``rdfs:subClassOf`` to pySHACL whole, so ``rdf:type`` alone decides, as the checks' SPARQL says. A
    focus node of several targets of one check is checked once, as SHACL does. Look-ups are remembered
    (most values are the same few genes, taxa and figures), up to ``_CLASS_CACHE`` of them at a time.
    """

    def __init__(self, checks: Sequence[GlobalCheck], types: ox.Store, collector: Collector) -> None:
        self._types, self._collector, self._checks = types, collector, tuple(checks)
        # check indexes by target class and subjects-of predicate; one focus node is checked once per check
        by_class: dict[Term, set[int]] = {}
        by_predicate: dict[str, set[int]] = {}
        for index, check in enumerate(self._checks):
            assert check.cls is not None and check.path is not None
            for target in check.targets:
                if target.kind == SH.targetClass:
                    by_class.setdefault(ox.NamedNode(str(target.node)), set()).add(index)
                else:
                    by_predicate.setdefault(str(target.node), set()).add(index)
        self._by_class = {node: tuple(sorted(found)) for node, found in by_class.items()}
        self._by_predicate = {predicate: tuple(sorted(found)) for predicate, found in by_predicate.items()}
        self._classes = {check.cls: ox.NamedNode(check.cls) for check in checks if check.cls is not None}
        self._known: dict[str, dict[Term, bool]] = {cls: {} for cls in self._classes}
        #: The predicates a focus node's description must keep for these checks.
        self.predicates = frozenset({_RDF_TYPE.value, *self._by_predicate,
                                     *(c.path for c in checks if c.path is not None)})

    def __len__(self) -> int:
        return len(self._checks)

    def check(self, subject: ox.NamedNode | ox.BlankNode, triples: Mapping[str, Collection[Term]]) -> None:
        """Check ``subject``, given its triples (each predicate's objects, each once; :attr:`predicates` at least)."""
        found: tuple[int, ...] | set[int] = ()
        if self._by_class:
            for node in triples.get(_RDF_TYPE.value, ()):
                indexes = self._by_class.get(node)
                if indexes:
                    found = indexes if not found else {*found, *indexes}
        if self._by_predicate:
            for predicate in triples:
                indexes = self._by_predicate.get(predicate)
                if indexes:
                    found = indexes if not found else {*found, *indexes}
        for index in found:
            check = self._checks[index]
            assert check.path is not None and check.cls is not None
            for value in triples.get(check.path, ()):
                if not self._is_instance(value, check.cls):
                    self._report(check, subject, value)

    def _is_instance(self, value: Term, cls: str) -> bool:
        known = self._known[cls]
        answer = known.get(value)
        if answer is None:
            answer = not isinstance(value, ox.Literal) and ox.Quad(
                value, _RDF_TYPE, self._classes[cls], ox.DefaultGraph()) in self._types
            if len(known) >= _CLASS_CACHE:
                known.clear()
            known[value] = answer
        return answer

    def _report(self, check: GlobalCheck, subject: ox.NamedNode | ox.BlankNode, value: Term) -> None:
        terms = {"this": subject, "value": value}
        self._collector.add(
            severity=check.severity,
            shape=check.shape,
            path=check.path,
            component=check.component,
            focus=_ox_text(subject),
            value=str(value),
            message=_fill_from(check.message, terms.get),
        )


def _get(solution: ox.QuerySolution, name: str) -> ox.NamedNode | ox.BlankNode | ox.Literal | None:
    try:
        term = solution[name]
    except KeyError:  # not a variable of this query
        return None
    return None if isinstance(term, ox.Triple) else term


def _fill(message: str | None, solution: ox.QuerySolution) -> str | None:
    """Fill a sh:message template's {?var} and {$var} from the query's solution."""
    return _fill_from(message, lambda name: _get(solution, name))


def _fill_from(message: str | None, get: Callable[[str], Term | None]) -> str | None:
    """Fill a sh:message template's {?var} and {$var} with ``get(var)``; leave the unknown ones as they are."""
    if message is None:
        return None

    def value(match: re.Match[str]) -> str:
        term = get(match.group(1))
        if term is None:
            return match.group(0)
        return term.value if isinstance(term, (ox.NamedNode, ox.Literal)) else str(term)

    return re.sub(r"\{[?$](\w+)\}", value, message)


def _ox_text(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    """A store term as the report writes it (see :func:`_term_text`)."""
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term)
