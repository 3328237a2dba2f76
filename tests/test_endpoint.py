"""Loading into a triple-store server (pfocr_rdf.endpoint), against a real private Virtuoso and a fake.

The ``server`` tests start Debian's Virtuoso on loopback (tests/servers) and skip, saying how to install
it, where it is absent. The rest use a tiny Graph Store on loopback whose answers are scripted, for what
a real server will not do on demand: fail twice and then accept, or miscount.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import logging
import math
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from servers.virtuoso import Virtuoso

from pfocr_rdf.endpoint import (
    ENV_PASSWORD,
    ENV_USER,
    CountMismatchError,
    EndpointError,
    LoadResult,
    load_files,
    sparql_select,
)
from pfocr_rdf.errors import InputError, PfocrError, UsageError

# The fixture is registered here so that this file runs on its own; tests/conftest.py may register it
# for the whole suite too (same module name, so still one Virtuoso per session).

XSD = "http://www.w3.org/2001/XMLSchema#"
LONG_IRI = "http://example.org/figures/" + "PMC1234567__fig" * 100  # 1,526 characters
FAST: dict[str, Any] = {"backoff": 0.01, "retries": 2, "timeout": 5.0}

# Awkward N-Triples: escapes of every kind, raw U+2028 / U+0085 / VT / FF inside literals (Python's
# str.splitlines would cut there), a lone escaped CR, CRLF line ends, comments, blank lines, a repeated
# triple, no final line end. Numbers are in canonical form: Virtuoso rewrites others (see the quirks).
AWKWARD_NT = (
    "# awkward N-Triples; comment and blank lines are not triples\n"
    "\n"
    '<http://example.org/s/1> <http://example.org/p/quote> "she said \\"hi\\" and left" .\n'
    '<http://example.org/s/1> <http://example.org/p/backslash> "C:\\\\temp\\\\new \\\\n" .\r\n'
    '<http://example.org/s/1> <http://example.org/p/lines> "one\\ntwo\\r\\nthree\\rend" .\n'
    '<http://example.org/s/1> <http://example.org/p/tab> "a\\tb\\u0000c" .\n'
    '<http://example.org/s/1> <http://example.org/p/nonascii> "Müller – β-catenin → 中文" .\n'
    '<http://example.org/s/1> <http://example.org/p/nonbmp> "\\U0001F9EC and raw 𝔊😀" .\n'
    '<http://example.org/s/1> <http://example.org/p/separators> "a\u2028b\u0085c\x0bd\x0ce\u2029f" .\n'
    '<http://example.org/s/1> <http://example.org/p/label> "colour"@en-GB .\n'
    '<http://example.org/s/1> <http://example.org/p/label> "Farbe"@de .\n'
    f'<http://example.org/s/1> <http://example.org/p/int> "42"^^<{XSD}integer> .\n'
    f'<http://example.org/s/1> <http://example.org/p/decimal> "0.95"^^<{XSD}decimal> .\n'
    f'<http://example.org/s/1> <http://example.org/p/year> "2020"^^<{XSD}gYear> .\n'
    f'<http://example.org/s/1> <http://example.org/p/date> "2020-01-31"^^<{XSD}date> .\n'
    '<http://example.org/s/1> <http://example.org/p/custom> "x y"^^<http://example.org/dt/custom> .\n'
    '<http://example.org/s/1> <http://example.org/p/empty> "" .\n'
    f'<http://example.org/s/1> <http://example.org/p/long> "{"ab " * 30_000}" .\n'
    f"<{LONG_IRI}> <http://example.org/p/iri> <http://example.org/gène/β?q=a%20b#frag> .\n"
    "<http://example.org/s/2> <http://example.org/p/trailing> <http://example.org/o> . # a comment\n"
    '<http://example.org/s/1> <http://example.org/p/quote> "she said \\"hi\\" and left" .\n'
    "<http://example.org/s/2> <http://example.org/p/last> <http://example.org/o>"
    " ."  # no final line end
)

AWKWARD_TTL = (
    r"""@base <http://example.org/> .
@prefix ex: <http://example.org/> .
@prefix fig: <http://example.org/figures/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

