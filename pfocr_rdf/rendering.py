"""Rendering: one figure record to text, keyed descriptions already written left out; the export's fast path.

The reference is :func:`pfocr_rdf.mapping.map_record` (records to rdflib triples) followed by a serializer
(triples to text). :class:`TextRenderer` writes the same text for Turtle, N-Triples and N-Quads without
building rdflib terms: it walks a record as ``map_record`` does, from the same tables (``FIGURE_LITERALS``,
``TERM_KINDS``), the same merged gene rows (``merge_genes``), namespace terms and IRI helpers, writes each
term with the serializer's own :class:`~pfocr_rdf.writing.terms.Names` and hands rows of written terms to
the serializer's ``join``, so layout and escaping are the serializer's. It decides what will be written
before building it: a keyed description (a gene, a chemical, an article, a taxon...) whose key is in
``seen`` is neither built nor written, only named, and a key met twice in one record is named once. The
rare descriptions (taxa and lexicons) come from the mapper's own functions, rendered by the serializer.

:class:`ReferenceRenderer` is the same interface over ``map_record`` and any serializer: JSON-LD, JSON Lines
and ``--validate`` (which checks the triples themselves) use it. ``tests/test_rendering.py`` proves the two
byte-identical on the real sample, on generated trees and on property-test records.

This stage knows records, the vocabulary and the written forms of terms; nothing of files.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple, Protocol

from .identifiers import encode_iri, encode_segment, expand, local_id
from .mapping import (
    FIGURE_LITERALS,
    LEVEL_NAMES,
    PAPER_LITERALS,
    TERM_KINDS,
    Block,
    GeneRows,
    annotation_iri,
    gene_set_iri,
    gene_sets,
    is_preprint,
    lexicon_block,
    lexicon_iri,
    map_record,
    merge_genes,
    pmc_page,
    slug,
    taxon_block,
)
from .namespaces import (
    CHEBI_IDORG,
    DCTERMS,
    DOCO,
    EUROPEPMC_SITE,
    FABIO,
    NCBIGENE_HTTP,
    NDEX,
    OA,
    PFOCR,
    PRISM,
    RDF,
    SCHEMA,
    SITE,
    SKOS,
    WIKIPATHWAYS,
    XSD,
)
from .organisms import Organisms
from .records import FigureRecord, GeneMention, TermMention
from .writing.base import Row, RowSerializer, Serializer

__all__ = ["ReferenceRenderer", "Rendered", "RenderedBlock", "Renderer", "TextRenderer", "renderer_for"]


class RenderedBlock(NamedTuple):
    """One block of a record, rendered to text; plain strings, cheap to build and to pass between processes."""

    key: str | None
    kind: str | None  # the class IRI of the node a keyed block describes, for the VoID counts
    counts: tuple[tuple[str, int], ...]  # nodes per class IRI an unkeyed block holds
    text: str
    triples: int


class Rendered(NamedTuple):
    """A record's rendered blocks (the figure's first), and the keys of those not rendered, being in ``seen``."""

    blocks: list[RenderedBlock]
    skipped: list[str]


class Renderer(Protocol):
    """Turns one record into rendered blocks, the figure's first."""

    base: str  # where minted nodes live

    def render(self, record: FigureRecord, seen: set[str] | None, *, remember: bool = False) -> Rendered:
        """Return the record's blocks; those whose key is in ``seen`` are only named (with ``remember``, the keys
        rendered here are added to ``seen``)."""
        ...

    def render_blocks(self, blocks: Sequence[Block], seen: set[str] | None, *, remember: bool = False) -> Rendered:
        """Return blocks that ``map_record`` made, rendered (as :meth:`render` does)."""
        ...


def renderer_for(serializer: Serializer, *, base: str, organisms: Organisms) -> Renderer:
    """Return the fast renderer where the serializer lays out rows of terms, else the reference one."""
    if isinstance(serializer, RowSerializer):
        return TextRenderer(serializer, base=base, organisms=organisms)
    return ReferenceRenderer(serializer, base=base, organisms=organisms)


