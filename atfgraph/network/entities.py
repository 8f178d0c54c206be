"""The entity graph: an RDF graph (a build, a graph file or a CONSTRUCT result) as a networkx graph.

Nodes are the entities (organisations, countries, cities, events, documents, topics, sources), keyed by
their IRI. Everything that hangs off one entity as a hash node becomes data instead of a node:

* date nodes (``atf:DateSpec``) become ``date``/``earliest``/``latest``/``precision`` attributes (``founded_…``,
  ``dissolved_…``, ``accessed_…`` for the other date properties);
* recorded figures and claims become the ``figures`` and ``claims`` attributes;
* role nodes are contracted into labelled edges: a membership into ``country —member of→ organisation`` and a
  coordination into ``country or agency —coordinates→ organisation``, each keeping its dates and sources.

Every other link between two entities is an edge keyed by the property's local name (``organiser``,
``partOf``), labelled with the property's label from the ontology. ``skos:narrower`` is folded into
``broader`` edges so the scheme's two directions do not count twice. The result is a ``MultiDiGraph``:
two entities can be linked by several properties (a country both signs and hosts a document).

Attribute values are strings, integers or booleans, or tuples of strings for multi-valued ones; an unknown
value is left out, never ``None``. :func:`atfgraph.network.exports.flatten` joins the tuples for the file
formats that cannot hold them.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from atfgraph.namespaces import ATF, DCTERMS, ORG, RDF, RDFS, SKOS
from atfgraph.network.kinds import ClassInfo, Kind, classes, kind_from_iri, local_name, short_id
from atfgraph.resources import ontology_graph

_TEXT: dict[URIRef, str] = {
    ATF.shortName: "short_name",
    ATF.description: "description",
    SKOS.definition: "definition",
    ATF.alpha2: "alpha2",
    ATF.alpha3: "alpha3",
    ATF.numericCode: "numeric_code",
    ATF.withdrawn: "withdrawn",
    ATF.url: "url",
    DCTERMS.publisher: "publisher",
    ATF.reliability: "reliability",
    ATF.venue: "venue",
}
_INTEGER: dict[URIRef, str] = {ATF.number: "number", ATF.credibility: "credibility"}
_MULTI_TEXT: dict[URIRef, str] = {SKOS.altLabel: "alt_names", ATF.sameAs: "same_as"}
_DATES: dict[URIRef, str] = {ATF.date: "date", ATF.founded: "founded", ATF.dissolved: "dissolved",
                             ATF.accessed: "accessed"}
_LINKED_LABELS: dict[URIRef, str] = {ATF.place: "place", ATF.country: "country", ATF.seat: "seat",
                                     ATF.series: "series"}
"""Links that are edges and whose target's label is also kept on the node, for details panels and CSVs."""

_NOT_EDGES = frozenset({
    RDF.type, RDFS.label, SKOS.prefLabel, SKOS.inScheme, SKOS.topConceptOf, SKOS.hasTopConcept,
    ATF.membership, ATF.coordination, ATF.recordedFigure, ATF.claim, ATF.claimAbout,
    ATF.linkedActor, ATF.sharedEvent, ATF.sharedEvents,
    *_TEXT, *_INTEGER, *_MULTI_TEXT, *_DATES,
})

MEMBER_OF = "memberOf"
COOPERATED_WITH = "cooperatedWith"
COORDINATES = "coordinates"
BROADER = "broader"


def entity_graph(rdf: Graph) -> nx.MultiDiGraph:
    """The entity graph of an RDF graph: entities as nodes (keyed by IRI), links as typed, labelled edges."""
    kinds = _node_kinds(rdf)
    labels = {node: _label(rdf, node) for node in kinds}
    graph = nx.MultiDiGraph()
    for node in sorted(kinds):
        kind, info = kinds[node]
        graph.add_node(str(node), **_attributes(rdf, node, kind, info, labels))
    edges: dict[tuple[str, str, str], dict[str, Any]] = {}
    for node in kinds:
        for predicate, obj in rdf.predicate_objects(node):
            if predicate in _NOT_EDGES or not isinstance(predicate, URIRef) or obj not in kinds:
                continue
            if predicate == SKOS.narrower:
                edges[(str(obj), str(node), BROADER)] = _edge(SKOS.broader)
            else:
                edges[(str(node), str(obj), local_name(predicate))] = _edge(predicate)
    edges.update(_memberships(rdf, kinds, labels))
    edges.update(_coordinations(rdf, kinds, labels))
    edges.update(_cooperation_links(rdf, kinds, labels))
    for (source, target, key), data in sorted(edges.items()):
        graph.add_edge(source, target, key=key, **data)
    return graph


