"""Reading PFOCR: finding record files, and turning each into a clean record or a fault.

Sources can be a PFOCR tree (a checkout of the site: ``_figures/*.md`` with ``_data/*.tsv``), a folder
of record files, or single record files. Records are read one at a time, in a stable order (by file
name, then path) that does not depend on the order the sources were given in, so the export streams
and is reproducible. This stage knows files and formats, nothing of RDF.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, RecordError, RecordFault
from ..identifiers import encode_segment
from ..namespaces import SITE
from ..records import FigureRecord
from .frontmatter import parse_front_matter, read_record

__all__ = [
    "TABLE_KINDS", "Claims", "RecordFile", "discover", "figure_iri_of", "iter_records", "organism_pages",
    "parse_front_matter", "read_one", "read_record",
]


#: The kinds of per-figure tables, ``_data/<figid>-<kind>.tsv``.
TABLE_KINDS = ("genes", "chemicals", "diseases")


@dataclass(frozen=True, slots=True)
class RecordFile:
    """One record file and the folders its TSVs may be in, nearest first.

    ``tables`` says which TSVs named after the file (``<stem>-genes.tsv``...) the folders held when
    :func:`discover` listed them: bit ``kind * len(data_dirs) + folder`` is set when the folder held that kind
    (see :data:`TABLE_KINDS` and :meth:`table`). None: not listed. The file is kept as text (``location``)
    and its tables as a small number: a corpus has 100,000 records, every worker process holds the list,
    and a ``Path`` object costs several times its text.
    """

    location: str
    data_dirs: tuple[Path, ...]
    tables: int | None = None

    @property
    def path(self) -> Path:
        """The record file."""
        return Path(self.location)

    def table(self, kind: str) -> Path | None:
        """Return the listed TSV of ``kind`` named after the file, from the nearest folder, or None."""
        if self.tables is None:
            raise ValueError(f"{self.path}: its data folders were not listed")
        start = TABLE_KINDS.index(kind) * len(self.data_dirs)
        for number, folder in enumerate(self.data_dirs):
            if self.tables >> (start + number) & 1:
                return folder / f"{self.path.stem}-{kind}.tsv"
        return None


def discover(sources: Iterable[str | Path]) -> list[RecordFile]:
    """Return the record files of the given trees, folders and files, sorted by name then path.

    Each data folder is listed once, here, instead of looking for each record's tables one by one.
    Raises InputError for a source that does not exist or holds no record file.
    """
    found: dict[str, tuple[str, RecordFile]] = {}  # location -> (file name, record file)
    dirs: tuple[Path, ...]
    listings: dict[Path, frozenset[str]] = {}
    for source in sources:
        path = Path(source)
        if path.is_dir():
            figures = path / "_figures"
            if figures.is_dir():
                folder, dirs = figures, (path / "_data",)
            else:
                folder, dirs = path, (path / "_data", path, path.parent / "_data")
            names = _record_names(folder)
            if not names:
                raise InputError(f"{path}: no record files (*.md) here or in {figures}")
            prefix = os.path.join(str(folder), "")
            for name in names:
                location = prefix + name
                if location not in found:
                    found[location] = (name, RecordFile(location, dirs, _tables(name[:-3], dirs, listings)))
        elif path.is_file():
            dirs = (path.parent.parent / "_data", path.parent / "_data", path.parent)
            found.setdefault(str(path), (path.name, RecordFile(str(path), dirs, _tables(path.stem, dirs, listings))))
        else:
            raise InputError(f"{path}: no such file or folder")
    return [file for _, _, file in sorted((name, location, file) for location, (name, file) in found.items())]


def _record_names(folder: Path) -> list[str]:
    """Return the names of the record files in ``folder`` (``*.md``, as ``glob`` matches them), sorted."""
    try:
        with os.scandir(folder) as entries:
            return sorted(entry.name for entry in entries
                          if entry.name.endswith(".md") and not entry.name.startswith("."))
    except OSError:
        return []  # as glob has it: an unreadable folder holds no record files


def _tables(stem: str, dirs: Sequence[Path], listings: dict[Path, frozenset[str]]) -> int:
    """Return the bits of :attr:`RecordFile.tables` for a record named ``stem`` whose folders are ``dirs``."""
    bits = 0
    for kind_number, kind in enumerate(TABLE_KINDS):
        name = f"{stem}-{kind}.tsv"
        for number, folder in enumerate(dirs):
            listing = listings.get(folder)
            if listing is None:
                listing = listings[folder] = _listing(folder)
            if name in listing:
                bits |= 1 << (kind_number * len(dirs) + number)
    return bits


def _listing(folder: Path) -> frozenset[str]:
    """Return the names of the ``.tsv`` entries in ``folder``; empty when it is not one.

    Every kind of entry is listed, not only regular files: a dangling link, a FIFO or a folder named like a
    record's table is that record's table gone wrong, which reading it reports (never "no rows").
    """
    try:
        with os.scandir(folder) as entries:
            return frozenset(entry.name for entry in entries if entry.name.endswith(".tsv"))
    except OSError:
        return frozenset()


def read_one(file: RecordFile, *, warn: Callable[[str], None]) -> FigureRecord | RecordFault:
    """Return the record of one file, or the fault that rejects it."""
    try:
        tables = None if file.tables is None else [t for t in map(file.table, TABLE_KINDS) if t is not None]
        return read_record(file.path, data_dirs=file.data_dirs, tables=tables, warn=warn)
    except RecordError as err:
        return err.fault


def figure_iri_of(record: FigureRecord) -> str:
    """Return the IRI the figure of ``record`` gets: the site's own ``@id``, else the one made from its figid."""
    return record.iri or _canonical_iri(record.figid)


