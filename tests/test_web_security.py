"""What the endpoint refuses and what it never does: write, call out, run forever, leak, trust markup.

The time-limit test runs a real server (uvicorn on a free loopback port) and two clients at once: an
expensive cross product that must be stopped at the limit with a 503, and a short query that must be
answered meanwhile by the other worker.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from starlette.testclient import TestClient

from atfgraph.errors import UsageError
from atfgraph.store import MemoryStore, QueryResult
from atfgraph.web import GraphSource, Limits, load_source
from atfgraph.web.app import App
from atfgraph.web.middleware import CONTENT_SECURITY_POLICY
from tests.web_fixtures import EVIL_LABEL, Listener, assert_error, client_for, evil_graph, live_server, make_app

CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
SHORT = "ASK { ?s a atf:Organisation }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
TIME_LIMIT = 1.5
ORIGIN = "https://analyst.example"


class BrokenStore(MemoryStore):
    """A store whose every query fails as an engine bug would, with a message that must not reach clients."""

    def query(self, sparql: str, bindings: Any = None) -> QueryResult:
        raise RuntimeError("secret-internal-detail in /srv/atfgraph/store.py")


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    """A SPARQL endpoint stand-in on loopback that must never be called."""
    server = Listener()
    yield server
    server.close()


@pytest.fixture(scope="module")
def apps(tmp_path_factory: pytest.TempPathFactory) -> dict[str, App]:
    """Every app of the module, made before any client or server starts a thread."""
    evil = evil_graph(tmp_path_factory.mktemp("evil"))
    return {
        "default": make_app(),
        "tight": make_app(limits=Limits(timeout=TIME_LIMIT, max_request_bytes=2_000, workers=2)),
        "timed": make_app(limits=Limits(timeout=TIME_LIMIT, workers=2)),
        "cors": make_app(cors_origins=(ORIGIN,)),
        "broken": make_app(GraphSource(store=BrokenStore())),
        "evil": make_app(load_source(graph=evil)),
    }


@pytest.fixture(scope="module")
def client(apps: dict[str, App]) -> Iterator[TestClient]:
    with client_for(apps["default"]) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def tight(apps: dict[str, App]) -> Iterator[TestClient]:
    with client_for(apps["tight"]) as test_client:
        yield test_client


def triple_count(client: TestClient) -> int:
    document = json.loads(client.get("/sparql", params={"query": COUNT}).text)
    return int(document["results"]["bindings"][0]["n"]["value"])


# --- read-only


@pytest.mark.parametrize("update", [
    "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "CLEAR ALL",
    "DROP ALL",
    "PREFIX ex: <http://example.org/>\ndelete { ?s ?p ?o } insert { ?s ex:p 1 } where { ?s ?p ?o }",
])
def test_update_is_refused_however_it_is_sent(client: TestClient, update: str) -> None:
    before = triple_count(client)
    assert_error(client.get("/sparql", params={"query": update}), 403)
    assert_error(client.get("/sparql", params={"update": update}), 403)
    assert_error(client.post("/sparql", data={"update": update}), 403)
    assert_error(client.post("/sparql", content=update, headers={"Content-Type": "application/sparql-update"}), 403)
    assert_error(client.post("/sparql", content=update, headers={"Content-Type": "application/sparql-query"}), 403)
    assert triple_count(client) == before


def test_load_is_refused_without_a_connection(client: TestClient, listener: Listener) -> None:
    assert_error(client.post("/sparql", data={"update": f"LOAD <{listener.url}>"}), 403)
    assert_error(client.get("/sparql", params={"query": f"LOAD <{listener.url}>"}), 403)
    time.sleep(0.2)
    assert listener.accepted == 0


def test_no_route_changes_the_graph(client: TestClient) -> None:
    before = triple_count(client)
    for path in ("/", "/sparql", "/queries/timeline", "/id/organisation/attf", "/query", "/search"):
        for method in ("PUT", "DELETE", "PATCH"):
            assert_error(client.request(method, path, content=b"<a> <b> <c> ."), 405)
    assert_error(client.post("/id/organisation/attf", content=b"<a> <b> <c> .",
                             headers={"Content-Type": "text/turtle"}), 405)
    assert triple_count(client) == before


# --- no outbound calls


def service_queries(url: str) -> list[str]:
    return [
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ {{ SELECT ?s WHERE {{ sErViCe   SILENT\n\t<{url}>\n{{ ?s ?p ?o }} }} }} }}",
        f"ASK {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ VALUES ?endpoint {{ <{url}> }} SERVICE ?endpoint {{ ?s ?p ?o }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    ]


def test_service_is_refused_before_any_connection(client: TestClient, listener: Listener) -> None:
    for query in service_queries(listener.url):
        error = assert_error(client.get("/sparql", params={"query": query}), 403)
        assert "SERVICE" in error["title"]
        assert_error(client.post("/sparql", data={"query": query}), 403)
    time.sleep(0.2)  # a connection, had one been made, would have been accepted by now
    assert listener.accepted == 0


def test_service_in_a_comment_or_a_string_is_not_a_service(client: TestClient, listener: Listener) -> None:
    commented = f"# SERVICE <{listener.url}> {{ ?s ?p ?o }}\nSELECT ?s WHERE {{ ?s a atf:Country }} LIMIT 1"
    assert client.get("/sparql", params={"query": commented}).status_code == 200
    quoted = f'SELECT ?s WHERE {{ ?s rdfs:label "SERVICE <{listener.url}> {{ }}" }}'
    assert client.get("/sparql", params={"query": quoted}).status_code == 200
    time.sleep(0.2)
    assert listener.accepted == 0


def test_from_is_refused_before_any_connection(client: TestClient, listener: Listener) -> None:
    for query in (f"SELECT * FROM <{listener.url}> WHERE {{ ?s ?p ?o }}",
                  f"SELECT * FROM NAMED <{listener.url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"):
        assert_error(client.get("/sparql", params={"query": query}), 400)
    time.sleep(0.2)
    assert listener.accepted == 0


# --- size limits


def test_oversized_bodies_are_refused(tight: TestClient) -> None:
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 3_000
    assert_error(tight.post("/sparql", data={"query": big}), 413)
    assert_error(tight.post("/sparql", content=big, headers={"Content-Type": "application/sparql-query"}), 413)

    def chunks() -> Iterator[bytes]:  # no Content-Length: the size is known only while reading
        for _ in range(10):
            yield b"x" * 500

    response = tight.post("/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"})
    assert_error(response, 413)


def test_oversized_query_strings_are_refused(tight: TestClient) -> None:
    assert_error(tight.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } #" + "x" * 3_000}), 414)
    assert tight.get("/sparql", params={"query": SHORT}).status_code == 200


# --- the time limit, with two clients at once


def test_an_expensive_query_is_stopped_while_a_short_one_is_answered(apps: dict[str, App]) -> None:
    app = apps["timed"]
    pool = app.state.server.pool
    with live_server(app) as url:
        results: dict[str, Any] = {}

        def ask(name: str, query: str) -> None:
            started = time.monotonic()
            with httpx2.Client(timeout=30) as http:
                response = http.get(f"{url}/sparql", params={"query": query})
            results[name] = (response, time.monotonic() - started)

        slow_workers = set(pool.pids)
        slow = threading.Thread(target=ask, args=("slow", CROSS_PRODUCT))
        slow.start()
        time.sleep(0.3)  # the expensive query holds one worker now
        short = threading.Thread(target=ask, args=("short", SHORT))
        short.start()
        short.join(timeout=20)
        slow.join(timeout=20)
        response, elapsed = results["short"]
        assert response.status_code == 200 and json.loads(response.text)["boolean"] is True
        assert elapsed < 1.0  # answered well before the slow query's limit, by the other worker
        response, elapsed = results["slow"]
        error = assert_error(response, 503)
        assert "time limit" in error["title"].lower()
        assert TIME_LIMIT <= elapsed < TIME_LIMIT + 3
        # The worker that ran it was killed and replaced: the query is not running on in the background.
        gone = slow_workers - set(pool.pids)
        assert len(gone) == 1 and pool.killed >= 1
        (killed,) = gone
        time.sleep(0.2)
        with pytest.raises(ProcessLookupError):
            os.kill(killed, 0)
        assert len(pool.pids) == 2
        with httpx2.Client(timeout=30) as http:
            assert http.get(f"{url}/sparql", params={"query": SHORT}).status_code == 200


def test_a_worker_that_dies_is_replaced(tight: TestClient, apps: dict[str, App]) -> None:
    pool = apps["tight"].state.server.pool
    for pid in pool.pids:
        os.kill(pid, 9)
    time.sleep(0.2)
    statuses = []
    for _ in range(4):
        response = tight.get("/sparql", params={"query": SHORT})
        if response.status_code != 200:
            assert_error(response, 500)
        statuses.append(response.status_code)
    assert statuses[-1] == 200 and statuses.count(500) <= 2
    assert len(pool.pids) == 2


# --- markup in the data stays text


def test_labels_with_markup_are_shown_as_text(apps: dict[str, App]) -> None:
    with client_for(apps["evil"]) as client:
        pages = {
            "entity": client.get("/id/organisation/evil"),
            "neighbour": client.get("/id/organisation/other"),
            "source": client.get("/id/source/evil-source"),
            "search": client.get("/search", params={"q": "script"}),
            "results": client.get("/query", params={"query": "SELECT ?s ?label WHERE { ?s rdfs:label ?label }"}),
            "construct": client.get("/query", params={"query": "CONSTRUCT WHERE { ?s atf:partOf ?o }"}),
        }
        for name, response in pages.items():
            assert response.status_code == 200, name
            html = response.text
            assert EVIL_LABEL not in html, name
            assert "<img src=x" not in html and "<b>bold</b>" not in html, name
            assert "</script><script>window.pwned" not in html, name
            assert "javascript:" not in html.lower().replace("javascript:alert(3)</span>", ""), name
        for name in ("entity", "search", "results"):
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[name].text, name
        assert 'href="javascript' not in pages["source"].text.lower()
        assert "\\u003cscript\\u003e" in pages["construct"].text  # in the drawing's JSON data block


# --- CORS, headers, errors


def test_cors_is_off_by_default(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": SHORT}, headers={"Origin": ORIGIN})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers
    preflight = client.options("/sparql", headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in preflight.headers


def test_cors_for_the_configured_origin_only(apps: dict[str, App]) -> None:
    with client_for(apps["cors"]) as client:
        response = client.get("/sparql", params={"query": SHORT}, headers={"Origin": ORIGIN})
        assert response.headers["access-control-allow-origin"] == ORIGIN
        assert "x-atfgraph-truncated" in response.headers["access-control-expose-headers"].lower()
        preflight = client.options("/sparql", headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST",
                                                       "Access-Control-Request-Headers": "content-type"})
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == ORIGIN
        other = client.get("/sparql", params={"query": SHORT}, headers={"Origin": "https://elsewhere.example"})
        assert "access-control-allow-origin" not in other.headers


def test_security_headers_on_every_kind_of_answer(client: TestClient) -> None:
    for response in (client.get("/"), client.get("/sparql", params={"query": SHORT}), client.get("/nope"),
                     client.get("/static/app.css"), client.get("/id/organisation/attf"),
                     client.get("/sparql", params={"query": "SELECT"})):
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
    assert "default-src 'self'" in CONTENT_SECURITY_POLICY and "unsafe-inline" not in CONTENT_SECURITY_POLICY


def test_internal_errors_carry_no_stack_trace(apps: dict[str, App]) -> None:
    with client_for(apps["broken"]) as client:
        for response in (client.get("/sparql", params={"query": SHORT}),
                         client.get("/id/organisation/attf", headers={"Accept": "text/turtle"}),
                         client.get("/queries/timeline.json")):
            error = assert_error(response, 500)
            assert "secret" not in response.text and "/srv/" not in response.text
            assert error["title"] == "Internal Server Error"
        page = client.get("/id/organisation/attf", headers={"Accept": "text/html"})
        assert page.status_code == 500 and "Traceback" not in page.text and "secret" not in page.text


def test_an_error_in_the_server_process_carries_no_stack_trace(client: TestClient,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(folder: Path | None = None) -> None:
        raise RuntimeError("secret-parent-detail")

    monkeypatch.setattr("atfgraph.web.pages.list_saved", explode)
    response = client.get("/")
    assert_error(response, 500)
    assert "secret" not in response.text


def test_errors_never_show_a_traceback(client: TestClient, tight: TestClient) -> None:
    responses = [
        client.get("/sparql", params={"query": "SELECT * WHERE {"}),
        client.get("/sparql", params={"query": "SELECT * WHERE { ?s nope:p ?o }"}),
        client.get("/sparql", params={"query": SHORT}, headers={"Accept": "image/png"}),
        client.get("/id/organisation/nobody"),
        client.get("/id/organisation/x%3E%20%7B%20?s%20?p%20?o%20%7D"),
        client.get("/resource"),
        client.get("/queries/..%2F..%2Fpyproject"),
        client.get("/queries/timeline.json", params={"from": "not a date"}),
        client.post("/sparql", content=b"\xff\xfe", headers={"Content-Type": "application/sparql-query"}),
        tight.post("/sparql", data={"query": "x" * 5_000}),
    ]
    for response in responses:
        assert 400 <= response.status_code < 500, response.text
        assert_error(response, response.status_code)
        html = client.get(str(response.request.url).replace("http://testserver", ""),
                          headers={"Accept": "text/html"}) if response.request.method == "GET" else None
        if html is not None and html.status_code >= 400:
            assert "Traceback" not in html.text


def test_limits_are_checked() -> None:
    for bad in ({"timeout": 0.0}, {"max_rows": 0}, {"max_request_bytes": 0}, {"workers": 0}, {"queue_timeout": -1.0}):
        with pytest.raises(UsageError):
            Limits(**bad)
