"""The graph store behind one small interface: add quads, read them back, query with SPARQL.

Only an rdflib ``Dataset`` in memory lives here now; an Oxigraph store or a remote endpoint can stand behind
the same interface, and the saved queries must give the same answers on each.
"""

from __future__ import annotations

import abc
import enum
import functools
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from pyparsing import ParseException, ParseResults
from rdflib import Dataset, Graph, URIRef
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Identifier, Node

from atfgraph.errors import QueryError, UsageError
from atfgraph.namespaces import PREFIXES
from atfgraph.parsecache import parse_apart

Quad = tuple[Node, Node, Node, URIRef]


class QueryForm(enum.Enum):
    """The four SPARQL query forms, which give three shapes of answer."""

    SELECT = "SELECT"
    ASK = "ASK"
    CONSTRUCT = "CONSTRUCT"
    DESCRIBE = "DESCRIBE"


@dataclass(frozen=True)
class QueryResult:
    """A query's answer: rows for SELECT, a boolean for ASK, a graph for CONSTRUCT and DESCRIBE."""

    form: QueryForm
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Node | None, ...], ...] = ()
    boolean: bool | None = None
    graph: Graph | None = field(default=None, compare=False)


class Store(abc.ABC):
    """What every graph store offers the rest of atfgraph."""

    @abc.abstractmethod
    def add(self, quads: Iterable[Quad]) -> None:
        """Add quads (subject, predicate, object, named graph)."""

    loads_without_gil: ClassVar[bool] = False
    """Whether :meth:`load_nquads` lets other Python threads run meanwhile (see :class:`Loading`)."""

    def load_nquads(self, data: bytes) -> None:
        """Add N-Quads text (what the mapping makes). Oxigraph's Rust parser reads it; a store that keeps
        rdflib terms is given them."""
        import pyoxigraph as ox  # here: a store of rdflib terms given rdflib terms never needs it

        from atfgraph.oxstore import rdflib_quads  # here: oxstore imports this module

        self.add(rdflib_quads(ox.parse(data, format=ox.RdfFormat.N_QUADS)))

    @abc.abstractmethod
    def quads(self) -> Iterator[Quad]:
        """Every quad in the store."""

    @abc.abstractmethod
    def union(self) -> Graph:
        """All triples of every named graph as one rdflib graph."""

    @abc.abstractmethod
    def query(self, sparql: str, bindings: Mapping[str, Identifier] | None = None) -> QueryResult:
        """Run a SPARQL query over the union of all graphs, with variables bound to RDF terms."""

    @abc.abstractmethod
    def __len__(self) -> int:
        """The number of distinct triples over all graphs."""


class MemoryStore(Store):
    """An rdflib ``Dataset`` in memory, queried as the union of its named graphs."""

    def __init__(self) -> None:
        self.dataset = Dataset(default_union=True)
        for prefix, namespace in PREFIXES.items():
            self.dataset.bind(prefix, namespace)

    def add(self, quads: Iterable[Quad]) -> None:
        graphs: dict[URIRef, Graph] = {}
        for subject, predicate, obj, name in quads:
            graph = graphs.get(name)
            if graph is None:
                graph = graphs[name] = self.dataset.graph(name)
            graph.add((subject, predicate, obj))

    def quads(self) -> Iterator[Quad]:
        for subject, predicate, obj, name in self.dataset.quads((None, None, None, None)):
            if isinstance(name, Graph):
                name = name.identifier
            yield subject, predicate, obj, URIRef(str(name))

    def union(self) -> Graph:
        graph = Graph()
        for prefix, namespace in self.dataset.namespaces():
            graph.bind(prefix, namespace)
        for subject, predicate, obj, _ in self.dataset.quads((None, None, None, None)):
            graph.add((subject, predicate, obj))
        return graph

    def query(self, sparql: str, bindings: Mapping[str, Identifier] | None = None) -> QueryResult:
        # Parsed once here (rdflib would parse the text again) so a syntax error carries line and column.
        parsed = _parse(sparql)
        _refuse_remote(parsed)
        try:
            # rdflib raises bare exceptions for an unknown prefix or a badly scoped variable
            prepared = translateQuery(parsed, initNs=PREFIXES)
            result = self.dataset.query(prepared, initBindings=dict(bindings or {}))
        except Exception as error:  # rdflib raises bare exceptions from evaluation
            raise QueryError(f"query failed: {error}") from error
        if result.type == "ASK":
            return QueryResult(QueryForm.ASK, boolean=bool(result.askAnswer))
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            graph = Graph()
            for prefix, namespace in PREFIXES.items():
                graph.bind(prefix, namespace)
            assert result.graph is not None
            for triple in result.graph:
                graph.add(triple)
            return QueryResult(QueryForm(result.type), graph=graph)
        variables = tuple(str(variable) for variable in result.vars or ())
        rows = tuple(tuple(row) for row in result)  # type: ignore[arg-type]
        return QueryResult(QueryForm.SELECT, variables=variables, rows=rows)

    def __len__(self) -> int:
        return len(set(self.dataset.triples((None, None, None))))


