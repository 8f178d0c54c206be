"""Reading a data folder into a graph: read → catalogue → normalise → map → store.

Library entry point :func:`load`; :mod:`atfgraph.pipeline` adds checking and writing.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from atfgraph.countries import Country
from atfgraph.errors import Location, Problem
from atfgraph.fields import FIELDS, Kind
from atfgraph.mapping import Mapper, countries_in
from atfgraph.namespaces import ATF, DEFAULT_BASE, PROV, RDF, RDFS, SKOS
from atfgraph.normalise import Normaliser, catalogue_records, topic_key
from atfgraph.read import FileContent, iter_files
from atfgraph.records import InputFile, Record
from atfgraph.resources import ontology_dir, topics_graph
from atfgraph.store import MemoryStore, Quad, Store

Progress = Callable[[int, int], None]
"""Called with (records done, records in all) while mapping, so a caller can show progress."""

DEFAULT_GRAPH = URIRef(str(DATASET_DEFAULT_GRAPH_ID))


@dataclass(frozen=True)
class Build:
    """A data folder read into a store, with what was found wrong on the way."""

    store: Store
    base: str
    files: tuple[InputFile, ...]
    problems: tuple[Problem, ...]
    locations: dict[URIRef, Location]
    entities: Counter[str]
    records: dict[URIRef, Record]

    def location_of(self, node: URIRef, predicate: URIRef | None = None) -> Location | None:
        """The record line that made a node, or the line of the field that made ``predicate`` on it."""
        record = self.records.get(node)
        if record is not None and predicate is not None:
            for spec in FIELDS[Kind(record.kind)]:
                if spec.predicate == predicate:
                    return record.at(spec.name)
        found = self.locations.get(node)
        if found is None and "#" in node:
            found = self.locations.get(URIRef(node.split("#", 1)[0]))
        return found


def load(data_dir: Path, base: str = DEFAULT_BASE, progress: Progress | None = None,
         store: Store | None = None) -> Build:
    """Read every record under ``data_dir`` into a store; problems are collected, not raised."""
    return load_contents(list(iter_files(data_dir)), base, progress, store)


def load_contents(contents: list[FileContent], base: str = DEFAULT_BASE, progress: Progress | None = None,
                  store: Store | None = None) -> Build:
    """Check, resolve and map records already read from their files into a store."""
    base = base if base.endswith(("/", "#")) else base + "/"
    store = store if store is not None else MemoryStore()
    mapper = Mapper(base)
    files: list[InputFile] = []
    problems: list[Problem] = []
    per_file: list[tuple[InputFile, tuple[Record, ...]]] = []
    for content in contents:
        files.append(content.file)
        problems.extend(content.problems)
        per_file.append((content.file, content.records))
    records = [record for _, file_records in per_file for record in file_records]
    catalogue, found = catalogue_records(records, _scheme_labels(), f"{base}topic/")
    problems.extend(found)
    normaliser = Normaliser(catalogue)
    locations: dict[URIRef, Location] = {}
    entity_records: dict[URIRef, Record] = {}
    entities: Counter[str] = Counter()
    countries: dict[str, Country] = {}
    done = 0

    def quads() -> Iterator[Quad]:
        nonlocal done
        for input_file, file_records in per_file:
            graph = mapper.graph_iri(input_file.path)
            yield from _describe_file(graph, input_file.path, input_file.sha256)
            for record in file_records:
                done += 1
                if progress is not None and done % 1000 == 0:
                    progress(done, len(records))
                entity = normaliser.entity(record)
                if entity is None:
                    continue
                entities[entity.kind.value] += 1
                entity_records.setdefault(mapper.entity_iri(entity), record)
                for country in countries_in(entity):
                    countries.setdefault(country.key, country)
                for mapped in mapper.entity(entity):
                    subject = mapped.triple[0]
                    if isinstance(subject, URIRef) and subject not in locations:
                        locations[subject] = mapped.location
                    yield (*mapped.triple, graph)
        yield from _scheme_quads(mapper)
        reference = URIRef(f"{base}graph/_reference/iso3166")
        yield reference, RDF.type, PROV.Entity, DEFAULT_GRAPH
        yield reference, RDFS.label, Literal(f"ISO 3166 country data (pycountry {_version('pycountry')})"), \
            DEFAULT_GRAPH
        for code in sorted(countries):
            for triple in mapper.country(countries[code]):
                yield (*triple, reference)

    store.add(quads())
    if progress is not None:
        progress(len(records), len(records))
    problems.extend(normaliser.problems)
    return Build(store, base, tuple(files), tuple(problems), locations, entities, entity_records)


def _describe_file(graph: URIRef, path: str, sha256: str) -> Iterator[Quad]:
    yield graph, RDF.type, ATF.SourceFile, DEFAULT_GRAPH
    yield graph, ATF.path, Literal(path), DEFAULT_GRAPH
    yield graph, ATF.sha256, Literal(sha256), DEFAULT_GRAPH


def _scheme_quads(mapper: Mapper) -> Iterator[Quad]:
    """The shipped topic scheme, as its own named graph, so queries can follow broader/narrower."""
    path = ontology_dir() / "topics.ttl"
    graph = mapper.graph_iri("_scheme/topics.ttl")
    yield from _describe_file(graph, "ontology/topics.ttl", hashlib.sha256(path.read_bytes()).hexdigest())
    for triple in topics_graph():
        yield (*triple, graph)


def _scheme_labels() -> dict[str, URIRef]:
    """Every id, label and alternative label of the shipped topics, as the normaliser matches them."""
    labels: dict[str, URIRef] = {}
    scheme = topics_graph()
    for concept in sorted(iri for iri in scheme.subjects(RDF.type, SKOS.Concept) if isinstance(iri, URIRef)):
        labels[topic_key(concept.rsplit("/", 1)[-1])] = concept
        for predicate in (SKOS.prefLabel, SKOS.altLabel):
            for label in scheme.objects(concept, predicate):
                labels.setdefault(topic_key(str(label)), concept)
    return labels


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:  # pragma: no cover - always installed with atfgraph
        return "unknown"


__all__ = ["Build", "Progress", "load", "load_contents"]
