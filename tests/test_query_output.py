"""Query results written as they come (csv, tsv, json never hold every row), and parameters out of range.

The rest of querying is in test_queries.py.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Store

from pfocr_rdf.cli import main
from pfocr_rdf.errors import UsageError
from pfocr_rdf.querying import QueryResult, format_result, load_query, run_query, to_term, write_result
from pfocr_rdf.store import load_into

CORPUS = Path(__file__).resolve().parent / "queries" / "corpus.ttl"
ROWS = 50


def _rows() -> list[tuple[NamedNode | Literal | None, ...]]:
    return [(NamedNode(f"http://example.org/{i}"), Literal(f"row {i}") if i % 3 else None) for i in range(ROWS)]


class _Recorder(io.StringIO):
    """Remembers how many rows had been pulled from the result at each write."""

    def __init__(self, pulled: list[int]) -> None:
        super().__init__(newline="")
        self.pulled = pulled
        self.at_write: list[int] = []

    def write(self, text: str) -> int:
        self.at_write.append(self.pulled[0])
        return super().write(text)


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json"])
def test_rows_are_written_as_they_come_and_the_same(fmt: str) -> None:
    pulled = [0]

    def stream() -> Iterator[tuple[NamedNode | Literal | None, ...]]:
        for row in _rows():
            pulled[0] += 1
            yield row

    out = _Recorder(pulled)
    write_result(QueryResult(("s", "label"), (), stream=stream()), out, fmt)  # type: ignore[arg-type]
    assert pulled[0] == ROWS
    assert min(count for count in out.at_write if count > 0) <= 2  # the first rows went out before the rest came
    assert out.getvalue() == format_result(QueryResult(("s", "label"), tuple(_rows())), fmt)  # type: ignore[arg-type]
    if fmt == "json":
        assert len(json.loads(out.getvalue())["results"]["bindings"]) == ROWS


def test_the_command_line_streams_from_the_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = Store(str(tmp_path / "store"))
    load_into(store, [CORPUS])
    del store
    whole = run_query("figures-per-year", store=tmp_path / "store")
    streamed = run_query("figures-per-year", store=tmp_path / "store", stream=True)
    assert streamed.rows == () and streamed.stream is not None
    assert format_result(streamed, "csv") == format_result(whole, "csv")
    assert main(["query", "figures-per-year", "--store", str(tmp_path / "store"), "--format", "csv"]) == 0
    assert capsys.readouterr().out == format_result(whole, "csv")


@pytest.mark.parametrize("value", ["9" * 5000, "9223372036854775808", "-9223372036854775809", "0" * 30 + "1" * 20])
def test_an_integer_out_of_range_is_a_clear_usage_error(value: str) -> None:
    spec = next(p for name in ("ambiguous-words", "top-genes", "figure-gene-sets", "low-pathway-score")
                for p in load_query(name).params if p.type == "integer")
    with pytest.raises(UsageError, match=rf"parameter {spec.name}: .* is out of range; expected an integer"):
        to_term(spec, value)


def test_integers_in_range_are_kept() -> None:
    spec = next(p for name in ("ambiguous-words", "top-genes", "figure-gene-sets", "low-pathway-score")
                for p in load_query(name).params if p.type == "integer")
    assert to_term(spec, "9223372036854775807").value == "9223372036854775807"
    assert to_term(spec, "-0009").value == "-9"


def test_a_huge_parameter_on_the_command_line_exits_2_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = next(p for name in ("ambiguous-words",) for p in load_query(name).params if p.type == "integer")
    code = main(["query", "ambiguous-words", "--data", str(CORPUS), "--param", f"{spec.name}={'5' * 5000}"])
    err = capsys.readouterr().err
    assert code == 2 and "out of range" in err and "Traceback" not in err and len(err) < 500
