"""Helpers shared by the web tests: the shipped graph loaded once per session, apps, and live servers.

Fixtures themselves live in each test module (module-scoped: one app, one server per module); what they
share is here, so that the shipped data is built once for the whole session however many modules use it.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import uvicorn
from starlette.testclient import TestClient

from atfgraph.store import Store
from atfgraph.web import GraphSource, Limits, Settings, create_app, load_source
from atfgraph.web.app import App
from tests.conftest import DATA

ROOT = DATA.parent
ATTF = "https://w3id.org/atfgraph/id/organisation/attf"
STARTUP_SECONDS = 15.0

EVIL_LABEL = "<script>alert(1)</script>"
EVIL_TTL = """
@prefix atf: <https://w3id.org/atfgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/atfgraph/id/organisation/evil> a atf:Organisation ;
    rdfs:label "<script>alert(1)</script>" ;
    atf:shortName "\\"><img src=x onerror=alert(4)>" ;
    atf:description "</script><script>window.pwned = 1</script>" ;
    atf:partOf <https://w3id.org/atfgraph/id/organisation/other> ;
    atf:source <https://w3id.org/atfgraph/id/source/evil-source> .
<https://w3id.org/atfgraph/id/organisation/other> a atf:Organisation ;
    rdfs:label "Other <b>bold</b> & co" .
<https://w3id.org/atfgraph/id/source/evil-source> a atf:Source ;
    rdfs:label "<img src=x onerror=alert(2)>" ;
    atf:url "javascript:alert(3)"^^xsd:anyURI .
"""
"""A graph whose labels and values are HTML and script: every page must show them as text."""


@cache
def shipped_store() -> Store:
    """The shipped data, built once per test session (in memory, rdflib)."""
    store = load_source(data=DATA).store
    assert store is not None
    return store


def shipped_source() -> GraphSource:
    """The shipped data as a graph source for an app."""
    return GraphSource(store=shipped_store(), description="the shipped data")


def make_app(source: GraphSource | None = None, limits: Limits | None = None, **settings: Any) -> App:
    """An app (its worker pool forked now) over ``source``, the shipped data by default."""
    return create_app(source if source is not None else shipped_source(),
                      Settings(limits=limits if limits is not None else Limits(), **settings))


@contextmanager
def client_for(app: App) -> Iterator[TestClient]:
    """An in-process client with the app's lifespan running (which opens and finally closes the pool)."""
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@contextmanager
def live_server(app: App) -> Iterator[str]:
    """The app served by uvicorn in a thread on a free loopback port; yields its base URL."""
    # IPPROTO_TCP named, not left 0: asyncio sets TCP_NODELAY only on sockets that say they are TCP, and
    # without it every response waits ~40 ms for a delayed ACK.
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, http="h11", log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_SECONDS
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=STARTUP_SECONDS)
        listener.close()


def evil_graph(folder: Path) -> Path:
    """Write :data:`EVIL_TTL` to a Turtle file in ``folder``."""
    path = folder / "evil.ttl"
    path.write_text(EVIL_TTL, encoding="utf-8")
    return path


def assert_error(response: Any, status: int) -> dict[str, Any]:
    """Check the one error shape (and the status), and that no stack trace leaked; return the error."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    document = json.loads(response.text)
    assert set(document) == {"error"}
    error = document["error"]
    assert set(error) == {"status", "title", "detail"}
    assert error["status"] == status
    assert isinstance(error["title"], str) and error["title"]
    assert isinstance(error["detail"], str) and error["detail"]
    assert "Traceback" not in response.text
    return dict(error)


class Listener:
    """A TCP server on 127.0.0.1 that counts the connections it accepts (a SERVICE target that must stay idle)."""

    def __init__(self) -> None:
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.socket.settimeout(0.1)
        self.port: int = self.socket.getsockname()[1]
        self.accepted = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        """The listener's address as an HTTP URL."""
        return f"http://127.0.0.1:{self.port}/sparql"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.socket.accept()
            except (TimeoutError, OSError):
                continue
            self.accepted += 1
            connection.close()

    def close(self) -> None:
        """Stop listening."""
        self._stop.set()
        self._thread.join(timeout=5)
        self.socket.close()
