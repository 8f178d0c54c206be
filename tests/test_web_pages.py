"""The analyst's pages: home, search and its twins, the query editor, saved queries, entity pages, assets.

HTML is read with the standard library's parser (links, table cells, data blocks), not with regular
expressions over the text.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from starlette.testclient import TestClient

from atfgraph.queries import list_saved
from atfgraph.store import QueryForm, check_syntax
from atfgraph.web import Links, load_source, mount_path
from atfgraph.web.app import App
from atfgraph.web.negotiation import best_match
from atfgraph.web.saved import form_of
from tests.conftest import DATA
from tests.web_fixtures import ATTF, assert_error, client_for, make_app

OTHER_BASE = "https://example.org/kg/"


class Page(HTMLParser):
    """What a test looks at in a page: links, table rows, data blocks, elements by id, all text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.rows: list[list[str]] = []
        self.ids: dict[str, dict[str, str]] = {}
        self.data: dict[str, str] = {}
        self.text: list[str] = []
        self.textareas: list[str] = []
        self.fetched: list[str] = []  # what a browser loads by itself: scripts, styles, images, frames
        self._href: str | None = None
        self._link_text: list[str] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._script: str | None = None
        self._textarea: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if "id" in attributes:
            self.ids[attributes["id"]] = attributes
        if tag in ("script", "img", "iframe", "source", "audio", "video", "embed", "object", "link"):
            self.fetched += [attributes[name] for name in ("src", "href", "data") if name in attributes]
        if tag == "a" and "href" in attributes:
            self._href, self._link_text = attributes["href"], []
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "script" and attributes.get("type") == "application/json":
            self._script = attributes["id"]
            self.data[self._script] = ""
        elif tag == "textarea":
            self._textarea = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._link_text).strip()))
            self._href = None
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None
        elif tag == "script":
            self._script = None
        elif tag == "textarea" and self._textarea is not None:
            self.textareas.append("".join(self._textarea))
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self.data[self._script] += data
            return
        self.text.append(data)
        for collector in (self._link_text if self._href is not None else None, self._cell, self._textarea):
            if collector is not None:
                collector.append(data)

    @property
    def all_text(self) -> str:
        return " ".join(" ".join(self.text).split())

    def hrefs(self) -> list[str]:
        return [href for href, _ in self.links]


@pytest.fixture(scope="module")
def apps() -> dict[str, App]:
    """Every app of the module, made before any client starts a thread."""
    return {"default": make_app(), "other_base": make_app(load_source(data=DATA, base=OTHER_BASE), base=OTHER_BASE)}


@pytest.fixture(scope="module")
def client(apps: dict[str, App]) -> Iterator[TestClient]:
    with client_for(apps["default"]) as test_client:
        yield test_client


def page(client: TestClient, path: str, status: int = 200, **params: str) -> Page:
    response = client.get(path, params=params)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/html")
    return Page(response.text)


# --- home and search


def test_home_lists_the_saved_queries_and_the_graph(client: TestClient) -> None:
    home = page(client, "/")
    for query in list_saved():
        assert f"/queries/{query.name}" in home.hrefs()
    assert "triples in" in home.all_text
    assert "Organisation" in home.all_text


def test_search_finds_alternative_labels_ignoring_case(client: TestClient) -> None:
    found = page(client, "/search", q="TURKEY")
    assert ("/id/country/TR", "Türkiye") in found.links
    assert "/search.json?q=TURKEY" in found.hrefs() and "/search.csv?q=TURKEY" in found.hrefs()


def test_search_twins(client: TestClient) -> None:
    document = json.loads(client.get("/search.json", params={"q": "task force"}).text)
    assert document["q"] == "task force" and document["truncated"] is False
    hit = next(item for item in document["results"] if item["iri"] == ATTF)
    assert hit == {"iri": ATTF, "label": "Anti-Terrorism Task Force", "matched": "Anti-Terrorism Task Force",
                   "kind": "organisation", "page": "/id/organisation/attf"}
    rows = list(csv.DictReader(io.StringIO(client.get("/search.csv", params={"q": "task force"}).text)))
    assert [row["iri"] for row in rows] == [item["iri"] for item in document["results"]]
    short = json.loads(client.get("/search.json", params={"q": "attf"}).text)  # a short name matches too
    assert short["results"][0]["iri"] == ATTF


