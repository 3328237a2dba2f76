"""The floor: a deliberately simple exporter that writes the same triples as ``pfocr-rdf export``.

The yardstick of issue #12 (the export should stay within 1.5x of it): what a throwaway prototype costs
that knows exactly what the generated trees hold and nothing else. It lists ``_figures`` and ``_data``
once, reads front matter with libyaml's ``CBaseLoader`` (every value text, as our reader keeps it), splits
TSVs with ``str.split``, and writes one f-string template per subject with full IRIs, from 2 processes
that each drop the descriptions they have already written (so a description may appear once per process:
the triple set is the same). It validates nothing, reports nothing and handles none of the hostile inputs
the real reader refuses: it is a floor, not an exporter. The release description is left out; the figures'
gene sets and the ambiguous OCR words (counted in the parent over every record, written at the end) are in.

It reuses the few lookups whose results must be equal to ours and that cost nothing per triple: the
identifier expansion rules are re-spelled here, the organism resolver (a table look-up), the lexicon
labels of the vocabulary and the preprint test come from ``pfocr_rdf``.

``python benchmarks/floor.py TREE -o OUT.ttl [--jobs 2]``; ``benchmarks/compare.py`` checks that its
triples equal ours.
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import os
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml

from pfocr_rdf.mapping import GENE_LEVELS, _lexicon_labels, is_preprint, pmc_page
from pfocr_rdf.organisms import Organisms, scientific_name
from pfocr_rdf.reading.values import LEXICONS
from pfocr_rdf.records import Paper

SITE = "https://pfocr.wikipathways.org/"
SAFE = "-._~!$&'()*+,;=:@"
NUL = "\x00"
NULLS = frozenset({"", ".na.character", "NA", "NaN"})
TYPES = ("Figure", "Scheme", "Supplemental figure", "Graphical abstract")
HEADER = """@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix schema: <http://schema.org/> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix fabio: <http://purl.org/spar/fabio/> .
@prefix doco: <http://purl.org/spar/doco/> .
@prefix prism: <http://prismstandard.org/namespaces/basic/2.0/> .
@prefix pfocr: <https://pfocr.wikipathways.org/vocab#> .

