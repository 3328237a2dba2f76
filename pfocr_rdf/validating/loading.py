"""Input files into the embedded store, and each subject's triples out again, whole.

Files named by :mod:`pfocr_rdf.rdffiles`' rule (any syntax it reads, gzipped or not, JSON-LD with the bundled
context) are merged into the store's default graph. Writing Oxigraph's on-disk store costs ~4 µs a triple
and reading it back ~7.6 µs (every term is a RocksDB look-up), against ~1 µs to parse the file again, so
on disk the files are read twice and the store holds little (:func:`load_file` with ``types``): the first
reading loads only the ``rdf:type`` triples that the ``sh:class`` checks look up, while
:class:`SubjectRuns` notes the subjects that come back in a later run (a Bloom filter of the runs seen, so
memory stays small) or whose run is too long to hold; the second reading (:func:`file_subjects`) yields
each subject's run, a file written by a serializer holding each subject's triples in one run, and puts
the triples of the subjects noted into the store, to be read from it, whole, at the end. Files with
blank-node subjects (whose labels are new at each parse), too many scattered subjects, or data that
declares ``rdfs:subClassOf``, are loaded whole and read from the store's SPO index, which returns each
subject's triples together (:func:`store_subjects`); so is everything when a SPARQL check reads more
than its focus node's triples. The small in-memory store is loaded whole and grouped here.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from ..errors import InputError
from ..rdffiles import RdfFile, iter_quads
from .report import Progress
from .screening import Subject, Term

#: Quads per write into the store on disk: about 100 MB of memory while loading, as fast as bigger ones.
_LOAD_BATCH = 100_000

#: Subjects found in more than one run of the files, beyond which they are read from the store instead.
_MOST_SCATTERED = 100_000

#: One subject's description: the subject, its objects per predicate (each once), its triples counted,
#: whether every triple kept is there (see :class:`Keeping`), and when it is whole and was asked for, its
#: quads as read, in the default graph (perhaps some twice), else None.
SubjectTriples = tuple[Subject, dict[str, dict[Term, None]], int, bool, list[ox.Quad] | None]


class SubjectRuns:
    """What the first reading of the files notes: the subjects whose triples are not in one short run.

    A Bloom filter of one bit per 16 bytes of input (4 bits set per run: 0.02% false positives for our
    Turtle's ~500 bytes a subject, 2 MiB for 30 MB of input) remembers the runs seen; a subject it may
    have seen before is noted as *scattered*: its triples are put in the store while the files are read
    again, and read from it at the end. A false positive costs a detour. A subject with a run of more
    than ``whole_up_to`` triples (too many to hold) is noted as *long*: its run is read from the files,
    narrowed, and put in the store too, for the checks that read all its triples.
    """

    def __init__(self, input_bytes: int, whole_up_to: int | None = None) -> None:
        bits = 1 << max(24, (input_bytes // 16).bit_length())
        self._mask = bits - 1
        self._bits = bytearray(bits // 8)
        self.whole_up_to = whole_up_to
        self.scattered: set[str] = set()
        #: subjects with a run longer than ``whole_up_to``: read from the files, narrowed, their triples
        #: also put in the store (for the checks that read all of them)
        self.long: set[str] = set()
        #: False when the files cannot be read back subject by subject (blank-node subjects, too scattered)
        self.usable = True
        #: True when the data declares ``rdfs:subClassOf`` (the plan's checks then do not hold)
        self.subclasses = False

    def start(self, subject: Subject) -> None:
        """Note that a run of ``subject``'s triples starts here."""
        if not self.usable:
            return
        if not isinstance(subject, ox.NamedNode):
            self.usable = False  # a blank node's label is new at each parse: cannot find it again
            return
        value = subject.value
        digest = hash(value)
        step = (digest >> 32) | 1
        seen = True
        for index in range(4):
            bit = (digest + index * step) & self._mask
            byte, mask = bit >> 3, 1 << (bit & 7)
            if not self._bits[byte] & mask:
                seen = False
                self._bits[byte] |= mask
        if seen:
            self.scatter(value)

    def scatter(self, value: str) -> None:
        """Note that ``value``'s triples are to be read from the store."""
        self._note(self.scattered, value)

    def lengthen(self, value: str) -> None:
        """Note that a run of ``value`` has more than ``whole_up_to`` triples."""
        self._note(self.long, value)

    def _note(self, noted: set[str], value: str) -> None:
        if not self.usable:
            return
        noted.add(value)
        if len(self.scattered) + len(self.long) > _MOST_SCATTERED:
            self.usable = False
            self.scattered.clear()
            self.long.clear()


@dataclass(frozen=True)
class Keeping:
    """Which triples of each subject to keep.

    The ``relevant`` predicates (None: all of them); but once a subject has more than ``whole_up_to``
    triples, only its ``narrow`` ones (None: all), and it is yielded as not whole, so that a subject with
    a million triples costs no memory.
    """

    relevant: frozenset[str] | None
    narrow: frozenset[str] | None = None
    whole_up_to: int | None = None


def _runs(quads: Iterable[ox.Quad], keeping: Keeping, skip: set[str] | None = None,
          divert: Callable[[ox.Quad], None] | None = None, *, whole: bool = False,
          copy: set[str] | None = None, count_of: Callable[[Subject], int] | None = None
          ) -> Iterator[SubjectTriples]:
    """Group consecutive triples of one subject, keeping what ``keeping`` says.

    Runs of a subject in ``skip`` are not yielded but given to ``divert``, if any; runs of a subject in
    ``copy`` are yielded and given to ``divert`` too, and counted by ``count_of`` after. The count yielded
    is of distinct triples when every triple is kept (``keeping.relevant`` None, and the subject was not
    narrowed), else of the triples read. With ``whole`` (the quads are in the default graph), each
    subject's quads are yielded too unless it was narrowed: the local checks load them as they are, where
    making them again from the kept terms cost a tenth of a validation. (The hottest loop of a validation.)
    """
    relevant, narrow, limit = keeping.relevant, keeping.narrow, keeping.whole_up_to
    names: dict[ox.NamedNode, str | None] = {}  # predicate -> its IRI if kept, else None
    subject: Subject | ox.Triple | None = None
    kept: dict[str, dict[Term, None]] = {}
    count = 0
    skipping = narrowed = copying = False
    run: list[ox.Quad] | None = [] if whole else None

    def counted() -> int:
        if copying and count_of is not None:
            assert subject is not None and not isinstance(subject, ox.Triple)
            return count_of(subject)
        return sum(map(len, kept.values())) if relevant is None and not narrowed else count

    for quad in quads:
        node, predicate, value = quad.subject, quad.predicate, quad.object
        if node != subject:
            if subject is not None and not skipping:
                assert not isinstance(subject, ox.Triple)
                yield subject, kept, counted(), not narrowed, None if narrowed else run
            if isinstance(node, ox.Triple):
                raise InputError("RDF-star quoted triples are not supported")
            subject, kept, count, narrowed = node, {}, 0, False
            run = [] if whole else None
            skipping = skip is not None and isinstance(node, ox.NamedNode) and node.value in skip
            copying = copy is not None and isinstance(node, ox.NamedNode) and node.value in copy
        count += 1
        if skipping or copying:
            if divert is not None:
                divert(quad)
            if skipping:
                continue
        if narrowed:
            name = predicate.value if narrow is None or predicate.value in narrow else None
        else:
            try:
                name = names[predicate]
            except KeyError:
                name = names[predicate] = predicate.value if relevant is None or predicate.value in relevant else None
            if limit is not None and count > limit:
                narrowed = True
                run = None
                if narrow is not None:
                    kept = {p: objects for p, objects in kept.items() if p in narrow}
                    name = name if name in narrow else None
        if name is not None:
            if isinstance(value, ox.Triple):
                raise InputError("RDF-star quoted triples are not supported")
            objects = kept.get(name)
            if objects is None:
                objects = kept[name] = {}
            objects[value] = None
        if run is not None:
            run.append(quad)
    if subject is not None and not skipping:
        assert not isinstance(subject, ox.Triple)
        yield subject, kept, counted(), not narrowed, None if narrowed else run


def _whole_runs(quads: Iterable[ox.Quad], skip: set[str], divert: Callable[[ox.Quad], None], *, whole: bool
                ) -> Iterator[SubjectTriples]:
    """:func:`_runs` keeping every triple, for runs short enough to hold (the files' second reading).

    Used when the first reading found no longer run, so no run here needs narrowing: this loop does
    only what each triple needs (it is a quarter of a validation's time).
    """
    names: dict[ox.NamedNode, str] = {}
    subject: Subject | ox.Triple | None = None
    kept: dict[str, dict[Term, None]] = {}
    run: list[ox.Quad] = []
    skipping = False
    for quad in quads:
        node = quad.subject
        if node != subject:
            if subject is not None and not skipping:
                assert not isinstance(subject, ox.Triple)
                yield subject, kept, sum(map(len, kept.values())), True, run if whole else None
            if isinstance(node, ox.Triple):
                raise InputError("RDF-star quoted triples are not supported")
            subject, kept, run = node, {}, []
            skipping = isinstance(node, ox.NamedNode) and node.value in skip
        if skipping:
            divert(quad)
            continue
        predicate, value = quad.predicate, quad.object
        name = names.get(predicate)
        if name is None:
            name = names[predicate] = predicate.value
        if type(value) is ox.Triple:
            raise InputError("RDF-star quoted triples are not supported")
        objects = kept.get(name)
        if objects is None:
            objects = kept[name] = {}
        objects[value] = None
        run.append(quad)
    if subject is not None and not skipping:
        assert not isinstance(subject, ox.Triple)
        yield subject, kept, sum(map(len, kept.values())), True, run if whole else None


def store_subjects(store: ox.Store, on_disk: bool, keeping: Keeping) -> Iterator[SubjectTriples]:
    """Yield each subject's triples from the store."""
    quads = store.quads_for_pattern(None, None, None, ox.DefaultGraph())
    if on_disk:
        # RocksDB's SPO index returns each subject's triples together: one pass, no subject set.
        yield from _runs(quads, keeping, whole=True)
        return
    # the in-memory store keeps no such order; it is small, so group by subject here
    subjects: dict[Subject, list[ox.Quad]] = {}
    for quad in quads:
        assert not isinstance(quad.subject, ox.Triple)
        subjects.setdefault(quad.subject, []).append(quad)
    for group in subjects.values():
        yield from _runs(group, keeping, whole=True)


def file_subjects(store: ox.Store, files: Sequence[RdfFile], runs: SubjectRuns, keeping: Keeping
                  ) -> Iterator[SubjectTriples]:
    """Yield each subject's triples, parsing the files again (see the module's docstring).

    The triples of the subjects ``runs`` noted as scattered go into the store meanwhile, and those
    subjects come last, from the store, in IRI order; those of long runs go into the store as well.
    ``keeping.relevant`` must be None and its ``whole_up_to`` that of ``runs`` (every triple of a run is
    kept, to count each once, but in a long run, which the store counts).
    """
    batch: list[ox.Quad] = []

    graphs = False  # whether the file being read has named graphs

    def divert(quad: ox.Quad) -> None:
        # named graphs merged; making a quad again costs ~3 µs, so only where it may be in a named graph
        batch.append(ox.Quad(quad.subject, quad.predicate, quad.object) if graphs else quad)
        if len(batch) >= _LOAD_BATCH:
            store.bulk_extend(batch)
            batch.clear()

    def count_of(subject: Subject) -> int:
        """The distinct triples of a long run, from the store (which counts them without Python)."""
        if batch:
            store.bulk_extend(batch)
            batch.clear()
        found = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {subject} ?p ?o }}")
        assert isinstance(found, ox.QuerySolutions)
        total = next(iter(found))["n"]
        assert isinstance(total, ox.Literal)
        return int(total.value)

    # every triple kept, to count each once; the long runs are narrowed, and put in the store meanwhile
    # (for the checks that read all their triples)
    assert keeping.relevant is None and (keeping.whole_up_to is None or runs.whole_up_to == keeping.whole_up_to)
    long = runs.long - runs.scattered
    for file in files:
        graphs = file.syntax.oxigraph.supports_datasets
        whole = not graphs
        if long:
            yield from _runs(iter_quads(file), keeping, runs.scattered, divert, whole=whole, copy=long,
                             count_of=count_of)
        else:
            yield from _whole_runs(iter_quads(file), runs.scattered, divert, whole=whole)
    if batch:
        store.bulk_extend(batch)
        batch.clear()
    if runs.scattered:
        store.flush()
    for value in sorted(runs.scattered):
        node = ox.NamedNode(value)
        yield from _runs(store.quads_for_pattern(node, None, None, ox.DefaultGraph()), keeping, whole=True)


