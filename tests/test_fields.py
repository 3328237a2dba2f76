"""The field table accounts for every input field, and names predicates the exporter really writes."""

from __future__ import annotations

import re
from pathlib import Path

import rdflib
import yaml

from pfocr_rdf.fields import FIELDS, FRONT_MATTER_KEYS, markdown_table
from pfocr_rdf.namespaces import PREFIXES

ROOT = Path(__file__).resolve().parent.parent


def test_every_sample_key_and_column_is_listed(sample_dir: Path) -> None:
    for path in sorted((sample_dir / "_figures").glob("*.md")):
        data = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        assert set(data) <= FRONT_MATTER_KEYS, f"{path}: {set(data) - FRONT_MATTER_KEYS}"
        for key in ("genes", "chemicals", "diseases"):
            for item in data.get(key) or []:
                assert set(item) <= {f.name for f in FIELDS}, f"{path}: {key} {set(item)}"
    names = {f.name for f in FIELDS}
    for table in sorted((sample_dir / "_data").glob("*.tsv")):
        header = table.read_text(encoding="utf-8").splitlines()[0].split("\t")
        assert set(header) <= names, f"{table}: {set(header) - names}"


def test_named_predicates_are_written(sample_export: Path, examples_export: Path) -> None:
    graph = rdflib.Graph().parse(sample_export).parse(examples_export)
    written = {str(term) for triple in graph for term in triple}  # predicates, and concepts like pfocr:mesh
    pattern = re.compile(r"\b(" + "|".join(re.escape(p) for p in PREFIXES) + r"):([A-Za-z]+)\b")
    for field in FIELDS:
        if field.ignored:
            continue
        for prefix, local in pattern.findall(field.becomes):
            if prefix == "xsd":
                continue  # a datatype, not a predicate
            name = f"{prefix}:{local}"
            assert PREFIXES[prefix] + local in written, (
                f"{field.name} ({field.scope}) names {name}, which no export writes")


def test_readme_carries_the_table() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert markdown_table() in readme, "regenerate the README's field table: python -m pfocr_rdf.fields"
