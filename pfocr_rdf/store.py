"""The embedded store: an on-disk Oxigraph database that exported files are loaded into.

This stage opens (or creates) a pyoxigraph :class:`~pyoxigraph.Store` in a folder and loads RDF files into
it, choosing the parser from each file's name by the one rule of :mod:`pfocr_rdf.rdffiles` (everything
``export`` writes, gzipped or not, and TriG, N3, RDF/XML). It neither exports nor queries: querying a
store is :mod:`pfocr_rdf.querying`'s work.

The store lives in :data:`DEFAULT_STORE_DIR` (``./pfocr-store``, relative to the working directory) unless
the caller names another folder. Loading goes through Oxigraph's bulk writer in batches: fast, and not
transactional, so a load that stops half-way (bad data further on, Ctrl-C, a full disk) leaves the
triples read so far in the store, which stays usable; the message says so. Load into a fresh folder to be
sure of what a store holds.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from pyoxigraph import RdfFormat, Store

from .errors import InputError, Interrupted
from .rdffiles import SYNTAXES, RdfFile, load_quads, rdf_files, syntax_of

__all__ = [
    "DEFAULT_STORE_DIR",
    "RDF_EXTENSIONS",
    "LoadSummary",
    "load",
    "load_into",
    "open_store",
    "rdf_format",
]

#: Where ``pfocr-rdf load`` and ``pfocr-rdf query`` keep the store when ``--store`` is not given.
DEFAULT_STORE_DIR: Final = Path("pfocr-store")

#: File extension -> parser (see :mod:`pfocr_rdf.rdffiles`). A further ``.gz`` means gzip.
RDF_EXTENSIONS: Final[dict[str, RdfFormat]] = {
    extension: syntax.oxigraph for syntax in SYNTAXES for extension in syntax.extensions if not syntax.lines
}


@dataclass(frozen=True)
class LoadSummary:
    """What one :func:`load` did: files read and triples read from them.

    The store's own count is not taken: Oxigraph counts by reading the whole store (~25 s at 56M triples).
    """

    files: int
    triples: int

    def __str__(self) -> str:
        return (f"loaded {self.triples} triples from {self.files} file(s) "
                "(a triple already in the store is kept once)")


def rdf_format(path: str | Path) -> tuple[RdfFormat, bool]:
    """Return the parser for ``path`` from its name and whether it is gzipped; raise UsageError."""
    syntax, gzipped = syntax_of(path)
    return syntax.oxigraph, gzipped


def open_store(store_dir: str | Path = DEFAULT_STORE_DIR, *, read_only: bool = False) -> Store:
    """Open the on-disk store in ``store_dir``, creating it unless ``read_only``; raise InputError."""
    folder = Path(store_dir)
    if read_only:
        if not folder.is_dir():
            raise InputError(
                f"no store at {folder}: create one with 'pfocr-rdf load FILE... --store {folder}'"
            )
        try:
            return Store.read_only(str(folder))
        except OSError as error:
            raise InputError(f"{folder}: cannot open the store read-only: {error}") from error
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder}: is a file, not a store folder")
    try:
        return Store(str(folder))
    except OSError as error:
        # RocksDB's lock file: another pfocr-rdf (or oxigraph) has the folder open. Any other error is
        # said as it is (a full disk, say), not blamed on another process.
        locked = "lock" in str(error).lower()
        why = f"another process is using it ({error})" if locked else str(error)
        raise InputError(f"{folder}: cannot open the store: {why}") from error


def load_into(store: Store, paths: Iterable[str | os.PathLike[str]]) -> int:
    """Parse every file of ``paths`` into ``store``; return how many triples were read; raise PfocrError.

    Every path is checked (it exists, its name is known) before anything is loaded. ``store`` may be
    on disk or in memory (``Store()``).
    """
    return sum(load_quads(store, file) for file in rdf_files(paths))


def load(paths: Iterable[str | os.PathLike[str]], store_dir: str | Path = DEFAULT_STORE_DIR) -> LoadSummary:
    """Load RDF files into the on-disk store in ``store_dir`` (created if needed); raise PfocrError.

    The files are checked before the store is touched; the store is compacted at the end (queries then
    read it faster). Raises :class:`Interrupted` on Ctrl-C and
    InputError on a full disk, each saying what the store now holds.
    """
    files = rdf_files(paths)
    store = open_store(store_dir)
    triples = 0
    done: list[RdfFile] = []
    stop: Interrupted | InputError | None = None
    try:
        for file in files:
            triples += load_quads(store, file)
            done.append(file)
        store.flush()
        # Bulk loading leaves many overlapping files behind; compacted, the store answers queries ~3x
        # faster (figure-gene-sets on 10,000 figures: 5.3 s -> 1.6 s) for a few seconds more here.
        store.optimize()
    except KeyboardInterrupt as signal:
        _close(store)
        stop = Interrupted(f"interrupted: {_held(store_dir, done, files)}")
        stop.__cause__ = signal  # Ctrl-C or the command line's SIGTERM: it sets the exit code
    except OSError as error:
        _close(store)
        stop = InputError(f"{store_dir}: cannot write to the store: {error.strerror or error}; "
                          f"{_held(store_dir, done, files)}")
    finally:
        del store  # closes the database, releasing its lock for the next command
    if stop is not None:
        if isinstance(stop, InputError):
            _remove_bulk_files(Path(store_dir))
        raise stop
    return LoadSummary(files=len(files), triples=triples)


def _remove_bulk_files(folder: Path) -> None:
    # The bulk writer stages each batch in a bulk-*.sst file before the database takes it in; a batch
    # that failed (a full disk) leaves its file behind, which only wastes the space now short.
    for leftover in folder.glob("bulk-*.sst"):
        leftover.unlink(missing_ok=True)


def _close(store: Store) -> None:
    try:
        store.flush()
    except OSError:
        pass  # nothing more can be written; what is written stays readable


def _held(store_dir: str | Path, done: list[RdfFile], files: list[RdfFile]) -> str:
    stopped = files[len(done)].path if len(done) < len(files) else None
    whole = f"{len(done)} whole file(s)" if done else "no whole file"
    part = f" and perhaps part of {stopped}" if stopped is not None else ""
    return (f"the store at {store_dir} holds {whole}{part}; it stays usable: load {stopped or 'again'} "
            "into it again, or into a fresh folder")
