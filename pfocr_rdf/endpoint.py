"""Load RDF files into a triple-store server over the SPARQL 1.1 Graph Store HTTP Protocol, and query it.

This stage reads finished RDF files (any name :mod:`pfocr_rdf.rdffiles` reads: everything ``export``
writes, gzipped or not; named graphs are merged into the target graph), checks that every one of them
parses before it sends anything, then POSTs them in chunks of N-Triples lines to a Graph Store endpoint
(``?graph=IRI``, or ``?default``), retrying transient failures with backoff. Every request has a
timeout (30 s by default); a redirect is refused, not followed (urllib would re-send a POST as a GET
without its body, and the load would report success with nothing loaded). Afterwards it counts the
triples in the graph through the SPARQL query endpoint and checks the count against what was sent.
Credentials come only from the ``PFOCR_RDF_USER`` / ``PFOCR_RDF_PASSWORD`` environment variables and
are answered to the server's digest or basic challenge; they never appear in messages or logs: every
message is redacted of the password, of ``user:password`` in Base64 (what a Basic ``Authorization``
header carries, which a server may echo in an error page) and of its percent-encoded form.

It does not map or write RDF, start servers, or know about PFOCR. Only the standard library talks HTTP.

The count check, and why it is a range: a Graph Store is a set of triples, so triples already in the
graph, or repeated in the files, are stored once. With ``before`` triples in the graph beforehand and
``distinct`` distinct triples sent, the graph must afterwards hold between ``max(before, distinct)`` and
``before + distinct`` triples; into an empty graph that is exactly ``distinct``. Fewer means the store
lost or merged triples (a request that failed silently, or a store that normalises literals such as
``"1.0"^^xsd:decimal``); more means someone else wrote to the graph during the load.
"""

from __future__ import annotations

import base64
import html
import http.client
import json
import logging
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import IO, cast

import pyoxigraph as ox

from pfocr_rdf.errors import InputError, UsageError, printable
from pfocr_rdf.rdffiles import RdfFile, iter_quads, rdf_files

__all__ = [
    "DEFAULT_TIMEOUT",
    "ENV_PASSWORD",
    "ENV_USER",
    "CountMismatchError",
    "EndpointError",
    "LoadResult",
    "Term",
    "load_files",
    "post_query",
    "sparql_select",
]

ENV_USER = "PFOCR_RDF_USER"
ENV_PASSWORD = "PFOCR_RDF_PASSWORD"

#: Seconds a request may take (to connect, and between bytes of the answer) before it counts as failed.
DEFAULT_TIMEOUT = 30.0

Term = ox.NamedNode | ox.Literal | ox.BlankNode

#: Graph Store paths whose SPARQL query endpoint is known (Virtuoso, Oxigraph server, Fuseki).
_QUERY_PATHS = {
    "/sparql-graph-crud-auth": "/sparql",
    "/sparql-graph-crud": "/sparql",
    "/store": "/query",
    "/data": "/sparql",
}

# Each chunk is N-Triples lines under one directive, sent as Turtle (N-Triples is a subset of Turtle).
# Virtuoso ignores the Content-Type and guesses the syntax from the body: a body whose first 64 KB hold
# fewer than three triples (a long literal near the start) is refused as "text/plain" (openlink/
# virtuoso-opensource#540). A leading @prefix makes its guess certain and is plain Turtle everywhere.
_TURTLE_HEADER = b"@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"

# 500 is not retried: Virtuoso answers 500 to permanent faults too (bad data, no default graph), and
# retrying those only delays the message. Its one transient 500 is a deadlock, SQL state 40001.
_TRANSIENT_STATUS = frozenset({408, 429, 502, 503, 504})
_DEADLOCK = re.compile(rb"Error 40001|SR172:")
_MAX_RETRY_AFTER = 60.0

_log = logging.getLogger(__name__)


class EndpointError(InputError):
    """The server could not be reached, refused the request, or answered something unusable."""


class CountMismatchError(EndpointError):
    """After a load, the store holds a number of triples that the load cannot explain."""


