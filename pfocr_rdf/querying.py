"""Querying: the shipped example queries, their parameters, running them, and printing their results.

A query file is SPARQL with a header of ``# field: value`` comment lines, in the convention of
WikiPathways' SPARQL examples (``wikipathways/SPARQLQueries``, ``HEADER_CONVENTIONS.md``): ``title``,
``category``, ``description`` (repeatable, one line each), ``keywords`` (comma-separated) and ``param``
lines ``# param: name | type | default | label``. The header is the leading run of comment lines and ends
at the first blank line. ``queries/README.md`` documents the convention and lists the shipped queries.

Unlike WikiPathways' ``{{name}}`` placeholders, a parameter here is a SPARQL variable (``?gene``) that is
bound to an RDF term at run time: the term is serialized as one SPARQL term by :func:`sparql_term`, never
pasted as text, so no value can change what the query means, and joined in through a ``VALUES`` block at
the start of the query's outer group (:func:`inline_bindings`), on the embedded store and at an endpoint
alike. A leading ``VALUES`` is what makes an engine narrow on the value: Oxigraph starts its joins from
it, whereas its SEP-0007 ``substitutions`` do not narrow the evaluation (``gene-ocr-words`` on 10,000
figures: 0.01 s against 4.7 s); the rows are the same (``tests/test_queries.py``).

Results are materialized as a :class:`QueryResult` and written as an aligned text table or the standard
SPARQL 1.1 CSV, TSV and JSON results formats. This stage does not load stores (:mod:`pfocr_rdf.store`).
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Final, Literal, TextIO, get_args

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    Store,
    Triple,
    parse_query_results,
)
from pyoxigraph import Literal as RdfLiteral

from .endpoint import DEFAULT_TIMEOUT, post_query
from .errors import InputError, UsageError
from .namespaces import PREFIXES, XSD
from .store import DEFAULT_STORE_DIR, load_into, open_store

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

__all__ = [
    "PARAM_TYPES",
    "RESULT_FORMATS",
    "ParamSpec",
    "QueryFile",
    "QueryResult",
    "ResultFormat",
    "Term",
    "bind_params",
    "format_result",
    "heading",
    "inline_bindings",
    "json_term",
    "load_query",
    "parse_param_assignments",
    "parse_query_text",
    "query_endpoint",
    "query_files",
    "query_store",
    "run_query",
    "shipped_query_names",
    "sparql_term",
    "to_term",
    "write_result",
]

#: An RDF term in a result row (``None`` in a row is an unbound variable).
Term = NamedNode | BlankNode | RdfLiteral | Triple

ResultFormat = Literal["table", "csv", "tsv", "json", "gmt"]
#: The ``--format`` choices of ``pfocr-rdf query``.
RESULT_FORMATS: Final[tuple[str, ...]] = get_args(ResultFormat)

#: The ``# param:`` types; ``uri`` is WikiPathways' spelling of ``iri``. ``enum:a,b,c`` is a string
#: restricted to the listed values.
PARAM_TYPES: Final[tuple[str, ...]] = ("iri", "uri", "string", "integer", "decimal", "enum:a,b,c")
_SCALAR_TYPES: Final = frozenset({"iri", "string", "integer", "decimal"})

_XSD_STRING: Final = str(XSD.string)
_XSD_INTEGER: Final = str(XSD.integer)
_XSD_DECIMAL: Final = str(XSD.decimal)
_NUMERIC_TYPES: Final = frozenset(
    str(XSD[name])
    for name in (
        "integer", "decimal", "double", "float", "long", "int", "short", "byte", "nonNegativeInteger",
        "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedLong", "unsignedInt",
        "unsignedShort", "unsignedByte",
    )
)

#: The default of an optional parameter: left out, its variable stays unbound (matches anything).
OPTIONAL: Final = "*"

_VARNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_CURIE = re.compile(r"([A-Za-z_][A-Za-z0-9_.\-]*):(.*)", re.DOTALL)
# What SPARQL's IRIREF production forbids between its angle brackets.
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_HEADER_FIELD = re.compile(r"#\s?([A-Za-z]+):\s?(.*)")


# --- query files and their headers ---------------------------------------------------------------------


@dataclass(frozen=True)
class ParamSpec:
    """One ``# param: name | type | default | label`` line: a variable bound at run time."""

    name: str
    type: str  # iri, string, integer, decimal or enum
    default: str | None  # None: the caller must give a value; OPTIONAL: the variable stays unbound
    label: str
    choices: tuple[str, ...] = ()  # the allowed values of an enum

    @property
    def optional(self) -> bool:
        """Whether the parameter may be left out (its default is ``*``): the variable is then unbound."""
        return self.default == OPTIONAL


