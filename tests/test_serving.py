"""``pfocr-rdf serve``, for real: a subprocess on a loopback port, asked by real SPARQL clients.

The server holds the query corpus (tests/queries/corpus.ttl). Every shipped query, with its defaults and
with the parameters of every expected-rows case, must give through the endpoint (SPARQLWrapper, rdflib's
SPARQLStore) the rows the embedded store gives. Then: every result format by Accept, the protocol's
three ways to send a query, the time limit, the row cap, linked-data pages and the published documents.
"""

from __future__ import annotations

import csv
import io
import json
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
from pyoxigraph import (
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
    parse,
    parse_query_results,
)
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from servers.pfocr import free_port, running_server
from SPARQLWrapper import JSON, SPARQLWrapper

from pfocr_rdf.namespaces import PFOCR
from pfocr_rdf.publishing.examples import query_form
from pfocr_rdf.publishing.vocabulary import vocabulary_graph
from pfocr_rdf.querying import (
    bind_params,
    format_result,
    inline_bindings,
    load_query,
    query_store,
    run_query,
    shipped_query_names,
)
from pfocr_rdf.serving import parse_bind
from pfocr_rdf.serving.sparql import negotiate
from pfocr_rdf.store import load, load_into

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "queries" / "corpus.ttl"
EXPECTED = HERE / "queries" / "expected"
TIMEOUT = 3.0
MAX_ROWS = 300  # above every shipped query's answer on the corpus, below its number of triples
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"  # 416^4 rows to count
FEDERATED = {name for name in shipped_query_names() if "SERVICE" in load_query(name).text.upper()}


def _cases() -> list[tuple[str, dict[str, str]]]:
    """Every shipped query with its defaults, and with the parameters of every expected-rows case."""
    cases: list[tuple[str, dict[str, str]]] = [(name, {}) for name in shipped_query_names() if name not in FEDERATED]
    for path in sorted(EXPECTED.glob("*.tsv")):
        params = dict(re.findall(r"^# param: ([A-Za-z_][A-Za-z0-9_]*)=(.*)$", path.read_text(encoding="utf-8"), re.M))
        name = path.name.split(".")[0]
        if params and name in shipped_query_names() and name not in FEDERATED:
            cases.append((name, params))
    return cases


CASES = _cases()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("served") / "store"
    load([CORPUS], folder)
    with running_server(folder, "--timeout", str(TIMEOUT), "--max-rows", str(MAX_ROWS)) as root:
        yield root


def _get(url: str, accept: str = "*/*", *, data: bytes | None = None, content_type: str | None = None,
         timeout: float = 30) -> tuple[int, str, bytes]:
    headers = {"Accept": accept}
    if content_type:
        headers["Content-Type"] = content_type
    request = urllib.request.Request(url, data=data, headers=headers, method="POST" if data is not None else "GET")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


def _query_url(root: str, query: str, **extra: str) -> str:
    return f"{root}sparql?" + urllib.parse.urlencode({"query": query, **extra})


def _bindings(document: dict[str, object]) -> list[str]:
    results = document["results"]
    assert isinstance(results, dict)
    return sorted(json.dumps(b, sort_keys=True) for b in results["bindings"])


def _embedded(corpus: Store, name: str, params: dict[str, str]) -> tuple[str, list[str]]:
    query = load_query(name)
    bindings = bind_params(query, params)
    text = inline_bindings(query.text, bindings)
    expected = json.loads(format_result(query_store(corpus, query, bindings), "json"))
    return text, _bindings(expected)


# --- every shipped query, through real SPARQL clients --------------------------------------------------


@pytest.mark.parametrize(("name", "params"), CASES, ids=[f"{n}-{'-'.join(p.values()) or 'defaults'}" for n, p in CASES])
def test_every_query_gives_the_embedded_rows_through_sparqlwrapper(
    name: str, params: dict[str, str], server: str, corpus: Store
) -> None:
    text, expected = _embedded(corpus, name, params)
    client = SPARQLWrapper(f"{server}sparql")
    client.setQuery(text)
    # SPARQLWrapper guesses the form with a regex that takes "?loaded" for a LOAD update (which would go to the
    # endpoint as update=... and be refused); tell it the form a SPARQL parser finds.
    client.queryType = query_form(load_query(name)).removesuffix("Query").upper()
    client.setReturnFormat(JSON)
    client.setMethod("POST")
    answer = client.query().convert()
    assert isinstance(answer, dict)
    assert _bindings(answer) == expected


