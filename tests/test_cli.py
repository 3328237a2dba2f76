"""The command line: exit codes, output, summary and error text (file and line included)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pfocr_rdf.cli import main

EXAMPLE = "PMC2118234__JEM20061234.f7"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    return subprocess.run([sys.executable, "-m", "pfocr_rdf", *args], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=120)


@pytest.fixture
def mixed_tree(tmp_path: Path, examples_dir: Path) -> Path:
    """Two good example records and one whose year is not a year (line 8 of its file)."""
    tree = tmp_path / "tree"
    shutil.copytree(examples_dir / "_figures", tree / "_figures")
    shutil.copytree(examples_dir / "_data", tree / "_data")
    for path in (tree / "_figures").glob("*.md"):
        if not path.name.startswith(("PMC2118234", "PMC9743210")):
            path.unlink()
    bad = (tree / "_figures" / "PMC1__bad.md")
    bad.write_text("---\nfigid: PMC1__bad\npmcid: PMC1\nfigtitle: x\ncaption: y\nnumber: F1\nfiltype: Figure\n"
                   "year: 'last spring'\n---\n", encoding="utf-8")
    return tree


def test_export_to_stdout(examples_dir: Path) -> None:
    result = run("export", str(examples_dir / "_figures" / f"{EXAMPLE}.md"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("@prefix rdf:")
    figure = "<https://pfocr.wikipathways.org/figures/PMC2118234__JEM20061234.f7.html>"
    assert f"{figure} a schema:ImageObject" in result.stdout
    assert "read 1 records: 1 exported, 0 rejected;" in result.stderr
    assert " triples written to - in " in result.stderr


def test_export_to_file_in_both_formats(examples_dir: Path, tmp_path: Path) -> None:
    for name, first in (("out.ttl", "@prefix"), ("out.nt", "<https://")):
        result = run("export", str(examples_dir), "-o", str(tmp_path / name))
        assert result.returncode == 0, result.stderr
        assert (tmp_path / name).read_text(encoding="utf-8").startswith(first)
        assert result.stdout == ""
    forced = run("export", str(examples_dir), "-o", str(tmp_path / "x.txt"), "--format", "nt")
    assert forced.returncode == 0, forced.stderr
    assert (tmp_path / "x.txt").read_text(encoding="utf-8").startswith("<https://")


def test_bad_record_is_rejected_and_reported(mixed_tree: Path, tmp_path: Path) -> None:
    out, rejects = tmp_path / "out.ttl", tmp_path / "rejects.jsonl"
    result = run("export", str(mixed_tree), "-o", str(out), "--rejects", str(rejects))
    assert result.returncode == 1
    bad = mixed_tree / "_figures" / "PMC1__bad.md"
    assert f"{bad}:8: field 'year': 'last spring' is not a year" in result.stderr
    assert "unknown key 'filtype'" in result.stderr
    assert "read 3 records: 2 exported, 1 rejected;" in result.stderr
    rows = [json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()]
    assert rows == [{"file": str(bad), "line": 8, "field": "year", "figid": "PMC1__bad",
                     "reason": "'last spring' is not a year; expected four digits, e.g. 2023"}]
    assert "PMC2118234__JEM20061234.f7.html" in out.read_text(encoding="utf-8")


def test_strict_stops_and_leaves_no_output(mixed_tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.ttl"
    result = run("export", str(mixed_tree), "-o", str(out), "--strict")
    assert result.returncode == 1
    assert "field 'year'" in result.stderr and "--strict" in result.stderr
    assert not out.exists()
    assert list(tmp_path.glob("*.part")) == []


@pytest.mark.parametrize(("args", "message"), [
    (["export", "no/such/folder"], "no/such/folder: no such file or folder"),
    (["export", "examples", "-o", "out.rdf"], "cannot tell the format of out.rdf"),
    (["export", "examples", "-o", "no/such/dir/out.ttl"], "error: cannot read or write"),
    (["export", "examples", "--base", "https://example.org/a b/"], "--base 'https://example.org/a b/': expected"),
    (["export", "examples", "--base", "foo"], "expected an absolute IRI"),
    (["export", "examples", "--partition", "3/2"], "--partition '3/2': expected K/N"),
    (["load", "x.ttl", "--graph", "http://g/"], "--graph goes with --endpoint"),
    (["query", "no-such-query", "--data", "x.ttl"], "no-such-query"),
])
def test_usage_and_input_errors_exit_2(args: list[str], message: str, tmp_path: Path) -> None:
    root = Path(__file__).resolve().parent.parent
    shutil.copytree(root / "examples", tmp_path / "examples")
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_format_lists_the_choices() -> None:
    result = run("export", "examples", "--format", "rdfxml")
    assert result.returncode == 2
    assert "choose from" in result.stderr and "turtle" in result.stderr and "nt" in result.stderr


def test_base_moves_minted_nodes(examples_dir: Path) -> None:
    result = run("export", str(examples_dir), "--base", "https://example.org/pfocr/")
    assert result.returncode == 0, result.stderr
    assert "<https://example.org/pfocr/dataset>" in result.stdout
    assert "<https://example.org/pfocr/figures/PMC2118234__JEM20061234.f7/mentions/" in result.stdout
    assert "<https://pfocr.wikipathways.org/figures/PMC2118234__JEM20061234.f7.html>" in result.stdout


CORPUS = Path(__file__).parent / "queries" / "corpus.ttl"


def test_query_writes_gene_sets_as_gmt() -> None:
    result = run("query", "figure-gene-sets", "--data", str(CORPUS), "--param", "level=synonyms",
                 "--param", "organism=NCBITaxon:10090", "--format", "gmt")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "PMC1000002__fig1 NCBITaxon:10090\tErk2 and Akt in mouse tumours\t11651\t26413\n"


def test_gmt_of_a_query_that_is_no_gene_set_is_a_usage_error() -> None:
    result = run("query", "figures-per-year", "--data", str(CORPUS), "--format", "gmt")
    assert result.returncode == 2
    assert "--format gmt needs a gene-set query" in result.stderr and "Traceback" not in result.stderr


def test_unknown_level_names_the_choices() -> None:
    result = run("query", "top-genes", "--data", str(CORPUS), "--param", "level=loose")
    assert result.returncode == 2
    assert "'loose' is not one of strict, synonyms, all" in result.stderr


def test_escape_sequences_in_file_names_are_never_printed_raw(
    examples_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile = "PMC1__\x1b]0;owned\x07\x1b[2J\u202e"
    tree = tmp_path / "tree"
    shutil.copytree(examples_dir, tree)
    (tree / "_figures" / f"{hostile}.md").write_text("not a record\n", encoding="utf-8")
    out = tmp_path / f"out{hostile}.ttl"
    assert main(["export", str(tree), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err and "\u202e" not in err
    assert "PMC1__\\x1b]0;owned\\x07\\x1b[2J\\u202e.md" in err
    assert main(["validate", str(out)]) == 0
    shown = capsys.readouterr().out
    assert "\x1b" not in shown and "\\x1b[2J" in shown
    assert main(["load", str(tmp_path / f"missing{hostile}.ttl"), "--store", str(tmp_path / "s")]) == 2
    assert "\x1b" not in capsys.readouterr().err


# --- start-up: a command imports only the stages it runs ----------------------------------------------------

#: Imported by the exporter (mapping, curies, YAML), the validator (pySHACL, rdflib's SPARQL engine) and the
#: server (starlette, uvicorn): ~1 s of start-up that a query answered in milliseconds should not pay.
HEAVY = ("pyshacl", "rdflib.plugins.sparql", "starlette", "uvicorn", "pfocr_rdf.mapping", "pfocr_rdf.export",
         "pfocr_rdf.validating", "curies", "yaml")


def imported_by(code: str) -> set[str]:
    """Return which of :data:`HEAVY` a fresh interpreter has imported after running ``code``."""
    probe = f"{code}\nimport sys\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120,
                            cwd=Path(__file__).parent)
    assert result.returncode == 0, result.stderr
    return set(result.stdout.split())


def test_importing_the_command_line_imports_no_stage() -> None:
    assert imported_by("import pfocr_rdf.cli") == set()
    assert imported_by("import pfocr_rdf") == set()


@pytest.mark.parametrize("args", [
    ["query", "--list"],
    ["query", "top-genes", "--data", str(CORPUS), "--format", "csv"],
    ["query", "figures-for-gene", "--data", str(CORPUS), "--param", "gene=ncbigene:5594", "--format", "json"],
    ["query", "top-genes", "--data", str(CORPUS)],
    ["--help"],
    ["load", "--help"],
])
def test_a_query_imports_neither_exporter_nor_validator_nor_server(args: list[str]) -> None:
    code = ("import contextlib, io\nfrom pfocr_rdf.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
            "    try:\n"
            f"        code = main({args!r})\n"
            "    except SystemExit as stop:\n"
            "        code = stop.code\n"
            "assert code == 0, code\nassert out.getvalue()")
    assert imported_by(code) == set()


def test_the_validator_is_imported_when_its_report_format_is_checked() -> None:
    result = run("validate", "--format", "html", "x.ttl")
    assert result.returncode == 2
    assert "invalid choice: 'html' (choose from 'text', 'turtle', 'json')" in result.stderr
    assert imported_by("from pfocr_rdf.cli import _parser\n_parser().parse_args(['validate', '--format', 'json', "
                       "'x.ttl'])") >= {"pfocr_rdf.validating"}


def test_export_help_names_this_machines_default_jobs() -> None:
    from pfocr_rdf.export import default_jobs

    result = run("export", "--help")
    assert result.returncode == 0, result.stderr
    assert f"at most 8: {default_jobs()} here;" in " ".join(result.stdout.split())
    assert "{default_jobs}" not in result.stdout


def test_package_entry_points_resolve_on_first_use() -> None:
    names = ("ExportSummary", "export", "map_record", "discover", "iter_records", "read_record")
    code = ("import pfocr_rdf, sys\nassert 'pfocr_rdf.export' not in sys.modules\n"
            "assert set(pfocr_rdf.__all__) <= set(dir(pfocr_rdf))\n"
            # the import system binds a loaded submodule on its package: export stays the function
            "import pfocr_rdf.export\nfrom pfocr_rdf import export\nassert callable(export), export\n"
            "assert pfocr_rdf.export is sys.modules['pfocr_rdf.export'].export\n"
            f"for name in {names!r}:\n    assert getattr(pfocr_rdf, name).__name__ == name, name\n"
            "try:\n    pfocr_rdf.no_such_name\nexcept AttributeError as err:\n    print(err)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "module 'pfocr_rdf' has no attribute 'no_such_name'"
