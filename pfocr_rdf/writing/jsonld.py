"""JSON-LD output (placeholder until the JSON-LD serializer lands): compact, one object per figure."""

from __future__ import annotations

from collections.abc import Sequence

from .base import Serializer, Triple

__all__ = ["JsonLd", "JsonLines"]


class JsonLd(Serializer):
    """One JSON-LD document whose ``@graph`` is streamed."""

    name = "jsonld"
    media_type = "application/ld+json"
    extensions = (".jsonld", ".json")
    separator = ",\n"

    def render(self, triples: Sequence[Triple]) -> str:
        """Return one block of triples as compact JSON-LD node objects."""
        raise NotImplementedError("JSON-LD output is not written yet")


class JsonLines(JsonLd):
    """JSON Lines: one compact JSON-LD object per line."""

    name = "jsonl"
    media_type = "application/x-ndjson"
    extensions = (".jsonl",)
    separator = ""
