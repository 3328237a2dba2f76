"""The screen: which subjects certainly conform to the chunk-local shapes, decided without pySHACL.

pySHACL validates about 26k triples a second, most of it building rdflib graphs and walking its own
shape objects, and almost every subject of an export conforms. The screen compiles the chunk-local
shapes (:attr:`plan.Plan.local`) into plain checks on pyoxigraph terms and runs them on each subject's
triples. A check answers True (pySHACL certainly reports nothing), False (it certainly reports
something) or None (it cannot tell without rdflib's own term semantics: normalised typed literals,
numeric comparisons, ...). A subject *passes* only when every check on it answers True; every other
subject goes to pySHACL with its triples exactly as before, so each result in the report is still
pySHACL's own (severity, shape, path, focus node, value and message). The screen reports nothing.

The screen follows pySHACL's code, not only the specification, where they differ (a datatype check on
an ill-typed literal, how a pattern reads a typed literal, what counts as a distinct value). Shapes
using anything it does not know (``sh:node``, ``sh:or``, ``sh:equals``, ...) make :func:`make_screen`
return None: then every subject goes to pySHACL, as before the screen existed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

import pyoxigraph as ox
from rdflib import RDF, RDFS, SH, XSD, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection as RdfList
from rdflib.term import Node

#: A value node as the screen sees it (an RDF-star triple never reaches it: the chunk parser refuses them).
Term = ox.NamedNode | ox.BlankNode | ox.Literal

#: A subject (an RDF-star triple as subject is refused when loading).
Subject = ox.NamedNode | ox.BlankNode

#: The answer of one check: True = conforms, False = does not, None = cannot tell here.
Verdict = bool | None

_ValueCheck = Callable[[Term], Verdict]

_XSD_STRING = str(XSD.string)
_LANG_STRING = str(RDF.langString)
_RDF_TYPE = str(RDF.type)

# Parameters that say nothing about conformance (or are read with the parameter they belong to).
_DECLARATIVE = {SH[name] for name in (
    "targetClass", "targetSubjectsOf", "path", "severity", "message", "deactivated", "name", "description",
    "order", "group", "defaultValue", "flags", "ignoredProperties", "qualifiedMinCount", "qualifiedMaxCount",
    "property", "closed", "qualifiedValueShape")}

# Parameters the screen checks; any other sh: parameter on a reachable shape disables the screen.
_VALUE_PARAMETERS = {SH[name] for name in (
    "datatype", "nodeKind", "pattern", "in", "languageIn", "minLength", "maxLength",
    "minInclusive", "maxInclusive", "minExclusive", "maxExclusive")}
_SET_PARAMETERS = {SH[name] for name in ("minCount", "maxCount", "hasValue", "uniqueLang")}

# What a qualified value shape may use: checks that answer True or False with certainty on IRIs.
_QUALIFIED_PARAMETERS = {SH.datatype, SH.nodeKind, SH.pattern, SH["in"], SH.flags, SH.message, SH.severity}

_NODE_KINDS: dict[Node, tuple[type, ...]] = {
    SH.IRI: (ox.NamedNode,), SH.BlankNode: (ox.BlankNode,), SH.Literal: (ox.Literal,),
    SH.BlankNodeOrIRI: (ox.BlankNode, ox.NamedNode), SH.BlankNodeOrLiteral: (ox.BlankNode, ox.Literal),
    SH.IRIOrLiteral: (ox.NamedNode, ox.Literal),
}


def rdflib_term(node: Term) -> Node:
    """The rdflib term pySHACL sees for a pyoxigraph term (as ``checking`` builds its graphs)."""
    if isinstance(node, ox.NamedNode):
        return URIRef(node.value)
    if isinstance(node, ox.BlankNode):
        return BNode(node.value)
    if node.language:
        return Literal(node.value, lang=node.language)
    datatype = node.datatype.value
    return Literal(node.value) if datatype == _XSD_STRING else Literal(node.value, datatype=URIRef(datatype))


def _is_plain(node: Term) -> bool:
    """True for an IRI, a blank node or a simple literal: terms rdflib keeps exactly as Oxigraph does."""
    return not isinstance(node, ox.Literal) or (not node.language and node.datatype.value == _XSD_STRING)


def _key(node: Term) -> object:
    """A key equal for two terms exactly when rdflib holds them as one (it normalises typed literals)."""
    if isinstance(node, ox.NamedNode):
        return node.value
    if _is_plain(node):
        return node
    return rdflib_term(node)


# --- value checks (pySHACL's constraint components, per value node) ------------------------------------

def _actual_datatype(value: object, rule: Node) -> bool:
    """pySHACL's DatatypeConstraintComponent._assert_actual_datatype, for a well-typed literal."""
    expected: dict[Node, type | tuple[type, ...]] = {
        XSD.string: (str, bytes), RDF.langString: (str, bytes), XSD.integer: int, XSD.float: float,
        XSD.decimal: Decimal, XSD.boolean: bool, XSD.date: date, XSD.time: time, XSD.dateTime: datetime,
    }
    kind = expected.get(rule)
    return True if kind is None else isinstance(value, kind)


