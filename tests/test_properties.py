"""Property-based tests: arbitrary text and identifiers survive mapping, writing and parsing back.

For records built by hypothesis (arbitrary text in every text field: quotes, backslashes, newlines,
control characters, ``<>{}|^``, non-BMP characters; arbitrary valid identifiers; figids with spaces and
IRI-hostile characters), the Turtle and N-Triples the writers produce must parse with rdflib and with
pyoxigraph into exactly the mapper's graph, every IRI must pass oxigraph's strict IRI parser, and the
strict independent parsers Debian ships (``serdi`` from serd, ``rapper`` from raptor2-utils; CI
installs both) must accept every document. Those two run on batch files of many documents each, not one
process per example. Lone surrogates are left out of the text: the reader rejects them, which
:func:`test_reader_rejects_lone_surrogates` checks, naming the field.

Every example fills every text field at once, so the number of examples is the number per field.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable
from io import StringIO
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from pfocr_rdf.errors import RecordError
from pfocr_rdf.identifiers import IdentifierError, encode_iri
from pfocr_rdf.mapping import map_record
from pfocr_rdf.namespaces import SITE, XSD
from pfocr_rdf.reading import read_record
from pfocr_rdf.reading.values import LEXICONS, SENTINELS
from pfocr_rdf.records import FigureRecord, GeneMention, Paper, TermMention
from pfocr_rdf.writing import NTriplesWriter, TurtleWriter

ROUND_TRIP_EXAMPLES = 300
READER_EXAMPLES = 200
BATCH = 50  # documents per file handed to serdi and rapper

# -- strategies ----------------------------------------------------------------------------------------------

# Characters that break naive serializers, over-represented on purpose next to arbitrary ones.
_HOSTILE = [*'"\'\\\n\r\t\b\f\x00\x01\x1b\x1f\x7f\x85\xa0<>{}|^`#%?/:@&;=+,.-_~!$*()[] ',
    "\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff", "\U0001F9EC", "\U0010FFFF", "\u00e9", "\u03b1",
    "e\u0301", '"""', "'''", "\\u0041", "\\n", "^^", "@en", "_:b", " .", "NA", "NaN", ".na.character",
]
_ANY_CHAR = st.characters(exclude_categories=["Cs"])  # every code point but surrogates
text = st.one_of(
    st.text(_ANY_CHAR, max_size=30),
    st.lists(st.one_of(st.sampled_from(_HOSTILE), _ANY_CHAR), max_size=12).map("".join),
)
maybe_text = st.none() | text
texts = st.lists(text, max_size=4, unique=True).map(tuple)


def _digits(low: int = 1, high: int = 10**10) -> st.SearchStrategy[str]:
    return st.integers(low, high).map(str)


gene = _digits().map(lambda n: f"NCBIGene:{n}")
taxon = _digits(1, 10**7).map(lambda n: f"NCBITaxon:{n}")
mesh = st.from_regex(r"\A[CD][0-9]{6,9}\Z").map(lambda m: f"MESH:{m}")
chebi = _digits(1, 10**6).map(lambda n: f"CHEBI:{n}")
doid = st.from_regex(r"\A[0-9]{1,8}\Z").map(lambda n: f"DOID:{n}")
pmcid = _digits(1, 10**8).map(lambda n: f"PMC{n}")
wpid = _digits(1, 10**6).map(lambda n: f"WP{n}")
ndex = st.uuids().map(str)
# DOIs as the reader leaves them: 10.NNNN/ and a suffix of anything but white space, lower-cased
doi = st.builds(
    lambda registrant, suffix: f"10.{registrant}/{suffix}".lower(),
    st.from_regex(r"\A[0-9]{4,9}\Z"),
    st.text(st.one_of(st.sampled_from(list('"<>{}|^`\\#%?/:;&=+')), _ANY_CHAR), min_size=1, max_size=20),
).filter(lambda d: not any(c.isspace() for c in d) and d == d.lower())
year = st.integers(1000, 2999).map(str)
score = st.decimals(0, 1, places=7).map(lambda d: "0" if d == 0 else format(d.normalize(), "f"))
lexicon = st.none() | st.sampled_from(sorted(LEXICONS))
organism_name = st.one_of(st.sampled_from(["Homo sapiens", "Mus musculus", "Rattus norvegicus"]), text)
_FIGID_PIECES = [*" <>{}|^`\"\\#%?/&\u00e9", "PMC1__", "fig 1", "%zz", "%20"]
figid = st.lists(st.one_of(st.sampled_from(_FIGID_PIECES), _ANY_CHAR), min_size=1, max_size=15).map("".join)


