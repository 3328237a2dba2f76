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


# --- PFOCR's gene-set levels ------------------------------------------------------------------------------

# PFOCR's own definitions (wikipathways/pfocr-pipeline lexicon_step_1.R, pfocr-postprocessing pfocr_gmt.R,
# BioThings PFOCR's strict / synonyms / all): the lexicons that put a gene at each level
LEVEL_SOURCES = {
    "strict": {"ncbigene_symbol", "hgnc_symbol"},
    "synonyms": {"ncbigene_symbol", "hgnc_symbol", "ncbigene_synonym", "hgnc_alias_symbol", "hgnc_prev_symbol"},
    "all": None,  # every row
}


def _gene_rows(sample: Path) -> Iterator[tuple[str, str, str, str]]:
    """(figid, organism id, gene id, source) of every gene row of the sample: TSVs, or inline (human)."""
    for _path, data in _front_matters(sample):
        figid = data["figid"]
        genes_tsv = sample / "_data" / f"{figid}-genes.tsv"
        if genes_tsv.exists():
            lines = genes_tsv.read_text(encoding="utf-8").replace("\r\n", "\n").split("\n")
            header = lines[0].split("\t")
            for line in lines[1:]:
                cells = line.split("\t")
                if len(cells) == len(header):
                    row = dict(zip(header, (c.strip() for c in cells), strict=True))
                    yield figid, row["organism_id"], row["ncbigene_id"], row["source"]
        for gene in data.get("genes") or []:
            yield figid, "9606", str(gene.get("entrez", "")).strip(), str(gene.get("source", "")).strip()


@pytest.mark.parametrize("level", ["strict", "synonyms", "all"])
def test_gene_sets_at_each_level_are_the_rows_of_that_level(
    sample_dir: Path, sample_export: Path, level: str
) -> None:
    """figure-gene-sets gives, for every figure and organism, the gene ids of the rows of that level."""
    from pfocr_rdf.querying import run_query

    wanted: dict[tuple[str, str], set[str]] = {}
    for figid, organism, gene, source in _gene_rows(sample_dir):
        if organism in SENTINELS or gene in SENTINELS or not gene.isdigit():
            continue
        if LEVEL_SOURCES[level] is None or source in LEVEL_SOURCES[level]:
            wanted.setdefault((figid, f"http://purl.obolibrary.org/obo/NCBITaxon_{organism}"), set()).add(gene)
    result = run_query("figure-gene-sets", params={"level": level}, data=[sample_export])
    got = {(row[2].value, row[1].value): set(row[6].value.split()) for row in result.rows}
    assert got == wanted
    # no set mixes species, and strict is the smallest
    assert len(got) == len(result.rows)
    if level == "strict":
        assert sum(map(len, got.values())) < sum(map(len, wanted.values())) + 1


def test_strict_drops_synonym_and_family_matches(sample_export: Path) -> None:
    """The word "GPCR" (a FamPlex family) and synonyms add genes to "all", never to "strict"."""
    store = pyoxigraph.Store()
    store.load(path=str(sample_export), format=pyoxigraph.RdfFormat.TURTLE)
    counts = {}
    for level, predicate in (("strict", "mentionsGeneStrict"), ("synonyms", "mentionsGeneSynonyms"),
                             ("all", "mentionsGene")):
        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?f <{PFOCR._NS}{predicate}> ?g }}"
        counts[level] = int(next(iter(store.query(query)))["n"].value)
    assert counts["strict"] < counts["synonyms"] < counts["all"]
    # every strict gene is a synonyms gene, every synonyms gene an "all" gene (the sub-property chain)
    for narrow, broad in (("mentionsGeneStrict", "mentionsGeneSynonyms"), ("mentionsGeneSynonyms", "mentionsGene")):
        query = (f"ASK {{ ?f <{PFOCR._NS}{narrow}> ?g FILTER NOT EXISTS {{ ?f <{PFOCR._NS}{broad}> ?g }} }}")
        assert not store.query(query)


# --- organisms ---------------------------------------------------------------------------------------------


def test_organism_names_that_are_ncbi_names_get_their_taxon(sample_dir: Path, graph: rdflib.Graph) -> None:
    """Names that the old 132-row table missed resolve now; names that are no taxon stay literals."""
    not_taxa = {"NA", "prion", "teleost fish", "Xenopus Oocyte", "Escherichia coli BL21DE3", "Paracoccaceae bacterium"}
    for path, data in _front_matters(sample_dir):
        figure = URIRef(data["schema-jsonld"]["@id"])
        names = data.get("organisms") or []
        names = [names] if isinstance(names, str) else names
        taxa = set(graph.objects(figure, PFOCR.organism))
        for name in names:
            if name in SENTINELS:
                continue
            assert (figure, PFOCR.organismName, Literal(name)) in graph, (path, name)
            if name not in not_taxa:
                assert any((taxon, SCHEMA.name, None) in graph for taxon in taxa), (path, name)
    # the names the hand-made table (organisms.tsv, 132 rows) does not list resolve all the same
    listed = {line.split("\t")[0] for line in
              (Path(__file__).parents[1] / "pfocr_rdf" / "data" / "organisms.tsv").read_text().splitlines()}
    unlisted = set()
    for _, data in _front_matters(sample_dir):
        for key in ("organisms", "organisms_ner"):
            names = data.get(key) or []
            unlisted |= {n for n in ([names] if isinstance(names, str) else names)
                         if n not in SENTINELS and n not in listed and n not in not_taxa}
    assert unlisted, "the sample has names beyond the hand-made table"
    for name in unlisted:
        figures = set(graph.subjects(PFOCR.organismName, Literal(name))) | set(
            graph.subjects(PFOCR.nerOrganismName, Literal(name)))
        assert figures, name
        for figure in figures:
            taxa = set(graph.objects(figure, PFOCR.organism)) | set(graph.objects(figure, PFOCR.nerOrganism))
            assert any((taxon, SCHEMA.name, Literal(name)) in graph for taxon in taxa), name


def test_export_counts_and_reports_unresolved_organism_names(sample_dir: Path, tmp_path: Path) -> None:
    warnings: list[str] = []
    summary = export([sample_dir], output=tmp_path / "out.ttl", warn=warnings.append)
    assert summary.organism_names > summary.organisms_resolved > 0.9 * summary.organism_names
    assert f"{summary.organisms_resolved} of {summary.organism_names} organism names resolved" in summary.line()
    reported = [w for w in warnings if w.startswith("organism name ")]
    assert len(reported) == len({name for name, _ in summary.unresolved}), "each name once"
    assert "organism name 'teleost fish' (1x): not an NCBI Taxonomy name; kept as a name only" in reported
    assert sum(summary.unresolved.values()) == summary.organism_names - summary.organisms_resolved
