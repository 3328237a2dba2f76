"""The shapes catch what a real export would lose: each required property of a real exported figure,
article and mention annotation is removed in turn, and the validator names exactly that constraint.
Also the command line's ``validate`` and ``export --validate``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from rdflib import RDF, SH, Graph, URIRef
from rdflib.term import Node

from pfocr_rdf.namespaces import SCHEMA
from pfocr_rdf.validating import shapes_text, validate_graph

FIGURE = URIRef("https://pfocr.wikipathways.org/figures/PMC10003241__ijms-24-04893-g003.html")
ARTICLE = URIRef("http://identifiers.org/pmc/PMC10003241")


def _required(shapes: Graph, cls: URIRef) -> list[tuple[URIRef, URIRef, URIRef]]:
    """(property shape, predicate, component) of each violation-level must-have on ``cls``: sh:minCount >= 1,
    or sh:hasValue (which removing the property also breaks)."""
    found = []
    for shape in shapes.subjects(SH.targetClass, cls):
        for prop in shapes.objects(shape, SH.property):
            path, minimum = shapes.value(prop, SH.path), shapes.value(prop, SH.minCount)
            severity = shapes.value(prop, SH.severity, default=SH.Violation)
            if not isinstance(path, URIRef) or severity != SH.Violation:
                continue
            value = shapes.value(prop, SH.hasValue)
            if path == RDF.type and value == cls:
                continue  # without that type the shape no longer targets the node at all
            if minimum is not None and int(minimum) >= 1:
                found.append((prop, path, SH.MinCountConstraintComponent))
            elif value is not None:
                found.append((prop, path, SH.HasValueConstraintComponent))
    return sorted(found)


def _neighbourhood(graph: Graph, node: Node) -> Graph:
    """The node's own triples, its annotations' and those of every node they point to (one hop)."""
    nodes = {node} | set(graph.subjects(URIRef("http://www.w3.org/ns/oa#hasTarget"), node))
    for subject in list(nodes):
        nodes |= {o for o in graph.objects(subject, None) if isinstance(o, URIRef)}
    out = Graph()
    for subject in nodes:
        for triple in graph.triples((subject, None, None)):
            out.add(triple)
    return out


@pytest.fixture(scope="module")
def sample_graph(sample_export: Path) -> Graph:
    return Graph().parse(sample_export, format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(data=shapes_text(), format="turtle")


def _cases(graph: Graph, shapes: Graph) -> list[tuple[URIRef, URIRef, URIRef, URIRef]]:
    annotation = sorted(graph.subjects(URIRef("http://www.w3.org/ns/oa#hasTarget"), FIGURE))[0]
    cases = []
    for node in (FIGURE, ARTICLE, annotation):
        for cls in sorted(set(graph.objects(node, RDF.type))):
            cases += [(node, prop, path, component) for prop, path, component in _required(shapes, cls)]
    return cases


def test_removing_each_required_property_is_caught(sample_graph: Graph, shapes: Graph) -> None:
    cases = _cases(sample_graph, shapes)
    kinds = {node for node, *_ in cases}
    assert len(kinds) == 3 and len(cases) >= 10, cases  # several must-haves on each of the three nodes
    base = _neighbourhood(sample_graph, FIGURE) + _neighbourhood(sample_graph, ARTICLE)
    assert validate_graph(base).conforms
    for node, prop, path, component in cases:
        value = shapes.value(prop, SH.hasValue)
        broken = Graph()
        for triple in base:
            if not (triple[0] == node and triple[1] == path and value in (None, triple[2])):
                broken.add(triple)
        assert len(broken) < len(base), f"{node} has no {path} to remove"
        report = validate_graph(broken)
        hits = [g for g in report.groups
                if g.shape == str(prop) and g.component == str(component) and str(node) in g.examples]
        assert hits, f"removing {path} from {node} was not reported by {prop}: {report.groups}"


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    return subprocess.run([sys.executable, "-m", "pfocr_rdf", *args], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=300)


def test_validate_command_exit_codes(examples_export: Path, tmp_path: Path) -> None:
    good = _run("validate", str(examples_export))
    assert good.returncode == 0, good.stdout + good.stderr
    assert "conforms: 0 violations" in good.stdout
    graph = Graph().parse(examples_export, format="turtle")
    graph.remove((None, SCHEMA.identifier, None))
    bad_file = tmp_path / "bad.ttl"
    graph.serialize(bad_file, format="turtle")
    bad = _run("validate", str(bad_file), "--format", "json")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "Figure-identifier" in bad.stdout
    json.loads(bad.stdout)
    missing = _run("validate", str(tmp_path / "nope.ttl"))
    assert missing.returncode == 2 and "nope.ttl" in missing.stderr and "Traceback" not in missing.stderr


def test_export_validate_rejects_records_that_break_the_shapes(examples_dir: Path, tmp_path: Path) -> None:
    tree = tmp_path / "tree" / "_figures"
    tree.mkdir(parents=True)
    shutil.copy(examples_dir / "_figures" / "PMC9743210__ga1.md", tree)
    (tree / "figure-one.md").write_text(
        "---\nfigid: figure-one\npmcid: PMC123\nfigtitle: A figure whose id is not a PFOCR id\n---\n", encoding="utf-8")
    rejects = tmp_path / "rejects.jsonl"
    result = _run("export", str(tree.parent), "--validate", "-o", str(tmp_path / "out.ttl"),
                  "--rejects", str(rejects))
    assert result.returncode == 1, result.stderr
    assert "read 2 records: 1 exported, 1 rejected" in result.stderr
    row = json.loads(rejects.read_text(encoding="utf-8"))
    assert row["figid"] == "figure-one"
    assert row["reason"].startswith("violates the SHACL shapes: Figure-identifier (PatternConstraintComponent")
    assert "figure-one" not in (tmp_path / "out.ttl").read_text(encoding="utf-8")
    assert rdflib.Graph().parse(tmp_path / "out.ttl", format="turtle")
