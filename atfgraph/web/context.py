"""What every route needs: the settings, the worker pool, links and templates, kept on the app's state."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from atfgraph.web.paths import Links
from atfgraph.web.pool import WorkerPool
from atfgraph.web.sandbox import Task
from atfgraph.web.settings import Settings

T = TypeVar("T")


def templates() -> Jinja2Templates:
    """The page templates, every value HTML-escaped (autoescape on for every template)."""
    environment = Environment(loader=PackageLoader("atfgraph.web", "templates"),
                              autoescape=select_autoescape(default=True, default_for_string=True),
                              undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return Jinja2Templates(env=environment)


@dataclass(frozen=True)
class Server:
    """The server's shared state."""

    settings: Settings
    pool: WorkerPool
    links: Links
    templates: Jinja2Templates

    async def run(self, task: Task[T]) -> T:
        """A task's value from a worker, under the time limit."""
        limits = self.settings.limits
        return await self.pool.run(task, limits.timeout, limits.wait)

    def page(self, request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
        """An HTML page from a template."""
        shared = {"limits": self.settings.limits, "base": self.settings.base}
        return self.templates.TemplateResponse(request, name, {**shared, **context}, status_code=status)


def server_of(request: Request) -> Server:
    """The server a request came to."""
    server: Server = request.app.state.server
    return server


__all__ = ["Server", "server_of", "templates"]
