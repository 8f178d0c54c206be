"""What every rendering needs, computed once: the view's graph, its metrics and layout, the timeline's events,
and a title that says what is shown."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from atfgraph.network.filters import Filters, select_items
from atfgraph.network.layout import Position, positions
from atfgraph.network.metrics import Metrics, compute
from atfgraph.network.views import View, ViewRequest, view_graph

_DISPLAY_LENGTH = 48


@dataclass(frozen=True)
class Scene:
    """A view ready to draw. ``events`` is the entity graph after the topic and date filters (the timeline's input)."""

    request: ViewRequest
    title: str
    subtitle: str
    metrics: Metrics
    positions: dict[str, Position]
    graph: nx.Graph = field(compare=False)
    events: nx.Graph = field(compare=False)


def scene(entities: nx.MultiDiGraph, request: ViewRequest) -> Scene:
    """Build the view's graph and everything drawn with it."""
    graph = view_graph(entities, request)
    return Scene(
        request=request,
        title=title(entities, request),
        subtitle=describe_filters(entities, request.filters),
        metrics=compute(graph),
        positions=positions(graph, centre=request.entity if request.view is View.EGO else None),
        graph=graph,
        events=select_items(entities, request.filters),
    )


def title(entities: nx.Graph, request: ViewRequest) -> str:
    """A heading for the view."""
    view = request.view
    if view is View.EGO and request.entity is not None:
        data = entities.nodes[request.entity] if request.entity in entities else {}
        name = data.get("short_name") or data.get("label") or request.entity
        links = "link" if request.depth == 1 else "links"
        return f"Ego network of {name} (within {request.depth} {links})"
    return {
        View.NETWORK: "Entity network",
        View.COOPERATION: "Co-operation network",
        View.EGO: "Ego network",
        View.TOPICS: "Actors and topics",
        View.TIMELINE: "Timeline of events",
    }[view]


def describe_filters(entities: nx.Graph, filters: Filters) -> str:
    """The filters in words, for a subtitle: topics, date range and kinds."""
    parts: list[str] = []
    if filters.topics:
        names = sorted(str(entities.nodes[topic].get("label", topic)) if topic in entities else topic
                       for topic in filters.topics)
        parts.append(f"topic: {', '.join(names)} (and narrower)")
    if filters.start is not None or filters.end is not None:
        start = filters.start.isoformat() if filters.start is not None else "…"
        end = filters.end.isoformat() if filters.end is not None else "…"
        parts.append(f"dates {start} to {end} (undated left out)")
    if filters.kinds is not None:
        parts.append("types: " + ", ".join(sorted(kind.value for kind in filters.kinds)))
    return " · ".join(parts)


def display_label(data: dict[str, Any]) -> str:
    """The short label drawn on a node: the short name if any, else the label cut at a word."""
    text = str(data.get("short_name") or data.get("label", ""))
    if len(text) <= _DISPLAY_LENGTH:
        return text
    cut = text[:_DISPLAY_LENGTH].rsplit(" ", 1)[0].rstrip(",;:-–")
    return cut + "…"


__all__ = ["Scene", "describe_filters", "display_label", "scene", "title"]
