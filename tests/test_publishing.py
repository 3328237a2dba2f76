"""What a release publishes beside its data: SIB example twins, the VoID/HCLS description, the vocabulary page.

Generic over whatever ``queries/*.rq`` and vocabulary terms exist: nothing here names a query or a term.
The VoID counts are checked against SPARQL COUNTs of each class and property and against a plain walk over
the store's triples, on the query corpus and on the export of the real PFOCR sample.
"""

from __future__ import annotations

import configparser
import fnmatch
import shlex
from collections import Counter
from pathlib import Path

import pyshacl
import pytest
import rdflib
from pyoxigraph import Literal, NamedNode, QuerySolutions, RdfFormat, Store
from rdflib.namespace import RDF, RDFS

from pfocr_rdf.cli import main
from pfocr_rdf.namespaces import PFOCR, SCHEMA_HTTPS, SH, SPEX
from pfocr_rdf.publishing.examples import (
    EXAMPLES_PATH,
    example_iri,
    example_turtle,
    examples_document,
    write_examples,
)
from pfocr_rdf.publishing.vocabulary import vocabulary_graph, vocabulary_html
from pfocr_rdf.publishing.void import LINK_TARGETS, dataset_statistics, describe_store
from pfocr_rdf.querying import load_query, parse_query_text, shipped_query_names
from pfocr_rdf.store import load_into

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "queries"
TWINS = QUERIES / "examples"
CORPUS = Path(__file__).resolve().parent / "queries" / "corpus.ttl"
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
TEXT_PROPERTIES = (SH.select, SH.ask, SH.construct, SPEX.describe)


# --- SIB sparql-examples twins -------------------------------------------------------------------------


def _twin(name: str) -> rdflib.Graph:
    return rdflib.Graph().parse(TWINS / f"{name}.ttl", format="turtle")


def test_every_query_file_has_its_twin_and_no_twin_is_stale() -> None:
    queries = {path.stem for path in QUERIES.glob("*.rq")}
    twins = {path.stem for path in TWINS.glob("*.ttl")}
    assert queries, "no queries found"
    assert queries == twins, "run `pfocr-rdf examples -o queries/examples` after changing queries/*.rq"


@pytest.mark.parametrize("name", shipped_query_names())
def test_twin_query_equals_the_rq_file(name: str) -> None:
    graph = _twin(name)
    node = rdflib.URIRef(example_iri(name))
    texts = [str(o) for p in TEXT_PROPERTIES for o in graph.objects(node, p)]
    assert texts == [(QUERIES / f"{name}.rq").read_text(encoding="utf-8")]
    assert (node, RDF.type, SH.SPARQLExecutable) in graph
    query = load_query(name)
    comments = list(graph.objects(node, RDFS.comment))
    assert len(comments) == 1 and comments[0].language == "en"
    assert str(comments[0]) == (query.description or query.title)
    assert str(graph.value(node, RDFS.label)) == query.title
    assert {str(k) for k in graph.objects(node, SCHEMA_HTTPS.keywords)} >= set(query.keywords)
    assert graph.value(node, SCHEMA_HTTPS.target) is not None


@pytest.mark.parametrize("name", shipped_query_names())
def test_twin_is_what_the_command_writes(name: str) -> None:
    # the shipped twins are current: regenerate them with `pfocr-rdf examples -o queries/examples`
    assert (TWINS / f"{name}.ttl").read_text(encoding="utf-8") == example_turtle(load_query(name))


def test_form_classes() -> None:
    for text, cls, prop in (
        ("ASK { ?s ?p ?o }", SH.SPARQLAskExecutable, SH.ask),
        ("CONSTRUCT WHERE { ?s ?p ?o }", SH.SPARQLConstructExecutable, SH.construct),
        ("DESCRIBE <http://example.org/x>", SPEX.DescribeExecutable, SPEX.describe),
        ("SELECT * WHERE { ?s ?p ?o }", SH.SPARQLSelectExecutable, SH.select),
    ):
        query = parse_query_text(f"# title: T\n\n{text}\n", name="q")
        graph = rdflib.Graph().parse(data=example_turtle(query), format="turtle")
        node = rdflib.URIRef(example_iri("q"))
        assert (node, RDF.type, cls) in graph
        assert str(graph.value(node, prop)) == query.text


