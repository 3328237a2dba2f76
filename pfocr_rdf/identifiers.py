"""Identifiers: the one prefix map, CURIE normalisation, expansion to IRIs, and IRI-safe encoding.

PFOCR writes the same identifier many ways (``mesh:D005227``, bare ``D015232``, ``chebi:4167``,
``doid:0060239``, ``'5883'``). Every one of them is normalised here, once, to a CURIE with the prefix
this project uses (``MESH:D005227``, ``CHEBI:4167``, ``DOID:0060239``, ``NCBIGene:5883``), checked
against its pattern, and expanded to its IRI from the same map. The map is a :class:`curies.Converter`
built from :data:`_RECORDS`, with the spellings PFOCR uses as prefix synonyms.
"""

from __future__ import annotations

import functools
import ipaddress
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


@functools.cache
def converter() -> curies.Converter:
    """Return the project's :class:`curies.Converter` (built once, on first use)."""
    return curies.Converter(
        [
            curies.Record(prefix=prefix, uri_prefix=uri_prefix, prefix_synonyms=list(synonyms))
            for prefix, uri_prefix, synonyms, _, _ in _RECORDS
        ]
    )


@functools.lru_cache(maxsize=16_384)
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
            raise IdentifierError(f"{_shown(raw)} is not {_EXPECTED[default_prefix]}")
    else:
        local = value
    if default_prefix == "doi":
        local = local.lower()
    if not _PATTERNS[default_prefix].fullmatch(local):
        raise IdentifierError(f"{_shown(raw)} is not {_EXPECTED[default_prefix]}")
    return f"{default_prefix}:{local}"


@functools.lru_cache(maxsize=16_384)
def expand(curie: str) -> str:
    """Return the IRI of a normalised CURIE, percent-encoding its local part where needed."""
    prefix, _, local = curie.partition(":")
    uri_prefix = converter().bimap[prefix]
    if prefix == "doi":
        return uri_prefix + quote(local, safe=_SEGMENT_SAFE + "/")
    return uri_prefix + local


def _shown(raw: str) -> str:
    text = repr(raw)  # cut: a malformed identifier may be megabytes of anything
    return text if len(text) <= 80 else f"{text[:75]}...{text[-1]}"


def local_id(curie: str) -> str:
    """Return the local part of a CURIE (``'MESH:D1'`` gives ``'D1'``)."""
    return curie.partition(":")[2]


def encode_segment(text: str) -> str:
    """Percent-encode ``text`` for use as one IRI path segment (``/`` is encoded too)."""
    return quote(text, safe=_SEGMENT_SAFE)


def encode_iri(iri: str) -> str:
    """Percent-encode what the IRI grammar does not allow where it stands; raise IdentifierError if it cannot.

    Spaces, ``<>"{}|^`\\``, control and non-ASCII characters are encoded everywhere; ``[`` and ``]`` outside
    the host, a second ``#`` and a ``%`` not followed by two hex digits are encoded too (strict parsers such
    as oxigraph's refuse them). An authority (``//user@host:port``) that no encoding can make valid, such
    as a port that is not a number, raises IdentifierError.
    """
    if iri.isascii() and _IRI_OK.fullmatch(iri):
        return iri
    head, authority, tail = "", None, iri
    scheme = _SCHEME.match(iri)
    if scheme:
        head, tail = scheme.group(), iri[scheme.end():]
        if tail.startswith("//"):
            end = next((i for i, char in enumerate(tail) if i >= 2 and char in "/?#"), len(tail))
            authority, tail = tail[2:end], tail[end:]
    rest, hash_, fragment = tail.partition("#")
    encoded = quote(_BAD_PERCENT.sub("%25", rest), safe=_SEGMENT_SAFE + "/?%")
    if hash_:
        encoded += "#" + quote(_BAD_PERCENT.sub("%25", fragment), safe=_SEGMENT_SAFE + "/?%")
    if authority is None:
        return head + encoded
    return f"{head}//{_encode_authority(authority, iri)}{encoded}"


def _encode_authority(authority: str, iri: str) -> str:
    userinfo, at, hostport = authority.rpartition("@")
    if hostport.startswith("["):
        host, bracket, port = hostport.partition("]")
        if not bracket or not _valid_ip_literal(host[1:]):
            raise IdentifierError(f"{iri!r} is not an IRI: its host {host + bracket!r} is not an IP literal")
        host += "]"
    else:
        host, colon, port = hostport.partition(":")
        port = colon + port
        host = quote(_BAD_PERCENT.sub("%25", host), safe=_HOST_SAFE)
    if port and not _PORT.fullmatch(port):
        raise IdentifierError(f"{iri!r} is not an IRI: its port {port[1:]!r} is not a number")
    if at:
        userinfo = quote(_BAD_PERCENT.sub("%25", userinfo), safe=_SEGMENT_SAFE.replace("@", "") + "%") + "@"
    return userinfo + host + port


def _valid_ip_literal(text: str) -> bool:
    if text[:1] in ("v", "V"):  # IPvFuture
        return bool(re.fullmatch(r"[vV][0-9A-Fa-f]+\.[A-Za-z0-9\-._~!$&'()*+,;=:]+", text))
    try:
        ipaddress.IPv6Address(text)
    except ValueError:
        return False
    return True


# An IRI that needs no work: ASCII, allowed characters only, brackets only around an IPv6 host, one '#',
# and every '%' starting an escape.
_IRI_OK = re.compile(
    r"[A-Za-z][A-Za-z0-9+.\-]*://(?:[A-Za-z0-9\-._~!$&'()*+,;=:]*@)?[A-Za-z0-9\-._~!$&'()*+,;=]*(?::[0-9]*)?"
    r"(?:[/?](?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})*)*"
    r"(?:#(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*)?"
)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_PORT = re.compile(r":[0-9]*")
_HOST_SAFE = _SEGMENT_SAFE.replace(":", "").replace("@", "") + "%"
