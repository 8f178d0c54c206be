"""A real SPARQL client against a real server: SPARQLWrapper over HTTP to uvicorn on a free loopback port.

Its answers must equal what ``atfgraph query`` prints (``--format json``, or ``ttl`` for CONSTRUCT) for the
same graph: the saved queries without parameters sent as text, the parameterised ones through their
``/queries/NAME.json`` twin, and ad-hoc SELECT, ASK and CONSTRUCT queries by GET and by POST.
"""

from __future__ import annotations

import json
import select
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from SPARQLWrapper import CSV, JSON, POST, POSTDIRECTLY, TURTLE, XML, SPARQLWrapper

from atfgraph.cli import main
from atfgraph.export import nquads
from atfgraph.queries import find
from tests.web_fixtures import live_server, make_app, shipped_store

SELECT = """SELECT ?event ?label ?earliest WHERE {
  ?event a atf:Event ; rdfs:label ?label ; atf:date/atf:earliest ?earliest .
} ORDER BY ?earliest ?event"""
ASK = "ASK { ?event atf:place/atf:country <https://w3id.org/atfgraph/id/country/TR> }"
CONSTRUCT = "CONSTRUCT { ?org atf:partOf ?parent . ?org rdfs:label ?label } " \
            "WHERE { ?org atf:partOf ?parent ; rdfs:label ?label }"