@st.composite
def site_id(draw: st.DrawFn, figid: str) -> str | None:
    """The site's @id as the reader keeps it: None (derived from the figid) or an encoded page IRI."""
    if draw(st.booleans()):
        return None
    try:
        return encode_iri(f"{SITE}figures/{draw(st.one_of(st.just(figid), text))}.html")
    except IdentifierError:
        return None


gene_mention = st.builds(GeneMention, word=text, gene=gene, symbol=maybe_text, matched=maybe_text,
                         lexicon=lexicon, taxon=st.none() | taxon, organism_name=st.none() | organism_name)


def _term_mention(other: st.SearchStrategy[str]) -> st.SearchStrategy[TermMention]:
    ids = st.one_of(st.tuples(mesh), st.tuples(mesh, other), st.tuples(other))
    return st.builds(
        lambda word, ids, matched, name: TermMention(word, ids, matched, name,
                                                     "mesh" if ids[0].startswith("MESH:") else None),
        text, ids, maybe_text, maybe_text,
    )


paper = st.builds(Paper, pmcid=pmcid, title=maybe_text, reftext=maybe_text, year=st.none() | year,
                  doi=st.none() | doi, journal_title=maybe_text, journal_nlm_ta=maybe_text,
                  publisher=maybe_text, keywords=texts)


@st.composite
def records(draw: st.DrawFn) -> FigureRecord:
    """A FigureRecord with arbitrary text in every text field and arbitrary valid identifiers."""
    fid = draw(figid)
    return FigureRecord(
        figid=fid,
        source="generated.md",
        era=draw(st.sampled_from(["current", "older"])),
        paper=draw(paper),
        iri=draw(site_id(fid)),
        alias=draw(maybe_text),
        redirect=draw(maybe_text),
        title=draw(maybe_text),
        caption=draw(maybe_text),
        number=draw(maybe_text),
        figtype=draw(st.none() | st.sampled_from(["Figure", "Scheme", "Supplemental figure",
                                                  "Graphical abstract"])),
        filename=draw(maybe_text),
        figlink=draw(maybe_text),
        pathway_score=draw(st.none() | score),
        organisms=draw(st.lists(organism_name, max_size=3, unique=True).map(tuple)),
        ner_organisms=draw(st.lists(organism_name, max_size=3, unique=True).map(tuple)),
        wikipathways=draw(st.lists(wpid, max_size=2, unique=True).map(tuple)),
        ndex=draw(st.none() | ndex),
        keywords=draw(texts),
        genes=draw(st.lists(gene_mention, max_size=4).map(tuple)),
        chemicals=draw(st.lists(_term_mention(chebi), max_size=3).map(tuple)),
        diseases=draw(st.lists(_term_mention(doid), max_size=3).map(tuple)),
    )


# -- helpers -------------------------------------------------------------------------------------------------

def _selected_blocks(record: FigureRecord, base: str) -> list[list[Any]]:
    """The record's blocks as the export writes them: each keyed block once, the first one seen."""
    seen: set[str] = set()
    blocks = []
    for block in map_record(record, base=base):
        if block.key is not None:
            if block.key in seen:
                continue
            seen.add(block.key)
        blocks.append(list(block.triples))
    return blocks


def _write(writer_class: type[Any], blocks: Iterable[list[Any]]) -> str:
    stream = StringIO()
    writer = writer_class(stream)
    writer.start()
    for triples in blocks:
        writer.write(triples)
    writer.finish()
    return stream.getvalue()


def _from_oxigraph(term: Any) -> Any:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value, datatype=None if datatype == str(XSD.string) else URIRef(datatype))
    raise AssertionError(f"a blank node or other term in the output: {term!r}")


def _difference(expected: Graph, got: set[Any]) -> str:
    want = set(expected)
    return f"missing {sorted(want - got)[:5]!r}; unexpected {sorted(got - want)[:5]!r}"


