"""The record model: plain, already-cleaned PFOCR figure records.

Reading produces these; mapping consumes them. They know nothing of files or RDF: every value is a
clean Python string (null sentinels already gone, identifiers already normalised to CURIEs such as
``NCBIGene:4040`` or ``MESH:D005227`` by :mod:`pfocr_rdf.identifiers`), or ``None`` when absent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = ["Era", "FigureRecord", "GeneMention", "Paper", "TermMention"]

Era = Literal["current", "older"]


@dataclass(frozen=True, slots=True)
class GeneMention:
    """One OCR word that PFOCR matched to one NCBI gene."""

    word: str
    gene: str  # CURIE, NCBIGene:<id>
    symbol: str | None  # the gene's official symbol (ncbigene_symbol, or hgnc_symbol in older records)
    matched: str | None  # the lexicon entry the word matched (match, or symbol in older records)
    lexicon: str | None  # the lexicon source, e.g. ncbigene_symbol
    taxon: str | None  # CURIE, NCBITaxon:<id>
    organism_name: str | None


@dataclass(frozen=True, slots=True)
class TermMention:
    """One OCR word that PFOCR matched to a chemical or a disease (MeSH, ChEBI or DOID)."""

    word: str
    ids: tuple[str, ...]  # CURIEs, MeSH first (MESH:D005227, CHEBI:35366 / DOID:0060239)
    matched: str | None  # the MeSH entry's name the word matched
    name: str | None  # the ChEBI or DOID name
    lexicon: str | None  # "mesh" where the word was matched against MeSH


@dataclass(frozen=True, slots=True)
class Paper:
    """The article a figure comes from."""

    pmcid: str  # PMC12345
    title: str | None = None
    reftext: str | None = None
    year: str | None = None  # four digits
    doi: str | None = None  # lower-cased
    journal_title: str | None = None
    journal_nlm_ta: str | None = None
    publisher: str | None = None
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FigureRecord:
    """One PFOCR figure with its paper and its gene, chemical and disease mentions."""

    figid: str
    source: str  # the file it was read from
    era: Era
    paper: Paper
    iri: str | None = None  # the site's own @id for the figure
    alias: str | None = None
    redirect: str | None = None  # site path, e.g. /figures/PMC1__F3
    title: str | None = None
    caption: str | None = None
    number: str | None = None
    figtype: str | None = None
    filename: str | None = None
    figlink: str | None = None  # PMC path, leading slash removed
    pathway_score: str | None = None  # canonical decimal text
    organisms: tuple[str, ...] = ()
    ner_organisms: tuple[str, ...] = ()
    wikipathways: tuple[str, ...] = ()  # WP ids
    ndex: str | None = None  # NDEx network UUID
    keywords: tuple[str, ...] = ()  # from the site's embedded JSON-LD
    genes: tuple[GeneMention, ...] = ()
    chemicals: tuple[TermMention, ...] = ()
    diseases: tuple[TermMention, ...] = ()
    warnings: tuple[str, ...] = field(default=(), compare=False)
