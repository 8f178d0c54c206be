"""One self-contained HTML page per view: works offline, fetches nothing.

The page inlines its stylesheet, its script, the vendored Cytoscape.js (``vendor/``, with its licence) and the
view's data as JSON in a ``<script type="application/json">`` element. Nothing refers to any other file or
address: no CDN, no web font, no image. Links to entity IRIs and source URLs are only followed if the
analyst clicks them.

For tests and scripts the page exposes ``window.atfgraph`` (``visibleNodeCount()``, ``search(text)``,
``setKinds([...])``, ``showTab(name)``) and keeps ``data-node-count``/``data-edge-count`` on ``<body>`` up
to date with what is visible.
"""

from __future__ import annotations

import json
import re
from importlib.resources import files
from typing import Any

import networkx as nx

from atfgraph.network.filters import bounds
from atfgraph.network.kinds import STYLES, Kind
from atfgraph.network.timeline import LaneBy, placement
from atfgraph.viz.palette import type_colours
from atfgraph.viz.scene import Scene, display_label

VENDOR_SCRIPT = "cytoscape.min.js"
VENDOR_NAME = "Cytoscape.js"
VENDOR_VERSION = "3.35.0"

_PIXELS_PER_UNIT = 110.0
"""Layout units to screen pixels at zoom 1."""

_MARKER = re.compile(r"/\*@@[A-Z_]+@@\*/|@@[A-Z_]+@@")


def _asset(folder: str, name: str) -> str:
    return files("atfgraph.viz").joinpath(folder, name).read_text(encoding="utf-8")


def _inline_script(code: str) -> str:
    """Script text that cannot end its ``<script>`` element early (``</script`` would, even in a string)."""
    return code.replace("</script", "<\\/script").replace("<!--", "<\\!--")