def _canonical_iri(figid: str) -> str:
    return f"{SITE}figures/{encode_segment(figid)}.html"


class Claims:
    """Settles which file keeps a figid, or a figure IRI, that two files claim, whatever order they come in.

    Two files must not describe one figure: not by the same figid, nor by the same ``schema-jsonld``
    ``@id`` (one node would get two titles). For each claimed figid or IRI, the file it naturally belongs
    to keeps it if that file claims it (for a figid, the file named after it; for an IRI, the file named
    after the figid whose IRI it is); else the first claimant in file order keeps it. Feed records in file
    order to :meth:`settle`.

    ``universe`` is every file of the run when ``files`` are only a part of it (``--partition``): a part
    then settles each claim as the whole run would, so the parts' union is the whole export. That costs
    a read of every file, only when a record of this part makes a claim no file is named after.
    """

    def __init__(self, files: Sequence[RecordFile], *, universe: Sequence[RecordFile] | None = None) -> None:
        everything = files if universe is None else universe
        self._universe = everything
        self._partial = universe is not None and len(universe) > len(files)
        self._by_stem: dict[str, RecordFile] = {}
        for file in everything:
            self._by_stem.setdefault(file.path.stem, file)
        self._by_iri: dict[str, RecordFile] | None = None
        self._kept: dict[tuple[str, str], Path] = {}
        self._peeked: dict[Path, tuple[str, str] | None] = {}
        self._first: dict[tuple[str, str], Path] | None = None

    def _claim_of(self, file: RecordFile) -> tuple[str, str] | None:
        # read a file ahead of its turn, to see what it claims
        if file.path not in self._peeked:
            result = read_one(file, warn=lambda _: None)
            self._peeked[file.path] = (
                (result.figid, figure_iri_of(result)) if isinstance(result, FigureRecord) else None
            )
        return self._peeked[file.path]

    def _natural(self, key: tuple[str, str]) -> RecordFile | None:
        kind, value = key
        if kind == "figid":
            return self._by_stem.get(value)
        if self._by_iri is None:
            self._by_iri = {}
            for stem, file in self._by_stem.items():
                try:
                    self._by_iri.setdefault(_canonical_iri(stem), file)
                except UnicodeEncodeError:
                    continue  # a file name that is not UTF-8 cannot be a figid
        return self._by_iri.get(value)

    def _first_claimant(self, key: tuple[str, str], path: Path) -> Path:
        if not self._partial:
            return path  # records come in file order: the first to ask is the first claimant
        if self._first is None:
            self._first = {}
            for file in self._universe:
                claim = self._claim_of(file)
                if claim is not None:
                    self._first.setdefault(("figid", claim[0]), file.path)
                    self._first.setdefault(("iri", claim[1]), file.path)
        return self._first.get(key, path)

    def _holder(self, key: tuple[str, str], path: Path) -> Path:
        if key in self._kept:
            return self._kept[key]
        natural = self._natural(key)
        if natural is not None and natural.path == path:
            return path
        if natural is not None:
            claim = self._claim_of(natural)
            if claim is not None and key in (("figid", claim[0]), ("iri", claim[1])):
                return natural.path
        return self._first_claimant(key, path)

    def settle(self, path: Path | str, figid: str, iri: str | None = None) -> RecordFault | None:
        """Return None if the file at ``path`` keeps ``figid`` and figure ``iri``, else the fault rejecting it."""
        path = Path(path)
        keys = [("figid", figid), ("iri", iri or _canonical_iri(figid))]
        for key in keys:
            holder = self._holder(key, path)
            if holder != path:
                self._kept.setdefault(key, holder)
                if key[0] == "figid":
                    reason = f"figid {figid!r} is also claimed by {holder}; that file is kept and this one rejected"
                    return RecordFault(str(path), None, "figid", reason, figid)
                reason = (f"schema-jsonld @id {key[1]} is also the figure of {holder}; that file is kept and "
                          "this one rejected (one figure node would get both records' values)")
                return RecordFault(str(path), None, "schema-jsonld", reason, figid)
        for key in keys:
            self._kept.setdefault(key, path)
        return None


