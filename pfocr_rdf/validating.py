"""Validation: check RDF against the pfocr-rdf SHACL shapes and say what is wrong in a few lines.

This stage reads RDF (any file pyoxigraph parses, or an rdflib graph), checks it against the shapes that
ship in ``pfocr_rdf.shapes`` (``shapes/pfocr.shacl.ttl`` in a checkout) or against another shapes file,
and returns a :class:`Report`: the results grouped by (severity, shape, path, constraint component),
each group with its count and a few example focus nodes, never a list of a million results. It knows
nothing of PFOCR records and writes no RDF of its own but the report. Only violations make data
non-conforming; warnings (what Bioschemas recommends) are reported and counted, as pySHACL's
``allow_warnings`` does.

How a file of corpus size is validated with flat memory (:func:`validate_files`):

1. *Load.* Every input file is bulk-loaded into one pyoxigraph store, merged into its default graph; on
   disk in a temporary folder (in batches of 100,000 quads) for big inputs, in memory for small ones.
2. *Plan.* The shapes are split in two. Almost every constraint reads only its focus node's own
   triples (cardinalities, datatypes, patterns, value lists, ...): those are checked by pySHACL, chunk
   by chunk. Two kinds read more: ``sh:class`` reads the type of the *linked* node, which may be
   described anywhere in the file (a gene is described once, however many figures mention it), and
   SPARQL-based constraints may read anything (and pySHACL parses their query again for every focus
   node). Both are run once, as SPARQL queries on the whole store, with the shape's targets joined in
   (one query per target, so that no DISTINCT holds every focus node in memory). The target pattern
   goes first in the constraint's WHERE group, which binds ``$this`` for the whole group; a ``$this``
   that only a nested group or sub-SELECT mentions is not pre-bound this way. Shapes outside this
   plan (``sh:targetObjectsOf``, property paths other than a single predicate, ``sh:class`` or SPARQL
   inside nested shapes, ...) are validated the plain way, the whole graph in one pySHACL run, which is
   correct but not flat in memory (:attr:`Report.streamed` says which).
3. *Chunk.* The store is scanned in subject order (its SPO index keeps each subject's triples
   together), and consecutive subjects are cut into chunks of about ``chunk_size`` triples. A chunk
   holds the whole description of each of its subjects, so class-based targets and every local
   constraint see exactly what they would see in the whole graph; each node is validated once. With
   ``jobs`` > 1, worker processes validate chunks side by side, a few chunks in flight at a time.
4. *Aggregate.* Results are counted per group, keeping the ``examples`` smallest focus nodes of each so
   that the report is the same whatever the chunking.

``validate_graph`` runs the same plan on an rdflib graph. ``tests/test_shapes.py`` checks that every
test graph gives the same results as pySHACL on the whole graph, even with chunks of one subject.
"""

from __future__ import annotations

import bisect
import collections
import concurrent.futures
import contextlib
import functools
import itertools
import json
import logging
import multiprocessing
import os
import re
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Literal as TypingLiteral

import pyoxigraph as ox
import pyshacl
from rdflib import RDF, RDFS, SH, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node
from rdflib.util import from_n3

from .errors import InputError, UsageError
from .namespaces import PREFIXES

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "EXAMPLES",
    "FORMATS",
    "Example",
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
#: How many example focus nodes a group of results keeps.
EXAMPLES = 5
#: Inputs bigger than this (in bytes, all files together) are loaded into a store on disk. In memory,
#: Oxigraph takes ~700 bytes a triple (1 GB for 2,000 figures); on disk, ~200 MB whatever the size.
_ON_DISK_ABOVE = 4 * 1024 * 1024
#: Quads per write into the store on disk: about 100 MB of memory while loading, as fast as bigger ones.
_LOAD_BATCH = 100_000

ReportFormat = TypingLiteral["text", "turtle", "json"]
#: Called as ``progress(stage, done, total)``: stage "load" (triples loaded so far, total 0: unknown),
#: "check" (whole-graph SPARQL queries run, of all) or "chunk" (triples validated by pySHACL, of all).
Progress = Callable[[str, int, int], None]