@dataclass(frozen=True)
class QueryFile:
    """A SPARQL query with its header: what it answers and which parameters it takes."""

    name: str
    text: str
    title: str
    description: str = ""
    category: str | None = None
    keywords: tuple[str, ...] = ()
    params: tuple[ParamSpec, ...] = ()
    source: str = field(default="", compare=False)

    def param(self, name: str) -> ParamSpec:
        """Return the parameter called ``name``; raise UsageError listing the declared ones."""
        for spec in self.params:
            if spec.name == name:
                return spec
        declared = ", ".join(p.name for p in self.params) or "none"
        raise UsageError(f"query {self.name!r} has no parameter {name!r} (its parameters: {declared})")


def parse_query_text(text: str, *, name: str, source: str | None = None) -> QueryFile:
    """Return the :class:`QueryFile` for SPARQL ``text`` with its header parsed; raise UsageError.

    The header is the leading run of ``#`` lines; a missing ``title`` defaults to ``name``. Every
    parameter must be a variable of the query, and its default must be a valid value of its type.
    """
    where = source or name
    fields: dict[str, str] = {}
    descriptions: list[str] = []
    keywords: list[str] = []
    params: list[ParamSpec] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped.startswith("#"):
            break
        match = _HEADER_FIELD.fullmatch(stripped)
        if match is None:
            continue  # a free comment in the header
        key, value = match.group(1).lower(), match.group(2).strip()
        if key == "description":
            descriptions.append(value)
        elif key == "keywords":
            keywords.extend(k.strip() for k in value.split(",") if k.strip())
        elif key == "param":
            spec = _parse_param(value, where=f"{where}:{number}")
            if any(p.name == spec.name for p in params):
                raise UsageError(f"{where}:{number}: parameter {spec.name!r} is declared twice")
            params.append(spec)
        elif key in ("title", "category"):
            if key in fields:
                raise UsageError(f"{where}:{number}: '# {key}:' appears twice")
            fields[key] = value
    variables = _query_variables(text)
    for spec in params:
        if spec.name not in variables:
            raise UsageError(f"{where}: parameter {spec.name!r} is not a variable of the query")
        if spec.default is not None and not spec.optional:
            to_term(spec, spec.default)  # a bad default is the query file's fault: say so now
    return QueryFile(
        name=name,
        text=text,
        title=fields.get("title") or name,
        description=" ".join(descriptions),
        category=fields.get("category"),
        keywords=tuple(keywords),
        params=tuple(params),
        source=where,
    )


def _parse_param(value: str, *, where: str) -> ParamSpec:
    """Parse the value of a ``# param:`` line: ``name | type | default | label``."""
    parts = [part.strip() for part in value.split("|", 3)]
    if len(parts) != 4:
        raise UsageError(f"{where}: expected '# param: name | type | default | label', got {value!r}")
    name, kind, default, label = parts
    name = name.lstrip("?$")
    if not _VARNAME.fullmatch(name):
        raise UsageError(f"{where}: parameter name {name!r} is not a SPARQL variable name")
    choices: tuple[str, ...] = ()
    if kind.lower().startswith("enum:"):
        choices = tuple(c.strip() for c in kind[len("enum:") :].split(",") if c.strip())
        if not choices:
            raise UsageError(f"{where}: enum parameter {name!r} lists no values")
        kind = "enum"
    else:
        kind = kind.lower()
        if kind == "uri":
            kind = "iri"
        if kind not in _SCALAR_TYPES:
            raise UsageError(f"{where}: parameter {name!r} has unknown type {kind!r}; expected one of "
                             f"{', '.join(PARAM_TYPES)}")
    return ParamSpec(name=name, type=kind, default=default or None, label=label, choices=choices)


@functools.cache
def _shipped_folder() -> Traversable:
    """Return the folder of the shipped queries: the ``pfocr_rdf.queries`` package, or the checkout's."""
    try:
        return resources.files("pfocr_rdf.queries")
    except ModuleNotFoundError:
        # Run from a source checkout without installing: pyproject maps the package to ./queries.
        return Path(__file__).resolve().parent.parent / "queries"