PLAIN_SAVED = ("coordination", "documents", "uncertain-dates")
WITH_PARAMETERS = (("events-in-country", {"country": "Turkey"}), ("provenance", {"entity": "attf"}))
_ANSWERS: dict[tuple[str, ...], str] = {}


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The served graph written out as N-Quads, for the CLI to read: both sides answer from the same triples."""
    path = tmp_path_factory.mktemp("graph") / "graph.nq"
    path.write_text(nquads(shipped_store()), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    app = make_app()
    with live_server(app) as url:
        yield f"{url}/sparql"


def cli(graph_file: Path, *arguments: str) -> str:
    """What ``atfgraph query … --graph FILE`` prints (each command line run once per module)."""
    if arguments in _ANSWERS:
        return _ANSWERS[arguments]
    result = CliRunner().invoke(main, ["query", *arguments, "--graph", str(graph_file)], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    _ANSWERS[arguments] = result.stdout_bytes.decode("utf-8")  # .stdout would turn the CSV's CRLF into LF
    return _ANSWERS[arguments]


def wrapper(endpoint: str, query: str, fmt: str = JSON, method: str | None = None) -> SPARQLWrapper:
    client = SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setTimeout(30)
    if method is not None:
        client.setMethod(POST)
        client.setRequestMethod(method)
    return client


def solutions(document: dict[str, Any], ordered: bool) -> tuple[list[str], list[str]]:
    """Variables and rows of a JSON answer (rows sorted unless the query orders them); extensions left out."""
    rows = [json.dumps(row, sort_keys=True, ensure_ascii=False) for row in document["results"]["bindings"]]
    return list(document["head"]["vars"]), rows if ordered else sorted(rows)


def test_saved_queries_equal_the_cli(endpoint: str, graph_file: Path) -> None:
    for name in PLAIN_SAVED:
        query = find(name)
        answer = wrapper(endpoint, query.text).queryAndConvert()
        assert isinstance(answer, dict)
        expected = json.loads(cli(graph_file, name, "--format", "json"))
        ordered = "ORDER BY" in query.text.upper()
        assert solutions(answer, ordered) == solutions(expected, ordered), name
        assert answer["results"]["bindings"], name


def test_saved_queries_with_parameters_equal_the_cli(endpoint: str, graph_file: Path) -> None:
    base = endpoint.removesuffix("/sparql")
    with httpx2.Client(timeout=30) as http:
        for name, values in WITH_PARAMETERS:
            answer = json.loads(http.get(f"{base}/queries/{name}.json", params=values).text)
            options = [item for key, value in values.items() for item in ("-p", f"{key}={value}")]
            expected = json.loads(cli(graph_file, name, *options, "--format", "json"))
            assert solutions(answer, True) == solutions(expected, True), name
            assert answer["results"]["bindings"], name


def test_select_by_get_and_by_post(endpoint: str, graph_file: Path) -> None:
    expected = solutions(json.loads(cli(graph_file, "--sparql", SELECT, "--format", "json")), True)
    for method in (None, "urlencoded", POSTDIRECTLY):
        answer = wrapper(endpoint, SELECT, method=method).queryAndConvert()
        assert isinstance(answer, dict)
        assert solutions(answer, True) == expected, method


def test_select_as_xml_and_csv(endpoint: str, graph_file: Path) -> None:
    expected = json.loads(cli(graph_file, "--sparql", SELECT, "--format", "json"))
    document = wrapper(endpoint, SELECT, XML).queryAndConvert()  # a DOM document
    results = document.getElementsByTagName("result")  # type: ignore[union-attr]
    assert len(results) == len(expected["results"]["bindings"])
    table = wrapper(endpoint, SELECT, CSV).queryAndConvert()
    assert isinstance(table, bytes)
    assert table.decode("utf-8") == cli(graph_file, "--sparql", SELECT, "--format", "csv")


def test_ask(endpoint: str, graph_file: Path) -> None:
    answer = wrapper(endpoint, ASK).queryAndConvert()
    expected = json.loads(cli(graph_file, "--sparql", ASK, "--format", "json"))
    assert isinstance(answer, dict)
    assert answer["boolean"] is expected["boolean"] is True


def test_construct(endpoint: str, graph_file: Path) -> None:
    answer = wrapper(endpoint, CONSTRUCT, TURTLE).queryAndConvert()
    assert isinstance(answer, bytes)
    expected = cli(graph_file, "--sparql", CONSTRUCT, "--format", "ttl")

    def triples(data: bytes) -> set[ox.Triple]:
        return {quad.triple for quad in ox.parse(data, format=ox.RdfFormat.TURTLE)}

    assert triples(answer) == triples(expected.encode("utf-8"))
    assert triples(answer)


def test_errors_reach_the_client_as_the_parsers_message(endpoint: str) -> None:
    with httpx2.Client(timeout=30) as http:
        response = http.get(endpoint, params={"query": "SELECT * WHERE { ?s ?p "})
    assert response.status_code == 400
    assert "line 1" in json.loads(response.text)["error"]["detail"]


# --- the command


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_prints_its_url_answers_and_stops_on_ctrl_c(graph_file: Path) -> None:
    port = free_port()
    command = [sys.executable, "-m", "atfgraph", "serve", "--graph", str(graph_file), "--port", str(port),
               "--workers", "1", "--timeout", "5"]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert server.stdout is not None
    try:
        ready, _, _ = select.select([server.stdout], [], [], 30)
        assert ready, "atfgraph serve printed nothing"
        line = server.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in line and "sparql" in line
        deadline = time.monotonic() + 30
        with httpx2.Client(timeout=10) as http:
            while True:
                try:
                    response = http.get(f"http://127.0.0.1:{port}/sparql", params={"query": ASK})
                    break
                except httpx2.TransportError:
                    assert time.monotonic() < deadline, "atfgraph serve did not start listening"
                    time.sleep(0.1)
        assert response.status_code == 200 and json.loads(response.text)["boolean"] is True
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=20)
        server.stdout.close()
    assert server.returncode == 0


def test_serve_usage_errors_exit_with_2(tmp_path: Path) -> None:
    for arguments in (["--timeout", "0"], ["--store", f"oxigraph:{tmp_path / 'missing'}"], ["--workers", "0"],
                      ["--graph", str(tmp_path / "missing.ttl")]):
        result = CliRunner().invoke(main, ["serve", *arguments])
        assert result.exit_code == 2, (arguments, result.output)