def _datatype_check(rule: Node) -> _ValueCheck:
    any_literal, with_datatype = rule == RDFS.Literal, rule == RDFS.Datatype
    lang_string, string, wanted = rule == RDF.langString, rule == XSD.string, str(rule)
    cache: dict[str, bool] = {}

    def check(node: Term) -> Verdict:
        if not isinstance(node, ox.Literal):
            return False
        if any_literal:
            return True
        if node.language:
            return lang_string
        datatype = node.datatype.value
        if datatype == _XSD_STRING:
            return string
        if with_datatype:
            return True
        if datatype != wanted:
            return False
        verdict = cache.get(node.value)
        if verdict is None:
            literal = rdflib_term(node)
            assert isinstance(literal, Literal)
            verdict = getattr(literal, "ill_typed", None) is not True and _actual_datatype(literal.value, rule)
            if len(cache) > 100_000:
                cache.clear()
            cache[node.value] = verdict
        return verdict

    return check


def _node_kind_check(rule: Node) -> _ValueCheck:
    kinds = _NODE_KINDS[rule]
    return lambda node: isinstance(node, kinds)


def _string_of(node: Term) -> str | None:
    """The text pySHACL's string-based components read from a value node (None for a blank node)."""
    if isinstance(node, ox.NamedNode):
        return node.value
    if isinstance(node, ox.BlankNode):
        return None
    if _is_plain(node) or node.language:
        return node.value
    literal = rdflib_term(node)
    assert isinstance(literal, Literal)
    if literal.value is not None and literal.datatype in (None, RDF.langString, XSD.string):
        return str(literal.value)
    return str(literal)


def _pattern_check(patterns: Sequence[Literal], flags: Node | None) -> _ValueCheck:
    re_flags = 0
    if flags is not None:
        text = str(flags).lower()
        re_flags = (re.I if "i" in text else 0) | (re.M if "m" in text else 0)
    compiled = [re.compile(str(p.value) if p.value is not None and len(p.value) > 1 else str(p), re_flags)
                for p in patterns]

    def check(node: Term) -> Verdict:
        text = _string_of(node)
        return text is not None and all(matcher.search(text) is not None for matcher in compiled)

    return check


def _in_check(members: Sequence[Node]) -> _ValueCheck:
    iris = {str(m) for m in members if isinstance(m, URIRef)}
    others = {m for m in members if not isinstance(m, URIRef)}

    def check(node: Term) -> Verdict:
        if isinstance(node, ox.NamedNode):
            return node.value in iris
        return bool(others) and rdflib_term(node) in others

    return check


def _language_check(ranges: Sequence[Node]) -> _ValueCheck:
    wanted = {str(r).lower() for r in ranges}

    def check(node: Term) -> Verdict:
        if not isinstance(node, ox.Literal) or not node.language:
            return False
        language = node.language.lower()
        return "*" in wanted or language in wanted or language.split("-")[0] in wanted

    return check


