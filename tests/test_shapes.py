"""The SHACL shapes (``shapes/pfocr.shacl.ttl``) and the validation stage (``pfocr_rdf.validating``).

Cases are data: ``tests/shapes/valid/*.ttl`` must conform with no result at all; each
``tests/shapes/invalid/*.ttl`` states in its header the one result it expects (shape, path, constraint
component, severity, focus node), and pySHACL must report exactly that. Every constraint of the shapes
has a case, the shapes pass SHACL-for-SHACL, Apache Jena reaches the same results as pySHACL, and the
chunked validation of big files reaches the same results as validating the whole graph at once.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pyshacl
import pytest
from rdflib import RDF, SH, XSD, BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.processor import SPARQLProcessor
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node
from servers.jena import jena_available, jena_shacl, jena_shacl_results

from pfocr_rdf import validating
from pfocr_rdf.errors import InputError, UsageError
from pfocr_rdf.namespaces import PREFIXES

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHAPES = ROOT / "shapes" / "pfocr.shacl.ttl"
VALID = sorted((HERE / "shapes" / "valid").glob("*.ttl"))
INVALID = sorted((HERE / "shapes" / "invalid").glob("*.ttl"))
SHAPES_NS = "https://pfocr.wikipathways.org/shapes#"
PFOCR_NS = PREFIXES["pfocr"]
INVALID_DIR = HERE / "shapes" / "invalid"
_CURIES = {**PREFIXES, "sh": str(SH), "shapes": SHAPES_NS}

# The parameters of the SHACL core constraint components, and the component each one reports.
_COMPONENTS = {
    SH["class"]: "Class", SH.datatype: "Datatype", SH.nodeKind: "NodeKind",
    SH.minCount: "MinCount", SH.maxCount: "MaxCount",
    SH.minInclusive: "MinInclusive", SH.maxInclusive: "MaxInclusive",
    SH.minExclusive: "MinExclusive", SH.maxExclusive: "MaxExclusive",
    SH.minLength: "MinLength", SH.maxLength: "MaxLength", SH.pattern: "Pattern",
    SH.languageIn: "LanguageIn", SH.uniqueLang: "UniqueLang",
    SH.equals: "Equals", SH.disjoint: "Disjoint", SH.lessThan: "LessThan",
    SH.lessThanOrEquals: "LessThanOrEquals",
    SH["not"]: "Not", SH["and"]: "And", SH["or"]: "Or", SH.xone: "Xone", SH.node: "Node",
    SH.qualifiedMinCount: "QualifiedMinCount", SH.qualifiedMaxCount: "QualifiedMaxCount",
    SH.closed: "Closed", SH.hasValue: "HasValue", SH["in"]: "In", SH.sparql: "SPARQL",
}
# Other predicates a shape may carry that are not constraints of their own.
_NOT_CONSTRAINTS = {
    RDF.type, SH.path, SH.property, SH.targetClass, SH.targetNode, SH.targetSubjectsOf,
    SH.targetObjectsOf, SH.severity, SH.message, SH.name, SH.description, SH.deactivated, SH.flags,
    SH.qualifiedValueShape, SH.qualifiedValueShapesDisjoint, SH.ignoredProperties, SH.order, SH.group,
    URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
    URIRef("http://www.w3.org/2000/01/rdf-schema#comment"),
}


@dataclass(frozen=True)
class Result:
    """One validation result, as the tests compare them."""

    shape: Node | None
    path: Node | None
    component: Node
    severity: Node
    focus: Node


def _expand(curie: str) -> URIRef:
    if curie.startswith("<") and curie.endswith(">"):
        return URIRef(curie[1:-1])
    prefix, local = curie.split(":", 1)
    return URIRef(_CURIES[prefix] + local)


def _expected(path: Path) -> Result:
    """Read the ``# expect:`` line of an invalid case."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# expect:"):
            fields = dict(item.split("=", 1) for item in line.removeprefix("# expect:").split())
            return Result(
                shape=_expand(fields["shape"]),
                path=None if fields["path"] == "-" else _expand(fields["path"]),
                component=_expand(fields["component"]),
                severity=_expand(fields["severity"]),
                focus=_expand(fields["focus"]),
            )
    raise AssertionError(f"{path} has no '# expect:' line")


