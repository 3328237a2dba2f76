"""Identifiers: one prefix map, PFOCR's spellings normalised to CURIEs, CURIEs expanded to IRIs and back.

The IRIs below are typed from DESIGN.md §2 (the namespace table), not taken from the code, so a
changed namespace fails here.
"""

from __future__ import annotations

import pytest

from pfocr_rdf.identifiers import (
    _RECORDS,
    IdentifierError,
    converter,
    encode_iri,
    encode_segment,
    expand,
    normalize,
)

# prefix -> (a raw value as PFOCR writes it, its CURIE, its IRI)
ROUND_TRIPS: dict[str, tuple[str, str, str]] = {
    "NCBIGene": ("5883", "NCBIGene:5883", "https://identifiers.org/ncbigene/5883"),
    "MESH": ("mesh:D005227", "MESH:D005227", "http://id.nlm.nih.gov/mesh/D005227"),
    "CHEBI": ("chebi:4167", "CHEBI:4167", "http://purl.obolibrary.org/obo/CHEBI_4167"),
    "DOID": ("doid:0060239", "DOID:0060239", "http://purl.obolibrary.org/obo/DOID_0060239"),
    "NCBITaxon": ("9606", "NCBITaxon:9606", "http://purl.obolibrary.org/obo/NCBITaxon_9606"),
    "PMC": ("PMC10003241", "PMC:PMC10003241", "http://identifiers.org/pmc/PMC10003241"),
    "doi": ("10.3390/IJMS24054893", "doi:10.3390/ijms24054893", "https://doi.org/10.3390/ijms24054893"),
    "wikipathways": ("WP5283", "wikipathways:WP5283", "http://identifiers.org/wikipathways/WP5283"),
    "ndex": ("010a5d15-de8e-11ea-99da-0ac135e8bacf", "ndex:010a5d15-de8e-11ea-99da-0ac135e8bacf",
             "https://www.ndexbio.org/viewer/networks/010a5d15-de8e-11ea-99da-0ac135e8bacf"),
}


def test_every_prefix_has_a_round_trip() -> None:
    assert set(ROUND_TRIPS) == {record[0] for record in _RECORDS}


@pytest.mark.parametrize("prefix", sorted(ROUND_TRIPS))
def test_round_trip(prefix: str) -> None:
    raw, curie, iri = ROUND_TRIPS[prefix]
    assert normalize(raw, prefix) == curie
    assert expand(curie) == iri
    assert converter().compress(iri) == curie
    assert converter().expand(curie) == iri
    assert normalize(curie, prefix) == curie, "normalising is idempotent"


@pytest.mark.parametrize(
    ("raw", "prefix", "curie", "iri"),
    [
        ("mesh:D005227", "MESH", "MESH:D005227", "http://id.nlm.nih.gov/mesh/D005227"),
        ("D015232", "MESH", "MESH:D015232", "http://id.nlm.nih.gov/mesh/D015232"),
        ("MESH:C108952", "MESH", "MESH:C108952", "http://id.nlm.nih.gov/mesh/C108952"),
        ("chebi:4167", "CHEBI", "CHEBI:4167", "http://purl.obolibrary.org/obo/CHEBI_4167"),
        ("CHEBI:35366", "CHEBI", "CHEBI:35366", "http://purl.obolibrary.org/obo/CHEBI_35366"),
        ("doid:0060239", "DOID", "DOID:0060239", "http://purl.obolibrary.org/obo/DOID_0060239"),
        ("doid:9538", "DOID", "DOID:9538", "http://purl.obolibrary.org/obo/DOID_9538"),
        ("5883", "NCBIGene", "NCBIGene:5883", "https://identifiers.org/ncbigene/5883"),
        (" 5883 ", "NCBIGene", "NCBIGene:5883", "https://identifiers.org/ncbigene/5883"),
        ("ncbigene:5883", "NCBIGene", "NCBIGene:5883", "https://identifiers.org/ncbigene/5883"),
        ("10090", "NCBITaxon", "NCBITaxon:10090", "http://purl.obolibrary.org/obo/NCBITaxon_10090"),
        ("10.3389/FIMMU.2023.1140749", "doi", "doi:10.3389/fimmu.2023.1140749",
         "https://doi.org/10.3389/fimmu.2023.1140749"),
        ("doi:10.1101/2023.03.03.530734", "doi", "doi:10.1101/2023.03.03.530734",
         "https://doi.org/10.1101/2023.03.03.530734"),
        # SICI DOIs: '<' and '>' are not IRI characters and are percent-encoded; ( ) ; : stay
        ("10.1002/(SICI)1097-4636(199606)31:2<213::AID-JBM9>3.0.CO;2-K", "doi",
         "doi:10.1002/(sici)1097-4636(199606)31:2<213::aid-jbm9>3.0.co;2-k",
         "https://doi.org/10.1002/(sici)1097-4636(199606)31:2%3C213::aid-jbm9%3E3.0.co;2-k"),
        # '#' would start a fragment; non-ASCII is encoded as UTF-8
        ("10.1000/a#b", "doi", "doi:10.1000/a#b", "https://doi.org/10.1000/a%23b"),
        ("https://doi.org/10.1000/ABC", "doi", "doi:10.1000/abc", "https://doi.org/10.1000/abc"),
        ("WP5283_r1", "wikipathways", "wikipathways:WP5283", "http://identifiers.org/wikipathways/WP5283"),
        ("A611F144-DED7-11EA-99DA-0AC135E8BACF", "ndex", "ndex:a611f144-ded7-11ea-99da-0ac135e8bacf",
         "https://www.ndexbio.org/viewer/networks/a611f144-ded7-11ea-99da-0ac135e8bacf"),
        ("10.1000/Café", "doi", "doi:10.1000/café", "https://doi.org/10.1000/caf%C3%A9"),
    ],
)
def test_pfocr_spellings(raw: str, prefix: str, curie: str, iri: str) -> None:
    assert normalize(raw, prefix) == curie
    assert expand(curie) == iri


