"""The benchmark (``make bench``): exports at 1k / 10k / 110k figures, the rdflib baseline, every format,
the embedded store and validation; then which of the issue's targets (#5) were met.

1. *Exports* (this file). Per size and per ``--jobs`` value:
   ``.venv/bin/pfocr-rdf export TREE -o OUT.ttl --format turtle --jobs N``: wall seconds, figures/s,
   triples/s, output MB/s, the peak RSS of the largest process and the peak summed PSS of the whole
   process tree (see ``measure.py``). The triple count is read from the exporter's closing summary
   (``… N triples written …``) or, failing that, by parsing the output outside the timed run.
   ``--exporter`` takes another command template (``{tree}``, ``{out}``, ``{jobs}``, ``{format}``), e.g.
   the stand-in ``python benchmarks/measure.py demo-export {tree} -o {out} --jobs {jobs}``.
2. *Baseline.* All triples in one rdflib ``Graph``, then ``serialize(format="turtle")``, on the sizes in
   ascending order while its predicted time (previous time x (size ratio) ** 1.5, since rdflib's Turtle
   serializer grows faster than linearly) fits ``--baseline-budget`` and its predicted memory (~1.5 KB
   per triple) fits in available RAM; it is killed at 1.5x the budget. At the largest size it finished,
   the speed-up of each of our runs over it is printed.
3. *Formats* (``formatsbench.py``): every output format at ``--formats-sizes``, ``--jobs 1``.
4. *Store* (``storebench.py``): the Turtle export of ``--store-size`` (default: the largest size)
   loaded with ``pfocr-rdf load`` into a fresh store, then every local shipped query timed.
5. *Validation* (``validatebench.py``): ``pfocr-rdf validate`` on exports of ``--validate-sizes`` figures
   and of the real sample (``--sample``).
6. *Targets* (``targets.py``): one line per target of the issue, met or not; issue #12's limits (validation
   against the export at 3,000 figures and extrapolated to the corpus, each query against 1 s or 4 s)
   are printed together at the end of the run too.

Synthetic trees (``synth.py``) are cached under ``$PFOCR_BENCH_DIR`` (default ``/tmp/pfocr-bench``)
and reused while their seed, size and generator version match; outputs and the store are deleted after
use unless ``--keep-output``. Results go to ``$PFOCR_BENCH_DIR/results-<time>.json`` (every row) and
``results-<time>.md`` (the tables). A quick run: ``--sizes 1000 --formats-sizes 1000 --no-baseline``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import floorbench
import formatsbench
import measure
import storebench
import targets
import validatebench
from common import DEFAULT_EXPORTER, MIB, REPO, ensure_tree, machine, mib, rate, run_export, table

DEFAULT_SAMPLE = REPO.parent / "shared" / "pfocr-sample"


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
            f"{row['max_rss'] / MIB:>9.0f} {row['tree_peak'] / MIB:>9.0f} {row['triples']:>11}")


HEADER = (f"{'who':<16} {'figures':>7} {'jobs':>4} {'seconds':>9} {'figs/s':>9} {'triples/s':>11} "
          f"{'MB/s':>7} {'RSS MiB':>9} {'tree MiB':>9} {'triples':>11}")


def _sizes(text: str) -> list[int]:
    return sorted({int(s) for s in text.split(",") if s.strip()})


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,110000", help="figure counts, comma-separated")
    parser.add_argument("--jobs", default="1,2", help="--jobs values for the exporter, comma-separated")
    parser.add_argument("--seed", type=int, default=1)
    work = Path(os.environ.get("PFOCR_BENCH_DIR", "/tmp/pfocr-bench"))
    parser.add_argument("--work", type=Path, default=work, help=f"cache and results (default {work})")
    parser.add_argument("--exporter", default=DEFAULT_EXPORTER,
                        help="command template: {tree} {out} {jobs} {format}")
    parser.add_argument("--baseline-source", default=measure.DEFAULT_BASELINE_SOURCE, help="MODULE:FUNC")
    parser.add_argument("--baseline-budget", type=float, default=240.0, help="seconds (default 240)")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--floor-sizes", default="3000,10000",
                        help="sizes at which the export runs against the floor (floor.py), side by side; '' skips")
    parser.add_argument("--floor-jobs", type=int, default=2, help="--jobs of both, floor and export (default 2)")
    parser.add_argument("--floor-rounds", type=int, default=2, help="alternating runs of each (default 2; best counts)")
    parser.add_argument("--only-floor", action="store_true", help="run the floor comparison alone, then stop")
    parser.add_argument("--formats-sizes", default="1000,10000",
                        help="sizes for the formats table (default 1000,10000: the largest is tabled, the "
                             "smallest shows whether RSS stays flat); '' skips it")
    parser.add_argument("--store-sizes", default="10000,110000",
                        help="figures of the exports loaded into a store and queried, comma-separated (default "
                             "10000,110000: issue #12's query limits are at 10,000 figures, the README's figures at "
                             "the corpus's size); '' skips the store")
    parser.add_argument("--query-runs", type=int, default=3, help="runs per query: 1 cold + warm (default 3)")
    parser.add_argument("--query-timeout", type=float, default=600.0, help="seconds per query run (default 600)")
    parser.add_argument("--validate-sizes", default="3000,10000",
                        help="synthetic sizes to validate (default 3000,10000: 3,000 is where the issue compares "
                             "validation with the export; '' skips)")
    parser.add_argument("--validate-jobs", type=int, default=1, help="pfocr-rdf validate --jobs (default 1)")
    parser.add_argument("--sample", type=Path, default=DEFAULT_SAMPLE,
                        help=f"the real sample tree to export and validate (default {DEFAULT_SAMPLE}; skipped "
                             "when missing)")
    parser.add_argument("--no-sample", action="store_true")
    parser.add_argument("--keep-output", action="store_true")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    sizes = _sizes(args.sizes)
    jobs_values = [int(j) for j in args.jobs.split(",")]
    store_sizes = _sizes(args.store_sizes)
    args.work.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    started = time.perf_counter()

    info = machine()
    print("machine: " + ", ".join(f"{k}={v}" for k, v in info.items()), flush=True)
    floor_rows: list[dict[str, Any]] = []
    if _sizes(args.floor_sizes):
        floor_rows = floorbench.run(args.exporter, {n: _tree(args, n) for n in _sizes(args.floor_sizes)}, args.work,
                                    jobs=args.floor_jobs, rounds=args.floor_rounds, keep=args.keep_output)
        if not args.only_floor:
            print("\nExport against the floor:\n\n" + floorbench.markdown(floor_rows) + "\n", flush=True)
    if args.only_floor:
        report = ("Export against the floor:\n\n" + floorbench.markdown(floor_rows) + "\n\nTargets:\n\n"
                  + table(["target", "status", "measured"], floorbench.targets(floor_rows)))
        print("\n" + report)
        (args.work / f"results-{stamp}.json").write_text(
            json.dumps({"machine": {**info, "loadavg_end": os.getloadavg()}, "floor": floor_rows}, indent=2) + "\n",
            encoding="utf-8")
        return 0 if all("error" not in r for r in floor_rows) else 1
    rows: list[dict[str, Any]] = []
    trees: dict[int, Path] = {}
    last_baseline: dict[str, Any] | None = None
    baseline_open = not args.no_baseline
    store_inputs: dict[int, Path] = {}
    print(HEADER, flush=True)
    for size in sizes:
        trees[size] = _tree(args, size)
        for jobs in jobs_values:
            out = args.work / f"out-{size}-j{jobs}.ttl"
            keep_for_store = size in store_sizes and size not in store_inputs
            row = run_export(args.exporter, trees[size], out, jobs=jobs, fmt="turtle", figures=size,
                             keep=args.keep_output or keep_for_store)
            rows.append(row)
            print(_fmt(row), flush=True)
            if keep_for_store and "error" not in row:
                store_inputs[size] = out
        if not baseline_open:
            continue
        ours = next((r for r in rows if r["figures"] == size and "triples" in r), None)
        reason = _baseline_skip(last_baseline, size, ours, args.baseline_budget)
        if reason:
            print(f"rdflib baseline  {size:>7}       skipped: {reason}", flush=True)
            baseline_open = False
            continue
        row = run_baseline(trees[size], args.work / f"baseline-{size}.ttl", size, args.baseline_source,
                           args.baseline_budget * 1.5)
        rows.append(row)
        print(_fmt(row), flush=True)
        if "error" in row:
            baseline_open = False
        else:
            last_baseline = row
    if last_baseline:
        print(_speedups(rows, last_baseline), flush=True)

    stores = [_store(args, size, store_inputs.get(size), trees) for size in store_sizes]
    load_rows = [load for load, _, _ in stores if load is not None]
    query_rows = [row for _, _, rows_of_size in stores for row in rows_of_size]
    load_row = load_rows[-1] if load_rows else None  # the largest store, for issue #5's targets
    at_limit = [row for row in query_rows if row["figures"] == targets.QUERIES_AT]
    formats_rows = formatsbench.run(args.exporter, {n: _tree(args, n) for n in _sizes(args.formats_sizes)},
                                    args.work)
    inputs = [(f"synthetic {n:,}", n, _tree(args, n)) for n in _sizes(args.validate_sizes)]
    if not args.no_sample and (args.sample / "_figures").is_dir():
        inputs.append(("real sample", len(list((args.sample / "_figures").glob("*.md"))), args.sample))
    validate_rows = validatebench.run(args.exporter, inputs, args.work, args.validate_jobs) if inputs else []

    largest_queries = [row for row in query_rows if load_row is not None and row["figures"] == load_row["figures"]]
    summary = floorbench.targets(floor_rows) + targets.check(rows, last_baseline, formats_rows, load_row,
                                                             largest_queries)
    limits = targets.check_corpus_limits(validate_rows, at_limit)
    print("\nIssue #12, measured in this run:\n" + targets.lines(limits), flush=True)
    summary += limits
    info["loadavg_end"] = os.getloadavg()
    end = machine()
    info["commit_end"], info["modified_files_end"], info["code_end"] = (
        end.get("commit"), end.get("modified_files"), end["code"])
    info["total_seconds"] = round(time.perf_counter() - started, 1)
    report = _markdown(info, floor_rows, rows, last_baseline, formats_rows, stores, validate_rows, summary)
    print("\n" + report)
    results = {"machine": info, "floor": floor_rows, "rows": rows, "baseline": last_baseline, "formats": formats_rows,
               "store_loads": load_rows, "query_params": {str(load["figures"]): sets for load, sets, _ in stores
                                                          if load is not None},
               "queries": query_rows,
               "validation": validate_rows, "targets": [dict(zip(("target", "status", "measured"), t, strict=True))
                                                         for t in summary]}
    json_path = args.work / f"results-{stamp}.json"
    json_path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    md_path = json_path.with_suffix(".md")
    md_path.write_text(report + "\n", encoding="utf-8")
    print(f"\nresults: {json_path}\n         {md_path}")
    failed = [r for r in rows + formats_rows if r["who"] != "rdflib baseline" and "error" in r]
    return 1 if failed else 0


def _tree(args: argparse.Namespace, size: int) -> Path:
    tree, gen_seconds = ensure_tree(args.work, size, args.seed)
    if gen_seconds is not None:
        print(f"(generated {tree} in {gen_seconds:.1f} s)", flush=True)
    return tree


def _store(args: argparse.Namespace, size: int, turtle: Path | None, trees: dict[int, Path]
           ) -> tuple[dict[str, Any] | None, dict[str, dict[str, str]], list[dict[str, Any]]]:
    """Load the Turtle export of ``size`` figures into a fresh store and time the queries on it."""
    if size <= 0:
        return None, {}, []
    if turtle is None:  # not among the timed exports (or it failed): export it now
        turtle = args.work / f"out-{size}-store.ttl"
        row = run_export(args.exporter, trees.get(size) or _tree(args, size), turtle, jobs=1, fmt="turtle",
                         figures=size, keep=True)
        if "error" in row:
            print(f"store: export of {size} figures failed: {row['error']}", flush=True)
            return None, {}, []
    folder = args.work / f"store-{size}"
    load_row = storebench.load(turtle, folder, size)
    if "error" in load_row:
        print(f"store: load failed: {load_row['error']}", flush=True)
        sets: dict[str, dict[str, str]] = {}
        query_rows: list[dict[str, Any]] = []
    else:
        print(f"store: loaded {load_row['triples']} triples in {load_row['seconds']:.1f} s, "
              f"{mib(load_row['max_rss'])} MiB RSS, {load_row['store_bytes'] / 1e6:.0f} MB on disk", flush=True)
        sets, query_rows = storebench.run_queries(folder, args.work, size, args.query_runs, args.query_timeout)
    if not args.keep_output:
        shutil.rmtree(folder, ignore_errors=True)
        turtle.unlink(missing_ok=True)
    return load_row, sets, query_rows


def _speedups(rows: list[dict[str, Any]], base: dict[str, Any]) -> str:
    n = base["figures"]
    text = (f"\nat {n} figures, the largest size the baseline finished "
            f"({base['seconds']:.1f} s, of which Graph.serialize {base['serialize_seconds']:.1f} s):")
    for r in rows:
        if r["who"] == "pfocr-rdf" and r["figures"] == n and "error" not in r:
            text += (f"\n  pfocr-rdf --jobs {r['jobs']}: {base['seconds'] / r['seconds']:.1f}x the baseline's "
                     f"speed; {r['triples']} triples vs the baseline's {base['triples']}")
    return text


def _markdown(info: dict[str, Any], floor_rows: list[dict[str, Any]], rows: list[dict[str, Any]],
              base: dict[str, Any] | None,
              formats_rows: list[dict[str, Any]],
              stores: list[tuple[dict[str, Any] | None, dict[str, dict[str, str]], list[dict[str, Any]]]],
              validate_rows: list[dict[str, Any]], summary: list[tuple[str, str, str]]) -> str:
    """Return every table of the run, in Markdown."""
    load = ", ".join(f"{x:.2f}" for x in info["loadavg"])
    load_end = ", ".join(f"{x:.2f}" for x in info["loadavg_end"])
    parts = [f"Machine: {info.get('nproc')} CPUs ({info.get('cpu')}), {info.get('mem_total_gib')} GiB RAM; "
             f"Python {info.get('python')}, rdflib {info.get('rdflib')}, pyoxigraph {info.get('pyoxigraph')}, "
             f"pySHACL {info.get('pyshacl')}; commit {info.get('commit')}"
             + (f" (modified: {', '.join(info['modified_files'])})" if info.get("modified_files") else "")
             + f". Load average (1, 5, 15 min) at the start {load}, at the end {load_end}; "
             f"the whole run took {info['total_seconds'] / 60:.0f} min."]
    loads = [load for load, _, _ in stores if load is not None]
    codes = {r["code"] for r in rows + formats_rows + loads if "code" in r}
    if info["code_end"] != info["code"] or len(codes) > 1:
        changed = [f"{r['who']} {r['figures']:,} --jobs {r['jobs']}" for r in rows + formats_rows
                   if r.get("code", info["code"]) != info["code"]]
        parts.append(f"**Warning: the code changed during the run** (code {info['code']} at the start, "
                     f"{info['code_end']} at the end; commit {info['commit']} → {info['commit_end']}); "
                     f"runs on other code than at the start: {', '.join(changed) or 'none of the exports'}.")
    if floor_rows:
        parts.append("Export against the floor (`floor.py`), alternating runs, best of each:\n\n"
                     + floorbench.markdown(floor_rows))
    body = []
    for r in rows:
        if "error" in r:
            body.append([r["who"], f"{r['figures']:,}", r["jobs"], "failed", r["error"], "", "", "", "", ""])
            continue
        s = r["seconds"]
        body.append([r["who"], f"{r['figures']:,}", r["jobs"], f"{s:.1f}", rate(r["figures"], s),
                     rate(r["triples"], s), f"{measure.mb_per_s(r['bytes'], s):.1f}", mib(r["max_rss"]),
                     mib(r["tree_peak"]), f"{r['triples']:,}"])
    parts.append("Turtle export (and the rdflib baseline):\n\n" + table(
        ["who", "figures", "jobs", "seconds", "figures/s", "triples/s", "MB/s", "peak RSS MiB", "tree PSS MiB",
         "triples"], body))
    if base:
        same = [r for r in rows if r["who"] == "pfocr-rdf" and r["figures"] == base["figures"] and "error" not in r]
        parts.append(
            f"Baseline at {base['figures']:,} figures (the largest it finished within the budget): "
            f"{base['seconds']:.1f} s, of which building the Graph {base['build_seconds']:.1f} s and "
            f"Graph.serialize {base['serialize_seconds']:.1f} s; "
            + "; ".join(f"pfocr-rdf --jobs {r['jobs']} is {base['seconds'] / r['seconds']:.1f}x faster" for r in same)
            + ".")
    if formats_rows:
        parts.append("Formats (--jobs 1):\n\n" + formatsbench.markdown(formats_rows))
    for load_row, query_sets, query_rows in stores:
        if load_row is None:
            continue
        parts.append(f"Embedded store of {load_row['figures']:,} figures, `pfocr-rdf load`:\n\n"
                     + storebench.load_markdown(load_row))
        if query_rows:
            params = "; ".join(f"{k} = rank {v.get('rank')} of `top-genes`" for k, v in query_sets.items())
            parts.append(f"Queries on that store (`pfocr-rdf query NAME --store DIR --format csv`, wall clock of "
                         f"the command; {params}):\n\n" + storebench.queries_markdown(query_rows))
    if validate_rows:
        parts.append("Validation (`pfocr-rdf validate FILE --format json`):\n\n"
                     + validatebench.markdown(validate_rows))
    parts.append("Targets:\n\n" + table(["target", "status", "measured"], summary))
    return "\n\n".join(parts)


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