def _length_check(limit: int, at_least: bool) -> _ValueCheck:
    def check(node: Term) -> Verdict:
        text = _string_of(node)
        if text is None:
            return None
        return (len(text) >= limit) if at_least else (len(text) <= limit)

    return check


def _range_check(bound: Node, parameter: Node) -> _ValueCheck:
    """A value range: True only when both are plain numbers and the comparison holds; else None."""
    limit = bound.value if isinstance(bound, Literal) else None

    def check(node: Term) -> Verdict:
        if not isinstance(node, ox.Literal) or not _number(limit):
            return None
        literal = rdflib_term(node)
        value = literal.value if isinstance(literal, Literal) and not getattr(literal, "ill_typed", False) else None
        if not _number(value):
            return None
        assert isinstance(value, (int, Decimal, float)) and isinstance(limit, (int, Decimal, float))
        holds: dict[Node, bool] = {SH.minInclusive: value >= limit, SH.maxInclusive: value <= limit,
                                   SH.minExclusive: value > limit, SH.maxExclusive: value < limit}
        return True if holds[parameter] else None

    return check


def _number(value: object) -> bool:
    return isinstance(value, (int, Decimal, float)) and not isinstance(value, bool)


# --- compiled shapes -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Qualified:
    checks: tuple[_ValueCheck, ...]
    least: int
    most: int | None


#: The objects of one subject per predicate, each object once.
Triples = Mapping[str, Collection[Term]]

# A check on all the value nodes of a focus node together (counts, sh:hasValue, ...), given the focus
# node's triples too (sh:closed).
_SetCheck = Callable[[Collection[Term], Triples], bool]


@dataclass(frozen=True)
class _Shape:
    """A node shape (``path`` None: its value node is the focus node) or a property shape."""

    path: str | None
    checks: tuple[_ValueCheck, ...]
    set_checks: tuple[_SetCheck, ...]
    properties: tuple[_Shape, ...]
    closed: bool  # reads every predicate of the focus node

    def conforms(self, focus: Subject, triples: Triples) -> bool:
        values: Collection[Term] = (focus,) if self.path is None else triples.get(self.path, ())
        for node in values:
            for check in self.checks:
                if check(node) is not True:
                    return False
        for set_check in self.set_checks:
            if not set_check(values, triples):
                return False
        for nested in self.properties:
            if not nested.conforms(focus, triples):
                return False
        return True


def _count_check(least: int, most: int | None) -> _SetCheck:
    def check(values: Collection[Term], triples: Triples) -> bool:
        if most is not None and len(values) > most:
            return False  # more terms than allowed; rdflib may hold fewer: let pySHACL count
        return not least or (len(values) >= least and len({_key(v) for v in values}) >= least)

    return check


def _has_value_check(wanted: Node) -> _SetCheck:
    if isinstance(wanted, URIRef):
        iri = str(wanted)
        return lambda values, triples: any(isinstance(v, ox.NamedNode) and v.value == iri for v in values)
    return lambda values, triples: any(rdflib_term(v) == wanted for v in values)


def _unique_lang_check(values: Collection[Term], triples: Triples) -> bool:
    languages = [v.language.lower() for v in values if isinstance(v, ox.Literal) and v.language]
    return len(languages) == len(set(languages))


def _qualified_check(qualified: _Qualified) -> _SetCheck:
    def check(values: Collection[Term], triples: Triples) -> bool:
        if not all(_is_plain(v) for v in values):
            return False  # rdflib may merge typed literals: let pySHACL count
        matching = 0
        for node in values:
            verdict = _all_true(qualified.checks, node)
            if verdict is None:
                return False
            matching += verdict
        return matching >= qualified.least and (qualified.most is None or matching <= qualified.most)

    return check


def _closed_check(allowed: frozenset[str]) -> _SetCheck:
    return lambda values, triples: allowed.issuperset(triples)


class _Unsupported(Exception):
    """A shape uses something the screen does not check."""


def _integer(graph: Graph, shape: Node, parameter: URIRef) -> int | None:
    value = graph.value(shape, parameter)
    if value is None:
        return None
    if not isinstance(value, Literal) or not isinstance(value.value, int) or isinstance(value.value, bool):
        raise _Unsupported(f"{parameter} of {shape} is not an integer")
    return value.value


