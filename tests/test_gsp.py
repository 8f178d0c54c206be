"""The Graph Store Protocol client: reading builds, chunks, PUT then POST, retries, refusals, --replace."""

from __future__ import annotations

import urllib.parse
from pathlib import Path

import pyoxigraph as ox
import pytest

from atfgraph.errors import UsageError
from atfgraph.gsp import DEFAULT_TARGET, GraphStore, Targets, build_file, graph_url, load_file, read_lines
from atfgraph.remote import MESSAGE_LIMIT, Auth, EndpointError, HttpClient, Retry
from tests.endpoints import (
    Answer,
    OxigraphServer,
    Recorded,
    always,
    canonical_nquads,
    closed_port,
    in_turn,
    scripted_server,
)

TRICKY = r"""# a comment, then an empty line

<http://ex/s> <http://ex/p> "a literal with > <http://ex/fake> . inside" <http://ex/g1> .
<http://ex/s> <http://ex/p> "quote \" backslash \\ newline \n"@en-GB <http://ex/g1> .
<http://ex/s> <http://ex/p> "42"^^<http://www.w3.org/2001/XMLSchema#integer> <http://ex/g2> .
<http://ex/s> <http://ex/p> <http://ex/o> . # default graph, trailing comment
<http://ex/s> <http://ex/p> "caf\u00e9 ünïcode" <http://ex/g2>.
	<http://ex/s>	<http://ex/p>	"tabs"	<http://ex/g2>	.
<http://ex/s> <http://ex/p> <http://ex/o?a=1&b=%20> <http://ex/g?x=1&y=2> .
"""

NO_SLEEP = Retry(retries=2, backoff=0.0)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


NO_AUTH = Auth()


def client(sleeps: list[float] | None = None, retry: Retry = NO_SLEEP, auth: Auth = NO_AUTH) -> HttpClient:
    """A client with short timeouts that records its waits instead of sleeping."""
    return HttpClient(auth=auth, timeout=5, retry=retry, sleep=sleeps.append if sleeps is not None else _no_sleep)


def _no_sleep(_: float) -> None:
    pass


def quad_lines(count: int, graph: str = "http://ex/g") -> str:
    return "".join(f"<http://ex/s{index}> <http://ex/p> \"{index}\" <{graph}> .\n" for index in range(count))


def target(request: Recorded) -> str:
    """The graph a Graph Store request is about: its IRI, or "" for ?default."""
    query = urllib.parse.urlsplit(request.path).query
    if query == "default":
        return DEFAULT_TARGET
    return urllib.parse.parse_qs(query)["graph"][0]


# --- reading


def test_n_quads_are_read_as_written(tmp_path: Path) -> None:
    path = write(tmp_path, "tricky.nq", TRICKY)
    lines = list(read_lines(path))
    assert len(lines) == 7
    got = sorted(
        str(ox.Quad(triple.subject, triple.predicate, triple.object,
                    ox.NamedNode(graph) if graph else ox.DefaultGraph()))
        for graph, line, _ in lines
        for triple in ox.parse(line.encode(), format=ox.RdfFormat.N_TRIPLES)
    )
    assert got == canonical_nquads(TRICKY.encode())
    assert {graph for graph, _, _ in lines} == {"http://ex/g1", "http://ex/g2", "http://ex/g?x=1&y=2", ""}


def test_blank_nodes_are_flagged(tmp_path: Path) -> None:
    path = write(tmp_path, "blank.nq", '_:b1 <http://ex/p> _:b2 <http://ex/g> .\n<http://ex/s> <http://ex/p> "x" .\n')
    assert [blank for _, _, blank in read_lines(path)] == [True, False]


@pytest.mark.parametrize(("text", "message"), [
    ('<http://ex/s> <http://ex/p> "unterminated <http://ex/g> .\n', "bad.nq:2: not an N-Quads statement"),
    ("<http://ex/s> <http://ex/p> <http://ex/o> _:g .\n", "bad.nq:2: a blank node names a graph"),
    ("<http://ex/s> <http://ex/p> <http://ex/o> <http://ex/g>\n", "bad.nq:2: not an N-Quads statement"),
])
def test_a_malformed_file_is_refused_with_its_line(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, "bad.nq", "<http://ex/s> <http://ex/p> <http://ex/o> .\n" + text)
    with pytest.raises(UsageError, match=message):
        list(read_lines(path))


def test_a_graph_name_in_n_triples_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.nt", "<http://ex/s> <http://ex/p> <http://ex/o> <http://ex/g> .\n")
    with pytest.raises(UsageError, match=r"bad\.nt:1: a graph name in an N-Triples file"):
        list(read_lines(path))


