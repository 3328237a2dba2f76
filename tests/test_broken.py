"""Broken and hostile inputs through the real command line: every fault reported, good records exported.

Each folder of ``tests/fixtures/broken/`` is a tiny PFOCR tree and an ``expected.json``. The test copies
the tree, adds one good example record (``examples/_figures/PMC2118234__JEM20061234.f7.md``), runs
``python -m pfocr_rdf export TREE -o out.ttl --rejects rejects.jsonl`` in a subprocess, and checks:

- the exit code (1 when a record is rejected, else 0) and that no traceback reaches stderr;
- each fault in ``"faults"`` (``file`` relative to the tree, ``line``, ``field``, a ``reason`` substring
  and, where given, the ``figid``) appears in stderr as ``FILE:LINE: field 'F': REASON`` and as one row of
  the rejects report, and no other row is there;
- each entry of ``"warnings"`` (a list of substrings one stderr line must all contain) is printed;
- the summary line says read = exported + rejected, with the counts the case implies, and the good
  record is in the output;
- the output parses with pyoxigraph, every IRI in it is valid for oxigraph's strict IRI parser, the IRIs
  and literals of ``"iris"`` / ``"literals"`` are in it and those of ``"absent_iris"`` /
  ``"absent_literals"`` are not;
- optionally: ``"xfail"`` marks a case the code gets wrong today (strict: it fails once fixed);
  ``"max_seconds"`` / ``"max_rss_mb"`` bound the run's wall time and peak memory,
  ``"must_not_exist"`` names files that must not appear in the working folder (a YAML tag that ran
  code would create them), ``"permute": true`` also runs with the record files given one by one, in
  both orders, and demands byte-identical output and rejects.

Cases that need bytes a text fixture should not hold (Latin-1, UTF-16, raw control characters) or sizes
not worth committing (a 6 MB caption, 100,000 nested lists) name a ``"generate"`` function below, which
writes them into the copied tree at test time.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

CASES = Path(__file__).parent / "fixtures" / "broken"
GOOD = "PMC2118234__JEM20061234.f7"
GOOD_IRI = f"https://pfocr.wikipathways.org/figures/{GOOD}.html"
SUMMARY = re.compile(r"^read (\d+) records: (\d+) exported, (\d+) rejected;", re.MULTILINE)
TIMEOUT = 120

GENES_HEADER = "\t".join(["organism_id", "organism_name", "organism_group", "word", "match",
                          "ncbigene_symbol", "ncbigene_id", "source", "count_direct", "count_synonym",
                          "count_match"]) + "\n"


def _front_matter(figid: str, *lines: str) -> str:
    head = ("---", f"figid: {figid}", f"pmcid: {figid.split('__')[0]}")
    return "".join(f"{line}\n" for line in (*head, *lines, "---"))


# -- generated cases: each writes into the tree and returns extra expectations -----------------------------

def _latin1(tree: Path) -> dict[str, Any]:
    text = _front_matter("PMC9100207__F1", "figtitle: Caf\u00e9 au lait signalling")
    (tree / "_figures" / "PMC9100207__F1.md").write_bytes(text.encode("latin-1"))
    return {}


def _utf16(tree: Path) -> dict[str, Any]:
    (tree / "_figures" / "PMC9100208__F1.md").write_bytes(_front_matter("PMC9100208__F1").encode("utf-16"))
    return {}


def _bom(tree: Path) -> dict[str, Any]:
    text = _front_matter("PMC9100209__F1", "figtitle: after a byte-order mark")
    (tree / "_figures" / "PMC9100209__F1.md").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    return {"literals": ["after a byte-order mark"]}


def _deep(tree: Path) -> dict[str, Any]:
    depth = 100_000
    text = _front_matter("PMC9100214__F1", "organisms: " + "[" * depth + "]" * depth)
    (tree / "_figures" / "PMC9100214__F1.md").write_text(text, encoding="utf-8")
    return {}


def _raw_control(tree: Path) -> dict[str, Any]:
    text = _front_matter("PMC9100216__F1", "figtitle: fine", "caption: a raw \x01 control character")
    (tree / "_figures" / "PMC9100216__F1.md").write_text(text, encoding="utf-8")
    return {}


def _tsv_latin1(tree: Path) -> dict[str, Any]:
    (tree / "_figures" / "PMC9100231__F1.md").write_text(_front_matter("PMC9100231__F1"), encoding="utf-8")
    (tree / "_data").mkdir(exist_ok=True)
    table = "word\tmesh\tmatch\tname\tchebi\ncaf\u00e9ine\tmesh:D002110\tCaffeine\tcaffeine\tchebi:27732\n"
    (tree / "_data" / "PMC9100231__F1-chemicals.tsv").write_bytes(table.encode("latin-1"))
    return {}


_HOSTILE_WORDS = ('EG"FR\\', "a\x01b\x0bc\x0cd\x1ce\x85f\u2028g", "<{|^`}>", " spaced ", "x\ry\x00z\x7f")


def _tsv_hostile(tree: Path) -> dict[str, Any]:
    (tree / "_figures" / "PMC9100233__F1.md").write_text(_front_matter("PMC9100233__F1"), encoding="utf-8")
    (tree / "_data").mkdir(exist_ok=True)
    rows = [f"9606\tHomo sapiens\tPrimates\t{word}\tEGFR\tEGFR\t{gene}\tncbigene_symbol\t1\t0\t1\n"
            for word, gene in zip(_HOSTILE_WORDS, (1956, 7157, 3845, 673, 5290), strict=True)]
    (tree / "_data" / "PMC9100233__F1-genes.tsv").write_text(GENES_HEADER + "".join(rows), encoding="utf-8",
                                                              newline="")
    return {"literals": list(_HOSTILE_WORDS)}


def _huge_caption(tree: Path) -> dict[str, Any]:
    piece = 'Lorem "ipsum" <dolor> {sit} \\ amet | ^consectetur\t\u03b1\u03b2\U0001F9EC; '
    caption = piece * (6_000_000 // len(piece.encode("utf-8")))
    escaped = caption.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    text = _front_matter("PMC9100237__F1", f'caption: "{escaped}"')
    (tree / "_figures" / "PMC9100237__F1.md").write_text(text, encoding="utf-8")
    return {"literals": [caption.strip()]}


def _many_mentions(tree: Path) -> dict[str, Any]:
    count = 20_000
    lines = ["organisms:", *(f"- organism {i}" for i in range(count)),
             "keywords: " + " | ".join(f"keyword {i}" for i in range(count)), "chemicals:"]
    for i in range(count * 3 // 5):  # fewer: mapping them is what costs, linearly
        lines += [f"- word: chemical {i}", "  source: MESH", f"  identifier: D{i:06d}"]
    text = _front_matter("PMC9100239__F1", *lines)
    (tree / "_figures" / "PMC9100239__F1.md").write_text(text, encoding="utf-8")
    return {}


def _non_utf8_file_name(tree: Path) -> dict[str, Any]:
    text = _front_matter("PMC9100240__F1", "year: soon")
    (tree / "_figures" / os.fsdecode(b"PMC9100240\xff__F1.md")).write_bytes(text.encode("utf-8"))
    return {}


GENERATORS: dict[str, Callable[[Path], dict[str, Any]]] = {
    "latin1": _latin1,
    "utf16": _utf16,
    "bom": _bom,
    "deep": _deep,
    "raw_control": _raw_control,
    "tsv_latin1": _tsv_latin1,
    "tsv_hostile": _tsv_hostile,
    "huge_caption": _huge_caption,
    "many_mentions": _many_mentions,
    "non_utf8_file_name": _non_utf8_file_name,
}


# -- running the command line ------------------------------------------------------------------------------

@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float
    rss_mb: float


# The export runs under this small wrapper, which reports the export's own peak memory: a child forked
# straight from pytest would start its ru_maxrss at pytest's RSS (hundreds of MB late in a full run).
_WRAPPER = """
import os, sys
report, argv = sys.argv[1], sys.argv[2:]
pid = os.posix_spawn(argv[0], argv, os.environ)
_, status, usage = os.wait4(pid, 0)
with open(report, "w") as out:
    out.write(str(usage.ru_maxrss))
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
"""


def _export(args: list[str], cwd: Path) -> Run:
    """Run ``pfocr-rdf export ARGS`` in a subprocess; measure its wall time and peak memory."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    root = Path(__file__).resolve().parent.parent
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")]))
    out_path, err_path, rss_path = cwd / "cli.stdout", cwd / "cli.stderr", cwd / "cli.maxrss"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        started = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", _WRAPPER, str(rss_path), sys.executable, "-m", "pfocr_rdf", "export",
             *args],
            stdout=out, stderr=err, cwd=cwd, env=env, start_new_session=True)
        timer = threading.Timer(TIMEOUT, lambda: os.killpg(proc.pid, signal.SIGKILL))
        timer.start()
        try:
            proc.wait()
        finally:
            timer.cancel()
        seconds = time.monotonic() - started
    rss_kb = int(rss_path.read_text(encoding="ascii")) if rss_path.is_file() else 0
    return Run(proc.returncode, out_path.read_text(encoding="utf-8", errors="replace"),
               err_path.read_text(encoding="utf-8", errors="replace"), seconds, rss_kb / 1024)


