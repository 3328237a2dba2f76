"""Mapping: one figure record to RDF triples, in the model of ``docs/MODEL.md``.

The mapper knows records and the vocabulary, nothing of files or formats. It returns a record's
triples as :class:`Block` s: the figure with its annotations (always written), and the descriptions of
the things it points to — article, journal, publisher, genes, chemicals, diseases, taxa, lexicons —
each under a key, so that the export writes each description once however many figures mention it
(first seen wins; records come in a stable order). Every node has an IRI derived from its content:
no blank nodes. The release description, written after the last record, comes from :func:`release_blocks`.
"""

from __future__ import annotations

import functools
import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources

from rdflib import Literal, URIRef
from rdflib.term import Node

from .identifiers import encode_iri, encode_segment, expand, local_id
from .namespaces import (
    DCAT,
    DCTERMS,
    DOCO,
    FABIO,
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
from .records import FigureRecord, GeneMention, Paper, TermMention

__all__ = ["Block", "Triple", "map_record", "release_blocks", "taxon_of"]

Triple = tuple[URIRef, URIRef, Node]

CC0 = URIRef("http://creativecommons.org/publicdomain/zero/1.0/")
PFOCR_SOURCE = URIRef("https://github.com/wikipathways/pfocr-database")


@dataclass(frozen=True, slots=True)
class Block:
    """Triples that belong together; a keyed block is written only the first time its key is seen."""

    key: str | None
    triples: list[Triple] = field(default_factory=list)
    kind: URIRef | None = None  # the class of the node a keyed block describes, for the VoID counts
    counts: tuple[tuple[URIRef, int], ...] = ()  # nodes per class an unkeyed block holds


def _plain(value: str) -> Literal:
    """A plain (xsd:string) literal, without rdflib's analysis of its lexical form, which a plain string
    does not need (a hot path). tests/test_mapping.py checks that it equals ``Literal(value)``."""
    node = str.__new__(Literal, value)
    node._language = None
    node._datatype = None
    node._value = value
    node._ill_typed = None
    return node


@functools.lru_cache(maxsize=65_536)
def _short_text(value: str) -> Literal:
    return _plain(value)


def _text(value: str) -> Literal:
    """A plain literal; short ones (words, symbols, names) repeat across figures and are built once."""
    return _short_text(value) if len(value) < 80 else _plain(value)


@functools.lru_cache(maxsize=65_536)
def _iri(value: str) -> URIRef:
    # for IRIs that repeat across records (entities, taxa, journals); one-off IRIs are built directly
    return URIRef(value)


def _minted(value: str) -> URIRef:
    """An IRI this module built from percent-encoded parts: skip rdflib's validity check (a hot path)."""
    return str.__new__(URIRef, value)


# DefinedNamespace attribute access is slow; the hot path uses these module-level terms.
_GENE_MENTION, _MENTIONS_GENE = PFOCR.GeneMention, PFOCR.mentionsGene
_OCR_TEXT, _MATCHED_TEXT, _LEXICON, _ORGANISM = PFOCR.ocrText, PFOCR.matchedText, PFOCR.lexicon, PFOCR.organism
_ANNOTATION, _HAS_TARGET, _HAS_BODY, _MOTIVATED_BY, _IDENTIFYING = (
    OA.Annotation, OA.hasTarget, OA.hasBody, OA.motivatedBy, OA.identifying)
_TYPE, _IDENTIFIER, _CLOSE_MATCH, _DECIMAL = RDF.type, DCTERMS.identifier, SKOS.closeMatch, XSD.decimal
_GENE, _TAXONOMIC_RANGE, _NAME = SCHEMA.Gene, SCHEMA.taxonomicRange, SCHEMA.name

# (record attribute, predicate) for the figure's flat literal fields
_FIGURE_LITERALS: tuple[tuple[str, URIRef], ...] = (
    ("figid", SCHEMA.identifier),
    ("alias", SCHEMA.alternateName),
    ("title", SCHEMA.name),
    ("caption", SCHEMA.caption),
    ("number", PFOCR.figureNumber),
    ("figtype", PFOCR.figureType),
)
_PAPER_LITERALS: tuple[tuple[str, URIRef], ...] = (
    ("title", SCHEMA.headline),
    ("reftext", DCTERMS.bibliographicCitation),
)
_TERM_KINDS: Mapping[str, tuple[URIRef, URIRef, URIRef]] = {
    # kind: (annotation class, tier-1 predicate, entity class)
    "chemical": (PFOCR.ChemicalMention, PFOCR.mentionsChemical, SCHEMA.ChemicalSubstance),
    "disease": (PFOCR.DiseaseMention, PFOCR.mentionsDisease, SCHEMA.MedicalCondition),
}


def map_record(record: FigureRecord, *, base: str = SITE) -> list[Block]:
    """Return the triples of one figure record as blocks: the figure first, then what it points to."""
    figure = _iri(record.iri or f"{SITE}figures/{encode_segment(record.figid)}.html")
    article = _iri(expand(f"PMC:{record.paper.pmcid}"))
    triples: list[Triple] = [
        (figure, _TYPE, SCHEMA.ImageObject),
        (figure, _TYPE, DOCO.Figure),
    ]
    add = triples.append
    for attribute, predicate in _FIGURE_LITERALS:
        value = getattr(record, attribute)
        if value is not None:
            add((figure, predicate, _text(value)))
    if record.redirect:
        add((figure, SCHEMA.sameAs, URIRef(encode_iri(SITE + record.redirect.lstrip("/")))))
    if record.filename:
        add((figure, SCHEMA.contentUrl, URIRef(
            f"{PMC_SITE}pmc/articles/{record.paper.pmcid}/bin/{encode_segment(record.filename)}")))
    if record.figlink:
        add((figure, SCHEMA.url, URIRef(encode_iri(PMC_SITE + record.figlink))))
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
            taxon = local_taxa.get(name) or taxon_of(name)
            if taxon is not None:
                add((figure, taxon_predicate, _iri(expand(taxon))))
                blocks.append(_taxon_block(taxon, name))
    for wpid in record.wikipathways:
        add((figure, PFOCR.wikipathways, _iri(f"{WIKIPATHWAYS}{wpid}")))
    if record.ndex:
        add((figure, PFOCR.ndexNetwork, _iri(f"{NDEX}{record.ndex}")))
    for keyword in record.keywords:
        add((figure, SCHEMA.keywords, _text(keyword)))

    mentions_prefix = f"{base}figures/{encode_segment(record.figid)}/mentions/"
    annotations: list[Triple] = []
    genes = _gene_mentions(record.genes, figure, mentions_prefix, triples, annotations, blocks)
    chemicals = _term_mentions("chemical", record.chemicals, figure, mentions_prefix, triples, annotations, blocks)
    diseases = _term_mentions("disease", record.diseases, figure, mentions_prefix, triples, annotations, blocks)

    figure_block = Block(None, triples + annotations, counts=(
        (SCHEMA.ImageObject, 1),
        (_GENE_MENTION, genes),
        (PFOCR.ChemicalMention, chemicals),
        (PFOCR.DiseaseMention, diseases),
    ))
    return [figure_block, *_paper_blocks(record.paper, article, base), *blocks]


def _annotation_iri(prefix: str, word: str, ids: Iterable[str]) -> URIRef:
    ids = list(ids)
    digest = hashlib.sha256(f"{word}\x00{' '.join(ids)}".encode()).hexdigest()[:16]
    head = ids[0]
    return _minted(f"{prefix}{head.partition(':')[0].lower()}-{encode_segment(local_id(head))}-{digest}")


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
        annotations.append((node, _LEXICON, _lexicon_iri(lexicon)))
        blocks.append(_lexicon_block(lexicon))


def _gene_mentions(
    genes: Iterable[GeneMention],
    figure: URIRef,
    prefix: str,
    figure_triples: list[Triple],
    annotations: list[Triple],
    blocks: list[Block],
) -> int:
    merged: dict[tuple[str, str], list[GeneMention]] = {}
    for mention in genes:
        merged.setdefault((mention.word, mention.gene), []).append(mention)
    mentioned: set[str] = set()
    for (word, gene_curie), rows in merged.items():
        gene = _iri(expand(gene_curie))
        if gene_curie not in mentioned:
            mentioned.add(gene_curie)
            figure_triples.append((figure, _MENTIONS_GENE, gene))
        node = _annotation_iri(prefix, word, [gene_curie])
        _annotation(node, _GENE_MENTION, figure, [gene], word, rows, annotations, blocks)
        taxon = rows[0].taxon
        if taxon is not None:
            annotations.append((node, _ORGANISM, _iri(expand(taxon))))
            blocks.append(_taxon_block(taxon, rows[0].organism_name))
        entity: list[Triple] = [
            (gene, _TYPE, _GENE),
            (gene, _IDENTIFIER, _text(gene_curie)),
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
    annotation_class, tier1, entity_class = _TERM_KINDS[kind]
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
        node = _annotation_iri(prefix, word, ids)
        _annotation(node, annotation_class, figure, entities, word, rows, annotations, blocks)
        for curie, entity in zip(ids, entities, strict=True):
            blocks.append(Block(str(entity), [
                (entity, _TYPE, entity_class),
                (entity, _IDENTIFIER, _text(curie)),
            ], entity_class))
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


def _paper_blocks(paper: Paper, article: URIRef, base: str) -> list[Block]:
    triples: list[Triple] = [
        (article, RDF.type, SCHEMA.ScholarlyArticle),
        (article, RDF.type, FABIO.JournalArticle),
    ]
    add = triples.append
    for attribute, predicate in _PAPER_LITERALS:
        value = getattr(paper, attribute)
        if value is not None:
            add((article, predicate, _text(value)))
    if paper.year:
        add((article, SCHEMA.datePublished, Literal(paper.year, datatype=XSD.gYear)))
    add((article, FABIO.hasPubMedCentralId, _text(paper.pmcid)))
    add((article, DCTERMS.identifier, _text(f"PMC:{paper.pmcid}")))
    if paper.doi:
        add((article, PRISM.doi, _text(paper.doi)))
        add((article, SCHEMA.sameAs, URIRef(expand(f"doi:{paper.doi}"))))
    for keyword in paper.keywords:
        add((article, SCHEMA.keywords, _text(keyword)))
    blocks = [Block(str(article), triples, SCHEMA.ScholarlyArticle)]
    journal_name = paper.journal_nlm_ta or paper.journal_title
    if journal_name:
        journal = _iri(f"{base}journals/{_slug(journal_name)}")
        add((article, SCHEMA.isPartOf, journal))
        described: list[Triple] = [(journal, RDF.type, SCHEMA.Periodical)]
        if paper.journal_title:
            described.append((journal, SCHEMA.name, _text(paper.journal_title)))
        if paper.journal_nlm_ta:
            described.append((journal, SCHEMA.alternateName, _text(paper.journal_nlm_ta)))
        blocks.append(Block(str(journal), described, SCHEMA.Periodical))
    if paper.publisher:
        publisher = _iri(f"{base}publishers/{_slug(paper.publisher)}")
        add((article, SCHEMA.publisher, publisher))
        blocks.append(Block(str(publisher), [
            (publisher, RDF.type, SCHEMA.Organization),
            (publisher, SCHEMA.name, _text(paper.publisher)),
        ], SCHEMA.Organization))
    return blocks


def _slug(name: str) -> str:
    return encode_segment(name.replace(" ", "_"))


@functools.cache
def _taxon_block(taxon: str, name: str | None) -> Block:
    iri = _iri(expand(taxon))
    triples: list[Triple] = [
        (iri, RDF.type, SCHEMA.Taxon),
        (iri, DCTERMS.identifier, _text(taxon)),
    ]
    scientific = _taxon_names().get(taxon) or name
    if scientific:
        triples.append((iri, SCHEMA.name, _text(scientific)))
    return Block(str(iri), triples, SCHEMA.Taxon)


@functools.cache
def _lexicon_iri(lexicon: str) -> URIRef:
    # PFOCR[name] checks the name against the closed namespace; the reader only passes known lexicons
    return URIRef(PFOCR[lexicon])


@functools.cache
def _lexicon_block(lexicon: str) -> Block:
    concept = _lexicon_iri(lexicon)
    return Block(str(concept), [
        (concept, RDF.type, SKOS.Concept),
        (concept, RDF.type, PFOCR.Lexicon),
        (concept, SKOS.prefLabel, _text(lexicon)),
        (concept, SKOS.inScheme, PFOCR.lexicons),
    ], PFOCR.Lexicon)


@functools.cache
def _organism_table() -> dict[str, str]:
    table: dict[str, str] = {}
    text = resources.files("pfocr_rdf.data").joinpath("organisms.tsv").read_text(encoding="utf-8")
    for line in text.splitlines()[1:]:
        name, _, taxon_id = line.partition("\t")
        if name and taxon_id.strip():
            table[name.strip()] = f"NCBITaxon:{taxon_id.strip()}"
    return table


@functools.cache
def _taxon_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for name, taxon in sorted(_organism_table().items()):
        names.setdefault(taxon, name)
    return names


def taxon_of(name: str) -> str | None:
    """Return the NCBITaxon CURIE of an organism name in the shipped table, or None."""
    return _organism_table().get(name)


def _distinct(values: Iterable[str | None]) -> list[str]:
    return [value for value in dict.fromkeys(values) if value is not None]  # ordered, never quadratic


def release_blocks(
    *,
    base: str,
    triples: int,
    entities: Mapping[URIRef, int],
    generated: str,
    version: str,
    formats: Iterable[tuple[str, str]] = (),
) -> list[Block]:
    """Return the release description: title, licence, VoID counts, distributions and provenance.

    ``entities`` counts the described nodes per class; ``generated`` is an ``xsd:dateTime`` lexical form;
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
        (dataset, DCTERMS.source, PFOCR_SOURCE),
        (dataset, VOID.triples, Literal(str(triples), datatype=XSD.integer)),
        (dataset, VOID.entities, Literal(str(sum(entities.values())), datatype=XSD.integer)),
        (dataset, VOID.vocabulary, URIRef(str(SCHEMA))),
        (dataset, VOID.vocabulary, URIRef(str(PFOCR._NS))),
        (dataset, VOID.vocabulary, URIRef(str(OA))),
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
        distributions += [
            (distribution, RDF.type, DCAT.Distribution),
            (distribution, DCAT.mediaType, Literal(media_type)),
            (distribution, DCTERMS.format, Literal(media_type)),
            (distribution, DCTERMS.license, CC0),
        ]
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
    return [Block(None, triples_out + partitions + distributions + provenance)]
