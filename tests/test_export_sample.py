"""The export of the real PFOCR sample (../shared/pfocr-sample) checks out, record by record.

The expectations are read from the sample files here with plain PyYAML and tab splitting, not with
pfocr-rdf's reader, so the reader is checked rather than trusted.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
import yaml
from rdflib import BNode, Literal, URIRef
from rdflib.compare import isomorphic

from pfocr_rdf import export
from pfocr_rdf.export import triples_of
from pfocr_rdf.namespaces import PFOCR, SCHEMA, XSD

SENTINELS = {"NA", "NaN", ".na.character", ""}


def _front_matters(sample: Path) -> Iterator[tuple[Path, dict]]:
    for path in sorted((sample / "_figures").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        yield path, yaml.safe_load(text.split("---\n")[1])


def _tsv_column(path: Path, column: str) -> list[str]:
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").replace("\r\n", "\n").split("\n")
    header = lines[0].split("\t")
    if column not in header:
        return []
    index = header.index(column)
    return [cells[index].strip() for line in lines[1:] if line and len(cells := line.split("\t")) == len(header)]


@pytest.fixture(scope="module")
def graph(sample_export: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(sample_export, format="turtle")


def test_every_record_exports(sample_dir: Path, tmp_path: Path) -> None:
    summary = export([sample_dir], output=tmp_path / "out.ttl", rejects=tmp_path / "rejects.jsonl")
    records = len(list((sample_dir / "_figures").glob("*.md")))
    assert records == 45
    assert (summary.read, summary.exported, summary.rejected) == (records, records, 0)
    assert (tmp_path / "rejects.jsonl").read_text() == ""


def test_figure_iri_is_the_sites_id(sample_dir: Path, graph: rdflib.Graph) -> None:
    for path, data in _front_matters(sample_dir):
        figure = URIRef(data["schema-jsonld"]["@id"])
        assert (figure, SCHEMA.identifier, Literal(data["figid"])) in graph, path
        assert (figure, rdflib.RDF.type, SCHEMA.ImageObject) in graph, path


def test_every_gene_id_is_mentioned(sample_dir: Path, graph: rdflib.Graph) -> None:
    checked = 0
    for path, data in _front_matters(sample_dir):
        figure = URIRef(data["schema-jsonld"]["@id"])
        ids = _tsv_column(sample_dir / "_data" / f"{data['figid']}-genes.tsv", "ncbigene_id")
        ids += [str(g["entrez"]) for g in data.get("genes") or []]
        for gene_id in ids:
            if gene_id in SENTINELS:
                continue
            assert (figure, PFOCR.mentionsGene, URIRef(f"https://identifiers.org/ncbigene/{gene_id}")) in graph, (
                f"{path}: gene {gene_id}")
            checked += 1
    assert checked > 1000


@pytest.mark.parametrize(("kind", "predicate", "other"), [
    ("chemicals", PFOCR.mentionsChemical, "chebi"),
    ("diseases", PFOCR.mentionsDisease, "doid"),
])
def test_every_chemical_and_disease_id_is_mentioned(
    sample_dir: Path, graph: rdflib.Graph, kind: str, predicate: URIRef, other: str
) -> None:
    iri_of = {
        "mesh": "http://id.nlm.nih.gov/mesh/",
        "chebi": "http://purl.obolibrary.org/obo/CHEBI_",
        "doid": "http://purl.obolibrary.org/obo/DOID_",
    }
    checked = 0
    for path, data in _front_matters(sample_dir):
        figure = URIRef(data["schema-jsonld"]["@id"])
        table = sample_dir / "_data" / f"{data['figid']}-{kind}.tsv"
        found = [("mesh", v) for v in _tsv_column(table, "mesh") + _tsv_column(table, "identifier")]
        found += [(other, v) for v in _tsv_column(table, other)]
        found += [("mesh", str(item["identifier"])) for item in data.get(kind) or []]
        for scheme, value in found:
            if value in SENTINELS:
                continue
            local = value.split(":", 1)[-1]
            assert (figure, predicate, URIRef(iri_of[scheme] + local)) in graph, f"{path}: {value}"
            checked += 1
    assert checked > 5


def test_papers_have_doi_and_year(sample_dir: Path, graph: rdflib.Graph) -> None:
    years = 0
    for path, data in _front_matters(sample_dir):
        article = URIRef(f"http://identifiers.org/pmc/{data['pmcid']}")
        doi = data.get("doi")
        if doi and doi not in SENTINELS:
            assert (article, SCHEMA.sameAs, URIRef(f"https://doi.org/{doi.lower()}")) in graph, path
        year = str(data.get("year") or "")
        if year not in SENTINELS:
            assert (article, SCHEMA.datePublished, Literal(year, datatype=XSD.gYear)) in graph, path
            years += 1
        else:
            assert not list(graph.objects(article, SCHEMA.datePublished)), path
    assert years == 43  # the two records with year '' have no date


def test_no_sentinel_no_https_schema_no_blank_node(graph: rdflib.Graph) -> None:
    for triple in graph:
        for term in triple:
            assert not isinstance(term, BNode), triple
            if isinstance(term, Literal):
                assert str(term).strip() not in SENTINELS, triple
            if isinstance(term, URIRef):
                assert not str(term).startswith("https://schema.org/"), triple


def _mapper_graph(sample: Path) -> rdflib.Graph:
    graph = rdflib.Graph()
    for triple in triples_of([sample]):
        graph.add(triple)
    return graph


def test_turtle_reparses_isomorphic_to_the_mapper(sample_dir: Path, sample_export: Path, tmp_path: Path) -> None:
    expected = _mapper_graph(sample_dir)
    parsed = rdflib.Graph().parse(sample_export, format="turtle")
    dataset = URIRef("https://pfocr.wikipathways.org/dataset")
    release = {t for t in parsed if t[0].startswith(str(dataset)) or t[0] in (
        URIRef("https://pfocr.wikipathways.org/software/pfocr-rdf"), URIRef("https://pfocr.wikipathways.org/"))}
    for triple in release:
        parsed.remove(triple)
    assert isomorphic(parsed, expected)
    # pyoxigraph reads our Turtle into the same triples rdflib writes as N-Triples from the mapper's graph
    reference = tmp_path / "reference.nt"
    expected.serialize(reference, format="nt", encoding="utf-8")
    ours = {t for t in pyoxigraph.parse(path=str(sample_export), format=pyoxigraph.RdfFormat.TURTLE)
            if not str(t.subject.value).startswith(str(dataset))
            and t.subject.value not in ("https://pfocr.wikipathways.org/software/pfocr-rdf",
                                        "https://pfocr.wikipathways.org/")}
    theirs = set(pyoxigraph.parse(path=str(reference), format=pyoxigraph.RdfFormat.N_TRIPLES))
    assert ours == theirs


def test_output_is_byte_identical_and_order_independent(sample_dir: Path, tmp_path: Path) -> None:
    files = sorted((sample_dir / "_figures").glob("*.md"))
    export([sample_dir], output=tmp_path / "a.ttl")
    export([sample_dir], output=tmp_path / "b.ttl")
    export(list(reversed(files)), output=tmp_path / "c.ttl")
    first = (tmp_path / "a.ttl").read_bytes()
    assert first == (tmp_path / "b.ttl").read_bytes()
    assert first == (tmp_path / "c.ttl").read_bytes()


def test_ntriples_matches_turtle(sample_dir: Path, sample_export: Path, tmp_path: Path) -> None:
    export([sample_dir], output=tmp_path / "out.nt")
    nt = set(pyoxigraph.parse(path=str(tmp_path / "out.nt"), format=pyoxigraph.RdfFormat.N_TRIPLES))
    ttl = set(pyoxigraph.parse(path=str(sample_export), format=pyoxigraph.RdfFormat.TURTLE))
    # the release names its own distribution (turtle or nt); everything else is the same
    differ = {q for q in nt ^ ttl if "/dataset" in str(q.subject.value) or "/dataset" in str(q.object.value)}
    assert nt ^ ttl == differ
    assert len(differ) == 10
    assert len(nt) > 20_000


def test_release_counts(graph: rdflib.Graph) -> None:
    dataset = URIRef("https://pfocr.wikipathways.org/dataset")
    triples = int(graph.value(dataset, URIRef("http://rdfs.org/ns/void#triples")))
    own = len({t for t in graph if str(t[0]).startswith(str(dataset)) or str(t[0]) in (
        "https://pfocr.wikipathways.org/software/pfocr-rdf", "https://pfocr.wikipathways.org/")})
    assert triples == len(graph) - own
    figures = len(set(graph.subjects(rdflib.RDF.type, SCHEMA.ImageObject)))
    assert figures == 45
