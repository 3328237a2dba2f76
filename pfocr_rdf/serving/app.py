"""The web application behind ``pfocr-rdf serve``: a Starlette (ASGI) app, run by uvicorn.

Routes:

- ``/sparql``: the SPARQL 1.1 Protocol, read-only (GET; POST as a form or as a direct
  ``application/sparql-query`` body; ``default-graph-uri`` and ``named-graph-uri``). Queries run in worker
  processes with a time limit and a row cap (:mod:`.sparql`); the result format follows ``Accept`` or a
  ``format`` parameter. Updates are refused (403).
- ``/``: the home page (for browsers): the example queries, runnable; other clients get the description
  of the base IRI.
- ``/queries/NAME.rq?PARAM=VALUE``: the example query's text with its parameters bound (a ``VALUES``
  block, as any endpoint gets them); ``/queries/NAME.ttl``: its SIB sparql-examples twin.
- ``/.well-known/sparql-examples`` (all twins), ``/.well-known/void`` (the VoID/HCLS description),
  ``/vocab`` (the vocabulary: HTML, Turtle or JSON-LD).
- ``/describe?iri=IRI``: any node's description; and every other path ``P`` is the node ``{base}P``:
  the server stands in for ``--base``. Nodes answer as Turtle, JSON-LD, N-Triples or HTML by ``Accept``.
"""

from __future__ import annotations

import contextlib
import functools
import threading
import urllib.parse
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import anyio.to_thread
from pyoxigraph import NamedNode, RdfFormat, Store
from starlette.applications import Starlette
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from ..errors import InputError, PfocrError
from ..namespaces import DEFAULT_BASE
from ..publishing.examples import EXAMPLES_PATH, example_turtle, examples_document
from ..publishing.vocabulary import VOCABULARY_IRI, vocabulary_graph, vocabulary_html, vocabulary_turtle
from ..publishing.void import VOID_PATH, describe_store
from ..querying import QueryFile, bind_params, inline_bindings, load_query, shipped_query_names
from .pages import LinkMaker, describe_node, home_page, node_page, not_found_page
from .sparql import FORMAT_NAMES, GRAPH_FORMATS, Answer, QueryJob, WorkerPool, negotiate, serialize_triples

__all__ = ["ServeOptions", "create_app"]

_CORS: Final = {"Access-Control-Allow-Origin": "*"}
#: What a node's description can be sent as; Turtle first, so that ``Accept: */*`` gets data.
_NODE_FORMATS: Final = ("text/turtle", "text/html", "application/ld+json", "application/n-triples")
_HOME_FORMATS: Final = ("text/html", "text/turtle", "application/ld+json", "application/n-triples")


@dataclass(frozen=True)
class ServeOptions:
    """How to serve: the store, the base the server stands in for, and the query limits."""

    store: Path
    base: str = DEFAULT_BASE
    timeout: float = 30.0
    max_rows: int = 100_000
    workers: int = 2
    void: Path | None = None  # a precomputed description to serve; else computed on first request
    max_incoming: int = 500


class _State:
    """What the app holds while it runs: the read-only store for node pages, and the query workers."""

    def __init__(self, options: ServeOptions) -> None:
        self.options = options
        self.store = Store.read_only(str(options.store))
        self.pool: WorkerPool | None = None
        self._void: str | None = None
        self._void_error: str | None = None
        self._void_done = threading.Event()
        self._void_lock = threading.Lock()
        self._void_started = False

    def void_text(self, wait: float) -> str | None:
        """Return the dataset description, computing it once in the background; None if not ready in ``wait`` s.

        Counting a large store takes minutes (about 14 s per million triples on two busy cores), so the
        first request starts it and later ones get it; ``--void FILE`` serves a precomputed one instead.
        """
        if self.options.void is not None:
            return self.options.void.read_text(encoding="utf-8")
        with self._void_lock:
            if not self._void_started:
                self._void_started = True
                threading.Thread(target=self._compute_void, name="pfocr-rdf-void", daemon=True).start()
        self._void_done.wait(wait)
        if self._void_error is not None:
            raise InputError(self._void_error)
        return self._void

    def _compute_void(self) -> None:
        try:
            self._void = describe_store(self.store, base=self.options.base)
        except PfocrError as error:
            self._void_error = str(error)
        finally:
            self._void_done.set()

    def described(self, iri: str) -> bool:
        try:
            node = NamedNode(iri)
        except ValueError:
            return False
        return next(iter(self.store.quads_for_pattern(node, None, None)), None) is not None


def _root(request: Request) -> str:
    return str(request.base_url)


