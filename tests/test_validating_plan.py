"""The validation plan (pfocr_rdf/validating/plan.py) on shapes files other than ours.

The plan splits shapes into what pySHACL checks chunk by chunk and what runs as SPARQL on the whole
store, and gives property shapes their node shape's targets for speed. Each case here is a small
shapes file and data that once made the chunked validation differ from pySHACL on the whole graph, or
could: the test validates in chunks of one subject and in one chunk, and compares every count and
focus node with pySHACL's own results on the whole graph.
"""

from __future__ import annotations

import collections
from pathlib import Path

import pyshacl
import pytest
from rdflib import RDF, SH, Graph

from pfocr_rdf import validating
from pfocr_rdf.errors import UsageError
from pfocr_rdf.validating.plan import make_plan, reads_only_this, shipped_plan, shipped_shapes

_PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

# name: (shapes, data, validated in chunks?)
CASES: dict[str, tuple[str, str, bool]] = {
    "closed node shape": (
        """ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true ;
               sh:ignoredProperties (<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>) ; sh:property ex:P .
           ex:P a sh:PropertyShape ; sh:path ex:name ; sh:minCount 1 .""",
        """ex:a a ex:C ; ex:name "x" . ex:b a ex:C ; ex:name "y" ; ex:other 1 . ex:c a ex:C .""", True),
    "targeted node shape nested through sh:node": (
        """ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:P .
           ex:P a sh:PropertyShape ; sh:path ex:name ; sh:minCount 1 .
           ex:T a sh:NodeShape ; sh:targetClass ex:D ; sh:node ex:S .""",
        """ex:b a ex:D . ex:c a ex:C .""", True),
    "targeted node shape nested through sh:not": (
        """ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:P .
           ex:P a sh:PropertyShape ; sh:path ex:name ; sh:minCount 1 .
           ex:T a sh:NodeShape ; sh:targetClass ex:D ; sh:not ex:S .""",
        """ex:b a ex:D ; ex:name "x" . ex:c a ex:D .""", True),
    "disjoint qualified value shapes": (
        """ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:P1, ex:P2 .
           ex:P1 a sh:PropertyShape ; sh:path ex:v ; sh:qualifiedValueShape [ sh:datatype xsd:integer ] ;
               sh:qualifiedValueShapesDisjoint true ; sh:qualifiedMinCount 1 .
           ex:P2 a sh:PropertyShape ; sh:path ex:v ; sh:qualifiedValueShape [ sh:datatype xsd:integer ] ;
               sh:qualifiedValueShapesDisjoint true ; sh:qualifiedMinCount 1 .""",
        """ex:a a ex:C ; ex:v 1 .""", True),
    "targeted property shape with nested property shapes": (
        """ex:S a sh:PropertyShape ; sh:targetClass ex:C ; sh:path ex:knows ; sh:property ex:Q .
           ex:Q a sh:PropertyShape ; sh:path ex:name ; sh:minCount 1 .""",
        """ex:a a ex:C ; ex:name "a" ; ex:knows ex:b, ex:c . ex:b ex:name "b" . ex:c ex:other 1 .""", False),
    "targeted property shape, local": (
        """ex:S a sh:PropertyShape ; sh:targetClass ex:C ; sh:path ex:name ;
               sh:minCount 1 ; sh:datatype xsd:string .""",
        """ex:a a ex:C ; ex:name "a" . ex:b a ex:C . ex:c a ex:C ; ex:name 3 .""", True),
    "sh:targetNode": (
        """ex:S a sh:NodeShape ; sh:targetNode ex:a, ex:c ; sh:property ex:P .
           ex:P a sh:PropertyShape ; sh:path ex:name ; sh:minCount 1 .""",
        """ex:a ex:name "a" . ex:b ex:name "b" . ex:c ex:other 1 .""", False),
    "subclasses declared in the data": (
        """ex:C a sh:NodeShape, rdfs:Class ; sh:property ex:P .
           ex:P a sh:PropertyShape ; sh:path ex:name ; sh:minCount 1 .""",
        """ex:a a ex:E . ex:E rdfs:subClassOf ex:C . ex:b a ex:C ; ex:name "b" .""", False),
    "property shape of two node shapes": (
        """ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:P .
           ex:S2 a sh:NodeShape ; sh:targetClass ex:D ; sh:property ex:P .
           ex:P a sh:PropertyShape ; sh:path ex:name ; sh:minCount 1 .""",
        """ex:a a ex:C, ex:D . ex:b a ex:D .""", True),
    "node shape of severity warning, with a message": (
        """ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:severity sh:Warning ; sh:message "m" ;
               sh:property ex:P ; sh:pattern "^http://example.org/a" .
           ex:P a sh:PropertyShape ; sh:path ex:name ; sh:minCount 1 ; sh:severity sh:Info .""",
        """ex:a a ex:C . ex:b a ex:C ; ex:name "b" .""", True),
    # The screen (screening.py) must answer as pySHACL does where rdflib's terms differ from Oxigraph's:
    # rdflib normalises typed literals ("01" is "1", two such values are one), keeps ill-typed ones,
    # reads a pattern on a typed literal's normalised form.
    "typed literals rdflib normalises": (
        """ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:P, ex:Q, ex:R, ex:T .
           ex:P a sh:PropertyShape ; sh:path ex:n ; sh:maxCount 1 ; sh:datatype xsd:integer .
           ex:Q a sh:PropertyShape ; sh:path ex:m ; sh:minCount 2 .
           ex:R a sh:PropertyShape ; sh:path ex:k ; sh:pattern "^0" .
           ex:T a sh:PropertyShape ; sh:path ex:d ; sh:datatype xsd:decimal ; sh:maxInclusive 1 .""",
        """ex:a a ex:C ; ex:n "01"^^xsd:integer, "1"^^xsd:integer ; ex:m "02"^^xsd:integer, "2"^^xsd:integer ;
               ex:k "007"^^xsd:integer ; ex:d "1.0"^^xsd:decimal .
           ex:b a ex:C ; ex:n "x"^^xsd:integer ; ex:m "a", "b" ; ex:k "0a" ; ex:d "1.5"^^xsd:decimal .
           ex:c a ex:C ; ex:n 1, 2 ; ex:m "a"@en, "a"@de ; ex:k ex:zero ; ex:d "abc"^^xsd:decimal .
           ex:d a ex:C ; ex:n true ; ex:m "a", "b" ; ex:d 1 .""", True),
    "languages, lists and values": (
        """ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:L, ex:U, ex:I, ex:H, ex:N, ex:Len .
           ex:L a sh:PropertyShape ; sh:path ex:title ; sh:languageIn ("en" "de") .
           ex:U a sh:PropertyShape ; sh:path ex:title ; sh:uniqueLang true .
           ex:I a sh:PropertyShape ; sh:path ex:kind ; sh:in (ex:x "y" 3) .
           ex:H a sh:PropertyShape ; sh:path ex:tag ; sh:hasValue "t" .
           ex:N a sh:PropertyShape ; sh:path ex:link ; sh:nodeKind sh:IRI ; sh:pattern "^http://example.org/ok" ;
               sh:flags "i" .
           ex:Len a sh:PropertyShape ; sh:path ex:code ; sh:minLength 2 ; sh:maxLength 3 .""",
        """ex:a a ex:C ; ex:title "a"@en, "b"@de-AT ; ex:kind ex:x, "y", 3 ; ex:tag "t" ; ex:link ex:OK1 ;
               ex:code "ab" .
           ex:b a ex:C ; ex:title "a"@EN, "b"@en-GB ; ex:kind "03"^^xsd:integer ; ex:tag "t"@en ;
               ex:link "http://example.org/ok" ; ex:code 12345 .
           ex:c a ex:C ; ex:title "a", "b"@fr ; ex:kind ex:y, "3" ; ex:tag "t", "u" ; ex:link ex:bad ;
               ex:code "a" .""", True),
    "qualified value shape": (
        """ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:P .
           ex:P a sh:PropertyShape ; sh:path ex:body ; sh:qualifiedValueShape [ sh:pattern "/mesh/" ] ;
               sh:qualifiedMaxCount 1 ; sh:qualifiedMinCount 1 .""",
        """ex:a a ex:C ; ex:body <http://x.org/mesh/1>, <http://x.org/chebi/1> .
           ex:b a ex:C ; ex:body <http://x.org/mesh/1>, <http://x.org/mesh/2> .
           ex:c a ex:C ; ex:body <http://x.org/chebi/1>, "/mesh/" .
           ex:d a ex:C ; ex:body 1, "1"^^xsd:integer, <http://x.org/mesh/1> .""", True),
    "subjects-of target and an implicit class target": (
        """ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:name ; sh:property ex:P .
           ex:P a sh:PropertyShape ; sh:path ex:name ; sh:datatype xsd:string ; sh:maxCount 1 .
           ex:C a rdfs:Class, sh:NodeShape ; sh:property ex:Q .
           ex:Q a sh:PropertyShape ; sh:path ex:size ; sh:minCount 1 .""",
        """ex:a ex:name "a" . ex:b ex:name "b", "c" . ex:c ex:name 3 . ex:d a ex:C . ex:e a ex:C ; ex:size 1 .""",
        True),
    "SPARQL constraint reading only the focus node (run on chunks in memory)": (
        """ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:targetSubjectsOf ex:v ; sh:sparql [ sh:select \"\"\"
               SELECT $this ?value WHERE { $this <http://example.org/v> ?value FILTER (?value > 2) }\"\"\" ] .""",
        """ex:a a ex:C ; ex:v 1, 3 . ex:b ex:v 5, 7 . ex:c a ex:C . ex:d a ex:C ; ex:v 4 .""", True),
    "SPARQL constraint reading linked nodes (run on the whole store)": (
        """ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:select \"\"\"
               SELECT $this ?value WHERE { $this <http://example.org/knows> ?value .
                   FILTER NOT EXISTS { ?value <http://example.org/name> ?n } }\"\"\" ] .""",
        """ex:a a ex:C ; ex:knows ex:b . ex:c a ex:C ; ex:knows ex:d . ex:d ex:name "d" .""", True),
    # sh:class is checked on each focus node's description, with a look-up of each value's type: the value
    # may be described before or after the focus node, with another type too, or not at all; a focus node
    # of two targets is checked once
    "sh:class on linked nodes described anywhere": (
        """ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:targetSubjectsOf ex:link ; sh:property ex:P, ex:Q .
           ex:P a sh:PropertyShape ; sh:path ex:link ; sh:class ex:D ; sh:message "{$this} links to {?value}" .
           ex:Q a sh:PropertyShape ; sh:path ex:other ; sh:class ex:E ; sh:severity sh:Warning .""",
        """ex:d1 a ex:D . ex:a a ex:C ; ex:link ex:d1, ex:d2, ex:e, "d", ex:nothing ; ex:other ex:e, ex:d1 .
           ex:b ex:link ex:d2 . ex:d2 a ex:E, ex:D . ex:e a ex:E ; ex:link ex:e . ex:c a ex:C ; ex:link ex:d1 .
           ex:f a ex:C ; ex:other ex:d2, 1 .""", True),
    "deactivated node shape": (
        """ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:deactivated true ; sh:property ex:P .
           ex:P a sh:PropertyShape ; sh:path ex:name ; sh:minCount 1 .
           ex:T a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:Q .
           ex:Q a sh:PropertyShape ; sh:path ex:name ; sh:maxCount 1 .""",
        """ex:a a ex:C . ex:b a ex:C ; ex:name "1", "2" .""", True),
}


