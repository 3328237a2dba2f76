"""Loading front matter YAML as plain data, refusing what PFOCR records never use and attackers do.

PyYAML's safe loader already refuses tags that would construct Python objects, but it still expands
anchors and aliases (a "billion laughs" document of a few hundred bytes becomes a structure that anything
walking it must expand), lets the libyaml composer recurse without bound on deeply nested collections
(quadratic time from a few thousand levels, a segmentation fault near 100,000), turns ``!!float abc``
into a bare ``ValueError``, and silently keeps the last of two equal keys. This loader reads libyaml's
event stream instead (the pure-Python parser where libyaml is missing) and builds dicts, lists and
strings itself, so that:

- every scalar is text, or ``None`` for YAML's null (``~``, ``null``, nothing): YAML 1.1's implicit
  booleans, numbers and timestamps are never resolved, so ``NO`` (nitric oxide) stays a word, a score
  keeps its exact digits and ``0x10``, ``010`` or ``1:30`` stay as written;
- a tag other than ``!!str``, ``!!map``, ``!!seq`` or the non-specific ``!`` is refused: no tag runs code;
- anchors and aliases are refused (PFOCR never writes them), so the bomb is refused at its first anchor;
- collections nested deeper than :data:`MAX_DEPTH` are refused before the parser's stacks grow;
- a key that appears twice in one mapping, or a key that is a list or mapping, is refused;
- text holding a lone surrogate (``"\\ud800"``), which no RDF syntax can carry, is refused;
- a limit that the YAML library enforces itself (libyaml, bundled in PyYAML's wheels since 6.0.4, refuses
  nesting deeper than 1,000 levels in its scanner, before any event reaches this loader) is reported in
  the same words as this loader's own check, whichever PyYAML is installed.

Every refusal is a :class:`yaml.MarkedYAMLError` whose mark is the offending node, so the caller reports
it with its line like any other YAML syntax error. Work and memory are linear in the size of the text.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.error import Mark

__all__ = ["MAX_DEPTH", "load"]

#: Deepest nesting of collections accepted; PFOCR's own front matter never goes beyond 3.
MAX_DEPTH = 32

_EventSource: Any = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_STR_TAGS = frozenset({"!", "tag:yaml.org,2002:str"})
_COLLECTION_TAGS = frozenset({"!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"})
_NO_KEY: Any = object()
#: What libyaml says when it refuses a document at one of its own limits, and how we say it.
_LIBRARY_LIMITS = {
    "exceeded maximum nesting depth": f"collections are nested more than {MAX_DEPTH} levels deep",
    "input is too long": "the front matter is longer than the YAML parser accepts",
}
_NO_ALIASES = ("PFOCR records use no anchors or aliases, and aliases can expand a few bytes into billions of "
               "values")


def load(text: str) -> Any:
    """Return the data of a single YAML document as dicts, lists, strings and None.

    Raises :class:`yaml.MarkedYAMLError` (or :class:`yaml.YAMLError`) for bad syntax and for anything
    refused above.
    """
    source = _EventSource(text)
    try:
        return _build(source)
    except yaml.MarkedYAMLError as err:
        ours = _LIBRARY_LIMITS.get((err.problem or "").strip())
        if ours is None:
            raise
        raise _refuse(ours, err.problem_mark) from None
    finally:
        source.dispose()


def _refuse(problem: str, mark: Mark | None) -> ConstructorError:
    return ConstructorError(None, None, problem, mark)


def _tag_refused(tag: str) -> str:
    shown = "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag
    return f"the YAML tag {shown} is not accepted; PFOCR values are plain text"


def _build(source: Any) -> Any:
    stack: list[list[Any]] = []  # [container, pending key, start mark] of each open collection
    root: Any = None
    documents = 0
    get_event = source.get_event
    while True:
        event = get_event()
        kind = type(event)
        if kind is yaml.ScalarEvent:
            _check_anchor(event)
            value: Any = event.value
            tag = event.tag
            if tag is None:
                if event.implicit[0] and value in _NULLS:
                    value = None
            elif tag not in _STR_TAGS:
                raise _refuse(_tag_refused(tag), event.start_mark)
            if value is not None and not value.isascii():
                _check_text(value, event.start_mark)
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            _check_anchor(event)
            if event.tag is not None and event.tag not in _COLLECTION_TAGS:
                raise _refuse(_tag_refused(event.tag), event.start_mark)
            if len(stack) >= MAX_DEPTH:
                raise _refuse(f"collections are nested more than {MAX_DEPTH} levels deep", event.start_mark)
            stack.append([{} if kind is yaml.MappingStartEvent else [], _NO_KEY, event.start_mark])
            continue
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            value = stack.pop()[0]
        elif kind is yaml.AliasEvent:
            raise _refuse(f"the alias *{event.anchor} is not accepted: {_NO_ALIASES}", event.start_mark)
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise _refuse("a second YAML document; the front matter must be one mapping",
                              event.start_mark)
            continue
        elif kind is yaml.StreamEndEvent:
            return root
        else:
            continue
        if not stack:
            root = value
            continue
        top = stack[-1]
        container = top[0]
        if type(container) is list:
            container.append(value)
        elif top[1] is _NO_KEY:
            if isinstance(value, list | dict):
                raise _refuse(f"a {type(value).__name__} used as a key; keys must be text", event.start_mark)
            if value in container:
                raise _refuse(f"the key {value!r} appears twice in one mapping; keep one", event.start_mark)
            top[1] = value
        else:
            container[top[1]] = value
            top[1] = _NO_KEY


def _check_anchor(event: Any) -> None:
    if event.anchor is not None:
        raise _refuse(f"the anchor &{event.anchor} is not accepted: {_NO_ALIASES}", event.start_mark)


def _check_text(value: str, mark: Mark | None) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as err:
        raise _refuse(f"text holds a lone surrogate (U+{ord(value[err.start]):04X}), which no RDF syntax can "
                      "carry", mark) from None
