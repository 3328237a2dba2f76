"""A private Virtuoso for the tests: its own ini file, database folder and free loopback ports.

:func:`running_virtuoso` starts Debian's ``virtuoso-t`` in the foreground as a child process, waits until
its HTTP server answers SPARQL, and on exit stops exactly that process (terminate, wait, kill). It never
touches a system-wide Virtuoso: the ini file here names every path and port itself. Nothing is started
at import time.
"""

from __future__ import annotations

import contextlib
import ctypes
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Virtuoso", "VirtuosoError", "running_virtuoso", "virtuoso_available"]

SERVER = "virtuoso-t"
INSTALL_HINT = (
    "Virtuoso is not installed (no `virtuoso-t` on PATH); on Debian or Ubuntu: "
    "`sudo apt-get install virtuoso-opensource` (DEBIAN_FRONTEND=noninteractive leaves the system "
    "instance disabled, which is what the tests want)"
)

# Debian's /etc/virtuoso-opensource-7/virtuoso.ini, cut to what a throwaway test database needs, with
# every path inside the work folder and both servers bound to loopback. Virtuoso truncates SPARQL
# results to ResultSetMaxRows (10,000 in Debian's file) without saying so; raised here so that
# comparisons with the embedded store see whole results.
_INI = """\
[Database]
DatabaseFile       = {db}/virtuoso.db
ErrorLogFile       = {db}/virtuoso.log
LockFile           = {db}/virtuoso.lck
TransactionFile    = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {db}/virtuoso-temp.db
TransactionFile    = {db}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort               = 127.0.0.1:{sql_port}
LiteMode                 = 0
DisableUnixSocket        = 1
DisableTcpSocket         = 0
MaxClientConnections     = 10
CheckpointInterval       = 60
O_DIRECT                 = 0
CaseMode                 = 2
MaxStaticCursorRows      = 5000
CheckpointAuditTrail     = 0
AllowOSCalls             = 0
SchedulerInterval        = 10
DirsAllowed              = ., {workdir}
ThreadCleanupInterval    = 0
ThreadThreshold          = 10
ResourcesCleanupInterval = 0
FreeTextBatchSize        = 100000
SingleCPU                = 0
PrefixResultNames        = 0
RdfFreeTextRulesSize     = 100
IndexTreeMaps            = 64
MaxQueryMem              = 1G
VectorSize               = 1000
MaxVectorSize            = 1000000
AdjustVectorSize         = 0
ThreadsPerQuery          = 2
AsyncQueueMaxThreads     = 10
NumberOfBuffers          = 10000
MaxDirtyBuffers          = 6000

[HTTPServer]
ServerPort                  = 127.0.0.1:{http_port}
ServerRoot                  = {workdir}/vsp
MaxClientConnections        = 10
DavRoot                     = DAV
EnabledDavVSP               = 0
HTTPProxyEnabled            = 0
TempASPXDir                 = 0
ServerThreads               = 10
MaxKeepAlives               = 10
KeepAliveTimeout            = 10
HTTPThreadSize              = 280000
HttpPrintWarningsInOutput   = 0
Charset                     = UTF-8
EnabledGzipContent          = 1

[Client]
SQL_PREFETCH_ROWS  = 100
SQL_PREFETCH_BYTES = 16000
SQL_QUERY_TIMEOUT  = 0
SQL_TXN_TIMEOUT    = 0

[SPARQL]
ResultSetMaxRows           = 1000000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime      = 120
DeferInferenceRulesInit    = 0
"""


class VirtuosoError(RuntimeError):
    """The private Virtuoso could not be started or stopped."""


@dataclass(frozen=True)
class Virtuoso:
    """Where a running private Virtuoso answers, and how to log in."""

    http_url: str
    sparql_url: str
    gsp_url: str
    sql_port: int
    user: str
    password: str
    pid: int
    workdir: Path
    started_in: float

    def log_tail(self, lines: int = 30) -> str:
        """Return the last lines of the server's log."""
        return _tail(self.workdir, lines)


def virtuoso_available() -> str | None:
    """Return None when a private Virtuoso can be started here, else a skip message saying how."""
    return None if shutil.which(SERVER) else INSTALL_HINT


@contextlib.contextmanager
def running_virtuoso(workdir: Path, *, start_timeout: float = 60.0) -> Iterator[Virtuoso]:
    """Start a private Virtuoso in ``workdir``, yield it, and stop exactly that process on exit.

    Raises VirtuosoError when ``virtuoso-t`` is missing or the server does not answer within
    ``start_timeout`` seconds (with the tail of its log).
    """
    binary = shutil.which(SERVER)
    if binary is None:
        raise VirtuosoError(INSTALL_HINT)
    workdir = workdir.resolve()
    db = workdir / "db"
    db.mkdir(parents=True, exist_ok=True)
    (workdir / "vsp").mkdir(exist_ok=True)
    sql_port, http_port = _free_ports(2)
    ini = workdir / "virtuoso.ini"
    ini.write_text(
        _INI.format(db=db, workdir=workdir, sql_port=sql_port, http_port=http_port), encoding="utf-8"
    )
    started = time.monotonic()
    with (workdir / "stdout.log").open("wb") as out:
        process = subprocess.Popen(
            [binary, "+foreground", "+configfile", str(ini)],
            cwd=db,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )
    try:
        http_url = f"http://127.0.0.1:{http_port}"
        _wait_until_up(process, f"{http_url}/sparql", workdir, timeout=start_timeout)
        yield Virtuoso(
            http_url=http_url,
            sparql_url=f"{http_url}/sparql",
            gsp_url=f"{http_url}/sparql-graph-crud-auth",
            sql_port=sql_port,
            user="dba",  # a fresh database's administrator; the Graph Store accepts it as it is
            password="dba",
            pid=process.pid,
            workdir=workdir,
            started_in=time.monotonic() - started,
        )
    finally:
        _stop(process)


def _free_ports(count: int) -> list[int]:
    # Hold every socket open until all are picked, so that the ports differ; the window between
    # closing them and Virtuoso binding them is the usual, small race.
    sockets = [socket.socket(socket.AF_INET, socket.SOCK_STREAM) for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _die_with_parent() -> None:
    # If the test run is killed outright, the server must not outlive it: PR_SET_PDEATHSIG = 1.
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGTERM)


def _wait_until_up(
    process: subprocess.Popen[bytes], sparql_url: str, workdir: Path, *, timeout: float
) -> None:
    probe = sparql_url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise VirtuosoError(
                f"virtuoso-t exited with code {process.returncode} while starting; log:\n{_tail(workdir)}"
            )
        try:
            with urllib.request.urlopen(probe, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.1)
    raise VirtuosoError(
        f"virtuoso-t did not answer at {sparql_url} within {timeout:.0f} s; log:\n{_tail(workdir)}"
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the one process we started: SIGTERM (Virtuoso checkpoints and exits), then SIGKILL."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def _tail(workdir: Path, lines: int = 30) -> str:
    parts = []
    for name in ("db/virtuoso.log", "stdout.log"):
        path = workdir / name
        if path.exists():
            text = path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
            parts.append(f"--- {path}\n" + "\n".join(text))
    return "\n".join(parts) or "(no log written)"