@pytest.mark.parametrize("text", [
    'SELECT * WHERE { ?s ?p """a \\"quoted\\" \\\\ word""" }',
    "SELECT * WHERE { ?s ?p 'ends with a quote\"' }",
    'SELECT ?x WHERE { BIND("""x""" AS ?x) }  # """',
    "SELECT * WHERE { ?s ?p \"é 你好 🧬\\t\" }",
])
def test_any_query_text_round_trips(text: str) -> None:
    query = parse_query_text(f"# title: Quotes \"and\" backslashes \\\n# description: a\\b\n\n{text}", name="q")
    graph = rdflib.Graph().parse(data=example_turtle(query), format="turtle")
    node = rdflib.URIRef(example_iri("q"))
    assert str(graph.value(node, SH.select)) == query.text
    assert str(graph.value(node, RDFS.label)) == query.title


def test_examples_load_into_the_well_known_graph() -> None:
    base = "https://example.org/pfocr/"
    store = Store()
    graph = NamedNode(f"{base}{EXAMPLES_PATH}")
    store.load(examples_document(base=base, target="https://example.org/sparql").encode(), RdfFormat.TURTLE,
               to_graph=graph)
    answer = store.query(f"""
        PREFIX sh: <http://www.w3.org/ns/shacl#>
        PREFIX schema: <https://schema.org/>
        SELECT ?example ?target FROM <{graph.value}>
        WHERE {{ ?example a sh:SPARQLExecutable ; schema:target ?target }}""")
    assert isinstance(answer, QuerySolutions)
    rows = list(answer)
    assert {r["example"].value for r in rows} == {example_iri(n, base=base) for n in shipped_query_names()}  # type: ignore[union-attr]
    assert {r["target"].value for r in rows} == {"https://example.org/sparql"}  # type: ignore[union-attr]


def test_write_examples_mirrors_the_queries(tmp_path: Path) -> None:
    (tmp_path / "gone.ttl").write_text("stale", encoding="utf-8")
    written = write_examples(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{n}.ttl" for n in shipped_query_names())
    assert len(written) == len(shipped_query_names())


def test_examples_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["examples", "-o", str(tmp_path / "twins")]) == 0
    assert {p.stem for p in (tmp_path / "twins").glob("*.ttl")} == set(shipped_query_names())
    assert main(["examples", "--target", "https://example.org/sparql"]) == 0
    graph = rdflib.Graph().parse(data=capsys.readouterr().out, format="turtle")
    assert set(graph.objects(None, SCHEMA_HTTPS.target)) == {rdflib.URIRef("https://example.org/sparql")}


# --- the VoID / HCLS description -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample(sample_export: Path) -> Store:
    store = Store()
    load_into(store, [sample_export])
    return store


def _count(store: Store, text: str) -> int:
    answer = store.query(text, use_default_graph_as_union=True)
    assert isinstance(answer, QuerySolutions)
    (row,) = list(answer)
    value = row[0]
    assert isinstance(value, Literal)
    return int(value.value)


def _int(graph: rdflib.Graph, node: rdflib.term.Node, predicate: rdflib.URIRef) -> int:
    value = graph.value(node, predicate)
    assert value is not None, f"{node} has no {predicate}"
    return int(value)


@pytest.mark.parametrize("which", ["corpus", "sample"])
def test_void_counts_agree_with_sparql_counts(which: str, request: pytest.FixtureRequest) -> None:
    store: Store = request.getfixturevalue(which)
    graph = rdflib.Graph().parse(data=describe_store(store), format="turtle")
    (distribution,) = set(graph.subjects(VOID.classPartition, None))
    triples = {quad.triple for quad in store}
    assert _int(graph, distribution, VOID.triples) == len(triples)
    assert _int(graph, distribution, VOID.distinctSubjects) == len({t.subject for t in triples})
    assert _int(graph, distribution, VOID.distinctObjects) == len({t.object for t in triples})
    classes = list(graph.objects(distribution, VOID.classPartition))
    declared_classes = {str(graph.value(p, VOID["class"])) for p in classes}
    rdf_type = NamedNode(str(RDF.type))
    assert declared_classes == {t.object.value for t in triples if t.predicate == rdf_type}
    for partition in classes:
        cls = graph.value(partition, VOID["class"])
        assert _int(graph, partition, VOID.entities) == _count(
            store, f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{cls}> }}"), cls
    properties = list(graph.objects(distribution, VOID.propertyPartition))
    assert {str(graph.value(p, VOID.property)) for p in properties} == {t.predicate.value for t in triples}
    per_property = Counter(t.predicate.value for t in triples)
    for partition in properties:
        prop = str(graph.value(partition, VOID.property))
        assert _int(graph, partition, VOID.triples) == per_property[prop]
        assert _int(graph, partition, VOID.triples) == _count(
            store, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{prop}> ?o }}")
        assert _int(graph, partition, VOID.distinctSubjects) == _count(
            store, f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s <{prop}> ?o }}")
    assert _int(graph, distribution, VOID.classes) == len(classes)
    assert _int(graph, distribution, VOID.properties) == len(properties)


