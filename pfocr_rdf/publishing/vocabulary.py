"""The ``pfocr:`` vocabulary as one HTML page, generated from ``pfocr_rdf/vocab/pfocr.ttl``.

One section per term, anchored by the term's local name, so that a term's IRI
(``https://pfocr.wikipathways.org/vocab#mentionsGene``) opens the page at its own entry when the page is
served at the vocabulary's IRI. Terms are grouped by kind (classes, object properties, datatype
properties, other properties, concept schemes, concepts, then anything else the file defines) and sorted by
name; each shows its label, comment, and the links the file gives (domain, range, super-classes and
super-properties, close and exact matches, the scheme of a concept). Written from our own template rather
than pyLODE: the page is small, the same bytes for the same vocabulary, and needs no further dependency.
"""

from __future__ import annotations

import functools
import html
from importlib import resources
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from ..namespaces import PFOCR, PREFIXES, SCHEMA

__all__ = ["VOCABULARY_IRI", "vocabulary_graph", "vocabulary_html", "vocabulary_turtle", "write_vocabulary_html"]

#: The ontology's own IRI (the namespace without its ``#``), where the page is served.
VOCABULARY_IRI = str(PFOCR._NS).rstrip("#")

_KINDS = (
    (OWL.Class, "Classes"),
    (OWL.ObjectProperty, "Object properties"),
    (OWL.DatatypeProperty, "Datatype properties"),
    (RDF.Property, "Other properties"),
    (OWL.AnnotationProperty, "Annotation properties"),
    (SKOS.ConceptScheme, "Concept schemes"),
    (SKOS.Concept, "Concepts"),
)
_LINKS = (
    (RDFS.subClassOf, "subclass of"),
    (RDFS.subPropertyOf, "subproperty of"),
    (RDFS.domain, "domain"),
    (SCHEMA.domainIncludes, "domain includes"),
    (RDFS.range, "range"),
    (SCHEMA.rangeIncludes, "range includes"),
    (SKOS.inScheme, "in scheme"),
    (SKOS.exactMatch, "exact match"),
    (SKOS.closeMatch, "close match"),
    (SKOS.broadMatch, "broad match"),
    (OWL.equivalentProperty, "equivalent property"),
    (OWL.equivalentClass, "equivalent class"),
)


def vocabulary_turtle() -> str:
    """Return the shipped vocabulary file's text."""
    return resources.files("pfocr_rdf.vocab").joinpath("pfocr.ttl").read_text(encoding="utf-8")


@functools.cache
def vocabulary_graph() -> Graph:
    """Return the shipped vocabulary as an rdflib graph (parsed once)."""
    return Graph().parse(data=vocabulary_turtle(), format="turtle")


def _text(graph: Graph, node: URIRef, predicate: URIRef) -> str:
    values = sorted(graph.objects(node, predicate), key=lambda v: (getattr(v, "language", None) != "en", str(v)))
    return str(values[0]) if values else ""


def _compact(iri: str) -> str:
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def _link(node: object) -> str:
    if isinstance(node, URIRef):
        iri = str(node)
        target = "#" + iri[len(str(PFOCR._NS)):] if iri.startswith(str(PFOCR._NS)) else iri
        return f'<a href="{html.escape(target)}">{html.escape(_compact(iri))}</a>'
    if isinstance(node, Literal):
        return html.escape(str(node))
    return html.escape(str(node))


