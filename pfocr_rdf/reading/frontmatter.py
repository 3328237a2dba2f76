"""Reading one PFOCR figure record: the YAML front matter of ``_figures/<figid>.md`` and its TSVs.

The era is told per record from the keys present (inline ``genes:``/``chemicals:``/``diseases:`` lists
mean the older era). YAML is loaded by :mod:`.safeyaml` as plain text, lists and mappings (no YAML 1.1
booleans, numbers or timestamps, so ``NO`` (nitric oxide) stays a word, ``2023-01-01`` stays text and a
score keeps its exact digits; no tags, anchors, aliases or duplicate keys). Unknown keys are reported as
warnings naming the key and the file. The result is a clean
:class:`~pfocr_rdf.records.FigureRecord`; anything that makes the record unusable raises
:class:`~pfocr_rdf.errors.RecordError` naming file, line, field and what was expected.
"""

from __future__ import annotations

import errno
import re
import stat
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from ..errors import RecordError
from ..fields import FRONT_MATTER_KEYS
from ..identifiers import IdentifierError, encode_iri, encode_segment, normalize
from ..namespaces import SITE
from ..records import Era, FigureRecord, GeneMention, Paper, TermMention
from .safeyaml import load as load_yaml
from .tsv import lexicon, read_chemicals, read_diseases, read_genes, term_from_old
from .values import SENTINELS, clean, is_null, shown

__all__ = ["parse_front_matter", "read_record"]

_MISSING: Any = object()  # "read the key itself", as opposed to an explicit None item
_FENCE = re.compile(r"^---[ \t]*\r?$", re.MULTILINE)
_YEAR = re.compile(r"[12][0-9]{3}")
_TOP_KEY = re.compile(r"('[^']*'|\"[^\"]*\"|[^\s#'\"\-?:\[\]{},&*!|>%@`][^:#]*?)[ \t]*:(?:[ \t]|\r?$)")
_SEQUENCE_ITEM = re.compile(r"-(?:[ \t]|\r?$)")
_FIGURE_TYPES = ("Figure", "Scheme", "Supplemental figure", "Graphical abstract")
_HUMAN = ("NCBITaxon:9606", "Homo sapiens")


def parse_front_matter(text: str, path: Path) -> dict[str, Any]:
    """Return the YAML front matter of a record's text as a mapping; raise RecordError if there is none."""
    if not text.strip():
        raise RecordError(path, "the file is empty; expected YAML front matter between '---' lines", line=1)
    first = _FENCE.match(text)
    if first is None:
        raise RecordError(path, "no front matter: the file must start with a '---' line", line=1)
    closing = _FENCE.search(text, first.end())
    if closing is None:
        raise RecordError(path, "the front matter is not closed by a second '---' line", line=1)
    body = text[first.end():closing.start()]  # starts on the opening fence's line: body line 0 is line 1
    try:
        data = load_yaml(body)
    except yaml.MarkedYAMLError as err:
        line = _line_of_mark(body, err.problem_mark or err.context_mark)
        problem = err.problem or str(err)
        if "invalid Unicode character escape" in problem:
            problem += " (a lone surrogate such as \\ud800, or beyond U+10FFFF: no RDF syntax can carry it)"
        started = _line_of_mark(body, err.context_mark) if err.context_mark is not None else line
        if err.context and started != line:
            problem += f" ({err.context} that starts on line {started})"
        raise RecordError(path, f"invalid YAML: {problem}", line=line, field=_key_at(text, started)) from None
    except yaml.reader.ReaderError as err:
        # a raw control character; its position is a character index into the body
        line = body.count("\n", 0, err.position) + 1 if isinstance(err.character, int) else None
        char = f"U+{err.character:04X}" if isinstance(err.character, int) else repr(err.character)
        reason = f"invalid YAML: the character {char} is not allowed in YAML text (write it as an escape)"
        raise RecordError(path, reason, line=line, field=_key_at(text, line)) from None
    except yaml.YAMLError as err:
        raise RecordError(path, f"invalid YAML: {err}") from None
    if data is None:
        raise RecordError(path, "the front matter is empty; expected keys such as figid and pmcid", line=1)
    if not isinstance(data, dict):
        raise RecordError(path, f"the front matter is a {type(data).__name__}, expected a mapping of keys", line=2)
    return data


def _line_of_mark(body: str, mark: yaml.Mark | None) -> int | None:
    """Return the file line of a YAML mark in the front matter ``body`` (which starts on line 1).

    YAML also counts NEL, U+2028 and U+2029 as line breaks, so the line is counted from the mark's
    character index, in newlines only, as editors and the other messages count.
    """
    if mark is None:
        return None
    if 0 <= mark.index <= len(body):
        return body.count("\n", 0, mark.index) + 1
    return mark.line + 1