# Virtuoso mangles prefixed names with backslash escapes; the loader sends full IRIs instead.
fig:PMC1\/gene\/1 a ex:Gene ;
    ex:label "TP53"@en , "p53"@en-GB , "тп53"@ru ;
    ex:note '''single-quoted "long" string
with a newline, a tab	and a backslash \\ ''' ;
"""
    + r'''    ex:other """double-quoted 'long' string\r\nwith CRLF escaped and "quotes" """ ;
'''
    + r"""    ex:count 42 ;
    ex:score 0.95 ;
    ex:year "1999"^^xsd:gYear ;
    ex:emoji "\U0001F9EC\u00e9 🧬" ;
    <relative/iri> ex:gène .
ex:gène ex:seeAlso <http://example.org/a%2Fb?x=1&y=2> , <urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e> .
ex:s1 ex:p1 "1" . ex:s1 ex:p2 "2" . ex:s1 ex:p3 "3" . ex:s1 ex:p4 "4" .
ex:s1 ex:p5 "5" . ex:s1 ex:p6 "6" . ex:s1 ex:p7 "7" . ex:s1 ex:p8 "8" .
"""
)


def _parsed(path: Path) -> set[ox.Triple]:
    return {quad.triple for quad in ox.parse(path=path)}


def _graph_triples(server: Virtuoso, graph: str) -> set[ox.Triple]:
    rows = sparql_select(server.sparql_url, f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return {ox.Triple(row["s"], row["p"], row["o"]) for row in rows}


def _login(server: Virtuoso) -> dict[str, str]:
    return {ENV_USER: server.user, ENV_PASSWORD: server.password}


def _write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


# --- against a real Virtuoso -------------------------------------------------------------------------


@pytest.mark.server
@pytest.mark.parametrize(("name", "text"), [("awkward.nt", AWKWARD_NT), ("awkward.ttl", AWKWARD_TTL)])
def test_load_round_trips_through_virtuoso(virtuoso: Virtuoso, tmp_path: Path, name: str, text: str) -> None:
    source = _write(tmp_path / name, text)
    expected = _parsed(source)
    graph = f"http://example.org/test/round-trip/{name}"

    result = load_files(
        [source], endpoint=virtuoso.gsp_url, graph=graph, chunk_triples=7, environ=_login(virtuoso)
    )

    # No blank nodes here, so equal sets are isomorphic graphs.
    assert _graph_triples(virtuoso, graph) == expected
    assert result.distinct_triples == len(expected)
    assert result.requests == math.ceil(result.triples_sent / 7) > 1
    assert (result.store_before, result.store_after) == (0, len(expected))


@pytest.mark.server
def test_loading_again_passes_the_count_check(virtuoso: Virtuoso, tmp_path: Path) -> None:
    source = _write(tmp_path / "again.nt", AWKWARD_NT)
    graph = "http://example.org/test/again"
    first = load_files([source], endpoint=virtuoso.gsp_url, graph=graph, environ=_login(virtuoso))
    second = load_files([source, source], endpoint=virtuoso.gsp_url, graph=graph, environ=_login(virtuoso))
    assert first.store_after == second.store_before == second.store_after == first.distinct_triples


@pytest.mark.server
def test_count_check_catches_triples_the_store_merges(virtuoso: Virtuoso, tmp_path: Path) -> None:
    # Two distinct RDF literals that Virtuoso stores as one value: the count check must notice.
    source = _write(
        tmp_path / "merged.nt",
        f'<http://example.org/s> <http://example.org/p> "1.0"^^<{XSD}decimal> .\n'
        f'<http://example.org/s> <http://example.org/p> "1.00"^^<{XSD}decimal> .\n',
    )
    with pytest.raises(CountMismatchError, match=r"exactly 2.*Triples are missing.*xsd:decimal"):
        load_files(
            [source],
            endpoint=virtuoso.gsp_url,
            graph="http://example.org/test/merged",
            environ=_login(virtuoso),
        )


@pytest.mark.server
def test_wrong_password_is_a_clear_error_without_the_password(
    virtuoso: Virtuoso, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "Wr0ng-S3cret!"
    monkeypatch.setenv(ENV_USER, virtuoso.user)
    monkeypatch.setenv(ENV_PASSWORD, secret)
    source = _write(
        tmp_path / "small.nt", "<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n"
    )
    caplog.set_level(logging.DEBUG)
    with pytest.raises(PfocrError) as caught:
        load_files([source], endpoint=virtuoso.gsp_url, graph="http://example.org/test/secret", **FAST)
    message = str(caught.value)
    assert "401" in message and ENV_PASSWORD in message and "refused" in message
    assert secret not in message and secret not in repr(caught.value) and secret not in caplog.text


@pytest.mark.server
def test_missing_credentials_say_which_variables_to_set(virtuoso: Virtuoso, tmp_path: Path) -> None:
    source = _write(
        tmp_path / "small.nt", "<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n"
    )
    with pytest.raises(EndpointError, match=f"wants credentials: set {ENV_USER} and {ENV_PASSWORD}"):
        load_files(
            [source], endpoint=virtuoso.gsp_url, graph="http://example.org/test/anon", environ={}, **FAST
        )


@pytest.mark.server
def test_default_graph_refusal_suggests_a_graph(virtuoso: Virtuoso, tmp_path: Path) -> None:
    source = _write(
        tmp_path / "small.nt", "<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n"
    )
    started = time.monotonic()
    with pytest.raises(EndpointError, match="no writable default graph: give a graph IRI"):
        load_files([source], endpoint=virtuoso.gsp_url, graph=None, environ=_login(virtuoso), backoff=5)
    assert time.monotonic() - started < 5, "a permanent 500 must not be retried"


# What Virtuoso 7.2.5 (Debian 12) stores for some valid literals: it keeps values, not spellings. The
# exporter should write canonical forms so that answers compare equal with the embedded store's.
QUIRKS = [
    (f'"1.50"^^<{XSD}decimal>', ox.Literal("1.5", datatype=ox.NamedNode(f"{XSD}decimal"))),
    (f'"1.0"^^<{XSD}decimal>', ox.Literal("1", datatype=ox.NamedNode(f"{XSD}decimal"))),
    (f'"007"^^<{XSD}integer>', ox.Literal("7", datatype=ox.NamedNode(f"{XSD}integer"))),
    (f'"-0044"^^<{XSD}gYear>', ox.Literal("-044", datatype=ox.NamedNode(f"{XSD}gYear"))),
    (f'"1.5E3"^^<{XSD}double>', ox.Literal("1500.0", datatype=ox.NamedNode(f"{XSD}double"))),
    (f'"{10**29}"^^<{XSD}integer>', ox.Literal(str(10**29), datatype=ox.NamedNode(f"{XSD}decimal"))),
    (f'"abc"^^<{XSD}integer>', ox.Literal("0", datatype=ox.NamedNode(f"{XSD}integer"))),
    (f'"true"^^<{XSD}boolean>', ox.Literal("1", datatype=ox.NamedNode(f"{XSD}boolean"))),
    (f'"false"^^<{XSD}boolean>', ox.Literal("0", datatype=ox.NamedNode(f"{XSD}boolean"))),
]


@pytest.fixture(scope="module")
def quirks_loaded(virtuoso: Virtuoso, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Load every quirk case once and return what Virtuoso gives back, by the case's literal."""
    lines = [
        f"<http://example.org/quirk/{i}> <http://example.org/p> {sent} .\n"
        for i, (sent, _) in enumerate(QUIRKS)
    ]
    source = _write(tmp_path_factory.mktemp("quirks") / "quirks.nt", "".join(lines))
    graph = "http://example.org/test/quirks"
    load_files([source], endpoint=virtuoso.gsp_url, graph=graph, environ=_login(virtuoso))
    rows = sparql_select(virtuoso.sparql_url, f"SELECT ?s ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    by_index = {int(row["s"].value.rsplit("/", 1)[1]): row["o"] for row in rows}
    return {QUIRKS[i][0]: value for i, value in by_index.items()}


@pytest.mark.server
@pytest.mark.parametrize(("sent", "stored"), QUIRKS, ids=[sent.split("^^")[0] for sent, _ in QUIRKS])
def test_virtuoso_keeps_values_not_spellings(
    quirks_loaded: dict[str, object], sent: str, stored: ox.Literal
) -> None:
    assert quirks_loaded[sent] == stored


@pytest.mark.server
def test_virtuoso_shortens_iris_over_1879_characters(virtuoso: Virtuoso, tmp_path: Path) -> None:
    iri = "http://example.org/long/" + "x" * 2000
    source = _write(tmp_path / "long-iri.nt", f"<{iri}> <http://example.org/p> <http://example.org/o> .\n")
    graph = "http://example.org/test/long-iri"
    load_files([source], endpoint=virtuoso.gsp_url, graph=graph, environ=_login(virtuoso))
    (stored,) = _graph_triples(virtuoso, graph)
    assert len(stored.subject.value) == 1879 and stored.subject.value != iri
    assert stored.subject.value.startswith(iri[:1800])  # the rest is replaced by a hash


# --- against a scripted fake -------------------------------------------------------------------------


@dataclass
class FakeStore:
    """A Graph Store on loopback: answers POST /store from a script of statuses, counts at /query."""

    script: list[int] = field(default_factory=list)
    count_offset: int = 0
    digest: bool = False  # challenge every request without credentials, as Virtuoso does
    attempts: int = 0
    triples: set[ox.Triple] = field(default_factory=set)
    url: str = ""

    @property
    def gsp_url(self) -> str:
        return f"{self.url}/store"


@pytest.fixture
def fake_store() -> Iterator[FakeStore]:
    """Run a :class:`FakeStore` on a free loopback port for one test."""
    store = FakeStore()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if store.digest and not self.headers.get("Authorization", "").startswith("Digest "):
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Digest realm="SPARQL", nonce="abc", qop="auth"')
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if self.path.startswith("/store"):
                store.attempts += 1
                status = store.script.pop(0) if store.script else 201
                if status < 300:
                    store.triples |= {q.triple for q in ox.parse(body, ox.RdfFormat.TURTLE)}
                self._answer(status, b"fake failure" if status >= 300 else b"", "text/plain")
            else:
                n = len(store.triples) + store.count_offset if store.triples else 0
                binding = {"n": {"type": "literal", "datatype": f"{XSD}integer", "value": str(n)}}
                answer = {"head": {"vars": ["n"]}, "results": {"bindings": [binding]}}
                self._answer(200, json.dumps(answer).encode(), "application/sparql-results+json")

        def _answer(self, status: int, body: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    store.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield store
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _load_fake(store: FakeStore, paths: list[Path], **options: Any) -> LoadResult:
    call: dict[str, Any] = {"endpoint": store.gsp_url, "graph": "http://example.org/g", **FAST}
    return load_files(paths, query_endpoint=f"{store.url}/query", **{**call, **options})


def test_transient_failures_are_retried(
    fake_store: FakeStore, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fake_store.script = [503, 503]
    source = _write(
        tmp_path / "small.nt", "<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n"
    )
    secret = "never-in-logs"
    result = _load_fake(fake_store, [source], environ={ENV_USER: "u", ENV_PASSWORD: secret})
    assert fake_store.attempts == 3
    assert result.retries == 2 and result.store_after == 1
    assert "HTTP 503" in caplog.text and secret not in caplog.text


def test_many_transient_failures_do_not_exhaust_digest_auth(fake_store: FakeStore, tmp_path: Path) -> None:
    # urllib gives up on digest after five challenges in a row unless its count is reset per request.
    fake_store.digest, fake_store.script = True, [503] * 7
    source = _write(
        tmp_path / "small.nt", "<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n"
    )
    result = _load_fake(
        fake_store, [source], retries=7, backoff=0.001, environ={ENV_USER: "u", ENV_PASSWORD: "pw-1234"}
    )
    assert (fake_store.attempts, result.retries, result.store_after) == (8, 7, 1)


@pytest.mark.parametrize("name", ["awkward.nt.gz", "awkward.ttl.gz"])
def test_gzipped_files_load_with_progress(fake_store: FakeStore, tmp_path: Path, name: str) -> None:
    text = AWKWARD_NT if ".nt" in name else AWKWARD_TTL
    plain = _write(tmp_path / name.removesuffix(".gz"), text)
    packed = tmp_path / name
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    seen: list[int] = []
    result = _load_fake(fake_store, [packed], chunk_triples=7, progress=seen.append)
    assert fake_store.triples == _parsed(plain)
    assert seen == [min(7 * (i + 1), result.triples_sent) for i in range(result.requests)]


def test_permanent_failures_are_not_retried(fake_store: FakeStore, tmp_path: Path) -> None:
    fake_store.script = [400]
    source = _write(
        tmp_path / "small.nt", "<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n"
    )
    with pytest.raises(EndpointError, match=r"HTTP 400.*fake failure"):
        _load_fake(fake_store, [source])
    assert fake_store.attempts == 1


def test_unreachable_endpoint_fails_quickly_after_the_retries(tmp_path: Path) -> None:
    with socket.socket() as sock:  # a port that was free a moment ago and is closed now
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    source = _write(
        tmp_path / "small.nt", "<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n"
    )
    started = time.monotonic()
    with pytest.raises(EndpointError, match=r"cannot connect.*refused.*gave up after 3 attempts"):
        load_files([source], endpoint=f"http://127.0.0.1:{port}/store", graph="http://example.org/g", **FAST)
    assert time.monotonic() - started < 3


@pytest.mark.parametrize(("offset", "problem"), [(-1, "Triples are missing"), (1, "extra triples")])
def test_count_mismatch_is_reported(fake_store: FakeStore, tmp_path: Path, offset: int, problem: str) -> None:
    fake_store.count_offset = offset
    source = _write(tmp_path / "awkward.nt", AWKWARD_NT)
    with pytest.raises(CountMismatchError, match=problem):
        _load_fake(fake_store, [source], chunk_triples=5)


def test_ntriples_are_cut_only_at_line_ends(fake_store: FakeStore, tmp_path: Path) -> None:
    # CR-only line ends and raw separators inside literals, one triple per request.
    text = AWKWARD_NT.replace("\r\n", "\n").replace("\n", "\r")
    source = _write(tmp_path / "cr.nt", text)
    result = _load_fake(fake_store, [source], chunk_triples=1)
    assert fake_store.triples == _parsed(_write(tmp_path / "lf.nt", AWKWARD_NT))
    assert fake_store.attempts == result.triples_sent == len(fake_store.triples) + 1


def test_a_bad_file_stops_the_load_before_anything_is_sent(fake_store: FakeStore, tmp_path: Path) -> None:
    good = _write(tmp_path / "good.nt", AWKWARD_NT)
    bad = _write(tmp_path / "bad.ttl", "@prefix ex: <http://example.org/> .\nex:s ex:p ex:o .\nex:s ex:p .\n")
    with pytest.raises(InputError, match=r"bad\.ttl: .*line 3"):
        _load_fake(fake_store, [good, bad])
    assert fake_store.attempts == 0


def test_blank_nodes_are_not_split_across_requests(fake_store: FakeStore, tmp_path: Path) -> None:
    lines = "".join(f'_:b{i % 2} <http://example.org/p> "{i}" .\n' for i in range(5))
    source = _write(tmp_path / "blank.nt", lines)
    with pytest.raises(UsageError, match=r"blank nodes .* 5 triples"):
        _load_fake(fake_store, [source], chunk_triples=2)
    assert fake_store.attempts == 0
    assert _load_fake(fake_store, [source], chunk_triples=5).requests == 1


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"endpoint": "http://dba:hunter2@127.0.0.1:1/store"}, f"put credentials in {ENV_USER}"),
        ({"environ": {ENV_USER: "dba"}}, f"{ENV_PASSWORD} is not set"),
        ({"endpoint": "http://127.0.0.1:1/elsewhere"}, "cannot tell the SPARQL query endpoint"),
        ({"graph": "not an iri"}, "is not an absolute IRI"),
        ({"chunk_triples": 0}, "chunk_triples must be at least 1"),
        ({"paths": ["figures.txt"]}, r"cannot tell the RDF syntax .*expected one of \.ttl, .*\.jsonl"),
        ({"endpoint": "http://[::1/x"}, r"not a valid URL"),
        ({"timeout": 0}, "timeout must be more than 0"),
        ({"paths": ["missing.nt"]}, "no such file"),
    ],
)
def test_bad_calls_are_usage_errors(tmp_path: Path, options: dict[str, object], message: str) -> None:
    source = _write(
        tmp_path / "small.nt", "<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n"
    )
    call: dict[str, object] = {
        "paths": [source],
        "endpoint": "http://127.0.0.1:1/store",
        "graph": "http://example.org/g",
    }
    call.update(options)
    if call["paths"] != [source]:
        call["paths"] = [tmp_path / str(p) for p in call["paths"]]
    with pytest.raises((UsageError, InputError), match=message) as caught:
        load_files(**call)
    assert "hunter2" not in str(caught.value)


