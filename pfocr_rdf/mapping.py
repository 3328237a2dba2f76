"""Mapping: one figure record to RDF triples, in the model of ``docs/MODEL.md``.

The mapper knows records and the vocabulary, nothing of files or formats. It returns a record's
triples as :class:`Block` s: the figure with its annotations (always written), and the descriptions of
the things it points to — article, journal, publisher, genes, chemicals, diseases, taxa, lexicons —
each under a key, so that the export writes each description once however many figures mention it
(first seen wins; records come in a stable order). Every node has an IRI derived from its content:
no blank nodes. A figure's gene sets (pfocr:GeneSet) are in its own block; the ambiguous OCR words
(pfocr:AmbiguousWord), counted over every record by :class:`WordIndex`, and the release description
(:func:`release_blocks`) are written after the last record.
"""

from __future__ import annotations

import functools
import hashlib
import heapq
import operator
import pickle
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import IO

from rdflib import Literal, URIRef
from rdflib.term import Node

from .identifiers import encode_iri, encode_segment, expand, local_id
from .namespaces import (
    CHEBI_IDORG,
    DCAT,
    DCTERMS,
    DOCO,
    EUROPEPMC_SITE,
    FABIO,
    NCBIGENE_HTTP,
    NDEX,
    OA,
    PFOCR,
    PMC_SITE,
    PRISM,
    PROV,
    RDF,
    SCHEMA,
    SITE,
    SKOS,
    VOID,
    WIKIPATHWAYS,
    XSD,
)
from .organisms import Organisms, scientific_name
from .records import FigureRecord, GeneMention, Paper, TermMention

__all__ = [
    "FIGURE_LITERALS",
    "GENE_LEVELS",
    "LEVEL_NAMES",
    "PAPER_LITERALS",
    "TERM_KINDS",
    "Block",
    "GeneRows",
    "Triple",
    "WordIndex",
    "ambiguous_word_iri",
    "annotation_iri",
    "gene_set_iri",
    "gene_sets",
    "is_preprint",
    "lexicon_block",
    "lexicon_iri",
    "load_vocabulary",
    "map_record",
    "merge_genes",
    "paper_blocks",
    "pmc_page",
    "release_blocks",
    "slug",
    "taxon_block",
    "taxon_of",
    "word_matches",
]

Triple = tuple[URIRef, URIRef, Node]

CC0 = URIRef("http://creativecommons.org/publicdomain/zero/1.0/")
#: the vocabulary's ontology IRI and its 0.2.0 version IRI (``vocab/pfocr.ttl``)
VOCABULARY_IRI = URIRef("https://pfocr.wikipathways.org/vocab")
VOCABULARY_VERSION_IRI = URIRef("https://pfocr.wikipathways.org/vocab/0.2.0")
_DCAT_VERSION = URIRef(f"{DCAT}version")  # DCAT 3; rdflib's closed DCAT namespace predates it
_IANA = "https://www.iana.org/assignments/media-types/"
_IANA_MEDIA_TYPES = frozenset({"text/turtle", "application/n-triples", "application/n-quads", "application/ld+json"})
#: every vocabulary the output uses, by namespace IRI (pfocr's by its ontology IRI, which it matches)
_VOCABULARIES: tuple[URIRef, ...] = tuple(URIRef(iri) for iri in (
    str(RDF), str(SCHEMA), str(VOCABULARY_IRI), str(OA), str(DCTERMS), str(SKOS), str(FABIO), str(DOCO),
    str(PRISM), str(PROV), str(VOID), str(DCAT),
))
PFOCR_SOURCE = URIRef("https://github.com/wikipathways/pfocr-database")


@dataclass(frozen=True, slots=True)
class Block:
    """Triples that belong together; a keyed block is written only the first time its key is seen."""

    key: str | None
    triples: list[Triple] = field(default_factory=list)
    kind: URIRef | None = None  # the class of the node a keyed block describes, for the VoID counts
    counts: tuple[tuple[URIRef, int], ...] = ()  # nodes per class an unkeyed block holds


@functools.lru_cache(maxsize=65_536)
def _short_text(value: str) -> Literal:
    return Literal(value)


def _text(value: str) -> Literal:
    """A plain literal; short ones (words, symbols, names) repeat across figures and are built once."""
    return _short_text(value) if len(value) < 80 else Literal(value)


@functools.lru_cache(maxsize=65_536)
def _iri(value: str) -> URIRef:
    # for IRIs that repeat across records (entities, taxa, journals); one-off IRIs are built directly
    return URIRef(value)


