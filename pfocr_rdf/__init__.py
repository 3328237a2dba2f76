"""pfocr-rdf: PFOCR (Pathway Figure OCR) figure records as linked data.

Read PFOCR's YAML-and-TSV records, map them to schema.org and the ``pfocr:`` vocabulary, and write
them as Turtle or N-Triples, streaming. See ``docs/MODEL.md`` for the RDF model.

The entry points below are imported on first use (module ``__getattr__``, PEP 562): importing the package,
or a light part of it such as the query stage, does not pay for the exporter (rdflib, curies, YAML).
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

from .errors import InputError, PfocrError, RecordError, UsageError

__version__ = "0.2.0"

if TYPE_CHECKING:
    from .export import ExportSummary, export
    from .mapping import map_record
    from .reading import discover, iter_records, read_record

__all__ = [
    "ExportSummary",
    "InputError",
    "PfocrError",
    "RecordError",
    "UsageError",
    "__version__",
    "discover",
    "export",
    "iter_records",
    "map_record",
    "read_record",
]

#: Each lazily exported name and the module that defines it.
_LAZY: dict[str, str] = {
    "ExportSummary": ".export",
    "export": ".export",
    "map_record": ".mapping",
    "discover": ".reading",
    "iter_records": ".reading",
    "read_record": ".reading",
}


def __getattr__(name: str) -> Any:
    """Import a public entry point on first use."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _Package(types.ModuleType):
    """This package as a module object that keeps ``pfocr_rdf.export`` the function, not the submodule.

    Once a submodule is loaded the import system sets it as an attribute of its package; the eager
    ``from .export import export`` used to overwrite that binding, and a lazy one cannot, so the binding of
    a submodule named like an entry point (``export``) is dropped here and the name resolves to the entry
    point through ``__getattr__``.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _LAZY and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
