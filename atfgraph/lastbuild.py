"""What a cached build keeps of the graph it wrote, so that the next build redoes only what changed.

Writing every format anew costs more than everything else in an incremental build (15 of 34 s at 100,000
events, against a few seconds to map one changed file), and loading the unchanged files' quads into a store
for validation costs most of the rest. The cache therefore keeps, beside the mapping of each file
(:mod:`atfgraph.incremental`), the state of the last build whose outputs were written:

- each graph's triples as sorted N-Triples lines (the run files the writers make anyway), and the digest of
  the N-Quads each input file's graph was made from;
- every quad as sorted N-Quads lines (``quads.nq``: the same bytes as ``graph.nq``), in which a subject's
  quads are found by binary search;
- the SHACL results, the triple count, the entities per class, and the size and modification time of each
  output file written.

The next build compares: a file's graph whose N-Quads have the digest recorded is unchanged; any other graph
(a changed or new file's, the reference graphs, and the changed files' lines of the default graph) is dumped
from the store, sorted and compared line by line with its run, and a graph that is gone counts as all
removed. The subjects of the lines that differ are the only ones whose blocks change in any output
(:mod:`atfgraph.splice`) and whose SHACL results may change, with the nodes that refer to them
(:mod:`atfgraph.scope`). The state is removed before the outputs are replaced and written again after, so a
build stopped half-way leaves no state that disagrees with the outputs.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox

from atfgraph.checks import shapes_validator
from atfgraph.export import Format, Renderer, sorted_lines
from atfgraph.fastshacl import ValidationReport, Validator
from atfgraph.namespaces import ATF, RDF
from atfgraph.scope import Reach, shapes_reach
from atfgraph.splice import NotSpliceable, SubjectQuads, layout, lines_of, quad_pair, splice

STATE_FORMAT = 2
"""Bumped whenever the state's shape changes: an older state is then ignored (a whole build)."""

_STATE = "state.json"
_RUNS = "runs"
_QUADS = "quads.nq"
_VALIDATION = "validation.pickle"
_VALIDATOR = "validator.pickle"
_TYPE = f"<{RDF.type}>"
_ATF = f"<{ATF}"


@dataclass(frozen=True)
class LastBuild:
    """The outputs a cached build wrote, and what they were made from."""

    folder: Path
    out_dir: str
    files: dict[str, tuple[int, int]]  # format name → (size, modification time in ns) of the file written
    triples: int | None
    per_class: dict[str, int]  # a class as "atf:" and its local name → its entities
    graphs: dict[str, str]  # an input file's graph, as N-Triples text → sha256 of its N-Quads
    runs: dict[str, str]  # every graph ("" for the default graph) → the file of its sorted lines, in _RUNS
    reach: Reach | None  # how far the shapes read (atfgraph.scope), worked out once for this cache

    def can_splice(self, fmt: Format, out_dir: Path) -> bool:
        """Whether ``fmt``'s file in ``out_dir`` is the one this build wrote, untouched since."""
        recorded = self.files.get(fmt.value)
        if recorded is None or str(out_dir.resolve()) != self.out_dir:
            return False
        try:
            status = (out_dir / fmt.filename).stat()
        except OSError:
            return False
        return (status.st_size, status.st_mtime_ns) == tuple(recorded)

    @property
    def quads(self) -> Path:
        """Every quad of the build, as sorted N-Quads lines."""
        return self.folder / _QUADS

    def validator(self) -> Validator | None:
        """The shapes compiled (None if they cannot be read: the caller compiles them)."""
        return _unpickled(self.folder / _VALIDATOR, Validator)

    def validation(self) -> ValidationReport | None:
        """The build's SHACL results (None if they cannot be read)."""
        return _unpickled(self.folder / _VALIDATION, ValidationReport)


_T = TypeVar("_T")


def _unpickled(path: Path, kind: type[_T]) -> _T | None:
    """What a pickle file holds, if it can be read and is a ``kind``."""
    try:
        with path.open("rb") as handle:
            found = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
        return None
    return found if isinstance(found, kind) else None


