"""The named views an analyst asks for, and finding an entity or topic from what they typed.

Node ids are entity IRIs everywhere. Analysts may name an entity by its IRI, its short id ``kind/id``
(``organisation/attf``), ``kind:id``, its bare id when only one entity has it (``attf``), or its label,
short name or alternative name (``ATTF``), ignoring case.
"""

from __future__ import annotations

import difflib
import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from atfgraph.errors import UsageError
from atfgraph.network.filters import Filters, keep_kinds, narrower_closure, select_items
from atfgraph.network.kinds import ACTORS, Kind
from atfgraph.network.projections import actor_topic_network, cooperation_network, ego_network


class View(enum.Enum):
    """What to look at: the entity network, the co-operation network, an ego network, actors and topics, time."""

    NETWORK = "network"
    COOPERATION = "cooperation"
    EGO = "ego"
    TOPICS = "topics"
    TIMELINE = "timeline"

    @property
    def default_kinds(self) -> frozenset[Kind]:
        """The kinds shown when no kind filter is given."""
        if self is View.COOPERATION:
            return ACTORS
        if self is View.TOPICS:
            return ACTORS | {Kind.TOPIC}
        if self is View.TIMELINE:
            return frozenset({Kind.EVENT})
        # Sources, topics and cities would link nearly everything to everything: they stay in the details.
        return frozenset({Kind.ORGANISATION, Kind.COUNTRY, Kind.EVENT, Kind.DOCUMENT})


@dataclass(frozen=True)
class ViewRequest:
    """A view with its filters; ``entity`` (an IRI) and ``depth`` are for the ego view."""

    view: View = View.NETWORK
    filters: Filters = field(default_factory=Filters)
    entity: str | None = None
    depth: int = 1

    @property
    def kinds(self) -> frozenset[Kind]:
        """The kinds to show: the filter's, else the view's default."""
        return self.filters.kinds if self.filters.kinds is not None else self.view.default_kinds


def view_graph(entities: nx.MultiDiGraph, request: ViewRequest) -> nx.Graph:
    """The graph of a view, built from the (unfiltered) entity graph.

    Topic and date filters act first, on the entity graph; then the view is projected; the kind filter
    acts last. The timeline view's graph is the filtered entity graph (its events are what it places).
    """
    selected = select_items(entities, request.filters)
    view = request.view
    if view is View.COOPERATION:
        graph = cooperation_network(selected)
    elif view is View.TOPICS:
        topics = narrower_closure(entities, request.filters.topics) if request.filters.topics else None
        graph = actor_topic_network(selected, topics=topics)
    else:
        graph = selected
    graph = keep_kinds(graph, request.kinds)
    if view is View.EGO:
        if request.entity is None:
            raise UsageError("the ego view needs an entity (--entity)")
        graph = ego_network(graph, request.entity, request.depth)
    graph.graph["view"] = view.value
    return graph


def resolve_entity(graph: nx.Graph, text: str) -> str:
    """The IRI of the entity an analyst named; :class:`UsageError` with suggestions when none or several match."""
    return _resolve(graph, text, None, "entity")


def resolve_topic(graph: nx.Graph, text: str) -> str:
    """The IRI of the topic an analyst named (IRI, ``topic/id``, id, label or alternative label)."""
    return _resolve(graph, text, Kind.TOPIC, "topic")


def _resolve(graph: nx.Graph, text: str, kind: Kind | None, what: str) -> str:
    wanted = text.strip()
    candidates = [(node, data) for node, data in graph.nodes(data=True)
                  if kind is None or data.get("kind") == kind.value]
    if any(node == wanted for node, _ in candidates):
        return wanted
    folded = wanted.casefold().replace(":", "/", 1)
    for keys in (_ids, _names):
        matches = sorted({node for node, data in candidates if folded in keys(node, data)})
        if len(matches) == 1:
            return str(matches[0])
        if len(matches) > 1:
            raise UsageError(f"'{text}' names more than one {what}: {', '.join(_short(graph, m) for m in matches)}")
    names = sorted({name for node, data in candidates for name in (*_ids(node, data), *_names(node, data))})
    close = difflib.get_close_matches(wanted.casefold(), names, n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(repr(name) for name in close)}?" if close else ""
    raise UsageError(f"unknown {what} '{text}'{hint}")


def _ids(node: str, data: dict[str, Any]) -> set[str]:
    short = str(data.get("short_id", node))
    return {node.casefold(), short.casefold(), short.rsplit("/", 1)[-1].casefold()}


def _names(node: str, data: dict[str, Any]) -> set[str]:
    names: Iterable[Any] = (data.get("label"), data.get("short_name"), *tuple(data.get("alt_names", ()) or ()))
    return {str(name).casefold() for name in names if name}


def _short(graph: nx.Graph, node: str) -> str:
    return str(graph.nodes[node].get("short_id", node))


__all__ = ["View", "ViewRequest", "resolve_entity", "resolve_topic", "view_graph"]
