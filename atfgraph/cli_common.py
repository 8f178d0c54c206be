"""What every atfgraph command shares: error handling and exit codes, progress bars, common options.

Part of the CLI layer (it prints and exits); the command modules (``cli``, ``cli_query``, ``cli_views``,
``cli_load``, ``cli_serve``) import from here, and :mod:`atfgraph.cli` puts them together.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn, TypeVar

import click

from atfgraph.errors import AtfgraphError, DataError, EndpointError, OutputError, QueryError, UsageError
from atfgraph.namespaces import DEFAULT_BASE

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2
PROGRESS_THRESHOLD = 5000
"""Show a progress bar once there are more items than this."""

F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str, code: int) -> NoReturn:
    """Print an error and exit with ``code``."""
    click.secho(f"error: {message}", fg="red", err=True)
    sys.exit(code)


@contextmanager
def errors() -> Iterator[None]:
    """Turn library errors into messages and exit codes (1 for data and endpoints, 2 for usage)."""
    try:
        yield
    except DataError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        fail(f"{len(error.problems)} problem(s) in the data", EXIT_DATA)
    except (UsageError, QueryError) as error:
        fail(str(error), EXIT_USAGE)
    except (OutputError, EndpointError) as error:
        fail(str(error), EXIT_DATA)
    except AtfgraphError as error:  # pragma: no cover - every subclass is handled above
        fail(str(error), EXIT_DATA)


class ProgressDisplay:
    """Progress on stderr for a command that may run long: a bar while ``total`` items are done (once there
    are more than ``threshold``), then, on the same large runs, one line per later stage with the time
    since the start, so that a build of a million events does not sit silent while it checks and writes."""

    def __init__(self, label: str, threshold: int) -> None:
        self.label = label
        self.threshold = threshold
        self.started = time.monotonic()
        self.large = False
        self._bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        if total < self.threshold:
            return
        self.large = True
        if self._bar is None:
            self._bar = click.progressbar(length=total, label=self.label, file=sys.stderr, show_pos=True)
            self._bar.__enter__()
        self._bar.update(done - self._bar.pos)

    def stage(self, text: str) -> None:
        """Say that a stage starts (only on a run large enough for the bar)."""
        if not self.large:
            return
        self.close()
        click.echo(f"{text} ({time.monotonic() - self.started:.1f} s)", err=True)

    def close(self) -> None:
        """End the bar, if one is shown."""
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


@contextmanager
def progress_bar(label: str, threshold: int = PROGRESS_THRESHOLD) -> Iterator[ProgressDisplay]:
    """A ``(done, total)`` callback that shows a bar on stderr once ``total`` passes ``threshold``, with
    ``stage(text)`` for the stages after it."""
    display = ProgressDisplay(label, threshold)
    try:
        yield display
    finally:
        display.close()


def base_option(function: F) -> F:
    """``--base``: the base IRI entities were built under, checked as an IRI before anything is read."""
    return click.option("--base", default=DEFAULT_BASE, show_default=True, callback=_check_base,
                        help="Base IRI of the entities: {base}{kind}/{id}.")(function)


def _check_base(context: click.Context, parameter: click.Parameter, value: str) -> str:
    import pyoxigraph as ox  # here: the commands that take --base load it anyway; the others need not

    try:
        ox.NamedNode(value)
    except ValueError as error:
        raise click.BadParameter(f"{value!r} is not an absolute IRI: {error}") from error
    return value


def store_option(function: F) -> F:
    """``--store``: where the graph is held."""
    return click.option("--store", "store_spec", default="oxigraph", show_default=True,
                        help="Where the graph is held: oxigraph (in memory; checked by the shapes compiled to "
                             "SPARQL), oxigraph:PATH (on disk: filled by build, read by the other commands) "
                             "or memory (rdflib; checked by pyshacl).")(function)


def auth_options(function: F) -> F:
    """``--user``, ``--password`` and ``--token-env``, for every command that talks to an endpoint."""
    options = [
        click.option("--user", metavar="NAME", help="User name for HTTP basic authentication."),
        click.option("--password", metavar="TEXT",
                     help="Password for --user; asked for (not echoed) when --user is given without it."),
        click.option("--token-env", metavar="NAME",
                     help="Send a bearer token read from the environment variable NAME (a token is never "
                          "given on the command line, where other users can see it)."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def ask_password(user: str | None, password: str | None) -> str | None:
    """The password for ``--user``, asked for on the terminal when not given."""
    if user is not None and password is None:
        value: str = click.prompt(f"password for {user}", hide_input=True, err=True)
        return value
    return password


__all__ = [
    "EXIT_DATA",
    "EXIT_OK",
    "EXIT_USAGE",
    "ProgressDisplay",
    "ask_password",
    "auth_options",
    "base_option",
    "errors",
    "fail",
    "progress_bar",
    "store_option",
]
