"""Static PNG and SVG images of a view for reports, drawn with matplotlib.

Figures are made with matplotlib's object API and the Agg canvas, never pyplot, so no global backend is
switched and nothing opens a window. Settings that make the files reproducible (``svg.hashsalt``, no date
in the metadata) are applied in a ``rc_context`` for the one save, and restored afterwards.
"""

from __future__ import annotations

import enum
import io
import math
import textwrap
from dataclasses import dataclass
from datetime import date
from typing import Any

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from atfgraph.network.kinds import STYLES, Kind
from atfgraph.network.timeline import LaneBy, Placement, Timeline, TimelineItem, timeline
from atfgraph.network.views import View
from atfgraph.viz.palette import type_colours
from atfgraph.viz.scene import Scene, display_label

_LABELS_ALL_UP_TO = 90
"""Label every node up to this many; beyond it, only the best connected, so the picture stays readable."""


_EDGE_LABELS_UP_TO = 300
"""Weights are written on the edges of a weighted network only up to this many edges (text is slow and crowds)."""


class ImageFormat(enum.Enum):
    """The static image formats."""

    PNG = "png"
    SVG = "svg"


def _save(figure: Figure, fmt: ImageFormat) -> bytes:
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    # A fixed salt for the SVG ids, and text kept as text (searchable, and checkable by tests).
    with matplotlib.rc_context({"svg.hashsalt": "atfgraph", "svg.fonttype": "none"}):
        if fmt is ImageFormat.SVG:
            figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": "atfgraph"})
        else:
            figure.savefig(buffer, format="png", dpi=150, metadata={"Software": "atfgraph"})
    return buffer.getvalue()


def network_image(scene: Scene, fmt: ImageFormat) -> bytes:
    """The view's network: nodes coloured and shaped by kind, sized by degree, labelled, with a legend."""
    graph = scene.graph
    count = graph.number_of_nodes()
    side = min(18.0, max(9.0, 4.0 + math.sqrt(max(count, 1)) * 1.15))
    figure = Figure(figsize=(side * 1.25, side), layout="constrained")
    axes = figure.add_subplot()
    axes.set_axis_off()
    axes.set_title(scene.title, loc="left", fontsize=15, fontweight="bold")
    if scene.subtitle:
        figure.suptitle(scene.subtitle, x=0.01, y=0.005, ha="left", va="bottom", fontsize=9, color="#616e7c")
    metrics = {item.node: item for item in scene.metrics.nodes}
    top_degree = max((item.degree for item in scene.metrics.nodes), default=0) or 1
    at = scene.positions
    segments = [(at[u], at[v]) for u, v in graph.edges() if u != v and u in at and v in at]
    weighted = any("weight" in data for _, _, data in graph.edges(data=True))
    heaviest = _max_weight(graph)
    widths = [(0.4 + 4.0 * float(data.get("weight", 1)) / heaviest) if weighted else 0.8
              for u, v, data in graph.edges(data=True) if u != v and u in at and v in at]
    axes.add_collection(LineCollection(segments, colors="#b9c1cc", linewidths=widths, zorder=1, alpha=0.9))
    if weighted and len(segments) <= _EDGE_LABELS_UP_TO:  # write the heavier weights: widths are hard to compare
        for u, v, data in graph.edges(data=True):
            weight = data.get("weight", 1)
            if u != v and u in at and v in at and weight > 1:
                middle = ((at[u][0] + at[v][0]) / 2, (at[u][1] + at[v][1]) / 2)
                axes.text(*middle, str(weight), fontsize=7, color="#3e4c59", ha="center", va="center", zorder=2,
                          bbox={"boxstyle": "circle,pad=0.15", "facecolor": "white", "edgecolor": "#b9c1cc",
                                "linewidth": 0.6})
    handles: list[Line2D] = []
    for kind in Kind:
        nodes = sorted(node for node, data in graph.nodes(data=True) if data.get("kind") == kind.value)
        if not nodes:
            continue
        style = STYLES[kind]
        sizes = [60 + 540 * math.sqrt(metrics[node].degree / top_degree) for node in nodes]
        axes.scatter([at[node][0] for node in nodes], [at[node][1] for node in nodes], s=sizes, c=style.colour,
                     marker=style.marker, edgecolors="white", linewidths=1.0, zorder=2)
        handles.append(Line2D([], [], linestyle="", marker=style.marker, markersize=10, markerfacecolor=style.colour,
                              markeredgecolor="white", label=f"{style.plural.capitalize()} ({len(nodes)})"))
    labelled = sorted(graph.nodes, key=lambda node: (-metrics[node].degree, node))
    if count > _LABELS_ALL_UP_TO:
        labelled = labelled[:_LABELS_ALL_UP_TO // 2]
    for node in sorted(labelled):
        x, y = at[node]
        text = textwrap.fill(display_label(graph.nodes[node]), 24)
        axes.annotate(text, (x, y), xytext=(0, -10), textcoords="offset points", linespacing=1.0,
                      ha="center", va="top", fontsize=7.5, color="#1f2933", zorder=3,
                      bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.75})
    if at:
        xs = [x for x, _ in at.values()]
        ys = [y for _, y in at.values()]
        axes.set_xlim(min(xs) - 1.2, max(xs) + 1.2)
        axes.set_ylim(min(ys) - 1.2, max(ys) + 1.0)
    else:
        axes.text(0.5, 0.5, "Nothing matches the filters.", ha="center", va="center", transform=axes.transAxes)
    if handles:
        axes.legend(handles=handles, loc="upper right", frameon=True, fontsize=9, title="Type", title_fontsize=9)
    return _save(figure, fmt)


