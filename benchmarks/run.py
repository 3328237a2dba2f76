"""The export benchmark (``make bench``): our exporter at 1k / 10k / 110k figures, and the rdflib baseline.

HARNESS: it drives the exporter through its command line,
``.venv/bin/pfocr-rdf export TREE -o OUT.ttl --format turtle --jobs N``; until the exporter accepts
``--jobs`` those rows fail with the exporter's own message and the run goes on. ``--exporter`` takes
another command template (``{tree}``, ``{out}``, ``{jobs}``), e.g. the stand-in
``python benchmarks/measure.py demo-export {tree} -o {out} --jobs {jobs}`` used to test this file.

Per size and per ``--jobs`` value it prints wall seconds, figures/s, triples/s, output MB/s, the peak
RSS of the largest process and the peak summed PSS of the whole process tree (see ``measure.py``). The
triple count is read from the exporter's closing summary (``… N triples written …``) or, failing that,
by parsing the output with pyoxigraph outside the timed run.

The baseline (all triples in one rdflib ``Graph``, then ``serialize(format="turtle")``) runs on the
sizes in ascending order while its predicted time (previous time x (size ratio) ** 1.5, since rdflib's
Turtle serializer grows faster than linearly) fits ``--baseline-budget`` and its predicted memory
(~1.5 KB per triple) fits in available RAM; it is killed at 1.5x the budget. At the largest size it
finished, the speed-up of each of our runs over it is printed.

Synthetic trees (``synth.py``) are cached under ``$PFOCR_BENCH_DIR`` (default ``/tmp/pfocr-bench``)
and reused while their seed, size and generator version match; outputs are deleted after counting unless
``--keep-output``. Results also go to ``$PFOCR_BENCH_DIR/results-<time>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import measure
import synth

REPO = Path(__file__).resolve().parent.parent
DEFAULT_EXPORTER = f"{REPO}/.venv/bin/pfocr-rdf export {{tree}} -o {{out}} --format turtle --jobs {{jobs}}"
_SUMMARY = re.compile(r"read (\d+) records: (\d+) exported, (\d+) rejected; (\d+) triples")
_MIB = 1 << 20


def machine() -> dict[str, Any]:
    """Return what the numbers depend on: CPUs, memory, CPU model, load, versions, commit."""
    info: dict[str, Any] = {"nproc": os.cpu_count(), "python": platform.python_version()}
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
        info["cpu"] = next((ln.split(":", 1)[1].strip() for ln in cpuinfo.splitlines()
                            if ln.startswith("model name")), "unknown")
        meminfo = dict(ln.split(":", 1) for ln in Path("/proc/meminfo").read_text().splitlines() if ":" in ln)
        info["mem_total_gib"] = round(int(meminfo["MemTotal"].split()[0]) / 2**20, 1)
        info["mem_available_gib"] = round(int(meminfo["MemAvailable"].split()[0]) / 2**20, 1)
    except (OSError, KeyError, ValueError):
        pass
    info["loadavg"] = os.getloadavg()
    for module in ("rdflib", "pyoxigraph", "yaml", "pfocr_rdf"):
        try:
            info[module] = getattr(__import__(module), "__version__", "?")
        except ImportError:
            info[module] = None
    try:
        info["commit"] = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                                        capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        info["commit"] = None
    return info


def ensure_tree(work: Path, figures: int, seed: int) -> tuple[Path, float | None]:
    """Return a cached synthetic tree of ``figures`` figures (generated when missing or stale)."""
    tree = work / "trees" / f"f{figures}-s{seed}-v{synth.GENERATOR_VERSION}"
    stamp = tree / "SYNTH.json"
    if stamp.exists():
        info = json.loads(stamp.read_text(encoding="utf-8"))
        if (info.get("figures"), info.get("seed"), info.get("generator_version")) == (
            figures, seed, synth.GENERATOR_VERSION
        ):
            return tree, None
    shutil.rmtree(tree, ignore_errors=True)
    info = synth.generate(tree, figures=figures, seed=seed, jobs=os.cpu_count() or 1)
    return tree, float(info["seconds"])


def count_triples(path: Path) -> int:
    """Return the number of triples in a Turtle file (pyoxigraph, streaming)."""
    import pyoxigraph as ox

    return sum(1 for _ in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))


def run_ours(template: str, tree: Path, out: Path, jobs: int, figures: int, keep: bool) -> dict[str, Any]:
    """Run the exporter once and return its row of results."""
    argv = [part.format(tree=tree, out=out, jobs=jobs) for part in shlex.split(template)]
    run = measure.run_measured(argv)
    row: dict[str, Any] = {"who": "pfocr-rdf", "figures": figures, "jobs": jobs, **run.as_dict()}
    if run.returncode not in (0, 1) or not out.exists():  # 1: some records rejected, still a full run
        row["error"] = (run.stderr.strip().splitlines() or [f"exit {run.returncode}"])[-1][:300]
        return row
    found = _SUMMARY.search(run.stderr)
    row["bytes"] = out.stat().st_size
    if found:
        row["records_read"], row["exported"], row["rejected"] = (int(g) for g in found.groups()[:3])
        row["triples"] = int(found.group(4))
    else:
        row["triples"] = count_triples(out)
    if not keep:
        out.unlink()
    return row


def run_baseline(tree: Path, out: Path, figures: int, source: str, timeout: float) -> dict[str, Any]:
    """Run the rdflib baseline once and return its row of results."""
    run, report = measure.run_baseline(tree, out, source=source, timeout=timeout)
    row: dict[str, Any] = {"who": "rdflib baseline", "figures": figures, "jobs": 1, **run.as_dict()}
    if report is None:
        why = "timed out" if run.timed_out else (run.stderr.strip().splitlines() or ["failed"])[-1][:300]
        row["error"] = why
    else:
        row.update(report)
        row["seconds"] = run.seconds  # the child's whole life, interpreter start-up included, like ours
    out.unlink(missing_ok=True)
    return row


def _fmt(row: dict[str, Any]) -> str:
    if "error" in row:
        return f"{row['who']:<16} {row['figures']:>7} {row['jobs']:>4}  failed: {row['error']}"
    s = row["seconds"]
    return (f"{row['who']:<16} {row['figures']:>7} {row['jobs']:>4} {s:>9.2f} {row['figures'] / s:>9.0f} "
            f"{row['triples'] / s:>11.0f} {measure.mb_per_s(row['bytes'], s):>7.1f} "
            f"{row['max_rss'] / _MIB:>9.0f} {row['tree_peak'] / _MIB:>9.0f} {row['triples']:>11}")


HEADER = (f"{'who':<16} {'figures':>7} {'jobs':>4} {'seconds':>9} {'figs/s':>9} {'triples/s':>11} "
          f"{'MB/s':>7} {'RSS MiB':>9} {'tree MiB':>9} {'triples':>11}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,110000", help="figure counts, comma-separated")
    parser.add_argument("--jobs", default="1,2", help="--jobs values for the exporter, comma-separated")
    parser.add_argument("--seed", type=int, default=1)
    work = Path(os.environ.get("PFOCR_BENCH_DIR", "/tmp/pfocr-bench"))
    parser.add_argument("--work", type=Path, default=work, help=f"cache and results (default {work})")
    parser.add_argument("--exporter", default=DEFAULT_EXPORTER, help="command template: {tree} {out} {jobs}")
    parser.add_argument("--baseline-source", default=measure.DEFAULT_BASELINE_SOURCE, help="MODULE:FUNC")
    parser.add_argument("--baseline-budget", type=float, default=240.0, help="seconds (default 240)")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--keep-output", action="store_true")
    args = parser.parse_args(argv)
    sizes = sorted({int(s) for s in args.sizes.split(",")})
    jobs_values = [int(j) for j in args.jobs.split(",")]
    args.work.mkdir(parents=True, exist_ok=True)

    info = machine()
    print("machine: " + ", ".join(f"{k}={v}" for k, v in info.items()), flush=True)
    rows: list[dict[str, Any]] = []
    last_baseline: dict[str, Any] | None = None
    baseline_open = not args.no_baseline
    print(HEADER, flush=True)
    for size in sizes:
        tree, gen_seconds = ensure_tree(args.work, size, args.seed)
        if gen_seconds is not None:
            print(f"(generated {tree} in {gen_seconds:.1f} s)", flush=True)
        for jobs in jobs_values:
            out = args.work / f"out-{size}-j{jobs}.ttl"
            row = run_ours(args.exporter, tree, out, jobs, size, args.keep_output)
            rows.append(row)
            print(_fmt(row), flush=True)
        if not baseline_open:
            continue
        ours = next((r for r in rows if r["figures"] == size and "triples" in r), None)
        reason = _baseline_skip(last_baseline, size, ours, args.baseline_budget)
        if reason:
            print(f"rdflib baseline  {size:>7}       skipped: {reason}", flush=True)
            baseline_open = False
            continue
        row = run_baseline(tree, args.work / f"baseline-{size}.ttl", size, args.baseline_source,
                           args.baseline_budget * 1.5)
        rows.append(row)
        print(_fmt(row), flush=True)
        if "error" in row:
            baseline_open = False
        else:
            last_baseline = row

    if last_baseline:
        base = last_baseline
        n = base["figures"]
        print(f"\nat {n} figures, the largest size the baseline finished "
              f"({base['seconds']:.1f} s, of which Graph.serialize {base['serialize_seconds']:.1f} s):")
        for r in rows:
            if r["who"] == "pfocr-rdf" and r["figures"] == n and "error" not in r:
                print(f"  pfocr-rdf --jobs {r['jobs']}: {base['seconds'] / r['seconds']:.1f}x the baseline's "
                      f"speed; {r['triples']} triples vs the baseline's {base['triples']}")
    result = args.work / time.strftime("results-%Y%m%d-%H%M%S.json")
    info["loadavg_end"] = os.getloadavg()
    result.write_text(json.dumps({"machine": info, "rows": rows}, indent=2) + "\n", encoding="utf-8")
    print(f"\nresults: {result}")
    return 0 if all("error" not in r for r in rows if r["who"] == "pfocr-rdf") else 1


def _baseline_skip(last: dict[str, Any] | None, size: int, ours: dict[str, Any] | None, budget: float) -> str:
    """Return why the baseline should not run at ``size`` (empty when it should)."""
    if last is not None:
        predicted = last["seconds"] * (size / last["figures"]) ** 1.5
        if predicted > budget:
            return f"predicted {predicted:.0f} s > budget {budget:.0f} s"
    if ours is not None:
        need = ours["triples"] * 1500
        avail = _mem_available()
        if avail and need > 0.8 * avail:
            gib = 2**30
            return f"predicted {need / gib:.1f} GiB of rdflib Graph > 80% of {avail / gib:.1f} GiB available"
    return ""


def _mem_available() -> int:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