def chunk_text(triples: Iterable[ox.Triple]) -> bytes:
    text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    assert text is not None  # no output file given: the bytes are returned
    return text


def load_file(store: ox.Store, file: RdfFile, *, progress: Progress | None = None, before: int = 0,
              runs: SubjectRuns | None = None, types: Collection[str] | None = None) -> int:
    """Load one file into the store, named graphs merged into the default one; return the triples read.

    ``progress`` is told of ``before`` (the triples of earlier files) plus those read so far; ``runs``
    notes the runs of each subject (on disk only). With ``types``, only the ``rdf:type`` triples whose
    class is one of them are loaded (what :class:`checking.ClassChecks` looks up), the rest of each
    subject's triples being read from the files again; ``runs`` must be given then, and notes whether
    the data declares ``rdfs:subClassOf``.
    """

    read = 0  # quads parsed; not len(store): Oxigraph counts by reading the whole store
    repeated = 0  # of them, those parsed again after a restart (see rdffiles.iter_quads)

    def restarted() -> None:
        # rdflib reads the file again from its start, in another order: its runs cannot be trusted, so
        # each subject's triples will come from the store rather than from the files
        nonlocal repeated
        repeated = read
        if runs is not None:
            runs.usable = False

    def counted() -> Iterator[ox.Quad]:
        nonlocal read
        for quad in iter_quads(file, on_restart=restarted):
            read += 1
            yield quad

    # Named graphs are merged: the shapes describe nodes, whichever graph holds them. The parsed stream
    # goes in batches: bulk_load would buffer a million quads per thread first.
    graphs = file.syntax.oxigraph.supports_datasets
    if types is None:
        quads = _noting_runs(counted(), runs, graphs=graphs)
    else:
        assert runs is not None
        quads = _noting_types(counted(), runs, frozenset(ox.NamedNode(t) for t in types), graphs=graphs)
    while batch := list(itertools.islice(quads, _LOAD_BATCH)):
        store.bulk_extend(batch)
        if progress is not None:
            progress("load", before + read - repeated, 0)
    if progress is not None:
        progress("load", before + read - repeated, 0)
    return read - repeated


