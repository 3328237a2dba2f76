"""Measure a command's wall time and memory, and run the rdflib baseline in its own process.

Memory, and why it is measured this way:

- ``max_rss``: the kernel's high-water mark of resident memory for the measured command, from
  ``os.wait4(pid)``. On Linux ``wait4`` reports ``getrusage(child, RUSAGE_BOTH)``: the larger of the
  child's own peak and the peaks of the descendants it waited for (a ``--jobs 2`` exporter's workers).
  It belongs to that one child, unlike ``resource.getrusage(RUSAGE_CHILDREN)``, whose ``ru_maxrss`` is the
  maximum over *all* children ever waited for (after a 2 GB run, every later run would read 2 GB).
- Two traps, and the tiny wrapper that avoids them: a child's ``ru_maxrss`` starts at the RSS of the
  process it was forked (or vforked / posix_spawned) from, because ``exec`` records the old image's
  high-water mark. Measured from this harness (tens of MB, or GBs inside pytest after a big test), even
  ``/bin/true`` would read as large as the harness. So every command runs under a minimal wrapper
  (``python -I -S -c``, ~9 MB), which spawns the command, ``wait4``s it and writes the numbers to a
  report file. The floor is therefore ~9 MB, below the RSS of any Python command we measure.
  (``/usr/bin/time -v`` does the same with a ~2 MB floor; the wrapper saves parsing its text and works
  where it is not installed.)
- ``tree_peak``: ``max_rss`` is the peak of the *largest single* process. With ``--jobs 2`` the memory
  the run needs is the sum over the parent and its workers at the same moment, which no rusage field
  gives. A sampler thread reads the process tree below the wrapper (``/proc/<pid>/task/*/children``)
  every 50 ms and sums each process's PSS from ``/proc/<pid>/smaps_rollup`` (proportional set size:
  pages shared after a ``fork`` are split between the processes instead of counted twice; RSS from
  ``/proc/<pid>/statm`` where ``smaps_rollup`` is missing). The interval grows on long runs (1% of the
  time elapsed, at most 0.5 s): reading ``smaps_rollup`` of a GB-sized process costs CPU, and a sampler
  polling every 50 ms for an hour took ~18% of one core. Sampling can miss a peak shorter than the
  interval, so it is a lower bound; for one process it reads a little under ``max_rss`` for that reason
  and because PSS <= RSS.

Time: ``seconds`` is wall clock measured by the wrapper from the spawn to the reaping of the command.
Throughput: ``mb_per_s`` uses MB = 10**6 bytes of output.

The baseline (``python benchmarks/measure.py baseline --source MODULE:FUNC TREE OUT``) is what a user would
write with rdflib alone: every triple of the tree added to one ``Graph``, then
``Graph.serialize(format="turtle")``. ``FUNC([TREE])`` must yield rdflib triples; the default is the
project's ``pfocr_rdf.export:triples_of``. It runs in a child process so its ``max_rss`` is its own.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "Run",
    "baseline_in_process",
    "mb_per_s",
    "run_baseline",
    "run_measured",
    "tree_memory",
]

_PAGE = os.sysconf("SC_PAGE_SIZE")
DEFAULT_BASELINE_SOURCE = "pfocr_rdf.export:triples_of"


@dataclass(frozen=True)
class Run:
    """One measured command."""

    argv: list[str]
    returncode: int
    seconds: float  # wall clock, from just before the fork to the reaping of the child
    max_rss: int  # bytes: the peak of the largest single process of the tree (wait4)
    tree_peak: int  # bytes: the largest sampled sum of PSS over the whole process tree
    user_seconds: float
    system_seconds: float
    timed_out: bool
    stdout: str
    stderr: str

    def as_dict(self) -> dict[str, Any]:
        """Return the run as plain data (without the captured output)."""
        data = asdict(self)
        data.pop("stdout")
        data.pop("stderr")
        return data


def mb_per_s(nbytes: int, seconds: float) -> float:
    """Return throughput in MB/s (MB = 10**6 bytes); 0.0 for a zero duration."""
    return nbytes / 1e6 / seconds if seconds > 0 else 0.0


def _children(pid: int) -> list[int]:
    """Return the direct children of ``pid`` (over all its threads); [] once it is gone."""
    kids: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return kids
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children", encoding="ascii") as fh:
                kids.extend(int(k) for k in fh.read().split())
        except OSError:
            continue
    return kids


def _process_memory(pid: int) -> int:
    """Return the PSS of ``pid`` in bytes (RSS where smaps_rollup is missing); 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as fh:
            return int(fh.read().split()[1]) * _PAGE
    except OSError:
        return 0


