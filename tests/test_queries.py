"""The shipped SPARQL queries and pfocr_rdf.querying: headers, parameters, results, formats.

Cases are data: ``tests/queries/corpus.ttl`` is a small export written by hand after docs/MODEL.md, and
``tests/queries/expected/<query>[.<case>].tsv`` holds a query's exact rows on it as a SPARQL TSV results
file, with ``# param: NAME=VALUE`` lines on top for non-default parameters. Every case runs every way
(the VALUES block the store and an endpoint get, on Oxigraph and on rdflib's engine; a real
Oxigraph server on loopback; Virtuoso where installed) and must give the same rows. Every query must also
return rows on the export of ../shared/pfocr-sample.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import io
import json
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyshacl
import pytest
import rdflib
from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Store,
    Variable,
    parse,
    parse_query_results,
    serialize,
)
from rdflib.plugins.sparql import prepareQuery
from servers.virtuoso import Virtuoso

from pfocr_rdf.endpoint import ENV_PASSWORD, ENV_USER, load_files
from pfocr_rdf.errors import InputError, UsageError
from pfocr_rdf.namespaces import PREFIXES, XSD
from pfocr_rdf.querying import (
    OPTIONAL,
    RESULT_FORMATS,
    ParamSpec,
    QueryFile,
    QueryResult,
    bind_params,
    format_result,
    heading,
    inline_bindings,
    load_query,
    parse_param_assignments,
    parse_query_text,
    query_endpoint,
    query_store,
    run_query,
    shipped_query_names,
    sparql_term,
    to_term,
)
from pfocr_rdf.store import load, load_into

pytest_plugins = ["servers.fixtures"]

HERE = Path(__file__).resolve().parent / "queries"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CORPUS = HERE / "corpus.ttl"
EXPECTED = HERE / "expected"
QUERIES = Path(__file__).resolve().parent.parent / "queries"
CATEGORIES = {
    "Genes", "Chemicals and diseases", "Literature", "Links", "Provenance", "Gene sets", "Metadata",
    "Quality", "Federated",
}
SHIPPED = shipped_query_names()
FEDERATED = tuple(name for name in SHIPPED if "SERVICE" in load_query(name).text.upper())
EXECUTABLE = tuple(name for name in SHIPPED if name not in FEDERATED)
CASES = sorted(path.name[: -len(".tsv")] for path in EXPECTED.glob("*.tsv"))

# Values that would break out of a string or IRI if they were pasted into the query text.
HOSTILE = [
    'MAPK1" } UNION { ?figure ?p ?o } #',
    "MAPK1' } UNION { ?figure ?p ?o } #",
    'MAPK1"""} UNION {?figure ?p ?o}#',
    "MAPK1\\",
    'MAPK1\\" } UNION { ?figure ?p ?o } #',
    "MAPK1\\u0022 } UNION { ?figure ?p ?o } #",
    "MAPK1\n} UNION { ?figure ?p ?o }\n#",
    "} UNION {",
    "{",
    "}",
    '"',
    "?symbol",
    "MAPK1\" . ?figure <http://schema.org/identifier> ?x . #",
    "MAPK1\r\n\t\x00\x7f é 你好 \U0001f9ec",
]


