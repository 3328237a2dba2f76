"""``make demo`` then ``pfocr-rdf serve``: the demo ends by saying how to serve its store, and doing what it
says gives a server on which every example query runs (as the home page runs it: bound text from
``/queries/NAME.rq``, then ``/sparql``) and a figure's IRI opens with links that lead on."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from servers.pfocr import running_server

from pfocr_rdf.querying import load_query, shipped_query_names

ROOT = Path(__file__).resolve().parent.parent
FEDERATED = {name for name in shipped_query_names() if "SERVICE" in load_query(name).text.upper()}


def _get(url: str, accept: str = "*/*") -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.mark.slow
def test_demo_then_serve(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    export = subprocess.run([sys.executable, "-m", "pfocr_rdf", "export", "examples", "-o", str(out / "examples.ttl")],
                            cwd=ROOT, capture_output=True, text=True, check=False)
    assert export.returncode == 0, export.stderr
    demo = subprocess.run([sys.executable, "-m", "pfocr_rdf.demo", str(out)], cwd=ROOT, capture_output=True,
                          text=True, check=False)
    assert demo.returncode == 0, demo.stdout + demo.stderr
    lines = demo.stdout.rstrip().splitlines()
    command = next(line.strip() for line in lines if "pfocr-rdf serve" in line)
    address = re.search(r"open (http://\S+/) in a browser", demo.stdout)
    assert address, demo.stdout[-500:]
    assert "pfocr-rdf serve" in "\n".join(lines[-6:])  # it is how the demo ends
    argv = shlex.split(command)
    store = Path(argv[argv.index("--store") + 1])
    with running_server(store if store.is_absolute() else ROOT / store) as root:
        home = _get(root, "text/html")
        assert home[0] == 200
        ran = 0
        for name in shipped_query_names():
            assert f'value="{name}"' in home[1].decode()
            if name in FEDERATED:
                continue  # needs the network
            status, text = _get(f"{root}queries/{name}.rq")
            assert status == 200, text
            status, body = _get(f"{root}sparql?" + urllib.parse.urlencode({"query": text.decode()}),
                                "application/sparql-results+json")
            assert status == 200, (name, body)
            ran += len(json.loads(body).get("results", {}).get("bindings", []))
        assert ran > 0
        status, body = _get(f"{root}sparql?" + urllib.parse.urlencode(
            {"query": "SELECT ?f WHERE { ?f a <http://schema.org/ImageObject> } LIMIT 1"}))
        figure = json.loads(body)["results"]["bindings"][0]["f"]["value"]
        status, page = _get(root + figure.split("/", 3)[3], "text/html")
        assert status == 200
        links = [link for link in re.findall(r'href="([^"]+)"', page.decode()) if link.startswith(root)]
        assert len(links) > 5
        assert all(_get(link.replace("&amp;", "&"), "text/html")[0] == 200 for link in links[:25])
