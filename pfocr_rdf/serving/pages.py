"""The endpoint's pages for people: a node's description as HTML, and the home page that runs the example queries.

A node's page lists what the store says about it (its own triples, then the nodes that point to it),
with every IRI made a link that stays on this server where it can: an IRI under one of the stood-in
bases (``--base``, the vocabulary) becomes a path here, any other IRI the store describes becomes
``describe?iri=…``, and the rest link out. This module renders text; it neither runs queries nor speaks HTTP.
"""

from __future__ import annotations

import html
import json
import urllib.parse
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from pyoxigraph import BlankNode, Literal, NamedNode, Store, Triple

from ..namespaces import PREFIXES
from ..querying import QueryFile

__all__ = ["LinkMaker", "NodeDescription", "describe_node", "home_page", "node_page", "not_found_page"]

_LABELS: Final = (
    "http://schema.org/name",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://purl.org/dc/terms/title",
    "http://schema.org/headline",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://purl.org/dc/terms/identifier",
)
_RDF_TYPE: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@dataclass(frozen=True)
class NodeDescription:
    """What the store says about one node: its triples, and (up to a cap) the triples that point to it."""

    node: NamedNode
    outgoing: tuple[Triple, ...]
    incoming: tuple[Triple, ...]
    incoming_capped: bool

    @property
    def empty(self) -> bool:
        """Whether the store knows nothing of the node."""
        return not self.outgoing and not self.incoming

    def triples(self) -> list[Triple]:
        """Return every triple of the description, outgoing first."""
        return [*self.outgoing, *self.incoming]


def describe_node(store: Store, iri: str, *, max_incoming: int = 500) -> NodeDescription:
    """Return the triples about ``iri`` in ``store`` (every graph), sorted, with at most ``max_incoming`` in-links."""
    node = NamedNode(iri)
    outgoing = {q.triple for q in store.quads_for_pattern(node, None, None)}
    incoming: set[Triple] = set()
    capped = False
    for quad in store.quads_for_pattern(None, None, node):
        if len(incoming) >= max_incoming and quad.triple not in incoming:
            capped = True
            break
        incoming.add(quad.triple)
    return NodeDescription(node=node, outgoing=tuple(sorted(outgoing, key=_triple_key)),
                           incoming=tuple(sorted(incoming, key=_triple_key)), incoming_capped=capped)


def _triple_key(triple: Triple) -> tuple[str, str, str]:
    return (str(triple.subject), str(triple.predicate), str(triple.object))


class LinkMaker:
    """Turns IRIs into links on this server: stood-in bases become local paths, described nodes ``describe?iri=``."""

    def __init__(self, root: str, stand_ins: Sequence[tuple[str, str]], described: Callable[[str], bool]) -> None:
        self.root = root  # this server's address, ending in "/"
        self.stand_ins = sorted(stand_ins, key=lambda pair: -len(pair[0]))  # (IRI prefix, local path)
        self.described = described

    def href(self, iri: str) -> str:
        """Return where a link to ``iri`` should lead."""
        for prefix, path in self.stand_ins:
            if iri.startswith(prefix):
                return self.root + path + iri[len(prefix):]
        # Only http(s) IRIs link out: an IRI in the data such as javascript:… must never become a live link.
        if self.described(iri) or not iri.lower().startswith(("http://", "https://")):
            return self.root + "describe?" + urllib.parse.urlencode({"iri": iri})
        return iri


def compact(iri: str) -> str:
    """Return ``iri`` as a CURIE in pfocr-rdf's prefixes where one fits, else the IRI itself."""
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
        if iri.startswith(namespace) and len(iri) > len(namespace):
            local = iri[len(namespace):]
            if all(c.isalnum() or c in "_-." for c in local):
                return f"{prefix}:{local}"
    return iri


def _term_html(term: object, links: LinkMaker) -> str:
    if isinstance(term, NamedNode):
        return f'<a href="{html.escape(links.href(term.value))}">{html.escape(compact(term.value))}</a>'
    if isinstance(term, Literal):
        text = html.escape(term.value)
        if term.language:
            return f'{text} <span class="meta">@{html.escape(term.language)}</span>'
        datatype = term.datatype.value
        if datatype != "http://www.w3.org/2001/XMLSchema#string":
            return f'{text} <span class="meta">{html.escape(compact(datatype))}</span>'
        return text
    if isinstance(term, BlankNode):
        return html.escape(f"_:{term.value}")
    return html.escape(str(term))


def _label(description: NodeDescription) -> str:
    for predicate in _LABELS:
        for triple in description.outgoing:
            if triple.predicate.value == predicate and isinstance(triple.object, Literal):
                return triple.object.value
    return compact(description.node.value)


