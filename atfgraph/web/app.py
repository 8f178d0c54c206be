"""The app factory: routes, error handlers, middleware and the worker pool's life.

``create_app`` forks the pool's nursery at once, so call it before the server starts any thread (uvicorn
and the test client start theirs later); the pool opens to requests when the app's lifespan starts and is
stopped when it ends.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache
from importlib.resources import files

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp

from atfgraph.web import pages, protocol, saved
from atfgraph.web.context import Server, templates
from atfgraph.web.errors import HttpError, WebError, json_error, reason, wants_html
from atfgraph.web.formats import TRUNCATED_HEADER
from atfgraph.web.middleware import SecurityHeaders, SizeLimit
from atfgraph.web.paths import Links
from atfgraph.web.pool import WorkerPool
from atfgraph.web.settings import Settings
from atfgraph.web.source import GraphSource

logger = logging.getLogger("atfgraph.web")

VENDOR_SCRIPT = "cytoscape.min.js"


class App(Starlette):
    """Starlette, with the security headers outermost, so that even the last-resort 500 page carries them."""

    def build_middleware_stack(self) -> ASGIApp:
        """The usual stack inside :class:`SecurityHeaders`."""
        return SecurityHeaders(super().build_middleware_stack())


def error_response(request: Request, error: HttpError) -> Response:
    """An error as JSON, or as a page for a browser that asks for HTML."""
    if wants_html(request.headers.get("accept")):
        server: Server | None = getattr(request.app.state, "server", None)
        if server is not None:
            response = server.page(request, "error.html", {"error": error}, status=error.status)
            response.headers.update(dict(error.headers))
            return response
    return json_error(error)


async def _web_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, WebError)
    return error_response(request, exc.error)


async def _http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    status = exc.status_code
    detail = exc.detail if exc.detail and exc.detail != reason(status) else {
        404: f"no page at {request.url.path}",
        405: f"{request.method} is not allowed here: the server is read-only",
    }.get(status, reason(status))
    headers = tuple((exc.headers or {}).items())
    return error_response(request, HttpError(status, reason(status), str(detail), headers))


async def _internal(request: Request, exc: Exception) -> Response:
    # The traceback goes to the server's log (Starlette re-raises after this answer), never to the client.
    return error_response(request, HttpError(500, "Internal Server Error",
                                             "the server could not answer this request; the cause is in its log"))


@cache
def _vendor_script() -> bytes:
    return files("atfgraph.viz").joinpath("vendor", VENDOR_SCRIPT).read_bytes()


async def vendor(request: Request) -> Response:
    """The vendored Cytoscape.js of the viz package, served from this server (never a CDN)."""
    return Response(_vendor_script(), media_type="text/javascript",
                    headers={"Cache-Control": "public, max-age=86400"})


def create_app(source: GraphSource, settings: Settings | None = None) -> App:
    """The web app for a graph: the SPARQL endpoint, the pages, and the pool of query workers (started now)."""
    settings = settings if settings is not None else Settings()
    links = Links(settings.base)
    pool = WorkerPool(source, settings.limits.workers)
    pool.start()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await pool.open()
        try:
            yield
        finally:
            pool.close()

    middleware = [Middleware(SizeLimit, limit=settings.limits.max_request_bytes)]
    if settings.cors_origins:
        middleware.append(Middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                                     allow_methods=["GET", "POST"], allow_headers=["Accept", "Content-Type"],
                                     expose_headers=[TRUNCATED_HEADER]))
    routes = [
        *protocol.ROUTES,
        *pages.routes(),
        *saved.ROUTES,
        Route(f"/static/vendor/{VENDOR_SCRIPT}", vendor, methods=["GET"]),
        Mount("/static", StaticFiles(packages=[("atfgraph.web", "static")]), name="static"),
        *pages.entity_routes(links.route()),
    ]
    app = App(routes=routes, middleware=middleware, lifespan=lifespan, exception_handlers={
        WebError: _web_error,
        HTTPException: _http_exception,
        Exception: _internal,
    })
    app.state.server = Server(settings, pool, links, templates())
    return app


__all__ = ["App", "create_app", "error_response"]
