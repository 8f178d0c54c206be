"""Network drawings for the web pages: an entity's ego network and the graph a CONSTRUCT query made.

Both come from the network package (the entity graph, its views and its layout) and are cut down to what
the page's script draws: nodes with positions, kinds and labels, and labelled edges, in the network
package's colours and shapes. The page draws them with the vendored Cytoscape.js; nothing is fetched from elsewhere.
"""

from __future__ import annotations

from typing import Any

from rdflib import Graph, URIRef

from atfgraph.network import Filters, Kind, View, ViewRequest, entity_graph, positions, view_graph
from atfgraph.network.kinds import STYLES, short_id
from atfgraph.store import Store
from atfgraph.viz.scene import display_label
from atfgraph.web.describe import Description, own_triples, owner_of

MAX_NODES = 250
"""The most nodes drawn; a bigger CONSTRUCT answer is offered as downloads instead (its layout alone is slow)."""

MAX_NEIGHBOURS = 150
"""Neighbours read for an ego network (a hub's page stays quick)."""

PIXELS_PER_UNIT = 110.0
"""Layout units to screen pixels at zoom 1 (as in the viz package's pages)."""

_EVERY_KIND = Filters(kinds=frozenset(Kind))


def drawing(rdf: Graph, ego: str | None = None, names: dict[str, str] | None = None) -> dict[str, Any]:
    """What the page draws for an RDF graph: ``nodes``, ``edges`` and ``kinds``; ``too_large`` when it is.

    ``names`` label the nodes the graph itself gives no label (a CONSTRUCT answer seldom carries labels).
    The layout is the network package's (seeded, radial around an ego); metrics are not computed, since
    the page does not size nodes by them.
    """
    entities = entity_graph(rdf)
    empty: dict[str, Any] = {"nodes": [], "edges": [], "kinds": [], "ego": None}
    if ego is not None and ego not in entities:
        return empty
    if entities.number_of_nodes() > MAX_NODES and ego is None:
        return {**empty, "too_large": entities.number_of_nodes()}
    request = ViewRequest(View.EGO, _EVERY_KIND, entity=ego, depth=1) if ego is not None \
        else ViewRequest(View.NETWORK, _EVERY_KIND)
    graph = view_graph(entities, request)
    laid = positions(graph, centre=ego)
    nodes = []
    for node, data in sorted(graph.nodes(data=True)):
        label = str(data.get("label", node))
        if names and names.get(node) and label == short_id(node):
            label = names[node]
        x, y = laid.get(node, (0.0, 0.0))
        nodes.append({"id": node, "label": label, "display": display_label({**data, "label": label}),
                      "kind": str(data.get("kind", Kind.OTHER.value)),
                      "x": round(x * PIXELS_PER_UNIT, 1), "y": round(-y * PIXELS_PER_UNIT, 1)})
    edges = sorted({(str(source), str(target), str(data.get("label", ""))) for source, target, data
                    in graph.edges(data=True)})
    kinds = sorted({node["kind"] for node in nodes}, key=lambda kind: list(Kind).index(Kind(kind)))
    return {
        "ego": ego,
        "directed": graph.is_directed(),
        "nodes": nodes,
        "edges": [{"source": source, "target": target, "label": label} for source, target, label in edges],
        "kinds": [{"kind": kind, "label": STYLES[Kind(kind)].plural.capitalize(), "colour": STYLES[Kind(kind)].colour,
                   "shape": STYLES[Kind(kind)].shape} for kind in kinds],
    }


def ego_drawing(store: Store, description: Description) -> dict[str, Any]:
    """The entity and its direct neighbours (through its hash nodes too: a country's memberships)."""
    iri = str(description.iri)
    neighbours = {owner_of(str(term)) for triple in description.triples for term in triple[::2]
                  if isinstance(term, URIRef)}
    neighbours |= {owner_of(str(subject)) for subject, _ in description.incoming}
    neighbours.discard(iri)
    chosen = sorted(neighbours)[:MAX_NEIGHBOURS]
    rdf = Graph()
    for triple in (*description.triples, *own_triples(store, chosen)):
        rdf.add(triple)
    for subject, predicate in description.incoming:
        rdf.add((subject, predicate, description.iri))
    return drawing(rdf, ego=iri)


__all__ = ["MAX_NEIGHBOURS", "MAX_NODES", "drawing", "ego_drawing"]