# DefinedNamespace attribute access is slow; the hot path uses these module-level terms.
_GENE_MENTION, _MENTIONS_GENE = PFOCR.GeneMention, PFOCR.mentionsGene
_MENTIONS_GENE_STRICT, _MENTIONS_GENE_SYNONYMS = PFOCR.mentionsGeneStrict, PFOCR.mentionsGeneSynonyms
_OCR_TEXT, _MATCHED_TEXT, _LEXICON, _ORGANISM = PFOCR.ocrText, PFOCR.matchedText, PFOCR.lexicon, PFOCR.organism
_ANNOTATION, _HAS_TARGET, _HAS_BODY, _MOTIVATED_BY, _IDENTIFYING = (
    OA.Annotation, OA.hasTarget, OA.hasBody, OA.motivatedBy, OA.identifying)
_TYPE, _IDENTIFIER, _CLOSE_MATCH, _DECIMAL = RDF.type, DCTERMS.identifier, SKOS.closeMatch, XSD.decimal
_EXACT_MATCH = SKOS.exactMatch
_GENE, _TAXONOMIC_RANGE, _NAME = SCHEMA.Gene, SCHEMA.taxonomicRange, SCHEMA.name
_GENE_SET, _FIGURE, _GENE_SET_LEVEL = PFOCR.GeneSet, PFOCR.figure, PFOCR.geneSetLevel
_GENE_COUNT, _GENE_IDS, _INTEGER = PFOCR.geneCount, PFOCR.geneIds, XSD.integer
_AMBIGUOUS_WORD, _FIGURE_COUNT, _MATCHES_GENE = PFOCR.AmbiguousWord, PFOCR.figureCount, PFOCR.matchesGene

# (record attribute, predicate, language) for the figure's flat literal fields: prose written by the
# authors is English (@en); identifiers and labels are plain strings
FIGURE_LITERALS: tuple[tuple[str, URIRef, str | None], ...] = (
    ("figid", SCHEMA.identifier, None),
    ("alias", SCHEMA.alternateName, None),
    ("title", SCHEMA.name, "en"),
    ("caption", SCHEMA.caption, "en"),
    ("number", PFOCR.figureNumber, None),
    ("figtype", PFOCR.figureType, None),
)
PAPER_LITERALS: tuple[tuple[str, URIRef, str | None], ...] = (
    ("title", SCHEMA.headline, "en"),
    ("reftext", DCTERMS.bibliographicCitation, None),
)
TERM_KINDS: Mapping[str, tuple[URIRef, URIRef]] = {
    # kind: (annotation class, tier-1 predicate). No class on the entity: a MeSH descriptor that the
    # disease lexicon found may be an anatomy term, and one descriptor may sit in both tables; the kind
    # of a find lives on the mention, which is ours to type.
    "chemical": (PFOCR.ChemicalMention, PFOCR.mentionsChemical),
    "disease": (PFOCR.DiseaseMention, PFOCR.mentionsDisease),
}

#: PFOCR's gene-set levels (BioThings PFOCR's strict / synonyms / all), by the lexicon that found a gene:
#: 0 strict (the official symbol), 1 synonyms (plus synonyms, aliases, previous symbols), 2 all (plus
#: family and complex expansions). A lexicon not listed here counts as "all".
GENE_LEVELS: Mapping[str, int] = {
    "ncbigene_symbol": 0,
    "hgnc_symbol": 0,
    "ncbigene_synonym": 1,
    "hgnc_alias_symbol": 1,
    "hgnc_prev_symbol": 1,
    "famplex_relations": 2,
    "bioentities_symbol": 2,
}
#: the gene-set levels' names, by their numbers in GENE_LEVELS (the values of pfocr:geneSetLevel)
LEVEL_NAMES: tuple[str, ...] = ("strict", "synonyms", "all")

# Preprint servers: by the DOI prefix they register under, and by the journal names PMC gives them.
_PREPRINT_DOI_PREFIXES = ("10.1101/", "10.21203/", "10.48550/", "10.2139/", "10.20944/", "10.26434/", "10.31219/")
_PREPRINT_JOURNALS = frozenset(name.casefold() for name in (
    "bioRxiv", "medRxiv", "Research Square", "Res Sq", "arXiv", "ArXiv", "SSRN", "SSRN Electron J",
    "Preprints", "ChemRxiv", "OSF Preprints", "bioRxiv : the preprint server for biology",
    "medRxiv : the preprint server for health sciences",
))


_SHIPPED_ORGANISMS = Organisms()


