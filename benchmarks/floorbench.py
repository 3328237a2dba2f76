"""The export against the floor (``floor.py``), side by side in one run: issue #12's yardstick.

For each size, the floor and ``pfocr-rdf export`` run on the same generated tree with the same ``--jobs``,
alternating (floor, ours, floor, ours, ... ``rounds`` times each), so that both see the same load on a
shared machine; each one's best run counts. The ratio is our best time over the floor's (target: <= 1.5),
and our peak RSS (the largest single process) is checked against 300 MB. Outputs of the last round are
compared as triple sets (``compare.py``: the release description left out): equal, or the row says how not.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Any

import compare
import measure
from common import MIB, SUMMARY, table

_SCRIPT = Path(__file__).resolve().parent / "floor.py"
FLOOR = f"{shlex.quote(sys.executable)} {shlex.quote(str(_SCRIPT))} {{tree}} -o {{out}} --jobs {{jobs}}"
TARGET_RATIO = 1.5
RSS_LIMIT = 300e6


def _run(template: str, tree: Path, out: Path, jobs: int) -> dict[str, Any]:
    argv = [part.format(tree=tree, out=out, jobs=jobs, format="turtle") for part in shlex.split(template)]
    out.unlink(missing_ok=True)
    run = measure.run_measured(argv)
    row: dict[str, Any] = run.as_dict()
    if run.returncode not in (0, 1) or not out.exists():
        row["error"] = (run.stderr.strip().splitlines() or [f"exit {run.returncode}"])[-1][:300]
    found = SUMMARY.search(run.stderr)
    if found:
        row["triples"] = int(found.group(4))
    return row


def export_once(tree: Path, out: Path, *, jobs: int) -> dict[str, Any]:
    """Run the floor once on ``tree`` into ``out``; return the measured row (``error`` if it failed)."""
    return _run(FLOOR, tree, out, jobs)


def run(exporter: str, trees: dict[int, Path], work: Path, *, jobs: int = 2, rounds: int = 2,
        check: bool = True, keep: bool = False) -> list[dict[str, Any]]:
    """Time the floor and the exporter alternately on each tree; return one row per size."""
    rows = []
    for figures, tree in sorted(trees.items()):
        floor_out, our_out = work / f"floor-{figures}.ttl", work / f"ours-{figures}.ttl"
        runs: dict[str, list[dict[str, Any]]] = {"floor": [], "ours": []}
        for _ in range(rounds):
            for who, template, out in (("floor", FLOOR, floor_out), ("ours", exporter, our_out)):
                result = _run(template, tree, out, jobs)
                runs[who].append(result)
                state = result.get("error") or f"{result['seconds']:.1f} s, {result['max_rss'] / MIB:.0f} MiB"
                print(f"floor bench {figures:>7} --jobs {jobs} {who:<5} {state}", flush=True)
        row: dict[str, Any] = {"figures": figures, "jobs": jobs, "rounds": rounds}
        failed = [r["error"] for rs in runs.values() for r in rs if "error" in r]
        if failed:
            row["error"] = failed[0]
        else:
            floor, ours = (min(runs[w], key=lambda r: r["seconds"]) for w in ("floor", "ours"))
            row.update(floor_seconds=floor["seconds"], our_seconds=ours["seconds"],
                       ratio=ours["seconds"] / floor["seconds"], floor_rss=floor["max_rss"],
                       our_rss=max(r["max_rss"] for r in runs["ours"]), triples=ours.get("triples"),
                       floor_all=[r["seconds"] for r in runs["floor"]], our_all=[r["seconds"] for r in runs["ours"]])
            if check:
                row["same"], row["comparison"] = compare.same_triples(our_out, floor_out)
            print(f"floor bench {figures:>7} --jobs {jobs} ratio {row['ratio']:.2f} (ours {ours['seconds']:.1f} s, "
                  f"floor {floor['seconds']:.1f} s); " + (row.get("comparison") or "outputs not compared"), flush=True)
        rows.append(row)
        if not keep:
            floor_out.unlink(missing_ok=True)
            our_out.unlink(missing_ok=True)
    return rows


def markdown(rows: list[dict[str, Any]]) -> str:
    """Return the floor table in Markdown."""
    body = []
    for r in rows:
        if "error" in r:
            body.append([f"{r['figures']:,}", r["jobs"], "failed", r["error"], "", "", "", ""])
            continue
        body.append([f"{r['figures']:,}", r["jobs"], f"{r['floor_seconds']:.1f}", f"{r['our_seconds']:.1f}",
                     f"{r['ratio']:.2f}", f"{r['floor_rss'] / MIB:.0f}", f"{r['our_rss'] / MIB:.0f}",
                     "yes" if r.get("same") else ("not checked" if "same" not in r else "NO")])
    return table(["figures", "jobs", "floor s", "ours s", "ratio", "floor RSS MiB", "our RSS MiB",
                  "same triples"], body)


def targets(rows: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    """Return the issue's export targets (#12): ratio <= 1.5 at each size, RSS <= 300 MB, same triples."""
    out = []
    for r in rows:
        name = f"export within {TARGET_RATIO}x the floor at {r['figures']:,} figures, --jobs {r['jobs']}"
        if "error" in r:
            out.append((name, "not measured", f"failed: {r['error']}"))
            continue
        out.append((name, "met" if r["ratio"] <= TARGET_RATIO else "NOT met",
                    f"{r['ratio']:.2f}x ({r['our_seconds']:.1f} s vs {r['floor_seconds']:.1f} s)"))
        out.append((f"same triples as the floor at {r['figures']:,} figures",
                    "met" if r.get("same") else ("not measured" if "same" not in r else "NOT met"),
                    r.get("comparison", "not compared")))
        out.append((f"peak RSS <= 300 MB at {r['figures']:,} figures, --jobs {r['jobs']}",
                    "met" if r["our_rss"] <= RSS_LIMIT else "NOT met", f"{r['our_rss'] / 1e6:.0f} MB"))
    return out
