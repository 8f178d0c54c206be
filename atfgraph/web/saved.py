"""The saved queries of ``queries/``: a list, and a page per query with a form for its parameters.

``/queries/NAME?param=value`` runs the query with its parameters bound as RDF terms by
:func:`atfgraph.queries.bind` (never pasted into the query text) and shows the answer; its twins
``/queries/NAME.json`` and ``/queries/NAME.csv`` (and ``.tsv``, ``.xml``; ``.ttl``, ``.jsonld``, ``.nt``,
``.rdf`` for a CONSTRUCT) give the same answer as data. ``/queries.json`` lists them all.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from atfgraph.errors import QueryError
from atfgraph.queries import SavedQuery, find, list_saved
from atfgraph.store import QueryForm, check_syntax
from atfgraph.web.context import Server, server_of
from atfgraph.web.errors import WebError
from atfgraph.web.formats import Format, formats_for
from atfgraph.web.pages import results
from atfgraph.web.protocol import answer
from atfgraph.web.tasks import SavedTask, TableTask

_PROLOGUE = re.compile(r"""\s+|\#[^\n]*|(?i:BASE)\s*<[^>]*>|(?i:PREFIX)\s+[^\s:]*:\s*<[^>]*>""")
_FORM = re.compile(r"(?i)(SELECT|ASK|CONSTRUCT|DESCRIBE)\b")


def form_of(text: str) -> QueryForm:
    """A saved query's form from the first keyword after its prologue (comments, BASE and PREFIX lines).

    Cheaper than parsing, which would hold up the event loop for every query on the list; a text this
    does not understand is parsed after all.
    """
    index = 0
    while match := _PROLOGUE.match(text, index):
        if match.end() == index:
            break
        index = match.end()
    keyword = _FORM.match(text, index)
    return QueryForm(keyword.group(1).upper()) if keyword else check_syntax(text)


def _describe(query: SavedQuery) -> dict[str, object]:
    return {
        "name": query.name,
        "title": query.title,
        "description": query.description,
        "form": form_of(query.text).value,
        "parameters": [{"name": parameter.name, "type": parameter.type.value, "kind": parameter.kind,
                        "default": parameter.default, "required": parameter.required, "help": parameter.help}
                       for parameter in query.parameters],
        "page": f"/queries/{query.name}",
        "json": f"/queries/{query.name}.json",
        "csv": f"/queries/{query.name}.csv",
    }


def _catalogue(server: Server) -> tuple[SavedQuery, ...]:
    try:
        return list_saved(server.settings.queries_folder)
    except QueryError as error:
        raise WebError(500, "Saved queries unreadable", str(error)) from error


async def catalogue(request: Request) -> Response:
    """The list of saved queries."""
    server = server_of(request)
    return server.page(request, "saved_list.html", {"saved": _catalogue(server)})


async def catalogue_json(request: Request) -> Response:
    """The list's JSON twin."""
    queries = [_describe(query) for query in _catalogue(server_of(request))]
    return Response(json.dumps({"queries": queries}, ensure_ascii=False, indent=2) + "\n",
                    media_type="application/json")


def _find(server: Server, name: str) -> SavedQuery:
    if "/" in name or "\\" in name or name.startswith(".") or name.endswith(".rq"):
        raise WebError(404, "Not Found", f"no saved query '{name}'")  # a name, never a path
    try:
        return find(name, server.settings.queries_folder)
    except QueryError as error:
        raise WebError(404, "Not Found", str(error)) from None


def _values(request: Request, query: SavedQuery) -> dict[str, str]:
    """The parameters given; an empty field means "use the default"."""
    values: dict[str, str] = {}
    for key, value in request.query_params.multi_items():
        if key == "format" or value == "":
            continue
        if key in values:
            raise WebError(400, "Bad request", f"parameter '{key}' is given twice")
        values[key] = value
    return values


def _split(name: str) -> tuple[str, Format | None]:
    stem, dot, suffix = name.rpartition(".")
    if dot:
        try:
            return stem, Format(suffix.lower())
        except ValueError:
            pass
    return name, None


async def saved_query(request: Request) -> Response:
    """A saved query's page (its form and answer), or one of its twins by suffix."""
    server = server_of(request)
    name, fmt = _split(request.path_params["name"])
    query = _find(server, name)
    values = _values(request, query)
    settings = server.settings
    if fmt is not None:
        task = SavedTask(name, tuple(sorted(values.items())), fmt, settings.base, settings.limits.max_rows,
                         settings.queries_folder)
        return answer(await server.run(task), vary=False)
    form = form_of(query.text)
    missing = [parameter.name for parameter in query.parameters if parameter.required and parameter.name not in values]
    twins = [(fmt.value, f"/queries/{name}.{fmt.value}" + (f"?{urlencode(values)}" if values else ""))
             for fmt in formats_for(form)]
    context: dict[str, object] = {"query": query, "values": values, "table": None, "error": None, "twins": twins,
                                  "missing": missing, "form": form.value}
    if missing:
        if values:  # the form was sent without a required field
            context["error"] = WebError(400, "Missing parameter",
                                        f"give a value for: {', '.join(missing)}").error
            return server.page(request, "saved.html", context, status=400)
        return server.page(request, "saved.html", context)
    try:
        table = await server.run(TableTask(None, name, tuple(sorted(values.items())), settings.base,
                                           settings.limits.page_rows, settings.queries_folder))
    except WebError as error:
        if error.error.status >= 500 and error.error.status != 503:
            raise
        context["error"] = error.error
        return server.page(request, "saved.html", context, status=error.error.status)
    context["table"] = results(server, table)
    return server.page(request, "saved.html", context)


ROUTES = [
    Route("/queries", catalogue, methods=["GET"], name="queries"),
    Route("/queries.json", catalogue_json, methods=["GET"]),
    Route("/queries/{name}", saved_query, methods=["GET"], name="saved_query"),
]

__all__ = ["ROUTES", "catalogue", "catalogue_json", "saved_query"]