def _stand_ins(options: ServeOptions) -> list[tuple[str, str]]:
    return [(options.base, ""), (VOCABULARY_IRI, "vocab")]


def _links(request: Request, state: _State) -> LinkMaker:
    return LinkMaker(_root(request), _stand_ins(state.options), functools.lru_cache(maxsize=4096)(state.described))


def _answer(answer: Answer) -> Response:
    return Response(answer.body, status_code=answer.status, media_type=answer.media_type, headers=_CORS)


def _error(status: int, message: str) -> Response:
    return _answer(Answer.error(status, message))


def _accept(request: Request) -> str:
    """Return the Accept header, or the media type a ``format`` parameter names (which wins)."""
    name = request.query_params.get("format")
    if name:
        return FORMAT_NAMES.get(name.lower(), name)
    return request.headers.get("accept", "*/*")


# --- the SPARQL endpoint -------------------------------------------------------------------------------


async def _sparql(request: Request) -> Response:
    state: _State = request.app.state.pfocr
    graphs = request.query_params
    query: str | None
    if request.method == "GET":
        query = request.query_params.get("query")
        if query is None:
            if "text/html" in request.headers.get("accept", ""):
                return RedirectResponse(_root(request), status_code=303)
            return _error(400, "no query: send ?query=... (GET) or POST a form with query=... "
                               "or an application/sparql-query body")
    else:
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type == "application/x-www-form-urlencoded":
            # A urlencoded form is parsed as a query string: no multipart parser needed.
            form = QueryParams((await request.body()).decode("utf-8", errors="replace"))
            if "update" in form:
                return _error(403, "this endpoint is read-only: SPARQL Update is not accepted")
            query = form.get("query")
            if query is None:
                return _error(400, "the form has no 'query' field")
            graphs = form
        elif content_type == "application/sparql-query":
            query = (await request.body()).decode("utf-8", errors="replace")
        elif content_type == "application/sparql-update":
            return _error(403, "this endpoint is read-only: SPARQL Update is not accepted")
        else:
            return _error(415, "POST a form (application/x-www-form-urlencoded) with query=..., or the query "
                               f"itself as application/sparql-query; got {content_type or 'no Content-Type'}")
    if state.pool is None:  # the app's lifespan starts the pool before the first request
        return _error(503, "the query workers are not running yet")
    job = QueryJob(
        text=query,
        accept=_accept(request),
        max_rows=state.options.max_rows,
        default_graphs=tuple(str(g) for g in graphs.getlist("default-graph-uri")),
        named_graphs=tuple(str(g) for g in graphs.getlist("named-graph-uri")),
    )
    return _answer(await anyio.to_thread.run_sync(state.pool.run, job))


