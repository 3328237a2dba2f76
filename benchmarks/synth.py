"""Write synthetic PFOCR trees with the statistics of the real corpus, for benchmarks.

``python benchmarks/synth.py --figures N --out DIR [--seed S] [--jobs J]`` writes ``DIR/_figures/<figid>.md``
and ``DIR/_data/<figid>-genes.tsv`` / ``-chemicals.tsv`` / ``-diseases.tsv`` laid out like the records of
``../shared/pfocr-sample/`` (same front-matter keys and order, same TSV headers), plus ``DIR/SYNTH.json``
with the parameters and counts.

What it imitates (the corpus: ~110,000 figures, 4.7 M gene, 346 k chemical, 45 k disease mentions):

- gene rows per figure: ~12% of figures have none; the rest follow a lognormal (sigma 1) with an overall
  mean of ~42, so a few figures have 300+ rows. Rows come in per-organism blocks (1-5 real taxa from the
  sample's tables); one OCR word often matches several genes (a gene family, ``famplex_relations``), and
  some words match the same gene through two lexicons. ~1% of gene rows are exact duplicates.
- chemical rows mean ~3.1 and disease rows mean ~0.4 per figure (a table exists only when it has rows),
  ~15% duplicate rows; MeSH ids with or without a ChEBI / DOID pairing (``NA NA NA`` otherwise).
- captions of several hundred characters (lognormal, mean ~750) with non-ASCII letters, apostrophes and
  ``: `` (so some scalars must be quoted); about two figures per paper (``--figures-per-paper``).
- ~10% of papers in the older era: mentions inline in the front matter (``genes:`` / ``chemicals:`` /
  ``diseases:``), ``pathway_score``, ``pmc_ranked_result_index``, ``annotations``, ``organisms`` a string.
- ~25% of current records carry ``.na.character`` for the whole journal block (as in the sample); some
  ``schema-jsonld`` keyword lists hold ``.na.character``; ~35% have an NDEx UUID; a few ``wpid``; some
  figlinks lack the leading slash; ~2% of chemical tables use the old ``word source identifier`` layout
  with CRLF and no final newline; ~7% of gene tables use the 10-column layout.

Entities come from fixed pools (20,000 (taxon, gene) pairs shared out by taxon weight, at least 300 per
taxon; 2,000 MeSH chemicals; 300 diseases; picked with a Zipf-like skew) so the number of distinct
entities is realistic. The pools are fixed; ``--seed`` drives the records. Every paper draws from its
own ``random.Random`` seeded by (seed, paper index), so a tree is byte-identical for a given (seed,
figures, figures-per-paper) whatever ``--jobs`` is.

The YAML is written with string formatting, not ``yaml.dump`` (10x faster), by a small emitter that
quotes exactly when PyYAML's resolver or indicators demand it and folds long scalars at column 80 like
the site's files. ``benchmarks/tests/test_synth.py`` checks that every value reads back unchanged with
``yaml.CSafeLoader``.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import os
import random
import re
import shutil
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml.resolver

__all__ = ["GENERATOR_VERSION", "Paper", "generate", "paper_records", "plan_papers"]

# Bump when the output for a given seed changes, so cached benchmark trees are regenerated.
GENERATOR_VERSION = 2

_POOL_SEED = 20261121  # fixed: the vocabulary does not depend on --seed
_N_GENES = 20_000  # (taxon, gene) pairs over all taxa, shared out by taxon weight
_MIN_GENES_PER_TAXON = 300
_N_CHEMICALS = 2_000
_N_DISEASES = 300

# Statistics targets (see the module docstring).
_P_NO_GENES = 0.12
_GENE_SIGMA = 1.0
_GENE_MEAN = 42.0
_P_CHEMICALS, _CHEM_ROWS_GIVEN = 0.5, 6.2  # 0.5 * 6.2 = 3.1 rows per figure
_P_DISEASES, _DIS_ROWS_GIVEN = 0.15, 2.7  # 0.15 * 2.7 = 0.4 rows per figure
_P_OLD_ERA = 0.10

# (taxon id, name, organism_group) as in the sample's genes tables; weight ~ how often a figure has it.
_TAXA: tuple[tuple[str, str, str, float], ...] = (
    ("9606", "Homo sapiens", "Primates", 50.0),
    ("7227", "Drosophila melanogaster", "Invertebrates", 25.0),
    ("10090", "Mus musculus", "Rodents", 12.0),
    ("7955", "Danio rerio", "Vertebrates", 6.0),
    ("10116", "Rattus norvegicus", "Rodents", 5.0),
    ("1282", "Staphylococcus epidermidis", "Bacteria", 1.5),
    ("511145", "Escherichia coli str. K-12 substr. MG1655", "Bacteria", 1.5),
    ("9031", "Gallus gallus", "Vertebrates", 1.0),
    ("8364", "Xenopus tropicalis", "Vertebrates", 1.0),
    ("8355", "Xenopus laevis", "Vertebrates", 1.0),
    ("9823", "Sus scrofa", "Mammals", 1.0),
    ("9615", "Canis lupus familiaris", "Mammals", 1.0),
    ("8128", "Oreochromis niloticus", "Vertebrates", 0.5),
    ("93934", "Coturnix japonica", "Vertebrates", 0.5),
    ("10029", "Cricetulus griseus", "Rodents", 0.5),
    ("90988", "Pimephales promelas", "Vertebrates", 0.5),
)
# Curated organism names that are not in the gene lexicon (name only, no taxon in the tables).
_OTHER_ORGANISMS = (
    "Escherichia coli PBA5", "Enterovirus", "adeno-associated virus 2", "Eschscholzia californica",
    "Staphylococcus aureus", "Bacillus subtilis", "Saccharomyces cerevisiae S288C", "Xenopus Oocyte",
)
_N_ORGANISMS = ((1, 0.37), (2, 0.37), (3, 0.13), (4, 0.10), (5, 0.03))

_CAPTION_WORDS = (
    "the of and in to a is by with which that via activation signaling pathway pathways cells cell "
    "expression receptor kinase inhibition inhibits induces promotes regulation regulates leads leading "
    "phosphorylation ubiquitination degradation transcription translation nuclear cytoplasmic membrane "
    "mitochondrial metabolism metabolic glycolysis oxidative stress response inflammatory apoptosis "
    "autophagy proliferation differentiation migration invasion tumor cancer hepatocytes neurons "
    "macrophages T B lymphocytes fibroblasts model schematic illustration overview proposed mechanism "
    "downstream upstream binding complex factor factors mediated dependent independent increased "
    "decreased elevated reduced arrows indicate dashed lines represent red green blue boxes "
    "low-density lipoprotein receptor-related protein K63-linked NADPH ROS ATP cAMP mTORC1 AMPK "
    "(A) (B) (C) (I) (II) [Ca2+]i Na+/K+ 1/2 and/or e.g., i.e., ~50% >2-fold 37 nM"
).split()
# About 60% of the sample's captions hold non-ASCII text; these words put some into ~60% of ours.
_NON_ASCII_WORDS = (
    "α-ketoglutarate NF-κB TNF-α IL-1β β-catenin TGF-β IFN-γ Ca²⁺ µM °C naïve Müller receptor–related "
    "5′-UTR 3′ ≥ ≤ ± → ← ↑ ↓ Δψm"
).split()
_TITLE_WORDS = (
    "Role Roles Regulation Targeting Mechanisms Signaling Metabolic Features Insights Novel "
    "Emerging Molecular Basis Therapeutic Implications Control Dynamics Crosstalk Network Axis "
    "Pathway Pathways Inflammation Cancer Disease Development Homeostasis Resistance Stress Response "
    "Neurodegeneration Immunity Fibrosis Diabetes Obesity Aging Senescence Autophagy Ferroptosis "
    "Osteoblasts Hepatocytes Macrophages Microglia Mitochondria Tumor Microenvironment Plants Bacteria "
    "of in and the a by via through for as with from to: – Beyond Perspective Review Approach"
).split()
_KEYWORDS = (
    "metabolism|inflammation|autophagy|apoptosis|cancer|multiple myeloma|bone disease|osteoblasts|"
    "glutamine|NASH|NAFLD|ubiquitination|liver inflammation|Wnt signaling|mTOR|AMPK|oxidative stress|"
    "ferroptosis|senescence|immunotherapy|T cell|dendritic cells (DC)|metabolic reprogramming|"
    "glycolysis|SREBPs|lipid metabolism|fatty acids|cholesterol|cancer therapy|iron metabolism|"
    "Fe-S biogenesis|genomic integrity|DNA repair|UPR – unfolded protein response|ER stress|"
    "neurodegenerative diseases|cell death|MRSA|methicillin resistance|pentose phosphate pathway|"
    "Bacterial infection|Chemical genetics|Bacteriology|osteoarthritis|bibliometrics|research hotspot|"
    "prostate cancer|cancer stem cells|stromal cells|CAFs|Transaminase|Polyamide|Enzyme cascade|"
    "Neuroscience|Peripheral nervous system|rhizobium|legumes|symbiosis|nitrogen|photosynthesis|"
    "chronic pancreatitis|pancreatic stellate cells|Candida albicans|Biofilm|Transcriptomics|"
    "Metabolomics|Senile osteoporosis|Bone formation|miR-335-5p|évolution|Müller glia|β-cell|"
    "NF-κB|TGF-β signaling|sepsis|microbiome|gut–brain axis|COVID-19|SARS-CoV-2|insulin resistance"
).split("|")
_SURNAMES = (
    "Lungu Xu Lee Wang Zhang Li Liu Chen Yang Huang Zhao Wu Zhou Smith Johnson Williams Brown Jones "
    "Garcia Müller Schmidt Schneider Fischer Sánchez Rodríguez Martínez López González Pérez Kovačević "
    "Øster Nakamura Tanaka Suzuki Kim Park Choi Rossi Russo Ferrari Dubois Lefèvre Nowak Kowalski Novák "
    "Deyama Rajchgot Ades Pal Singh Kumar Gupta Sharma O'Brien Ó'Súilleabháin"
).split()
_GIVEN = (
    "Oxana Minxuan Li-Fen Saumen Felipe Trevor Satoshi Anna Maria José Jürgen Zoë Chloé Wei Yuki "
    "Hyun-Jin Priya Ahmed Fatima Ivan Olga Søren Björn Ana Luis Chen Hui Min-Jun Aoife"
).split()
_PUBLISHERS = (
    "MDPI", "Elsevier", "Frontiers Media SA", "Springer", "Nature Publishing Group", "Wiley",
    "Oxford University Press", "American Chemical Society", "Royal Society of Chemistry",
    "Cold Spring Harbor Laboratory Press", "BioMed Central", "Public Library of Science",
    "American Society for Microbiology", "eLife Sciences Publications, Ltd", "Taylor & Francis",
    "SAGE Publications", "Ivyspring International Publisher", "Impact Journals LLC",
)
_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
_HOMOGLYPHS = {"A": "Α", "K": "Κ", "P": "Р", "M": "Μ", "T": "Т", "I": "İ", "B": "В", "E": "Е", "H": "Н"}
_OLD_GENE_SOURCES = ("bioentities_symbol",) * 11 + ("hgnc_alias_symbol",) * 4 + ("hgnc_symbol",) * 5 + (
    "hgnc_prev_symbol",
)

# ---------------------------------------------------------------------------------------------------
# YAML scalars written by hand (exactly what the resolver needs quoted; folded like PyYAML at width 80)

_STR_TAG = "tag:yaml.org,2002:str"
_WIDTH = 80
_PLAIN_BAD_START = frozenset("-?:,[]{}#&*!|>'\"%@` ")


@cache
def _implicit() -> tuple[frozenset[str], re.Pattern[str]]:
    """Return the first characters and one regex for every non-string implicit type of PyYAML's resolver."""
    resolvers = yaml.resolver.Resolver.yaml_implicit_resolvers
    patterns = {rx.pattern for rs in resolvers.values() for tag, rx in rs if tag != _STR_TAG}
    starts = frozenset(c for c, rs in resolvers.items() if c and any(tag != _STR_TAG for tag, _rx in rs))
    return starts, re.compile("|".join(f"(?:{p})" for p in sorted(patterns)), re.X)


