"""What the graph says about one entity, gathered in a worker: for its page, its Turtle and its ego network.

An entity's description is its own triples and those of its hash nodes (``{entity}#date``,
``{entity}#member-TR``, nested as deep as the data nests them), which no client can ask for apart from the
entity since a fragment never reaches the server. Incoming links, the labels of everything mentioned, the
sources cited and the files that recorded it are gathered alongside, each with a bound, so that a page about
a hub (a topic every event has) stays small.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from atfgraph.namespaces import ATF, DCTERMS, PREFIXES, RDFS, SKOS
from atfgraph.network.entities import property_label
from atfgraph.store import Store

MAX_INCOMING = 500
"""Incoming links listed on a page; a hub has more, and the page says so."""

HASH_DEPTH = 4
"""How deep hash nodes are followed (an entity → a membership → its start date is two)."""

_CHUNK = 100
_SAFE_IRI = re.compile(r'[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>"{}|^`\\]*')
"""An absolute IRI that can be written between ``<`` and ``>`` in a query as it is."""

Triple = tuple[Node, Node, Node]


@dataclass(frozen=True)
class SourceInfo:
    """A source cited by the entity or one of its hash nodes."""

    iri: str
    label: str
    publisher: str = ""
    url: str = ""


@dataclass(frozen=True)
class Description:
    """Everything an entity page shows; ``triples`` are the entity's own and its hash nodes'."""

    iri: URIRef
    triples: tuple[Triple, ...]
    incoming: tuple[tuple[URIRef, URIRef], ...]
    incoming_truncated: bool
    labels: dict[str, str] = field(default_factory=dict)
    sources: tuple[SourceInfo, ...] = ()
    graphs: tuple[str, ...] = ()
    network: dict[str, object] | None = None

    @property
    def label(self) -> str:
        """The entity's own label, or its IRI."""
        return self.labels.get(str(self.iri), str(self.iri))


def safe_iri(iri: str) -> bool:
    """Whether an IRI can be pasted into a query between angle brackets without changing its syntax."""
    return bool(_SAFE_IRI.fullmatch(iri))


def hash_of(iri: str, owner: str) -> bool:
    """Whether ``iri`` is one of ``owner``'s hash nodes (``{owner}#…``)."""
    return iri.startswith(owner + "#")


def owner_of(iri: str) -> str:
    """The entity a hash node belongs to (the IRI before ``#``); an IRI without ``#`` is its own owner."""
    return iri.split("#", 1)[0]


def _values(iris: Iterable[str]) -> str:
    return " ".join(f"<{iri}>" for iri in iris if safe_iri(iri))


def _chunks(iris: Iterable[str]) -> Iterable[list[str]]:
    ordered = sorted({iri for iri in iris if safe_iri(iri)})
    for start in range(0, len(ordered), _CHUNK):
        yield ordered[start:start + _CHUNK]


def outgoing(store: Store, subjects: Iterable[str]) -> list[Triple]:
    """Every triple whose subject is one of ``subjects``."""
    found: list[Triple] = []
    for chunk in _chunks(subjects):
        result = store.query(f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {_values(chunk)} }} ?s ?p ?o }}")
        found += [(row[0], row[1], row[2]) for row in result.rows if None not in row]  # type: ignore[misc]
    return found


def own_triples(store: Store, iris: Iterable[str]) -> list[Triple]:
    """The triples of some entities and of their hash nodes, following hash nodes :data:`HASH_DEPTH` deep."""
    owners = {iri for iri in iris if safe_iri(iri)}
    triples = outgoing(store, owners)
    seen = set(owners)
    for _ in range(HASH_DEPTH):
        frontier = {str(obj) for _, _, obj in triples
                    if isinstance(obj, URIRef) and owner_of(str(obj)) in owners and str(obj) not in seen}
        if not frontier:
            break
        seen |= frontier
        triples += outgoing(store, frontier)
    return sorted(set(triples), key=lambda triple: tuple(term.n3() for term in triple))


def exists(store: Store, iri: URIRef) -> bool:
    """Whether the graph says anything with the IRI as subject or object."""
    result = store.query("ASK { { ?iri ?p ?o } UNION { ?s ?p ?iri } }", {"iri": iri})
    return bool(result.boolean)


def incoming(store: Store, iri: URIRef, limit: int = MAX_INCOMING) -> tuple[list[tuple[URIRef, URIRef]], bool]:
    """The (subject, predicate) pairs that point at the entity, at most ``limit``, and whether there were more."""
    result = store.query(f"SELECT ?s ?p WHERE {{ ?s ?p ?iri }} ORDER BY ?p ?s LIMIT {limit + 1}", {"iri": iri})
    pairs = [(row[0], row[1]) for row in result.rows
             if isinstance(row[0], URIRef) and isinstance(row[1], URIRef)]
    return pairs[:limit], len(pairs) > limit