@pytest.fixture(scope="module", autouse=True)
def _prepared_sparql() -> Iterator[None]:
    """Let rdflib parse each SPARQL text once: pySHACL sends the same constraint query for every focus
    node, and rdflib's parser takes a tenth of a second each time (two minutes per run of these tests).
    Prepared queries are what rdflib recommends reusing; the results do not change."""
    prepared: dict[tuple[str, str | None, tuple[tuple[str, Any], ...]], Query] = {}
    original = SPARQLProcessor.query

    def query(self: SPARQLProcessor, strOrQuery: str | Query, initBindings: Any = None,
              initNs: Any = None, base: str | None = None, DEBUG: bool = False) -> Any:
        if isinstance(strOrQuery, str):
            key = (strOrQuery, base, tuple(sorted((initNs or {}).items())))
            if key not in prepared:
                prepared[key] = translateQuery(parseQuery(strOrQuery), base, initNs)
            strOrQuery = prepared[key]
        return original(self, strOrQuery, initBindings, initNs, base, DEBUG)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(SPARQLProcessor, "query", query)
        yield


@functools.cache
def _shapes() -> Graph:
    return Graph().parse(SHAPES)


@functools.cache
def _pyshacl_file(path: Path) -> tuple[bool, frozenset[Result]]:
    """pySHACL's verdict and results on one test file, on the whole graph (the reference)."""
    conforms, results = _pyshacl_results(Graph().parse(path))
    return conforms, frozenset(results)


def _pyshacl_results(data: Graph) -> tuple[bool, set[Result]]:
    conforms, report, _ = pyshacl.validate(data, shacl_graph=_shapes())
    assert isinstance(report, Graph)
    results = {
        Result(
            shape=report.value(r, SH.sourceShape),
            path=report.value(r, SH.resultPath),
            component=report.value(r, SH.sourceConstraintComponent),
            severity=report.value(r, SH.resultSeverity),
            focus=report.value(r, SH.focusNode),
        )
        for r in report.subjects(RDF.type, SH.ValidationResult)
    }
    return bool(conforms), results


def _show(results: set[Result]) -> str:
    def short(node: Node | None) -> str:
        if node is None:
            return "-"
        text = str(node)
        for prefix, namespace in _CURIES.items():
            if text.startswith(namespace):
                return f"{prefix}:{text[len(namespace):]}"
        return f"<{text}>"

    return "\n".join(
        f"  {short(r.shape)} {short(r.path)} {short(r.component)} {short(r.severity)} {short(r.focus)}"
        for r in sorted(results, key=str)
    ) or "  (none)"


# -- the shapes themselves ---------------------------------------------------------------------------

def test_shapes_pass_shacl_for_shacl() -> None:
    shacl_shacl = Graph().parse(str(resources.files("pyshacl") / "assets" / "shacl-shacl.ttl"))
    conforms, _, text = pyshacl.validate(_shapes(), shacl_graph=shacl_shacl)
    assert conforms, text


def test_shapes_use_the_project_prefixes() -> None:
    declared = dict(re.findall(r"@prefix (\w*): <([^>]+)> \.", SHAPES.read_text(encoding="utf-8")))
    clashes = {p: ns for p, ns in declared.items() if p in PREFIXES and PREFIXES[p] != ns}
    assert not clashes, f"prefixes that differ from pfocr_rdf.namespaces: {clashes}"


