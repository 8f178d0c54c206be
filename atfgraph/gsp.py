"""Pushing a build to a triple store over the SPARQL 1.1 Graph Store Protocol, in chunks, idempotently.

Each named graph of the build goes to its own graph on the endpoint (``?graph=IRI``) and the default graph's
triples (the provenance of each input file) to ``?default`` or to a named graph chosen for them; or, with a
target graph, everything goes to that one graph (see :class:`Targets`).

The first chunk of a graph is PUT, which replaces whatever the graph held, and the following chunks are
POSTed, which appends: loading the same build twice leaves exactly one copy. Graphs that an earlier load put
there and the build no longer has are kept, or deleted on request (see :func:`load_file`).

N-Quads and N-Triples files are read line by line and sent as written (two passes: the first checks every
line and counts, so a malformed file sends nothing); other formats are parsed by rdflib.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, URIRef

from atfgraph.errors import UsageError
from atfgraph.graphfile import load_graph_file
from atfgraph.namespaces import ATF, PROV, RDF
from atfgraph.remote import DEFAULT_GRAPH, EndpointError, HttpClient, check_url, nt_term

DEFAULT_CHUNK = 50_000
"""Triples per request: large enough that a million triples take 20 requests, small enough for proxies."""

DEFAULT_TARGET = ""
"""The key of the endpoint's default graph (``?default``) among graph IRIs."""

Progress = Callable[[int, int], None]
"""Called with (triples sent, triples in all) after each request."""

Line = tuple[str, str, bool]
"""One statement: its graph's IRI (``""`` for the default graph), the triple as an N-Triples line, and
whether it has a blank node."""

_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_IRI = rf"<(?:[^<>\"{{}}|^`\\\x00-\x20]|{_UCHAR})*>"
_BLANK = r"_:[\w](?:[\w.\-\u00b7]*[\w\-\u00b7])?"
_LITERAL = rf'"(?:[^"\\\n\r]|\\.)*"(?:@[A-Za-z]+(?:-[A-Za-z0-9]+)*|\^\^{_IRI})?'
_STATEMENT = re.compile(
    rf"[ \t]*(?P<s>{_IRI}|{_BLANK})[ \t]*(?P<p>{_IRI})[ \t]*(?P<o>{_IRI}|{_BLANK}|{_LITERAL})"
    rf"[ \t]*(?P<g>{_IRI}|{_BLANK})?[ \t]*\.[ \t]*(?:#.*)?"
)
_SKIP = re.compile(r"[ \t]*(?:#.*)?")


@dataclass(frozen=True)
class LoadResult:
    """What a load did: triples sent per target graph (``""`` is the default graph), requests, stale graphs."""

    graphs: tuple[tuple[str, int], ...]
    requests: int
    deleted: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()
    """Graphs an earlier load put there that the build no longer has, left in place (no ``replace``)."""

    @property
    def triples(self) -> int:
        """Triples sent in all (a triple in two graphs of the build counts twice)."""
        return sum(count for _, count in self.graphs)


# --- reading the build


def build_file(source: Path) -> Path:
    """The graph file to load: ``SOURCE/graph.nq`` for a build folder, else SOURCE itself."""
    if source.is_dir():
        path = source / "graph.nq"
        if not path.is_file():
            raise UsageError(f"no graph.nq in {source}: build with `atfgraph build` (N-Quads is a default "
                             "format), or give --from FILE")
        return path
    if not source.is_file():
        raise UsageError(f"nothing to load: {source} is neither a build folder nor a graph file")
    return source


def read_lines(path: Path) -> Iterator[Line]:
    """The statements of a graph file; N-Quads and N-Triples are read line by line, as written."""
    if path.suffix.lower() not in (".nq", ".nt"):
        yield from _parsed(path)
        return
    quads = path.suffix.lower() == ".nq"
    try:
        with path.open(encoding="utf-8") as lines:
            for number, text in enumerate(lines, start=1):
                match = _STATEMENT.fullmatch(text.rstrip("\r\n"))
                if match is None:
                    if _SKIP.fullmatch(text.rstrip("\r\n")):
                        continue
                    what = "an N-Quads" if quads else "an N-Triples"
                    raise UsageError(f"{path}:{number}: not {what} statement: {text.strip()[:120]}")
                graph = match["g"]
                if graph is not None and not quads:
                    raise UsageError(f"{path}:{number}: a graph name in an N-Triples file; use .nq for N-Quads")
                if graph is not None and graph.startswith("_:"):
                    raise UsageError(f"{path}:{number}: a blank node names a graph, which a Graph Store "
                                     "endpoint cannot address; give --graph IRI to load everything into one graph")
                subject, obj = match["s"], match["o"]
                blank = subject.startswith("_:") or obj.startswith("_:")
                yield (graph[1:-1] if graph else DEFAULT_TARGET), f"{subject} {match['p']} {obj} .\n", blank
    except UnicodeDecodeError as error:
        raise UsageError(f"{path} is not UTF-8 text: {error}") from None
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from None