def _needs_quotes(s: str) -> bool:
    """Return True when ``s`` cannot be written as a plain scalar and read back as the same string."""
    if not s or s[0] in _PLAIN_BAD_START or s[-1] in " :" or ": " in s or " #" in s or "\t" in s:
        return True
    starts, implicit = _implicit()
    return s[0] in starts and implicit.match(s) is not None


_BREAK = re.compile(r"(?<=[^ \t]) (?=[^ \t])")  # a single space between two non-blanks


def _fold(text: str, column: int, indent: int, quoted: bool) -> str:
    """Break ``text`` at single spaces once past column 80, continuation lines indented by ``indent``.

    A break folds back to one space, so only single spaces between non-spaces may become breaks (as
    PyYAML does); in a quoted scalar never right after the opening quote or before the closing one.
    """
    if column + len(text) <= _WIDTH:
        return text
    end = len(text) - 1 if quoted else len(text)
    lines: list[str] = []
    start = 0
    while True:
        m = _BREAK.search(text, max(start + _WIDTH + 1 - column, 2), end)
        if m is None:
            break
        i = m.start()
        lines.append(text[start:i])
        start, column = i + 1, indent
    lines.append(text[start:])
    return ("\n" + " " * indent).join(lines)


_SPECIAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


# Multi-line text a ``|-`` block carries unchanged: no line starts with a blank, no trailing newline.
_LITERAL_OK = re.compile(r"[^ \t\n][^\n]*(?:\n(?:[^ \t\n][^\n]*)?)*(?<!\n)")