def test_turtle_is_read_through_rdflib(tmp_path: Path) -> None:
    path = write(tmp_path, "g.ttl", '@prefix ex: <http://ex/> .\nex:s ex:p "x"@en, 3 ; ex:q [ ex:r ex:o ] .\n')
    lines = list(read_lines(path))
    assert {graph for graph, _, _ in lines} == {DEFAULT_TARGET}
    assert sum(blank for _, _, blank in lines) == 2
    assert '<http://ex/s> <http://ex/p> "x"@en .\n' in [line for _, line, _ in lines]


def test_build_file_finds_graph_nq_or_says_what_is_missing(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"no graph.nq in .*atfgraph build"):
        build_file(tmp_path)
    with pytest.raises(UsageError, match="neither a build folder nor a graph file"):
        build_file(tmp_path / "nothing-here")
    (tmp_path / "graph.nq").write_text("", encoding="utf-8")
    assert build_file(tmp_path) == tmp_path / "graph.nq"


def test_graph_urls() -> None:
    assert graph_url("http://h/store", "") == "http://h/store?default"
    assert graph_url("http://h/store", "http://ex/g?a=1&b=2") == \
        "http://h/store?graph=http%3A%2F%2Fex%2Fg%3Fa%3D1%26b%3D2"
    assert graph_url("http://h/crud?x=1", "http://ex/g") == "http://h/crud?x=1&graph=http%3A%2F%2Fex%2Fg"


# --- requests, against the scripted server


def test_first_chunk_is_put_the_rest_posted_per_graph(tmp_path: Path) -> None:
    text = quad_lines(5, "http://ex/a") + quad_lines(2, "http://ex/b") + '<http://ex/s> <http://ex/p> "d" .\n'
    path = write(tmp_path, "g.nq", text)
    seen: list[tuple[int, int]] = []
    with scripted_server(always(Answer(204))) as server:
        result = load_file(path, GraphStore(f"{server.base}/store", client()), chunk_size=2,
                           progress=lambda done, total: seen.append((done, total)))
    sent = [(request.method, target(request), request.body.count(b"\n")) for request in server.requests]
    assert sorted(sent) == sorted([("PUT", "http://ex/a", 2), ("POST", "http://ex/a", 2), ("POST", "http://ex/a", 1),
                                   ("PUT", "http://ex/b", 2), ("PUT", "", 1)])
    per_graph = [method for method, graph, _ in sent if graph == "http://ex/a"]
    assert per_graph == ["PUT", "POST", "POST"]
    assert all(request.headers["content-type"] == "application/n-triples" for request in server.requests)
    assert result.graphs == (("", 1), ("http://ex/a", 5), ("http://ex/b", 2))
    assert result.triples == 8 and result.requests == 5
    assert seen[-1] == (8, 8) and [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_a_target_graph_takes_everything(tmp_path: Path) -> None:
    path = write(tmp_path, "g.nq", quad_lines(3, "http://ex/a") + quad_lines(2, "http://ex/b"))
    with scripted_server(always(Answer(201))) as server:
        result = load_file(path, GraphStore(f"{server.base}/store", client()), Targets(graph="http://ex/all"),
                           chunk_size=2)
    assert [(request.method, target(request)) for request in server.requests] == [
        ("PUT", "http://ex/all"), ("POST", "http://ex/all"), ("POST", "http://ex/all")]
    assert result.graphs == (("http://ex/all", 5),)


def test_blank_node_triples_all_go_in_the_first_request(tmp_path: Path) -> None:
    blanks = "".join(f"_:b{index} <http://ex/p> \"{index}\" <http://ex/g> .\n" for index in range(3))
    path = write(tmp_path, "g.nq", quad_lines(2) + blanks + quad_lines(3, "http://ex/g").replace("s", "t"))
    with scripted_server(always(Answer(204))) as server:
        load_file(path, GraphStore(f"{server.base}/store", client()), chunk_size=2)
    first, *rest = server.requests
    assert first.method == "PUT" and first.body.count(b"_:b") == 3 and first.body.count(b"\n") == 3
    assert all(request.method == "POST" and b"_:" not in request.body for request in rest)
    assert sum(request.body.count(b"\n") for request in server.requests) == 8


def test_a_malformed_file_sends_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, "g.nq", quad_lines(3) + "garbage\n")
    with scripted_server(always(Answer(204))) as server, pytest.raises(UsageError, match=r"g\.nq:4"):
        load_file(path, GraphStore(f"{server.base}/store", client()), chunk_size=1)
    assert server.requests == []