def tree_memory(pid: int, *, include_self: bool = True) -> int:
    """Return the summed PSS in bytes of ``pid`` (unless ``include_self`` is False) and its descendants."""
    total, stack, seen = 0, [pid], set()
    while stack:
        p = stack.pop()
        if p in seen:
            continue
        seen.add(p)
        if include_self or p != pid:
            total += _process_memory(p)
        stack.extend(_children(p))
    return total


class _Sampler(threading.Thread):
    """Poll the process tree below ``pid`` until stopped, keeping the largest sum seen."""

    def __init__(self, pid: int, interval: float) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak = pid, interval, 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        start = time.perf_counter()
        while not self._stop_event.is_set():
            self.peak = max(self.peak, tree_memory(self.pid, include_self=False))
            # Reading smaps_rollup of a big process costs milliseconds of CPU: on a long run, sample less
            # often (1% of the time elapsed, at most every 0.5 s), so that the sampler does not compete
            # with the command for the CPUs.
            elapsed = time.perf_counter() - start
            self._stop_event.wait(min(max(self.interval, elapsed / 100), max(self.interval, 0.5)))

    def stop(self) -> int:
        self._stop_event.set()
        self.join()
        return self.peak


# Runs as ``python -I -S -c _WRAPPER REPORT CMD...``: small, so the command's ru_maxrss starts near zero.
_WRAPPER = """
import json, os, sys, time
report, argv = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
try:
    pid = os.posix_spawnp(argv[0], argv, os.environ)
except OSError as err:
    print(f"cannot start {argv[0]!r}: {err}", file=sys.stderr)
    sys.exit(127)
_, status, ru = os.wait4(pid, 0)
seconds = time.perf_counter() - start
code = os.waitstatus_to_exitcode(status)
with open(report, "w") as fh:
    json.dump({"seconds": seconds, "returncode": code, "maxrss_kb": ru.ru_maxrss,
               "user": ru.ru_utime, "system": ru.ru_stime}, fh)
sys.exit(code if code >= 0 else 128 - code)
"""


def run_measured(
    argv: Sequence[str],
    *,
    timeout: float | None = None,
    interval: float = 0.05,
    env: dict[str, str] | None = None,
    cwd: str | Path | None = None,
) -> Run:
    """Run ``argv`` to completion and return its wall time, peak RSS, tree peak and output.

    The command runs under the small wrapper described above, in its own session, so a timeout kills
    the whole process group. Raises OSError when the wrapper cannot be started.
    """
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp, "report.json")
        out_path, err_path = Path(tmp, "stdout"), Path(tmp, "stderr")
        wrapped = [sys.executable, "-I", "-S", "-c", _WRAPPER, str(report), *argv]
        start = time.perf_counter()
        # Files, not pipes: a chatty child can never block on a full pipe while we wait.
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            proc = subprocess.Popen(wrapped, stdout=out, stderr=err, env=env, cwd=cwd, start_new_session=True)
        sampler = _Sampler(proc.pid, interval)
        sampler.start()
        try:
            proc.wait(timeout=timeout)
            timed_out = False
        except subprocess.TimeoutExpired:
            timed_out = True
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()
        wall = time.perf_counter() - start
        peak = sampler.stop()
        numbers: dict[str, Any] = json.loads(report.read_text()) if report.exists() else {}
        return Run(
            argv=list(argv),
            returncode=int(numbers["returncode"]) if "returncode" in numbers else int(proc.returncode),
            seconds=float(numbers.get("seconds", wall)),
            max_rss=int(numbers.get("maxrss_kb", 0)) * 1024,  # Linux reports kilobytes; 0: unknown
            tree_peak=peak,
            user_seconds=float(numbers.get("user", 0.0)),
            system_seconds=float(numbers.get("system", 0.0)),
            timed_out=timed_out,
            stdout=out_path.read_bytes().decode("utf-8", "replace"),
            stderr=err_path.read_bytes().decode("utf-8", "replace"),
        )


# ---------------------------------------------------------------------------------------------------
# The rdflib baseline


