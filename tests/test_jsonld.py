"""JSON-LD output: pyld (the reference) expands it to exactly the Turtle export's triples, offline.

Our serializer builds the compact objects by hand; these tests hold it to pyld's reading of them, and to
pyoxigraph's as a second, independent reader. The JSON-LD context ships in the package and is checked
against the exporter's actual output: every predicate has a term, and every coercion fits every value.
"""

from __future__ import annotations

import gzip
import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
import yaml
from pyld import jsonld
from rdflib import BNode, Literal, URIRef

from pfocr_rdf import export
from pfocr_rdf.errors import UsageError
from pfocr_rdf.namespaces import DCAT, DCTERMS, NCBIGENE, OA, PFOCR, PREFIXES, RDF, SCHEMA, XSD
from pfocr_rdf.writing import FORMATS, format_for
from pfocr_rdf.writing.jsonld import CONTEXT_URL, JsonLd, JsonLines, context, context_text, document_loader
from pfocr_rdf.writing.lines import NTriples

DISTRIBUTIONS = "https://pfocr.wikipathways.org/dataset/distribution/"
MEDIA_TYPES = {".jsonld": "application/ld+json", ".jsonl": "application/x-ndjson"}


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any attempt to reach the network, and pyld's own (fetching) default loader."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(jsonld, "_default_document_loader", refuse)


# --- helpers ---------------------------------------------------------------------------------------

def _text(path: Path) -> str:
    data = path.read_bytes()
    if path.name.endswith(".gz"):
        data = gzip.decompress(data)
    return data.decode("utf-8")


def _is_lines(path: Path) -> bool:
    return path.name.removesuffix(".gz").endswith(".jsonl")


def _objects(path: Path) -> list[dict[str, Any]]:
    """Return the top-level node objects of a .jsonld document or a .jsonl file."""
    text = _text(path)
    if _is_lines(path):
        return [json.loads(line) for line in text.split("\n")[:-1]]
    document = json.loads(text)
    assert list(document) == ["@context", "@graph"]
    assert document["@context"] == CONTEXT_URL
    graph: list[dict[str, Any]] = document["@graph"]
    return graph


def _to_triples(nquads: str) -> set[pyoxigraph.Triple]:
    quads = list(pyoxigraph.parse(nquads.encode("utf-8"), format=pyoxigraph.RdfFormat.N_QUADS))
    assert all(q.graph_name == pyoxigraph.DefaultGraph() for q in quads)
    return {q.triple for q in quads}


def _expand(input: Any) -> set[pyoxigraph.Triple]:
    """Return the triples pyld reads from a JSON-LD document (or a list of them), offline."""
    nquads = jsonld.to_rdf(input, {"format": "application/n-quads", "documentLoader": document_loader()})
    return _to_triples(nquads)


def _pyld_triples(path: Path) -> set[pyoxigraph.Triple]:
    text = _text(path)
    if _is_lines(path):
        return _expand([json.loads(line) for line in text.split("\n")[:-1]])
    return _expand(json.loads(text))


def _turtle_triples(path: Path) -> set[pyoxigraph.Triple]:
    return {q.triple for q in pyoxigraph.parse(path=path, format=pyoxigraph.RdfFormat.TURTLE)}


def _without_distributions(triples: set[pyoxigraph.Triple]) -> set[pyoxigraph.Triple]:
    """Drop the release's distribution, the one part that names the format (and so differs)."""
    return {t for t in triples
            if not (isinstance(t.subject, pyoxigraph.NamedNode) and t.subject.value.startswith(DISTRIBUTIONS))
            and t.predicate != pyoxigraph.NamedNode(str(DCAT.distribution))}


def _has_blank_nodes(triples: set[pyoxigraph.Triple]) -> bool:
    return any(isinstance(t.subject, pyoxigraph.BlankNode) or isinstance(t.object, pyoxigraph.BlankNode)
               for t in triples)


def _types(node: dict[str, Any]) -> list[str]:
    kinds = node.get("@type", [])
    return kinds if isinstance(kinds, list) else [kinds]


def _site_ids(corpus: Path) -> dict[str, str]:
    """figid -> the ``@id`` of the record's own embedded JSON-LD, read with plain PyYAML."""
    ids = {}
    for path in sorted((corpus / "_figures").glob("*.md")):
        data = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        ids[data["figid"]] = data["schema-jsonld"]["@id"]
    return ids


