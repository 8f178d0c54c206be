"""Choosing the graph a command works on: a graph file, a data folder, an on-disk store, or the last build."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from atfgraph.checks import Report
from atfgraph.errors import UsageError
from atfgraph.graphfile import load_graph_file
from atfgraph.loader import load
from atfgraph.namespaces import DEFAULT_BASE
from atfgraph.store import Store, open_store

LAST_BUILDS = (Path("out") / "graph.nq", Path("out") / "graph.ttl")
"""The last build's graph files, in order of preference: N-Quads keeps the named graph of each input file."""

DEFAULT_DATA = Path("data")


def open_graph(
    graph: Path | None = None,
    data: Path | None = None,
    store_spec: str = "memory",
    base: str = DEFAULT_BASE,
    announce: Callable[[str], None] | None = None,
) -> Store:
    """The graph to query or draw.

    In order: ``graph`` (a Turtle, N-Triples, N-Quads, TriG or JSON-LD file); ``data`` (a data folder, built
    in memory; its record problems raise :class:`DataError`); an on-disk store named by ``store_spec``
    (``oxigraph:PATH``, filled by an earlier ``build --store``); the last build (``out/graph.nq``, else
    ``out/graph.ttl``); and the ``data`` folder of the current directory. ``announce`` is told which of the
    defaults was taken.
    """
    if graph is not None and data is not None:
        raise UsageError("give a graph file or a data folder, not both")
    kind, _, path = store_spec.partition(":")
    scratch = kind  # a file or a folder is read into a store of the kind asked for, in memory
    if graph is not None:
        return load_graph_file(graph, open_store(scratch))
    if data is not None:
        return _build(data, base, scratch)
    if kind == "oxigraph" and path:
        if not Path(path).is_dir():
            raise UsageError(f"no store at {path}: run atfgraph build --store {store_spec} first")
        return open_store(store_spec)
    for last in LAST_BUILDS:
        if last.is_file():
            if announce is not None:
                announce(f"reading {last} (the last build)")
            return load_graph_file(last, open_store(scratch))
    if DEFAULT_DATA.is_dir():
        if announce is not None:
            announce(f"building {DEFAULT_DATA} in memory (no build in out/)")
        return _build(DEFAULT_DATA, base, scratch)
    raise UsageError("nothing to read: give --graph FILE or --data DIR, or run atfgraph build first")


def _build(data: Path, base: str, kind: str) -> Store:
    if not data.is_dir():
        raise UsageError(f"data folder not found: {data}")
    loaded = load(data, base, store=open_store(kind))
    Report(loaded.problems).raise_for_problems()
    return loaded.store


__all__ = ["DEFAULT_DATA", "LAST_BUILDS", "open_graph"]