def _pyshacl(shapes: Graph, data: Graph) -> collections.Counter[tuple[str, str, str, str]]:
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    assert isinstance(report, Graph)
    return collections.Counter(
        (str(report.value(r, SH.sourceShape)), str(report.value(r, SH.sourceConstraintComponent)),
         str(report.value(r, SH.resultSeverity)), str(report.value(r, SH.focusNode)))
        for r in report.subjects(RDF.type, SH.ValidationResult))


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize(("chunk_size", "on_disk"), [(1, False), (1000, False), (1, True)])
def test_chunks_agree_with_pyshacl_on_the_whole_graph(tmp_path: Path, name: str, chunk_size: int,
                                                      on_disk: bool) -> None:
    shapes_text, data_text, streamed = CASES[name]
    shapes_file, data_file = tmp_path / "shapes.ttl", tmp_path / "data.ttl"
    shapes_file.write_text(_PREFIXES + shapes_text, encoding="utf-8")
    data_file.write_text(_PREFIXES + data_text, encoding="utf-8")
    want = _pyshacl(Graph().parse(shapes_file), Graph().parse(data_file))
    assert want, "every case has results to compare"

    report = validating.validate_files([data_file], shapes=shapes_file, chunk_size=chunk_size, on_disk=on_disk)

    got = {(g.shape, g.component, g.severity): (g.count, set(g.examples)) for g in report.groups}
    expected: dict[tuple[str, str, str], tuple[int, set[str]]] = {}
    for (shape, component, severity, focus), count in want.items():
        total, nodes = expected.get((shape, component, severity), (0, set()))
        expected[(shape, component, severity)] = (total + count, nodes | {focus})
    assert got == expected
    assert report.streamed is streamed


