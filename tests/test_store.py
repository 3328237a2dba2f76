"""pfocr_rdf.store: loading exported files into the on-disk Oxigraph store, and reopening it."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from pyoxigraph import NamedNode, Quad, RdfFormat, Store, parse, serialize

from pfocr_rdf.errors import InputError, UsageError
from pfocr_rdf.querying import run_query
from pfocr_rdf.store import DEFAULT_STORE_DIR, LoadSummary, load, open_store, rdf_format

CORPUS = Path(__file__).resolve().parent / "queries" / "corpus.ttl"
CORPUS_TRIPLES = len(list(parse(path=CORPUS, format=RdfFormat.TURTLE)))


def test_default_store_folder() -> None:
    assert DEFAULT_STORE_DIR == Path("pfocr-store")


def test_load_reopen_count_and_query(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    summary = load([CORPUS], folder)
    assert summary == LoadSummary(files=1, added=CORPUS_TRIPLES, total=CORPUS_TRIPLES)
    assert str(summary) == (
        f"loaded {CORPUS_TRIPLES} new triples from 1 file(s); the store holds {CORPUS_TRIPLES}"
    )

    reopened = open_store(folder, read_only=True)
    assert len(reopened) == CORPUS_TRIPLES
    del reopened

    result = run_query("figures-per-year", store=folder)
    assert [(year.value, figures.value) for year, figures, _ in result.rows if year and figures] == [
        ("2019", "3"),
        ("2021", "1"),
    ]


def test_loading_again_adds_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    load([CORPUS], folder)
    assert load([CORPUS], folder) == LoadSummary(files=1, added=0, total=CORPUS_TRIPLES)


@pytest.mark.parametrize("suffix", [".nt", ".nt.gz", ".nq", ".nq.gz", ".ttl.gz", ".jsonld", ".trig"])
def test_every_format_loads_the_same_triples(suffix: str, tmp_path: Path) -> None:
    fmt, gzipped = rdf_format(f"x{suffix}")
    quads = [
        # N-Quads and TriG put the export in a named graph, as the exporter's N-Quads does.
        Quad(q.subject, q.predicate, q.object, NamedNode("https://pfocr.wikipathways.org/dataset"))
        if fmt in (RdfFormat.N_QUADS, RdfFormat.TRIG)
        else q
        for q in parse(path=CORPUS, format=RdfFormat.TURTLE)
    ]
    graphs = fmt in (RdfFormat.N_QUADS, RdfFormat.TRIG)
    data = serialize(quads if graphs else [q.triple for q in quads], format=fmt)
    assert data is not None
    file = tmp_path / f"corpus{suffix}"
    file.write_bytes(gzip.compress(data) if gzipped else data)

    summary = load([file], tmp_path / "store")
    assert summary.added == CORPUS_TRIPLES
    # Queries see named graphs as part of the default graph.
    result = run_query("top-genes", store=tmp_path / "store")
    assert len(result.rows) == 2  # AKT1 and MAPK1: the human genes the corpus draws by official symbol
    assert len(run_query("top-genes", params={"level": "all"}, store=tmp_path / "store").rows) == 5


def test_several_files_at_once(tmp_path: Path) -> None:
    half = tmp_path / "extra.nt"
    half.write_text('<http://example.org/a> <http://example.org/p> "1" .\n', encoding="utf-8")
    summary = load([CORPUS, half], tmp_path / "store")
    assert summary == LoadSummary(files=2, added=CORPUS_TRIPLES + 1, total=CORPUS_TRIPLES + 1)


def test_unknown_extension_is_refused_before_loading(tmp_path: Path) -> None:
    odd = tmp_path / "corpus.txt"
    odd.write_text("", encoding="utf-8")
    with pytest.raises(UsageError, match=r"corpus\.txt: cannot tell the RDF format .*\.ttl\[\.gz\]"):
        load([CORPUS, odd], tmp_path / "store")
    assert not (tmp_path / "store").exists()


def test_missing_file_is_refused_before_loading(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"no such file: .*absent\.ttl"):
        load([CORPUS, tmp_path / "absent.ttl"], tmp_path / "store")
    assert not (tmp_path / "store").exists()


def test_nothing_to_load(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no RDF file"):
        load([], tmp_path / "store")


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://example.org/a> <http://example.org/p> 1 .\n<http://example.org/a> oops .\n")
    with pytest.raises(InputError, match=r"bad\.ttl: not valid Turtle: .*line 2"):
        load([bad], tmp_path / "store")


def test_reading_a_missing_store_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"no store at .*pfocr-rdf load FILE\.\.\. --store"):
        open_store(tmp_path / "nowhere", read_only=True)


def test_a_file_is_not_a_store(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a file"):
        load([CORPUS], CORPUS)


def test_a_store_in_use_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    holder = Store(str(folder))
    try:
        with pytest.raises(InputError, match="another process"):
            load([CORPUS], folder)
    finally:
        del holder