def _key_at(text: str, line: int | None) -> str | None:
    """Return the top-level front-matter key whose entry spans ``line`` (1-based), if any."""
    if line is None:
        return None
    lines = text.split("\n", line)[:line]
    for candidate in reversed(lines[1:]):
        if not candidate.strip() or candidate[0] in " \t#" or _SEQUENCE_ITEM.match(candidate):
            continue  # inside the value of the key above (indented, a comment, or a block list at column 0)
        match = _TOP_KEY.match(candidate)
        return match.group(1).strip("'\"") if match else None
    return None


def read_record(
    path: Path, *, data_dirs: Sequence[Path], warn: Callable[[str], None], tables: Sequence[Path] | None = None
) -> FigureRecord:
    """Read the record file at ``path`` and the TSVs beside it; raise RecordError if it is unusable.

    ``tables``: the tables named after the file that its folders hold, when they were listed beforehand
    (:func:`pfocr_rdf.reading.discover`); else each is looked for in ``data_dirs``.
    """
    try:
        # never open what is not a regular file: a FIFO would block the export for ever
        if not stat.S_ISREG(path.stat().st_mode):
            raise RecordError(path, "not a regular file (a FIFO, a device or a folder); expected a Markdown file")
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise RecordError(path, f"not UTF-8 text (byte {err.start}); expected a UTF-8 Markdown file") from None
    except OSError as err:
        raise RecordError(path, f"cannot read the file: {err.strerror}") from None
    data = parse_front_matter(text, path)
    return _Builder(path, text, data, data_dirs, warn, tables).build()


