"""GEXF 1.3 for Gephi, written by hand so the file is exactly what Gephi expects and the same every run.

networkx's own writer stamps the day's date into ``<meta>`` (so every export differs) and spells the
``xsi`` namespace wrongly for 1.3. This writer takes a flattened graph (see :func:`exports.flatten`):
nodes with ``label``, ``color`` and optional ``x``/``y``/``size``; edges with ``label``, ``relation``
(written as the edge ``kind``, which lets Gephi keep parallel edges apart) and optional ``weight``.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape, quoteattr

import networkx as nx

NS_GEXF = "http://gexf.net/1.3"
NS_VIZ = "http://gexf.net/1.3/viz"
NS_XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd"

_SHAPES = {"organisation": "square", "country": "disc", "event": "diamond", "document": "square",
           "topic": "triangle", "source": "triangle", "city": "disc"}
_NODE_ATTRIBUTES_IN_VIZ = {"label", "x", "y", "size"}
_EDGE_ATTRIBUTES_IN_TAG = {"label", "weight"}


def _type_of(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    return "string"


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _declare(items: list[dict[str, Any]], skip: set[str]) -> dict[str, tuple[str, str]]:
    """Attribute name → (GEXF id, GEXF type), in name order."""
    types: dict[str, str] = {}
    for data in items:
        for name, value in data.items():
            if name not in skip:
                types.setdefault(name, _type_of(value))
    return {name: (str(index), types[name]) for index, name in enumerate(sorted(types))}


def _attributes_block(cls: str, declared: dict[str, tuple[str, str]]) -> list[str]:
    lines = [f'    <attributes class="{cls}">']
    lines += [f"      <attribute id={quoteattr(ident)} title={quoteattr(name)} type={quoteattr(kind)}/>"
              for name, (ident, kind) in declared.items()]
    lines.append("    </attributes>")
    return lines


def _attvalues(data: dict[str, Any], declared: dict[str, tuple[str, str]], indent: str) -> list[str]:
    values = [f"{indent}  <attvalue for={quoteattr(declared[name][0])} value={quoteattr(_text(value))}/>"
              for name, value in sorted(data.items()) if name in declared]
    return [f"{indent}<attvalues>", *values, f"{indent}</attvalues>"] if values else []


def gexf(graph: nx.Graph, description: str = "") -> str:
    """The GEXF 1.3 document of a flattened graph."""
    nodes = [(str(node), dict(data)) for node, data in sorted(graph.nodes(data=True), key=lambda item: str(item[0]))]
    edges = sorted(((str(u), str(v), dict(data)) for u, v, data in graph.edges(data=True)),
                   key=lambda item: (item[0], item[1], str(item[2].get("relation", ""))))
    node_declared = _declare([data for _, data in nodes], _NODE_ATTRIBUTES_IN_VIZ)
    edge_declared = _declare([data for _, _, data in edges], _EDGE_ATTRIBUTES_IN_TAG)
    edge_type = "directed" if graph.is_directed() else "undirected"
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<gexf xmlns="{NS_GEXF}" xmlns:viz="{NS_VIZ}" xmlns:xsi="{NS_XSI}" '
        f'xsi:schemaLocation="{SCHEMA_LOCATION}" version="1.3">',
        "  <meta>",
        "    <creator>atfgraph</creator>",
        f"    <description>{escape(description)}</description>",
        "  </meta>",
        f'  <graph defaultedgetype="{edge_type}" mode="static">',
        *_attributes_block("node", node_declared),
        *_attributes_block("edge", edge_declared),
        "    <nodes>",
    ]
    for node, data in nodes:
        lines.append(f"      <node id={quoteattr(node)} label={quoteattr(str(data.get('label', node)))}>")
        lines += _attvalues(data, node_declared, "        ")
        lines += _viz(data)
        lines.append("      </node>")
    lines += ["    </nodes>", "    <edges>"]
    for index, (source, target, data) in enumerate(edges):
        extra = f" label={quoteattr(str(data['label']))}" if "label" in data else ""
        if "weight" in data:
            extra += f" weight={quoteattr(_text(float(data['weight'])))}"
        if "relation" in data:
            extra += f" kind={quoteattr(str(data['relation']))}"
        lines.append(f"      <edge id={quoteattr(str(index))} source={quoteattr(source)} target={quoteattr(target)}"
                     f"{extra}>")
        lines += _attvalues(data, edge_declared, "        ")
        lines.append("      </edge>")
    lines += ["    </edges>", "  </graph>", "</gexf>"]
    return "\n".join(lines) + "\n"


def _viz(data: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    colour = str(data.get("color", ""))
    if len(colour) == 7 and colour.startswith("#"):
        red, green, blue = (int(colour[index:index + 2], 16) for index in (1, 3, 5))
        lines.append(f'        <viz:color r="{red}" g="{green}" b="{blue}" a="1.0"/>')
    if "x" in data and "y" in data:
        lines.append(f'        <viz:position x="{float(data["x"])}" y="{float(data["y"])}" z="0.0"/>')
    if "size" in data:
        lines.append(f'        <viz:size value="{float(data["size"])}"/>')
    shape = _SHAPES.get(str(data.get("kind", "")))
    if shape is not None:
        lines.append(f'        <viz:shape value="{shape}"/>')
    return lines


__all__ = ["NS_GEXF", "NS_VIZ", "gexf"]