def shipped_query_names() -> tuple[str, ...]:
    """Return the names of the queries shipped with pfocr-rdf, sorted."""
    return tuple(sorted(item.name[: -len(".rq")] for item in _shipped_folder().iterdir()
                        if item.name.endswith(".rq") and item.is_file()))


def load_query(query: str | Path) -> QueryFile:
    """Return the query that ``query`` names: a ``.rq`` file's path or a shipped query's name.

    Raises UsageError for a name that is neither (listing the shipped queries) or a malformed header,
    InputError for a file that cannot be read.
    """
    path = Path(query)
    if path.is_file():
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise InputError(f"{path}: cannot read the query: {error}") from error
        name = path.name[: -len(".rq")] if path.name.endswith(".rq") else path.name
        return parse_query_text(text, name=name, source=str(path))
    name = str(query)
    name = name[: -len(".rq")] if name.endswith(".rq") else name
    if name in shipped_query_names():
        text = (_shipped_folder() / f"{name}.rq").read_text(encoding="utf-8")
        return parse_query_text(text, name=name, source=f"{name}.rq (shipped)")
    raise UsageError(
        f"unknown query {str(query)!r}: no such file, and no shipped query of that name; "
        f"shipped queries: {', '.join(shipped_query_names())}"
    )


# --- parameters ----------------------------------------------------------------------------------------


def parse_param_assignments(items: Iterable[str]) -> dict[str, str]:
    """Return ``{NAME: VALUE}`` from command-line ``NAME=VALUE`` items; raise UsageError."""
    values: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not name:
            raise UsageError(f"--param {item!r}: expected NAME=VALUE, e.g. --param gene=ncbigene:5594")
        if name in values:
            raise UsageError(f"--param {name} is given twice")
        values[name] = value
    return values


def bind_params(query: QueryFile, values: Mapping[str, str]) -> dict[str, NamedNode | RdfLiteral]:
    """Return the RDF term bound to each of ``query``'s parameters (given value, else default; an optional
    parameter that is not given, or given as ``*``, is not bound).

    Raises UsageError for an unknown parameter, a missing one without default, or a value that is not of
    the parameter's type.
    """
    for name in values:
        query.param(name)
    bindings: dict[str, NamedNode | RdfLiteral] = {}
    for spec in query.params:
        raw = values.get(spec.name, spec.default)
        if raw == OPTIONAL and spec.default == OPTIONAL:
            continue  # an optional parameter left open, or given its default "*" (any) explicitly
        if raw is None:
            raise UsageError(
                f"query {query.name!r} needs --param {spec.name}=VALUE ({spec.type}: {spec.label})"
            )
        bindings[spec.name] = to_term(spec, raw)
    return bindings


def to_term(spec: ParamSpec, raw: str) -> NamedNode | RdfLiteral:
    """Return ``raw`` as the RDF term that parameter ``spec`` takes; raise UsageError if it is not one.

    An ``iri`` accepts an absolute IRI, with or without angle brackets, or a CURIE whose prefix is one of
    pfocr-rdf's (case-insensitive: ``NCBIGene:5594``, ``ncbigene:5594``, ``MESH:D005227``).
    """
    if spec.type == "iri":
        return NamedNode(_expand_iri(spec, raw))
    if spec.type == "integer":
        value = raw.strip()
        if not _INTEGER.fullmatch(value):
            raise UsageError(f"parameter {spec.name}: {_quoted(raw)} is not an integer")
        # Oxigraph computes with 64-bit integers: a bigger one would compare as an error, silently
        # matching nothing. Count the digits first: int() refuses more than 4,300 of them.
        digits = value.lstrip("+-").lstrip("0")
        if len(digits) > 19 or not -(2**63) <= int(value) < 2**63:
            raise UsageError(f"parameter {spec.name}: {_quoted(raw)} is out of range; expected an integer "
                             f"from {-(2**63)} to {2**63 - 1}")
        return RdfLiteral(str(int(value)), datatype=NamedNode(_XSD_INTEGER))
    if spec.type == "decimal":
        value = raw.strip()
        if not _DECIMAL.fullmatch(value):
            raise UsageError(f"parameter {spec.name}: {_quoted(raw)} is not a decimal number (e.g. 0.5)")
        whole, _, fraction = value.lstrip("+-").partition(".")
        if len(whole.lstrip("0")) > 20 or len(fraction.rstrip("0")) > 18:
            # Oxigraph's decimals hold 18 digits after the point and about 20 before it
            raise UsageError(f"parameter {spec.name}: {_quoted(raw)} is out of range; expected at most 20 "
                             "digits before the point and 18 after it")
        return RdfLiteral(value, datatype=NamedNode(_XSD_DECIMAL))
    if spec.type == "enum" and raw not in spec.choices:
        raise UsageError(f"parameter {spec.name}: {raw!r} is not one of {', '.join(spec.choices)}")
    # A string is taken exactly as given: quotes, braces and newlines are data, not syntax.
    return RdfLiteral(raw)