def iter_records(
    files: Sequence[RecordFile], *, warn: Callable[[str], None]
) -> Iterator[FigureRecord | RecordFault]:
    """Yield, for each file in order, its record or the fault that rejects it (see :class:`Claims`)."""
    claims = Claims(files)
    for file in files:
        result = read_one(file, warn=warn)
        if isinstance(result, FigureRecord):
            fault = claims.settle(file.location, result.figid, figure_iri_of(result))
            if fault is not None:
                result = fault
        yield result


def organism_pages(files: Iterable[RecordFile], *, warn: Callable[[str], None]) -> dict[str, str]:
    """Return name -> NCBITaxon CURIE from the ``_organisms/*.md`` pages of the trees the files are in.

    A PFOCR tree describes its organisms in pages whose front matter has ``latin`` (the name) and ``ncbi``
    (the NCBI Taxonomy id). A page without both, or whose ``ncbi`` is not a number, is skipped with a
    warning naming the file; the first page (in path order) to name an organism keeps it.
    """
    folders = sorted({p / "_organisms" for f in files for p in (f.path.parent.parent, f.path.parent)})
    names: dict[str, str] = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        for page in sorted(folder.glob("*.md")):
            try:
                data = parse_front_matter(page.read_text(encoding="utf-8"), page)
            except (OSError, UnicodeError, RecordError) as err:
                warn(f"{page}: organism page skipped: {err}")
                continue
            latin, ncbi = data.get("latin"), str(data.get("ncbi", "")).strip()
            if isinstance(latin, str) and latin.strip() and ncbi.isdigit() and int(ncbi) > 0:
                names.setdefault(" ".join(latin.split()), f"NCBITaxon:{int(ncbi)}")
            else:
                warn(f"{page}: organism page skipped: expected 'latin' (a name) and 'ncbi' (an NCBI Taxonomy id)")
    return names