def test_shipped_shapes_are_checked_in_chunks_with_every_property_shape_lifted() -> None:
    plan = shipped_plan()
    assert plan is not None, "the shipped shapes split into chunk-local and whole-graph checks"
    shapes = shipped_shapes()
    targeted = {s for s in shapes.subjects(RDF.type, SH.NodeShape) if (s, SH.targetClass, None) in shapes}
    assert targeted
    left = [(s, p) for s in targeted for p in plan.local.objects(s, SH.property)]
    assert left == [], "pySHACL would validate these once per focus node"


@pytest.mark.parametrize(("where", "local"), [
    ("$this ex:p ?o FILTER (?o IN (1, 2, 3)) FILTER NOT EXISTS { $this ex:q ?z }", True),
    ("$this ?path ?value BIND (STR($this) AS ?iri) OPTIONAL { $this ex:r ?z }", True),
    ("{ $this ex:p ?a } UNION { $this ex:q ?a } MINUS { $this a ex:C }", True),
    ("$this ex:p ?o . ?o ex:q ?z", False),
    ("?s ex:p $this", False),
    ("$this ex:p/ex:q ?o", False),
    ("$this ex:p [ ex:q 1 ]", False),
    ("$this ex:p ?o FILTER EXISTS { ?o ex:p ?z }", False),
    ("{ SELECT $this WHERE { $this ex:p ?o } }", False),
    ("GRAPH ?g { $this ex:p ?o }", False),
    ("SERVICE <http://example.org/sparql> { $this ex:p ?o }", False),
])
def test_sparql_that_reads_only_the_focus_node_is_local(where: str, local: bool) -> None:
    assert reads_only_this(f"PREFIX ex: <http://example.org/> SELECT $this WHERE {{ {where} }}") is local


@pytest.mark.parametrize("tail", ["LIMIT 1", "GROUP BY $this", "ORDER BY $this"])
def test_sparql_with_solution_modifiers_is_not_local(tail: str) -> None:
    assert not reads_only_this(f"PREFIX ex: <http://example.org/> SELECT $this WHERE {{ $this ex:p ?o }} {tail}")


def test_a_sparql_constraint_that_does_not_parse_is_refused_before_any_work(tmp_path: Path) -> None:
    shapes = Graph().parse(data=_PREFIXES + '''
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:select """
            SELECT $this WHERE { $this undeclared:p ?o }""" ] .''', format="turtle")
    with pytest.raises(UsageError, match=r"example\.org/S.*does not parse"):
        make_plan(shapes)