def _quoted(raw: str, limit: int = 40) -> str:
    """Return a value for a message: quoted, and cut short when long."""
    return repr(raw) if len(raw) <= limit else f"{raw[:limit]!r}... ({len(raw)} characters)"


@functools.cache
def _prefixes_by_lower_name() -> dict[str, str]:
    return {prefix.lower(): namespace for prefix, namespace in PREFIXES.items()}


def _expand_iri(spec: ParamSpec, raw: str) -> str:
    value = raw.strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    curie = _CURIE.fullmatch(value)
    namespace = _prefixes_by_lower_name().get(curie.group(1).lower()) if curie else None
    if curie and namespace and not curie.group(2).startswith("//"):
        value = namespace + curie.group(2)
    elif not _SCHEME.match(value):
        known = ", ".join(sorted(PREFIXES))
        raise UsageError(
            f"parameter {spec.name}: {raw!r} is neither an absolute IRI nor a CURIE with a known prefix "
            f"({known})"
        )
    if _IRI_FORBIDDEN.search(value):
        raise UsageError(f"parameter {spec.name}: {raw!r} is not a valid IRI (spaces, quotes, <>{{}}|^` "
                         "and backslashes are not allowed)")
    try:
        NamedNode(value)
    except ValueError as error:
        raise UsageError(f"parameter {spec.name}: {raw!r} is not a valid IRI: {error}") from error
    return value


# --- serializing terms for query text ------------------------------------------------------------------

_STRING_ESCAPES: Final = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b",
                          "\f": "\\f"}
_STRING_SPECIALS: Final = re.compile(r'[\\"\n\r\t\b\f]')


def sparql_term(term: Term) -> str:
    """Return ``term`` written in SPARQL (and N-Triples) syntax, with every string escaped.

    A literal's lexical form can hold any character: backslashes, quotes and line breaks are escaped,
    so the result is always exactly one term. Raises UsageError for an IRI that IRIREF cannot hold.
    """
    if isinstance(term, NamedNode):
        if _IRI_FORBIDDEN.search(term.value):
            raise UsageError(f"{term.value!r} cannot be written as a SPARQL IRI")
        return f"<{term.value}>"
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, RdfLiteral):
        quoted = '"' + _STRING_SPECIALS.sub(lambda m: _STRING_ESCAPES[m.group()], term.value) + '"'
        if term.language:
            return f"{quoted}@{term.language}"
        if term.datatype.value == _XSD_STRING:
            return quoted
        return f"{quoted}^^{sparql_term(term.datatype)}"
    return f"<< {sparql_term(term.subject)} {sparql_term(term.predicate)} {sparql_term(term.object)} >>"


# --- binding parameters into query text (for endpoints) -------------------------------------------------

# Tokens that may hold braces, '#' or keywords without being syntax: strings, IRIs, comments, variables.
_SKIP = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r"|<[^<>\"{}|^`\\\x00-\x20]*>"
    r"|#[^\n\r]*"
    r"|[?$][A-Za-z0-9_]+",
    re.DOTALL,
)
_NAME = re.compile(r"[A-Za-z0-9_:][A-Za-z0-9_\-.:%]*")