def _parsed(path: Path) -> Iterator[Line]:
    """Turtle, TriG, JSON-LD: parsed by rdflib, written back as N-Triples lines."""
    for subject, predicate, obj, name in load_graph_file(path).quads():
        graph = DEFAULT_TARGET if name == DEFAULT_GRAPH else str(name)
        try:
            triple = f"{nt_term(subject, True)} {nt_term(predicate)} {nt_term(obj, True)} .\n"
        except ValueError as error:
            raise UsageError(f"{path}: {error}") from None
        yield graph, triple, isinstance(subject, BNode) or isinstance(obj, BNode)


# --- the endpoint


def graph_url(endpoint: str, graph: str) -> str:
    """The Graph Store Protocol URL of a graph: ``ENDPOINT?graph=IRI``, or ``ENDPOINT?default``."""
    query = "default" if graph == DEFAULT_TARGET else urllib.parse.urlencode({"graph": graph})
    return endpoint + ("&" if "?" in endpoint else "?") + query


_NT_HEADERS = {"Content-Type": "application/n-triples"}


@dataclass(frozen=True)
class GraphStore:
    """A Graph Store Protocol endpoint (Oxigraph's ``/store``, Virtuoso's ``/sparql-graph-crud-auth``…)."""

    url: str
    client: HttpClient = field(default_factory=HttpClient)

    def put(self, graph: str, triples: list[str]) -> None:
        """Replace a graph's content with these N-Triples lines."""
        self.client.send("PUT", graph_url(self.url, graph), "".join(triples).encode(), _NT_HEADERS)

    def post(self, graph: str, triples: list[str]) -> None:
        """Add these N-Triples lines to a graph."""
        self.client.send("POST", graph_url(self.url, graph), "".join(triples).encode(), _NT_HEADERS)

    def delete(self, graph: str) -> bool:
        """Delete a graph; False when the endpoint had no such graph."""
        answer = self.client.send("DELETE", graph_url(self.url, graph), ok_statuses=frozenset({404}))
        return answer.status != 404

    def get(self, graph: str) -> Graph:
        """A graph's content (empty when the endpoint has no such graph)."""
        answer = self.client.send("GET", graph_url(self.url, graph),
                                  headers={"Accept": "application/n-triples, text/turtle;q=0.9"},
                                  ok_statuses=frozenset({404}))
        result = Graph()
        if answer.status == 404 or not answer.body.strip():
            return result
        fmt = "turtle" if answer.content_type in ("text/turtle", "application/x-turtle") else "nt"
        try:
            result.parse(data=answer.body.decode("utf-8"), format=fmt)
        except Exception as error:  # rdflib's parsers raise many unrelated types
            raise EndpointError(f"GET {graph_url(self.url, graph)}: the graph does not parse as {fmt}: {error}",
                                self.url, answer.status) from None
        return result


# --- loading


@dataclass(frozen=True)
class Targets:
    """Where the graphs of a build go on the endpoint.

    ``graph``: every triple into this one graph. ``default_graph``: the build's default graph (the
    description of each input file) into this named graph instead of ``?default``, for stores that have no
    default graph of their own to address, such as Virtuoso.
    """

    graph: str | None = None
    default_graph: str | None = None

    def __call__(self, name: str) -> str:
        """The graph on the endpoint for a graph of the build (``""``: its default graph)."""
        if self.graph is not None:
            return self.graph
        if name == DEFAULT_TARGET and self.default_graph is not None:
            return self.default_graph
        return name

    @property
    def descriptions(self) -> str:
        """The graph on the endpoint that holds the descriptions of the build's graphs."""
        return self(DEFAULT_TARGET)

    def check(self) -> None:
        """Raise :class:`UsageError` unless each IRI given is an absolute IRI."""
        for option, iri in (("--graph", self.graph), ("--default-graph", self.default_graph)):
            if iri is None:
                continue
            try:
                nt_term(URIRef(iri))
            except ValueError as error:
                raise UsageError(f"{option}: {error}") from None
            if not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", iri):
                raise UsageError(f"{option} {iri!r}: give an absolute IRI")


