"""The analyst's pages: home with search, the query editor, and a page for every entity.

Each view is a link; the search has ``.json`` and ``.csv`` twins, and an entity page is also its IRI's RDF
(Turtle, JSON-LD, N-Triples, RDF/XML) for a client that asks by ``Accept`` or by ``?format=``.
"""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from atfgraph.queries import list_saved
from atfgraph.store import QueryForm
from atfgraph.web.context import Server, server_of
from atfgraph.web.describe import Description
from atfgraph.web.errors import HTML_TYPE, WebError
from atfgraph.web.formats import GRAPH_FORMATS, SOLUTION_FORMATS, Format, choose
from atfgraph.web.negotiation import best_match
from atfgraph.web.protocol import answer
from atfgraph.web.tasks import EntityGraphTask, EntityTask, Hit, OverviewTask, SearchTask, Table, TableTask
from atfgraph.web.views import Presenter

SEARCH_LIMIT = 100

EXAMPLE = """SELECT ?organisation ?label WHERE {
  ?organisation a atf:Organisation ;
                rdfs:label ?label .
}
ORDER BY ?label"""


async def home(request: Request) -> Response:
    """The home page: search, the saved queries, what the graph holds."""
    server = server_of(request)
    overview = await server.run(OverviewTask())
    saved = list_saved(server.settings.queries_folder)
    return server.page(request, "home.html", {"overview": overview, "saved": saved})


# --- search


async def _search(request: Request) -> tuple[str, tuple[Hit, ...], bool]:
    text = request.query_params.get("q", "")
    if len(text) > 200:
        raise WebError(400, "Search text too long", "search for at most 200 characters")
    hits, more = await server_of(request).run(SearchTask(text, SEARCH_LIMIT))
    return text, hits, more


async def search(request: Request) -> Response:
    """Entities whose labels contain the text, as a list of links."""
    server = server_of(request)
    text, hits, more = await _search(request)
    twins = {suffix: f"/search.{suffix}?{urlencode({'q': text})}" for suffix in ("json", "csv")}
    rows = [(hit, server.links.page(hit.iri)) for hit in hits]
    return server.page(request, "search.html", {"text": text, "rows": rows, "more": more, "twins": twins})


async def search_json(request: Request) -> Response:
    """The search's JSON twin."""
    server = server_of(request)
    text, hits, more = await _search(request)
    document = {"q": text, "truncated": more,
                "results": [{"iri": hit.iri, "label": hit.label, "matched": hit.matched, "kind": hit.kind,
                             "page": server.links.page(hit.iri)} for hit in hits]}
    return Response(json.dumps(document, ensure_ascii=False, indent=2) + "\n", media_type="application/json")


async def search_csv(request: Request) -> Response:
    """The search's CSV twin."""
    _, hits, more = await _search(request)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["iri", "label", "matched", "kind"])
    writer.writerows([hit.iri, hit.label, hit.matched, hit.kind] for hit in hits)
    return Response(buffer.getvalue(), media_type="text/csv",
                    headers={"X-Atfgraph-Truncated": "true" if more else "false"})


# --- the query editor


def downloads(query: str, form: QueryForm) -> list[tuple[str, str]]:
    """Links that download a query's answer from the endpoint in each format that suits it."""
    formats = GRAPH_FORMATS if form in (QueryForm.CONSTRUCT, QueryForm.DESCRIBE) else SOLUTION_FORMATS
    return [(fmt.value, "/sparql?" + urlencode({"query": query, "format": fmt.value})) for fmt in formats]


async def editor(request: Request) -> Response:
    """The query editor; with ``?query=`` it runs the query and shows the answer below it."""
    server = server_of(request)
    saved = list_saved(server.settings.queries_folder)
    query = request.query_params.get("query")
    name = request.query_params.get("name")
    if query is None and name is not None:
        chosen = [item for item in saved if item.name == name]
        query = chosen[0].text if chosen else None
    context: dict[str, object] = {"query": query if query is not None else EXAMPLE, "saved": saved, "table": None,
                                  "error": None, "downloads": []}
    if query is None or name is not None or not query.strip():
        return server.page(request, "editor.html", context)
    settings = server.settings
    try:
        table = await server.run(TableTask(query, None, (), settings.base, settings.limits.page_rows))
    except WebError as error:
        context["error"] = error.error
        return server.page(request, "editor.html", context, status=error.error.status)
    context.update(table=results(server, table), downloads=downloads(query, table.result.form))
    return server.page(request, "editor.html", context)