_SHAPES_FILE = "pfocr.shacl.ttl"
_SHAPES_NS = "https://pfocr.wikipathways.org/shapes#"
_SEVERITY_ORDER = {str(SH.Violation): 0, str(SH.Warning): 1, str(SH.Info): 2}
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
_NESTING = (SH.node, SH["not"], SH.qualifiedValueShape)
_NESTING_LISTS = (SH["and"], SH["or"], SH.xone)
# parameter -> the component that reports it, to describe a group ("sh:minCount 1")
_PARAMETERS = {
    "Class": ("class",), "Datatype": ("datatype",), "NodeKind": ("nodeKind",),
    "MinCount": ("minCount",), "MaxCount": ("maxCount",),
    "MinInclusive": ("minInclusive",), "MaxInclusive": ("maxInclusive",),
    "MinExclusive": ("minExclusive",), "MaxExclusive": ("maxExclusive",),
    "MinLength": ("minLength",), "MaxLength": ("maxLength",), "Pattern": ("pattern", "flags"),
    "In": ("in",), "HasValue": ("hasValue",), "LanguageIn": ("languageIn",),
    "QualifiedMinCount": ("qualifiedValueShape", "qualifiedMinCount"),
    "QualifiedMaxCount": ("qualifiedValueShape", "qualifiedMaxCount"),
    "Node": ("node",), "Not": ("not",), "Equals": ("equals",), "Disjoint": ("disjoint",),
    "LessThan": ("lessThan",), "LessThanOrEquals": ("lessThanOrEquals",), "UniqueLang": ("uniqueLang",),
}


# -- the report --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Example:
    """One example result of a group: the focus node, the offending value (N-Triples), the message."""

    focus: str
    value: str | None
    message: str | None


@dataclass(frozen=True)
class ResultGroup:
    """All results of one (severity, shape, path, constraint component), with a few examples.

    ``shape``, ``path``, ``component`` and ``severity`` are full IRIs (``path`` is None for a constraint
    on the focus node itself); ``examples`` are the smallest focus nodes, sorted, without repeats, and
    ``details`` says more about each. ``constraint`` says what the constraint asks (``sh:minCount 1``);
    ``message`` is the shape's own ``sh:message``, if it has one that fits every result.
    """

    severity: str
    shape: str
    path: str | None
    component: str
    count: int
    examples: tuple[str, ...]
    details: tuple[Example, ...]
    constraint: str
    message: str | None


@dataclass(frozen=True)
class Report:
    """The outcome of a validation: result groups, what was read, and how."""

    groups: tuple[ResultGroup, ...]
    triples: int
    files: tuple[str, ...] = ()
    chunks: int = 0
    streamed: bool = True

    def _count(self, severity: str) -> int:
        return sum(g.count for g in self.groups if g.severity == severity)

    @property
    def violations(self) -> int:
        """The number of results of severity sh:Violation."""
        return self._count(str(SH.Violation))

    @property
    def warnings(self) -> int:
        """The number of results of severity sh:Warning."""
        return self._count(str(SH.Warning))

    @property
    def infos(self) -> int:
        """The number of results of severity sh:Info."""
        return self._count(str(SH.Info))

    @property
    def conforms(self) -> bool:
        """True when there is no violation (warnings and infos do not count)."""
        return self.violations == 0

    @property
    def exit_code(self) -> int:
        """The command line's exit code for this report: 0 conforms, 1 does not."""
        return 0 if self.conforms else 1


# -- shapes ------------------------------------------------------------------------------------------

def shapes_text() -> str:
    """Return the text of the shipped shapes file (``pfocr.shacl.ttl``)."""
    try:
        return resources.files("pfocr_rdf.shapes").joinpath(_SHAPES_FILE).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        # a checkout run without installing: the shapes are beside the package
        return (Path(__file__).resolve().parent.parent / "shapes" / _SHAPES_FILE).read_text(encoding="utf-8")


@functools.cache
def _shipped_shapes() -> Graph:
    return Graph().parse(data=shapes_text(), format="turtle")


def load_shapes(path: str | os.PathLike[str] | None = None) -> Graph:
    """Return a shapes graph: the shipped one (cached; do not modify it) or the one in ``path``.

    Raises :class:`InputError` when the file cannot be read or parsed.
    """
    if path is None:
        return _shipped_shapes()
    try:
        return Graph().parse(os.fspath(path))
    except OSError as err:
        raise InputError(f"cannot read the shapes file {os.fspath(path)}: {err.strerror or err}") from err
    except Exception as err:  # rdflib's parsers raise many kinds of errors
        raise InputError(f"cannot parse the shapes file {os.fspath(path)}: {err}") from err


# -- the plan: which constraints run per chunk, which as SPARQL on the store ---------------------------

@dataclass(frozen=True)
class _Target:
    kind: URIRef
    node: Node