def load_file(path: Path, store: GraphStore, targets: Targets | None = None, replace: bool = False,
              chunk_size: int = DEFAULT_CHUNK, progress: Progress | None = None) -> LoadResult:
    """Send a graph file to a Graph Store endpoint; see the module's docstring for what goes where.

    Graphs that an earlier load described in the endpoint's default graph (as ``atf:SourceFile`` or
    ``prov:Entity``, under the build's ``…/graph/`` namespace) and that this build no longer has — the graph
    of a records file since removed, say — are deleted with ``replace``. Without it they are kept, and so is
    their description, so that the default graph still describes every graph there and a later load with
    ``replace`` finds them. Raises :class:`UsageError` for a bad input file or option (before anything is
    sent) and :class:`EndpointError` when the endpoint refuses.
    """
    targets = targets if targets is not None else Targets()
    check_url(store.url)
    targets.check()
    if chunk_size < 1:
        raise UsageError("the chunk size must be at least 1 triple")
    counts, blank_graphs = _survey(path, targets)
    deleted: tuple[str, ...] = ()
    kept: dict[str, list[str]] = {}
    if targets.graph is None and _namespaces(counts):
        try:
            kept = _stale(store, targets.descriptions, counts)
        except EndpointError as error:
            if targets.descriptions != DEFAULT_TARGET:
                raise
            raise EndpointError(f"{error}; if the store has no default graph (Virtuoso, for one), give "
                                "--default-graph IRI", error.url, error.status) from None
        if replace:
            deleted = tuple(name for name in sorted(kept) if store.delete(name))
            kept = {}
    described = [line for lines in kept.values() for line in lines]
    if described:
        counts[targets.descriptions] = counts.get(targets.descriptions, 0) + len(described)
    sender = _Sender(store, chunk_size, sum(counts.values()), progress)
    # A blank node's label means something only within one request: a graph with blank nodes is held
    # whole, and all its blank-node triples go in its first (PUT) request, which is safe to retry.
    held: dict[str, tuple[list[str], list[str]]] = {name: ([], []) for name in blank_graphs}
    if any("_:" in line for line in described):
        held.setdefault(targets.descriptions, ([], []))
    for name, triple, blank in _with_descriptions(read_lines(path), described):
        target = targets(name)
        if target in held:
            held[target][1 if blank else 0].append(triple)
        else:
            sender.add(target, triple)
    for target, (ground, blanks) in sorted(held.items()):
        first = max(chunk_size, len(blanks))
        lines = blanks + ground
        sender.send(target, lines[:first])
        for start in range(first, len(lines), chunk_size):
            sender.send(target, lines[start:start + chunk_size])
    sender.finish()
    return LoadResult(tuple(sorted(counts.items())), sender.requests, deleted, tuple(sorted(kept)))


def _with_descriptions(lines: Iterator[Line], described: list[str]) -> Iterator[Line]:
    yield from lines
    for triple in described:
        yield DEFAULT_TARGET, triple, "_:" in triple


def _survey(path: Path, targets: Targets) -> tuple[dict[str, int], set[str]]:
    """Triples per target graph, and the targets with blank nodes.

    Reading the whole file before sending anything means that a malformed file sends nothing.
    """
    counts: dict[str, int] = {}
    blank_graphs: set[str] = set()
    for name, _, blank in read_lines(path):
        target = targets(name)
        counts[target] = counts.get(target, 0) + 1
        if blank:
            blank_graphs.add(target)
    if not counts:
        raise UsageError(f"{path} holds no triples: nothing to load")
    return counts, blank_graphs


def _namespaces(graphs: Iterable[str]) -> set[str]:
    """The namespaces of an atfgraph build's graphs (``{base}graph/``); none for another tool's file."""
    return {name[:name.index("/graph/") + len("/graph/")] for name in graphs if "/graph/" in name}


def _stale(store: GraphStore, descriptions: str, build: dict[str, int]) -> dict[str, list[str]]:
    """Graphs an earlier load described that this build does not have, with their descriptions."""
    namespaces = _namespaces(name for name in build if name != descriptions)
    previous = store.get(descriptions)
    described = {subject for kind in (ATF.SourceFile, PROV.Entity) for subject in previous.subjects(RDF.type, kind)
                 if isinstance(subject, URIRef)}
    stale = {str(subject): subject for subject in described
             if str(subject) not in build and any(str(subject).startswith(space) for space in namespaces)}
    return {
        name: sorted(f"{nt_term(subject, True)} {nt_term(predicate)} {nt_term(obj, True)} .\n"
                     for _, predicate, obj in previous.triples((subject, None, None)))
        for name, subject in stale.items()
    }


class _Sender:
    """Buffers triples per graph and sends a graph's first chunk with PUT, the following ones with POST."""

    def __init__(self, store: GraphStore, chunk_size: int, total: int, progress: Progress | None) -> None:
        self.store = store
        self.chunk_size = chunk_size
        self.total = total
        self.progress = progress
        self.buffers: dict[str, list[str]] = {}
        self.started: set[str] = set()
        self.done = 0
        self.requests = 0

    def add(self, graph: str, triple: str) -> None:
        buffer = self.buffers.setdefault(graph, [])
        buffer.append(triple)
        if len(buffer) >= self.chunk_size:
            self.send(graph, self.take(graph))

    def take(self, graph: str) -> list[str]:
        """The triples buffered for a graph, which the caller now sends."""
        return self.buffers.pop(graph, [])

    def send(self, graph: str, triples: list[str]) -> None:
        if graph in self.started:
            self.store.post(graph, triples)
        else:
            self.store.put(graph, triples)
            self.started.add(graph)
        self.requests += 1
        self.done += len(triples)
        if self.progress is not None:
            self.progress(self.done, self.total)

    def finish(self) -> None:
        """Send what is left in every buffer."""
        for graph in sorted(self.buffers):
            self.send(graph, self.take(graph))


__all__ = [
    "DEFAULT_CHUNK",
    "DEFAULT_TARGET",
    "GraphStore",
    "LoadResult",
    "Progress",
    "Targets",
    "build_file",
    "graph_url",
    "load_file",
    "read_lines",
]
