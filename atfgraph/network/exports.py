"""Network views as files for analysts' tools: GraphML, GEXF 1.3, Cytoscape JSON and CSV.

* GraphML: yEd, Gephi, Maltego and i2 read it. Node data includes ``x``/``y``/``size`` and ``r``/``g``/``b``,
  which Gephi's GraphML importer takes as position, size and colour.
* GEXF 1.3: Gephi's own format, with ``viz`` colours, positions, sizes and shapes (see :mod:`gexf`).
* Cytoscape JSON (``.cyjs``): Cytoscape desktop and Cytoscape.js; ``elements`` holds ``nodes`` and ``edges``
  with a ``position`` per node. Multi-valued attributes stay JSON arrays here.
* CSV: ``nodes.csv`` (``id`` first) and ``edges.csv`` (``source``, ``target`` first) for spreadsheets.

networkx's GraphML and GEXF writers reject ``None`` and lists, so every export is made from
:func:`flatten`: multi-valued attributes joined with ``"; "``, unknown values left out, and an attribute
whose type differs between nodes turned into text throughout. Output is sorted and carries no date, so the
same graph always gives the same bytes.
"""

from __future__ import annotations

import csv
import enum
import io
import json
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import networkx as nx

from atfgraph.export import write_atomically
from atfgraph.network.gexf import gexf
from atfgraph.network.layout import positions
from atfgraph.network.metrics import simple_graph

SEPARATOR = "; "
"""What joins the values of a multi-valued attribute in GraphML, GEXF and CSV."""


class ExportFormat(enum.Enum):
    """The network file formats, by their usual suffix."""

    GRAPHML = "graphml"
    GEXF = "gexf"
    CYJS = "cyjs"
    CSV = "csv"

    @property
    def default_name(self) -> str:
        """The file (or, for CSV, the folder) written when no path is given."""
        return "network-csv" if self is ExportFormat.CSV else f"network.{self.value}"


def flatten(graph: nx.Graph) -> nx.Graph:
    """A copy of a graph that networkx's GraphML and GEXF writers accept: no ``None``, lists or dicts."""
    flat = graph.__class__()
    flat.graph.update({key: value for key, value in sorted(graph.graph.items()) if _scalar(value)})
    node_data = {node: _flat_values(data) for node, data in graph.nodes(data=True)}
    edges = list(graph.edges(keys=True, data=True)) if graph.is_multigraph() else [
        (u, v, None, data) for u, v, data in graph.edges(data=True)]
    edge_data = [_flat_values(data) for *_, data in edges]
    _unify_types(node_data.values())
    _unify_types(edge_data)
    for node in sorted(node_data, key=str):
        flat.add_node(node, **dict(sorted(node_data[node].items())))
    order = sorted(range(len(edges)), key=lambda index: (str(edges[index][0]), str(edges[index][1]),
                                                         str(edges[index][2])))
    for index in order:
        source, target, key, _ = edges[index]
        data = dict(sorted(edge_data[index].items()))
        if graph.is_multigraph():
            flat.add_edge(source, target, key=key, **data)
        else:
            flat.add_edge(source, target, **data)
    return flat


def _scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | bool)