@dataclass(frozen=True)
class _GlobalCheck:
    """A constraint run as SPARQL over the whole store.

    Its query is ``head``, a pattern binding ?this to the focus nodes of one target, then ``tail``; it
    yields ?this and perhaps ?path, ?value and the variables of the message.
    """

    shape: str
    component: str
    severity: str
    head: str
    tail: str
    targets: tuple[_Target, ...]
    path: str | None
    message: str | None

    def queries(self, *, subclasses: bool) -> list[str]:
        """One query per target, each focus node in one only (SHACL validates each focus node once).

        Without ``rdfs:subClassOf`` triples in the data (``subclasses`` False), a class target is one
        triple pattern: then no query needs DISTINCT, whose memory would grow with the store.
        """
        queries: list[str] = []
        earlier: list[str] = []
        for target in self.targets:
            node = target.node.n3()
            if target.kind == SH.targetClass:
                test = f"?this <{RDF.type}>/<{RDFS.subClassOf}>* {node}" if subclasses else f"?this a {node}"
                bind = f"{{ SELECT DISTINCT ?this WHERE {{ {test} }} }}" if subclasses else f"{test} ."
            elif target.kind == SH.targetNode:
                test, bind = f"FILTER (sameTerm(?this, {node}))", f"VALUES ?this {{ {node} }}"
            else:  # sh:targetSubjectsOf (sh:targetObjectsOf shapes are not in the plan)
                test = f"?this {node} ?pfocrTargetObject"
                bind = f"{{ SELECT DISTINCT ?this WHERE {{ {test} }} }}"
            unseen = " ".join(f"FILTER NOT EXISTS {{ {e} }}" for e in earlier)
            queries.append(f"{self.head} {bind} {unseen} {self.tail}")
            earlier.append(test)
        return queries


@dataclass(frozen=True)
class _Plan:
    local: Graph
    checks: tuple[_GlobalCheck, ...]


def _targets(shapes: Graph, shape: Node) -> list[_Target]:
    found = [_Target(kind, node) for kind in _TARGETS for node in shapes.objects(shape, kind)]
    if (shape, RDF.type, RDFS.Class) in shapes:  # an implicit class target
        found.append(_Target(SH.targetClass, shape))
    return found


def _nested(shapes: Graph, shape: Node) -> Iterator[Node]:
    for predicate in _NESTING:
        yield from shapes.objects(shape, predicate)
    for predicate in _NESTING_LISTS:
        for head in shapes.objects(shape, predicate):
            yield from Collection(shapes, head)


def _reads_only_itself(shapes: Graph, shape: Node, depth: int = 0) -> bool:
    """True when checking ``shape`` on a node reads nothing but the node's own term."""
    if depth > 20 or any((shape, p, None) in shapes for p in (
            SH.property, SH.path, SH["class"], SH.sparql, SH.closed)):
        return False
    return all(_reads_only_itself(shapes, n, depth + 1) for n in _nested(shapes, shape))


def _reads_own_triples(shapes: Graph, shape: Node, *, top: bool, depth: int = 0) -> bool:
    """True when checking ``shape`` on a node reads only the node's own triples and their objects' terms.

    At the top level, ``sh:class`` on property shapes and ``sh:sparql`` on the node shape are allowed:
    the plan takes them out and runs them as SPARQL.
    """
    if depth > 20 or (not top and shapes.value(shape, SH.sparql) is not None):
        return False
    for prop in shapes.objects(shape, SH.property):
        if not isinstance(shapes.value(prop, SH.path), URIRef) or shapes.value(prop, SH.sparql) is not None:
            return False
        if not top and shapes.value(prop, SH["class"]) is not None:
            return False
        if not all(_reads_only_itself(shapes, n) for n in _nested(shapes, prop)):
            return False
    return all(_reads_own_triples(shapes, n, top=False, depth=depth + 1) for n in _nested(shapes, shape))


def _severity(shapes: Graph, shape: Node) -> str:
    return str(shapes.value(shape, SH.severity) or SH.Violation)


def _message(shapes: Graph, node: Node) -> str | None:
    value = shapes.value(node, SH.message)
    return None if value is None else str(value)


def _prefixes(shapes: Graph, constraint: Node) -> str:
    lines = []
    for holder in shapes.objects(constraint, SH.prefixes):
        for declaration in shapes.objects(holder, SH.declare):
            prefix, namespace = shapes.value(declaration, SH.prefix), shapes.value(declaration, SH.namespace)
            if prefix is not None and namespace is not None:
                lines.append(f"PREFIX {prefix}: <{namespace}>\n")
    return "".join(lines)


def _sparql_check(shapes: Graph, shape: URIRef, constraint: Node, targets: Sequence[_Target]) -> _GlobalCheck:
    select = shapes.value(constraint, SH.select)
    if select is None:
        raise UsageError(f"the SPARQL constraint of {shape} has no sh:select (sh:ask is not supported)")
    text = str(select)
    # The target goes at the start of the query's WHERE group, where SHACL would pre-bind $this.
    where = re.search(r"\bWHERE\s*\{", text, re.IGNORECASE) or re.search(r"\{", text)
    if where is None:
        raise UsageError(f"cannot read the SPARQL constraint of {shape}")
    head, tail = _prefixes(shapes, constraint) + text[:where.end()], text[where.end():]
    return _GlobalCheck(str(shape), str(SH.SPARQLConstraintComponent), _severity(shapes, shape), head, tail,
                        tuple(targets), None, _message(shapes, constraint) or _message(shapes, shape))