def _double_quoted(s: str) -> str:
    """Return ``s`` as a double-quoted scalar with escapes (for text no other style can carry)."""
    out = []
    for ch in s:
        o = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif (0x20 <= o < 0x7F or o >= 0xA0) and not _SPECIAL.match(ch):
            out.append(ch)
        else:
            out.append(f"\\x{o:02x}" if o <= 0xFF else f"\\u{o:04x}")
    return '"' + "".join(out) + '"'


def _scalar_uncached(s: str, column: int, indent: int) -> str:
    if _SPECIAL.search(s) or "\r" in s or ("\n" in s and not _LITERAL_OK.fullmatch(s)):
        return _double_quoted(s)
    if "\n" in s:  # a literal block, as the site writes multi-line keywords
        pad = " " * indent
        return "|-\n" + "\n".join(pad + line if line else "" for line in s.split("\n"))
    if _needs_quotes(s):
        return _fold("'" + s.replace("'", "''") + "'", column, indent, True)
    return _fold(s, column, indent, False)


_short_scalar = cache(_scalar_uncached)  # symbols, ids and names repeat a lot


def _scalar(s: str, column: int, indent: int) -> str:
    """Return ``s`` as a YAML scalar that starts at ``column``; continuation lines get ``indent``."""
    if len(s) < 40:
        return _short_scalar(s, column, indent)
    return _scalar_uncached(s, column, indent)


def _kv(key: str, value: str, indent: int = 0) -> str:
    """Return one ``key: value`` line (with folded continuation lines) at ``indent``."""
    pad = " " * indent
    return f"{pad}{key}: {_scalar(value, indent + len(key) + 2, indent + 2)}\n"


def _seq(key: str, values: list[str], indent: int = 0, item_indent: int = 0) -> str:
    """Return ``key:`` followed by one ``- value`` line per value (``key: []`` when empty)."""
    pad = " " * indent
    if not values:
        return f"{pad}{key}: []\n"
    ipad = " " * item_indent
    col = item_indent + 2
    return f"{pad}{key}:\n" + "".join(f"{ipad}- {_scalar(v, col, col)}\n" for v in values)


def _records(key: str, rows: Sequence[tuple[tuple[str, str], ...]]) -> str:
    """Return ``key:`` followed by a block sequence of small mappings (the old era's inline mentions)."""
    if not rows:
        return f"{key}: []\n"
    out = [f"{key}:\n"]
    for row in rows:
        first = True
        for field, value in row:
            lead = "- " if first else "  "
            out.append(f"{lead}{field}: {_scalar(value, len(field) + 4, 4)}\n")
            first = False
    return "".join(out)


# ---------------------------------------------------------------------------------------------------
# Vocabulary pools (fixed)


@dataclass(frozen=True)
class _Family:
    """A gene family: one OCR word may match all of its members (famplex_relations)."""

    prefix: str
    members: tuple[int, ...]  # indices into the gene pool


@dataclass(frozen=True)
class _Pools:
    families: tuple[_Family, ...]
    gene_symbol: tuple[str, ...]  # canonical (upper-case) symbol per gene
    gene_alias: tuple[str, ...]  # a synonym per gene ('' when none)
    taxon_gene_ids: tuple[tuple[int, ...], ...]  # per taxon, an NCBI Gene id per gene
    taxon_symbols: tuple[tuple[str, ...], ...]  # per taxon, the symbol as cased in that organism
    taxon_families: tuple[int, ...]  # per taxon, how many of the first families its lexicon holds
    chemicals: tuple[tuple[str, str, str, str, str], ...]  # (word, mesh, match, name, chebi)
    diseases: tuple[tuple[str, str, str, str, str], ...]  # (word, mesh, match, name, doid)
    # (title, nlm_ta, publisher, doi prefix, code, file-name style)
    journals: tuple[tuple[str, str, str, str, str, int], ...]


_LETTERS = "ABCDEFGHIKLMNPRSTVWXYZ"


