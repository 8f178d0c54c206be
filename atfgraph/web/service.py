"""The SPARQL 1.1 Service Description of the endpoint: what it speaks, its formats, and its dataset.

Served at ``GET /sparql`` with no query (as the Service Description spec asks) and at
``/sparql/description``, in Turtle by default (JSON-LD, N-Triples and RDF/XML by ``Accept``).
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from atfgraph.store import QueryForm, QueryResult, Store
from atfgraph.web.formats import Format, encode
from atfgraph.web.settings import Limits
from atfgraph.web.tasks import Body, OverviewTask

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
VOID = Namespace("http://rdfs.org/ns/void#")

_RESULT_FORMATS = (FORMATS.SPARQL_Results_JSON, FORMATS.SPARQL_Results_XML, FORMATS.SPARQL_Results_CSV,
                   FORMATS.SPARQL_Results_TSV, FORMATS.Turtle, FORMATS["JSON-LD"], FORMATS["N-Triples"],
                   FORMATS.RDF_XML)


def service_description(endpoint: str, triples: int, graphs: tuple[tuple[str, int], ...], limits: Limits) -> Graph:
    """The description of the endpoint at ``endpoint``, whose dataset holds ``graphs`` (name, triples)."""
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("formats", FORMATS)
    graph.bind("void", VOID)
    service = URIRef(endpoint)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))  # the default graph is the union of the named graphs
    for fmt in _RESULT_FORMATS:
        graph.add((service, SD.resultFormat, fmt))
    graph.add((service, RDFS.comment, Literal(
        f"Read-only: SPARQL Update, SERVICE and FROM are refused. Each query may run for {limits.timeout:g} s; "
        f"answers are cut at {limits.max_rows} rows (flagged by the X-Atfgraph-Truncated header).")))
    dataset, default = BNode("dataset"), BNode("default")
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    graph.add((default, VOID.triples, Literal(triples, datatype=XSD.integer)))
    for index, (name, count) in enumerate(graphs):
        named, described = BNode(f"named{index}"), BNode(f"graph{index}")
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, URIRef(name)))
        graph.add((named, SD.graph, described))
        graph.add((described, RDF.type, SD.Graph))
        graph.add((described, VOID.triples, Literal(count, datatype=XSD.integer)))
    return graph


@dataclass(frozen=True)
class DescriptionTask:
    """The service description, written in a graph format."""

    endpoint: str
    fmt: Format
    base: str
    limits: Limits

    def run(self, store: Store) -> Body:
        """Count the dataset and describe the service."""
        overview = OverviewTask().run(store)
        graph = service_description(self.endpoint, overview.triples, overview.graphs, self.limits)
        if self.fmt is Format.TURTLE:  # with the sd:, formats: and void: prefixes the general writer does not know
            return Body(graph.serialize(format="turtle").encode("utf-8"), self.fmt.media_type)
        return Body(encode(QueryResult(QueryForm.CONSTRUCT, graph=graph), self.fmt, self.base), self.fmt.media_type)


__all__ = ["FORMATS", "SD", "VOID", "DescriptionTask", "service_description"]
