"""Reading each subject's triples back for validation (pfocr_rdf/validating/loading.py), on disk.

On disk, a validation reads each subject's triples from the input files again (runs of one subject),
not from the store; a subject found in several runs is read from the store instead, and files with
blank-node subjects are read from the store's SPO index. These tests compare each way with pySHACL on
the whole graph, and check that memory stays flat for a subject with a very large number of triples.
"""

from __future__ import annotations

import collections
import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
from rdflib import RDF, SH, Dataset, Graph

from pfocr_rdf import validating
from pfocr_rdf.validating import loading
from pfocr_rdf.validating.loading import SubjectRuns

_PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

_SHAPES = """ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:P, ex:Q .
ex:P a sh:PropertyShape ; sh:path ex:name ; sh:minCount 1 ; sh:maxCount 1 .
ex:Q a sh:PropertyShape ; sh:path ex:size ; sh:datatype xsd:integer ."""


def _counts(shapes: Path, data: Path) -> collections.Counter[tuple[str, str]]:
    _, report, _ = pyshacl.validate(Graph().parse(data), shacl_graph=Graph().parse(shapes), inference="none",
                                    allow_warnings=True)
    assert isinstance(report, Graph)
    return collections.Counter((str(report.value(r, SH.sourceShape)), str(report.value(r, SH.focusNode)))
                               for r in report.subjects(RDF.type, SH.ValidationResult))


def _ours(report: validating.Report) -> collections.Counter[tuple[str, str]]:
    found: collections.Counter[tuple[str, str]] = collections.Counter()
    for group in report.groups:
        assert group.count == len(group.examples), "each focus node here has one result per shape"
        found.update((group.shape, focus) for focus in group.examples)
    return found


def test_a_subject_in_several_runs_is_validated_whole(tmp_path: Path) -> None:
    shapes, data = tmp_path / "shapes.ttl", tmp_path / "data.nt"
    shapes.write_text(_PREFIXES + _SHAPES, encoding="utf-8")
    ex = "http://example.org/"
    lines = [
        f"<{ex}a> <{RDF.type}> <{ex}C> .",  # a: two names, one per run: only the whole subject breaks maxCount
        f'<{ex}a> <{ex}name> "x" .',
        f"<{ex}b> <{RDF.type}> <{ex}C> .",
        f'<{ex}a> <{ex}name> "y" .',
        f"<{ex}c> <{RDF.type}> <{ex}C> .",  # c: its name comes in a later run, so it conforms
        f'<{ex}b> <{ex}size> "big"^^<http://www.w3.org/2001/XMLSchema#integer> .',
        f'<{ex}b> <{ex}name> "b" .',
        f'<{ex}c> <{ex}name> "c" .',
    ]
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    want = _counts(shapes, data)
    assert want == {(f"{ex}P", f"{ex}a"): 1, (f"{ex}Q", f"{ex}b"): 1}

    on_disk = validating.validate_files([data], shapes=shapes, on_disk=True, chunk_size=1)
    in_memory = validating.validate_files([data], shapes=shapes, chunk_size=1)

    assert _ours(on_disk) == _ours(in_memory) == want


def test_blank_node_subjects_are_read_from_the_store(tmp_path: Path) -> None:
    shapes, data = tmp_path / "shapes.ttl", tmp_path / "data.ttl"
    shapes.write_text(_PREFIXES + _SHAPES, encoding="utf-8")
    data.write_text(_PREFIXES + """[] a ex:C ; ex:name "a", "b" . [] a ex:C .
        _:x a ex:C ; ex:size 1.5 . _:x ex:name "x" . ex:d a ex:C ; ex:name "d" .""", encoding="utf-8")

    on_disk = validating.validate_files([data], shapes=shapes, on_disk=True)

    found = {(g.shape.removeprefix("http://example.org/"), g.component.removeprefix(str(SH)), g.count)
             for g in on_disk.groups}
    assert found == {("P", "MaxCountConstraintComponent", 1), ("P", "MinCountConstraintComponent", 1),
                     ("Q", "DatatypeConstraintComponent", 1)}