class ReferenceRenderer:
    """``map_record``, then the serializer: the reference, for every format."""

    def __init__(self, serializer: Serializer, *, base: str, organisms: Organisms) -> None:
        self.serializer, self.base, self.organisms = serializer, base, organisms

    def render(self, record: FigureRecord, seen: set[str] | None, *, remember: bool = False) -> Rendered:
        """Return the record's blocks (see :class:`Renderer`)."""
        return self.render_blocks(map_record(record, base=self.base, organisms=self.organisms), seen,
                                  remember=remember)

    def render_blocks(self, blocks: Sequence[Block], seen: set[str] | None, *, remember: bool = False) -> Rendered:
        """Return mapped blocks rendered (see :class:`Renderer`)."""
        rendered, skipped = [], []
        met: set[str] = set()  # keys of this record: a block repeated in it is named once (its first)
        for block in blocks:
            if seen is not None and block.key is not None:
                if block.key in met:
                    continue
                met.add(block.key)
                if block.key in seen:
                    skipped.append(block.key)
                    continue
                if remember:
                    seen.add(block.key)
            kind = None if block.kind is None else str(block.kind)
            counts = tuple((str(cls), n) for cls, n in block.counts)
            rendered.append(RenderedBlock(block.key, kind, counts, self.serializer.render(block.triples),
                                          len(block.triples)))
        return Rendered(rendered, skipped)


_GENE, _ARTICLE, _PERIODICAL, _ORGANIZATION = (str(SCHEMA.Gene), str(SCHEMA.ScholarlyArticle),
                                               str(SCHEMA.Periodical), str(SCHEMA.Organization))