def _case_for(group: str, taxon: str, symbol: str) -> str:
    """Return ``symbol`` cased the way the taxon's gene nomenclature writes it."""
    if taxon == "9606" or group in ("Primates", "Mammals") or taxon in ("9031", "8364", "8355"):
        return symbol
    if group == "Rodents" or taxon == "7227":
        return symbol[:1] + symbol[1:].lower()
    if group == "Bacteria":
        return symbol[:3].lower() + symbol[3:]
    return symbol.lower()


@cache
def _pools() -> _Pools:
    """Build the fixed vocabulary pools (deterministic; ~0.3 s)."""
    rng = random.Random(_POOL_SEED)
    # Null sentinels are never symbols or words (R writes a missing value as NA).
    used: set[str] = {"NA", "NAN", "NULL", "NONE", "TRUE", "FALSE"}
    families: list[_Family] = []
    symbols: list[str] = []
    aliases: list[str] = []

    def fresh(length: int) -> str:
        while True:  # short names run out: after a few collisions try one letter more
            for _ in range(8):
                s = "".join(rng.choice(_LETTERS) for _ in range(length))
                if s not in used:
                    used.add(s)
                    return s
            length += 1

    weight_sum = sum(w for *_x, w in _TAXA)
    limits = [max(_MIN_GENES_PER_TAXON, round(_N_GENES * w / weight_sum)) for *_x, w in _TAXA]
    while len(symbols) < max(limits):
        r = rng.random()
        size = 1 if r < 0.72 else 2 if r < 0.82 else rng.randint(3, 6) if r < 0.95 else rng.randint(7, 30)
        prefix = fresh(rng.choice((2, 3, 3, 4, 4, 5)))
        members = []
        for k in range(size):
            sym = prefix if size == 1 and rng.random() < 0.5 else f"{prefix}{k + 1}"
            if size > 1 and rng.random() < 0.15:
                sym = f"{prefix}{k + 1}{rng.choice('ABC')}"
            if sym in used and size > 1:
                sym = f"{prefix}{k + 1}L"
            used.add(sym)
            members.append(len(symbols))
            symbols.append(sym)
            r = rng.random()
            aliases.append(
                "" if r < 0.6 else f"p{rng.randint(15, 300)}" if r < 0.75 else f"{sym}-{rng.choice('αβγδ')}"
                if r < 0.85 else fresh(3)
            )
        families.append(_Family(prefix, tuple(members)))

    taxon_ids: list[tuple[int, ...]] = []
    taxon_syms: list[tuple[str, ...]] = []
    taxon_fams: list[int] = []
    for t, (taxon, _name, group, _w) in enumerate(_TAXA):
        n_fams = next(i + 1 for i, f in enumerate(families) if f.members[-1] + 1 >= limits[t])
        size = families[n_fams - 1].members[-1] + 1
        lo = 1 if taxon == "9606" else 100_000 + t * 2_000_000
        taxon_ids.append(tuple(rng.sample(range(lo, lo + 1_500_000), size)))
        taxon_syms.append(tuple(_case_for(group, taxon, s) for s in symbols[:size]))
        taxon_fams.append(n_fams)

    stems = (
        "gluc fruct lact pyruv glutam aspart arginin succin citr malon acet palmit ole linole arachidon "
        "prostagland thromb adenos guanos inos cholest ergost cortis testost estrad dopam seroton "
        "histam melaton rapamyc metform tamox cispl doxorub paclitax curcum resveratr querc genist "
        "berber capsaic menth nicotin caffe ethan methan sorbit mannit xylit glycer sphingos ceram"
    ).split()
    endings = "ose|ate|ine|ol|one|ide|in|amide|yl-CoA|ic acid".split("|")
    chems: list[tuple[str, str, str, str, str]] = []
    mesh_used: set[str] = set()
    while len(chems) < _N_CHEMICALS:
        r = rng.random()
        mesh = (
            f"D{rng.randint(0, 20000):06d}" if r < 0.7 else f"C{rng.randint(0, 999999):06d}" if r < 0.95
            else f"C000{rng.randint(500000, 999999):06d}"
        )
        if mesh in mesh_used:
            continue
        mesh_used.add(mesh)
        name = rng.choice(stems) + rng.choice(endings)
        if rng.random() < 0.2:
            name = f"{rng.randint(1, 25)}-{rng.choice(('hydroxy', 'methyl', 'amino', 'oxo', 'deoxy'))}{name}"
        word = name if rng.random() < 0.6 else name.upper()[:4] if rng.random() < 0.5 else name.capitalize()
        if rng.random() < 0.6:
            match = name.title()
            chebi = f"chebi:{rng.randint(1000, 200000)}"
            chems.append((word, f"mesh:{mesh}", match, name.lower(), chebi))
        else:
            chems.append((word, f"mesh:{mesh}", "NA", "NA", "NA"))

    organs = "liver lung heart brain kidney bone skin breast colon pancreas thyroid prostate retina".split()
    kinds = "cancer carcinoma fibrosis hyperplasia hypertrophy inflammation injury neuropathy tumor".split()
    diseases: list[tuple[str, str, str, str, str]] = []
    while len(diseases) < _N_DISEASES:
        mesh = f"D{rng.randint(1000, 90000):06d}"
        if mesh in mesh_used:
            continue
        mesh_used.add(mesh)
        name = f"{rng.choice(organs)} {rng.choice(kinds)}" if rng.random() < 0.8 else rng.choice(kinds)
        word = name if rng.random() < 0.7 else name.capitalize() + ("s" if rng.random() < 0.3 else "")
        if rng.random() < 0.3:
            diseases.append((word, f"mesh:{mesh}", name.title(), name, f"doid:{rng.randint(1, 120000):07d}"))
        else:
            diseases.append((word, f"mesh:{mesh}", "NA", "NA", "NA"))

    jwords = (
        "Molecular Cell Cellular Biology Biological Chemistry Medicine Medical Clinical Cancer Oncology "
        "Immunology Neuroscience Neurology Physiology Pharmacology Plant Microbiology Genetics Genomics "
        "Metabolism Endocrinology Cardiology Nutrition Toxicology Biochemistry Sciences Research Reports "
        "Translational Experimental Developmental Environmental Infectious Diseases Signaling"
    ).split()
    journals = []
    for j in range(300):
        words = rng.sample(jwords, rng.randint(1, 3))
        lead = rng.choice(("Journal of", "International Journal of", "Frontiers in", "", "", "Acta"))
        title = f"{lead} {' '.join(words)}".strip()
        if j % 37 == 0:
            title += ". B"
        if j % 53 == 0:
            title = "Revista Española de " + words[0]
        words_ta = title.replace("Journal of", "J").split()
        ta = " ".join(w[:4].rstrip("aeiou") if len(w) > 5 else w for w in words_ta)
        code = "".join(w[0] for w in title.split()).lower() + str(j)
        journals.append((title, ta, rng.choice(_PUBLISHERS), f"10.{rng.randint(1000, 99999)}", code, j % 7))

    return _Pools(
        tuple(families), tuple(symbols), tuple(aliases), tuple(taxon_ids), tuple(taxon_syms),
        tuple(taxon_fams), tuple(chems), tuple(diseases), tuple(journals),
    )


