"""Input files into the embedded store, and the store out again as subject-complete chunks.

Files named by :mod:`pfocr_rdf.rdffiles`' rule are merged into the store's default graph. Chunks hold whole
subjects: each subject's triples come together from the on-disk store's SPO index in one pass; the small
in-memory store is grouped by subject here.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox

from ..rdffiles import RdfFile, load_quads
from .report import Progress


def _subject_groups(store: ox.Store, on_disk: bool) -> Iterator[list[ox.Quad]]:
    """Yield the triples of each subject together."""
    if on_disk:
        # RocksDB's SPO index returns each subject's triples together: one pass, no subject set.
        current: list[ox.Quad] = []
        for quad in store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
            if current and quad.subject != current[0].subject:
                yield current
                current = []
            current.append(quad)
        if current:
            yield current
    else:
        # the in-memory store keeps no such order; it is small, so group by subject here
        subjects: dict[object, list[ox.Quad]] = {}
        for quad in store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
            subjects.setdefault(quad.subject, []).append(quad)
        yield from subjects.values()


def subject_chunks(store: ox.Store, on_disk: bool, chunk_size: int) -> Iterator[list[ox.Quad]]:
    chunk: list[ox.Quad] = []
    for group in _subject_groups(store, on_disk):
        chunk.extend(group)
        if len(chunk) >= chunk_size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def chunk_text(quads: list[ox.Quad]) -> bytes:
    text = ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in quads),
                        format=ox.RdfFormat.N_TRIPLES)
    assert text is not None  # no output file given: the bytes are returned
    return text


def load_file(store: ox.Store, file: RdfFile, *, progress: Progress | None = None, before: int = 0) -> int:
    """Load one file into the store, named graphs merged into the default one; return the triples read.

    ``progress`` is told of ``before`` (the triples of earlier files) plus those read so far.
    """
    # Named graphs are merged: the shapes describe nodes, whichever graph holds them.
    report = None if progress is None else (lambda loaded: progress("load", before + loaded, 0))
    return load_quads(store, file, merge_graphs=True, progress=report)
