"""The work the server hands to its worker processes: every read of the graph happens in one of these.

Each task is a small frozen dataclass (pickled to the worker) whose ``run`` takes the store and returns a
picklable value: bytes ready to send for the SPARQL endpoint and the download twins, plain data for the HTML
pages. The query check (parse, no Update, no SERVICE) runs here too, so even a query that is slow to parse is
under the time limit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from atfgraph.namespaces import ATF, RDF, RDFS, SKOS
from atfgraph.network.kinds import classes, kind_from_iri
from atfgraph.queries import SavedQuery, bind, find
from atfgraph.store import QueryForm, QueryResult, Store
from atfgraph.web.describe import (
    Description,
    describe,
    description_graph,
    labels,
    outgoing,
    safe_iri,
    vocabulary_labels,
)
from atfgraph.web.formats import Format, choose, encode
from atfgraph.web.network import drawing, ego_drawing
from atfgraph.web.safety import check_query


@dataclass(frozen=True)
class Body:
    """An answer ready to send: its bytes, media type, and whether rows were cut (``None``: not a table)."""

    content: bytes
    media_type: str
    truncated: bool | None = None


@dataclass(frozen=True)
class Table:
    """An answer for an HTML page: the (cut) result, whether it was cut, and labels of the IRIs it holds."""

    result: QueryResult
    truncated: bool
    labels: dict[str, str] = field(default_factory=dict)
    network: dict[str, Any] | None = None
    triples: tuple[tuple[Node, Node, Node], ...] = ()


def cap(result: QueryResult, max_rows: int) -> tuple[QueryResult, bool]:
    """The result cut to ``max_rows`` rows (or triples), and whether anything was cut."""
    if result.form is QueryForm.SELECT and len(result.rows) > max_rows:
        return QueryResult(result.form, result.variables, result.rows[:max_rows]), True
    if result.graph is not None and len(result.graph) > max_rows:
        kept = Graph(namespace_manager=result.graph.namespace_manager)
        for triple in sorted(result.graph, key=lambda triple: tuple(term.n3() for term in triple))[:max_rows]:
            kept.add(triple)
        return QueryResult(result.form, graph=kept), True
    return result, False


def _run_saved(store: Store, query: SavedQuery, values: dict[str, str], base: str,
               max_rows: int) -> QueryResult:
    checked = check_query(query.text, max_rows)
    bindings = bind(query, values, base, store)
    return store.query(checked.text, bindings)


@dataclass(frozen=True)
class SparqlTask:
    """A query sent to ``/sparql``, answered in the format the client asked for."""

    query: str
    accept: str | None
    format: str | None
    base: str
    max_rows: int

    def run(self, store: Store) -> Body:
        """Check, run, cut and write the answer."""
        checked = check_query(self.query, self.max_rows)
        fmt = choose(checked.form, self.accept, self.format)
        result, truncated = cap(store.query(checked.text), self.max_rows)
        graph_answer = checked.form in (QueryForm.CONSTRUCT, QueryForm.DESCRIBE)
        flag = truncated if checked.form is QueryForm.SELECT or graph_answer else None
        return Body(encode(result, fmt, self.base, truncated), fmt.media_type, flag)


@dataclass(frozen=True)
class SavedTask:
    """A saved query with its parameters, for the ``.json``/``.csv`` twins (``fmt``) of its page."""

    name: str
    values: tuple[tuple[str, str], ...]
    fmt: Format
    base: str
    max_rows: int
    folder: Path | None = None

    def run(self, store: Store) -> Body:
        """Bind, run, cut and write the answer."""
        query = find(self.name, self.folder)
        fmt = choose(check_query(query.text).form, None, self.fmt.value)  # before the work: a CSV of a graph is a 406
        result, truncated = cap(_run_saved(store, query, dict(self.values), self.base, self.max_rows), self.max_rows)
        flag = None if result.form is QueryForm.ASK else truncated
        return Body(encode(result, fmt, self.base, truncated), fmt.media_type, flag)


@dataclass(frozen=True)
class TableTask:
    """A query (text, or a saved query by name with its parameters) answered for an HTML page."""

    query: str | None
    name: str | None
    values: tuple[tuple[str, str], ...]
    base: str
    max_rows: int
    folder: Path | None = None

    def run(self, store: Store) -> Table:
        """Run the query; keep the rows a page shows, their labels and, for a graph, its drawing."""
        if self.name is not None:
            result = _run_saved(store, find(self.name, self.folder), dict(self.values), self.base, self.max_rows)
        else:
            checked = check_query(self.query or "", self.max_rows)
            result = store.query(checked.text)
        full_graph = result.graph
        result, truncated = cap(result, self.max_rows)
        triples: tuple[tuple[Node, Node, Node], ...] = ()
        if result.graph is not None:
            triples = tuple(sorted(result.graph, key=lambda triple: tuple(term.n3() for term in triple)))
        terms = [term for row in result.rows for term in row] + [term for triple in triples for term in triple]
        names = labels(store, {str(term) for term in terms if isinstance(term, URIRef)})
        network = None
        if result.graph is not None:
            network = drawing(full_graph if full_graph is not None and not truncated else result.graph, names=names)
        return Table(result, truncated, names, network, triples)


@dataclass(frozen=True)
class EntityTask:
    """An entity's page: its description and ego network; ``None`` when the graph does not know the IRI."""

    iri: str
    network: bool = True

    def run(self, store: Store) -> Description | None:
        """Describe the entity."""
        if not safe_iri(self.iri):  # checked before rdflib sees it: it warns about odd IRIs in the log
            return None
        found = describe(store, URIRef(self.iri))
        if found is None or not self.network:
            return found
        return Description(found.iri, found.triples, found.incoming, found.incoming_truncated, found.labels,
                           found.sources, found.graphs, ego_drawing(store, found))


