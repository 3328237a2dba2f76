"""A dataset description computed from a store: VoID statistics at the three HCLS description levels.

The W3C HCLS *Dataset Descriptions* note describes a dataset at three levels: the **summary** (what it
is, whatever the release), the **version** (one release: its version, when it was issued, its licence)
and the **distribution** (one form of it: a store behind an endpoint, a dump; its VoID statistics).
This module counts, with SPARQL on the store, what the distribution level reports: triples, distinct
subjects and objects, a ``void:classPartition`` per class (entities) and a ``void:propertyPartition`` per
property (triples, distinct subjects, distinct objects), and a ``void:Linkset`` per (external namespace,
linking property) for the namespaces PFOCR points into (NCBI Gene, MeSH, ChEBI, DOID, NCBI Taxonomy,
PMC, DOI, WikiPathways, NDEx).

The description is its own document: its nodes are hash IRIs of ``{base}.well-known/void`` (where the
server publishes it), so it never collides with the release node the export writes into the data.
Everything is counted over the union of the store's graphs, so N-Quads and Turtle loads count alike.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

from pyoxigraph import Literal, NamedNode, QuerySolutions, RdfFormat, Store, parse, serialize

from .. import __version__
from ..errors import InputError
from ..namespaces import (
    CHEBI,
    DCAT,
    DCTERMS,
    DCTYPES,
    DEFAULT_BASE,
    DOI,
    DOID,
    FOAF,
    MESH,
    NCBIGENE,
    NCBITAXON,
    NDEX,
    PAV,
    PMC,
    PREFIXES,
    SITE,
    VOID,
    WIKIPATHWAYS,
    XSD,
)

__all__ = ["LINK_TARGETS", "VOID_PATH", "DatasetStatistics", "LinkTarget", "dataset_statistics", "describe_store"]

#: Where, under the base, the description is published (RFC 5785 / VoID's well-known location).
VOID_PATH: Final = ".well-known/void"


@dataclass(frozen=True)
class LinkTarget:
    """An external dataset our triples point into, known by the IRI namespaces of its nodes."""

    key: str
    title: str
    namespaces: tuple[str, ...]
    homepage: str


def _both_schemes(namespace: str) -> tuple[str, ...]:
    # identifiers.org IRIs are written both ways in the wild (WikiPathways https, Biolink http); count both.
    if namespace.startswith("http://identifiers.org/"):
        return (namespace, "https://" + namespace[len("http://"):])
    if namespace.startswith("https://identifiers.org/"):
        return (namespace, "http://" + namespace[len("https://"):])
    return (namespace,)


#: The external namespaces the linksets count, from the one namespace table.
LINK_TARGETS: Final[tuple[LinkTarget, ...]] = (
    LinkTarget("ncbigene", "NCBI Gene", _both_schemes(str(NCBIGENE)), "https://www.ncbi.nlm.nih.gov/gene/"),
    LinkTarget("mesh", "Medical Subject Headings (MeSH)", (str(MESH),), "https://id.nlm.nih.gov/mesh/"),
    LinkTarget("chebi", "ChEBI", (str(CHEBI), "https://identifiers.org/chebi/CHEBI:", "http://identifiers.org/chebi/CHEBI:"),
               "https://www.ebi.ac.uk/chebi/"),
    LinkTarget("doid", "Human Disease Ontology (DOID)", (str(DOID),), "https://disease-ontology.org/"),
    LinkTarget("ncbitaxon", "NCBI Taxonomy", (str(NCBITAXON),), "https://www.ncbi.nlm.nih.gov/taxonomy"),
    LinkTarget("pmc", "PubMed Central", _both_schemes(str(PMC)), "https://pmc.ncbi.nlm.nih.gov/"),
    LinkTarget("doi", "DOI", (str(DOI),), "https://www.doi.org/"),
    LinkTarget("wikipathways", "WikiPathways", _both_schemes(str(WIKIPATHWAYS)), "https://www.wikipathways.org/"),
    LinkTarget("ndex", "NDEx", (str(NDEX),), "https://www.ndexbio.org/"),
)


@dataclass(frozen=True)
class DatasetStatistics:
    """What VoID says of a store: totals, per class, per property, and links per (target, property)."""

    triples: int
    distinct_subjects: int
    distinct_objects: int
    entities: int
    classes: dict[str, int] = field(default_factory=dict)  # class IRI -> distinct instances
    properties: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # -> (triples, subjects, objects)
    links: dict[tuple[str, str], int] = field(default_factory=dict)  # (target key, property IRI) -> triples
    generated: str | None = None  # the release's prov:generatedAtTime, when the store holds one
    examples: tuple[str, ...] = ()  # a few figures, for void:exampleResource


def _select(store: Store, text: str) -> list[tuple[object, ...]]:
    try:
        answer = store.query(text, use_default_graph_as_union=True)
    except (OSError, RuntimeError) as error:
        raise InputError(f"cannot count in the store: {error}") from error
    if not isinstance(answer, QuerySolutions):
        raise InputError(f"expected rows from a SELECT, got {type(answer).__name__}")
    return [tuple(solution) for solution in answer]


def _int(term: object) -> int:
    return int(term.value) if isinstance(term, Literal) else 0


def dataset_statistics(store: Store) -> DatasetStatistics:
    """Count in ``store`` (the union of its graphs) what the VoID description reports; raise InputError."""
    (totals,) = _select(store, """
        SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?o) AS ?objects)
        WHERE { ?s ?p ?o }""")
    (entities,) = _select(store, """
        SELECT (COUNT(DISTINCT ?s) AS ?entities) WHERE { ?s a ?class FILTER(isIRI(?s)) }""")
    classes = {str(c.value): _int(n) for c, n in _select(store, """
        SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class""")
        if isinstance(c, NamedNode)}
    properties = {str(p.value): (_int(n), _int(s), _int(o)) for p, n, s, o in _select(store, """
        SELECT ?p (COUNT(*) AS ?n) (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?o) AS ?objects)
        WHERE { ?s ?p ?o } GROUP BY ?p""") if isinstance(p, NamedNode)}
    # Links: count per (linking property, IRI object), then sort the objects into namespaces here. Matching
    # namespaces in SPARQL (a VALUES join or nested IFs of STRSTARTS on every triple) was 5-7x slower.
    links: dict[tuple[str, str], int] = {}
    for predicate, obj, count in _select(store, """
        SELECT ?p ?o (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(isIRI(?o)) } GROUP BY ?p ?o"""):
        if not isinstance(predicate, NamedNode) or not isinstance(obj, NamedNode):
            continue
        target = next((t for t in LINK_TARGETS if obj.value.startswith(t.namespaces)), None)
        if target is not None:
            key = (target.key, predicate.value)
            links[key] = links.get(key, 0) + _int(count)
    generated = _select(store, """
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX void: <http://rdfs.org/ns/void#>
        SELECT (MAX(?when) AS ?latest) WHERE { ?d a void:Dataset ; prov:generatedAtTime ?when }""")
    latest = generated[0][0] if generated and isinstance(generated[0][0], Literal) else None
    return DatasetStatistics(
        triples=_int(totals[0]), distinct_subjects=_int(totals[1]), distinct_objects=_int(totals[2]),
        entities=_int(entities[0]), classes=classes, properties=properties, links=links,
        generated=latest.value if latest is not None else None,
        examples=tuple(row[0].value for row in _select(store, """
            SELECT ?figure WHERE { ?figure a <http://schema.org/ImageObject> } ORDER BY ?figure LIMIT 3""")
            if isinstance(row[0], NamedNode)),
    )


