"""The errors pfocr-rdf raises: one base class, and a record error that says where and what.

A :class:`RecordError` names the file, the line where it is known, the field and what was expected, so
that a message can tell the user where to look and how to fix it. The command line turns every
:class:`PfocrError` into a message and an exit code in one place (``cli.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# C0 and C1 control characters but tab and line feed, DEL, the bidirectional overrides and isolates
# (which reorder what a terminal shows), and lone surrogates (a file name that is not UTF-8).
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def printable(text: str) -> str:
    """Return ``text`` safe to print on a terminal: escape sequences and controls shown as ``\\xNN``.

    File names and values from records may hold ESC sequences that would rewrite the terminal; every
    message pfocr-rdf prints goes through this one function.
    """
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                            else f"\\u{ord(m.group()):04x}", text)

__all__ = [
    "InputError", "Interrupted", "PfocrError", "RecordError", "RecordFault", "UnknownName", "UsageError", "printable",
]


class PfocrError(Exception):
    """Base class of every error pfocr-rdf raises on purpose."""


class UsageError(PfocrError):
    """The command or function was called wrongly (unknown format, bad option)."""


class InputError(PfocrError):
    """An input could not be read at all (missing file, unreadable folder)."""


class UnknownName(UsageError, InputError):
    """A file name that says no known syntax: a usage error, and an input that cannot be read."""


class Interrupted(PfocrError):
    """Ctrl-C or SIGTERM stopped an operation that leaves partial work behind; the message says what."""


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
