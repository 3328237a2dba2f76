"""The formats table: every output format of ``pfocr-rdf export`` on the same tree, ``--jobs 1``.

Formats: Turtle, N-Triples, N-Quads, JSON-LD, JSON Lines and gzipped Turtle (``.ttl.gz``: the format
comes from the extension, ``.gz`` compresses). Each runs as
``pfocr-rdf export TREE -o OUT.<ext> --format F --jobs 1``. With two or more sizes the table also shows
how peak RSS grows from the smallest to the largest: a format that streams keeps it flat.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import measure
from common import MIB, mib, rate, run_export, table

# (label, --format value, file extension)
FORMATS: tuple[tuple[str, str, str], ...] = (
    ("turtle", "turtle", "ttl"),
    ("nt", "nt", "nt"),
    ("nquads", "nquads", "nq"),
    ("jsonld", "jsonld", "jsonld"),
    ("jsonl", "jsonl", "jsonl"),
    ("turtle .gz", "turtle", "ttl.gz"),
)
# Peak RSS may grow this much from the smallest to the largest size and still count as flat.
FLAT_FACTOR = 1.25


def run(template: str, trees: dict[int, Path], work: Path, jobs: int = 1) -> list[dict[str, Any]]:
    """Export every tree of ``trees`` (figures -> tree) in every format; return the rows (printing each)."""
    rows: list[dict[str, Any]] = []
    for figures, tree in sorted(trees.items()):
        for label, fmt, ext in FORMATS:
            row = run_export(template, tree, work / f"fmt-{figures}.{ext}", jobs=jobs, fmt=fmt, figures=figures,
                             label=label)
            rows.append(row)
            print("formats: " + _line(row), flush=True)
    return rows


def _line(row: dict[str, Any]) -> str:
    if "error" in row:
        return f"{row['who']:<11} {row['figures']:>7}  failed: {row['error']}"
    s = row["seconds"]
    return (f"{row['who']:<11} {row['figures']:>7} {s:>8.2f} s {rate(row['triples'], s):>10} triples/s "
            f"{measure.mb_per_s(row['bytes'], s):>6.1f} MB/s {mib(row['max_rss']):>5} MiB RSS "
            f"{row['bytes'] / 1e6:>8.1f} MB")


def flatness(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Return, per format, peak RSS at the smallest and largest size and whether it stayed flat."""
    out: dict[str, dict[str, Any]] = {}
    for label, _fmt, _ext in FORMATS:
        ok = sorted((r for r in rows if r["who"] == label and "error" not in r), key=lambda r: r["figures"])
        if len(ok) < 2:
            continue
        small, large = ok[0], ok[-1]
        out[label] = {
            "small": small["figures"], "large": large["figures"],
            "rss_small": small["max_rss"], "rss_large": large["max_rss"],
            "flat": large["max_rss"] <= FLAT_FACTOR * small["max_rss"] + 10 * MIB,
        }
    return out


def markdown(rows: list[dict[str, Any]]) -> str:
    """Return the formats table: one row per format, columns per size (seconds, rates, RSS)."""
    sizes = sorted({r["figures"] for r in rows})
    largest = sizes[-1] if sizes else 0
    flat = flatness(rows)
    headers = ["format", "figures", "seconds", "triples/s", "MB/s", "output MB", "peak RSS MiB"]
    if len(sizes) > 1:
        headers.append(f"RSS at {sizes[0]:,} → {largest:,}")
    body = []
    for label, _fmt, _ext in FORMATS:
        row = next((r for r in rows if r["who"] == label and r["figures"] == largest), None)
        if row is None:
            continue
        if "error" in row:
            body.append([label, f"{largest:,}", "failed", "", "", "", "", *([""] if len(sizes) > 1 else [])])
            continue
        s = row["seconds"]
        cells = [label, f"{largest:,}", f"{s:.1f}", rate(row["triples"], s),
                 f"{measure.mb_per_s(row['bytes'], s):.1f}", f"{row['bytes'] / 1e6:,.0f}", mib(row["max_rss"])]
        if len(sizes) > 1:
            f = flat.get(label)
            cells.append("-" if f is None else
                         f"{mib(f['rss_small'])} → {mib(f['rss_large'])} ({'flat' if f['flat'] else 'grows'})")
        body.append(cells)
    return table(headers, body)
