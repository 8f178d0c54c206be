"""Where the shipped ontology, shapes, topic scheme, context and saved queries are.

In a source checkout they sit beside the package (``ontology/``, ``queries/``); an installed wheel carries
copies in ``atfgraph/_shipped/``, put there by the build configuration in ``pyproject.toml`` (not
``atfgraph/queries/``, which would stand beside the ``atfgraph.queries`` module).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from rdflib import Graph

_PACKAGE = Path(__file__).resolve().parent


def _folder(name: str) -> Path:
    inside = _PACKAGE / "_shipped" / name
    return inside if inside.is_dir() else _PACKAGE.parent / name


def ontology_dir() -> Path:
    """The folder holding atf.ttl, shapes.ttl, topics.ttl and context.jsonld."""
    return _folder("ontology")


def queries_dir() -> Path:
    """The folder of saved SPARQL queries."""
    return _folder("queries")


@cache
def _parsed(name: str) -> Graph:
    graph = Graph()
    graph.parse(ontology_dir() / name, format="turtle")
    return graph


def ontology_graph() -> Graph:
    """The atfgraph ontology (a shared, cached graph: copy before changing it)."""
    return _parsed("atf.ttl")


def shapes_graph() -> Graph:
    """The SHACL shapes (shared and cached)."""
    return _parsed("shapes.ttl")


def topics_graph() -> Graph:
    """The shipped SKOS topic scheme (shared and cached)."""
    return _parsed("topics.ttl")


__all__ = ["ontology_dir", "ontology_graph", "queries_dir", "shapes_graph", "topics_graph"]
