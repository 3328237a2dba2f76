"""Where an export writes and what it reads: nothing lost, nothing overwritten, nothing silently wrong.

Output targets (inputs, devices, FIFOs, symlinks, permissions), shard folders written twice, two records
that claim one figure (by figid or by ``@id``, also across ``--partition`` parts), record files and
tables that are not regular files, and the release time and ``--jobs`` defaults.
"""

from __future__ import annotations

import gzip
import os
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pyoxigraph
import pytest

from pfocr_rdf import export
from pfocr_rdf.cli import main
from pfocr_rdf.errors import UsageError
from pfocr_rdf.export import _CHUNK

TTL = pyoxigraph.RdfFormat.TURTLE
FIGURE = "PMC9743210__ga1"


@pytest.fixture
def tree(examples_dir: Path, tmp_path: Path) -> Path:
    """A writable copy of the example corpus."""
    copy = tmp_path / "tree"
    shutil.copytree(examples_dir, copy)
    return copy


def _triples(path: Path) -> set[pyoxigraph.Triple]:
    data = path.read_bytes()
    data = gzip.decompress(data) if path.name.endswith(".gz") else data
    return {q.triple for q in pyoxigraph.parse(data, format=TTL)}


def _figures(triples: set[pyoxigraph.Triple]) -> set[str]:
    return {t.subject.value for t in triples if t.object.value == "http://schema.org/ImageObject"
            and "/figures/" in t.subject.value}


RECORDS = 8  # in examples/


# --- output targets ---------------------------------------------------------------------------------------


def test_an_input_is_never_an_output(tree: Path, tmp_path: Path) -> None:
    record = tree / "_figures" / f"{FIGURE}.md"
    table = next((tree / "_data").glob("*.tsv"))
    before = record.read_bytes(), table.read_bytes()
    with pytest.raises(UsageError, match=r"-o .* is an input .*choose another output"):
        export([tree], output=record, format="turtle")
    with pytest.raises(UsageError, match=r"--rejects .* is an input"):
        export([tree], output=tmp_path / "out.ttl", rejects=table)
    link = tmp_path / "link.ttl"
    link.symlink_to(record)
    with pytest.raises(UsageError, match="is an input"):
        export([tree], output=link, format="turtle")
    assert (record.read_bytes(), table.read_bytes()) == before