def _shown(text: str) -> str:
    """Return ``text`` as Python prints it to stderr (a surrogate-escaped file name byte as ``\\udcff``)."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


# -- the test ----------------------------------------------------------------------------------------------

def _cases() -> list[Any]:
    params = []
    for folder in sorted(p for p in CASES.iterdir() if (p / "expected.json").is_file()):
        expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
        marks = [pytest.mark.xfail(strict=True, reason=expected["xfail"])] if "xfail" in expected else []
        params.append(pytest.param(folder, expected, id=folder.name, marks=marks))
    return params


def test_there_are_cases() -> None:
    assert len(_cases()) >= 30


def _where(tree: Path, fault: dict[str, Any]) -> str:
    where = str(tree / fault["file"])
    if fault["line"] is not None:
        where += f":{fault['line']}"
    return where + ": " + (f"field {fault['field']!r}: " if fault["field"] else "")


def _check_output(out: Path, expected: dict[str, Any]) -> None:
    store = ox.Store()
    store.load(path=str(out), format=ox.RdfFormat.TURTLE)
    iris: set[str] = set()
    literals: set[str] = set()
    for quad in store:
        for term in (quad.subject, quad.predicate, quad.object):
            if isinstance(term, ox.NamedNode):
                iris.add(term.value)
            elif isinstance(term, ox.Literal):
                literals.add(term.value)
            else:
                pytest.fail(f"a blank node in the output: {quad}")
    for iri in iris:
        ox.NamedNode(iri)  # raises ValueError for an IRI oxigraph's strict parser would refuse
    assert GOOD_IRI in iris, "the good record is exported"
    for iri in expected.get("iris", []):
        assert iri in iris, f"{iri} is not in the output"
    for iri in expected.get("absent_iris", []):
        assert iri not in iris, f"{iri} should not be in the output"
    for literal in expected.get("literals", []):
        assert literal in literals, f"the literal {literal[:200]!r} is not in the output"
    for literal in expected.get("absent_literals", []):
        assert literal not in literals, f"the literal {literal!r} should not be in the output"


@pytest.mark.parametrize(("case", "expected"), _cases())
def test_case(case: Path, expected: dict[str, Any], tmp_path: Path, examples_dir: Path) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(case, tree, ignore=shutil.ignore_patterns("expected.json"))
    (tree / "_figures").mkdir(exist_ok=True)
    if "generate" in expected:
        for key, values in GENERATORS[expected["generate"]](tree).items():
            expected[key] = [*expected.get(key, []), *values]
    shutil.copy(examples_dir / "_figures" / f"{GOOD}.md", tree / "_figures")
    out, rejects = tmp_path / "out.ttl", tmp_path / "rejects.jsonl"

    run = _export([str(tree), "-o", str(out), "--rejects", str(rejects)], cwd=tmp_path)

    faults: list[dict[str, Any]] = expected["faults"]
    assert "Traceback" not in run.stderr, run.stderr
    assert run.code == (1 if faults else 0), run.stderr[-3000:]
    lines = run.stderr.splitlines()
    for fault in faults:
        prefix = _shown("rejected: " + _where(tree, fault))
        reason = _shown(fault["reason"].replace("{tree}", str(tree)))
        assert any(line.startswith(prefix) and reason in line for line in lines), \
            f"no line {prefix}...{reason}... in stderr:\n{run.stderr[-3000:]}"
    for parts in expected.get("warnings", []):
        parts = [f"{tree}/{part}" if part.startswith("_data/") else part for part in parts]
        assert any(line.startswith("warning: ") and all(p in line for p in parts) for line in lines), \
            f"no warning with {parts!r} in stderr:\n{run.stderr[-3000:]}"

    report = rejects.read_text(encoding="utf-8", errors="surrogateescape")
    rows = [json.loads(line) for line in report.splitlines()]
    assert len(rows) == len(faults), rows
    for fault in faults:
        reason = fault["reason"].replace("{tree}", str(tree))
        where = (str(tree / fault["file"]), fault["line"], fault["field"])
        match = [row for row in rows
                 if (row["file"], row["line"], row["field"]) == where and reason in row["reason"]]
        assert len(match) == 1, f"no rejects row for {fault} in {rows}"
        assert set(match[0]) == {"file", "line", "field", "reason", "figid"}
        if "figid" in fault:
            assert match[0]["figid"] == fault["figid"]

    records = len([name for name in os.listdir(tree / "_figures") if name.endswith(".md")])
    summary = SUMMARY.search(run.stderr)
    assert summary is not None, run.stderr[-3000:]
    read, exported, rejected = map(int, summary.groups())
    assert (read, exported, rejected) == (records, records - len(faults), len(faults))
    assert read == exported + rejected

    _check_output(out, expected)
    assert not list(tmp_path.glob(".out.ttl.*.part")), "no temporary file is left behind"
    for name in expected.get("must_not_exist", []):
        created = (tmp_path / name).exists() or (tree / name).exists()
        assert not created, f"{name} was created: a YAML tag ran code"
    if "max_seconds" in expected:
        assert run.seconds < expected["max_seconds"], f"took {run.seconds:.1f} s"
    if "max_rss_mb" in expected:
        assert run.rss_mb < expected["max_rss_mb"], f"peak memory {run.rss_mb:.0f} MB"

    if expected.get("permute"):
        files = sorted(str(p) for p in (tree / "_figures").glob("*.md"))
        outputs = []
        for order in (files, files[::-1]):
            out2, rejects2 = tmp_path / "permuted.ttl", tmp_path / "permuted.jsonl"
            again = _export([*order, "-o", str(out2), "--rejects", str(rejects2)], cwd=tmp_path)
            assert again.code == run.code, again.stderr
            outputs.append((out2.read_bytes(), rejects2.read_bytes()))
        assert outputs[0] == outputs[1] == (out.read_bytes(), rejects.read_bytes()), \
            "the outcome depends on the order the files were given in"
