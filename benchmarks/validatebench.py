"""Validation: the time and peak RSS of checking an export against the shipped SHACL shapes.

Each input (a synthetic tree of a few thousand figures, and the real sample in ``../shared/pfocr-sample``)
is exported to Turtle first (measured, and reported with the rest), then validated with
``pfocr-rdf validate OUT.ttl --format json --jobs N``. Where the command line has no ``validate`` yet,
the library does the same work in a child process (``pfocr_rdf.validating.validate_files``), and the row
says so. On each synthetic tree the floor (``floor.py``, issue #12's yardstick) then exports the same tree
with one process, timed like the rest and its output deleted unread: issue #12 compares validation with
that time (``targets.check_corpus_limits``), and the line printed gives the ratio.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import floorbench
import measure
from common import CLI, last_line, mib, rate, run_export, table

_LIBRARY = """
import json, sys
from pfocr_rdf.validating import validate_files
report = validate_files([sys.argv[1]], jobs=int(sys.argv[2]))
print(json.dumps({"conforms": report.conforms, "violations": report.violations, "warnings": report.warnings,
                  "triples": report.triples, "streamed": report.streamed}))
"""


def _cli_has_validate() -> bool:
    try:
        return subprocess.run([CLI, "validate", "--help"], capture_output=True, timeout=60).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def validate(path: Path, label: str, figures: int, jobs: int = 1, timeout: float | None = None) -> dict[str, Any]:
    """Validate ``path``; return the measured row (with the report's counts)."""
    if _cli_has_validate():
        how, argv = "pfocr-rdf validate", [CLI, "validate", str(path), "--format", "json", "--jobs", str(jobs)]
    else:
        how, argv = "validate_files (library)", [sys.executable, "-c", _LIBRARY, str(path), str(jobs)]
    run = measure.run_measured(argv, timeout=timeout)
    row: dict[str, Any] = {"what": "validate", "input": label, "figures": figures, "how": how, "jobs": jobs,
                           "input_bytes": path.stat().st_size, **run.as_dict()}
    try:
        report = json.loads(run.stdout)
    except ValueError:
        report = None
    if run.returncode not in (0, 1) or not isinstance(report, dict):  # 1: not conforming, still a full run
        row["error"] = "timed out" if run.timed_out else last_line(run.stderr, f"exit {run.returncode}")
        return row
    for key in ("conforms", "violations", "warnings", "triples", "streamed"):
        row[key] = report.get(key)
    return row


def run(template: str, inputs: list[tuple[str, int, Path]], work: Path, jobs: int = 1
        ) -> list[dict[str, Any]]:
    """Export then validate each (label, figures, tree); return export and validation rows (printing each)."""
    rows: list[dict[str, Any]] = []
    for label, figures, tree in inputs:
        out = work / f"validate-{label}.ttl"
        export = run_export(template, tree, out, jobs=1, fmt="turtle", figures=figures, keep=True,
                            label=f"export {label}")
        rows.append(export)
        if "error" in export:
            print(f"validate: export of {label} failed: {export['error']}", flush=True)
            continue
        row = validate(out, label, figures, jobs)
        row["triples_exported"] = export["triples"]
        rows.append(row)
        out.unlink(missing_ok=True)
        print("validate: " + _line(row), flush=True)
        if label.startswith("synthetic"):
            floor = floor_export(tree, work / f"floor-{label.replace(' ', '-')}.ttl", label, figures)
            rows.append(floor)
            print("validate: " + _floor_line(row, floor), flush=True)
    return rows


def floor_export(tree: Path, out: Path, label: str, figures: int) -> dict[str, Any]:
    """Run the floor (``floor.py --jobs 1``) on ``tree``, timed; return its row (the output is deleted)."""
    try:
        result = floorbench.export_once(tree, out, jobs=1)
    finally:
        out.unlink(missing_ok=True)
    return {"what": "floor", "input": label, "figures": figures, "jobs": 1, **result}


def _floor_line(check: dict[str, Any], floor: dict[str, Any]) -> str:
    if "error" in floor:
        return f"{floor['input']:<14} floor --jobs 1 failed: {floor['error']}"
    text = f"{floor['input']:<14} floor --jobs 1 {floor['seconds']:.2f} s"
    if "error" not in check:
        text += f"; validation / floor = {check['seconds'] / floor['seconds']:.1f}x"
    return text


def _line(row: dict[str, Any]) -> str:
    if "error" in row:
        return f"{row['input']:<14} failed: {row['error']}"
    s = row["seconds"]
    return (f"{row['input']:<14} {row['triples']:>9} triples {s:>8.2f} s {rate(row['triples'], s):>8} triples/s "
            f"{mib(row['max_rss']):>5} MiB  violations {row['violations']}, warnings {row['warnings']} "
            f"({row['how']})")


def markdown(rows: list[dict[str, Any]]) -> str:
    """Return the validation table."""
    body = []
    floors = {r["input"]: r for r in rows if r.get("what") == "floor" and "error" not in r}
    for r in rows:
        if r.get("what") != "validate":
            continue
        if "error" in r:
            body.append([r["input"], f"{r['figures']:,}", "failed", r["error"], "", "", "", ""])
            continue
        s = r["seconds"]
        floor = floors.get(r["input"])
        ratio = "" if floor is None else f"{s / floor['seconds']:.1f}x ({floor['seconds']:.1f} s)"
        body.append([r["input"], f"{r['figures']:,}", f"{r['triples']:,}", f"{s:.1f}", rate(r["triples"], s),
                     mib(r["max_rss"]), f"{r['violations']} / {r['warnings']}", ratio, r["how"]])
    return table(["input", "figures", "triples", "seconds", "triples/s", "peak RSS MiB", "violations / warnings",
                  "/ floor --jobs 1", "run as"], body)
