"""The report side of the harness: Markdown tables, format flatness and the targets' verdicts."""

from __future__ import annotations

from typing import Any

import formatsbench
import targets
from common import MIB, table


def _row(who: str, figures: int, jobs: int, seconds: float, rss_mib: int, **extra: Any) -> dict[str, Any]:
    return {"who": who, "figures": figures, "jobs": jobs, "seconds": seconds, "max_rss": rss_mib * MIB,
            "tree_peak": rss_mib * MIB, "triples": figures * 576, "bytes": figures * 27_000, **extra}


def test_table_aligns_numbers_right_and_text_left() -> None:
    text = table(["name", "n"], [["alpha", "1,234"], ["b", "5.6"]])
    lines = text.splitlines()
    assert lines[1] == "|:------|------:|"
    assert lines[2] == "| alpha | 1,234 |"
    assert lines[3] == "| b     |   5.6 |"


def test_flatness_compares_smallest_and_largest_size() -> None:
    rows = [_row("turtle", 1000, 1, 4, 120), _row("turtle", 10000, 1, 40, 125),
            _row("jsonld", 1000, 1, 4, 120), _row("jsonld", 10000, 1, 40, 400)]
    flat = formatsbench.flatness(rows)
    assert flat["turtle"]["flat"] and not flat["jsonld"]["flat"]


def test_targets_verdicts() -> None:
    rows = [_row("pfocr-rdf", 1000, 1, 4, 120), _row("pfocr-rdf", 110_000, 1, 100, 130),
            _row("pfocr-rdf", 110_000, 2, 70, 290)]
    baseline = _row("rdflib baseline", 1000, 1, 100, 500)
    load = {"figures": 110_000, "seconds": 80.0}
    queries = [{"query": "q", "variant": "", "figures": 110_000, "cold_seconds": 1.5},
               {"query": "r", "variant": "top gene", "figures": 110_000, "cold_seconds": 9.0}]
    verdicts = {t: s for t, s, _ in targets.check(rows, baseline, [], load, queries)}
    assert [s for t, s in verdicts.items() if "--jobs 2" in t] == ["NOT met"]  # 70 s > 60 s
    assert [s for t, s in verdicts.items() if "--jobs 1" in t] == ["met"]
    assert [s for t, s in verdicts.items() if "baseline" in t] == ["NOT met"]  # 25x
    assert [s for t, s in verdicts.items() if "RSS" in t] == ["NOT met"]  # 290 MiB > 300 MB
    assert [s for t, s in verdicts.items() if "load" in t] == ["met"]
    assert [s for t, s in verdicts.items() if "query" in t] == ["met"]  # the top gene is not "typical"
    assert [s for t, s in verdicts.items() if "format" in t] == ["not measured"]
