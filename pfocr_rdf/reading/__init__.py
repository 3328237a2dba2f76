"""Reading PFOCR: finding record files, and turning each into a clean record or a fault.

Sources can be a PFOCR tree (a checkout of the site: ``_figures/*.md`` with ``_data/*.tsv``), a folder
of record files, or single record files. Records are read one at a time, in a stable order (by file
name, then path) that does not depend on the order the sources were given in, so the export streams
and is reproducible. This stage knows files and formats, nothing of RDF.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, RecordError, RecordFault
from ..records import FigureRecord
from .frontmatter import parse_front_matter, read_record

__all__ = ["RecordFile", "discover", "iter_records", "parse_front_matter", "read_record"]


@dataclass(frozen=True, slots=True)
class RecordFile:
    """One record file and the folders its TSVs may be in, nearest first."""

    path: Path
    data_dirs: tuple[Path, ...]


def discover(sources: Iterable[str | Path]) -> list[RecordFile]:
    """Return the record files of the given trees, folders and files, sorted by name then path.

    Raises InputError for a source that does not exist or holds no record file.
    """
    found: dict[Path, RecordFile] = {}
    for source in sources:
        path = Path(source)
        if path.is_dir():
            figures = path / "_figures"
            if figures.is_dir():
                files, dirs = sorted(figures.glob("*.md")), (path / "_data",)
            else:
                files, dirs = sorted(path.glob("*.md")), (path / "_data", path, path.parent / "_data")
            if not files:
                raise InputError(f"{path}: no record files (*.md) here or in {figures}")
            for file in files:
                found.setdefault(file, RecordFile(file, dirs))
        elif path.is_file():
            dirs = (path.parent.parent / "_data", path.parent / "_data", path.parent)
            found.setdefault(path, RecordFile(path, dirs))
        else:
            raise InputError(f"{path}: no such file or folder")
    return sorted(found.values(), key=lambda f: (f.path.name, str(f.path)))


def iter_records(
    files: Sequence[RecordFile], *, warn: Callable[[str], None]
) -> Iterator[FigureRecord | RecordFault]:
    """Yield, for each file in order, its record or the fault that rejects it.

    Where two files claim one figid, a file named after the figid that really claims it (and is
    readable) is kept and the other rejected, naming both; between files none of which is so named, the
    first in order is kept. The outcome does not depend on the order the sources were listed in.
    """
    by_stem: dict[str, RecordFile] = {}
    for file in files:
        by_stem.setdefault(file.path.stem, file)
    results: dict[Path, FigureRecord | RecordFault] = {}

    def result(file: RecordFile) -> FigureRecord | RecordFault:
        # a file named after a figid may be read early, to settle a claim; it is read only once
        if file.path not in results:
            try:
                results[file.path] = read_record(file.path, data_dirs=file.data_dirs, warn=warn)
            except RecordError as err:
                results[file.path] = err.fault
        return results[file.path]

    kept: dict[str, Path] = {}
    for file in files:
        record = result(file)
        results.pop(file.path, None)
        if isinstance(record, RecordFault):
            yield record
            continue
        owner = by_stem.get(record.figid)
        if owner is not None and owner.path != file.path and record.figid not in kept:
            claim = result(owner)
            if isinstance(claim, FigureRecord) and claim.figid == record.figid:
                kept[record.figid] = owner.path  # the owner comes later in order; it wins
        if kept.get(record.figid, file.path) != file.path:
            yield RecordFault(
                str(file.path), None, "figid",
                f"figid {record.figid!r} is also claimed by {kept[record.figid]}; that file is kept and this one "
                "rejected",
                record.figid,
            )
            continue
        kept[record.figid] = file.path
        yield record
