"""The streaming writers: escaping, prefixed names, the format registry, and atomic output files."""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef
from rdflib.compare import isomorphic

from pfocr_rdf.errors import UsageError
from pfocr_rdf.namespaces import NCBIGENE, PFOCR, RDF, SCHEMA, XSD
from pfocr_rdf.writing import FORMATS, NTriplesWriter, TurtleWriter, atomic_output, format_for

S = URIRef("https://pfocr.wikipathways.org/figures/PMC1__x.html")
AWKWARD = [
    'quote " and backslash \\ and \\n literally',
    "new\nline, carriage\rreturn, tab\t, form\ffeed, bell\x07, nul\x00, del\x7f",
    "non-BMP 𝛼 😀 and homoglyphs ΜΑΡΚ РІЗК İNOS",
    "trailing spaces   ",
    "'''triple single''' and \"\"\"triple double\"\"\"",
    "@prefix x: <http://evil/> . <a> <b> <c> .",
]


def _write(writer_class: type[NTriplesWriter], triples: list[tuple]) -> str:
    stream = io.StringIO()
    writer = writer_class(stream)
    writer.start()
    writer.write(triples)
    writer.finish()
    return stream.getvalue()


def _triples() -> list[tuple]:
    triples = [(S, SCHEMA.caption, Literal(text)) for text in AWKWARD]
    triples += [
        (S, RDF.type, SCHEMA.ImageObject),
        (S, PFOCR.pathwayScore, Literal("0.95", datatype=XSD.decimal)),
        (S, SCHEMA.name, Literal("Figure", lang="en")),
        (S, PFOCR.mentionsGene, NCBIGENE["4040"]),
        (S, PFOCR.mentionsGene, URIRef("https://identifiers.org/ncbigene/12.5")),  # not a safe local name
        (S, SCHEMA.url, URIRef("https://example.org/a%20b/c?d=e#f")),
        (URIRef("https://identifiers.org/ncbigene/4040"), RDF.type, SCHEMA.Gene),
        (S, SCHEMA.about, RDF.type),  # rdf:type as an object
    ]
    return triples


@pytest.mark.parametrize("writer_class", [TurtleWriter, NTriplesWriter])
def test_awkward_terms_parse_back_identically(writer_class: type[NTriplesWriter]) -> None:
    triples = _triples()
    text = _write(writer_class, triples)
    fmt = "turtle" if writer_class is TurtleWriter else "nt"
    expected = rdflib.Graph()
    for triple in triples:
        expected.add(triple)
    assert isomorphic(rdflib.Graph().parse(data=text, format=fmt), expected)
    oxi_format = pyoxigraph.RdfFormat.TURTLE if fmt == "turtle" else pyoxigraph.RdfFormat.N_TRIPLES
    parsed = set(pyoxigraph.parse(text.encode(), format=oxi_format))
    reference = set(pyoxigraph.parse(expected.serialize(format="nt").encode(), format=pyoxigraph.RdfFormat.N_TRIPLES))
    assert parsed == reference


def test_turtle_uses_prefixes_only_for_safe_local_names() -> None:
    text = _write(TurtleWriter, _triples())
    assert "ncbigene:4040" in text
    assert "<https://identifiers.org/ncbigene/12.5>" in text
    assert " a schema:ImageObject" in text
    assert "schema:about rdf:type" in text
    assert "\\/" not in text  # no escaped prefixed names (Virtuoso mangles them)


def test_invalid_iri_is_refused() -> None:
    with pytest.raises(ValueError, match="not a valid IRI"):
        _write(NTriplesWriter, [(S, SCHEMA.url, URIRef("http://example.org/a b"))])


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_any_text_round_trips(text: str) -> None:
    triple = (S, SCHEMA.caption, Literal(text))
    pairs = ((TurtleWriter, pyoxigraph.RdfFormat.TURTLE), (NTriplesWriter, pyoxigraph.RdfFormat.N_TRIPLES))
    for writer_class, fmt in pairs:
        parsed = list(pyoxigraph.parse(_write(writer_class, [triple]).encode(), format=fmt))
        assert len(parsed) == 1
        assert parsed[0].object.value == text


def test_format_registry() -> None:
    assert format_for(None) is FORMATS["turtle"]
    assert format_for(None, "x.nt") is FORMATS["nt"]
    assert format_for(None, "x.ttl") is FORMATS["turtle"]
    assert format_for("nt", "x.ttl") is FORMATS["nt"]
    with pytest.raises(UsageError, match="choose one of: turtle, nt"):
        format_for("rdfxml")
    with pytest.raises(UsageError, match=r"cannot tell the format of x\.xyz"):
        format_for(None, "x.xyz")


def test_atomic_output_keeps_previous_file_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "out.ttl"
    target.write_text("previous complete file\n")
    with pytest.raises(RuntimeError), atomic_output(target) as stream:
        stream.write("half a new file")
        raise RuntimeError("interrupted")
    assert target.read_text() == "previous complete file\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.ttl"]
    with atomic_output(target) as stream:
        stream.write("new file\n")
    assert target.read_text() == "new file\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.ttl"]