@pytest.mark.parametrize(("name", "params"), CASES, ids=[f"{n}-{'-'.join(p.values()) or 'defaults'}" for n, p in CASES])
def test_every_query_gives_the_embedded_rows_through_pfocr_rdf_query(
    name: str, params: dict[str, str], server: str, corpus: Store
) -> None:
    # `pfocr-rdf query --endpoint` against `pfocr-rdf serve`: the same rows, in the same order
    remote = run_query(name, params=params, endpoint=f"{server}sparql")
    local = run_query(name, params=params, store=corpus)
    assert remote == local


def test_the_comparison_sees_rows(corpus: Store) -> None:
    # the comparison above must not pass because everything is empty
    empty = [name for name, params in CASES if not _embedded(corpus, name, params)[1]]
    assert len(empty) < len(CASES) / 2, f"most cases have no rows on the corpus: {empty}"


@pytest.mark.parametrize("name", sorted({n for n, _ in CASES}))
def test_every_query_gives_the_embedded_rows_through_rdflib(name: str, server: str, corpus: Store) -> None:
    text, expected = _embedded(corpus, name, {})
    store = SPARQLStore(f"{server}sparql", returnFormat="json")
    rows = list(store.query(text))
    assert len(rows) == len(expected)
    variables = [str(v) for v in rows[0].labels] if rows else []
    got = sorted(repr([row[v] for v in variables]) for row in rows)
    # rdflib normalizes literals' lexical forms as it reads them: build the expected terms the same way
    want = sorted(repr([_rdflib_term(json.loads(b).get(v)) for v in variables]) for b in expected)
    assert got == want


def _rdflib_term(term: dict[str, str] | None) -> rdflib.term.Node | None:
    if term is None:
        return None
    if term["type"] == "uri":
        return rdflib.URIRef(term["value"])
    if term["type"] == "bnode":
        return rdflib.BNode(term["value"])
    datatype = term.get("datatype")
    return rdflib.Literal(term["value"], lang=term.get("xml:lang"),
                          datatype=rdflib.URIRef(datatype) if datatype else None)


# --- the protocol --------------------------------------------------------------------------------------

SELECT = "SELECT ?figure ?figid WHERE { ?figure <http://schema.org/identifier> ?figid } ORDER BY ?figid"
CONSTRUCT = ("CONSTRUCT { ?figure <http://schema.org/identifier> ?figid } "
             "WHERE { ?figure <http://schema.org/identifier> ?figid }")


def _rows(answer: object) -> set[tuple[str, ...]]:
    assert isinstance(answer, QuerySolutions)
    return {tuple(str(term) for term in solution) for solution in answer}


@pytest.mark.parametrize(("accept", "media", "fmt"), [
    ("application/sparql-results+json", "application/sparql-results+json", QueryResultsFormat.JSON),
    ("application/sparql-results+xml", "application/sparql-results+xml", QueryResultsFormat.XML),
    ("text/tab-separated-values", "text/tab-separated-values", QueryResultsFormat.TSV),
    ("application/json", "application/sparql-results+json", QueryResultsFormat.JSON),
    ("*/*", "application/sparql-results+json", QueryResultsFormat.JSON),
    ("text/html;q=0.9, application/sparql-results+xml;q=0.8", "application/sparql-results+xml",
     QueryResultsFormat.XML),
])
def test_select_result_formats(accept: str, media: str, fmt: QueryResultsFormat, server: str, corpus: Store) -> None:
    status, content_type, body = _get(_query_url(server, SELECT), accept)
    assert status == 200, body
    assert content_type.split(";")[0] == media
    assert _rows(parse_query_results(body, fmt)) == _rows(corpus.query(SELECT))


def test_select_as_csv(server: str, corpus: Store) -> None:
    status, content_type, body = _get(_query_url(server, SELECT), "text/csv")
    assert status == 200 and content_type.startswith("text/csv")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
    assert rows[0] == ["figure", "figid"]
    expected = corpus.query(SELECT)
    assert isinstance(expected, QuerySolutions)
    assert {tuple(r) for r in rows[1:]} == {(s["figure"].value, s["figid"].value) for s in expected}  # type: ignore[union-attr]


def test_format_parameter_overrides_accept(server: str) -> None:
    status, content_type, _ = _get(_query_url(server, SELECT, format="tsv"), "application/sparql-results+json")
    assert status == 200 and content_type.startswith("text/tab-separated-values")


