"""Export options: parallel jobs, N-Quads, gzip, shards and partitions give the same data as a plain export."""

from __future__ import annotations

import gzip
from pathlib import Path

import pyoxigraph
import pytest

from pfocr_rdf import export
from pfocr_rdf.errors import UsageError
from pfocr_rdf.export import parse_partition

RELEASE = "https://pfocr.wikipathways.org/"
TTL = pyoxigraph.RdfFormat.TURTLE


def _triples(path: Path, fmt: pyoxigraph.RdfFormat = TTL) -> set[pyoxigraph.Triple]:
    data = gzip.decompress(path.read_bytes()) if path.name.endswith(".gz") else path.read_bytes()
    return {pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in pyoxigraph.parse(data, format=fmt)}


def _content(triples: set[pyoxigraph.Triple]) -> set[pyoxigraph.Triple]:
    """The triples that are not the release description (whose counts and distribution differ by run)."""
    own = (f"{RELEASE}dataset", f"{RELEASE}software/")
    return {t for t in triples if not str(t.subject.value).startswith(own) and str(t.subject.value) != RELEASE}


@pytest.fixture(scope="module")
def both(sample_dir: Path, examples_dir: Path) -> list[Path]:
    """More records than one worker chunk, so --jobs 2 really fans out."""
    return [sample_dir, examples_dir]


def test_jobs_give_byte_identical_output(both: list[Path], tmp_path: Path) -> None:
    one = export(both, output=tmp_path / "one.ttl", jobs=1)
    two = export(both, output=tmp_path / "two.ttl", jobs=2)
    assert (one.read, one.exported, one.triples) == (two.read, two.exported, two.triples) == (53, 53, one.triples)
    assert (tmp_path / "one.ttl").read_bytes() == (tmp_path / "two.ttl").read_bytes()


def test_nquads_put_everything_in_the_release_graph(both: list[Path], tmp_path: Path) -> None:
    export(both, output=tmp_path / "out.ttl")
    export(both, output=tmp_path / "out.nq")
    quads = list(pyoxigraph.parse(path=str(tmp_path / "out.nq"), format=pyoxigraph.RdfFormat.N_QUADS))
    assert {q.graph_name for q in quads} == {pyoxigraph.NamedNode(f"{RELEASE}dataset")}
    assert _content(_triples(tmp_path / "out.nq", pyoxigraph.RdfFormat.N_QUADS)) == _content(
        _triples(tmp_path / "out.ttl"))


def test_gzip_is_deterministic_and_complete(both: list[Path], tmp_path: Path) -> None:
    export(both, output=tmp_path / "plain.ttl")
    export(both, output=tmp_path / "a.ttl.gz")
    export(both, output=tmp_path / "b.ttl.gz")
    assert (tmp_path / "a.ttl.gz").read_bytes() == (tmp_path / "b.ttl.gz").read_bytes()
    assert gzip.decompress((tmp_path / "a.ttl.gz").read_bytes()) == (tmp_path / "plain.ttl").read_bytes()


@pytest.mark.parametrize(("fmt", "oxi"), [("turtle", TTL), ("nt", pyoxigraph.RdfFormat.N_TRIPLES)])
def test_shards_parse_alone_and_add_up_to_the_whole(
    both: list[Path], tmp_path: Path, fmt: str, oxi: pyoxigraph.RdfFormat
) -> None:
    whole_path = tmp_path / ("whole.ttl" if fmt == "turtle" else "whole.nt")
    whole = export(both, output=whole_path)
    summary = export(both, output=tmp_path / "shards", format=fmt, shard_records=10, compress=True, jobs=2)
    names = sorted(p.name for p in (tmp_path / "shards").iterdir())
    ext = ".ttl.gz" if fmt == "turtle" else ".nt.gz"
    assert names == [f"pfocr-{i:05d}{ext}" for i in range(1, 7)] + [f"release{ext}"]
    assert summary.files == [str(tmp_path / "shards" / n) for n in names]
    union: set[pyoxigraph.Triple] = set()
    total = 0
    for name in names:
        part = _triples(tmp_path / "shards" / name, oxi)  # each shard parses on its own
        total += len(part)
        union |= part
    assert total == len(union) == summary.triples == whole.triples  # each description written once
    assert union == _triples(whole_path, oxi)


def test_partitions_are_disjoint_and_add_up_to_the_whole(both: list[Path], tmp_path: Path) -> None:
    whole = export(both, output=tmp_path / "whole.ttl")
    parts = [export(both, output=tmp_path / f"part{k}.ttl", partition=(k, 3)) for k in (1, 2, 3)]
    assert sum(p.read for p in parts) == whole.read
    assert all(p.read > 0 for p in parts)
    union: set[pyoxigraph.Triple] = set()
    figures: list[set[str]] = []
    for k in (1, 2, 3):
        content = _content(_triples(tmp_path / f"part{k}.ttl"))
        union |= content
        figures.append({str(t.subject.value) for t in content if str(t.object.value) == "http://schema.org/ImageObject"})
    # the ambiguous OCR words count over the whole corpus: only the whole export writes them (a part warns)
    words = "https://pfocr.wikipathways.org/ocr-words/"
    assert not any(str(t.subject.value).startswith(words) for t in union)
    whole_content = _content(_triples(tmp_path / "whole.ttl"))
    assert union == {t for t in whole_content if not str(t.subject.value).startswith(words)}
    assert not (figures[0] & figures[1]) and not (figures[1] & figures[2]) and not (figures[0] & figures[2])


@pytest.mark.parametrize("bad", ["0/3", "4/3", "a/b", "3", "1/0"])
def test_bad_partition(bad: str) -> None:
    with pytest.raises(UsageError, match="expected K/N"):
        parse_partition(bad)


def test_bad_options(examples_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="--shard-records needs -o FOLDER"):
        export([examples_dir], shard_records=5)
    with pytest.raises(UsageError, match="--jobs 0"):
        export([examples_dir], output=tmp_path / "x.ttl", jobs=0)


def test_jobs_agree_when_a_rejected_record_shares_descriptions(examples_dir: Path, tmp_path: Path) -> None:
    """A worker that rendered a description for a record the parent then rejects (a figid claimed twice)
    must not leave it out of a later record: the output is still the same as with one process."""
    figures, data = tmp_path / "tree" / "_figures", tmp_path / "tree" / "_data"
    figures.mkdir(parents=True)
    data.mkdir()
    for copy in range(6):
        for record in sorted((examples_dir / "_figures").glob("*.md")):
            figid = record.stem
            new = figid.replace("__", f"__c{copy}x", 1)
            (figures / f"{new}.md").write_text(record.read_text(encoding="utf-8").replace(figid, new), encoding="utf-8")
            for table in (examples_dir / "_data").glob(f"{figid}-*.tsv"):
                (data / table.name.replace(figid, new)).write_bytes(table.read_bytes())
    first = sorted(figures.glob("*.md"))[0]
    stray = figures / "AAA-stray-copy.md"  # sorts first, claims the figid of a file named after it
    stray.write_text(first.read_text(encoding="utf-8"), encoding="utf-8")
    for table in data.glob(f"{first.stem}-*.tsv"):
        (data / table.name).write_bytes(table.read_bytes())
    one = export([tmp_path / "tree"], output=tmp_path / "one.ttl", jobs=1)
    two = export([tmp_path / "tree"], output=tmp_path / "two.ttl", jobs=2)
    assert (one.read, one.rejected) == (two.read, two.rejected) == (49, 1)
    assert (tmp_path / "one.ttl").read_bytes() == (tmp_path / "two.ttl").read_bytes()