def _class_check(shapes: Graph, prop: URIRef, cls: Node, targets: Sequence[_Target]) -> _GlobalCheck:
    path = shapes.value(prop, SH.path)
    assert isinstance(path, URIRef)  # _reads_own_triples made sure
    tail = (f"?this {path.n3()} ?value . "
            f"FILTER NOT EXISTS {{ ?value <{RDF.type}>/<{RDFS.subClassOf}>* {cls.n3()} }} }}")
    return _GlobalCheck(str(prop), str(SH.ClassConstraintComponent), _severity(shapes, prop),
                        "SELECT ?this ?value WHERE {", tail, tuple(targets),
                        str(path), _message(shapes, prop) or f"Value is not an instance of {cls.n3()}")


def _deactivated(shapes: Graph, shape: Node) -> bool:
    value = shapes.value(shape, SH.deactivated)
    return isinstance(value, Literal) and value.toPython() is True


def _plan(shapes: Graph) -> _Plan | None:
    """Split the shapes into chunk-local ones and whole-store SPARQL checks; None if they do not split."""
    local = Graph()
    local += shapes
    checks: list[_GlobalCheck] = []
    for shape in sorted(set(shapes.subjects(None, None)), key=str):
        targets = _targets(shapes, shape)
        if not targets or _deactivated(shapes, shape):
            continue
        if not isinstance(shape, URIRef) or any(t.kind == SH.targetObjectsOf for t in targets):
            return None
        if not _reads_own_triples(shapes, shape, top=True):
            return None
        for constraint in shapes.objects(shape, SH.sparql):
            if not _deactivated(shapes, constraint):
                checks.append(_sparql_check(shapes, shape, constraint, targets))
            local.remove((shape, SH.sparql, constraint))
        for prop in shapes.objects(shape, SH.property):
            for cls in shapes.objects(prop, SH["class"]):
                if not isinstance(prop, URIRef):
                    return None  # results would name a blank node that differs from chunk to chunk
                if not _deactivated(shapes, prop):
                    checks.append(_class_check(shapes, prop, cls, targets))
                local.remove((prop, SH["class"], cls))
    _lift_property_shapes(shapes, local)
    return _Plan(local, tuple(checks))


def _lift_property_shapes(shapes: Graph, local: Graph) -> None:
    """Give each property shape of a targeted node shape that node shape's targets, in ``local``.

    SHACL gives the same results either way (a property shape reports itself as the source shape,
    reached from its node shape or not), but pySHACL validates a property shape reached through
    ``sh:property`` once per focus node, building its constraints again each time, and a property
    shape with targets of its own once for all its focus nodes: 3x faster on our shapes. Only named
    property shapes that one active node shape uses, with no targets or ``sh:deactivated`` of their
    own, are lifted; the others stay as they are.
    """
    users: dict[Node, list[Node]] = collections.defaultdict(list)
    for shape, prop in shapes.subject_objects(SH.property):
        users[prop].append(shape)
    for prop, (shape, *others) in users.items():
        targets = _targets(shapes, shape)
        if (others or not isinstance(prop, URIRef) or not targets or _deactivated(shapes, shape)
                or _targets(shapes, prop) or (prop, SH.deactivated, None) in shapes):
            continue
        local.remove((shape, SH.property, prop))
        for target in targets:
            local.add((prop, target.kind, target.node))


# -- collecting results ------------------------------------------------------------------------------

@dataclass
class _Group:
    count: int = 0
    examples: list[str] = field(default_factory=list)  # the smallest focus nodes seen, sorted
    details: dict[str, Example] = field(default_factory=dict)


