"""The shipped build loaded into a real Virtuoso 7 (Debian's ``virtuoso-opensource``) and queried there.

Virtuoso has no default graph to address over the Graph Store Protocol, so the build's default graph goes to
a named graph (``--default-graph``); its query endpoint's default graph is the union of every graph,
including Virtuoso's own system graphs, which the saved queries' patterns do not match.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from atfgraph.cli import main
from atfgraph.errors import EndpointError
from atfgraph.graphfile import load_graph_file
from atfgraph.pipeline import build
from atfgraph.queries import SavedQuery, bind, find, list_saved
from atfgraph.remote import HttpClient, RemoteStore, Retry
from atfgraph.store import Store
from tests.conftest import DATA
from tests.endpoints import VirtuosoServer, virtuoso_server

DEFAULT_GRAPH = "https://w3id.org/atfgraph/id/graph/_load"
REQUIRED = {"country": "TR", "entity": "attf"}
"""Values for saved queries' required parameters."""

REFUSED = {"provenance": "SQ074"}
"""Saved queries Virtuoso 7.2 refuses, by the code of its error: EXISTS inside IF inside BIND."""

NOT_RUN = {"cooperation-network": "Virtuoso 7.2 does not answer it within minutes, even on the shipped data"}


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, VirtuosoServer]]:
    """The shipped data built, and a Virtuoso server it was loaded into by ``atfgraph load``."""
    folder = tmp_path_factory.mktemp("virtuoso")
    assert build(DATA, folder / "out").report.conforms
    with virtuoso_server(folder) as server:
        loaded = CliRunner().invoke(main, ["load", "--endpoint", server.store, "--default-graph", DEFAULT_GRAPH,
                                           "--from", str(folder / "out")])
        assert loaded.exit_code == 0, loaded.output
        yield folder / "out", server


@pytest.fixture(scope="module")
def stores(virtuoso: tuple[Path, VirtuosoServer]) -> tuple[Store, RemoteStore]:
    out, server = virtuoso
    # No retries: Virtuoso answers a query it refuses with HTTP 500, which a client retries by default.
    return load_graph_file(out / "graph.nq"), RemoteStore(server.query, HttpClient(timeout=30, retry=Retry(0)))


def _build_quads(remote: RemoteStore) -> list[tuple[str, ...]]:
    """Every quad on the server in the build's graphs (Virtuoso's system graphs left out)."""
    result = remote.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                          "FILTER(STRSTARTS(STR(?g), 'https://w3id.org/atfgraph/id/graph/')) }")
    return sorted(tuple(term.n3() for term in row if term is not None) for row in result.rows)


def _local_quads(local: Store) -> list[tuple[str, ...]]:
    quads = []
    for subject, predicate, obj, graph in local.quads():
        name = graph.n3() if graph.startswith("https://") else f"<{DEFAULT_GRAPH}>"
        quads.append((subject.n3(), predicate.n3(), obj.n3(), name))
    return sorted(quads)


def test_the_build_arrives_exactly_and_loading_twice_leaves_one_copy(
        virtuoso: tuple[Path, VirtuosoServer], stores: tuple[Store, RemoteStore]) -> None:
    out, server = virtuoso
    local, remote = stores
    expected = _local_quads(local)
    assert _build_quads(remote) == expected and len(expected) > 1000
    again = CliRunner().invoke(main, ["load", "--endpoint", server.store, "--default-graph", DEFAULT_GRAPH,
                                      "--from", str(out), "--chunk-size", "50"])
    assert again.exit_code == 0, again.output
    assert _build_quads(remote) == expected


def _values(saved: SavedQuery) -> dict[str, str]:
    return {parameter.name: REQUIRED[parameter.name] for parameter in saved.parameters
            if parameter.required and parameter.name in REQUIRED}


def _answered() -> list[SavedQuery]:
    return [saved for saved in list_saved() if saved.name not in REFUSED and saved.name not in NOT_RUN]


@pytest.mark.parametrize("saved", _answered(), ids=lambda saved: saved.name)
def test_every_saved_query_gives_the_same_rows(stores: tuple[Store, RemoteStore], saved: SavedQuery) -> None:
    """The same rows as the local graph. Compared as multisets: Virtuoso orders ``(!BOUND(?x))`` and some
    rows joined from a VALUES block otherwise than SPARQL's ORDER BY does (Oxigraph and rdflib agree)."""
    local, remote = stores
    expected = local.query(saved.text, bind(saved, _values(saved), store=local))
    got = remote.query(saved.text, bind(saved, _values(saved), store=remote))
    assert got.variables == expected.variables
    assert Counter(got.rows) == Counter(expected.rows)
    assert expected.rows  # the comparison compared something


def test_topics_by_year_comes_in_the_same_order(stores: tuple[Store, RemoteStore]) -> None:
    """Written for Virtuoso too (no ORDER BY expression after GROUP BY, no YEAR() of an unbound value):
    the same rows in the same order."""
    local, remote = stores
    saved = find("topics-by-year")
    assert saved is not None
    expected = local.query(saved.text)
    assert remote.query(saved.text).rows == expected.rows and len(expected.rows) > 10


@pytest.mark.parametrize(("name", "code"), sorted(REFUSED.items()))
def test_a_query_virtuoso_refuses_is_reported_with_its_error(stores: tuple[Store, RemoteStore], name: str,
                                                             code: str) -> None:
    _, remote = stores
    saved = find(name)
    assert saved is not None
    with pytest.raises(EndpointError, match=f"HTTP 500 .*Virtuoso .*{code}"):
        remote.query(saved.text, bind(saved, _values(saved), store=remote))


def test_query_from_the_command_line(virtuoso: tuple[Path, VirtuosoServer]) -> None:
    """`atfgraph query --endpoint` on Virtuoso gives the JSON rows of the same saved query on the build."""
    out, server = virtuoso
    runner = CliRunner()
    command = ["query", "documents", "--format", "json"]
    remote = runner.invoke(main, [*command, "--endpoint", server.query])
    local = runner.invoke(main, [*command, "--graph", str(out / "graph.nq")])
    assert remote.exit_code == 0, remote.output
    rows = json.loads(remote.stdout)["results"]["bindings"]
    assert rows and rows == json.loads(local.stdout)["results"]["bindings"]
