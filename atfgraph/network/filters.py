"""Filters on the entity graph: by kind, by topic (narrower topics included) and by date range.

Topic and date filters choose *items*, the events and documents: an item is kept when one of its topics
is a chosen topic or a narrower one, and when its date bounds (``atf:earliest``/``atf:latest``) overlap the
range. An item whose year is unknown (no bound at all) is left out whenever a date range is given; a date
known at one end only (``2003-11/..``, "no earlier than November 2003") counts as that one day. Around the
items kept, the graph keeps what touches them: the organisations, countries, places, topics and sources
linked to a kept item or to a chosen topic. The kind filter is applied last.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import networkx as nx

from atfgraph.errors import UsageError
from atfgraph.network.entities import BROADER
from atfgraph.network.kinds import ITEMS, Kind

_BOUND = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True)
class Filters:
    """What to keep: node kinds (``None`` for every kind), topic IRIs, and a date range (either end open)."""

    kinds: frozenset[Kind] | None = None
    topics: frozenset[str] = frozenset()
    start: date | None = None
    end: date | None = None

    @property
    def selects_items(self) -> bool:
        """True when a topic or date filter is set, so only some events and documents are kept."""
        return bool(self.topics) or self.start is not None or self.end is not None

    def __post_init__(self) -> None:
        if self.start is not None and self.end is not None and self.start > self.end:
            raise UsageError(f"the date range is empty: {self.start.isoformat()} is after {self.end.isoformat()}")


def parse_bound(text: str, *, end: bool) -> date:
    """A date-range bound from ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; an end bound is the last day meant."""
    match = _BOUND.match(text.strip())
    if match is None:
        raise UsageError(f"'{text}' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
    year, month_text, day_text = match.groups()
    try:
        month = int(month_text) if month_text else (12 if end else 1)
        if day_text:
            return date(int(year), month, int(day_text))
        return date(int(year), month, monthrange(int(year), month)[1] if end else 1)
    except ValueError as error:
        raise UsageError(f"'{text}' is not a date: {error}") from error


def narrower_closure(graph: nx.Graph, topics: Iterable[str]) -> frozenset[str]:
    """The topics given and every topic narrower than one of them, following ``broader`` edges down.

    Only the entity graph (directed) holds the topic hierarchy; on any other graph the topics come back as given.
    """
    found = set(topics)
    frontier = list(found)
    while frontier and graph.is_directed():
        topic = frontier.pop()
        if topic not in graph:
            continue
        # A narrower topic points at its broader one, so walk the broader edges backwards.
        for narrower, _, data in graph.in_edges(topic, data=True):
            if data.get("relation") == BROADER and narrower not in found:
                found.add(narrower)
                frontier.append(narrower)
    return frozenset(found)


def bounds(data: dict[str, Any]) -> tuple[date, date] | None:
    """The first and last day an item's date can mean, or ``None`` when its year is unknown.

    A date known at one end only (an open interval) gives that day for both.
    """
    earliest, latest = data.get("earliest"), data.get("latest")
    if earliest is None and latest is None:
        return None
    first = date.fromisoformat(str(earliest if earliest is not None else latest))
    last = date.fromisoformat(str(latest if latest is not None else earliest))
    return first, last


def item_passes(data: dict[str, Any], filters: Filters, topics: frozenset[str]) -> bool:
    """Whether an event or document passes the topic filter (``topics``: chosen plus narrower) and the range."""
    if filters.topics and not topics.intersection(data.get("topic_iris", ())):
        return False
    if filters.start is None and filters.end is None:
        return True
    span = bounds(data)
    if span is None:
        return False
    return (filters.end is None or span[0] <= filters.end) and (filters.start is None or span[1] >= filters.start)


def select_items(graph: nx.Graph, filters: Filters) -> nx.Graph:
    """The graph cut down by the topic and date filters (see the module docstring); kinds are not touched."""
    if not filters.selects_items:
        return graph.copy()
    topics = narrower_closure(graph, filters.topics)
    anchors: set[str] = set()
    for node, data in graph.nodes(data=True):
        if _kind(data) in ITEMS:
            if item_passes(data, filters, topics):
                anchors.add(node)
        elif filters.topics and node in topics:
            anchors.add(node)
    keep = set(anchors)
    undirected = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    for anchor in anchors:
        keep.update(other for other in undirected.neighbors(anchor)
                    if _kind(graph.nodes[other]) not in ITEMS)
    return graph.subgraph(sorted(keep)).copy()


def keep_kinds(graph: nx.Graph, kinds: Iterable[Kind] | None) -> nx.Graph:
    """The graph with only the nodes of the given kinds (every node when ``kinds`` is ``None``)."""
    if kinds is None:
        return graph.copy()
    wanted = frozenset(kinds)
    kept = [node for node, data in graph.nodes(data=True) if _kind(data) in wanted]
    return graph.subgraph(kept).copy()


def apply_filters(graph: nx.Graph, filters: Filters) -> nx.Graph:
    """Topic and date filters, then the kind filter."""
    return keep_kinds(select_items(graph, filters), filters.kinds)


def _kind(data: dict[str, Any]) -> Kind:
    try:
        return Kind(data.get("kind", Kind.OTHER.value))
    except ValueError:
        return Kind.OTHER


__all__ = ["Filters", "apply_filters", "bounds", "item_passes", "keep_kinds", "narrower_closure", "parse_bound",
           "select_items"]
