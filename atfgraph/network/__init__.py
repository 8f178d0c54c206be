"""Network views of the graph for analysts, as networkx graphs.

Start from any rdflib graph — a build's ``store.union()``, a graph file, or the result of a saved CONSTRUCT
query — and go on in networkx::

    from pathlib import Path
    from atfgraph import load
    from atfgraph.network import Metric, View, ViewRequest, compute, entity_graph, view_graph

    entities = entity_graph(load(Path("data")).store.union())
    cooperation = view_graph(entities, ViewRequest(View.COOPERATION))
    leaders = compute(cooperation).top(Metric.DEGREE, 5)

Node ids are entity IRIs; each node also has ``short_id`` (``organisation/attf``), ``label``, ``kind``
(organisation, country, event, document, topic, source, city), ``type`` (the most specific class) and
``color``. See ``docs/network.md`` for every attribute.
"""

from atfgraph.network.entities import entity_graph
from atfgraph.network.exports import ExportFormat, flatten
from atfgraph.network.filters import Filters, apply_filters, parse_bound
from atfgraph.network.kinds import Kind
from atfgraph.network.layout import positions
from atfgraph.network.metrics import Metric, Metrics, NodeMetrics, compute
from atfgraph.network.projections import ROLES, actor_topic_network, cooperation_network, ego_network
from atfgraph.network.timeline import LaneBy, Placement, Timeline, TimelineItem, timeline
from atfgraph.network.views import View, ViewRequest, resolve_entity, resolve_topic, view_graph

__all__ = [
    "ROLES",
    "ExportFormat",
    "Filters",
    "Kind",
    "LaneBy",
    "Metric",
    "Metrics",
    "NodeMetrics",
    "Placement",
    "Timeline",
    "TimelineItem",
    "View",
    "ViewRequest",
    "actor_topic_network",
    "apply_filters",
    "compute",
    "cooperation_network",
    "ego_network",
    "entity_graph",
    "flatten",
    "parse_bound",
    "positions",
    "resolve_entity",
    "resolve_topic",
    "timeline",
    "view_graph",
]
