"""The real sample export in a real server: a private Virtuoso, started by the tests on loopback, holds
the export of ../shared/pfocr-sample, and every example query answers there exactly as on the embedded
store. Skips, saying how to install Virtuoso, where it is absent."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Store
from servers.virtuoso import running_virtuoso, virtuoso_available

from pfocr_rdf.endpoint import ENV_PASSWORD, ENV_USER, load_files
from pfocr_rdf.querying import QueryResult, format_result, load_query, run_query, shipped_query_names
from pfocr_rdf.store import load_into

GRAPH = "https://pfocr.wikipathways.org/dataset"
XSD_BOOLEAN = NamedNode("http://www.w3.org/2001/XMLSchema#boolean")
#: The federated query needs the network; Virtuoso 7.2 cannot ORDER BY rows that carry a decimal
#: constant (error SR128), which low-pathway-score does (its threshold is in the SELECT list).
NOT_AT_VIRTUOSO = {"wikipathways-federated", "low-pathway-score"}


@pytest.fixture(scope="module")
def sample_at_virtuoso(sample_export: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Virtuoso of this module's own (the session's holds other data, and queries see every graph)."""
    reason = virtuoso_available()
    if reason is not None:
        pytest.skip(reason)
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso-sample")) as virtuoso:
        login = {ENV_USER: virtuoso.user, ENV_PASSWORD: virtuoso.password}
        result = load_files([sample_export], endpoint=virtuoso.gsp_url, graph=GRAPH, environ=login,
                            chunk_triples=5_000)
        assert result.store_after is not None and result.store_after == result.distinct_triples
        assert result.requests > 1  # the export went in chunks
        yield virtuoso.sparql_url


@pytest.fixture(scope="module")
def sample_store(sample_export: Path) -> Store:
    store = Store()
    load_into(store, [sample_export])
    return store


def _comparable(result: QueryResult, concatenated: set[str]) -> list[tuple[object, ...]]:
    """The rows, with the two differences SPARQL allows between engines taken out: Virtuoso answers
    booleans as 1/0, and GROUP_CONCAT's order is not defined (its columns compare as sorted lists)."""
    def term(variable: str, value: object) -> object:
        if isinstance(value, Literal) and value.datatype == XSD_BOOLEAN:
            return value.value in ("true", "1")
        if variable in concatenated and isinstance(value, Literal):
            return sorted(value.value.split(" "))
        return value
    return [tuple(term(var, v) for var, v in zip(result.variables, row, strict=True)) for row in result.rows]


@pytest.mark.server
@pytest.mark.parametrize("name", [n for n in shipped_query_names() if n not in NOT_AT_VIRTUOSO])
def test_every_query_answers_the_same_at_virtuoso(name: str, sample_at_virtuoso: str, sample_store: Store) -> None:
    query = load_query(name)
    concatenated = set(re.findall(r"GROUP_CONCAT\(.*?\)\s+AS\s+\?(\w+)", query.text, re.IGNORECASE | re.DOTALL))
    embedded = run_query(query, store=sample_store)
    served = run_query(query, endpoint=sample_at_virtuoso)
    assert served.variables == embedded.variables
    assert embedded.rows or name in ("figures-without-mentions",), f"{name} finds nothing on the sample"
    assert _comparable(served, concatenated) == _comparable(embedded, concatenated), (
        f"{name}\nat Virtuoso:\n{format_result(served, max_width=80)}\n"
        f"embedded:\n{format_result(embedded, max_width=80)}")
