"""The server's settings: its limits and what it serves under, each with a documented default."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from atfgraph.errors import UsageError
from atfgraph.namespaces import DEFAULT_BASE

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_ROWS = 10_000
DEFAULT_MAX_REQUEST_BYTES = 1_048_576
DEFAULT_WORKERS = 2
PAGE_ROWS = 1_000
"""The most rows an HTML page shows; its CSV and JSON twins give up to ``max_rows``."""


@dataclass(frozen=True)
class Limits:
    """What one request may cost.

    ``timeout``: seconds a query may run before its worker process is killed (503).
    ``max_rows``: rows (or triples) in one answer; more are cut and the answer is flagged as truncated.
    ``max_request_bytes``: the largest request body, and the longest query string, accepted (413, 414).
    ``workers``: queries run at once, each in its own process.
    ``queue_timeout``: seconds a request waits for a free worker before a 503; the time limit by default.
    """

    timeout: float = DEFAULT_TIMEOUT
    max_rows: int = DEFAULT_MAX_ROWS
    max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES
    workers: int = DEFAULT_WORKERS
    queue_timeout: float | None = None

    def __post_init__(self) -> None:
        if not self.timeout > 0:
            raise UsageError(f"the time limit must be more than 0 seconds, not {self.timeout}")
        for name, value in (("row limit", self.max_rows), ("request size limit", self.max_request_bytes),
                            ("number of workers", self.workers)):
            if value < 1:
                raise UsageError(f"the {name} must be at least 1, not {value}")
        if self.queue_timeout is not None and not self.queue_timeout > 0:
            raise UsageError(f"the queue time limit must be more than 0 seconds, not {self.queue_timeout}")

    @property
    def wait(self) -> float:
        """Seconds a request may wait for a free worker."""
        return self.queue_timeout if self.queue_timeout is not None else self.timeout

    @property
    def page_rows(self) -> int:
        """The most rows an HTML page shows."""
        return min(self.max_rows, PAGE_ROWS)


@dataclass(frozen=True)
class Settings:
    """Everything ``atfgraph serve`` is told: limits, the base IRI of the entities, CORS, the saved queries."""

    base: str = DEFAULT_BASE
    limits: Limits = field(default_factory=Limits)
    cors_origins: tuple[str, ...] = ()
    queries_folder: Path | None = None  # the shipped queries/ by default


__all__ = ["DEFAULT_MAX_REQUEST_BYTES", "DEFAULT_MAX_ROWS", "DEFAULT_TIMEOUT", "DEFAULT_WORKERS", "PAGE_ROWS",
           "Limits", "Settings"]