def _load_source(spec: str) -> Callable[[list[Path]], Iterable[Any]]:
    """Return the function named ``module:function``. Raises ImportError / AttributeError."""
    module, _, name = spec.partition(":")
    func: Callable[[list[Path]], Iterable[Any]] = getattr(importlib.import_module(module), name)
    return func


def baseline_in_process(triples: Iterable[Any], out: Path) -> dict[str, Any]:
    """Add ``triples`` to one rdflib Graph, serialize it as Turtle to ``out``; return counts and times.

    ``build_seconds`` includes producing the triples (reading and mapping, when they come from a
    generator), ``serialize_seconds`` is ``Graph.serialize`` alone.
    """
    from rdflib import Graph

    start = time.perf_counter()
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    built = time.perf_counter()
    graph.serialize(destination=str(out), format="turtle")
    done = time.perf_counter()
    return {
        "triples": len(graph),
        "build_seconds": built - start,
        "serialize_seconds": done - built,
        "seconds": done - start,
        "bytes": out.stat().st_size,
    }


def run_baseline(
    tree: Path,
    out: Path,
    *,
    source: str = DEFAULT_BASELINE_SOURCE,
    timeout: float | None = None,
    python: str = sys.executable,
) -> tuple[Run, dict[str, Any] | None]:
    """Run the baseline on ``tree`` in a child process; return the run and its report (None if it failed)."""
    argv = [python, str(Path(__file__).resolve()), "baseline", "--source", source, str(tree), str(out)]
    run = run_measured(argv, timeout=timeout)
    report = None
    if run.returncode == 0:
        lines = run.stdout.strip().splitlines()
        report = json.loads(lines[-1]) if lines else None
    return run, report


# ---------------------------------------------------------------------------------------------------
# A stand-in triple source and exporter, to exercise the harness before the project's exporter exists


def demo_triples(sources: Iterable[str | Path]) -> Iterable[Any]:
    """Yield rdflib triples for a PFOCR tree without the project: figure -> gene mentions, per TSV row.

    A stand-in only, for testing the harness: it parses nothing but the genes TSVs and mints one
    mention node per row under ``…/figures/<figid>/gene/``, the IRI shape that makes rdflib's Turtle
    serializer slow.
    """
    from rdflib import Literal, Namespace, URIRef
    from rdflib.namespace import RDF

    schema = Namespace("http://schema.org/")
    pfocr = Namespace("https://pfocr.wikipathways.org/vocab#")
    for source in sources:
        for path in sorted(Path(source, "_data").glob("*-genes.tsv")):
            figid = path.name[: -len("-genes.tsv")]
            fig = URIRef(f"https://pfocr.wikipathways.org/figures/{figid}.html")
            yield fig, RDF.type, schema.ImageObject
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()[1:]):
                cells = line.split("\t")
                gene = URIRef(f"https://identifiers.org/ncbigene/{cells[6]}")
                mention = URIRef(f"https://pfocr.wikipathways.org/figures/{figid}/gene/{n}")
                yield fig, pfocr.mentionsGene, gene
                yield mention, pfocr.ocrText, Literal(cells[3])
                yield gene, schema.name, Literal(cells[5])


def _demo_export(tree: Path, out: Path) -> int:
    """Write ``demo_triples`` as N-Triples-style Turtle, streaming; return the number of triples."""
    n = 0
    with open(out, "w", encoding="utf-8") as fh:
        for s, p, o in demo_triples([tree]):
            fh.write(f"{s.n3()} {p.n3()} {o.n3()} .\n")
            n += 1
    return n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark helpers run as child processes.")
    commands = parser.add_subparsers(dest="command", required=True)
    base = commands.add_parser("baseline", help="rdflib: all triples in one Graph, then serialize as Turtle")
    base.add_argument("--source", default=DEFAULT_BASELINE_SOURCE, help="MODULE:FUNC yielding triples")
    base.add_argument("tree", type=Path)
    base.add_argument("out", type=Path)
    demo = commands.add_parser("demo-export", help="a stand-in exporter for testing the harness")
    demo.add_argument("tree", type=Path)
    demo.add_argument("-o", "--output", type=Path, required=True)
    demo.add_argument("--format", default="turtle")
    demo.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args(argv)
    if args.command == "baseline":
        report = baseline_in_process(_load_source(args.source)([args.tree]), args.out)
        print(json.dumps(report))
    else:
        n = _demo_export(args.tree, args.output)
        summary = f"read 0 records: 0 exported, 0 rejected; {n} triples written to {args.output}"
        print(summary, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