def _max_weight(graph: Any) -> float:
    return max((float(data.get("weight", 1)) for _, _, data in graph.edges(data=True)), default=1.0) or 1.0


_TIMELINE_WIDTH = 15.0
_LABEL_FONT = 7.5
_ROW_INCHES = 0.27
_LABELLED_UP_TO = 250
_UNKNOWN_LISTED_UP_TO = 30
"""Above this many dated items the timeline drops the labels (and the rows that keep them apart)."""


def timeline_image(scene: Scene, fmt: ImageFormat, lane_by: LaneBy = LaneBy.TOPIC) -> bytes:
    """Events on a time axis by topic or type; events whose year is unknown listed in a panel of their own."""
    laid = timeline(scene.events, lane_by)
    dated_lanes = [lane for lane in laid.lanes if any(item.lane == lane for item in laid.dated)]
    unknown = _unique_events(laid)
    packed = _pack(laid, dated_lanes)
    rows = max(sum(count for _, _, count in packed.lanes), 1)
    listed = min(len(unknown), _UNKNOWN_LISTED_UP_TO) + (1 if len(unknown) > _UNKNOWN_LISTED_UP_TO else 0)
    unknown_inches = 0.5 + 0.24 * listed if unknown else 0.0
    axis_inches = 0.6 + _ROW_INCHES * rows
    figure = Figure(figsize=(_TIMELINE_WIDTH, 1.6 + axis_inches + unknown_inches), layout="constrained")
    grid = figure.add_gridspec(2 if unknown else 1, 1,
                               height_ratios=[axis_inches, unknown_inches] if unknown else [1.0])
    axes = figure.add_subplot(grid[0])
    axes.set_title(scene.title if scene.request.view is View.TIMELINE else "Timeline of events", loc="left",
                   fontsize=14, fontweight="bold")
    colours = type_colours(item.type_label for item in laid.items)
    _draw_dated(axes, laid, packed, colours)
    if unknown:
        _draw_unknown(figure.add_subplot(grid[1]), unknown, colours)
    handles = [Line2D([], [], linestyle="", marker="D", markersize=7, color=colour, label=label)
               for label, colour in colours.items()]
    handles += [Line2D([], [], color="#616e7c", linewidth=6, label="a span of days"),
                Line2D([], [], linestyle="", marker="D", color="#616e7c", label="one day"),
                Line2D([], [], linestyle="", marker="$\u2192$", markersize=9, color="#616e7c", label="end unknown")]
    figure.legend(handles=handles, loc="outside lower center", ncols=min(len(handles), 7), fontsize=8.5,
                  frameon=False)
    if scene.subtitle:
        figure.suptitle(scene.subtitle, x=0.01, ha="left", fontsize=9, color="#616e7c")
    return _save(figure, fmt)