def _json_for_html(value: Any) -> str:
    """JSON that is safe inside ``<script type="application/json">``: no ``<``, ``>`` or ``&`` left raw."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                         ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def render_html(scene: Scene, lane_by: LaneBy = LaneBy.TOPIC) -> str:
    """The page for a scene, as text; ``lane_by`` sets how the timeline tab opens."""
    data = payload(scene)
    data["lanes"] = lane_by.value
    template = _asset("assets", "page.html")
    replacements = {
        "@@TITLE@@": _escape_text(scene.title),
        "@@SUBTITLE@@": _escape_text(scene.subtitle),
        "@@VIEW@@": scene.request.view.value,
        "@@VENDOR_NOTE@@": f"{VENDOR_NAME} {VENDOR_VERSION} (MIT licence)",
        "/*@@STYLE@@*/": _asset("assets", "page.css"),
        "@@DATA@@": _json_for_html(data),
        "/*@@VENDOR@@*/": _inline_script(_asset("vendor", VENDOR_SCRIPT)),
        "/*@@APP@@*/": _inline_script(_app_script()),
    }
    # One pass, so a marker inside the data (a label can say anything) is never itself replaced.
    return _MARKER.sub(lambda match: replacements[match.group(0)], template)


_INVERSE = {
    "coordinates": "coordinated by", "memberOf": "members", "partOf": "has as part", "series": "meetings of its series",
    "organiser": "organised", "participant": "took part in", "partner": "partner in", "signatory": "signed",
    "adoptedBy": "adopted", "concerns": "documents about it", "follows": "followed by", "partOfEvent": "includes",
    "successor": "successor of", "predecessor": "predecessor of", "mergedFrom": "merged into", "place": "place of",
    "country": "country of", "seat": "seat of", "topic": "tagged with it", "source": "cites it",
    "broader": "narrower topics", "document": "discussed at",
}
"""How the details panel names a link seen from its target: the ATTF is "coordinated by" Türkiye."""

_SCRIPT_PARTS = ("filters.js", "graph.js", "panels.js", "controls.js", "timeline.js", "start.js")
"""The page script in parts, run in this order in one function scope (no bundler, no modules to fetch)."""


def _app_script() -> str:
    parts = "\n".join(_asset("assets", name) for name in _SCRIPT_PARTS)
    return f"(function () {{\n\"use strict\";\n{parts}}}());\n"


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def payload(scene: Scene) -> dict[str, Any]:
    """Everything the page's script draws, as JSON-ready data (sorted, rounded: the same bytes every run)."""
    graph = scene.graph
    by_node = {item.node: item for item in scene.metrics.nodes}
    nodes = []
    for node, data in sorted(graph.nodes(data=True)):
        metrics = by_node[node]
        x, y = scene.positions.get(node, (0.0, 0.0))
        first_last = bounds(data) if data.get("kind") in (Kind.EVENT.value, Kind.DOCUMENT.value) else None
        nodes.append({
            "id": node,
            "short": str(data.get("short_id", node)),
            "label": str(data.get("label", node)),
            "display": display_label(data),
            "kind": str(data.get("kind", Kind.OTHER.value)),
            "type": str(data.get("type_label", "")),
            "x": round(x * _PIXELS_PER_UNIT, 1),
            "y": round(-y * _PIXELS_PER_UNIT, 1),  # screen y grows downwards
            "item": data.get("kind") in (Kind.EVENT.value, Kind.DOCUMENT.value),
            "topics": list(data.get("topic_iris", ())),
            "start": first_last[0].isoformat() if first_last else None,
            "end": first_last[1].isoformat() if first_last else None,
            "search": search_text(data),
            "details": details(data),
            "sources": [list(pair) for pair in zip(data.get("sources", ()), data.get("source_iris", ()),
                                                   strict=False)],
            "url": data.get("url"),
            "metrics": {"degree": metrics.degree, "weighted": round(metrics.weighted_degree, 3),
                        "betweenness": round(metrics.betweenness, 4), "eigenvector": round(metrics.eigenvector, 4),
                        "community": metrics.community, "component": metrics.component},
        })
    edges = []
    for index, (source, target, data) in enumerate(_edges(graph)):
        edges.append({
            "id": f"e{index}",
            "source": source,
            "target": target,
            "relation": str(data.get("relation", "")),
            "label": str(data.get("label", "")),
            "inverse": _INVERSE.get(str(data.get("relation", ""))),
            "weight": data.get("weight", 1),
            "events": list(data.get("events", ())) if "events" in data else None,
            "declared": bool(data.get("declared", False)),
            "details": edge_details(data),
        })
    kinds = sorted({node["kind"] for node in nodes}, key=lambda kind: list(Kind).index(Kind(kind)))
    events = _events(scene.events)
    return {
        "view": scene.request.view.value,
        "ego": scene.request.entity if scene.request.view.value == "ego" else None,
        "title": scene.title,
        "subtitle": scene.subtitle,
        "directed": graph.is_directed(),
        "nodes": nodes,
        "edges": edges,
        "kinds": [{"kind": kind, "label": Kind(kind).style.plural.capitalize(), "colour": STYLES[Kind(kind)].colour,
                   "shape": STYLES[Kind(kind)].shape, "count": sum(1 for node in nodes if node["kind"] == kind)}
                  for kind in kinds],
        "topics": _topics(scene, nodes, events),
        "events": events,
        "typeColours": type_colours(event["type"] for event in events),
    }


def search_text(data: dict[str, Any]) -> str:
    """What the search box matches: labels, names, short id, lower-cased."""
    parts = [data.get("label"), data.get("short_name"), data.get("short_id"), *tuple(data.get("alt_names", ()))]
    return " | ".join(str(part) for part in parts if part).casefold()


def _date_text(data: dict[str, Any], name: str) -> str | None:
    prefix = "" if name == "date" else f"{name}_"
    text = data.get(name)
    if text is None:
        return None
    earliest, latest = data.get(prefix + "earliest"), data.get(prefix + "latest")
    if earliest is None and latest is None:
        return f"{text} (year unknown)"
    if earliest == latest:
        return str(text)
    return f"{text} ({earliest or '?'} to {latest or 'open'})"