def _node_kinds(rdf: Graph) -> dict[URIRef, tuple[Kind, ClassInfo | None]]:
    """Every entity with its kind and most specific class; untyped entities (in a CONSTRUCT result) by IRI."""
    known = classes()
    found: dict[URIRef, tuple[Kind, ClassInfo | None]] = {}
    typed: set[Node] = set()
    for subject, cls in rdf.subject_objects(RDF.type):
        typed.add(subject)
        info = known.get(cls) if isinstance(cls, URIRef) else None
        if info is None or not isinstance(subject, URIRef):
            continue
        current = found.get(subject)
        current_info = current[1] if current is not None else None
        if current_info is None or (info.depth, info.name) > (current_info.depth, current_info.name):
            found[subject] = (info.kind, info)
    for subject, predicate, obj in rdf:
        if predicate in _NOT_EDGES:
            continue
        for term in (subject, obj):
            if isinstance(term, URIRef) and term not in typed and term not in found:
                kind = kind_from_iri(str(term))
                if kind is not None:
                    found[term] = (kind, None)
    return found


def _label(rdf: Graph, node: URIRef) -> str:
    for predicate in (RDFS.label, SKOS.prefLabel):
        values = sorted(str(value) for value in rdf.objects(node, predicate) if isinstance(value, Literal))
        if values:
            return values[0]
    return short_id(str(node))


def _attributes(rdf: Graph, node: URIRef, kind: Kind, info: ClassInfo | None,
                labels: dict[URIRef, str]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "iri": str(node),
        "short_id": short_id(str(node)),
        "label": labels[node],
        "kind": kind.value,
        "type": info.name if info is not None else kind.value.capitalize(),
        "type_label": info.label if info is not None else kind.value.capitalize(),
        "color": kind.style.colour,
    }
    multi: dict[str, set[str]] = {}
    for predicate, obj in rdf.predicate_objects(node):
        if not isinstance(predicate, URIRef):
            continue
        if predicate in _TEXT and isinstance(obj, Literal):
            data.setdefault(_TEXT[predicate], str(obj))
        elif predicate in _INTEGER and isinstance(obj, Literal):
            value = obj.toPython()
            data.setdefault(_INTEGER[predicate], value if isinstance(value, int) else str(obj))
        elif predicate in _MULTI_TEXT:
            multi.setdefault(_MULTI_TEXT[predicate], set()).add(str(obj))
        elif predicate in _DATES:
            data.update(date_attributes(rdf, obj, _DATES[predicate]))
        elif predicate in _LINKED_LABELS and isinstance(obj, URIRef) and obj in labels:
            data.setdefault(_LINKED_LABELS[predicate], labels[obj])
    for name, values in multi.items():
        data[name] = tuple(sorted(values))
    data.update(_linked("topic", rdf.objects(node, ATF.topic), labels))
    data.update(_linked("source", rdf.objects(node, ATF.source), labels))
    figures = tuple(_figure(rdf, figure) for figure in sorted(rdf.objects(node, ATF.recordedFigure), key=str))
    if figures:
        data["figures"] = figures
    claims = tuple(_claim(rdf, claim, labels) for claim in sorted(rdf.objects(node, ATF.claim), key=str))
    if claims:
        data["claims"] = claims
    return data


def date_attributes(rdf: Graph, date_node: Node, name: str = "date") -> dict[str, Any]:
    """The attributes of one date node: the text as written, the bounds (ISO days) and the precision.

    For ``date`` the keys are ``date``, ``earliest``, ``latest``, ``precision`` (and ``approximate`` or
    ``uncertain`` when true); for any other name they are prefixed, as in ``founded_earliest``. A bound
    that is not known (the year is unknown, or an interval is open) is left out.
    """
    prefix = "" if name == "date" else f"{name}_"
    data: dict[str, Any] = {}
    text = rdf.value(date_node, ATF.dateText)
    if text is not None:
        data[name] = str(text)
    for field, predicate in (("earliest", ATF.earliest), ("latest", ATF.latest), ("precision", ATF.precision)):
        value = rdf.value(date_node, predicate)
        if value is not None:
            data[prefix + field] = str(value)
    for field, predicate in (("approximate", ATF.approximate), ("uncertain", ATF.uncertain)):
        value = rdf.value(date_node, predicate)
        if isinstance(value, Literal) and value.toPython() is True:
            data[prefix + field] = True
    return data


def _linked(name: str, targets: Iterable[Node], labels: dict[URIRef, str]) -> dict[str, tuple[str, ...]]:
    """``topics``/``topic_iris`` (or ``sources``/``source_iris``): labels and IRIs in the same order."""
    pairs = sorted((labels.get(target, short_id(str(target))) if isinstance(target, URIRef) else str(target),
                    str(target)) for target in targets)
    if not pairs:
        return {}
    return {f"{name}s": tuple(label for label, _ in pairs), f"{name}_iris": tuple(iri for _, iri in pairs)}


def _figure(rdf: Graph, figure: Node) -> str:
    label = rdf.value(figure, RDFS.label)
    value = rdf.value(figure, ATF.value)
    return f"{label if label is not None else 'figure'}: {value if value is not None else '?'}"


