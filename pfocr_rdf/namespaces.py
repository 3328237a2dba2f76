"""Every namespace pfocr-rdf writes, spelled once.

No other module spells a namespace IRI; they import it from here. ``PREFIXES`` is the one prefix
table that the writers, the vocabulary, the shapes tests and the queries agree on.

``schema:`` is ``http://schema.org/`` on purpose: it is what schema.org's own JSON-LD context expands
to, so our triples join with everybody else's schema.org data.
"""

from __future__ import annotations

import functools

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD, DefinedNamespace

__all__ = [
    "BIOLINK",
    "CHEBI",
    "CHEBI_IDORG",
    "DCAT",
    "DCTERMS",
    "DEFAULT_BASE",
    "DOCO",
    "DOI",
    "DOID",
    "EUROPEPMC_SITE",
    "FABIO",
    "IAO",
    "MESH",
    "NCBIGENE",
    "NCBIGENE_HTTP",
    "NCBITAXON",
    "NDEX",
    "OA",
    "OWL",
    "PFOCR",
    "PMC",
    "PMC_SITE",
    "PREFIXES",
    "PRISM",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SITE",
    "SKOS",
    "VOID",
    "WIKIPATHWAYS",
    "XSD",
]

#: The PFOCR web site; figure pages and their redirects live here, whatever ``--base`` says.
SITE = "https://pfocr.wikipathways.org/"
#: Where minted nodes (annotations, journals, publishers, the release) live unless ``--base`` moves them.
DEFAULT_BASE = SITE
#: PubMed Central's web site (its current host), for figure pages.
PMC_SITE = "https://pmc.ncbi.nlm.nih.gov/"
#: Europe PMC, where the PFOCR site itself takes figure images from today.
EUROPEPMC_SITE = "https://europepmc.org/"


class PFOCR(DefinedNamespace):
    """The ``pfocr:`` vocabulary; ``vocab/pfocr.ttl`` defines every term listed here."""

    _fail = True
    _NS = Namespace("https://pfocr.wikipathways.org/vocab#")

    # classes
    GeneMention: URIRef
    ChemicalMention: URIRef
    DiseaseMention: URIRef
    Lexicon: URIRef
    GeneSet: URIRef
    AmbiguousWord: URIRef
    # figure properties
    figureNumber: URIRef
    figureType: URIRef
    pathwayScore: URIRef
    organism: URIRef
    organismName: URIRef
    nerOrganism: URIRef
    nerOrganismName: URIRef
    wikipathways: URIRef
    ndexNetwork: URIRef
    # tier 1
    mentionsGene: URIRef
    mentionsGeneStrict: URIRef
    mentionsGeneSynonyms: URIRef
    mentionsChemical: URIRef
    mentionsDisease: URIRef
    # tier 2 (annotations)
    ocrText: URIRef
    matchedText: URIRef
    lexicon: URIRef
    # gene sets and ambiguous OCR words (precomputed: docs/MODEL.md)
    figure: URIRef
    geneSetLevel: URIRef
    geneCount: URIRef
    geneIds: URIRef
    figureCount: URIRef
    matchesGene: URIRef
    # the lexicon concepts and their scheme
    lexicons: URIRef
    ncbigene_symbol: URIRef
    ncbigene_synonym: URIRef
    famplex_relations: URIRef
    hgnc_symbol: URIRef
    hgnc_alias_symbol: URIRef
    hgnc_prev_symbol: URIRef
    bioentities_symbol: URIRef
    mesh: URIRef


@functools.lru_cache(maxsize=4096)
def _term(namespace: str, name: str) -> URIRef:
    return URIRef(namespace + name)


class _TermNamespace(Namespace):
    """A Namespace that hands out one shared URIRef per term: the mapper's hot path looks terms up often,
    and the writers recognise a repeated predicate by identity."""

    def term(self, name: str) -> URIRef:
        return _term(str(self), name)


SCHEMA = _TermNamespace("http://schema.org/")
OA = _TermNamespace("http://www.w3.org/ns/oa#")
FABIO = _TermNamespace("http://purl.org/spar/fabio/")
DOCO = _TermNamespace("http://purl.org/spar/doco/")
PRISM = _TermNamespace("http://prismstandard.org/namespaces/basic/2.0/")
BIOLINK = Namespace("https://w3id.org/biolink/vocab/")
IAO = Namespace("http://purl.obolibrary.org/obo/IAO_")

# WikiPathways RDF's spelling (wp:bdbEntrezGene) since 2021; the http form is written as skos:exactMatch
NCBIGENE = Namespace("https://identifiers.org/ncbigene/")
NCBIGENE_HTTP = Namespace("http://identifiers.org/ncbigene/")  # Biolink's and prefixmaps' spelling
MESH = Namespace("http://id.nlm.nih.gov/mesh/")
CHEBI = Namespace("http://purl.obolibrary.org/obo/CHEBI_")
CHEBI_IDORG = Namespace("https://identifiers.org/chebi/CHEBI:")  # WikiPathways' wp:bdbChEBI spelling
DOID = Namespace("http://purl.obolibrary.org/obo/DOID_")
NCBITAXON = Namespace("http://purl.obolibrary.org/obo/NCBITaxon_")
PMC = Namespace("http://identifiers.org/pmc/")
DOI = Namespace("https://doi.org/")
WIKIPATHWAYS = Namespace("http://identifiers.org/wikipathways/")
NDEX = Namespace("https://www.ndexbio.org/viewer/networks/")

#: prefix -> namespace IRI, in the order the writers declare them.
PREFIXES: dict[str, str] = {
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "owl": str(OWL),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "void": str(VOID),
    "dcat": str(DCAT),
    "schema": str(SCHEMA),
    "oa": str(OA),
    "fabio": str(FABIO),
    "doco": str(DOCO),
    "prism": str(PRISM),
    "pfocr": str(PFOCR._NS),
    "ncbigene": str(NCBIGENE),
    "mesh": str(MESH),
    "CHEBI": str(CHEBI),
    "DOID": str(DOID),
    "NCBITaxon": str(NCBITAXON),
    "pmc": str(PMC),
    "doi": str(DOI),
    "wikipathways": str(WIKIPATHWAYS),
    "ndex": str(NDEX),
    "biolink": str(BIOLINK),
    "obo": "http://purl.obolibrary.org/obo/",
}

# --- vocabularies of what pfocr-rdf publishes about itself (dataset description, example queries) ------

SH = Namespace("http://www.w3.org/ns/shacl#")
#: SIB's sparql-examples format, which SIB's SPARQL editor and the Expasy assistant read. Its files spell
#: schema.org ``https://schema.org/`` (schema:target, schema:keywords), so those twins do too: this is the
#: one place that spelling is used, and only for describing queries, never for PFOCR data.
SCHEMA_HTTPS = Namespace("https://schema.org/")
SPEX = Namespace("https://purl.expasy.org/sparql-examples/ontology#")
PAV = Namespace("http://purl.org/pav/")
DCTYPES = Namespace("http://purl.org/dc/dcmitype/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
IANA_MEDIA = Namespace("https://www.iana.org/assignments/media-types/")