# --- fixtures ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A read-only Oxigraph server on loopback holding the corpus; its SPARQL query URL."""
    program = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(program).is_file():
        pytest.skip("the oxigraph server is not installed (pip install oxigraph)")
    folder = tmp_path_factory.mktemp("oxigraph-server")
    load([CORPUS], folder)
    with _free_port() as port:
        pass
    process = subprocess.Popen(
        [program, "serve-read-only", "--location", str(folder), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}/query"
    try:
        _wait_until_ready(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def _free_port() -> Iterator[int]:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        yield int(sock.getsockname()[1])


def _wait_until_ready(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            error = process.stderr.read().decode() if process.stderr else ""
            pytest.fail(f"the oxigraph server stopped: {error}")
        try:
            with urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=2):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)
    pytest.fail("the oxigraph server did not answer within 20 s")


@pytest.fixture(scope="module")
def sample_store(sample_export: Path) -> Store:
    store = Store()
    load_into(store, [sample_export])
    return store


# --- expected-result cases -----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Case:
    query: QueryFile
    params: dict[str, str]
    expected: QueryResult


def _case(name: str) -> Case:
    text = (EXPECTED / f"{name}.tsv").read_text(encoding="utf-8")
    params: dict[str, str] = {}
    lines = text.splitlines(keepends=True)
    while lines and lines[0].startswith("#"):
        match = re.fullmatch(r"# param: ([A-Za-z_][A-Za-z0-9_]*)=(.*)\n?", lines.pop(0))
        assert match, f"{name}.tsv: header lines are '# param: NAME=VALUE'"
        params[match.group(1)] = match.group(2)
    answer = parse_query_results("".join(lines), QueryResultsFormat.TSV)
    assert isinstance(answer, QuerySolutions)
    expected = QueryResult.from_pyoxigraph(answer, where=name)
    return Case(load_query(name.split(".")[0]), params, expected)


def _assert_same(actual: QueryResult, expected: QueryResult) -> None:
    assert actual.variables == expected.variables
    assert len(actual.rows) == len(expected.rows), format_result(actual, max_width=200)
    for number, (got, want) in enumerate(zip(actual.rows, expected.rows, strict=True), start=1):
        assert got == want, f"row {number}:\n got  {got}\n want {want}"


@pytest.mark.parametrize("name", EXECUTABLE)
def test_every_query_has_expected_rows(name: str) -> None:
    assert (EXPECTED / f"{name}.tsv").is_file(), (
        f"queries/{name}.rq has no expected result: write tests/queries/expected/{name}.tsv"
    )


@pytest.mark.parametrize("name", CASES)
def test_expected_rows(name: str, corpus: Store) -> None:
    case = _case(name)
    assert case.query.name in SHIPPED, f"{name}.tsv names no shipped query"
    _assert_same(run_query(case.query, params=case.params, store=corpus), case.expected)


@pytest.mark.parametrize("name", CASES)
def test_expected_rows_through_values_block(name: str, corpus: Store) -> None:
    """The text an endpoint receives gives the very same rows as the embedded store."""
    case = _case(name)
    bindings = bind_params(case.query, case.params)
    inlined = dataclasses.replace(case.query, text=inline_bindings(case.query.text, bindings))
    prepareQuery(inlined.text)  # and any SPARQL parser reads it
    _assert_same(query_store(corpus, inlined), case.expected)


def _param_sets(store: Store, query: QueryFile) -> list[dict[str, str]]:
    """Parameter values to bind: the defaults, those of the expected cases, and IRIs found in ``store``.

    An IRI parameter also takes up to three IRIs of the store in its default's namespace (genes,
    chemicals, diseases, taxa), one at a time, so that the values are real ones of each data set.
    """
    sets: list[dict[str, str]] = [{}]
    for path in sorted(EXPECTED.glob(f"{query.name}.*.tsv")):
        sets.append(_case(path.stem).params)
    for spec in query.params:
        if spec.type != "iri" or spec.default in (None, OPTIONAL):
            continue
        default = str(to_term(spec, spec.default).value)
        namespace = re.sub(r"[^/#_:]*$", "", default)
        found = store.query(
            "SELECT DISTINCT ?o WHERE { ?s ?p ?o FILTER (isIRI(?o) && STRSTARTS(STR(?o), "
            f"{sparql_term(Literal(namespace))})) }} ORDER BY ?o LIMIT 3", use_default_graph_as_union=True)
        assert isinstance(found, QuerySolutions)
        sets.extend({spec.name: solution["o"].value} for solution in found)
    return sets


@pytest.mark.parametrize("name", EXECUTABLE)
def test_values_block_gives_the_rows_of_oxigraph_substitution(name: str, corpus: Store, sample_store: Store) -> None:
    """query_store binds parameters with a leading VALUES block (Oxigraph narrows on it; its SEP-0007
    substitutions do not): the rows are exactly those substitution gives, on the corpus and the sample."""
    query = load_query(name)
    compared = 0
    for store in (corpus, sample_store):
        for params in _param_sets(store, query):
            bindings = bind_params(query, params)
            substituted = store.query(query.text, use_default_graph_as_union=True,
                                      substitutions={Variable(k): v for k, v in bindings.items()} or None)
            expected = QueryResult.from_pyoxigraph(substituted, where=name)
            assert query_store(store, query, bindings) == expected, f"{name} with {params}"
            compared += bool(expected.rows)
    assert compared >= 1, f"{name}: no parameter value gave rows to compare"


@pytest.mark.parametrize("name", CASES)
def test_expected_rows_at_an_endpoint(name: str, endpoint: str) -> None:
    case = _case(name)
    _assert_same(run_query(case.query, params=case.params, endpoint=endpoint), case.expected)


@pytest.fixture(scope="module")
def corpus_graph() -> rdflib.Graph:
    return rdflib.Graph().parse(CORPUS)


def _value(term: object) -> object:
    """A term as a comparable value: engines write the same decimal or time differently ("0.30", "0.3")."""
    if term is None:
        return None
    if isinstance(term, (rdflib.URIRef, NamedNode)):
        return ("iri", str(term) if isinstance(term, rdflib.URIRef) else term.value)
    if isinstance(term, Literal):
        datatype = None if term.language else term.datatype.value
        term = rdflib.Literal(term.value, lang=term.language, datatype=datatype)
    assert isinstance(term, rdflib.Literal)
    return ("literal", term.toPython(), term.language, term.datatype or rdflib.XSD.string)


@pytest.mark.parametrize("name", CASES)
def test_expected_rows_with_rdflib(name: str, corpus_graph: rdflib.Graph) -> None:
    """rdflib's engine, a third one, reads the endpoint's text and gives rows of the same values."""
    case = _case(name)
    text = inline_bindings(case.query.text, bind_params(case.query, case.params))
    rows = [tuple(_value(term) for term in row) for row in corpus_graph.query(text)]  # type: ignore[union-attr]
    assert rows == [tuple(_value(term) for term in row) for row in case.expected.rows]


# Virtuoso 7.2 fails ("SR128: Numeric value out of range for <temporary space column>") to sort rows
# that carry an xsd:decimal constant, which is what a projected decimal parameter is.
VIRTUOSO_DECIMAL_BUG = {"low-pathway-score", "low-pathway-score.below-half"}


@pytest.fixture(scope="module")
def virtuoso_sparql(virtuoso: Virtuoso, tmp_path_factory: pytest.TempPathFactory) -> str:
    """Virtuoso's SPARQL URL, with the corpus loaded (as N-Triples, which Virtuoso reads faithfully)."""
    triples = tmp_path_factory.mktemp("virtuoso-corpus") / "corpus.nt"
    data = serialize(parse(path=CORPUS, format=RdfFormat.TURTLE), format=RdfFormat.N_TRIPLES)
    assert data is not None
    triples.write_bytes(data)
    login = {ENV_USER: virtuoso.user, ENV_PASSWORD: virtuoso.password}
    graph = "https://pfocr.wikipathways.org/dataset"
    load_files([triples], endpoint=virtuoso.gsp_url, graph=graph, environ=login)
    return virtuoso.sparql_url


@pytest.mark.server
@pytest.mark.parametrize(
    "name",
    [
        pytest.param(
            name,
            marks=pytest.mark.xfail(
                name in VIRTUOSO_DECIMAL_BUG,
                reason="Virtuoso cannot ORDER BY rows carrying a decimal constant (SR128)",
                raises=InputError,
                strict=True,
            ),
        )
        for name in CASES
    ],
)
def test_expected_rows_at_virtuoso(name: str, virtuoso_sparql: str) -> None:
    """The queries are portable: Virtuoso, another engine, gives the very same rows."""
    case = _case(name)
    _assert_same(run_query(case.query, params=case.params, endpoint=virtuoso_sparql), case.expected)


@pytest.mark.parametrize("name", EXECUTABLE)
def test_query_returns_rows_on_the_sample(name: str, sample_store: Store) -> None:
    result = run_query(name, store=sample_store)
    assert result.rows, f"{name} finds nothing in the export of ../shared/pfocr-sample"


def test_corpus_follows_the_model() -> None:
    """The hand-written corpus conforms to the shipped shapes (warnings allowed), as an export must."""
    shapes = Path(__file__).resolve().parent.parent / "shapes" / "pfocr.shacl.ttl"
    _, report, text = pyshacl.validate(rdflib.Graph().parse(CORPUS), shacl_graph=rdflib.Graph().parse(shapes))
    violations = list(report.subjects(rdflib.SH.resultSeverity, rdflib.SH.Violation))
    assert not violations, text


def test_corpus_data_files_work_like_a_store(corpus: Store) -> None:
    from_files = run_query("top-genes", data=[CORPUS])
    _assert_same(from_files, run_query("top-genes", store=corpus))


# --- the shipped query files ---------------------------------------------------------------------------


def test_there_are_enough_queries() -> None:
    assert len(EXECUTABLE) >= 15
    assert FEDERATED == ("wikipathways-federated",)


@pytest.mark.parametrize("name", SHIPPED)
def test_query_parses(name: str) -> None:
    query = load_query(name)
    prepareQuery(query.text)
    # An empty store gives even the federated query nothing to send anywhere: this only parses it.
    Store().query(query.text, substitutions=None)
    assert re.search(r"\bORDER\s+BY\b", query.text, re.IGNORECASE), "rows need a deterministic order"


@pytest.mark.parametrize("name", SHIPPED)
def test_query_header(name: str) -> None:
    query = load_query(name)
    assert query.title != name and query.title[0].isupper()
    assert query.category in CATEGORIES
    assert query.description.endswith(".")
    for spec in query.params:
        assert spec.default is not None, "shipped queries run without --param"
        assert spec.label
    body = query.text.split("\n\n", 1)[1]
    projection = body.upper().split("WHERE", 1)[0]
    for spec in query.params:
        # Oxigraph substitutes only projected variables; the VALUES block joins the outer group.
        assert f"?{spec.name.upper()}" in projection, f"?{spec.name} must be in the SELECT projection"
    assert not re.search(r"#\s*(title|category|description|keywords|param):", body), (
        "header fields belong in the header only (WikiPathways' SNORQL reads them anywhere)"
    )


@pytest.mark.parametrize("name", SHIPPED)
def test_query_prefixes_are_ours(name: str) -> None:
    for prefix, iri in re.findall(r"PREFIX\s+([A-Za-z_][\w.-]*|):\s*<([^>]*)>", load_query(name).text):
        if prefix in PREFIXES:
            assert PREFIXES[prefix] == iri, f"PREFIX {prefix}: is {PREFIXES[prefix]} in namespaces.py"


def test_federated_query_joins_wikipathways_on_gene_iris() -> None:
    text = load_query("wikipathways-federated").text
    assert "SERVICE <https://sparql.wikipathways.org/sparql>" in text
    assert "?geneProduct wp:bdbEntrezGene ?gene" in text, "a plain join on our gene IRIs"
    body = text.split("WHERE", 1)[1]
    assert not re.search(r"\b(STR|STRAFTER|CONCAT|IRI|REPLACE)\s*\(", body), "no string functions in the join"


# --- joining WikiPathways RDF ---------------------------------------------------------------------------

WIKIPATHWAYS_FIXTURE = HERE / "wikipathways-fixture.ttl"

_JOIN = """
PREFIX wp: <http://vocabularies.wikipathways.org/wp#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <http://schema.org/>
PREFIX pfocr: <https://pfocr.wikipathways.org/vocab#>
SELECT ?figid ?wpid (COUNT(DISTINCT ?gene) AS ?shared)
WHERE {
  ?figure schema:identifier ?figid ; pfocr:mentionsGene ?gene .
  ?geneProduct wp:bdbEntrezGene ?gene ; dcterms:isPartOf ?pathway .
  ?pathway dcterms:identifier ?wpid .
}
GROUP BY ?figid ?wpid
ORDER BY ?figid ?wpid
"""


def test_an_export_joins_wikipathways_rdf_on_gene_iris(tmp_path: Path) -> None:
    """An export and WikiPathways-shaped RDF (GPML2RDF's conventions) join on wp:bdbEntrezGene, no strings."""
    from pfocr_rdf.export import export

    out = tmp_path / "fixture.ttl"
    export([FIXTURES / "mapping" / "current-era"], output=out)
    store = Store()
    store.load(path=str(out), format=RdfFormat.TURTLE)
    store.load(path=str(WIKIPATHWAYS_FIXTURE), format=RdfFormat.TURTLE)
    rows = [(r["figid"].value, r["wpid"].value, int(r["shared"].value)) for r in store.query(_JOIN)]
    # the fixture's WP9001 holds LRP6 (4040) and LRP5 (4041); WP9002 holds LRP5 only, in its http spelling,
    # which must not join: WikiPathways writes https since 2021, and so do we
    assert rows == [("PMC9100001__fig-2", "WP9001", 2)]
    # the http spelling is one skos:exactMatch away, for data that writes it so
    http_genes = {r["alias"].value for r in store.query(
        "SELECT ?alias WHERE { ?g <http://www.w3.org/2004/02/skos/core#exactMatch> ?alias "
        "FILTER(STRSTARTS(STR(?alias), 'http://identifiers.org/ncbigene/')) }")}
    assert http_genes == {"http://identifiers.org/ncbigene/4040", "http://identifiers.org/ncbigene/4041"}


# --- GMT ------------------------------------------------------------------------------------------------


def test_gmt_writes_one_set_per_figure_and_organism(corpus: Store) -> None:
    result = run_query("figure-gene-sets", params={"level": "synonyms"}, store=corpus)
    lines = format_result(result, "gmt").splitlines()
    assert lines == [
        "PMC1000001__fig1 NCBITaxon:9606\tMAPK and AKT signalling in hepatocytes\t207\t5594\t5595",
        "PMC1000001__fig2 NCBITaxon:9606\tp53 and glucose in liver cancer\t207\t5594\t7157",
        "PMC1000002__fig1 NCBITaxon:10090\tErk2 and Akt in mouse tumours\t11651\t26413",
        "PMC1000002__fig1 NCBITaxon:9606\tErk2 and Akt in mouse tumours\t5594",
    ]


def test_gmt_refuses_rows_that_are_no_gene_sets(corpus: Store) -> None:
    with pytest.raises(UsageError, match="figid and genes"):
        format_result(run_query("figures-per-year", store=corpus), "gmt")


def test_optional_parameter_is_unbound_unless_given() -> None:
    query = load_query("figure-gene-sets")
    assert query.param("organism").optional
    assert set(bind_params(query, {})) == {"level"}
    assert bind_params(query, {"organism": "NCBITaxon:9606"})["organism"] == NamedNode(
        "http://purl.obolibrary.org/obo/NCBITaxon_9606")


# --- header parsing ------------------------------------------------------------------------------------

HEADER = """\
# title: A Test Query
# category: Genes
# description: First line,
# description: second line.
# keywords: a, b ,, c
# a free comment
# param: gene | uri | ncbigene:1 | a gene
# param: ?n | integer |  | how many
# param: kind | enum:x,y | x | which kind

SELECT ?gene ?n ?kind WHERE { ?gene ?p ?o . FILTER(?o = ?n) }
ORDER BY ?gene
"""


def test_parse_header() -> None:
    query = parse_query_text(HEADER, name="test")
    assert query.title == "A Test Query"
    assert query.category == "Genes"
    assert query.description == "First line, second line."
    assert query.keywords == ("a", "b", "c")
    assert query.params == (
        ParamSpec("gene", "iri", "ncbigene:1", "a gene"),
        ParamSpec("n", "integer", None, "how many"),
        ParamSpec("kind", "enum", "x", "which kind", ("x", "y")),
    )


def test_header_ends_at_the_first_blank_line() -> None:
    query = parse_query_text("# title: T\n\n# title: not a header\nSELECT * {}", name="q")
    assert query.title == "T"


def test_title_defaults_to_the_name() -> None:
    assert parse_query_text("SELECT * {}", name="plain").title == "plain"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("# param: gene | iri | ncbigene:1\nSELECT ?gene {}", "name | type | default | label"),
        ("# param: gene | color | x | c\nSELECT ?gene {}", "unknown type"),
        ("# param: 1gene | iri | x | c\nSELECT ?gene {}", "not a SPARQL variable name"),
        ("# param: g | iri | | c\n# param: g | iri | | c\nSELECT ?g {}", "declared twice"),
        ("# param: absent | string | x | c\nSELECT ?gene {}", "not a variable of the query"),
        ("# param: n | integer | many | c\nSELECT ?n {}", "not an integer"),
        ("# param: k | enum: | x | c\nSELECT ?k {}", "lists no values"),
        ("# title: a\n# title: b\nSELECT * {}", "appears twice"),
    ],
)
def test_bad_headers(text: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        parse_query_text(text, name="bad", source="bad.rq")


def test_header_error_names_file_and_line() -> None:
    with pytest.raises(UsageError, match=r"bad\.rq:2: "):
        parse_query_text("# title: t\n# param: x\nSELECT ?x {}", name="bad", source="bad.rq")


# --- finding queries -----------------------------------------------------------------------------------


def test_load_query_by_name_path_and_file_name(tmp_path: Path) -> None:
    by_name = load_query("top-genes")
    assert load_query("top-genes.rq") == by_name
    assert load_query(QUERIES / "top-genes.rq") == by_name
    own = tmp_path / "mine.rq"
    own.write_text("# title: Mine\n\nASK { ?s ?p ?o }\n", encoding="utf-8")
    assert load_query(str(own)).title == "Mine"


def test_unknown_query_lists_the_shipped_ones() -> None:
    with pytest.raises(UsageError, match=r"shipped queries: .*top-genes"):
        load_query("no-such-query")


def test_shipped_names_match_the_folder() -> None:
    assert set(SHIPPED) == {path.stem for path in QUERIES.glob("*.rq")}


# --- parameters ----------------------------------------------------------------------------------------

GENE = ParamSpec("gene", "iri", None, "a gene")


@pytest.mark.parametrize(
    "value",
    [
        "ncbigene:5594",
        "NCBIGene:5594",
        " ncbigene:5594 ",
        "https://identifiers.org/ncbigene/5594",
        "<https://identifiers.org/ncbigene/5594>",
    ],
)
def test_iri_parameters_take_iris_and_curies(value: str) -> None:
    assert to_term(GENE, value) == NamedNode("https://identifiers.org/ncbigene/5594")


def test_curie_prefixes_are_those_of_namespaces() -> None:
    assert to_term(GENE, "MESH:D005227") == NamedNode("http://id.nlm.nih.gov/mesh/D005227")
    assert to_term(GENE, "CHEBI:35366") == NamedNode("http://purl.obolibrary.org/obo/CHEBI_35366")
    assert to_term(GENE, "DOID:0060239") == NamedNode("http://purl.obolibrary.org/obo/DOID_0060239")
    assert to_term(GENE, "NCBITaxon:9606") == NamedNode("http://purl.obolibrary.org/obo/NCBITaxon_9606")
    assert to_term(GENE, "urn:x-test:1") == NamedNode("urn:x-test:1")


@pytest.mark.parametrize(
    "value",
    [
        "5594",
        "nosuchprefix",
        "http://x.org/a> } UNION { ?s ?p ?o } #",
        "ncbigene:5594> . ?s ?p ?o",
        'http://x.org/"a"',
        "http://x.org/a b",
        "http://x.org/{a}",
        "http://x.org/a\\b",
        "ncbigene:5594\n",
    ],
)
def test_iri_parameters_refuse_what_is_not_an_iri(value: str) -> None:
    if value == "ncbigene:5594\n":  # surrounding white space is forgiven, inner is not
        assert to_term(GENE, value) == NamedNode("https://identifiers.org/ncbigene/5594")
        return
    with pytest.raises(UsageError, match="parameter gene"):
        to_term(GENE, value)


def test_typed_parameters() -> None:
    integer = ParamSpec("n", "integer", None, "")
    decimal = ParamSpec("x", "decimal", None, "")
    assert to_term(integer, "+07") == Literal("7", datatype=NamedNode(str(XSD.integer)))
    assert to_term(decimal, "0.5") == Literal("0.5", datatype=NamedNode(str(XSD.decimal)))
    assert to_term(ParamSpec("s", "string", None, ""), ' a "b" ') == Literal(' a "b" ')
    for spec, value in [(integer, "1.5"), (integer, "1 OR 1=1"), (decimal, "1e3"), (decimal, "0.5)")]:
        with pytest.raises(UsageError, match=f"parameter {spec.name}"):
            to_term(spec, value)
    with pytest.raises(UsageError, match="not one of x, y"):
        to_term(ParamSpec("k", "enum", None, "", ("x", "y")), "z")


def test_bind_params_uses_defaults_and_checks_names() -> None:
    query = parse_query_text(HEADER, name="test")
    bound = bind_params(query, {"n": "3"})
    assert bound["gene"] == NamedNode("https://identifiers.org/ncbigene/1")
    assert bound["kind"] == Literal("x")
    with pytest.raises(UsageError, match="needs --param n=VALUE"):
        bind_params(query, {})
    with pytest.raises(UsageError, match=r"has no parameter 'gen' .*gene, n, kind"):
        bind_params(query, {"n": "3", "gen": "x"})


def test_parse_param_assignments() -> None:
    assert parse_param_assignments(["gene=ncbigene:1", "symbol=a=b", "empty="]) == {
        "gene": "ncbigene:1", "symbol": "a=b", "empty": ""
    }
    for bad in (["gene"], ["=x"]):
        with pytest.raises(UsageError, match="NAME=VALUE"):
            parse_param_assignments(bad)
    with pytest.raises(UsageError, match="twice"):
        parse_param_assignments(["a=1", "a=2"])


# --- injection: parameter values are terms, never query text ------------------------------------------


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_string_matches_nothing(value: str, corpus: Store) -> None:
    assert run_query("figures-for-gene-symbol", params={"symbol": "MAPK1"}, store=corpus).rows
    result = run_query("figures-for-gene-symbol", params={"symbol": value}, store=corpus)
    assert result.rows == ()
    query = load_query("figures-for-gene-symbol")
    bindings = bind_params(query, {"symbol": value})
    inlined = dataclasses.replace(query, text=inline_bindings(query.text, bindings))
    assert query_store(corpus, inlined).rows == ()


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_string_matches_nothing_at_an_endpoint(value: str, endpoint: str) -> None:
    result = run_query("figures-for-gene-symbol", params={"symbol": value}, endpoint=endpoint)
    assert result.rows == ()


ECHO = parse_query_text(
    "# param: value | string | x | anything\n\nSELECT ?value WHERE { OPTIONAL { ?s ?p ?o } } LIMIT 1\n",
    name="echo",
)


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_string_arrives_as_exactly_one_term(value: str, corpus: Store, endpoint: str) -> None:
    """The value comes back byte for byte, as one literal, by every route."""
    bindings = bind_params(ECHO, {"value": value})
    inlined = dataclasses.replace(ECHO, text=inline_bindings(ECHO.text, bindings))
    assert inlined.text.count("VALUES") == 1
    for result in (
        query_store(corpus, ECHO, bindings),
        query_store(corpus, inlined),
        query_endpoint(endpoint, ECHO, bindings),
    ):
        assert result.variables == ("value",)
        assert result.rows == ((Literal(value),),)


@pytest.mark.parametrize("value", ["x> } UNION { ?s ?p ?o } #", "ncbigene:1>", "{", '"'])
def test_hostile_iri_is_refused(value: str, corpus: Store) -> None:
    with pytest.raises(UsageError, match="parameter gene"):
        run_query("figures-for-gene", params={"gene": value}, store=corpus)


def test_sparql_term_escapes_every_special_character() -> None:
    assert sparql_term(Literal('a"b\\c\nd\re\tf')) == '"a\\"b\\\\c\\nd\\re\\tf"'
    assert sparql_term(Literal("1", datatype=NamedNode(str(XSD.integer)))) == (
        '"1"^^<http://www.w3.org/2001/XMLSchema#integer>'
    )
    assert sparql_term(Literal("chat", language="fr")) == '"chat"@fr'
    assert sparql_term(NamedNode("http://x.org/a")) == "<http://x.org/a>"
    assert sparql_term(BlankNode("b1")) == "_:b1"


# --- inline_bindings: where the VALUES block goes ------------------------------------------------------

X = {"x": Literal("v")}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("SELECT ?x WHERE { ?x ?p ?o }", 'SELECT ?x WHERE {\n  VALUES (?x) { ("v") }\n ?x ?p ?o }'),
        ("select ?x where{?x ?p ?o}", 'select ?x where{\n  VALUES (?x) { ("v") }\n?x ?p ?o}'),
        ("SELECT * { ?x ?p ?o }", 'SELECT * {\n  VALUES (?x) { ("v") }\n ?x ?p ?o }'),
        ("ASK { ?x ?p ?o }", 'ASK {\n  VALUES (?x) { ("v") }\n ?x ?p ?o }'),
        (
            "CONSTRUCT { ?x ?p ?o } WHERE { ?x ?p ?o }",
            'CONSTRUCT { ?x ?p ?o } WHERE {\n  VALUES (?x) { ("v") }\n ?x ?p ?o }',
        ),
        (
            "SELECT ?x (EXISTS { ?x ?p 1 } AS ?e) WHERE { ?x ?p ?o }",
            'SELECT ?x (EXISTS { ?x ?p 1 } AS ?e) WHERE {\n  VALUES (?x) { ("v") }\n ?x ?p ?o }',
        ),
        (
            "SELECT ?x WHERE { SELECT ?x WHERE { ?x ?p ?o } }",
            'SELECT ?x WHERE {\n  VALUES (?x) { ("v") }\n  { SELECT ?x WHERE { ?x ?p ?o } }\n}',
        ),
        (
            '# WHERE {\nPREFIX a: <http://x/WHERE#>\nSELECT ?x ("{ WHERE" AS ?s) WHERE { ?x a:where "}" }',
            '# WHERE {\nPREFIX a: <http://x/WHERE#>\nSELECT ?x ("{ WHERE" AS ?s) WHERE {\n'
            '  VALUES (?x) { ("v") }\n ?x a:where "}" }',
        ),
        (
            "SELECT ?where WHERE { ?where ?p ?x }",
            'SELECT ?where WHERE {\n  VALUES (?x) { ("v") }\n ?where ?p ?x }',
        ),
    ],
)
def test_inline_bindings_opens_the_outer_group(query: str, expected: str) -> None:
    assert inline_bindings(query, X) == expected
    prepareQuery(expected)


