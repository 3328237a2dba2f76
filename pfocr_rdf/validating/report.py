"""The report of a validation: results counted per (severity, shape, path, constraint component).

:class:`Collector` takes results one at a time, from pySHACL's chunk reports and from the SPARQL checks
(from two threads), counts them per group and keeps the few smallest focus nodes of each, so that a
report is the same whatever the chunking and never holds a million results. :class:`Report` is what
:func:`pfocr_rdf.validating.validate_files` returns; ``formats.py`` writes it out.
"""

from __future__ import annotations

import bisect
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from rdflib import RDFS, SH, Graph, Literal, URIRef
from rdflib.collection import Collection

from ..namespaces import PREFIXES
from .plan import shape_message

#: How many example focus nodes a group of results keeps.
EXAMPLES = 5


#: Called as ``progress(stage, done, total)``: stage "load" (triples read so far, total 0: unknown),
#: "check" (whole-graph checks done, of all: SPARQL queries and ``sh:class`` checks, these told done at the
#: end) or "chunk" (triples validated, of those read; the last call gives the distinct triples, twice).
Progress = Callable[[str, int, int], None]


SHAPES_NS = "https://pfocr.wikipathways.org/shapes#"


_SEVERITY_ORDER = {str(SH.Violation): 0, str(SH.Warning): 1, str(SH.Info): 2}


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


@dataclass
class _Group:
    count: int = 0
    examples: list[str] = field(default_factory=list)  # the smallest focus nodes seen, sorted
    details: dict[str, Example] = field(default_factory=dict)


class Collector:
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
        text = None if shape.startswith("_:") else shape_message(self._shapes, URIRef(shape))
        return None if text is None or re.search(r"\{[?$]\w+\}", text) else text

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
                shown = "(" + " ".join(short(v.n3()) for v in Collection(self._shapes, value)) + ")"
            elif isinstance(value, Literal):
                shown = value.n3() if parameter == "pattern" else str(value)
            else:
                shown = short(value.n3())
            parts.append(f"sh:{parameter} {shown}")
        return ", ".join(parts) or f"sh:{name}"


Row = tuple[str, str, "str | None", str, str, "str | None", "str | None"]


def curies() -> dict[str, str]:
    return {**PREFIXES, "sh": str(SH), "shapes": SHAPES_NS}


_LOCAL_NAME = re.compile(r"([A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?)?")


def short(text: str | None) -> str:
    """Write an IRI (plain or in <>) as a CURIE where a known prefix fits."""
    if text is None:
        return "-"
    bare = text[1:-1] if text.startswith("<") and text.endswith(">") else text
    if bare.startswith(("_:", '"')):
        return bare
    for prefix, namespace in sorted(curies().items(), key=lambda item: -len(item[1])):
        if bare.startswith(namespace) and _LOCAL_NAME.fullmatch(bare[len(namespace):]):
            return f"{prefix}:{bare[len(namespace):]}"
    return f"<{bare}>"