def vocabulary_html(graph: Graph | None = None) -> str:
    """Return the HTML page of the vocabulary (default: the shipped one)."""
    graph = graph if graph is not None else vocabulary_graph()
    namespace = str(PFOCR._NS)
    ontology = URIRef(VOCABULARY_IRI)
    terms = sorted({s for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(namespace)}, key=str)
    title = _text(graph, ontology, DCTERMS.title) or "The PFOCR vocabulary"
    sections: list[str] = []
    listed: set[URIRef] = set()
    groups: list[tuple[str, list[URIRef]]] = []
    for kind, heading in _KINDS:
        members = [t for t in terms if (t, RDF.type, kind) in graph and t not in listed]
        listed.update(members)
        groups.append((heading, members))
    groups.append(("Other terms", [t for t in terms if t not in listed]))
    contents = []
    for heading, members in groups:
        if not members:
            continue
        anchor = heading.lower().replace(" ", "-")
        contents.append(f'<li><a href="#{anchor}">{html.escape(heading)}</a>: '
                        + ", ".join(f'<a href="#{html.escape(str(t)[len(namespace):])}">'
                                    f'{html.escape(str(t)[len(namespace):])}</a>' for t in members) + "</li>")
        sections.append(f'<h2 id="{anchor}">{html.escape(heading)}</h2>')
        for term in members:
            sections.append(_entry(graph, term, namespace))
    version = _text(graph, ontology, OWL.versionInfo)
    description = _text(graph, ontology, DCTERMS.description)
    license_iri = next(iter(sorted(graph.objects(ontology, DCTERMS.license), key=str)), None)
    meta = [f"<dt>IRI</dt><dd><code>{html.escape(VOCABULARY_IRI)}</code> (terms: <code>{html.escape(namespace)}"
            "</code><i>name</i>)</dd>",
            '<dt>Preferred prefix</dt><dd><code>pfocr:</code></dd>']
    if version:
        meta.append(f"<dt>Version</dt><dd>{html.escape(version)}</dd>")
    if license_iri is not None:
        meta.append(f"<dt>Licence</dt><dd>{_link(license_iri)}</dd>")
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{html.escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"<h1>{html.escape(title)}</h1>\n<p>{html.escape(description)}</p>\n<dl class=\"meta\">{''.join(meta)}</dl>\n"
        f"<h2>Contents</h2>\n<ul>{''.join(contents)}</ul>\n" + "\n".join(sections) + "\n</body>\n</html>\n"
    )


def _entry(graph: Graph, term: URIRef, namespace: str) -> str:
    name = str(term)[len(namespace):]
    label = _text(graph, term, RDFS.label) or _text(graph, term, SKOS.prefLabel) or name
    comment = _text(graph, term, RDFS.comment) or _text(graph, term, SKOS.definition)
    rows = [f"<tr><th>IRI</th><td><code>{html.escape(str(term))}</code></td></tr>"]
    types = sorted(graph.objects(term, RDF.type), key=str)
    if types:
        rows.append(f"<tr><th>type</th><td>{', '.join(_link(t) for t in types)}</td></tr>")
    for predicate, caption in _LINKS:
        values = sorted(graph.objects(term, predicate), key=str)
        if values:
            rows.append(f"<tr><th>{html.escape(caption)}</th><td>{', '.join(_link(v) for v in values)}</td></tr>")
    used_by = sorted({s for s in graph.subjects(RDFS.domain, term)} | {s for s in graph.subjects(RDFS.range, term)},
                     key=str)
    if used_by:
        rows.append(f"<tr><th>used by</th><td>{', '.join(_link(s) for s in used_by)}</td></tr>")
    return (f'<section class="term" id="{html.escape(name)}">\n<h3>{html.escape(label)} '
            f'<code>pfocr:{html.escape(name)}</code></h3>\n<p>{html.escape(comment)}</p>\n'
            f"<table>{''.join(rows)}</table>\n</section>")


def write_vocabulary_html(path: str | Path) -> Path:
    """Write the vocabulary page to ``path``; return it."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(vocabulary_html(), encoding="utf-8")
    return out


_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 60em; padding: 0 1em; color: #222; }
h1 { font-size: 1.6em; } h2 { margin-top: 2em; border-bottom: 1px solid #ccc; } h3 { font-size: 1.1em; }
.term { margin: 1.5em 0; } .term:target { background: #fff8d0; }
table { border-collapse: collapse; } th, td { text-align: left; vertical-align: top; padding: .2em .6em; }
th { color: #555; font-weight: normal; white-space: nowrap; } code { font-size: .9em; }
dl.meta dt { font-weight: bold; } dl.meta dd { margin: 0 0 .5em 1em; }
"""