def test_empty_search(client: TestClient) -> None:
    assert json.loads(client.get("/search.json").text)["results"] == []
    page(client, "/search")


# --- the query editor


def test_editor_starts_with_an_example(client: TestClient) -> None:
    editor = page(client, "/query")
    assert "SELECT" in editor.textareas[0]
    for query in list_saved():  # every saved query with its parameter form
        assert f"/query?name={query.name}" in editor.hrefs()
        for parameter in query.parameters:
            assert f"param-{query.name}-{parameter.name}" in editor.ids


def test_editor_loads_a_saved_query(client: TestClient) -> None:
    editor = page(client, "/query", name="timeline")
    assert editor.textareas[0] == next(query.text for query in list_saved() if query.name == "timeline")
    assert not editor.rows  # loaded, not run


def test_editor_runs_a_select_with_labelled_links_and_downloads(client: TestClient) -> None:
    query = "SELECT ?org ?label WHERE { ?org a atf:Organisation ; atf:shortName 'ATTF' ; rdfs:label ?label }"
    editor = page(client, "/query", query=query)
    assert editor.rows[0] == ["org", "label"]
    assert editor.rows[1] == ["Anti-Terrorism Task Force", "Anti-Terrorism Task Force"]
    assert ("/id/organisation/attf", "Anti-Terrorism Task Force") in editor.links
    downloads = [href for href in editor.hrefs() if href.startswith("/sparql?")]
    assert {urlsplit(href).query.rsplit("format=", 1)[1] for href in downloads} == {"json", "xml", "csv", "tsv"}
    csv_link = next(href for href in downloads if href.endswith("format=csv"))
    rows = list(csv.reader(io.StringIO(client.get(csv_link).text)))
    assert rows == [["org", "label"], [ATTF, "Anti-Terrorism Task Force"]]


def test_editor_answers_ask(client: TestClient) -> None:
    editor = page(client, "/query", query=f"ASK {{ <{ATTF}> a atf:Organisation }}")
    assert "yes (true)" in editor.all_text and not editor.rows


def test_editor_draws_a_construct_answer(client: TestClient) -> None:
    editor = page(client, "/query", query="CONSTRUCT { ?a atf:partOf ?b } WHERE { ?a atf:partOf ?b }")
    drawing = json.loads(editor.data["network-data"])
    assert drawing["nodes"] and drawing["edges"]
    attf = next(node for node in drawing["nodes"] if node["id"] == ATTF)
    assert attf["href"] == "/id/organisation/attf" and attf["label"] == "Anti-Terrorism Task Force"
    assert editor.rows[0] == ["subject", "predicate", "object"]
    downloads = {href.rsplit("format=", 1)[1] for href in editor.hrefs() if href.startswith("/sparql?")}
    assert downloads == {"ttl", "jsonld", "nt", "rdf"}
    assert "/static/vendor/cytoscape.min.js" in client.get("/query", params={"query": "CONSTRUCT WHERE "
                                                                             "{ ?a atf:partOf ?b }"}).text


def test_editor_shows_errors_in_the_page(client: TestClient) -> None:
    broken = page(client, "/query", status=400, query="SELECT * WHERE { ?s ?p }")
    assert broken.textareas[0] == "SELECT * WHERE { ?s ?p }"
    assert "line 1" in broken.all_text and "400 Malformed query" in broken.all_text
    page(client, "/query", status=403, query="SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")


# --- saved queries


def test_saved_query_list(client: TestClient) -> None:
    listing = page(client, "/queries")
    assert [row[0] for row in listing.rows[1:]] == [query.name for query in list_saved()]
    assert "/queries.json" in listing.hrefs()