def test_server_errors_are_retried_a_bounded_number_of_times(tmp_path: Path) -> None:
    path = write(tmp_path, "g.nq", quad_lines(1))
    sleeps: list[float] = []
    expected = r"PUT .*/store\?graph=.*: HTTP 500 .*disk full.*after 4 tries"
    with scripted_server(always(Answer(500, b"disk full"))) as server, \
            pytest.raises(EndpointError, match=expected) as caught:
        load_file(path, GraphStore(f"{server.base}/store", client(sleeps, Retry(retries=3))))
    assert len(server.requests) == 4
    assert sleeps == [0.5, 1.0, 2.0]
    assert caught.value.status == 500


def test_a_refusal_is_not_retried(tmp_path: Path) -> None:
    path = write(tmp_path, "g.nq", quad_lines(1))
    sleeps: list[float] = []
    with scripted_server(always(Answer(403, b"read-only endpoint"))) as server, \
            pytest.raises(EndpointError, match="HTTP 403 Forbidden: read-only endpoint") as caught:
        load_file(path, GraphStore(f"{server.base}/store", client(sleeps)))
    assert len(server.requests) == 1 and sleeps == []
    assert caught.value.status == 403 and caught.value.url.startswith(server.base)


def test_a_store_without_a_default_graph_gets_a_hint(tmp_path: Path) -> None:
    path = write(tmp_path, "g.nq", quad_lines(1, f"{NS}a") + provenance(f"{NS}a"))
    refusal = Answer(500, b"the endpoint is not configured to have default graph")
    with scripted_server(always(refusal)) as server, \
            pytest.raises(EndpointError, match=r"GET .*\?default: HTTP 500 .*give --default-graph IRI"):
        load_file(path, GraphStore(f"{server.base}/store", client()))


def test_a_passing_server_error_is_overcome(tmp_path: Path) -> None:
    path = write(tmp_path, "g.nq", quad_lines(1))
    told: list[str] = []
    http = HttpClient(timeout=5, retry=NO_SLEEP, sleep=lambda _: None, on_retry=told.append)
    with scripted_server(in_turn(Answer(503, b"busy"), Answer(204))) as server:
        result = load_file(path, GraphStore(f"{server.base}/store", http))
    assert result.requests == 1 and len(server.requests) == 2
    assert len(told) == 1 and "HTTP 503" in told[0] and "trying again" in told[0]


def test_a_long_server_message_is_cut(tmp_path: Path) -> None:
    path = write(tmp_path, "g.nq", quad_lines(1))
    page = b"<html><body><h1>Payload Too Large</h1>" + b"x" * 5000 + b"</body></html>"
    with scripted_server(always(Answer(413, page, "text/html"))) as server, pytest.raises(EndpointError) as caught:
        load_file(path, GraphStore(f"{server.base}/store", client()))
    message = str(caught.value)
    assert "HTTP 413" in message and "Payload Too Large" in message and "<h1>" not in message
    assert len(message) < MESSAGE_LIMIT + 200 and message.endswith("…")


def test_a_redirect_is_reported_not_followed(tmp_path: Path) -> None:
    path = write(tmp_path, "g.nq", quad_lines(1))
    answer = Answer(301, headers={"Location": "https://elsewhere.invalid/store"})
    with scripted_server(always(answer)) as server, \
            pytest.raises(EndpointError, match=r"redirected to https://elsewhere\.invalid/store; give that URL"):
        load_file(path, GraphStore(f"{server.base}/store", client()))
    assert len(server.requests) == 1


def test_connection_refused_is_clear_and_retried(tmp_path: Path) -> None:
    path = write(tmp_path, "g.nq", quad_lines(1))
    sleeps: list[float] = []
    with closed_port() as url, pytest.raises(EndpointError, match=r"connection refused.*after 3 tries") as caught:
        load_file(path, GraphStore(f"{url}store", client(sleeps)))
    assert caught.value.status is None and str(caught.value).startswith(f"PUT {url}store?graph=")
    assert sleeps == [0.0, 0.0]


@pytest.mark.parametrize(("auth", "expected"), [
    (Auth(user="analyst", password="s3cret:ü"), "Basic YW5hbHlzdDpzM2NyZXQ6w7w="),
    (Auth(token="abc.def"), "Bearer abc.def"),
])
def test_credentials_are_sent_with_every_request(tmp_path: Path, auth: Auth, expected: str) -> None:
    path = write(tmp_path, "g.nq", quad_lines(3))
    with scripted_server(always(Answer(204))) as server:
        load_file(path, GraphStore(f"{server.base}/store", client(auth=auth)), chunk_size=2)
    assert [request.headers.get("authorization") for request in server.requests] == [expected, expected]


