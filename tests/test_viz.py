"""Drawings: the offline HTML page in headless Chromium, and the static PNG/SVG images.

The browser tests need Debian's chromium at /usr/bin/chromium (``scripts/install-system-deps.sh``, run by
``make pytest``); without it they fail, they do not skip. One browser serves the whole module; every
page load and wait is bounded; files are written only under pytest's temporary folders.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib.image
import networkx as nx
import pytest
from PIL import Image, ImageStat
from playwright.sync_api import Browser, Page, Route
from rdflib import Graph

from atfgraph.loader import load
from atfgraph.network import Filters, Kind, View, ViewRequest, entity_graph
from atfgraph.network.timeline import LaneBy
from atfgraph.viz import ImageFormat, html, network_image, render_html, scene, timeline_image, write
from tests.browser import chromium
from tests.conftest import DATA

TIMEOUT_MS = 15_000
ATTF = "https://w3id.org/atfgraph/id/organisation/attf"
EVIL = "</script><script>window.pwned = 1</script><!-- & \u2028"

# A reference that makes a browser fetch something: src=, href=, url(…), @import, with http(s).
REMOTE_REFERENCE = re.compile(
    r"""(?:\b(?:src|href|srcset|action|poster|data)\s*=\s*["']?\s*https?:)"""
    r"""|(?:url\(\s*["']?\s*https?:)|(?:@import\s+(?:url\()?\s*["']?\s*https?:)""",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def entities() -> nx.MultiDiGraph:
    return entity_graph(load(DATA).store.union())


@pytest.fixture(scope="module")
def pages(entities: nx.MultiDiGraph, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pages")
    paths = {
        "network": folder / "network.html",
        "cooperation": folder / "cooperation.html",
        "timeline": folder / "timeline.html",
        "evil": folder / "evil.html",
    }
    write(scene(entities, ViewRequest(View.NETWORK)), paths["network"])
    write(scene(entities, ViewRequest(View.COOPERATION)), paths["cooperation"])
    write(scene(entities, ViewRequest(View.TIMELINE)), paths["timeline"])
    write(scene(_evil_entities(), ViewRequest(View.NETWORK)), paths["evil"])
    return paths


def _evil_entities() -> nx.MultiDiGraph:
    """A tiny graph whose organisation's label tries to end the data's script element and run its own."""
    rdf = Graph()
    rdf.parse(format="turtle", data=f"""
        @prefix atf: <https://w3id.org/atfgraph/ontology#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <https://example.org/organisation/x> a atf:Organisation ; rdfs:label {_turtle_string(EVIL)} .
        <https://example.org/event/y> a atf:Meeting ; rdfs:label "Meeting" ;
            atf:organiser <https://example.org/organisation/x> .
    """)
    return entity_graph(rdf)


def _turtle_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\u2028", "\\u2028") + '"'


# --- the page as a file -------------------------------------------------------------------------------------------

def test_page_has_no_remote_resource_reference(pages: dict[str, Path]) -> None:
    for path in pages.values():
        text = path.read_text(encoding="utf-8")
        assert REMOTE_REFERENCE.search(text) is None, path.name
        assert "<link" not in text and "<img" not in text and "<iframe" not in text
        assert re.search(r"<script[^>]*\bsrc\s*=", text) is None, "every script is inline"
    assert REMOTE_REFERENCE.search('<script src="https://cdn.example/x.js">') is not None  # the check bites


def test_vendored_library_is_recorded_with_its_licence() -> None:
    vendor = Path(html.__file__).parent / "vendor"
    assert f'"{html.VENDOR_VERSION}"' in (vendor / html.VENDOR_SCRIPT).read_text(encoding="utf-8")
    assert (vendor / "LICENSE").read_text(encoding="utf-8").startswith("Copyright (c)")
    readme = (vendor / "README.md").read_text(encoding="utf-8")
    assert html.VENDOR_SCRIPT in readme and html.VENDOR_VERSION in readme and "MIT" in readme


def test_page_is_reproducible(entities: nx.MultiDiGraph) -> None:
    drawn = scene(entities, ViewRequest(View.COOPERATION))
    assert render_html(drawn) == render_html(scene(entities, ViewRequest(View.COOPERATION)))


def test_data_cannot_break_out_of_its_script_element(pages: dict[str, Path]) -> None:
    text = pages["evil"].read_text(encoding="utf-8")
    assert "window.pwned = 1</script>" not in text
    data = text.split('<script type="application/json" id="atfgraph-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data and "\u2028" not in data


# --- the page in a browser ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@dataclass
class Opened:
    """A page with what it logged and every request it made."""

    page: Page
    console: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    def count(self) -> int:
        """The number of nodes the page says are visible, once Cytoscape's drawing agrees (it restyles lazily)."""
        self.page.wait_for_function(
            "() => Number(document.body.dataset.nodeCount) === window.atfgraph.visibleNodeCount()",
            timeout=TIMEOUT_MS)
        return int(self.page.get_attribute("body", "data-node-count") or "-1")


Opener = Callable[[Path], Opened]


@pytest.fixture
def open_page(browser: Browser) -> Iterator[Opener]:
    contexts = []

    def opener(path: Path) -> Opened:
        context = browser.new_context(viewport={"width": 1400, "height": 900}, offline=True)
        contexts.append(context)
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        opened = Opened(page)
        page.on("console", lambda message: opened.console.append(f"{message.type}: {message.text}"))
        page.on("pageerror", lambda error: opened.console.append(f"pageerror: {error}"))
        page.on("request", lambda request: opened.requests.append(request.url))

        def refuse(route: Route) -> None:  # anything but the page file itself is blocked and recorded
            if route.request.url == path.as_uri():
                route.continue_()
            else:
                opened.blocked.append(route.request.url)
                route.abort()

        context.route("**/*", refuse)
        page.goto(path.as_uri(), wait_until="load")
        page.wait_for_selector('body[data-ready="true"]', state="attached")
        return opened

    yield opener
    for context in contexts:
        context.close()


def test_page_renders_offline_with_every_node(open_page: Opener, pages: dict[str, Path], tmp_path: Path) -> None:
    opened = open_page(pages["network"])
    # 18 organisations, 20 countries, 19 events and 4 documents: the network view's default types.
    assert opened.count() == 61
    assert opened.page.inner_text("#counts").startswith("61 of 61 nodes")
    shot = tmp_path / "network.png"
    opened.page.screenshot(path=str(shot), full_page=False)
    assert_not_blank(shot)
    assert opened.console == []
    assert opened.blocked == []
    assert opened.requests == [pages["network"].as_uri()]


def test_the_request_recorder_bites(open_page: Opener, tmp_path: Path) -> None:
    page = tmp_path / "remote.html"
    page.write_text('<html><body data-ready="true"><img src="https://example.org/x.png"></body></html>',
                    encoding="utf-8")
    opened = open_page(page)
    assert opened.blocked == ["https://example.org/x.png"]


def assert_not_blank(path: Path) -> None:
    with Image.open(path) as image:
        grey = image.convert("L")
        assert ImageStat.Stat(grey).stddev[0] > 8.0, "the screenshot is a flat colour"
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
        assert colours is not None and len(colours) > 50, "the screenshot has almost no colours"


def test_search_finds_a_node_and_shows_its_details(open_page: Opener, pages: dict[str, Path]) -> None:
    opened = open_page(pages["network"])
    page = opened.page
    page.fill("#search", "ATTF")
    first = page.locator("#search-results li").first
    assert first.get_attribute("data-id") == ATTF
    page.press("#search", "Enter")
    page.wait_for_selector("#details:not([hidden])")
    assert page.inner_text("#details h2") == "Anti-Terrorism Task Force"
    assert page.locator(f'#details a[href="{ATTF}"]').count() == 1
    assert page.locator("#details a", has_text="Anti-Terrorism Task Force :: Task Forces").count() == 1
    assert "Türkiye" in page.inner_text("#details")  # ← coordinates: Türkiye, Turkish National Police
    assert opened.console == []


def test_type_filter_hides_nodes(open_page: Opener, pages: dict[str, Path]) -> None:
    opened = open_page(pages["network"])
    opened.page.uncheck('input[data-kind="country"]')
    assert opened.count() == 61 - 20
    opened.page.check('input[data-kind="country"]')
    assert opened.count() == 61


def test_topic_and_year_filters(open_page: Opener, pages: dict[str, Path]) -> None:
    opened = open_page(pages["network"])
    page = opened.page
    page.select_option("#topic", "https://w3id.org/atfgraph/topic/terrorist-financing")
    # The 5th meeting and the Belgrade workshop, with the ATTF (series), UN CTED, SECI Center, RCC, UNODC, Serbia.
    assert opened.count() == 8
    page.click("#reset")
    assert opened.count() == 61
    page.fill("#year-from", "2016")
    page.fill("#year-to", "2017")
    # The 6th and 7th meetings; ATTF, SELEC, the 6th meeting's nine partners, Romania and Türkiye (where).
    assert opened.count() == 15
    assert opened.console == []


def test_cooperation_page_filters_links_by_their_events(open_page: Opener, pages: dict[str, Path]) -> None:
    opened = open_page(pages["cooperation"])
    assert opened.count() == 21
    opened.page.fill("#year-from", "2016")
    opened.page.fill("#year-to", "2016")
    assert opened.count() == 11  # the 6th meeting: ATTF, SELEC and nine partners
    assert opened.console == []


def test_timeline_keeps_unknown_years_off_the_axis(open_page: Opener, pages: dict[str, Path], tmp_path: Path) -> None:
    opened = open_page(pages["timeline"])
    page = opened.page
    assert page.get_attribute("body", "data-tab") == "timeline"
    unknown_lane = page.locator('#timeline-unknown[data-lane="unknown"]')
    assert unknown_lane.locator('[data-event="event/attf-meeting-4"]').count() == 1
    assert unknown_lane.locator('[data-event="workshop-dual-use-commodities"]').count() == 0
    assert unknown_lane.locator('[data-event="event/workshop-dual-use-commodities"]').count() == 1
    assert page.locator('.tl-item[data-event="event/attf-meeting-4"]').count() == 0
    starts = page.eval_on_selector_all(".tl-item", "items => items.map(item => item.getAttribute('data-start'))")
    assert starts and min(starts) == "2001-09-11"
    xs = page.eval_on_selector_all(".tl-item", "items => items.map(item => parseFloat(item.getAttribute('data-x')))")
    assert min(xs) >= 230, "every dated event is right of the lane labels, none at the axis' origin"
    page.select_option("#lanes", "type")
    assert page.locator('.tl-item[data-lane="Meeting"]').count() >= 6
    shot = tmp_path / "timeline.png"
    page.screenshot(path=str(shot))
    assert_not_blank(shot)
    assert opened.console == []


def test_a_hostile_label_is_shown_as_text(open_page: Opener, pages: dict[str, Path]) -> None:
    opened = open_page(pages["evil"])
    page = opened.page
    assert page.evaluate("window.pwned") is None
    assert opened.count() == 2
    page.fill("#search", "window.pwned")
    page.press("#search", "Enter")
    assert page.evaluate("document.querySelector('#details h2').textContent") == EVIL
    assert opened.console == []


# --- static images ------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def images(entities: nx.MultiDiGraph, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("images")
    written = {}
    for name, request in (("network", ViewRequest(View.NETWORK)), ("cooperation", ViewRequest(View.COOPERATION)),
                          ("ego", ViewRequest(View.EGO, entity=ATTF)), ("timeline", ViewRequest(View.TIMELINE))):
        for suffix in ("png", "svg"):
            written[f"{name}.{suffix}"] = write(scene(entities, request), folder / f"{name}.{suffix}")
    return written


def test_images_are_written_and_readable(images: dict[str, Path]) -> None:
    for name, path in images.items():
        assert path.stat().st_size > 5_000, name
        if name.endswith(".png"):
            assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
            pixels = matplotlib.image.imread(path)
            assert pixels.shape[0] > 500 and pixels.shape[1] > 500 and float(pixels.std()) > 0.01
        else:
            root = ET.parse(path).getroot()
            assert root.tag == "{http://www.w3.org/2000/svg}svg"


def test_svg_has_labels_a_legend_and_is_reproducible(entities: nx.MultiDiGraph) -> None:
    drawn = scene(entities, ViewRequest(View.COOPERATION))
    first = network_image(drawn, ImageFormat.SVG)
    assert first == network_image(scene(entities, ViewRequest(View.COOPERATION)), ImageFormat.SVG)
    texts = svg_texts(first)
    assert "ATTF" in texts and "Co-operation network" in texts
    assert any(text.startswith("Organisations (13)") for text in texts)


def svg_texts(svg: bytes) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(element.itertext()).strip() for element in root.iter("{http://www.w3.org/2000/svg}text")]


def test_static_timeline_has_an_unknown_lane_and_no_year_zero(entities: nx.MultiDiGraph) -> None:
    svg = timeline_image(scene(entities, ViewRequest(View.TIMELINE)), ImageFormat.SVG, LaneBy.TOPIC)
    texts = svg_texts(svg)
    assert any(text.startswith("Year unknown (7)") for text in texts)
    assert any(text.startswith("4th meeting of the Anti-Terrorism Task Force") and "XXXX-10-23" in text
               for text in texts)
    years = sorted(int(text) for text in texts if re.fullmatch(r"\d{1,4}", text))
    assert years and years[0] >= 2000, years
    assert svg == timeline_image(scene(entities, ViewRequest(View.TIMELINE)), ImageFormat.SVG, LaneBy.TOPIC)


def test_an_empty_view_still_draws(entities: nx.MultiDiGraph) -> None:
    empty = scene(entities, ViewRequest(View.NETWORK, Filters(kinds=frozenset({Kind.CITY}),
                                                                topics=frozenset({"urn:none"}))))
    assert network_image(empty, ImageFormat.PNG)[:4] == b"\x89PNG"
    assert timeline_image(empty, ImageFormat.SVG).startswith(b"<?xml")
