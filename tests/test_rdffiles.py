"""pfocr_rdf.rdffiles: one rule for RDF file names, and every reader reads everything export writes.

``load``, ``validate`` and ``query --data`` are run on every name ``export`` writes (each extension of
each format, plain and gzipped); ``load --endpoint`` is in test_endpoint.py. A literal over pyoxigraph's
16 MiB parser buffer is read by every one of them too.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from pfocr_rdf import export
from pfocr_rdf.cli import main
from pfocr_rdf.errors import InputError, UsageError
from pfocr_rdf.querying import run_query
from pfocr_rdf.rdffiles import OXIGRAPH_TOKEN_LIMIT, SYNTAXES, _inline_context, iter_quads, rdf_files, syntax_of
from pfocr_rdf.store import load
from pfocr_rdf.validating import validate_files
from pfocr_rdf.writing import FORMATS
from pfocr_rdf.writing.jsonld import CONTEXT_URL

#: Every file name ending export writes: each extension of each format, plain and gzipped.
WRITTEN = [ext + gz for fmt in FORMATS.values() for ext in fmt.extensions for gz in ("", ".gz")]

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }\n"


def test_the_rule_covers_every_written_name_and_only_known_ones() -> None:
    assert {ext for s in SYNTAXES if s.written for ext in s.extensions} == {
        ext for fmt in FORMATS.values() for ext in fmt.extensions}
    for name in WRITTEN:
        syntax, gzipped = syntax_of(f"out{name.upper()}")  # case does not matter
        assert gzipped == name.endswith(".gz") and syntax.written
    for name in ("out.txt", "out.gz", "out", "out.ttl.bz2"):
        with pytest.raises(UsageError, match=r"cannot tell the RDF syntax .*\.jsonl.*\(each optionally \.gz\)"):
            syntax_of(name)


@pytest.fixture(scope="module")
def count_query(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("q") / "count.rq"
    path.write_text(COUNT, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", WRITTEN)
def test_every_reader_reads_what_export_writes(name: str, examples_dir: Path, tmp_path: Path,
                                               count_query: Path) -> None:
    out = tmp_path / f"examples{name}"
    summary = export([examples_dir], output=out)
    assert summary.exported == 8
    assert load([out], tmp_path / "store").triples == summary.triples
    report = validate_files([out])
    assert report.conforms and report.triples == summary.triples
    result = run_query(count_query, data=[out])
    assert int(result.rows[0][0].value) == summary.triples  # type: ignore[union-attr]
    assert main(["validate", str(out)]) == 0


def test_jsonld_gets_the_bundled_context_and_never_the_network(tmp_path: Path) -> None:
    other = tmp_path / "other.jsonld"
    other.write_text(json.dumps({"@context": "https://example.org/context.jsonld", "@id": "http://a/1"}))
    with pytest.raises(InputError, match=r"other\.jsonld: not valid JSON-LD"):
        list(iter_quads(rdf_files([other])[0]))
    ours = tmp_path / "ours.jsonld"
    ours.write_text(json.dumps({"@context": CONTEXT_URL, "@id": "http://a/1", "@type": "ImageObject"}))
    assert [q.object.value for q in iter_quads(rdf_files([ours])[0])] == ["http://schema.org/ImageObject"]


@pytest.mark.parametrize("size", [1, 7, 50, 1 << 20])
def test_the_context_is_inlined_across_block_boundaries(size: int) -> None:
    text = (f'{{"@context" : "{CONTEXT_URL}","@graph":[{{"@context":"{CONTEXT_URL}","x":"\\"@context\\":'
            f'\\"{CONTEXT_URL}\\""}}]}}').encode()
    blocks = [text[i:i + size] for i in range(0, len(text), size)]
    inlined = b"".join(_inline_context(blocks))
    assert inlined == b"".join(_inline_context([text]))
    assert inlined.count(CONTEXT_URL.encode()) == 1  # only the escaped one inside a string is left
    assert json.loads(inlined)["@context"]["@version"] == 1.1


@pytest.fixture(scope="module")
def big_caption(examples_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """A tree of one record whose caption is 1 MiB over pyoxigraph's parser buffer."""
    tree = tmp_path_factory.mktemp("big")
    (tree / "_figures").mkdir()
    shutil.copytree(examples_dir / "_data", tree / "_data")
    record = (examples_dir / "_figures" / "PMC9743210__ga1.md").read_text(encoding="utf-8")
    length = OXIGRAPH_TOKEN_LIMIT + (1 << 20)
    record = re.sub(r"(?m)^caption: .*$", "caption: " + "w" * length, record, count=1)
    (tree / "_figures" / "PMC9743210__ga1.md").write_text(record, encoding="utf-8")
    return tree, length


@pytest.mark.parametrize("name", [".ttl", ".nt", ".nq.gz", ".jsonld", ".jsonl"])
def test_a_literal_over_the_parser_buffer_is_read(name: str, big_caption: tuple[Path, int], tmp_path: Path) -> None:
    tree, length = big_caption
    out = tmp_path / f"big{name}"
    summary = export([tree], output=out)
    assert summary.exported == 1
    query = tmp_path / "caption.rq"
    query.write_text("SELECT (STRLEN(?c) AS ?n) WHERE { ?f <http://schema.org/caption> ?c }\n")
    assert int(run_query(query, data=[out]).rows[0][0].value) == length  # type: ignore[union-attr]
    assert load([out], tmp_path / "store").triples == summary.triples
    assert int(run_query(query, store=tmp_path / "store").rows[0][0].value) == length  # type: ignore[union-attr]
    if name in (".ttl", ".nt"):  # validation of a 17 MiB string takes pySHACL ~20 s: two formats will do
        report = validate_files([out])
        assert report.conforms and report.triples == summary.triples


def test_long_ntriples_lines_keep_their_graph_and_order(tmp_path: Path) -> None:
    big = "x" * (OXIGRAPH_TOKEN_LIMIT + 10)
    lines = [
        '<http://a/1> <http://p/1> "short" <http://g/1> .',
        f'<http://a/2> <http://p/1> "{big}" <http://g/2> .',
        f'<http://a/3> <http://p/1> "{big}"@en .',
        '<http://a/4> <http://p/1> <http://a/1> .',
    ]
    path = tmp_path / "long.nq.gz"
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    quads = list(iter_quads(rdf_files([path])[0]))
    assert [(q.subject.value, str(q.graph_name)) for q in quads] == [
        ("http://a/1", "<http://g/1>"), ("http://a/2", "<http://g/2>"), ("http://a/3", "DEFAULT"),
        ("http://a/4", "DEFAULT")]
    assert quads[2].object == ox.Literal(big, language="en")
