"""The package as pip builds it: every module and data file is in it, not only in the checkout.

The tests run from an editable install, which finds any module in the checkout; a wheel holds only the
packages ``pyproject.toml`` lists. A package missing from that list (``pfocr_rdf.writing`` once was)
passes every other test and fails for every user who runs ``pip install .``.
"""

from __future__ import annotations

from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SETUPTOOLS = PYPROJECT["tool"]["setuptools"]


def _folder(package: str) -> Path:
    mapped = SETUPTOOLS.get("package-dir", {}).get(package)
    return ROOT / mapped if mapped else ROOT / package.replace(".", "/")


def test_every_python_package_is_listed() -> None:
    found = {".".join(init.parent.relative_to(ROOT).parts) for init in (ROOT / "pfocr_rdf").rglob("__init__.py")}
    listed = set(SETUPTOOLS["packages"])
    assert found - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"


def test_every_listed_package_exists_with_its_data() -> None:
    for package in SETUPTOOLS["packages"]:
        folder = _folder(package)
        assert (folder / "__init__.py").is_file(), f"{package}: no {folder / '__init__.py'}"
        for pattern in SETUPTOOLS.get("package-data", {}).get(package, []):
            assert list(folder.glob(pattern)), f"{package}: nothing matches {pattern} in {folder}"


def test_every_data_file_is_covered_by_package_data() -> None:
    data = SETUPTOOLS.get("package-data", {})
    for package in SETUPTOOLS["packages"]:
        folder = _folder(package)
        for path in folder.iterdir():
            if path.is_file() and path.suffix not in (".py", ".pyc", ".md"):
                assert any(path.match(p) for p in data.get(package, [])), (
                    f"{path.relative_to(ROOT)} would be left out of the wheel: add it to package-data")