def test_shapes_are_named_and_node_shapes_have_targets() -> None:
    graph = _shapes()
    property_shapes = set(graph.objects(None, SH.property))
    assert all(isinstance(s, URIRef) for s in property_shapes), "property shapes should be named"
    for shape in graph.subjects(RDF.type, SH.NodeShape):
        assert isinstance(shape, URIRef), f"unnamed node shape {shape}"
        helper = shape in set(graph.objects(None, SH.qualifiedValueShape)) | set(graph.objects(None, SH.node))
        targeted = any((shape, p, None) in graph for p in (
            SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf))
        assert helper or targeted, f"{shape} has no target and is used by no other shape"
        assert str(shape).startswith(SHAPES_NS)
    for shape in property_shapes:
        assert str(shape).startswith(SHAPES_NS)
        assert (shape, RDF.type, SH.PropertyShape) in graph, f"{shape} should say it is a sh:PropertyShape"


def test_shipped_shapes_are_the_repository_shapes() -> None:
    assert validating.shapes_text() == SHAPES.read_text(encoding="utf-8")


# -- valid and invalid cases -------------------------------------------------------------------------

@pytest.mark.parametrize("path", VALID, ids=[p.stem for p in VALID])
def test_valid_graph_conforms(path: Path) -> None:
    conforms, results = _pyshacl_file(path)
    assert conforms and not results, f"{path.name} should conform; got:\n{_show(results)}"


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_graph_reports_exactly_its_result(path: Path) -> None:
    expected = _expected(path)
    conforms, results = _pyshacl_file(path)
    assert not conforms
    assert results == {expected}, (
        f"{path.name} expected:\n{_show({expected})}\ngot:\n{_show(results)}"
    )


def _constraints(graph: Graph) -> set[tuple[URIRef, URIRef]]:
    """Every (shape, constraint component) the shapes declare, for shapes that report results."""
    node_shapes = {s for s in graph.subjects(RDF.type, SH.NodeShape)
                   if any((s, p, None) in graph for p in (
                       SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf))}
    shapes = node_shapes | {p for s in node_shapes for p in graph.objects(s, SH.property)}
    found: set[tuple[URIRef, URIRef]] = set()
    for shape in shapes:
        for predicate in set(graph.predicates(shape, None)):
            if predicate in _NOT_CONSTRAINTS:
                continue
            assert predicate in _COMPONENTS, f"{shape}: teach this test the constraint {predicate}"
            assert isinstance(shape, URIRef)
            found.add((shape, SH[_COMPONENTS[predicate] + "ConstraintComponent"]))
    return found


def test_every_constraint_has_an_invalid_case() -> None:
    covered = {(e.shape, e.component) for e in map(_expected, INVALID)}
    declared = _constraints(_shapes())
    missing = sorted(f"{s} {c}" for s, c in declared - covered)
    assert not missing, "constraints without an invalid case:\n" + "\n".join(missing)
    unknown = sorted(f"{s} {c}" for s, c in covered - declared)
    assert not unknown, "invalid cases naming no constraint of the shapes:\n" + "\n".join(unknown)


