"""The export's precomputed nodes (docs/MODEL.md): each figure's gene sets and the ambiguous OCR words.

Both are what a query over the mentions would compute, written once at export so that the shipped queries read
them instead of grouping every gene mention. Each test computes them the slow way, from the figures' links and
the mention annotations the same export wrote, and checks that the nodes say exactly that: on the real sample,
on generated trees and on records written here to reach the corners (a word shared by two organisms, a gene
found at several levels, genes without an organism, a rejected record).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat, Store

from pfocr_rdf.export import export
from pfocr_rdf.namespaces import SITE
from pfocr_rdf.querying import run_query

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import synth

PREFIXES = """
PREFIX schema: <http://schema.org/>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX pfocr: <https://pfocr.wikipathways.org/vocab#>
"""
LEVELS = {"strict": "pfocr:mentionsGeneStrict", "synonyms": "pfocr:mentionsGeneSynonyms", "all": "pfocr:mentionsGene"}
# The lexicons of each level, as the vocabulary defines them; a mention without a lexicon counts as "all",
# as it does for pfocr:mentionsGene.
LEVEL_LEXICONS = {
    "strict": {"ncbigene_symbol", "hgnc_symbol"},
    "synonyms": {"ncbigene_symbol", "hgnc_symbol", "ncbigene_synonym", "hgnc_alias_symbol", "hgnc_prev_symbol"},
    "all": None,
}


def _store(path: Path) -> Store:
    store = Store()
    store.load(path=str(path), format=RdfFormat.TURTLE)
    return store


def _sets_by_links(store: Store) -> set[tuple[str, str, str, str]]:
    """(level, figure, organism, ids) from the figures' mentionsGene* links and the genes' descriptions."""
    out = set()
    for level, predicate in LEVELS.items():
        sets: dict[tuple[str, str], set[int]] = {}
        for row in store.query(PREFIXES + f"""
                SELECT ?figure ?organism ?curie WHERE {{
                  ?figure {predicate} ?gene . ?gene schema:taxonomicRange ?organism ; dcterms:identifier ?curie }}"""):
            sets.setdefault((row["figure"].value, row["organism"].value), set()).add(
                int(row["curie"].value.removeprefix("NCBIGene:")))
        out |= {(level, figure, organism, " ".join(map(str, sorted(ids)))) for (figure, organism), ids in sets.items()}
    return out


def _sets_written(store: Store) -> set[tuple[str, str, str, str]]:
    rows = list(store.query(PREFIXES + """
        SELECT ?level ?figure ?organism ?size ?ids WHERE {
          ?set a pfocr:GeneSet ; pfocr:geneSetLevel ?level ; pfocr:figure ?figure ; pfocr:organism ?organism ;
               pfocr:geneCount ?size ; pfocr:geneIds ?ids }"""))
    for row in rows:
        assert int(row["size"].value) == len(row["ids"].value.split())
    return {(r["level"].value, r["figure"].value, r["organism"].value, r["ids"].value) for r in rows}


def _words_by_mentions(store: Store) -> set[tuple[str, str, str, int, frozenset[str]]]:
    """(level, word, organism, figures, genes) of every word matching 2+ genes of one organism, from the mentions."""
    mentions = [(r["word"].value, r["organism"].value, r["gene"].value, r["figure"].value,
                 None if r["lexicon"] is None else r["lexicon"].value.rsplit("#", 1)[1])
                for r in store.query(PREFIXES + """
                    SELECT ?word ?organism ?gene ?figure ?lexicon WHERE {
                      ?m a pfocr:GeneMention ; pfocr:ocrText ?word ; oa:hasBody ?gene ; oa:hasTarget ?figure .
                      ?gene schema:taxonomicRange ?organism .
                      OPTIONAL { ?m pfocr:lexicon ?lexicon } }""")]
    out = set()
    for level, lexicons in LEVEL_LEXICONS.items():
        words: dict[tuple[str, str], tuple[set[str], set[str]]] = {}
        for word, organism, gene, figure, lexicon in mentions:
            if lexicons is None or lexicon in lexicons:
                genes, figures = words.setdefault((word, organism), (set(), set()))
                genes.add(gene)
                figures.add(figure)
        out |= {(level, word, organism, len(figures), frozenset(genes))
                for (word, organism), (genes, figures) in words.items() if len(genes) >= 2}
    return out


def _words_written(store: Store) -> set[tuple[str, str, str, int, frozenset[str]]]:
    nodes: dict[str, tuple[str, str, str, int, int]] = {}
    genes: dict[str, set[str]] = {}
    for r in store.query(PREFIXES + """
            SELECT ?node ?level ?word ?organism ?count ?figures ?gene WHERE {
              ?node a pfocr:AmbiguousWord ; pfocr:geneSetLevel ?level ; pfocr:ocrText ?word ;
                    pfocr:organism ?organism ; pfocr:geneCount ?count ; pfocr:figureCount ?figures ;
                    pfocr:matchesGene ?gene }"""):
        nodes[r["node"].value] = (r["level"].value, r["word"].value, r["organism"].value, int(r["figures"].value),
                                  int(r["count"].value))
        genes.setdefault(r["node"].value, set()).add(r["gene"].value)
    out = set()
    for node, (level, word, organism, figures, count) in nodes.items():
        assert count == len(genes[node]), node
        out.add((level, word, organism, figures, frozenset(genes[node])))
    return out


def _check(export_file: Path) -> tuple[int, int]:
    store = _store(export_file)
    sets, words = _sets_written(store), _words_written(store)
    assert sets == _sets_by_links(store)
    assert words == _words_by_mentions(store)
    return len(sets), len(words)


def test_sample_gene_sets_and_ambiguous_words(sample_export: Path) -> None:
    sets, words = _check(sample_export)
    assert sets > 100 and words > 10  # the sample has both: the comparison compared something


@pytest.fixture(scope="module", params=[1, 2])
def generated_export(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    tree = tmp_path_factory.mktemp(f"synth{request.param}") / "tree"
    synth.generate(tree, figures=300, seed=request.param)
    out = tree.parent / "out.ttl"
    assert export([tree], output=out, jobs=2).rejected == 0
    return out


def test_generated_gene_sets_and_ambiguous_words(generated_export: Path) -> None:
    sets, words = _check(generated_export)
    assert sets > 300 and words > 10


def _record(root: Path, figid: str, genes: list[tuple[str, str, str, str, str]]) -> None:
    """Write a current-era record whose gene table has rows (word, gene id, symbol, lexicon, taxon id)."""
    pmcid = figid.split("__")[0].removeprefix("PMC")
    figures = root / "_figures"
    figures.mkdir(parents=True, exist_ok=True)
    (figures / f"{figid}.md").write_text(
        f"---\nfigid: {figid}\npmcid: PMC{pmcid}\nfilename: f.jpg\nnumber: Figure 1\n"
        f"figtitle: A figure\npapertitle: A paper\nreftext: A. Author. J. 2020\nyear: '2020'\n---\n",
        encoding="utf-8")
    data = root / "_data"
    data.mkdir(parents=True, exist_ok=True)
    names = {"9606": "Homo sapiens", "10090": "Mus musculus"}
    lines = ["organism_id\torganism_name\torganism_group\tword\tmatch\tncbigene_symbol\tncbigene_id\tsource\t"
             "count_direct\tcount_synonym\tcount_match"]
    lines += [f"{taxid}\t{names[taxid]}\tMammals\t{word}\t{word}\t{symbol}\t{gene}\t{lexicon}\t1\t1\t1"
              for word, gene, symbol, lexicon, taxid in genes]
    (data / f"{figid}-genes.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def corner_tree(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("corners")
    # "ERK" matches two human genes by synonym and, in another figure, one by symbol; one mouse gene only
    _record(root, "PMC1__F1", [("ERK", "5594", "MAPK1", "ncbigene_synonym", "9606"),
                               ("ERK", "5595", "MAPK3", "ncbigene_synonym", "9606"),
                               ("ERK", "26413", "Mapk1", "ncbigene_synonym", "10090"),
                               ("AKT", "207", "AKT1", "famplex_relations", "9606")])
    _record(root, "PMC2__F1", [("ERK", "5594", "MAPK1", "ncbigene_symbol", "9606"),
                               ("AKT", "208", "AKT2", "ncbigene_symbol", "9606"),
                               ("AKT", "207", "AKT1", "ncbigene_synonym", "9606")])
    yield root


def test_levels_organisms_and_figures_are_counted_apart(corner_tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "corners.ttl"
    summary = export([corner_tree], output=out)
    assert summary.exported == 2 and summary.rejected == 0, summary.faults
    _check(out)
    store = _store(out)
    words = {(w[0], w[1], w[2].rsplit("_", 1)[1]): (w[3], sorted(g.rsplit("/", 1)[1] for g in w[4]))
             for w in _words_written(store)}
    assert words == {
        # ERK: both human genes by synonym in PMC1 (one also by symbol in PMC2): synonyms and all, 2 figures;
        # strict has one gene only, and the mouse gene is another organism's
        ("synonyms", "ERK", "9606"): (2, ["5594", "5595"]),
        ("all", "ERK", "9606"): (2, ["5594", "5595"]),
        # AKT: AKT1 by family in PMC1 and by synonym in PMC2, AKT2 by symbol in PMC2
        ("synonyms", "AKT", "9606"): (1, ["207", "208"]),
        ("all", "AKT", "9606"): (2, ["207", "208"]),
    }
    rows = run_query("ambiguous-words", params={"level": "all"}, data=[out]).rows
    assert [(r[2].value, int(r[4].value), int(r[5].value), r[6].value) for r in rows] == [
        ("AKT", 2, 2, "AKT1 AKT2"), ("ERK", 2, 2, "MAPK1 MAPK3")]


def test_a_part_writes_no_ambiguous_words(corner_tree: Path, tmp_path: Path) -> None:
    """Counted over a part, a word's genes would be wrong: --partition leaves the nodes out and says so."""
    warnings: list[str] = []
    out = tmp_path / "part.ttl"
    export([corner_tree], output=out, partition=(1, 1), warn=warnings.append)
    store = _store(out)
    assert not list(store.query(PREFIXES + "SELECT ?w WHERE { ?w a pfocr:AmbiguousWord }"))
    assert list(store.query(PREFIXES + "SELECT ?s WHERE { ?s a pfocr:GeneSet }"))  # per figure: still there
    assert any("--partition" in w and "AmbiguousWord" in w for w in warnings)


