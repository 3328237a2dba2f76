"""The release description: a version, the source commit and its time, IANA media types, vocabularies."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import rdflib
from rdflib import Literal, URIRef

from pfocr_rdf import export
from pfocr_rdf.namespaces import DCAT, DCTERMS, PROV, SCHEMA, VOID, XSD

FIXTURES = Path(__file__).parent / "fixtures"
DATASET = URIRef("https://pfocr.wikipathways.org/dataset")
COMMIT_TIME = "2024-05-06T07:08:09Z"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git command")


def _git(*args: str, cwd: Path) -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": COMMIT_TIME, "GIT_COMMITTER_DATE": COMMIT_TIME,
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def origin(tmp_path: Path) -> tuple[Path, str]:
    """A PFOCR-like git repository with one commit; returns it and the commit."""
    repo = tmp_path / "origin"
    shutil.copytree(FIXTURES / "mapping" / "current-era", repo)
    (repo / "expected.ttl").unlink()
    _git("init", "-q", cwd=repo)
    _git("add", "-A", cwd=repo)
    _git("commit", "-q", "-m", "data", cwd=repo)
    return repo, _git("rev-parse", "HEAD", cwd=repo).strip()


def test_two_clones_of_one_commit_export_identical_bytes(
    origin: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, commit = origin
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    outputs = []
    for n, stamp in enumerate((1_600_000_000, 1_800_000_000)):
        clone = tmp_path / f"clone{n}"
        _git("clone", "-q", str(repo), str(clone), cwd=tmp_path)
        for path in clone.rglob("*.md"):  # clone time is file time: make the two clones disagree on it
            os.utime(path, (stamp, stamp))
        out = tmp_path / f"out{n}.ttl"
        export([clone], output=out)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    graph = rdflib.Graph().parse(data=outputs[0].decode(), format="turtle")
    assert (DATASET, PROV.generatedAtTime, Literal(COMMIT_TIME, datatype=XSD.dateTime)) in graph
    assert (DATASET, SCHEMA.version, Literal(f"2024-05-06+git.{commit[:12]}")) in graph
    source = URIRef("https://pfocr.wikipathways.org/dataset/source")
    assert (source, SCHEMA.version, Literal(commit)) in graph
    assert (URIRef("https://pfocr.wikipathways.org/dataset/export"), PROV.used, source) in graph


def test_a_changed_checkout_names_no_commit(
    origin: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, commit = origin
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    record = next((repo / "_figures").glob("*.md"))
    record.write_text(record.read_text() + "\n")
    out = tmp_path / "out.ttl"
    export([repo], output=out)
    text = out.read_text()
    assert commit not in text and "dataset/source" not in text
    graph = rdflib.Graph().parse(out)
    assert (DATASET, PROV.generatedAtTime, Literal("2023-11-14T22:13:20Z", datatype=XSD.dateTime)) in graph


def test_ignored_or_untracked_data_names_no_commit(origin: tuple[Path, str], tmp_path: Path) -> None:
    repo, _ = origin
    (repo / ".gitignore").write_text("local/\n")
    _git("add", ".gitignore", cwd=repo)
    _git("commit", "-q", "-m", "ignore", cwd=repo)
    local = repo / "local"
    shutil.copytree(repo / "_figures", local / "_figures")
    shutil.copytree(repo / "_data", local / "_data")
    for source in (local, repo):
        out = tmp_path / "out.ttl"
        export([source], output=out)
        # the ignored copy is in no commit; the tracked tree is, whatever is ignored beside it
        assert ("dataset/source" in out.read_text()) is (source == repo), source


def test_release_metadata(tmp_path: Path) -> None:
    out = tmp_path / "out.ttl"
    export([FIXTURES / "mapping" / "older-era"], output=out)
    graph = rdflib.Graph().parse(out)
    assert (DATASET, DCTERMS.conformsTo, URIRef("https://pfocr.wikipathways.org/vocab/0.2.0")) in graph
    distribution = URIRef("https://pfocr.wikipathways.org/dataset/distribution/turtle")
    assert (distribution, DCAT.mediaType, URIRef("https://www.iana.org/assignments/media-types/text/turtle")) in graph
    vocabularies = set(graph.objects(DATASET, VOID.vocabulary))
    assert URIRef("https://pfocr.wikipathways.org/vocab") in vocabularies, "the ontology's own IRI"
    used = {str(p) for p in graph.predicates()} | {str(o) for o in graph.objects(None, rdflib.RDF.type)}
    for term in used:  # every vocabulary the output uses is listed, by namespace
        namespace = term.rsplit("#", 1)[0] + "#" if "#" in term else term.rsplit("/", 1)[0] + "/"
        if namespace == "https://pfocr.wikipathways.org/vocab#":
            namespace = "https://pfocr.wikipathways.org/vocab"
        assert URIRef(namespace) in vocabularies, term
