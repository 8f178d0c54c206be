"""Network exports read back: GraphML and GEXF by networkx, GEXF as XML, Cytoscape JSON, CSV by the csv module."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from atfgraph.loader import load
from atfgraph.network import ExportFormat, View, ViewRequest, entity_graph, flatten, view_graph
from atfgraph.network.exports import SEPARATOR, cyjs, gexf_text, graphml, write
from atfgraph.network.gexf import NS_GEXF, NS_VIZ
from tests.conftest import DATA

SECI = "https://w3id.org/atfgraph/id/organisation/seci-center"


@pytest.fixture(scope="module")
def entities() -> nx.MultiDiGraph:
    return entity_graph(load(DATA).store.union())


@pytest.fixture(scope="module")
def network(entities: nx.MultiDiGraph) -> nx.MultiDiGraph:
    return view_graph(entities, ViewRequest(View.NETWORK))


@pytest.fixture(scope="module")
def cooperation(entities: nx.MultiDiGraph) -> nx.Graph:
    return view_graph(entities, ViewRequest(View.COOPERATION))


def edge_pairs(graph: nx.Graph) -> list[tuple[str, ...]]:
    """Every edge as (source, target), or as a sorted pair when the graph is undirected; parallel edges repeat."""
    if graph.is_directed():
        return sorted((str(u), str(v)) for u, v in graph.edges())
    return sorted(tuple(sorted((str(u), str(v)))) for u, v in graph.edges())


def test_flatten_leaves_no_none_list_or_tuple(network: nx.MultiDiGraph) -> None:
    flat = flatten(network)
    for _, data in flat.nodes(data=True):
        assert all(isinstance(value, str | int | float | bool) for value in data.values()), data
    for *_, data in flat.edges(keys=True, data=True):
        assert all(isinstance(value, str | int | float | bool) for value in data.values()), data
    assert flat.nodes[SECI]["alt_names"] == SEPARATOR.join(network.nodes[SECI]["alt_names"])


def test_flatten_turns_mixed_types_into_text() -> None:
    graph = nx.Graph()
    graph.add_node("a", number=1)
    graph.add_node("b", number="one", gone=None, many=["x", "y"])
    flat = flatten(graph)
    assert flat.nodes["a"]["number"] == "1" and flat.nodes["b"]["number"] == "one"
    assert "gone" not in flat.nodes["b"] and flat.nodes["b"]["many"] == "x; y"


def test_graphml_reads_back_to_the_same_nodes_and_edges(network: nx.MultiDiGraph, tmp_path: Path) -> None:
    path = tmp_path / "network.graphml"
    write(network, ExportFormat.GRAPHML, path)
    back = nx.read_graphml(path)
    assert set(back) == set(network)
    assert edge_pairs(back) == edge_pairs(network)
    assert back.nodes[SECI]["label"] == network.nodes[SECI]["label"]
    assert back.nodes[SECI]["color"] == "#4e79a7" and "x" in back.nodes[SECI] and "size" in back.nodes[SECI]


def test_gexf_is_version_1_3_with_viz_and_reads_back(cooperation: nx.Graph, tmp_path: Path) -> None:
    path = tmp_path / "cooperation.gexf"
    write(cooperation, ExportFormat.GEXF, path)
    root = ET.parse(path).getroot()
    assert root.tag == f"{{{NS_GEXF}}}gexf" and root.get("version") == "1.3"
    nodes = root.findall(f"{{{NS_GEXF}}}graph/{{{NS_GEXF}}}nodes/{{{NS_GEXF}}}node")
    assert len(nodes) == cooperation.number_of_nodes()
    for node in nodes:
        colour = node.find(f"{{{NS_VIZ}}}color")
        assert colour is not None and {"r", "g", "b"} <= set(colour.attrib)
        assert node.find(f"{{{NS_VIZ}}}size") is not None and node.find(f"{{{NS_VIZ}}}position") is not None
    edges = root.findall(f"{{{NS_GEXF}}}graph/{{{NS_GEXF}}}edges/{{{NS_GEXF}}}edge")
    weights = {tuple(sorted((edge.get("source", ""), edge.get("target", "")))): float(edge.get("weight", "0"))
               for edge in edges}
    assert weights[("https://w3id.org/atfgraph/id/organisation/rcc", SECI)] == 3.0
    back = nx.read_gexf(path)
    assert set(back) == set(cooperation)
    assert edge_pairs(back) == edge_pairs(cooperation)


def test_gexf_of_the_entity_graph_keeps_parallel_edges(network: nx.MultiDiGraph, tmp_path: Path) -> None:
    path = tmp_path / "network.gexf"
    write(network, ExportFormat.GEXF, path)
    back = nx.read_gexf(path)
    assert back.number_of_edges() == network.number_of_edges()
    assert back.is_directed()


def test_cyjs_is_json_with_elements(network: nx.MultiDiGraph, tmp_path: Path) -> None:
    path = tmp_path / "network.cyjs"
    write(network, ExportFormat.CYJS, path)
    document = json.loads(path.read_text(encoding="utf-8"))
    nodes, edges = document["elements"]["nodes"], document["elements"]["edges"]
    assert {node["data"]["id"] for node in nodes} == set(network)
    assert len(edges) == network.number_of_edges()
    assert all({"source", "target", "interaction"} <= edge["data"].keys() for edge in edges)
    assert all("x" in node["position"] for node in nodes)
    seci = next(node["data"] for node in nodes if node["data"]["id"] == SECI)
    assert seci["name"] == network.nodes[SECI]["label"] and isinstance(seci["alt_names"], list)


def test_csv_tables_parse(network: nx.MultiDiGraph, tmp_path: Path) -> None:
    written = write(network, ExportFormat.CSV, tmp_path / "tables")
    assert sorted(path.name for path in written) == ["edges.csv", "nodes.csv"]
    with (tmp_path / "tables" / "nodes.csv").open(newline="", encoding="utf-8") as handle:
        nodes = list(csv.DictReader(handle))
    with (tmp_path / "tables" / "edges.csv").open(newline="", encoding="utf-8") as handle:
        edges = list(csv.DictReader(handle))
    assert {row["id"] for row in nodes} == set(network)
    assert len(edges) == network.number_of_edges()
    assert list(nodes[0])[:4] == ["id", "label", "short_id", "kind"]
    assert list(edges[0])[:4] == ["source", "target", "relation", "label"]
    seci = next(row for row in nodes if row["id"] == SECI)
    assert seci["alt_names"] == SEPARATOR.join(network.nodes[SECI]["alt_names"])
    membership = next(row for row in edges if row["relation"] == "memberOf" and row["target"] == SECI)
    assert membership["label"] == "member of" and membership["from"]


def test_exports_are_the_same_every_time(network: nx.MultiDiGraph) -> None:
    assert graphml(network) == graphml(network.copy())
    assert gexf_text(network) == gexf_text(network.copy())
    assert cyjs(network) == cyjs(network.copy())
    assert "lastmodifieddate" not in gexf_text(network)
