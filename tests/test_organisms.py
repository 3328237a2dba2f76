"""Organism names to NCBI taxa: the shipped NCBI name table, the hand-checked table, a tree's own pages."""

from __future__ import annotations

import itertools
import lzma
import random
from pathlib import Path

import pytest
import rdflib
from rdflib import Literal, URIRef

from pfocr_rdf import export
from pfocr_rdf.namespaces import PFOCR
from pfocr_rdf.organisms import Organisms, _ncbi_lookup, _ncbi_table

TABLE = Path(__file__).parents[1] / "pfocr_rdf" / "data" / "ncbi-taxa.tsv.xz"
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize(("name", "taxon"), [
    ("Homo sapiens", "NCBITaxon:9606"),
    ("Panax ginseng", "NCBITaxon:4054"),  # species the hand-made table missed
    ("Coronaviridae", "NCBITaxon:11118"),  # a family
    ("Salvia rosmarinus", "NCBITaxon:39367"),
    ("Escherichia coli str. K-12 substr. MG1655", "NCBITaxon:511145"),  # a strain
    ("Severe acute respiratory syndrome coronavirus 2", "NCBITaxon:2697049"),  # a virus
    ("adeno-associated virus 2", "NCBITaxon:10804"),  # as PFOCR writes it, NCBI capitalises it
    ("Staphylococcus aureus MW2", "NCBITaxon:196620"),  # PFOCR's short form, from the hand-checked table
])
def test_ncbi_names_resolve(name: str, taxon: str) -> None:
    resolution = Organisms().resolve(name)
    assert (resolution.status, resolution.taxon) == ("resolved", taxon)


@pytest.mark.parametrize("name", [
    "herbal medicine", "teleost fish", "Xenopus Oocyte", "avian", "unknown", "NA", "",
    "Homo\tsapiens", "X\nHomo sapiens", "Homo sapiens\n", "\ud800", "Homo sapiens " * 9000,
])
def test_what_is_no_taxon_stays_a_name(name: str) -> None:
    assert Organisms().resolve(name).status == "unknown"


def test_ambiguous_names_are_never_guessed() -> None:
    resolution = Organisms().resolve("Bacteria")  # the domain, and a genus of stick insects
    assert resolution.status == "ambiguous" and resolution.taxon is None
    assert set(resolution.taxa) == {"NCBITaxon:2", "NCBITaxon:629395"}


def test_tree_pages_and_the_records_own_pairs_come_first() -> None:
    organisms = Organisms({"Homo sapiens": "NCBITaxon:63221"})
    assert organisms.taxon("Homo sapiens") == "NCBITaxon:63221"
    assert Organisms().taxon("Homo sapiens", {"Homo sapiens": "NCBITaxon:1"}) == "NCBITaxon:1"


def test_table_is_sorted_unique_and_every_line_is_found() -> None:
    """Bisection is only right on a sorted table; check the order and look up a sample of its lines."""
    data = _ncbi_table()
    assert TABLE.stat().st_size < 25_000_000, "keeps the wheel small"
    lines = data.split(b"\n")
    assert lines[-1] == b""
    keys = [line.split(b"\t")[0] + b"\t" for line in lines[:-1]]
    assert all(a < b for a, b in itertools.pairwise(keys)), "sorted, each name once"
    for line in [lines[0], lines[-2], *random.Random(7).sample(lines[:-1], 2000)]:
        name, _, ids = line.decode("utf-8").partition("\t")
        assert _ncbi_lookup(name) == tuple(int(i) for i in ids.split(",")), name
    assert lzma.decompress(TABLE.read_bytes()) == data


def test_export_takes_the_trees_own_organism_pages(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    (tree / "_figures").mkdir(parents=True)
    record = (FIXTURES / "mapping" / "older-era" / "_figures" / "PMC9100100__mb0000001.md").read_text()
    (tree / "_figures" / "PMC9100100__mb0000001.md").write_text(record)
    (tree / "_organisms").mkdir()
    (tree / "_organisms" / "human.md").write_text("---\nlatin: Homo sapiens\nncbi: 63221\n---\n")
    (tree / "_organisms" / "broken.md").write_text("---\nlatin: Nothing\n---\n")
    warnings: list[str] = []
    out = tmp_path / "out.ttl"
    export([tree], output=out, warn=warnings.append)
    graph = rdflib.Graph().parse(out)
    figure = next(graph.subjects(PFOCR.organismName, Literal("Homo sapiens")))
    assert (figure, PFOCR.organism, URIRef("http://purl.obolibrary.org/obo/NCBITaxon_63221")) in graph
    assert any("broken.md: organism page skipped" in w for w in warnings)


def test_table_loads_whole() -> None:
    """The table decoded in chunks is the same bytes as ``lzma.decompress`` gives."""
    assert bytes(_ncbi_table()) == lzma.decompress(TABLE.read_bytes())