def test_inline_bindings_without_bindings_keeps_the_text() -> None:
    assert inline_bindings("SELECT * {}", {}) == "SELECT * {}"


def test_inline_bindings_needs_a_group() -> None:
    with pytest.raises(UsageError, match="no WHERE group"):
        inline_bindings("SELECT ?x", X)


# --- running -------------------------------------------------------------------------------------------


def test_one_source_at_most(corpus: Store) -> None:
    with pytest.raises(UsageError, match="one source"):
        run_query("top-genes", store=corpus, data=[CORPUS])


def test_missing_default_store_says_how_to_make_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError, match="pfocr-rdf load"):
        run_query("top-genes")


def test_graph_queries_are_refused(corpus: Store) -> None:
    query = parse_query_text("CONSTRUCT WHERE { ?s ?p ?o }", name="graph")
    with pytest.raises(UsageError, match="only SELECT and ASK"):
        run_query(query, store=corpus)


def test_ask(corpus: Store) -> None:
    query = parse_query_text("ASK { ?s a <http://schema.org/Gene> }", name="ask")
    result = run_query(query, store=corpus)
    assert result.boolean is True
    assert format_result(result) == "true\n"
    assert json.loads(format_result(result, "json")) == {"head": {}, "boolean": True}


def test_syntax_error_names_the_query(corpus: Store) -> None:
    with pytest.raises(UsageError, match="broken: not valid SPARQL"):
        run_query(parse_query_text("SELECT WHERE {", name="broken"), store=corpus)


