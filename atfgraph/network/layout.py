"""Node positions for drawings and exports: seeded, so the same graph is always drawn the same way.

Each connected component is laid out on its own by a force-directed layout (Fruchterman–Reingold with a
fixed seed) and the components are then packed in rows, largest first. Laying out the whole graph at
once would fling isolated nodes to the edges and shrink the main component to a blot.
"""

from __future__ import annotations

import math

import networkx as nx

from atfgraph.network.metrics import simple_graph

Position = tuple[float, float]

_SPREAD_UP_TO = 400
_DENSE_UP_TO = 2000
"""Largest component laid out by the numpy-only spring layout when scipy is missing (its matrices grow as n²)."""

SEED = 20031115
"""The layout seed (any fixed number does; this one is the date of the Istanbul attacks)."""


def positions(graph: nx.Graph, seed: int = SEED, centre: str | None = None) -> dict[str, Position]:
    """Positions for every node, in layout units (about one unit between neighbours), rounded for stable output.

    With ``centre`` (an ego network's entity), nodes go on rings around it by their distance from it.
    """
    simple = simple_graph(graph)
    if centre is not None and centre in simple:
        return radial(simple, centre)
    blocks: list[tuple[dict[str, Position], float, float]] = []
    components = sorted((sorted(members) for members in nx.connected_components(simple)),
                        key=lambda members: (-len(members), members[0]))
    singles = [members[0] for members in components if len(members) == 1]
    for members in components:
        if len(members) > 1:
            blocks.append(_block(_component_layout(simple, members, seed)))
    packed = _pack(blocks)
    if singles:  # isolated nodes in a grid under everything else, not scattered round the edges
        grid = _grid(singles)
        bottom = min((y for _, y in packed.values()), default=0.0) - 2.0
        left = min((x for x, _ in packed.values()), default=0.0)
        packed.update({node: (round(left + x, 3), round(bottom + y, 3)) for node, (x, y) in grid.items()})
    return {node: packed[node] for node in sorted(packed)}


def radial(graph: nx.Graph, centre: str) -> dict[str, Position]:
    """The centre in the middle, and each further node on the ring of its distance, grouped by kind then label."""
    distance = nx.single_source_shortest_path_length(graph, centre)
    rings: dict[int, list[str]] = {}
    for node, steps in distance.items():
        rings.setdefault(steps, []).append(node)
    placed: dict[str, Position] = {centre: (0.0, 0.0)}
    radius = 0.0
    for steps in sorted(ring for ring in rings if ring > 0):
        members = sorted(rings[steps], key=lambda node: (str(graph.nodes[node].get("kind", "")),
                                                         str(graph.nodes[node].get("label", node)).casefold(), node))
        # At least 1.3 units between neighbours on the ring, and rings at least 2.4 units apart.
        radius = max(radius + 2.4, len(members) * 1.3 / (2 * math.pi))
        offset = math.pi / 2 + (math.pi / len(members) if steps % 2 == 0 else 0.0)
        for index, node in enumerate(members):
            angle = offset - 2 * math.pi * index / len(members)
            placed[node] = (round(radius * math.cos(angle), 3), round(radius * math.sin(angle), 3))
    unreached = sorted(set(graph.nodes) - set(placed))
    for index, node in enumerate(unreached):  # not reachable (a filtered graph): a row below the rings
        placed[node] = (round(index * 2.6 - radius, 3), round(-radius - 2.0, 3))
    return {node: placed[node] for node in sorted(placed)}


def _component_layout(simple: nx.Graph, members: list[str], seed: int) -> dict[str, Position]:
    component = nx.Graph()
    component.add_nodes_from(members)
    component.add_edges_from(sorted((min(u, v), max(u, v), data) for u, v, data in simple.subgraph(members).edges(
        data=True)))
    if len(members) == 2:
        return {members[0]: (-0.6, 0.0), members[1]: (0.6, 0.0)}
    # Unweighted: heavy ties (many shared events) would otherwise pull their nodes on top of each other;
    # the weights show as edge widths instead.
    try:
        raw = nx.spring_layout(component, seed=seed, weight=None, iterations=300 if len(members) < 500 else 50,
                               k=1.8 / math.sqrt(len(members)))
    except ImportError:  # networkx needs scipy for components of 500 nodes or more; scipy is optional
        raw = _dense_spring(component, seed) if len(members) <= _DENSE_UP_TO else nx.random_layout(component,
                                                                                                  seed=seed)
    # Scale so the component's radius grows with the square root of its size (constant node density).
    radius = max(max(math.hypot(float(x), float(y)) for x, y in raw.values()), 1e-9)
    scale = 0.85 * math.sqrt(len(members)) / radius
    spread = {node: (float(x) * scale, float(y) * scale) for node, (x, y) in raw.items()}
    # Pushing nodes apart compares every pair: worth it for what a person reads, too slow for huge graphs.
    return _spread(spread) if len(members) <= _SPREAD_UP_TO else spread