def test_output_and_rejects_must_differ(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.ttl"
    out.write_text("previous\n")
    with pytest.raises(UsageError, match="name the same file"):
        export([tree], output=out, rejects=out)
    assert out.read_text() == "previous\n"
    with pytest.raises(UsageError, match="name the same file"):
        export([tree], output=tmp_path / "new.ttl", rejects=tmp_path / "." / "new.ttl")
    assert not (tmp_path / "new.ttl").exists()
    link = tmp_path / "link.ttl"
    link.symlink_to(out)
    with pytest.raises(UsageError, match="name the same file"):
        export([tree], output=out, rejects=link)


def test_character_devices_and_fifos_are_written_not_replaced(tree: Path, tmp_path: Path) -> None:
    # A null device of our own, never the system's /dev/null: a wrong implementation run as root would
    # replace it with a regular file, for everyone on the machine.
    device = tmp_path / "null"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except OSError:
        device = Path("/dev/null")
    if device == Path("/dev/null") and os.geteuid() == 0:
        pytest.skip("cannot make a device node here, and root must not risk the system's /dev/null")
    summary = export([tree], output=device, format="turtle")
    assert stat.S_ISCHR(device.stat().st_mode) and summary.exported == RECORDS
    fifo = tmp_path / "pipe.ttl"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    export([tree], output=fifo, format="turtle")
    reader.join(30)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert _figures({q.triple for q in pyoxigraph.parse(received[0], format=TTL)}) and len(received[0]) > 1000


def test_a_symlink_stays_a_link_and_its_target_is_written(tree: Path, tmp_path: Path) -> None:
    target = tmp_path / "real.ttl"
    target.write_text("old\n")
    link = tmp_path / "link.ttl"
    link.symlink_to(target)
    export([tree], output=link)
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert len(_figures(_triples(target))) == RECORDS


def test_permissions_follow_the_umask_and_an_existing_file_keeps_its_mode(tree: Path, tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        export([tree], output=tmp_path / "new.ttl", rejects=tmp_path / "rejects.jsonl")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.ttl").stat().st_mode) == 0o640
    assert stat.S_IMODE((tmp_path / "rejects.jsonl").stat().st_mode) == 0o640
    existing = tmp_path / "existing.ttl"
    existing.write_text("old\n")
    existing.chmod(0o644)
    export([tree], output=existing)
    assert stat.S_IMODE(existing.stat().st_mode) == 0o644


def test_compress_needs_a_gz_name(tree: Path, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"--compress writes gzip: name the output FILE\.gz"):
        export([tree], output=tmp_path / "x.ttl", compress=True)
    assert not (tmp_path / "x.ttl").exists()
    export([tree], output=tmp_path / "x.ttl.gz", compress=True)
    assert len(_figures(_triples(tmp_path / "x.ttl.gz"))) == RECORDS


def test_sharding_again_removes_the_stale_shards(tree: Path, tmp_path: Path) -> None:
    folder = tmp_path / "shards"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine\n")
    export([tree], output=folder, shard_records=1)
    assert len(list(folder.glob("pfocr-*.ttl"))) == RECORDS
    whole = export([tree], output=tmp_path / "whole.ttl")
    summary = export([tree], output=folder, shard_records=3, compress=True)
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["notes.txt", "pfocr-00001.ttl.gz", "pfocr-00002.ttl.gz", "pfocr-00003.ttl.gz", "release.ttl.gz"]
    assert len(summary.removed) == RECORDS + 1 and f"removed {RECORDS + 1} shard file(s)" in summary.line()
    union: set[pyoxigraph.Triple] = set()
    for name in names[1:]:
        union |= _triples(folder / name)
    assert len(union) == whole.triples


# --- two records, one figure -------------------------------------------------------------------------------


def _twin(tree: Path, name: str, figid: str | None = None, *, same_id: bool = True) -> Path:
    """Copy the record of FIGURE under another file name, with another figid (or the same), and the same
    schema-jsonld @id unless not ``same_id``."""
    text = (tree / "_figures" / f"{FIGURE}.md").read_text(encoding="utf-8")
    new_figid = figid or name
    if same_id:
        text = text.replace(f"figid: {FIGURE}\n", f"figid: {new_figid}\n")
    else:
        text = text.replace(FIGURE, new_figid)
    path = tree / "_figures" / f"{name}.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_two_records_with_one_jsonld_id_are_not_merged(tree: Path, tmp_path: Path) -> None:
    twin = _twin(tree, "PMC9743210__zz1")  # another figid, the same schema-jsonld @id
    summary = export([tree], output=tmp_path / "out.ttl")
    assert (summary.read, summary.exported, summary.rejected) == (RECORDS + 1, RECORDS, 1)
    fault = summary.faults[0]
    assert fault.file == str(twin) and fault.field == "schema-jsonld"
    assert "is also the figure of" in fault.reason and f"{FIGURE}.md" in fault.reason
    titles = [t for t in _triples(tmp_path / "out.ttl") if t.predicate.value == "http://schema.org/identifier"
              and t.subject.value.endswith(f"{FIGURE}.html")]
    assert len(titles) == 1


@pytest.mark.parametrize("twin_name", ["PMC0000001__other", "PMC9999999__zzz", "AAA_first"])
def test_partitions_settle_claims_as_the_whole_export(tree: Path, tmp_path: Path, twin_name: str) -> None:
    _twin(tree, twin_name, figid=FIGURE)  # another file claiming FIGURE's figid
    _twin(tree, twin_name + "x")  # and one claiming FIGURE's @id
    whole = export([tree], output=tmp_path / "whole.ttl")
    assert whole.rejected == 2
    for n in (2, 3):
        parts = [export([tree], output=tmp_path / f"part{k}.ttl", partition=(k, n)) for k in range(1, n + 1)]
        assert sum(p.exported for p in parts) == whole.exported
        assert sum(p.rejected for p in parts) == whole.rejected
        union: set[pyoxigraph.Triple] = set()
        for k in range(1, n + 1):
            union |= _triples(tmp_path / f"part{k}.ttl")
        assert _figures(union) == _figures(_triples(tmp_path / "whole.ttl"))


# --- what is read ------------------------------------------------------------------------------------------


def test_a_dangling_table_link_rejects_its_record(tree: Path, tmp_path: Path) -> None:
    table = tree / "_data" / "PMC6021458__nihms968231f3-genes.tsv"
    table.unlink()
    table.symlink_to(tmp_path / "gone.tsv")
    summary = export([tree], output=tmp_path / "out.ttl")
    assert summary.rejected == 1
    assert "symbolic link to nothing" in summary.faults[0].reason and summary.faults[0].field == "genes"


def test_a_fifo_a_loop_and_a_long_figid_reject_one_record_each(tree: Path, tmp_path: Path) -> None:
    figures = tree / "_figures"
    os.mkfifo(figures / "PMC1__fifo.md")
    (figures / "PMC2__loop.md").symlink_to(figures / "PMC2__loop.md")
    long_figid = "PMC3__" + "x" * 300
    _twin(tree, "PMC3__long", figid=long_figid, same_id=False)
    result = subprocess.run([sys.executable, "-m", "pfocr_rdf", "export", str(tree), "-o", str(tmp_path / "o.ttl")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert "PMC1__fifo.md: not a regular file" in result.stderr
    assert "PMC2__loop.md: cannot read the file: Too many levels of symbolic links" in result.stderr
    # the long figid has no tables (no file can have that name): it is exported
    assert f"read {RECORDS + 3} records: {RECORDS + 1} exported, 2 rejected" in result.stderr
    assert len(_figures(_triples(tmp_path / "o.ttl"))) == RECORDS + 1


# --- defaults ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("epoch", ["99999999999999", "-5", "1e9", "٣"])
def test_a_bad_source_date_epoch_is_a_usage_error(tree: Path, epoch: str, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    assert main(["export", str(tree)]) == 2
    assert "SOURCE_DATE_EPOCH" in capsys.readouterr().err


def test_jobs_default_to_the_usable_cpus_and_never_exceed_the_chunks(
    sample_dir: Path, examples_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pfocr_rdf.export import default_jobs

    assert default_jobs() == min(len(os.sched_getaffinity(0)), 8)
    started: list[int] = []
    import multiprocessing.pool

    original = multiprocessing.pool.Pool.__init__

    def counting(self: multiprocessing.pool.Pool, processes: int | None = None, *args: object, **kw: object) -> None:
        started.append(processes or 0)
        original(self, processes, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(multiprocessing.pool.Pool, "__init__", counting)
    one = export([sample_dir, examples_dir], output=tmp_path / "one.ttl", jobs=1)
    many = export([sample_dir, examples_dir], output=tmp_path / "many.ttl", jobs=1000)
    assert started == [-(-one.read // _CHUNK)]  # 53 records: 2 chunks, 2 workers, not 1000
    assert (tmp_path / "one.ttl").read_bytes() == (tmp_path / "many.ttl").read_bytes()
    assert many.exported == one.exported
