"""The whole job: load a data folder, check it, and write the outputs only when it conforms."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from atfgraph.checks import Report, check
from atfgraph.export import DEFAULT_FORMATS, Format, Renderer, StagedFiles, is_oxigraph
from atfgraph.incremental import Reuse, cache_folder_of, load_incremental, locked
from atfgraph.lastbuild import (
    Changes,
    LastBuild,
    Outcome,
    changes,
    forget,
    keep,
    read_last,
    save_changed,
    save_written,
)
from atfgraph.loader import Build, Progress, load
from atfgraph.namespaces import DEFAULT_BASE, PREFIXES, entity_prefixes
from atfgraph.oxstore import OxigraphStore
from atfgraph.rebuild import rebuild
from atfgraph.splice import NotSpliceable, layout, splice
from atfgraph.stats import per_class
from atfgraph.store import Store


@dataclass(frozen=True)
class BuildResult:
    """What a build did: the loaded graph, the report, and the files written (none when it failed)."""

    build: Build
    report: Report
    written: tuple[Path, ...]
    counted: int | None = None  # the triples, when writing the outputs counted them
    classes: tuple[tuple[str, int], ...] | None = None  # entities per class, when the build knows them
    note: str | None = None  # something the analyst should know of a build that succeeded

    @property
    def triples(self) -> int:
        """Distinct triples in the graph."""
        return self.counted if self.counted is not None else len(self.build.store)

    @property
    def entities(self) -> Counter[str]:
        """Records mapped, per kind."""
        return self.build.entities

    def per_class(self) -> tuple[tuple[str, int], ...]:
        """Entities per class of the ontology, most first (as :func:`atfgraph.stats.per_class` counts them)."""
        return self.classes if self.classes is not None else per_class(self.build.store)


def validate(data_dir: Path, base: str = DEFAULT_BASE, progress: Progress | None = None,
             store: Store | None = None) -> Report:
    """Run every check on a data folder and return the report; nothing is written."""
    return check(load(data_dir, base, progress, store))


def build(
    data_dir: Path,
    out_dir: Path,
    formats: tuple[Format, ...] = DEFAULT_FORMATS,
    base: str = DEFAULT_BASE,
    progress: Progress | None = None,
    store: Store | None = None,
    cache_dir: Path | None = None,
    jobs: int = 1,
    stage: Callable[[str], None] | None = None,
    keep_graph: bool = True,
    waiting: Callable[[str], None] | None = None,
) -> BuildResult:
    """Load, check and, only if there is no violation, write the graph files and reports to ``out_dir``.

    The files are replaced all at once at the end, so a failed build leaves an earlier good one in place.
    ``store`` is where the graph is built (an rdflib graph in memory unless given). With ``cache_dir``,
    files unchanged since the last build there are not mapped again (see :mod:`atfgraph.incremental`), and
    on Oxigraph the outputs are rewritten where the graph changed (:mod:`atfgraph.lastbuild`). Without
    ``keep_graph``, on an in-memory Oxigraph store, the caller wants the counts only (the result has them): the
    store is emptied and its memory given back as soon as the writers no longer read it; with ``cache_dir``
    too, only what changed is loaded and validated (:mod:`atfgraph.rebuild`). With
    ``jobs`` above 1, the files to map are mapped in that many processes. ``stage`` is told as each stage
    after mapping starts, for a caller that shows progress; ``waiting`` (else ``stage``) is told when another
    build holds the cache and this one waits for it.
    """
    announce = stage if stage is not None else _quiet
    if cache_dir is None:
        return _build(data_dir, out_dir, formats, base, progress, store, cache_dir, jobs, announce, keep_graph)
    with locked(cache_dir, waiting or announce):
        return _build(data_dir, out_dir, formats, base, progress, store, cache_dir, jobs, announce, keep_graph)


def _build(data_dir: Path, out_dir: Path, formats: tuple[Format, ...], base: str, progress: Progress | None,
           store: Store | None, cache_dir: Path | None, jobs: int, announce: Callable[[str], None],
           keep_graph: bool) -> BuildResult:
    if cache_dir is not None and not keep_graph and isinstance(store, OxigraphStore) and store.path is None \
            and not len(store.store):
        last = read_last(cache_folder_of(cache_dir, data_dir, base) / "outputs")
        if last is not None and last.reach is not None and all(last.can_splice(fmt, out_dir) for fmt in formats):
            rebuilt = rebuild(data_dir, out_dir, formats, base, progress, cache_dir, jobs, announce, last,
                              last.reach)
            if rebuilt is not None:
                build_done, report_done, written_done, changed, note = rebuilt
                return BuildResult(build_done, report_done, written_done, changed.triples,
                                   _classes(changed.per_class), note)
    reuse = None
    if cache_dir is not None or jobs > 1:
        loaded, reuse = load_incremental(data_dir, cache_dir, base, progress, store, jobs)
    else:
        loaded = load(data_dir, base, progress, store)
    announce("checking the graph against the shapes")
    report = check(loaded)
    if not report.conforms:
        return BuildResult(loaded, report, ())
    # With a cache, on Oxigraph, the outputs of the last build are rewritten where the graph changed
    # (atfgraph.lastbuild); otherwise each format is written whole.
    folder = reuse.folder / "outputs" if reuse is not None and reuse.folder is not None else None
    if not is_oxigraph(loaded.store):
        folder = None
    last = read_last(folder) if folder is not None else None
    with StagedFiles() as staged, \
            Renderer(loaded.store, loaded.base, formats, out_dir, keep_runs=folder is not None) as renderer:
        found = _changes(last, loaded, reuse)
        # A caller that keeps no graph gets its counts from here: the in-memory store is then let go once the
        # writers have what they need of it, before JSON-LD's second process starts.
        classes: tuple[tuple[str, int], ...] | None = None
        release: Callable[[], None] | None = None
        if not keep_graph and isinstance(loaded.store, OxigraphStore) and loaded.store.path is None:
            classes = per_class(loaded.store)
            release = loaded.store.release
        whole: list[tuple[Format, Path]] = []
        for fmt in formats:
            target = staged.stage(out_dir / fmt.filename)
            if found is not None and last is not None and last.can_splice(fmt, out_dir):
                announce(f"updating {fmt.filename} ({len(found.subjects)} subjects changed)")
                try:
                    splice(out_dir / fmt.filename, target, layout(fmt, _prefixes(loaded.base)), found.now)
                    continue
                except NotSpliceable:
                    pass  # written whole, below
            whole.append((fmt, target))
        renderer.write_all(whole, announce, release)
        staged.add(out_dir / "report.txt", report.to_text())
        staged.add(out_dir / "report.json", report.to_json())
        if folder is not None:
            forget(folder)  # the outputs are about to change: no state until they have
        written = tuple(staged.commit())
        counted = renderer.triple_count
        if counted is None and found is not None:
            counted = found.triples
        if folder is None or reuse is None:
            return BuildResult(loaded, report, written, counted, classes)
        if classes is None:
            classes = per_class(loaded.store)
        outcome = Outcome(out_dir, formats, counted, dict(classes), reuse.graphs, report.validation)
        if renderer.has_runs or found is None or last is None:
            note = keep(folder, partial(save_written, folder, outcome, renderer))
        else:
            note = keep(folder, partial(save_changed, folder, outcome, last, found))
        return BuildResult(loaded, report, written, counted, classes, note)


def _changes(last: LastBuild | None, loaded: Build, reuse: Reuse | None) -> Changes | None:
    """What changed since the last build, when its outputs can be rewritten rather than written whole."""
    if last is None or reuse is None:
        return None
    try:
        found = changes(last, loaded.store.store, reuse.graphs)  # type: ignore[attr-defined]
    except NotSpliceable:
        return None
    return found if found.worth_splicing(last) else None


def _classes(counts: dict[str, int]) -> tuple[tuple[str, int], ...]:
    """Counts per class in the order :func:`atfgraph.stats.per_class` gives them."""
    return tuple(sorted(counts.items(), key=lambda pair: (-pair[1], pair[0])))


def _prefixes(base: str) -> dict[str, str]:
    return {**PREFIXES, **entity_prefixes(base)}


def _quiet(text: str) -> None:
    """No one to tell."""


__all__ = ["BuildResult", "build", "validate"]
