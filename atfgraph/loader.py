"""Reading a data folder into a graph: read → catalogue → normalise → map → store.

Library entry point :func:`load`; :mod:`atfgraph.pipeline` adds checking and writing.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterator
from collections.abc import Mapping as MappingABC
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Protocol, TypeVar

from rdflib import URIRef

from atfgraph.countries import Country
from atfgraph.errors import Location, Problem
from atfgraph.fields import FIELDS, Kind
from atfgraph.gcpause import cycle_collection_paused
from atfgraph.mapping import Mapper, countries_in
from atfgraph.namespaces import ATF, DEFAULT_BASE, PROV, RDF, RDFS, SKOS
from atfgraph.normalise import Normaliser, catalogue_records, topic_key
from atfgraph.ntext import iri, nquads, string, term
from atfgraph.read import FileContent, iter_files
from atfgraph.records import InputFile, Record
from atfgraph.resources import ontology_dir, topics_graph
from atfgraph.store import Loading, MemoryStore, Store

Progress = Callable[[int, int], None]
"""Called with (records done, records in all) while mapping, so a caller can show progress."""

TextQuad = tuple[str, str, str, str]
"""Subject, predicate, object and graph as N-Triples term text; the graph "" is the default graph."""

DEFAULT_GRAPH = ""

_V = TypeVar("_V")


@dataclass(frozen=True)
class Build:
    """A data folder read into a store, with what was found wrong on the way."""

    store: Store
    base: str
    files: tuple[InputFile, ...]
    problems: tuple[Problem, ...]
    locations: MappingABC[str, Location]  # by IRI
    entities: Counter[str]
    records: MappingABC[str, Record]  # by IRI, without their values (see located)

    def location_of(self, node: URIRef, predicate: URIRef | None = None) -> Location | None:
        """The record line that made a node, or the line of the field that made ``predicate`` on it."""
        key = str(node)
        record = self.records.get(key)
        if record is not None and predicate is not None:
            for spec in FIELDS[Kind(record.kind)]:
                if spec.predicate == predicate:
                    return record.at(spec.name)
        found = self.locations.get(key)
        if found is None and "#" in key:
            found = self.locations.get(key.split("#", 1)[0])
        return found


def load(data_dir: Path, base: str = DEFAULT_BASE, progress: Progress | None = None,
         store: Store | None = None) -> Build:
    """Read every record under ``data_dir`` into a store; problems are collected, not raised."""
    with cycle_collection_paused():
        return load_contents(list(iter_files(data_dir)), base, progress, store)


def load_contents(contents: list[FileContent], base: str = DEFAULT_BASE, progress: Progress | None = None,
                  store: Store | None = None) -> Build:
    """Check, resolve and map records already read from their files into a store.

    ``contents`` is emptied: each file is let go once it is mapped, so its records' values can be freed
    while the store fills (the build keeps only where each record's fields are, for locating problems).
    """
    with cycle_collection_paused():
        return _load_contents(contents, base, progress, store)


def _load_contents(contents: list[FileContent], base: str, progress: Progress | None, store: Store | None) -> Build:
    mapping = Mapping(base, contents)
    pending = contents[::-1]
    contents.clear()
    store = store if store is not None else MemoryStore()
    with Loading(store) as loading:
        while pending:
            content = pending.pop()
            for batch in mapping.file_text(content, progress):
                loading.add(batch)
            del content
        loading.add(nquads(mapping.closing_quads()))
    return mapping.result(store, progress)


class Mapping:
    """One build's mapping state: the catalogue every file is resolved against, and what mapping found."""

    def __init__(self, base: str, contents: list[FileContent]) -> None:
        self.base = base if base.endswith(("/", "#")) else base + "/"
        self.mapper = Mapper(self.base)
        self.files = [content.file for content in contents]
        self.problems: list[Problem] = [problem for content in contents for problem in content.problems]
        self.total = sum(len(content.records) for content in contents)
        catalogue, found = catalogue_records(
            (record for content in contents for record in content.records), _scheme_labels(), f"{self.base}topic/"
        )
        self.problems.extend(found)
        self.normaliser = Normaliser(catalogue)
        # Where each node was made, and the record of each entity: file by file, the first file to make a
        # node wins (a layer of a file reused from the cache is read only if a problem asks).
        self.layers: list[Layer] = []
        self._layer = FileLayer()
        self.entities: Counter[str] = Counter()
        self.countries: dict[str, Country] = {}
        self.done = 0

    def begin_file(self) -> None:
        """Start the bookkeeping of a file mapped now."""
        self._layer = FileLayer()
        self.layers.append(self._layer)

    def add_layer(self, layer: Layer) -> None:
        """The bookkeeping of a file not mapped now (reused from a cache)."""
        self.layers.append(layer)

    def file_text(self, content: FileContent, progress: Progress | None) -> Iterator[bytes]:
        """The N-Quads of one file, some 50,000 quads at a time (so a store loads one batch while the next is
        made): its description in the default graph, its records in its named graph."""
        self.begin_file()
        graph = self.graph(content.file)
        batch = [nquads(self.description(content.file)).decode("utf-8")]
        for index, record in enumerate(content.records, start=1):
            batch.append(self.record_text(record, graph, progress))
            if index % _RECORDS_PER_BATCH == 0:
                yield "".join(batch).encode("utf-8")
                batch = []
        if batch:
            yield "".join(batch).encode("utf-8")

    def graph(self, file: InputFile) -> str:
        """The named graph of a file's records, as N-Triples text."""
        return iri(self.mapper.graph_iri(file.path))

    def description(self, file: InputFile) -> Iterator[TextQuad]:
        """What the default graph says of a file: its graph is a source file, with its path and digest."""
        return _describe_file(self.graph(file), file.path, file.sha256)

    def record_text(self, record: Record, graph: str, progress: Progress | None,
                    trace: RecordTrace | None = None) -> str:
        """The N-Quads of one record, in its file's graph (none when it cannot be mapped). ``trace`` is told
        what the record adds to the build's bookkeeping, for :meth:`replay`. Text, not quads: every caller
        wants N-Quads, and a line made here spares a tuple and two generators per quad."""
        mapper = self.mapper
        locations = self._layer.nodes
        self.done += 1
        if progress is not None and self.done % 1000 == 0:
            progress(self.done, self.total)
        entity = self.normaliser.entity(record)
        if entity is None:
            return ""
        self.entities[entity.kind.value] += 1
        entity_iri = str(mapper.entity_iri(entity))
        if entity_iri not in self._layer.entities:
            self._layer.entities[entity_iri] = located(record)
        countries = countries_in(entity)
        for country in countries:
            self.countries.setdefault(country.key, country)
        end = f" {graph} .\n" if graph else " .\n"
        lines: list[str] = []
        append = lines.append
        if trace is None:  # the hot loop of a build, kept bare
            last = None
            for subject, predicate, obj, field in mapper.entity(entity):
                if subject != last:  # a subject's triples come together: its location is looked up once
                    last = subject
                    key = subject[1:-1]
                    if key not in locations:
                        locations[key] = record.at(field) if field else record.location
                append(f"{subject} {predicate} {obj}{end}")
            return "".join(lines)
        cities = len(mapper.cities)
        subjects: dict[str, str] = {}
        for subject, predicate, obj, field in mapper.entity(entity):
            key = subject[1:-1]
            if key not in subjects:
                subjects[key] = field
            if key not in locations:
                locations[key] = record.at(field) if field else record.location
            append(f"{subject} {predicate} {obj}{end}")
        trace.entity = (entity.kind.value, entity_iri)
        trace.countries = countries
        # The entity's own nodes by what follows its IRI ("" for itself, "#date"...): a cache keeps
        # hundreds of thousands of these.
        size = len(entity_iri)
        trace.subjects = tuple((key[size:] if key.startswith(entity_iri) and key[size:size + 1] in ("", "#")
                                else key, field) for key, field in subjects.items())
        trace.cities = tuple(mapper.cities[cities:])
        return "".join(lines)

    def replay(self, trace: RecordTrace, record: Record) -> None:
        """Put in the bookkeeping what mapping ``record`` put there, from its trace, without mapping it."""
        self.done += 1
        if trace.entity is None:
            return
        kind, _ = trace.entity
        self.entities[kind] += 1
        for country in trace.countries:
            self.countries.setdefault(country.key, country)
        self._layer.replay(trace, record)
        self.mapper.cities.extend(trace.cities)

    def closing_quads(self) -> Iterator[TextQuad]:
        """The shipped topic scheme, the cities the records name, and the ISO 3166 data of their countries."""
        yield from _scheme_quads(self.mapper)
        places = f"<{self.base}graph/_reference/places>"
        yield places, _TYPE, _PROV_ENTITY, DEFAULT_GRAPH
        yield places, _LABEL, string("Cities named by the records, as first named"), DEFAULT_GRAPH
        described: set[str] = set()
        for city, name, country in self.mapper.cities:
            if city not in described:
                described.add(city)
                self.countries.setdefault(country.key, country)
                for triple in self.mapper.city(city, name, country):
                    yield (*triple, places)
        reference = f"<{self.base}graph/_reference/iso3166>"
        label = string(f"ISO 3166 country data (pycountry {_version('pycountry')})")
        yield reference, _TYPE, _PROV_ENTITY, DEFAULT_GRAPH
        yield reference, _LABEL, label, DEFAULT_GRAPH
        for code in sorted(self.countries):
            for triple in self.mapper.country(self.countries[code]):
                yield (*triple, reference)

    def result(self, store: Store, progress: Progress | None) -> Build:
        """The build, once every quad is in the store."""
        if progress is not None:
            progress(self.total, self.total)
        problems = (*self.problems, *self.normaliser.problems)
        return Build(store, self.base, tuple(self.files), problems, Layered(self.layers, _locations), self.entities,
                     Layered(self.layers, _records))


@dataclass
class RecordTrace:
    """What mapping one record added to the build's bookkeeping: its entity (kind and IRI), the countries
    it names, each subject it made with the field of its first triple (the entity's own nodes by what
    follows the entity's IRI), and the cities it mentions."""

    entity: tuple[str, str] | None = None
    countries: tuple[Country, ...] = ()
    subjects: tuple[tuple[str, str], ...] = ()
    cities: tuple[tuple[str, str, Country], ...] = ()


class Layer(Protocol):
    """One file's bookkeeping: where it made each node, and the record of each entity."""

    def locations(self) -> dict[str, Location]:
        """Nodes' locations, by IRI."""

    def records(self) -> dict[str, Record]:
        """Entities' records, by IRI."""


class FileLayer:
    """The bookkeeping of a file, filled as it is mapped (or replayed from its records' traces)."""

    def __init__(self) -> None:
        self.nodes: dict[str, Location] = {}
        self.entities: dict[str, Record] = {}

    def locations(self) -> dict[str, Location]:
        """Nodes' locations, by IRI."""
        return self.nodes

    def records(self) -> dict[str, Record]:
        """Entities' records, by IRI."""
        return self.entities

    def replay(self, trace: RecordTrace, record: Record) -> None:
        """What mapping ``record`` put here, from its trace."""
        if trace.entity is None:
            return
        _, entity_iri = trace.entity
        if entity_iri not in self.entities:
            self.entities[entity_iri] = located(record)
        locations = self.nodes
        for node, field in trace.subjects:
            key = entity_iri + node if not node or node[0] == "#" else node
            if key not in locations:
                locations[key] = record.at(field) if field else record.location


def _locations(layer: Layer) -> dict[str, Location]:
    return layer.locations()


def _records(layer: Layer) -> dict[str, Record]:
    return layer.records()


class Layered(MappingABC[str, _V]):
    """Files' bookkeeping read as one mapping: for each key, the first file (in build order) that has it,
    which is what filling one dict file after file, never overwriting, gives."""

    def __init__(self, layers: list[Layer], pick: Callable[[Layer], dict[str, _V]]) -> None:
        self._layers = layers
        self._pick = pick

    def __getitem__(self, key: str) -> _V:
        for layer in self._layers:
            found = self._pick(layer)
            if key in found:
                return found[key]
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        seen: set[str] = set()
        for layer in self._layers:
            for key in self._pick(layer):
                if key not in seen:
                    seen.add(key)
                    yield key

    def __len__(self) -> int:
        return sum(1 for _ in self)


def located(record: Record) -> Record:
    """A record without its values, for :meth:`Build.location_of`: mapped, the values are in the graph, and
    kept they were most of a large build's memory."""
    return Record(record.kind, record.id, {}, record.location, record.lines)


_RECORDS_PER_BATCH = 2000
"""Records whose N-Quads go to the store at a time (about 50,000 quads)."""

_TYPE, _LABEL, _PROV_ENTITY = iri(RDF.type), iri(RDFS.label), iri(PROV.Entity)
_SOURCE_FILE, _PATH, _SHA256 = iri(ATF.SourceFile), iri(ATF.path), iri(ATF.sha256)


def _describe_file(graph: str, path: str, sha256: str) -> Iterator[TextQuad]:
    yield graph, _TYPE, _SOURCE_FILE, DEFAULT_GRAPH
    yield graph, _PATH, string(path), DEFAULT_GRAPH
    yield graph, _SHA256, string(sha256), DEFAULT_GRAPH


def _scheme_quads(mapper: Mapper) -> Iterator[TextQuad]:
    """The shipped topic scheme, as its own named graph, so queries can follow broader/narrower."""
    path = ontology_dir() / "topics.ttl"
    graph = iri(mapper.graph_iri("_scheme/topics.ttl"))
    yield from _describe_file(graph, "ontology/topics.ttl", hashlib.sha256(path.read_bytes()).hexdigest())
    for subject, predicate, obj in topics_graph():
        yield term(subject), term(predicate), term(obj), graph


def _scheme_labels() -> dict[str, URIRef]:
    """Every id, label and alternative label of the shipped topics, as the normaliser matches them."""
    labels: dict[str, URIRef] = {}
    scheme = topics_graph()
    for concept in sorted(node for node in scheme.subjects(RDF.type, SKOS.Concept) if isinstance(node, URIRef)):
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


__all__ = ["Build", "FileLayer", "Layer", "Layered", "Progress", "RecordTrace", "TextQuad", "load", "load_contents",
           "located"]