# ---------------------------------------------------------------------------------------------------
# Papers and figures


@dataclass(frozen=True)
class Paper:
    """One paper of the plan: its index, how many figures it has, and its era."""

    index: int
    figures: int
    old: bool


def plan_papers(figures: int, seed: int, figures_per_paper: float = 2.0) -> list[Paper]:
    """Return the papers holding exactly ``figures`` figures (1 + geometric figures per paper)."""
    rng = random.Random(seed)
    p = 1.0 / figures_per_paper  # figures-per-paper - 1 is geometric with mean (1 - p) / p
    papers: list[Paper] = []
    total = 0
    while total < figures:
        n = 1
        while n < 40 and rng.random() > p:
            n += 1
        n = min(n, figures - total)
        papers.append(Paper(len(papers), n, rng.random() < _P_OLD_ERA))
        total += n
    return papers


def _zipf(rng: random.Random, n: int, power: float = 2.5) -> int:
    """Return an index in [0, n) with a heavy head (index 0 most frequent)."""
    return int(n * rng.random() ** power)


def _lognormal_count(rng: random.Random, mean: float, sigma: float, cap: int) -> int:
    mu = math.log(mean) - sigma * sigma / 2
    return max(1, min(cap, round(rng.lognormvariate(mu, sigma))))


def _geometric_total(rng: random.Random, mean: float) -> int:
    """Return 1 + a geometric count, overall mean ``mean``."""
    p = 1.0 / mean
    n = 1
    while rng.random() > p:
        n += 1
    return n


def _noisy_word(rng: random.Random, word: str) -> str:
    """Return ``word`` as OCR sometimes reads it (homoglyphs, stray punctuation, Greek suffixes)."""
    r = rng.random()
    if r < 0.85:
        return word
    if r < 0.88:
        return word.lower()
    if r < 0.91:
        return rng.choice(("(", "|", '"', "[")) + word
    if r < 0.94:
        return word + rng.choice(("*", ")", ",", "-α", "-β", '"', " ", "|T", "/2"))
    if r < 0.97:
        return "".join(_HOMOGLYPHS.get(c, c) if rng.random() < 0.5 else c for c in word)
    return f"{word}/{word[:-1]}{rng.randint(2, 9)}" if len(word) > 2 else word + "s"


def _gene_words(
    rng: random.Random, pools: _Pools, taxon: int, quota: int
) -> list[tuple[str, str, list[tuple[int, str]]]]:
    """Return OCR words totalling ``quota`` rows: (word, match, [(gene, lexicon source), ...])."""
    out: list[tuple[str, str, list[tuple[int, str]]]] = []
    rows = 0
    families, n_families = pools.families, pools.taxon_families[taxon]
    seen: set[str] = set()
    while rows < quota:
        fam = families[_zipf(rng, n_families)]
        # A figure lists each word once per organism; small lexicons may run out of new words.
        for _ in range(6):
            if fam.prefix not in seen:
                break
            fam = families[_zipf(rng, n_families, 1.0)]
        seen.add(fam.prefix)
        if len(fam.members) > 1 and rng.random() < 0.75:
            # The family word matches every member (OCR "AKT" -> AKT1, AKT2, AKT3).
            hits = [
                (g, "famplex_relations" if rng.random() < 0.8 else "ncbigene_synonym") for g in fam.members
            ]
            match = fam.prefix
        else:
            g = fam.members[_zipf(rng, len(fam.members), 1.5)]
            alias = pools.gene_alias[g]
            if alias and rng.random() < 0.35:
                match, hits = alias.upper(), [(g, "ncbigene_synonym")]
            else:
                match, hits = pools.gene_symbol[g], [(g, "ncbigene_symbol")]
            if rng.random() < 0.03:  # the same gene found through a second lexicon
                hits.append((g, "ncbigene_synonym" if hits[0][1] == "ncbigene_symbol" else "ncbigene_symbol"))
        hits = hits[: quota - rows]
        out.append((_noisy_word(rng, match), match, hits))
        rows += len(hits)
    return out