def _flag(graph: Graph, shape: Node, parameter: URIRef) -> bool:
    value = graph.value(shape, parameter)
    return isinstance(value, Literal) and value.toPython() is True


def _list(graph: Graph, head: Node | None) -> list[Node]:
    return [] if head is None else list(RdfList(graph, head))


def _value_checks(graph: Graph, shape: Node) -> list[_ValueCheck]:
    checks: list[_ValueCheck] = []
    for rule in graph.objects(shape, SH.datatype):
        checks.append(_datatype_check(rule))
    for rule in graph.objects(shape, SH.nodeKind):
        if rule not in _NODE_KINDS:
            raise _Unsupported(f"unknown sh:nodeKind {rule}")
        checks.append(_node_kind_check(rule))
    patterns = list(graph.objects(shape, SH.pattern))
    if patterns:
        if not all(isinstance(p, Literal) for p in patterns):
            raise _Unsupported("a sh:pattern that is not a literal")
        checks.append(_pattern_check([p for p in patterns if isinstance(p, Literal)],
                                     graph.value(shape, SH.flags)))
    for head in graph.objects(shape, SH["in"]):
        checks.append(_in_check(_list(graph, head)))
    for head in graph.objects(shape, SH.languageIn):
        checks.append(_language_check(_list(graph, head)))
    for parameter, at_least in ((SH.minLength, True), (SH.maxLength, False)):
        limit = _integer(graph, shape, parameter)
        if limit is not None:
            checks.append(_length_check(limit, at_least))
    for parameter in (SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive):
        for bound in graph.objects(shape, parameter):
            checks.append(_range_check(bound, parameter))
    return checks


def _parameters(graph: Graph, shape: Node) -> set[Node]:
    return {p for p in graph.predicates(shape, None) if isinstance(p, URIRef) and str(p).startswith(str(SH))}


def _compile(graph: Graph, shape: Node, *, depth: int = 0) -> _Shape:
    if depth > 1:
        raise _Unsupported("property shapes nested in property shapes")
    parameters = _parameters(graph, shape)
    unknown = parameters - _DECLARATIVE - _VALUE_PARAMETERS - _SET_PARAMETERS
    if unknown:
        raise _Unsupported(f"{shape} uses {sorted(map(str, unknown))}")
    path = graph.value(shape, SH.path)
    if path is not None and not isinstance(path, URIRef):
        raise _Unsupported(f"{shape} has a complex path")
    if path is None and parameters & {SH.minCount, SH.maxCount, SH.uniqueLang, SH.qualifiedValueShape}:
        raise _Unsupported(f"node shape {shape} with property-shape parameters")
    if (shape, SH.qualifiedValueShapesDisjoint, None) in graph:
        raise _Unsupported("sh:qualifiedValueShapesDisjoint")
    qualified = []
    for nested in graph.objects(shape, SH.qualifiedValueShape):
        if _parameters(graph, nested) - _QUALIFIED_PARAMETERS or (nested, SH.path, None) in graph:
            raise _Unsupported(f"qualified value shape of {shape}")
        qualified.append(_Qualified(tuple(_value_checks(graph, nested)),
                                    _integer(graph, shape, SH.qualifiedMinCount) or 0,
                                    _integer(graph, shape, SH.qualifiedMaxCount)))
    properties = tuple(_compile(graph, p, depth=depth + 1) for p in graph.objects(shape, SH.property)
                       if not _flag(graph, p, SH.deactivated))
    set_checks: list[_SetCheck] = []
    least, most = _integer(graph, shape, SH.minCount) or 0, _integer(graph, shape, SH.maxCount)
    if least or most is not None:
        set_checks.append(_count_check(least, most))
    set_checks.extend(_has_value_check(wanted) for wanted in graph.objects(shape, SH.hasValue))
    if _flag(graph, shape, SH.uniqueLang):
        set_checks.append(_unique_lang_check)
    set_checks.extend(_qualified_check(q) for q in qualified)
    closed = _flag(graph, shape, SH.closed)
    if closed:
        allowed = {graph.value(p, SH.path) for p in graph.objects(shape, SH.property)}
        allowed.update(_list(graph, graph.value(shape, SH.ignoredProperties)))
        set_checks.append(_closed_check(frozenset(str(p) for p in allowed if p is not None)))
    return _Shape(None if path is None else str(path), tuple(_value_checks(graph, shape)), tuple(set_checks),
                  properties, closed)


