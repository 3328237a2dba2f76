"""The shipped pfocr: vocabulary defines every term the exporter writes, and nothing is left undefined."""

from __future__ import annotations

import itertools
from importlib import resources
from pathlib import Path

import pytest
import rdflib
from rdflib import OWL, RDF, RDFS, SKOS, URIRef

from pfocr_rdf.namespaces import PFOCR, SCHEMA

NS = str(PFOCR._NS)
# The nearest external terms: schema.org, Biolink, IAO, and the Web Annotation model that the mention
# classes specialise (IAO's "information content entity" was far too broad for them; 0.2.0 dropped it).
LINK_NAMESPACES = ("http://schema.org/", "https://w3id.org/biolink/vocab/", "http://purl.obolibrary.org/obo/IAO_",
                   "http://www.w3.org/ns/oa#")


@pytest.fixture(scope="module")
def vocab() -> rdflib.Graph:
    text = resources.files("pfocr_rdf.vocab").joinpath("pfocr.ttl").read_text(encoding="utf-8")
    return rdflib.Graph().parse(data=text, format="turtle")


def _defined(vocab: rdflib.Graph) -> set[str]:
    return {str(s) for s in vocab.subjects() if str(s).startswith(NS)}


def _used(path: Path) -> set[str]:
    graph = rdflib.Graph().parse(path, format="turtle")
    # the namespace itself appears as the release's void:vocabulary; it is not a term
    return {str(term) for triple in graph for term in triple
            if isinstance(term, URIRef) and str(term).startswith(NS) and str(term) != NS}


def test_ontology_header(vocab: rdflib.Graph) -> None:
    ontology = URIRef("https://pfocr.wikipathways.org/vocab")
    assert (ontology, RDF.type, OWL.Ontology) in vocab
    assert vocab.value(ontology, OWL.versionInfo) is not None


def test_every_exported_term_is_defined(vocab: rdflib.Graph, sample_export: Path, examples_export: Path) -> None:
    used = _used(sample_export) | _used(examples_export)
    assert used, "the exports use no pfocr: term at all?"
    assert used <= _defined(vocab), f"undefined: {sorted(used - _defined(vocab))}"


def test_closed_namespace_matches_the_file(vocab: rdflib.Graph) -> None:
    in_code = {NS + name for name in PFOCR.__annotations__}
    assert in_code == _defined(vocab)


def test_every_term_is_documented_and_linked(vocab: rdflib.Graph) -> None:
    for term in sorted(_defined(vocab)):
        node = URIRef(term)
        assert vocab.value(node, RDFS.label) is not None, f"{term} has no rdfs:label"
        assert vocab.value(node, RDFS.comment) is not None, f"{term} has no rdfs:comment"
        kinds = set(vocab.objects(node, RDF.type))
        if kinds & {OWL.ObjectProperty, OWL.DatatypeProperty}:
            assert (vocab.value(node, RDFS.domain) or vocab.value(node, SCHEMA.domainIncludes)) is not None, term
            assert vocab.value(node, RDFS.range) is not None, f"{term} has no rdfs:range"
        if SKOS.Concept in kinds:
            assert vocab.value(node, SKOS.inScheme) == PFOCR.lexicons, term
            continue
        # a term may reach an external one through the vocabulary's own terms (mentionsGeneStrict is a
        # sub-property of mentionsGeneSynonyms, of mentionsGene, of schema:mentions)
        links: set[str] = set()
        todo = [node]
        while todo:
            current = todo.pop()
            for p in (RDFS.subPropertyOf, RDFS.subClassOf, SKOS.closeMatch, SKOS.relatedMatch):
                for o in vocab.objects(current, p):
                    if str(o) not in links:
                        links.add(str(o))
                        if str(o).startswith(str(PFOCR._NS)):
                            todo.append(URIRef(str(o)))
        assert any(link.startswith(LINK_NAMESPACES) for link in links), (
            f"{term} links to no schema.org/Biolink/IAO term")


def test_mention_properties_specialise_schema_mentions(vocab: rdflib.Graph) -> None:
    for prop in (PFOCR.mentionsGene, PFOCR.mentionsChemical, PFOCR.mentionsDisease):
        assert (prop, RDFS.subPropertyOf, SCHEMA.mentions) in vocab
        assert (prop, SKOS.closeMatch, URIRef("https://w3id.org/biolink/vocab/mentions")) in vocab


def test_typo_in_a_term_fails_at_once() -> None:
    with pytest.raises(AttributeError):
        PFOCR.mentionGene  # noqa: B018 - a typo must fail


def test_owl2_dl_one_kind_per_term(vocab: rdflib.Graph) -> None:
    """OWL 2 DL: no term is both an object and an annotation property (0.1's pfocr:wikipathways and
    pfocr:ndexNetwork were, through rdfs:subPropertyOf rdfs:seeAlso), and no property is a sub-property
    of an annotation property."""
    kinds = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    for term in set(vocab.subjects(RDF.type, None)):
        declared = {k for k in vocab.objects(term, RDF.type) if k in kinds}
        assert len(declared) <= 1, (term, declared)
    annotation = set(vocab.subjects(RDF.type, OWL.AnnotationProperty)) | {RDFS.seeAlso, RDFS.label, RDFS.comment}
    for sub, sup in vocab.subject_objects(RDFS.subPropertyOf):
        assert sup not in annotation, (sub, sup)
    # every term used in an axiom is declared with its kind
    for p in (RDFS.subPropertyOf, RDFS.subClassOf, RDFS.domain, RDFS.range):
        for sub, obj in vocab.subject_objects(p):
            builtin = obj == OWL.Thing or str(obj).startswith("http://www.w3.org/2001/XMLSchema#")
            assert (obj, RDF.type, None) in vocab or builtin, (sub, p, obj)


def test_version_and_mappings(vocab: rdflib.Graph) -> None:
    ontology = URIRef("https://pfocr.wikipathways.org/vocab")
    assert str(vocab.value(ontology, OWL.versionInfo)) == "0.2.0"
    assert vocab.value(ontology, OWL.versionIRI) == URIRef("https://pfocr.wikipathways.org/vocab/0.2.0")
    iao = "http://purl.obolibrary.org/obo/IAO_"
    for term in (PFOCR.lexicon, PFOCR.GeneMention, PFOCR.ChemicalMention, PFOCR.DiseaseMention):
        assert not any(str(o) in (iao + "0000119", iao + "0000030") for o in vocab.objects(term, SKOS.closeMatch))
    # lexicon codes are notations, labels are English labels
    for concept in vocab.subjects(SKOS.inScheme, PFOCR.lexicons):
        notation = vocab.value(concept, SKOS.notation)
        assert notation is not None and str(concept).endswith("#" + str(notation)), concept
        assert vocab.value(concept, SKOS.prefLabel).language == "en", concept
    levels = (PFOCR.mentionsGeneStrict, PFOCR.mentionsGeneSynonyms, PFOCR.mentionsGene)
    for narrow, broad in itertools.pairwise(levels):
        assert (narrow, RDFS.subPropertyOf, broad) in vocab
