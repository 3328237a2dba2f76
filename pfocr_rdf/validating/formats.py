"""The report written out: ``text`` for people, ``json`` for programs, ``turtle`` as a SHACL report.

Each shows the counts of every group and a few example results, never every result.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Literal as TypingLiteral

from rdflib import RDF, RDFS, SH, BNode, Graph, Literal, URIRef
from rdflib.term import Node
from rdflib.util import from_n3

from ..errors import UsageError, printable
from .report import EXAMPLES, Report, curies, short

ReportFormat = TypingLiteral["text", "turtle", "json"]


def _value_text(value: str | None) -> str:
    """Write a value in N-Triples with CURIEs: ``"1.5"^^xsd:decimal``, ``ncbigene:4040``."""
    if value is None:
        return ""
    if value.startswith("<"):
        return short(value)
    return re.sub(r"\^\^<([^>]+)>$", lambda m: "^^" + short(m.group(1)), value)


def format_text(report: Report) -> str:
    """Return the report for people: a verdict, then each group with its count and a few examples."""
    source = ", ".join(printable(file) for file in report.files) or "the graph"  # names may hold escapes
    verdict = "conforms" if report.conforms else "does not conform"
    counts = [f"{report.violations:,} violations"]
    if report.warnings:
        counts.append(f"{report.warnings:,} warnings")
    if report.infos:
        counts.append(f"{report.infos:,} infos")
    lines = [f"{source}: {verdict}: {' and '.join(counts)} in {report.triples:,} triples."]
    if not report.streamed:
        lines.append("(The whole graph was validated at once: the shapes do not split into chunks, or the data "
                     "declares rdfs:subClassOf.)")
    current: tuple[str, str, str | None] | None = None
    for group in report.groups:
        where = (group.severity, group.shape, group.path)
        if where != current:
            current = where
            severity = group.severity.removeprefix(str(SH))
            lines.append("")
            lines.append(f"{severity}: {short(group.shape)}, path {short(group.path)}")
        noun = "failure" if group.count == 1 else "failures"
        lines.append(f"  {short(group.component)} ({group.constraint}): {group.count:,} {noun}")
        if group.message:
            lines.append(f"    {group.message}")
        sparql = group.component == str(SH.SPARQLConstraintComponent)
        for detail in group.details:
            shown = short(detail.focus)
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
    for prefix, namespace in curies().items():
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