def _tokens(text: str) -> Iterable[tuple[int, str]]:
    """Yield (offset, token) for the SPARQL syntax of ``text``: names, braces, parentheses, variables.

    Strings, IRIs and comments are skipped whole, so their contents can never be mistaken for syntax.
    """
    position = 0
    while position < len(text):
        char = text[position]
        if char.isspace():
            position += 1
            continue
        skipped = _SKIP.match(text, position)
        if skipped and skipped.end() > position:
            token = skipped.group()
            if token[0] in "?$":
                yield position, token
            position = skipped.end()
            continue
        name = _NAME.match(text, position)
        if name:
            yield position, name.group()
            position = name.end()
            continue
        yield position, char
        position += 1


def _query_variables(text: str) -> set[str]:
    return {token[1:] for _, token in _tokens(text) if token[0] in "?$"}


def inline_bindings(text: str, bindings: Mapping[str, Term]) -> str:
    """Return query ``text`` with ``bindings`` joined in as a ``VALUES`` block opening its outer group.

    This is how parameters reach an endpoint, which takes only query text: every value goes through
    :func:`sparql_term`, so it stays one term. The block is the first element of the group that follows
    the top-level ``WHERE`` (or of the first top-level group, for ``SELECT * {…}`` and ``ASK {…}``), so
    filters of that group see the values. Raises UsageError if the query has no such group.
    """
    if not bindings:
        return text
    names = list(bindings)
    values = "VALUES (" + " ".join(f"?{n}" for n in names) + ") { (" + " ".join(
        sparql_term(bindings[n]) for n in names) + ") }"
    tokens = list(_tokens(text))
    braces = parens = 0
    seen_where = not _has_top_level_where(tokens)  # SELECT * { ... } and ASK { ... }: the first group
    opening: int | None = None
    for index, (_, token) in enumerate(tokens):
        if token == "{":
            if braces == 0 and parens == 0 and seen_where:
                opening = index
                break
            braces += 1
        elif token == "}":
            braces -= 1
        elif token == "(":
            parens += 1
        elif token == ")":
            parens -= 1
        elif braces == 0 and parens == 0 and token.upper() == "WHERE":
            seen_where = True
    if opening is None:
        raise UsageError("cannot bind parameters: the query has no WHERE group")
    start = tokens[opening][0] + 1
    following = tokens[opening + 1][1].upper() if opening + 1 < len(tokens) else ""
    if following != "SELECT":
        return f"{text[:start]}\n  {values}\n{text[start:]}"
    # The group is a sub-select, which cannot share its braces: nest it beside the VALUES block.
    closing = _matching_brace(tokens, opening)
    end = tokens[closing][0]
    return f"{text[:start]}\n  {values}\n  {{{text[start:end]}}}\n{text[end:]}"


def _has_top_level_where(tokens: Sequence[tuple[int, str]]) -> bool:
    braces = parens = 0
    for _, token in tokens:
        if token == "{":
            braces += 1
        elif token == "}":
            braces -= 1
        elif token == "(":
            parens += 1
        elif token == ")":
            parens -= 1
        elif braces == 0 and parens == 0 and token.upper() == "WHERE":
            return True
    return False


def _matching_brace(tokens: Sequence[tuple[int, str]], opening: int) -> int:
    depth = 0
    for index in range(opening, len(tokens)):
        token = tokens[index][1]
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
            if depth == 0:
                return index
    raise UsageError("cannot bind parameters: the query's braces do not balance")


# --- running queries -----------------------------------------------------------------------------------



@dataclass(frozen=True)
class QueryResult:
    """The answer to a SELECT (variables and rows; ``None`` is unbound) or an ASK (``boolean``).

    A streamed result (``stream``) has its rows in a one-time iterator instead of ``rows``, so that a
    million rows are written as the store finds them, never held; :meth:`iter_rows` reads either.
    """

    variables: tuple[str, ...]
    rows: tuple[tuple[Term | None, ...], ...]
    boolean: bool | None = None
    stream: Iterator[tuple[Term | None, ...]] | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_pyoxigraph(cls, answer: QuerySolutions | QueryBoolean | object, *, where: str,
                        stream: bool = False) -> QueryResult:
        """Materialize a pyoxigraph answer (or wrap it, with ``stream``); raise UsageError for CONSTRUCT
        and DESCRIBE answers."""
        if isinstance(answer, QueryBoolean):
            return cls(variables=(), rows=(), boolean=bool(answer))
        if not isinstance(answer, QuerySolutions):
            raise UsageError(f"{where}: only SELECT and ASK queries can be run and printed")
        variables = tuple(variable.value for variable in answer.variables)
        if stream:
            return cls(variables=variables, rows=(), stream=_solutions(answer, where))
        rows = tuple(tuple(solution) for solution in answer)
        return cls(variables=variables, rows=rows)

    def iter_rows(self) -> Iterator[tuple[Term | None, ...]]:
        """Yield the rows, from ``rows`` or, once only, from ``stream``."""
        return iter(self.rows) if self.stream is None else self.stream