"""
IRI = {"NCBIGene": "https://identifiers.org/ncbigene/", "MESH": "http://id.nlm.nih.gov/mesh/",
       "CHEBI": "http://purl.obolibrary.org/obo/CHEBI_", "DOID": "http://purl.obolibrary.org/obo/DOID_",
       "NCBITaxon": "http://purl.obolibrary.org/obo/NCBITaxon_"}
ORGANISMS = Organisms()


def q(text: str) -> str:
    if '"' in text or "\\" in text or "\n" in text or "\r" in text or "\t" in text:
        text = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
                .replace("\t", "\\t"))
    return f'"{text}"'


def clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip()
    return None if value in NULLS else value


def names(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return list(dict.fromkeys(n for n in (clean(i) for i in items) if n is not None))


def curie(raw: str, prefix: str) -> str:
    head, sep, local = raw.partition(":")
    return f"{prefix}:{local if sep else head}"


def iri(c: str) -> str:
    prefix, _, local = c.partition(":")
    return IRI[prefix] + local


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class Floor:
    """Renders records of one tree; drops descriptions this process wrote before."""

    def __init__(self, data: frozenset[str], folder: Path) -> None:
        self.data, self.folder, self.done = data, folder, set[str]()
        self.keyed: list[tuple[str, str]] = []  # (key, text) of descriptions, for the parent to keep the first
        self.words: list[list[tuple[str, str, str, int]]] = []  # per record: (taxon, word, gene, level)
        self.labels = _lexicon_labels()

    def once(self, key: str) -> bool:
        if key in self.done:
            return False
        self.done.add(key)
        return True

    def rows(self, figid: str, kind: str) -> list[dict[str, str]]:
        name = f"{figid}-{kind}.tsv"
        if name not in self.data:
            return []
        lines = (self.folder / name).read_bytes().decode("utf-8-sig").split("\n")
        header = lines[0].rstrip("\r").split("\t")
        seen, out = set(), []
        for line in lines[1:]:
            line = line.rstrip("\r")
            if line.strip() and line not in seen:
                seen.add(line)
                out.append(dict(zip(header, line.split("\t"), strict=True)))
        return out

    def describe(self, key: str, text: str) -> None:
        self.keyed.append((key, text))

    def taxon(self, taxon: str, name: str | None) -> None:
        t = iri(taxon)
        if not self.once(t):
            return
        label = scientific_name(taxon) or name
        self.describe(t, f"<{t}> a schema:Taxon ;\n dcterms:identifier {q(taxon)}"
                      + (f" ;\n schema:name {q(label)}" if label else "") + " .\n")

    def lexicon(self, lexicon: str) -> None:
        if not self.once("lex " + lexicon):
            return
        labels = "".join(f" ;\n skos:prefLabel {q(label)}@en" for label in self.labels.get(lexicon, ()))
        self.describe("lex " + lexicon, f"pfocr:{lexicon} a skos:Concept, pfocr:Lexicon ;\n skos:notation "
                      f"{q(lexicon)}{labels} ;\n skos:inScheme pfocr:lexicons .\n")

    def record(self, path: Path) -> str:
        text = path.read_text(encoding="utf-8")
        body = text.split("\n---", 1)[0][4:]
        d: dict[str, Any] = yaml.load(body, Loader=yaml.CBaseLoader)
        figid = d["figid"].strip()
        pmcid = d["pmcid"].strip()
        jsonld = d.get("schema-jsonld") or {}
        fig = f"<{jsonld['@id'].strip()}>" if isinstance(jsonld, dict) and "@id" in jsonld else \
            f"<{SITE}figures/{quote(figid, safe=SAFE)}.html>"
        article = f"<http://identifiers.org/pmc/{pmcid}>"
        out: list[str] = []
        p = [f"{fig} a schema:ImageObject, doco:Figure"]
        for key, pred, lang in (("figid", "schema:identifier", ""), ("figid_alias", "schema:alternateName", ""),
                                ("figtitle", "schema:name", "@en"), ("caption", "schema:caption", "@en"),
                                ("number", "pfocr:figureNumber", ""), ("figtype", "pfocr:figureType", "")):
            value = clean(d.get(key))
            if value is not None and (key != "figtype" or value in TYPES):
                p.append(f"{pred} {q(value)}{lang}")
        if v := clean(d.get("redirect_from")):
            p.append(f"schema:sameAs <{SITE}{v.lstrip('/')}>")
        if v := clean(d.get("filename")):
            p.append(f"schema:contentUrl <https://europepmc.org/articles/{pmcid}/bin/{quote(v, safe=SAFE)}>")
        if v := clean(d.get("figlink")):
            p.append(f"schema:url <{pmc_page(v)}>")
        p.append(f"schema:isPartOf {article}")
        score = clean(d.get("automl_pathway", d.get("pathway_score")))
        if score is not None:
            p.append(f'pfocr:pathwayScore "{format(Decimal(score).normalize(), "f")}"^^xsd:decimal')
        genes = self.genes(d, figid)
        local = {r[5]: r[4] for r in genes if r[5] and r[4]}
        for key, tp, np in (("organisms", "organism", "organismName"), ("organisms_ner", "nerOrganism",
                                                                        "nerOrganismName")):
            for name in names(d.get(key)):
                p.append(f"pfocr:{np} {q(name)}")
                taxon = ORGANISMS.taxon(name, local)
                if taxon:
                    p.append(f"pfocr:{tp} <{iri(taxon)}>")
                    self.taxon(taxon, name)
        for wp in names(d.get("wpid")):
            p.append(f"pfocr:wikipathways <http://identifiers.org/wikipathways/{wp.split('_r')[0]}>")
        for ndex in names(d.get("ndex"))[:1]:
            p.append(f"pfocr:ndexNetwork <https://www.ndexbio.org/viewer/networks/{ndex.lower()}>")
        for kw in names(jsonld.get("keywords") if isinstance(jsonld, dict) else None):
            p.append(f"schema:keywords {q(kw)}")
        prefix = f"{SITE}figures/{quote(figid, safe=SAFE)}/mentions/"
        out.append(self.gene_mentions(genes, fig, prefix, p))
        for kind, cls, pred, other in (("chemical", "ChemicalMention", "mentionsChemical", ("chebi", "CHEBI")),
                                       ("disease", "DiseaseMention", "mentionsDisease", ("doid", "DOID"))):
            out.append(self.terms(d, figid, kind, cls, pred, other, fig, prefix, p))
        out.insert(0, " ;\n ".join(p) + " .\n")
        out.append(self.paper(d, pmcid, article))
        return "".join(out)

    def genes(self, d: dict[str, Any], figid: str) -> list[tuple[str, str, str | None, str | None, str | None,
                                                                  str | None, str | None]]:
        """(word, gene, symbol, matched, taxon, organism name, lexicon) per distinct mention."""
        found = []
        if "genes" in d or "chemicals" in d or "diseases" in d:
            seen = set()
            for item in d.get("genes") or []:
                word, entrez = item.get("word"), clean(item.get("entrez"))
                if clean(word) is None or entrez is None:
                    continue
                source = (clean(item.get("source")) or "").lower()
                row = (word, f"NCBIGene:{entrez}", clean(item.get("hgnc_symbol")), clean(item.get("symbol")),
                       "NCBITaxon:9606", "Homo sapiens", source if source in LEXICONS else None)
                if (row[0], row[1], row[3], row[6]) not in seen:
                    seen.add((row[0], row[1], row[3], row[6]))
                    found.append(row)
            return found
        for r in self.rows(figid, "genes"):
            gene = clean(r["ncbigene_id"])
            if clean(r["word"]) is None or gene is None:
                continue
            source = (clean(r.get("source")) or "").lower()
            taxon = clean(r.get("organism_id"))
            found.append((r["word"], curie(gene, "NCBIGene"), clean(r.get("ncbigene_symbol")), clean(r.get("match")),
                          curie(taxon, "NCBITaxon") if taxon else None, clean(r.get("organism_name")),
                          source if source in LEXICONS else None))
        return found

    def gene_mentions(self, genes: list[Any], fig: str, prefix: str, p: list[str]) -> str:
        merged: dict[tuple[str, str], list[Any]] = {}
        levels: dict[str, int] = {}
        for row in genes:
            merged.setdefault((row[0], row[1]), []).append(row)
            level = GENE_LEVELS.get(row[6] or "", 2)
            levels[row[1]] = min(level, levels.get(row[1], 3))
        for pred, widest in (("mentionsGene", 2), ("mentionsGeneSynonyms", 1), ("mentionsGeneStrict", 0)):
            p += [f"pfocr:{pred} <{iri(g)}>" for g, level in levels.items() if level <= widest]
        taxa: dict[str, str | None] = {}
        for row in genes:
            taxa.setdefault(row[1], row[4])
        sets = prefix[:-len("mentions/")] + "gene-sets/"
        out = []
        for widest, name in enumerate(("strict", "synonyms", "all")):
            by_taxon: dict[str, list[int]] = {}
            for g, level in levels.items():
                if level <= widest and taxa[g]:
                    by_taxon.setdefault(taxa[g], []).append(int(g.partition(":")[2]))
            for taxon, ids in by_taxon.items():
                out.append(f"<{sets}{name}/{taxon.partition(':')[2]}> a pfocr:GeneSet ;\n pfocr:figure {fig} ;\n"
                           f" pfocr:geneSetLevel \"{name}\" ;\n pfocr:organism <{iri(taxon)}> ;\n"
                           f" pfocr:geneCount \"{len(ids)}\"^^xsd:integer ;\n"
                           f" pfocr:geneIds \"{' '.join(map(str, sorted(ids)))}\" .\n")
        self.words.append([(taxa[gene], word, gene, min(GENE_LEVELS.get(r[6] or "", 2) for r in rows))
                           for (word, gene), rows in merged.items() if taxa[gene]])
        for (word, gene), rows in merged.items():
            g = iri(gene)
            local = gene.partition(":")[2]
            node = f"<{prefix}ncbigene-{local}-{digest(word + NUL + gene)}>"
            extra = "".join(f" ;\n pfocr:matchedText {q(m)}" for m in dict.fromkeys(r[3] for r in rows) if m)
            for lexicon in (x for x in dict.fromkeys(r[6] for r in rows) if x):
                extra += f" ;\n pfocr:lexicon pfocr:{lexicon}"
                self.lexicon(lexicon)
            taxon = rows[0][4]
            if taxon:
                extra += f" ;\n pfocr:organism <{iri(taxon)}>"
                self.taxon(taxon, rows[0][5])
            out.append(f"{node} a oa:Annotation, pfocr:GeneMention ;\n oa:hasTarget {fig} ;\n oa:hasBody <{g}> ;\n"
                       f" oa:motivatedBy oa:identifying ;\n pfocr:ocrText {q(word)}{extra} .\n")
            if self.once(g):
                self.describe(g, f"<{g}> a schema:Gene ;\n dcterms:identifier {q(gene)} ;\n skos:exactMatch "
                           f"<http://identifiers.org/ncbigene/{local}>"
                           + (f" ;\n schema:taxonomicRange <{iri(taxon)}>" if taxon else "") + " .\n")
            symbol = next((r[2] for r in rows if r[2]), None)
            if symbol and self.once(g + " name"):
                self.describe(g + " name", f"<{g}> schema:name {q(symbol)} .\n")
        return "".join(out)

    def terms(self, d: dict[str, Any], figid: str, kind: str, cls: str, pred: str, other: tuple[str, str],
              fig: str, prefix: str, p: list[str]) -> str:
        found: list[tuple[str, tuple[str, ...], str | None, str | None, str | None]] = []
        key = kind + "s"
        if "genes" in d or "chemicals" in d or "diseases" in d:
            table: list[dict[str, str]] = list(d.get(key) or [])
        else:
            table = self.rows(figid, key)
        for r in table:
            word = r.get("word") or ""
            if clean(word) is None:
                continue
            if "identifier" in r and "mesh" not in r:
                ident = clean(r.get("identifier"))
                if ident is None:
                    continue
                source = (clean(r.get("source")) or "").lower()
                found.append((word, (curie(ident, "MESH"),), None, None, source if source in LEXICONS else None))
                continue
            ids = tuple(curie(v, pre) for col, pre in (("mesh", "MESH"), other)
                        if (v := clean(r.get(col))) is not None)
            if ids:
                found.append((word, ids, clean(r.get("match")), clean(r.get("name")),
                              "mesh" if ids[0].startswith("MESH:") else None))
        found = list(dict.fromkeys(found))
        merged: dict[tuple[str, tuple[str, ...]], list[Any]] = {}
        for row in found:
            merged.setdefault((row[0], row[1]), []).append(row)
        out, mentioned = [], set()
        for (word, ids), rows in merged.items():
            for c in ids:
                if c not in mentioned:
                    mentioned.add(c)
                    p.append(f"pfocr:{pred} <{iri(c)}>")
            head = ids[0].partition(":")
            node = f"<{prefix}{head[0].lower()}-{head[2]}-{digest(NUL.join((word, ' '.join(ids), kind)))}>"
            bodies = ", ".join(f"<{iri(c)}>" for c in ids)
            extra = "".join(f" ;\n pfocr:matchedText {q(m)}" for m in dict.fromkeys(r[2] for r in rows) if m)
            for lexicon in (x for x in dict.fromkeys(r[4] for r in rows) if x):
                extra += f" ;\n pfocr:lexicon pfocr:{lexicon}"
                self.lexicon(lexicon)
            out.append(f"{node} a oa:Annotation, pfocr:{cls} ;\n oa:hasTarget {fig} ;\n oa:hasBody {bodies} ;\n"
                       f" oa:motivatedBy oa:identifying ;\n pfocr:ocrText {q(word)}{extra} .\n")
            for c in ids:
                e = iri(c)
                if self.once(e):
                    same = (f" ;\n skos:exactMatch <https://identifiers.org/chebi/{c}>"
                            if c.startswith("CHEBI:") else "")
                    self.describe(e, f"<{e}> dcterms:identifier {q(c)}{same} .\n")
                name = next((n for n in ((r[2] if c.startswith("MESH:") else r[3]) for r in rows) if n), None)
                if name and self.once(e + " name"):
                    self.describe(e + " name", f"<{e}> schema:name {q(name)} .\n")
            if len(ids) > 1 and self.once(" ".join(ids)):
                a, b = iri(ids[0]), iri(ids[1])
                self.describe(" ".join(ids), f"<{a}> skos:closeMatch <{b}> .\n<{b}> skos:closeMatch <{a}> .\n")
        return "".join(out)

    def paper(self, d: dict[str, Any], pmcid: str, article: str) -> str:
        doi = clean(d.get("doi"))
        doi = doi.lower() if doi else None
        title, nlm, publisher = clean(d.get("journal_title")), clean(d.get("journal_nlm_ta")), \
            clean(d.get("publisher_name"))
        out = []
        p: list[str] = []
        journal = nlm or title
        if journal:
            j = f"<{SITE}journals/{quote(journal.replace(' ', '_'), safe=SAFE)}>"
            p.append(f"schema:isPartOf {j}")
            if self.once(j):
                self.describe(j, f"{j} a schema:Periodical" + (f" ;\n schema:name {q(title)}" if title else "")
                           + (f" ;\n schema:alternateName {q(nlm)}" if nlm else "") + " .\n")
        if publisher:
            o = f"<{SITE}publishers/{quote(publisher.replace(' ', '_'), safe=SAFE)}>"
            p.append(f"schema:publisher {o}")
            if self.once(o):
                self.describe(o, f"{o} a schema:Organization ;\n schema:name {q(publisher)} .\n")
        if not self.once(article):
            return "".join(out)
        kind = "Preprint" if is_preprint(Paper(pmcid, doi=doi, journal_title=title, journal_nlm_ta=nlm)) \
            else "JournalArticle"
        p[:0] = [f"{article} a schema:ScholarlyArticle, fabio:{kind}"]
        if v := clean(d.get("papertitle")):
            p.append(f"schema:headline {q(v)}@en")
        if v := clean(d.get("reftext")):
            p.append(f"dcterms:bibliographicCitation {q(v)}")
        if v := clean(d.get("year")):
            p.append(f'schema:datePublished "{v}"^^xsd:gYear')
        p.append(f'fabio:hasPubMedCentralId "{pmcid}" ;\n dcterms:identifier "PMC:{pmcid}"')
        if doi:
            p.append(f"prism:doi {q(doi)} ;\n schema:sameAs <https://doi.org/{quote(doi, safe=SAFE + '/')}>")
        for kw in dict.fromkeys(k for k in (clean(x) for x in (clean(d.get("keywords")) or "").split("|")) if k):
            p.append(f"schema:keywords {q(kw)}@en")
        self.describe(article, " ;\n ".join(p) + " .\n")
        return "".join(out)


_FLOOR: Floor | None = None


def _chunk(paths: list[Path]) -> tuple[str, list[tuple[str, str]], list[list[tuple[str, str, str, int]]]]:
    """Return the chunk's figures and annotations, its new descriptions by key and its records' word matches."""
    assert _FLOOR is not None
    text = "".join(_FLOOR.record(path) for path in paths)
    keyed, _FLOOR.keyed = _FLOOR.keyed, []
    words, _FLOOR.words = _FLOOR.words, []
    return text, keyed, words


def ambiguous_words(genes: dict[tuple[str, str], dict[str, int]], figures: dict[tuple[str, str], list[int]]) -> str:
    """The words that matched 2+ genes of one organism, per level (the export's pfocr:AmbiguousWord nodes)."""
    out = []
    for (taxon, word), levels in genes.items():
        for widest, name in enumerate(("strict", "synonyms", "all")):
            ids = sorted(int(g.partition(":")[2]) for g, level in levels.items() if level <= widest)
            if len(ids) >= 2:
                matched = ", ".join(f"<{IRI['NCBIGene']}{i}>" for i in ids)
                out.append(f"<{SITE}ocr-words/{name}/{taxon.partition(':')[2]}/{digest(word)}> a pfocr:AmbiguousWord"
                           f" ;\n pfocr:ocrText {q(word)} ;\n pfocr:geneSetLevel \"{name}\" ;\n"
                           f" pfocr:organism <{iri(taxon)}> ;\n pfocr:geneCount \"{len(ids)}\"^^xsd:integer ;\n"
                           f" pfocr:figureCount \"{figures[taxon, word][widest]}\"^^xsd:integer ;\n"
                           f" pfocr:matchesGene {matched} .\n")
    return "".join(out)


def main(argv: list[str] | None = None) -> int:
    global _FLOOR
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("tree", type=Path)
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    figures = args.tree / "_figures"
    paths = [figures / name for name in sorted(os.listdir(figures)) if name.endswith(".md")]
    _FLOOR = Floor(frozenset(os.listdir(args.tree / "_data")), args.tree / "_data")
    ORGANISMS.load_tables()  # before forking, as the export does: the workers share the NCBI name table
    chunks = [paths[i:i + 32] for i in range(0, len(paths), 32)]
    with open(args.output, "w", encoding="utf-8") as out:
        out.write(HEADER)
        written: set[str] = set()  # the first description of a key wins, as in the export
        genes: dict[tuple[str, str], dict[str, int]] = {}  # (taxon, word) -> gene -> narrowest level
        figures: dict[tuple[str, str], list[int]] = {}  # (taxon, word) -> figures per level

        def write(text: str, keyed: list[tuple[str, str]], words: list[list[tuple[str, str, str, int]]]) -> None:
            out.write(text)
            for key, description in keyed:
                if key not in written:
                    written.add(key)
                    out.write(description)
            for record in words:
                narrowest: dict[tuple[str, str], int] = {}
                for taxon, word, gene, level in record:
                    levels = genes.setdefault((taxon, word), {})
                    levels[gene] = min(level, levels.get(gene, 3))
                    narrowest[taxon, word] = min(level, narrowest.get((taxon, word), 3))
                for key, level in narrowest.items():
                    counts = figures.setdefault(key, [0, 0, 0])
                    for widest in range(level, 3):
                        counts[widest] += 1

        if args.jobs == 1:
            for chunk in chunks:
                write(*_chunk(chunk))
        else:
            with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
                for result in pool.imap(_chunk, chunks):
                    write(*result)
        out.write(ambiguous_words(genes, figures))
    print(f"floor: {len(paths)} records written to {args.output} in {time.perf_counter() - start:.2f} s",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