@dataclass(frozen=True)
class _Packed:
    """Timeline items with the row each is drawn on, and each lane's first row and number of rows."""

    rows: tuple[tuple[TimelineItem, int], ...]
    lanes: tuple[tuple[str, int, int], ...]
    points_per_day: float = 1.0
    right: float = 0.0
    labelled: bool = True


def _pack(laid: Timeline, lanes: list[str]) -> _Packed:
    """Give every item a row in its lane so that no bar, marker or label overlaps another."""
    span = laid.span
    if span is None:
        return _Packed((), ())
    left = _day(date(span[0].year, 1, 1))
    axis_end = _day(date(span[1].year + 1, 1, 1))
    packed = _pack_at(laid, lanes, (_TIMELINE_WIDTH - 3.2) * 72.0 / max(axis_end - left, 1.0))
    for _ in range(3):  # labels past the last year widen the axis, which shrinks the scale: settle it
        if packed.right <= axis_end:
            break
        axis_end = packed.right
        packed = _pack_at(laid, lanes, (_TIMELINE_WIDTH - 3.2) * 72.0 / max(axis_end - left, 1.0))
    return packed


def _pack_at(laid: Timeline, lanes: list[str], points_per_day: float) -> _Packed:
    if len(laid.dated) > _LABELLED_UP_TO:  # too many to label: one row per lane, markers only
        row_of = {lane: index for index, lane in enumerate(lanes)}
        return _Packed(tuple((item, row_of[item.lane]) for item in laid.dated),
                       tuple((lane, index, 1) for index, lane in enumerate(lanes)), points_per_day, 0.0, False)
    placed: list[tuple[TimelineItem, int]] = []
    lane_rows: list[tuple[str, int, int]] = []
    first_row = 0
    right = 0.0
    for lane in lanes:
        row_ends: list[float] = []
        for item in sorted((item for item in laid.dated if item.lane == lane),
                           key=lambda item: (item.start or date.min, item.label)):
            assert item.start is not None and item.end is not None
            start = _day(item.start)
            end = start + _bar_days(item, points_per_day) if item.placement is Placement.SPAN else start
            text_points = len(_short(item.label)) * _LABEL_FONT * 0.56 + 14.0
            extent = end + (text_points + (16.0 if item.placement is Placement.OPEN else 0.0)) / points_per_day
            row = next((index for index, last in enumerate(row_ends) if last < start - 4.0 / points_per_day),
                       len(row_ends))
            if row == len(row_ends):
                row_ends.append(extent)
            row_ends[row] = extent
            placed.append((item, first_row + row))
        lane_rows.append((lane, first_row, max(len(row_ends), 1)))
        first_row += max(len(row_ends), 1)
        right = max([right, *row_ends])
    return _Packed(tuple(placed), tuple(lane_rows), points_per_day, right)


def _bar_days(item: TimelineItem, points_per_day: float) -> float:
    """A span's length in days, at least a few points wide so that a two-day meeting stays visible."""
    assert item.start is not None and item.end is not None
    return max((item.end - item.start).days + 1.0, 5.0 / points_per_day)


def _day(day: date) -> float:
    """A day as an x coordinate (its proleptic ordinal); the axis labels its years itself."""
    return float(day.toordinal())


def _short(label: str) -> str:
    return label if len(label) <= 44 else label[:43] + "…"


