"""Centralities, communities and components of a network view.

Every metric is taken on the undirected simple graph of the view: parallel and opposite edges between two
nodes become one edge whose ``weight`` is the sum of theirs (1 each when unweighted), since who is linked
to whom matters here, not in which direction a property was recorded.

* degree: the number of neighbours; weighted degree: the sum of the weights (shared events, in the
  co-operation network);
* betweenness: the share of shortest paths through a node, a strong tie (high weight) counting as a short
  distance (1 / weight); on big graphs (nodes × edges over four million) it is estimated from 40 source
  nodes drawn with a fixed seed;
* eigenvector centrality: taken within each connected component (it is undefined across components) and
  scaled by the component's share of the nodes, so a pair off on its own does not rank with the hubs of
  the main component; if the power iteration does not converge, the component's degree centrality stands in;
* communities: greedy modularity maximisation (Clauset–Newman–Moore) on the weights, which is
  deterministic for a given node order (the nodes are always added sorted); above 1,000 nodes or 5,000
  edges, where it gets slow, the Louvain method with a fixed seed;
* components: the connected components.

Communities and components are numbered from 0, largest first (ties by their first node).
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx

BETWEENNESS_EXACT_UP_TO = 4_000_000
"""Betweenness is exact while nodes × edges stays under this (a few seconds); sampled above it."""
BETWEENNESS_SAMPLE = 40
GREEDY_UP_TO = 1000
GREEDY_EDGES_UP_TO = 5000
"""Greedy modularity slows down past about a thousand nodes or five thousand edges; bigger graphs use seeded
Louvain."""
SAMPLE_SEED = 7


class Metric(enum.Enum):
    """The per-node metrics that can be ranked."""

    DEGREE = "degree"
    WEIGHTED_DEGREE = "weighted degree"
    BETWEENNESS = "betweenness"
    EIGENVECTOR = "eigenvector"


@dataclass(frozen=True)
class NodeMetrics:
    """The metrics of one node."""

    node: str
    label: str
    kind: str
    degree: int
    weighted_degree: float
    degree_centrality: float
    betweenness: float
    eigenvector: float
    community: int
    component: int

    def value(self, metric: Metric) -> float:
        """The value of one metric."""
        return {
            Metric.DEGREE: float(self.degree),
            Metric.WEIGHTED_DEGREE: self.weighted_degree,
            Metric.BETWEENNESS: self.betweenness,
            Metric.EIGENVECTOR: self.eigenvector,
        }[metric]


@dataclass(frozen=True)
class Metrics:
    """The metrics of every node (sorted by node id), with the communities and components as node tuples."""

    nodes: tuple[NodeMetrics, ...]
    edges: int
    communities: tuple[tuple[str, ...], ...]
    components: tuple[tuple[str, ...], ...]

    def top(self, metric: Metric, count: int = 10) -> tuple[NodeMetrics, ...]:
        """The ``count`` leading nodes by a metric; ties are broken by label, then node id."""
        ranked = sorted(self.nodes, key=lambda item: (-item.value(metric), item.label.casefold(), item.node))
        return tuple(ranked[:count])

    def of(self, node: str) -> NodeMetrics:
        """The metrics of one node."""
        for item in self.nodes:
            if item.node == node:
                return item
        raise KeyError(node)


def simple_graph(graph: nx.Graph) -> nx.Graph:
    """The undirected simple graph of any networkx graph, summing the weights of merged edges (1 if unweighted)."""
    simple = nx.Graph()
    for node in sorted(graph.nodes):
        simple.add_node(node, **graph.nodes[node])
    for source, target, data in graph.edges(data=True):
        if source == target:
            continue
        weight = float(data.get("weight", 1))
        first, second = sorted((source, target))
        if simple.has_edge(first, second):
            simple[first][second]["weight"] += weight
        else:
            simple.add_edge(first, second, weight=weight)
    for _, _, data in simple.edges(data=True):
        data["distance"] = 1.0 / data["weight"] if data["weight"] > 0 else float("inf")
    return simple


def compute(graph: nx.Graph) -> Metrics:
    """Every metric of every node of a view."""
    simple = simple_graph(graph)
    count = simple.number_of_nodes()
    centrality = nx.degree_centrality(simple) if count > 1 else dict.fromkeys(simple, 0.0)
    betweenness = betweenness_by_component(simple)
    eigenvector = eigenvector_by_component(simple)
    communities = _numbered(communities_of(simple))
    components = _numbered(nx.connected_components(simple))
    community_of = {node: index for index, members in enumerate(communities) for node in members}
    component_of = {node: index for index, members in enumerate(components) for node in members}
    nodes = tuple(
        NodeMetrics(
            node=node,
            label=str(simple.nodes[node].get("short_name") or simple.nodes[node].get("label", node)),
            kind=str(simple.nodes[node].get("kind", "")),
            degree=int(simple.degree(node)),
            weighted_degree=float(simple.degree(node, weight="weight")),
            degree_centrality=float(centrality[node]),
            betweenness=float(betweenness[node]),
            eigenvector=float(eigenvector[node]),
            community=community_of[node],
            component=component_of[node],
        )
        for node in sorted(simple.nodes)
    )
    return Metrics(nodes, simple.number_of_edges(), communities, components)


def betweenness_by_component(simple: nx.Graph) -> dict[str, float]:
    """Betweenness normalised over the whole graph, computed one connected component at a time.

    Shortest paths never leave a component, so the values are those of the whole graph; working per
    component spares a graph of many small parts a search from every node over every node. A component
    where nodes × edges passes :data:`BETWEENNESS_EXACT_UP_TO` is estimated from a seeded sample of sources.
    """
    total = simple.number_of_nodes()
    values = dict.fromkeys(simple.nodes, 0.0)
    if total < 3:
        return values
    scale = 2.0 / ((total - 1) * (total - 2))  # networkx's normalisation for an undirected graph
    for members in nx.connected_components(simple):
        if len(members) < 3:
            continue
        component = simple.subgraph(sorted(members))
        work = len(members) * component.number_of_edges()
        sample = min(BETWEENNESS_SAMPLE, len(members)) if work > BETWEENNESS_EXACT_UP_TO else None
        found = nx.betweenness_centrality(component, k=sample, weight="distance", normalized=False,
                                          seed=SAMPLE_SEED)
        values.update({node: value * scale for node, value in found.items()})
    return values


def eigenvector_by_component(simple: nx.Graph) -> dict[str, float]:
    """Eigenvector centrality per connected component, scaled by the component's share of the nodes."""
    values: dict[str, float] = {}
    total = simple.number_of_nodes()
    for members in nx.connected_components(simple):
        if len(members) < 2:
            values.update(dict.fromkeys(members, 0.0))
            continue
        if len(members) == 2:  # a lone pair: both ends equal, 1/√2 once normalised (no iteration needed)
            values.update(dict.fromkeys(members, math.sqrt(0.5) * 2 / total))
            continue
        component = simple.subgraph(sorted(members))
        found = _power_iteration(component)
        if found is None:  # did not converge: degree centrality stands in
            found = nx.degree_centrality(component)
        share = len(members) / total
        values.update({node: value * share for node, value in found.items()})
    return values