@dataclass(frozen=True)
class SubjectChange:
    """One subject whose quads changed: its quads now."""

    now: SubjectQuads
    pairs: frozenset[tuple[str, str]]  # the quads now, as (N-Triples line, graph) pairs

    @property
    def subject(self) -> str:
        """The subject's IRI."""
        return self.now.subject


@dataclass(frozen=True)
class Changes:
    """What changed in the graph since the last build."""

    subjects: tuple[SubjectChange, ...]
    triples: int | None
    per_class: dict[str, int]
    runs: dict[str, list[bytes] | None]  # the new sorted lines of each graph that changed (None: gone)
    quads: int  # quads added or removed

    def worth_splicing(self, last: LastBuild) -> bool:
        """Whether the change is small enough to splice: many changed blocks, each found by binary search,
        are slower than writing the files whole (and than validating the whole graph)."""
        return last.triples is not None and self.quads <= last.triples // 20

    @property
    def now(self) -> tuple[SubjectQuads, ...]:
        """The changed subjects' quads now, for splicing."""
        return tuple(change.now for change in self.subjects)


def read_last(folder: Path) -> LastBuild | None:
    """The state a cached build left in ``folder``, or None (none, unreadable, or of another format)."""
    try:
        with (folder / _STATE).open(encoding="utf-8") as handle:
            data = json.load(handle)
        if data.get("format") != STATE_FORMAT:
            return None
        reach = data["reach"]
        last = LastBuild(folder, data["out_dir"], {key: tuple(value) for key, value in data["files"].items()},
                         data["triples"], dict(data["per_class"]), dict(data["graphs"]), dict(data["runs"]),
                         None if reach is None else Reach(reach["hops"], frozenset(reach["chains"])))
        quads = (folder / _QUADS).stat()
        if [quads.st_size, quads.st_mtime_ns] != data["quads"]:
            return None  # changed since (it may share its bytes with graph.nq: see _keep_quads)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    if not all((folder / _RUNS / name).is_file() for name in last.runs.values()):
        return None
    return last


def changes(last: LastBuild, store: ox.Store, file_graphs: dict[str, str]) -> Changes:
    """Compare the store with the last build (see the module's description). ``file_graphs``: each input
    file's graph and the digest of its N-Quads now. The store must hold every graph that changed; it may
    hold the others or not."""
    in_store: dict[str, ox.NamedNode | ox.BlankNode | None] = {str(graph): graph for graph in store.named_graphs()}
    units: dict[str, ox.NamedNode | ox.BlankNode | None] = {}
    for name, digest in file_graphs.items():
        if last.graphs.get(name) != digest or name not in last.runs:
            units[name] = in_store.get(name)  # none: a file whose records make no quad
    for name, graph in in_store.items():
        if name not in file_graphs:
            units[name] = graph  # the reference graphs: small, and always compared
    gone = {name for name in last.runs if name and name not in file_graphs and name not in in_store}
    added: dict[str, set[tuple[str, str]]] = {}
    removed: dict[str, set[tuple[str, str]]] = {}
    runs: dict[str, list[bytes] | None] = {}
    for name, graph in units.items():
        lines = [] if graph is None else sorted_lines(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph))
        _differences(lines, _read_run(last, name), name, added, removed)
        runs[name] = lines
    for name in gone:
        _differences([], _read_run(last, name), name, added, removed)
        runs[name] = None
    # The default graph describes each graph (its file, path and digest): only the lines about the graphs
    # compared above can differ.
    described = {name.encode("utf-8") for name in (*units, *gone)}
    default = _read_run(last, "")
    old = [line for line in default if _subject(line) in described]
    new = [line for line in sorted_lines(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()))
           if _subject(line) in described]
    _differences(new, old, "", added, removed)
    runs[""] = sorted((set(default) - set(old)) | set(new))

    subjects = sorted(added.keys() | removed.keys())
    before = lines_of(last.quads, subjects)
    found: list[SubjectChange] = []
    triples = last.triples
    per_class = dict(last.per_class)
    for subject in subjects:
        old_pairs = pairs_of(before[subject])
        new_pairs = (old_pairs - removed.get(subject, set())) | added.get(subject, set())
        now = SubjectQuads.of_pairs(subject, new_pairs)
        found.append(SubjectChange(now, frozenset(new_pairs)))
        old_triples = {triple for triple, _ in old_pairs}
        if triples is not None:
            triples += len(now.triple_lines) - len(old_triples)
        for classes, step in ((_classes(old_triples), -1), (_classes(now.triple_lines), 1)):
            for found_class in classes:
                per_class[found_class] = per_class.get(found_class, 0) + step
    count = sum(len(lines) for lines in added.values()) + sum(len(lines) for lines in removed.values())
    return Changes(tuple(found), triples, {name: n for name, n in per_class.items() if n}, runs, count)