def _solutions(answer: QuerySolutions, where: str) -> Iterator[tuple[Term | None, ...]]:
    try:
        for solution in answer:
            yield tuple(solution)
    except OSError as error:
        raise InputError(f"{where}: cannot read the store: {error}") from error
    except RuntimeError as error:
        raise UsageError(f"{where}: cannot run the query: {error}") from error


def query_store(store: Store, query: QueryFile, bindings: Mapping[str, Term] | None = None, *,
                stream: bool = False) -> QueryResult:
    """Run ``query`` on a pyoxigraph ``store`` with ``bindings`` joined in first; raise PfocrError.

    The bindings go in a leading ``VALUES`` block (:func:`inline_bindings`), from which Oxigraph starts
    its joins (its ``substitutions`` do not narrow the evaluation). Named graphs count as part of the
    default graph, so N-Quads exports are queried like Turtle ones. With ``stream`` the rows come as the
    store finds them (see :class:`QueryResult`).
    """
    text = inline_bindings(query.text, bindings or {})
    try:
        answer = store.query(text, use_default_graph_as_union=True)
        return QueryResult.from_pyoxigraph(answer, where=query.source or query.name, stream=stream)
    except SyntaxError as error:
        raise UsageError(f"{query.source or query.name}: not valid SPARQL: {error}") from error
    except OSError as error:
        raise InputError(f"{query.source or query.name}: cannot read the store: {error}") from error
    except RuntimeError as error:
        raise UsageError(f"{query.source or query.name}: cannot run the query: {error}") from error


def query_files(
    paths: Sequence[str | Path], query: QueryFile, bindings: Mapping[str, Term] | None = None, *,
    stream: bool = False,
) -> QueryResult:
    """Load RDF files into a fresh in-memory store and run ``query`` on it; raise PfocrError."""
    store = Store()
    load_into(store, paths)
    return query_store(store, query, bindings, stream=stream)


def query_endpoint(
    url: str, query: QueryFile, bindings: Mapping[str, Term] | None = None, *, timeout: float = DEFAULT_TIMEOUT,
    stream: bool = False,
) -> QueryResult:
    """Run ``query`` at a SPARQL endpoint (SPARQL 1.1 protocol, POST); raise UsageError, EndpointError.

    Parameters travel in a ``VALUES`` block (:func:`inline_bindings`): the protocol takes only text. The
    request is :mod:`pfocr_rdf.endpoint`'s: a timeout, retries, no redirects, credentials from the
    environment and never in a message.
    """
    text = inline_bindings(query.text, bindings or {})
    payload = post_query(url, text, timeout=timeout)
    try:
        answer = parse_query_results(payload, QueryResultsFormat.JSON)
    except (SyntaxError, ValueError) as error:
        raise InputError(f"{url}: the endpoint's answer is not SPARQL JSON results: {error}") from error
    return QueryResult.from_pyoxigraph(answer, where=url, stream=stream)


def run_query(
    query: QueryFile | str | Path,
    *,
    params: Mapping[str, str] | None = None,
    store: Store | str | Path | None = None,
    data: Sequence[str | Path] | None = None,
    endpoint: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    stream: bool = False,
) -> QueryResult:
    """Run a query (a :class:`QueryFile`, a ``.rq`` path or a shipped name) on one source; raise PfocrError.

    The source is exactly one of ``store`` (an open store or the folder of one, opened read-only),
    ``data`` (RDF files, loaded into memory) or ``endpoint`` (a SPARQL endpoint URL); with none,
    the store in :data:`~pfocr_rdf.store.DEFAULT_STORE_DIR`. ``params`` are ``NAME: VALUE`` strings,
    bound as RDF terms of the types the query's header declares.
    """
    chosen = [s for s in (store, data, endpoint) if s is not None]
    if len(chosen) > 1:
        raise UsageError("give one source: a store, data files or an endpoint, not several")
    resolved = query if isinstance(query, QueryFile) else load_query(query)
    bindings = bind_params(resolved, params or {})
    if endpoint is not None:
        return query_endpoint(endpoint, resolved, bindings, timeout=timeout, stream=stream)
    if data is not None:
        return query_files(data, resolved, bindings, stream=stream)
    if isinstance(store, Store):
        return query_store(store, resolved, bindings, stream=stream)
    opened = open_store(DEFAULT_STORE_DIR if store is None else store, read_only=True)
    return query_store(opened, resolved, bindings, stream=stream)


