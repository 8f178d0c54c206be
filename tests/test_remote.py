"""The remote store answers like the local one, over a real Oxigraph server loaded with the shipped data."""

from __future__ import annotations

import json
import time
import urllib.parse
from collections.abc import Iterator

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.compare import isomorphic

from atfgraph.errors import QueryError, UsageError
from atfgraph.graphfile import load_graph_file
from atfgraph.gsp import GraphStore, load_file
from atfgraph.pipeline import build
from atfgraph.queries import SavedQuery, bind, list_saved
from atfgraph.remote import (
    Auth,
    EndpointError,
    HttpClient,
    RemoteStore,
    Retry,
    auth_from_options,
    nt_term,
    remote_store_from_options,
    term_from_json,
)
from atfgraph.store import QueryForm, Store
from tests.conftest import DATA
from tests.endpoints import Answer, Recorded, always, closed_port, oxigraph_server, scripted_server

XSD = "http://www.w3.org/2001/XMLSchema#"
TOPIC = URIRef("https://w3id.org/atfgraph/topic/counter-terrorism")
DATE = URIRef(f"{XSD}date")

QUERIES = [
    "SELECT ?e ?label WHERE { ?e a atf:Event ; rdfs:label ?label } ORDER BY ?e",
    "SELECT ?topic (COUNT(?e) AS ?n) WHERE { ?e atf:topic ?topic } GROUP BY ?topic ORDER BY ?topic",
    "SELECT ?e ?b WHERE { ?e atf:date/atf:earliest ?b } ORDER BY ?b ?e",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
    "SELECT ?s ?label WHERE { ?s skos:prefLabel ?label FILTER(LANG(?label) = 'en') } ORDER BY ?s",
    "SELECT ?e ?place WHERE { ?e a atf:Event OPTIONAL { ?e atf:place ?place } } ORDER BY ?e ?place",
    "PREFIX atf: <https://w3id.org/atfgraph/ontology#>\n"
    "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?o a atf:Organisation }",
    "ASK { ?e a atf:Attack }",
    "ASK { ?e a atf:NoSuchClass }",
]

REQUIRED = {"country": "TR", "entity": "attf"}
"""Values for saved queries' required parameters."""


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, RemoteStore]]:
    """The shipped data built, loaded into an Oxigraph server, and read back locally from graph.nq."""
    folder = tmp_path_factory.mktemp("remote")
    result = build(DATA, folder / "out")
    assert result.report.conforms
    with oxigraph_server(folder) as server:
        load_file(folder / "out" / "graph.nq", GraphStore(server.store, HttpClient(timeout=30)))
        yield load_graph_file(folder / "out" / "graph.nq"), RemoteStore(server.query, HttpClient(timeout=30))


@pytest.mark.parametrize("query", QUERIES)
def test_same_answers(stores: tuple[Store, RemoteStore], query: str) -> None:
    local, remote = stores
    expected = local.query(query)
    assert expected.rows or expected.boolean is not None
    assert remote.query(query) == expected


def test_construct_gives_the_same_graph(stores: tuple[Store, RemoteStore]) -> None:
    local, remote = stores
    query = "CONSTRUCT { ?e atf:country ?c ; rdfs:label ?l } WHERE { ?e atf:country ?c ; rdfs:label ?l }"
    expected, got = local.query(query), remote.query(query)
    assert got.form is QueryForm.CONSTRUCT and expected.graph is not None and got.graph is not None
    assert len(expected.graph) > 0 and isomorphic(expected.graph, got.graph)


def test_describe_gives_a_graph(stores: tuple[Store, RemoteStore]) -> None:
    _, remote = stores
    result = remote.query("DESCRIBE ?e WHERE { ?e a atf:Attack }")
    assert result.form is QueryForm.DESCRIBE and result.graph is not None and len(result.graph) > 0


@pytest.mark.parametrize(("query", "bindings"), [
    ("SELECT (COUNT(?e) AS ?n) WHERE { ?e atf:topic ?topic }", {"topic": TOPIC}),
    ("SELECT ?e WHERE { ?e rdfs:label ?label } ORDER BY ?e", {"label": Literal("Bucharest")}),
    ("SELECT ?c WHERE { ?c skos:prefLabel ?label }", {"label": Literal("Terrorist financing", lang="en")}),
    ("SELECT ?e WHERE { ?e atf:date/atf:earliest ?day } ORDER BY ?e", {"day": Literal("2003-11-01", datatype=DATE)}),
    ("ASK { ?e atf:topic ?topic }", {"topic": TOPIC}),
    ("CONSTRUCT { ?e atf:topic ?topic } WHERE { ?e atf:topic ?topic }", {"topic": TOPIC}),
])
def test_bound_parameters_give_the_same_answers(stores: tuple[Store, RemoteStore], query: str,
                                                bindings: dict[str, URIRef | Literal]) -> None:
    local, remote = stores
    expected, got = local.query(query, bindings), remote.query(query, bindings)
    if expected.graph is not None:
        assert got.graph is not None and len(expected.graph) > 0 and isomorphic(expected.graph, got.graph)
    else:
        assert got == expected
        assert expected.boolean or (expected.rows and expected.rows != ((Literal(0),),))


