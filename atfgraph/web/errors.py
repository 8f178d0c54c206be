"""One error shape for every answer that is not a success.

Every error, from any route, the request-size check or a worker, reaches the client as::

    {"error": {"status": 400, "title": "Malformed query", "detail": "SPARQL syntax error at line 1, ..."}}

with that status code (a browser asking for HTML gets the same fields as a page). Details say what was
wrong with the request; they never carry a stack trace or the server's internals.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from http import HTTPStatus

from starlette.responses import Response

from atfgraph.web.negotiation import best_match

JSON_TYPE = "application/json"
HTML_TYPE = "text/html"


@dataclass(frozen=True)
class HttpError:
    """An error as the client sees it; ``headers`` are extra response headers (``Allow``, ``Retry-After``)."""

    status: int
    title: str
    detail: str
    headers: tuple[tuple[str, str], ...] = ()

    def document(self) -> dict[str, dict[str, object]]:
        """The JSON error document."""
        return {"error": {"status": self.status, "title": self.title, "detail": self.detail}}


class WebError(Exception):
    """Raised anywhere in the server to answer with an error; carries the :class:`HttpError`."""

    def __init__(self, status: int, title: str, detail: str, headers: tuple[tuple[str, str], ...] = ()) -> None:
        super().__init__(f"{status} {title}: {detail}")
        self.error = HttpError(status, title, detail, headers)

    @classmethod
    def of(cls, error: HttpError) -> WebError:
        """The exception for an error that came back from a worker."""
        return cls(error.status, error.title, error.detail, error.headers)


def reason(status: int) -> str:
    """The standard reason phrase of a status code (``404`` → ``Not Found``)."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def json_error(error: HttpError) -> Response:
    """The error as the JSON document, with its status and headers."""
    body = json.dumps(error.document(), ensure_ascii=False, indent=2) + "\n"
    return Response(body, status_code=error.status, headers=dict(error.headers), media_type=JSON_TYPE)


def wants_html(accept: str | None) -> bool:
    """Whether a client prefers an HTML page to JSON (a browser does; a script or SPARQL client does not)."""
    return best_match(accept, (JSON_TYPE, HTML_TYPE), default=JSON_TYPE) == HTML_TYPE


__all__ = ["HTML_TYPE", "JSON_TYPE", "HttpError", "WebError", "json_error", "reason", "wants_html"]
