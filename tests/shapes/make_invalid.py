"""Write ``tests/shapes/invalid/*.ttl``: small valid records, each with exactly one thing broken.

Every case starts from one of a few minimal records that conform with no warning (``BASES``), drops
some triples, adds some, or renames a node, and says which result it expects: the source shape, the
path (``-`` for a constraint on the node itself), the constraint component, the severity and the focus
node. ``tests/test_shapes.py`` checks that pySHACL reports exactly that one result for each file, that
Apache Jena agrees, and that every constraint in the shapes file has a case here.

The files are the test data; this script only keeps them consistent when the model changes::

    python tests/shapes/make_invalid.py           # rewrite tests/shapes/invalid/
    python tests/shapes/make_invalid.py --check   # exit 1 if the folder is out of date
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef

from pfocr_rdf.namespaces import PREFIXES

HERE = Path(__file__).resolve().parent
INVALID = HERE / "invalid"

#: the prefixes of the shapes file, on top of the exporter's
EXTRA_PREFIXES = {
    "sh": "http://www.w3.org/ns/shacl#",
    "shapes": "https://pfocr.wikipathways.org/shapes#",
}
#: prefixes only the case snippets below use, for the nodes they keep mentioning
_SNIPPET_PREFIXES = {
    "figs": "https://pfocr.wikipathways.org/figures/",
    "m": "https://pfocr.wikipathways.org/figures/PMC1234567__gr1/mentions/",
    "site": "https://pfocr.wikipathways.org/",
    "journals": "https://pfocr.wikipathways.org/journals/",
    "publishers": "https://pfocr.wikipathways.org/publishers/",
    "ds": "https://pfocr.wikipathways.org/dataset/",
    "dsclass": "https://pfocr.wikipathways.org/dataset/class/",
    "dist": "https://pfocr.wikipathways.org/dataset/distribution/",
    "sw": "https://pfocr.wikipathways.org/software/",
    "ex": "http://example.org/",
}

_HEADER = "".join(
    f"@prefix {p}: <{ns}> .\n" for p, ns in {**PREFIXES, **EXTRA_PREFIXES, **_SNIPPET_PREFIXES}.items()
)

def _parse(text: str) -> Graph:
    return Graph().parse(data=_HEADER + text, format="turtle")


def _term(curie: str) -> URIRef:
    """Expand a CURIE or ``<IRI>`` written in the case list."""
    if curie.startswith("<"):
        return URIRef(curie[1:-1])
    prefix, local = curie.split(":", 1)
    return URIRef({**PREFIXES, **EXTRA_PREFIXES, **_SNIPPET_PREFIXES}[prefix] + local)


FIG = "figs:PMC1234567__gr1.html"

# -- the minimal records every case starts from ------------------------------------------------------

_FIGURE = """
figs:PMC1234567__gr1.html a schema:ImageObject, doco:Figure ;
    schema:identifier "PMC1234567__gr1" ;
    schema:name "Wnt signalling in bone"@en ;
    schema:caption "Canonical Wnt signalling in osteoblasts."@en ;
    schema:isPartOf pmc:PMC1234567 .
pmc:PMC1234567 a schema:ScholarlyArticle, fabio:JournalArticle ;
    schema:headline "Wnt and bone."@en ;
    schema:datePublished "2020"^^xsd:gYear ;
    fabio:hasPubMedCentralId "PMC1234567" ;
    dcterms:identifier "PMC:PMC1234567" .
"""

_JOURNAL = _FIGURE + """
pmc:PMC1234567 schema:isPartOf journals:Bone ; schema:publisher publishers:Elsevier .
journals:Bone a schema:Periodical ; schema:name "Bone" ; schema:alternateName "Bone" .
publishers:Elsevier a schema:Organization ; schema:name "Elsevier" .
"""

_TAXON = """
NCBITaxon:9606 a schema:Taxon ; schema:name "Homo sapiens" ; dcterms:identifier "NCBITaxon:9606" .
"""

_GENE = _FIGURE + _TAXON + """
figs:PMC1234567__gr1.html pfocr:mentionsGene ncbigene:7474 .
m:ncbigene-7474-0123456789abcdef a oa:Annotation, pfocr:GeneMention ;
    oa:hasTarget figs:PMC1234567__gr1.html ;
    oa:hasBody ncbigene:7474 ;
    oa:motivatedBy oa:identifying ;
    pfocr:ocrText "WNT5A" ;
    pfocr:lexicon pfocr:ncbigene_symbol ;
    pfocr:organism NCBITaxon:9606 .
ncbigene:7474 a schema:Gene ;
    schema:name "WNT5A" ;
    schema:taxonomicRange NCBITaxon:9606 ;
    skos:exactMatch <http://identifiers.org/ncbigene/7474> ;
    dcterms:identifier "NCBIGene:7474" .
"""

_CHEMICAL = _FIGURE + """
figs:PMC1234567__gr1.html pfocr:mentionsChemical mesh:D005947, CHEBI:17234 .
m:mesh-D005947-0123456789abcdef a oa:Annotation, pfocr:ChemicalMention ;
    oa:hasTarget figs:PMC1234567__gr1.html ;
    oa:hasBody mesh:D005947, CHEBI:17234 ;
    oa:motivatedBy oa:identifying ;
    pfocr:ocrText "glucose" ;
    pfocr:lexicon pfocr:mesh .
mesh:D005947 schema:name "Glucose" ; dcterms:identifier "MESH:D005947" ; skos:closeMatch CHEBI:17234 .
CHEBI:17234 schema:name "glucose" ; dcterms:identifier "CHEBI:17234" ; skos:closeMatch mesh:D005947 ;
    skos:exactMatch <https://identifiers.org/chebi/CHEBI:17234> .
"""

_DISEASE = _FIGURE + """
figs:PMC1234567__gr1.html pfocr:mentionsDisease mesh:D000544, DOID:10652 .
m:mesh-D000544-0123456789abcdef a oa:Annotation, pfocr:DiseaseMention ;
    oa:hasTarget figs:PMC1234567__gr1.html ;
    oa:hasBody mesh:D000544, DOID:10652 ;
    oa:motivatedBy oa:identifying ;
    pfocr:ocrText "Alzheimer disease" ;
    pfocr:lexicon pfocr:mesh .
mesh:D000544 schema:name "Alzheimer Disease" ; dcterms:identifier "MESH:D000544" ; skos:closeMatch DOID:10652 .
DOID:10652 schema:name "Alzheimer's disease" ; dcterms:identifier "DOID:10652" ; skos:closeMatch mesh:D000544 .
"""

_RELEASE = """
site:dataset a schema:Dataset, void:Dataset, dcat:Dataset ;
    schema:name "PFOCR"@en ; dcterms:title "PFOCR"@en ;
    schema:description "PFOCR as RDF."@en ; dcterms:description "PFOCR as RDF."@en ;
    schema:license <http://creativecommons.org/publicdomain/zero/1.0/> ;
    dcterms:license <http://creativecommons.org/publicdomain/zero/1.0/> ;
    schema:creator site: ; dcterms:creator site: ;
    dcterms:source <https://github.com/wikipathways/pfocr-database> ;
    void:triples 100 ; void:entities 10 ;
    void:classPartition dsclass:Gene ;
    void:vocabulary schema: ;
    dcat:distribution dist:turtle ;
    prov:wasGeneratedBy ds:export ;
    prov:generatedAtTime "2026-01-01T00:00:00Z"^^xsd:dateTime .
dsclass:Gene void:class schema:Gene ; void:entities 3 .
dist:turtle a dcat:Distribution .
ds:export a prov:Activity ;
    prov:used <https://github.com/wikipathways/pfocr-database> ;
    prov:wasAssociatedWith sw:pfocr-rdf ;
    prov:endedAtTime "2026-01-01T00:00:00Z"^^xsd:dateTime .
sw:pfocr-rdf a prov:SoftwareAgent, schema:SoftwareApplication .
site: a schema:Organization, prov:Agent ; schema:name "PFOCR" .
"""

# a second node of a kind, fully described, for the maxCount cases that need one
_ARTICLE_2 = """
pmc:PMC7654321 a schema:ScholarlyArticle, fabio:JournalArticle ;
    schema:headline "Another paper."@en ; schema:datePublished "2021"^^xsd:gYear ;
    fabio:hasPubMedCentralId "PMC7654321" ; dcterms:identifier "PMC:PMC7654321" .
"""
_TAXON_2 = """
NCBITaxon:10090 a schema:Taxon ; schema:name "Mus musculus" ; dcterms:identifier "NCBITaxon:10090" .
"""
_GENE_2 = """
ncbigene:7476 a schema:Gene ; schema:name "WNT7A" ; schema:taxonomicRange NCBITaxon:9606 ;
    skos:exactMatch <http://identifiers.org/ncbigene/7476> ; dcterms:identifier "NCBIGene:7476" .
"""

GS = "<https://pfocr.wikipathways.org/figures/PMC1234567__gr1/gene-sets/all/9606>"
AW = "<https://pfocr.wikipathways.org/ocr-words/all/9606/7a7ab7e19874bb2f>"  # the hash of "WNT"

# the figure's gene set at the widest level, and an OCR word that matched both its genes (in this
# figure and one other the record does not show)
_PRECOMPUTED = _GENE + _GENE_2 + f"""
figs:PMC1234567__gr1.html pfocr:mentionsGene ncbigene:7476 .
{GS} a pfocr:GeneSet ;
    pfocr:figure figs:PMC1234567__gr1.html ;
    pfocr:geneSetLevel "all" ;
    pfocr:organism NCBITaxon:9606 ;
    pfocr:geneCount 2 ;
    pfocr:geneIds "7474 7476" .
{AW} a pfocr:AmbiguousWord ;
    pfocr:ocrText "WNT" ;
    pfocr:geneSetLevel "all" ;
    pfocr:organism NCBITaxon:9606 ;
    pfocr:geneCount 2 ;
    pfocr:figureCount 2 ;
    pfocr:matchesGene ncbigene:7474, ncbigene:7476 .