def _parse(sparql: str) -> Any:
    try:
        return parse_apart(parseQuery, sparql)
    except ParseException as error:
        raise QueryError(f"SPARQL syntax error at line {error.lineno}, column {error.col}: {error.msg}") from error


@functools.lru_cache(maxsize=512)
def check_syntax(sparql: str) -> QueryForm:
    """The form of a query; raises :class:`QueryError` with line and column when it does not parse, and
    when it would reach the network (``SERVICE``, ``FROM``).

    Remembered per query text: rdflib's parser takes 30-200 ms for a saved query, longer than Oxigraph
    takes to answer many of them, and saved queries are run again and again with the same text (their
    parameters are bound after this check). A refused query raises again each time (errors are not cached).
    """
    parsed = _parse(sparql)
    _refuse_remote(parsed)
    name = str(getattr(parsed[1], "name", ""))  # SelectQuery, AskQuery, ConstructQuery, DescribeQuery
    return QueryForm(name.removesuffix("Query").upper())


SERVICE_CLAUSE = "ServiceGraphPattern"
DATASET_CLAUSE = "DatasetClause"


def parse_tree_names(tree: object) -> Iterator[str]:
    """The name of every node of rdflib's parse tree of a query (``SelectQuery``, ``ServiceGraphPattern``…).

    Walking the tree, not searching the text, finds a SERVICE in a sub-query or a FILTER EXISTS and is not
    fooled by one in a comment or a string.
    """
    stack = [tree]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, CompValue):
            yield str(node.name)
            stack.extend(node.values())
        elif isinstance(node, ParseResults):
            stack.extend(node)
            stack.extend(node.as_dict().values())  # named results, in case one is not also a list item
        elif isinstance(node, list | tuple):
            stack.extend(node)


def _refuse_remote(parsed: Any) -> None:
    """Both engines call out to the network for SERVICE, and rdflib fetches FROM graphs: refuse both."""
    names = set(parse_tree_names(parsed))
    if SERVICE_CLAUSE in names:
        raise QueryError("SERVICE is not allowed: atfgraph never calls other endpoints")
    if DATASET_CLAUSE in names:
        raise QueryError("FROM and FROM NAMED are not supported: the default graph is the union of every "
                         "named graph; use GRAPH to choose one")


def open_store(spec: str) -> Store:
    """A store from its command-line name: ``memory``, ``oxigraph`` (in memory) or ``oxigraph:PATH``."""
    kind, _, path = spec.partition(":")
    if kind == "memory" and not path:
        return MemoryStore()
    if kind == "oxigraph":
        from atfgraph.oxstore import OxigraphStore  # pyoxigraph loads only when asked for

        return OxigraphStore(Path(path) if path else None)
    raise UsageError(f"unknown store {spec!r}: use memory, oxigraph or oxigraph:PATH")


class Loading:
    """N-Quads put into a store on a second thread while the caller goes on mapping, for a store whose loader
    releases the GIL (Oxigraph parses and indexes in Rust): on two cores, loading then costs no wall time.
    Any other store is loaded at once, in the caller's thread. Use as a context manager: leaving it waits
    for every load, and a load's error is raised there."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="atfgraph-load") if store.loads_without_gil else None
        self._pending: list[Future[None]] = []

    def add(self, data: bytes) -> None:
        """Load N-Quads bytes (now, or on the loading thread)."""
        if self._pool is None:
            self.store.load_nquads(data)
        else:
            self._pending.append(self._pool.submit(self.store.load_nquads, data))

    def __enter__(self) -> Loading:
        return self

    def __exit__(self, error_type: type[BaseException] | None, *rest: object) -> None:
        if self._pool is None:
            return
        try:
            if error_type is None:  # otherwise the caller's error is the one to raise
                for future in self._pending:
                    future.result()
        finally:
            self._pool.shutdown(cancel_futures=True)


__all__ = ["Loading", "MemoryStore", "Quad", "QueryForm", "QueryResult", "Store", "check_syntax", "open_store"]
