"""The shapes, and the plan that splits them: constraints pySHACL checks chunk by chunk, and the rest.

A constraint that reads only its focus node's own triples runs per chunk; ``sh:class`` (which reads the
type of a node described elsewhere) and SPARQL-based constraints become :class:`GlobalCheck` s: queries
run once on the whole store or on chunks of whole subjects, and for ``sh:class`` a type look-up per value
(:attr:`GlobalCheck.cls`). Shapes this plan cannot split make :func:`make_plan` return None, and then the
whole graph is validated at once.
"""

from __future__ import annotations

import collections
import functools
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, RDFS, SH, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.paths import Path as PropertyPath
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Node, Variable

from ..errors import InputError, UsageError
from .screening import Screen, make_screen

_SHAPES_FILE = "pfocr.shacl.ttl"


_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


_NESTING = (SH.node, SH["not"], SH.qualifiedValueShape)


_NESTING_LISTS = (SH["and"], SH["or"], SH.xone)


def shapes_text() -> str:
    """Return the text of the shipped shapes file (``pfocr.shacl.ttl``)."""
    try:
        return resources.files("pfocr_rdf.shapes").joinpath(_SHAPES_FILE).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        # a checkout run without installing: the shapes are beside the package
        return (Path(__file__).resolve().parents[2] / "shapes" / _SHAPES_FILE).read_text(encoding="utf-8")


@functools.cache
def shipped_shapes() -> Graph:
    return Graph().parse(data=shapes_text(), format="turtle")


def load_shapes(path: str | os.PathLike[str] | None = None) -> Graph:
    """Return a shapes graph: the shipped one (cached; do not modify it) or the one in ``path``.

    Raises :class:`InputError` when the file cannot be read or parsed.
    """
    if path is None:
        return shipped_shapes()
    try:
        return Graph().parse(os.fspath(path))
    except OSError as err:
        raise InputError(f"cannot read the shapes file {os.fspath(path)}: {err.strerror or err}") from err
    except Exception as err:  # rdflib's parsers raise many kinds of errors
        raise InputError(f"cannot parse the shapes file {os.fspath(path)}: {err}") from err


@dataclass(frozen=True)
class Target:
    kind: URIRef
    node: Node


@dataclass(frozen=True)
class GlobalCheck:
    """A constraint run as SPARQL over the whole store.

    Its query is ``head``, a pattern binding ?this to the focus nodes of one target, then ``tail``; it
    yields ?this and perhaps ?path, ?value and the variables of the message.
    """

    shape: str
    component: str
    severity: str
    head: str
    tail: str
    targets: tuple[Target, ...]
    path: str | None
    message: str | None
    #: True when the query reads only the focus node's own triples (see :func:`reads_only_this`): it can
    #: then run on each chunk of whole subjects instead of the whole store.
    local: bool = False
    #: For an ``sh:class`` constraint: the class, the IRI of :attr:`path` being the one property read. Such a
    #: check is evaluated on each focus node's whole description with a look-up of each value's type
    #: (:class:`checking.ClassChecks`), not as its SPARQL query, which states what it asks.
    cls: str | None = None

    def queries(self, focus: str | None = None) -> list[str]:
        """One query per target, in the order of :attr:`targets`.

        A focus node of several targets is found by several queries; SHACL validates it once, so
        :func:`checking.run_checks` drops the rows of a focus node that an earlier target already
        holds (a look-up per row, and rows are few, where a ``FILTER NOT EXISTS`` per earlier target in
        the query cost a look-up per focus node: 8 s of 10 for 3,000 figures). The plan keeps only class
        and subjects-of targets, and data that declares ``rdfs:subClassOf`` is validated whole, so a
        class target is one triple pattern: no DISTINCT, whose memory would grow with the store.
        """
        queries: list[str] = []
        for target in self.targets:
            node = target.node.n3()
            if target.kind == SH.targetClass:
                bind = f"?this a {node} ."
            else:  # sh:targetSubjectsOf (the plan leaves sh:targetNode and sh:targetObjectsOf shapes out)
                bind = f"{{ SELECT DISTINCT ?this WHERE {{ ?this {node} ?pfocrTargetObject }} }}"
            only = "" if focus is None else f"VALUES ?this {{ {focus} }} "
            queries.append(f"{self.head} {only}{bind} {self.tail}")
        return queries


