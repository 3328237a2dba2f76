"""Whether two RDF files hold the same set of triples, the release description left out.

``python benchmarks/compare.py A B`` parses both with pyoxigraph (format from the extension), writes each
triple as a canonical N-Triples line, drops the release description's subjects (``<base>dataset…``,
``<base>software/…`` and the site node that it describes as the creator), sorts the lines with
``sort -u`` (memory-flat at any size) and compares the two sorted streams. Exit 0 when equal, 1 with the
first differences printed otherwise. No IRI contains a blank node: the files have none.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

SITE = "https://pfocr.wikipathways.org/"


def _release_subjects(base: str) -> tuple[str, ...]:
    return (f"<{base}dataset", f"<{base}software/", f"<{SITE}> ")


def canonical(path: Path, out: Path, *, base: str = SITE) -> int:
    """Write the sorted, distinct canonical N-Triples lines of ``path`` to ``out``; return their number."""
    import pyoxigraph as ox

    from pfocr_rdf.store import rdf_format

    fmt, _ = rdf_format(path)
    skip = _release_subjects(base)
    env = {**os.environ, "LC_ALL": "C"}
    with open(out, "wb") as sink:
        sorter = subprocess.Popen(["sort", "-u", "-S", "200M"], stdin=subprocess.PIPE, stdout=sink, env=env)
        assert sorter.stdin is not None
        write = sorter.stdin.write
        for quad in ox.parse(path=str(path), format=fmt):
            line = f"{quad.subject} {quad.predicate} {quad.object} .\n"
            if not line.startswith(skip):
                write(line.encode("utf-8"))
        sorter.stdin.close()
        if sorter.wait() != 0:
            raise OSError("sort failed")
    with open(out, "rb") as lines:
        return sum(1 for _ in lines)


def same_triples(a: Path, b: Path, *, base: str = SITE, show: int = 5) -> tuple[bool, str]:
    """Return whether ``a`` and ``b`` hold the same triples (release excluded) and a one-line account."""
    with tempfile.TemporaryDirectory() as tmp:
        sa, sb = Path(tmp, "a.nt"), Path(tmp, "b.nt")
        na, nb = canonical(a, sa, base=base), canonical(b, sb, base=base)
        done = subprocess.run(["comm", "-3", str(sa), str(sb)], capture_output=True, check=False,
                              env={**os.environ, "LC_ALL": "C"})
        if done.returncode != 0:
            return False, f"comm failed: {done.stderr.decode(errors='replace')[:200]}"
        diff = done.stdout.decode("utf-8", "replace").splitlines()
    if not diff:
        return True, f"same {na} distinct triples (release excluded)"
    only_a = [d for d in diff if not d.startswith("\t")]
    only_b = [d[1:] for d in diff if d.startswith("\t")]
    text = (f"{len(only_a)} triples only in {a.name} (of {na}), {len(only_b)} only in {b.name} (of {nb})"
            + "".join(f"\n  < {d}" for d in only_a[:show]) + "".join(f"\n  > {d}" for d in only_b[:show]))
    return False, text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("a", type=Path)
    parser.add_argument("b", type=Path)
    parser.add_argument("--base", default=SITE)
    args = parser.parse_args(argv)
    same, text = same_triples(args.a, args.b, base=args.base)
    print(text)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
