"""What a cached build keeps of the outputs it wrote, so that the next build rewrites only what changed.

Writing every format anew costs more than everything else in an incremental build (15 of 34 s at 100,000
events, against a few seconds to map one changed file). The cache therefore keeps, beside the mapping of
each file (:mod:`atfgraph.incremental`), each named graph's triples as sorted N-Triples lines (the run files
the writers make anyway), the digest of the N-Quads each input file's graph was made from, the triple count,
and the size and modification time of each output file written.

The next build compares: a file's graph whose N-Quads have the digest recorded is unchanged; any other graph
(a changed or new file's, the reference graphs, the default graph) is dumped from the store, sorted and
compared line by line with its run, and a graph that is gone counts as all removed. The subjects of the
lines that differ are the only ones whose blocks change in any output (:mod:`atfgraph.splice`), and each
output file that is still as this build wrote it is rewritten by splicing those blocks into it. A file
moved, edited or missing, or a format not written last time, is written whole; so is everything when the
state is missing or from another output folder. The state is removed before the outputs are replaced and
written again after, so a build stopped half-way leaves no state that disagrees with the outputs.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from atfgraph.export import Format, sorted_lines
from atfgraph.splice import NotSpliceable, SubjectQuads

STATE_FORMAT = 1
"""Bumped whenever the state's shape changes: an older state is then ignored (a whole write)."""

_STATE = "state.json"
_RUNS = "runs"


@dataclass(frozen=True)
class LastBuild:
    """The outputs a cached build wrote, and what they were made from."""

    out_dir: str
    files: dict[str, tuple[int, int]]  # format name → (size, modification time in ns) of the file written
    triples: int | None
    graphs: dict[str, str]  # an input file's graph, as N-Triples text → sha256 of its N-Quads
    runs: dict[str, str]  # every graph ("" for the default graph) → the file of its sorted lines, in _RUNS

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


@dataclass(frozen=True)
class Changes:
    """What changed in the graph since the last build: the changed subjects' quads now, the new triple
    count, and the new sorted lines of each graph that changed (None: the graph is gone)."""

    subjects: tuple[SubjectQuads, ...]
    triples: int | None
    runs: dict[str, list[bytes] | None]
    quads: int  # quads added or removed


def read_last(folder: Path) -> LastBuild | None:
    """The state a cached build left in ``folder``, or None (none, unreadable, or of another format)."""
    try:
        with (folder / _STATE).open(encoding="utf-8") as handle:
            data = json.load(handle)
        if data.get("format") != STATE_FORMAT:
            return None
        last = LastBuild(data["out_dir"], {key: tuple(value) for key, value in data["files"].items()},
                         data["triples"], dict(data["graphs"]), dict(data["runs"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    if not all((folder / _RUNS / name).is_file() for name in last.runs.values()):
        return None
    return last


def changes(last: LastBuild, folder: Path, store: ox.Store, graphs: dict[str, str]) -> Changes:
    """Compare the store with the last build's runs (see the module's description)."""
    current: dict[str, ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = {
        str(graph): graph for graph in store.named_graphs()
    }
    current[""] = ox.DefaultGraph()
    added: dict[str, set[tuple[str, str]]] = {}
    removed: dict[str, set[tuple[str, str]]] = {}
    runs: dict[str, list[bytes] | None] = {}
    for name, graph in current.items():
        digest = graphs.get(name)
        if digest is not None and last.graphs.get(name) == digest and name in last.runs:
            continue  # the same N-Quads as last time: the same triples
        lines = sorted_lines(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph))
        old = _read_run(folder, last.runs.get(name))
        _differences(lines, old, name, added, removed)
        runs[name] = lines
    for name, run in last.runs.items():
        if name not in current:
            _differences([], _read_run(folder, run), name, added, removed)
            runs[name] = None
    subjects: list[SubjectQuads] = []
    triples = last.triples
    for subject in sorted(added.keys() | removed.keys()):
        now = list(store.quads_for_pattern(ox.NamedNode(subject), None, None, None))
        quads = SubjectQuads.of(subject, now)
        subjects.append(quads)
        if triples is not None:
            pairs = {(_triple_line(quad), "" if isinstance(quad.graph_name, ox.DefaultGraph) else str(quad.graph_name))
                     for quad in now}
            before = (pairs - added.get(subject, set())) | removed.get(subject, set())
            triples += len(quads.triple_lines) - len({triple for triple, _ in before})
    count = sum(len(found) for found in added.values()) + sum(len(found) for found in removed.values())
    return Changes(tuple(subjects), triples, runs, count)


def _triple_line(quad: ox.Quad) -> str:
    return f"{quad.subject} {quad.predicate} {quad.object} .\n"


def _read_run(folder: Path, name: str | None) -> list[bytes]:
    if name is None:
        return []
    return (folder / _RUNS / name).read_bytes().split(b"\n")[:-1]


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


def save(folder: Path, out_dir: Path, formats: Iterable[Format], triples: int | None, graphs: dict[str, str],
         runs: dict[str, list[bytes] | None] | None = None, run_files: Iterable[tuple[Path, bytes]] = (),
         last: LastBuild | None = None) -> None:
    """Record the outputs just written: ``run_files`` (a renderer's, all graphs) replace every run;
    otherwise ``runs`` update those of ``last``."""
    forget(folder)
    runs_folder = folder / _RUNS
    runs_folder.mkdir(parents=True, exist_ok=True)
    names: dict[str, str] = {}
    files = list(run_files)
    if files:
        for path, graph in files:
            name = graph.decode("utf-8")
            names[name] = _run_name(name)
            shutil.copyfile(path, runs_folder / names[name])
    else:
        names = dict(last.runs) if last is not None else {}
        for name, lines in (runs or {}).items():
            if lines is None:
                (runs_folder / names.pop(name, _run_name(name))).unlink(missing_ok=True)
                continue
            names[name] = _run_name(name)
            with (runs_folder / names[name]).open("wb") as stream:
                if lines:
                    stream.write(b"\n".join(lines) + b"\n")
    for stale in runs_folder.iterdir():
        if stale.name not in names.values():
            stale.unlink()
    written = {}
    for fmt in formats:
        status = (out_dir / fmt.filename).stat()
        written[fmt.value] = (status.st_size, status.st_mtime_ns)
    state = {"format": STATE_FORMAT, "out_dir": str(out_dir.resolve()), "files": written, "triples": triples,
             "graphs": graphs, "runs": names}
    temporary = folder / f"{_STATE}.tmp"
    temporary.write_text(json.dumps(state, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(temporary, folder / _STATE)


def _run_name(graph: str) -> str:
    return hashlib.sha256(graph.encode("utf-8")).hexdigest()[:32] + ".nt"


__all__ = ["STATE_FORMAT", "Changes", "LastBuild", "changes", "forget", "read_last", "save"]
