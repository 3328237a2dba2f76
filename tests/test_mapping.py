"""Mapping records to RDF: hand-written cases in tests/fixtures/mapping/, one folder per case.

Each case folder is a tiny PFOCR tree and an ``expected.ttl`` written by hand from docs/MODEL.md. The
record is read, mapped with :func:`pfocr_rdf.mapping.map_record`, its blocks flattened as the exporter
does (a keyed block only the first time its key is seen) and the graph compared with the expected one
by isomorphism. The invariants of the model (no blank nodes, no sentinel as a value, no
``https://schema.org/``, ``--base`` moving minted nodes only) are checked on these cases and on every
record of the reading cases.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from pfocr_rdf.mapping import Block, map_record, release_blocks
from pfocr_rdf.reading import discover, iter_records
from pfocr_rdf.records import FigureRecord

FIXTURES = Path(__file__).parent / "fixtures"
CASES = sorted(p for p in (FIXTURES / "mapping").iterdir() if (p / "expected.ttl").is_file())
SITE = "https://pfocr.wikipathways.org/"
OTHER_BASE = "https://example.org/pfocr-rdf/"
SENTINELS = {"", ".na.character", "NA", "NaN"}
# characters the IRI grammar (RFC 3987) does not allow unescaped
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
# minted nodes: what --base moves (the figure page, its redirect and the site itself stay)
_MINTED = re.compile(r"(journals/|publishers/|figures/[^/]+/(mentions|gene-sets)/|dataset)")


def _record(folder: Path) -> FigureRecord:
    items = list(iter_records(discover([folder]), warn=lambda _: None))
    assert len(items) == 1 and isinstance(items[0], FigureRecord), items
    return items[0]


def _graph(blocks: Iterable[Block]) -> Graph:
    """Flatten blocks as the exporter does: a keyed block only the first time its key is seen."""
    graph, seen = Graph(), set()
    for block in blocks:
        if block.key is not None:
            if block.key in seen:
                continue
            seen.add(block.key)
        for triple in block.triples:
            graph.add(triple)
    return graph


def _diff(got: Graph, want: Graph) -> str:
    _, only_got, only_want = graph_diff(to_isomorphic(got), to_isomorphic(want))
    def lines(triples: Graph) -> list[str]:
        return sorted(f"  {s.n3()} {p.n3()} {o.n3()}" for s, p, o in triples)

    return "\n".join(["only in the mapping:", *lines(only_got), "only in expected.ttl:", *lines(only_want)])


def _rebased(graph: Graph, base: str) -> Graph:
    """Return ``graph`` with every minted node under SITE moved to ``base``."""

    def move(node: object) -> object:
        if isinstance(node, URIRef) and node.startswith(SITE) and _MINTED.match(node[len(SITE):]):
            return URIRef(base + node[len(SITE):])
        return node

    out = Graph()
    for s, p, o in graph:
        out.add((move(s), p, move(o)))  # type: ignore[arg-type]
    return out


def _expected(folder: Path) -> Graph:
    return Graph().parse(folder / "expected.ttl", format="turtle")


@pytest.mark.parametrize("folder", CASES, ids=[c.name for c in CASES])
def test_case(folder: Path) -> None:
    got, want = _graph(map_record(_record(folder))), _expected(folder)
    assert isomorphic(got, want), _diff(got, want)


@pytest.mark.parametrize("folder", CASES, ids=[c.name for c in CASES])
def test_base_moves_minted_nodes_only(folder: Path) -> None:
    record = _record(folder)
    got = _graph(map_record(record, base=OTHER_BASE))
    want = _rebased(_expected(folder), OTHER_BASE)
    assert isomorphic(got, want), _diff(got, want)
    nodes = {n for t in got for n in t if isinstance(n, URIRef)}
    assert URIRef(record.iri or "") in nodes, "the figure IRI is the site's, whatever the base"
    moved = [n for n in nodes if n.startswith(SITE) and _MINTED.match(n[len(SITE):])]
    assert not moved, moved
    assert any(n.startswith(OTHER_BASE + "figures/") for n in nodes), "annotations live under the base"


def test_release_lives_under_the_base() -> None:
    blocks = release_blocks(base=OTHER_BASE, triples=10, entities={}, generated="2023-11-14T22:13:20Z",
                            version="0.0", formats=[("turtle", "text/turtle")])
    graph = _graph(blocks)
    subjects = {s for s in graph.subjects()}
    assert URIRef(OTHER_BASE + "dataset") in subjects
    assert URIRef(OTHER_BASE + "dataset/distribution/turtle") in subjects
    minted = {str(s) for s in subjects} - {SITE}
    assert all(s.startswith(OTHER_BASE) for s in minted), sorted(minted)
    _check_invariants(graph)


def _all_records() -> list[Any]:
    folders = sorted({p.parent.parent for p in FIXTURES.glob("*/*/_figures/*.md")})
    params = []
    for folder in folders:
        items = list(iter_records(discover([folder]), warn=lambda _: None))
        for item in items:
            if isinstance(item, FigureRecord):
                params.append(pytest.param(item, id=f"{folder.parent.name}/{folder.name}"))
    return params


def _check_invariants(graph: Graph) -> None:
    for triple in graph:
        for node in triple:
            assert not isinstance(node, BNode), f"blank node in {triple}"
            if isinstance(node, Literal):
                assert str(node).strip() not in SENTINELS, f"a null sentinel became a value: {triple}"
            if isinstance(node, URIRef):
                assert not node.startswith("https://schema.org/"), f"https schema.org IRI in {triple}"
                assert not _BAD_IRI.search(node), f"unescaped character in IRI {node}"


@pytest.mark.parametrize("record", _all_records())
@pytest.mark.parametrize("base", [SITE, OTHER_BASE])
def test_invariants(record: FigureRecord, base: str) -> None:
    graph = _graph(map_record(record, base=base))
    assert len(graph) > 0
    _check_invariants(graph)


def test_the_cases_cover_both_eras() -> None:
    eras = {_record(folder).era for folder in CASES}
    assert eras == {"current", "older"}