def test_unreachable_endpoint() -> None:
    with _free_port() as port:
        pass
    with pytest.raises(InputError, match="cannot connect"):
        run_query("top-genes", endpoint=f"http://127.0.0.1:{port}/sparql", timeout=5)


def test_endpoint_must_be_http() -> None:
    with pytest.raises(UsageError, match="http"):
        run_query("top-genes", endpoint="file:///etc/passwd")


# --- output formats ------------------------------------------------------------------------------------

INT = NamedNode(str(XSD.integer))
ROWS = QueryResult(
    variables=("gene", "word", "n"),
    rows=(
        (
            NamedNode("https://identifiers.org/ncbigene/5594"),
            Literal('p53 "wt", x\ny'),
            Literal("12", datatype=INT),
        ),
        (NamedNode("https://example.org/a-long-path"), None, Literal("3", datatype=INT)),
        (BlankNode("b0"), Literal("chat", language="fr"), None),
    ),
)


def test_formats_registry() -> None:
    assert RESULT_FORMATS == ("table", "csv", "tsv", "json", "gmt")
    with pytest.raises(UsageError, match="expected one of table, csv, tsv, json, gmt"):
        format_result(ROWS, "xml")  # type: ignore[arg-type]


def test_table() -> None:
    # CURIEs for our namespaces, line breaks flattened, long cells cut, numbers to the right.
    assert format_result(ROWS, max_width=14) == (
        "gene            word            n\n"
        "--------------  -------------  --\n"
        "ncbigene:5594   p53 \"wt\", x y  12\n"
        "https://examp…                  3\n"
        "_:b0            chat\n"
        "(3 rows)\n"
    )


