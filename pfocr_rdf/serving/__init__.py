"""Serving: a read-only SPARQL endpoint, linked-data pages and the example queries, over the embedded store.

``pfocr-rdf serve`` runs :func:`serve`: a Starlette app (:mod:`.app`) under uvicorn, with queries in
worker processes that a time limit can stop (:mod:`.sparql`) and HTML pages for people (:mod:`.pages`).
It reads the store only; loading it is :mod:`pfocr_rdf.store`'s work.
"""

from __future__ import annotations

import re
import socket
import sys
from pathlib import Path

from ..errors import UsageError
from ..namespaces import DEFAULT_BASE
from ..store import DEFAULT_STORE_DIR, open_store

__all__ = ["DEFAULT_BIND", "ServeOptions", "parse_bind", "serve"]

#: Where ``pfocr-rdf serve`` listens unless ``--bind`` says otherwise: loopback only.
DEFAULT_BIND = "127.0.0.1:8000"
_BIND = re.compile(r"(?:(?:\[(?P<ipv6>[0-9A-Fa-f:.]+)\]|(?P<host>[^:\s\[\]]+))?:)?(?P<port>[0-9]{1,5})")


def parse_bind(bind: str) -> tuple[str, int]:
    """Return (host, port) from ``HOST:PORT``, ``[IPv6]:PORT``, ``:PORT`` or ``PORT``; raise UsageError."""
    match = _BIND.fullmatch(bind.strip())
    port = int(match.group("port")) if match else -1
    if match is None or not 0 <= port <= 65535:
        raise UsageError(f"--bind {bind!r}: expected HOST:PORT, e.g. 127.0.0.1:8000")
    return match.group("ipv6") or match.group("host") or "127.0.0.1", port


def serve(
    store: str | Path = DEFAULT_STORE_DIR,
    *,
    bind: str = DEFAULT_BIND,
    base: str = DEFAULT_BASE,
    timeout: float = 30.0,
    max_rows: int = 100_000,
    workers: int = 2,
    void: str | Path | None = None,
) -> None:
    """Serve ``store`` read-only until interrupted; raise UsageError, InputError before listening."""
    import uvicorn

    from .app import ServeOptions, create_app

    host, port = parse_bind(bind)
    if timeout <= 0:
        raise UsageError(f"--timeout {timeout:g}: expected a number of seconds above 0")
    if max_rows < 1:
        raise UsageError(f"--max-rows {max_rows}: expected a positive number")
    if workers < 1:
        raise UsageError(f"--workers {workers}: expected a positive number")
    if not base.endswith(("/", "#")):
        raise UsageError(f"--base {base!r}: expected an IRI ending in / or #")
    open_store(store, read_only=True)  # says clearly when there is no store there, before listening
    _check_free(host, port)
    options = ServeOptions(store=Path(store), base=base, timeout=timeout, max_rows=max_rows, workers=workers,
                           void=Path(void) if void else None)
    shown = f"[{host}]" if ":" in host else host

    def ready() -> None:
        print(f"pfocr-rdf serve: {Path(store)} at http://{shown}:{port}/ (SPARQL endpoint "
              f"http://{shown}:{port}/sparql; standing in for {base}; queries stop after {timeout:g} s or "
              f"{max_rows:,} rows); Ctrl-C stops", file=sys.stderr, flush=True)

    uvicorn.run(create_app(options, on_ready=ready), host=host, port=port, log_level="warning")


def _check_free(host: str, port: int) -> None:
    """Raise UsageError, saying why, if nothing can listen on ``host:port`` (uvicorn would only log it)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise UsageError(f"--bind {host}:{port}: cannot listen there: {error.strerror or error}") from error


def __getattr__(name: str) -> object:
    if name == "ServeOptions":  # the app's module imports Starlette: only when asked for
        from .app import ServeOptions

        return ServeOptions
    raise AttributeError(name)