# Algebra operators whose result, evaluated on each focus node's own triples, is the same as on the whole
# graph (no LIMIT, no aggregate over several focus nodes, no sub-select, GRAPH or SERVICE).
_LOCAL_OPERATORS = {
    "SelectQuery", "Project", "Distinct", "Reduced", "Filter", "Extend", "BGP", "Join", "LeftJoin", "Union",
    "Minus", "TrueFilter", "GroupGraphPatternSub", "TriplesBlock", "ConditionalAndExpression",
    "ConditionalOrExpression", "RelationalExpression", "AdditiveExpression", "MultiplicativeExpression",
    "UnaryNot", "UnaryMinus", "UnaryPlus", "Function", "vars",
}


def reads_only_this(text: str) -> bool:
    """True when every triple pattern of the SPARQL ``text`` has ``$this`` as its subject and a plain predicate.

    Such a query reads only the focus node's own triples, so it gives the same rows on any set of triples
    that holds each focus node's whole description. Anything else (property paths, other subjects,
    sub-selects, aggregates, LIMIT, GRAPH, SERVICE, or a query rdflib cannot parse) is not local.
    """
    try:
        algebra = prepareQuery(text).algebra
    except Exception:  # rdflib's parser raises many kinds of errors: then it is simply not local
        return False
    this = Variable("this")

    def own_triple(triple: object) -> bool:
        if not isinstance(triple, (list, tuple)) or len(triple) != 3:
            return False
        subject, predicate, _ = triple
        return subject == this and isinstance(predicate, (URIRef, Variable))

    def local(node: object) -> bool:
        if isinstance(node, CompValue):
            if node.name not in _LOCAL_OPERATORS and not node.name.startswith("Builtin_"):
                return False
            for key, value in node.items():
                if key in ("_vars", "PV", "datasetClause"):
                    continue
                if key == "triples":
                    if not all(own_triple(t) for t in value):
                        return False
                elif not local(value):
                    return False
            return True
        if isinstance(node, (list, tuple)):
            return all(local(item) for item in node)
        return not isinstance(node, (dict, PropertyPath))

    return local(algebra)


def _check_syntax(checks: Sequence[GlobalCheck]) -> None:
    """Raise :class:`UsageError` now if a query does not parse, not hours later on a big store."""
    empty = ox.Store()
    for check in checks:
        for query in check.queries():
            try:
                empty.query(query)
            except SyntaxError as err:
                raise UsageError(f"the SPARQL of {check.shape} does not parse: {err}") from err


@dataclass(frozen=True)
class Plan:
    local: Graph
    checks: tuple[GlobalCheck, ...]


def _targets(shapes: Graph, shape: Node) -> list[Target]:
    found = [Target(kind, node) for kind in _TARGETS for node in shapes.objects(shape, kind)]
    if (shape, RDF.type, RDFS.Class) in shapes:  # an implicit class target
        found.append(Target(SH.targetClass, shape))
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


def shape_message(shapes: Graph, node: Node) -> str | None:
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


def _sparql_check(shapes: Graph, shape: URIRef, constraint: Node, targets: Sequence[Target]) -> GlobalCheck:
    select = shapes.value(constraint, SH.select)
    if select is None:
        raise UsageError(f"the SPARQL constraint of {shape} has no sh:select (sh:ask is not supported)")
    text = str(select)
    # The target goes at the start of the query's WHERE group, where SHACL would pre-bind $this.
    where = re.search(r"\bWHERE\s*\{", text, re.IGNORECASE) or re.search(r"\{", text)
    if where is None:
        raise UsageError(f"cannot read the SPARQL constraint of {shape}")
    head, tail = _prefixes(shapes, constraint) + text[:where.end()], text[where.end():]
    return GlobalCheck(str(shape), str(SH.SPARQLConstraintComponent), _severity(shapes, shape), head, tail,
                        tuple(targets), None, shape_message(shapes, constraint) or shape_message(shapes, shape),
                        local=reads_only_this(head + tail))


def _class_check(shapes: Graph, prop: URIRef, cls: Node, targets: Sequence[Target]) -> GlobalCheck:
    path = shapes.value(prop, SH.path)
    assert isinstance(path, URIRef)  # _reads_own_triples made sure
    # rdf:type alone, not rdf:type/rdfs:subClassOf*: the checks run only on data that declares no
    # subclass (the rest is validated whole), and the path costs 2.5x. NOT EXISTS, not MINUS (2x faster
    # here), because Oxigraph's MINUS holds every instance of the class in memory.
    tail = f"?this {path.n3()} ?value . FILTER NOT EXISTS {{ ?value <{RDF.type}> {cls.n3()} }} }}"
    assert isinstance(cls, URIRef)  # make_plan made sure
    return GlobalCheck(str(prop), str(SH.ClassConstraintComponent), _severity(shapes, prop),
                        "SELECT ?this ?value WHERE {", tail, tuple(targets),
                        str(path), shape_message(shapes, prop) or f"Value is not an instance of {cls.n3()}",
                        cls=str(cls))


