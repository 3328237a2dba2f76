"""Where an export's time goes, per stage, in µs per figure (``--jobs 1``): the issue's per-stage table.

``python benchmarks/stages.py TREE [--format turtle] [--floor]`` exports TREE twice in this process with ``jobs=1``:
once plain (the wall time), once under cProfile (the shares). Each stage's share of the profiled run,
applied to the plain wall time, gives its µs per figure, so the profiler's own overhead does not inflate
the table. Stages, by the functions whose cumulative time they take:

- *YAML front matter*: ``reading/safeyaml.py:load``;
- *TSV reading*: ``reading/tsv.py``'s ``read_genes``, ``read_chemicals``, ``read_diseases``;
- *file stat/read, record building*: the rest of ``reading/frontmatter.py:read_record``;
- *mapping + rendering*: ``rendering.py``'s ``render`` (the fast path), or ``mapping.py:map_record`` plus
  the serializers' ``render`` (the reference path, JSON-LD);
- *other*: everything else in ``export`` (bookkeeping, writing, the release, start-up work).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

STAGES = ("YAML front matter", "TSV reading", "file stat/read, record building", "mapping + rendering", "other")


def _cumulative(stats: pstats.Stats, wanted: list[tuple[str, str]]) -> float:
    """Sum the cumulative seconds of the functions (file name ending, function name) listed."""
    total = 0.0
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    for (filename, _line, name), (_cc, _nc, _tt, ct, _callers) in raw.items():
        if any(filename.endswith(end) and name == func for end, func in wanted):
            total += ct
    return total


def profile(tree: Path, fmt: str) -> dict[str, Any]:
    """Export ``tree`` plainly and under cProfile; return µs per figure for each stage."""
    from pfocr_rdf.export import export

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        start = time.perf_counter()
        summary = export([tree], output=out, format=fmt, jobs=1)
        wall = time.perf_counter() - start
        profiler = cProfile.Profile()
        profiler.enable()
        export([tree], output=out, format=fmt, jobs=1)
        profiler.disable()
    stats = pstats.Stats(profiler)
    total = _cumulative(stats, [("pfocr_rdf/export.py", "export")])
    yaml_s = _cumulative(stats, [("reading/safeyaml.py", "load")])
    tsv_s = _cumulative(stats, [("reading/tsv.py", f) for f in ("read_genes", "read_chemicals", "read_diseases")])
    record_s = _cumulative(stats, [("reading/frontmatter.py", "read_record")]) - yaml_s - tsv_s
    mapping_s = _cumulative(stats, [("pfocr_rdf/rendering.py", "render"),
                                    ("pfocr_rdf/mapping.py", "map_record")])
    mapping_s += _cumulative(stats, [(f"writing/{m}.py", "render") for m in ("turtle", "lines", "jsonld")])
    parts = [yaml_s, tsv_s, record_s, mapping_s]
    parts.append(total - sum(parts))
    figures = summary.read
    scale = wall / total * 1e6 / figures
    return {
        "figures": figures,
        "format": fmt,
        "wall_seconds": round(wall, 2),
        "us_per_figure": {stage: round(seconds * scale) for stage, seconds in zip(STAGES, parts, strict=True)},
        "total_us_per_figure": round(wall * 1e6 / figures),
    }


def profile_floor(tree: Path) -> dict[str, Any]:
    """The same table for the floor (``floor.py --jobs 1``): YAML is libyaml's ``CBaseLoader`` load, TSV
    reading its ``rows``, file reading ``read_text``/``read_bytes``/``listdir``, the rest of ``record``
    its mapping + rendering, and other whatever else its ``main`` does."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import floor

    with tempfile.TemporaryDirectory() as tmp:
        argv = [str(tree), "-o", str(Path(tmp) / "out.ttl"), "--jobs", "1"]
        start = time.perf_counter()
        floor.main(argv)
        wall = time.perf_counter() - start
        profiler = cProfile.Profile()
        profiler.enable()
        floor.main(argv)
        profiler.disable()
    stats = pstats.Stats(profiler)
    total = _cumulative(stats, [("benchmarks/floor.py", "main")])
    yaml_s = _cumulative(stats, [("yaml/__init__.py", "load")])
    tsv_s = _cumulative(stats, [("benchmarks/floor.py", "rows")])
    files_s = _cumulative(stats, [("pathlib.py", "read_text"), ("pathlib.py", "read_bytes")])
    record_s = _cumulative(stats, [("benchmarks/floor.py", "record")])
    parts = [yaml_s, tsv_s, files_s, record_s - yaml_s - tsv_s - files_s]
    parts.append(total - sum(parts))
    figures = len(list((tree / "_figures").glob("*.md")))
    scale = wall / total * 1e6 / figures
    return {
        "figures": figures,
        "format": "turtle",
        "wall_seconds": round(wall, 2),
        "us_per_figure": {stage: round(seconds * scale) for stage, seconds in zip(STAGES, parts, strict=True)},
        "total_us_per_figure": round(wall * 1e6 / figures),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("tree", type=Path)
    parser.add_argument("--format", default="turtle")
    parser.add_argument("--floor", action="store_true", help="profile the floor (floor.py) instead")
    args = parser.parse_args(argv)
    result = profile_floor(args.tree) if args.floor else profile(args.tree, args.format)
    for stage, us in result["us_per_figure"].items():
        print(f"{stage:<34} {us:>7,}")
    print(f"{'total':<34} {result['total_us_per_figure']:>7,}")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