# --- writing results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _TableOptions:
    max_width: int
    max_rows: int | None


def write_result(
    result: QueryResult,
    out: TextIO,
    fmt: ResultFormat = "table",
    *,
    max_width: int = 50,
    max_rows: int | None = None,
) -> None:
    """Write ``result`` to ``out`` as ``fmt``; raise UsageError for an unknown format.

    ``table`` is for people: aligned columns, CURIEs for IRIs in pfocr-rdf's namespaces, cells cut to
    ``max_width`` characters, at most ``max_rows`` rows shown (all when None) and the count below.
    ``csv``, ``tsv`` and ``json`` are the SPARQL 1.1 results formats, always complete. ``gmt`` writes the
    rows of a gene-set query (columns ``figid`` and ``genes``, optionally ``organism`` and ``title``) as a
    GMT file, the gene-set format of clusterProfiler, GSEApy and Enrichr.
    """
    writer = _WRITERS.get(fmt)
    if writer is None:
        raise UsageError(f"unknown result format {fmt!r}; expected one of {', '.join(RESULT_FORMATS)}")
    writer(result, out, _TableOptions(max_width=max_width, max_rows=max_rows))


def format_result(
    result: QueryResult, fmt: ResultFormat = "table", *, max_width: int = 50, max_rows: int | None = None
) -> str:
    """Return ``result`` written as ``fmt`` (see :func:`write_result`)."""
    buffer = io.StringIO(newline="")
    write_result(result, buffer, fmt, max_width=max_width, max_rows=max_rows)
    return buffer.getvalue()


def heading(query: QueryFile, bindings: Mapping[str, Term] | None = None) -> str:
    """Return a one-line caption for a table of ``query``'s results: its title and parameter values."""
    values = ", ".join(f"{name} = {_table_cell(term, 60)}" for name, term in (bindings or {}).items())
    return f"{query.title} ({values})" if values else query.title


def _write_table(result: QueryResult, out: TextIO, options: _TableOptions) -> None:
    if result.boolean is not None:
        out.write(f"{'true' if result.boolean else 'false'}\n")
        return
    if result.stream is not None:  # a table needs every row to size its columns
        result = QueryResult(result.variables, tuple(result.stream))
    shown = result.rows if options.max_rows is None else result.rows[: max(options.max_rows, 0)]
    cells = [[_table_cell(term, options.max_width) for term in row] for row in shown]
    numeric = [
        all(term is None or _is_numeric(term) for term in column) and any(t is not None for t in column)
        for column in zip(*shown, strict=True)
    ] if shown else [False] * len(result.variables)
    widths = [
        max([len(name), *(len(row[i]) for row in cells)]) for i, name in enumerate(result.variables)
    ]

    def line(values: Sequence[str]) -> str:
        parts = [
            value.rjust(width) if is_number else value.ljust(width)
            for value, width, is_number in zip(values, widths, numeric, strict=True)
        ]
        return "  ".join(parts).rstrip() + "\n"

    out.write(line(list(result.variables)))
    out.write(line(["-" * width for width in widths]))
    for row in cells:
        out.write(line(row))
    count = len(result.rows)
    hidden = f", {count - len(shown)} not shown" if len(shown) < count else ""
    out.write(f"({count} row{'' if count == 1 else 's'}{hidden})\n")


def _is_numeric(term: Term) -> bool:
    return isinstance(term, RdfLiteral) and term.datatype.value in _NUMERIC_TYPES


def _table_cell(term: Term | None, max_width: int) -> str:
    if term is None:
        text = ""
    elif isinstance(term, NamedNode):
        text = _compact(term.value)
    elif isinstance(term, RdfLiteral):
        text = term.value
    else:
        text = sparql_term(term)
    text = re.sub(r"[\x00-\x1f\x7f]+", " ", text)
    if len(text) > max_width:
        text = text[: max(max_width - 1, 1)] + "…"
    return text