def test_a_hostile_value_stays_one_literal(stores: tuple[Store, RemoteStore]) -> None:
    _, remote = stores
    hostile = Literal('x" } ; DROP ALL ; #\n\\')
    assert remote.query("SELECT ?e WHERE { ?e rdfs:label ?label }", {"label": hostile}).rows == ()
    with pytest.raises(QueryError, match="not a valid IRI"):
        remote.query("ASK { ?e ?p ?o }", {"e": URIRef("http://ex/> } ; DROP ALL ; <x")})
    with pytest.raises(QueryError, match="cannot write"):
        remote.query("ASK { ?e ?p ?o }", {"e": BNode("b")})


def saved_queries() -> list[SavedQuery]:
    return list(list_saved())


@pytest.mark.parametrize("saved", saved_queries(), ids=lambda saved: saved.name)
def test_every_saved_query_gives_the_same_answer(stores: tuple[Store, RemoteStore], saved: SavedQuery) -> None:
    local, remote = stores
    values = {parameter.name: REQUIRED[parameter.name] for parameter in saved.parameters
              if parameter.required and parameter.name in REQUIRED}
    missing = [parameter.name for parameter in saved.parameters if parameter.required and parameter.name not in values]
    if missing:
        pytest.skip(f"no test value for the required parameter(s) {missing}")
    expected = local.query(saved.text, bind(saved, values, store=local))
    got = remote.query(saved.text, bind(saved, values, store=remote))  # parameters resolved on the endpoint too
    if expected.graph is not None:
        assert got.graph is not None and isomorphic(expected.graph, got.graph)
    else:
        assert got == expected


def test_quads_union_and_len_match(stores: tuple[Store, RemoteStore]) -> None:
    local, remote = stores
    assert sorted(remote.quads()) == sorted(local.quads())
    assert len(remote) == len(local) > 0
    assert isomorphic(remote.union(), local.union())


def test_the_remote_store_is_read_only(stores: tuple[Store, RemoteStore]) -> None:
    _, remote = stores
    with pytest.raises(UsageError, match=r"read only.*atfgraph load"):
        remote.add([])


def test_a_syntax_error_is_found_before_sending() -> None:
    with scripted_server(always(Answer(500))) as server:
        with pytest.raises(QueryError, match="line 1, column"):
            RemoteStore(server.base).query("SELECT ?x WHERE { ?x ")
        assert server.requests == []


def test_a_query_the_endpoint_rejects_is_a_query_error(stores: tuple[Store, RemoteStore]) -> None:
    _, remote = stores
    # rdflib parses this; Oxigraph refuses it (?e is neither grouped nor aggregated) with HTTP 400.
    with pytest.raises(QueryError, match=r"the endpoint refused the query: POST .*/query: HTTP 400"):
        remote.query("SELECT ?e WHERE { ?e a atf:Event } GROUP BY ?type")


# --- against the scripted server


def results(*rows: dict[str, dict[str, str]]) -> Answer:
    body = {"head": {"vars": ["x"]}, "results": {"bindings": list(rows)}}
    return Answer(200, json.dumps(body).encode(), "application/sparql-results+json")


@pytest.mark.parametrize(("auth", "expected"), [
    (Auth(user="analyst", password="pw"), "Basic YW5hbHlzdDpwdw=="),
    (Auth(token="t0ken"), "Bearer t0ken"),
    (Auth(), None),
])
def test_credentials_and_the_protocol(auth: Auth, expected: str | None) -> None:
    with scripted_server(always(results({"x": {"type": "uri", "value": "http://ex/a"}}))) as server:
        store = RemoteStore(f"{server.base}/sparql", HttpClient(auth=auth, timeout=5))
        assert store.query("SELECT ?x WHERE { ?x ?p ?o }").rows == ((URIRef("http://ex/a"),),)
    (request,) = server.requests
    assert request.method == "POST" and request.headers.get("authorization") == expected
    assert request.headers["accept"] == "application/sparql-results+json"
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    (text,) = urllib.parse.parse_qs(request.body.decode())["query"]
    assert "PREFIX atf: <https://w3id.org/atfgraph/ontology#>" in text and text.endswith("SELECT ?x WHERE { ?x ?p ?o }")


def test_a_direct_post_and_a_query_that_declares_its_prefixes() -> None:
    with scripted_server(always(Answer(200, b'{"head": {}, "boolean": true}', "application/sparql-results+json"))) \
            as server:
        store = RemoteStore(f"{server.base}/sparql", HttpClient(timeout=5), direct=True)
        query = "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> PREFIX atf: <http://other/> ASK { ?x a atf:Thing }"
        assert store.query(query).boolean is True
    (request,) = server.requests
    assert request.headers["content-type"] == "application/sparql-query; charset=utf-8"
    text = request.body.decode()
    assert text.count("PREFIX atf:") == 1 and text.count("PREFIX xsd:") == 1 and text.endswith(query)
    assert "PREFIX skos:" in text