def _draw_dated(axes: Axes, laid: Timeline, packed: _Packed, colours: dict[str, str]) -> None:
    span = laid.span
    if span is None or not packed.lanes:
        axes.set_axis_off()
        axes.text(0.5, 0.5, "No dated event matches the filters.", ha="center", va="center", transform=axes.transAxes)
        return
    for index, (_, first, count) in enumerate(packed.lanes):
        if index % 2 == 0:
            axes.axhspan(first - 0.5, first + count - 0.5, color="#eef1f5", zorder=0)
    bars: list[tuple[float, float, float, str]] = []
    marks: list[tuple[float, float, str]] = []
    for item, row in packed.rows:
        assert item.start is not None and item.end is not None
        colour = colours.get(item.type_label, "#bab0ac")
        start = _day(item.start)
        end = start
        if item.placement is Placement.SPAN:
            end = start + _bar_days(item, packed.points_per_day)
            bars.append((row, start, end - start, colour))
        else:
            marks.append((start, row, colour))
        if not packed.labelled:
            continue
        shift = 5.0
        if item.placement is Placement.OPEN:
            # An arrow towards the unknown end: the date is "no earlier than" this day.
            axes.annotate("\u2192", (start, row), xytext=(5.0, 0), textcoords="offset points", fontsize=10,
                          color=colour, ha="left", va="center", zorder=3)
            shift = 18.0
        axes.annotate(_short(item.label), (end, row), xytext=(shift, 0), textcoords="offset points",
                      fontsize=_LABEL_FONT, color="#1f2933", ha="left", va="center", zorder=4)
    # One call per kind of mark, not one per event: a big timeline draws in seconds, not minutes.
    if bars:
        axes.barh([bar[0] for bar in bars], [bar[2] for bar in bars], left=[bar[1] for bar in bars], height=0.5,
                  color=[bar[3] for bar in bars], zorder=2)
    if marks:
        axes.scatter([mark[0] for mark in marks], [mark[1] for mark in marks], c=[mark[2] for mark in marks],
                     marker="D", s=40, edgecolors="white", linewidths=0.8, zorder=3)
    if not packed.labelled:
        axes.set_title(f"{len(packed.rows)} dated events: too many to label; see the HTML page for names",
                       loc="right", fontsize=9, color="#616e7c")
    # Room on the right for the last labels, so none is cut off at the edge of the figure.
    right = max(_day(date(span[1].year + 1, 1, 1)), packed.right)
    axes.set_xlim(_day(date(span[0].year, 1, 1)), right)
    first, last = span[0].year, date.fromordinal(int(right)).year
    step = next((step for step in (1, 2, 5, 10, 20, 50) if (last - first) / step <= 14), 100)
    years = range(math.ceil(first / step) * step, last + 1, step)
    axes.set_xticks([_day(date(year, 1, 1)) for year in years], [str(year) for year in years])
    total = packed.lanes[-1][1] + packed.lanes[-1][2]
    axes.set_ylim(total - 0.5, -0.5)
    axes.set_yticks([first + (count - 1) / 2 for _, first, count in packed.lanes],
                    [lane if len(lane) <= 34 else lane[:33] + "…" for lane, _, _ in packed.lanes], fontsize=9)
    axes.grid(axis="x", color="#dde2e8", zorder=0)
    axes.tick_params(axis="y", length=0)
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)


def _unique_events(laid: Timeline) -> list[tuple[str, str, str]]:
    """(label, date as written, type) of each event in the unknown lane, once each."""
    seen: dict[str, tuple[str, str, str]] = {}
    for item in laid.unknown:
        seen.setdefault(item.node, (item.label, item.date_text or "no date", item.type_label))
    return sorted(seen.values())


def _draw_unknown(axes: Axes, events: list[tuple[str, str, str]], colours: dict[str, str]) -> None:
    """The unknown-year lane: a list, not a time axis, so nothing is ever drawn at year 0."""
    axes.set_axis_off()
    axes.set_title(f"Year unknown ({len(events)}): not on the time axis", loc="left", fontsize=10, color="#616e7c")
    shown = events[:_UNKNOWN_LISTED_UP_TO]
    lines = len(shown) + (1 if len(events) > len(shown) else 0)
    for index, (label, written, type_label) in enumerate(shown):
        y = 1.0 - (index + 0.5) / lines
        axes.plot([0.005], [y], marker="D", markersize=6, color=colours.get(type_label, "#bab0ac"),
                  transform=axes.transAxes, clip_on=False)
        text = label if len(label) <= 90 else label[:89] + "…"
        axes.text(0.015, y, f"{text}   {written}", fontsize=8.5, va="center", transform=axes.transAxes)
    if len(events) > len(shown):
        axes.text(0.015, 0.5 / lines, f"… and {len(events) - len(shown)} more (the HTML page lists them all)",
                  fontsize=8.5, va="center", color="#616e7c", transform=axes.transAxes)


def render_image(scene: Scene, fmt: ImageFormat, lane_by: LaneBy = LaneBy.TOPIC) -> bytes:
    """The image of a scene: its timeline for the timeline view, its network otherwise."""
    if scene.request.view is View.TIMELINE:
        return timeline_image(scene, fmt, lane_by)
    return network_image(scene, fmt)


__all__ = ["ImageFormat", "network_image", "render_image", "timeline_image"]
