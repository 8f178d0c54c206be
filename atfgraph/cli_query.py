"""The ``atfgraph queries`` and ``atfgraph query`` commands: list the saved queries, run one.

Registered on the ``atfgraph`` group by :mod:`atfgraph.cli`. Exit codes as everywhere: 0 ok, 1 the data has
errors, 2 a usage error (unknown query, bad parameter, SPARQL syntax error, unsuitable format).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import click

from atfgraph.cli_common import ask_password, auth_options, errors, store_option
from atfgraph.errors import QueryError, UsageError
from atfgraph.graphsource import open_graph
from atfgraph.namespaces import DEFAULT_BASE
from atfgraph.queries import SavedQuery, bind, find, from_text, list_saved
from atfgraph.remote import remote_store_from_options
from atfgraph.results import ResultFormat, render
from atfgraph.store import QueryForm, Store, check_syntax


@click.command("queries")
@click.argument("name", required=False)
def queries(name: str | None) -> None:
    """List the saved queries with their titles and parameters, or show one query NAME in full."""
    with errors():
        if name is not None:
            _show(find(name))
            return
        saved = list_saved()
    width = max((len(query.name) for query in saved), default=0)
    for query in saved:
        click.echo(f"{query.name:<{width}}  {query.title}")
        for parameter in query.parameters:
            click.echo(f"{'':<{width}}    {parameter}")


def _show(query: SavedQuery) -> None:
    click.echo(f"{query.name}: {query.title}")
    if query.description:
        click.echo("\n" + click.wrap_text(query.description, width=100))
    if query.parameters:
        click.echo("\nparameters:")
        for parameter in query.parameters:
            required = "" if parameter.default is not None else " (required)"
            click.echo(f"  {parameter}{required}")
    click.echo(f"\n{query.text}", nl=not query.text.endswith("\n"))


@click.command("query")
@click.argument("query_name", metavar="[NAME|FILE.rq]", required=False)
@click.option("--sparql", "sparql", metavar="TEXT", help="Run this SPARQL text instead of a saved query.")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A parameter of the query; repeat for several. See `atfgraph queries NAME`.")
@click.option("--graph", "graph_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Query this graph file (.nq, .ttl, .jsonld, .nt, .trig).")
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Build this data folder in memory and query it.")
@click.option("--format", "fmt", type=click.Choice([item.value for item in ResultFormat]),
              help="Output format [default: table; ttl for CONSTRUCT and DESCRIBE].")
@click.option("--base", default=DEFAULT_BASE, show_default=True,
              help="Base IRI of the entities: {base}{kind}/{id}.")
@store_option
@click.option("--endpoint", metavar="URL",
              help="Query a remote SPARQL 1.1 endpoint instead (e.g. http://HOST:7878/query for Oxigraph).")
@auth_options
def query(query_name: str | None, sparql: str | None, params: tuple[str, ...], graph_file: Path | None,
          data_dir: Path | None, fmt: str | None, base: str, store_spec: str, endpoint: str | None,
          user: str | None, password: str | None, token_env: str | None) -> None:
    """Run a saved query (by NAME), a query file, or --sparql TEXT, and print its answer.

    Without --graph or --data it reads the last build (out/graph.nq, else out/graph.ttl), else builds
    ./data in memory. Parameters are bound as RDF terms, never pasted into the query. The table cuts long
    cells; csv, tsv and json are the SPARQL 1.1 results formats; md is a Markdown table.
    """
    with errors():
        chosen = _query(query_name, sparql)
        _check_syntax(chosen)
        values = _values(params)
        store: Store
        if endpoint is not None:
            if graph_file is not None or data_dir is not None:
                raise UsageError("give --endpoint, --graph or --data, not several")
            store = remote_store_from_options(endpoint, user, ask_password(user, password), token_env)
        else:
            store = open_graph(graph_file, data_dir, store_spec, base, lambda note: click.echo(note, err=True))
        result = store.query(chosen.text, bind(chosen, values, base, store))
        output = ResultFormat(fmt) if fmt else ResultFormat.TABLE
        text = render(result, output, base, _terminal_width())
    click.echo(text, nl=False)
    if result.form is QueryForm.SELECT and output is ResultFormat.TABLE:
        click.echo(f"{len(result.rows)} row(s)", err=True)


def _terminal_width() -> int | None:
    """The terminal's width when printing to one; a pipe or file gets whole lines."""
    return shutil.get_terminal_size().columns if sys.stdout.isatty() else None


def _query(name: str | None, sparql: str | None) -> SavedQuery:
    if (name is None) == (sparql is None):
        names = ", ".join(saved.name for saved in list_saved())
        raise UsageError(f"give a saved query's NAME, a FILE.rq or --sparql TEXT (just one); saved: {names}")
    return from_text(sparql) if sparql is not None else find(name or "")


def _check_syntax(query: SavedQuery) -> None:
    """Check the syntax before any data is read, naming the file when there is one."""
    try:
        check_syntax(query.text)
    except QueryError as error:
        if query.path is None:
            raise
        raise QueryError(f"{query.path}: {error}") from error


def _values(params: tuple[str, ...]) -> dict[str, str]:
    values: dict[str, str] = {}
    for item in params:
        name, equals, value = item.partition("=")
        if not equals or not name.strip():
            raise UsageError(f"--param '{item}': write NAME=VALUE")
        if name.strip() in values:
            raise UsageError(f"--param '{name.strip()}' is given twice")
        values[name.strip()] = value
    return values


__all__ = ["queries", "query"]