# --- what every file name export writes, and the failures a real server will not give on demand -------------


@pytest.mark.parametrize("name", [".ttl", ".turtle.gz", ".ntriples", ".nq", ".nquads.gz", ".jsonld", ".json",
                                  ".jsonl", ".jsonl.gz"])
def test_every_name_export_writes_loads(fake_store: FakeStore, examples_dir: Path, tmp_path: Path,
                                        name: str) -> None:
    from pfocr_rdf import export

    export([examples_dir], output=tmp_path / "reference.nt")
    summary = export([examples_dir], output=tmp_path / f"examples{name}")
    result = _load_fake(fake_store, [tmp_path / f"examples{name}"], chunk_triples=500)
    assert result.triples_sent == summary.triples and result.requests > 1
    # the release's distribution names the format, so compare what is not the release description
    def content(triples: set[ox.Triple]) -> set[ox.Triple]:
        return {t for t in triples if "/dataset" not in t.subject.value and "/software/" not in t.subject.value}
    assert content(fake_store.triples) == content(_parsed(tmp_path / "reference.nt"))


@contextlib.contextmanager
def _scripted(handle: Any) -> Iterator[str]:
    """Run ``handle(request_handler)`` for every POST on a loopback server; yield its base URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            handle(self)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
def test_a_redirect_is_refused_not_followed(tmp_path: Path, code: int) -> None:
    posts: list[str] = []

    def redirect(handler: BaseHTTPRequestHandler) -> None:
        posts.append(handler.path)
        handler.rfile.read(int(handler.headers["Content-Length"]))
        handler.send_response(code)
        handler.send_header("Location", "https://elsewhere.example/store")
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    source = _write(tmp_path / "small.nt", "<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n")
    with _scripted(redirect) as url:
        with pytest.raises(EndpointError, match=rf"redirects \(HTTP {code}\) to https://elsewhere.example/store"):
            load_files([source], endpoint=f"{url}/store", graph="http://example.org/g", verify=False, **FAST)
    assert len(posts) == 1  # neither followed nor retried


def test_a_server_that_never_answers_times_out(tmp_path: Path) -> None:
    release = threading.Event()

    def hang(handler: BaseHTTPRequestHandler) -> None:
        release.wait(30)

    source = _write(tmp_path / "small.nt", "<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n")
    started = time.monotonic()
    try:
        with _scripted(hang) as url:
            with pytest.raises(EndpointError, match=r"no answer within 0\.3 s.*gave up after 2 attempts"):
                load_files([source], endpoint=f"{url}/store", graph="http://example.org/g", verify=False,
                           timeout=0.3, retries=1, backoff=0.01)
            with pytest.raises(PfocrError, match=r"no answer within 0\.3 s"):
                from pfocr_rdf.querying import run_query

                run_query("figures-per-year", endpoint=f"{url}/sparql", timeout=0.3)
    finally:
        release.set()
    assert time.monotonic() - started < 10


def test_an_echoed_authorization_header_is_redacted(tmp_path: Path) -> None:
    def echo(handler: BaseHTTPRequestHandler) -> None:
        handler.rfile.read(int(handler.headers["Content-Length"]))
        sent = handler.headers.get("Authorization")
        body = f"denied: you sent {sent}; user:password was s3cret-pw%21".encode() if sent else b""
        handler.send_response(401)
        handler.send_header("WWW-Authenticate", 'Basic realm="x"')
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    source = _write(tmp_path / "small.nt", "<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n")
    login = {ENV_USER: "loader", ENV_PASSWORD: "s3cret-pw!"}
    with _scripted(echo) as url:
        with pytest.raises(EndpointError, match="refused the credentials") as caught:
            load_files([source], endpoint=f"{url}/store", graph="http://example.org/g", verify=False,
                       environ=login, **FAST)
    message = str(caught.value)
    assert "Basic ***" in message
    for secret in ("s3cret-pw", "bG9hZGVyOnMzY3JldC1wdyE", "s3cret-pw%21"):
        assert secret not in message


def test_a_failure_after_some_chunks_says_what_was_committed(fake_store: FakeStore, tmp_path: Path) -> None:
    fake_store.script = [201, 201, 500]
    source = _write(tmp_path / "awkward.nt", AWKWARD_NT)
    with pytest.raises(EndpointError, match=r"HTTP 500.*; 10 triples in 2 earlier request\(s\) were accepted"):
        _load_fake(fake_store, [source], chunk_triples=5)
    fake_store.script = [500]
    with pytest.raises(EndpointError, match="nothing was accepted before it"):
        _load_fake(fake_store, [source], chunk_triples=5)


@pytest.mark.parametrize("url", ["http://user:pa55word@127.0.0.1:1/sparql", "http://[::1/x", "ftp://h/x"])
def test_query_endpoint_urls_are_checked_and_never_echo_a_password(url: str) -> None:
    from pfocr_rdf.querying import run_query

    with pytest.raises(UsageError) as caught:
        run_query("figures-per-year", endpoint=url)
    assert "pa55word" not in str(caught.value)