def test_ask(server: str) -> None:
    status, _, body = _get(_query_url(server, "ASK { ?s a <http://schema.org/ImageObject> }"))
    assert status == 200
    answer = parse_query_results(body, QueryResultsFormat.JSON)
    assert isinstance(answer, QueryBoolean) and bool(answer)


@pytest.mark.parametrize(("accept", "fmt"), [
    ("text/turtle", RdfFormat.TURTLE),
    ("application/n-triples", RdfFormat.N_TRIPLES),
    ("application/ld+json", RdfFormat.JSON_LD),
    ("application/rdf+xml", RdfFormat.RDF_XML),
    ("*/*", RdfFormat.TURTLE),
])
def test_construct_formats(accept: str, fmt: RdfFormat, server: str, corpus: Store) -> None:
    status, content_type, body = _get(_query_url(server, CONSTRUCT), accept)
    assert status == 200, body
    assert content_type.split(";")[0] == fmt.media_type
    expected = corpus.query(CONSTRUCT)
    assert isinstance(expected, QueryTriples)
    assert {quad.triple for quad in parse(body, fmt)} == set(expected)


def test_describe(server: str, corpus: Store) -> None:
    figure = next(iter(corpus.quads_for_pattern(None, NamedNode("http://schema.org/identifier"), None))).subject
    status, _, body = _get(_query_url(server, f"DESCRIBE <{figure.value}>"), "application/n-triples")
    assert status == 200
    assert {quad.subject for quad in parse(body, RdfFormat.N_TRIPLES)} == {figure}


def test_unacceptable_format_is_406(server: str) -> None:
    status, _, body = _get(_query_url(server, SELECT), "text/turtle")
    assert status == 406
    assert b"application/sparql-results+json" in body
    assert _get(_query_url(server, CONSTRUCT), "text/csv")[0] == 406


def test_post_form_and_direct_body(server: str, corpus: Store) -> None:
    expected = _rows(corpus.query(SELECT))
    form = urllib.parse.urlencode({"query": SELECT}).encode()
    status, _, body = _get(f"{server}sparql", data=form, content_type="application/x-www-form-urlencoded")
    assert status == 200 and _rows(parse_query_results(body, QueryResultsFormat.JSON)) == expected
    status, _, body = _get(f"{server}sparql", data=SELECT.encode(), content_type="application/sparql-query")
    assert status == 200 and _rows(parse_query_results(body, QueryResultsFormat.JSON)) == expected
    status, _, body = _get(f"{server}query", data=form, content_type="application/x-www-form-urlencoded")
    assert status == 200 and _rows(parse_query_results(body, QueryResultsFormat.JSON)) == expected  # Oxigraph's path


def test_dataset_parameters(server: str) -> None:
    graph = "https://pfocr.wikipathways.org/no-such-graph"
    status, _, body = _get(_query_url(server, SELECT, **{"default-graph-uri": graph}))
    assert status == 200
    assert _rows(parse_query_results(body, QueryResultsFormat.JSON)) == set()


@pytest.mark.parametrize(("data", "content_type", "status", "says"), [
    (b"update=INSERT+DATA+%7B%3Cx%3A1%3E+%3Cx%3A2%3E+%3Cx%3A3%3E%7D", "application/x-www-form-urlencoded", 403,
     "read-only"),
    (b"INSERT DATA { <x:1> <x:2> <x:3> }", "application/sparql-update", 403, "read-only"),
    (b"SELECT * WHERE { ?s ?p }", "application/sparql-query", 400, "not valid SPARQL"),
    (b"query=SELECT", "text/plain", 415, "application/sparql-query"),
    (b"nothing=here", "application/x-www-form-urlencoded", 400, "no 'query'"),
])
def test_bad_requests_say_why(data: bytes, content_type: str, status: int, says: str, server: str) -> None:
    got, _, body = _get(f"{server}sparql", data=data, content_type=content_type)
    assert got == status
    assert says in body.decode()


def test_a_query_over_the_time_limit_is_stopped(server: str) -> None:
    started = time.monotonic()
    status, _, body = _get(_query_url(server, SLOW), timeout=60)
    elapsed = time.monotonic() - started
    assert status == 503
    assert "time limit" in body.decode() and f"{TIMEOUT:g} s" in body.decode()
    assert elapsed < TIMEOUT + 10
    # the worker that ran it was replaced: the endpoint still answers, on every worker
    for _ in range(4):
        assert _get(_query_url(server, "ASK {}"))[0] == 200


