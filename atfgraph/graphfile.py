"""Loading a graph file written by atfgraph (or by another tool) into a store."""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from atfgraph.errors import UsageError
from atfgraph.store import MemoryStore, Store

_FORMATS = {".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".jsonld": "json-ld", ".json": "json-ld",
            ".trig": "trig"}


def load_graph_file(path: Path, store: Store | None = None) -> Store:
    """Parse a Turtle, N-Triples, N-Quads, TriG or JSON-LD file into a store."""
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise UsageError(f"cannot tell the RDF format of {path}: use one of {', '.join(sorted(_FORMATS))}")
    if not path.is_file():
        raise UsageError(f"graph file not found: {path}")
    dataset = Dataset()
    try:
        dataset.parse(path, format=fmt)
    except Exception as error:  # rdflib's parsers raise many unrelated types
        raise UsageError(f"cannot parse {path} as {fmt}: {error}") from error
    store = store if store is not None else MemoryStore()
    default = URIRef(str(DATASET_DEFAULT_GRAPH_ID))
    store.add(
        (subject, predicate, obj, URIRef(str(getattr(name, "identifier", name) or default)))
        for subject, predicate, obj, name in dataset.quads((None, None, None, None))
    )
    return store


__all__ = ["load_graph_file"]
