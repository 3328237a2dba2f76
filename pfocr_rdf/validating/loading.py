"""Input files into the embedded store, and the store out again as subject-complete chunks.

Files of any RDF format pyoxigraph reads are merged into the store's default graph. Chunks hold whole
subjects: each subject's triples come together from the on-disk store's SPO index in one pass; the small
in-memory store is grouped by subject here.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError
from .report import Progress

#: Quads per write into the store on disk: about 100 MB of memory while loading, as fast as bigger ones.
_LOAD_BATCH = 100_000


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


def format_of(path: Path) -> ox.RdfFormat:
    name = path.name.lower()
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    found = ox.RdfFormat.from_extension(extension)
    if found is None:
        raise InputError(f"{path}: unknown RDF file extension {extension!r}; use one of "
                         ".ttl, .nt, .nq, .trig, .n3, .rdf, .jsonld")
    return found


def load_file(store: ox.Store, path: Path, *, on_disk: bool, progress: Progress | None = None,
              before: int = 0) -> int:
    """Load one file into the store; return the triples read (0 for a small file loaded in memory).

    ``progress`` is told of ``before`` (the triples of earlier files) plus those read so far.
    """
    rdf_format = format_of(path)
    try:
        if not on_disk and not rdf_format.supports_datasets:
            store.bulk_load(path=path, format=rdf_format)
            return 0
        # Named graphs are merged: the shapes describe nodes, whichever graph holds them. On disk, the
        # parsed stream goes in batches: bulk_load would buffer a million quads per thread first.
        quads = (ox.Quad(q.subject, q.predicate, q.object) for q in ox.parse(path=path, format=rdf_format))
        loaded = 0
        while batch := list(itertools.islice(quads, _LOAD_BATCH)):
            store.bulk_extend(batch)
            loaded += len(batch)  # not len(store): Oxigraph counts by reading the whole store
            if progress is not None:
                progress("load", before + loaded, 0)
        return loaded
    except SyntaxError as err:
        raise InputError(f"{path}: {err.msg}") from err
    except OSError as err:
        raise InputError(f"cannot read {path}: {err.strerror or err}") from err