def test_a_rejected_record_adds_nothing(corner_tree: Path, tmp_path: Path) -> None:
    """A record that is rejected (here: a second file claiming PMC2__F1) counts in no word."""
    tree = tmp_path / "tree"
    for path in corner_tree.rglob("*"):
        target = tree / path.relative_to(corner_tree)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    # the same figure again under another file name, with genes that would make "TP53" ambiguous
    _record(tree, "PMC3__F1", [("TP53", "7157", "TP53", "ncbigene_symbol", "9606"),
                               ("TP53", "22059", "TP53X", "ncbigene_symbol", "9606")])
    text = (tree / "_figures" / "PMC3__F1.md").read_text(encoding="utf-8")
    (tree / "_figures" / "PMC3__F1.md").write_text(text.replace("figid: PMC3__F1", "figid: PMC2__F1"),
                                                   encoding="utf-8")
    out = tmp_path / "out.ttl"
    summary = export([tree], output=out)
    assert summary.rejected == 1, summary.faults
    assert "TP53" not in {w[1] for w in _words_written(_store(out))}


@pytest.mark.parametrize("budget", [1, 7, 500])
def test_spilled_runs_merge_to_the_same_words(budget: int, tmp_path: Path) -> None:
    """Past its budget the index sorts its entries into temporary files; merged, they give the same nodes."""
    from pfocr_rdf.export import records_of
    from pfocr_rdf.mapping import WordIndex, word_matches

    tree = tmp_path / "tree"
    synth.generate(tree, figures=200, seed=5)
    matches = [word_matches(record.genes) for record in records_of([tree])]
    whole, spilled = WordIndex(), WordIndex(budget=budget)
    for record in matches:
        whole.add(record)
        spilled.add(record)
    assert spilled._runs, "the budget was not reached: nothing was spilled"
    expected = [block.triples for block in whole.blocks(SITE)]
    assert expected and [block.triples for block in spilled.blocks(SITE)] == expected
    assert not spilled._runs  # the temporary files are closed once read