# --- writing the description ---------------------------------------------------------------------------

_LOCAL: Final = re.compile(r"[A-Za-z0-9_\-.]+")


def _slug(iri: str) -> str:
    """Return a stable fragment-safe name for ``iri``: its CURIE where one fits, else a hash."""
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
        if iri.startswith(namespace) and _LOCAL.fullmatch(iri[len(namespace):]):
            return f"{prefix}-{iri[len(namespace):]}"
    return "iri-" + hashlib.sha1(iri.encode("utf-8")).hexdigest()[:12]


def _iri(iri: str) -> str:
    return f"<{iri}>"


def _str(text: str, language: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"@{language}' if language else f'"{escaped}"'


def _integer(value: int) -> str:
    return f'"{value}"^^{_iri(str(XSD.integer))}'


def describe_store(
    store: Store,
    *,
    base: str = DEFAULT_BASE,
    version: str | None = None,
    sparql_endpoint: str | None = None,
    data_dumps: Sequence[str] = (),
    statistics: DatasetStatistics | None = None,
) -> str:
    """Return the HCLS/VoID description of ``store`` as Turtle (sorted, so stable); raise InputError.

    ``version`` defaults to the day the release in the store was generated (else pfocr-rdf's version);
    ``sparql_endpoint`` defaults to ``{base}sparql``; ``data_dumps`` are download URLs of the files.
    """
    stats = statistics or dataset_statistics(store)
    doc = f"{base}{VOID_PATH}"
    summary, release, distribution = f"{doc}#pfocr", f"{doc}#release", f"{doc}#distribution"
    version = version or (stats.generated[:10] if stats.generated else __version__)
    cc0 = "http://creativecommons.org/publicdomain/zero/1.0/"
    title = "PFOCR: Pathway Figure OCR as linked data"
    description = ("Pathway figures from PubMed Central papers, with the genes, chemicals and diseases that "
                   "Pathway Figure OCR found in them, as RDF (schema.org and the pfocr: vocabulary).")
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    t: list[tuple[str, str, str]] = []

    def add(subject: str, predicate: str, obj: str) -> None:
        t.append((_iri(subject), _iri(predicate), obj))

    # summary level: the dataset whatever the release
    add(summary, rdf_type, _iri(str(DCTYPES.Dataset)))
    add(summary, str(DCTERMS.title), _str(title, "en"))
    add(summary, str(DCTERMS.description), _str(description, "en"))
    add(summary, str(DCTERMS.publisher), _iri(SITE))
    add(summary, str(FOAF.page), _iri(SITE))
    add(summary, str(PAV.hasCurrentVersion), _iri(release))
    # version level: this release
    add(release, rdf_type, _iri(str(DCTYPES.Dataset)))
    add(release, str(DCTERMS.title), _str(f"{title}, release {version}", "en"))
    add(release, str(DCTERMS.description), _str(description, "en"))
    add(release, str(DCTERMS.isVersionOf), _iri(summary))
    add(release, str(PAV.version), _str(version))
    add(release, str(DCTERMS.license), _iri(cc0))
    add(release, str(DCTERMS.publisher), _iri(SITE))
    add(release, str(DCTERMS.creator), _iri(SITE))
    add(release, str(PAV.createdWith), _iri(f"{base}software/pfocr-rdf"))
    add(release, str(DCAT.distribution), _iri(distribution))
    if stats.generated:
        add(release, str(DCTERMS.issued), f'{_str(stats.generated)}^^{_iri(str(XSD.dateTime))}')
    # distribution level: this store, its endpoint, its statistics
    for kind in (VOID.Dataset, DCAT.Distribution):
        add(distribution, rdf_type, _iri(str(kind)))
    add(distribution, str(DCTERMS.title), _str(f"{title}, release {version}, SPARQL endpoint", "en"))
    add(distribution, str(DCTERMS.license), _iri(cc0))
    add(distribution, str(DCTERMS.publisher), _iri(SITE))
    add(distribution, str(VOID.sparqlEndpoint), _iri(sparql_endpoint or f"{base}sparql"))
    add(distribution, str(VOID.uriSpace), _str(base))
    for example in stats.examples:
        add(distribution, str(VOID.exampleResource), _iri(example))
    for dump in data_dumps:
        add(distribution, str(VOID.dataDump), _iri(dump))
        add(distribution, str(DCAT.downloadURL), _iri(dump))
    for vocabulary in ("http://schema.org/", PREFIXES["pfocr"], PREFIXES["oa"]):
        add(distribution, str(VOID.vocabulary), _iri(vocabulary))
    add(distribution, str(VOID.triples), _integer(stats.triples))
    add(distribution, str(VOID.entities), _integer(stats.entities))
    add(distribution, str(VOID.distinctSubjects), _integer(stats.distinct_subjects))
    add(distribution, str(VOID.distinctObjects), _integer(stats.distinct_objects))
    add(distribution, str(VOID.classes), _integer(len(stats.classes)))
    add(distribution, str(VOID.properties), _integer(len(stats.properties)))
    for cls, count in stats.classes.items():
        node = f"{doc}#class-{_slug(cls)}"
        add(distribution, str(VOID.classPartition), _iri(node))
        add(node, str(VOID["class"]), _iri(cls))
        add(node, str(VOID.entities), _integer(count))
    for prop, (count, subjects, objects) in stats.properties.items():
        node = f"{doc}#property-{_slug(prop)}"
        add(distribution, str(VOID.propertyPartition), _iri(node))
        add(node, str(VOID.property), _iri(prop))
        add(node, str(VOID.triples), _integer(count))
        add(node, str(VOID.distinctSubjects), _integer(subjects))
        add(node, str(VOID.distinctObjects), _integer(objects))
    targets = {target.key: target for target in LINK_TARGETS}
    for (key, prop), count in stats.links.items():
        target = targets[key]
        node = f"{doc}#linkset-{key}-{_slug(prop)}"
        target_node = f"{doc}#target-{key}"
        add(distribution, str(VOID.subset), _iri(node))
        add(node, rdf_type, _iri(str(VOID.Linkset)))
        add(node, str(VOID.subjectsTarget), _iri(distribution))
        add(node, str(VOID.objectsTarget), _iri(target_node))
        add(node, str(VOID.linkPredicate), _iri(prop))
        add(node, str(VOID.triples), _integer(count))
    for key in sorted({key for key, _ in stats.links}):
        target = targets[key]
        target_node = f"{doc}#target-{key}"
        add(target_node, rdf_type, _iri(str(VOID.Dataset)))
        add(target_node, str(DCTERMS.title), _str(target.title, "en"))
        add(target_node, str(FOAF.homepage), _iri(target.homepage))
        for namespace in target.namespaces:
            add(target_node, str(VOID.uriSpace), _str(namespace))
    # Written as sorted N-Triples lines (stable), then re-serialized as Turtle with prefixes for readers.
    lines = "".join(f"{s} {p} {o} .\n" for s, p, o in sorted(set(t)))
    prefixes = {name: PREFIXES[name] for name in ("rdf", "xsd", "dcterms", "dcat", "void", "pfocr")}
    prefixes |= {"pav": str(PAV), "dctypes": str(DCTYPES), "foaf": str(FOAF), "": f"{doc}#"}
    turtle = serialize(parse(lines.encode("utf-8"), RdfFormat.N_TRIPLES), format=RdfFormat.TURTLE, prefixes=prefixes)
    header = f"# VoID / HCLS dataset description computed by pfocr-rdf {__version__}\n"
    return header + (turtle or b"").decode("utf-8")

