"""A cached build redone from what changed: only the changed files' quads loaded, only the nodes a change can
affect validated, only the changed subjects' blocks written.

Taken by :func:`atfgraph.pipeline.build` when the caller does not need the whole graph in a store afterwards
(``atfgraph build`` does not: it only prints counts, which the state keeps), the last build's state is in
the cache (:mod:`atfgraph.lastbuild`), every output can be spliced, and the shapes' reach is bounded
(:mod:`atfgraph.scope`). Otherwise, or when a change turns out too large to splice, the build is done
whole. The outputs, the report and the counts are those a whole build gives; tests hold them to it.
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable
from functools import partial
from pathlib import Path

from atfgraph.checks import Report, report_of
from atfgraph.export import Format, StagedFiles
from atfgraph.fastshacl import ValidationReport
from atfgraph.incremental import Reuse, load_incremental
from atfgraph.lastbuild import Changes, LastBuild, Outcome, changes, forget, keep, pairs_of, save_changed
from atfgraph.loader import Build, Progress
from atfgraph.namespaces import PREFIXES, entity_prefixes
from atfgraph.oxstore import OxigraphStore
from atfgraph.scope import Pairs, Reach, revalidate
from atfgraph.splice import NotSpliceable, layout, lines_of, splice

Rebuilt = tuple[Build, Report, tuple[Path, ...], Changes, str | None]
"""The build (its store holds the changed graphs only), the report, the files written, the changes, and a
note for the analyst (the cache's state could not be kept)."""


def rebuild(
    data_dir: Path, out_dir: Path, formats: tuple[Format, ...], base: str, progress: Progress | None,
    cache_dir: Path, jobs: int, announce: Callable[[str], None], last: LastBuild, reach: Reach,
) -> Rebuilt | None:
    """Build from the last build's state; None when the change is too large for that to pay (nothing is
    written then, and the caller builds whole)."""
    store = OxigraphStore()
    loaded, reuse = load_incremental(data_dir, cache_dir, base, progress, store, jobs, load_reused=False)
    try:
        found = changes(last, store.store, reuse.graphs)
    except NotSpliceable:
        return None
    if not found.worth_splicing(last):
        return None
    previous = last.validation()
    if previous is None:
        return None
    prefixes = {**PREFIXES, **entity_prefixes(loaded.base)}
    assert last.folder is not None
    with StagedFiles() as staged, concurrent.futures.ThreadPoolExecutor(len(formats) or 1) as splicer:
        targets = [(fmt, staged.stage(out_dir / fmt.filename)) for fmt in formats]
        for fmt, _ in targets:
            announce(f"updating {fmt.filename} ({len(found.subjects)} subjects changed)")
        # The outputs are spliced on threads while the nodes are checked: copying the unchanged parts is
        # most of splicing and Oxigraph's queries, like the writes, run without the GIL. Staged, the files
        # are removed if the check fails (the executor, left first, waits for its threads before that).
        spliced = [splicer.submit(splice, out_dir / fmt.filename, target, layout(fmt, prefixes), found.now)
                   for fmt, target in targets]
        announce(f"checking the nodes {len(found.subjects)} changed subjects can affect")
        report = report_of(loaded, _scoped_validation(last, found, reach, previous))
        try:
            for each in spliced:
                each.result()
        except NotSpliceable:
            return None
        if not report.conforms:
            return loaded, report, (), found, None
        staged.add(out_dir / "report.txt", report.to_text())
        staged.add(out_dir / "report.json", report.to_json())
        forget(last.folder)  # the outputs are about to change: no state until they have
        written = tuple(staged.commit())
    note = keep(last.folder, partial(save_changed, last.folder, _outcome(out_dir, formats, found, reuse, report),
                                     last, found))
    return loaded, report, written, found, note


def _outcome(out_dir: Path, formats: tuple[Format, ...], found: Changes, reuse: Reuse, report: Report) -> Outcome:
    return Outcome(out_dir, formats, found.triples, found.per_class, reuse.graphs, report.validation)


def _scoped_validation(last: LastBuild, found: Changes, reach: Reach, previous: ValidationReport) -> ValidationReport:
    """The last results of the nodes no change can affect, and new results for the others."""
    changed = {change.subject: change for change in found.subjects}

    def lookup(wanted: set[str]) -> Pairs:
        now: Pairs = {node: sorted(changed[node].pairs) for node in wanted if node in changed}
        for node, lines in lines_of(last.quads, sorted(wanted - now.keys())).items():
            now[node] = sorted(pairs_of(lines))
        return now

    runs = [last.folder / "runs" / name for name in last.runs.values()]
    return revalidate(changed, reach, runs, lookup, previous, last.validator())


__all__ = ["Rebuilt", "rebuild"]
