"""The graph a server answers from, and how each worker process gets hold of it.

A graph file, a data folder or the last build is loaded once, in the server process, before any worker is
forked: the workers share its memory copy-on-write. An on-disk Oxigraph store is not opened there: each
worker opens it read-only after it is forked (a store opened before ``fork`` would share file handles and
background threads across processes).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from atfgraph.errors import UsageError
from atfgraph.graphsource import open_graph
from atfgraph.namespaces import DEFAULT_BASE
from atfgraph.network.kinds import classes
from atfgraph.oxstore import OxigraphStore
from atfgraph.resources import ontology_graph, topics_graph
from atfgraph.store import Quad, Store


class ReadOnlyOxigraphStore(OxigraphStore):
    """An on-disk Oxigraph store opened read-only: several processes may hold it open at once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.store = ox.Store.read_only(str(path))
        except OSError as error:
            raise UsageError(f"cannot open the Oxigraph store at {path}: {error}") from error

    def add(self, quads: Iterable[Quad]) -> None:
        """Refused: the server never changes the graph."""
        raise UsageError("the store is open read-only")

    def clear(self) -> None:
        """Refused: the server never changes the graph."""
        raise UsageError("the store is open read-only")


@dataclass(frozen=True, eq=False)
class GraphSource:
    """Where workers find the graph: a ``store`` loaded before forking, or the ``path`` of an on-disk store."""

    store: Store | None = None
    path: Path | None = None
    description: str = ""

    def open(self) -> Store:
        """The store, in a worker (an on-disk store is opened here, after the fork)."""
        if self.store is not None:
            return self.store
        if self.path is None:
            raise UsageError("no graph to serve")
        return ReadOnlyOxigraphStore(self.path)

    def warm(self) -> None:
        """Parse what every worker needs (the ontology, the topic scheme) once, before workers are forked."""
        ontology_graph()
        topics_graph()
        classes()


def load_source(graph: Path | None = None, data: Path | None = None, store_spec: str = "memory",
                base: str = DEFAULT_BASE) -> GraphSource:
    """The graph chosen as every command chooses it: ``--graph``, ``--data``, ``--store oxigraph:PATH``,
    else the last build (``out/graph.nq``), else ``./data``. Files and folders are loaded here."""
    kind, _, path = store_spec.partition(":")
    if graph is None and data is None and kind == "oxigraph" and path:
        if not Path(path).is_dir():
            raise UsageError(f"no store at {path}: run atfgraph build --store {store_spec} first")
        if not (Path(path) / "CURRENT").is_file():  # RocksDB's marker: not opened here, see the module's docstring
            raise UsageError(f"{path} is not an Oxigraph store: run atfgraph build --store {store_spec} first")
        return GraphSource(path=Path(path), description=f"the Oxigraph store {path}")
    said: list[str] = []
    store = open_graph(graph=graph, data=data, store_spec=store_spec, base=base, announce=said.append)
    if graph is not None:
        said.append(f"the graph file {graph}")
    elif data is not None:
        said.append(f"the data folder {data}")
    return GraphSource(store=store, description=said[0])


__all__ = ["GraphSource", "ReadOnlyOxigraphStore", "load_source"]
