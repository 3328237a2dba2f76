"""Reading PFOCR's per-figure mention tables (``_data/<figid>-genes.tsv`` and friends).

The TSVs are written by R without quoting: rows are split on tabs only, columns are chosen by header
name, CRLF line endings and a missing final newline are accepted, and duplicate rows collapse to the
first. A table whose header lacks a required column is an error for the whole record; a single bad row
(ragged, or with a malformed identifier) is dropped with a warning that names file, line and field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from ..errors import RecordError
from ..fields import columns_of
from ..identifiers import IdentifierError, normalize
from ..records import GeneMention, TermMention
from .values import LEXICONS, clean, is_null

__all__ = ["read_chemicals", "read_diseases", "read_genes", "rows", "table"]

Row = dict[str, str]


def table(
    path: Path, *, required: tuple[str, ...], warn: Callable[[str], None]
) -> tuple[dict[str, int], Iterator[tuple[int, list[str]]]]:
    """Return a TSV's columns (name -> index, found once per file) and its distinct well-formed rows as
    (line number, cells).

    Raises RecordError when the file cannot be decoded or its header lacks a required column.
    """
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise RecordError(path, f"not UTF-8 text (byte {err.start}): save the table as UTF-8") from None
    except OSError as err:
        raise RecordError(path, f"cannot read the table: {err.strerror}") from None
    lines = text.split("\n")
    header = lines[0].rstrip("\r").split("\t")
    missing = [name for name in required if name not in header]
    if missing:
        raise RecordError(
            path,
            f"header {header!r} lacks column(s) {missing!r}; expected at least {list(required)!r}",
            line=1,
            field=missing[0],
        )
    known = columns_of(path.name.rsplit("-", 1)[-1].removesuffix(".tsv"))
    for name in header:
        if name not in known:
            warn(f"{path}:1: unknown column {name!r} is not mapped (see pfocr_rdf/fields.py)")
    columns = {name: index for index, name in enumerate(header)}  # a repeated name: the last one, as dict(zip())
    return columns, _cells(path, lines, len(header), warn)


def _cells(path: Path, lines: list[str], width: int, warn: Callable[[str], None]) -> Iterator[tuple[int, list[str]]]:
    seen: set[str] = set()
    for number, line in enumerate(lines[1:], start=2):
        line = line[:-1] if line.endswith("\r") else line
        if line in seen or not line.strip():
            continue
        seen.add(line)
        cells = line.split("\t")
        if len(cells) != width:
            warn(f"{path}:{number}: row has {len(cells)} cells, the header has {width}; row skipped")
            continue
        yield number, cells


def rows(path: Path, *, required: tuple[str, ...], warn: Callable[[str], None]) -> Iterator[tuple[int, Row]]:
    """Yield (line number, row by column name) for each distinct well-formed row of a TSV.

    Raises RecordError when the file cannot be decoded or its header lacks a required column.
    """
    columns, lines = table(path, required=required, warn=warn)
    for number, cells in lines:
        yield number, {name: cells[index] for name, index in columns.items()}


def read_genes(path: Path, *, warn: Callable[[str], None]) -> list[GeneMention]:
    """Return the gene mentions of a genes TSV (11- or 10-column layout)."""
    mentions: list[GeneMention] = []
    lexicons: dict[str | None, str | None] = {}  # the few source values of a table, looked up once each
    columns, lines = table(path, required=("word", "ncbigene_id"), warn=warn)
    word_at, gene_at = columns["word"], columns["ncbigene_id"]
    # a missing column reads as the empty cell appended to each row (clean("") is None)
    taxon_at, symbol_at, match_at, source_at, name_at = (
        columns.get(name, -1) for name in ("organism_id", "ncbigene_symbol", "match", "source", "organism_name"))
    for number, cells in lines:
        cells.append("")
        word = cells[word_at]
        if is_null(word):
            warn(f"{path}:{number}: field 'word': empty OCR word; row skipped")
            continue
        gene_raw = clean(cells[gene_at])
        if gene_raw is None:
            continue  # PFOCR found the word but no gene for it (NA / NaN): not a mention
        try:
            gene = normalize(gene_raw, "NCBIGene")
            taxon_raw = clean(cells[taxon_at])
            taxon = normalize(taxon_raw, "NCBITaxon") if taxon_raw else None
        except IdentifierError as err:
            field = "ncbigene_id" if "NCBI Gene" in str(err) else "organism_id"
            warn(f"{path}:{number}: field {field!r}: {err}; row skipped")
            continue
        mentions.append(
            GeneMention(
                word=word,
                gene=gene,
                symbol=clean(cells[symbol_at]),
                matched=clean(cells[match_at]),
                lexicon=_lexicon_of(cells[source_at], lexicons, path, number, warn),
                taxon=taxon,
                organism_name=clean(cells[name_at]),
            )
        )
    return mentions


def read_chemicals(path: Path, *, warn: Callable[[str], None]) -> list[TermMention]:
    """Return the chemical mentions of a chemicals TSV (``word mesh match name chebi``, or the old layout)."""
    return _read_terms(path, other="chebi", other_prefix="CHEBI", warn=warn)


def read_diseases(path: Path, *, warn: Callable[[str], None]) -> list[TermMention]:
    """Return the disease mentions of a diseases TSV (``word mesh match name doid`` or ``word source identifier``)."""
    return _read_terms(path, other="doid", other_prefix="DOID", warn=warn)


def _read_terms(path: Path, *, other: str, other_prefix: str, warn: Callable[[str], None]) -> list[TermMention]:
    header = _header(path)
    old_layout = "identifier" in header and "mesh" not in header
    required = ("word", "identifier") if old_layout else ("word", "mesh")
    mentions: list[TermMention] = []
    for number, row in rows(path, required=required, warn=warn):
        where = f"{path}:{number}"
        mention = (
            term_from_old(row, where=where, warn=warn)
            if old_layout
            else _term_from_current(row, other=other, other_prefix=other_prefix, where=where, warn=warn)
        )
        if mention is not None:
            mentions.append(mention)
    return mentions


def term_from_old(row: Row, *, where: str, warn: Callable[[str], None]) -> TermMention | None:
    """Return the mention of an old-layout row (``word source identifier``), or None when it names no entity."""
    word = row.get("word") or ""
    raw = clean(row.get("identifier"))
    if is_null(word) or raw is None:
        return None
    try:
        mesh = normalize(raw, "MESH")
    except IdentifierError as err:
        warn(f"{where}: field 'identifier': {err}; row skipped")
        return None
    return TermMention(word=word, ids=(mesh,), matched=None, name=None,
                       lexicon=lexicon(row.get("source"), where=where, warn=warn))


def _term_from_current(
    row: Row, *, other: str, other_prefix: str, where: str, warn: Callable[[str], None]
) -> TermMention | None:
    word = row["word"]
    if is_null(word):
        return None
    ids: list[str] = []
    for column, prefix in (("mesh", "MESH"), (other, other_prefix)):
        raw = clean(row.get(column))
        if raw is None:
            continue
        try:
            ids.append(normalize(raw, prefix))
        except IdentifierError as err:
            if prefix == "MESH":
                warn(f"{where}: field {column!r}: {err}; row skipped")
                return None
            warn(f"{where}: field {column!r}: {err}; the {prefix} id is left out")
    if not ids:
        return None
    return TermMention(
        word=word,
        ids=tuple(ids),
        matched=clean(row.get("match")),
        name=clean(row.get("name")),
        lexicon="mesh" if ids[0].startswith("MESH:") else None,
    )


def _lexicon_of(
    raw: str | None, known: dict[str | None, str | None], path: Path, number: int, warn: Callable[[str], None]
) -> str | None:
    if raw in known:
        return known[raw]
    name = known[raw] = lexicon(raw, where=f"{path}:{number}", warn=warn)
    return name


def lexicon(raw: str | None, *, where: str, warn: Callable[[str], None]) -> str | None:
    """Return the lexicon name of a ``source`` value, or None (with a warning for an unknown one)."""
    value = clean(raw)
    if value is None:
        return None
    name = value.lower()
    if name not in LEXICONS:
        warn(f"{where}: field 'source': unknown lexicon {value!r} (known: {', '.join(sorted(LEXICONS))}); "
             "the mention is kept without pfocr:lexicon")
        return None
    return name


def _header(path: Path) -> list[str]:
    try:
        with path.open("rb") as handle:
            first = handle.readline()
    except OSError as err:
        raise RecordError(path, f"cannot read the table: {err.strerror}") from None
    return first.decode("utf-8-sig", errors="replace").rstrip("\r\n").split("\t")