class _Collector:
    """Counts results per group, keeping the few smallest focus nodes of each."""

    def __init__(self, shapes: Graph, examples: int) -> None:
        self._shapes = shapes
        self._examples = examples
        self._groups: dict[tuple[str, str, str | None, str], _Group] = {}
        self._lock = threading.Lock()  # the SPARQL checks add from their own thread

    def add(self, severity: str, shape: str, path: str | None, component: str, focus: str,
            value: str | None, message: str | None) -> None:
        with self._lock:
            self._add(severity, shape, path, component, focus, value, message)

    def _add(self, severity: str, shape: str, path: str | None, component: str, focus: str,
             value: str | None, message: str | None) -> None:
        group = self._groups.setdefault((severity, shape, path, component), _Group())
        group.count += 1
        # keep the smallest focus nodes, so that the examples do not depend on the chunking
        if focus in group.details or (len(group.examples) == self._examples and focus > group.examples[-1]):
            return
        bisect.insort(group.examples, focus)
        group.details[focus] = Example(focus, value, message)
        if len(group.examples) > self._examples:
            del group.details[group.examples.pop()]

    def groups(self) -> tuple[ResultGroup, ...]:
        result = []
        for (severity, shape, path, component), group in self._groups.items():
            result.append(ResultGroup(
                severity=severity, shape=shape, path=path, component=component, count=group.count,
                examples=tuple(group.examples), details=tuple(group.details[f] for f in group.examples),
                constraint=self._describe(shape, component), message=self._own_message(shape),
            ))
        result.sort(key=lambda g: (_SEVERITY_ORDER.get(g.severity, 3), g.shape, g.path or "", g.component))
        return tuple(result)

    def _own_message(self, shape: str) -> str | None:
        message = None if shape.startswith("_:") else _message(self._shapes, URIRef(shape))
        return None if message is None or re.search(r"\{[?$]\w+\}", message) else message

    def _describe(self, shape: str, component: str) -> str:
        """Say what the constraint asks, from the shapes graph: ``sh:minCount 1``."""
        name = component.removeprefix(str(SH)).removesuffix("ConstraintComponent")
        if shape.startswith("_:"):
            return f"sh:{name}"
        node = URIRef(shape)
        if name not in _PARAMETERS:
            comment = self._shapes.value(node, RDFS.comment) or self._shapes.value(node, RDFS.label)
            return str(comment) if comment is not None else f"sh:{name}"
        parts = []
        for parameter in _PARAMETERS[name]:
            value = self._shapes.value(node, SH[parameter])
            if value is None:
                continue
            if parameter == "in":
                shown = "(" + " ".join(_short(v.n3()) for v in Collection(self._shapes, value)) + ")"
            elif isinstance(value, Literal):
                shown = value.n3() if parameter == "pattern" else str(value)
            else:
                shown = _short(value.n3())
            parts.append(f"sh:{parameter} {shown}")
        return ", ".join(parts) or f"sh:{name}"


def _term_text(term: Node) -> str:
    """A focus node as the report writes it: an IRI as is, a blank node as _:id, a literal in N-Triples."""
    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    return term.n3()


_Row = tuple[str, str, "str | None", str, str, "str | None", "str | None"]


def _pyshacl_rows(report: Graph) -> list[_Row]:
    """Read pySHACL's report: (severity, shape, path, component, focus, value, message) per result."""
    rows: list[_Row] = []
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
    graph.addN((term(t.subject), iri(t.predicate.value), term(t.object), graph)
               for t in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES))
    return graph


def _validate_text(ntriples: bytes, shapes: Graph) -> list[_Row]:
    """Validate one chunk, given in N-Triples, with pySHACL."""
    with _quiet_rdflib():
        graph = _rdflib_graph(ntriples)
        _, report, _ = pyshacl.validate(graph, shacl_graph=shapes, inference="none", allow_warnings=True)
    assert isinstance(report, Graph)
    return _pyshacl_rows(report)


# Worker processes (``jobs`` > 1) parse the chunk-local shapes once, in their initializer, and keep
# them here: a per-process cache, never set in the parent.
_worker_shapes: Graph | None = None


def _start_worker(shapes_ntriples: bytes) -> None:
    global _worker_shapes
    _worker_shapes = Graph().parse(data=shapes_ntriples, format="nt")


def _validate_in_worker(ntriples: bytes) -> list[_Row]:
    assert _worker_shapes is not None, "the worker was started without its shapes"
    return _validate_text(ntriples, _worker_shapes)


# -- stores and chunks -------------------------------------------------------------------------------

def _ox_text(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    """A store term as the report writes it (see :func:`_term_text`)."""
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term)


def _subject_groups(store: ox.Store, on_disk: bool) -> Iterator[list[ox.Quad]]:
    """Yield the triples of each subject together."""
    if on_disk:
        # RocksDB's SPO index returns each subject's triples together: one pass, no subject set.
        current: list[ox.Quad] = []
        for quad in store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
            if current and quad.subject != current[0].subject:
                yield current
                current = []
            current.append(quad)
        if current:
            yield current
    else:
        # the in-memory store keeps no such order; it is small, so group by subject here
        subjects: dict[object, list[ox.Quad]] = {}
        for quad in store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
            subjects.setdefault(quad.subject, []).append(quad)
        yield from subjects.values()


def _chunks(store: ox.Store, on_disk: bool, chunk_size: int) -> Iterator[list[ox.Quad]]:
    chunk: list[ox.Quad] = []
    for group in _subject_groups(store, on_disk):
        chunk.extend(group)
        if len(chunk) >= chunk_size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


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


def _format_of(path: Path) -> ox.RdfFormat:
    name = path.name.lower()
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    found = ox.RdfFormat.from_extension(extension)
    if found is None:
        raise InputError(f"{path}: unknown RDF file extension {extension!r}; use one of "
                         ".ttl, .nt, .nq, .trig, .n3, .rdf, .jsonld")
    return found


