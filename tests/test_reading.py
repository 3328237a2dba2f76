"""Reading PFOCR records: hand-written cases in tests/fixtures/reading/, one folder per case.

Each case folder is a tiny PFOCR tree (``_figures/<figid>.md``, optional ``_data/<figid>-*.tsv``) and an
``expected.json`` holding either

- ``"record"``: the :class:`~pfocr_rdf.records.FigureRecord` expected, as ``dataclasses.asdict`` gives it
  without ``source`` and ``warnings``, and ``"warnings"``: one entry per warning expected, each a
  substring (or a list of substrings) that one warning must contain — no more warnings, no fewer; or
- ``"fault"``: the rejection expected, ``{"file": <file name>, "field", "line", "reason": <substring>}``.

An ``"xfail"`` entry marks a case the reader gets wrong today, with the reason (strict: the case fails
loudly once the reader is fixed, so the mark is removed).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from pfocr_rdf.errors import RecordFault
from pfocr_rdf.reading import discover, iter_records
from pfocr_rdf.records import FigureRecord

CASES = Path(__file__).parent / "fixtures" / "reading"


def _cases() -> list[Any]:
    params = []
    for folder in sorted(p for p in CASES.iterdir() if (p / "expected.json").is_file()):
        expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
        marks = [pytest.mark.xfail(strict=True, reason=expected["xfail"])] if "xfail" in expected else []
        params.append(pytest.param(folder, expected, id=folder.name, marks=marks))
    return params


def _read(folder: Path) -> tuple[list[FigureRecord | RecordFault], list[str]]:
    warnings: list[str] = []
    items = list(iter_records(discover([folder]), warn=warnings.append))
    return items, warnings


def _as_expected(record: FigureRecord) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(json.dumps(asdict(record)))  # tuples become lists, as in expected.json
    del data["source"], data["warnings"]
    return data


def _check_warnings(got: list[str], expected: list[str | list[str]]) -> None:
    unmatched = list(got)
    for entry in expected:
        parts = [entry] if isinstance(entry, str) else entry
        match = next((w for w in unmatched if all(part in w for part in parts)), None)
        assert match is not None, f"no warning contains {parts!r}; warnings: {got!r}"
        unmatched.remove(match)
    assert not unmatched, f"unexpected warnings: {unmatched!r}"


def test_there_are_cases() -> None:
    assert len(_cases()) >= 30


@pytest.mark.parametrize(("folder", "expected"), _cases())
def test_case(folder: Path, expected: dict[str, Any]) -> None:
    items, warnings = _read(folder)
    assert len(items) == 1, items
    item = items[0]
    if "fault" in expected:
        assert isinstance(item, RecordFault), f"expected a fault, read {item!r}"
        want = expected["fault"]
        assert Path(item.file).name == want["file"], item
        assert item.field == want["field"], item
        assert item.line == want["line"], item
        assert want["reason"] in item.reason, item
        assert want["file"] in str(item), "the message names the file"
        return
    assert isinstance(item, FigureRecord), f"expected a record, got the fault {item}"
    assert _as_expected(item) == expected["record"]
    assert list(item.warnings) == warnings, "every warning reaches the caller's warn()"
    _check_warnings(list(item.warnings), expected["warnings"])


def test_expected_files_name_every_record_field() -> None:
    """A field added to FigureRecord must be added to every case (field by field, nothing implicit)."""
    fields = set(FigureRecord.__dataclass_fields__) - {"source", "warnings"}
    for folder in CASES.iterdir():
        expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
        if "record" in expected:
            assert set(expected["record"]) == fields, folder.name


# --- discovery --------------------------------------------------------------------------------------------


def _figure(path: Path, figid: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\nfigid: {figid}\npmcid: {figid.partition('__')[0]}\n---\n", encoding="utf-8")
    return path


def test_discover_sorts_independently_of_argument_order(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    for figid in ("PMC3__F1", "PMC1__F2", "PMC2__F1"):
        _figure(tree / "_figures" / f"{figid}.md", figid)
    folder = tmp_path / "loose"
    _figure(folder / "PMC10__F1.md", "PMC10__F1")
    single = _figure(tmp_path / "single" / "PMC0__F9.md", "PMC0__F9")

    orders = [[tree, folder, single], [single, tree, folder], [folder, single, tree]]
    found = [[f.path for f in discover(order)] for order in orders]
    assert found[0] == found[1] == found[2]
    assert [p.name for p in found[0]] == sorted(p.name for p in found[0])
    assert len(found[0]) == 5


def test_discover_lists_a_file_once_however_often_it_is_given(tmp_path: Path) -> None:
    file = _figure(tmp_path / "_figures" / "PMC1__F1.md", "PMC1__F1")
    assert [f.path for f in discover([tmp_path, file, file])] == [file]


@pytest.mark.parametrize("other_name", ["PMC1__A", "PMC1__Z"], ids=["other-sorts-first", "other-sorts-last"])
@pytest.mark.parametrize("reverse", [False, True], ids=["named-first", "named-last"])
def test_two_files_claiming_one_figid_keep_the_one_named_after_it(
    tmp_path: Path, other_name: str, reverse: bool
) -> None:
    named = _figure(tmp_path / "_figures" / "PMC1__F1.md", "PMC1__F1")
    other = _figure(tmp_path / "_figures" / f"{other_name}.md", "PMC1__F1")
    sources = [other, named] if reverse else [named, other]

    items = list(iter_records(discover(sources), warn=lambda _: None))

    records = [i for i in items if isinstance(i, FigureRecord)]
    faults = [i for i in items if isinstance(i, RecordFault)]
    assert [r.source for r in records] == [str(named)]
    assert len(faults) == 1
    assert faults[0].file == str(other)
    assert faults[0].field == "figid"
    assert str(named) in faults[0].reason


def test_a_file_named_after_a_figid_it_does_not_claim_does_not_own_it(tmp_path: Path) -> None:
    mislabelled = _figure(tmp_path / "_figures" / "PMC1__F1.md", "PMC1__F2")
    rightful = _figure(tmp_path / "_figures" / "PMC1__other.md", "PMC1__F1")

    items = list(iter_records(discover([tmp_path]), warn=lambda _: None))

    assert all(isinstance(i, FigureRecord) for i in items), items
    sources = sorted(i.source for i in items if isinstance(i, FigureRecord))
    assert sources == sorted([str(mislabelled), str(rightful)])


def test_tables_listed_once_match_tables_looked_for(tmp_path: Path) -> None:
    """discover lists the data folders once; reading with that listing gives the records that looking for
    each table gives, including a record whose figid is not its file name (looked for, not listed)."""
    import shutil

    from pfocr_rdf.reading import RecordFile, read_one

    tree = tmp_path / "tree"
    shutil.copytree(Path(__file__).parents[1] / "examples", tree)
    renamed = tree / "_figures" / "renamed.md"
    shutil.copy(tree / "_figures" / "PMC6021458__nihms968231f3.md", renamed)
    files = discover([tree])
    assert all(f.tables is not None for f in files)
    assert any(f.tables for f in files) and not next(f for f in files if f.path == renamed).tables
    for file in files:
        for kind in ("genes", "chemicals", "diseases"):
            there = file.data_dirs[0] / f"{file.path.stem}-{kind}.tsv"
            assert file.table(kind) == (there if there.is_file() else None)
    for file in files:
        listed = read_one(file, warn=lambda _: None)
        looked_for = read_one(RecordFile(file.location, file.data_dirs), warn=lambda _: None)
        assert listed == looked_for
        if file.path == renamed:
            assert isinstance(listed, FigureRecord) and listed.genes  # its tables, by its figid