def _gene_table(rng: random.Random, pools: _Pools, taxa: list[int], total: int) -> tuple[str, list[str]]:
    """Return a genes TSV with ``total`` rows spread over ``taxa`` (first taxon most), and its symbols."""
    ten_columns = rng.random() < 0.07
    header = "organism_id\torganism_name\torganism_group\tword\tmatch\tncbigene_symbol\tncbigene_id\tsource\t"
    header += "count_direct\tcount_match\n" if ten_columns else "count_direct\tcount_synonym\tcount_match\n"
    # First organism gets ~70% of the rows; the rest share what is left.
    quotas = [total] if len(taxa) == 1 else [max(1, round(total * 0.7))]
    for k in range(1, len(taxa)):
        rest = total - sum(quotas)
        quotas.append(rest if k == len(taxa) - 1 else max(0, round(rest * rng.uniform(0.3, 0.7))))
    lines = [header]
    symbols: list[str] = []
    for t, quota in zip(taxa, quotas, strict=True):
        if quota <= 0:
            continue
        taxon, name, group, _w = _TAXA[t]
        ids, syms = pools.taxon_gene_ids[t], pools.taxon_symbols[t]
        words = _gene_words(rng, pools, t, quota)
        direct = len({g for _w, _m, hits in words for g, s in hits if s == "ncbigene_symbol"})
        synonym = len({g for _w, _m, hits in words for g, s in hits if s != "ncbigene_symbol"})
        matched = len({g for _w, _m, hits in words for g, _s in hits})
        counts = f"{direct}\t{matched}" if ten_columns else f"{direct}\t{synonym}\t{matched}"
        lead = f"{taxon}\t{name}\t{group}\t"
        for word, match, hits in words:
            for g, source in hits:
                line = f"{lead}{word}\t{match}\t{syms[g]}\t{ids[g]}\t{source}\t{counts}\n"
                lines.append(line)
                symbols.append(syms[g])
                if rng.random() < 0.01:
                    lines.append(line)
    return "".join(lines), symbols


def _term_rows(rng: random.Random, pool: tuple[tuple[str, ...], ...], total: int) -> list[tuple[str, ...]]:
    """Return ``total`` rows drawn from ``pool`` (Zipf-skewed), ~15% of them repeating the row before."""
    rows: list[tuple[str, ...]] = []
    while len(rows) < total:
        if rows and rng.random() < 0.15:
            rows.append(rows[-1])
        else:
            row = pool[_zipf(rng, len(pool), 2.0)]
            word = _noisy_word(rng, row[0]) if rng.random() < 0.3 else row[0]
            rows.append((word, *row[1:]))
    return rows


