"""Output integrity: an export killed halfway never leaves a truncated file under the final name.

A corpus big enough to take a few seconds (the example records copied a few hundred times under new
figids) is exported for real, in a subprocess, to ``-o out.ttl --rejects rejects.jsonl``. Once the
temporary ``.out.ttl.*.part`` beside the target holds data, the test sends a signal, then checks that
``out.ttl`` and ``rejects.jsonl`` are the previous complete files byte for byte, or absent when there
were none. SIGINT (Ctrl-C) must end with exit code 130, a one-line message, no traceback and no
temporary file left; SIGTERM (a scheduler's stop) likewise, with exit code 143; SIGKILL ends the process
where it stands, so a leftover ``.part`` is acceptable there, but never anything under the final names.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

COPIES = 250  # of the 8 example records: 2,000 records, about 3 s of work on a quiet machine
PREVIOUS = "@prefix ex: <http://example.org/> .\nex:previous ex:export ex:complete .\n"
PREVIOUS_REJECTS = json.dumps({"file": "previous.md", "line": None, "field": None, "reason": "previous run",
                               "figid": None}) + "\n"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, examples_dir: Path) -> Path:
    """The example records (and their TSVs) copied COPIES times under new figids, plus one bad record."""
    tree = tmp_path_factory.mktemp("corpus")
    (tree / "_figures").mkdir()
    (tree / "_data").mkdir()
    tables: dict[str, list[tuple[str, str]]] = {}
    for path in sorted((examples_dir / "_data").glob("*.tsv")):
        figid, _, kind = path.stem.rpartition("-")
        tables.setdefault(figid, []).append((kind, path.read_text(encoding="utf-8")))
    records = [(path.stem, path.read_text(encoding="utf-8"))
               for path in sorted((examples_dir / "_figures").glob("*.md"))]
    for i in range(COPIES):
        for figid, text in records:
            new = f"{figid}x{i}"
            (tree / "_figures" / f"{new}.md").write_text(text.replace(figid, new), encoding="utf-8")
            for kind, table in tables.get(figid, []):
                (tree / "_data" / f"{new}-{kind}.tsv").write_text(table, encoding="utf-8")
    (tree / "_figures" / "PMC1__bad.md").write_text("---\nfigid: PMC1__bad\n---\n", encoding="utf-8")
    return tree


def _start(corpus: Path, folder: Path, *extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    return subprocess.Popen(
        [sys.executable, "-m", "pfocr_rdf", "export", str(corpus), "-o", "out.ttl",
         "--rejects", "rejects.jsonl", *extra],
        cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        start_new_session=True,  # its own process group, so a signal to the group reaches only the export
    )


def _wait_until_writing(proc: subprocess.Popen[str], folder: Path, timeout: float = 120) -> None:
    """Return once the temporary output file holds data; fail if the export ends first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(part.stat().st_size > 0 for part in folder.glob(".out.ttl.*.part")):
            time.sleep(0.2)  # well inside the run: it writes for seconds after the first flush
            if proc.poll() is None:
                return
        if proc.poll() is not None:
            break
        time.sleep(0.005)
    proc.kill()
    pytest.fail(f"the export ended (or never wrote) before it could be interrupted: make the corpus bigger; "
                f"exit {proc.returncode}")


def _finish(proc: subprocess.Popen[str], timeout: float = 120) -> str:
    """Return the command's stderr once it has ended; kill its whole group and fail if it hangs."""
    try:
        return proc.communicate(timeout=timeout)[1]
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # never leave a hung command and its workers behind
        proc.communicate()
        pytest.fail(f"the interrupted command still ran after {timeout:.0f} s: it hangs")


