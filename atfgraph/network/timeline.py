"""Events on a time axis: where each one goes, shared by the HTML page and the static images.

Events are placed by their date bounds only (``atf:earliest``/``atf:latest``), never by the typed value:

* a day (both bounds the same day) is a marker;
* a range (a span of days, a month, a year) is a bar from its first to its last day;
* a date known at one end only (``2003-11/..``) is a marker at that day, flagged ``open`` so it can be
  drawn with an arrow towards the unknown end;
* an event whose year is unknown (``XXXX-10-23``) or that has no date at all goes in a lane of its own,
  :data:`UNKNOWN_LANE`, off the time axis: it is never placed at year 0.

Lanes are topics (an event with three topics appears in three lanes) or event types.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from typing import Any

import networkx as nx

from atfgraph.network.filters import bounds
from atfgraph.network.kinds import Kind

UNKNOWN_LANE = "Year unknown"
NO_TOPIC = "(no topic)"


class LaneBy(enum.Enum):
    """What the timeline's lanes are."""

    TOPIC = "topic"
    TYPE = "type"


class Placement(enum.Enum):
    """How an event sits on the time axis."""

    DAY = "day"
    SPAN = "span"
    OPEN = "open"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class TimelineItem:
    """One event in one lane: its dates (``None`` when unknown) and how it is drawn."""

    node: str
    label: str
    lane: str
    placement: Placement
    start: date | None
    end: date | None
    date_text: str
    type_label: str


@dataclass(frozen=True)
class Timeline:
    """The lanes in display order (the unknown lane last, when it has events) and the items in them."""

    lanes: tuple[str, ...]
    items: tuple[TimelineItem, ...]

    @property
    def dated(self) -> tuple[TimelineItem, ...]:
        """The items on the time axis."""
        return tuple(item for item in self.items if item.placement is not Placement.UNKNOWN)

    @property
    def unknown(self) -> tuple[TimelineItem, ...]:
        """The items in the lane for events whose year is unknown."""
        return tuple(item for item in self.items if item.placement is Placement.UNKNOWN)

    @property
    def span(self) -> tuple[date, date] | None:
        """The first and last day on the axis, or ``None`` when no event is dated."""
        days = [day for item in self.dated for day in (item.start, item.end) if day is not None]
        return (min(days), max(days)) if days else None


def placement(data: dict[str, Any]) -> tuple[Placement, date | None, date | None]:
    """How an event with these attributes is placed, and its first and last day."""
    span = bounds(data)
    if span is None:
        return Placement.UNKNOWN, None, None
    first, last = span
    if data.get("earliest") is None or data.get("latest") is None:
        return Placement.OPEN, first, last
    return (Placement.DAY if first == last else Placement.SPAN), first, last


def timeline(graph: nx.Graph, lane_by: LaneBy = LaneBy.TOPIC) -> Timeline:
    """The timeline of the events of a graph (usually the filtered entity graph)."""
    items: list[TimelineItem] = []
    for node, data in sorted(graph.nodes(data=True)):
        if data.get("kind") != Kind.EVENT.value:
            continue
        where, first, last = placement(data)
        if where is Placement.UNKNOWN:
            lanes: tuple[str, ...] = (UNKNOWN_LANE,)
        elif lane_by is LaneBy.TOPIC:
            lanes = tuple(data.get("topics", ())) or (NO_TOPIC,)
        else:
            lanes = (str(data.get("type_label", "Event")),)
        for lane in lanes:
            items.append(TimelineItem(node, str(data.get("label", node)), lane, where, first, last,
                                      str(data.get("date", "")), str(data.get("type_label", "Event"))))
    items.sort(key=lambda item: (item.start or date.max, item.label, item.lane))
    dated_lanes = sorted({item.lane for item in items if item.placement is not Placement.UNKNOWN},
                         key=lambda lane: (lane == NO_TOPIC, lane.casefold()))
    lanes_shown = (*dated_lanes, UNKNOWN_LANE) if any(item.lane == UNKNOWN_LANE for item in items) else (
        tuple(dated_lanes))
    return Timeline(lanes_shown, tuple(items))


__all__ = ["NO_TOPIC", "UNKNOWN_LANE", "LaneBy", "Placement", "Timeline", "TimelineItem", "placement", "timeline"]