def _caption(rng: random.Random, length: int, genes: list[str]) -> str:
    """Return a caption of about ``length`` characters (gene symbols, non-ASCII, apostrophes, colons)."""
    n = max(2, length * 2 // 17)  # words average ~8.5 characters with their space
    words = rng.choices(_CAPTION_WORDS, k=n)
    for _ in range(min(len(genes), n // 12, 15)):
        words[rng.randrange(n)] = rng.choice(genes)
    words[0] = words[0].capitalize()
    for i in range(8, n - 1, rng.randint(9, 18)):
        words[i] += rng.choice((".", ".", ",", ";", ":", "'s", "."))
    if rng.random() < 0.6:
        for _ in range(rng.randint(1, 4)):
            words[rng.randrange(n)] = rng.choice(_NON_ASCII_WORDS)
    if rng.random() < 0.1:
        words[rng.randrange(n)] += "'"  # neurons' capacity
    text = " ".join(words)
    if rng.random() < 0.2 and genes:
        text += " Abbreviations: " + "; ".join(f"{g}: {rng.choice(_CAPTION_WORDS)}" for g in genes[:8])
    return text.rstrip(".,;:") + "."


def _caption_and_title(rng: random.Random, length: int, genes: list[str]) -> tuple[str, str]:
    """Return a caption naming some of ``genes`` and a figure title (often the caption's first phrase)."""
    caption = _caption(rng, length, genes)
    title = caption.split(". ")[0][:160].rstrip(" .") if rng.random() < 0.5 else ""
    return caption, title or _title(rng, 4, 14)


def _title(rng: random.Random, lo: int, hi: int) -> str:
    text = " ".join(rng.choices(_TITLE_WORDS, k=rng.randint(lo, hi)))
    if rng.random() < 0.02:
        text = text.replace(" ", "  ", 1)  # the site has double spaces inside titles
    return text[0].upper() + text[1:]


def _uuid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-de{rng.getrandbits(8):02x}-11ea-99da-0ac135e8bacf"


def _pick_taxa(rng: random.Random) -> list[int]:
    """Return 1-5 distinct taxon indices, weighted like the sample (human and fly most often)."""
    r, k = rng.random(), 5
    for n, p in _N_ORGANISMS:
        if r < p:
            k = n
            break
        r -= p
    weights = [w for *_x, w in _TAXA]
    chosen: list[int] = []
    while len(chosen) < k:
        t = rng.choices(range(len(_TAXA)), weights)[0]
        if t not in chosen:
            chosen.append(t)
    return chosen


def _filename(rng: random.Random, style: int, code: str, year: int, n: int, pmc: int) -> tuple[str, str]:
    """Return (image file stem, PMC figure label) for figure ``n`` in a journal's naming style."""
    vol = year - 2009 if year > 2010 else 1
    if style == 0:
        return f"{code}-{vol}-{pmc % 10_000_000:07d}-g{n:03d}", f"F{n}"
    if style == 1:
        return f"gr{n}", f"fig{n}"
    if style == 2:
        return f"{41000 + pmc % 1000}_{year}_{pmc % 100000}_Fig{n}_HTML", f"Fig{n}"
    if style == 3:
        return f"nihms-{pmc % 10_000_000}-f{n:04d}", f"F{n}"
    if style == 4:
        return f"{code}.{pmc % 10_000_000:07d}.g{n:03d}", f"{code}-{pmc % 10_000_000:07d}-g{n:03d}"
    if style == 5:
        return f"{code}{pmc % 100000}f{n:02d}", f"f{n}"
    return f"fig-{n}" if rng.random() < 0.5 else f"{code.upper()}-{pmc % 100000}_F{n}", f"f{n}"


def paper_records(paper: Paper, seed: int) -> Iterator[tuple[str, dict[str, str]]]:
    """Yield (figid, {relative path: file text}) for each figure of ``paper``."""
    pools = _pools()
    rng = random.Random((seed << 40) ^ paper.index)
    pmc = 100_000 + paper.index * 60 + rng.randrange(60)  # unique per paper index
    pmcid = f"PMC{pmc}"
    year = rng.randint(1998, 2012) if paper.old else rng.randint(2005, 2024)
    jtitle, jta, publisher, doi_prefix, code, style = pools.journals[_zipf(rng, len(pools.journals), 1.6)]
    papertitle = _title(rng, 6, 16) + "."
    first = f"{rng.choice(_GIVEN)} {rng.choice(_SURNAMES)}"
    reftext = f"{first}, et al. {jta}. {year} {rng.choice(_MONTHS)};"
    reftext += f"{rng.randint(1, 60)}({rng.randint(1, 12)}):"
    reftext += f"{rng.randint(1, 9000)}-{rng.randint(9001, 9999)}."
    year_s = "" if rng.random() < 0.02 else str(year)
    na_block = rng.random() < 0.25
    doi = f"{doi_prefix}/{code.upper() if rng.random() < 0.2 else code}.{year}.{rng.randint(1, 99999):05d}"
    kws = " | ".join(rng.sample(_KEYWORDS, rng.randint(1, 8)))
    if rng.random() < 0.01:
        kws = kws.replace(" | ", " |\n", 1)  # a literal-block keywords value, as in the sample
    elif rng.random() < 0.03:
        kws = ""
    common = [n for _t, n, _g, _w in _TAXA[:5]]
    curated = ["NA"] if rng.random() < 0.45 else rng.sample(common, rng.randint(1, 2))
    if rng.random() < 0.08:
        curated.append(rng.choice(_OTHER_ORGANISMS))
    numbers = sorted(rng.sample(range(1, 3 * paper.figures + 3), paper.figures))

    for n in numbers:
        stem, label = _filename(rng, style, code, year, n, pmc)
        figid = f"{pmcid}__{stem}"
        r = rng.random()
        figtype, number = (
            ("Figure", f"F{n}") if r < 0.94 else ("Scheme", f"S{n}") if r < 0.97
            else ("Supplemental figure", f"SF{n}") if r < 0.99 else ("Graphical abstract", f"GA{n}")
        )
        alias = f"{pmcid}__{number}"
        figlink = f"/pmc/articles/{pmcid}/figure/{label}/"
        if rng.random() < 0.03:
            figlink = figlink[1:]
        score = f"0.{rng.randint(5000000, 9999999)}"
        ndex = _uuid(rng) if rng.random() < 0.35 else ""
        n_genes = 0 if rng.random() < _P_NO_GENES else _lognormal_count(
            rng, _GENE_MEAN / (1 - _P_NO_GENES), _GENE_SIGMA, 3000
        )
        n_chem = _geometric_total(rng, _CHEM_ROWS_GIVEN) if rng.random() < _P_CHEMICALS else 0
        n_dis = _geometric_total(rng, _DIS_ROWS_GIVEN) if rng.random() < _P_DISEASES else 0
        caption_length = int(min(4000, max(20, rng.lognormvariate(6.35, 0.7))))
        files: dict[str, str] = {}
        chem_rows = _term_rows(rng, pools.chemicals, n_chem)
        dis_rows = _term_rows(rng, pools.diseases, n_dis)

        if paper.old:
            words = _gene_words(rng, pools, 0, n_genes)
            genes = [
                (("word", w), ("symbol", m), ("source", rng.choice(_OLD_GENE_SOURCES)),
                 ("hgnc_symbol", pools.gene_symbol[g]), ("entrez", str(pools.taxon_gene_ids[0][g])))
                for w, m, hits in words for g, _s in hits
            ]
            old_symbols = list(dict.fromkeys(pools.gene_symbol[g] for _w, _m, hs in words for g, _s in hs))
            kw = old_symbols + [r[0] for r in chem_rows]
            caption, figtitle = _caption_and_title(rng, caption_length, old_symbols)
            chems = [(("word", r[0]), ("source", "MESH"), ("identifier", r[1][5:])) for r in chem_rows]
            dis = [(("word", r[0]), ("source", "MESH"), ("identifier", r[1][5:])) for r in dis_rows]
            if dis and rng.random() < 0.05:
                dis[0] = (("word", "Cancer"), ("source", ""), ("identifier", ""))
            organisms = "Homo sapiens" if rng.random() < 0.85 else None
            md = ["---\n", _kv("figid", figid), _kv("figlink", figlink), _kv("number", number),
                  _kv("caption", caption), _kv("pmcid", pmcid), _kv("papertitle", papertitle),
                  _kv("reftext", reftext), _kv("pmc_ranked_result_index", str(rng.randint(1, 40000))),
                  f"pathway_score: {score}\n", _kv("filename", stem + ".jpg"), _kv("figtitle", figtitle),
                  _kv("year", year_s),
                  _kv("organisms", organisms) if organisms
                  else _seq("organisms", ["Homo sapiens", *curated[1:]]),
                  _kv("ndex", ndex), "annotations: []\n", "seo: CreativeWork\n",
                  _jsonld(figid, caption, kw), _records("genes", genes), _records("chemicals", chems),
                  _records("diseases", dis), _kv("figid_alias", alias),
                  _kv("redirect_from", f"/figures/{alias}"), _kv("figtype", figtype), "---\n"]
            files[f"_figures/{figid}.md"] = "".join(md)
            yield figid, files
            continue

        taxa = _pick_taxa(rng) if n_genes else []
        symbols: list[str] = []
        if n_genes:
            files[f"_data/{figid}-genes.tsv"], symbols = _gene_table(rng, pools, taxa, n_genes)
        if chem_rows:
            if rng.random() < 0.02:  # the old chemicals layout: CRLF, no final newline
                body = "\r\n".join(f"{r[0]}\tMESH\t{r[1][5:]}" for r in chem_rows)
                files[f"_data/{figid}-chemicals.tsv"] = "word\tsource\tidentifier\r\n" + body
            else:
                files[f"_data/{figid}-chemicals.tsv"] = "word\tmesh\tmatch\tname\tchebi\n" + "".join(
                    "\t".join(r) + "\n" for r in chem_rows
                )
        if dis_rows:
            files[f"_data/{figid}-diseases.tsv"] = "word\tmesh\tmatch\tname\tdoid\n" + "".join(
                "\t".join(r) + "\n" for r in dis_rows
            )
        kw = list(dict.fromkeys(symbols))
        if kw and rng.random() < 0.05:
            kw.insert(rng.randrange(len(kw)), ".na.character")
        if rng.random() < 0.3:
            kw += list(dict.fromkeys(r[0] for r in chem_rows + dis_rows))
        ner = [_TAXA[t][1] for t in taxa] or ["NA"]
        na = ".na.character"
        caption, figtitle = _caption_and_title(rng, caption_length, list(dict.fromkeys(symbols)))
        late_ner = rng.random() < 0.06  # some records list organisms_ner after figtype
        md = ["---\n", _kv("figid", figid), _kv("figtitle", figtitle), _seq("organisms", curated)]
        if not late_ner:
            md.append(_seq("organisms_ner", ner))
        md += [_kv("pmcid", pmcid), _kv("filename", stem + ".jpg"), _kv("figlink", figlink),
               _kv("number", number), _kv("caption", caption), _kv("papertitle", papertitle),
               _kv("reftext", reftext), _kv("year", year_s), _kv("doi", na if na_block else doi),
               _kv("journal_title", na if na_block else jtitle),
               _kv("journal_nlm_ta", na if na_block else jta),
               _kv("publisher_name", na if na_block else publisher), _kv("keywords", na if na_block else kws),
               f"automl_pathway: {score}\n", _kv("figid_alias", alias), _kv("figtype", figtype)]
        if late_ner:
            md.append(_seq("organisms_ner", ner))
        md += [_kv("redirect_from", f"/figures/{alias}"), _kv("ndex", ndex), "seo: CreativeWork\n",
               _jsonld(figid, caption, kw)]
        if rng.random() < 0.02:
            md.append(f"wpid: WP{rng.randint(100, 5500)}\n")
        md.append("---\n")
        files[f"_figures/{figid}.md"] = "".join(md)
        yield figid, files


def _jsonld(figid: str, caption: str, keywords: list[str]) -> str:
    """Return the site's embedded ``schema-jsonld`` block."""
    return (
        "schema-jsonld:\n  '@context': https://schema.org/\n"
        + _kv("'@id'", f"https://pfocr.wikipathways.org/figures/{figid}.html", 2)
        + "  '@type': Dataset\n"
        + _kv("description", caption, 2)
        + "  license: CC0\n  name: CreativeWork\n"
        + "  creator:\n    '@type': Organization\n    name: WikiPathways\n"
        + _seq("keywords", keywords, 2, 2)
    )


# ---------------------------------------------------------------------------------------------------
# Writing


def _write_papers(args: tuple[Path, int, list[Paper]]) -> dict[str, int]:
    out, seed, papers = args
    counts = {"figures": 0, "files": 0, "bytes": 0}
    for paper in papers:
        for _figid, files in paper_records(paper, seed):
            counts["figures"] += 1
            for rel, text in files.items():
                data = text.encode("utf-8")
                with open(out / rel, "wb") as fh:
                    fh.write(data)
                counts["files"] += 1
                counts["bytes"] += len(data)
    return counts


def generate(
    out: Path, *, figures: int, seed: int = 1, figures_per_paper: float = 2.0, jobs: int = 1
) -> dict[str, Any]:
    """Write a synthetic tree of ``figures`` figures into ``out`` (which must be empty or absent).

    Raises FileExistsError when ``out`` already holds files.
    """
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} is not empty; remove it or pass --force")
    (out / "_figures").mkdir(parents=True, exist_ok=True)
    (out / "_data").mkdir(exist_ok=True)
    start = time.perf_counter()
    _pools()  # build once before forking
    papers = plan_papers(figures, seed, figures_per_paper)
    chunk = max(1, len(papers) // (jobs * 8))
    tasks = [(out, seed, papers[i : i + chunk]) for i in range(0, len(papers), chunk)]
    totals = {"figures": 0, "files": 0, "bytes": 0}
    if jobs > 1:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            results = pool.map(_write_papers, tasks)
    else:
        results = [_write_papers(t) for t in tasks]
    for res in results:
        for k, v in res.items():
            totals[k] += v
    info = {
        "generator_version": GENERATOR_VERSION,
        "seed": seed,
        "figures": totals["figures"],
        "figures_per_paper": figures_per_paper,
        "papers": len(papers),
        "files": totals["files"],
        "bytes": totals["bytes"],
    }
    (out / "SYNTH.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    return {**info, "seconds": round(time.perf_counter() - start, 2)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--figures", type=int, required=True, help="number of figure records")
    parser.add_argument("--out", type=Path, required=True, help="tree to write (must be empty or absent)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--figures-per-paper", type=float, default=2.0, help="mean figures per paper (>= 1)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes")
    parser.add_argument("--force", action="store_true", help="delete DIR/_figures, DIR/_data first")
    args = parser.parse_args(argv)
    if args.figures < 1 or args.figures_per_paper < 1 or args.jobs < 1:
        parser.error("--figures, --figures-per-paper and --jobs must be at least 1")
    if args.force:
        for sub in ("_figures", "_data"):
            shutil.rmtree(args.out / sub, ignore_errors=True)
        (args.out / "SYNTH.json").unlink(missing_ok=True)
    try:
        info = generate(
            args.out, figures=args.figures, seed=args.seed, figures_per_paper=args.figures_per_paper,
            jobs=args.jobs,
        )
    except FileExistsError as err:
        print(f"synth: {err}", file=sys.stderr)
        return 2
    print(json.dumps(info))
    return 0


if __name__ == "__main__":
    sys.exit(main())
