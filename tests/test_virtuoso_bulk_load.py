"""The README's Virtuoso bulk-loading recipe (``ld_dir`` + ``rdf_loader_run()``), run as written.

The recipe is read out of README.md (the ``sh`` block after "Virtuoso's bulk loader"), so the commands
users copy are the commands tested; only the placeholders change: the PFOCR checkout becomes examples/,
``/data/pfocr`` a folder of the private Virtuoso's (in its ``DirsAllowed``), port 1111 its SQL port and the
graph a fresh one. Every triple of the export must then be in that graph. The Virtuoso is this module's
own (started by tests/servers/virtuoso.py), so the loaded data cannot reach other tests' queries.
Skips without Virtuoso.
"""

from __future__ import annotations

import gzip
import json
import re
import shlex
import subprocess
import sys
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat, parse
from servers.virtuoso import Virtuoso, running_virtuoso, virtuoso_available

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
EXAMPLES = ROOT / "examples"


def readme_recipe() -> list[str]:
    """Return the command lines of the README's Virtuoso bulk-loading block, comments removed."""
    text = README.read_text(encoding="utf-8")
    match = re.search(r"Virtuoso's bulk loader.*?```sh\n(.*?)```", text, re.DOTALL)
    assert match, "README.md has no ```sh block after \"Virtuoso's bulk loader\""
    lines = [line.split("  #")[0].strip() for line in match.group(1).splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def test_the_recipe_is_what_the_readme_says() -> None:
    recipe = readme_recipe()
    assert recipe[0].startswith("pfocr-rdf export ")
    assert any("ld_dir(" in line for line in recipe)
    assert any("rdf_loader_run()" in line for line in recipe)
    assert all(line.startswith(("pfocr-rdf ", "isql-vt ")) for line in recipe)


def _count(virtuoso: Virtuoso, graph: str) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    url = virtuoso.sparql_url + "?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        answer = json.load(response)
    return int(answer["results"]["bindings"][0]["n"]["value"])


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    """A private Virtuoso of this module's own: the session's is shared, and its queries see every graph."""
    reason = virtuoso_available()
    if reason is not None:
        pytest.skip(reason)
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso-bulk")) as server:
        yield server


@pytest.mark.server
def test_readme_bulk_load_recipe(virtuoso: Virtuoso) -> None:
    folder = virtuoso.workdir / "bulk" / "pfocr"
    graph = "https://pfocr.wikipathways.org/test/bulk-load"
    replacements = {
        "pfocr-database": str(EXAMPLES),
        "/data/pfocr": str(folder),
        "https://pfocr.wikipathways.org/dataset": graph,
    }
    for line in readme_recipe():
        for placeholder, value in replacements.items():
            line = line.replace(placeholder, value)
        argv = shlex.split(line)
        if argv[0] == "pfocr-rdf":
            argv = [sys.executable, "-m", "pfocr_rdf", *argv[1:]]
        else:
            assert argv[:4] == ["isql-vt", "1111", virtuoso.user, virtuoso.password], line
            argv[1] = str(virtuoso.sql_port)
        done = subprocess.run(argv, capture_output=True, text=True, timeout=300, check=False)
        output = done.stdout + done.stderr
        assert done.returncode == 0, f"{line}\n{output}"
        assert "*** Error" not in output, f"{line}\n{output}"  # isql reports SQL errors with exit code 0
    shards = sorted(folder.glob("*.nt.gz"))
    assert shards, f"the export wrote no .nt.gz shard into {folder}"
    triples = set()
    for shard in shards:
        with gzip.open(shard, "rb") as stream:
            triples |= {quad.triple for quad in parse(stream, RdfFormat.N_TRIPLES)}
    assert len(triples) > 100
    assert _count(virtuoso, graph) == len(triples)