def _noting_runs(parsed: Iterable[ox.Quad], runs: SubjectRuns | None, *, graphs: bool) -> Iterator[ox.Quad]:
    """The parsed quads in the default graph, telling ``runs`` where each run of a subject starts.

    A format without ``graphs`` yields its quads in the default graph already: they are passed on as they
    are (making each quad again costs 40% of this loop).
    """
    subject = None
    length = 0
    over = None if runs is None or runs.whole_up_to is None else runs.whole_up_to + 1
    for quad in parsed:
        if runs is not None:
            node = quad.subject
            if node != subject:
                subject, length = node, 0
                if isinstance(node, ox.Triple):
                    raise InputError("RDF-star quoted triples are not supported")
                runs.start(node)
            length += 1
            if length == over and isinstance(node, ox.NamedNode):
                runs.lengthen(node.value)
        yield ox.Quad(quad.subject, quad.predicate, quad.object) if graphs else quad


_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_SUBCLASS_OF = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")


def _noting_types(parsed: Iterable[ox.Quad], runs: SubjectRuns, types: frozenset[ox.NamedNode], *,
                  graphs: bool) -> Iterator[ox.Quad]:
    """Of the parsed quads, the ``rdf:type`` ones of ``types`` in the default graph; note runs as
    :func:`_noting_runs` does, and whether the data declares ``rdfs:subClassOf``.
    """
    subject = None
    length = 0
    over = None if runs.whole_up_to is None else runs.whole_up_to + 1
    for quad in parsed:
        node, predicate = quad.subject, quad.predicate  # attributes: 25% cheaper than unpacking the quad
        if node != subject:
            subject, length = node, 0
            if isinstance(node, ox.Triple):
                raise InputError("RDF-star quoted triples are not supported")
            runs.start(node)
        length += 1
        if length == over and isinstance(node, ox.NamedNode):
            runs.lengthen(node.value)  # too many triples to hold
        if predicate == _TYPE:
            value = quad.object
            if value in types:
                yield ox.Quad(node, predicate, value) if graphs else quad
        elif predicate == _SUBCLASS_OF:
            runs.subclasses = True