def _property_shape_is_local(shapes: Graph, shape: Node) -> bool:
    """True when a targeted property shape reads only its focus node's triples and their objects' terms."""
    if not isinstance(shapes.value(shape, SH.path), URIRef):
        return False
    if any((shape, p, None) in shapes for p in (SH.property, SH["class"], SH.sparql)):
        return False  # these read the value nodes' own triples
    return all(_reads_only_itself(shapes, n) for n in _nested(shapes, shape))


def _flag(shapes: Graph, shape: Node, predicate: URIRef) -> bool:
    value = shapes.value(shape, predicate)
    return isinstance(value, Literal) and value.toPython() is True


def _deactivated(shapes: Graph, shape: Node) -> bool:
    return _flag(shapes, shape, SH.deactivated)


def make_plan(shapes: Graph) -> Plan | None:
    """Split the shapes into chunk-local ones and whole-store SPARQL checks; None if they do not split."""
    local = Graph()
    local += shapes
    checks: list[GlobalCheck] = []
    for shape in sorted(set(shapes.subjects(None, None)), key=str):
        targets = _targets(shapes, shape)
        if not targets or _deactivated(shapes, shape):
            continue
        # sh:targetNode names a focus node whether the chunk holds its triples or not
        if not isinstance(shape, URIRef) or any(t.kind in (SH.targetObjectsOf, SH.targetNode) for t in targets):
            return None
        if (shape, SH.path, None) in shapes:
            if not _property_shape_is_local(shapes, shape):
                return None
            continue
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
                if not isinstance(cls, URIRef):
                    return None  # an odd class: pySHACL on the whole graph says what it makes of it
                if not _deactivated(shapes, prop):
                    checks.append(_class_check(shapes, prop, cls, targets))
                local.remove((prop, SH["class"], cls))
    _check_syntax(checks)
    lift_property_shapes(shapes, local)
    return Plan(local, tuple(checks))


def lift_property_shapes(shapes: Graph, local: Graph) -> None:
    """Give each property shape of a targeted node shape that node shape's targets, in ``local``.

    SHACL gives the same results either way (a property shape reports itself as the source shape,
    reached from its node shape or not), but pySHACL validates a property shape reached through
    ``sh:property`` once per focus node, building its constraints again each time, and a property
    shape with targets of its own once for all its focus nodes: 3x faster on our shapes. Only where the
    results cannot differ: a named property shape, with no targets or ``sh:deactivated`` of its own,
    of one active node shape (not a property shape) that is not ``sh:closed`` (which reads its
    ``sh:property`` list), that no other shape nests (through ``sh:node``, ``sh:and``, ...: it would
    lose its properties there), and none of whose property shapes are ``sh:qualifiedValueShapesDisjoint``
    (which reads the siblings).
    """
    users: dict[Node, list[Node]] = collections.defaultdict(list)
    for shape, prop in shapes.subject_objects(SH.property):
        users[prop].append(shape)
    nested = {n for s in set(shapes.subjects(None, None)) for n in _nested(shapes, s)}
    nested.update(users)  # property shapes that have sh:property of their own
    for prop, (shape, *others) in users.items():
        targets = _targets(shapes, shape)
        if (others or not isinstance(prop, URIRef) or not targets or _deactivated(shapes, shape)
                or _targets(shapes, prop) or (prop, SH.deactivated, None) in shapes
                or (shape, SH.path, None) in shapes or shape in nested
                or _flag(shapes, shape, SH.closed)
                or any(_flag(shapes, p, SH.qualifiedValueShapesDisjoint) for p in shapes.objects(shape, SH.property))):
            continue
        local.remove((shape, SH.property, prop))
        for target in targets:
            local.add((prop, target.kind, target.node))


def plan_screen(plan: Plan) -> Screen | None:
    """The screen of the plan's chunk-local shapes (cached for the shipped shapes' plan)."""
    if plan is shipped_plan():
        return _shipped_screen()
    return make_screen(plan.local)


@functools.cache
def _shipped_screen() -> Screen | None:
    plan = shipped_plan()
    return None if plan is None else make_screen(plan.local)


@functools.cache
def shipped_plan() -> Plan | None:
    return make_plan(shipped_shapes())


def shapes_and_plan(shapes: str | os.PathLike[str] | None) -> tuple[Graph, Plan | None]:
    if shapes is None:
        return shipped_shapes(), shipped_plan()
    graph = load_shapes(shapes)
    return graph, make_plan(graph)
