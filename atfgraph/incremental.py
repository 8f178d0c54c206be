"""Incremental builds: a file whose bytes, and whose references' answers, are unchanged is not re-mapped.

Each input file's mapping is cached under a key made of its path and the sha256 of its bytes, in a folder
named after everything else the mapping depends on (the ontology, shapes and topic scheme, the base IRI and
atfgraph's version). A cached file is reused only when every question its mapping asked of the rest of the
dataset (the kind of each id it refers to, the topic each label names, whether its own ids are still its
own) has the same answer now; otherwise it is mapped again. Files with problems are never cached. The
outputs are the same bytes as a clean build's, which a test checks.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import multiprocessing
import pickle
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from atfgraph._version import __version__
from atfgraph.countries import Country
from atfgraph.errors import Location, OutputError
from atfgraph.fields import Kind
from atfgraph.gcpause import cycle_collection_paused
from atfgraph.loader import Build, FileLayer, Layer, Mapping, Progress, RecordTrace
from atfgraph.namespaces import DEFAULT_BASE
from atfgraph.ntext import iri, nquads
from atfgraph.read import FileContent, find_files, read_file
from atfgraph.records import InputFile, Record
from atfgraph.resources import ontology_dir
from atfgraph.store import Loading, MemoryStore, Store

CACHE_FORMAT = 7
"""Bumped whenever what is cached changes shape, so old caches are ignored rather than misread."""


@dataclass(frozen=True)
class RecordPart:
    """What mapping one record of a file gave: where its quads are in the file's N-Quads, the questions its
    mapping asked of the rest of the dataset, and what it added to the bookkeeping. A record that comes back
    with the same content in a changed file, and gets the same answers, is not mapped again."""

    content: bytes  # a digest of the record's kind, id and fields (not of its lines: a record may move)
    start: int
    end: int
    asked: tuple[int, ...]  # its questions, by their place in the file's (CachedFile.questions)
    trace: RecordTrace


@dataclass(frozen=True)
class CachedFile:
    """What mapping one file gave, with the questions it asked of the rest of the dataset."""

    file: InputFile
    records: tuple[Record, ...]
    answered: dict[str, str]  # the questions its mapping asked that had an answer, and the answers
    unanswered: tuple[str, ...]  # those that had none
    nquads: bytes
    digest: str  # sha256 of the N-Quads: what the outputs of the file's graph are made from
    entities: tuple[tuple[str, int], ...]  # entities per kind
    countries: tuple[Country, ...]  # the countries its records name
    cities: tuple[tuple[str, str, Country], ...]  # each city its records mention, at its first mention
    parts: tuple[RecordPart, ...]  # one per record; kept apart on disk, read only when needed
    questions: tuple[str, ...]  # every question its records asked, in order; kept with the parts


@dataclass(frozen=True)
class Reuse:
    """How much of a build came from the cache."""

    reused: int
    mapped: int
    graphs: dict[str, str] = field(default_factory=dict)
    """Each input file's graph (as N-Triples text) and the sha256 of its N-Quads, for rewriting outputs."""
    folder: Path | None = None
    """The cache folder of this data folder and ontology (none without a cache)."""
    records_mapped: int = 0
    """Records mapped (the others came from the cache, with their files or alone in a changed file)."""


def cache_folder(cache_dir: Path, data_dir: Path, base: str) -> Path:
    """The cache folder for this data folder, ontology, shapes, topic scheme, base IRI and atfgraph version."""
    digest = hashlib.sha256(f"{CACHE_FORMAT}\n{__version__}\n{base}\n{data_dir.resolve()}\n".encode())
    for name in ("atf.ttl", "shapes.ttl", "topics.ttl", "context.jsonld"):
        digest.update((ontology_dir() / name).read_bytes())
    return cache_dir / digest.hexdigest()[:24]


def cache_folder_of(cache_dir: Path, data_dir: Path, base: str) -> Path:
    """The cache folder a build of ``data_dir`` under ``base`` uses (see :func:`cache_folder`)."""
    return cache_folder(cache_dir, data_dir, base if base.endswith(("/", "#")) else base + "/")