def _flat_values(data: dict[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for name, value in data.items():
        if value is None or isinstance(value, dict):
            continue
        if isinstance(value, list | tuple | set | frozenset):
            items = sorted(value, key=str) if isinstance(value, set | frozenset) else list(value)
            flat[name] = SEPARATOR.join(str(item) for item in items)
        elif _scalar(value):
            flat[name] = value
        else:
            flat[name] = str(value)
    return flat


def _unify_types(items: Iterable[dict[str, Any]]) -> None:
    """Turn an attribute into text everywhere when its values are of more than one type."""
    items = list(items)
    types: dict[str, set[type]] = {}
    for data in items:
        for name, value in data.items():
            types.setdefault(name, set()).add(type(value))
    mixed = {name for name, found in types.items() if len(found) > 1}
    for data in items:
        for name in mixed & data.keys():
            value = data[name]
            data[name] = ("true" if value else "false") if isinstance(value, bool) else str(value)


def decorate(graph: nx.Graph) -> nx.Graph:
    """A copy with what drawing tools need: ``x``/``y`` from the seeded layout, ``size`` by degree, RGB colour."""
    decorated = graph.copy()
    layout = positions(graph)
    simple = simple_graph(graph)
    degrees = dict(simple.degree())
    top = max(degrees.values(), default=0) or 1
    for node, data in decorated.nodes(data=True):
        x, y = layout.get(node, (0.0, 0.0))
        data["x"], data["y"] = round(x * 100.0, 1), round(y * 100.0, 1)
        data["size"] = round(10.0 + 30.0 * math.sqrt(degrees.get(node, 0) / top), 2)
        colour = str(data.get("color", "#bab0ac"))
        data["r"], data["g"], data["b"] = (int(colour[index:index + 2], 16) for index in (1, 3, 5))
    return decorated


def graphml(graph: nx.Graph) -> str:
    """GraphML of a graph (decorated and flattened here)."""
    flat = flatten(decorate(graph))
    return "\n".join(nx.generate_graphml(flat, encoding="utf-8", prettyprint=True)) + "\n"


def gexf_text(graph: nx.Graph) -> str:
    """GEXF 1.3 of a graph (decorated and flattened here)."""
    view = str(graph.graph.get("view", "network"))
    return gexf(flatten(decorate(graph)), description=f"atfgraph {view} view")


def cyjs(graph: nx.Graph) -> str:
    """Cytoscape JSON of a graph: ``elements`` with ``nodes`` (with positions) and ``edges``."""
    decorated = decorate(graph)
    nodes = []
    for node, data in sorted(decorated.nodes(data=True), key=lambda item: str(item[0])):
        fields = {name: _json_value(value) for name, value in sorted(data.items())
                  if name not in ("x", "y") and value is not None}
        fields.update({"id": str(node), "name": str(data.get("label", node))})
        nodes.append({"data": fields, "position": {"x": data["x"], "y": -data["y"]}})
    edges = []
    for index, (source, target, data) in enumerate(_sorted_edges(decorated)):
        fields = {name: _json_value(value) for name, value in sorted(data.items()) if value is not None}
        fields.update({"id": f"e{index}", "source": str(source), "target": str(target),
                       "interaction": str(data.get("relation", "linked"))})
        edges.append({"data": fields})
    document = {
        "format_version": "1.0",
        "generated_by": "atfgraph",
        "target_cytoscapejs_version": "~3.0",
        "data": {"name": f"atfgraph {graph.graph.get('view', 'network')} view",
                 "directed": graph.is_directed(), "multigraph": graph.is_multigraph()},
        "elements": {"nodes": nodes, "edges": edges},
    }
    return json.dumps(document, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def _json_value(value: Any) -> Any:
    if isinstance(value, tuple | list | set | frozenset):
        return [str(item) for item in value]
    return value if _scalar(value) else str(value)


def _sorted_edges(graph: nx.Graph) -> list[tuple[Any, Any, dict[str, Any]]]:
    return sorted(graph.edges(data=True), key=lambda item: (str(item[0]), str(item[1]),
                                                           str(item[2].get("relation", ""))))


def csv_tables(graph: nx.Graph) -> dict[str, str]:
    """``nodes.csv`` and ``edges.csv`` of a graph, flattened, with a header row each."""
    flat = flatten(graph)
    node_rows = [{"id": str(node), **data} for node, data in flat.nodes(data=True)]
    edge_rows = [{"source": str(source), "target": str(target), **data} for source, target, data in flat.edges(
        data=True)]
    return {
        "nodes.csv": _table(node_rows, ["id", "label", "short_id", "kind", "type", "type_label"]),
        "edges.csv": _table(edge_rows, ["source", "target", "relation", "label", "weight"]),
    }


def _table(rows: list[dict[str, Any]], first: list[str]) -> str:
    names = {name for row in rows for name in row}
    header = [name for name in first if name in names] + sorted(names - set(first))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({name: _csv_value(row.get(name)) for name in header})
    return buffer.getvalue()


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def render(graph: nx.Graph, fmt: ExportFormat) -> dict[str, str]:
    """The files of one export: one name → text (``nodes.csv`` and ``edges.csv`` for CSV)."""
    if fmt is ExportFormat.GRAPHML:
        return {"network.graphml": graphml(graph)}
    if fmt is ExportFormat.GEXF:
        return {"network.gexf": gexf_text(graph)}
    if fmt is ExportFormat.CYJS:
        return {"network.cyjs": cyjs(graph)}
    return csv_tables(graph)


def write(graph: nx.Graph, fmt: ExportFormat, path: Path) -> list[Path]:
    """Write an export to ``path`` (a folder for CSV, a file otherwise), atomically; the paths written."""
    files = render(graph, fmt)
    if fmt is ExportFormat.CSV:
        targets = {path / name: text for name, text in files.items()}
    else:
        targets = {path: next(iter(files.values()))}
    return write_atomically(targets)


__all__ = ["SEPARATOR", "ExportFormat", "csv_tables", "cyjs", "decorate", "flatten", "gexf_text", "graphml", "render",
           "write"]