def _load(store: ox.Store, path: Path, *, on_disk: bool, progress: Progress | None = None) -> None:
    rdf_format = _format_of(path)
    try:
        if not on_disk and not rdf_format.supports_datasets:
            store.bulk_load(path=path, format=rdf_format)
            return
        # Named graphs are merged: the shapes describe nodes, whichever graph holds them. On disk, the
        # parsed stream goes in batches: bulk_load would buffer a million quads per thread first.
        quads = (ox.Quad(q.subject, q.predicate, q.object) for q in ox.parse(path=path, format=rdf_format))
        while batch := list(itertools.islice(quads, _LOAD_BATCH)):
            store.bulk_extend(batch)
            if progress is not None:
                progress("load", len(store), 0)
    except SyntaxError as err:
        raise InputError(f"{path}: {err.msg}") from err
    except OSError as err:
        raise InputError(f"cannot read {path}: {err.strerror or err}") from err


# -- validating --------------------------------------------------------------------------------------

def _run_checks(store: ox.Store, checks: Sequence[_GlobalCheck], collector: _Collector,
                progress: Progress | None, stop: threading.Event | None = None) -> None:
    subclasses = bool(store.query(f"ASK {{ ?sub <{RDFS.subClassOf}> ?super }}"))
    queries = [(check, query) for check in checks for query in check.queries(subclasses=subclasses)]
    if progress is not None:
        progress("check", 0, len(queries))
    for done, (check, query) in enumerate(queries, 1):
        if stop is not None and stop.is_set():
            return
        _run_check(store, check, query, collector)
        if progress is not None:
            progress("check", done, len(queries))


def _run_check(store: ox.Store, check: _GlobalCheck, query: str, collector: _Collector) -> None:
    solutions = store.query(query)
    assert isinstance(solutions, ox.QuerySolutions)
    for solution in solutions:
        this, path, value = _get(solution, "this"), _get(solution, "path"), _get(solution, "value")
        if this is None:
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


def _get(solution: ox.QuerySolution, name: str) -> ox.NamedNode | ox.BlankNode | ox.Literal | None:
    try:
        term = solution[name]
    except KeyError:  # not a variable of this query
        return None
    return None if isinstance(term, ox.Triple) else term


def _fill(message: str | None, solution: ox.QuerySolution) -> str | None:
    """Fill a sh:message template's {?var} and {$var} from the query's solution."""
    if message is None:
        return None

    def value(match: re.Match[str]) -> str:
        term = _get(solution, match.group(1))
        if term is None:
            return match.group(0)
        return term.value if isinstance(term, (ox.NamedNode, ox.Literal)) else str(term)

    return re.sub(r"\{[?$](\w+)\}", value, message)


def _chunk_text(quads: list[ox.Quad]) -> bytes:
    text = ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in quads),
                        format=ox.RdfFormat.N_TRIPLES)
    assert text is not None  # no output file given: the bytes are returned
    return text


def _validate_chunks(store: ox.Store, on_disk: bool, plan: _Plan, collector: _Collector, *,
                     chunk_size: int, jobs: int, total: int, progress: Progress | None) -> int:
    done = chunks = 0

    def collect(rows: list[_Row], size: int) -> None:
        nonlocal done, chunks
        for row in rows:
            collector.add(*row)
        done += size
        chunks += 1
        if progress is not None:
            progress("chunk", done, total)

    if jobs <= 1:
        for quads in _chunks(store, on_disk, chunk_size):
            collect(_validate_text(_chunk_text(quads), plan.local), len(quads))
        return chunks
    # "spawn": the workers must not inherit the store's open files and threads
    context = multiprocessing.get_context("spawn")
    shapes = plan.local.serialize(format="nt", encoding="utf-8")
    with concurrent.futures.ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_worker,
                                                initargs=(shapes,)) as pool:
        pending: collections.deque[tuple[concurrent.futures.Future[list[_Row]], int]] = collections.deque()
        for quads in _chunks(store, on_disk, chunk_size):
            pending.append((pool.submit(_validate_in_worker, _chunk_text(quads)), len(quads)))
            while len(pending) > 2 * jobs:  # a few chunks in flight, not the whole store
                future, size = pending.popleft()
                collect(future.result(), size)
        while pending:
            future, size = pending.popleft()
            collect(future.result(), size)
    return chunks


@functools.cache
def _shipped_plan() -> _Plan | None:
    return _plan(_shipped_shapes())