def test_table_shows_at_most_max_rows() -> None:
    table = format_result(ROWS, max_rows=1)
    assert table.splitlines()[2:] == ["ncbigene:5594  p53 \"wt\", x y  12", "(3 rows, 2 not shown)"]
    assert format_result(ROWS, "csv", max_rows=1).count("\r\n") == 4  # the machine formats stay whole


def test_heading(corpus: Store) -> None:
    query = load_query("co-mentioned-genes")
    assert heading(query) == "Genes Drawn Together With a Gene"
    bindings = bind_params(query, {"gene": "NCBIGene:7157"})
    assert heading(query, bindings) == "Genes Drawn Together With a Gene (gene = ncbigene:7157, level = strict)"


def test_table_of_nothing() -> None:
    assert format_result(QueryResult(variables=("a",), rows=())) == "a\n-\n(0 rows)\n"


def test_csv() -> None:
    rows = list(csv.reader(io.StringIO(format_result(ROWS, "csv"), newline="")))
    assert rows == [
        ["gene", "word", "n"],
        ["https://identifiers.org/ncbigene/5594", 'p53 "wt", x\ny', "12"],
        ["https://example.org/a-long-path", "", "3"],
        ["_:b0", "chat", ""],
    ]
    assert format_result(ROWS, "csv").endswith("\r\n")


