"""``pfocr-rdf serve`` for the tests: started as a real subprocess on a free loopback port.

:func:`running_server` starts ``python -m pfocr_rdf serve`` on a store folder, waits until its SPARQL
endpoint answers, and on exit stops exactly that process (terminate, wait, kill). Nothing is started at
import time.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

__all__ = ["free_port", "running_server"]


def free_port() -> int:
    """Return a loopback port that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def running_server(store: Path, *options: str, start_timeout: float = 60.0) -> Iterator[str]:
    """Serve ``store`` with ``options``; yield the server's root URL (ending in ``/``); stop it on exit."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "pfocr_rdf", "serve", "--store", str(store), "--bind", f"127.0.0.1:{port}", *options],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    root = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + start_timeout
        while True:
            if process.poll() is not None:
                error = process.stderr.read().decode() if process.stderr else ""
                raise RuntimeError(f"pfocr-rdf serve exited with code {process.returncode}: {error}")
            try:
                with urllib.request.urlopen(f"{root}sparql?query=ASK%7B%7D", timeout=5) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"pfocr-rdf serve did not answer within {start_timeout:.0f} s")
            time.sleep(0.1)
        yield root
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        if process.stderr:
            process.stderr.close()
