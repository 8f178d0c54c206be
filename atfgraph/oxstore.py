"""The Oxigraph store: the same interface as the rdflib one, an order of magnitude faster on large graphs.

In memory or on disk (``--store oxigraph:PATH``), where it is reused between commands. Queries are passed
as strings (never prepared objects) and run over the union of all named graphs, like the rdflib store.
"""

from __future__ import annotations

import contextlib
import ctypes
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Identifier, Node

from atfgraph.errors import QueryError, UsageError
from atfgraph.namespaces import PREFIXES
from atfgraph.sparqltext import bind_values
from atfgraph.store import Quad, QueryForm, QueryResult, Store, check_syntax

_DEFAULT = URIRef(str(DATASET_DEFAULT_GRAPH_ID))
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def to_rdflib(term: object) -> Node:
    """A pyoxigraph term as an rdflib term (xsd:string literals come back plain, as RDF 1.1 says they are)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    if isinstance(term, ox.DefaultGraph):
        return _DEFAULT
    raise TypeError(f"not an RDF term: {term!r}")


def _graph_name(name: URIRef) -> ox.NamedNode | ox.DefaultGraph:
    return ox.DefaultGraph() if name == _DEFAULT else ox.NamedNode(str(name))


def oxigraph_quads(quads: Iterable[Quad]) -> Iterator[ox.Quad]:
    """rdflib quads as pyoxigraph quads (the default graph of rdflib's datasets to Oxigraph's)."""
    # IRIs repeat a lot (classes, predicates, shared entities, graph names): each is converted once.
    cache: dict[Node, ox.NamedNode | ox.BlankNode | ox.Literal] = {}
    graphs: dict[URIRef, ox.NamedNode | ox.DefaultGraph] = {}

    def term(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        if isinstance(node, Literal):
            return to_oxigraph(node)
        found = cache.get(node)
        if found is None:
            found = cache[node] = to_oxigraph(node)
        return found

    for subject, predicate, obj, name in quads:
        graph = graphs.get(name)
        if graph is None:
            graph = graphs[name] = _graph_name(name)
        yield ox.Quad(term(subject), term(predicate), term(obj), graph)  # type: ignore[arg-type]


def rdflib_quads(quads: Iterable[ox.Quad]) -> Iterator[Quad]:
    """pyoxigraph quads as rdflib quads."""
    for quad in quads:
        name = to_rdflib(quad.graph_name)
        assert isinstance(name, URIRef)
        yield to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object), name


class OxigraphStore(Store):
    """A pyoxigraph ``Store``, in memory or in a folder."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        try:
            self.store = ox.Store(str(path)) if path is not None else ox.Store()
        except OSError as error:
            raise UsageError(f"cannot open the Oxigraph store at {path}: {error}") from error

    def add(self, quads: Iterable[Quad]) -> None:
        batch: list[ox.Quad] = []
        for quad in oxigraph_quads(quads):
            batch.append(quad)
            if len(batch) >= 100_000:
                self.store.extend(batch)
                batch = []
        self.store.extend(batch)

    loads_without_gil = True

    def load_nquads(self, data: bytes) -> None:
        """Add N-Quads text in one call (Rust parses it; much faster than adding terms one by one)."""
        self.store.bulk_load(data, format=ox.RdfFormat.N_QUADS)

    def quads(self) -> Iterator[Quad]:
        return rdflib_quads(self.store)

    def union(self) -> Graph:
        graph = Graph()
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
        for subject, predicate, obj, _ in self.quads():
            graph.add((subject, predicate, obj))
        return graph

    def query(self, sparql: str, bindings: Mapping[str, Identifier] | None = None) -> QueryResult:
        form = check_syntax(sparql)
        if bindings:
            sparql = bind_values(sparql, {name: str(to_oxigraph(value)) for name, value in bindings.items()})
        try:
            result = self.store.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=True)
        except SyntaxError as error:
            raise QueryError(f"SPARQL syntax error: {error}") from error
        except (OSError, RuntimeError) as error:
            raise QueryError(f"query failed: {error}") from error
        # pyoxigraph's result iterators may only be freed on the thread that made them. Everything is read
        # here, in plain loops of this frame, and the iterator is deleted before any error leaves the frame:
        # a traceback kept in a reference cycle would otherwise free it later, on whichever thread runs
        # the garbage collector (an unraisable RuntimeError).
        try:
            return _read_result(result, form)
        except (OSError, RuntimeError) as error:  # Oxigraph evaluates lazily: errors surface while reading
            raise QueryError(f"query failed: {error}") from None
        finally:
            del result

    def __len__(self) -> int:
        answer = self.store.query(
            "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
            use_default_graph_as_union=True,
        )
        try:
            result = _read_result(answer, QueryForm.SELECT)
        finally:
            del answer  # on this thread (see query)
        count = result.rows[0][0]
        assert isinstance(count, Literal)
        return int(count)

    def clear(self) -> None:
        """Remove every quad (an on-disk store is rebuilt by a new build)."""
        self.store.clear()

    def release(self) -> None:
        """Drop an in-memory store's quads and give their memory back to the system, for a build that has
        written what it needs of them to disk (its sorted runs) and goes on writing from there."""
        if self.path is not None:
            raise UsageError("an on-disk store is kept, not released")
        self.store = ox.Store()
        _trim_heap()


