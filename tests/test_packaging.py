"""The package as pip builds it: every module and data file is in it, not only in the checkout.

The tests run from an editable install, which finds any module in the checkout; a wheel holds only the
packages ``pyproject.toml`` lists. A package missing from that list (``pfocr_rdf.writing`` once was)
passes every other test and fails for every user who runs ``pip install .``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
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


# The locks: every dependency pyproject.toml names is pinned with hashes, and .venv is built from the lock.

LOCK = ROOT / "requirements" / "lock.txt"
LOCKS = sorted((ROOT / "requirements").glob("*.txt"))


def _locked(lock: Path) -> dict[str, list[tuple[str, str, int]]]:
    """Name -> [(version, marker, number of hashes)] from a lock (a name may be pinned per Python)."""
    from packaging.utils import canonicalize_name

    pins: dict[str, list[tuple[str, str, int]]] = {}
    entries = lock.read_text(encoding="utf-8").replace("\\\n", " ").splitlines()
    for entry in entries:
        if not entry or entry[0] in "# ":
            continue
        requirement, _, marker = entry.partition(";")
        name, _, version = requirement.partition("==")
        marker = marker.split("--hash")[0].strip()
        assert version.strip(), f"{lock}: {entry[:60]!r} is not pinned with =="
        pins.setdefault(canonicalize_name(name.strip()), []).append(
            (version.split()[0], marker, entry.count("--hash=sha256:")))
    return pins


def _declared(lock: Path) -> list[str]:
    """What the lock was compiled from, as its header's command says: the sources and the extras."""
    command = next(line for line in lock.read_text(encoding="utf-8").splitlines() if "pip compile" in line).split()
    declared: list[str] = []
    extras = {command[i + 1] for i, word in enumerate(command) if word == "--extra"}
    for source in (word for word in command if word.endswith((".toml", ".in"))):
        if source == "pyproject.toml":
            project = PYPROJECT["project"]
            declared += project["dependencies"]
            for extra in sorted(extras):
                declared += project["optional-dependencies"][extra]
        else:
            text = (ROOT / source).read_text(encoding="utf-8")
            declared += [line for line in text.splitlines() if line and line[0] != "#"]
    return declared


def test_there_is_a_lock() -> None:
    assert LOCK in LOCKS


@pytest.mark.parametrize("lock", LOCKS, ids=[lock.name for lock in LOCKS])
def test_lock_pins_every_declared_dependency_within_its_range(lock: Path) -> None:
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    pins = _locked(lock)
    for text in _declared(lock):
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{text} is not in {lock.name}: run `make lock`"
        for version, _, hashes in pins[name]:
            assert requirement.specifier.contains(version, prereleases=True), \
                f"{lock.name} pins {name}=={version}, outside {text}: run `make lock`"
            assert hashes, f"{name}=={version} has no hash in {lock.name}"


def test_installed_versions_are_the_locked_ones() -> None:
    """The suite runs in the venv `make` built from the lock (make test-latest sets PFOCR_RDF_UNLOCKED)."""
    from importlib import metadata

    from packaging.markers import Marker
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    if os.environ.get("PFOCR_RDF_UNLOCKED"):
        pytest.skip("make test-latest runs against the newest releases on purpose")
    pins = _locked(LOCK)
    for text in _declared(LOCK):
        name = canonicalize_name(Requirement(text).name)
        wanted = [version for version, marker, _ in pins[name] if not marker or Marker(marker).evaluate()]
        if wanted:
            assert metadata.version(name) == wanted[0], \
                f"{name} {metadata.version(name)} is installed, the lock says {wanted[0]}: run `make install`"