def _claim(rdf: Graph, claim: Node, labels: dict[URIRef, str]) -> str:
    field = rdf.value(claim, ATF.claimField)
    value = rdf.value(claim, ATF.claimValue)
    if value is not None and rdf.value(value, ATF.dateText) is not None:
        shown = str(rdf.value(value, ATF.dateText))  # a claimed date is a date node of its own
    elif isinstance(value, URIRef):
        shown = labels.get(value, short_id(str(value)))
    else:
        shown = str(value) if value is not None else "?"
    sources = sorted(labels.get(source, short_id(str(source))) for source in rdf.objects(claim, ATF.source)
                     if isinstance(source, URIRef))
    cited = f" ({'; '.join(sources)})" if sources else ""
    return f"{field if field is not None else 'value'}: {shown}{cited}"


@cache
def property_label(predicate: URIRef) -> str:
    """The ontology's label of a property (``atf:partOf`` → "part of"), else its local name."""
    label = ontology_graph().value(predicate, RDFS.label)
    if label is not None:
        return str(label)
    return local_name(str(predicate))


def _edge(predicate: URIRef) -> dict[str, Any]:
    relation = BROADER if predicate == SKOS.broader else local_name(str(predicate))
    return {"relation": relation, "label": property_label(predicate), "predicate": str(predicate)}


def _role_data(rdf: Graph, role: Node, labels: dict[URIRef, str]) -> dict[str, Any]:
    """What a role node carries onto its edge: sources, description and any dates."""
    data: dict[str, Any] = {}
    data.update(_linked("source", rdf.objects(role, ATF.source), labels))
    description = rdf.value(role, ATF.description)
    if description is not None:
        data["description"] = str(description)
    for predicate, name in ((ATF.memberFrom, "from"), (ATF.memberTo, "to")):
        date_node = rdf.value(role, predicate)
        if date_node is not None:
            data.update(date_attributes(rdf, date_node, name))
    return data


def _memberships(rdf: Graph, kinds: dict[URIRef, Any],
                 labels: dict[URIRef, str]) -> dict[tuple[str, str, str], dict[str, Any]]:
    edges: dict[tuple[str, str, str], dict[str, Any]] = {}
    for membership, member in rdf.subject_objects(ORG.member):
        organisation = rdf.value(membership, ORG.organization)
        if member in kinds and organisation in kinds:
            edges[(str(member), str(organisation), MEMBER_OF)] = {
                "relation": MEMBER_OF, "label": "member of", "predicate": str(ATF.Membership),
                **_role_data(rdf, membership, labels),
            }
    return edges


def _coordinations(rdf: Graph, kinds: dict[URIRef, Any],
                   labels: dict[URIRef, str]) -> dict[tuple[str, str, str], dict[str, Any]]:
    edges: dict[tuple[str, str, str], dict[str, Any]] = {}
    for coordination, organisation in rdf.subject_objects(ATF.coordinatedOrganisation):
        if organisation not in kinds:
            continue
        for predicate, role in ((ATF.coordinatingCountry, "country"), (ATF.coordinatingAgency, "agency")):
            for coordinator in rdf.objects(coordination, predicate):
                if coordinator in kinds:
                    edges[(str(coordinator), str(organisation), COORDINATES)] = {
                        "relation": COORDINATES, "label": "coordinates", "predicate": str(ATF.Coordination),
                        "role": role, **_role_data(rdf, coordination, labels),
                    }
    return edges


def _cooperation_links(rdf: Graph, kinds: dict[URIRef, Any],
                       labels: dict[URIRef, str]) -> dict[tuple[str, str, str], dict[str, Any]]:
    """The weighted ties of the saved query ``cooperation-network`` (atf:CooperationLink nodes), as edges."""
    edges: dict[tuple[str, str, str], dict[str, Any]] = {}
    for link in set(rdf.subjects(ATF.linkedActor, None)):
        actors = sorted(str(actor) for actor in rdf.objects(link, ATF.linkedActor) if actor in kinds)
        if len(actors) != 2:
            continue
        events = sorted(rdf.objects(link, ATF.sharedEvent), key=str)
        weight = rdf.value(link, ATF.sharedEvents)
        count = int(weight.toPython()) if isinstance(weight, Literal) else len(events)
        edges[(actors[0], actors[1], COOPERATED_WITH)] = {
            "relation": COOPERATED_WITH, "label": f"{count} shared event(s)", "predicate": str(ATF.cooperatedWith),
            "weight": count, "events": tuple(str(event) for event in events),
            "event_labels": tuple(labels.get(event, short_id(str(event))) if isinstance(event, URIRef) else str(event)
                                  for event in events),
        }
    return edges


__all__ = ["BROADER", "COOPERATED_WITH", "COORDINATES", "MEMBER_OF", "date_attributes", "entity_graph",
           "property_label"]
