"""The web UI in a real browser: Debian's chromium, headless, driven by Playwright, against uvicorn on loopback.

The browser runs a saved query with a parameter from its form and from the editor's list, sees the expected
rows, opens an entity page with its sources and ego network, and draws a CONSTRUCT answer. Every request the
pages make is recorded: all must go to the test server (nothing to a CDN or anywhere else), and no page may
log a console error (a Content-Security-Policy violation is one). Chromium is found at /usr/bin/chromium
(``scripts/install-system-deps.sh``); without it these tests fail, they do not skip.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Browser, Page

from atfgraph.queries import bind, find
from tests.browser import chromium
from tests.web_fixtures import live_server, make_app, shipped_store

TIMEOUT_MS = 15_000


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    app = make_app()  # before Playwright starts: the app forks its workers
    with live_server(app) as url:
        yield url


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@dataclass
class Visit:
    """A browser tab with everything it logged and requested."""

    page: Page
    server: str
    console: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def check_clean(self) -> None:
        """Nothing requested outside the test server; no console error, no uncaught exception."""
        outside = [url for url in self.requests if not url.startswith(self.server + "/") and url != "data:,"]
        assert not outside, outside
        errors = [line for line in self.console if line.startswith(("error", "pageerror"))]
        assert not errors, errors


Opener = Callable[[str], Visit]


@pytest.fixture
def visit(browser: Browser, server: str) -> Iterator[Opener]:
    contexts = []
    visits: list[Visit] = []

    def opener(path: str) -> Visit:
        context = browser.new_context(viewport={"width": 1300, "height": 900}, service_workers="block")
        contexts.append(context)
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        opened = Visit(page, server)
        page.on("console", lambda message: opened.console.append(f"{message.type}: {message.text}"))
        page.on("pageerror", lambda error: opened.console.append(f"pageerror: {error}"))
        page.on("request", lambda request: opened.requests.append(request.url))
        page.goto(server + path, wait_until="load")
        visits.append(opened)
        return opened

    yield opener
    for opened in visits:
        opened.check_clean()
    for context in contexts:
        context.close()


def expected_titles(name: str, values: dict[str, str]) -> set[str]:
    """The titles the library's own run of a saved query gives: what the page must show."""
    store = shipped_store()
    query = find(name)
    result = store.query(query.text, bind(query, values, store=store))
    column = result.variables.index("title")
    return {str(row[column]) for row in result.rows}


def table_column(page: Page, column: int) -> set[str]:
    cells = page.locator(f"table.results tbody tr td:nth-child({column})").all_inner_texts()
    return {" ".join(cell.split()) for cell in cells}


def test_saved_query_with_a_parameter_from_its_form(visit: Opener) -> None:
    opened = visit("/queries/events-in-country")
    page = opened.page
    assert page.locator("table.results").count() == 0  # the country is required: nothing has run yet
    page.fill("#param-events-in-country-country", "Turkey")
    page.click("form.params button[type=submit]")
    page.wait_for_selector("table.results tbody tr")
    assert "country=Turkey" in page.url
    assert table_column(page, 2) == expected_titles("events-in-country", {"country": "Turkey"})
    assert page.locator("#row-count").inner_text() == "6"


def test_saved_query_from_the_editors_list(visit: Opener) -> None:
    page = visit("/query").page
    page.click("details:has(#param-events-by-topic-topic) summary")
    page.fill("#param-events-by-topic-topic", "hijacking")
    page.click("details:has(#param-events-by-topic-topic) button[type=submit]")
    page.wait_for_selector("table.results tbody tr")
    assert table_column(page, 2) == expected_titles("events-by-topic", {"topic": "hijacking"})


def test_editor_runs_a_typed_query_with_ctrl_enter(visit: Opener) -> None:
    page = visit("/query").page
    page.fill("#query", "SELECT ?label WHERE { ?c a atf:Country ; atf:alpha2 'TR' ; rdfs:label ?label }")
    page.press("#query", "Control+Enter")
    page.wait_for_selector("table.results tbody tr")
    assert table_column(page, 1) == {"Türkiye"}


def test_entity_page_shows_its_sources_and_neighbourhood(visit: Opener) -> None:
    page = visit("/id/organisation/attf").page
    assert page.locator("h1").inner_text() == "Anti-Terrorism Task Force"
    sources = page.locator("#sources ul.sources li").all_inner_texts()
    assert any("Anti-Terrorism Task Force :: Task Forces :: Operational Activities" in text for text in sources)
    assert any("selec.org" in text for text in sources)
    page.wait_for_selector("#network[data-drawn]")
    assert int(page.get_attribute("#network", "data-drawn") or "0") > 5
    assert page.locator("#network canvas").count() > 0


def test_a_construct_answer_is_drawn_and_its_nodes_lead_to_pages(visit: Opener, server: str) -> None:
    page = visit("/queries/cooperation-network").page
    page.wait_for_selector("#network[data-drawn]")
    assert int(page.get_attribute("#network", "data-drawn") or "0") > 5
    node = page.evaluate("() => { const node = window.atfgraphNetwork.nodes()[0];"
                         " return { href: node.data('href'), x: node.renderedPosition('x'),"
                         " y: node.renderedPosition('y') }; }")
    assert node["href"].startswith("/id/")
    box = page.locator("#network").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + node["x"], box["y"] + node["y"])  # a click on the node, as an analyst would
    page.wait_for_url(server + node["href"])
    page.wait_for_selector("h1")


def test_search_from_the_header(visit: Opener) -> None:
    page = visit("/").page
    page.fill("#site-search", "turkey")
    page.press("#site-search", "Enter")
    page.wait_for_selector("ul.hits li")
    page.click("text=Türkiye")
    page.wait_for_selector("h1")
    assert page.locator("h1").inner_text() == "Türkiye"