@pytest.mark.parametrize(
    ("raw", "prefix", "message"),
    [
        # a CURIE of another prefix
        ("chebi:4167", "MESH", "'chebi:4167' is not a MeSH id"),
        ("mesh:D005227", "CHEBI", "'mesh:D005227' is not a ChEBI id"),
        ("doid:0060239", "MESH", "'doid:0060239' is not a MeSH id"),
        ("foo:1", "NCBIGene", "'foo:1' is not an NCBI Gene id"),
        ("ncbigene:5883", "NCBITaxon", "'ncbigene:5883' is not an NCBI Taxonomy id"),
        # malformed local ids
        ("LOC4040", "NCBIGene", "'LOC4040' is not an NCBI Gene id (digits)"),
        ("0", "NCBIGene", "'0' is not an NCBI Gene id"),
        ("mesh:d005227", "MESH", "is not a MeSH id (D or C and digits, e.g. D005227)"),
        ("mesh:X123", "MESH", "'mesh:X123' is not a MeSH id"),
        ("chebi:CHEBI", "CHEBI", "'chebi:CHEBI' is not a ChEBI id (digits)"),
        ("doid:SLE", "DOID", "'doid:SLE' is not a DOID id (digits)"),
        ("human", "NCBITaxon", "'human' is not an NCBI Taxonomy id"),
        ("12345", "PMC", "'12345' is not a PMCID (PMC and digits)"),
        ("3390/ijms24054893", "doi", "is not a DOI (10.NNNN/suffix)"),
        ("WP5283-r1", "wikipathways", "'WP5283-r1' is not a WikiPathways id (WP and digits)"),
        ("not-a-uuid", "ndex", "'not-a-uuid' is not an NDEx network UUID"),
        ("", "MESH", "is not a MeSH id"),
    ],
)
def test_identifier_errors_say_what_was_expected(raw: str, prefix: str, message: str) -> None:
    with pytest.raises(IdentifierError, match=message.replace("(", r"\(").replace(")", r"\)")):
        normalize(raw, prefix)


def test_identifier_error_is_a_value_error() -> None:
    assert issubclass(IdentifierError, ValueError)


def test_converter_is_built_once() -> None:
    assert converter() is converter()


@pytest.mark.parametrize(
    ("raw", "encoded"),
    [
        ("PMC1__fig 1", "PMC1__fig%201"),
        ("a/b", "a%2Fb"),
        ("α-KG", "%CE%B1-KG"),
        ("J Test:1(2);x,y@z", "J%20Test:1(2);x,y@z"),
    ],
)
def test_encode_segment(raw: str, encoded: str) -> None:
    assert encode_segment(raw) == encoded


@pytest.mark.parametrize(
    ("raw", "encoded"),
    [
        ("https://pfocr.wikipathways.org/figures/PMC1__F1.html", "https://pfocr.wikipathways.org/figures/PMC1__F1.html"),
        ("https://pfocr.wikipathways.org/figures/PMC1__fig 1.html",
         "https://pfocr.wikipathways.org/figures/PMC1__fig%201.html"),
        ("https://pfocr.wikipathways.org/figures/PMC1__Fig<1>.html",
         "https://pfocr.wikipathways.org/figures/PMC1__Fig%3C1%3E.html"),
        ("https://pfocr.wikipathways.org/figures/PMC1__α.html",
         "https://pfocr.wikipathways.org/figures/PMC1__%CE%B1.html"),
    ],
)
def test_encode_iri(raw: str, encoded: str) -> None:
    assert encode_iri(raw) == encoded
