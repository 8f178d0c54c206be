"""Graphs derived from the entity graph: the co-operation network, the actor–topic graph, ego networks.

The co-operation network links two actors (countries and organisations) for every event both took part
in, in any of the roles in :data:`ROLES`; an edge's ``weight`` is the number of such shared events and its
``events`` the events' IRIs. The organisation whose meeting series an event belongs to (``atf:series``)
counts as taking part: the 6th ATTF meeting is the ATTF's own meeting. Nested events are not merged: a
workshop held during a meeting is an event of its own.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from typing import Any

import networkx as nx

from atfgraph.errors import UsageError
from atfgraph.network.entities import COOPERATED_WITH
from atfgraph.network.kinds import ACTORS, Kind

ROLES: tuple[str, ...] = ("organiser", "participant", "partner", "series")
"""The links from an event to an actor that count as taking part in it (edge ``relation`` values)."""

COOPERATED = COOPERATED_WITH
CONCERNS_TOPIC = "worksOn"


def _kind(data: dict[str, Any]) -> str:
    return str(data.get("kind", Kind.OTHER.value))


def event_actors(graph: nx.MultiDiGraph, roles: tuple[str, ...] = ROLES) -> dict[str, frozenset[str]]:
    """Every event of the graph with the actors that took part in it in one of ``roles``."""
    found: dict[str, frozenset[str]] = {}
    actor_kinds = {kind.value for kind in ACTORS}
    for node, data in graph.nodes(data=True):
        if _kind(data) != Kind.EVENT.value:
            continue
        found[node] = frozenset(
            actor for _, actor, edge in graph.out_edges(node, data=True)
            if edge.get("relation") in roles and _kind(graph.nodes[actor]) in actor_kinds
        )
    return found


def cooperation_network(graph: nx.MultiDiGraph, roles: tuple[str, ...] = ROLES) -> nx.Graph:
    """The co-operation network: actors of the events, linked and weighted by the events they shared.

    Every actor that took part in at least one event is a node (with an ``events`` count), even when it
    shared none; edges carry ``weight``, ``events`` (IRIs) and ``event_labels``. A graph made from the saved
    query ``cooperation-network`` has no events but ``cooperatedWith`` edges: those are taken as they are.
    """
    taking_part = event_actors(graph, roles)
    shared: dict[tuple[str, str], list[str]] = defaultdict(list)
    count: dict[str, int] = defaultdict(int)
    for event in sorted(taking_part):
        actors = sorted(taking_part[event])
        for actor in actors:
            count[actor] += 1
        for pair in combinations(actors, 2):
            shared[pair].append(event)
    network = nx.Graph(view="cooperation")
    for actor in sorted(count):
        network.add_node(actor, **graph.nodes[actor], events=count[actor])
    for (first, second), events in sorted(shared.items()):
        network.add_edge(first, second, relation=COOPERATED, label=f"{len(events)} shared event(s)",
                         weight=len(events), events=tuple(events),
                         event_labels=tuple(str(graph.nodes[event].get("label", event)) for event in events))
    actor_kinds = {kind.value for kind in ACTORS}
    for source, target, data in sorted(graph.edges(data=True), key=lambda edge: (edge[0], edge[1])):
        if data.get("relation") != COOPERATED or network.has_edge(source, target):
            continue
        if _kind(graph.nodes[source]) in actor_kinds and _kind(graph.nodes[target]) in actor_kinds:
            for actor in (source, target):
                if actor not in network:
                    network.add_node(actor, **graph.nodes[actor])
            network.add_edge(source, target, **data)
    return network


def actor_topic_network(graph: nx.MultiDiGraph, roles: tuple[str, ...] = ROLES,
                        topics: frozenset[str] | None = None) -> nx.Graph:
    """The bipartite actor–topic graph: an actor is linked to the topics of its own record and of its events.

    An edge's ``weight`` counts those records (the actor's own and its events), ``events`` lists the events
    and ``declared`` says whether the actor's own record names the topic. Nodes carry ``bipartite`` 0 for
    actors and 1 for topics, as networkx's bipartite algorithms expect. ``topics`` limits the topics shown.
    """
    links: dict[tuple[str, str], list[str]] = defaultdict(list)
    declared: set[tuple[str, str]] = set()
    actor_kinds = {kind.value for kind in ACTORS}
    for node, data in graph.nodes(data=True):
        if _kind(data) in actor_kinds:
            for topic in data.get("topic_iris", ()):
                declared.add((node, topic))
    for event, actors in sorted(event_actors(graph, roles).items()):
        for topic in graph.nodes[event].get("topic_iris", ()):
            for actor in sorted(actors):
                links[(actor, topic)].append(event)
    network = nx.Graph(view="topics")
    for actor, topic in sorted(set(links) | declared):
        if topics is not None and topic not in topics:
            continue
        events = links.get((actor, topic), [])
        for node, side in ((actor, 0), (topic, 1)):
            if node not in network:
                data = dict(graph.nodes[node]) if node in graph else _bare_topic(node)
                network.add_node(node, **data, bipartite=side)
        network.add_edge(actor, topic, relation=CONCERNS_TOPIC, label="works on",
                         weight=len(events) + ((actor, topic) in declared), events=tuple(events),
                         declared=(actor, topic) in declared)
    return network


def _bare_topic(iri: str) -> dict[str, Any]:
    """Attributes for a topic that is named by a record but not described in the graph."""
    name = iri.rstrip("/").rsplit("/", 1)[-1]
    topic = Kind.TOPIC
    return {"iri": iri, "short_id": f"topic/{name}", "label": name, "kind": topic.value,
            "type": "Topic", "type_label": "Topic", "color": topic.style.colour}


def ego_network(graph: nx.Graph, entity: str, depth: int = 1) -> nx.Graph:
    """The nodes within ``depth`` links of ``entity`` (either direction), with every edge among them."""
    if entity not in graph:
        raise UsageError(f"{entity} is not in the graph (a filter may have removed it)")
    if depth < 0:
        raise UsageError(f"the depth must be 0 or more, not {depth}")
    undirected = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    reached = nx.single_source_shortest_path_length(undirected, entity, cutoff=depth)
    ego = graph.subgraph(sorted(reached)).copy()
    ego.graph["ego"] = entity
    return ego


__all__ = [
    "CONCERNS_TOPIC",
    "COOPERATED",
    "ROLES",
    "actor_topic_network",
    "cooperation_network",
    "ego_network",
    "event_actors",
]
