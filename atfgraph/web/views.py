"""What pages show, prepared in Python so that templates only lay it out: RDF terms as cells, entity sections.

Every text here is plain text: the templates escape it (Jinja2 autoescape), so a label that says
``<script>`` shows as those characters. Links are built only from the server's own paths or from
``http(s)`` addresses, never from a ``javascript:`` or other IRI.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from atfgraph.namespaces import RDF, RDFS, SKOS
from atfgraph.results import Names
from atfgraph.web.describe import Description, Triple, hash_of, owner_of
from atfgraph.web.paths import Links


@dataclass(frozen=True)
class Cell:
    """One term as shown: its text, a link (``outside`` for another site), a tooltip and a small note."""

    text: str
    href: str | None = None
    title: str = ""
    note: str = ""
    outside: bool = False


@dataclass(frozen=True)
class Value:
    """A value of a property; a hash node's own statements are ``nested`` under it, with its ``anchor``."""

    cell: Cell
    nested: tuple[Group, ...] = ()
    anchor: str = ""


@dataclass(frozen=True)
class Group:
    """The values of one property."""

    property: Cell
    values: tuple[Value, ...]


@dataclass(frozen=True)
class EntityPage:
    """An entity page's content."""

    iri: str
    label: str
    types: tuple[Cell, ...]
    groups: tuple[Group, ...]
    incoming: tuple[Group, ...]
    incoming_truncated: bool
    sources: tuple[tuple[Cell, str, Cell | None], ...]
    graphs: tuple[str, ...]
    network: dict[str, Any] | None = field(default=None)


_FIRST = (RDF.type, RDFS.label, SKOS.prefLabel, SKOS.altLabel)
"""Properties shown before the rest (which follow in the order of their labels)."""


class Presenter:
    """Turns terms into cells, with labels from the graph and links to the server's pages."""

    def __init__(self, links: Links, labels: dict[str, str] | None = None) -> None:
        self.links = links
        self.labels = labels or {}
        self.names = Names(links.base)
        self._blank: dict[BNode, str] = {}

    def cell(self, term: Node | None) -> Cell:
        """A term as a cell: an IRI by its label (linked to its page), a literal by its text."""
        if term is None:
            return Cell("")
        if isinstance(term, URIRef):
            iri = str(term)
            return Cell(self.labels.get(iri) or self.names.text(term), self.links.page(iri), iri)
        if isinstance(term, BNode):
            return Cell(f"_:{self._blank.setdefault(term, f'b{len(self._blank)}')}")
        if isinstance(term, Literal):
            note = f"@{term.language}" if term.language else ""
            if term.datatype is not None and term.datatype != XSD.string:
                note = self.names.text(term.datatype)
            outside = Links.outside(str(term)) if term.datatype == XSD.anyURI else None
            return Cell(str(term), outside, "", note, outside is not None)
        return Cell(str(term))  # pragma: no cover - only RDF terms reach here

    def row(self, terms: tuple[Node | None, ...]) -> tuple[Cell, ...]:
        """A row of terms as cells."""
        return tuple(self.cell(term) for term in terms)

    def entity(self, description: Description) -> EntityPage:
        """The sections of an entity page."""
        iri = str(description.iri)
        by_subject: dict[str, list[Triple]] = defaultdict(list)
        for triple in description.triples:
            by_subject[str(triple[0])].append(triple)
        types = tuple(self.cell(obj) for _, predicate, obj in by_subject.get(iri, []) if predicate == RDF.type)
        groups = self._groups(iri, iri, by_subject, depth=0)
        incoming: dict[URIRef, list[Value]] = defaultdict(list)
        for subject, predicate in description.incoming:
            owner = owner_of(str(subject))
            cell = self.cell(URIRef(owner))
            if owner != str(subject):  # a hash node of another entity: its membership, its coordination…
                fragment = str(subject).split("#", 1)[1]
                cell = Cell(f"{cell.text} › {fragment}", self.links.page(str(subject)), str(subject))
            incoming[predicate].append(Value(cell))
        sources = tuple((Cell(source.label, self.links.page(source.iri), source.iri), source.publisher,
                         Cell(source.url, Links.outside(source.url), "", "", True) if Links.outside(source.url)
                         else None) for source in description.sources)
        return EntityPage(iri, description.label, types, groups, self._ordered(incoming),
                          description.incoming_truncated, sources,
                          tuple(self.names.text(URIRef(name)) for name in description.graphs),
                          self.network(description.network))

    def _groups(self, subject: str, owner: str, by_subject: dict[str, list[Triple]], depth: int) -> tuple[Group, ...]:
        values: dict[URIRef, list[Value]] = defaultdict(list)
        for _, predicate, obj in by_subject.get(subject, []):
            assert isinstance(predicate, URIRef)
            nested: tuple[Group, ...] = ()
            anchor = ""
            if isinstance(obj, URIRef) and hash_of(str(obj), owner) and depth < 5:
                anchor = str(obj).split("#", 1)[1]
                nested = self._groups(str(obj), owner, by_subject, depth + 1)
            values[predicate].append(Value(self.cell(obj), nested, anchor))
        return self._ordered(values)

    def _ordered(self, values: dict[URIRef, list[Value]]) -> tuple[Group, ...]:
        def key(predicate: URIRef) -> tuple[int, str]:
            first = _FIRST.index(predicate) if predicate in _FIRST else len(_FIRST)
            return first, self.cell(predicate).text.casefold()

        return tuple(Group(self.cell(predicate), tuple(sorted(values[predicate], key=lambda value: value.cell.text)))
                     for predicate in sorted(values, key=key))

    def network(self, drawing: dict[str, Any] | None) -> dict[str, Any] | None:
        """A drawing with a link to each node's page, for the page's script."""
        if drawing is None:
            return None
        nodes = [{**node, "href": self.links.page(str(node["id"]))} for node in drawing.get("nodes", [])]
        return {**drawing, "nodes": nodes}


__all__ = ["Cell", "EntityPage", "Group", "Presenter", "Value"]