def test_typed_literal_and_string_forms_from_other_servers() -> None:
    rows = [
        {"x": {"type": "typed-literal", "value": "7", "datatype": f"{XSD}integer"}},
        {"x": {"type": "literal", "value": "plain", "datatype": f"{XSD}string"}},
        {"x": {"type": "literal", "value": "chat", "xml:lang": "fr"}},
        {"x": {"type": "bnode", "value": "b0"}},
        {},
    ]
    with scripted_server(always(results(*rows))) as server:
        got = RemoteStore(server.base, HttpClient(timeout=5)).query("SELECT ?x WHERE { ?x ?p ?o }").rows
    assert got == ((Literal(7),), (Literal("plain"),), (Literal("chat", lang="fr"),), (BNode("b0"),), (None,))


@pytest.mark.parametrize(("answer", "message"), [
    (Answer(200, b"<html>a query form</html>", "text/html"), r"answered with text/html, not SPARQL JSON results; "
                                                             r"is it the SPARQL query endpoint\? It said: <html>"),
    (Answer(200, b"{not json", "application/sparql-results+json"), "results that do not make sense"),
    (Answer(401, b"who are you?"), "HTTP 401 Unauthorized: who are you?"),
    (Answer(404, b"no such endpoint"), "HTTP 404 Not Found: no such endpoint"),
])
def test_unusable_answers_and_refusals_are_clear(answer: Answer, message: str) -> None:
    with scripted_server(always(answer)) as server:
        with pytest.raises(EndpointError, match=message) as caught:
            RemoteStore(f"{server.base}/sparql", HttpClient(timeout=5)).query("SELECT ?x WHERE { ?x ?p ?o }")
        assert len(server.requests) == 1
    assert server.base in str(caught.value)


def test_server_errors_are_retried_then_reported() -> None:
    sleeps: list[float] = []
    http = HttpClient(timeout=5, retry=Retry(retries=2), sleep=sleeps.append)
    with scripted_server(always(Answer(502, b"bad gateway"))) as server:
        with pytest.raises(EndpointError, match=r"HTTP 502 Bad Gateway: bad gateway.*after 3 tries"):
            RemoteStore(server.base, http).query("ASK {}")
        assert len(server.requests) == 3
    assert sleeps == [0.5, 1.0]


def test_connection_refused_names_the_url() -> None:
    with closed_port() as url, pytest.raises(EndpointError, match=f"POST {url}: connection refused"):
        RemoteStore(url, HttpClient(timeout=5, retry=Retry(retries=0))).query("ASK {}")


def test_a_slow_endpoint_times_out() -> None:
    def slow(_: Recorded) -> Answer:
        time.sleep(1.0)
        return Answer(200, b'{"boolean": true}', "application/sparql-results+json")

    with scripted_server(slow) as server:
        with pytest.raises(EndpointError, match=r"no answer within 0\.2 s \(a longer --timeout may help\)$"):
            RemoteStore(server.base, HttpClient(timeout=0.2, retry=Retry(retries=2))).query("ASK {}")
        assert len(server.requests) == 1  # not retried: the server may still be at work on it


# --- options and terms


def test_credentials_from_options() -> None:
    assert auth_from_options(None, None, None) == Auth()
    assert auth_from_options("me", "pw", None) == Auth(user="me", password="pw")
    assert auth_from_options(None, None, "TOKEN_VAR", {"TOKEN_VAR": " abc \n"}) == Auth(token="abc")
    for args, message in [
        (("me", "pw", "TOKEN_VAR"), "not both"),
        ((None, "pw", None), "--password needs --user"),
        (("a:b", "pw", None), "cannot contain ':'"),
        ((None, None, "TOKEN_VAR"), "TOKEN_VAR is not set or empty"),
    ]:
        with pytest.raises(UsageError, match=message):
            auth_from_options(*args, environ={})
    assert "pw" not in repr(Auth(user="me", password="pw")) and "abc" not in repr(Auth(token="abc"))


def test_remote_store_from_options(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ATFGRAPH_TEST_TOKEN", "xyz")
    store = remote_store_from_options("http://127.0.0.1:1/sparql", token_env="ATFGRAPH_TEST_TOKEN")
    assert store.client.auth == Auth(token="xyz")
    with pytest.raises(UsageError, match="http:// or https://"):
        remote_store_from_options("localhost:7878/query")


def test_terms_in_n_triples() -> None:
    assert nt_term(URIRef("http://ex/a")) == "<http://ex/a>"
    assert nt_term(Literal('a "b"\n\\c')) == r'"a \"b\"\n\\c"'
    assert nt_term(Literal("x", lang="en-GB")) == '"x"@en-GB'
    assert nt_term(Literal("x", datatype=URIRef(f"{XSD}string"))) == '"x"'
    assert nt_term(Literal(3)) == f'"3"^^<{XSD}integer>'
    assert nt_term(BNode("b1"), blank_nodes=True) == "_:b1"
    with pytest.raises(ValueError, match="not a valid IRI"):
        nt_term(URIRef("http://ex/a b"))
    assert term_from_json({"type": "literal", "value": "x", "datatype": f"{XSD}string"}) == Literal("x")