@functools.cache
def _namespaces_longest_first() -> tuple[tuple[str, str], ...]:
    return tuple(sorted(((ns, prefix) for prefix, ns in PREFIXES.items()), key=lambda p: -len(p[0])))


_LOCAL_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_\-.]*")


def _compact(iri: str) -> str:
    for namespace, prefix in _namespaces_longest_first():
        if iri.startswith(namespace) and _LOCAL_NAME.fullmatch(iri[len(namespace) :]):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def _write_csv(result: QueryResult, out: TextIO, options: _TableOptions) -> None:
    if result.boolean is not None:
        out.write(f"{'true' if result.boolean else 'false'}\r\n")
        return
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.iter_rows():
        writer.writerow([_csv_value(term) for term in row])


def _csv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, (NamedNode, RdfLiteral)):
        return term.value
    return sparql_term(term)


def _write_tsv(result: QueryResult, out: TextIO, options: _TableOptions) -> None:
    if result.boolean is not None:
        out.write(f"{'true' if result.boolean else 'false'}\n")
        return
    out.write("\t".join(f"?{name}" for name in result.variables) + "\n")
    for row in result.iter_rows():
        out.write("\t".join("" if term is None else sparql_term(term) for term in row) + "\n")


def _write_json(result: QueryResult, out: TextIO, options: _TableOptions) -> None:
    if result.boolean is not None:
        json.dump({"head": {}, "boolean": result.boolean}, out, ensure_ascii=False)
        out.write("\n")
        return
    # Written a binding at a time, never the whole list: the same JSON as json.dump of the document.
    head = json.dumps({"vars": list(result.variables)}, ensure_ascii=False)
    out.write(f'{{"head": {head}, "results": {{"bindings": [')
    for index, row in enumerate(result.iter_rows()):
        binding = {name: json_term(term) for name, term in zip(result.variables, row, strict=True)
                   if term is not None}
        out.write((", " if index else "") + json.dumps(binding, ensure_ascii=False))
    out.write("]}}\n")


def json_term(term: object) -> dict[str, object]:
    """Return ``term`` as a SPARQL 1.1 JSON results value (RDF-star triples nested); raise TypeError otherwise."""
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, RdfLiteral):
        encoded: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            encoded["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            encoded["datatype"] = term.datatype.value
        return encoded
    if isinstance(term, Triple):
        return {"type": "triple", "value": {"subject": json_term(term.subject),
                                            "predicate": json_term(term.predicate),
                                            "object": json_term(term.object)}}
    if isinstance(term, DefaultGraph):
        return {"type": "uri", "value": ""}
    raise TypeError(f"unexpected term in a solution: {term!r}")


def _write_gmt(result: QueryResult, out: TextIO, options: _TableOptions) -> None:
    """One line per row: set name, description, then the genes, tab-separated.

    The name is the figid, with the organism's CURIE after it when the rows have one (a figure's genes of
    two organisms are two sets); the description is the figure's title, else its IRI, else the figid.
    """
    columns = {name: index for index, name in enumerate(result.variables)}
    if result.boolean is not None or "figid" not in columns or "genes" not in columns:
        raise UsageError("--format gmt needs a gene-set query: one with the columns figid and genes "
                         "(e.g. figure-gene-sets)")

    def cell(row: Sequence[Term | None], name: str) -> str:
        index = columns.get(name)
        term = None if index is None else row[index]
        text = "" if term is None else _compact(term.value) if isinstance(term, NamedNode) else _csv_value(term)
        return " ".join(text.split())  # a tab or a line break inside a cell would break the format

    for row in result.iter_rows():
        genes = cell(row, "genes").split()
        if not genes:
            continue
        name = " ".join(part for part in (cell(row, "figid"), cell(row, "organism")) if part)
        description = cell(row, "title") or cell(row, "figure") or cell(row, "figid")
        out.write("\t".join([name, description, *genes]) + "\n")


_WRITERS: Final[dict[str, Callable[[QueryResult, TextIO, _TableOptions], None]]] = {
    "table": _write_table,
    "csv": _write_csv,
    "tsv": _write_tsv,
    "json": _write_json,
    "gmt": _write_gmt,
}
