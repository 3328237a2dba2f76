"""Measure a PFOCR tree (synthetic or real): mentions per figure, organisms, eras, sizes, duplicates.

``python benchmarks/treestats.py DIR`` reads every ``_figures/*.md`` front matter with
``yaml.CSafeLoader`` and every ``_data/*.tsv`` by header name, independently of the generator, so the
numbers it prints are measured, not assumed. Run it on ``../shared/pfocr-sample`` to compare.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

__all__ = ["front_matter", "tree_stats"]

_NA = {".na.character", "NA", "NaN", ""}


def front_matter(text: str) -> dict[str, Any]:
    """Return the YAML mapping between the first two ``---`` lines of a figure record."""
    _, head, _rest = text.split("---\n", 2)
    data = yaml.load(head, Loader=yaml.CSafeLoader)
    if not isinstance(data, dict):
        raise ValueError("front matter is not a mapping")
    return data


def _table(path: Path) -> tuple[list[str], list[list[str]]]:
    lines = path.read_bytes().decode("utf-8").replace("\r\n", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines[0].split("\t"), [line.split("\t") for line in lines[1:]]


def _summary(values: list[int]) -> dict[str, float]:
    if not values:
        return {}
    s = sorted(values)
    return {
        "mean": round(statistics.fmean(s), 2),
        "median": s[len(s) // 2],
        "p90": s[int(len(s) * 0.9)],
        "p99": s[min(len(s) - 1, int(len(s) * 0.99))],
        "max": s[-1],
        "zero_share": round(sum(1 for v in s if v == 0) / len(s), 3),
    }


def tree_stats(root: Path) -> dict[str, Any]:
    """Return statistics of the tree at ``root``."""
    figures = sorted((root / "_figures").glob("*.md"))
    data = root / "_data"
    gene_rows: list[int] = []
    chem_rows: list[int] = []
    dis_rows: list[int] = []
    organisms: list[int] = []
    captions: list[int] = []
    rows_per_word: list[int] = []
    pmcids: Counter[str] = Counter()
    eras: Counter[str] = Counter()
    genes: set[tuple[str, str]] = set()
    chemicals: set[str] = set()
    diseases: set[str] = set()
    headers: Counter[str] = Counter()
    flags: Counter[str] = Counter()
    dup_rows = total_rows = 0
    md_bytes = tsv_bytes = 0
    for path in figures:
        text = path.read_text(encoding="utf-8")
        md_bytes += len(text.encode("utf-8"))
        fm = front_matter(text)
        figid = fm["figid"]
        if figid != path.stem:
            raise ValueError(f"{path}: figid {figid!r} differs from the file name")
        pmcids[fm["pmcid"]] += 1
        caption = str(fm.get("caption") or "")
        captions.append(len(caption))
        flags["non_ascii_caption"] += any(ord(c) > 127 for c in caption)
        flags["ndex"] += bool(fm.get("ndex"))
        flags["na_journal_block"] += fm.get("journal_title") == ".na.character"
        flags["na_in_jsonld_keywords"] += ".na.character" in (fm["schema-jsonld"].get("keywords") or [])
        flags["wpid"] += "wpid" in fm
        flags["figlink_without_slash"] += not str(fm.get("figlink", "/")).startswith("/")
        if "genes" in fm:  # the older era: mentions inline
            eras["old-inline"] += 1
            g = fm["genes"] or []
            gene_rows.append(len(g))
            chem_rows.append(len(fm.get("chemicals") or []))
            dis_rows.append(len(fm.get("diseases") or []))
            genes.update(("9606", str(r["entrez"])) for r in g)
            chemicals.update(str(r["identifier"]) for r in fm.get("chemicals") or [] if r["identifier"])
            diseases.update(str(r["identifier"]) for r in fm.get("diseases") or [] if r["identifier"])
            if g:
                organisms.append(1)
                per_word = Counter(r["word"] for r in g)
                rows_per_word.extend(per_word.values())
            continue
        eras["current-tsv"] += 1
        counts = []
        tables = (("genes", ()), ("chemicals", ("mesh", "identifier")), ("diseases", ("mesh",)))
        for kind, ident_cols in tables:
            p = data / f"{figid}-{kind}.tsv"
            if not p.exists():
                counts.append(0)
                continue
            tsv_bytes += p.stat().st_size
            header, rows = _table(p)
            headers[f"{kind}: {' '.join(header)}"] += 1
            if not rows:
                raise ValueError(f"{p}: a table without rows should not exist")
            if any(len(r) != len(header) for r in rows):
                raise ValueError(f"{p}: ragged rows")
            counts.append(len(rows))
            total_rows += len(rows)
            dup_rows += len(rows) - len({tuple(r) for r in rows})
            col = {name: i for i, name in enumerate(header)}
            if kind == "genes":
                taxa = {r[col["organism_id"]] for r in rows}
                organisms.append(len(taxa))
                genes.update((r[col["organism_id"]], r[col["ncbigene_id"]]) for r in rows)
                per_word = Counter((r[col["organism_id"]], r[col["word"]]) for r in rows)
                rows_per_word.extend(per_word.values())
            else:
                name = next(n for n in ident_cols if n in col)
                ids = (r[col[name]].removeprefix("mesh:") for r in rows)
                (chemicals if kind == "chemicals" else diseases).update(ids)
        gene_rows.append(counts[0])
        chem_rows.append(counts[1])
        dis_rows.append(counts[2])

    n = len(figures)
    per_paper = list(pmcids.values())
    return {
        "figures": n,
        "papers": len(pmcids),
        "figures_per_paper": round(n / max(1, len(pmcids)), 3),
        "max_figures_per_paper": max(per_paper, default=0),
        "eras": dict(eras),
        "gene_rows_per_figure": _summary(gene_rows),
        "figures_with_300plus_gene_rows": sum(1 for v in gene_rows if v >= 300),
        "chemical_rows_per_figure": _summary(chem_rows),
        "disease_rows_per_figure": _summary(dis_rows),
        "total_rows": {"genes": sum(gene_rows), "chemicals": sum(chem_rows), "diseases": sum(dis_rows)},
        "organisms_per_figure_with_genes": dict(sorted(Counter(organisms).items())),
        "gene_rows_per_ocr_word_mean": round(statistics.fmean(rows_per_word), 2) if rows_per_word else 0,
        "duplicate_tsv_rows_share": round(dup_rows / max(1, total_rows), 4),
        "distinct": {"genes": len(genes), "chemicals": len(chemicals), "diseases": len(diseases)},
        "caption_chars": _summary(captions),
        "shares": {k: round(v / max(1, n), 3) for k, v in sorted(flags.items())},
        "tsv_headers": dict(headers.most_common()),
        "bytes": {"md": md_bytes, "tsv": tsv_bytes},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tree", type=Path, help="a folder holding _figures/ and _data/")
    args = parser.parse_args(argv)
    json.dump(tree_stats(args.tree), sys.stdout, indent=2, ensure_ascii=False)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
