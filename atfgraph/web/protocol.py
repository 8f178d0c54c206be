"""The SPARQL 1.1 Protocol at ``/sparql``: query by GET, by POST form, or by POST ``application/sparql-query``.

* ``GET /sparql?query=…`` and ``POST /sparql`` with ``application/x-www-form-urlencoded`` (``query=…``) or with
  ``application/sparql-query`` (the query is the body).
* The answer's format follows ``Accept`` (see :mod:`atfgraph.web.formats`) or a ``format`` parameter.
* ``GET /sparql`` with no query, and ``GET /sparql/description``, give the service description.
* Updates (``update=``, ``application/sparql-update``, or Update text as a query) are refused with 403;
  ``default-graph-uri`` and ``named-graph-uri`` with 400: the dataset is always the whole graph.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from atfgraph.store import QueryForm
from atfgraph.web.context import server_of
from atfgraph.web.errors import WebError
from atfgraph.web.formats import TRUNCATED_HEADER, choose
from atfgraph.web.safety import update_refused
from atfgraph.web.service import DescriptionTask
from atfgraph.web.tasks import Body, SparqlTask

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"
MAX_FIELDS = 50

Params = Sequence[tuple[str, str]]


def answer(body: Body, vary: bool = True) -> Response:
    """A response for an answer, with the truncation flag when the answer is a table or a graph."""
    headers = {"Vary": "Accept"} if vary else {}
    if body.truncated is not None:
        headers[TRUNCATED_HEADER] = "true" if body.truncated else "false"
    return Response(body.content, media_type=body.media_type, headers=headers)


def _decode(raw: bytes, what: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise WebError(400, "Bad request", f"the {what} is not UTF-8 text") from None


def _form(text: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FIELDS)
    except ValueError:
        raise WebError(400, "Bad request", f"the form has more than {MAX_FIELDS} fields") from None


def _one(params: Params, name: str) -> str | None:
    values = [value for key, value in params if key == name]
    if len(values) > 1:
        raise WebError(400, "Bad request", f"give one '{name}' parameter, not {len(values)}")
    return values[0] if values else None


async def _params(request: Request) -> tuple[list[tuple[str, str]], str | None]:
    """The request's parameters, and the query when the body is one."""
    params = list(request.query_params.multi_items())
    if request.method == "GET":
        return params, None
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media == UPDATE:
        raise update_refused()
    if media == FORM:
        return params + _form(_decode(await request.body(), "form")), None
    if media == QUERY:
        return params, _decode(await request.body(), "query")
    raise WebError(415, "Unsupported Media Type",
                   f"send the query as {FORM} (query=…) or as {QUERY}, not as '{media or 'nothing'}'")


async def sparql(request: Request) -> Response:
    """The endpoint: answer a query, or describe the service when there is none."""
    params, body_query = await _params(request)
    if any(key == "update" for key, _ in params):
        raise update_refused()
    for name in ("default-graph-uri", "named-graph-uri"):
        if any(key == name for key, _ in params):
            raise WebError(400, "Dataset parameters are not supported",
                           f"'{name}' is not supported: the default graph is the union of every named graph; "
                           "use GRAPH in the query to choose one")
    query = body_query if body_query is not None else _one(params, "query")
    fmt = _one(params, "format")
    if query is None:
        if request.method == "GET":
            return await _description(request, fmt)
        raise WebError(400, "Missing query", "give the query as the 'query' form field")
    if not query.strip():
        raise WebError(400, "Missing query", "the query is empty")
    server = server_of(request)
    task = SparqlTask(query, request.headers.get("accept"), fmt, server.settings.base, server.settings.limits.max_rows)
    return answer(await server.run(task))


async def description(request: Request) -> Response:
    """The service description (also at ``GET /sparql`` with no query)."""
    return await _description(request, _one(list(request.query_params.multi_items()), "format"))


async def _description(request: Request, fmt: str | None) -> Response:
    server = server_of(request)
    chosen = choose(QueryForm.CONSTRUCT, request.headers.get("accept"), fmt)
    endpoint = str(request.url_for("sparql"))
    task = DescriptionTask(endpoint, chosen, server.settings.base, server.settings.limits)
    return answer(await server.run(task))


ROUTES = [
    Route("/sparql", sparql, methods=["GET", "POST"], name="sparql"),
    Route("/sparql/description", description, methods=["GET"], name="description"),
]

__all__ = ["ROUTES", "answer", "description", "sparql"]
