"""Shared test fixtures: where the real PFOCR sample and the example corpus are, their exports, and the query
corpus in an embedded store."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import Store

from pfocr_rdf.store import load_into

pytest_plugins = ["servers.fixtures"]

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT.parent / "shared" / "pfocr-sample"
EXAMPLES = ROOT / "examples"
FIXED_EPOCH = "1700000000"
QUERY_CORPUS = ROOT / "tests" / "queries" / "corpus.ttl"


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    """The real PFOCR records in ../shared/pfocr-sample (skips when it is not beside the checkout)."""
    if not (SAMPLE / "_figures").is_dir():
        pytest.skip(f"the PFOCR sample is not at {SAMPLE}")
    return SAMPLE


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    """The example corpus shipped in examples/."""
    return EXAMPLES


@pytest.fixture(scope="session", autouse=True)
def _fixed_release_time() -> Iterator[None]:
    """Pin the release time, as a reproducible build would, so outputs compare byte for byte."""
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = FIXED_EPOCH
    yield
    if old is None:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
    else:
        os.environ["SOURCE_DATE_EPOCH"] = old


@pytest.fixture(scope="session")
def sample_export(sample_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample exported to Turtle once per session."""
    from pfocr_rdf import export

    out = tmp_path_factory.mktemp("sample") / "sample.ttl"
    summary = export([sample_dir], output=out)
    assert summary.rejected == 0, summary.faults
    return out


@pytest.fixture(scope="session")
def examples_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example corpus exported to Turtle once per session."""
    from pfocr_rdf import export

    out = tmp_path_factory.mktemp("examples") / "examples.ttl"
    export([EXAMPLES], output=out)
    return out


@pytest.fixture(scope="module")
def corpus() -> Store:
    """The query corpus (tests/queries/corpus.ttl) in an in-memory embedded store."""
    store = Store()
    load_into(store, [QUERY_CORPUS])
    return store
