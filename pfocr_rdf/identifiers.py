"""Identifiers: the one prefix map, CURIE normalisation, expansion to IRIs, and IRI-safe encoding.

PFOCR writes the same identifier many ways (``mesh:D005227``, bare ``D015232``, ``chebi:4167``,
``doid:0060239``, ``'5883'``). Every one of them is normalised here, once, to a CURIE with the prefix
this project uses (``MESH:D005227``, ``CHEBI:4167``, ``DOID:0060239``, ``NCBIGene:5883``), checked
against its pattern, and expanded to its IRI from the same map. The map is a :class:`curies.Converter`
built from :data:`_RECORDS`, with the spellings PFOCR uses as prefix synonyms.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import quote

import curies

from .namespaces import CHEBI, DOI, DOID, MESH, NCBIGENE, NCBITAXON, NDEX, PMC, WIKIPATHWAYS

__all__ = [
    "IdentifierError",
    "converter",
    "encode_iri",
    "encode_segment",
    "expand",
    "local_id",
    "normalize",
]


class IdentifierError(ValueError):
    """An identifier does not have the form its prefix demands; the message says what was expected."""


# prefix, IRI prefix, synonyms, pattern of the local id, what a user should read when it does not match
_RECORDS: tuple[tuple[str, str, tuple[str, ...], str, str], ...] = (
    ("NCBIGene", str(NCBIGENE), ("ncbigene", "NCBIGENE", "entrez", "EntrezGene"), r"[1-9][0-9]*",
     "an NCBI Gene id (digits)"),
    ("MESH", str(MESH), ("mesh", "MeSH", "Mesh"), r"[CD][0-9]{6,9}",
     "a MeSH id (D or C and digits, e.g. D005227)"),
    ("CHEBI", str(CHEBI), ("chebi", "ChEBI"), r"[1-9][0-9]*", "a ChEBI id (digits)"),
    ("DOID", str(DOID), ("doid",), r"[0-9]{1,8}", "a DOID id (digits)"),
    ("NCBITaxon", str(NCBITAXON), ("ncbitaxon", "taxon", "NCBITAXON"), r"[1-9][0-9]*",
     "an NCBI Taxonomy id (digits)"),
    ("PMC", str(PMC), ("pmc", "pmcid", "PMCID"), r"PMC[0-9]+", "a PMCID (PMC and digits)"),
    ("doi", str(DOI), ("DOI",), r"10\.[0-9]{4,9}/\S+", "a DOI (10.NNNN/suffix)"),
    ("wikipathways", str(WIKIPATHWAYS), ("WikiPathways", "wp"), r"WP[0-9]+", "a WikiPathways id (WP and digits)"),
    ("ndex", str(NDEX), ("NDEx",), r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
     "an NDEx network UUID"),
)

_DOI_URL = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_WP_REVISION = re.compile(r"_r[0-9]+$")
_PATTERNS: dict[str, re.Pattern[str]] = {p: re.compile(pattern) for p, _, _, pattern, _ in _RECORDS}
_EXPECTED: dict[str, str] = {p: expected for p, _, _, _, expected in _RECORDS}

# Characters an IRI path segment may carry unescaped (RFC 3986 unreserved, sub-delims, ':' and '@').
# Everything else, non-ASCII included, is percent-encoded: stores disagree on raw IRI characters.
_SEGMENT_SAFE = "-._~!$&'()*+,;=:@"
# As above plus '/', '?', '#' and '%' for whole IRIs that are already structured.
_IRI_SAFE = _SEGMENT_SAFE + "/?#[]%"


@functools.cache
def converter() -> curies.Converter:
    """Return the project's :class:`curies.Converter` (built once, on first use)."""
    return curies.Converter(
        [
            curies.Record(prefix=prefix, uri_prefix=uri_prefix, prefix_synonyms=list(synonyms))
            for prefix, uri_prefix, synonyms, _, _ in _RECORDS
        ]
    )


@functools.lru_cache(maxsize=200_000)
def normalize(raw: str, default_prefix: str) -> str:
    """Return the CURIE for ``raw`` (``'mesh:D1'``, ``'D1'``, ``'4040'``); raise IdentifierError if malformed.

    ``default_prefix`` is the prefix a bare local id gets and the only prefix ``raw`` may carry.
    """
    value = raw.strip()
    if default_prefix == "doi":
        value = _DOI_URL.sub("", value)
    elif default_prefix == "ndex":
        value = value.lower()
    elif default_prefix == "wikipathways":
        value = _WP_REVISION.sub("", value)
    prefix, sep, local = value.partition(":")
    if sep and prefix and not (default_prefix == "doi" and prefix.startswith("10.")):
        standard = converter().standardize_prefix(prefix)
        if standard is None or standard != default_prefix:
            raise IdentifierError(f"{raw!r} is not {_EXPECTED[default_prefix]}")
    else:
        local = value
    if default_prefix == "doi":
        local = local.lower()
    if not _PATTERNS[default_prefix].fullmatch(local):
        raise IdentifierError(f"{raw!r} is not {_EXPECTED[default_prefix]}")
    return f"{default_prefix}:{local}"


@functools.lru_cache(maxsize=200_000)
def expand(curie: str) -> str:
    """Return the IRI of a normalised CURIE, percent-encoding its local part where needed."""
    prefix, _, local = curie.partition(":")
    uri_prefix = converter().bimap[prefix]
    if prefix == "doi":
        return uri_prefix + quote(local, safe=_SEGMENT_SAFE + "/")
    return uri_prefix + local


def local_id(curie: str) -> str:
    """Return the local part of a CURIE (``'MESH:D1'`` gives ``'D1'``)."""
    return curie.partition(":")[2]


def encode_segment(text: str) -> str:
    """Percent-encode ``text`` for use as one IRI path segment (``/`` is encoded too)."""
    return quote(text, safe=_SEGMENT_SAFE)


def encode_iri(iri: str) -> str:
    """Percent-encode the characters of an IRI that the IRI grammar does not allow (spaces, ``<>"{}|^`\\``)."""
    if iri.isascii() and _IRI_OK.fullmatch(iri):
        return iri
    return quote(iri, safe=_IRI_SAFE)


_IRI_OK = re.compile(r"[A-Za-z0-9\-._~!$&'()*+,;=:@/?#\[\]%]*")