def _strict_parsers() -> list[tuple[str, list[str], list[str]]]:
    """(name, command for Turtle, command for N-Triples) of each strict parser installed."""
    parsers = []
    if shutil.which("serdi"):
        parsers.append(("serdi", ["serdi", "-i", "turtle", "-o", "ntriples"],
                        ["serdi", "-i", "ntriples", "-o", "ntriples"]))
    if shutil.which("rapper"):
        parsers.append(("rapper", ["rapper", "-q", "-i", "turtle", "-c"],
                        ["rapper", "-q", "-i", "ntriples", "-c"]))
    return parsers


def _accepts(command: list[str], path: Path) -> tuple[bool, str]:
    result = subprocess.run([*command, str(path)], capture_output=True, text=True, timeout=300,
                            stdin=subprocess.DEVNULL)
    # serdi returns 0 after some errors it recovers from, so its stderr must be empty too
    return result.returncode == 0 and "error" not in result.stderr.lower(), result.stderr[-2000:]


# -- the tests -----------------------------------------------------------------------------------------------

def test_round_trip_through_every_parser(tmp_path: Path) -> None:
    """Turtle and N-Triples of arbitrary records parse back (rdflib, pyoxigraph) into the mapper's graph."""
    documents: dict[str, list[str]] = {"turtle": [], "nt": []}

    @settings(max_examples=ROUND_TRIP_EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(record=records(), base=st.sampled_from([SITE, "https://example.org/pfocr/"]))
    def round_trip(record: FigureRecord, base: str) -> None:
        blocks = _selected_blocks(record, base if base.endswith("/") else base + "/")
        expected = Graph()
        for triples in blocks:
            for triple in triples:
                expected.add(triple)
        for subject, predicate, obj in expected:
            for term in (subject, predicate, obj):
                if isinstance(term, URIRef):
                    ox.NamedNode(str(term))  # oxigraph's strict RFC 3987 parser: raises on a bad IRI
        for name, writer_class, rdflib_format, ox_format in (
            ("turtle", TurtleWriter, "turtle", ox.RdfFormat.TURTLE),
            ("nt", NTriplesWriter, "nt", ox.RdfFormat.N_TRIPLES),
        ):
            document = _write(writer_class, blocks)
            parsed = Graph().parse(data=document, format=rdflib_format)
            assert isomorphic(parsed, expected), f"rdflib, {name}: {_difference(expected, set(parsed))}"
            oxigraph = {tuple(_from_oxigraph(t) for t in (q.subject, q.predicate, q.object))
                        for q in ox.parse(document.encode("utf-8"), format=ox_format)}
            assert oxigraph == set(expected), f"pyoxigraph, {name}: {_difference(expected, oxigraph)}"
            documents[name].append(document)

    round_trip()
    examples = len(documents["turtle"])
    print(f"\n{examples} generated records round-tripped (each with arbitrary text in every text field)")
    assert examples >= ROUND_TRIP_EXAMPLES // 2, "too few examples ran to matter"

    parsers = _strict_parsers()
    if not parsers:
        pytest.skip("neither serdi nor rapper is installed: apt-get install -y serdi raptor2-utils")
    for name, turtle_command, nt_command in parsers:
        for fmt, command, suffix in (("turtle", turtle_command, ".ttl"), ("nt", nt_command, ".nt")):
            docs = documents[fmt]
            for start in range(0, len(docs), BATCH):
                batch = tmp_path / f"batch-{start}{suffix}"
                # Turtle documents concatenate into one valid document (repeated @prefix lines are allowed)
                batch.write_text("".join(docs[start:start + BATCH]), encoding="utf-8")
                ok, stderr = _accepts(command, batch)
                if ok:
                    continue
                for document in docs[start:start + BATCH]:  # find the example it refuses, for the message
                    single = tmp_path / f"single{suffix}"
                    single.write_text(document, encoding="utf-8")
                    one_ok, one_stderr = _accepts(command, single)
                    assert one_ok, f"{name} refuses this {fmt} document:\n{document}\n{one_stderr}"
                pytest.fail(f"{name} refuses the {fmt} batch {batch.name}, no document alone:\n{stderr}")
    if len(parsers) < 2:
        missing = {"serdi", "rapper"} - {p[0] for p in parsers}
        pytest.skip(f"{', '.join(missing)} not installed (apt-get install -y serdi raptor2-utils); "
                    "the others accepted every document")


def _yaml_quoted(value: str) -> str:
    """Return ``value`` as a YAML double-quoted scalar: printable characters as they are, others escaped.

    (JSON's escapes are not enough: JSON writes a non-BMP character as a surrogate pair of ``\\u``
    escapes, which YAML reads as two lone surrogates. U+2028 and U+2029 are line breaks to YAML, which
    folds them with the spaces around them when they are written as they are, so they are escaped too.)
    """
    out = []
    for char in value:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif code in (0x2028, 0x2029):
            out.append(f"\\u{code:04x}")
        elif (0x20 <= code < 0x7F or 0xA0 <= code < 0xD800 or 0xE000 <= code < 0xFEFF
              or 0xFF00 <= code < 0xFFFE or code > 0xFFFF):
            out.append(char)
        else:
            out.append(f"\\u{code:04x}")
    return '"' + "".join(out) + '"'


# Text fields of the front matter; a lone surrogate in any of them must reject the record naming it.
_TEXT_KEYS = ["figtitle", "caption", "papertitle", "reftext", "keywords", "journal_title", "journal_nlm_ta",
              "publisher_name", "figid_alias", "number", "filename", "figlink", "redirect_from", "organisms",
              "organisms_ner", "figid"]
_surrogate = st.integers(0xD800, 0xDFFF).map(chr)
# Generating examples is slow when other work shares the machine (as in CI): that is no failure.
_BUSY_MACHINE = [HealthCheck.too_slow, HealthCheck.data_too_large]


@settings(max_examples=READER_EXAMPLES, deadline=None, database=None, suppress_health_check=_BUSY_MACHINE)
@given(key=st.sampled_from(_TEXT_KEYS), before=text, after=text, lone=_surrogate, as_list=st.booleans())
def test_reader_rejects_lone_surrogates(tmp_path_factory: pytest.TempPathFactory, key: str, before: str,
                                        after: str, lone: str, as_list: bool) -> None:
    """A lone surrogate (a YAML ``\\ud800`` escape) in any text field rejects the record, naming the field."""
    value = _yaml_quoted(before + lone + after)  # the lone surrogate is written as a \\udXXX escape
    entry = f"{key}:\n- {value}" if as_list and key.startswith("organisms") else f"{key}: {value}"
    others = [f"{k}: {v}" for k, v in (("figid", "PMC1__F1"), ("pmcid", "PMC1")) if k != key]
    lines = ["---", *others, entry, "---"]
    path = tmp_path_factory.mktemp("surrogate") / "PMC1__F1.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(RecordError) as caught:
        read_record(path, data_dirs=(), warn=lambda _: None)
    fault = caught.value.fault
    assert fault.field == key, fault
    value_line = len(lines) - 1 + (1 if "\n" in entry else 0)  # the entry's line, or its list item's below
    assert fault.line == value_line, fault
    assert "surrogate" in fault.reason, fault


@settings(max_examples=READER_EXAMPLES, deadline=None, database=None, suppress_health_check=_BUSY_MACHINE)
@given(values=st.fixed_dictionaries({key: text for key in ("figtitle", "caption", "papertitle", "reftext",
                                                            "number")}))
def test_reader_keeps_arbitrary_text(tmp_path_factory: pytest.TempPathFactory,
                                     values: dict[str, str]) -> None:
    """Arbitrary text in YAML double-quoted strings reads back as written (stripped; sentinels are None)."""
    entries = [f"{k}: {_yaml_quoted(v)}" for k, v in values.items()]
    lines = ["---", "figid: PMC1__F1", "pmcid: PMC1", *entries, "---"]
    path = tmp_path_factory.mktemp("text") / "PMC1__F1.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    record = read_record(path, data_dirs=(), warn=lambda _: None)

    def expected(value: str) -> str | None:
        return None if value.strip() in SENTINELS else value.strip()

    assert record.title == expected(values["figtitle"])
    assert record.caption == expected(values["caption"])
    assert record.paper.title == expected(values["papertitle"])
    assert record.paper.reftext == expected(values["reftext"])
    assert record.number == expected(values["number"])