def test_saved_query_form_before_it_runs(client: TestClient) -> None:
    form = page(client, "/queries/events-in-country")
    assert form.ids["param-events-in-country-country"].get("required") == ""
    assert not form.rows and "Fill in country" in form.all_text


def test_saved_query_with_a_parameter(client: TestClient) -> None:
    answer = page(client, "/queries/events-in-country", country="Turkey")
    assert answer.rows[0][:2] == ["event", "title"]
    events = {row[0] for row in answer.rows[1:]}
    assert "7th meeting of the Anti-Terrorism Task Force" in events and len(events) == 6
    assert answer.ids["param-events-in-country-country"]["value"] == "Turkey"
    assert "/queries/events-in-country.json?country=Turkey" in answer.hrefs()
    assert "/queries/events-in-country.csv?country=Turkey" in answer.hrefs()


def test_saved_query_defaults_run_at_once(client: TestClient) -> None:
    answer = page(client, "/queries/events-by-topic")
    assert len(answer.rows) > 1


def test_saved_query_parameter_errors_show_in_the_page(client: TestClient) -> None:
    wrong = page(client, "/queries/events-in-country", status=400, country="Atlantis")
    assert "Atlantis" in wrong.all_text and not wrong.rows
    assert_error(client.get("/queries/no-such-query"), 404)
    missing = client.get("/queries/members-without-events", params={"organisation": "no-such-organisation"})
    assert missing.status_code == 400 and "no-such-organisation" in Page(missing.text).all_text


def test_saved_construct_query_is_drawn(client: TestClient) -> None:
    drawn = page(client, "/queries/cooperation-network")
    drawing = json.loads(drawn.data["network-data"])
    assert {node["kind"] for node in drawing["nodes"]} <= {"organisation", "country"}
    assert drawing["edges"]


# --- entity pages


def test_entity_page_groups_statements_by_property(client: TestClient) -> None:
    attf = page(client, "/id/organisation/attf")
    text = attf.all_text
    assert "Anti-Terrorism Task Force" in text
    for label in ("part of", "merged from", "founded", "coordination"):  # the ontology's labels
        assert label in text
    assert ("/id/organisation/selec", "Southeast European Law Enforcement Center") in attf.links
    assert "founded" in attf.ids and "coordination" in attf.ids  # hash nodes, nested with their anchors
    assert "2003-02" in text


def test_entity_page_lists_sources_and_incoming_links(client: TestClient) -> None:
    attf = page(client, "/id/organisation/attf")
    assert ("/id/source/selec-attf-page", "Anti-Terrorism Task Force :: Task Forces :: Operational Activities") \
        in attf.links
    assert "http://www.selec.org/p263/Anti_Terrorism_Task_Force" in attf.hrefs()
    assert "Linked from" in attf.all_text
    assert "/id/event/attf-meeting-4" in attf.hrefs()
    assert "graph:organisations.yaml" in attf.all_text


def test_entity_page_has_an_ego_network(client: TestClient) -> None:
    attf = page(client, "/id/organisation/attf")
    drawing = json.loads(attf.data["network-data"])
    assert drawing["ego"] == ATTF
    ids = {node["id"] for node in drawing["nodes"]}
    assert ATTF in ids and "https://w3id.org/atfgraph/id/organisation/selec" in ids
    assert all(node["href"].startswith("/") for node in drawing["nodes"])
    assert "__________cytoscape_stylesheet" in attf.ids  # so that Cytoscape.js needs no inline style


def test_country_page_shows_memberships_through_hash_nodes(client: TestClient) -> None:
    turkey = page(client, "/id/country/TR")
    assert any(href.startswith("/id/organisation/seci-center#member-TR") for href in turkey.hrefs())
    drawing = json.loads(turkey.data["network-data"])
    assert "https://w3id.org/atfgraph/id/organisation/seci-center" in {node["id"] for node in drawing["nodes"]}