@pytest.mark.parametrize("previous", [True, False], ids=["previous-file", "no-previous-file"])
@pytest.mark.parametrize(("sig", "jobs", "group"), [
    pytest.param(signal.SIGINT, 1, False, id="SIGINT"),
    pytest.param(signal.SIGINT, 2, True, id="SIGINT-to-group-with-workers"),
    pytest.param(signal.SIGKILL, 1, False, id="SIGKILL"),
    pytest.param(signal.SIGKILL, 2, True, id="SIGKILL-to-group-with-workers"),
    pytest.param(signal.SIGTERM, 1, False, id="SIGTERM"),
])
def test_interrupted_export_leaves_previous_file_or_none(
    corpus: Path, tmp_path: Path, sig: signal.Signals, jobs: int, group: bool, previous: bool
) -> None:
    out, rejects = tmp_path / "out.ttl", tmp_path / "rejects.jsonl"
    if previous:
        out.write_text(PREVIOUS, encoding="utf-8")
        rejects.write_text(PREVIOUS_REJECTS, encoding="utf-8")

    proc = _start(corpus, tmp_path, "--jobs", str(jobs))
    _wait_until_writing(proc, tmp_path)
    if group:
        os.killpg(proc.pid, sig)  # as a terminal's Ctrl-C does: every process of the group
    else:
        proc.send_signal(sig)
    stderr = _finish(proc)

    if previous:
        assert out.read_text(encoding="utf-8") == PREVIOUS, "out.ttl is not the previous complete file"
        assert rejects.read_text(encoding="utf-8") == PREVIOUS_REJECTS, "rejects.jsonl is not the previous"
    else:
        assert not out.exists(), "a partial out.ttl was left under the final name"
        assert not rejects.exists(), "a partial rejects.jsonl was left under the final name"
    names = {path.name for path in tmp_path.iterdir()}
    temporary = {n for n in names if n.startswith((".out.ttl.", ".rejects.jsonl.")) and n.endswith(".part")}
    assert names <= {"out.ttl", "rejects.jsonl"} | temporary, names
    if sig == signal.SIGINT:
        assert proc.returncode == 130, stderr
        assert "Traceback" not in stderr and "ForkPoolWorker" not in stderr, stderr
        assert stderr.strip() == "interrupted; no partial output was left under the final name", stderr
        assert not [n for n in names if n.endswith(".part")], f"temporary files left behind: {names}"
    elif sig == signal.SIGTERM:  # a scheduler's stop unwinds like Ctrl-C
        assert proc.returncode == 128 + signal.SIGTERM, stderr
        assert stderr.strip() == "terminated; no partial output was left under the final name", stderr
        assert not [n for n in names if n.endswith(".part")], f"temporary files left behind: {names}"
    else:
        assert proc.returncode == -sig, stderr


def test_uninterrupted_export_of_the_corpus_completes(corpus: Path, tmp_path: Path) -> None:
    """The same run, left alone, replaces the previous files with complete ones."""
    (tmp_path / "out.ttl").write_text(PREVIOUS, encoding="utf-8")
    proc = _start(corpus, tmp_path)
    _, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 1, stderr  # the one bad record
    records = COPIES * 8 + 1
    assert f"read {records} records: {records - 1} exported, 1 rejected;" in stderr
    text = (tmp_path / "out.ttl").read_text(encoding="utf-8")
    assert text.startswith("@prefix") and "<https://pfocr.wikipathways.org/dataset>" in text
    assert '"reason": "missing' in (tmp_path / "rejects.jsonl").read_text(encoding="utf-8")
    assert not list(tmp_path.glob("*.part")) and not list(tmp_path.glob(".*.part"))


# -- validate: the store on disk is removed ---------------------------------------------------------


@pytest.fixture(scope="module")
def big_export(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus exported once: above the size at which validation puts its store on disk."""
    out = tmp_path_factory.mktemp("export") / "big.ttl"
    subprocess.run([sys.executable, "-m", "pfocr_rdf", "export", str(corpus), "-o", str(out)],
                   capture_output=True, check=False, timeout=300)
    assert out.stat().st_size > 4 * 1024 * 1024, "too small to put the store on disk"
    return out


@pytest.mark.parametrize(("sig", "jobs"), [(signal.SIGINT, 1), (signal.SIGINT, 2), (signal.SIGTERM, 1)])
def test_interrupted_validation_removes_its_store(big_export: Path, tmp_path: Path, sig: signal.Signals,
                                                  jobs: int) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-m", "pfocr_rdf", "validate", str(big_export), "--jobs", str(jobs)],
        env={**os.environ, "TMPDIR": str(temp)}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        start_new_session=True)
    deadline = time.monotonic() + 120
    while not any(p.name.startswith("pfocr-validate-") and any(p.iterdir()) for p in temp.iterdir()):
        assert proc.poll() is None, f"validation ended before its store was made: {proc.communicate()[1]}"
        assert time.monotonic() < deadline, "no store appeared"
        time.sleep(0.01)
    time.sleep(0.5)  # into the loading
    os.killpg(proc.pid, sig)  # as a terminal's Ctrl-C does: every process of the group
    stderr = _finish(proc)

    assert "Traceback" not in stderr, stderr
    assert proc.returncode == (130 if sig == signal.SIGINT else 128 + signal.SIGTERM), stderr
    assert list(temp.iterdir()) == [], "the store on disk was left behind"


def test_stop_signal_during_the_pool_is_raised_once_the_pool_is_ended() -> None:
    """A Ctrl-C while workers run is noted, not raised inside the pool's locks, then raised after it."""
    from pfocr_rdf.export import _stop_signals_deferred

    reached_end = False
    with pytest.raises(KeyboardInterrupt):  # raised by the context's exit
        with _stop_signals_deferred() as stopped:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.05)  # a signal raised here would escape at once
            assert stopped == [signal.SIGINT]
            reached_end = True
    assert reached_end
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_an_ignored_stop_signal_stays_ignored() -> None:
    from pfocr_rdf.export import _stop_signals_deferred

    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with _stop_signals_deferred() as stopped:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.05)
        assert stopped == []
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)