_LABELS = (RDFS.label, SKOS.prefLabel)


def labels(store: Store, iris: Iterable[str]) -> dict[str, str]:
    """The label of each IRI that has one (``rdfs:label``, else ``skos:prefLabel``; English or untagged first)."""
    ranked: dict[str, tuple[tuple[int, int, str], str]] = {}
    for chunk in _chunks(iris):
        # One pattern per property, not ``VALUES ?p``: rdflib joins two VALUES blocks with every triple.
        result = store.query(f"SELECT ?s ?p ?l WHERE {{ VALUES ?s {{ {_values(chunk)} }} "
                             f"{{ ?s <{RDFS.label}> ?l BIND(<{RDFS.label}> AS ?p) }} UNION "
                             f"{{ ?s <{SKOS.prefLabel}> ?l BIND(<{SKOS.prefLabel}> AS ?p) }} }}")
        for subject, predicate, label in result.rows:
            if not isinstance(label, Literal):
                continue
            rank = (_LABELS.index(predicate) if predicate in _LABELS else 9,
                    0 if label.language in (None, "en") else 1, str(label))
            key = str(subject)
            if key not in ranked or rank < ranked[key][0]:
                ranked[key] = (rank, str(label))
    return {key: label for key, (_, label) in ranked.items()}


def vocabulary_labels(iris: Iterable[str]) -> dict[str, str]:
    """Labels of properties and classes from the ontology (``atf:partOf`` → "part of")."""
    return {iri: property_label(URIRef(iri)) for iri in iris}


def sources(store: Store, triples: Iterable[Triple], names: dict[str, str]) -> tuple[SourceInfo, ...]:
    """The sources cited (``atf:source``) by any of the triples' subjects, with publisher and address."""
    cited = sorted({str(obj) for _, predicate, obj in triples if predicate == ATF.source and isinstance(obj, URIRef)})
    details: dict[str, dict[str, str]] = {iri: {} for iri in cited}
    for subject, predicate, obj in outgoing(store, cited):
        if predicate == DCTERMS.publisher:
            details[str(subject)]["publisher"] = str(obj)
        elif predicate == ATF.url:
            details[str(subject)]["url"] = str(obj)
    return tuple(SourceInfo(iri, names.get(iri, iri), details[iri].get("publisher", ""), details[iri].get("url", ""))
                 for iri in cited)


def recorded_in(store: Store, iri: URIRef) -> tuple[str, ...]:
    """The named graphs (one per input file) that hold triples about the entity."""
    result = store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?iri ?p ?o } } ORDER BY ?g", {"iri": iri})
    return tuple(str(row[0]) for row in result.rows if row[0] is not None)


def describe(store: Store, iri: URIRef, limit: int = MAX_INCOMING) -> Description | None:
    """The description of an entity, or ``None`` when the graph says nothing about it."""
    if not safe_iri(str(iri)):
        return None
    triples = own_triples(store, [str(iri)])
    pointing, more = incoming(store, iri, limit)
    if not triples and not pointing:
        return None
    mentioned = {str(term) for triple in triples for term in triple if isinstance(term, URIRef)}
    mentioned |= {str(subject) for subject, _ in pointing} | {owner_of(str(subject)) for subject, _ in pointing}
    predicates = {str(predicate) for _, predicate, _ in triples} | {str(predicate) for _, predicate in pointing}
    names = vocabulary_labels(predicates | {str(obj) for _, p, obj in triples if str(p) == PREFIXES["rdf"] + "type"})
    names.update(labels(store, mentioned | {str(iri)}))
    return Description(iri, tuple(triples), tuple(pointing), more, names, sources(store, triples, names),
                       recorded_in(store, iri))


def description_graph(store: Store, iri: URIRef) -> Graph | None:
    """The entity's own triples and its hash nodes' as a graph (what its IRI dereferences to), or ``None``."""
    if not safe_iri(str(iri)) or not exists(store, iri):
        return None
    graph = Graph()
    for triple in own_triples(store, [str(iri)]):
        graph.add(triple)
    return graph


__all__ = ["HASH_DEPTH", "MAX_INCOMING", "Description", "SourceInfo", "describe", "description_graph", "exists",
           "hash_of", "incoming", "labels", "outgoing", "own_triples", "owner_of", "safe_iri", "sources",
           "vocabulary_labels"]
