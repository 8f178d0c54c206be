"""The whole job: load a data folder, check it, and write the outputs only when it conforms."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from atfgraph.checks import Report, check
from atfgraph.export import DEFAULT_FORMATS, Format, Renderer, StagedFiles
from atfgraph.incremental import load_incremental
from atfgraph.loader import Build, Progress, load
from atfgraph.namespaces import DEFAULT_BASE
from atfgraph.store import Store


@dataclass(frozen=True)
class BuildResult:
    """What a build did: the loaded graph, the report, and the files written (none when it failed)."""

    build: Build
    report: Report
    written: tuple[Path, ...]
    counted: int | None = None  # the triples, when writing the outputs counted them

    @property
    def triples(self) -> int:
        """Distinct triples in the graph."""
        return self.counted if self.counted is not None else len(self.build.store)

    @property
    def entities(self) -> Counter[str]:
        """Records mapped, per kind."""
        return self.build.entities


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
) -> BuildResult:
    """Load, check and, only if there is no violation, write the graph files and reports to ``out_dir``.

    The files are replaced all at once at the end, so a failed build leaves an earlier good one in place.
    ``store`` is where the graph is built (an rdflib graph in memory unless given). With ``cache_dir``,
    files unchanged since the last build there are not mapped again (see :mod:`atfgraph.incremental`); with
    ``jobs`` above 1, the files to map are mapped in that many processes. ``stage`` is told as each stage
    after mapping starts, for a caller that shows progress.
    """
    announce = stage if stage is not None else _quiet
    if cache_dir is not None or jobs > 1:
        loaded, _ = load_incremental(data_dir, cache_dir, base, progress, store, jobs)
    else:
        loaded = load(data_dir, base, progress, store)
    announce("checking the graph against the shapes")
    report = check(loaded)
    if not report.conforms:
        return BuildResult(loaded, report, ())
    # One format in memory at a time: each is staged to its file as soon as it is made.
    # Each format is written straight to its staged file; the renderer's work files sit beside them.
    with StagedFiles() as staged, Renderer(loaded.store, loaded.base, formats, out_dir) as renderer:
        for fmt in formats:
            announce(f"writing {fmt.filename}")
            renderer.write(fmt, staged.stage(out_dir / fmt.filename))
        staged.add(out_dir / "report.txt", report.to_text())
        staged.add(out_dir / "report.json", report.to_json())
        return BuildResult(loaded, report, tuple(staged.commit()), renderer.triple_count)


def _quiet(text: str) -> None:
    """No one to tell."""


__all__ = ["BuildResult", "build", "validate"]
