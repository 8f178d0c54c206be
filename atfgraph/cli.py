"""The ``atfgraph`` command: the only module that prints or exits.

Exit codes: 0 ok (warnings allowed), 1 the data has errors or does not conform, 2 usage error.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from atfgraph._version import __version__
from atfgraph.checks import Report
from atfgraph.cli_common import EXIT_DATA, EXIT_OK, base_option, errors, fail, progress_bar, store_option
from atfgraph.errors import Severity
from atfgraph.export import DEFAULT_FORMATS, Format
from atfgraph.graphsource import DEFAULT_DATA, open_graph
from atfgraph.oxstore import staged_store
from atfgraph.pipeline import build as build_graph
from atfgraph.pipeline import validate as validate_data
from atfgraph.stats import stats as count
from atfgraph.store import Store, open_store

F = TypeVar("F", bound=Callable[..., Any])


def _data_argument(function: F) -> F:
    return click.argument("data_dir", required=False, default="data",
                          type=click.Path(file_okay=False, path_type=Path))(function)


def _scratch_store(spec: str) -> Store:
    """The kind of store asked for, in memory: reading or checking data never touches a store on disk."""
    return open_store(spec.partition(":")[0])


class LazyGroup(click.Group):
    """A group whose other commands are imported when one of them is run (or help lists them): the view and
    server commands bring matplotlib, networkx and Starlette, which took 0.4 s and 55 MB of every build."""

    def __init__(self, *args: Any, lazy: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = lazy  # command name -> "module:attribute"

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy:
            module, _, attribute = self.lazy[cmd_name].partition(":")
            command = getattr(importlib.import_module(module), attribute)
            assert isinstance(command, click.Command)
            return command
        return super().get_command(ctx, cmd_name)


_LAZY_COMMANDS = {
    "queries": "atfgraph.cli_query:queries",
    "query": "atfgraph.cli_query:query",
    "load": "atfgraph.cli_load:load",
    "network": "atfgraph.cli_views:network",
    "export": "atfgraph.cli_views:export",
    "viz": "atfgraph.cli_views:viz",
    "serve": "atfgraph.cli_serve:serve",
}


@click.group(cls=LazyGroup, lazy=_LAZY_COMMANDS,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="atfgraph")
def main() -> None:
    """Build, check and query a knowledge graph of counter-terrorism cooperation from analysts' records.

    Records (YAML, JSON, CSV) in DATA_DIR become RDF under the atfgraph ontology, checked by SHACL shapes.
    Exit codes: 0 ok (warnings allowed), 1 data errors or SHACL violations, 2 usage errors.
    """


def _print_report(report: Report, quiet_ok: bool = False) -> None:
    for problem in report.problems:
        colour = {Severity.VIOLATION: "red", Severity.WARNING: "yellow"}.get(problem.severity, "cyan")
        click.secho(str(problem), fg=colour, err=True)
    if not quiet_ok or report.problems:
        click.echo(report.summary, err=True)


@main.command()
@_data_argument
@click.option("-o", "--out", "out_dir", default="out", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Folder for the outputs.")
@click.option("--format", "formats", default=",".join(fmt.value for fmt in DEFAULT_FORMATS), show_default=True,
              help="Comma-separated graph formats: ttl, jsonld, nq, nt.")
@base_option
@store_option
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Build incrementally: keep in this folder what the build did, so the next one maps only the "
                   "records that changed, validates only what they can affect and rewrites only their parts "
                   "of the outputs (the same bytes as a clean build; see docs/incremental.md).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True,
              help="Map the input files in this many processes (for many large files on more than two "
                   "cores: the build already loads the store on a second core).")
def build(data_dir: Path, out_dir: Path, formats: str, base: str, store_spec: str, cache_dir: Path | None,
          jobs: int) -> None:
    """Build the graph of DATA_DIR (default ./data) into OUT (graph.* files, report.txt, report.json).

    Nothing is written when the data has errors: the last good build stays in place.
    """
    chosen = _formats(formats)
    kind, _, path = store_spec.partition(":")
    with errors(), progress_bar("mapping records") as progress:
        if kind == "oxigraph" and path:
            with staged_store(Path(path)) as (store, commit):
                result = build_graph(data_dir, out_dir, chosen, base, progress, store, cache_dir, jobs,
                                     progress.stage, waiting=_say)
                if result.report.conforms:
                    commit()
        else:
            # The graph is not used after the build but for its counts, which a cached rebuild keeps: it
            # may then load only what changed (atfgraph.rebuild).
            result = build_graph(data_dir, out_dir, chosen, base, progress, open_store(store_spec), cache_dir,
                                 jobs, progress.stage, keep_graph=False, waiting=_say)
    _print_report(result.report, quiet_ok=True)
    if not result.report.conforms:
        fail(f"build failed; nothing written to {out_dir}", EXIT_DATA)
    if result.note:
        click.secho(f"warning: {result.note}", fg="yellow", err=True)
    records = ", ".join(f"{number} {kind}" for kind, number in sorted(result.entities.items()))
    click.echo(f"{result.triples} triples from {len(result.build.files)} file(s) of records ({records})")
    click.echo("entities per class:")
    per_class = result.per_class()
    width = max((len(name) for name, _ in per_class), default=0)
    for name, number in per_class:
        click.echo(f"  {name:<{width}}{number:>8}")
    click.echo(f"wrote {', '.join(path.name for path in result.written)} to {out_dir}")


def _say(text: str) -> None:
    click.echo(text, err=True)


def _formats(text: str) -> tuple[Format, ...]:
    chosen: list[Format] = []
    for name in (part.strip().lower() for part in text.split(",") if part.strip()):
        try:
            chosen.append(Format(name))
        except ValueError:
            raise click.BadParameter(f"unknown format '{name}'; choose from ttl, jsonld, nq, nt",
                                     param_hint="--format") from None
    return tuple(dict.fromkeys(chosen))


@main.command()
@_data_argument
@click.option("--format", "fmt", type=click.Choice(["text", "json", "ttl"]), default="text", show_default=True,
              help="text: one line per problem; json: machine-readable; ttl: the sh:ValidationReport.")
@base_option
@store_option
def validate(data_dir: Path, fmt: str, base: str, store_spec: str) -> None:
    """Run every check on DATA_DIR (default ./data) and report; writes nothing."""
    with errors(), progress_bar("checking records") as progress:
        report = validate_data(data_dir, base, progress, _scratch_store(store_spec))
    if fmt == "json":
        click.echo(report.to_json(), nl=False)
    elif fmt == "ttl":
        click.echo(report.to_turtle(), nl=False)
    else:
        click.echo(report.to_text(), nl=False)
    sys.exit(EXIT_OK if report.conforms else EXIT_DATA)


@main.command()
@click.argument("source", required=False, type=click.Path(path_type=Path))
@base_option
@store_option
def stats(source: Path | None, base: str, store_spec: str) -> None:
    """Count entities per class, events per topic and per year, in a data folder or a graph file.

    With --store oxigraph:PATH and no SOURCE given, counts what an earlier build left in that store.
    """
    with errors():
        if source is not None and source.is_file():
            store = open_graph(graph=source, store_spec=store_spec)
        elif source is not None or not store_spec.startswith("oxigraph:"):
            store = open_graph(data=source or DEFAULT_DATA, base=base, store_spec=store_spec)
        else:
            store = open_graph(store_spec=store_spec)
        counted = count(store)
    click.echo(f"{counted.triples} triples")
    for title, pairs in (("per class", counted.per_class), ("events per topic", counted.per_topic),
                         ("events per year", counted.per_year)):
        click.echo(f"\n{title}:")
        width = max((len(label) for label, _ in pairs), default=0)
        for label, number in pairs:
            click.echo(f"  {label:<{width}}  {number:>6}")


__all__ = ["main"]