@pytest.fixture(params=["examples", "sample"])
def corpus(request: pytest.FixtureRequest) -> tuple[Path, Path]:
    """(records, their Turtle export): the example corpus and the real PFOCR sample (when present)."""
    name = request.param
    return request.getfixturevalue(f"{name}_dir"), request.getfixturevalue(f"{name}_export")


# --- the exports against the Turtle export -------------------------------------------------------

@pytest.mark.parametrize("suffix", [".jsonld", ".jsonl", ".jsonld.gz", ".jsonl.gz"])
def test_pyld_reads_the_turtle_triples(corpus: tuple[Path, Path], suffix: str, tmp_path: Path) -> None:
    records, turtle = corpus
    out = tmp_path / f"x{suffix}"
    summary = export([records], output=out)
    assert summary.rejected == 0
    if suffix.endswith(".gz"):
        assert out.read_bytes()[:2] == b"\x1f\x8b"

    got = _pyld_triples(out)
    expected = _turtle_triples(turtle)
    assert not _has_blank_nodes(got) and not _has_blank_nodes(expected)
    assert _without_distributions(got) == _without_distributions(expected)
    assert len(got) == summary.triples
    # the release describes this file's own format
    # (an IANA media type IRI where IANA registers the type; JSON Lines is not registered: text only)
    media_type = MEDIA_TYPES[suffix.removesuffix(".gz")]
    distribution = pyoxigraph.NamedNode(DISTRIBUTIONS + format_for(None, out).name)
    if suffix.startswith(".jsonld"):
        iana = pyoxigraph.NamedNode("https://www.iana.org/assignments/media-types/" + media_type)
        assert pyoxigraph.Triple(distribution, pyoxigraph.NamedNode(str(DCAT.mediaType)), iana) in got
    else:
        assert not any(t.subject == distribution and t.predicate.value == str(DCAT.mediaType) for t in got)
    assert pyoxigraph.Triple(distribution, pyoxigraph.NamedNode(str(DCTERMS.format)),
                             pyoxigraph.Literal(media_type)) in got


def test_pyoxigraph_reads_the_same_triples_as_pyld(examples_dir: Path, tmp_path: Path) -> None:
    """A second, independent JSON-LD 1.1 processor, given the context inline (it loads no remote ones)."""
    out = tmp_path / "x.jsonld"
    export([examples_dir], output=out)
    document = json.loads(out.read_text(encoding="utf-8"))
    document["@context"] = context()["@context"]
    quads = pyoxigraph.parse(json.dumps(document).encode("utf-8"), format=pyoxigraph.RdfFormat.JSON_LD)
    assert {q.triple for q in quads} == _pyld_triples(out)


def test_the_whole_document_is_json(corpus: tuple[Path, Path], tmp_path: Path) -> None:
    records, _ = corpus
    out = tmp_path / "x.jsonld"
    export([records], output=out)
    text = out.read_text(encoding="utf-8")
    document = json.loads(text)
    assert list(document) == ["@context", "@graph"]
    # one node object per line, between the header and the footer
    lines = text.split("\n")[:-1]
    assert len(lines) == len(document["@graph"]) + 2
    assert all(json.loads(line.removesuffix(",")) for line in lines[1:-1])


@pytest.mark.parametrize("suffix", [".jsonld", ".jsonl"])
def test_one_object_per_figure_with_the_sites_id(
    corpus: tuple[Path, Path], suffix: str, tmp_path: Path
) -> None:
    records, _ = corpus
    out = tmp_path / f"x{suffix}"
    export([records], output=out)
    objects = _objects(out)
    figures = {node["@id"]: node for node in objects if "ImageObject" in _types(node)}
    site_ids = _site_ids(records)
    assert sorted(figures) == sorted(site_ids.values())
    for figid, site_id in site_ids.items():
        assert figures[site_id]["identifier"] == figid
    # annotations are nested in their figure, never loose, and imply their target
    assert not [node for node in objects if "Annotation" in _types(node)]
    annotations = [a for figure in figures.values() for a in figure.get("annotations", [])]
    assert annotations
    assert all("Annotation" in _types(a) and "hasTarget" not in a for a in annotations)
    assert all(isinstance(figure.get("annotations", []), list) for figure in figures.values())