def test_answers_above_the_row_cap_are_refused(server: str, corpus: Store) -> None:
    assert len(corpus) > MAX_ROWS
    status, _, body = _get(_query_url(server, "SELECT * WHERE { ?s ?p ?o }"))
    assert status == 400
    assert f"more than {MAX_ROWS}" in body.decode() and "LIMIT" in body.decode()
    assert _get(_query_url(server, "CONSTRUCT WHERE { ?s ?p ?o }"), "text/turtle")[0] == 400
    status, _, body = _get(_query_url(server, f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT {MAX_ROWS}"))
    assert status == 200
    assert len(_rows(parse_query_results(body, QueryResultsFormat.JSON))) == MAX_ROWS


def test_negotiate() -> None:
    offered = ["text/turtle", "text/html"]
    assert negotiate("", offered) == "text/turtle"
    assert negotiate("text/html,application/xhtml+xml,*/*;q=0.8", offered) == "text/html"
    assert negotiate("text/*;q=0.5, text/html;q=0.4", offered) == "text/turtle"
    assert negotiate("application/json", offered) is None
    assert negotiate("text/turtle;q=0, */*", offered) == "text/html"


def test_parse_bind() -> None:
    assert parse_bind("127.0.0.1:8000") == ("127.0.0.1", 8000)
    assert parse_bind(":9000") == ("127.0.0.1", 9000)
    assert parse_bind("9000") == ("127.0.0.1", 9000)
    assert parse_bind("[::1]:8080") == ("::1", 8080)
    for bad in ("localhost:99999", "host:", "a b:1"):
        with pytest.raises(Exception, match="HOST:PORT"):
            parse_bind(bad)


# --- linked-data pages ---------------------------------------------------------------------------------

BASE = "https://pfocr.wikipathways.org/"


def _figure(corpus: Store) -> NamedNode:
    answer = corpus.query("SELECT ?f WHERE { ?f a <http://schema.org/ImageObject> ; "
                          "<https://pfocr.wikipathways.org/vocab#mentionsGene> ?g } ORDER BY ?f LIMIT 1")
    assert isinstance(answer, QuerySolutions)
    figure = next(iter(answer))["f"]
    assert isinstance(figure, NamedNode) and figure.value.startswith(BASE)
    return figure


def _local(server: str, iri: str) -> str:
    return server + iri[len(BASE):]


@pytest.mark.parametrize(("accept", "fmt"), [("text/turtle", RdfFormat.TURTLE),
                                             ("application/ld+json", RdfFormat.JSON_LD),
                                             ("application/n-triples", RdfFormat.N_TRIPLES)])
def test_a_minted_iri_answers_with_its_description(accept: str, fmt: RdfFormat, server: str, corpus: Store) -> None:
    figure = _figure(corpus)
    status, content_type, body = _get(_local(server, figure.value), accept)
    assert status == 200 and content_type.split(";")[0] == fmt.media_type
    triples = {quad.triple for quad in parse(body, fmt)}
    outgoing = {q.triple for q in corpus.quads_for_pattern(figure, None, None)}
    incoming = {q.triple for q in corpus.quads_for_pattern(None, None, figure)}
    assert {t for t in triples if t.subject == figure} == outgoing
    assert {t for t in triples if t.object == figure} == incoming


def test_every_minted_node_resolves(server: str, corpus: Store) -> None:
    minted = {q.subject.value for q in corpus if isinstance(q.subject, NamedNode) and q.subject.value.startswith(BASE)}
    assert len(minted) > 20
    for iri in sorted(minted):
        status, _, body = _get(_local(server, iri), "text/turtle")
        assert status == 200, iri
        assert NamedNode(iri) in {t.subject for t in parse(body, RdfFormat.TURTLE)}


def test_html_page_links_lead_on(server: str, corpus: Store) -> None:
    figure = _figure(corpus)
    status, content_type, body = _get(_local(server, figure.value), "text/html,*/*;q=0.8")
    assert status == 200 and content_type.startswith("text/html")
    page = body.decode()
    links = set(re.findall(r'href="([^"]+)"', page))
    local = {urllib.parse.unquote(link.replace("&amp;", "&")) for link in links if link.startswith(server)}
    # the figure's article, genes and annotations are all reachable on this server
    is_part_of = NamedNode("http://schema.org/isPartOf")
    article = next(q.object.value for q in corpus.quads_for_pattern(figure, is_part_of, None))
    assert any(link.endswith("describe?iri=" + article) for link in local)
    annotations = [q.subject.value for q in corpus.quads_for_pattern(None, NamedNode("http://www.w3.org/ns/oa#hasTarget"),
                                                                     figure)]
    assert annotations and all(_local(server, a) in local for a in annotations)
    assert any(link.startswith(server + "vocab#") for link in local)  # pfocr: terms lead to the vocabulary
    for link in sorted(local)[:40]:
        status, _, _ = _get(link.replace(" ", "%20"), "text/html")
        assert status == 200, link


def test_unknown_node_is_404(server: str) -> None:
    status, content_type, _ = _get(f"{server}figures/PMC0__nothing.html", "text/html")
    assert status == 404 and content_type.startswith("text/html")
    assert _get(f"{server}figures/PMC0__nothing.html", "text/turtle")[0] == 404
    assert _get(f"{server}describe?iri=not%20an%20iri")[0] == 400


# --- published documents -------------------------------------------------------------------------------


def test_vocabulary_is_served_at_its_iri(server: str) -> None:
    status, content_type, body = _get(f"{server}vocab", "text/html")
    assert status == 200 and content_type.startswith("text/html")
    page = body.decode()
    terms = {str(s)[len(str(PFOCR._NS)):] for s in vocabulary_graph().subjects() if str(s).startswith(str(PFOCR._NS))}
    assert terms and all(f'id="{term}"' in page for term in terms)
    status, _, body = _get(f"{server}vocab", "text/turtle")
    assert status == 200
    assert isomorphic(rdflib.Graph().parse(data=body, format="turtle"), vocabulary_graph())


def test_void_and_examples_are_published(server: str, corpus: Store) -> None:
    status, _, body = _get(f"{server}.well-known/void")
    assert status == 200
    void = rdflib.Graph().parse(data=body, format="turtle")
    triples = {int(o) for o in void.objects(None, rdflib.URIRef("http://rdfs.org/ns/void#triples"))}
    assert len(corpus) in triples
    status, _, body = _get(f"{server}.well-known/sparql-examples")
    assert status == 200
    examples = rdflib.Graph().parse(data=body, format="turtle")
    executables = set(examples.subjects(rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/shacl#SPARQLExecutable")))
    assert len(executables) == len(shipped_query_names())
    targets = set(examples.objects(None, rdflib.URIRef("https://schema.org/target")))
    assert targets == {rdflib.URIRef(f"{server}sparql")}


def test_bound_query_text(server: str) -> None:
    name = next(n for n in shipped_query_names() if load_query(n).params and n not in FEDERATED)
    spec = load_query(name).params[0]
    status, _, body = _get(f"{server}queries/{name}.rq?" + urllib.parse.urlencode({spec.name: spec.default or "1"}))
    assert status == 200 and b"VALUES" in body
    status, _, body = _get(f"{server}queries/{name}.rq?no_such_param=1")
    assert status == 400 and b"no_such_param" in body
    assert _get(f"{server}queries/no-such-query.rq")[0] == 404


# --- real records, and a base of one's own -------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_served(
    sample_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str, Store]]:
    """The real sample exported under another base, served standing in for that base."""
    from pfocr_rdf import export

    base = "https://example.org/pfocr/"
    folder = tmp_path_factory.mktemp("sample-served")
    summary = export([sample_dir], output=folder / "sample.nt", base=base)
    assert summary.rejected == 0
    load([folder / "sample.nt"], folder / "store")
    store = Store()
    load_into(store, [folder / "sample.nt"])
    with running_server(folder / "store", "--base", base) as root:
        yield root, base, store


def test_real_records_resolve_under_a_base_of_ones_own(sample_served: tuple[str, str, Store]) -> None:
    root, base, store = sample_served
    minted = sorted({q.subject.value for q in store
                     if isinstance(q.subject, NamedNode) and q.subject.value.startswith(base)})
    assert len(minted) > 100
    # every minted node whose IRI carries a percent-encoded character, and an even spread of the rest
    chosen = [iri for iri in minted if "%" in iri] + minted[:: max(len(minted) // 150, 1)]
    for iri in chosen:
        status, _, body = _get(root + iri[len(base):], "application/n-triples")
        assert status == 200, iri
        expected = {q.triple for q in store.quads_for_pattern(NamedNode(iri), None, None)}
        assert expected <= {quad.triple for quad in parse(body, RdfFormat.N_TRIPLES)}, iri


def test_real_figure_page_leads_to_its_article_annotations_and_genes(sample_served: tuple[str, str, Store]) -> None:
    root, base, store = sample_served
    mentions_gene = NamedNode(str(PFOCR.mentionsGene))
    figure = next(q.subject for q in store.quads_for_pattern(None, mentions_gene, None))
    assert isinstance(figure, NamedNode) and not figure.value.startswith(base)  # figures keep the site's IRI
    status, _, body = _get(f"{root}describe?" + urllib.parse.urlencode({"iri": figure.value}), "text/html")
    assert status == 200
    links = {link.replace("&amp;", "&") for link in re.findall(r'href="([^"]+)"', body.decode())}
    annotations = {root + q.subject.value[len(base):] for q in
                   store.quads_for_pattern(None, NamedNode("http://www.w3.org/ns/oa#hasTarget"), figure)}
    assert annotations and annotations <= links
    genes = {q.object.value for q in store.quads_for_pattern(figure, mentions_gene, None)}
    assert {f"{root}describe?" + urllib.parse.urlencode({"iri": g}) for g in genes} <= links
    for link in sorted(links):
        if link.startswith(root) and "/.well-known/" not in link:
            assert _get(link, "text/html")[0] == 200, link


def test_serve_says_why_it_cannot_start(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from pfocr_rdf.cli import main

    assert main(["serve", "--store", str(tmp_path / "missing")]) == 2
    assert "no store at" in capsys.readouterr().err
    load([CORPUS], tmp_path / "store")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--store", str(tmp_path / "store"), "--bind", f"127.0.0.1:{port}"]) == 2
    assert f"127.0.0.1:{port}: cannot listen there" in capsys.readouterr().err
    for option, value in (("--timeout", "0"), ("--max-rows", "0"), ("--workers", "0"), ("--bind", "nowhere"),
                          ("--base", "https://example.org/no-slash")):
        assert main(["serve", "--store", str(tmp_path / "store"), option, value]) == 2
        assert option in capsys.readouterr().err


def test_links_out_only_to_http_iris() -> None:
    from pfocr_rdf.serving.pages import LinkMaker

    links = LinkMaker("http://127.0.0.1:1/", [(BASE, "")], described=lambda iri: False)
    assert links.href(BASE + "journals/X") == "http://127.0.0.1:1/journals/X"
    assert links.href("https://doi.org/10.1/x") == "https://doi.org/10.1/x"
    assert links.href("javascript:alert(1)").startswith("http://127.0.0.1:1/describe?iri=javascript")


def test_precomputed_void_and_example_iris(tmp_path: Path) -> None:
    load([CORPUS], tmp_path / "store")
    void = tmp_path / "void.ttl"
    void.write_text("<urn:x:dataset> <http://rdfs.org/ns/void#triples> 1 .\n", encoding="utf-8")
    with running_server(tmp_path / "store", "--void", str(void)) as root:
        status, content_type, body = _get(f"{root}.well-known/void")
        assert status == 200 and content_type.startswith("text/turtle")
        assert body.decode() == void.read_text(encoding="utf-8")
        # an example's IRI: its Turtle twin for data clients, the home page with it chosen for browsers
        name = shipped_query_names()[0]
        status, _, body = _get(f"{root}.well-known/sparql-examples/{name}", "text/turtle")
        assert status == 200
        assert rdflib.URIRef(f"{BASE}.well-known/sparql-examples/{name}") in set(
            rdflib.Graph().parse(data=body, format="turtle").subjects())
        request = urllib.request.Request(f"{root}.well-known/sparql-examples/{name}", headers={"Accept": "text/html"})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.url == f"{root}?query={name}"
            assert b'id="query-select"' in response.read()
        assert _get(f"{root}.well-known/sparql-examples/no-such-query", "text/turtle")[0] == 404


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_stops_cleanly_on_a_signal(signum: int, tmp_path: Path) -> None:
    load([CORPUS], tmp_path / "store")
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "pfocr_rdf", "serve", "--store", str(tmp_path / "store"),
                                "--bind", f"127.0.0.1:{port}"], stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while True:
        assert time.monotonic() < deadline and process.poll() is None, "the server did not start"
        try:
            if _get(f"http://127.0.0.1:{port}/sparql?query=ASK%7B%7D", timeout=2)[0] == 200:
                break
        except OSError:
            time.sleep(0.2)
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    assert "pfocr-rdf serve: stopped" in stderr and "Traceback" not in stderr