def _validate_store(store: ox.Store, on_disk: bool, shapes: Graph, plan: _Plan | None, *, chunk_size: int,
                    jobs: int, examples: int, progress: Progress | None, files: tuple[str, ...]) -> Report:
    collector = _Collector(shapes, examples)
    total = len(store)
    if plan is None:
        # shapes outside the plan: validate the whole graph at once
        whole = _chunk_text(list(store.quads_for_pattern(None, None, None, ox.DefaultGraph())))
        for row in _validate_text(whole, shapes):
            collector.add(*row)
        if progress is not None:
            progress("chunk", total, total)
        return Report(collector.groups(), total, files, chunks=1, streamed=False)
    # The whole-graph SPARQL checks run in a thread beside the chunks: Oxigraph releases the GIL while it
    # evaluates a query, so they take a second core even with jobs=1 (the collector takes a lock).
    stop = threading.Event()
    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="pfocr-checks") as pool:
        checking = pool.submit(_run_checks, store, plan.checks, collector, progress, stop)
        try:
            chunks = _validate_chunks(store, on_disk, plan, collector, chunk_size=chunk_size, jobs=jobs,
                                      total=total, progress=progress)
        except BaseException:
            stop.set()  # on an error or Ctrl-C, the thread ends after its current query
            raise
        checking.result()  # waits for the checks; raises what they raised
    if progress is not None and total == 0:
        progress("chunk", 0, 0)
    return Report(collector.groups(), total, files, chunks=chunks)


def _shapes_and_plan(shapes: str | os.PathLike[str] | None) -> tuple[Graph, _Plan | None]:
    if shapes is None:
        return _shipped_shapes(), _shipped_plan()
    graph = load_shapes(shapes)
    return graph, _plan(graph)


