"""Organism names to NCBI Taxonomy ids: which name is which taxon, which is none, which is ambiguous.

PFOCR writes organisms as names (``Homo sapiens``, ``Panax ginseng``, ``Coronaviridae``, ``herbal
medicine``). A name resolves to a taxon from, in this order:

1. the PFOCR tree's own organism pages (``_organisms/*.md``, their ``latin`` and ``ncbi`` keys), when the
   exported tree has them (:func:`pfocr_rdf.reading.organism_pages` reads them; the export passes them in);
2. the genes TSVs' ``organism_id`` / ``organism_name`` pairs of the record itself (the mapper does that);
3. ``data/organisms.tsv``, names checked by hand, spelled as PFOCR spells them (``Staphylococcus aureus
   MW2``) even where NCBI's name differs;
4. ``data/ncbi-taxa.tsv.xz``: every capitalised NCBI Taxonomy name (scientific names and the synonyms NCBI
   lists beside them, at every rank: species, genus, family, strain, virus...) with its id, built by
   ``make taxa`` from Debian's ``r-bioc-genomeinfodbdata`` (:func:`build_table`). A name that NCBI gives to
   two taxa (``Bacteria``: the domain and a stick-insect genus) is ambiguous: it stays a literal and is
   reported, never guessed. Lower-case names there are common names and placeholders (``avian``,
   ``herbal medicine``), which are left out; a name is looked up as written, then with its first letter
   capitalised (PFOCR writes ``adeno-associated virus 2``).

This stage knows names and ids, nothing of RDF or of the record files.
"""

from __future__ import annotations

import functools
import lzma
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

__all__ = ["Organisms", "Resolution", "build_table", "scientific_name"]

