"""The example queries in SIB's sparql-examples format: one Turtle twin per ``queries/*.rq``.

SIB's SPARQL editor, the Expasy assistant and the ``sparql-examples`` tools read example queries as
SHACL-AF executables (``sib-swiss/sparql-examples``): a node typed ``sh:SPARQLExecutable`` plus the form's
own class (``sh:SPARQLSelectExecutable``, ...), with ``rdfs:comment`` in English, the query text in
``sh:select`` (``sh:ask``, ``sh:construct``, ``spex:describe``), the endpoint in ``schema:target`` and the
keywords in ``schema:keywords``. Endpoints publish them in the graph ``<…/.well-known/sparql-examples>``.

A twin is generated from its ``.rq`` file and that file's header (:mod:`pfocr_rdf.querying`): the title is
the ``rdfs:label``, the description the ``rdfs:comment``, the keywords and the category the
``schema:keywords``, and ``sh:select`` holds the ``.rq`` text exactly, header included (so the parameter
lines travel with it). There is no ``sh:prefixes`` node: every query declares its own prefixes, and SIB's
shared prefix node is a blank node, which pfocr-rdf never writes. Output is template-written Turtle, the
same bytes for the same queries.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Final

from rdflib.plugins.sparql.parser import parseQuery

from ..errors import UsageError
from ..namespaces import DEFAULT_BASE, RDFS, SCHEMA_HTTPS, SH, SPEX, XSD
from ..querying import QueryFile, load_query, shipped_query_names

__all__ = [
    "EXAMPLES_PATH",
    "example_iri",
    "example_turtle",
    "examples_document",
    "query_form",
    "write_examples",
]

#: Where, under the base, the examples live (SIB's convention); also the graph they are loaded into.
EXAMPLES_PATH: Final = ".well-known/sparql-examples"

#: Query form -> (its SHACL-AF class, the property holding the text).
_FORMS: Final[dict[str, tuple[str, str]]] = {
    "SelectQuery": (str(SH.SPARQLSelectExecutable), str(SH.select)),
    "AskQuery": (str(SH.SPARQLAskExecutable), str(SH.ask)),
    "ConstructQuery": (str(SH.SPARQLConstructExecutable), str(SH.construct)),
    "DescribeQuery": (str(SPEX.DescribeExecutable), str(SPEX.describe)),
}

_PREFIXES: Final = (
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", str(RDFS)),
    ("schema", str(SCHEMA_HTTPS)),
    ("sh", str(SH)),
    ("spex", str(SPEX)),
    ("xsd", str(XSD)),
)


def example_iri(name: str, *, base: str = DEFAULT_BASE) -> str:
    """Return the IRI of the example query called ``name``."""
    return f"{base}{EXAMPLES_PATH}/{name}"


def query_form(query: QueryFile) -> str:
    """Return the query's form (``SelectQuery``, ``AskQuery``, ...); raise UsageError if it does not parse."""
    try:
        parsed = parseQuery(query.text)
    except Exception as error:  # pyparsing raises its own exception types
        raise UsageError(f"{query.source or query.name}: not valid SPARQL: {error}") from error
    form = str(parsed[1].name)
    if form not in _FORMS:
        raise UsageError(f"{query.source or query.name}: {form} is not a query form SIB's examples describe")
    return form


def _literal(text: str, *, language: str | None = None) -> str:
    # A long string keeps the query readable; every backslash and quote is escaped, so any text round-trips.
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\r")
    quoted = f'"""{escaped}"""' if "\n" in text else f'"{escaped.replace(chr(10), chr(92) + "n")}"'
    return f"{quoted}@{language}" if language else quoted


def _iri(iri: str) -> str:
    if re.search(r'[\x00-\x20<>"{}|^`\\]', iri):
        raise UsageError(f"{iri!r} is not an IRI that can be written in Turtle")
    return f"<{iri}>"


def _statements(query: QueryFile, *, base: str, target: str) -> str:
    cls, text_property = _FORMS[query_form(query)]
    keywords = list(dict.fromkeys([*query.keywords, *([query.category] if query.category else [])]))
    lines = [
        f"{_iri(example_iri(query.name, base=base))} a sh:SPARQLExecutable, {_curie(cls)} ;",
        f"    rdfs:label {_literal(query.title, language='en')} ;",
        f"    rdfs:comment {_literal(query.description or query.title, language='en')} ;",
        *(f"    schema:keywords {_literal(keyword)} ;" for keyword in keywords),
        f"    schema:target {_iri(target)} ;",
        f"    {_curie(text_property)} {_literal(query.text)} .",
    ]
    return "\n".join(lines) + "\n"


def _curie(iri: str) -> str:
    for prefix, namespace in _PREFIXES:
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return _iri(iri)


def _header() -> str:
    return "".join(f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in _PREFIXES) + "\n"


def example_turtle(query: QueryFile, *, base: str = DEFAULT_BASE, target: str | None = None) -> str:
    """Return the SIB twin of ``query`` as a Turtle document; ``target`` defaults to ``{base}sparql``."""
    return _header() + _statements(query, base=base, target=target or f"{base}sparql")


def examples_document(
    queries: Iterable[QueryFile] | None = None, *, base: str = DEFAULT_BASE, target: str | None = None
) -> str:
    """Return one Turtle document with the twins of ``queries`` (default: every shipped query)."""
    chosen = list(queries) if queries is not None else [load_query(n) for n in shipped_query_names()]
    body = "\n".join(_statements(q, base=base, target=target or f"{base}sparql") for q in chosen)
    return _header() + body


def write_examples(
    folder: str | Path,
    queries: Sequence[QueryFile] | None = None,
    *,
    base: str = DEFAULT_BASE,
    target: str | None = None,
) -> list[Path]:
    """Write one ``<name>.ttl`` twin per query into ``folder``; return the paths; raise UsageError.

    Twins whose query is gone are removed, so the folder mirrors the queries exactly.
    """
    chosen = list(queries) if queries is not None else [load_query(n) for n in shipped_query_names()]
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for query in chosen:
        path = out / f"{query.name}.ttl"
        text = example_turtle(query, base=base, target=target)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    names = {q.name for q in chosen}
    for stale in out.glob("*.ttl"):
        if stale.name[: -len(".ttl")] not in names:
            stale.unlink()
    return written
