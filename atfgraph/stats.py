"""Counts analysts ask for first: entities per class, events per topic, events per year."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Literal

from atfgraph.store import Store

_PER_CLASS = """
SELECT ?class (COUNT(DISTINCT ?entity) AS ?count) WHERE {
  ?entity a ?class . FILTER(STRSTARTS(STR(?class), STR(atf:)))
} GROUP BY ?class ORDER BY DESC(?count) ?class
"""

_PER_TOPIC = """
SELECT ?label (COUNT(DISTINCT ?event) AS ?count) WHERE {
  ?event a atf:Event ; atf:topic ?topic . ?topic skos:prefLabel ?label .
} GROUP BY ?label ORDER BY DESC(?count) ?label
"""

# Years come from the earliest bound, never from dateValue: a gYear and a date do not compare, and an
# event whose year is unknown has no bound at all, so it is counted apart instead of at year 0.
_PER_YEAR = """
SELECT ?year (COUNT(DISTINCT ?event) AS ?count) WHERE {
  ?event a atf:Event .
  OPTIONAL { ?event atf:date/atf:earliest ?earliest }
  BIND(IF(BOUND(?earliest), STR(YEAR(?earliest)), "unknown") AS ?year)
} GROUP BY ?year ORDER BY ?year
"""


@dataclass(frozen=True)
class Stats:
    """Counts per class, per topic and per year, each as (label, count) pairs in display order."""

    triples: int
    per_class: tuple[tuple[str, int], ...]
    per_topic: tuple[tuple[str, int], ...]
    per_year: tuple[tuple[str, int], ...]


def stats(store: Store) -> Stats:
    """Count what a store holds."""
    return Stats(len(store), per_class(store), _pairs(store, _PER_TOPIC), _pairs(store, _PER_YEAR))


def per_class(store: Store) -> tuple[tuple[str, int], ...]:
    """Entities per class of the ontology, most first: alone, what a build reports (the other counts and the
    triples of the union take seconds on a large graph)."""
    return _pairs(store, _PER_CLASS, shorten=True)


def _pairs(store: Store, sparql: str, shorten: bool = False) -> tuple[tuple[str, int], ...]:
    result = store.query(sparql)
    found: list[tuple[str, int]] = []
    for key, count in result.rows:
        text = str(key)
        if shorten:
            text = "atf:" + text.rsplit("#", 1)[-1]
        found.append((text, int(count.toPython()) if isinstance(count, Literal) else 0))
    return tuple(found)


__all__ = ["Stats", "per_class", "stats"]
