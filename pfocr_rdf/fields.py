"""Every input field PFOCR writes, and what pfocr-rdf makes of it.

This table is the single account of the input: each front-matter key and each TSV column is either
mapped (``becomes`` names the predicate, in the prefixes of :mod:`pfocr_rdf.namespaces`) or ignored
(``becomes`` starts with ``ignored:`` and says why). The reader warns about any key not listed here;
a test checks that every predicate named here is one the mapper writes; the README's field table is
printed from it (``python -m pfocr_rdf.fields``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

__all__ = ["FIELDS", "FRONT_MATTER_KEYS", "Field", "columns_of", "markdown_table"]


@dataclass(frozen=True)
class Field:
    """One input field: where it lives, and what it becomes."""

    name: str
    scope: str  # "front matter", "genes TSV", "chemicals TSV", ... ("older" = the inline era)
    becomes: str

    @property
    def ignored(self) -> bool:
        """Whether the field is deliberately not mapped."""
        return self.becomes.startswith("ignored:")


FIELDS: tuple[Field, ...] = (
    # the figure
    Field("figid", "front matter", "schema:identifier of the figure; its IRI is the schema-jsonld @id"),
    Field("figid_alias", "front matter", "schema:alternateName of the figure"),
    Field("redirect_from", "front matter", "schema:sameAs of the figure (the redirect page on the site)"),
    Field("figtitle", "front matter", "schema:name of the figure (@en)"),
    Field("caption", "front matter", "schema:caption of the figure (@en)"),
    Field("number", "front matter", "pfocr:figureNumber"),
    Field("figtype", "front matter", "pfocr:figureType"),
    Field("filename", "front matter", "schema:contentUrl (the image at Europe PMC, where the PFOCR site takes it)"),
    Field("figlink", "front matter", "schema:url (the figure page at PMC's current host)"),
    Field("automl_pathway", "front matter", "pfocr:pathwayScore (xsd:decimal)"),
    Field("pathway_score", "front matter (older)", "pfocr:pathwayScore (xsd:decimal)"),
    Field("organisms", "front matter",
          "pfocr:organism (the NCBI taxon IRI of every NCBI Taxonomy name) and pfocr:organismName (always)"),
    Field("organisms_ner", "front matter",
          "pfocr:nerOrganism (the NCBI taxon IRI of every NCBI Taxonomy name) and pfocr:nerOrganismName (always)"),
    Field("wpid", "front matter", "pfocr:wikipathways"),
    Field("ndex", "front matter", "pfocr:ndexNetwork"),
    Field("schema-jsonld", "front matter",
          "@id is the figure IRI; keywords become schema:keywords; the rest is ignored: derived from other keys "
          "(its name is the constant 'CreativeWork', a site bug)"),
    Field("seo", "front matter", "ignored: a constant ('CreativeWork') for the site's templates"),
    Field("pmc_ranked_result_index", "front matter (older)",
          "ignored: the figure's rank in the PMC search that found it, not a property of the figure"),
    Field("annotations", "front matter (older)",
          "ignored: always empty in PFOCR; a non-empty list is reported as a warning"),
    # the article
    Field("pmcid", "front matter", "the article's IRI, fabio:hasPubMedCentralId and dcterms:identifier"),
    Field("papertitle", "front matter", "schema:headline of the article (@en)"),
    Field("reftext", "front matter", "dcterms:bibliographicCitation of the article"),
    Field("year", "front matter", "schema:datePublished of the article (xsd:gYear)"),
    Field("doi", "front matter",
          "prism:doi and schema:sameAs <https://doi.org/...> of the article; a preprint server's DOI prefix "
          "(10.1101...) makes it a fabio:Preprint"),
    Field("journal_title", "front matter",
          "schema:name of the journal (schema:isPartOf of the article); a preprint server (bioRxiv...) makes the "
          "article a fabio:Preprint"),
    Field("journal_nlm_ta", "front matter", "schema:alternateName of the journal"),
    Field("publisher_name", "front matter", "schema:name of the publisher (schema:publisher of the article)"),
    Field("keywords", "front matter", "schema:keywords of the article, one per '|'-separated keyword (@en)"),
    # the mentions, current era
    Field("organism_id", "genes TSV", "pfocr:organism of the mention, schema:taxonomicRange of the gene"),
    Field("organism_name", "genes TSV", "schema:name of the taxon"),
    Field("organism_group", "genes TSV", "ignored: PFOCR's coarse grouping (Primates, Rodents...), not a taxon"),
    Field("word", "genes/chemicals/diseases TSV", "pfocr:ocrText of the mention (byte-faithful)"),
    Field("match", "genes/chemicals/diseases TSV", "pfocr:matchedText of the mention; MeSH name of the entity"),
    Field("ncbigene_symbol", "genes TSV", "schema:name of the gene"),
    Field("ncbigene_id", "genes TSV", "the gene IRI: pfocr:mentionsGene, oa:hasBody"),
    Field("source", "genes TSV",
          "pfocr:lexicon of the mention, and the gene's level: pfocr:mentionsGeneStrict (ncbigene_symbol), "
          "pfocr:mentionsGeneSynonyms (and ncbigene_synonym)"),
    Field("count_direct", "genes TSV", "ignored: per-organism counts, recomputable from the mentions"),
    Field("count_synonym", "genes TSV", "ignored: per-organism counts, recomputable from the mentions"),
    Field("count_match", "genes TSV", "ignored: per-organism counts, recomputable from the mentions"),
    Field("mesh", "chemicals/diseases TSV", "the MeSH IRI: pfocr:mentionsChemical/Disease, oa:hasBody"),
    Field("name", "chemicals/diseases TSV", "schema:name of the ChEBI or DOID entity"),
    Field("chebi", "chemicals TSV", "the ChEBI IRI, skos:closeMatch of the MeSH IRI"),
    Field("doid", "diseases TSV", "the DOID IRI, skos:closeMatch of the MeSH IRI"),
    Field("identifier", "chemicals/diseases TSV (old layout) and inline lists",
          "the MeSH IRI: pfocr:mentionsChemical/Disease, oa:hasBody"),
    Field("source", "chemicals/diseases TSV (old layout) and inline lists",
          "pfocr:lexicon of the mention (MESH becomes pfocr:mesh)"),
    # the mentions, older era (inline lists in the front matter)
    Field("genes", "front matter (older)", "the gene mentions, as in the genes TSV"),
    Field("chemicals", "front matter (older)", "the chemical mentions, as in the chemicals TSV"),
    Field("diseases", "front matter (older)", "the disease mentions, as in the diseases TSV"),
    Field("word", "inline genes (older)", "pfocr:ocrText of the mention"),
    Field("symbol", "inline genes (older)", "pfocr:matchedText of the mention"),
    Field("source", "inline genes (older)",
          "pfocr:lexicon of the mention, and the gene's level: pfocr:mentionsGeneStrict (hgnc_symbol), "
          "pfocr:mentionsGeneSynonyms (and hgnc_alias_symbol, hgnc_prev_symbol)"),
    Field("hgnc_symbol", "inline genes (older)", "schema:name of the gene (taxon: Homo sapiens, as HGNC is human)"),
    Field("entrez", "inline genes (older)", "the gene IRI: pfocr:mentionsGene, oa:hasBody"),
)

#: Every front-matter key the reader knows.
FRONT_MATTER_KEYS: frozenset[str] = frozenset(f.name for f in FIELDS if f.scope.startswith("front matter"))


@functools.cache
def columns_of(scope_word: str) -> frozenset[str]:
    """Return the known column names of the TSVs whose scope mentions ``scope_word`` (genes, chemicals...)."""
    return frozenset(f.name for f in FIELDS if "TSV" in f.scope and scope_word in f.scope)


def markdown_table() -> str:
    """Return the field table as Markdown (the README's copy)."""
    rows = ["| field | where | becomes |", "|---|---|---|"]
    rows += [f"| `{f.name}` | {f.scope} | {f.becomes.replace('|', '¦')} |" for f in FIELDS]
    return "\n".join(rows)


if __name__ == "__main__":
    print(markdown_table())
