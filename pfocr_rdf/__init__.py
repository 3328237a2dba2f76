"""pfocr-rdf: PFOCR (Pathway Figure OCR) figure records as linked data.

Read PFOCR's YAML-and-TSV records, map them to schema.org and the ``pfocr:`` vocabulary, and write
them as Turtle or N-Triples, streaming. See ``docs/MODEL.md`` for the RDF model.
"""

from __future__ import annotations

__version__ = "0.2.0"

from .errors import InputError, PfocrError, RecordError, UsageError
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
