"""The measurement helpers: peak RSS belongs to the measured command only, trees are summed, timeouts
kill, and the rdflib baseline runs in its own process."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import measure
import pytest
import synth

MIB = 1 << 20
PY = sys.executable


def _alloc(mib: int, sleep: float = 0.4) -> list[str]:
    # bytes * n writes every page, so the memory is really resident (a bare bytearray(n) may not be).
    return [PY, "-c", f"import time; b = b'x' * ({mib} << 20); time.sleep({sleep})"]


def test_max_rss_is_the_commands_own_not_the_callers_nor_an_earlier_child() -> None:
    ballast = b"y" * (400 * MIB)  # the measuring process is big; spawned children start from its RSS
    big = measure.run_measured(_alloc(300))
    small = measure.run_measured(_alloc(50))
    empty = measure.run_measured(_alloc(0))
    assert 300 * MIB <= big.max_rss <= 360 * MIB
    assert 50 * MIB <= small.max_rss <= 110 * MIB  # RUSAGE_CHILDREN would still say 300
    assert empty.max_rss <= 40 * MIB  # without the wrapper it would read the caller's 400+
    assert len(ballast) == 400 * MIB


def test_children_the_command_waits_for_count_in_max_rss() -> None:
    code = f"import subprocess, sys; subprocess.run({_alloc(200)!r})"
    run = measure.run_measured([PY, "-c", code])
    assert run.max_rss >= 200 * MIB


def test_tree_peak_sums_concurrent_workers(tmp_path: Path) -> None:
    script = tmp_path / "workers.py"
    script.write_text(
        "import multiprocessing as mp, time\n"
        "def work(_):\n"
        "    b = b'x' * (150 << 20); time.sleep(0.8); return len(b)\n"
        "if __name__ == '__main__':\n"
        "    with mp.get_context('fork').Pool(2) as pool: pool.map(work, [0, 1])\n"
    )
    run = measure.run_measured([PY, str(script)])
    assert run.returncode == 0, run.stderr
    assert 150 * MIB <= run.max_rss <= 220 * MIB  # the largest single process
    assert run.tree_peak >= 280 * MIB  # both workers at once


@pytest.mark.skipif(not shutil.which("/usr/bin/time"), reason="GNU time is not installed")
def test_agrees_with_gnu_time() -> None:
    ours = measure.run_measured(_alloc(120))
    argv = ["/usr/bin/time", "-f", "%M", *_alloc(120)]
    gnu = subprocess.run(argv, capture_output=True, text=True, check=True)
    theirs = int(gnu.stderr.strip().splitlines()[-1]) * 1024
    assert abs(ours.max_rss - theirs) <= 15 * MIB


def test_exit_codes_output_and_timeouts() -> None:
    code = "import sys; print('out'); print('err', file=sys.stderr); sys.exit(3)"
    run = measure.run_measured([PY, "-c", code])
    assert (run.returncode, run.stdout, run.stderr, run.timed_out) == (3, "out\n", "err\n", False)
    slow = measure.run_measured([PY, "-c", "import time; time.sleep(30)"], timeout=0.5)
    assert slow.timed_out and slow.seconds < 5
    missing = measure.run_measured(["/no/such/command"])
    assert missing.returncode == 127 and "cannot start" in missing.stderr


def test_wall_seconds() -> None:
    run = measure.run_measured([PY, "-c", "import time; time.sleep(0.6)"])
    assert 0.6 <= run.seconds < 3


def test_mb_per_s() -> None:
    assert measure.mb_per_s(50_000_000, 2.0) == 25.0
    assert measure.mb_per_s(1, 0.0) == 0.0


def test_baseline_in_process(tmp_path: Path) -> None:
    from rdflib import Graph, Literal, URIRef

    p = URIRef("http://example.org/p")
    triples = [(URIRef(f"http://example.org/s{i}"), p, Literal(i)) for i in range(50)]
    report = measure.baseline_in_process(iter(triples), tmp_path / "out.ttl")
    assert report["triples"] == 50
    assert len(Graph().parse(tmp_path / "out.ttl", format="turtle")) == 50
    assert report["seconds"] >= report["serialize_seconds"] > 0


def test_baseline_runs_in_its_own_process(tmp_path: Path) -> None:
    synth.generate(tmp_path / "tree", figures=40, seed=2)
    run, report = measure.run_baseline(tmp_path / "tree", tmp_path / "b.ttl", source="measure:demo_triples")
    assert run.returncode == 0, run.stderr
    assert report is not None and report["triples"] > 100
    assert run.max_rss > 20 * MIB  # rdflib imported and a graph built
