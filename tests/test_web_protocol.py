"""The SPARQL 1.1 Protocol at /sparql, in process: every method, every format, every error.

Each answer is read back with a reader that shares no code with the server: ``json``, ``csv``,
``xml.etree`` for SPARQL XML, pyoxigraph for Turtle, N-Triples and RDF/XML, PyLD for JSON-LD.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import pyoxigraph as ox
import pytest
from pyld import jsonld
from starlette.testclient import TestClient

from atfgraph.oxstore import OxigraphStore
from atfgraph.queries import bind, find, list_saved
from atfgraph.web import Limits, load_source
from atfgraph.web.app import App
from tests.web_fixtures import ATTF, assert_error, client_for, make_app, shipped_store

SELECT = "SELECT ?org ?label WHERE { ?org a atf:Organisation ; rdfs:label ?label } ORDER BY ?label"
ASK_TRUE = f"ASK {{ <{ATTF}> a atf:Organisation }}"
ASK_FALSE = "ASK { <https://w3id.org/atfgraph/id/organisation/no-such-thing> ?p ?o }"
CONSTRUCT = "CONSTRUCT { ?org atf:partOf ?parent } WHERE { ?org atf:partOf ?parent }"
RESULTS_NS = "{http://www.w3.org/2005/sparql-results#}"


@pytest.fixture(autouse=True, scope="module")
def offline_jsonld() -> Iterator[None]:
    """PyLD must never fetch a context: the server's JSON-LD carries its context inline."""

    def refuse(url: str, options: Any = None) -> Any:
        raise AssertionError(f"PyLD tried to fetch {url}")

    previous = jsonld.get_document_loader()
    jsonld.set_document_loader(refuse)
    yield
    jsonld.set_document_loader(previous)


@pytest.fixture(scope="module")
def apps(tmp_path_factory: pytest.TempPathFactory) -> dict[str, App]:
    """Every app of the module, made before any client starts a thread."""
    folder = tmp_path_factory.mktemp("oxigraph") / "store"
    written = OxigraphStore(folder)
    written.add(shipped_store().quads())
    written.store.flush()
    return {"default": make_app(), "small": make_app(limits=Limits(max_rows=5)),
            "on_disk": make_app(load_source(store_spec=f"oxigraph:{folder}"))}


@pytest.fixture(scope="module")
def client(apps: dict[str, App]) -> Iterator[TestClient]:
    with client_for(apps["default"]) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def small(apps: dict[str, App]) -> Iterator[TestClient]:
    with client_for(apps["small"]) as test_client:
        yield test_client


def expected_rows() -> list[tuple[str, str]]:
    result = shipped_store().query(SELECT)
    return [(str(row[0]), str(row[1])) for row in result.rows]


def json_rows(document: dict[str, Any]) -> list[tuple[str, str]]:
    return [(row["org"]["value"], row["label"]["value"]) for row in document["results"]["bindings"]]


def triples(data: bytes, fmt: ox.RdfFormat) -> set[ox.Triple]:
    return {quad.triple for quad in ox.parse(data, format=fmt)}


def jsonld_triples(text: str) -> set[ox.Triple]:
    nquads = jsonld.to_rdf(json.loads(text), {"format": "application/n-quads"})
    return triples(nquads.encode("utf-8"), ox.RdfFormat.N_QUADS)


# --- methods