def validate_graph(graph: Graph, *, shapes: str | os.PathLike[str] | None = None,
                   examples: int = EXAMPLES) -> Report:
    """Validate an rdflib graph against the shipped shapes (or the shapes file ``shapes``).

    Raises :class:`InputError` when the shapes file cannot be read.
    """
    shapes_graph, plan = _shapes_and_plan(shapes)
    store = ox.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES)
    return _validate_store(store, False, shapes_graph, plan, chunk_size=max(1, len(graph)), jobs=1,
                           examples=examples, progress=None, files=())


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

    The format comes from each file's extension (``.ttl``, ``.nt``, ``.nq``, ``.trig``, ...). ``jobs``
    worker processes validate chunks side by side, while a thread runs the whole-graph SPARQL checks.
    ``progress`` is called as ``progress(stage, done, total)`` (see :data:`Progress`), perhaps from that
    thread. ``on_disk`` puts the store in a temporary folder (default: when the files are bigger than
    4 MiB together) so that memory stays flat however big they are.

    Raises :class:`InputError` when a file is missing, unreadable, of an unknown format or not valid RDF
    (the message names the file and the line), and :class:`UsageError` for a bad ``chunk_size`` or
    ``jobs``.
    """
    files = [Path(p) for p in paths]
    if not files:
        raise UsageError("no file to validate")
    if chunk_size < 1 or jobs < 1:
        raise UsageError(f"chunk_size and jobs must be at least 1, not {chunk_size} and {jobs}")
    for path in files:
        if not path.is_file():
            raise InputError(f"cannot read {path}: no such file")
        _format_of(path)
    shapes_graph, plan = _shapes_and_plan(shapes)
    if on_disk is None:
        on_disk = sum(p.stat().st_size for p in files) > _ON_DISK_ABOVE
    with contextlib.ExitStack() as stack:
        if on_disk:
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="pfocr-validate-"))
            store = ox.Store(folder)
        else:
            store = ox.Store()
        for path in files:
            _load(store, path, on_disk=on_disk, progress=progress)
        if on_disk:
            store.flush()
        return _validate_store(store, on_disk, shapes_graph, plan, chunk_size=chunk_size, jobs=jobs,
                               examples=examples, progress=progress, files=tuple(str(p) for p in files))


# -- formats -----------------------------------------------------------------------------------------

def _curies() -> dict[str, str]:
    return {**PREFIXES, "sh": str(SH), "shapes": _SHAPES_NS}


_LOCAL_NAME = re.compile(r"([A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?)?")


def _short(text: str | None) -> str:
    """Write an IRI (plain or in <>) as a CURIE where a known prefix fits."""
    if text is None:
        return "-"
    bare = text[1:-1] if text.startswith("<") and text.endswith(">") else text
    if bare.startswith(("_:", '"')):
        return bare
    for prefix, namespace in sorted(_curies().items(), key=lambda item: -len(item[1])):
        if bare.startswith(namespace) and _LOCAL_NAME.fullmatch(bare[len(namespace):]):
            return f"{prefix}:{bare[len(namespace):]}"
    return f"<{bare}>"


def _value_text(value: str | None) -> str:
    """Write a value in N-Triples with CURIEs: ``"1.5"^^xsd:decimal``, ``ncbigene:4040``."""
    if value is None:
        return ""
    if value.startswith("<"):
        return _short(value)
    return re.sub(r"\^\^<([^>]+)>$", lambda m: "^^" + _short(m.group(1)), value)


def format_text(report: Report) -> str:
    """Return the report for people: a verdict, then each group with its count and a few examples."""
    source = ", ".join(report.files) or "the graph"
    verdict = "conforms" if report.conforms else "does not conform"
    counts = [f"{report.violations:,} violations"]
    if report.warnings:
        counts.append(f"{report.warnings:,} warnings")
    if report.infos:
        counts.append(f"{report.infos:,} infos")
    lines = [f"{source}: {verdict}: {' and '.join(counts)} in {report.triples:,} triples."]
    if not report.streamed:
        lines.append("(The shapes did not split into chunks, so the whole graph was validated at once.)")
    current: tuple[str, str, str | None] | None = None
    for group in report.groups:
        where = (group.severity, group.shape, group.path)
        if where != current:
            current = where
            severity = group.severity.removeprefix(str(SH))
            lines.append("")
            lines.append(f"{severity}: {_short(group.shape)}, path {_short(group.path)}")
        noun = "failure" if group.count == 1 else "failures"
        lines.append(f"  {_short(group.component)} ({group.constraint}): {group.count:,} {noun}")
        if group.message:
            lines.append(f"    {group.message}")
        sparql = group.component == str(SH.SPARQLConstraintComponent)
        for detail in group.details:
            shown = _short(detail.focus)
            if detail.value is not None and detail.value != f"<{detail.focus}>":
                shown += f"  value {_value_text(detail.value)}"
            lines.append(f"    {shown}")
            if sparql and detail.message:
                lines.append(f"      {detail.message}")
        if group.count > len(group.details):
            lines.append(f"    ... and {group.count - len(group.details):,} more")
    return "\n".join(lines) + "\n"


def format_json(report: Report) -> str:
    """Return the report as JSON: the verdict, the counts, and every group with full IRIs."""
    document = {
        "conforms": report.conforms,
        "violations": report.violations,
        "warnings": report.warnings,
        "infos": report.infos,
        "triples": report.triples,
        "files": list(report.files),
        "streamed": report.streamed,
        "groups": [
            {
                "severity": g.severity, "shape": g.shape, "path": g.path, "component": g.component,
                "constraint": g.constraint, "message": g.message, "count": g.count,
                "examples": [{"focus": d.focus, "value": d.value, "message": d.message} for d in g.details],
            }
            for g in report.groups
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _node(text: str) -> Node:
    if text.startswith("_:"):
        return BNode(text[2:])
    return URIRef(text)


def format_turtle(report: Report) -> str:
    """Return a SHACL validation report in Turtle with the example results of every group.

    ``sh:conforms`` follows :attr:`Report.conforms` (warnings do not count); the report's
    ``rdfs:comment`` says how many results there were in all.
    """
    graph = Graph()
    for prefix, namespace in _curies().items():
        graph.bind(prefix, namespace)
    root = BNode()
    graph.add((root, RDF.type, SH.ValidationReport))
    graph.add((root, SH.conforms, Literal(report.conforms)))
    graph.add((root, RDFS.comment, Literal(
        f"{report.violations} violations, {report.warnings} warnings, {report.infos} infos in "
        f"{report.triples} triples; up to {EXAMPLES} example results of each shape, path and constraint "
        "are listed")))
    for group in report.groups:
        for detail in group.details:
            result = BNode()
            graph.add((root, SH.result, result))
            graph.add((result, RDF.type, SH.ValidationResult))
            focus = from_n3(detail.focus) if detail.focus.startswith('"') else _node(detail.focus)
            if isinstance(focus, Node):
                graph.add((result, SH.focusNode, focus))
            graph.add((result, SH.sourceShape, _node(group.shape)))
            graph.add((result, SH.sourceConstraintComponent, URIRef(group.component)))
            graph.add((result, SH.resultSeverity, URIRef(group.severity)))
            if group.path is not None:
                graph.add((result, SH.resultPath, _node(group.path)))
            value = None if detail.value is None else from_n3(detail.value)
            if isinstance(value, Node):
                graph.add((result, SH.value, value))
            message = detail.message or group.message
            if message:
                graph.add((result, SH.resultMessage, Literal(message)))
    return graph.serialize(format="turtle")


#: The report formats, by the name ``--format`` takes.
FORMATS: dict[str, Callable[[Report], str]] = {
    "text": format_text,
    "turtle": format_turtle,
    "json": format_json,
}


def format_report(report: Report, report_format: str = "text") -> str:
    """Return the report in one of :data:`FORMATS`.

    Raises :class:`UsageError` for an unknown format, naming the known ones.
    """
    try:
        return FORMATS[report_format](report)
    except KeyError:
        known = ", ".join(FORMATS)
        raise UsageError(f"unknown report format {report_format!r}; use one of {known}") from None