"""

BASES = {
    "figure": _FIGURE,
    "journal": _JOURNAL,
    "gene": _GENE,
    "chemical": _CHEMICAL,
    "disease": _DISEASE,
    "precomputed": _PRECOMPUTED,
    "release": _RELEASE,
}


@dataclass(frozen=True)
class Case:
    """One invalid graph: a base record, the edit that breaks it, and the one result expected."""

    name: str
    about: str
    base: str
    shape: str
    path: str
    component: str
    focus: str
    drop: str = ""
    add: str = ""
    rename: tuple[tuple[str, str], ...] = ()
    severity: str = "Violation"


CASES: list[Case] = []


def case(name: str, about: str, base: str, shape: str, path: str, component: str, focus: str,
         *, drop: str = "", add: str = "", rename: tuple[tuple[str, str], ...] = (),
         severity: str = "Violation") -> None:
    """Register one case (``component`` without its ``ConstraintComponent`` suffix)."""
    CASES.append(Case(name, about, base, shape, path, f"sh:{component}ConstraintComponent", focus,
                      drop, add, rename, severity))


def literal_cases(base: str, shape: str, path: str, focus: str, value: str,
                  *, required: bool, single: bool = True, datatype_bad: str | None = None,
                  stem: str | None = None) -> None:
    """Register the usual cases of a string-valued property: missing, twice, wrong datatype."""
    stem = stem or shape.split(":")[1]
    other = value[:-1] + ' (2)"' if value.endswith('"') else value
    if required:
        case(f"{stem}--min-count", f"{path} is missing", base, shape, path, "MinCount", focus,
             drop=f"{focus} {path} {value} .")
    if single:
        case(f"{stem}--max-count", f"{path} twice", base, shape, path, "MaxCount", focus,
             add=f"{focus} {path} {value}, {other} .")
    bad = datatype_bad or value + "@en"
    in_base = len(_parse(BASES[base]) & _parse(f"{focus} {path} {value} .")) == 1
    case(f"{stem}--datatype", f"{path} with the wrong datatype ({bad})", base, shape, path, "Datatype",
         focus, drop=f"{focus} {path} {value} ." if in_base else "", add=f"{focus} {path} {bad} .")


# -- figure --------------------------------------------------------------------------------------------

case("FigureShape--pattern", "the figure IRI is not the site's figure page", "figure",
     "shapes:FigureShape", "-", "Pattern", "<https://pfocr.wikipathways.org/figure/PMC1234567__gr1>",
     rename=((FIG, "<https://pfocr.wikipathways.org/figure/PMC1234567__gr1>"),))
case("Figure-type--has-value", "the figure is not a doco:Figure", "figure",
     "shapes:Figure-type", "rdf:type", "HasValue", FIG, drop=f"{FIG} a doco:Figure .")
literal_cases("figure", "shapes:Figure-identifier", "schema:identifier", FIG, '"PMC1234567__gr1"',
              required=True)
case("Figure-identifier--pattern", "the figid does not start with its PMCID", "figure",
     "shapes:Figure-identifier", "schema:identifier", "Pattern", FIG,
     drop=f'{FIG} schema:identifier "PMC1234567__gr1" .', add=f'{FIG} schema:identifier "gr1" .')
literal_cases("figure", "shapes:Figure-alternateName", "schema:alternateName", FIG, '"PMC1234567__F1"',
              required=False, datatype_bad='"PMC1234567__F1"^^xsd:token')
case("Figure-alternateName--pattern", "the figid alias does not start with its PMCID", "figure",
     "shapes:Figure-alternateName", "schema:alternateName", "Pattern", FIG,
     add=f'{FIG} schema:alternateName "F1" .')
case("Figure-sameAs--max-count", "two redirect pages", "figure",
     "shapes:Figure-sameAs", "schema:sameAs", "MaxCount", FIG,
     add=f"{FIG} schema:sameAs figs:PMC1234567__F1, figs:PMC1234567__F2 .")
case("Figure-sameAs--node-kind", "the redirect page as a string", "figure",
     "shapes:Figure-sameAs", "schema:sameAs", "NodeKind", FIG,
     add=f'{FIG} schema:sameAs "https://pfocr.wikipathways.org/figures/PMC1234567__F1" .')
case("Figure-sameAs--pattern", "the redirect page over http", "figure",
     "shapes:Figure-sameAs", "schema:sameAs", "Pattern", FIG,
     add=f"{FIG} schema:sameAs <http://pfocr.wikipathways.org/figures/PMC1234567__F1> .")
def english_cases(base: str, shape: str, path: str, focus: str, value: str) -> None:
    """Register the cases of a prose property (0..1 or 0..n, ``@en``): twice, no language tag, another one."""
    stem = shape.split(":")[1]
    text = value[:-3]  # without its @en
    if shape not in ("shapes:Article-keywords",):
        case(f"{stem}--max-count", f"{path} twice", base, shape, path, "MaxCount", focus,
             add=f"{focus} {path} {text[:-1]} (2)\"@en .")
    case(f"{stem}--language-in-plain", f"{path} without its language tag", base, shape, path, "LanguageIn",
         focus, drop=f"{focus} {path} {value} ." if value in BASES[base] else "", add=f"{focus} {path} {text} .")
    case(f"{stem}--language-in", f"{path} in German", base, shape, path, "LanguageIn", focus,
         drop=f"{focus} {path} {value} ." if value in BASES[base] else "", add=f"{focus} {path} {text}@de .")


english_cases("figure", "shapes:Figure-name", "schema:name", FIG, '"Wnt signalling in bone"@en')
case("Figure-name-recommended--min-count", "no figure title (a warning)", "figure",
     "shapes:Figure-name-recommended", "schema:name", "MinCount", FIG,
     drop=f'{FIG} schema:name "Wnt signalling in bone"@en .', severity="Warning")
english_cases("figure", "shapes:Figure-caption", "schema:caption", FIG,
              '"Canonical Wnt signalling in osteoblasts."@en')
case("Figure-caption-recommended--min-count", "no caption (a warning)", "figure",
     "shapes:Figure-caption-recommended", "schema:caption", "MinCount", FIG,
     drop=f'{FIG} schema:caption "Canonical Wnt signalling in osteoblasts."@en .', severity="Warning")
case("Figure-figureNumber--max-count", "two figure numbers", "figure",
     "shapes:Figure-figureNumber", "pfocr:figureNumber", "MaxCount", FIG,
     add=f'{FIG} pfocr:figureNumber "F1", "F2" .')
case("Figure-figureNumber--datatype", "the figure number as an integer", "figure",
     "shapes:Figure-figureNumber", "pfocr:figureNumber", "Datatype", FIG,
     add=f"{FIG} pfocr:figureNumber 1 .")
case("Figure-figureType--max-count", "two figure types", "figure",
     "shapes:Figure-figureType", "pfocr:figureType", "MaxCount", FIG,
     add=f'{FIG} pfocr:figureType "Figure", "Scheme" .')
case("Figure-figureType--in", "a figure type outside the closed list", "figure",
     "shapes:Figure-figureType", "pfocr:figureType", "In", FIG,
     add=f'{FIG} pfocr:figureType "figure" .')
case("Figure-figureType--in-language", "a figure type with a language tag", "figure",
     "shapes:Figure-figureType", "pfocr:figureType", "In", FIG,
     add=f'{FIG} pfocr:figureType "Figure"@en .')
_IMG = "<https://europepmc.org/articles/PMC1234567/bin/gr1.jpg>"
case("Figure-contentUrl--max-count", "two images", "figure",
     "shapes:Figure-contentUrl", "schema:contentUrl", "MaxCount", FIG,
     add=f"{FIG} schema:contentUrl {_IMG},\n"
         "    <https://europepmc.org/articles/PMC1234567/bin/gr2.jpg> .")
case("Figure-contentUrl--node-kind", "the image IRI as a string", "figure",
     "shapes:Figure-contentUrl", "schema:contentUrl", "NodeKind", FIG,
     add=f'{FIG} schema:contentUrl "{_IMG[1:-1]}" .')
case("Figure-contentUrl--pattern", "the image not where the PFOCR site takes it (Europe PMC)", "figure",
     "shapes:Figure-contentUrl", "schema:contentUrl", "Pattern", FIG,
     add=f"{FIG} schema:contentUrl <https://pfocr.wikipathways.org/images/gr1.jpg> .")
_PAGE = "<https://pmc.ncbi.nlm.nih.gov/articles/PMC1234567/figure/F1/>"
case("Figure-url--max-count", "two figure pages", "figure",
     "shapes:Figure-url", "schema:url", "MaxCount", FIG,
     add=f"{FIG} schema:url {_PAGE}, <https://pmc.ncbi.nlm.nih.gov/articles/PMC1234567/figure/F2/> .")
case("Figure-url--node-kind", "the figure page as a string", "figure",
     "shapes:Figure-url", "schema:url", "NodeKind", FIG,
     add=f'{FIG} schema:url "{_PAGE[1:-1]}" .')
case("Figure-url--pattern", "figlink's path without the PMC site", "figure",
     "shapes:Figure-url", "schema:url", "Pattern", FIG,
     add=f"{FIG} schema:url <https://pfocr.wikipathways.org/pmc/articles/PMC1234567/figure/F1/> .")
case("Figure-url--pattern-old-host", "the figure page at PMC's old host", "figure",
     "shapes:Figure-url", "schema:url", "Pattern", FIG,
     add=f"{FIG} schema:url <https://www.ncbi.nlm.nih.gov/pmc/articles/PMC1234567/figure/F1/> .")
case("Figure-isPartOf--min-count", "no article", "figure",
     "shapes:Figure-isPartOf", "schema:isPartOf", "MinCount", FIG,
     drop=f"{FIG} schema:isPartOf pmc:PMC1234567 .")
case("Figure-isPartOf--max-count", "two articles", "figure",
     "shapes:Figure-isPartOf", "schema:isPartOf", "MaxCount", FIG,
     add=f"{FIG} schema:isPartOf pmc:PMC7654321 ." + _ARTICLE_2)
case("Figure-isPartOf--class", "the article is not described as a schema:ScholarlyArticle", "figure",
     "shapes:Figure-isPartOf", "schema:isPartOf", "Class", FIG,
     drop=f"{FIG} schema:isPartOf pmc:PMC1234567 .", add=f"{FIG} schema:isPartOf pmc:PMC7654321 .")
case("Figure-pathwayScore--max-count", "two scores", "figure",
     "shapes:Figure-pathwayScore", "pfocr:pathwayScore", "MaxCount", FIG,
     add=f"{FIG} pfocr:pathwayScore 0.5, 0.75 .")
case("Figure-pathwayScore--datatype", "the score as a double", "figure",
     "shapes:Figure-pathwayScore", "pfocr:pathwayScore", "Datatype", FIG,
     add=f"{FIG} pfocr:pathwayScore 5.0E-1 .")
case("Figure-pathwayScore--min-inclusive", "a negative score", "figure",
     "shapes:Figure-pathwayScore", "pfocr:pathwayScore", "MinInclusive", FIG,
     add=f"{FIG} pfocr:pathwayScore -0.1 .")
case("Figure-pathwayScore--max-inclusive", "a score above 1", "figure",
     "shapes:Figure-pathwayScore", "pfocr:pathwayScore", "MaxInclusive", FIG,
     add=f"{FIG} pfocr:pathwayScore 95.4 .")
case("Figure-organism--class", "a curated organism that is no described taxon", "figure",
     "shapes:Figure-organism", "pfocr:organism", "Class", FIG,
     add=f"{FIG} pfocr:organism NCBITaxon:9606 .")
case("Figure-organism--class-name", "a curated organism name where the taxon IRI goes", "figure",
     "shapes:Figure-organism", "pfocr:organism", "Class", FIG,
     add=f'{FIG} pfocr:organism "Homo sapiens" .')
case("Figure-organismName--datatype", "an organism name with a language tag", "figure",
     "shapes:Figure-organismName", "pfocr:organismName", "Datatype", FIG,
     add=f'{FIG} pfocr:organismName "Homo sapiens"@la .')
case("Figure-organismName--datatype-iri", "a taxon IRI where the organism name goes", "figure",
     "shapes:Figure-organismName", "pfocr:organismName", "Datatype", FIG,
     add=f"{FIG} pfocr:organismName NCBITaxon:9606 ." + _TAXON)
case("Figure-nerOrganism--class", "a NER organism that is no described taxon", "figure",
     "shapes:Figure-nerOrganism", "pfocr:nerOrganism", "Class", FIG,
     add=f"{FIG} pfocr:nerOrganism NCBITaxon:9606 .")
case("Figure-nerOrganismName--datatype", "a NER organism name with a language tag", "figure",
     "shapes:Figure-nerOrganismName", "pfocr:nerOrganismName", "Datatype", FIG,
     add=f'{FIG} pfocr:nerOrganismName "Homo sapiens"@la .')
case("Figure-wikipathways--node-kind", "a WikiPathways link as a string", "figure",
     "shapes:Figure-wikipathways", "pfocr:wikipathways", "NodeKind", FIG,
     add=f'{FIG} pfocr:wikipathways "http://identifiers.org/wikipathways/WP231" .')
case("Figure-wikipathways--pattern", "a versioned WikiPathways IRI", "figure",
     "shapes:Figure-wikipathways", "pfocr:wikipathways", "Pattern", FIG,
     add=f"{FIG} pfocr:wikipathways <http://identifiers.org/wikipathways/WP231_r117251> .")
_NDEX = "ndex:f0a1c2d3-de4d-11ea-9da0-0ac135e8bacf"
case("Figure-ndexNetwork--max-count", "two NDEx networks", "figure",
     "shapes:Figure-ndexNetwork", "pfocr:ndexNetwork", "MaxCount", FIG,
     add=f"{FIG} pfocr:ndexNetwork {_NDEX}, ndex:f0a1c2d3-de4d-11ea-9da0-0ac135e8bad0 .")
case("Figure-ndexNetwork--node-kind", "the NDEx network as a string", "figure",
     "shapes:Figure-ndexNetwork", "pfocr:ndexNetwork", "NodeKind", FIG,
     add=f'{FIG} pfocr:ndexNetwork "https://www.ndexbio.org/viewer/networks/'
         'f0a1c2d3-de4d-11ea-9da0-0ac135e8bacf" .')
case("Figure-ndexNetwork--pattern", "an upper-case NDEx UUID", "figure",
     "shapes:Figure-ndexNetwork", "pfocr:ndexNetwork", "Pattern", FIG,
     add=f"{FIG} pfocr:ndexNetwork ndex:F0A1C2D3-DE4D-11EA-9DA0-0AC135E8BACF .")
case("Figure-keywords--datatype", "a keyword as a gene IRI", "figure",
     "shapes:Figure-keywords", "schema:keywords", "Datatype", FIG,
     add=f'{FIG} schema:keywords "LRP6", ncbigene:4040 .')
case("Figure-mentionsGene--class", "a mentioned gene that is not described", "figure",
     "shapes:Figure-mentionsGene", "pfocr:mentionsGene", "Class", FIG,
     add=f"{FIG} pfocr:mentionsGene ncbigene:4040 .")
for _level in ("Synonyms", "Strict"):
    case(f"Figure-mentionsGene{_level}--class", f"a gene of the {_level.lower()} set that is not described",
         "figure", f"shapes:Figure-mentionsGene{_level}", f"pfocr:mentionsGene{_level}", "Class", FIG,
         add=f"{FIG} pfocr:mentionsGene{_level} ncbigene:4040 .")
case("Figure-mentionsChemical--pattern", "a mentioned chemical that is a gene", "figure",
     "shapes:Figure-mentionsChemical", "pfocr:mentionsChemical", "Pattern", FIG,
     add=f"{FIG} pfocr:mentionsChemical ncbigene:4040 .")
case("Figure-mentionsChemical--node-kind", "a mentioned chemical as a string", "figure",
     "shapes:Figure-mentionsChemical", "pfocr:mentionsChemical", "NodeKind", FIG,
     add=f'{FIG} pfocr:mentionsChemical "http://id.nlm.nih.gov/mesh/D005947" .')
case("Figure-mentionsDisease--pattern", "a mentioned disease that is a ChEBI term", "figure",
     "shapes:Figure-mentionsDisease", "pfocr:mentionsDisease", "Pattern", FIG,
     add=f"{FIG} pfocr:mentionsDisease CHEBI:17234 .")
case("Figure-mentionsDisease--node-kind", "a mentioned disease as a string", "figure",
     "shapes:Figure-mentionsDisease", "pfocr:mentionsDisease", "NodeKind", FIG,
     add=f'{FIG} pfocr:mentionsDisease "http://id.nlm.nih.gov/mesh/D000544" .')

# -- article, journal, publisher -------------------------------------------------------------------

ART = "pmc:PMC1234567"
case("ArticleShape--pattern", "the article named by its PMC page, not identifiers.org", "figure",
     "shapes:ArticleShape", "-", "Pattern", "<https://www.ncbi.nlm.nih.gov/pmc/articles/PMC1234567/>",
     rename=((ART, "<https://www.ncbi.nlm.nih.gov/pmc/articles/PMC1234567/>"),))
case("ArticleShape--sparql-kind", "an article that is neither a journal article nor a preprint", "figure",
     "shapes:ArticleShape", "rdf:type", "SPARQL", ART, drop=f"{ART} a fabio:JournalArticle .")
case("ArticleShape--sparql-kind-both", "an article that is a journal article and a preprint", "figure",
     "shapes:ArticleShape", "rdf:type", "SPARQL", ART, add=f"{ART} a fabio:Preprint .")
english_cases("figure", "shapes:Article-headline", "schema:headline", ART, '"Wnt and bone."@en')
case("Article-headline-recommended--min-count", "no paper title (a warning)", "figure",
     "shapes:Article-headline-recommended", "schema:headline", "MinCount", ART,
     drop=f'{ART} schema:headline "Wnt and bone."@en .', severity="Warning")
case("Article-bibliographicCitation--max-count", "two reference texts", "figure",
     "shapes:Article-bibliographicCitation", "dcterms:bibliographicCitation", "MaxCount", ART,
     add=f'{ART} dcterms:bibliographicCitation "A. Author, et al. Bone. 2020.", "Bone 2020" .')
case("Article-bibliographicCitation--datatype", "a reference text with a language tag", "figure",
     "shapes:Article-bibliographicCitation", "dcterms:bibliographicCitation", "Datatype", ART,
     add=f'{ART} dcterms:bibliographicCitation "A. Author, et al. Bone. 2020."@en .')
case("Article-datePublished--max-count", "two years", "figure",
     "shapes:Article-datePublished", "schema:datePublished", "MaxCount", ART,
     add=f'{ART} schema:datePublished "2021"^^xsd:gYear .')
case("Article-datePublished--datatype", "the year as a string", "figure",
     "shapes:Article-datePublished", "schema:datePublished", "Datatype", ART,
     drop=f'{ART} schema:datePublished "2020"^^xsd:gYear .', add=f'{ART} schema:datePublished "2020" .')
case("Article-datePublished-recommended--min-count", "no year (a warning)", "figure",
     "shapes:Article-datePublished-recommended", "schema:datePublished", "MinCount", ART,
     drop=f'{ART} schema:datePublished "2020"^^xsd:gYear .', severity="Warning")
case("Article-hasPubMedCentralId--min-count", "no PMCID", "figure",
     "shapes:Article-hasPubMedCentralId", "fabio:hasPubMedCentralId", "MinCount", ART,
     drop=f'{ART} fabio:hasPubMedCentralId "PMC1234567" .')
case("Article-hasPubMedCentralId--max-count", "two PMCIDs", "figure",
     "shapes:Article-hasPubMedCentralId", "fabio:hasPubMedCentralId", "MaxCount", ART,
     add=f'{ART} fabio:hasPubMedCentralId "PMC7654321" .')
case("Article-hasPubMedCentralId--datatype", "the PMCID with a language tag", "figure",
     "shapes:Article-hasPubMedCentralId", "fabio:hasPubMedCentralId", "Datatype", ART,
     drop=f'{ART} fabio:hasPubMedCentralId "PMC1234567" .',
     add=f'{ART} fabio:hasPubMedCentralId "PMC1234567"@en .')
_DOI = '"10.1016/j.bone.2020.115201"'
case("Article-doi--max-count", "two DOIs", "figure",
     "shapes:Article-doi", "prism:doi", "MaxCount", ART,
     add=f'{ART} prism:doi {_DOI}, "10.1016/j.bone.2020.115202" .')
case("Article-doi--datatype", "the DOI with a language tag", "figure",
     "shapes:Article-doi", "prism:doi", "Datatype", ART, add=f"{ART} prism:doi {_DOI}@en .")
case("Article-doi--pattern", "a DOI not lower-cased", "figure",
     "shapes:Article-doi", "prism:doi", "Pattern", ART, add=f'{ART} prism:doi "10.1016/J.BONE.2020.115201" .')
case("Article-doi--pattern-prefix", "a DOI with a doi: prefix", "figure",
     "shapes:Article-doi", "prism:doi", "Pattern", ART,
     add=f'{ART} prism:doi "doi:10.1016/j.bone.2020.115201" .')
case("Article-sameAs--max-count", "two DOI IRIs", "figure",
     "shapes:Article-sameAs", "schema:sameAs", "MaxCount", ART,
     add=f"{ART} schema:sameAs <https://doi.org/10.1016/j.bone.2020.115201>,\n"
         "    <https://doi.org/10.1016/j.bone.2020.115202> .")
case("Article-sameAs--node-kind", "the DOI IRI as a string", "figure",
     "shapes:Article-sameAs", "schema:sameAs", "NodeKind", ART,
     add=f'{ART} schema:sameAs "https://doi.org/10.1016/j.bone.2020.115201" .')
case("Article-sameAs--pattern", "a DOI IRI not lower-cased", "figure",
     "shapes:Article-sameAs", "schema:sameAs", "Pattern", ART,
     add=f"{ART} schema:sameAs <https://doi.org/10.1016/J.BONE.2020.115201> .")
case("Article-sameAs--pattern-dx", "a DOI IRI on dx.doi.org", "figure",
     "shapes:Article-sameAs", "schema:sameAs", "Pattern", ART,
     add=f"{ART} schema:sameAs <http://dx.doi.org/10.1016/j.bone.2020.115201> .")
english_cases("figure", "shapes:Article-keywords", "schema:keywords", ART, '"osteoblasts"@en')
case("Article-isPartOf--max-count", "two journals", "journal",
     "shapes:Article-isPartOf", "schema:isPartOf", "MaxCount", ART,
     add=f'{ART} schema:isPartOf journals:Calcif_Tissue_Int .\n'
         'journals:Calcif_Tissue_Int a schema:Periodical ; schema:name "Calcified Tissue International" .')
case("Article-isPartOf--class", "a journal that is not described", "figure",
     "shapes:Article-isPartOf", "schema:isPartOf", "Class", ART,
     add=f"{ART} schema:isPartOf journals:Bone .")
case("Article-publisher--max-count", "two publishers", "journal",
     "shapes:Article-publisher", "schema:publisher", "MaxCount", ART,
     add=f'{ART} schema:publisher publishers:Springer .\n'
         'publishers:Springer a schema:Organization ; schema:name "Springer" .')
case("Article-publisher--class", "a publisher that is not described", "figure",
     "shapes:Article-publisher", "schema:publisher", "Class", ART,
     add=f"{ART} schema:publisher publishers:Elsevier .")
case("Article-publisher--pattern", "a publisher IRI outside publishers/", "journal",
     "shapes:Article-publisher", "schema:publisher", "Pattern", ART,
     rename=(("publishers:Elsevier", "<https://pfocr.wikipathways.org/organizations/Elsevier>"),))

JOURNAL = "journals:Bone"
case("PeriodicalShape--pattern", "a journal IRI outside journals/", "journal",
     "shapes:PeriodicalShape", "-", "Pattern", "<https://pfocr.wikipathways.org/periodicals/Bone>",
     rename=((JOURNAL, "<https://pfocr.wikipathways.org/periodicals/Bone>"),))
literal_cases("journal", "shapes:Periodical-name", "schema:name", JOURNAL, '"Bone"', required=False)
case("Periodical-name-recommended--min-count", "a journal without a name (a warning)", "journal",
     "shapes:Periodical-name-recommended", "schema:name", "MinCount", JOURNAL,
     drop=f'{JOURNAL} schema:name "Bone" .', severity="Warning")
literal_cases("journal", "shapes:Periodical-alternateName", "schema:alternateName", JOURNAL, '"Bone"',
              required=False)
PUBLISHER = "publishers:Elsevier"
literal_cases("journal", "shapes:Organization-name", "schema:name", PUBLISHER, '"Elsevier"',
              required=True)

# -- mentions --------------------------------------------------------------------------------------

MG = "m:ncbigene-7474-0123456789abcdef"
MC = "m:mesh-D005947-0123456789abcdef"
MD = "m:mesh-D000544-0123456789abcdef"
case("MentionShape--pattern", "a mention minted outside its figure", "gene",
     "shapes:MentionShape", "-", "Pattern",
     "<https://pfocr.wikipathways.org/mentions/ncbigene-7474-0123456789abcdef>",
     rename=((MG, "<https://pfocr.wikipathways.org/mentions/ncbigene-7474-0123456789abcdef>"),))
case("MentionShape--sparql-kind", "an annotation of no kind", "gene",
     "shapes:MentionShape", "rdf:type", "SPARQL", MG, drop=f"{MG} a pfocr:GeneMention .")
case("MentionShape--sparql-two-kinds", "a MeSH find that is a chemical and a disease mention at once",
     "chemical", "shapes:MentionShape", "rdf:type", "SPARQL", MC, add=f"{MC} a pfocr:DiseaseMention .",
     drop=f"{MC} oa:hasBody CHEBI:17234 .")
case("Mention-hasTarget--min-count", "an annotation without its figure", "gene",
     "shapes:Mention-hasTarget", "oa:hasTarget", "MinCount", MG, drop=f"{MG} oa:hasTarget {FIG} .")
case("Mention-hasTarget--max-count", "an annotation on two figures", "gene",
     "shapes:Mention-hasTarget", "oa:hasTarget", "MaxCount", MG,
     add=f"{MG} oa:hasTarget figs:PMC1234567__gr2.html .\n"
         'figs:PMC1234567__gr2.html a schema:ImageObject, doco:Figure ;\n'
         '    schema:identifier "PMC1234567__gr2" ;\n'
         '    schema:name "Wnt"@en ; schema:caption "Wnt."@en ; schema:isPartOf pmc:PMC1234567 .')
case("Mention-hasTarget--class", "an annotation on something that is not a figure", "gene",
     "shapes:Mention-hasTarget", "oa:hasTarget", "Class", MG,
     drop=f"{MG} oa:hasTarget {FIG} .", add=f"{MG} oa:hasTarget pmc:PMC1234567 .")
case("Mention-hasBody--min-count", "an annotation that found nothing", "gene",
     "shapes:Mention-hasBody", "oa:hasBody", "MinCount", MG, drop=f"{MG} oa:hasBody ncbigene:7474 .")
case("Mention-motivatedBy--max-count", "two motivations", "gene",
     "shapes:Mention-motivatedBy", "oa:motivatedBy", "MaxCount", MG, add=f"{MG} oa:motivatedBy oa:tagging .")
case("Mention-motivatedBy--has-value", "not motivated by identifying", "gene",
     "shapes:Mention-motivatedBy", "oa:motivatedBy", "HasValue", MG,
     drop=f"{MG} oa:motivatedBy oa:identifying .", add=f"{MG} oa:motivatedBy oa:tagging .")
literal_cases("gene", "shapes:Mention-ocrText", "pfocr:ocrText", MG, '"WNT5A"', required=True)
case("Mention-matchedText--max-count", "two matched lexicon entries", "gene",
     "shapes:Mention-matchedText", "pfocr:matchedText", "MaxCount", MG,
     add=f'{MG} pfocr:matchedText "WNT5A", "WNT-5A" .')
case("Mention-matchedText--datatype", "a matched entry with a language tag", "gene",
     "shapes:Mention-matchedText", "pfocr:matchedText", "Datatype", MG,
     add=f'{MG} pfocr:matchedText "WNT5A"@en .')

case("GeneMentionShape--pattern", "a gene mention IRI without ncbigene-{id}-{hash}", "gene",
     "shapes:GeneMentionShape", "-", "Pattern", "m:gene-7474",
     rename=((MG, "m:gene-7474"),))
case("GeneMention-type--has-value", "a gene mention that is no oa:Annotation", "gene",
     "shapes:GeneMention-type", "rdf:type", "HasValue", MG, drop=f"{MG} a oa:Annotation .")
case("GeneMention-hasBody--max-count", "a gene mention with two genes", "gene",
     "shapes:GeneMention-hasBody", "oa:hasBody", "MaxCount", MG,
     add=f"{MG} oa:hasBody ncbigene:7476 ." + _GENE_2)
case("GeneMention-hasBody--class", "a gene mention whose gene is not described", "gene",
     "shapes:GeneMention-hasBody", "oa:hasBody", "Class", MG,
     drop=f"{MG} oa:hasBody ncbigene:7474 .", add=f"{MG} oa:hasBody ncbigene:7476 .")
case("GeneMention-lexicon--in", "a gene found in the MeSH lexicon", "gene",
     "shapes:GeneMention-lexicon", "pfocr:lexicon", "In", MG,
     drop=f"{MG} pfocr:lexicon pfocr:ncbigene_symbol .", add=f"{MG} pfocr:lexicon pfocr:mesh .")
case("GeneMention-lexicon--in-literal", "the lexicon as a string", "gene",
     "shapes:GeneMention-lexicon", "pfocr:lexicon", "In", MG,
     drop=f"{MG} pfocr:lexicon pfocr:ncbigene_symbol .", add=f'{MG} pfocr:lexicon "ncbigene_symbol" .')
case("GeneMention-organism--max-count", "a gene mention in two organisms", "gene",
     "shapes:GeneMention-organism", "pfocr:organism", "MaxCount", MG,
     add=f"{MG} pfocr:organism NCBITaxon:10090 ." + _TAXON_2)
case("GeneMention-organism--class", "a gene mention's organism that is not described", "gene",
     "shapes:GeneMention-organism", "pfocr:organism", "Class", MG,
     drop=f"{MG} pfocr:organism NCBITaxon:9606 .", add=f"{MG} pfocr:organism NCBITaxon:10090 .")

case("ChemicalMentionShape--pattern", "a chemical mention IRI named after an NCBI gene", "chemical",
     "shapes:ChemicalMentionShape", "-", "Pattern", "m:ncbigene-7474-0123456789abcdef",
     rename=((MC, "m:ncbigene-7474-0123456789abcdef"),))
case("ChemicalMention-type--has-value", "a chemical mention that is no oa:Annotation", "chemical",
     "shapes:ChemicalMention-type", "rdf:type", "HasValue", MC, drop=f"{MC} a oa:Annotation .")
case("ChemicalMention-hasBody--pattern", "a chemical mention whose body is a gene", "chemical",
     "shapes:ChemicalMention-hasBody", "oa:hasBody", "Pattern", MC,
     add=f"{MC} oa:hasBody ncbigene:7474 ." + _GENE_2.replace("7476", "7474").replace("WNT7A", "WNT5A")
     + _TAXON)
case("ChemicalMention-hasBody--node-kind", "a chemical mention whose ChEBI body is a string", "chemical",
     "shapes:ChemicalMention-hasBody", "oa:hasBody", "NodeKind", MC, drop=f"{MC} oa:hasBody CHEBI:17234 .",
     add=f'{MC} oa:hasBody "http://purl.obolibrary.org/obo/CHEBI_17234" .')
case("ChemicalMention-hasBody-mesh--qualified-max-count", "a chemical mention with two MeSH IRIs", "chemical",
     "shapes:ChemicalMention-hasBody-mesh", "oa:hasBody", "QualifiedMaxCount", MC,
     add=f"{MC} oa:hasBody mesh:D019344 .\n"
         'mesh:D019344 schema:name "Lactic Acid" ;\n'
         '    dcterms:identifier "MESH:D019344" .')
case("ChemicalMention-hasBody-chebi--qualified-max-count", "a chemical mention with two ChEBI IRIs",
     "chemical", "shapes:ChemicalMention-hasBody-chebi", "oa:hasBody", "QualifiedMaxCount", MC,
     add=f"{MC} oa:hasBody CHEBI:4167 .\n"
         'CHEBI:4167 schema:name "D-glucopyranose" ;\n'
         '    dcterms:identifier "CHEBI:4167" .')
case("ChemicalMention-lexicon--in", "a chemical found in a gene lexicon", "chemical",
     "shapes:ChemicalMention-lexicon", "pfocr:lexicon", "In", MC,
     drop=f"{MC} pfocr:lexicon pfocr:mesh .", add=f"{MC} pfocr:lexicon pfocr:ncbigene_symbol .")
case("ChemicalMention-organism--max-count", "a chemical mention with an organism", "chemical",
     "shapes:ChemicalMention-organism", "pfocr:organism", "MaxCount", MC,
     add=f"{MC} pfocr:organism NCBITaxon:9606 ." + _TAXON)

case("DiseaseMentionShape--pattern", "a disease mention IRI named after ChEBI", "disease",
     "shapes:DiseaseMentionShape", "-", "Pattern", "m:chebi-17234-0123456789abcdef",
     rename=((MD, "m:chebi-17234-0123456789abcdef"),))
case("DiseaseMention-type--has-value", "a disease mention that is no oa:Annotation", "disease",
     "shapes:DiseaseMention-type", "rdf:type", "HasValue", MD, drop=f"{MD} a oa:Annotation .")
case("DiseaseMention-hasBody--pattern", "a disease mention whose body is no MeSH or DOID IRI", "disease",
     "shapes:DiseaseMention-hasBody", "oa:hasBody", "Pattern", MD,
     add=f"{MD} oa:hasBody <http://example.org/d1> .")
case("DiseaseMention-hasBody--node-kind", "a disease mention whose DOID body is a string", "disease",
     "shapes:DiseaseMention-hasBody", "oa:hasBody", "NodeKind", MD, drop=f"{MD} oa:hasBody DOID:10652 .",
     add=f'{MD} oa:hasBody "http://purl.obolibrary.org/obo/DOID_10652" .')
case("DiseaseMention-hasBody-mesh--qualified-max-count", "a disease mention with two MeSH IRIs", "disease",
     "shapes:DiseaseMention-hasBody-mesh", "oa:hasBody", "QualifiedMaxCount", MD,
     add=f"{MD} oa:hasBody mesh:D010300 .\n"
         'mesh:D010300 schema:name "Parkinson Disease" ;\n'
         '    dcterms:identifier "MESH:D010300" .')
case("DiseaseMention-hasBody-doid--qualified-max-count", "a disease mention with two DOID IRIs", "disease",
     "shapes:DiseaseMention-hasBody-doid", "oa:hasBody", "QualifiedMaxCount", MD,
     add=f"{MD} oa:hasBody DOID:0060239 .\n"
         'DOID:0060239 dcterms:identifier "DOID:0060239" .')
case("DiseaseMention-lexicon--in", "a disease found in a gene lexicon", "disease",
     "shapes:DiseaseMention-lexicon", "pfocr:lexicon", "In", MD,
     drop=f"{MD} pfocr:lexicon pfocr:mesh .", add=f"{MD} pfocr:lexicon pfocr:hgnc_symbol .")
case("DiseaseMention-organism--max-count", "a disease mention with an organism", "disease",
     "shapes:DiseaseMention-organism", "pfocr:organism", "MaxCount", MD,
     add=f"{MD} pfocr:organism NCBITaxon:9606 ." + _TAXON)

# -- entities --------------------------------------------------------------------------------------

GENE = "ncbigene:7474"
case("GeneShape--pattern", "a gene named by its NCBI web page", "gene",
     "shapes:GeneShape", "-", "Pattern", "<https://www.ncbi.nlm.nih.gov/gene/7474>",
     rename=((GENE, "<https://www.ncbi.nlm.nih.gov/gene/7474>"),))
literal_cases("gene", "shapes:Entity-name", "schema:name", GENE, '"WNT5A"', required=False, stem="Entity-name-gene")
case("Gene-name-recommended--min-count", "a gene without its symbol (a warning)", "gene",
     "shapes:Gene-name-recommended", "schema:name", "MinCount", GENE,
     drop=f'{GENE} schema:name "WNT5A" .', severity="Warning")
case("Gene-taxonomicRange--max-count", "a gene in two organisms", "gene",
     "shapes:Gene-taxonomicRange", "schema:taxonomicRange", "MaxCount", GENE,
     add=f"{GENE} schema:taxonomicRange NCBITaxon:10090 ." + _TAXON_2)
case("Gene-taxonomicRange--class", "a gene's organism that is not described", "gene",
     "shapes:Gene-taxonomicRange", "schema:taxonomicRange", "Class", GENE,
     drop=f"{GENE} schema:taxonomicRange NCBITaxon:9606 .",
     add=f"{GENE} schema:taxonomicRange NCBITaxon:10090 .")
case("Gene-taxonomicRange-recommended--min-count", "a gene without its organism (a warning)", "gene",
     "shapes:Gene-taxonomicRange-recommended", "schema:taxonomicRange", "MinCount", GENE,
     drop=f"{GENE} schema:taxonomicRange NCBITaxon:9606 .", severity="Warning")
case("Gene-exactMatch--min-count", "a gene without its http spelling", "gene",
     "shapes:Gene-exactMatch", "skos:exactMatch", "MinCount", GENE,
     drop=f"{GENE} skos:exactMatch <http://identifiers.org/ncbigene/7474> .")
case("Gene-exactMatch--max-count", "a gene with two http spellings", "gene",
     "shapes:Gene-exactMatch", "skos:exactMatch", "MaxCount", GENE,
     add=f"{GENE} skos:exactMatch <http://identifiers.org/ncbigene/7476> .")
case("Gene-exactMatch--pattern", "a gene whose alias is its own https IRI", "gene",
     "shapes:Gene-exactMatch", "skos:exactMatch", "Pattern", GENE,
     drop=f"{GENE} skos:exactMatch <http://identifiers.org/ncbigene/7474> .",
     add=f"{GENE} skos:exactMatch <https://identifiers.org/ncbigene/7474> .")
case("Gene-exactMatch--node-kind", "a gene whose alias is a string", "gene",
     "shapes:Gene-exactMatch", "skos:exactMatch", "NodeKind", GENE,
     drop=f"{GENE} skos:exactMatch <http://identifiers.org/ncbigene/7474> .",
     add=f'{GENE} skos:exactMatch "http://identifiers.org/ncbigene/7474" .')
case("Gene-identifier--min-count", "a gene without its CURIE", "gene",
     "shapes:Gene-identifier", "dcterms:identifier", "MinCount", GENE,
     drop=f'{GENE} dcterms:identifier "NCBIGene:7474" .')
case("Entity-identifier--max-count-gene", "a gene with two CURIEs", "gene",
     "shapes:Entity-identifier", "dcterms:identifier", "MaxCount", GENE,
     add=f'{GENE} dcterms:identifier "NCBIGene:7476" .')
case("Entity-identifier--datatype-gene", "a gene CURIE with a language tag", "gene",
     "shapes:Entity-identifier", "dcterms:identifier", "Datatype", GENE,
     drop=f'{GENE} dcterms:identifier "NCBIGene:7474" .',
     add=f'{GENE} dcterms:identifier "NCBIGene:7474"@en .')

MESH_C, CHEBI_C = "mesh:D005947", "CHEBI:17234"
literal_cases("chemical", "shapes:Entity-name", "schema:name", CHEBI_C, '"glucose"', required=False,
              stem="Entity-name-chebi")
case("Entity-identifier--max-count-mesh", "a MeSH term with two CURIEs", "chemical",
     "shapes:Entity-identifier", "dcterms:identifier", "MaxCount", MESH_C,
     add=f'{MESH_C} dcterms:identifier "MESH:D005948" .')
case("Entity-identifier--datatype-chebi", "a ChEBI CURIE as an xsd:token", "chemical",
     "shapes:Entity-identifier", "dcterms:identifier", "Datatype", CHEBI_C,
     drop=f'{CHEBI_C} dcterms:identifier "CHEBI:17234" .',
     add=f'{CHEBI_C} dcterms:identifier "CHEBI:17234"^^xsd:token .')
case("Entity-closeMatch--pattern", "a chemical paired with a gene", "chemical",
     "shapes:Entity-closeMatch", "skos:closeMatch", "Pattern", MESH_C,
     add=f"{MESH_C} skos:closeMatch ncbigene:7474 .")
case("Entity-closeMatch--node-kind", "a chemical paired with a string", "chemical",
     "shapes:Entity-closeMatch", "skos:closeMatch", "NodeKind", MESH_C,
     add=f'{MESH_C} skos:closeMatch "http://purl.obolibrary.org/obo/CHEBI_4167" .')

MESH_D, DOID_D = "mesh:D000544", "DOID:10652"
literal_cases("disease", "shapes:Entity-name", "schema:name", DOID_D, "\"Alzheimer's disease\"",
              required=False, stem="Entity-name-doid")
case("Entity-identifier--max-count-doid", "a disease with two CURIEs", "disease",
     "shapes:Entity-identifier", "dcterms:identifier", "MaxCount", MESH_D,
     add=f'{MESH_D} dcterms:identifier "DOID:10652" .')
case("Entity-identifier--datatype-mesh", "a MeSH CURIE with a language tag", "disease",
     "shapes:Entity-identifier", "dcterms:identifier", "Datatype", MESH_D,
     drop=f'{MESH_D} dcterms:identifier "MESH:D000544" .',
     add=f'{MESH_D} dcterms:identifier "MESH:D000544"@en .')

TAXON = "NCBITaxon:9606"
case("TaxonShape--pattern", "a taxon named by its NCBI Taxonomy page", "gene",
     "shapes:TaxonShape", "-", "Pattern",
     "<https://www.ncbi.nlm.nih.gov/Taxonomy/Browser/wwwtax.cgi?id=9606>",
     rename=((TAXON, "<https://www.ncbi.nlm.nih.gov/Taxonomy/Browser/wwwtax.cgi?id=9606>"),))
literal_cases("gene", "shapes:Entity-name", "schema:name", TAXON, '"Homo sapiens"', required=False,
              stem="Entity-name-taxon")
case("Taxon-name-recommended--min-count", "a taxon without its name (a warning)", "gene",
     "shapes:Taxon-name-recommended", "schema:name", "MinCount", TAXON,
     drop=f'{TAXON} schema:name "Homo sapiens" .', severity="Warning")
case("Taxon-identifier--min-count", "a taxon without its CURIE", "gene",
     "shapes:Taxon-identifier", "dcterms:identifier", "MinCount", TAXON,
     drop=f'{TAXON} dcterms:identifier "NCBITaxon:9606" .')
case("Article-identifier--min-count", "no PMC CURIE", "figure",
     "shapes:Article-identifier", "dcterms:identifier", "MinCount", ART,
     drop=f'{ART} dcterms:identifier "PMC:PMC1234567" .')
case("Entity-identifier--max-count-taxon", "a taxon with two CURIEs", "gene",
     "shapes:Entity-identifier", "dcterms:identifier", "MaxCount", TAXON,
     add=f'{TAXON} dcterms:identifier "taxon:9606" .')
case("Entity-identifier--max-count-article", "two PMC CURIEs", "figure",
     "shapes:Entity-identifier", "dcterms:identifier", "MaxCount", ART,
     add=f'{ART} dcterms:identifier "PMC:PMC7654321" .')

_IDS = "shapes:IdentifierMatchesIriShape"
case("IdentifierMatchesIriShape--sparql-gene", "a gene whose CURIE names another gene", "gene",
     _IDS, "dcterms:identifier", "SPARQL", GENE,
     drop=f'{GENE} dcterms:identifier "NCBIGene:7474" .', add=f'{GENE} dcterms:identifier "NCBIGene:7476" .')
case("IdentifierMatchesIriShape--sparql-doid-padding", "a DOID CURIE that lost its zero padding",
     "disease", _IDS, "dcterms:identifier", "SPARQL", "DOID:0060239",
     add=f"{MD} oa:hasBody DOID:0060239 .\n"
         'DOID:0060239 dcterms:identifier "DOID:60239" .',
     drop=f"{MD} oa:hasBody {DOID_D} .")
case("IdentifierMatchesIriShape--sparql-mesh-prefix", "a MeSH CURIE in lower case", "chemical",
     _IDS, "dcterms:identifier", "SPARQL", MESH_C,
     drop=f'{MESH_C} dcterms:identifier "MESH:D005947" .',
     add=f'{MESH_C} dcterms:identifier "mesh:D005947" .')
case("IdentifierMatchesIriShape--sparql-pmcid", "an article whose PMCID is not its IRI's", "figure",
     _IDS, "fabio:hasPubMedCentralId", "SPARQL", ART,
     drop=f'{ART} fabio:hasPubMedCentralId "PMC1234567" .', add=f'{ART} fabio:hasPubMedCentralId "1234567" .')
case("IdentifierMatchesIriShape--sparql-pmc-curie", "an article CURIE without PMC:", "figure",
     _IDS, "dcterms:identifier", "SPARQL", ART,
     drop=f'{ART} dcterms:identifier "PMC:PMC1234567" .', add=f'{ART} dcterms:identifier "PMC1234567" .')
case("IdentifierMatchesIriShape--sparql-taxon", "a taxon CURIE with another prefix", "gene",
     _IDS, "dcterms:identifier", "SPARQL", TAXON,
     drop=f'{TAXON} dcterms:identifier "NCBITaxon:9606" .', add=f'{TAXON} dcterms:identifier "taxon:9606" .')

# -- release ---------------------------------------------------------------------------------------

DS = "site:dataset"
_TIME = '"2026-01-01T00:00:00Z"^^xsd:dateTime'
case("DatasetShape--pattern", "the release minted at {BASE}release", "release",
     "shapes:DatasetShape", "-", "Pattern", "site:release", rename=((DS, "site:release"),))
case("Dataset-type-void--has-value", "a release that is no void:Dataset", "release",
     "shapes:Dataset-type-void", "rdf:type", "HasValue", DS, drop=f"{DS} a void:Dataset .")
case("Dataset-type-dcat--has-value", "a release that is no dcat:Dataset", "release",
     "shapes:Dataset-type-dcat", "rdf:type", "HasValue", DS, drop=f"{DS} a dcat:Dataset .")
for _stem, _p, _v in (("Dataset-name", "schema:name", '"PFOCR"@en'),
                      ("Dataset-title", "dcterms:title", '"PFOCR"@en'),
                      ("Dataset-description", "schema:description", '"PFOCR as RDF."@en'),
                      ("Dataset-dctDescription", "dcterms:description", '"PFOCR as RDF."@en')):
    case(f"{_stem}--min-count", f"no {_p}", "release", f"shapes:{_stem}", _p, "MinCount", DS,
         drop=f"{DS} {_p} {_v} .")
    case(f"{_stem}--max-count", f"two {_p}", "release", f"shapes:{_stem}", _p, "MaxCount", DS,
         add=f'{DS} {_p} "PFOCR, again"@en .')
    case(f"{_stem}--language-in-plain", f"{_p} without its language tag", "release", f"shapes:{_stem}", _p,
         "LanguageIn", DS, drop=f"{DS} {_p} {_v} .", add=f"{DS} {_p} {_v[:-3]} .")
    case(f"{_stem}--language-in", f"{_p} in German", "release", f"shapes:{_stem}", _p, "LanguageIn", DS,
         drop=f"{DS} {_p} {_v} .", add=f"{DS} {_p} {_v[:-3]}@de .")
_CC0 = "<http://creativecommons.org/publicdomain/zero/1.0/>"
_CCBY = "<http://creativecommons.org/licenses/by/4.0/>"
for _stem, _p in (("Dataset-license", "schema:license"), ("Dataset-dctLicense", "dcterms:license")):
    case(f"{_stem}--max-count", f"two licences ({_p})", "release",
         f"shapes:{_stem}", _p, "MaxCount", DS, add=f"{DS} {_p} {_CCBY} .")
    case(f"{_stem}--has-value", f"a licence other than CC0 ({_p})", "release",
         f"shapes:{_stem}", _p, "HasValue", DS, drop=f"{DS} {_p} {_CC0} .", add=f"{DS} {_p} {_CCBY} .")
for _stem, _p in (("Dataset-creator", "schema:creator"), ("Dataset-dctCreator", "dcterms:creator")):
    case(f"{_stem}--max-count", f"two creators ({_p})", "release",
         f"shapes:{_stem}", _p, "MaxCount", DS, add=f"{DS} {_p} ex:someone .")
    case(f"{_stem}--has-value", f"a creator other than the PFOCR project ({_p})", "release",
         f"shapes:{_stem}", _p, "HasValue", DS, drop=f"{DS} {_p} site: .", add=f"{DS} {_p} ex:someone .")
case("Dataset-source--has-value", "a release without its source repository", "release",
     "shapes:Dataset-source", "dcterms:source", "HasValue", DS,
     drop=f"{DS} dcterms:source <https://github.com/wikipathways/pfocr-database> .")
for _stem, _p, _n in (("Dataset-triples", "void:triples", "100"),
                      ("Dataset-entities", "void:entities", "10")):
    case(f"{_stem}--min-count", f"no {_p}", "release", f"shapes:{_stem}", _p, "MinCount", DS,
         drop=f"{DS} {_p} {_n} .")
    case(f"{_stem}--max-count", f"two {_p}", "release", f"shapes:{_stem}", _p, "MaxCount", DS,
         add=f"{DS} {_p} 7 .")
    case(f"{_stem}--datatype", f"{_p} as a decimal", "release", f"shapes:{_stem}", _p, "Datatype", DS,
         drop=f"{DS} {_p} {_n} .", add=f"{DS} {_p} {_n}.0 .")
    case(f"{_stem}--min-inclusive", f"a negative {_p}", "release", f"shapes:{_stem}", _p, "MinInclusive", DS,
         drop=f"{DS} {_p} {_n} .", add=f"{DS} {_p} -1 .")
case("Dataset-classPartition--node-kind", "a class partition as a string", "release",
     "shapes:Dataset-classPartition", "void:classPartition", "NodeKind", DS,
     add=f'{DS} void:classPartition "https://pfocr.wikipathways.org/dataset/class/Taxon" .')
case("Dataset-classPartition--pattern", "a class partition minted elsewhere", "release",
     "shapes:Dataset-classPartition", "void:classPartition", "Pattern", DS,
     add=f"{DS} void:classPartition <https://pfocr.wikipathways.org/partitions/Taxon> .")
case("Dataset-vocabulary--node-kind", "a vocabulary as a string", "release",
     "shapes:Dataset-vocabulary", "void:vocabulary", "NodeKind", DS,
     add=f'{DS} void:vocabulary "http://schema.org/" .')
case("Dataset-distribution--class", "a distribution that is not described", "release",
     "shapes:Dataset-distribution", "dcat:distribution", "Class", DS,
     add=f"{DS} dcat:distribution dist:ntriples .")
case("Dataset-wasGeneratedBy--min-count", "a release without its export activity", "release",
     "shapes:Dataset-wasGeneratedBy", "prov:wasGeneratedBy", "MinCount", DS,
     drop=f"{DS} prov:wasGeneratedBy ds:export .")
case("Dataset-wasGeneratedBy--max-count", "a release of two exports", "release",
     "shapes:Dataset-wasGeneratedBy", "prov:wasGeneratedBy", "MaxCount", DS,
     add=f"{DS} prov:wasGeneratedBy <http://example.org/dataset/export> .\n"
         "<http://example.org/dataset/export> a prov:Activity ;\n"
         "    prov:used <https://github.com/wikipathways/pfocr-database> ;\n"
         f"    prov:wasAssociatedWith sw:pfocr-rdf ; prov:endedAtTime {_TIME} .")
case("Dataset-wasGeneratedBy--class", "an export activity that is not described", "release",
     "shapes:Dataset-wasGeneratedBy", "prov:wasGeneratedBy", "Class", DS,
     drop=f"{DS} prov:wasGeneratedBy ds:export .", add=f"{DS} prov:wasGeneratedBy ds:run .")
case("Dataset-generatedAtTime--min-count", "a release without its time", "release",
     "shapes:Dataset-generatedAtTime", "prov:generatedAtTime", "MinCount", DS,
     drop=f"{DS} prov:generatedAtTime {_TIME} .")
case("Dataset-generatedAtTime--max-count", "a release with two times", "release",
     "shapes:Dataset-generatedAtTime", "prov:generatedAtTime", "MaxCount", DS,
     add=f'{DS} prov:generatedAtTime "2026-01-02T00:00:00Z"^^xsd:dateTime .')
case("Dataset-generatedAtTime--datatype", "a release time as a date", "release",
     "shapes:Dataset-generatedAtTime", "prov:generatedAtTime", "Datatype", DS,
     drop=f"{DS} prov:generatedAtTime {_TIME} .", add=f'{DS} prov:generatedAtTime "2026-01-01"^^xsd:date .')

PART = "dsclass:Gene"
case("ClassPartitionShape--pattern", "a class partition minted outside dataset/class/", "release",
     "shapes:ClassPartitionShape", "-", "Pattern", "<https://pfocr.wikipathways.org/dataset/partition/Gene>",
     drop=f"{DS} void:classPartition {PART} .",
     rename=((PART, "<https://pfocr.wikipathways.org/dataset/partition/Gene>"),))
case("ClassPartition-class--max-count", "a class partition of two classes", "release",
     "shapes:ClassPartition-class", "void:class", "MaxCount", PART, add=f"{PART} void:class schema:Taxon .")
case("ClassPartition-class--node-kind", "a class partition's class as a string", "release",
     "shapes:ClassPartition-class", "void:class", "NodeKind", PART,
     drop=f"{PART} void:class schema:Gene .", add=f'{PART} void:class "Gene" .')
case("ClassPartition-entities--min-count", "a class partition without its count", "release",
     "shapes:ClassPartition-entities", "void:entities", "MinCount", PART, drop=f"{PART} void:entities 3 .")
case("ClassPartition-entities--max-count", "a class partition with two counts", "release",
     "shapes:ClassPartition-entities", "void:entities", "MaxCount", PART, add=f"{PART} void:entities 4 .")
case("ClassPartition-entities--datatype", "a class partition count as a decimal", "release",
     "shapes:ClassPartition-entities", "void:entities", "Datatype", PART,
     drop=f"{PART} void:entities 3 .", add=f"{PART} void:entities 3.0 .")
case("ClassPartition-entities--min-inclusive", "a negative class partition count", "release",
     "shapes:ClassPartition-entities", "void:entities", "MinInclusive", PART,
     drop=f"{PART} void:entities 3 .", add=f"{PART} void:entities -3 .")
case("DistributionShape--pattern", "a distribution minted outside dataset/distribution/", "release",
     "shapes:DistributionShape", "-", "Pattern", "<https://pfocr.wikipathways.org/downloads/pfocr.ttl>",
     rename=(("dist:turtle", "<https://pfocr.wikipathways.org/downloads/pfocr.ttl>"),))

EXPORT = "ds:export"
case("ExportShape--pattern", "an export activity minted elsewhere", "release",
     "shapes:ExportShape", "-", "Pattern", "<https://pfocr.wikipathways.org/runs/1>",
     rename=((EXPORT, "<https://pfocr.wikipathways.org/runs/1>"),))
case("Export-used--min-count", "an export that used nothing", "release",
     "shapes:Export-used", "prov:used", "MinCount", EXPORT,
     drop=f"{EXPORT} prov:used <https://github.com/wikipathways/pfocr-database> .")
case("Export-used--node-kind", "an export that used a string", "release",
     "shapes:Export-used", "prov:used", "NodeKind", EXPORT, add=f'{EXPORT} prov:used "pfocr-database" .')
case("Export-wasAssociatedWith--min-count", "an export without its software", "release",
     "shapes:Export-wasAssociatedWith", "prov:wasAssociatedWith", "MinCount", EXPORT,
     drop=f"{EXPORT} prov:wasAssociatedWith sw:pfocr-rdf .")
case("Export-wasAssociatedWith--max-count", "an export by two programs", "release",
     "shapes:Export-wasAssociatedWith", "prov:wasAssociatedWith", "MaxCount", EXPORT,
     add=f"{EXPORT} prov:wasAssociatedWith <http://example.org/software/pfocr-rdf> .\n"
         "<http://example.org/software/pfocr-rdf> a prov:SoftwareAgent, schema:SoftwareApplication .")
case("Export-wasAssociatedWith--class", "an export by something that is no software agent", "release",
     "shapes:Export-wasAssociatedWith", "prov:wasAssociatedWith", "Class", EXPORT,
     drop=f"{EXPORT} prov:wasAssociatedWith sw:pfocr-rdf .",
     add=f"{EXPORT} prov:wasAssociatedWith site: .")
case("Export-endedAtTime--min-count", "an export without its end time", "release",
     "shapes:Export-endedAtTime", "prov:endedAtTime", "MinCount", EXPORT,
     drop=f"{EXPORT} prov:endedAtTime {_TIME} .")
case("Export-endedAtTime--max-count", "an export with two end times", "release",
     "shapes:Export-endedAtTime", "prov:endedAtTime", "MaxCount", EXPORT,
     add=f'{EXPORT} prov:endedAtTime "2026-01-02T00:00:00Z"^^xsd:dateTime .')
case("Export-endedAtTime--datatype", "an export end time as a string", "release",
     "shapes:Export-endedAtTime", "prov:endedAtTime", "Datatype", EXPORT,
     drop=f"{EXPORT} prov:endedAtTime {_TIME} .", add=f'{EXPORT} prov:endedAtTime "2026-01-01T00:00:00Z" .')

SOFTWARE = "sw:pfocr-rdf"
case("SoftwareShape--pattern", "the software minted elsewhere", "release",
     "shapes:SoftwareShape", "-", "Pattern", "sw:pfocr", rename=((SOFTWARE, "sw:pfocr"),))
case("Software-type--has-value", "the software is no schema:SoftwareApplication", "release",
     "shapes:Software-type", "rdf:type", "HasValue", SOFTWARE,
     drop=f"{SOFTWARE} a schema:SoftwareApplication .")

# -- precomputed: gene sets and ambiguous OCR words ----------------------------------------------------

case("GeneSetShape--pattern", "a gene set named by its taxon's CURIE", "precomputed",
     "shapes:GeneSetShape", "-", "Pattern",
     "<https://pfocr.wikipathways.org/figures/PMC1234567__gr1/gene-sets/all/NCBITaxon_9606>",
     rename=((GS, "<https://pfocr.wikipathways.org/figures/PMC1234567__gr1/gene-sets/all/NCBITaxon_9606>"),))
case("GeneSetShape--pattern-level", "a gene set IRI without its level", "precomputed",
     "shapes:GeneSetShape", "-", "Pattern",
     "<https://pfocr.wikipathways.org/figures/PMC1234567__gr1/gene-sets/9606>",
     rename=((GS, "<https://pfocr.wikipathways.org/figures/PMC1234567__gr1/gene-sets/9606>"),))
case("GeneSetShape--sparql-gene-count", "a gene set counted 3 with two ids", "precomputed",
     "shapes:GeneSetShape", "pfocr:geneCount", "SPARQL", GS,
     drop=f"{GS} pfocr:geneCount 2 .", add=f"{GS} pfocr:geneCount 3 .")
case("GeneSetShape--sparql-gene-count-one", "a gene set counted 2 with one id", "precomputed",
     "shapes:GeneSetShape", "pfocr:geneCount", "SPARQL", GS,
     drop=f'{GS} pfocr:geneIds "7474 7476" .', add=f'{GS} pfocr:geneIds "7474" .')
case("GeneSet-figure--min-count", "a gene set without its figure", "precomputed",
     "shapes:GeneSet-figure", "pfocr:figure", "MinCount", GS, drop=f"{GS} pfocr:figure {FIG} .")
case("GeneSet-figure--max-count", "a gene set of two figures", "precomputed",
     "shapes:GeneSet-figure", "pfocr:figure", "MaxCount", GS,
     add=f"{GS} pfocr:figure figs:PMC1234567__gr2.html .\n"
         'figs:PMC1234567__gr2.html a schema:ImageObject, doco:Figure ;\n'
         '    schema:identifier "PMC1234567__gr2" ;\n'
         '    schema:name "Wnt"@en ; schema:caption "Wnt."@en ; schema:isPartOf pmc:PMC1234567 .')
case("GeneSet-figure--class", "a gene set of the article, not of a figure", "precomputed",
     "shapes:GeneSet-figure", "pfocr:figure", "Class", GS,
     drop=f"{GS} pfocr:figure {FIG} .", add=f"{GS} pfocr:figure pmc:PMC1234567 .")
for _node, _focus, _it in (("GeneSet", GS, "a gene set"), ("AmbiguousWord", AW, "an ambiguous word")):
    _shape = f"shapes:{_node}-geneSetLevel"
    case(f"{_node}-geneSetLevel--min-count", f"{_it} without its level", "precomputed",
         _shape, "pfocr:geneSetLevel", "MinCount", _focus, drop=f'{_focus} pfocr:geneSetLevel "all" .')
    case(f"{_node}-geneSetLevel--max-count", f"{_it} at two levels", "precomputed",
         _shape, "pfocr:geneSetLevel", "MaxCount", _focus, add=f'{_focus} pfocr:geneSetLevel "synonyms" .')
    case(f"{_node}-geneSetLevel--in", f"{_it} at a level outside the closed list", "precomputed",
         _shape, "pfocr:geneSetLevel", "In", _focus,
         drop=f'{_focus} pfocr:geneSetLevel "all" .', add=f'{_focus} pfocr:geneSetLevel "family" .')
    case(f"{_node}-geneSetLevel--in-language", f"{_it}'s level with a language tag", "precomputed",
         _shape, "pfocr:geneSetLevel", "In", _focus,
         drop=f'{_focus} pfocr:geneSetLevel "all" .', add=f'{_focus} pfocr:geneSetLevel "all"@en .')
    _shape = f"shapes:{_node}-organism"
    case(f"{_node}-organism--min-count", f"{_it} without its organism", "precomputed",
         _shape, "pfocr:organism", "MinCount", _focus, drop=f"{_focus} pfocr:organism NCBITaxon:9606 .")
    case(f"{_node}-organism--max-count", f"{_it} in two organisms", "precomputed",
         _shape, "pfocr:organism", "MaxCount", _focus, add=f"{_focus} pfocr:organism NCBITaxon:10090 ." + _TAXON_2)
    case(f"{_node}-organism--class", f"{_it}'s organism that is no described taxon", "precomputed",
         _shape, "pfocr:organism", "Class", _focus,
         drop=f"{_focus} pfocr:organism NCBITaxon:9606 .", add=f"{_focus} pfocr:organism NCBITaxon:10090 .")
# The counts: every base value is 2. The extra or ill-typed counts below leave one count that agrees with
# the ids, or none that shapes:GeneSet-geneCount-geneIds compares, so that it reports nothing more.
_COUNTS = (
    (GS, "GeneSet-geneCount", "0", "an empty gene set"),
    (AW, "AmbiguousWord-geneCount", "1", "an OCR word that matched one gene"),
    (AW, "AmbiguousWord-figureCount", "0", "an OCR word found in no figure"),
)
for _focus, _stem, _below, _about in _COUNTS:
    _node, _p = _stem.split("-")[0], f"pfocr:{_stem.split('-')[1]}"
    _shape = f"shapes:{_stem}"
    case(f"{_stem}--min-count", f"no {_p} on the {_node}", "precomputed", _shape, _p, "MinCount", _focus,
         drop=f"{_focus} {_p} 2 .")
    case(f"{_stem}--max-count", f"two {_p} on the {_node}", "precomputed", _shape, _p, "MaxCount", _focus,
         add=f"{_focus} {_p} 3 .")
    case(f"{_stem}--datatype", f"{_p} of the {_node} as a decimal", "precomputed", _shape, _p, "Datatype", _focus,
         drop=f"{_focus} {_p} 2 .", add=f"{_focus} {_p} 2.0 .")
    case(f"{_stem}--min-inclusive", _about, "precomputed", _shape, _p, "MinInclusive", _focus,
         drop=f"{_focus} {_p} 2 .", add=f"{_focus} {_p} {_below} .")
case("GeneSet-geneIds--min-count", "a gene set without its ids", "precomputed",
     "shapes:GeneSet-geneIds", "pfocr:geneIds", "MinCount", GS, drop=f'{GS} pfocr:geneIds "7474 7476" .')
case("GeneSet-geneIds--max-count", "a gene set with two id lists", "precomputed",
     "shapes:GeneSet-geneIds", "pfocr:geneIds", "MaxCount", GS, add=f'{GS} pfocr:geneIds "7474 7477" .')
case("GeneSet-geneIds--datatype", "the ids with a language tag", "precomputed",
     "shapes:GeneSet-geneIds", "pfocr:geneIds", "Datatype", GS,
     drop=f'{GS} pfocr:geneIds "7474 7476" .', add=f'{GS} pfocr:geneIds "7474 7476"@en .')
case("GeneSet-geneIds--pattern", "the genes as CURIEs, not ids", "precomputed",
     "shapes:GeneSet-geneIds", "pfocr:geneIds", "Pattern", GS,
     drop=f'{GS} pfocr:geneIds "7474 7476" .', add=f'{GS} pfocr:geneIds "NCBIGene:7474 NCBIGene:7476" .')
case("GeneSet-geneIds--pattern-tab", "the ids separated by a tab, as in a GMT line", "precomputed",
     "shapes:GeneSet-geneIds", "pfocr:geneIds", "Pattern", GS,
     drop=f'{GS} pfocr:geneIds "7474 7476" .', add=f'{GS} pfocr:geneIds "7474\\t7476" .')

case("AmbiguousWordShape--pattern", "an ambiguous word named by the word, not its hash", "precomputed",
     "shapes:AmbiguousWordShape", "-", "Pattern", "<https://pfocr.wikipathways.org/ocr-words/all/9606/WNT>",
     rename=((AW, "<https://pfocr.wikipathways.org/ocr-words/all/9606/WNT>"),))
literal_cases("precomputed", "shapes:AmbiguousWord-ocrText", "pfocr:ocrText", AW, '"WNT"', required=True)
case("AmbiguousWord-matchesGene--min-count", "an ambiguous word that matched one gene", "precomputed",
     "shapes:AmbiguousWord-matchesGene", "pfocr:matchesGene", "MinCount", AW,
     drop=f"{AW} pfocr:matchesGene ncbigene:7476 .")
case("AmbiguousWord-matchesGene--class", "an ambiguous word's gene that is not described", "precomputed",
     "shapes:AmbiguousWord-matchesGene", "pfocr:matchesGene", "Class", AW,
     add=f"{AW} pfocr:matchesGene ncbigene:7477 .")

# -- every node --------------------------------------------------------------------------------------

_BLANK = "shapes:NoBlankNodeShape"
case("NoBlankNodeShape--sparql", "a blank node linked from the figure", "figure",
     _BLANK, "rdfs:seeAlso", "SPARQL", FIG, add=f'{FIG} rdfs:seeAlso [ rdfs:label "more" ] .')
case("NoBlankNodeShape--sparql-release", "a blank node in the release description", "release",
     _BLANK, "prov:qualifiedAttribution", "SPARQL", DS,
     add=f"{DS} prov:qualifiedAttribution [ prov:agent site: ] .")
_NULL = "shapes:NoNullSentinelShape"
case("NoNullSentinelShape--sparql-na", "R's NA as a figure number", "figure",
     _NULL, "pfocr:figureNumber", "SPARQL", FIG, add=f'{FIG} pfocr:figureNumber "NA" .')
case("NoNullSentinelShape--sparql-na-character", "R's .na.character as a reference text", "figure",
     _NULL, "dcterms:bibliographicCitation", "SPARQL", ART,
     add=f'{ART} dcterms:bibliographicCitation ".na.character" .')
case("NoNullSentinelShape--sparql-nan", "NaN as an OCR word", "gene",
     _NULL, "pfocr:ocrText", "SPARQL", MG,
     drop=f'{MG} pfocr:ocrText "WNT5A" .', add=f'{MG} pfocr:ocrText "NaN" .')
case("NoNullSentinelShape--sparql-empty", "an empty gene name", "gene",
     _NULL, "schema:name", "SPARQL", GENE, drop=f'{GENE} schema:name "WNT5A" .',
     add=f'{GENE} schema:name "" .')
case("NoNullSentinelShape--sparql-blank", "a caption of spaces", "figure",
     _NULL, "schema:caption", "SPARQL", FIG,
     drop=f'{FIG} schema:caption "Canonical Wnt signalling in osteoblasts."@en .',
     add=f'{FIG} schema:caption "  "@en .')
case("NoBlankNodeShape--sparql-gene-set", "a blank node linked from a gene set", "precomputed",
     _BLANK, "rdfs:seeAlso", "SPARQL", GS, add=f'{GS} rdfs:seeAlso [ rdfs:label "GMT" ] .')
case("NoNullSentinelShape--sparql-ambiguous-word", "NA as an ambiguous OCR word", "precomputed",
     _NULL, "pfocr:ocrText", "SPARQL", AW, drop=f'{AW} pfocr:ocrText "WNT" .', add=f'{AW} pfocr:ocrText "NA" .')
case("NoNullSentinelShape--sparql-keyword", "NA among the paper keywords", "figure",
     _NULL, "schema:keywords", "SPARQL", ART, add=f'{ART} schema:keywords "bone"@en, "NA"@en .')


# -- writing -----------------------------------------------------------------------------------------

def build(c: Case) -> Graph:
    """Return the graph of one case: its base record, edited."""
    graph = _parse(BASES[c.base])
    if c.drop:
        dropped = _parse(c.drop)
        missing = [t for t in dropped if t not in graph]
        if missing:
            raise ValueError(f"{c.name}: cannot drop triples the base does not have: {missing}")
        graph -= dropped
    if c.add:
        graph += _parse(c.add)
    for old, new in c.rename:
        before, after = _term(old), _term(new)
        for s, p, o in list(graph):
            if before in (s, o):
                graph.remove((s, p, o))
                graph.add((after if s == before else s, p, after if o == before else o))
    return graph


def render(c: Case) -> str:
    """Return the text of one case's file: the header the tests read, then the graph."""
    graph = build(c)
    graph.namespace_manager = Graph().namespace_manager  # forget the snippets' prefixes
    for prefix, namespace in {**PREFIXES, **EXTRA_PREFIXES}.items():
        if prefix not in ("sh", "shapes"):
            graph.bind(prefix, namespace, override=True, replace=True)
    body = graph.serialize(format="turtle")
    focus = f"<{_term(c.focus)}>"
    return (
        f"# Invalid: {c.about}.\n"
        f"# expect: shape={c.shape} path={c.path} component={c.component} severity=sh:{c.severity} "
        f"focus={focus}\n"
        "# Written by tests/shapes/make_invalid.py (edit the case there and rerun it).\n\n"
        + body
    )


def main(argv: list[str]) -> int:
    """Rewrite the invalid folder, or with ``--check`` report whether it is up to date."""
    names = [c.name for c in CASES]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise SystemExit(f"duplicate case names: {sorted(duplicates)}")
    wanted = {f"{c.name}.ttl": render(c) for c in CASES}
    present = {p.name: p.read_text(encoding="utf-8") for p in INVALID.glob("*.ttl")}
    if "--check" in argv:
        stale = sorted(n for n in wanted.keys() | present.keys() if wanted.get(n) != present.get(n))
        for name in stale:
            print(f"out of date: {INVALID / name}")
        return 1 if stale else 0
    INVALID.mkdir(exist_ok=True)
    for name in present.keys() - wanted.keys():
        (INVALID / name).unlink()
    for name, text in wanted.items():
        if present.get(name) != text:
            (INVALID / name).write_text(text, encoding="utf-8")
    print(f"{len(wanted)} cases in {INVALID}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