async def _options(request: Request) -> Response:
    return Response(status_code=204, headers={**_CORS, "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                                              "Access-Control-Allow-Headers": "Content-Type, Accept"})


# --- example queries -----------------------------------------------------------------------------------


@functools.cache
def _queries() -> tuple[QueryFile, ...]:
    return tuple(load_query(name) for name in shipped_query_names())


def _query_named(name: str) -> QueryFile | None:
    return next((q for q in _queries() if q.name == name), None)


async def _query_file(request: Request) -> Response:
    state: _State = request.app.state.pfocr
    file = request.path_params["file"]
    name, _, extension = file.rpartition(".")
    query = _query_named(name)
    if query is None or extension not in ("rq", "ttl"):
        return _error(404, f"no example query {file!r}; the examples: {', '.join(q.name for q in _queries())}")
    if extension == "ttl":
        text = example_turtle(query, base=state.options.base, target=_root(request) + "sparql")
        return PlainTextResponse(text, media_type="text/turtle", headers=_CORS)
    try:
        bound = inline_bindings(query.text, bind_params(query, dict(request.query_params)))
    except PfocrError as error:
        return _error(400, str(error))
    return PlainTextResponse(bound, media_type="application/sparql-query", headers=_CORS)


async def _examples(request: Request) -> Response:
    state: _State = request.app.state.pfocr
    path = request.path_params.get("name")
    if path:
        query = _query_named(path)
        if query is None:
            return _error(404, f"no example query {path!r}")
        if negotiate(request.headers.get("accept", "*/*"), ["text/turtle", "text/html"]) == "text/html":
            return RedirectResponse(f"{_root(request)}?{urllib.parse.urlencode({'query': path})}", status_code=303)
        text = example_turtle(query, base=state.options.base, target=_root(request) + "sparql")
    else:
        text = examples_document(_queries(), base=state.options.base, target=_root(request) + "sparql")
    return PlainTextResponse(text, media_type="text/turtle", headers=_CORS)


async def _void(request: Request) -> Response:
    state: _State = request.app.state.pfocr
    try:
        text = await anyio.to_thread.run_sync(state.void_text, 10.0)
    except PfocrError as error:
        return _error(500, f"cannot describe the store: {error}")
    if text is None:
        return Response("the dataset description is being computed from the store; try again in a minute "
                        "(or serve a precomputed one: pfocr-rdf describe -o void.ttl, then serve --void void.ttl)\n",
                        status_code=503, media_type="text/plain; charset=utf-8", headers={**_CORS, "Retry-After": "60"})
    return PlainTextResponse(text, media_type="text/turtle", headers=_CORS)


async def _vocabulary(request: Request) -> Response:
    media = negotiate(_accept(request), ["text/turtle", "text/html", "application/ld+json"])
    if media == "text/html":
        return HTMLResponse(vocabulary_html())
    if media == "application/ld+json":
        return Response(vocabulary_graph().serialize(format="json-ld"), media_type=media, headers=_CORS)
    if media == "text/turtle":
        return PlainTextResponse(vocabulary_turtle(), media_type="text/turtle", headers=_CORS)
    return _error(406, "the vocabulary is available as text/turtle, text/html and application/ld+json")


# --- nodes ---------------------------------------------------------------------------------------------


async def _home(request: Request) -> Response:
    state: _State = request.app.state.pfocr
    if negotiate(_accept(request), _HOME_FORMATS) == "text/html":
        page = home_page(_queries(), root=_root(request), stand_ins=_stand_ins(state.options))
        return HTMLResponse(page)
    return await _node(request, state.options.base)


async def _describe(request: Request) -> Response:
    iri = request.query_params.get("iri")
    if not iri:
        return _error(400, "give the node as ?iri=...")
    return await _node(request, iri)


async def _minted(request: Request) -> Response:
    state: _State = request.app.state.pfocr
    # The raw path keeps the percent-encoding that minted IRIs carry.
    raw = request.scope.get("raw_path", request.url.path.encode()).decode("utf-8", errors="replace")
    return await _node(request, state.options.base + raw.lstrip("/"))


async def _node(request: Request, iri: str) -> Response:
    state: _State = request.app.state.pfocr
    try:
        NamedNode(iri)
    except ValueError:
        return _error(400, f"{iri!r} is not an IRI")
    media = negotiate(_accept(request), _NODE_FORMATS)
    if media is None:
        return _error(406, f"a node can be sent as {', '.join(_NODE_FORMATS)}")
    description = await anyio.to_thread.run_sync(
        functools.partial(describe_node, state.store, iri, max_incoming=state.options.max_incoming))
    root = _root(request)
    if description.empty:
        if media == "text/html":
            return HTMLResponse(not_found_page(iri, root=root), status_code=404)
        return _error(404, f"this store holds nothing about <{iri}>")
    if media == "text/html":
        links = _links(request, state)
        alternates = [(name, f"{root}describe?{urllib.parse.urlencode({'iri': iri, 'format': fmt})}")
                      for name, fmt in (("Turtle", "turtle"), ("JSON-LD", "jsonld"), ("N-Triples", "nt"))]
        page = await anyio.to_thread.run_sync(
            functools.partial(node_page, description, links, formats=alternates))
        return HTMLResponse(page)
    fmt: RdfFormat = GRAPH_FORMATS[media]
    body = serialize_triples(description.triples(), fmt)
    return Response(body, media_type=fmt.media_type, headers=_CORS)


# --- the app -------------------------------------------------------------------------------------------


def create_app(options: ServeOptions, *, on_ready: Callable[[], None] | None = None) -> Starlette:
    """Return the ASGI app serving ``options.store``; its query workers start and stop with the app."""
    state = _State(options)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        state.pool = await anyio.to_thread.run_sync(
            functools.partial(WorkerPool, str(options.store), workers=options.workers, timeout=options.timeout))
        if on_ready is not None:
            on_ready()
        try:
            yield
        finally:
            state.pool.close()

    routes = [
        Route("/", _home),
        Route("/sparql", _sparql, methods=["GET", "POST"]),
        Route("/sparql", _options, methods=["OPTIONS"]),
        Route("/query", _sparql, methods=["GET", "POST"]),  # where an Oxigraph server answers, for its clients
        Route("/queries/{file}", _query_file),
        Route(f"/{EXAMPLES_PATH}", _examples),
        Route(f"/{EXAMPLES_PATH}/{{name}}", _examples),
        Route(f"/{VOID_PATH}", _void),
        Route("/vocab", _vocabulary),
        Route("/describe", _describe),
        Route("/{path:path}", _minted),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.pfocr = state
    return app