@contextlib.contextmanager
def locked(cache_dir: Path, waiting: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold a cache for one build: a second build on the same cache waits until the first is done, rather
    than the two reading and writing its entries and state at once. ``waiting`` is told if it must wait."""
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        handle = (cache_dir / ".lock").open("a")
    except OSError as error:
        raise OutputError(f"cannot use the cache folder {cache_dir}: {error.strerror}") from error
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if waiting is not None:
                waiting(f"waiting for another build using the cache {cache_dir}")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def load_incremental(
    data_dir: Path, cache_dir: Path | None, base: str = DEFAULT_BASE, progress: Progress | None = None,
    store: Store | None = None, jobs: int = 1, load_reused: bool = True,
) -> tuple[Build, Reuse]:
    """Load like :func:`atfgraph.loader.load`, reusing the cached mapping of unchanged files (with a
    ``cache_dir``) and mapping the others in ``jobs`` processes. Without ``load_reused``, the quads of the
    files reused are left out of the store: it then holds only what changed (see :mod:`atfgraph.rebuild`)."""
    with cycle_collection_paused():
        return _load_incremental(data_dir, cache_dir, base, progress, store, jobs, load_reused)


def _load_incremental(
    data_dir: Path, cache_dir: Path | None, base: str, progress: Progress | None, store: Store | None, jobs: int,
    load_reused: bool,
) -> tuple[Build, Reuse]:
    folder = None
    if cache_dir is not None:
        folder = cache_folder_of(cache_dir, data_dir, base)
        folder.mkdir(parents=True, exist_ok=True)
    contents: list[FileContent] = []
    cached: dict[str, CachedFile] = {}
    earlier: dict[str, CachedFile] = {}  # the last entries of files that changed since
    paths: dict[str, Path] = {}
    for path in find_files(data_dir):
        name = path.relative_to(data_dir).as_posix()
        paths[name] = path
        entry = None
        if folder is not None:
            entry = _read_entry(folder / _entry_name(name))
            if entry is not None and entry.file.sha256 != hashlib.sha256(path.read_bytes()).hexdigest():
                earlier[name] = entry  # changed: its records that did not are reused
                entry = None
        if entry is not None:
            cached[name] = entry
            contents.append(FileContent(entry.file, entry.records, ()))
        else:
            contents.append(read_file(path, data_dir))
    mapping = Mapping(base, contents)
    store = store if store is not None else MemoryStore()
    answers = mapping.normaliser.answers()
    reusable = {
        name for name, entry in cached.items()
        if entry.answered.items() <= answers.items() and not any(key in answers for key in entry.unanswered)
    }
    # A cached file whose references changed is mapped again, from its records read anew: the cache keeps
    # only what the catalogue needs of them.
    contents = [read_file(paths[content.file.path], data_dir) if content.file.path in cached.keys() - reusable
                else content for content in contents]
    earlier.update({name: entry for name, entry in cached.items() if name not in reusable})
    to_map = [content for content in contents if content.file.path not in reusable]
    graphs: dict[str, str] = {}
    records_mapped = 0
    mapped_elsewhere: dict[str, CachedFile] = {}
    with Loading(store) as loading, _EntryWriter() as writer:
        if jobs > 1 and len(to_map) > 1:
            mapped_elsewhere = _map_in_processes(to_map, mapping, jobs, loading)
        for content in contents:
            name = content.file.path
            entry = cached[name] if name in reusable else mapped_elsewhere.get(name)
            if entry is not None:
                # In file order, so the bookkeeping is a sequential build's; files mapped by the processes
                # are in the store already.
                if name not in mapped_elsewhere and load_reused:
                    assert folder is not None
                    loading.add(_read_nquads(folder / _entry_name(name)))
                if name in mapped_elsewhere:
                    layer: Layer = _replayed(entry.records, entry.parts)
                else:
                    assert folder is not None
                    layer = _CachedLayer(folder / _entry_name(name))
                _reuse(entry, mapping, layer)
                graphs[iri(mapping.mapper.graph_iri(name))] = entry.digest
                if folder is not None and name in mapped_elsewhere:
                    writer.write(folder / _entry_name(name), entry)
                continue
            data, entry, count = _map(content, mapping, progress, _Earlier(earlier.get(name), folder, name),
                                      loading.add)
            records_mapped += count
            graphs[iri(mapping.mapper.graph_iri(name))] = entry.digest if entry else hashlib.sha256(data).hexdigest()
            if entry is not None and folder is not None:
                writer.write(folder / _entry_name(content.file.path), entry)
        loading.add(nquads(mapping.closing_quads()))
    if folder is not None:
        _forget_others(folder, {_entry_name(content.file.path) for content in contents})
    if mapped_elsewhere:
        records_mapped += sum(len(entry.records) for entry in mapped_elsewhere.values())
    return mapping.result(store, progress), Reuse(len(reusable), len(to_map), graphs, folder, records_mapped)


# The state forked processes inherit: set just before the pool forks, read by _map_share in each process.
_SHARED: tuple[list[FileContent], Mapping] | None = None


def _map_in_processes(
    to_map: list[FileContent], mapping: Mapping, jobs: int, loading: Loading,
) -> dict[str, CachedFile]:
    """Map files in ``jobs`` forked processes, which inherit the records and the catalogue (nothing is
    sent to them); each file's N-Quads and bookkeeping come back as a cache entry, and its N-Quads go to
    the store as soon as they arrive, while the processes map the next files. A file with problems comes
    back as nothing and is mapped again here, where its problems are collected."""
    global _SHARED
    _SHARED = (to_map, mapping)
    found: dict[str, CachedFile] = {}
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for index, entry in pool.imap_unordered(_map_one, range(len(to_map))):
                if entry is not None:
                    loading.add(entry.nquads)
                    found[to_map[index].file.path] = replace(entry, records=to_map[index].records)
    finally:
        _SHARED = None
    return found


def _map_one(index: int) -> tuple[int, CachedFile | None]:
    assert _SHARED is not None
    to_map, mapping = _SHARED
    _, entry, _ = _map(to_map[index], mapping, None, _Earlier(None, None, ""))
    # The records stay behind: the parent has them, and sending them back would double the work.
    return index, None if entry is None else replace(entry, records=())


class _Earlier:
    """A changed file's last entry: its records' parts and questions, and, read when first asked for, its
    N-Quads."""

    def __init__(self, entry: CachedFile | None, folder: Path | None, name: str) -> None:
        self.parts: dict[bytes, RecordPart] = {}
        self.questions: tuple[str, ...] = ()
        self.answered: dict[str, str] = entry.answered if entry is not None else {}
        self._path = folder / _entry_name(name) if folder is not None and entry is not None else None
        if self._path is not None:
            _, parts, self.questions = _read_parts(self._path)
            for part in parts:
                self.parts.setdefault(part.content, part)
        self._nquads: bytes | None = None

    def nquads(self) -> bytes:
        if self._nquads is None:
            assert self._path is not None
            self._nquads = _read_nquads(self._path)
        return self._nquads

    def same_answers(self, part: RecordPart, record: Record, answers: dict[str, str]) -> bool:
        """Whether the questions a record's mapping asked get the same answers now. Whether it owns its id
        is asked of its location, which moves when lines above it change: it must own it where it is now."""
        for index in part.asked:
            key = self.questions[index]
            if key.startswith("own:"):
                if answers.get(key) != str(record.location):
                    return False
            elif answers.get(key, "") != self.answered.get(key, ""):
                return False
        return True


def _map(content: FileContent, mapping: Mapping, progress: Progress | None, earlier: _Earlier,
         load: Callable[[bytes], None] | None = None) -> tuple[bytes, CachedFile | None, int]:
    """Map one file: its N-Quads, its cache entry (None when it has problems: those are never cached), and
    the number of records mapped. ``load`` is given the N-Quads batch by batch as they are made, so a
    store loads them while the file is mapped.
    A record found unchanged in the file's ``earlier`` entry, whose questions get the same answers, has
    its quads copied from there."""
    normaliser = mapping.normaliser
    answers = normaliser.answers()
    problems_before = len(normaliser.problems)
    mapping.begin_file()
    graph = mapping.graph(content.file)
    chunks = [nquads(mapping.description(content.file))]
    offset = len(chunks[0])
    parts: list[RecordPart] = []
    questions: dict[str, int] = {}  # every question asked, and its place in the file's list
    mapped = 0
    loaded = 0  # the chunks given to load
    for record in content.records:
        digest = _content(record)
        part = earlier.parts.get(digest)
        if part is not None and earlier.same_answers(part, record, answers):
            chunk = earlier.nquads()[part.start:part.end]
            mapping.replay(part.trace, record)
            keys: Iterable[str] = (earlier.questions[index] for index in part.asked)
            trace = part.trace
        else:
            normaliser.lookups = {}
            mapped += 1
            trace = RecordTrace()
            chunk = mapping.record_text(record, graph, progress, trace).encode("utf-8")
            keys = normaliser.lookups
        asked = tuple(questions.setdefault(key, len(questions)) for key in keys)
        parts.append(RecordPart(digest, offset, offset + len(chunk), asked, trace))
        chunks.append(chunk)
        offset += len(chunk)
        if load is not None and len(chunks) - loaded >= _BATCH:
            load(b"".join(chunks[loaded:]))
            loaded = len(chunks)
    if load is not None and loaded < len(chunks):
        load(b"".join(chunks[loaded:]))
    data = b"".join(chunks)
    if content.problems or len(normaliser.problems) > problems_before:
        return data, None, mapped
    # The answers now: the same as when asked for every record mapped now or reused (checked above).
    answered = {key: answers[key] for key in sorted(questions) if key in answers}
    unanswered = tuple(sorted(key for key in questions if key not in answers))
    entities = Counter(part.trace.entity[0] for part in parts if part.trace.entity is not None)
    countries = {country.key: country for part in parts for country in part.trace.countries}
    cities: dict[str, tuple[str, str, Country]] = {}
    for part in parts:
        for city in part.trace.cities:
            cities.setdefault(city[0], city)
    return data, CachedFile(content.file, content.records, answered, unanswered, data,
                            hashlib.sha256(data).hexdigest(), tuple(sorted(entities.items())),
                            tuple(countries.values()), tuple(cities.values()), tuple(parts),
                            tuple(questions)), mapped


_BATCH = 2000
"""Records whose quads are given to the store at a time (about 50,000 quads)."""


def _content(record: Record) -> bytes:
    """A digest of what a record says. A record of text fields only (every CSV row) is digested from its
    names and values, each preceded by its length so that no two records give the same text; any other
    from the repr of its values (those read from YAML and JSON have stable reprs), a third of the speed."""
    fields = record.fields
    if all(type(value) is str for value in fields.values()):
        parts = (record.kind, record.id, *(text for pair in fields.items() for text in pair))
        text = "t" + "".join(f"{len(part)}:{part}" for part in parts)
    else:
        text = "r" + repr((record.kind, record.id, fields))
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _reuse(entry: CachedFile, mapping: Mapping, layer: Layer) -> None:
    """Put a cached file's bookkeeping in the mapping, as if mapped now."""
    mapping.done += len(entry.records)
    mapping.entities.update(dict(entry.entities))
    for country in entry.countries:
        mapping.countries.setdefault(country.key, country)
    mapping.mapper.cities.extend(entry.cities)
    mapping.add_layer(layer)


def _replayed(records: tuple[Record, ...], parts: tuple[RecordPart, ...]) -> FileLayer:
    layer = FileLayer()
    for record, part in zip(records, parts, strict=True):
        layer.replay(part.trace, record)
    return layer


class _CachedLayer:
    """The bookkeeping of a file reused from the cache, read from its entry only if a problem asks where
    something was made (most builds never do): reading and replaying every record took half a second at
    100,000 events."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._layer: FileLayer | None = None

    def _read(self) -> FileLayer:
        if self._layer is None:
            records, parts, _ = _read_parts(self._path)
            self._layer = _replayed(records, parts)
        return self._layer

    def locations(self) -> dict[str, Location]:
        return self._read().locations()

    def records(self) -> dict[str, Record]:
        return self._read().records()


def _entry_name(path: str) -> str:
    return hashlib.sha256(path.encode("utf-8")).hexdigest()[:32] + ".pickle"


def _read_entry(path: Path) -> CachedFile | None:
    """A cache entry, without its N-Quads (:func:`_read_nquads` reads them when they are to be loaded)."""
    try:
        with path.open("rb") as handle:
            entry = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
        return None  # no entry, or one an older atfgraph wrote: map the file again
    if not isinstance(entry, CachedFile) or not path.with_suffix(".nq").is_file() \
            or not path.with_suffix(".parts").is_file():
        return None
    return entry


def _read_nquads(path: Path) -> bytes:
    return path.with_suffix(".nq").read_bytes()


def _read_parts(path: Path) -> tuple[tuple[Record, ...], tuple[RecordPart, ...], tuple[str, ...]]:
    """An entry's records with their lines (without values), its records' parts, and their questions."""
    with path.with_suffix(".parts").open("rb") as handle:
        records, parts, questions = pickle.load(handle)
    return records, parts, questions


class _EntryWriter:
    """Cache entries written on a thread of their own while the next file is mapped (writing a large file's
    N-Quads and parts took a second of the first cached build at 100,000 events, and a write lets go of the
    interpreter). Leaving the ``with`` block waits for every entry; a write's error is raised there."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="atfgraph-cache")
        self._pending: list[Future[None]] = []

    def write(self, path: Path, entry: CachedFile) -> None:
        self._pending.append(self._pool.submit(self._write, path, entry))

    @staticmethod
    def _write(path: Path, entry: CachedFile) -> None:
        try:
            _write_entry(path, entry)
        except OSError as error:
            raise OutputError(f"cannot write the cache entry {error.filename or path}: {error.strerror}") from error

    def __enter__(self) -> _EntryWriter:
        return self

    def __exit__(self, error_type: type[BaseException] | None, *rest: object) -> None:
        try:
            if error_type is None:
                for future in self._pending:
                    future.result()
        finally:
            self._pool.shutdown(wait=True, cancel_futures=error_type is not None)


def _write_entry(path: Path, entry: CachedFile) -> None:
    """Write an entry in three files, each read only when needed: the N-Quads (to load them), the records'
    parts and lines (to locate a problem, or to reuse records of a changed file), and the rest, with only
    what the catalogue needs of the records (unpickling every record's values cost more than mapping one
    changed file)."""
    nquads = path.with_suffix(".nq.tmp")
    nquads.write_bytes(entry.nquads)
    nquads.replace(path.with_suffix(".nq"))
    parts = path.with_suffix(".parts.tmp")
    with parts.open("wb") as handle:
        lined = tuple(Record(record.kind, record.id, {}, record.location, record.lines) for record in entry.records)
        pickle.dump((lined, entry.parts, entry.questions), handle, protocol=pickle.HIGHEST_PROTOCOL)
    parts.replace(path.with_suffix(".parts"))
    temporary = path.with_suffix(".tmp")
    with temporary.open("wb") as handle:
        slim = replace(entry, nquads=b"", parts=(), questions=(),
                       records=tuple(_for_the_catalogue(record) for record in entry.records))
        pickle.dump(slim, handle, protocol=pickle.HIGHEST_PROTOCOL)
    temporary.replace(path)


def _for_the_catalogue(record: Record) -> Record:
    """A record with only what the catalogue reads of its fields (a topic's labels; see
    :func:`atfgraph.normalise.catalogue_records`)."""
    kept = {name: record.fields[name] for name in _CATALOGUE_FIELDS.get(record.kind, ()) if name in record.fields}
    return Record(record.kind, record.id, kept, record.location)


_CATALOGUE_FIELDS = {kind.value: names for kind, names in ((Kind.TOPIC, ("label", "alt_labels")),)}


def _forget_others(folder: Path, keep: set[str]) -> None:
    """Drop the entries of files that are gone, so the cache does not grow without end."""
    for path in folder.glob("*.pickle"):
        if path.name not in keep:
            path.unlink(missing_ok=True)
            path.with_suffix(".nq").unlink(missing_ok=True)
            path.with_suffix(".parts").unlink(missing_ok=True)


__all__ = ["CACHE_FORMAT", "CachedFile", "Reuse", "cache_folder", "cache_folder_of", "load_incremental", "locked"]