@pytest.mark.parametrize("which", ["corpus", "sample"])
def test_void_linksets_count_links_into_each_namespace(which: str, request: pytest.FixtureRequest) -> None:
    store: Store = request.getfixturevalue(which)
    graph = rdflib.Graph().parse(data=describe_store(store), format="turtle")
    expected: Counter[tuple[str, str]] = Counter()
    for triple in {quad.triple for quad in store}:
        if isinstance(triple.object, NamedNode):
            for target in LINK_TARGETS:
                if any(triple.object.value.startswith(ns) for ns in target.namespaces):
                    expected[(target.title, triple.predicate.value)] += 1
    got: Counter[tuple[str, str]] = Counter()
    for linkset in graph.subjects(RDF.type, VOID.Linkset):
        target = graph.value(linkset, VOID.objectsTarget)
        title = str(graph.value(target, rdflib.URIRef("http://purl.org/dc/terms/title")))
        got[(title, str(graph.value(linkset, VOID.linkPredicate)))] = _int(graph, linkset, VOID.triples)
    assert got == expected
    if which == "sample":  # real data points into most of the external namespaces (the sample has no DOID ids)
        assert len({title for title, _ in got}) >= 5, got


def test_void_has_the_three_hcls_levels(corpus: Store) -> None:
    text = describe_store(corpus, version="2026-12", sparql_endpoint="https://example.org/sparql",
                          data_dumps=["https://example.org/pfocr.nt.gz"])
    graph = rdflib.Graph().parse(data=text, format="turtle")
    dct = rdflib.Namespace("http://purl.org/dc/terms/")
    pav = rdflib.Namespace("http://purl.org/pav/")
    dcat = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    (version,) = set(graph.subjects(pav.version, None))
    summary = graph.value(version, dct.isVersionOf)
    distribution = graph.value(version, dcat.distribution)
    assert summary is not None and distribution is not None
    assert (summary, pav.version, None) not in graph  # the summary level has no version
    assert str(graph.value(version, pav.version)) == "2026-12"
    assert graph.value(distribution, VOID.sparqlEndpoint) == rdflib.URIRef("https://example.org/sparql")
    assert graph.value(distribution, VOID.dataDump) == rdflib.URIRef("https://example.org/pfocr.nt.gz")
    for node in (summary, version, distribution):
        assert graph.value(node, dct.title) is not None
    examples = list(graph.objects(distribution, VOID.exampleResource))
    figure = NamedNode("http://schema.org/ImageObject")
    assert examples and all(
        any(True for _ in corpus.quads_for_pattern(NamedNode(str(e)), NamedNode(str(RDF.type)), figure))
        for e in examples)
    assert text == describe_store(corpus, version="2026-12", sparql_endpoint="https://example.org/sparql",
                                  data_dumps=["https://example.org/pfocr.nt.gz"])  # deterministic


def test_void_statistics_of_an_empty_store() -> None:
    stats = dataset_statistics(Store())
    assert (stats.triples, stats.entities, stats.classes, stats.links) == (0, 0, {}, {})
    rdflib.Graph().parse(data=describe_store(Store()), format="turtle")


