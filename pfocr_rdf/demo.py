"""``make demo``: validate the example export, load it into the embedded store, and show three queries.

Run as ``python -m pfocr_rdf.demo OUT`` after ``pfocr-rdf export examples -o OUT/examples.ttl``; it
prints readable tables of what the queries find. It only calls the library, like the command line.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from .querying import format_result, heading, load_query, run_query
from .store import load
from .validating import format_text, validate_files

__all__ = ["main"]

#: (shipped query, parameters) shown by the demo.
DEMO_QUERIES: tuple[tuple[str, dict[str, str]], ...] = (
    ("top-genes", {}),
    ("figure-gene-sets", {"level": "synonyms"}),
    ("ambiguous-words", {"level": "all"}),  # at the strict default, official symbols are rarely ambiguous
    ("figures-linked-to-pathway-databases", {}),
)


def main(argv: list[str] | None = None) -> int:
    """Run the demo on ``OUT/examples.ttl``; return the exit code."""
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0] if args else "out")
    export = out / "examples.ttl"
    if not export.is_file():
        print(f"error: {export} is missing; run `pfocr-rdf export examples -o {export}` first", file=sys.stderr)
        return 2
    report = validate_files([export])
    print(format_text(report) + "\n")
    if not report.conforms:
        return 1
    store_dir = out / "store"
    shutil.rmtree(store_dir, ignore_errors=True)
    print(f"{load([export], store_dir)} ({store_dir})\n")
    for name, params in DEMO_QUERIES:
        query = load_query(name)
        result = run_query(query, params=params, store=store_dir)
        print(heading(query))
        print(format_result(result, "table", max_width=36, max_rows=8))
    return 0


if __name__ == "__main__":
    sys.exit(main())