@dataclass(frozen=True)
class LoadResult:
    """What one load sent and what the store held before and after it."""

    endpoint: str
    graph: str | None
    files: tuple[str, ...]
    triples_sent: int  # as many as the files hold, repeats included
    distinct_triples: int
    requests: int  # successful POSTs, one per chunk
    retries: int  # failed attempts that were tried again
    store_before: int | None  # the graph's triple count; None when the check was off
    store_after: int | None
    seconds: float  # sending and counting; the local parse that comes first is not included

    @property
    def triples_per_second(self) -> float:
        """Return the sending rate over the whole load."""
        return self.triples_sent / self.seconds if self.seconds > 0 else 0.0


@dataclass
class _Source:
    file: RdfFile
    rdflib: bool = False  # a token over pyoxigraph's buffer: read it with rdflib (see pfocr_rdf.rdffiles)

    @property
    def path(self) -> Path:
        return self.file.path


@dataclass(frozen=True)
class _Client:
    opener: urllib.request.OpenerDirector
    digest: urllib.request.HTTPDigestAuthHandler | None
    secrets: tuple[str, ...]  # what must never be printed: the password and its encodings
    timeout: float
    retries: int
    backoff: float


def load_files(
    paths: Sequence[str | Path],
    *,
    endpoint: str,
    graph: str | None,
    chunk_triples: int = 50_000,
    retries: int = 3,
    backoff: float = 1.0,
    timeout: float = DEFAULT_TIMEOUT,
    query_endpoint: str | None = None,
    verify: bool = True,
    environ: Mapping[str, str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> LoadResult:
    """Load RDF files into ``graph`` at a Graph Store ``endpoint`` and check the count.

    Raises UsageError (bad option, URL or graph IRI, half-set credentials, blank nodes split across
    requests), InputError (missing or unparsable file; nothing is sent then), EndpointError (server
    unreachable, silent for ``timeout`` seconds, redirecting or refusing, after ``retries``; the message
    says how many triples earlier requests committed) and CountMismatchError (the check failed).
    """
    _check_url(endpoint)
    if chunk_triples < 1:
        raise UsageError(f"chunk_triples must be at least 1, not {chunk_triples}")
    if retries < 0:
        raise UsageError(f"retries must be 0 or more, not {retries}")
    if not timeout > 0:
        raise UsageError(f"timeout must be more than 0 seconds, not {timeout}")
    if graph is not None:
        _check_iri(graph)
    if not paths:
        raise UsageError("no files to load")
    sources = [_Source(file) for file in rdf_files(paths)]
    query_url = (query_endpoint or _query_url_for(endpoint)) if verify else None
    urls = [endpoint] if query_url is None else [endpoint, query_url]
    client = _client(urls, timeout=timeout, retries=retries, backoff=backoff, environ=environ)

    distinct = _validate(sources, chunk_triples=chunk_triples)
    started = time.perf_counter()
    before = _count(client, query_url, graph) if query_url else None
    target = _gsp_url(endpoint, graph)
    sent = requests = retried = 0
    for source in sources:
        for body, n in _chunks(source, chunk_triples=chunk_triples):
            try:
                retried += _post_chunk(client, target, body, graph=graph)
            except EndpointError as exc:
                committed = (f"{sent} triples in {requests} earlier request(s) were accepted before this "
                             "failure and stay in the graph" if requests else "nothing was accepted before it")
                raise EndpointError(f"{exc}; {committed}") from None
            sent += n
            requests += 1
            if progress is not None:
                progress(sent)
    after = _count(client, query_url, graph) if query_url else None
    result = LoadResult(
        endpoint=endpoint,
        graph=graph,
        files=tuple(str(s.path) for s in sources),
        triples_sent=sent,
        distinct_triples=distinct,
        requests=requests,
        retries=retried,
        store_before=before,
        store_after=after,
        seconds=time.perf_counter() - started,
    )
    if before is not None and after is not None:
        _check_count(result, before, after)
    return result


def sparql_select(
    endpoint: str,
    query: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    retries: int = 3,
    backoff: float = 1.0,
    environ: Mapping[str, str] | None = None,
) -> list[dict[str, Term]]:
    """Run a SELECT query at a SPARQL endpoint and return its rows as pyoxigraph terms.

    Unbound variables are left out of a row, as in pyoxigraph's own solutions. Raises UsageError (bad
    URL), EndpointError (server unreachable, refusing, or not answering SPARQL JSON results).
    """
    client = _client([endpoint], timeout=timeout, retries=retries, backoff=backoff, environ=environ)
    return _select(client, endpoint, query)


def post_query(
    endpoint: str,
    query: str,
    *,
    accept: str = "application/sparql-results+json",
    timeout: float = DEFAULT_TIMEOUT,
    retries: int = 3,
    backoff: float = 1.0,
    environ: Mapping[str, str] | None = None,
) -> bytes:
    """POST a query to a SPARQL endpoint (SPARQL 1.1 protocol) and return the answer's bytes.

    The same client as loading: credentials from the environment, a timeout per request, retries of
    transient failures, redirects refused, messages redacted. Raises UsageError and EndpointError.
    """
    client = _client([endpoint], timeout=timeout, retries=retries, backoff=backoff, environ=environ)
    body = urllib.parse.urlencode({"query": query}).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept, "User-Agent": "pfocr-rdf"}
    answer, _ = _request(client, endpoint, body, headers)
    return answer


# --- reading -----------------------------------------------------------------------------------------


def _triples(source: _Source, *, on_restart: Callable[[], None] | None = None) -> Iterator[ox.Triple]:
    for quad in iter_quads(source.file, rdflib=source.rdflib, on_restart=on_restart):
        yield quad.triple  # named graphs go into the one target graph


def _validate(sources: Sequence[_Source], *, chunk_triples: int) -> int:
    """Parse every file once, so that bad input fails before anything is sent; count distinct triples."""
    # 64-bit hashes, not triples, keep the memory near 80 bytes per triple; a collision (~1e-7 at
    # 2M triples) could only make the count check expect one triple too few.
    seen: set[int] = set()
    for index, source in enumerate(sources):
        count = 0
        first_blank: ox.BlankNode | None = None

        def restart(source: _Source = source) -> None:
            nonlocal count
            source.rdflib, count = True, 0  # sent with rdflib's parser too; the repeats are in ``seen``

        for triple in _triples(source, on_restart=restart):
            count += 1
            subject, object_ = triple.subject, triple.object
            if isinstance(subject, ox.BlankNode) or isinstance(object_, ox.BlankNode):
                if first_blank is None:
                    first_blank = (
                        subject if isinstance(subject, ox.BlankNode) else cast(ox.BlankNode, object_)
                    )
                seen.add(hash((index, triple)))  # blank nodes are scoped to their file
            else:
                seen.add(hash(triple))
        if first_blank is not None and count > chunk_triples:
            raise UsageError(
                f"{source.path}: has blank nodes (e.g. {first_blank}) and {count} triples, more "
                f"than one request of {chunk_triples}; each request is a document of its own, so a "
                "blank node split across requests would become several nodes. Raise chunk_triples "
                "to at least the file's triple count, or write IRIs instead of blank nodes"
            )
    return len(seen)


def _chunks(source: _Source, *, chunk_triples: int) -> Iterator[tuple[bytes, int]]:
    if source.file.syntax.name == "nt":
        yield from _ntriples_chunks(source, chunk_triples=chunk_triples)
        return
    batch: list[ox.Triple] = []
    for triple in _triples(source):
        batch.append(triple)
        if len(batch) == chunk_triples:
            yield _serialize(batch), len(batch)
            batch = []
    if batch:
        yield _serialize(batch), len(batch)


def _serialize(triples: list[ox.Triple]) -> bytes:
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""  # None only when given an output


def _ntriples_chunks(source: _Source, *, chunk_triples: int) -> Iterator[tuple[bytes, int]]:
    """Cut a validated N-Triples file at line ends only, sending its lines as they are."""
    lines: list[bytes] = []
    for line in _ntriples_lines(source):
        lines.append(line)
        if len(lines) == chunk_triples:
            yield b"".join(lines), len(lines)
            lines = []
    if lines:
        yield b"".join(lines), len(lines)


def _ntriples_lines(source: _Source, block: int = 1 << 20) -> Iterator[bytes]:
    """Yield each triple line of an N-Triples file, ending in LF; skip blank and comment lines."""
    # N-Triples has at most one triple per line and ends lines with CR, LF or both; its literals and
    # IRIs escape CR and LF, so those are the only safe cuts. bytes.splitlines cuts at exactly those,
    # whereas text mode and str.splitlines also cut at U+0085, U+2028, VT, FF…, which a literal may
    # hold raw. Blocks rather than lines, so that a file with CR-only line ends streams too.
    carry = b""
    with source.file.open() as stream:
        while True:
            data = stream.read(block)
            pieces = (carry + data).splitlines(keepends=True)
            # The last piece is unfinished unless it ends a line (or the file ends).
            carry = pieces.pop() if data and pieces and not pieces[-1].endswith((b"\r", b"\n")) else b""
            for piece in pieces:
                line = piece.rstrip(b"\r\n")
                stripped = line.strip(b" \t")
                if stripped and not stripped.startswith(b"#"):
                    yield line + b"\n"
            if not data:
                return


# --- HTTP --------------------------------------------------------------------------------------------


def _client(
    urls: Sequence[str], *, timeout: float, retries: int, backoff: float, environ: Mapping[str, str] | None
) -> _Client:
    for url in urls:
        _check_url(url)
    env = os.environ if environ is None else environ
    user, password = env.get(ENV_USER) or None, env.get(ENV_PASSWORD) or None
    if (user is None) != (password is None):
        missing = ENV_PASSWORD if password is None else ENV_USER
        raise UsageError(f"{missing} is not set; set both {ENV_USER} and {ENV_PASSWORD}, or neither")
    if user is None or password is None:
        return _Client(urllib.request.build_opener(_NoRedirect()), None, (), timeout, retries, backoff)
    manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    manager.add_password(None, sorted({_origin(url) for url in urls}), user, password)
    # Credentials are only ever sent in answer to the server's own digest or basic challenge.
    digest = urllib.request.HTTPDigestAuthHandler(manager)
    opener = urllib.request.build_opener(_NoRedirect(), digest, urllib.request.HTTPBasicAuthHandler(manager))
    return _Client(opener, digest, _secrets(user, password), timeout, retries, backoff)


def _secrets(user: str, password: str) -> tuple[str, ...]:
    """Return the password and every form of it a message could carry, longest first."""
    pair = f"{user}:{password}".encode()
    forms = {password, urllib.parse.quote(password, safe=""), urllib.parse.quote_plus(password)}
    for encoded in (base64.b64encode(pair), base64.urlsafe_b64encode(pair)):
        text = encoded.decode("ascii")
        forms |= {text, text.rstrip("=")}
    # Passwords under four characters are left alone: replacing every "p" would garble the message.
    return tuple(sorted((f for f in forms if len(f) >= 4), key=len, reverse=True))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Refuse redirects: urllib would re-send a POST as a GET without its body (and lose the data)."""

    def redirect_request(self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str,
                         headers: Message, newurl: str) -> urllib.request.Request | None:
        raise _Redirected(code, newurl)


class _Redirected(Exception):
    def __init__(self, code: int, location: str) -> None:
        super().__init__(code, location)
        self.code, self.location = code, location


def _post_chunk(client: _Client, url: str, body: bytes, *, graph: str | None) -> int:
    headers = {"Content-Type": "text/turtle; charset=utf-8"}
    try:
        _, retried = _request(client, url, _TURTLE_HEADER + body, headers)
    except EndpointError as exc:
        if graph is None and "default" in str(exc):
            hint = "this server may have no writable default graph: give a graph IRI"
            raise EndpointError(f"{exc}; {hint}") from None
        raise
    return retried


def _select(client: _Client, url: str, query: str) -> list[dict[str, Term]]:
    body = urllib.parse.urlencode({"query": query}).encode()
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/sparql-results+json",
    }
    answer, _ = _request(client, url, body, headers)
    try:
        bindings = json.loads(answer)["results"]["bindings"]
        blanks: dict[str, ox.BlankNode] = {}
        return [{var: _term(value, blanks) for var, value in row.items()} for row in bindings]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        problem = f"the answer is not SPARQL JSON results ({exc})"
        raise EndpointError(f"{url}: {problem}: {_snippet(answer)}") from None


def _term(value: Mapping[str, str], blanks: dict[str, ox.BlankNode]) -> Term:
    kind = value["type"]
    if kind == "uri":
        return ox.NamedNode(value["value"])
    if kind == "bnode":
        # Server labels such as Virtuoso's "nodeID://b10007" are not valid N-Triples labels.
        return blanks.setdefault(value["value"], ox.BlankNode())
    if kind in ("literal", "typed-literal"):  # "typed-literal" is the SPARQL JSON draft's, Virtuoso uses it
        if "xml:lang" in value:
            return ox.Literal(value["value"], language=value["xml:lang"])
        datatype = value.get("datatype")
        return ox.Literal(value["value"], datatype=ox.NamedNode(datatype) if datatype else None)
    raise ValueError(f"unknown term type {kind!r}")


def _request(client: _Client, url: str, body: bytes, headers: Mapping[str, str]) -> tuple[bytes, int]:
    """POST ``body``, retrying transient failures; return the answer and the number of retries."""
    attempt = 0
    while True:
        request = urllib.request.Request(url, data=body, headers=dict(headers), method="POST")
        wait: float | None = None
        if client.digest is not None:
            # urllib counts digest challenges across requests and only resets the count on success,
            # so after five failed requests (503s, say) it would refuse good credentials for good.
            client.digest.reset_retry_count()
        try:
            with client.opener.open(request, timeout=client.timeout) as response:
                return response.read(), attempt
        except urllib.error.HTTPError as exc:
            text = exc.read() if exc.fp is not None else b""
            exc.close()
            transient = exc.code in _TRANSIENT_STATUS or (
                exc.code == 500 and _DEADLOCK.search(text) is not None
            )
            problem = f"HTTP {exc.code} {exc.reason}: {_snippet(text)}"
            if not transient:
                raise EndpointError(_redact(f"{url}: {_advice(exc.code, client)}{problem}", client)) from None
            wait = _retry_after(exc.headers.get("Retry-After"))
        except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
            reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
            if isinstance(reason, TimeoutError):
                problem = f"no answer within {client.timeout:g} s (see --timeout)"
            else:
                problem = f"cannot connect: {reason or type(reason).__name__}"
        except _Redirected as exc:
            raise EndpointError(_redact(
                f"{url}: the server redirects (HTTP {exc.code}) to {_printable_url(exc.location)}; "
                "a redirected POST would lose its body, so it is not followed: give that URL instead", client
            )) from None
        except ValueError as exc:  # urllib's digest handler, on a challenge it cannot answer
            raise EndpointError(_redact(f"{url}: {exc}", client)) from None
        if attempt == client.retries:
            raise EndpointError(_redact(f"{url}: {problem} (gave up after {attempt + 1} attempts)", client))
        delay = wait if wait is not None else client.backoff * 2**attempt
        _log.warning("%s; retrying in %.1f s", _redact(f"{url}: {problem}", client), delay)
        time.sleep(delay)
        attempt += 1


def _advice(code: int, client: _Client) -> str:
    if code in (401, 403):
        if not client.secrets:
            return f"the server wants credentials: set {ENV_USER} and {ENV_PASSWORD}. "
        return f"the server refused the credentials from {ENV_USER} / {ENV_PASSWORD}. "
    return ""


def _retry_after(header: str | None) -> float | None:
    try:
        return min(float(header), _MAX_RETRY_AFTER) if header else None
    except ValueError:  # an HTTP date; the backoff will do
        return None


def _snippet(body: bytes, limit: int = 300) -> str:
    """Return the readable part of an error page, short."""
    text = body.decode("utf-8", "replace")
    text = re.sub(r"(?is)<(head|script|style)\b.*?</\1>", " ", text)
    # Only real tags: a message may quote an IRI in angle brackets, e.g. "graph <http://…> is rejected".
    text = html.unescape(re.sub(r"</?[A-Za-z][A-Za-z0-9]*(\s[^<>]*)?/?>|<!DOCTYPE[^>]*>", " ", text))
    text = " ".join(text.split())
    return (text[:limit] + "…") if len(text) > limit else (text or "(no message)")


def _redact(message: str, client: _Client) -> str:
    # Belt and braces: no message of ours contains the password, but a server could echo it back,
    # as such or in the Authorization header it was sent (Base64 of user:password).
    for secret in client.secrets:
        message = message.replace(secret, "***")
    return message


def _printable_url(url: str) -> str:
    """Return a URL fit to print: no user information (it may hold a password), control characters escaped."""
    try:
        parts = urllib.parse.urlsplit(url)
        if "@" in parts.netloc:
            url = urllib.parse.urlunsplit(parts._replace(netloc="***@" + parts.netloc.rpartition("@")[2]))
    except ValueError:
        url = "(an invalid URL)"
    return printable(url)


# --- counting ----------------------------------------------------------------------------------------


def _count(client: _Client, query_url: str, graph: str | None) -> int:
    pattern = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph is not None else "?s ?p ?o"
    rows = _select(client, query_url, f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")
    value = rows[0].get("n") if len(rows) == 1 else None
    if not isinstance(value, ox.Literal) or not value.value.isdigit():
        raise EndpointError(f"{query_url}: the triple count query gave no number but {rows!r}")
    return int(value.value)


def _check_count(result: LoadResult, before: int, after: int) -> None:
    low, high = max(before, result.distinct_triples), before + result.distinct_triples
    where = f"graph <{result.graph}>" if result.graph is not None else "the default graph"
    if low <= after <= high:
        return
    told = (
        f"{where} held {before} triples before the load and {after} after it; {result.distinct_triples} "
        f"distinct triples were sent ({result.triples_sent} with repeats), so it should hold "
        + (f"exactly {low}" if low == high else f"between {low} and {high}")
        + " (a triple already there, or repeated, is stored once)"
    )
    if after < low:
        raise CountMismatchError(
            f"{told}. Triples are missing: a request may have failed unseen, or the store merged "
            'triples that differ only in a literal\'s spelling (e.g. "1.0" and "1.00" as xsd:decimal)'
        )
    raise CountMismatchError(f"{told}. There are extra triples: something else wrote to {where} meanwhile")


# --- URLs --------------------------------------------------------------------------------------------


def _check_url(url: str) -> None:
    """Raise UsageError unless ``url`` is an http(s) URL with a host and no user information."""
    try:
        parts = urllib.parse.urlsplit(url)
        host, _ = parts.hostname, parts.port  # both parse the authority, and raise ValueError on a bad one
    except ValueError as exc:
        raise UsageError(f"not a valid URL: {_printable_url(url)} ({exc})") from None
    if "@" in parts.netloc:  # never repeat such a URL: its user part may hold a password
        raise UsageError(f"put credentials in {ENV_USER} and {ENV_PASSWORD}, not in the endpoint URL "
                         f"({_printable_url(url)})")
    if parts.scheme not in ("http", "https") or not host:
        raise UsageError(f"not an http(s) URL: {_printable_url(url)}")


def _check_iri(graph: str) -> None:
    try:
        ox.NamedNode(graph)
    except ValueError as exc:
        raise UsageError(f"graph {graph!r} is not an absolute IRI: {exc}") from None


def _origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


def _gsp_url(endpoint: str, graph: str | None) -> str:
    joiner = "&" if urllib.parse.urlsplit(endpoint).query else "?"
    return endpoint + joiner + (urllib.parse.urlencode({"graph": graph}) if graph is not None else "default")


def _query_url_for(endpoint: str) -> str:
    parts = urllib.parse.urlsplit(endpoint)
    path = parts.path.rstrip("/")
    for suffix, replacement in _QUERY_PATHS.items():
        if path.endswith(suffix):
            return urllib.parse.urlunsplit(parts._replace(path=path[: -len(suffix)] + replacement, query=""))
    known = ", ".join(_QUERY_PATHS)
    raise UsageError(
        f"cannot tell the SPARQL query endpoint from {endpoint!r} (known Graph Store paths: {known}); "
        "give it explicitly (query_endpoint=, --query-endpoint) or turn the count check off"
    )