def test_describe_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store_dir = tmp_path / "store"
    assert main(["load", str(CORPUS), "--store", str(store_dir)]) == 0
    assert main(["describe", "--store", str(store_dir), "-o", str(tmp_path / "void.ttl")]) == 0
    graph = rdflib.Graph().parse(tmp_path / "void.ttl", format="turtle")
    assert len(set(graph.subjects(RDF.type, VOID.Linkset))) > 0
    capsys.readouterr()
    assert main(["describe", "--store", str(tmp_path / "missing")]) == 2
    assert "no store at" in capsys.readouterr().err


# --- the vocabulary page and query --list --------------------------------------------------------------


def test_vocabulary_page_has_every_term() -> None:
    page = vocabulary_html()
    namespace = str(PFOCR._NS)
    terms = {str(s)[len(namespace):] for s in vocabulary_graph().subjects() if str(s).startswith(namespace)}
    assert len(terms) > 10
    for term in terms:
        assert f'id="{term}"' in page, term
        label = vocabulary_graph().value(rdflib.URIRef(namespace + term), RDFS.label)
        if label is not None:
            assert str(label) in page


def test_vocabulary_page_in_docs_is_current() -> None:
    assert (ROOT / "docs" / "vocabulary.html").read_text(encoding="utf-8") == vocabulary_html(), (
        "run `pfocr-rdf vocabulary -o docs/vocabulary.html`")


def test_query_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "--list"]) == 0
    out = capsys.readouterr().out
    for name in shipped_query_names():
        query = load_query(name)
        assert f"{name}: {query.title}" in out
        for spec in query.params:
            assert f"--param {spec.name}=" in out
    assert main(["query"]) == 2
    assert "--list" in capsys.readouterr().err


# --- the Qleverfile ------------------------------------------------------------------------------------


def test_qleverfile_input_files_match_what_its_command_writes(tmp_path: Path) -> None:
    config = configparser.ConfigParser(interpolation=configparser.ExtendedInterpolation())
    config.read(ROOT / "docs" / "Qleverfile", encoding="utf-8")
    assert config["server"]["ACCESS_TOKEN"] == "pfocr"
    assert config["index"]["CAT_INPUT_FILES"].startswith("zcat ")
    argv = shlex.split(config["data"]["GET_DATA_CMD"])
    assert argv[:2] == ["pfocr-rdf", "export"]
    argv[2] = str(ROOT / "examples")  # the PFOCR checkout
    argv[argv.index("--shard-records") + 1] = "3"  # several shards from the small example corpus
    argv[argv.index("-o") + 1] = str(tmp_path)
    assert main(argv[1:]) == 0
    written = sorted(p.name for p in tmp_path.iterdir())
    patterns = config["index"]["INPUT_FILES"].split()
    assert len(written) > 2
    assert all(any(fnmatch.fnmatch(name, pattern) for pattern in patterns) for name in written)


# The checks SIB's sparql-examples-utils make of an example (its SHACL shape for sh:SPARQLExecutable):
# exactly one query text, at least one English comment (or rdf:HTML), at least one schema:target.
SIB_SHAPE = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
@prefix spex: <https://purl.expasy.org/sparql-examples/ontology#> .
<urn:test:SibExampleShape> a sh:NodeShape ;
    sh:targetClass sh:SPARQLExecutable ;
    sh:property [ sh:path [ sh:alternativePath ( sh:select sh:ask spex:describe sh:construct ) ] ;
                  sh:minCount 1 ; sh:maxCount 1 ] ,
                [ sh:path rdfs:comment ; sh:minCount 1 ;
                  sh:or ( [ sh:datatype rdf:langString ] [ sh:datatype rdf:HTML ] ) ] ,
                [ sh:path schema:target ; sh:minCount 1 ; sh:nodeKind sh:IRI ] .
"""


def test_twins_pass_sibs_checks() -> None:
    data = rdflib.Graph()
    for path in sorted(TWINS.glob("*.ttl")):
        data.parse(path, format="turtle")
    shapes = rdflib.Graph().parse(data=SIB_SHAPE, format="turtle")
    conforms, _, report = pyshacl.validate(data, shacl_graph=shapes)
    assert conforms, report
    broken = rdflib.Graph().parse(data=example_turtle(load_query(shipped_query_names()[0])), format="turtle")
    broken.remove((None, SCHEMA_HTTPS.target, None))
    assert not pyshacl.validate(broken, shacl_graph=shapes)[0]  # the shape does check