@dataclass(frozen=True)
class EntityGraphTask:
    """An entity's description as RDF (Turtle, JSON-LD, N-Triples, RDF/XML): what its IRI dereferences to."""

    iri: str
    fmt: Format
    base: str

    def run(self, store: Store) -> Body | None:
        """The description in the format, or ``None`` when the graph does not know the IRI."""
        if not safe_iri(self.iri):
            return None
        graph = description_graph(store, URIRef(self.iri))
        if graph is None:
            return None
        result = QueryResult(QueryForm.CONSTRUCT, graph=graph)
        return Body(encode(result, self.fmt, self.base), self.fmt.media_type)


@dataclass(frozen=True)
class Hit:
    """A search result: an entity, its label, the label that matched and its kind."""

    iri: str
    label: str
    matched: str
    kind: str


_SEARCH = f"""SELECT DISTINCT ?s ?label WHERE {{
  VALUES ?p {{ <{RDFS.label}> <{SKOS.prefLabel}> <{SKOS.altLabel}> <{ATF.shortName}> }}
  ?s ?p ?label .
  FILTER(isIRI(?s) && CONTAINS(LCASE(STR(?label)), LCASE(STR(?text))))
}}"""


@dataclass(frozen=True)
class SearchTask:
    """Entities whose label, preferred or alternative label or short name contains some text, ignoring case."""

    text: str
    limit: int

    def run(self, store: Store) -> tuple[tuple[Hit, ...], bool]:
        """The hits, best first (whole-label matches, then matches at the start), and whether more were left out."""
        text = self.text.strip()
        if not text:
            return (), False
        result = store.query(_SEARCH, {"text": Literal(text)})
        matched: dict[str, str] = {}
        folded = text.casefold()
        for subject, label in result.rows:
            key, shown = str(subject), str(label)
            if key not in matched or _rank(shown, folded) < _rank(matched[key], folded):
                matched[key] = shown
        names = labels(store, matched)
        kinds = _kinds(store, matched)
        found = (Hit(iri, names.get(iri, matched[iri]), matched[iri], kinds.get(iri, "other")) for iri in matched)
        hits = sorted(found, key=lambda hit: (_rank(hit.matched, folded), hit.label.casefold(), hit.iri))
        return tuple(hits[:self.limit]), len(hits) > self.limit


def _rank(label: str, folded: str) -> int:
    value = label.casefold()
    return 0 if value == folded else 1 if value.startswith(folded) else 2


def _kinds(store: Store, iris: dict[str, str]) -> dict[str, str]:
    """The kind of each entity (organisation, event…) from its class, else from its IRI's path."""
    known = classes()
    found: dict[str, str] = {}
    for iri in iris:
        kind = kind_from_iri(iri)
        if kind is not None:
            found[iri] = kind.value
    if len(found) < len(iris):
        rest = [iri for iri in iris if iri not in found]
        for subject, predicate, obj in outgoing(store, rest):
            if predicate == RDF.type and isinstance(obj, URIRef) and obj in known:
                found.setdefault(str(subject), known[obj].kind.value)
    return found


@dataclass(frozen=True)
class Overview:
    """What the home page and the service description say about the graph."""

    triples: int
    graphs: tuple[tuple[str, int], ...]
    classes: tuple[tuple[str, str, int], ...]


@dataclass(frozen=True)
class OverviewTask:
    """Count the triples, the named graphs and the instances of each class."""

    def run(self, store: Store) -> Overview:
        """The counts (cached in the worker: the graph does not change while it is served)."""
        if _OVERVIEW:
            return _OVERVIEW[0]
        graphs = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
        counted = store.query("SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c")
        names = {str(cls): info.label for cls, info in classes().items()}
        overview = Overview(
            len(store),
            tuple((str(name), int(str(count))) for name, count in graphs.rows
                  if name is not None and count is not None),
            tuple(sorted(((str(cls), names.get(str(cls)) or vocabulary_labels([str(cls)])[str(cls)], int(str(count)))
                          for cls, count in counted.rows if cls is not None and count is not None),
                         key=lambda item: (-item[2], item[1]))),
        )
        _OVERVIEW.append(overview)
        return overview


_OVERVIEW: list[Overview] = []
"""The worker's cached overview (each worker process has its own)."""


__all__ = ["Body", "EntityGraphTask", "EntityTask", "Hit", "Overview", "OverviewTask", "SavedTask", "SearchTask",
           "SparqlTask", "Table", "TableTask", "cap"]