def test_invalid_cases_are_up_to_date() -> None:
    spec = importlib.util.spec_from_file_location("make_invalid", HERE / "shapes" / "make_invalid.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(sys.modules, spec.name, module)  # dataclasses look their module up there
        spec.loader.exec_module(module)
        assert module.main(["--check"]) == 0, "run: python tests/shapes/make_invalid.py"


# -- Apache Jena agrees --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def jena() -> None:
    """Skip, saying how to install it, when Jena cannot run here."""
    reason = jena_available()
    if reason is not None:
        pytest.skip(reason)


def _nt(node: Node | None) -> str | None:
    return None if node is None else node.n3()


def test_jena_reaches_the_same_results_as_pyshacl(jena: None) -> None:
    verdicts = jena_shacl_results(SHAPES, VALID + INVALID)
    disagreements = []
    for path in VALID + INVALID:
        conforms, results = _pyshacl_file(path)
        jena_conforms, jena_results = verdicts[path]
        ours = {(_nt(r.focus), _nt(r.path), _nt(r.component), _nt(r.severity), _nt(r.shape)) for r in results}
        theirs = {(r.focus, r.path, r.component, r.severity, r.shape) for r in jena_results}
        if conforms != jena_conforms or ours != theirs:
            disagreements.append(f"{path.name}: pySHACL {conforms} {sorted(map(str, ours))}, "
                                 f"Jena {jena_conforms} {sorted(map(str, theirs))}")
    assert not disagreements, "\n".join(disagreements)


def test_jena_command_gives_the_verdicts(jena: None) -> None:
    assert jena_shacl(SHAPES, HERE / "shapes" / "valid" / "current-figure.ttl") is True
    assert jena_shacl(SHAPES, HERE / "shapes" / "invalid" / "Figure-identifier--min-count.ttl") is False


# -- pfocr_rdf.validating: the library and its chunked validation --------------------------------------------

def _key(result: Result) -> tuple[str, str, str, str]:
    return (str(result.shape), str(result.path or ""), str(result.component), str(result.severity))


@pytest.mark.parametrize("path", VALID + INVALID, ids=[p.stem for p in VALID + INVALID])
def test_validate_files_in_chunks_agrees_with_pyshacl(path: Path) -> None:
    _, results = _pyshacl_file(path)
    # chunk_size=1: every subject is validated on its own, the hardest case for chunking
    report = validating.validate_files([path], chunk_size=1)
    got = {(g.shape, g.path or "", g.component, g.severity): (g.count, set(g.examples))
           for g in report.groups}
    want: dict[tuple[str, str, str, str], tuple[int, set[str]]] = {}
    for r in results:
        count, focus = want.get(_key(r), (0, set()))
        want[_key(r)] = (count + 1, focus | {str(r.focus)})
    assert got == want
    assert report.conforms == all(r.severity != SH.Violation for r in results)


def test_validate_graph_agrees_with_pyshacl() -> None:
    path = HERE / "shapes" / "invalid" / "Figure-identifier--min-count.ttl"
    report = validating.validate_graph(Graph().parse(path))
    assert not report.conforms
    assert [(g.shape, g.component, g.count) for g in report.groups] == [
        (SHAPES_NS + "Figure-identifier", str(SH.MinCountConstraintComponent), 1)]


def _many_figures(count: int) -> str:
    """A graph of ``count`` broken figures in N-Triples: each lacks its figid, half have a bad score."""
    valid = Graph().parse(HERE / "shapes" / "valid" / "current-figure.ttl")
    lines = [valid.serialize(format="nt")]
    for i in range(count):
        fig = f"<https://pfocr.wikipathways.org/figures/PMC{i}__f{i}.html>"
        lines.append(f"{fig} <{RDF.type}> <http://schema.org/ImageObject> .")
        lines.append(f"{fig} <{RDF.type}> <http://purl.org/spar/doco/Figure> .")
        lines.append(f'{fig} <http://schema.org/name> "Figure {i}"@en .')
        lines.append(f'{fig} <http://schema.org/caption> "Caption {i}"@en .')
        lines.append(f"{fig} <http://schema.org/isPartOf> <http://identifiers.org/pmc/PMC10003241> .")
        if i % 2:
            lines.append(f'{fig} <{PFOCR_NS}pathwayScore> "1.5"^^<{XSD.decimal}> .')
    return "\n".join(lines) + "\n"


def test_validate_files_aggregates_and_keeps_a_few_examples(tmp_path: Path) -> None:
    data = tmp_path / "many.nt"
    data.write_text(_many_figures(40), encoding="utf-8")
    seen: list[tuple[str, int, int]] = []
    report = validating.validate_files([data], chunk_size=50,
                                       progress=lambda stage, done, total: seen.append((stage, done, total)))
    groups = {(g.shape.removeprefix(SHAPES_NS), g.component.removeprefix(str(SH))): g for g in report.groups}
    assert groups[("Figure-identifier", "MinCountConstraintComponent")].count == 40
    assert groups[("Figure-pathwayScore", "MaxInclusiveConstraintComponent")].count == 20
    assert all(len(g.examples) <= validating.EXAMPLES for g in report.groups)
    assert groups[("Figure-identifier", "MinCountConstraintComponent")].examples == tuple(sorted(
        groups[("Figure-identifier", "MinCountConstraintComponent")].examples))
    assert report.violations == 60 and not report.conforms
    chunks = [(done, total) for stage, done, total in seen if stage == "chunk"]
    assert chunks and chunks[-1][0] == chunks[-1][1] == report.triples
    assert [done for done, _ in chunks] == sorted(done for done, _ in chunks)
    checks = [(done, total) for stage, done, total in seen if stage == "check"]
    assert checks[0][0] == 0 and checks[-1][0] == checks[-1][1] > 0, "every whole-graph check is counted"
    assert report.chunks > 1


def test_text_report_groups_by_shape_and_path(tmp_path: Path) -> None:
    data = tmp_path / "many.nt"
    data.write_text(_many_figures(12), encoding="utf-8")
    text = validating.format_text(validating.validate_files([data]))
    assert "does not conform" in text
    assert "shapes:Figure-identifier" in text and "schema:identifier" in text
    assert "12 failures" in text
    assert text.count("figures/PMC") <= 2 * validating.EXAMPLES + 2, "examples only, not every result"


def test_json_and_turtle_reports_parse(tmp_path: Path) -> None:
    report = validating.validate_files([INVALID_DIR / "Figure-pathwayScore--max-inclusive.ttl"])
    loaded = json.loads(validating.format_json(report))
    assert loaded["conforms"] is False and loaded["violations"] == 1
    assert loaded["groups"][0]["component"] == str(SH.MaxInclusiveConstraintComponent)
    graph = Graph().parse(data=validating.format_turtle(report), format="turtle")
    assert graph.value(predicate=RDF.type, object=SH.ValidationReport) is not None
    assert (None, SH.sourceShape, URIRef(SHAPES_NS + "Figure-pathwayScore")) in graph


def test_warnings_alone_conform() -> None:
    path = HERE / "shapes" / "invalid" / "Gene-taxonomicRange-recommended--min-count.ttl"
    report = validating.validate_files([path])
    assert report.conforms and report.warnings == 1 and report.exit_code == 0
    assert "conforms" in validating.format_text(report)


def test_valid_files_together_conform() -> None:
    report = validating.validate_files(VALID, chunk_size=7)
    assert report.conforms and not report.groups and report.exit_code == 0
    assert report.triples == sum(len(Graph().parse(p)) for p in VALID) - _shared_triples()


def _shared_triples() -> int:
    """Triples that several valid files both write (the same taxon), counted once when merged."""
    merged = Graph()
    total = 0
    for path in VALID:
        graph = Graph().parse(path)
        total += len(graph)
        merged += graph
    return total - len(merged)


@pytest.mark.parametrize(("name", "text", "error"), [
    ("broken.ttl", "<http://example.org/a> <http://example.org/b> .\n", InputError),
    ("broken.nt", "<http://example.org/a> <http://example.org/b> \"x .\n", InputError),
    # a name outside the one file-name rule every command applies (README) is the caller's to fix
    ("data.unknown", "<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n", UsageError),
])
def test_bad_input_is_an_input_error(tmp_path: Path, name: str, text: str, error: type[Exception]) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(error, match=re.escape(name)):
        validating.validate_files([path])


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"missing\.ttl"):
        validating.validate_files([tmp_path / "missing.ttl"])