_STYLE: Final = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 70em; padding: 0 1em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 1.5em; }
table { border-collapse: collapse; width: 100%; } td, th { text-align: left; vertical-align: top;
  padding: .25em .5em; border-bottom: 1px solid #ddd; } th { background: #f4f4f4; }
code, .iri { font-family: ui-monospace, monospace; font-size: .9em; word-break: break-all; }
.meta { color: #777; font-size: .85em; } a { color: #0645ad; } nav a { margin-right: 1em; }
textarea { width: 100%; font-family: ui-monospace, monospace; font-size: .85em; }
.error { color: #a00; white-space: pre-wrap; } label { display: block; margin: .4em 0; }
"""


def _document(title: str, body: str, *, root: str) -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{html.escape(title)}</title>\n<meta name=\"viewport\" content=\"width=device-width\">\n"
        f"<style>{_STYLE}</style>\n</head>\n<body>\n"
        f'<nav><a href="{html.escape(root)}">Example queries</a><a href="{html.escape(root)}vocab">Vocabulary</a>'
        f'<a href="{html.escape(root)}.well-known/void">Dataset description</a>'
        f'<a href="{html.escape(root)}.well-known/sparql-examples">SPARQL examples (Turtle)</a></nav>\n'
        f"{body}\n</body>\n</html>\n"
    )


def node_page(description: NodeDescription, links: LinkMaker, *, formats: Iterable[tuple[str, str]]) -> str:
    """Return the HTML page of a node: its types, its properties, and what points to it."""
    iri = description.node.value
    types = [t.object for t in description.outgoing if t.predicate.value == _RDF_TYPE]
    rows = []
    for triple in description.outgoing:
        if triple.predicate.value == _RDF_TYPE:
            continue
        predicate, value = _term_html(triple.predicate, links), _term_html(triple.object, links)
        rows.append(f"<tr><td>{predicate}</td><td>{value}</td></tr>")
    incoming = [
        f"<tr><td>{_term_html(t.subject, links)}</td><td>{_term_html(t.predicate, links)}</td></tr>"
        for t in description.incoming
    ]
    alternates = " · ".join(f'<a href="{html.escape(href)}">{html.escape(name)}</a>' for name, href in formats)
    parts = [
        f"<h1>{html.escape(_label(description))}</h1>",
        f'<p class="iri">{html.escape(iri)}</p>',
        f'<p class="meta">a {", ".join(_term_html(t, links) for t in types) or "node"} · also as {alternates}</p>',
        '<h2>Properties</h2><table id="properties"><tr><th>property</th><th>value</th></tr>',
        *rows,
        "</table>",
    ]
    if incoming:
        more = " (the first ones only)" if description.incoming_capped else ""
        parts += [f"<h2>Referenced by{more}</h2>",
                  '<table id="incoming"><tr><th>node</th><th>property</th></tr>', *incoming, "</table>"]
    return _document(_label(description), "\n".join(parts), root=links.root)


def not_found_page(iri: str, *, root: str) -> str:
    """Return the HTML page for an IRI the store knows nothing about."""
    body = (f"<h1>Not found</h1><p>This store holds nothing about <span class=\"iri\">{html.escape(iri)}</span>.</p>"
            f'<p><a href="{html.escape(root)}">Back to the example queries</a></p>')
    return _document("Not found", body, root=root)


def home_page(queries: Sequence[QueryFile], *, root: str, stand_ins: Sequence[tuple[str, str]],
              title: str = "PFOCR as linked data") -> str:
    """Return the home page: the example queries with their descriptions and parameters, runnable here."""
    catalogue = [
        {
            "name": q.name,
            "title": q.title,
            "description": q.description,
            "category": q.category or "",
            "text": q.text,
            "params": [{"name": p.name, "type": p.type, "default": p.default or "", "label": p.label,
                        "choices": list(p.choices)} for p in q.params],
        }
        for q in queries
    ]
    data = json.dumps({"queries": catalogue, "prefixes": PREFIXES, "standIns": [list(s) for s in stand_ins]},
                      ensure_ascii=False).replace("<", "\\u003c")
    listing = "\n".join(
        f'<li><a href="#" data-query="{html.escape(q.name)}" class="pick">{html.escape(q.title)}</a>'
        f' <span class="meta">{html.escape(q.category or "")}</span><br>{html.escape(q.description)}'
        + (f'<br><span class="meta">parameters: {html.escape(_parameters(q))}</span>' if q.params else "")
        + "</li>"
        for q in queries
    )
    options = "\n".join(f'<option value="{html.escape(q.name)}">{html.escape(q.title)}</option>' for q in queries)
    body = f"""<h1>{html.escape(title)}</h1>
<p>A read-only SPARQL 1.1 endpoint at <a href="{html.escape(root)}sparql" class="iri">{html.escape(root)}sparql</a>
over the PFOCR store. Pick an example query, set its parameters, and run it; every IRI in the answer is a link.</p>
<section id="runner">
<label>Query <select id="query-select"><option value="">(your own query)</option>
{options}
</select></label>
<p id="query-description"></p>
<div id="params"></div>
<label>SPARQL <textarea id="query-text" rows="14" spellcheck="false"></textarea></label>
<button id="run" type="button">Run</button> <span id="status" class="meta"></span>
<p id="error" class="error"></p>
<div id="results" data-state="idle"></div>
</section>
<h2>The example queries</h2>
<ul id="query-list">
{listing}
</ul>
<script type="application/json" id="catalogue">{data}</script>
<script>{_SCRIPT}</script>"""
    return _document(title, body, root=root)


def _parameters(query: QueryFile) -> str:
    return ", ".join(f"{p.name} ({p.type}, default {p.default or 'none'})" for p in query.params)


_SCRIPT: Final = r"""
"use strict";
const catalogue = JSON.parse(document.getElementById("catalogue").textContent);
const byName = Object.fromEntries(catalogue.queries.map(q => [q.name, q]));
const select = document.getElementById("query-select");
const text = document.getElementById("query-text");
const params = document.getElementById("params");
const results = document.getElementById("results");
const statusLine = document.getElementById("status");
const errorLine = document.getElementById("error");
let edited = false;
const prefixes = Object.entries(catalogue.prefixes).sort((a, b) => b[1].length - a[1].length);
const standIns = catalogue.standIns.slice().sort((a, b) => b[0].length - a[0].length);

function compact(iri) {
  for (const [prefix, ns] of prefixes) {
    const local = iri.slice(ns.length);
    if (iri.startsWith(ns) && /^[A-Za-z0-9_.-]+$/.test(local)) return prefix + ":" + local;
  }
  return iri;
}
function href(iri) {
  for (const [base, path] of standIns) {
    if (iri.startsWith(base)) return new URL(path + iri.slice(base.length), document.baseURI).href;
  }
  return new URL("describe?iri=" + encodeURIComponent(iri), document.baseURI).href;
}
function choose(name) {
  select.value = name;
  const query = byName[name];
  params.replaceChildren();
  edited = false;
  document.getElementById("query-description").textContent = query ? query.description : "";
  text.value = query ? query.text : "";
  if (!query) return;
  for (const p of query.params) {
    const label = document.createElement("label");
    label.textContent = p.label + " (" + p.name + ", " + p.type + ") ";
    let input;
    if (p.choices.length) {
      input = document.createElement("select");
      for (const c of p.choices) {
        const o = document.createElement("option");
        o.value = o.textContent = c;
        input.append(o);
      }
    } else {
      input = document.createElement("input");
      input.size = 50;
    }
    input.name = p.name;
    input.value = p.default;
    input.className = "param";
    label.append(input);
    params.append(label);
  }
}
function cell(term) {
  const td = document.createElement("td");
  if (!term) return td;
  if (term.type === "uri") {
    const a = document.createElement("a");
    a.href = href(term.value);
    a.textContent = compact(term.value);
    td.append(a);
  } else {
    td.textContent = term.value;
  }
  return td;
}
function show(answer) {
  const table = document.createElement("table");
  table.id = "result-table";
  if ("boolean" in answer) {
    const row = table.insertRow(); row.insertCell().textContent = String(answer.boolean);
    results.replaceChildren(table);
    return 1;
  }
  const head = table.createTHead().insertRow();
  for (const v of answer.head.vars) { const th = document.createElement("th"); th.textContent = v; head.append(th); }
  const body = table.createTBody();
  for (const b of answer.results.bindings) {
    const row = body.insertRow();
    row.className = "result-row";
    for (const v of answer.head.vars) row.append(cell(b[v]));
  }
  results.replaceChildren(table);
  return answer.results.bindings.length;
}
async function run() {
  errorLine.textContent = "";
  results.dataset.state = "running";
  statusLine.textContent = "running…";
  const started = performance.now();
  try {
    let query = text.value;
    const chosen = byName[select.value];
    if (chosen && !edited) {
      const values = new URLSearchParams();
      for (const input of params.querySelectorAll(".param")) values.append(input.name, input.value);
      const bound = await fetch("queries/" + encodeURIComponent(chosen.name) + ".rq?" + values);
      if (!bound.ok) throw new Error(await bound.text());
      query = await bound.text();
    }
    const response = await fetch("sparql", {
      method: "POST",
      headers: {"Accept": "application/sparql-results+json", "Content-Type": "application/x-www-form-urlencoded"},
      body: new URLSearchParams({query: query}),
    });
    if (!response.ok) throw new Error(await response.text());
    const count = show(await response.json());
    const ms = Math.round(performance.now() - started);
    statusLine.textContent = count + (count === 1 ? " row" : " rows") + " in " + ms + " ms";
    results.dataset.state = "done";
  } catch (error) {
    results.replaceChildren();
    statusLine.textContent = "";
    errorLine.textContent = String(error.message || error);
    results.dataset.state = "error";
  }
}
select.addEventListener("change", () => choose(select.value));
text.addEventListener("input", () => { edited = true; });
document.getElementById("run").addEventListener("click", run);
for (const a of document.querySelectorAll("a.pick")) {
  a.addEventListener("click", event => { event.preventDefault(); choose(a.dataset.query); window.scrollTo(0, 0); });
}
const wanted = new URLSearchParams(location.search).get("query");
choose(wanted && byName[wanted] ? wanted : (catalogue.queries[0] || {}).name || "");
"""