def results(server: Server, table: Table) -> dict[str, object]:
    """A query's answer as a page shows it: cells with labels and links, the drawing of a graph."""
    presenter = Presenter(server.links, table.labels)
    result = table.result
    graph = result.form in (QueryForm.CONSTRUCT, QueryForm.DESCRIBE)
    variables = ("subject", "predicate", "object") if graph else result.variables
    rows = [presenter.row(triple) for triple in table.triples] if graph else [presenter.row(row) for row in result.rows]
    return {"form": result.form.value, "boolean": result.boolean, "variables": variables, "rows": rows,
            "truncated": table.truncated, "network": presenter.network(table.network)}


# --- entity pages


_PAGE_OFFERS = (HTML_TYPE, "application/xhtml+xml", *(media for fmt in GRAPH_FORMATS for media in fmt.accepted))


async def entity(request: Request) -> Response:
    """The page of an entity under the base IRI (``/id/organisation/attf``)."""
    server = server_of(request)
    return await _resource(request, server.links.iri(request.path_params["rest"]))


async def resource(request: Request) -> Response:
    """The page of any IRI in the graph (``/resource?iri=…``)."""
    iri = request.query_params.get("iri", "").strip()
    if not iri:
        raise WebError(400, "Missing IRI", "give the IRI to describe: /resource?iri=…")
    return await _resource(request, iri)


def _not_found(iri: str) -> WebError:
    return WebError(404, "Not Found", f"the graph says nothing about <{iri}>")


async def _resource(request: Request, iri: str) -> Response:
    server = server_of(request)
    name = request.query_params.get("format")
    if name is not None:
        fmt: Format | None = choose(QueryForm.CONSTRUCT, None, name)
    else:
        media = best_match(request.headers.get("accept"), _PAGE_OFFERS)
        if media is None:
            types = ", ".join((HTML_TYPE, *(fmt.media_type for fmt in GRAPH_FORMATS)))
            raise WebError(406, "Not Acceptable", f"an entity can be sent as: {types}")
        fmt = None if media in (HTML_TYPE, "application/xhtml+xml") else choose(QueryForm.CONSTRUCT, media)
    if fmt is not None:
        body = await server.run(EntityGraphTask(iri, fmt, server.settings.base))
        if body is None:
            raise _not_found(iri)
        return answer(body)
    found: Description | None = await server.run(EntityTask(iri))
    if found is None:
        raise _not_found(iri)
    page = Presenter(server.links, found.labels).entity(found)
    self_link = server.links.page(iri)
    joiner = "&" if "?" in self_link else "?"
    twins = [(fmt.value, f"{self_link}{joiner}format={fmt.value}") for fmt in GRAPH_FORMATS]
    response = server.page(request, "entity.html", {"page": page, "twins": twins})
    response.headers["Vary"] = "Accept"  # the same address gives RDF to clients that ask for it
    return response


def routes() -> list[Route]:
    """The page routes, entity pages apart (see :func:`entity_routes`)."""
    return [
        Route("/", home, methods=["GET"], name="home"),
        Route("/search", search, methods=["GET"], name="search"),
        Route("/search.json", search_json, methods=["GET"]),
        Route("/search.csv", search_csv, methods=["GET"]),
        Route("/query", editor, methods=["GET"], name="editor"),
        Route("/resource", resource, methods=["GET"], name="resource"),
    ]


def entity_routes(entity_route: str) -> list[Route]:
    """The route of entity pages; put it last, since with a base IRI at a site's root it matches any path."""
    return [Route(entity_route, entity, methods=["GET"], name="entity")]


__all__ = ["EXAMPLE", "SEARCH_LIMIT", "downloads", "editor", "entity", "entity_routes", "home", "resource",
           "results", "routes", "search"]