class TextRenderer:
    """The fast path: a record straight to the text of a :class:`RowSerializer` (see the module's docstring).

    Holds the written forms of the vocabulary's terms and, per record, the keys it has met; one per process.
    """

    def __init__(self, serializer: RowSerializer, *, base: str, organisms: Organisms) -> None:
        self.base = base
        self._serializer, self._organisms = serializer, organisms
        self._reference = ReferenceRenderer(serializer, base=base, organisms=organisms)
        self._join = serializer.join
        names = serializer.names
        self._iri, self._once, self._plain, self._tagged = names.iri, names.subject, names.plain, names.tagged
        self._typed = names.typed
        p = serializer.predicate
        self._a = p(RDF.type)
        self._figure_literals = tuple((attribute, p(predicate), language)
                                      for attribute, predicate, language in FIGURE_LITERALS)
        self._figure_types = (self._iri(SCHEMA.ImageObject), self._iri(DOCO.Figure))
        self._same_as, self._content_url, self._url, self._is_part_of = (
            p(SCHEMA.sameAs), p(SCHEMA.contentUrl), p(SCHEMA.url), p(SCHEMA.isPartOf))
        self._score, self._decimal = p(PFOCR.pathwayScore), str(XSD.decimal)
        self._organism_predicates = ((p(PFOCR.organism), p(PFOCR.organismName)),
                                     (p(PFOCR.nerOrganism), p(PFOCR.nerOrganismName)))
        self._wikipathways, self._ndex, self._keywords = p(PFOCR.wikipathways), p(PFOCR.ndexNetwork), p(SCHEMA.keywords)
        self._levels = ((p(PFOCR.mentionsGene), 2), (p(PFOCR.mentionsGeneSynonyms), 1),
                        (p(PFOCR.mentionsGeneStrict), 0))
        self._annotation_class, self._gene_mention = self._iri(OA.Annotation), self._iri(PFOCR.GeneMention)
        self._has_target, self._has_body, self._motivated_by = p(OA.hasTarget), p(OA.hasBody), p(OA.motivatedBy)
        self._identifying = self._iri(OA.identifying)
        self._ocr_text, self._matched_text, self._lexicon = p(PFOCR.ocrText), p(PFOCR.matchedText), p(PFOCR.lexicon)
        self._organism = p(PFOCR.organism)
        self._gene_class, self._identifier = self._iri(SCHEMA.Gene), p(DCTERMS.identifier)
        self._exact_match, self._close_match = p(SKOS.exactMatch), p(SKOS.closeMatch)
        self._taxonomic_range, self._name = p(SCHEMA.taxonomicRange), p(SCHEMA.name)
        self._article_class = self._iri(SCHEMA.ScholarlyArticle)
        self._article_kinds = {True: self._iri(FABIO.Preprint), False: self._iri(FABIO.JournalArticle)}
        self._paper_literals = tuple((attribute, p(predicate), language)
                                     for attribute, predicate, language in PAPER_LITERALS)
        self._date_published, self._gyear = p(SCHEMA.datePublished), str(XSD.gYear)
        self._pmcid, self._doi, self._publisher = p(FABIO.hasPubMedCentralId), p(PRISM.doi), p(SCHEMA.publisher)
        self._periodical, self._organization = self._iri(SCHEMA.Periodical), self._iri(SCHEMA.Organization)
        self._alternate_name = p(SCHEMA.alternateName)
        self._term_kinds = {kind: (self._iri(cls), p(tier1)) for kind, (cls, tier1) in TERM_KINDS.items()}
        self._counted = (str(SCHEMA.ImageObject), str(PFOCR.GeneMention), str(PFOCR.ChemicalMention),
                         str(PFOCR.DiseaseMention), str(PFOCR.GeneSet))
        self._gene_set, self._figure, self._gene_set_level = self._iri(PFOCR.GeneSet), p(PFOCR.figure), p(
            PFOCR.geneSetLevel)
        self._gene_count, self._gene_ids, self._integer = p(PFOCR.geneCount), p(PFOCR.geneIds), str(XSD.integer)
        self._lexicon_texts: dict[str, tuple[str, str]] = {}  # code -> (written form, key)
        # per record: the keys met so far, the caller's set, the blocks rendered and the keys skipped
        self._met: set[str] = set()
        self._seen: set[str] | None = None
        self._remember = False
        self._out: list[RenderedBlock] = []
        self._skipped: list[str] = []

    def render_blocks(self, blocks: Sequence[Block], seen: set[str] | None, *, remember: bool = False) -> Rendered:
        """Return blocks that ``map_record`` made, rendered by the serializer (the reference path)."""
        return self._reference.render_blocks(blocks, seen, remember=remember)

    # -- keyed descriptions ---------------------------------------------------------------------------
    def _fresh(self, key: str, kind: str | None) -> bool:
        """Whether the block under ``key`` is to be built now; a key already written is only named."""
        if key in self._met:
            return False
        self._met.add(key)
        seen = self._seen
        if seen is not None:
            if key in seen:
                self._skipped.append(key)
                return False
            if self._remember:
                seen.add(key)
        return True

    def _block(self, key: str, kind: str | None, rows: list[Row]) -> None:
        self._out.append(RenderedBlock(key, kind, (), self._join(rows), len(rows)))

    def _mapped(self, block: Block) -> None:
        """A rare description, built by the mapper, rendered by the serializer if it is new."""
        key = block.key
        kind = None if block.kind is None else str(block.kind)
        if key is not None and self._fresh(key, kind):
            self._out.append(RenderedBlock(key, kind, (), self._serializer.render(block.triples), len(block.triples)))

    def _taxon(self, taxon: str, name: str | None) -> None:
        if expand(taxon) not in self._met:
            self._mapped(taxon_block(taxon, name))

    def _lexicon_text(self, lexicon: str) -> str:
        known = self._lexicon_texts.get(lexicon)
        if known is None:
            concept = str(lexicon_iri(lexicon))
            known = self._lexicon_texts[lexicon] = (self._iri(concept), concept)
        if known[1] not in self._met:
            self._mapped(lexicon_block(lexicon))
        return known[0]

    # -- the record -----------------------------------------------------------------------------------
    def render(self, record: FigureRecord, seen: set[str] | None, *, remember: bool = False) -> Rendered:
        """Return the record's blocks (see :class:`Renderer`), byte for byte those of the reference."""
        self._met, self._seen, self._remember, self._skipped = set(), seen, remember, []
        paper: list[RenderedBlock] = []
        rest: list[RenderedBlock] = []
        iri, plain = self._iri, self._plain
        figure_iri = record.iri or f"{SITE}figures/{encode_segment(record.figid)}.html"
        article_iri = expand(f"PMC:{record.paper.pmcid}")
        self._out = paper  # the article's blocks follow the figure's, before everything the figure names
        self._paper(record, article_iri)
        self._out = rest
        once = self._once  # the written form of an IRI that will not come again, not remembered
        f = once(figure_iri)
        a = self._a
        rows: list[Row] = [(f, a, self._figure_types[0]), (f, a, self._figure_types[1])]
        add = rows.append
        for attribute, predicate, language in self._figure_literals:
            value = getattr(record, attribute)
            if value is not None:
                add((f, predicate, plain(value) if language is None else self._tagged(value, language)))
        if record.redirect:
            add((f, self._same_as, once(encode_iri(SITE + record.redirect.lstrip("/")))))
        if record.filename:
            add((f, self._content_url, once(
                f"{EUROPEPMC_SITE}articles/{record.paper.pmcid}/bin/{encode_segment(record.filename)}")))
        if record.figlink:
            add((f, self._url, once(encode_iri(pmc_page(record.figlink)))))
        add((f, self._is_part_of, once(article_iri)))
        if record.pathway_score is not None:
            add((f, self._score, self._typed(record.pathway_score, self._decimal)))
        local_taxa = {g.organism_name: g.taxon for g in record.genes if g.organism_name and g.taxon}
        for names, (taxon_predicate, name_predicate) in zip((record.organisms, record.ner_organisms),
                                                             self._organism_predicates, strict=True):
            for name in names:
                add((f, name_predicate, plain(name)))
                taxon = self._organisms.taxon(name, local_taxa)
                if taxon is not None:
                    add((f, taxon_predicate, iri(expand(taxon))))
                    self._taxon(taxon, name)
        for wpid in record.wikipathways:
            add((f, self._wikipathways, iri(f"{WIKIPATHWAYS}{wpid}")))
        if record.ndex:
            add((f, self._ndex, iri(f"{NDEX}{record.ndex}")))
        for keyword in record.keywords:
            add((f, self._keywords, plain(keyword)))

        prefix = f"{self.base}figures/{encode_segment(record.figid)}/mentions/"
        annotations: list[Row] = []
        merged = merge_genes(record.genes)
        genes = self._genes(merged, f, prefix, rows, annotations)
        chemicals = self._terms("chemical", record.chemicals, f, prefix, rows, annotations)
        diseases = self._terms("disease", record.diseases, f, prefix, rows, annotations)
        rows += annotations
        sets = 0
        for level, taxon, ids in gene_sets(merged):
            node = once(gene_set_iri(self.base, record.figid, level, taxon))
            rows += [(node, a, self._gene_set), (node, self._figure, f),
                     (node, self._gene_set_level, plain(LEVEL_NAMES[level])),
                     (node, self._organism, iri(expand(taxon))),
                     (node, self._gene_count, self._typed(str(len(ids)), self._integer)),
                     (node, self._gene_ids, plain(" ".join(ids)))]
            sets += 1
        counts = tuple(zip(self._counted, (1, genes, chemicals, diseases, sets), strict=True))
        return Rendered([RenderedBlock(None, None, counts, self._join(rows), len(rows)), *paper, *rest], self._skipped)

    def _paper(self, record: FigureRecord, article: str) -> None:
        """The article, its journal and its publisher, as :func:`~pfocr_rdf.mapping.paper_blocks` has them."""
        paper = record.paper
        iri, plain, a = self._iri, self._plain, self._a
        journal_name = paper.journal_nlm_ta or paper.journal_title
        journal = f"{self.base}journals/{slug(journal_name)}" if journal_name else None
        publisher = f"{self.base}publishers/{slug(paper.publisher)}" if paper.publisher else None
        fresh_article = self._fresh(article, _ARTICLE)
        if fresh_article:
            s = self._once(article)
            rows: list[Row] = [(s, a, self._article_class), (s, a, self._article_kinds[is_preprint(paper)])]
            for attribute, predicate, language in self._paper_literals:
                value = getattr(paper, attribute)
                if value is not None:
                    rows.append((s, predicate, plain(value) if language is None else self._tagged(value, language)))
            if paper.year:
                rows.append((s, self._date_published, self._typed(paper.year, self._gyear)))
            rows += [(s, self._pmcid, plain(paper.pmcid)), (s, self._identifier, plain(f"PMC:{paper.pmcid}"))]
            if paper.doi:
                rows += [(s, self._doi, plain(paper.doi)), (s, self._same_as, self._once(expand(f"doi:{paper.doi}")))]
            rows += [(s, self._keywords, self._tagged(keyword, "en")) for keyword in paper.keywords]
            if journal is not None:
                rows.append((s, self._is_part_of, iri(journal)))
            if publisher is not None:
                rows.append((s, self._publisher, iri(publisher)))
            self._block(article, _ARTICLE, rows)
        if journal is not None and self._fresh(journal, _PERIODICAL):
            j = iri(journal)
            rows = [(j, a, self._periodical)]
            if paper.journal_title:
                rows.append((j, self._name, plain(paper.journal_title)))
            if paper.journal_nlm_ta:
                rows.append((j, self._alternate_name, plain(paper.journal_nlm_ta)))
            self._block(journal, _PERIODICAL, rows)
        if publisher is not None and paper.publisher and self._fresh(publisher, _ORGANIZATION):
            o = iri(publisher)
            self._block(publisher, _ORGANIZATION, [(o, a, self._organization), (o, self._name, plain(paper.publisher))])

    def _annotation(self, node: str, kind: str, figure: str, bodies: Sequence[str], word: str,
                    rows: Sequence[GeneMention] | Sequence[TermMention], out: list[Row]) -> None:
        a, plain = self._a, self._plain
        out += [(node, a, self._annotation_class), (node, a, kind), (node, self._has_target, figure),
                *[(node, self._has_body, body) for body in bodies],
                (node, self._motivated_by, self._identifying), (node, self._ocr_text, plain(word))]
        if len(rows) == 1:  # the common case, without the de-duplication below
            matched, lexicon = rows[0].matched, rows[0].lexicon
            if matched is not None:
                out.append((node, self._matched_text, plain(matched)))
            if lexicon is not None:
                out.append((node, self._lexicon, self._lexicon_text(lexicon)))
            return
        for matched in dict.fromkeys(row.matched for row in rows):
            if matched is not None:
                out.append((node, self._matched_text, plain(matched)))
        for lexicon in dict.fromkeys(row.lexicon for row in rows):
            if lexicon is not None:
                out.append((node, self._lexicon, self._lexicon_text(lexicon)))

    def _genes(self, genes: GeneRows, figure: str, prefix: str, figure_rows: list[Row],
               annotations: list[Row]) -> int:
        merged, levels = genes.mentions, genes.levels
        iri, met = self._iri, self._met
        written = {g: iri(expand(g)) for g in levels}
        for predicate, widest in self._levels:
            figure_rows += [(figure, predicate, written[g]) for g, level in levels.items() if level <= widest]
        for (word, gene_curie), rows in merged.items():
            gene_iri = expand(gene_curie)
            gene = written[gene_curie]
            node = self._once(annotation_iri(prefix, word, (gene_curie,)))
            self._annotation(node, self._gene_mention, figure, (gene,), word, rows, annotations)
            taxon = rows[0].taxon
            taxon_iri = None if taxon is None else expand(taxon)
            if taxon is not None and taxon_iri is not None:
                annotations.append((node, self._organism, iri(taxon_iri)))
                if taxon_iri not in met:
                    self._mapped(taxon_block(taxon, rows[0].organism_name))
            if gene_iri not in met and self._fresh(gene_iri, _GENE):
                entity = [
                    (gene, self._a, self._gene_class),
                    (gene, self._identifier, self._plain(gene_curie)),
                    (gene, self._exact_match, iri(NCBIGENE_HTTP + local_id(gene_curie))),
                ]
                if taxon_iri is not None:
                    entity.append((gene, self._taxonomic_range, iri(taxon_iri)))
                self._block(gene_iri, _GENE, entity)
            name_key = f"{gene_iri} name"
            if name_key not in met:
                symbol = rows[0].symbol if len(rows) == 1 else next((row.symbol for row in rows if row.symbol), None)
                if symbol and self._fresh(name_key, None):
                    self._block(name_key, None, [(gene, self._name, self._plain(symbol))])
        return len(merged)

    def _terms(self, kind: str, terms: Sequence[TermMention], figure: str, prefix: str, figure_rows: list[Row],
               annotations: list[Row]) -> int:
        annotation_class, tier1 = self._term_kinds[kind]
        merged: dict[tuple[str, tuple[str, ...]], list[TermMention]] = {}
        for mention in terms:
            merged.setdefault((mention.word, mention.ids), []).append(mention)
        mentioned: set[str] = set()
        iri, plain = self._iri, self._plain
        for (word, ids), rows in merged.items():
            entity_iris = [expand(curie) for curie in ids]
            entities = [iri(e) for e in entity_iris]
            for curie, entity in zip(ids, entities, strict=True):
                if curie not in mentioned:
                    mentioned.add(curie)
                    figure_rows.append((figure, tier1, entity))
            node = self._once(annotation_iri(prefix, word, ids, kind))
            self._annotation(node, annotation_class, figure, entities, word, rows, annotations)
            for curie, entity_iri, entity in zip(ids, entity_iris, entities, strict=True):
                if self._fresh(entity_iri, None):
                    described = [(entity, self._identifier, plain(curie))]
                    if curie.startswith("CHEBI:"):
                        described.append((entity, self._exact_match, iri(CHEBI_IDORG + local_id(curie))))
                    self._block(entity_iri, None, described)
                name_key = f"{entity_iri} name"
                if name_key not in self._met:
                    is_mesh = curie.startswith("MESH:")
                    name = next((n for n in ((row.matched if is_mesh else row.name) for row in rows) if n), None)
                    if name and self._fresh(name_key, None):
                        self._block(name_key, None, [(entity, self._name, plain(name))])
            if len(entities) > 1:
                pair = f"{entity_iris[0]} {entity_iris[1]}"
                if self._fresh(pair, None):
                    mesh, other = entities[0], entities[1]
                    self._block(pair, None, [(mesh, self._close_match, other), (other, self._close_match, mesh)])
        return len(merged)