def test_resource_page_for_iris_outside_the_base(client: TestClient) -> None:
    topic = page(client, "/resource", iri="https://w3id.org/atfgraph/topic/counter-terrorism")
    assert "Counter-terrorism" in topic.all_text
    assert "/resource?iri=https%3A%2F%2Fw3id.org%2Fatfgraph%2Ftopic%2Fterrorist-financing" in topic.hrefs()


def test_unknown_entities_are_404_pages_for_browsers(client: TestClient) -> None:
    response = client.get("/id/organisation/nobody", headers={"Accept": "text/html,*/*;q=0.8"})
    assert response.status_code == 404 and response.headers["content-type"].startswith("text/html")
    assert "404" in Page(response.text).all_text
    assert_error(client.get("/id/organisation/nobody"), 404)


def test_entity_pages_follow_the_base_iri(apps: dict[str, App]) -> None:
    with client_for(apps["other_base"]) as client:
        attf = page(client, "/kg/organisation/attf")
        assert "/kg/organisation/selec" in attf.hrefs()
        assert client.get("/id/organisation/attf").status_code == 404
        turtle = client.get("/kg/organisation/attf", headers={"Accept": "text/turtle"}).text
        assert f"<{OTHER_BASE}organisation/attf>" in turtle or "organisation:attf" in turtle


# --- links and negotiation


def test_the_form_of_each_saved_query_is_read_without_parsing() -> None:
    for query in list_saved():
        assert form_of(query.text) == check_syntax(query.text), query.name
    assert form_of("PREFIX a: <http://example.org/#>\n# a comment\nBASE <http://example.org/>\n ask {}") \
        is QueryForm.ASK


def test_mount_paths() -> None:
    assert mount_path("https://w3id.org/atfgraph/id/") == "/id/"
    assert mount_path("https://example.org/kg/id/") == "/kg/id/"
    assert mount_path("https://example.org/") == "/"
    assert mount_path("http://W3ID.org/project/") == "/"


def test_links() -> None:
    links = Links("https://w3id.org/atfgraph/id/")
    assert links.page(ATTF) == "/id/organisation/attf"
    assert links.page(ATTF + "#founded") == "/id/organisation/attf#founded"
    topic = "https://w3id.org/atfgraph/topic/x"
    assert links.page(topic) == "/resource?iri=https%3A%2F%2Fw3id.org%2Fatfgraph%2Ftopic%2Fx"
    assert links.page("https://w3id.org/atfgraph/id/a b") == "/id/a%20b"
    assert Links.outside("javascript:alert(1)") is None and Links.outside("HTTPS://example.org") is not None


def test_best_match() -> None:
    offers = ["application/json", "text/html"]
    assert best_match(None, offers) == "application/json"
    assert best_match("*/*", offers) == "application/json"
    assert best_match("text/html,application/xhtml+xml,*/*;q=0.8", offers) == "text/html"
    assert best_match("text/*;q=0.5, application/json;q=0.4", offers) == "text/html"
    assert best_match("image/png", offers) is None
    assert best_match("application/json;q=0, */*", offers) == "text/html"
    assert best_match("nonsense", offers) == "application/json"


# --- assets


def test_assets_are_served_from_the_package(client: TestClient) -> None:
    script = client.get("/static/vendor/cytoscape.min.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert "cytoscape" in script.text[:2000].lower()
    for path, kind in (("/static/app.css", "text/css"), ("/static/network.js", "javascript"),
                       ("/static/editor.js", "javascript"), ("/static/cytoscape-container.css", "text/css")):
        response = client.get(path)
        assert response.status_code == 200 and kind in response.headers["content-type"]
    assert_error(client.get("/static/nothing.js"), 404)


def test_pages_refer_to_nothing_outside_the_server(client: TestClient) -> None:
    for path in ("/", "/query", "/queries", "/queries/cooperation-network", "/id/organisation/attf",
                 "/search?q=selec"):
        parsed = Page(client.get(path).text)
        assert parsed.fetched, path
        for address in parsed.fetched:
            assert (address.startswith("/") and not address.startswith("//")) or address == "data:,", (path, address)
