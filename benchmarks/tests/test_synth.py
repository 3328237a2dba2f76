"""The synthetic PFOCR trees: valid YAML that reads back unchanged, the sample's layout, the corpus's
statistics, byte-identical for a seed."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import synth
import treestats
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

CURRENT_KEYS = {
    "figid", "figtitle", "organisms", "organisms_ner", "pmcid", "filename", "figlink", "number", "caption",
    "papertitle", "reftext", "year", "doi", "journal_title", "journal_nlm_ta", "publisher_name", "keywords",
    "automl_pathway", "figid_alias", "figtype", "redirect_from", "ndex", "seo", "schema-jsonld",
}
OLD_KEYS = {
    "figid", "figlink", "number", "caption", "pmcid", "papertitle", "reftext", "pmc_ranked_result_index",
    "pathway_score", "filename", "figtitle", "year", "organisms", "ndex", "annotations", "seo",
    "schema-jsonld", "genes", "chemicals", "diseases", "figid_alias", "redirect_from", "figtype",
}
GENE_COLUMNS_11 = ("organism_id organism_name organism_group word match ncbigene_symbol ncbigene_id source "
                   "count_direct count_synonym count_match").split()
SAMPLE = Path(__file__).resolve().parents[3] / "shared" / "pfocr-sample"


def _load(text: str) -> object:
    return yaml.load(text, Loader=yaml.CSafeLoader)


TRICKY = [
    "", " ", "a", "NA", ".na.character", "yes", "No", "ON", "off", "true", "null", "~", "=", "<<", "1", "0.5",
    ".5", "1e5", "1_000", "12:30", "2023-01-02", "0x1F", "-1", "+1", ".inf", ".NaN", "- a", "-a", "? a",
    ": a", "a:", "a: b", "a #b", "a#b", "#a", "'quoted'", '"dq"', "it's", "a  b", " lead", "trail ",
    "[Ca2+]i", "{x}", "*alias", "&anchor", "!tag", "%pct", "@at", "`tick", "|pipe", ">gt", "a | b | c",
    "α-ketoglutarate NF-κB", "tab\there", "line\nbreak", "two\n\nblank", "end\n", "\nstart", "x\n y",
    "ctrl\x01char", "nel\x85", "ls\u2028sep", "bom\ufeff", 'back\\slash"', "Me  Me  Me ",
    "word " * 40, "w" * 200, "a " + "b" * 100 + " c", "'" + "x " * 60 + "'",
]


@pytest.mark.parametrize("value", TRICKY)
@pytest.mark.parametrize("where", ["top", "nested", "item"])
def test_scalar_reads_back_unchanged(value: str, where: str) -> None:
    if where == "top":
        text, expect = synth._kv("key", value), {"key": value}
    elif where == "nested":
        text, expect = "outer:\n" + synth._kv("description", value, 2), {"outer": {"description": value}}
    else:
        text, expect = synth._seq("k", [value, value], 2, 2), {"k": [value, value]}
        text = "m:\n" + text
        expect = {"m": expect}
    assert _load(text) == expect, text


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(" \t\n'\":#-?|>!&*%@`,[]{}aZ09.αμ–\u00a0\\")), max_size=120),
       st.integers(min_value=0, max_value=70))
def test_scalar_roundtrip_fuzzed(value: str, column: int) -> None:
    assert _load("k: " + synth._scalar(value, column + 3, 2)) == {"k": value}


def test_folded_lines_stay_near_80_columns() -> None:
    text = synth._kv("caption", " ".join(["pathway"] * 60))
    assert len(text.splitlines()) > 3
    assert all(len(line) <= 90 for line in text.splitlines())


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "tree"
    synth.generate(out, figures=1500, seed=7, jobs=1)
    return out


def _tsv(path: Path) -> tuple[list[str], list[list[str]]]:
    lines = path.read_bytes().decode("utf-8").replace("\r\n", "\n").rstrip("\n").split("\n")
    return lines[0].split("\t"), [line.split("\t") for line in lines[1:]]


def test_every_record_parses_with_the_sample_keys_and_string_values(tree: Path) -> None:
    eras = {"old": 0, "current": 0}
    for path in sorted((tree / "_figures").glob("*.md")):
        fm = treestats.front_matter(path.read_text(encoding="utf-8"))
        figid = path.stem
        assert fm["figid"] == figid
        old = "genes" in fm
        eras["old" if old else "current"] += 1
        keys = set(fm) - {"wpid"}
        assert keys == (OLD_KEYS if old else CURRENT_KEYS), figid
        jsonld = fm["schema-jsonld"]
        assert jsonld["@id"] == f"https://pfocr.wikipathways.org/figures/{figid}.html"
        assert jsonld["description"] == fm["caption"]
        assert jsonld["name"] == "CreativeWork"
        # Quoting: everything the site writes as a string must read back as a string.
        for key in ("figtitle", "caption", "papertitle", "reftext", "year", "pmcid", "number", "ndex",
                    "figtype"):
            assert isinstance(fm[key], str), (figid, key, fm[key])
        assert all(isinstance(k, str) for k in jsonld["keywords"])
        assert isinstance(fm["automl_pathway" if not old else "pathway_score"], float)
        assert fm["redirect_from"] == f"/figures/{fm['figid_alias']}"
        if old:
            assert isinstance(fm["pmc_ranked_result_index"], str)
            for g in fm["genes"]:
                assert set(g) == {"word", "symbol", "source", "hgnc_symbol", "entrez"}
                assert isinstance(g["entrez"], str) and g["entrez"].isdigit()
                assert all(isinstance(v, str) for v in g.values())
            for c in fm["chemicals"] + fm["diseases"]:
                assert set(c) == {"word", "source", "identifier"}
            continue
        assert isinstance(fm["organisms"], list) and isinstance(fm["organisms_ner"], list)
        genes = tree / "_data" / f"{figid}-genes.tsv"
        if genes.exists():
            header, rows = _tsv(genes)
            assert header in (GENE_COLUMNS_11, [c for c in GENE_COLUMNS_11 if c != "count_synonym"])
            assert rows and all(len(r) == len(header) for r in rows)
            names = list(dict.fromkeys(r[1] for r in rows))
            # organisms_ner lists the organisms found in the text; those whose lexicon matched nothing
            # have no rows (as on the site), so the table's organisms are a subset, in the same order.
            assert [n for n in fm["organisms_ner"] if n in names] == names
            assert 1 <= len(names) <= 5
        else:
            assert fm["organisms_ner"] == ["NA"]
        kw = fm["keywords"]
        assert isinstance(kw, str)
    assert eras["old"] > 0 and eras["current"] > 0


def test_tables_read_with_csv_by_header(tree: Path) -> None:
    """R-style tables: tab-separated, never quoted, one header; chemicals in both layouts."""
    layouts = set()
    for path in (tree / "_data").glob("*-chemicals.tsv"):
        header, rows = _tsv(path)
        layouts.add(tuple(header))
        assert rows and all(len(r) == len(header) for r in rows)
        ids = [r[header.index("mesh" if "mesh" in header else "identifier")] for r in rows]
        assert all(i.startswith(("mesh:D", "mesh:C", "D", "C")) for i in ids)
    assert ("word", "mesh", "match", "name", "chebi") in layouts
    for path in (tree / "_data").glob("*-diseases.tsv"):
        with open(path, encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
        assert rows and all(r["mesh"].startswith("mesh:D") for r in rows)
        assert all(r["doid"] == "NA" or r["doid"].startswith("doid:") for r in rows)


def test_statistics_match_the_corpus(tree: Path) -> None:
    stats = treestats.tree_stats(tree)
    assert stats["figures"] == 1500
    assert 36 <= stats["gene_rows_per_figure"]["mean"] <= 50
    assert 0.05 <= stats["gene_rows_per_figure"]["zero_share"] <= 0.2
    assert stats["gene_rows_per_figure"]["max"] >= 300
    assert 2.5 <= stats["chemical_rows_per_figure"]["mean"] <= 3.8
    assert 0.28 <= stats["disease_rows_per_figure"]["mean"] <= 0.55
    assert 1.8 <= stats["figures_per_paper"] <= 2.2
    assert 0.06 <= stats["eras"]["old-inline"] / 1500 <= 0.14
    assert set(stats["organisms_per_figure_with_genes"]) <= {1, 2, 3, 4, 5}
    assert 450 <= stats["caption_chars"]["mean"] <= 1000
    assert 0.4 <= stats["shares"]["non_ascii_caption"] <= 0.8
    assert stats["duplicate_tsv_rows_share"] > 0.005


def test_same_seed_same_bytes_whatever_the_jobs(tmp_path: Path) -> None:
    def files(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    synth.generate(tmp_path / "a", figures=300, seed=3, jobs=1)
    synth.generate(tmp_path / "b", figures=300, seed=3, jobs=2)
    synth.generate(tmp_path / "c", figures=300, seed=4, jobs=1)
    a, b, c = files(tmp_path / "a"), files(tmp_path / "b"), files(tmp_path / "c")
    assert a == b
    assert a != c
    assert sum(1 for k in a if k.startswith("_figures/")) == 300


def test_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("keep me")
    with pytest.raises(FileExistsError):
        synth.generate(tmp_path, figures=1)


def test_the_project_reads_the_tree_without_warnings(tree: Path) -> None:
    """Integration: pfocr_rdf's reader accepts every synthetic record (skipped before it exists)."""
    reading = pytest.importorskip("pfocr_rdf.reading")
    records = pytest.importorskip("pfocr_rdf.records")
    warnings: list[str] = []
    items = list(reading.iter_records(reading.discover([tree]), warn=warnings.append))
    good = [i for i in items if isinstance(i, records.FigureRecord)]
    assert len(good) == 1500, [i for i in items if not isinstance(i, records.FigureRecord)][:3]
    assert warnings == []


@pytest.mark.skipif(not SAMPLE.exists(), reason="the shared PFOCR sample is not present")
def test_treestats_reads_the_real_sample() -> None:
    stats = treestats.tree_stats(SAMPLE)
    assert stats["figures"] == 45
    assert stats["eras"]["old-inline"] == 10