class _Builder:
    """Turns one parsed front matter into a FigureRecord, reporting faults against its file and lines."""

    def __init__(
        self, path: Path, text: str, data: dict[str, Any], data_dirs: Sequence[Path], warn: Callable[[str], None],
        tables: Sequence[Path] | None = None,
    ) -> None:
        self.path, self.text, self.data, self.data_dirs, self.tables = path, text, data, data_dirs, tables
        self.warnings: list[str] = []
        self._warn = warn
        self.figid: str | None = None

    def warn(self, message: str) -> None:
        self.warnings.append(message)
        self._warn(message)

    def error(self, key: str, reason: str) -> RecordError:
        return RecordError(self.path, reason, line=self.line_of(key), field=key, figid=self.figid)

    def line_of(self, key: str) -> int | None:
        match = re.search(rf"^{re.escape(key)}[ \t]*:", self.text, re.MULTILINE)
        return self.text.count("\n", 0, match.start()) + 1 if match else None

    # -- values -------------------------------------------------------------------------------------
    def text_of(self, key: str, value: Any = _MISSING, *, raw: bool = False) -> str | None:
        value = self.data.get(key) if value is _MISSING else value
        if type(value) is str:  # nearly every value: the same checks as below, in fewer steps
            stripped = value.strip()
            if stripped in SENTINELS:
                return None
            if not value.isascii():
                _check_encodable(value, self, key)
            return value if raw else stripped or None
        if is_null(value):
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
            raise self.error(key, f"expected text, found a {type(value).__name__}")
        text = value if isinstance(value, str) else str(value)
        _check_encodable(text, self, key)
        return text if raw else text.strip() or None

    def names(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key)
        if is_null(value):
            return ()
        items = value if isinstance(value, list) else [value]
        names: dict[str, None] = {}  # ordered and distinct, without a quadratic search
        for item in items:
            if isinstance(item, list | dict):
                raise self.error(key, f"expected a list of names, found a {type(item).__name__} inside it")
            name = self.text_of(key, item)
            if name is not None:
                names[name] = None
        return tuple(names)

    # -- the record ---------------------------------------------------------------------------------
    def build(self) -> FigureRecord:
        data = self.data
        for key in data:
            if key not in FRONT_MATTER_KEYS:
                self.warn(f"{self.path}: unknown key {key!r} is not mapped (see pfocr_rdf/fields.py)")
        figid = self.text_of("figid")
        if figid is None:
            raise self.error("figid", "missing; expected the figure id, e.g. PMC10003241__ijms-24-04893-g003")
        self.figid = figid
        pmcid_raw = self.text_of("pmcid")
        if pmcid_raw is None:
            raise self.error("pmcid", "missing; expected the paper's PMCID, e.g. PMC10003241")
        try:
            pmcid = normalize(pmcid_raw, "PMC").partition(":")[2]
        except IdentifierError as err:
            raise self.error("pmcid", str(err)) from None
        era: Era = "older" if any(k in data for k in ("genes", "chemicals", "diseases")) else "current"
        if data.get("annotations") not in (None, [], ""):
            self.warn(f"{self.path}: field 'annotations' is not empty; its content is not mapped")
        figtype = self.text_of("figtype")
        if figtype is not None and figtype not in _FIGURE_TYPES:
            self.warn(f"{self.path}: field 'figtype': {figtype!r} is not one of {', '.join(_FIGURE_TYPES)}; "
                      "not mapped")
            figtype = None
        genes, chemicals, diseases = self.mentions(era, figid)
        return FigureRecord(
            figid=figid,
            source=str(self.path),
            era=era,
            paper=self.paper(pmcid),
            iri=self.figure_iri(figid),
            alias=self.text_of("figid_alias"),
            redirect=self.text_of("redirect_from"),
            title=self.text_of("figtitle"),
            caption=self.text_of("caption"),
            number=self.text_of("number"),
            figtype=figtype,
            filename=self.text_of("filename"),
            figlink=(self.text_of("figlink") or "").lstrip("/") or None,
            pathway_score=self.score(),
            organisms=self.names("organisms"),
            ner_organisms=self.names("organisms_ner"),
            wikipathways=self.identifiers("wpid", "wikipathways"),
            ndex=next(iter(self.identifiers("ndex", "ndex")), None),
            keywords=self.jsonld_keywords(),
            genes=tuple(genes),
            chemicals=tuple(chemicals),
            diseases=tuple(diseases),
            warnings=tuple(self.warnings),
        )

    def paper(self, pmcid: str) -> Paper:
        year = self.text_of("year")
        if year is not None and not _YEAR.fullmatch(year):
            raise self.error("year", f"{shown(year)} is not a year; expected four digits, e.g. 2023")
        doi = self.text_of("doi")
        if doi is not None:
            try:
                doi = normalize(doi, "doi").partition(":")[2]
            except IdentifierError as err:
                raise self.error("doi", str(err)) from None
        keywords: dict[str, None] = {}
        raw_keywords = self.text_of("keywords")
        for keyword in (raw_keywords or "").split("|"):
            value = clean(keyword)
            if value is not None:
                keywords[value] = None
        return Paper(
            pmcid=pmcid,
            title=self.text_of("papertitle"),
            reftext=self.text_of("reftext"),
            year=year,
            doi=doi,
            journal_title=self.text_of("journal_title"),
            journal_nlm_ta=self.text_of("journal_nlm_ta"),
            publisher=self.text_of("publisher_name"),
            keywords=tuple(keywords),
        )

    def figure_iri(self, figid: str) -> str:
        jsonld = self.data.get("schema-jsonld")
        if isinstance(jsonld, dict):
            iri = jsonld.get("@id")
            if isinstance(iri, str) and iri.strip().startswith(("http://", "https://")):
                _check_encodable(iri, self, "schema-jsonld")
                try:
                    return encode_iri(iri.strip())
                except IdentifierError as err:
                    self.warn(f"{self.path}: field 'schema-jsonld': @id {err}; "
                              "the figure IRI is made from the figid")
        return f"{SITE}figures/{encode_segment(figid)}.html"

    def jsonld_keywords(self) -> tuple[str, ...]:
        jsonld = self.data.get("schema-jsonld")
        if jsonld is None:
            return ()
        if not isinstance(jsonld, dict):
            raise self.error("schema-jsonld", f"expected a mapping, found a {type(jsonld).__name__}")
        value = jsonld.get("keywords")
        items = value if isinstance(value, list) else ([] if is_null(value) else [value])
        keywords: dict[str, None] = {}
        for item in items:
            if isinstance(item, list | dict):
                continue
            keyword = self.text_of("schema-jsonld", item)
            if keyword is not None:
                keywords[keyword] = None
        return tuple(keywords)

    def score(self) -> str | None:
        key = "automl_pathway" if "automl_pathway" in self.data else "pathway_score"
        value = self.data.get(key)
        if is_null(value):
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.error(key, f"expected a number between 0 and 1, found a {type(value).__name__}")
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise self.error(key, f"{shown(value)} is not a number; expected a score between 0 and 1") from None
        if not number.is_finite() or not 0 <= number <= 1:
            raise self.error(key, f"{shown(value)} is not a score between 0 and 1")
        # the canonical xsd:decimal form (no trailing zeros; "1" not "1.0"), as stores normalise it anyway
        text = format(number.normalize(), "f")
        return "0" if text in ("-0", "0") else text

    def identifiers(self, key: str, prefix: str) -> tuple[str, ...]:
        ids: list[str] = []
        for name in self.names(key):
            try:
                ids.append(normalize(name, prefix).partition(":")[2])
            except IdentifierError as err:
                raise self.error(key, str(err)) from None
        return tuple(ids)

    # -- mentions -----------------------------------------------------------------------------------
    def mentions(self, era: Era, figid: str) -> tuple[list[GeneMention], list[TermMention], list[TermMention]]:
        if era == "older":
            return self.inline_genes(), self.inline_terms("chemicals"), self.inline_terms("diseases")
        genes: list[GeneMention] = []
        chemicals: list[TermMention] = []
        diseases: list[TermMention] = []
        try:
            table = self.find_table(figid, "genes")
            if table is not None:
                genes = read_genes(table, warn=self.warn)
            for suffix, reader, into in (
                ("chemicals", read_chemicals, chemicals),
                ("diseases", read_diseases, diseases),
            ):
                table = self.find_table(figid, suffix)
                if table is not None:
                    into.extend(reader(table, warn=self.warn))
        except RecordError as err:
            fault = err.fault
            raise RecordError(fault.file, fault.reason, line=fault.line, field=fault.field, figid=figid) from None
        return genes, chemicals, diseases

    def find_table(self, figid: str, suffix: str) -> Path | None:
        name = f"{figid}-{suffix}.tsv"
        if "/" in figid or "\\" in figid or figid.startswith("."):
            return None  # never let a figid reach outside the data folders
        if self.tables is not None and figid == self.path.stem:
            # the folders were listed once (discover): only a table that is there is looked at, still checked
            candidates = [table for table in self.tables if table.name == name]
        else:
            candidates = [folder / name for folder in self.data_dirs]
        for candidate in candidates:
            try:
                mode = candidate.stat().st_mode
            except FileNotFoundError:
                if candidate.is_symlink():  # the table was meant to be here: never read it as "no rows"
                    raise self.error(suffix, f"{candidate} is a symbolic link to nothing") from None
                continue
            except OSError as err:
                if err.errno == errno.ENAMETOOLONG:
                    return None  # no file can have that name, so there is no table
                raise self.error(suffix, f"cannot read {candidate}: {err.strerror}") from None
            if not stat.S_ISREG(mode):
                raise self.error(suffix, f"{candidate} is not a regular file (a FIFO, a device or a folder)")
            return candidate
        return None

    def inline_list(self, key: str) -> list[dict[str, Any]]:
        value = self.data.get(key)
        if is_null(value):
            return []
        if not isinstance(value, list):
            raise self.error(key, f"expected a list of mentions, found a {type(value).__name__}")
        items: list[dict[str, Any]] = []
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                raise self.error(key, f"item {index + 1} is a {type(item).__name__}, expected a mapping")
            items.append(item)
        return items

    def inline_genes(self) -> list[GeneMention]:
        mentions: list[GeneMention] = []
        seen: set[tuple[Any, ...]] = set()
        for index, item in enumerate(self.inline_list("genes"), start=1):
            where = f"{self.path}: genes item {index}"
            word = self.text_of("genes", item.get("word"), raw=True)
            entrez = self.text_of("genes", item.get("entrez"))
            if word is None or entrez is None:
                self.warn(f"{where}: needs 'word' and 'entrez'; mention skipped")
                continue
            try:
                gene = normalize(entrez, "NCBIGene")
            except IdentifierError as err:
                self.warn(f"{where}: field 'entrez': {err}; mention skipped")
                continue
            mention = GeneMention(
                word=word,
                gene=gene,
                symbol=self.text_of("genes", item.get("hgnc_symbol")),
                matched=self.text_of("genes", item.get("symbol")),
                lexicon=lexicon(self.text_of("genes", item.get("source")), where=where, warn=self.warn),
                taxon=_HUMAN[0],
                organism_name=_HUMAN[1],
            )
            key = (mention.word, mention.gene, mention.matched, mention.lexicon)
            if key not in seen:
                seen.add(key)
                mentions.append(mention)
        return mentions

    def inline_terms(self, key: str) -> list[TermMention]:
        mentions: dict[TermMention, None] = {}
        for index, item in enumerate(self.inline_list(key), start=1):
            row = {name: self.text_of(key, item.get(name), raw=True) or "" for name in ("word", "source", "identifier")}
            mention = term_from_old(row, where=f"{self.path}: {key} item {index}", warn=self.warn)
            if mention is not None:
                mentions[mention] = None
        return list(mentions)


def _check_encodable(text: str, builder: _Builder, key: str) -> None:
    if text.isascii():
        return
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise builder.error(key, "contains a lone surrogate, which no RDF syntax can carry") from None