def test_subject_runs_note_what_comes_back_and_give_up_on_blank_nodes(monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/b")
    runs = SubjectRuns(1000)
    for subject in (a, b, a, b, b):
        runs.start(subject)
    assert runs.usable and runs.scattered == {a.value, b.value}

    runs.start(ox.BlankNode())
    assert not runs.usable  # a blank node's label is new at each parse: it cannot be found again

    monkeypatch.setattr(loading, "_MOST_SCATTERED", 10)
    many = SubjectRuns(1000)
    for index in range(12):
        many.start(ox.NamedNode(f"http://example.org/{index}"))
        many.start(ox.NamedNode(f"http://example.org/{index}"))
    assert not many.usable and not many.scattered


_WIDE = """
import json, resource, sys
from pfocr_rdf import validating
report = validating.validate_files([sys.argv[1]])
# VmHWM is this process's own peak: ru_maxrss would start at the RSS of the (big) pytest process that forked it
try:
    with open("/proc/self/status", encoding="ascii") as status:
        rss = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) * 1024
except OSError:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"rss": rss,
                  "triples": report.triples, "violations": report.violations}))
"""


def test_one_subject_with_many_predicates_validates_in_flat_memory(tmp_path: Path) -> None:
    # one figure with 300,000 distinct predicates (15 MB of N-Triples): the chunk of one subject used to
    # be built whole in rdflib (~2 KB a triple: 2.1 GB for a million); only the triples the shapes read
    # are kept now
    data = tmp_path / "wide.nt"
    figure = "<https://pfocr.wikipathways.org/figures/PMC1__wide.html>"
    with data.open("w", encoding="utf-8") as out:
        out.write(f"{figure} <{RDF.type}> <http://schema.org/ImageObject> .\n")
        for i in range(300_000):
            out.write(f'{figure} <http://example.org/p{i}> "v" .\n')

    done = subprocess.run([sys.executable, "-c", _WIDE, str(data)], capture_output=True, text=True, check=True,
                          timeout=600)

    measured = json.loads(done.stdout)
    assert measured["triples"] == 300_001
    assert measured["violations"] > 0, "the figure lacks what every figure has"
    assert measured["rss"] < 400 * 1024 * 1024, f"peak RSS {measured['rss'] / 2**20:.0f} MiB"


def test_a_subject_too_big_to_hold_has_its_local_checks_run_on_the_store(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    shapes, data = tmp_path / "shapes.ttl", tmp_path / "data.ttl"
    shapes.write_text(_PREFIXES + _SHAPES + """
        ex:T a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:select \"\"\"
            SELECT $this ?path ?value WHERE {
                $this ?path ?value FILTER (isLiteral(?value) && STR(?value) = "NA") }\"\"\" ] .""",
                      encoding="utf-8")
    values = ", ".join(f'"{i}"' for i in range(20))
    data.write_text(_PREFIXES + f"""ex:big a ex:C ; ex:name "NA" ; ex:other {values}, "NA" ; ex:name "NA" .
        ex:small a ex:C ; ex:name "s" ; ex:other "NA" .""", encoding="utf-8")  # big: one triple twice
    want = _counts(shapes, data)
    assert want[("http://example.org/T", "http://example.org/big")] == 2

    expected: dict[str, tuple[int, set[str]]] = {}
    for (shape, focus), count in want.items():
        total, nodes = expected.get(shape, (0, set()))
        expected[shape] = (total + count, nodes | {focus})

    monkeypatch.setattr(validating, "_WHOLE_UP_TO", 5)
    for on_disk in (False, True):
        report = validating.validate_files([data], shapes=shapes, on_disk=on_disk)
        found: dict[str, tuple[int, set[str]]] = {}
        for g in report.groups:
            total, nodes = found.get(g.shape, (0, set()))
            found[g.shape] = (total + g.count, nodes | set(g.examples))
        assert found == expected, f"on_disk={on_disk}"
        assert report.triples == len(Graph().parse(data)), "each triple counted once, in a long run too"


_CLASS_SHAPES = _SHAPES + """
ex:S sh:property ex:R . ex:R a sh:PropertyShape ; sh:path ex:link ; sh:class ex:C ."""


@pytest.mark.parametrize("name", ["data.nt", "data.trig"])
def test_repeated_and_scattered_triples_are_counted_once_and_linked_types_found(tmp_path: Path, name: str) -> None:
    # On disk the files are read twice: first for the rdf:type triples the sh:class checks look up (only
    # those go into the store), then subject by subject. A triple written twice, in one run or in two, or
    # in two named graphs, is one triple of the merged graph.
    shapes, data = tmp_path / "shapes.ttl", tmp_path / name
    shapes.write_text(_PREFIXES + _CLASS_SHAPES, encoding="utf-8")
    ex = "http://example.org/"
    a, b, c, d = (f"<{ex}{n}>" for n in "abcd")
    typed, named = f"<{RDF.type}> <{ex}C>", f"<{ex}name>"
    if name.endswith(".nt"):
        data.write_text("\n".join([
            f"{a} {typed} .", f'{a} {named} "a" .', f'{a} {named} "a" .', f"{a} <{ex}link> {b} .",
            f"{b} {typed} .", f'{b} {named} "b" .', f'{b} {named} "b" .',  # b: one run, one triple twice
            f"{b} <{ex}link> {c} .",  # c: no type yet
            f'{a} {named} "a" .', f"{a} <{ex}link> {d} .",  # a again, one triple repeated
            f"{c} {typed} .", f'{c} {named} "c" .', f'{d} <{ex}size> "1" .',
        ]) + "\n", encoding="utf-8")
    else:
        data.write_text(f"""{{ {a} {typed} ; {named} "a" ; <{ex}link> {b}, {d} . {b} {typed} ; {named} "b" . }}
            <{ex}g> {{ {a} {named} "a" ; <{ex}link> {c} . {c} {typed} ; {named} "c", "c2" . }}""", encoding="utf-8")
    merged = Graph()
    for s, p, o, _ in Dataset().parse(data).quads():
        merged.add((s, p, o))
    want = _counts(shapes, _merged_file(tmp_path, merged))
    # a links to d, which has no type; in the TriG, c has two names, in two graphs
    assert set(want) == {(f"{ex}R", f"{ex}a")} | ({(f"{ex}P", f"{ex}c")} if name.endswith(".trig") else set())

    on_disk = validating.validate_files([data], shapes=shapes, on_disk=True, chunk_size=1)
    in_memory = validating.validate_files([data], shapes=shapes, chunk_size=1)

    assert _ours(on_disk) == _ours(in_memory) == want
    assert on_disk.triples == in_memory.triples == len(merged)
    assert on_disk.streamed


def _merged_file(folder: Path, graph: Graph) -> Path:
    path = folder / "merged.nt"
    graph.serialize(path, format="nt")
    return path
