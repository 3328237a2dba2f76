"""The errors pfocr-rdf raises: one base class, and a record error that says where and what.

A :class:`RecordError` names the file, the line where it is known, the field and what was expected, so
that a message can tell the user where to look and how to fix it. The command line turns every
:class:`PfocrError` into a message and an exit code in one place (``cli.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["InputError", "PfocrError", "RecordError", "RecordFault", "UsageError"]


class PfocrError(Exception):
    """Base class of every error pfocr-rdf raises on purpose."""


class UsageError(PfocrError):
    """The command or function was called wrongly (unknown format, bad option)."""


class InputError(PfocrError):
    """An input could not be read at all (missing file, unreadable folder)."""


@dataclass(frozen=True)
class RecordFault:
    """Where and why one record (or one row of it) is bad."""

    file: str
    line: int | None
    field: str | None
    reason: str
    figid: str | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        what = f"field {self.field!r}: " if self.field else ""
        return f"{where}: {what}{self.reason}"

    def as_dict(self) -> dict[str, object]:
        """Return the fault as a JSON-ready mapping (the rejects report's row)."""
        return {
            "file": self.file,
            "line": self.line,
            "field": self.field,
            "reason": self.reason,
            "figid": self.figid,
        }


class RecordError(PfocrError):
    """One record cannot be read or mapped; carries a :class:`RecordFault`."""

    def __init__(
        self,
        file: str | Path,
        reason: str,
        *,
        line: int | None = None,
        field: str | None = None,
        figid: str | None = None,
    ) -> None:
        self.fault = RecordFault(str(file), line, field, reason, figid)
        super().__init__(str(self.fault))