def _spread(layout: dict[str, Position], minimum: float = 0.85, rounds: int = 80) -> dict[str, Position]:
    """Push apart nodes closer than ``minimum``, a little each round, so a dense core does not pile up."""
    nodes = sorted(layout)
    at = {node: list(layout[node]) for node in nodes}
    for _ in range(rounds):
        moved = False
        for index, first in enumerate(nodes):
            for second in nodes[index + 1:]:
                dx, dy = at[second][0] - at[first][0], at[second][1] - at[first][1]
                distance = math.hypot(dx, dy)
                if distance >= minimum:
                    continue
                if distance < 1e-9:  # the same spot: separate along a fixed direction, deterministically
                    dx, dy, distance = 1.0, 0.0, 1.0
                push = (minimum - distance) / 2 * 0.6
                at[first][0] -= dx / distance * push
                at[first][1] -= dy / distance * push
                at[second][0] += dx / distance * push
                at[second][1] += dy / distance * push
                moved = True
        if not moved:
            break
    return {node: (at[node][0], at[node][1]) for node in nodes}


def _dense_spring(component: nx.Graph, seed: int, iterations: int = 60) -> dict[str, tuple[float, float]]:
    """Fruchterman–Reingold on a dense distance matrix (what networkx does below 500 nodes), with numpy only."""
    import numpy as np  # networkx's layouts need numpy already; imported here to keep it off the import path

    nodes = list(component)
    index = {node: position for position, node in enumerate(nodes)}
    adjacency = np.zeros((len(nodes), len(nodes)))
    for first, second in component.edges():
        adjacency[index[first], index[second]] = adjacency[index[second], index[first]] = 1.0
    at = np.random.default_rng(seed).random((len(nodes), 2))
    k = 1.8 / math.sqrt(len(nodes))
    step = 0.1
    for _ in range(iterations):
        delta = at[:, None, :] - at[None, :, :]
        distance = np.clip(np.linalg.norm(delta, axis=-1), 0.01, None)
        force = np.einsum("ijk,ij->ik", delta, k * k / distance**2 - adjacency * distance / k)
        length = np.linalg.norm(force, axis=-1)
        at += force * (step / np.where(length < 0.01, 0.1, length))[:, None]
        step -= 0.1 / (iterations + 1)
    at -= at.mean(axis=0)
    return {node: (float(at[index[node], 0]), float(at[index[node], 1])) for node in nodes}


def _grid(nodes: list[str]) -> dict[str, Position]:
    columns = max(1, math.ceil(math.sqrt(len(nodes) * 4)))
    # Wider than tall: isolated nodes' labels run sideways.
    return {node: (float(index % columns) * 2.6, -float(index // columns) * 1.4) for index, node in enumerate(nodes)}


def _block(layout: dict[str, Position]) -> tuple[dict[str, Position], float, float]:
    """A layout moved so its bounding box starts at (0, 0), with the box's width and height."""
    xs = [x for x, _ in layout.values()]
    ys = [y for _, y in layout.values()]
    left, bottom = min(xs), min(ys)
    moved = {node: (x - left, y - bottom) for node, (x, y) in layout.items()}
    return moved, max(xs) - left, max(ys) - bottom


def _pack(blocks: list[tuple[dict[str, Position], float, float]]) -> dict[str, Position]:
    """Blocks in rows left to right, top to bottom, each row no wider than the widest block or the area's root."""
    gap = 1.6
    area = sum((width + gap) * (height + gap) for _, width, height in blocks)
    row_width = max([math.sqrt(area) * 1.3, *(width for _, width, _ in blocks)], default=0.0)
    placed: dict[str, Position] = {}
    x = y = row_height = 0.0
    for layout, width, height in blocks:
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y - row_height - gap, 0.0
        for node, (nx_, ny) in layout.items():
            placed[node] = (round(x + nx_, 3), round(y - (height - ny), 3))
        x += width + gap
        row_height = max(row_height, height)
    return {node: placed[node] for node in sorted(placed)}


__all__ = ["SEED", "Position", "positions", "radial"]
