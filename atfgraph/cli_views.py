"""The ``network``, ``export`` and ``viz`` commands: network views of the graph, as tables, files and pictures.

Registered on the main command group at the end of :mod:`atfgraph.cli`. Each command reads ``--graph FILE``
(a graph file written by ``build``, or any RDF file, such as a saved CONSTRUCT query's result) or ``--data
DIR`` (records, built and checked in memory); with neither it reads ``out/graph.nq`` if present, else builds
``./data``. Errors are reported through the main module's handler, so the exit codes are the same:
0 ok, 1 the data has problems or an output cannot be written, 2 a usage error (unknown entity or topic,
bad date, unknown output type).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
import networkx as nx

from atfgraph.checks import check
from atfgraph.cli_common import errors, store_option
from atfgraph.errors import UsageError
from atfgraph.graphsource import open_graph
from atfgraph.loader import load
from atfgraph.namespaces import DEFAULT_BASE
from atfgraph.network.entities import entity_graph
from atfgraph.network.exports import ExportFormat
from atfgraph.network.exports import write as write_export
from atfgraph.network.filters import Filters, parse_bound
from atfgraph.network.kinds import Kind
from atfgraph.network.metrics import Metric, compute
from atfgraph.network.timeline import LaneBy
from atfgraph.network.views import View, ViewRequest, resolve_entity, resolve_topic, view_graph

F = TypeVar("F", bound=Callable[..., Any])

_KIND_CHOICES = [kind.value for kind in Kind if kind is not Kind.OTHER] + ["all"]


def _input_options(function: F) -> F:
    function = store_option(function)
    function = click.option("--base", default=DEFAULT_BASE, show_default=True,
                            help="Base IRI of the entities, when building from --data.")(function)
    function = click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path),
                            help="A folder of records, built and checked in memory.")(function)
    return click.option("--graph", "graph_file", type=click.Path(dir_okay=False, path_type=Path),
                        help="A graph file (.nq, .ttl, .jsonld, .nt, .trig), such as out/graph.nq or a "
                             "CONSTRUCT query's result. Default: out/graph.nq if present, else build ./data.")(function)


def _view_options(function: F) -> F:
    options = [
        click.option("--view", "view_name", type=click.Choice([view.value for view in View]), default=None,
                     help="network: organisations, countries, events and documents with their links; cooperation: "
                          "actors linked by the events they shared; ego: what surrounds --entity; topics: actors "
                          "and the topics they work on; timeline: events in time. Default: network, or ego "
                          "when --entity is given."),
        click.option("--entity", help="The ego view's entity: IRI, kind/id (organisation/attf), id or name (ATTF)."),
        click.option("--depth", type=click.IntRange(min=0), default=1, show_default=True,
                     help="How many links out from --entity the ego view reaches."),
        click.option("--topic", "topics", multiple=True,
                     help="Keep events and documents on this topic or a narrower one (id, label or "
                          "alternative label; repeatable), and what is linked to them."),
        click.option("--from", "start", metavar="DATE",
                     help="Keep events and documents dated on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD), by "
                          "their date bounds. Those whose year is unknown are left out."),
        click.option("--to", "end", metavar="DATE",
                     help="Keep events and documents dated on or before DATE; those whose year is unknown are "
                          "left out."),
        click.option("--type", "kinds", multiple=True, type=click.Choice(_KIND_CHOICES, case_sensitive=False),
                     help="Show only nodes of this type (repeatable); 'all' for every type. Default: the view's "
                          "own (no sources, topics or cities in the network and ego views)."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def load_entities(graph_file: Path | None, data_dir: Path | None, base: str = DEFAULT_BASE,
                  store_spec: str = "memory") -> nx.MultiDiGraph:
    """The entity graph of a graph file, a data folder (fully checked: problems raise :class:`DataError`), an
    on-disk store, or by default the last build (see :func:`atfgraph.graphsource.open_graph`)."""
    if graph_file is not None and data_dir is not None:
        raise UsageError("give --graph or --data, not both")
    if data_dir is not None:
        if not data_dir.is_dir():
            raise UsageError(f"data folder not found: {data_dir}")
        loaded = load(data_dir, base)
        check(loaded).raise_for_problems()
        return entity_graph(loaded.store.union())
    return entity_graph(open_graph(graph_file, None, store_spec, base).union())


def view_request(entities: nx.MultiDiGraph, view_name: str | None, entity: str | None, depth: int,
                 topics: tuple[str, ...], start: str | None, end: str | None, kinds: tuple[str, ...]) -> ViewRequest:
    """A view request from the command-line options, with entity and topics resolved to IRIs."""
    view = View(view_name) if view_name else (View.EGO if entity else View.NETWORK)
    if entity and view is not View.EGO:
        raise UsageError(f"--entity is for the ego view, not --view {view.value}")
    chosen: frozenset[Kind] | None = None
    if kinds and "all" not in {kind.lower() for kind in kinds}:
        chosen = frozenset(Kind(kind.lower()) for kind in kinds)
    elif kinds:
        chosen = frozenset(Kind)
    filters = Filters(
        kinds=chosen,
        topics=frozenset(resolve_topic(entities, topic) for topic in topics),
        start=parse_bound(start, end=False) if start else None,
        end=parse_bound(end, end=True) if end else None,
    )
    return ViewRequest(view, filters, resolve_entity(entities, entity) if entity else None, depth)


@click.group()
def network() -> None:
    """Network views of the graph: metrics of the leading actors."""


@network.command()
@click.option("--top", type=click.IntRange(min=1), default=5, show_default=True, help="How many nodes per metric.")
@_view_options
@_input_options
def stats(top: int, view_name: str | None, entity: str | None, depth: int, topics: tuple[str, ...],
          start: str | None, end: str | None, kinds: tuple[str, ...], graph_file: Path | None,
          data_dir: Path | None, base: str, store_spec: str) -> None:
    """Print the leading nodes by degree, weighted degree, betweenness and eigenvector centrality.

    Default view: the co-operation network (countries and organisations linked by shared events).
    """
    with errors():
        entities = load_entities(graph_file, data_dir, base, store_spec)
        request = view_request(entities, view_name or ("ego" if entity else View.COOPERATION.value), entity, depth,
                               topics, start, end, kinds)
        graph = view_graph(entities, request)
        metrics = compute(graph)
    click.echo(f"{request.view.value} view: {graph.number_of_nodes()} nodes, {metrics.edges} links, "
               f"{len(metrics.components)} component(s), {len(metrics.communities)} communities")
    for metric in Metric:
        click.echo(f"\n{metric.value}:")
        leaders = metrics.top(metric, top)
        width = max((len(item.label) for item in leaders), default=0)
        for item in leaders:
            value = item.value(metric)
            shown = f"{value:.0f}" if metric in (Metric.DEGREE, Metric.WEIGHTED_DEGREE) else f"{value:.3f}"
            click.echo(f"  {item.label:<{width}}  {shown:>7}  {graph.nodes[item.node].get('short_id', item.node)}")
    click.echo("\ncommunities (greedy modularity):")
    for index, members in enumerate(metrics.communities[:top]):
        names = sorted(str(graph.nodes[node].get("short_name") or graph.nodes[node].get("label", node))
                       for node in members)
        click.echo(f"  {index + 1}. {', '.join(names)}")


@click.command()
@click.option("--format", "fmt", type=click.Choice([fmt.value for fmt in ExportFormat]), required=True,
              help="graphml (yEd, Gephi, Maltego, i2), gexf (Gephi), cyjs (Cytoscape), csv (nodes.csv and "
                   "edges.csv for a spreadsheet).")
@click.option("-o", "--out", "out_path", type=click.Path(path_type=Path),
              help="The file to write (a folder for csv). Default: out/network.<format> (out/network-csv/).")
@_view_options
@_input_options
def export(fmt: str, out_path: Path | None, view_name: str | None, entity: str | None, depth: int,
           topics: tuple[str, ...], start: str | None, end: str | None, kinds: tuple[str, ...],
           graph_file: Path | None, data_dir: Path | None, base: str, store_spec: str) -> None:
    """Write a network view for Gephi, Cytoscape, yEd, Maltego, i2 or a spreadsheet."""
    chosen = ExportFormat(fmt)
    with errors():
        entities = load_entities(graph_file, data_dir, base, store_spec)
        request = view_request(entities, view_name, entity, depth, topics, start, end, kinds)
        if request.view is View.TIMELINE:
            raise UsageError("the timeline is a picture: use `atfgraph viz --view timeline`")
        graph = view_graph(entities, request)
        written = write_export(graph, chosen, out_path or Path("out") / chosen.default_name)
    click.echo(f"wrote {', '.join(str(path) for path in written)} "
               f"({graph.number_of_nodes()} nodes, {graph.number_of_edges()} links)")


@click.command()
@click.option("-o", "--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="FILE.html (interactive, works offline), FILE.png or FILE.svg (static, for reports).")
@click.option("--lanes", type=click.Choice([lane.value for lane in LaneBy]), default="topic",
              show_default=True, help="The timeline's lanes: one per topic or one per event type.")
@_view_options
@_input_options
def viz(out_path: Path, lanes: str, view_name: str | None, entity: str | None, depth: int, topics: tuple[str, ...],
        start: str | None, end: str | None, kinds: tuple[str, ...], graph_file: Path | None, data_dir: Path | None,
        base: str, store_spec: str) -> None:
    """Draw a view: one self-contained HTML page (search, filters, details, timeline) or a PNG/SVG image."""
    # Imported here so that `atfgraph build` and friends do not pay for matplotlib at start-up.
    from atfgraph.viz.render import OutputKind, write
    from atfgraph.viz.scene import scene

    with errors():
        OutputKind.of(out_path)
        entities = load_entities(graph_file, data_dir, base, store_spec)
        request = view_request(entities, view_name, entity, depth, topics, start, end, kinds)
        drawn = scene(entities, request)
        write(drawn, out_path, LaneBy(lanes))
    click.echo(f"wrote {out_path} ({drawn.title}: {drawn.graph.number_of_nodes()} nodes, "
               f"{drawn.graph.number_of_edges()} links)")


__all__ = ["export", "load_entities", "network", "view_request", "viz"]