def test_bad_options_are_refused_before_sending(tmp_path: Path) -> None:
    path = write(tmp_path, "g.nq", quad_lines(1))
    with scripted_server(always(Answer(204))) as server:
        store = GraphStore(f"{server.base}/store", client())
        with pytest.raises(UsageError, match="chunk size"):
            load_file(path, store, chunk_size=0)
        with pytest.raises(UsageError, match="--graph"):
            load_file(path, store, Targets(graph="not an iri"))
        with pytest.raises(UsageError, match=r"--default-graph .*absolute IRI"):
            load_file(path, store, Targets(default_graph="relative/path"))
        with pytest.raises(UsageError, match="holds no triples"):
            load_file(write(tmp_path, "empty.nq", "# nothing\n"), store)
        with pytest.raises(UsageError, match="http:// or https://"):
            load_file(path, GraphStore("ftp://host/store", client()))
    assert server.requests == []


# --- against a real Oxigraph server


def provenance(*graphs: str) -> str:
    atf = "https://w3id.org/atfgraph/ontology#"
    return "".join(f"<{graph}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{atf}SourceFile> .\n"
                   for graph in graphs)


NS = "https://w3id.org/atfgraph/id/graph/"


def test_loading_twice_leaves_one_copy_and_changes_replace(tmp_path: Path, empty: OxigraphServer) -> None:
    text = quad_lines(7, f"{NS}a") + quad_lines(3, f"{NS}b") + provenance(f"{NS}a", f"{NS}b")
    first = write(tmp_path, "first.nq", text)
    store = GraphStore(empty.store, client())
    load_file(first, store, chunk_size=3)
    load_file(first, store, chunk_size=3)
    assert empty.nquads() == canonical_nquads(text.encode())
    changed = text.replace('<http://ex/s6> <http://ex/p> "6"', '<http://ex/s6> <http://ex/p> "six"')
    load_file(write(tmp_path, "changed.nq", changed), store, chunk_size=3)
    assert empty.nquads() == canonical_nquads(changed.encode())


def test_replace_deletes_graphs_the_build_no_longer_has(tmp_path: Path, empty: OxigraphServer) -> None:
    store = GraphStore(empty.store, client())
    other = quad_lines(2, "http://elsewhere/g")  # not described by a load: --replace leaves it alone
    load_file(write(tmp_path, "other.nq", other), store)
    old = quad_lines(2, f"{NS}a") + quad_lines(2, f"{NS}b") + provenance(f"{NS}a", f"{NS}b")
    new = quad_lines(2, f"{NS}a") + provenance(f"{NS}a")
    load_file(write(tmp_path, "old.nq", old), store)
    kept = load_file(write(tmp_path, "new.nq", new), store)
    # Without --replace the old graph stays, still described, so that a later --replace finds it.
    assert kept.kept == (f"{NS}b",) and kept.deleted == ()
    assert empty.nquads() == canonical_nquads((old + other).encode())
    again = load_file(tmp_path / "new.nq", store)
    assert again.kept == (f"{NS}b",) and empty.nquads() == canonical_nquads((old + other).encode())
    result = load_file(tmp_path / "new.nq", store, replace=True)
    assert result.deleted == (f"{NS}b",) and result.kept == ()
    assert empty.nquads() == canonical_nquads((new + other).encode())
    assert load_file(tmp_path / "new.nq", store, replace=True).deleted == ()


def test_descriptions_in_a_named_graph_for_stores_without_a_default_graph(tmp_path: Path,
                                                                           empty: OxigraphServer) -> None:
    store = GraphStore(empty.store, client())
    targets = Targets(default_graph=f"{NS}_load")
    old = quad_lines(2, f"{NS}a") + quad_lines(2, f"{NS}b") + provenance(f"{NS}a", f"{NS}b")
    new = quad_lines(2, f"{NS}a") + provenance(f"{NS}a")
    load_file(write(tmp_path, "old.nq", old), store, targets)
    assert not any(quad.graph_name == ox.DefaultGraph() for quad in empty.quads())
    result = load_file(write(tmp_path, "new.nq", new), store, targets, replace=True)
    assert result.deleted == (f"{NS}b",)
    expected = quad_lines(2, f"{NS}a") + provenance(f"{NS}a").replace(" .\n", f" <{NS}_load> .\n")
    assert empty.nquads() == canonical_nquads(expected.encode())


def test_blank_nodes_arrive_whole(tmp_path: Path, empty: OxigraphServer) -> None:
    text = quad_lines(4) + "_:x <http://ex/p> _:y <http://ex/g> .\n_:y <http://ex/p> _:x <http://ex/g> .\n"
    load_file(write(tmp_path, "b.nq", text), GraphStore(empty.store, client()), chunk_size=1)
    lines = [line for line in empty.nquads() if line.startswith("_:")]
    assert len(lines) == 2
    first_subject, first_object = lines[0].split(" ")[0], lines[0].split(" ")[2]
    assert {first_subject, first_object} == {lines[1].split(" ")[0], lines[1].split(" ")[2]}