def test_custom_shapes_file(tmp_path: Path) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<http://example.org/S> a sh:NodeShape ; sh:targetClass <http://example.org/C> ;\n"
        "    sh:property [ sh:path <http://example.org/p> ; sh:minCount 1 ] .\n",
        encoding="utf-8")
    data = tmp_path / "data.ttl"
    data.write_text("<http://example.org/x> a <http://example.org/C> .\n", encoding="utf-8")
    report = validating.validate_files([data], shapes=shapes)
    assert not report.conforms and report.groups[0].examples == ("http://example.org/x",)


def _blank(graph: Graph) -> Iterator[BNode]:
    yield from (n for n in graph.all_nodes() if isinstance(n, BNode))


def test_valid_examples_use_no_blank_nodes() -> None:
    for path in VALID:
        assert not list(_blank(Graph().parse(path))), path.name


def test_figure_types_are_the_closed_list() -> None:
    graph = _shapes()
    values = graph.value(URIRef(SHAPES_NS + "Figure-figureType"), SH["in"])
    assert values is not None
    assert [str(v) for v in Collection(graph, values)] == [
        "Figure", "Scheme", "Supplemental figure", "Graphical abstract"]


def test_shapes_outside_the_plan_are_validated_whole(tmp_path: Path) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<http://example.org/S> a sh:NodeShape ; sh:targetObjectsOf <http://example.org/link> ;\n"
        "    sh:class <http://example.org/C> .\n",
        encoding="utf-8")
    data = tmp_path / "data.nt"
    data.write_text("<http://example.org/a> <http://example.org/link> <http://example.org/b> .\n",
                    encoding="utf-8")
    report = validating.validate_files([data], shapes=shapes)
    assert not report.streamed and report.violations == 1
    assert report.groups[0].examples == ("http://example.org/b",)


