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


def test_corpus_limits_of_issue_12() -> None:
    validate_rows = [
        {**_row("export synthetic 3,000", 3000, 1, 10.0, 200)},
        {"what": "validate", "input": "synthetic 3,000", "figures": 3000, "seconds": 70.0, "max_rss": 200 * MIB},
        {"what": "floor", "input": "synthetic 3,000", "figures": 3000, "jobs": 1, "seconds": 8.0,
         "max_rss": 150 * MIB},
        {**_row("export synthetic 10,000", 10_000, 1, 30.0, 200)},
        {"what": "validate", "input": "synthetic 10,000", "figures": 10_000, "seconds": 50.0, "max_rss": 210 * MIB},
    ]
    queries = [{"query": "figures-for-gene", "variant": "top gene", "figures": 10_000, "cold_seconds": 0.8},
               {"query": "figures-for-gene", "variant": "typical gene", "figures": 10_000, "cold_seconds": 1.2},
               {"query": "ambiguous-words", "variant": "", "figures": 10_000, "cold_seconds": 3.9}]
    lines = targets.check_corpus_limits(validate_rows, queries)
    floor = next((s, m) for t, s, m in lines if "3,000 figures" in t)
    corpus = next((s, m) for t, s, m in lines if "corpus" in t)
    assert floor[0] == "NOT met" and "8.8x" in floor[1]  # 70 s / 8 s: the floor's time, not our export's (10 s)
    without_floor = targets.check_corpus_limits([r for r in validate_rows if r.get("what") != "floor"], queries)
    assert next(s for t, s, _ in without_floor if "3,000 figures" in t) == "not measured"
    assert corpus[0] == "met" and "550 s" in corpus[1]  # 50 s x 11
    assert "extrapolated linearly from 10,000" in corpus[1]
    assert [s for t, s, _ in lines if "look-up" in t] == ["NOT met"]  # 1.2 s > 1 s
    assert [s for t, s, _ in lines if "aggregate" in t] == ["met"]
