"""The kinds of node in a network view, with the colour and shape each is drawn in everywhere.

One table serves the exports (GEXF viz colours, a ``color`` attribute), the HTML page and the static
images, so a country is the same orange in Gephi, in the browser and in a report.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from functools import cache

from rdflib import URIRef

from atfgraph.namespaces import ATF, RDFS, SKOS
from atfgraph.resources import ontology_graph


class Kind(enum.Enum):
    """What a node stands for: the record kinds, plus ``other`` for IRIs a CONSTRUCT query made up."""

    ORGANISATION = "organisation"
    COUNTRY = "country"
    EVENT = "event"
    DOCUMENT = "document"
    TOPIC = "topic"
    SOURCE = "source"
    CITY = "city"
    OTHER = "other"

    @property
    def style(self) -> KindStyle:
        """How nodes of this kind are drawn."""
        return STYLES[self]


ACTORS = frozenset({Kind.ORGANISATION, Kind.COUNTRY})
"""The kinds that take part in events and so form the co-operation network."""

ITEMS = frozenset({Kind.EVENT, Kind.DOCUMENT})
"""The dated kinds that topic and date filters select."""


@dataclass(frozen=True)
class KindStyle:
    """A kind's colour (``#rrggbb``), its plural name for legends, and its shape in the browser and in images."""

    colour: str
    plural: str
    shape: str  # a Cytoscape.js node shape
    marker: str  # a matplotlib marker

    @property
    def rgb(self) -> tuple[int, int, int]:
        """The colour as 0–255 red, green and blue."""
        value = self.colour.lstrip("#")
        return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


# Tableau 10: distinct for most colour-blind readers, and each kind also has its own shape.
STYLES: dict[Kind, KindStyle] = {
    Kind.ORGANISATION: KindStyle("#4e79a7", "organisations", "round-rectangle", "s"),
    Kind.COUNTRY: KindStyle("#f28e2b", "countries", "ellipse", "o"),
    Kind.EVENT: KindStyle("#e15759", "events", "diamond", "D"),
    Kind.DOCUMENT: KindStyle("#76b7b2", "documents", "rectangle", "p"),
    Kind.TOPIC: KindStyle("#59a14f", "topics", "hexagon", "h"),
    Kind.SOURCE: KindStyle("#b07aa1", "sources", "round-triangle", "^"),
    Kind.CITY: KindStyle("#9c755f", "cities", "triangle", "v"),
    Kind.OTHER: KindStyle("#bab0ac", "other", "ellipse", "o"),
}

_ROOTS: dict[URIRef, Kind] = {
    ATF.Country: Kind.COUNTRY,  # before atf:Actor and atf:Place, which it is also a subclass of
    ATF.City: Kind.CITY,
    ATF.Organisation: Kind.ORGANISATION,
    ATF.Event: Kind.EVENT,
    ATF.Document: Kind.DOCUMENT,
    ATF.Source: Kind.SOURCE,
    ATF.Topic: Kind.TOPIC,
    SKOS.Concept: Kind.TOPIC,
}

_PATH_KIND = re.compile(r"(?:^|[/:])(organisation|country|event|document|topic|source|city)/([^/#]+)$")


@dataclass(frozen=True)
class ClassInfo:
    """An ontology class as a node type: its kind, its depth below the kind's root class, and its label."""

    kind: Kind
    depth: int
    label: str
    name: str


@cache
def classes() -> dict[URIRef, ClassInfo]:
    """Every class of the ontology that belongs to a node kind, read from ``atf.ttl``'s subclass axioms."""
    ontology = ontology_graph()
    found: dict[URIRef, ClassInfo] = {}
    for cls in set(ontology.subjects(RDFS.subClassOf, None)) | set(_ROOTS):
        if not isinstance(cls, URIRef):
            continue
        chain = _root_of(cls)
        if chain is None:
            continue
        kind, depth = chain
        label = ontology.value(cls, RDFS.label)
        name = local_name(cls)
        found[cls] = ClassInfo(kind, depth, str(label) if label is not None else name, name)
    return found


def _root_of(cls: URIRef) -> tuple[Kind, int] | None:
    """The kind a class belongs to and how many subclass steps it is below that kind's root."""
    ontology = ontology_graph()
    frontier, depth, seen = [cls], 0, set()
    while frontier and depth < 10:  # the ontology is shallow; the bound only guards against a cycle
        for current in frontier:
            if current in _ROOTS:
                return _ROOTS[current], depth
        seen.update(frontier)
        frontier = [parent for current in frontier for parent in ontology.objects(current, RDFS.subClassOf)
                    if isinstance(parent, URIRef) and parent not in seen]
        depth += 1
    return None


def kind_from_iri(iri: str) -> Kind | None:
    """The kind an entity IRI names in its path (``…/organisation/attf`` → organisation), if any."""
    match = _PATH_KIND.search(iri)
    return Kind(match.group(1)) if match else None


def short_id(iri: str) -> str:
    """``kind/id`` for an entity IRI (``organisation/attf``), or the IRI itself when it has no such path."""
    match = _PATH_KIND.search(iri)
    return f"{match.group(1)}/{match.group(2)}" if match else iri


def local_name(iri: str) -> str:
    """The last part of an IRI, after its last ``#`` or ``/``."""
    return re.split(r"[#/]", iri.rstrip("/#"))[-1]


__all__ = ["ACTORS", "ITEMS", "STYLES", "ClassInfo", "Kind", "KindStyle", "classes", "kind_from_iri", "local_name",
           "short_id"]
