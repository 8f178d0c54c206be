"""``atfgraph load`` end to end: the shipped build into a real Oxigraph server, twice; refusals; credentials."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result

from atfgraph.cli import main
from atfgraph.pipeline import build
from tests.conftest import DATA
from tests.endpoints import (
    Answer,
    OxigraphServer,
    always,
    canonical_nquads,
    closed_port,
    scripted_server,
)

EXTRA_EVENT = """
- kind: event
  id: extra-test-meeting
  title: A meeting that only the first build has
  type: meeting
  date: "2012-03-04"
  series: attf
  topics: [counter-terrorism]
  sources: [selec-attf-page]
"""


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped data built into a fresh folder; returns the build folder."""
    out = tmp_path_factory.mktemp("shipped") / "out"
    assert build(DATA, out).report.conforms
    return out


def load(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner(env=env).invoke(main, ["load", *args])


def test_the_shipped_build_arrives_exactly_and_twice_is_once(shipped: Path, empty: OxigraphServer) -> None:
    expected = canonical_nquads((shipped / "graph.nq").read_bytes())
    first = load("--endpoint", empty.store, "--from", str(shipped))
    assert first.exit_code == 0, first.output + first.stderr
    assert empty.nquads() == expected
    # one graph per input file, the topic scheme, the places and countries references, and the default graph
    quads = ox.parse((shipped / "graph.nq").read_bytes(), format=ox.RdfFormat.N_QUADS)
    graphs = len({quad.graph_name for quad in quads})
    assert f"loaded {len(expected)} triples into {graphs} graph(s)" in first.stdout
    assert "https://w3id.org/atfgraph/id/graph/events/attacks.yaml" in first.stdout
    again = load("--endpoint", empty.store, "--from", str(shipped / "graph.nq"), "--chunk-size", "100")
    assert again.exit_code == 0, again.output + again.stderr
    assert empty.nquads() == expected
    assert "loading graph.nq" in again.stderr  # the progress bar's label, on stderr


def test_replace_removes_the_graph_of_a_deleted_file(tmp_path: Path, empty: OxigraphServer) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    extra = data / "events" / "extra.yaml"
    extra.write_text(textwrap.dedent(EXTRA_EVENT).lstrip(), encoding="utf-8")
    assert build(data, tmp_path / "before").report.conforms
    extra.unlink()
    assert build(data, tmp_path / "after").report.conforms
    extra_graph = "https://w3id.org/atfgraph/id/graph/events/extra.yaml"

    assert load("--endpoint", empty.store, "--from", str(tmp_path / "before")).exit_code == 0
    kept = load("--endpoint", empty.store, "--from", str(tmp_path / "after"))
    assert kept.exit_code == 0 and f"no longer in the build: {extra_graph}; --replace deletes them" in kept.stderr
    assert any(extra_graph in line for line in empty.nquads())
    replaced = load("--endpoint", empty.store, "--from", str(tmp_path / "after"), "--replace")
    assert replaced.exit_code == 0, replaced.output + replaced.stderr
    assert f"deleted {extra_graph} (no longer in the build)" in replaced.stdout
    assert empty.nquads() == canonical_nquads((tmp_path / "after" / "graph.nq").read_bytes())


def test_one_target_graph_takes_the_whole_build(shipped: Path, empty: OxigraphServer) -> None:
    result = load("--endpoint", empty.store, "--from", str(shipped), "--graph", "http://example.org/atf")
    assert result.exit_code == 0, result.output + result.stderr
    on_server = empty.quads()
    assert {quad.graph_name for quad in on_server} == {ox.NamedNode("http://example.org/atf")}
    built = ox.parse(path=str(shipped / "graph.nq"), format=ox.RdfFormat.N_QUADS)
    assert {quad.triple for quad in on_server} == {quad.triple for quad in built}


@pytest.mark.parametrize(("status", "message"), [
    (401, "authentication required"), (403, "read-only"), (404, "no such service"), (405, "PUT not allowed"),
    (413, "too large"), (415, "unsupported media type"),
])
def test_a_refusal_exits_1_with_status_and_message(shipped: Path, status: int, message: str) -> None:
    with scripted_server(always(Answer(status, message.encode()))) as server:
        result = load("--endpoint", f"{server.base}/store", "--from", str(shipped))
    assert result.exit_code == 1
    assert f"HTTP {status}" in result.stderr and message in result.stderr and server.base in result.stderr
    sent = [(request.method, request.path) for request in server.requests]
    assert len(sent) == len(set(sent))  # no retry after a 4xx (a 404 on reading ?default first means "empty")


def test_a_server_error_is_retried_then_exits_1(shipped: Path) -> None:
    with scripted_server(always(Answer(500, b"internal trouble"))) as server:
        result = load("--endpoint", f"{server.base}/store", "--from", str(shipped), "--retries", "1")
    assert result.exit_code == 1
    assert "HTTP 500" in result.stderr and "internal trouble" in result.stderr and "after 2 tries" in result.stderr
    assert "trying again in 0.5 s" in result.stderr
    assert len(server.requests) == 2


def test_connection_refused_exits_1(shipped: Path) -> None:
    with closed_port() as url:
        result = load("--endpoint", f"{url}store", "--from", str(shipped), "--retries", "0")
    assert result.exit_code == 1
    assert "connection refused" in result.stderr and f"{url}store" in result.stderr


def test_credentials_are_sent(shipped: Path) -> None:
    with scripted_server(always(Answer(204))) as server:
        basic = load("--endpoint", f"{server.base}/store", "--from", str(shipped), "--user", "analyst",
                     "--password", "pw")
        token = load("--endpoint", f"{server.base}/store", "--from", str(shipped), "--token-env", "ATF_TOKEN",
                     env={"ATF_TOKEN": "t0ken"})
    assert basic.exit_code == 0 and token.exit_code == 0, basic.stderr + token.stderr
    headers = {request.headers.get("authorization") for request in server.requests}
    assert headers == {"Basic YW5hbHlzdDpwdw==", "Bearer t0ken"}


def test_the_password_is_asked_for_when_not_given(shipped: Path) -> None:
    with scripted_server(always(Answer(204))) as server:
        result = CliRunner().invoke(main, ["load", "--endpoint", f"{server.base}/store", "--from", str(shipped),
                                           "--user", "analyst"], input="pw\n")
    assert result.exit_code == 0, result.stderr
    assert "pw" not in result.stdout + result.stderr.replace("password", "")
    assert {request.headers.get("authorization") for request in server.requests} == {"Basic YW5hbHlzdDpwdw=="}


@pytest.mark.parametrize(("args", "message"), [
    (["--token-env", "ATFGRAPH_NO_SUCH_VARIABLE"], "ATFGRAPH_NO_SUCH_VARIABLE is not set or empty"),
    (["--token-env", "X", "--user", "u", "--password", "p"], "not both"),
    (["--graph", "no iri"], "--graph"),
    (["--chunk-size", "0"], "--chunk-size"),
])
def test_usage_errors_exit_2_and_send_nothing(shipped: Path, args: list[str], message: str) -> None:
    with scripted_server(always(Answer(204))) as server:
        result = load("--endpoint", f"{server.base}/store", "--from", str(shipped), *args)
    assert result.exit_code == 2 and message in result.stderr
    assert server.requests == []


def test_missing_or_malformed_input_exits_2(tmp_path: Path) -> None:
    with scripted_server(always(Answer(204))) as server:
        missing = load("--endpoint", f"{server.base}/store", "--from", str(tmp_path))
        bad = tmp_path / "bad.nq"
        bad.write_text("<http://ex/s> <http://ex/p> broken .\n", encoding="utf-8")
        malformed = load("--endpoint", f"{server.base}/store", "--from", str(bad))
        bad_url = load("--endpoint", "localhost:7878/store", "--from", str(bad))
    assert missing.exit_code == 2 and "no graph.nq in" in missing.stderr
    assert malformed.exit_code == 2 and "bad.nq:1: not an N-Quads statement" in malformed.stderr
    assert bad_url.exit_code == 2 and "http:// or https://" in bad_url.stderr
    assert server.requests == []


def test_help_says_what_happens_and_the_exit_codes() -> None:
    result = CliRunner().invoke(main, ["load", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    for words in ("Graph Store Protocol", "PUT", "POST", "--replace", "--token-env", "Exit codes: 0 loaded; 1",
                  "2 a usage error"):
        assert words in text
    assert "load" in CliRunner().invoke(main, ["--help"]).output


def test_query_endpoint_answers_like_the_local_graph(shipped: Path, empty: OxigraphServer) -> None:
    """`atfgraph query --endpoint` gives the same JSON as the same saved query on the local build."""
    assert load("--endpoint", empty.store, "--from", str(shipped)).exit_code == 0
    endpoint, out = empty.query, shipped
    runner = CliRunner()
    for name, params in (("coordination", []), ("events-in-country", ["--param", "country=Turkey"])):
        remote = runner.invoke(main, ["query", name, *params, "--endpoint", endpoint, "--format", "json"])
        local = runner.invoke(main, ["query", name, *params, "--graph", str(out / "graph.nq"), "--format", "json"])
        assert remote.exit_code == 0, remote.output
        assert json.loads(remote.stdout) == json.loads(local.stdout)


def test_query_endpoint_excludes_local_sources(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["query", "coordination", "--endpoint", "http://127.0.0.1:9/query",
                                       "--graph", str(tmp_path / "g.nq")])
    assert result.exit_code == 2
    assert "not several" in result.stderr