def map_record(record: FigureRecord, *, base: str = SITE, organisms: Organisms = _SHIPPED_ORGANISMS) -> list[Block]:
    """Return the triples of one figure record as blocks: the figure first, then what it points to.

    ``organisms`` resolves organism names to taxa (the tree's own organism pages, then the shipped tables).
    """
    figure = _iri(record.iri or f"{SITE}figures/{encode_segment(record.figid)}.html")
    article = _iri(expand(f"PMC:{record.paper.pmcid}"))
    triples: list[Triple] = [
        (figure, _TYPE, SCHEMA.ImageObject),
        (figure, _TYPE, DOCO.Figure),
    ]
    add = triples.append
    for attribute, predicate, language in FIGURE_LITERALS:
        value = getattr(record, attribute)
        if value is not None:
            add((figure, predicate, _text(value) if language is None else Literal(value, lang=language)))
    if record.redirect:
        add((figure, SCHEMA.sameAs, URIRef(encode_iri(SITE + record.redirect.lstrip("/")))))
    if record.filename:
        add((figure, SCHEMA.contentUrl, URIRef(
            f"{EUROPEPMC_SITE}articles/{record.paper.pmcid}/bin/{encode_segment(record.filename)}")))
    if record.figlink:
        add((figure, SCHEMA.url, URIRef(encode_iri(pmc_page(record.figlink)))))
    add((figure, SCHEMA.isPartOf, article))
    if record.pathway_score is not None:
        add((figure, PFOCR.pathwayScore, Literal(record.pathway_score, datatype=_DECIMAL)))
    blocks: list[Block] = []
    local_taxa = {g.organism_name: g.taxon for g in record.genes if g.organism_name and g.taxon}
    for names, taxon_predicate, name_predicate in (
        (record.organisms, PFOCR.organism, PFOCR.organismName),
        (record.ner_organisms, PFOCR.nerOrganism, PFOCR.nerOrganismName),
    ):
        for name in names:
            add((figure, name_predicate, _text(name)))
            taxon = organisms.taxon(name, local_taxa)
            if taxon is not None:
                add((figure, taxon_predicate, _iri(expand(taxon))))
                blocks.append(taxon_block(taxon, name))
    for wpid in record.wikipathways:
        add((figure, PFOCR.wikipathways, _iri(f"{WIKIPATHWAYS}{wpid}")))
    if record.ndex:
        add((figure, PFOCR.ndexNetwork, _iri(f"{NDEX}{record.ndex}")))
    for keyword in record.keywords:
        add((figure, SCHEMA.keywords, _text(keyword)))

    mentions_prefix = f"{base}figures/{encode_segment(record.figid)}/mentions/"
    annotations: list[Triple] = []
    merged = merge_genes(record.genes)
    genes = _gene_mentions(merged, figure, mentions_prefix, triples, annotations, blocks)
    chemicals = _term_mentions("chemical", record.chemicals, figure, mentions_prefix, triples, annotations, blocks)
    diseases = _term_mentions("disease", record.diseases, figure, mentions_prefix, triples, annotations, blocks)
    sets: list[Triple] = []
    for level, taxon, ids in gene_sets(merged):
        node = URIRef(gene_set_iri(base, record.figid, level, taxon))
        sets += [
            (node, _TYPE, _GENE_SET),
            (node, _FIGURE, figure),
            (node, _GENE_SET_LEVEL, _text(LEVEL_NAMES[level])),
            (node, _ORGANISM, _iri(expand(taxon))),
            (node, _GENE_COUNT, _integer(len(ids))),
            (node, _GENE_IDS, Literal(" ".join(ids))),
        ]

    figure_block = Block(None, triples + annotations + sets, counts=(
        (SCHEMA.ImageObject, 1),
        (_GENE_MENTION, genes),
        (PFOCR.ChemicalMention, chemicals),
        (PFOCR.DiseaseMention, diseases),
        (_GENE_SET, len(sets) // 6),
    ))
    return [figure_block, *paper_blocks(record.paper, article, base), *blocks]


@dataclass(frozen=True, slots=True)
class GeneRows:
    """A figure's gene rows, merged once for everything built from them (:func:`merge_genes`)."""

    mentions: dict[tuple[str, str], list[GeneMention]]  # (OCR word, gene CURIE) -> its rows, in order
    levels: dict[str, int]  # gene -> the narrowest level (GENE_LEVELS) any of its rows reaches
    taxa: dict[str, str | None]  # gene -> its organism: the taxon of its first row (as in its description)


def merge_genes(genes: Iterable[GeneMention]) -> GeneRows:
    """Merge a figure's gene rows by (word, gene), and note each gene's narrowest level and its organism."""
    mentions: dict[tuple[str, str], list[GeneMention]] = {}
    levels: dict[str, int] = {}
    taxa: dict[str, str | None] = {}
    for mention in genes:
        mentions.setdefault((mention.word, mention.gene), []).append(mention)
        level = GENE_LEVELS.get(mention.lexicon or "", 2)
        if level < levels.get(mention.gene, 3):
            levels[mention.gene] = level
        taxa.setdefault(mention.gene, mention.taxon)
    return GeneRows(mentions, levels, taxa)


def gene_sets(genes: GeneRows) -> list[tuple[int, str, list[str]]]:
    """Return a figure's gene sets as (level, taxon CURIE, NCBI Gene ids in numeric order), non-empty ones only.

    PFOCR's sets: at each level (strict, synonyms, all: see :data:`GENE_LEVELS`) the genes that some row
    reaches at that level or a narrower one, one set per organism (a gene without one is in no set). Levels
    first, then the organisms in the order their first genes come.
    """
    by_taxon: dict[str, list[tuple[int, str]]] = {}
    for gene, level in genes.levels.items():
        taxon = genes.taxa[gene]
        if taxon is not None:
            by_taxon.setdefault(taxon, []).append((level, local_id(gene)))
    sets = []
    for widest in range(len(LEVEL_NAMES)):
        for taxon, members in by_taxon.items():
            ids = sorted((gene for level, gene in members if level <= widest), key=_numeric)
            if ids:
                sets.append((widest, taxon, ids))
    return sets


def _numeric(gene_id: str) -> tuple[int, str]:
    # NCBI Gene ids in numeric order (the reader checks they are digits, without leading zeros)
    return len(gene_id), gene_id


def gene_set_iri(base: str, figid: str, level: int, taxon: str) -> str:
    """Return the IRI of a figure's gene set: ``{base}figures/{figid}/gene-sets/{level name}/{taxon id}``."""
    return (f"{base}figures/{encode_segment(figid)}/gene-sets/{LEVEL_NAMES[level]}/"
            f"{encode_segment(local_id(taxon))}")


def word_matches(genes: Iterable[GeneMention]) -> tuple[tuple[str, int], ...]:
    """Return what a figure adds to the corpus's OCR-word counts (:class:`WordIndex`): for each OCR word and gene
    it matched, the key ``"{taxon}\\x00{word}"`` and the code NCBI Gene id x 4 + the narrowest level any row of
    the pair reaches; the gene's organism as in :func:`merge_genes` (genes without one left out). Computed where
    the record is read (a worker), so that the process that counts only merges."""
    merged = merge_genes(genes)
    return tuple((f"{taxon}\x00{word}", int(local_id(gene)) << 2 | min(GENE_LEVELS.get(row.lexicon or "", 2)
                                                                       for row in rows))
                 for (word, gene), rows in merged.mentions.items() if (taxon := merged.taxa[gene]) is not None)


class WordIndex:
    """The corpus's OCR words, per organism: the genes each matched and in how many figures, per level.

    The export adds each exported figure's :func:`word_matches` in order; :meth:`blocks` then describes the
    ambiguous ones (the nodes ``ambiguous-words`` reads). One entry per (organism, word): a string key and a
    list of ints, the figures per level then one code per gene (NCBI Gene id x 4 + narrowest level). Entries
    merge (counts add, a gene keeps its narrowest level), so memory stays bounded at any corpus size: past
    ``budget`` entries (~30 MB) they are sorted into a temporary file and the index starts afresh, and
    :meth:`blocks` merges those runs in key order. A corpus of 110,000 generated figures has ~190,000.
    """

    _LEVELS = len(LEVEL_NAMES)

    def __init__(self, budget: int = 50_000) -> None:
        self._words: dict[str, list[int]] = {}  # "taxon\x00word" -> [figures per level..., gene codes...]
        self._budget = budget
        self._runs: list[IO[bytes]] = []  # sorted spills, each a sequence of pickled lists of entries

    def add(self, matches: Iterable[tuple[str, int]]) -> None:
        """Count one figure's matches (:func:`word_matches`)."""
        levels = self._LEVELS
        in_figure: dict[str, int] = {}  # key -> the narrowest level of its matches in this figure
        words = self._words
        for key, code in matches:
            level = code & 3
            entry = words.get(key)
            if entry is None:
                words[key] = [0] * levels + [code]
            else:
                _merge_gene(entry, code)
            if level < in_figure.get(key, levels):
                in_figure[key] = level
        for key, level in in_figure.items():
            entry = words[key]
            for widest in range(level, levels):
                entry[widest] += 1
        if len(words) >= self._budget:
            self._spill()

    def _spill(self) -> None:
        run = tempfile.TemporaryFile(prefix="pfocr-rdf-words-")
        items = sorted(self._words.items())
        for start in range(0, len(items), 4096):
            pickle.dump(items[start:start + 4096], run, protocol=pickle.HIGHEST_PROTOCOL)
        run.seek(0)
        self._runs.append(run)
        self._words = {}

    def _entries(self) -> Iterator[tuple[str, list[int]]]:
        """Every (key, entry) once, in key order, the runs merged."""
        if not self._runs:
            yield from sorted(self._words.items())
            return
        if self._words:
            self._spill()
        merged: tuple[str, list[int]] | None = None
        try:
            for key, entry in heapq.merge(*(_read_run(run) for run in self._runs), key=operator.itemgetter(0)):
                if merged is not None and merged[0] == key:
                    total = merged[1]
                    for level in range(self._LEVELS):
                        total[level] += entry[level]
                    for code in entry[self._LEVELS:]:
                        _merge_gene(total, code)
                    continue
                if merged is not None:
                    yield merged
                merged = (key, entry)
            if merged is not None:
                yield merged
        finally:
            for run in self._runs:
                run.close()
            self._runs = []

    def blocks(self, base: str, batch: int = 1000) -> Iterator[Block]:
        """Yield the ambiguous words' descriptions, ``batch`` nodes a block, in (taxon, word, level) order.

        An ambiguous word is one (OCR word, organism, level) that matched two or more genes of the organism:
        ``{base}ocr-words/{level}/{taxon id}/{hash of the word}``, a pfocr:AmbiguousWord with the word,
        level, organism, number of genes and of figures, and the genes.
        """
        levels = self._LEVELS
        triples: list[Triple] = []
        nodes = 0
        for key, entry in self._entries():
            if len(entry) < levels + 2:  # one gene
                continue
            taxon, _, word = key.partition("\x00")
            codes = sorted(entry[levels:])
            for level, name in enumerate(LEVEL_NAMES):
                matched = [code >> 2 for code in codes if code & 3 <= level]
                if len(matched) < 2:
                    continue
                node = URIRef(ambiguous_word_iri(base, level, taxon, word))
                triples += [
                    (node, _TYPE, _AMBIGUOUS_WORD),
                    (node, _OCR_TEXT, _text(word)),
                    (node, _GENE_SET_LEVEL, _text(name)),
                    (node, _ORGANISM, _iri(expand(taxon))),
                    (node, _GENE_COUNT, _integer(len(matched))),
                    (node, _FIGURE_COUNT, _integer(entry[level])),
                    *[(node, _MATCHES_GENE, _gene_iri(gene_id)) for gene_id in matched],
                ]
                nodes += 1
                if nodes == batch:
                    yield Block(None, triples, counts=((_AMBIGUOUS_WORD, nodes),))
                    triples, nodes = [], 0
        if nodes:
            yield Block(None, triples, counts=((_AMBIGUOUS_WORD, nodes),))


@functools.lru_cache(maxsize=4096)
def _integer(value: int) -> Literal:
    return Literal(str(value), datatype=_INTEGER)


@functools.lru_cache(maxsize=65_536)
def _gene_iri(gene_id: int) -> URIRef:
    return _iri(expand(f"NCBIGene:{gene_id}"))


def _merge_gene(entry: list[int], code: int) -> None:
    """Add a gene's code to a word's entry, keeping the narrowest level when the gene is there already."""
    gene = code >> 2
    for index in range(WordIndex._LEVELS, len(entry)):
        if entry[index] >> 2 == gene:
            if code < entry[index]:
                entry[index] = code
            return
    entry.append(code)


def _read_run(run: IO[bytes]) -> Iterator[tuple[str, list[int]]]:
    while True:
        try:
            yield from pickle.load(run)
        except EOFError:
            return


def ambiguous_word_iri(base: str, level: int, taxon: str, word: str) -> str:
    """Return the IRI of an ambiguous OCR word: ``{base}ocr-words/{level name}/{taxon id}/{hash of the word}``."""
    digest = hashlib.sha256(word.encode()).hexdigest()[:16]
    return f"{base}ocr-words/{LEVEL_NAMES[level]}/{encode_segment(local_id(taxon))}/{digest}"


def pmc_page(figlink: str) -> str:
    """Return the figure page at PMC's current host for a ``figlink`` (``pmc/articles/PMC1/figure/F1/``).

    PMC moved from ``www.ncbi.nlm.nih.gov/pmc/`` to ``pmc.ncbi.nlm.nih.gov/``; PFOCR's links keep the old path.
    """
    path = figlink.lstrip("/")
    return PMC_SITE + (path[len("pmc/"):] if path.startswith("pmc/") else path)


def is_preprint(paper: Paper) -> bool:
    """Whether the paper comes from a preprint server (by its DOI prefix or its journal's name)."""
    if paper.doi and paper.doi.startswith(_PREPRINT_DOI_PREFIXES):
        return True
    return any(name and name.casefold() in _PREPRINT_JOURNALS for name in (paper.journal_nlm_ta, paper.journal_title))


def annotation_iri(prefix: str, word: str, ids: Sequence[str], kind: str | None = None) -> str:
    """Return the IRI of the annotation of one (figure, OCR word, entity); for chemicals and diseases, of one
    kind too: the two lexicons can find the same MeSH descriptor with the same word, and those are two finds."""
    text = f"{word}\x00{' '.join(ids)}" if kind is None else f"{word}\x00{' '.join(ids)}\x00{kind}"
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    return f"{prefix}{_annotation_head(ids[0])}-{digest}"


@functools.lru_cache(maxsize=16_384)
def _annotation_head(curie: str) -> str:
    # the entity part of an annotation's IRI (ncbigene-4040): entities repeat across figures
    return f"{curie.partition(':')[0].lower()}-{encode_segment(local_id(curie))}"


def _annotation(
    node: URIRef,
    kind: URIRef,
    figure: URIRef,
    bodies: Sequence[URIRef],
    word: str,
    rows: Sequence[GeneMention] | Sequence[TermMention],
    annotations: list[Triple],
    blocks: list[Block],
) -> None:
    """Append the triples every mention annotation has: target, bodies, OCR word, matches, lexicons."""
    annotations += [
        (node, _TYPE, _ANNOTATION),
        (node, _TYPE, kind),
        (node, _HAS_TARGET, figure),
    ]
    annotations += [(node, _HAS_BODY, body) for body in bodies]
    annotations += [
        (node, _MOTIVATED_BY, _IDENTIFYING),
        (node, _OCR_TEXT, _text(word)),
    ]
    if len(rows) == 1:  # the common case, without the de-duplication below
        matches = [] if rows[0].matched is None else [rows[0].matched]
        lexicons = [] if rows[0].lexicon is None else [rows[0].lexicon]
    else:
        matches = _distinct(row.matched for row in rows)
        lexicons = _distinct(row.lexicon for row in rows)
    for matched in matches:
        annotations.append((node, _MATCHED_TEXT, _text(matched)))
    for lexicon in lexicons:
        annotations.append((node, _LEXICON, lexicon_iri(lexicon)))
        blocks.append(lexicon_block(lexicon))


def _gene_mentions(
    genes: GeneRows,
    figure: URIRef,
    prefix: str,
    figure_triples: list[Triple],
    annotations: list[Triple],
    blocks: list[Block],
) -> int:
    merged, levels = genes.mentions, genes.levels
    # all, then synonyms, then strict: each predicate's genes together, as one Turtle statement each
    for predicate, widest in ((_MENTIONS_GENE, 2), (_MENTIONS_GENE_SYNONYMS, 1), (_MENTIONS_GENE_STRICT, 0)):
        figure_triples += [(figure, predicate, _iri(expand(g))) for g, level in levels.items() if level <= widest]
    for (word, gene_curie), rows in merged.items():
        gene = _iri(expand(gene_curie))
        node = URIRef(annotation_iri(prefix, word, [gene_curie]))
        _annotation(node, _GENE_MENTION, figure, [gene], word, rows, annotations, blocks)
        taxon = rows[0].taxon
        if taxon is not None:
            annotations.append((node, _ORGANISM, _iri(expand(taxon))))
            blocks.append(taxon_block(taxon, rows[0].organism_name))
        entity: list[Triple] = [
            (gene, _TYPE, _GENE),
            (gene, _IDENTIFIER, _text(gene_curie)),
            (gene, _EXACT_MATCH, _iri(NCBIGENE_HTTP + local_id(gene_curie))),
        ]
        if taxon is not None:
            entity.append((gene, _TAXONOMIC_RANGE, _iri(expand(taxon))))
        blocks.append(Block(str(gene), entity, _GENE))
        symbol = next((row.symbol for row in rows if row.symbol), None)
        if symbol:
            blocks.append(_name_block(gene, symbol))
    return len(merged)


def _term_mentions(
    kind: str,
    terms: Iterable[TermMention],
    figure: URIRef,
    prefix: str,
    figure_triples: list[Triple],
    annotations: list[Triple],
    blocks: list[Block],
) -> int:
    annotation_class, tier1 = TERM_KINDS[kind]
    merged: dict[tuple[str, tuple[str, ...]], list[TermMention]] = {}
    for mention in terms:
        merged.setdefault((mention.word, mention.ids), []).append(mention)
    mentioned: set[str] = set()
    for (word, ids), rows in merged.items():
        entities = [_iri(expand(curie)) for curie in ids]
        for curie, entity in zip(ids, entities, strict=True):
            if curie not in mentioned:
                mentioned.add(curie)
                figure_triples.append((figure, tier1, entity))
        node = URIRef(annotation_iri(prefix, word, ids, kind))
        _annotation(node, annotation_class, figure, entities, word, rows, annotations, blocks)
        for curie, entity in zip(ids, entities, strict=True):
            described: list[Triple] = [(entity, _IDENTIFIER, _text(curie))]
            if curie.startswith("CHEBI:"):
                described.append((entity, _EXACT_MATCH, _iri(CHEBI_IDORG + local_id(curie))))
            blocks.append(Block(str(entity), described))
            names = (row.matched if curie.startswith("MESH:") else row.name for row in rows)
            name = next((n for n in names if n), None)
            if name:
                blocks.append(_name_block(entity, name))
        if len(entities) > 1:
            mesh, other = entities[0], entities[1]
            blocks.append(Block(f"{mesh} {other}", [
                (mesh, _CLOSE_MATCH, other),
                (other, _CLOSE_MATCH, mesh),
            ]))
    return len(merged)


def _name_block(entity: URIRef, name: str) -> Block:
    """The entity's name, in a block of its own: the first record that knows a name gives it."""
    return Block(f"{entity} name", [(entity, _NAME, _text(name))])


def paper_blocks(paper: Paper, article: URIRef, base: str) -> list[Block]:
    """Return the article's block, then its journal's and its publisher's when it names them."""
    triples: list[Triple] = [
        (article, RDF.type, SCHEMA.ScholarlyArticle),
        (article, RDF.type, FABIO.Preprint if is_preprint(paper) else FABIO.JournalArticle),
    ]
    add = triples.append
    for attribute, predicate, language in PAPER_LITERALS:
        value = getattr(paper, attribute)
        if value is not None:
            add((article, predicate, _text(value) if language is None else Literal(value, lang=language)))
    if paper.year:
        add((article, SCHEMA.datePublished, Literal(paper.year, datatype=XSD.gYear)))
    add((article, FABIO.hasPubMedCentralId, _text(paper.pmcid)))
    add((article, DCTERMS.identifier, _text(f"PMC:{paper.pmcid}")))
    if paper.doi:
        add((article, PRISM.doi, _text(paper.doi)))
        add((article, SCHEMA.sameAs, URIRef(expand(f"doi:{paper.doi}"))))
    for keyword in paper.keywords:
        add((article, SCHEMA.keywords, Literal(keyword, lang="en")))
    blocks = [Block(str(article), triples, SCHEMA.ScholarlyArticle)]
    journal_name = paper.journal_nlm_ta or paper.journal_title
    if journal_name:
        journal = _iri(f"{base}journals/{slug(journal_name)}")
        add((article, SCHEMA.isPartOf, journal))
        described: list[Triple] = [(journal, RDF.type, SCHEMA.Periodical)]
        if paper.journal_title:
            described.append((journal, SCHEMA.name, _text(paper.journal_title)))
        if paper.journal_nlm_ta:
            described.append((journal, SCHEMA.alternateName, _text(paper.journal_nlm_ta)))
        blocks.append(Block(str(journal), described, SCHEMA.Periodical))
    if paper.publisher:
        publisher = _iri(f"{base}publishers/{slug(paper.publisher)}")
        add((article, SCHEMA.publisher, publisher))
        blocks.append(Block(str(publisher), [
            (publisher, RDF.type, SCHEMA.Organization),
            (publisher, SCHEMA.name, _text(paper.publisher)),
        ], SCHEMA.Organization))
    return blocks


def slug(name: str) -> str:
    """Return a journal's or publisher's name as the last segment of its IRI."""
    return encode_segment(name.replace(" ", "_"))


@functools.cache
def taxon_block(taxon: str, name: str | None) -> Block:
    """Return the description of a taxon (a CURIE), named by the hand-checked table or else ``name``."""
    iri = _iri(expand(taxon))
    triples: list[Triple] = [
        (iri, RDF.type, SCHEMA.Taxon),
        (iri, DCTERMS.identifier, _text(taxon)),
    ]
    scientific = scientific_name(taxon) or name
    if scientific:
        triples.append((iri, SCHEMA.name, _text(scientific)))
    return Block(str(iri), triples, SCHEMA.Taxon)


@functools.cache
def lexicon_iri(lexicon: str) -> URIRef:
    """Return the SKOS concept of a lexicon code."""
    # PFOCR[name] checks the name against the closed namespace; the reader only passes known lexicons
    return URIRef(PFOCR[lexicon])


@functools.cache
def lexicon_block(lexicon: str) -> Block:
    """Return the description of a lexicon's SKOS concept, with the vocabulary's labels."""
    concept = lexicon_iri(lexicon)
    return Block(str(concept), [
        (concept, RDF.type, SKOS.Concept),
        (concept, RDF.type, PFOCR.Lexicon),
        (concept, SKOS.notation, _text(lexicon)),
        *((concept, SKOS.prefLabel, Literal(label, lang="en")) for label in _lexicon_labels().get(lexicon, ())),
        (concept, SKOS.inScheme, PFOCR.lexicons),
    ], PFOCR.Lexicon)


def load_vocabulary() -> None:
    """Read now what the mapper takes from the shipped vocabulary (the lexicons' labels), e.g. before forking
    workers, which then share it instead of each parsing the vocabulary."""
    _lexicon_labels()


@functools.cache
def _lexicon_labels() -> dict[str, tuple[str, ...]]:
    """The English labels the vocabulary gives each lexicon, by its code (``skos:notation``)."""
    from rdflib import Graph

    text = resources.files("pfocr_rdf.vocab").joinpath("pfocr.ttl").read_text(encoding="utf-8")
    vocabulary = Graph().parse(data=text, format="turtle")
    return {
        str(code): tuple(sorted(str(label) for label in vocabulary.objects(concept, SKOS.prefLabel)))
        for concept, code in vocabulary.subject_objects(SKOS.notation)
    }


def taxon_of(name: str) -> str | None:
    """Return the NCBITaxon CURIE of an organism name in the shipped tables, or None (none, or ambiguous)."""
    return _SHIPPED_ORGANISMS.taxon(name)


def _distinct(values: Iterable[str | None]) -> list[str]:
    return [value for value in dict.fromkeys(values) if value is not None]  # ordered, never quadratic


def release_blocks(
    *,
    base: str,
    triples: int,
    entities: Mapping[URIRef, int],
    generated: str,
    version: str,
    commit: str | None = None,
    formats: Iterable[tuple[str, str]] = (),
) -> list[Block]:
    """Return the release description: title, version, licence, VoID counts, distributions and provenance.

    ``entities`` counts the described nodes per class; ``generated`` is an ``xsd:dateTime`` lexical form, the
    input's time; ``commit`` the input's git commit, when it is one; ``version`` the software's version;
    ``formats`` lists (name, media type) of the distributions written.
    """
    # the PFOCR project, described below as the creator, is an Organization of the output too
    entities = Counter(entities)
    entities[SCHEMA.Organization] += 1
    dataset = URIRef(f"{base}dataset")
    activity = URIRef(f"{base}dataset/export")
    software = URIRef(f"{base}software/pfocr-rdf")
    site = URIRef(SITE)
    when = Literal(generated, datatype=XSD.dateTime)
    # the release is named by its input: the day of the data, and the commit when there is one
    release_version = Literal(generated[:10] + (f"+git.{commit[:12]}" if commit else ""))
    title = Literal("PFOCR: Pathway Figure OCR as linked data", lang="en")
    description = Literal(
        "Pathway figures from PubMed Central papers, with the genes, chemicals and diseases that Pathway "
        "Figure OCR found in them, as RDF (schema.org and the pfocr: vocabulary).", lang="en")
    triples_out: list[Triple] = [
        (dataset, RDF.type, SCHEMA.Dataset),
        (dataset, RDF.type, VOID.Dataset),
        (dataset, RDF.type, DCAT.Dataset),
        (dataset, SCHEMA.name, title),
        (dataset, DCTERMS.title, title),
        (dataset, SCHEMA.description, description),
        (dataset, DCTERMS.description, description),
        (dataset, SCHEMA.license, CC0),
        (dataset, DCTERMS.license, CC0),
        (dataset, SCHEMA.creator, site),
        (dataset, DCTERMS.creator, site),
        (dataset, SCHEMA.version, release_version),
        (dataset, _DCAT_VERSION, release_version),
        (dataset, DCTERMS.conformsTo, VOCABULARY_VERSION_IRI),
        (dataset, DCTERMS.source, PFOCR_SOURCE),
        (dataset, VOID.triples, Literal(str(triples), datatype=XSD.integer)),
        (dataset, VOID.entities, Literal(str(sum(entities.values())), datatype=XSD.integer)),
        *((dataset, VOID.vocabulary, vocabulary) for vocabulary in _VOCABULARIES),
        (dataset, PROV.generatedAtTime, when),
        (dataset, PROV.wasGeneratedBy, activity),
    ]
    partitions: list[Triple] = []
    for cls, count in sorted(entities.items()):
        partition = URIRef(f"{base}dataset/class/{cls.split('/')[-1].split('#')[-1]}")
        triples_out.append((dataset, VOID.classPartition, partition))
        partitions += [
            (partition, RDF.type, VOID.Dataset),
            (partition, VOID["class"], cls),
            (partition, VOID.entities, Literal(str(count), datatype=XSD.integer)),
        ]
    distributions: list[Triple] = []
    for name, media_type in formats:
        distribution = URIRef(f"{base}dataset/distribution/{name}")
        triples_out.append((dataset, DCAT.distribution, distribution))
        distributions += [(distribution, RDF.type, DCAT.Distribution)]
        if media_type in _IANA_MEDIA_TYPES:  # JSON Lines is not registered: no IANA IRI to give it
            distributions.append((distribution, DCAT.mediaType, URIRef(f"{_IANA}{media_type}")))
        distributions.append((distribution, DCTERMS.format, Literal(media_type)))
        distributions.append((distribution, DCTERMS.license, CC0))
    provenance: list[Triple] = [
        (activity, RDF.type, PROV.Activity),
        (activity, PROV.used, PFOCR_SOURCE),
        (activity, PROV.wasAssociatedWith, software),
        (activity, PROV.endedAtTime, when),
        (software, RDF.type, PROV.SoftwareAgent),
        (software, RDF.type, SCHEMA.SoftwareApplication),
        (software, SCHEMA.name, Literal("pfocr-rdf")),
        (software, SCHEMA.softwareVersion, Literal(version)),
        (site, RDF.type, SCHEMA.Organization),
        (site, RDF.type, PROV.Agent),
        (site, SCHEMA.name, Literal("PFOCR (Pathway Figure OCR), WikiPathways")),
        (site, SCHEMA.url, site),
    ]
    if commit:
        snapshot = URIRef(f"{base}dataset/source")
        provenance += [
            (activity, PROV.used, snapshot),
            (snapshot, RDF.type, PROV.Entity),
            (snapshot, DCTERMS.isVersionOf, PFOCR_SOURCE),
            (snapshot, SCHEMA.version, Literal(commit)),
            (snapshot, DCTERMS.identifier, Literal(f"git:{commit}")),
            (snapshot, PROV.generatedAtTime, when),
        ]
    return [Block(None, triples_out + partitions + distributions + provenance)]
