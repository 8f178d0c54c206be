"""The exception tree of atfgraph.

::

    AtfgraphError                 root: everything atfgraph raises on purpose
    ├── UsageError                the caller asked for something impossible (exit code 2)
    ├── DataError                 the records have errors; carries every Problem found (exit code 1)
    ├── QueryError                a SPARQL query or its parameters are wrong (exit code 2)
    ├── OutputError               an output could not be written (exit code 1)
    └── EndpointError             a remote endpoint refused, failed or could not be reached (exit code 1)
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path


class Severity(enum.Enum):
    """How bad a problem is: violations fail a build, warnings and infos do not."""

    VIOLATION = "violation"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, order=True)
class Location:
    """Where in the input something came from: a file, and the line and column when known."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}"
        return self.file


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, with its location and the record and field concerned."""

    location: Location
    message: str
    kind: str = ""
    record_id: str = ""
    field: str = ""
    severity: Severity = Severity.VIOLATION
    source: str = "records"  # "records" for the record stage, a shape IRI for SHACL results

    def __str__(self) -> str:
        """``FILE:LINE: kind 'id': field: message``, with ``warning:`` or ``info:`` before non-violations."""
        parts = [str(self.location)]
        if self.kind and self.record_id:
            parts.append(f"{self.kind} '{self.record_id}'")
        if self.field:
            parts.append(self.field)
        if self.severity is not Severity.VIOLATION:
            parts.append(self.severity.value)
        return ": ".join(parts) + ": " + self.message


class AtfgraphError(Exception):
    """Root of every error atfgraph raises on purpose."""


class UsageError(AtfgraphError):
    """The caller asked for something that cannot be done (bad option, missing file)."""


class QueryError(AtfgraphError):
    """A SPARQL query or its parameters are wrong."""


class OutputError(AtfgraphError):
    """An output file could not be written."""


class EndpointError(AtfgraphError):
    """An endpoint refused a request, answered with something unusable, or could not be reached.

    ``status`` is the HTTP status, or None when there was no answer at all.
    """

    def __init__(self, message: str, url: str, status: int | None = None) -> None:
        super().__init__(message)
        self.url = url
        self.status = status


class DataError(AtfgraphError):
    """The input records have errors; ``problems`` holds every one found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=_problem_order)
        count = len(self.problems)
        first = str(self.problems[0]) if self.problems else "no details"
        super().__init__(f"{count} problem(s) in the data; first: {first}")


def _problem_order(problem: Problem) -> tuple[str, int, int, str]:
    return (problem.location.file, problem.location.line, problem.location.column, problem.message)


def relative_name(path: Path, root: Path) -> str:
    """The path of an input file as reported to analysts: relative to the data folder, with slashes."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