_TABLE = "ncbi-taxa.tsv.xz"
Status = Literal["resolved", "ambiguous", "unknown"]


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a name resolved to: one taxon CURIE, several (ambiguous), or none."""

    status: Status
    taxa: tuple[str, ...] = ()  # NCBITaxon CURIEs

    @property
    def taxon(self) -> str | None:
        """The taxon CURIE when the name resolved to exactly one, else None."""
        return self.taxa[0] if self.status == "resolved" else None


_UNKNOWN = Resolution("unknown")


@dataclass(frozen=True)
class Organisms:
    """Resolves organism names: the tree's own pages first, then the shipped tables.

    ``pages`` maps names (as the tree's ``_organisms`` pages write them in ``latin``) to NCBITaxon CURIEs.
    The object is small and picklable: the big table is loaded once per process, on first use.
    """

    pages: Mapping[str, str] | None = None

    def resolve(self, name: str, local: Mapping[str, str] | None = None) -> Resolution:
        """Return what ``name`` resolves to; ``local`` is the record's own name -> taxon pairs (genes TSV)."""
        if self.pages and name in self.pages:
            return Resolution("resolved", (self.pages[name],))
        if local and name in local:
            return Resolution("resolved", (local[name],))
        return _resolve_shipped(name)

    def load_tables(self) -> None:
        """Load the shipped tables now, e.g. before forking workers, which then share them instead of each
        decompressing its own copy."""
        _curated()
        _names_of_curated()
        _ncbi_table()

    def release_tables(self) -> None:
        """Drop this process's copy of the NCBI name table (86 MB), e.g. in a parent whose forked workers now
        hold theirs; it is decompressed again if this process resolves a name later."""
        _ncbi_table.cache_clear()

    def taxon(self, name: str, local: Mapping[str, str] | None = None) -> str | None:
        """Return the NCBITaxon CURIE of ``name`` when it resolves to exactly one taxon, else None."""
        return self.resolve(name, local).taxon


def scientific_name(taxon: str) -> str | None:
    """Return the name the hand-checked table gives a taxon CURIE (the first in code-point order), or None."""
    return _names_of_curated().get(taxon)


@functools.cache
def _names_of_curated() -> dict[str, str]:
    names: dict[str, str] = {}
    for name, taxon in sorted(_curated().items()):
        names.setdefault(taxon, name)
    return names


@functools.lru_cache(maxsize=8192)
def _resolve_shipped(name: str) -> Resolution:
    curated = _curated().get(name)
    if curated is not None:
        return Resolution("resolved", (curated,))
    for candidate in dict.fromkeys((name, name[:1].upper() + name[1:])):
        ids = _ncbi_lookup(candidate)
        if ids:
            taxa = tuple(f"NCBITaxon:{i}" for i in ids)
            return Resolution("resolved" if len(taxa) == 1 else "ambiguous", taxa)
    return _UNKNOWN


@functools.cache
def _curated() -> dict[str, str]:
    table: dict[str, str] = {}
    text = resources.files("pfocr_rdf.data").joinpath("organisms.tsv").read_text(encoding="utf-8")
    for line in text.splitlines()[1:]:
        name, _, taxon_id = line.partition("\t")
        if name and taxon_id.strip():
            table[name.strip()] = f"NCBITaxon:{taxon_id.strip()}"
    return table


@functools.cache
def _ncbi_table() -> bytearray:
    """The NCBI name table, decompressed: ``name TAB id[,id...] LF`` lines sorted by their UTF-8 bytes.

    Kept as one buffer and searched by bisection: 86 MB, no per-name Python objects, ~2.5 s to load.
    Decompressed in chunks into a growing buffer, which peaks near its final size (``lzma.decompress``
    holds its output twice). An installation without the table (a checkout before ``make taxa``)
    resolves from the other sources.
    """
    path = resources.files("pfocr_rdf.data").joinpath(_TABLE)
    table = bytearray()
    if not path.is_file():
        return table
    with path.open("rb") as raw, lzma.open(raw) as stream:
        while chunk := stream.read(1 << 20):
            table += chunk
    return table


def _ncbi_lookup(name: str) -> tuple[int, ...]:
    if not name or "\t" in name or "\n" in name or not name.isprintable():
        return ()  # no NCBI name holds these, and a tab or line break would break the line-based search
    try:
        key = name.encode("utf-8") + b"\t"
    except UnicodeEncodeError:  # a lone surrogate: no taxon's name
        return ()
    data = _ncbi_table()
    low, high = 0, len(data)
    while low < high:  # find the first line whose start is >= key, bisecting on line starts
        middle = (low + high) // 2
        start = data.rfind(b"\n", 0, middle) + 1
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        if data[start:end + 1] < key:
            low = end + 1
        else:
            high = start
    if data.startswith(key, low):
        end = data.find(b"\n", low)
        ids = data[low + len(key):end if end >= 0 else len(data)]
        return tuple(int(i) for i in ids.split(b","))
    return ()


def build_table(rda: Path, output: Path) -> tuple[int, int]:
    """Write the NCBI name table from GenomeInfoDbData's ``specData.rda``; return (names, ambiguous names).

    Needs the ``rdata`` package (``pip install rdata``), at build time only.
    """
    import rdata  # type: ignore[import-not-found,unused-ignore]

    frame = rdata.conversion.convert(rdata.parser.parse_file(rda))["specData"]
    ids: dict[str, set[int]] = {}
    for tax_id, genus, species in zip(frame["tax_id"], frame["genus"], frame["species"], strict=True):
        # 1 is the root ("all", "root"). Names whose first word is not capitalised are NCBI's common names
        # and placeholders ("avian", "unknown", "uncultured bacterium", "herbal medicine"), not scientific
        # names: a taxon's, a genus's or a family's scientific name, a virus's name, are capitalised.
        if tax_id is None or int(tax_id) <= 1 or not isinstance(genus, str) or not genus[:1].isupper():
            continue
        name = genus if not isinstance(species, str) else f"{genus} {species}"
        name = " ".join(name.split())
        if name and "\t" not in name:
            ids.setdefault(name, set()).add(int(tax_id))
    lines = sorted(
        (name.encode("utf-8") + b"\t" + b",".join(str(i).encode() for i in sorted(found)) + b"\n")
        for name, found in ids.items()
    )
    # preset 6: an 8 MB dictionary, so decoding it costs little memory (9 would take 64 MB for 1 MB less file)
    output.write_bytes(lzma.compress(b"".join(lines), preset=6))
    return len(lines), sum(1 for found in ids.values() if len(found) > 1)


if __name__ == "__main__":
    import sys

    if len(sys.argv) != 3:
        sys.exit("usage: python -m pfocr_rdf.organisms SPECDATA.rda OUTPUT.tsv.xz")
    count, ambiguous = build_table(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"{count} names ({ambiguous} ambiguous) written to {sys.argv[2]}")
