"""The embedded store: an on-disk Oxigraph database that exported files are loaded into.

This stage opens (or creates) a pyoxigraph :class:`~pyoxigraph.Store` in a folder and bulk-loads RDF files
into it, choosing the parser from each file's extension (``.ttl``, ``.nt``, ``.nq``, ``.trig``,
``.jsonld``, ``.rdf``/``.owl``, each optionally ``.gz``). It neither exports nor queries: querying a store
is :mod:`pfocr_rdf.querying`'s work.

The store lives in :data:`DEFAULT_STORE_DIR` (``./pfocr-store``, relative to the working directory) unless
the caller names another folder. Loading is Oxigraph's bulk loader: fast, and not transactional, so a file
that fails to parse half-way can leave its first triples in the store; load into a fresh folder to be sure.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Final, cast

from pyoxigraph import RdfFormat, Store

from .errors import InputError, UsageError

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

#: File extension -> parser. A further ``.gz`` means the file is gzip-compressed.
RDF_EXTENSIONS: Final[dict[str, RdfFormat]] = {
    ".ttl": RdfFormat.TURTLE,
    ".nt": RdfFormat.N_TRIPLES,
    ".nq": RdfFormat.N_QUADS,
    ".trig": RdfFormat.TRIG,
    ".jsonld": RdfFormat.JSON_LD,
    ".rdf": RdfFormat.RDF_XML,
    ".owl": RdfFormat.RDF_XML,
}


@dataclass(frozen=True)
class LoadSummary:
    """What one :func:`load` did: files read, triples added, triples in the store afterwards."""

    files: int
    added: int
    total: int

    def __str__(self) -> str:
        return f"loaded {self.added} new triples from {self.files} file(s); the store holds {self.total}"


def rdf_format(path: str | Path) -> tuple[RdfFormat, bool]:
    """Return the parser for ``path`` from its extension and whether it is gzipped; raise UsageError."""
    name = Path(path).name.lower()
    gzipped = name.endswith(".gz")
    if gzipped:
        name = name[: -len(".gz")]
    for extension, fmt in RDF_EXTENSIONS.items():
        if name.endswith(extension):
            return fmt, gzipped
    known = ", ".join(f"{ext}[.gz]" for ext in RDF_EXTENSIONS)
    raise UsageError(f"{path}: cannot tell the RDF format from the file name; expected one of {known}")


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
        # RocksDB holds a lock: the usual cause is another pfocr-rdf (or oxigraph) using the folder.
        message = f"{folder}: cannot open the store (is another process using it?): {error}"
        raise InputError(message) from error


def load_into(store: Store, paths: Iterable[str | Path]) -> int:
    """Parse every file of ``paths`` into ``store``; return how many files; raise UsageError, InputError.

    Every path is checked (it exists, its format is known) before anything is loaded. ``store`` may be
    on disk or in memory (``Store()``); either way Oxigraph's bulk loader streams the files.
    """
    checked = _checked(paths)
    for file, fmt, gzipped in checked:
        _load_file(store, file, fmt, gzipped=gzipped)
    return len(checked)


def load(paths: Iterable[str | Path], store_dir: str | Path = DEFAULT_STORE_DIR) -> LoadSummary:
    """Bulk-load RDF files into the on-disk store in ``store_dir`` (created if needed); raise PfocrError.

    The files are checked before the store is touched. Triples already in the store are not added
    twice, so ``added`` counts only the new ones.
    """
    files = [file for file, _, _ in _checked(paths)]
    fresh = not Path(store_dir).exists()
    store = open_store(store_dir)
    try:
        before = 0 if fresh else len(store)  # len() walks the store: ~0.3 s per million triples
        load_into(store, files)
        store.flush()
        total = len(store)
    except OSError as error:
        raise InputError(f"{store_dir}: cannot write to the store: {error}") from error
    finally:
        del store  # closes the database, releasing its lock for the next command
    return LoadSummary(files=len(files), added=total - before, total=total)


def _checked(paths: Iterable[str | Path]) -> list[tuple[Path, RdfFormat, bool]]:
    """Return (path, format, gzipped) for each path; raise UsageError or InputError for any bad one."""
    files = [Path(p) for p in paths]
    if not files:
        raise UsageError("no RDF file to load")
    formats = [rdf_format(file) for file in files]
    missing = [str(file) for file in files if not file.is_file()]
    if missing:
        raise InputError(f"no such file: {', '.join(missing)}")
    return [(file, fmt, gzipped) for file, (fmt, gzipped) in zip(files, formats, strict=True)]


def _load_file(store: Store, file: Path, fmt: RdfFormat, *, gzipped: bool) -> None:
    """Parse one file into ``store``; turn parser and I/O errors into InputError naming the file."""
    try:
        if gzipped:
            with gzip.open(file, "rb") as stream:
                store.bulk_load(cast(IO[bytes], stream), fmt)
        else:
            store.bulk_load(path=file, format=fmt)
    except SyntaxError as error:
        # Oxigraph's message carries the line and column.
        raise InputError(f"{file}: not valid {fmt.name}: {error}") from error
    except (OSError, EOFError, ValueError) as error:
        raise InputError(f"{file}: cannot load: {error}") from error