def details(data: dict[str, Any]) -> list[list[str]]:
    """The rows of the details panel: (field, value) pairs in reading order."""
    rows: list[tuple[str, str | None]] = [
        ("Type", data.get("type_label")),
        ("Short name", data.get("short_name")),
        ("Also known as", "; ".join(data.get("alt_names", ())) or None),
        ("Date", _date_text(data, "date")),
        ("Founded", _date_text(data, "founded")),
        ("Dissolved", _date_text(data, "dissolved")),
        ("Accessed", _date_text(data, "accessed")),
        ("Place", data.get("place")),
        ("Venue", data.get("venue")),
        ("Seat", data.get("seat")),
        ("Country", data.get("country")),
        ("Series", f"{data['series']}, no. {data['number']}" if "series" in data and "number" in data
         else data.get("series")),
        ("ISO 3166", " / ".join(str(data[key]) for key in ("alpha2", "alpha3", "numeric_code") if key in data) or None),
        ("Withdrawn", data.get("withdrawn")),
        ("Publisher", data.get("publisher")),
        ("Reliability", data.get("reliability")),
        ("Credibility", str(data["credibility"]) if "credibility" in data else None),
        ("Events taken part in", str(data["events"]) if isinstance(data.get("events"), int) else None),
        ("Topics", "; ".join(data.get("topics", ())) or None),
        ("Figures", "; ".join(data.get("figures", ())) or None),
        ("Other claims", "; ".join(data.get("claims", ())) or None),
        ("Definition", data.get("definition")),
        ("Description", data.get("description")),
        ("Id", data.get("short_id")),
    ]
    return [[name, str(value)] for name, value in rows if value]


def edge_details(data: dict[str, Any]) -> list[list[str]]:
    """The rows shown for a clicked edge."""
    rows: list[tuple[str, str | None]] = [
        ("Link", data.get("label")),
        ("Role", data.get("role")),
        ("From", _date_text(data, "from")),
        ("To", _date_text(data, "to")),
        ("Shared events", "; ".join(data.get("event_labels", ())) or None),
        ("Named by the actor's own record", "yes" if data.get("declared") else None),
        ("Sources", "; ".join(data.get("sources", ())) or None),
        ("Description", data.get("description")),
    ]
    return [[name, str(value)] for name, value in rows if value]


def _edges(graph: nx.Graph) -> list[tuple[str, str, dict[str, Any]]]:
    return sorted(((str(u), str(v), data) for u, v, data in graph.edges(data=True)),
                  key=lambda item: (item[0], item[1], str(item[2].get("relation", ""))))


def _events(entities: nx.Graph) -> list[dict[str, Any]]:
    """The events for the timeline and for filtering edges that stand for shared events."""
    events = []
    for node, data in sorted(entities.nodes(data=True)):
        if data.get("kind") != Kind.EVENT.value:
            continue
        where, first, last = placement(data)
        events.append({
            "id": node,
            "short": str(data.get("short_id", node)),
            "label": str(data.get("label", node)),
            "type": str(data.get("type_label", "Event")),
            "topics": list(data.get("topic_iris", ())),
            "topicLabels": list(data.get("topics", ())),
            "placement": where.value,
            "start": first.isoformat() if first else None,
            "end": last.isoformat() if last else None,
            "date": str(data.get("date", "")),
        })
    return events


def _topics(scene: Scene, nodes: list[dict[str, Any]], events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The topics used on the page, with their broader topics, in tree order for the topic menu."""
    entities = scene.events
    used = {topic for item in (*nodes, *events) for topic in item["topics"]}
    used |= {node["id"] for node in nodes if node["kind"] == "topic"}
    broader: dict[str, list[str]] = {}
    frontier = sorted(used)
    while frontier:
        topic = frontier.pop()
        parents = sorted(target for _, target, data in (entities.out_edges(topic, data=True)
                                                         if topic in entities and entities.is_directed() else ())
                         if data.get("relation") == "broader")
        broader[topic] = parents
        frontier.extend(parent for parent in parents if parent not in broader)

    def label(topic: str) -> str:
        return str(entities.nodes[topic].get("label", topic)) if topic in entities else topic.rsplit("/", 1)[-1]

    ordered: list[dict[str, Any]] = []
    placed: set[str] = set()

    def visit(topic: str, depth: int) -> None:
        if topic in placed:
            return
        placed.add(topic)
        ordered.append({"id": topic, "label": label(topic), "broader": broader.get(topic, []), "depth": depth})
        for child in sorted((other for other, parents in broader.items() if topic in parents), key=label):
            visit(child, depth + 1)

    for root in sorted((topic for topic, parents in broader.items() if not parents), key=label):
        visit(root, 0)
    for topic in sorted(set(broader) - placed, key=label):  # a cycle in a foreign scheme: list it flat
        visit(topic, 0)
    return ordered


__all__ = ["VENDOR_NAME", "VENDOR_VERSION", "details", "edge_details", "payload", "render_html",
           "search_text"]