def test_get_answers_select_as_sparql_json_by_default(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": SELECT})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/sparql-results+json"
    document = json.loads(response.text)
    assert document["head"]["vars"] == ["org", "label"]
    assert json_rows(document) == expected_rows()
    assert document["atfgraph"] == {"truncated": False}
    assert response.headers["x-atfgraph-truncated"] == "false"
    assert "accept" in response.headers["vary"].lower()


def test_post_form_encoded(client: TestClient) -> None:
    response = client.post("/sparql", data={"query": SELECT})
    assert response.status_code == 200
    assert json_rows(json.loads(response.text)) == expected_rows()


def test_post_sparql_query_body(client: TestClient) -> None:
    response = client.post("/sparql", content=SELECT.encode("utf-8"),
                           headers={"Content-Type": "application/sparql-query; charset=utf-8"})
    assert response.status_code == 200
    assert json_rows(json.loads(response.text)) == expected_rows()


def test_post_form_with_format_in_the_url(client: TestClient) -> None:
    response = client.post("/sparql?format=csv", data={"query": SELECT})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")


# --- SELECT and ASK formats


def test_select_as_sparql_xml(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": SELECT}, headers={"Accept": "application/sparql-results+xml"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/sparql-results+xml"
    root = ET.fromstring(response.content)
    assert root.tag == f"{RESULTS_NS}sparql"
    assert [variable.get("name") for variable in root.iter(f"{RESULTS_NS}variable")] == ["org", "label"]
    rows = []
    for result in root.iter(f"{RESULTS_NS}result"):
        cells = {binding.get("name"): binding[0] for binding in result.iter(f"{RESULTS_NS}binding")}
        assert cells["org"].tag == f"{RESULTS_NS}uri" and cells["label"].tag == f"{RESULTS_NS}literal"
        rows.append((cells["org"].text, cells["label"].text))
    assert rows == expected_rows()


def test_select_as_csv(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": SELECT}, headers={"Accept": "text/csv"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["org", "label"]
    assert [tuple(row) for row in rows[1:]] == expected_rows()
    assert response.headers["x-atfgraph-truncated"] == "false"


def test_select_as_tsv(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": SELECT}, headers={"Accept": "text/tab-separated-values"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/tab-separated-values")
    lines = response.text.rstrip("\n").split("\n")
    assert lines[0] == "?org\t?label"
    first_iri, first_label = expected_rows()[0]
    assert lines[1].split("\t") == [f"<{first_iri}>", json.dumps(first_label, ensure_ascii=False)]
    assert len(lines) == 1 + len(expected_rows())


def test_accept_quality_values_are_honoured(client: TestClient) -> None:
    accept = "application/sparql-results+json;q=0.5, text/csv;q=0.9, */*;q=0.1"
    response = client.get("/sparql", params={"query": SELECT}, headers={"Accept": accept})
    assert response.headers["content-type"].startswith("text/csv")


def test_application_json_means_sparql_json(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": SELECT}, headers={"Accept": "application/json"})
    assert response.headers["content-type"] == "application/sparql-results+json"


@pytest.mark.parametrize(("query", "expected"), [(ASK_TRUE, True), (ASK_FALSE, False)])
def test_ask_in_json_and_xml(client: TestClient, query: str, expected: bool) -> None:
    answer = json.loads(client.get("/sparql", params={"query": query}).text)
    assert answer["boolean"] is expected and "results" not in answer
    xml = client.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+xml"})
    boolean = ET.fromstring(xml.content).find(f"{RESULTS_NS}boolean")
    assert boolean is not None and boolean.text == ("true" if expected else "false")
    assert "x-atfgraph-truncated" not in xml.headers


def test_format_parameter_wins_over_accept(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": SELECT, "format": "tsv"}, headers={"Accept": "text/csv"})
    assert response.headers["content-type"].startswith("text/tab-separated-values")


# --- CONSTRUCT and DESCRIBE formats


def expected_graph() -> set[ox.Triple]:
    result = shipped_store().query(CONSTRUCT)
    assert result.graph is not None
    return triples(result.graph.serialize(format="nt").encode("utf-8"), ox.RdfFormat.N_TRIPLES)


def test_construct_as_turtle_by_default(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": CONSTRUCT})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    assert triples(response.content, ox.RdfFormat.TURTLE) == expected_graph()
    assert response.headers["x-atfgraph-truncated"] == "false"


def test_construct_as_jsonld(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": "application/ld+json"})
    assert response.headers["content-type"] == "application/ld+json"
    assert jsonld_triples(response.text) == expected_graph()


def test_construct_as_ntriples(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": "application/n-triples"})
    assert response.headers["content-type"] == "application/n-triples"
    assert triples(response.content, ox.RdfFormat.N_TRIPLES) == expected_graph()


def test_construct_as_rdf_xml(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": "application/rdf+xml"})
    assert response.headers["content-type"] == "application/rdf+xml"
    assert triples(response.content, ox.RdfFormat.RDF_XML) == expected_graph()


def test_describe(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": f"DESCRIBE <{ATTF}>"}, headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    described = triples(response.content, ox.RdfFormat.TURTLE)
    assert any(triple.subject == ox.NamedNode(ATTF) for triple in described)


# --- limits: rows


def test_select_cut_at_the_row_limit_is_flagged(small: TestClient) -> None:
    response = small.get("/sparql", params={"query": "SELECT ?s WHERE { ?s a ?class }"})
    document = json.loads(response.text)
    assert len(document["results"]["bindings"]) == 5
    assert document["atfgraph"] == {"truncated": True}
    assert response.headers["x-atfgraph-truncated"] == "true"


def test_csv_cut_at_the_row_limit_is_flagged_in_the_header_only(small: TestClient) -> None:
    response = small.get("/sparql", params={"query": "SELECT ?s WHERE { ?s a ?class }", "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["s"] and len(rows) == 6
    assert response.headers["x-atfgraph-truncated"] == "true"


def test_a_query_within_the_limit_is_not_flagged(small: TestClient) -> None:
    response = small.get("/sparql", params={"query": "SELECT ?s WHERE { ?s a ?class } LIMIT 3"})
    assert json.loads(response.text)["atfgraph"] == {"truncated": False}
    response = small.get("/sparql", params={"query": "SELECT ?s WHERE { ?s a ?class } VALUES ?class { atf:Country }"})
    assert response.headers["x-atfgraph-truncated"] == "true"  # a trailing VALUES: cut by the server, not the engine


def test_construct_cut_at_the_row_limit(small: TestClient) -> None:
    response = small.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s a ?class }", "format": "nt"})
    assert len(triples(response.content, ox.RdfFormat.N_TRIPLES)) == 5
    assert response.headers["x-atfgraph-truncated"] == "true"


# --- errors


def test_malformed_query_is_a_400_with_line_and_column(client: TestClient) -> None:
    error = assert_error(client.get("/sparql", params={"query": "SELECT ?s WHERE {\n  ?s ?p \n"}), 400)
    assert error["title"] == "Malformed query"
    assert "line" in error["detail"] and "column" in error["detail"]


def test_unknown_prefix_is_a_400(client: TestClient) -> None:
    assert_error(client.get("/sparql", params={"query": "SELECT * WHERE { ?s nope:x ?o }"}), 400)


def test_unacceptable_format_is_a_406(client: TestClient) -> None:
    error = assert_error(client.get("/sparql", params={"query": SELECT}, headers={"Accept": "image/png"}), 406)
    assert "application/sparql-results+json" in error["detail"]
    assert_error(client.get("/sparql", params={"query": CONSTRUCT, "format": "csv"}), 406)
    assert_error(client.get("/sparql", params={"query": SELECT, "format": "xlsx"}), 400)


def test_wrong_content_type_is_a_415(client: TestClient) -> None:
    assert_error(client.post("/sparql", content=SELECT, headers={"Content-Type": "text/plain"}), 415)


def test_missing_and_repeated_queries_are_400(client: TestClient) -> None:
    assert_error(client.post("/sparql", data={"format": "json"}), 400)
    assert_error(client.get("/sparql", params={"query": "  "}), 400)
    assert_error(client.get("/sparql", params=[("query", SELECT), ("query", SELECT)]), 400)


def test_dataset_parameters_and_from_are_refused(client: TestClient) -> None:
    assert_error(client.get("/sparql", params={"query": SELECT, "default-graph-uri": "http://example.org/g"}), 400)
    assert_error(client.get("/sparql", params={"query": SELECT, "named-graph-uri": "http://example.org/g"}), 400)


def test_other_methods_are_405(client: TestClient) -> None:
    for method in ("PUT", "DELETE", "PATCH"):
        response = client.request(method, "/sparql", content=b"x")
        assert_error(response, 405)
        assert "GET" in response.headers["allow"]


def test_unknown_path_is_a_404_in_the_same_shape(client: TestClient) -> None:
    assert_error(client.get("/no/such/page"), 404)


# --- the service description


def test_service_description_at_the_endpoint(client: TestClient) -> None:
    sd = "http://www.w3.org/ns/sparql-service-description#"
    for path in ("/sparql", "/sparql/description"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/turtle")
        described = triples(response.content, ox.RdfFormat.TURTLE)
        endpoint = ox.NamedNode("http://testserver/sparql")
        assert ox.Triple(endpoint, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                         ox.NamedNode(sd + "Service")) in described
        assert ox.Triple(endpoint, ox.NamedNode(sd + "endpoint"), endpoint) in described
        formats = {triple.object for triple in described if triple.predicate == ox.NamedNode(sd + "resultFormat")}
        assert ox.NamedNode("http://www.w3.org/ns/formats/SPARQL_Results_JSON") in formats
        assert ox.NamedNode("http://www.w3.org/ns/formats/Turtle") in formats
        features = {triple.object for triple in described if triple.predicate == ox.NamedNode(sd + "feature")}
        assert features == {ox.NamedNode(sd + "UnionDefaultGraph")}  # no BasicFederatedQuery: SERVICE is refused


def test_service_description_as_jsonld(client: TestClient) -> None:
    response = client.get("/sparql", headers={"Accept": "application/ld+json"})
    assert response.headers["content-type"] == "application/ld+json"
    assert jsonld_triples(response.text)


# --- saved queries as data


def library_answer(name: str, values: dict[str, str]) -> list[dict[str, str]]:
    store = shipped_store()
    query = find(name)
    result = store.query(query.text, bind(query, values, store=store))
    return [{variable: str(term) for variable, term in zip(result.variables, row, strict=True) if term is not None}
            for row in result.rows]


def test_saved_query_json_twin(client: TestClient) -> None:
    response = client.get("/queries/events-in-country.json", params={"country": "Turkey"})
    assert response.status_code == 200
    document = json.loads(response.text)
    rows = [{name: cell["value"] for name, cell in row.items()} for row in document["results"]["bindings"]]
    assert rows == library_answer("events-in-country", {"country": "Turkey"})
    assert len(rows) == 6


def test_saved_query_csv_twin(client: TestClient) -> None:
    response = client.get("/queries/events-by-topic.csv", params={"topic": "hijacking"})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text)))
    expected = library_answer("events-by-topic", {"topic": "hijacking"})
    assert [{key: value for key, value in row.items() if value} for row in rows] == expected


def test_saved_construct_query_twins(client: TestClient) -> None:
    response = client.get("/queries/cooperation-network.ttl", params={"minimum": "2"})
    assert response.status_code == 200
    assert triples(response.content, ox.RdfFormat.TURTLE)
    assert_error(client.get("/queries/cooperation-network.csv"), 406)


def test_saved_query_list_as_json(client: TestClient) -> None:
    document = json.loads(client.get("/queries.json").text)
    assert [query["name"] for query in document["queries"]] == [query.name for query in list_saved()]
    country = next(query for query in document["queries"] if query["name"] == "events-in-country")
    assert country["parameters"][0]["name"] == "country" and country["parameters"][0]["required"] is True


def test_saved_query_errors(client: TestClient) -> None:
    assert_error(client.get("/queries/no-such-query.json"), 404)
    assert_error(client.get("/queries/events-in-country.json"), 400)  # the country is required
    error = assert_error(client.get("/queries/events-in-country.json", params={"country": "Atlantis"}), 400)
    assert "country" in error["detail"]
    assert_error(client.get("/queries/timeline.json", params={"nonsense": "1"}), 400)


def test_a_parameter_full_of_sparql_stays_one_value(client: TestClient) -> None:
    sneaky = '" } } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o } #'
    response = client.get("/queries/provenance.json", params={"entity": sneaky})
    assert_error(response, 400)


# --- entity IRIs dereference


def test_entity_as_turtle(client: TestClient) -> None:
    response = client.get("/id/organisation/attf", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    described = triples(response.content, ox.RdfFormat.TURTLE)
    subjects = {str(triple.subject).strip("<>") for triple in described}
    assert ATTF in subjects
    assert f"{ATTF}#founded" in subjects and f"{ATTF}#coordination" in subjects  # its hash nodes come with it
    assert all(subject == ATTF or subject.startswith(ATTF + "#") for subject in subjects)
    assert "accept" in response.headers["vary"].lower()


def test_entity_as_jsonld_equals_its_turtle(client: TestClient) -> None:
    turtle = triples(client.get("/id/organisation/attf", headers={"Accept": "text/turtle"}).content,
                     ox.RdfFormat.TURTLE)
    response = client.get("/id/organisation/attf", headers={"Accept": "application/ld+json"})
    assert response.headers["content-type"] == "application/ld+json"
    assert jsonld_triples(response.text) == turtle
    by_format = client.get("/id/organisation/attf", params={"format": "nt"})
    assert triples(by_format.content, ox.RdfFormat.N_TRIPLES) == turtle


def test_unknown_entity_is_a_404(client: TestClient) -> None:
    assert_error(client.get("/id/organisation/no-such-thing", headers={"Accept": "text/turtle"}), 404)
    assert_error(client.get("/id/organisation/no-such-thing", headers={"Accept": "application/json"}), 404)


# --- an on-disk Oxigraph store, opened read-only by each worker


def test_an_on_disk_store_is_served_read_only(apps: dict[str, App], client: TestClient) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    with client_for(apps["on_disk"]) as on_disk:
        served = json.loads(on_disk.get("/sparql", params={"query": count}).text)
        expected = json.loads(client.get("/sparql", params={"query": count}).text)
        assert served["results"]["bindings"] == expected["results"]["bindings"]
        assert json_rows(json.loads(on_disk.get("/sparql", params={"query": SELECT}).text)) == expected_rows()
        assert on_disk.get("/id/organisation/attf").status_code == 200
        assert_error(on_disk.post("/sparql", data={"update": "CLEAR ALL"}), 403)
