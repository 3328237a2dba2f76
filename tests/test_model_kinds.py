"""What a thing is: no class on MeSH/ChEBI/DOID IRIs, so shared MeSH terms validate; preprints are preprints.

The generated corpus here puts the same MeSH descriptors in chemicals and diseases tables, in one figure and
across figures, in both orders (model 0.1 typed a descriptor by whichever table saw it first, and its own
shapes then found sh:class violations).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import rdflib
from rdflib import URIRef

from pfocr_rdf import export
from pfocr_rdf.mapping import is_preprint
from pfocr_rdf.namespaces import FABIO, RDF, SCHEMA
from pfocr_rdf.records import Paper
from pfocr_rdf.validating import validate_files

SHARED = ["D007029", "D002357", "D005227", "D009369", "D000544", "D005947"]  # Hypothalamus, Cartilage...


def _record(n: int, *, doi: str, journal: str) -> str:
    figid = f"PMC95000{n:02d}__F1"
    return f"""---
figid: {figid}
figtitle: Generated figure {n}
pmcid: PMC95000{n:02d}
filename: F1.jpg
figlink: /pmc/articles/PMC95000{n:02d}/figure/F1/
caption: A generated caption.
papertitle: A generated paper {n}.
year: '2024'
doi: {doi}
journal_title: {journal}
journal_nlm_ta: {journal}
schema-jsonld:
  '@id': https://pfocr.wikipathways.org/figures/{figid}.html
---
"""


def _tree(root: Path, figures: int, seed: int) -> Path:
    rng = random.Random(seed)
    (root / "_figures").mkdir(parents=True)
    (root / "_data").mkdir()
    for n in range(figures):
        preprint = n % 5 == 0
        doi = f"10.1101/2024.01.{n:02d}.000{n}" if preprint else f"10.1234/gen.{n}"
        journal = "bioRxiv" if preprint else "J Gen"
        figid = f"PMC95000{n:02d}__F1"
        (root / "_figures" / f"{figid}.md").write_text(_record(n, doi=doi, journal=journal))
        chemicals = rng.sample(SHARED, 3)
        diseases = rng.sample(SHARED, 3)  # often the same descriptors as the chemicals
        (root / "_data" / f"{figid}-chemicals.tsv").write_text(
            "word\tmesh\tmatch\tname\tchebi\n" + "".join(f"w{m}\tmesh:{m}\tM{m}\tNA\tNA\n" for m in chemicals))
        (root / "_data" / f"{figid}-diseases.tsv").write_text(
            "word\tmesh\tmatch\tname\tdoid\n" + "".join(f"w{m}\tmesh:{m}\tM{m}\tNA\tNA\n" for m in diseases))
    return root


@pytest.mark.parametrize("seed", [1, 2])
def test_mesh_shared_by_chemicals_and_diseases_validates(tmp_path: Path, seed: int) -> None:
    tree = _tree(tmp_path / "tree", 40, seed)
    out = tmp_path / "out.nt"
    summary = export([tree], output=out)
    assert summary.exported == 40
    report = validate_files([out])
    assert report.violations == 0, [g.shape for g in report.groups]
    graph = rdflib.Graph().parse(out)
    for mesh in SHARED:
        iri = URIRef(f"http://id.nlm.nih.gov/mesh/{mesh}")
        assert set(graph.objects(iri, RDF.type)) == set(), "no class asserted on another authority's IRI"
    # the kind of a find lives on the figure's predicate and the annotation's class
    hypothalamus = URIRef("http://id.nlm.nih.gov/mesh/D007029")
    assert (None, URIRef("https://pfocr.wikipathways.org/vocab#mentionsDisease"), hypothalamus) in graph
    assert (hypothalamus, RDF.type, SCHEMA.MedicalCondition) not in graph


def test_preprints_are_preprints(tmp_path: Path) -> None:
    tree = _tree(tmp_path / "tree", 10, 3)
    out = tmp_path / "out.ttl"
    export([tree], output=out)
    graph = rdflib.Graph().parse(out)
    for n in range(10):
        article = URIRef(f"http://identifiers.org/pmc/PMC95000{n:02d}")
        kinds = set(graph.objects(article, RDF.type)) - {SCHEMA.ScholarlyArticle}
        assert kinds == ({FABIO.Preprint} if n % 5 == 0 else {FABIO.JournalArticle}), n


@pytest.mark.parametrize(("paper", "preprint"), [
    (Paper("PMC1", doi="10.1101/2020.03.22.002386"), True),  # bioRxiv and medRxiv DOIs
    (Paper("PMC1", doi="10.21203/rs.3.rs-123/v1"), True),  # Research Square
    (Paper("PMC1", journal_title="medRxiv"), True),
    (Paper("PMC1", journal_nlm_ta="Res Sq"), True),
    (Paper("PMC1", journal_title="arXiv", journal_nlm_ta="ArXiv"), True),
    (Paper("PMC1", journal_nlm_ta="bioRxiv"), True),
    (Paper("PMC1", doi="10.1016/j.cell.2020.01.001", journal_title="Cell"), False),
    (Paper("PMC1", journal_title="Frontiers in Immunology"), False),
    (Paper("PMC1"), False),
])
def test_is_preprint(paper: Paper, preprint: bool) -> None:
    assert is_preprint(paper) is preprint