def test_json_lines_stand_alone(examples_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.jsonl"
    export([examples_dir], output=out)
    text = out.read_text(encoding="utf-8")
    assert text.endswith("\n")
    lines = text.split("\n")[:-1]
    assert all(lines)
    expected = _pyld_triples(out)
    got: set[pyoxigraph.Triple] = set()
    for line in lines:
        node = json.loads(line)
        assert isinstance(node, dict)
        assert next(iter(node)) == "@context" and node["@context"] == CONTEXT_URL
        triples = _expand(node)
        assert triples
        got |= triples
    assert got == expected


def test_the_same_output_whatever_the_jobs(sample_dir: Path, tmp_path: Path) -> None:
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    export([sample_dir], output=one, jobs=1)
    export([sample_dir], output=two, jobs=2)
    assert one.read_bytes() == two.read_bytes()


def test_format_names_and_extensions() -> None:
    assert format_for(None, "x.jsonld").name == "jsonld"
    assert format_for(None, "x.json").name == "jsonld"
    assert format_for(None, "x.jsonld.gz").name == "jsonld"
    assert format_for(None, "X.JSONLD.GZ").name == "jsonld"
    assert format_for(None, "x.jsonl").name == "jsonl"
    assert format_for(None, "x.jsonl.gz").name == "jsonl"
    assert FORMATS["jsonld"].media_type == "application/ld+json"
    assert FORMATS["jsonl"].serializer is JsonLines


# --- the serializer on awkward input -------------------------------------------------------------

FIGURE = URIRef("https://pfocr.wikipathways.org/figures/PMC1__x.html")
OTHER = URIRef("https://pfocr.wikipathways.org/figures/PMC2__y.html")
MENTION = URIRef("https://pfocr.wikipathways.org/figures/PMC1__x/mentions/ncbigene-4040-0123456789abcdef")
LOOSE = URIRef("https://pfocr.wikipathways.org/figures/PMC1__x/mentions/mesh-D1-0123456789abcdef")
AWKWARD = [
    'quote " and backslash \\ and \\n literally',
    "new\nline, carriage\rreturn, tab\t, bell\x07, nul\x00, del\x7f",
    "non-BMP 𝛼 😀 and homoglyphs ΜΑΡΚ РІЗК İNOS, line separator \u2028",
    "@id",
    "ncbigene:4040",
    "next line \x85, paragraph separator \u2029, file separator \x1c",
    "",
]


def _awkward_triples() -> list[tuple[URIRef, URIRef, Any]]:
    triples: list[tuple[URIRef, URIRef, Any]] = [
        (FIGURE, RDF.type, SCHEMA.ImageObject),
        (FIGURE, RDF.type, URIRef("http://example.org/vocab#Unnamed")),  # a class the context lacks
    ]
    triples += [(FIGURE, SCHEMA.caption, Literal(text)) for text in AWKWARD]
    triples += [
        (FIGURE, PFOCR.pathwayScore, Literal("0.950", datatype=XSD.decimal)),  # kept as written
        (FIGURE, PFOCR.pathwayScore, Literal("1", datatype=XSD.integer)),  # not the coerced datatype
        (FIGURE, PFOCR.pathwayScore, Literal("plain")),  # a plain literal on a coerced term
        (FIGURE, SCHEMA.name, Literal("Figure", lang="en")),
        (FIGURE, SCHEMA.name, Literal("Abbildung", lang="de-CH")),
        (FIGURE, SCHEMA.name, Literal("1", datatype=XSD.string)),
        (FIGURE, SCHEMA.name, URIRef("http://example.org/an-iri-where-text-is-usual")),
        (FIGURE, SCHEMA.url, Literal("http://example.org/text-where-an-iri-is-usual")),
        (FIGURE, SCHEMA.url, URIRef("https://example.org/a%20b/c?d=e#f")),
        (FIGURE, PFOCR.mentionsGene, NCBIGENE["4040"]),
        (FIGURE, PFOCR.mentionsGene, URIRef("https://identifiers.org/ncbigene/12.5")),  # no safe local part
        (FIGURE, PFOCR.mentionsGene, URIRef("https://identifiers.org/ncbigene//4040")),
        (FIGURE, URIRef("http://example.org/unknown"), Literal("x")),
        (FIGURE, URIRef("http://schema.org/unknownButPrefixed"), URIRef("http://example.org/o")),
        (FIGURE, RDF.type, Literal("a literal type")),
        (FIGURE, SCHEMA.about, RDF.type),
        (FIGURE, URIRef(str(PREFIXES["CHEBI"])), URIRef("http://purl.obolibrary.org/obo/CHEBI_15377")),
        (MENTION, RDF.type, OA.Annotation),
        (MENTION, OA.hasTarget, FIGURE),
        (MENTION, OA.hasTarget, OTHER),  # a second target, not a figure of this block: stays a link
        (MENTION, OA.hasBody, NCBIGENE["4040"]),
        (LOOSE, OA.hasTarget, OTHER),  # its target is not in the block: a loose object
        (LOOSE, PFOCR.ocrText, Literal("x")),
        (OTHER, SCHEMA.name, Literal("other")),
    ]
    return triples


def _reference(triples: list[tuple[URIRef, URIRef, Any]]) -> set[pyoxigraph.Triple]:
    text = NTriples().render(triples)
    return {q.triple for q in pyoxigraph.parse(text.encode("utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES)}


@pytest.mark.parametrize("serializer_class", [JsonLd, JsonLines])
def test_awkward_terms_expand_identically(serializer_class: type[JsonLd]) -> None:
    triples = _awkward_triples()
    serializer = serializer_class()
    text = serializer.header() + serializer.render(triples) + serializer.footer()
    # no character that some reader could take for a line break stays raw
    assert text.splitlines() == text.split("\n")[: -1 if text.endswith("\n") else None]
    if serializer_class is JsonLines:
        got = _expand([json.loads(line) for line in text.split("\n")[:-1]])
    else:
        got = _expand(json.loads(text))
    assert got == _reference(triples)
    # the second rendering of the same block is byte-identical (caches change nothing)
    assert serializer_class().render(triples) == serializer.render(triples)


def test_figure_object_shape() -> None:
    nodes = JsonLd().nodes(_awkward_triples())
    figure = nodes[0]
    assert list(figure)[:2] == ["@id", "@type"]
    assert figure["@id"] == str(FIGURE)
    assert figure["@type"] == ["ImageObject", "http://example.org/vocab#Unnamed"]
    assert figure["pathwayScore"][0] == "0.950"
    assert figure["mentionsGene"][0] == "ncbigene:4040"
    assert figure["mentionsGene"][1] == "https://identifiers.org/ncbigene/12.5"
    assert figure["http://example.org/unknown"] == "x"
    assert figure["schema:unknownButPrefixed"] == {"@id": "http://example.org/o"}
    [annotation] = figure["annotations"]
    assert annotation["@id"] == str(MENTION)
    assert annotation["hasTarget"] == str(OTHER)
    assert annotation["hasBody"] == "ncbigene:4040"
    assert [node["@id"] for node in nodes[1:]] == [str(LOOSE), str(OTHER)]


def test_a_figure_without_mentions_has_no_annotations_key() -> None:
    triples = [(FIGURE, RDF.type, SCHEMA.ImageObject), (FIGURE, SCHEMA.identifier, Literal("x"))]
    [figure] = JsonLd().nodes(triples)
    assert figure == {"@id": str(FIGURE), "@type": "ImageObject", "identifier": "x"}


@pytest.mark.parametrize("triple", [
    (BNode("b"), SCHEMA.name, Literal("x")),
    (FIGURE, SCHEMA.about, BNode("b")),
    (FIGURE, SCHEMA.url, URIRef("http://example.org/a b")),
    (URIRef("http://example.org/<x>"), SCHEMA.name, Literal("x")),
    (FIGURE, SCHEMA.sameAs, URIRef("doi:10.1000/182")),  # would read as a compact IRI
])
def test_blank_nodes_and_unwritable_iris_are_refused(triple: tuple[Any, URIRef, Any]) -> None:
    with pytest.raises(ValueError):
        JsonLd().render([triple])


def test_header_and_footer_make_a_document_even_when_empty() -> None:
    serializer = JsonLd()
    assert json.loads(serializer.header() + serializer.footer()) == {"@context": CONTEXT_URL, "@graph": []}
    assert (JsonLines().header(), JsonLines().footer(), JsonLines.separator) == ("", "", "")
    assert serializer.render([]) == ""


# --- the context -----------------------------------------------------------------------------------

def test_the_loader_serves_the_bundled_context() -> None:
    remote = document_loader()(CONTEXT_URL, {})
    assert remote["documentUrl"] == CONTEXT_URL
    assert remote["document"] == json.loads(context_text())


@pytest.mark.parametrize("url", [
    "https://schema.org/",
    "http://pfocr.wikipathways.org/rdf/context.jsonld",
    CONTEXT_URL + "?v=2",
    "file:///etc/passwd",
])
def test_the_loader_refuses_every_other_url(url: str) -> None:
    with pytest.raises(UsageError, match="refusing"):
        document_loader()(url, {})
    with pytest.raises(jsonld.JsonLdError):
        jsonld.expand({"@context": url, "@id": "http://example.org/a", "http://example.org/p": "x"},
                      {"documentLoader": document_loader()})


def test_the_network_guard_works() -> None:
    """Without our loader pyld would fetch; the guard stops it, so the other tests prove it never does."""
    with pytest.raises(jsonld.JsonLdError) as caught:
        jsonld.expand({"@context": CONTEXT_URL, "@id": "http://example.org/a"})
    causes = []
    error: BaseException | None = caught.value
    while error is not None:
        causes.append(str(error))
        error = error.__cause__ or error.__context__
    assert any("network access attempted" in cause for cause in causes)


def test_the_context_loads_and_expands_a_tiny_document() -> None:
    document = {
        "@context": CONTEXT_URL,
        "@id": "ncbigene:4040",
        "@type": "Gene",
        "name": "LRP6",
        "taxonomicRange": "NCBITaxon:9606",
        "dcterms:identifier": "NCBIGene:4040",
    }
    gene = pyoxigraph.NamedNode(str(NCBIGENE["4040"]))
    assert _expand(document) == {
        pyoxigraph.Triple(gene, pyoxigraph.NamedNode(str(RDF.type)), pyoxigraph.NamedNode(str(SCHEMA.Gene))),
        pyoxigraph.Triple(gene, pyoxigraph.NamedNode(str(SCHEMA.name)), pyoxigraph.Literal("LRP6")),
        pyoxigraph.Triple(gene, pyoxigraph.NamedNode(str(SCHEMA.taxonomicRange)),
                          pyoxigraph.NamedNode("http://purl.obolibrary.org/obo/NCBITaxon_9606")),
        pyoxigraph.Triple(gene, pyoxigraph.NamedNode("http://purl.org/dc/terms/identifier"),
                          pyoxigraph.Literal("NCBIGene:4040")),
    }


def test_every_prefix_is_declared_and_expands() -> None:
    definitions = context()["@context"]
    for prefix, namespace in PREFIXES.items():
        definition = definitions[prefix]
        assert (definition if isinstance(definition, str) else definition["@id"]) == namespace, prefix
        document = {"@context": CONTEXT_URL, "@id": f"{prefix}:local", "isPartOf": f"{prefix}:other"}
        assert _expand(document) == {pyoxigraph.Triple(
            pyoxigraph.NamedNode(namespace + "local"), pyoxigraph.NamedNode(str(SCHEMA.isPartOf)),
            pyoxigraph.NamedNode(namespace + "other"))}, prefix


def _definitions() -> Iterator[tuple[str, str, str | None]]:
    """Yield (term, IRI, coercion) of every term but the prefixes and the reverse one, with pyld's help."""
    # pyld's own reading of the context (through a private helper: its public API has no other way in)
    processor = jsonld.JsonLdProcessor()
    options = {"documentLoader": document_loader()}
    active = processor.process_context(processor._get_initial_context(options), CONTEXT_URL, options)
    for term, definition in active["mappings"].items():
        if term in PREFIXES or definition.get("reverse"):
            continue
        yield term, definition["@id"], definition.get("@type")


def test_terms_are_unique_and_the_reverse_one_is_hastarget() -> None:
    iris = [iri for _, iri, _ in _definitions()]
    assert len(iris) == len(set(iris))
    assert context()["@context"]["annotations"]["@reverse"] == "oa:hasTarget"


def test_the_context_names_every_predicate_and_fits_every_value(examples_export: Path, sample_dir: Path,
                                                                sample_export: Path) -> None:
    terms = {iri: (term, coercion) for term, iri, coercion in _definitions()}
    seen: set[str] = set()
    for export_file in (examples_export, sample_export):
        for quad in pyoxigraph.parse(path=export_file, format=pyoxigraph.RdfFormat.TURTLE):
            predicate, o = quad.predicate.value, quad.object
            if predicate == str(RDF.type):
                # every class has a term or a compact IRI
                assert o.value in terms or any(o.value.startswith(ns) for ns in PREFIXES.values()), o
                continue
            assert predicate in terms, f"no term for {predicate}"
            seen.add(predicate)
            term, coercion = terms[predicate]
            if coercion == "@id":
                assert isinstance(o, pyoxigraph.NamedNode), (term, o)
            else:
                # IRI-valued predicates are coerced, so a literal-valued term never holds an IRI
                assert isinstance(o, pyoxigraph.Literal), (term, o)
                # and typed literals are coerced too, so that every value is a plain JSON string
                if coercion is None:
                    assert o.datatype.value in (str(XSD.string), str(RDF.langString)), (term, o)
                else:
                    assert o.datatype.value == coercion, (term, o)
    assert len(seen) > 50
