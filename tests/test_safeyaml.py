"""The front-matter YAML loader says every refusal in its own words, whichever PyYAML is installed."""

from __future__ import annotations

import pytest
import yaml

from pfocr_rdf.reading import safeyaml


def _problem(text: str) -> tuple[str, int]:
    with pytest.raises(yaml.MarkedYAMLError) as caught:
        safeyaml.load(text)
    mark = caught.value.problem_mark
    assert mark is not None
    return str(caught.value.problem), mark.line + 1


@pytest.fixture(params=["libyaml", "pure-python"], autouse=True)
def event_source(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every case with libyaml's parser (when PyYAML has it) and with PyYAML's own Python parser."""
    if request.param == "libyaml":
        if not hasattr(yaml, "CBaseLoader"):
            pytest.skip("this PyYAML has no libyaml")
        monkeypatch.setattr(safeyaml, "_EventSource", yaml.CBaseLoader)
    else:
        monkeypatch.setattr(safeyaml, "_EventSource", yaml.BaseLoader)


DEEP = f"collections are nested more than {safeyaml.MAX_DEPTH} levels deep"


@pytest.mark.parametrize("depth", [safeyaml.MAX_DEPTH + 1, 999, 1_001, 5_000, 30_000])
@pytest.mark.parametrize("style", ["flow-list", "flow-map"])
def test_deep_flow_nesting_is_refused_in_our_words(depth: int, style: str) -> None:
    """libyaml (PyYAML >= 6.0.4) refuses > 1,000 levels in its scanner; the message stays ours."""
    opening, closing = ("[", "]") if style == "flow-list" else ("{a: ", "}")
    text = f"figid: PMC1__F1\norganisms: {opening * depth}x{closing * depth}\n"
    assert _problem(text) == (DEEP, 2)


def test_deep_block_nesting_is_refused_in_our_words() -> None:
    text = "figid: PMC1__F1\n" + "".join(f"{'  ' * level}k{level}:\n" for level in range(2_000)) + "  " * 2_000 + "x\n"
    problem, line = _problem(text)
    assert problem == DEEP
    assert line == safeyaml.MAX_DEPTH + 2  # the line that opens the 33rd mapping


def test_library_limits_are_translated_from_the_library_message() -> None:
    """Every limit libyaml may enforce maps to a message that does not echo the library's words."""
    for library, ours in safeyaml._LIBRARY_LIMITS.items():
        assert library not in ours and ours


def test_nesting_at_the_limit_is_accepted() -> None:
    depth = safeyaml.MAX_DEPTH - 1  # the top-level mapping is one level
    text = f"organisms: {'[' * depth}x{']' * depth}\n"
    value = safeyaml.load(text)["organisms"]
    for _ in range(depth - 1):
        value = value[0]
    assert value == ["x"]


def test_other_syntax_errors_keep_the_parser_message() -> None:
    problem, line = _problem("figid: PMC1__F1\ntitle: [unclosed\n")
    assert problem and "nested" not in problem
    assert line >= 2