def _trim_heap() -> None:
    """Return freed heap memory to the system (glibc keeps it otherwise: 650 MB at 100,000 events)."""
    with contextlib.suppress(OSError, AttributeError):  # not glibc: the memory is reused by this process instead
        ctypes.CDLL(None).malloc_trim(0)


def _read_result(result: ox.QueryBoolean | ox.QueryTriples | ox.QuerySolutions, form: QueryForm) -> QueryResult:
    """Everything in an Oxigraph query result, as rdflib terms."""
    try:
        if isinstance(result, ox.QueryBoolean):
            return QueryResult(QueryForm.ASK, boolean=bool(result))
        # Terms repeat (actors, classes, predicates, places, dates) and an rdflib literal is costly to make (it
        # parses its lexical form): each distinct term is converted once per result.
        converted: dict[object, Node] = {}

        def convert(term: object) -> Node:
            found = converted.get(term)
            if found is None:
                found = converted[term] = to_rdflib(term)
            return found

        if isinstance(result, ox.QueryTriples):
            graph = Graph()
            for prefix, namespace in PREFIXES.items():
                graph.bind(prefix, namespace)
            add = graph.add
            for triple in result:
                add((convert(triple.subject), convert(triple.predicate), convert(triple.object)))
            return QueryResult(form, graph=graph)
        variables = tuple(variable.value for variable in result.variables)
        rows: list[tuple[Node | None, ...]] = []
        for solution in result:
            row: list[Node | None] = []
            for name in variables:
                term = solution[name]
                row.append(None if term is None else convert(term))
            rows.append(tuple(row))
        return QueryResult(QueryForm.SELECT, variables=variables, rows=tuple(rows))
    finally:
        del result  # even from a traceback's frame (see OxigraphStore.query)


@contextmanager
def staged_store(path: Path) -> Iterator[tuple[OxigraphStore, Callable[[], None]]]:
    """A new on-disk store beside ``path`` and a ``commit`` that puts it in place of the old one.

    A build fills the staged store and commits only when the data conforms, so a failed build, or a typo
    in a data folder, never leaves the last good store empty or half-filled.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent))
    store = OxigraphStore(staging)
    committed = False

    def commit() -> None:
        nonlocal committed
        store.store.flush()
        if path.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{path.name}.old.", dir=path.parent))
            path.rename(old / "store")
            shutil.rmtree(old, ignore_errors=True)
        staging.rename(path)
        store.path = path
        committed = True

    try:
        yield store, commit
    finally:
        if not committed:
            shutil.rmtree(staging, ignore_errors=True)


__all__ = ["OxigraphStore", "oxigraph_quads", "rdflib_quads", "staged_store", "to_oxigraph", "to_rdflib"]