def _all_true(checks: Sequence[_ValueCheck], node: Term) -> Verdict:
    unsure = False
    for check in checks:
        verdict = check(node)
        if verdict is False:
            return False
        if verdict is None:
            unsure = True
    return None if unsure else True


@dataclass(frozen=True)
class Screen:
    """The chunk-local shapes as checks on one subject's triples (see the module's docstring)."""

    by_class: Mapping[str, tuple[_Shape, ...]]
    by_predicate: Mapping[str, tuple[_Shape, ...]]
    #: The predicates whose triples pySHACL needs to validate a subject; None: all (a shape is closed).
    relevant: frozenset[str] | None

    def passes(self, subject: Subject, triples: Triples) -> bool:
        """True when pySHACL would certainly report nothing on ``subject``.

        ``triples`` maps each predicate of the subject to its objects, each object once.
        """
        for node in triples.get(_RDF_TYPE, ()):
            if isinstance(node, ox.NamedNode):
                for shape in self.by_class.get(node.value, ()):
                    if not shape.conforms(subject, triples):
                        return False
        if self.by_predicate:
            for predicate in triples:
                for shape in self.by_predicate.get(predicate, ()):
                    if not shape.conforms(subject, triples):
                        return False
        return True


def _implicit_class(graph: Graph, shape: Node) -> bool:
    """pySHACL's implicit class target: a shape that is an rdfs:Class (or of a direct subclass of it)."""
    classes = {RDFS.Class, *graph.subjects(RDFS.subClassOf, RDFS.Class)}
    return any(t in classes for t in graph.objects(shape, RDF.type))


def make_screen(local: Graph) -> Screen | None:
    """Compile chunk-local shapes into a :class:`Screen`; None if they use what the screen cannot check."""
    by_class: dict[str, list[_Shape]] = {}
    by_predicate: dict[str, list[_Shape]] = {}
    relevant: set[str] | None = {_RDF_TYPE}
    shapes = {s for s in local.subjects(None, None) if _parameters(local, s) & {
        SH.targetClass, SH.targetSubjectsOf, SH.targetNode, SH.targetObjectsOf}} | {
        s for s in local.subjects(RDF.type, None) if _implicit_class(local, s)}
    try:
        for node in sorted(shapes, key=str):
            if _flag(local, node, SH.deactivated):
                continue
            if (node, SH.targetNode, None) in local or (node, SH.targetObjectsOf, None) in local:
                raise _Unsupported("sh:targetNode and sh:targetObjectsOf")
            compiled = _compile(local, node)
            targets = [str(c) for c in local.objects(node, SH.targetClass)]
            if _implicit_class(local, node):
                targets.append(str(node))
            for target in targets:
                by_class.setdefault(target, []).append(compiled)
            for predicate in local.objects(node, SH.targetSubjectsOf):
                by_predicate.setdefault(str(predicate), []).append(compiled)
                if relevant is not None:
                    relevant.add(str(predicate))
            relevant = _relevant(compiled, relevant)
    except _Unsupported:
        return None
    return Screen({k: tuple(v) for k, v in by_class.items()}, {k: tuple(v) for k, v in by_predicate.items()},
                  None if relevant is None else frozenset(relevant))


def _relevant(shape: _Shape, relevant: set[str] | None) -> set[str] | None:
    if relevant is None or shape.closed:
        return None
    if shape.path is not None:
        relevant.add(shape.path)
    for nested in shape.properties:
        relevant = _relevant(nested, relevant)
        if relevant is None:
            return None
    return relevant