def _power_iteration(component: nx.Graph, max_iter: int = 1000, tol: float = 1e-06) -> dict[str, float] | None:
    """Eigenvector centrality of a connected graph, as networkx computes it, in numpy over the edge list.

    Like ``nx.eigenvector_centrality`` it iterates x ← x + A·x (the + x keeps a bipartite graph from
    oscillating) and stops when the L1 change is below ``nodes × tol``; here each step is two array
    operations instead of a Python loop over the edges, which matters for graphs of thousands of nodes.
    """
    import numpy as np  # networkx's own spectral code needs numpy too; imported here, where it is used

    nodes = list(component)
    index = {node: position for position, node in enumerate(nodes)}
    edges = list(component.edges(data="weight", default=1.0))
    first = np.fromiter((index[u] for u, _, _ in edges), dtype=np.int64, count=len(edges))
    second = np.fromiter((index[v] for _, v, _ in edges), dtype=np.int64, count=len(edges))
    weight = np.fromiter((float(w) for _, _, w in edges), dtype=float, count=len(edges))
    count = len(nodes)
    x = np.full(count, 1.0 / count)
    for _ in range(max_iter):
        last = x
        x = last + np.bincount(first, weights=weight * last[second], minlength=count) \
            + np.bincount(second, weights=weight * last[first], minlength=count)
        norm = float(np.linalg.norm(x)) or 1.0
        x = x / norm
        if float(np.abs(x - last).sum()) < count * tol:
            return {node: float(x[index[node]]) for node in nodes}
    return None


def communities_of(simple: nx.Graph) -> list[frozenset[str]]:
    """Communities by greedy modularity (seeded Louvain on big graphs); with no edge, one node each."""
    if simple.number_of_edges() == 0:
        return [frozenset({node}) for node in simple.nodes]
    if simple.number_of_nodes() > GREEDY_UP_TO or simple.number_of_edges() > GREEDY_EDGES_UP_TO:
        found = nx.community.louvain_communities(simple, weight="weight", seed=SAMPLE_SEED)
    else:
        found = nx.community.greedy_modularity_communities(simple, weight="weight")
    return [frozenset(members) for members in found]


def _numbered(groups: Iterable[Any]) -> tuple[tuple[str, ...], ...]:
    ordered = sorted((tuple(sorted(group)) for group in groups), key=lambda members: (-len(members), members[0]))
    return tuple(ordered)


__all__ = ["Metric", "Metrics", "NodeMetrics", "betweenness_by_component", "communities_of", "compute",
           "eigenvector_by_component",
           "simple_graph"]
