"""Shared fixtures: the repository's folders, and a helper that writes a small data folder."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.endpoints import OxigraphServer, oxigraph_server

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"

WriteData = Callable[[dict[str, str]], Path]


@pytest.fixture
def write_data(tmp_path: Path) -> WriteData:
    """Write files (relative path → text, dedented) into a fresh data folder and return the folder."""

    def write(files: dict[str, str]) -> Path:
        folder = tmp_path / "data"
        for name, text in files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return folder

    return write


SOURCES_YAML = """
- kind: source
  id: page
  title: The task force's page
  publisher: SECI Center
  accessed: "2026-11"
"""
"""A source every small test dataset can cite."""

GOLDEN = Path(__file__).resolve().parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite the golden graphs from this build")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Whether this run rewrites golden files instead of comparing against them."""
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    """A real ``oxigraph serve`` on a free loopback port, for the tests of one module; stopped after them."""
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as server:
        yield server


@pytest.fixture
def empty(oxigraph: OxigraphServer) -> OxigraphServer:
    """The module's Oxigraph server, emptied first."""
    oxigraph.clear()
    return oxigraph