def test_on_disk_store_and_worker_processes_agree(tmp_path: Path) -> None:
    data = tmp_path / "many.nt"
    data.write_text(_many_figures(30), encoding="utf-8")
    in_memory = validating.validate_files([data], chunk_size=40)
    on_disk = validating.validate_files([data], chunk_size=40, on_disk=True)
    workers = validating.validate_files([data], chunk_size=40, jobs=2)
    assert in_memory.groups == on_disk.groups == workers.groups
    # the chunks themselves may differ: the in-memory store yields subjects in its own order
    assert min(in_memory.chunks, on_disk.chunks, workers.chunks) > 1


@pytest.mark.parametrize("options", [{"chunk_size": 0}, {"jobs": 0}])
def test_bad_options_are_usage_errors(options: dict[str, int]) -> None:
    with pytest.raises(UsageError):
        validating.validate_files(VALID[:1], **options)


def test_unknown_report_format_lists_the_known_ones() -> None:
    report = validating.validate_files(VALID[:1])
    with pytest.raises(UsageError, match="text, turtle, json"):
        validating.format_report(report, "xml")
    assert validating.format_report(report, "text") == validating.format_text(report)


# -- the exporter's output -----------------------------------------------------------------------------

def _all_results(path: Path) -> dict[tuple[str, str, str, str], tuple[int, frozenset[str]]]:
    report = validating.validate_files([path], examples=10**9)
    return {(g.severity, g.shape, g.path or "", g.component): (g.count, frozenset(g.examples))
            for g in report.groups}


def test_sample_export_has_no_violation(sample_export: Path) -> None:
    report = validating.validate_files([sample_export])
    assert report.violations == 0, validating.format_text(report)


def test_examples_export_has_no_violation(examples_export: Path) -> None:
    report = validating.validate_files([examples_export])
    assert report.violations == 0, validating.format_text(report)


def test_jena_agrees_on_the_sample_export(jena: None, sample_export: Path) -> None:
    (_, jena_results), = jena_shacl_results(SHAPES, [sample_export]).values()
    theirs: dict[tuple[str, str, str, str], tuple[int, frozenset[str]]] = {}
    for r in jena_results:
        key = (r.severity[1:-1], (r.shape or "")[1:-1], (r.path or "")[1:-1], r.component[1:-1])
        count, focus = theirs.get(key, (0, frozenset()))
        theirs[key] = (count + 1, focus | {r.focus[1:-1]})
    assert _all_results(sample_export) == theirs
