"""What the benchmark's parts share: the machine description, cached trees, running the exporter, tables.

``run.py`` drives the parts (``formatsbench.py``, ``storebench.py``, ``validatebench.py``,
``targets.py``); each runs the project's command line under ``measure.run_measured`` so that every time
and memory figure is that of one command, as a user would run it.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import shlex
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any, cast

import measure
import synth

REPO = Path(__file__).resolve().parent.parent
CLI = str(REPO / ".venv" / "bin" / "pfocr-rdf")
DEFAULT_EXPORTER = f"{CLI} export {{tree}} -o {{out}} --format {{format}} --jobs {{jobs}}"
MIB = 1 << 20
SUMMARY = re.compile(r"read (\d+) records: (\d+) exported, (\d+) rejected; (\d+) triples")


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
    for module in ("rdflib", "pyoxigraph", "pyshacl", "yaml", "pfocr_rdf"):
        try:
            info[module] = getattr(__import__(module), "__version__", "?")
        except ImportError:
            info[module] = None
    try:
        git = ["git", "-C", str(REPO)]
        info["commit"] = subprocess.run([*git, "rev-parse", "--short", "HEAD"],
                                        capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run([*git, "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, check=True).stdout.split("\n")
        info["modified_files"] = sorted(line[3:] for line in dirty if line.strip())
    except (OSError, subprocess.CalledProcessError):
        info["commit"] = None
    info["code"] = code_fingerprint()
    return info


def code_fingerprint() -> str:
    """Return a short hash of the project's code and shipped data (``pfocr_rdf/``, ``queries/``, ``shapes/``).

    Stored with the machine at the start and the end and with every export row, so that a run during
    which someone changed the code says so (the commit alone misses uncommitted edits).
    """
    digest = hashlib.sha1()
    for folder in ("pfocr_rdf", "queries", "shapes"):
        for path in sorted((REPO / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                digest.update(str(path.relative_to(REPO)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def ensure_tree(work: Path, figures: int, seed: int) -> tuple[Path, float | None]:
    """Return a cached synthetic tree of ``figures`` figures, and the seconds it took if it was generated."""
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
    """Return the number of triples in an RDF file (pyoxigraph, streaming; format from the extension)."""
    import pyoxigraph as ox

    from pfocr_rdf.store import rdf_format

    fmt, gzipped = rdf_format(path)
    n = 0
    if gzipped:
        import gzip

        with gzip.open(path, "rb") as stream:
            for _ in ox.parse(cast(IO[bytes], stream), format=fmt):
                n += 1
        return n
    for _ in ox.parse(path=str(path), format=fmt):
        n += 1
    return n


def last_line(text: str, fallback: str) -> str:
    """Return the last non-empty line of ``text`` (shortened), or ``fallback``."""
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    return (lines[-1] if lines else fallback)[:300]


def run_export(template: str, tree: Path, out: Path, *, jobs: int, fmt: str, figures: int,
               keep: bool = False, label: str = "pfocr-rdf") -> dict[str, Any]:
    """Run the exporter once (``template`` with {tree} {out} {jobs} {format}); return its row of results.

    The triple count is read from the exporter's closing summary, else counted by parsing the output
    outside the timed run. The output is deleted unless ``keep``.
    """
    argv = [part.format(tree=tree, out=out, jobs=jobs, format=fmt) for part in shlex.split(template)]
    out.unlink(missing_ok=True)
    code = code_fingerprint()
    run = measure.run_measured(argv)
    row: dict[str, Any] = {"who": label, "figures": figures, "jobs": jobs, "format": fmt,
                           "output": out.name, "code": code, **run.as_dict()}
    if run.returncode not in (0, 1) or not out.exists():  # 1: some records rejected, still a full run
        row["error"] = last_line(run.stderr, f"exit {run.returncode}")
        return row
    found = SUMMARY.search(run.stderr)
    row["bytes"] = out.stat().st_size
    if found:
        row["records_read"], row["exported"], row["rejected"] = (int(g) for g in found.groups()[:3])
        row["triples"] = int(found.group(4))
    else:
        row["triples"] = count_triples(out)
    if not keep:
        out.unlink()
    return row


_NUMBER = re.compile(r"[-+]?[\d,]*\.?\d+|-")


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """Return a Markdown table, padded so that it also reads as plain text; numeric columns align right."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    right = [all(_NUMBER.fullmatch(r[i]) for r in cells[1:] if r[i]) and any(r[i] for r in cells[1:])
             for i in range(len(headers))]

    def line(values: Sequence[str]) -> str:
        return "| " + " | ".join(v.rjust(w) if r else v.ljust(w)
                                 for v, w, r in zip(values, widths, right, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 1) + ":" if r else ":" + "-" * (w + 1)
                          for w, r in zip(widths, right, strict=True)) + "|"
    return "\n".join([line(cells[0]), rule, *(line(r) for r in cells[1:])])


def mib(nbytes: int | float) -> str:
    """Return ``nbytes`` in MiB, rounded."""
    return f"{nbytes / MIB:.0f}"


def rate(n: float, seconds: float) -> str:
    """Return ``n / seconds`` with a thousands separator."""
    return f"{n / seconds:,.0f}" if seconds > 0 else "-"