def _subject(line: bytes) -> bytes:
    return line[:line.find(b" ")]


def pairs_of(quad_lines: Iterable[str]) -> set[tuple[str, str]]:
    """N-Quads lines as (N-Triples line, graph) pairs, read by Oxigraph: a literal may hold " <x> ."."""
    text = "".join(quad_lines).encode("utf-8")
    return set(map(quad_pair, ox.parse(text, format=ox.RdfFormat.N_QUADS)))


def _classes(triple_lines: Iterable[str]) -> set[str]:
    """The ontology classes a subject's triples give it, prefixed "atf:" (what ``atfgraph build`` counts)."""
    found = set()
    for line in triple_lines:
        _, predicate, rest = line.split(" ", 2)
        if predicate == _TYPE and rest.startswith(_ATF):
            found.add("atf:" + rest[len(_ATF):rest.index(">")])
    return found


def _read_run(last: LastBuild, name: str) -> list[bytes]:
    run = last.runs.get(name)
    if run is None:
        return []
    return (last.folder / _RUNS / run).read_bytes().split(b"\n")[:-1]


def _differences(new: list[bytes], old: list[bytes], graph: str, added: dict[str, set[tuple[str, str]]],
                 removed: dict[str, set[tuple[str, str]]]) -> None:
    """Put the lines only in ``new`` in ``added`` and those only in ``old`` in ``removed``, by subject."""
    old_set = set(old)
    new_set = set(new)
    for lines, into in ((new_set - old_set, added), (old_set - new_set, removed)):
        for line in lines:
            text = line.decode("utf-8")
            subject = text[:text.index(" ")]
            if not subject.startswith("<"):
                raise NotSpliceable(f"a blank node subject in graph {graph or 'default'}")  # atfgraph makes none
            into.setdefault(subject[1:-1], set()).add((text + "\n", graph))


def forget(folder: Path) -> None:
    """Remove the state (before the outputs it describes are replaced)."""
    with contextlib.suppress(FileNotFoundError):
        (folder / _STATE).unlink()


@dataclass(frozen=True)
class Outcome:
    """What a build wrote, for the state: the formats, the counts and the SHACL results."""

    out_dir: Path
    formats: tuple[Format, ...]
    triples: int | None
    per_class: dict[str, int]
    file_graphs: dict[str, str]
    validation: ValidationReport | None


