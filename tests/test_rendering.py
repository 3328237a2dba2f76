"""The fast path (rendering.TextRenderer) writes byte for byte what the reference (map_record, then the
serializer) writes: the same text, blocks, keys and VoID counts, for Turtle, N-Triples and N-Quads, on the
real sample, on generated trees (several seeds) and on hypothesis records with hostile text.

Both are driven as the export drives them: each process renders a block only if its key is new to it,
and the output keeps the first block of each key. Once as the parent does (a read-only set of the keys
written), once as a worker does (its own set, added to as it renders), and the exports themselves with
``--jobs 1`` and ``--jobs 2``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pfocr_rdf.export import export, records_of
from pfocr_rdf.namespaces import SITE
from pfocr_rdf.organisms import Organisms
from pfocr_rdf.records import FigureRecord
from pfocr_rdf.rendering import ReferenceRenderer, Renderer, TextRenderer
from pfocr_rdf.writing import FORMATS
from pfocr_rdf.writing.base import RowSerializer

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import synth
from test_properties import records

ROW_FORMATS = ("turtle", "nt", "nquads")
GRAPH = f"{SITE}dataset"


def _renderers(fmt: str, base: str = SITE) -> tuple[Renderer, Renderer]:
    fast = FORMATS[fmt].serializer(graph=GRAPH)
    slow = FORMATS[fmt].serializer(graph=GRAPH)
    assert isinstance(fast, RowSerializer)
    organisms = Organisms()
    return (TextRenderer(fast, base=base, organisms=organisms),
            ReferenceRenderer(slow, base=base, organisms=organisms))


def _written(renderer: Renderer, items: Iterable[FigureRecord], *, as_worker: bool) -> list[tuple[object, ...]]:
    """The blocks an export writes, as the parent keeps them (first of each key), with their counts."""
    written: set[str] = set()
    worker: set[str] = set()
    out: list[tuple[object, ...]] = []
    for record in items:
        rendered = renderer.render(record, worker if as_worker else written, remember=as_worker)
        assert written.issuperset(rendered.skipped), "a block skipped but never written"
        for block in rendered.blocks:
            if block.key is not None:
                if block.key in written:
                    continue
                written.add(block.key)
            out.append((block.key, block.kind, block.counts, block.triples, block.text))
    return out


def _assert_same(items: list[FigureRecord], fmt: str, base: str = SITE) -> None:
    for as_worker in (False, True):
        fast, slow = _renderers(fmt, base)
        got, expected = _written(fast, items, as_worker=as_worker), _written(slow, items, as_worker=as_worker)
        assert len(got) == len(expected)
        for g, e in zip(got, expected, strict=True):
            assert g == e


@pytest.mark.parametrize("fmt", ROW_FORMATS)
def test_sample_byte_identical(sample_dir: Path, fmt: str) -> None:
    _assert_same(list(records_of([sample_dir])), fmt)


@pytest.mark.parametrize("fmt", ROW_FORMATS)
def test_examples_byte_identical_under_another_base(examples_dir: Path, fmt: str) -> None:
    _assert_same(list(records_of([examples_dir])), fmt, base="https://example.org/pfocr/")


@pytest.fixture(scope="module", params=[1, 2, 3])
def generated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> list[FigureRecord]:
    tree = tmp_path_factory.mktemp(f"synth{request.param}") / "tree"
    synth.generate(tree, figures=300, seed=request.param)
    return list(records_of([tree]))


@pytest.mark.parametrize("fmt", ROW_FORMATS)
def test_generated_byte_identical(generated: list[FigureRecord], fmt: str) -> None:
    assert len(generated) == 300
    _assert_same(generated, fmt)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batch=st.lists(records(), min_size=1, max_size=4), fmt=st.sampled_from(ROW_FORMATS),
       base=st.sampled_from([SITE, "https://example.org/pfocr/"]))
def test_property_records_byte_identical(batch: list[FigureRecord], fmt: str, base: str) -> None:
    # several records per example, so that descriptions already written are skipped too
    _assert_same(batch, fmt, base)


@pytest.mark.parametrize("fmt", ROW_FORMATS)
def test_export_identical_for_any_jobs(tmp_path: Path, fmt: str) -> None:
    tree = tmp_path / "tree"
    synth.generate(tree, figures=200, seed=7)
    outputs = []
    for jobs in (1, 2):
        out = tmp_path / f"out-{jobs}.{fmt}"
        summary = export([tree], output=out, format=fmt, jobs=jobs)
        assert summary.read == summary.exported + summary.rejected == 200
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