def _roundtrip(fmt: str, result: QueryResult) -> QueryResult:
    text = format_result(result, fmt)  # type: ignore[arg-type]
    parsed = parse_query_results(text, QueryResultsFormat.TSV if fmt == "tsv" else QueryResultsFormat.JSON)
    return QueryResult.from_pyoxigraph(parsed, where=fmt)


@pytest.mark.parametrize("fmt", ["tsv", "json"])
def test_tsv_and_json_read_back_as_the_same_terms(fmt: str, corpus: Store) -> None:
    good = QueryResult(variables=ROWS.variables, rows=(ROWS.rows[0], ROWS.rows[2]))
    assert _roundtrip(fmt, good) == good
    every = run_query("release-metadata", store=corpus)
    assert _roundtrip(fmt, every) == every


def test_json_is_sparql_results() -> None:
    document = json.loads(format_result(ROWS, "json"))
    assert document["head"] == {"vars": ["gene", "word", "n"]}
    first, second, third = document["results"]["bindings"]
    assert first["word"] == {"type": "literal", "value": 'p53 "wt", x\ny'}
    assert first["n"] == {"type": "literal", "value": "12", "datatype": str(XSD.integer)}
    assert "word" not in second
    assert third["gene"] == {"type": "bnode", "value": "b0"}
    assert third["word"] == {"type": "literal", "value": "chat", "xml:lang": "fr"}