def save_written(folder: Path, outcome: Outcome, renderer: Renderer) -> None:
    """Record a build whose outputs a renderer wrote whole: its runs, and all its quads."""
    forget(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if not _keep_quads(folder, outcome):
        quads = folder / f"{_QUADS}.tmp"
        renderer.write(Format.NQ, quads)  # from the runs, before they move
        os.replace(quads, folder / _QUADS)
    runs_folder = _fresh_runs(folder)
    names: dict[str, str] = {}
    for path, graph in renderer.graph_runs():
        name = graph.decode("utf-8")
        names[name] = _run_name(name)
        _move(path, runs_folder / names[name])
    _finish(folder, outcome, names, shapes_reach())


def _move(source: Path, target: Path) -> None:
    """Move a run the renderer made (and has done with): renamed where it can be, copied across file systems."""
    try:
        os.replace(source, target)
    except OSError:
        shutil.copyfile(source, target)


def save_changed(folder: Path, outcome: Outcome, last: LastBuild, found: Changes) -> None:
    """Record a build whose changes were spliced into the last one's outputs."""
    forget(folder)
    if not _keep_quads(folder, outcome):
        quads = folder / f"{_QUADS}.tmp"
        splice(last.quads, quads, layout(Format.NQ, {}), found.now)
        os.replace(quads, folder / _QUADS)
    runs_folder = folder / _RUNS
    names = dict(last.runs)
    for name, lines in found.runs.items():
        if lines is None:
            (runs_folder / names.pop(name, _run_name(name))).unlink(missing_ok=True)
            continue
        names[name] = _run_name(name)
        with (runs_folder / names[name]).open("wb") as stream:
            if lines:
                stream.write(b"\n".join(lines) + b"\n")
    _finish(folder, outcome, names, last.reach)


def _keep_quads(folder: Path, outcome: Outcome) -> bool:
    """Keep the quads as the graph.nq just written, by a second link to its bytes (the same bytes: a copy
    would write hundreds of MB again). A change to graph.nq is a change to them, which the state notices
    by their size and time. False where a link cannot be made (another file system)."""
    if Format.NQ not in outcome.formats:
        return False
    linked = folder / f"{_QUADS}.link"
    linked.unlink(missing_ok=True)
    try:
        os.link(outcome.out_dir / Format.NQ.filename, linked)
    except OSError:
        return False
    os.replace(linked, folder / _QUADS)
    return True


def keep(folder: Path, save: Callable[[], None]) -> str | None:
    """Run ``save``; if the state cannot be written (a full disk), leave none and say so instead of failing a
    build whose outputs are in place: the next build is then done whole."""
    try:
        save()
    except OSError as error:
        forget(folder)
        return (f"the outputs are written, but the cache's state could not be kept in {folder} "
                f"({error.strerror}): the next build will be done whole")
    return None


def _fresh_runs(folder: Path) -> Path:
    runs_folder = folder / _RUNS
    shutil.rmtree(runs_folder, ignore_errors=True)
    runs_folder.mkdir(parents=True)
    return runs_folder


def _finish(folder: Path, outcome: Outcome, runs: dict[str, str], reach: Reach | None) -> None:
    with (folder / f"{_VALIDATION}.tmp").open("wb") as handle:
        pickle.dump(outcome.validation, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(folder / f"{_VALIDATION}.tmp", folder / _VALIDATION)
    if not (folder / _VALIDATOR).is_file():  # the cache folder is named after the shapes: it never changes
        with (folder / f"{_VALIDATOR}.tmp").open("wb") as handle:
            pickle.dump(shapes_validator(), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(folder / f"{_VALIDATOR}.tmp", folder / _VALIDATOR)
    written = {}
    for fmt in outcome.formats:
        status = (outcome.out_dir / fmt.filename).stat()
        written[fmt.value] = (status.st_size, status.st_mtime_ns)
    quads = (folder / _QUADS).stat()
    state = {"format": STATE_FORMAT, "out_dir": str(outcome.out_dir.resolve()), "files": written,
             "triples": outcome.triples, "per_class": outcome.per_class, "graphs": outcome.file_graphs,
             "runs": runs, "quads": [quads.st_size, quads.st_mtime_ns],
             "reach": None if reach is None else {"hops": reach.hops, "chains": sorted(reach.chains)}}
    temporary = folder / f"{_STATE}.tmp"
    temporary.write_text(json.dumps(state, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(temporary, folder / _STATE)


def _run_name(graph: str) -> str:
    return hashlib.sha256(graph.encode("utf-8")).hexdigest()[:32] + ".nt"


__all__ = ["STATE_FORMAT", "Changes", "LastBuild", "Outcome", "SubjectChange", "changes", "forget", "keep",
           "pairs_of", "read_last", "save_changed", "save_written"]
