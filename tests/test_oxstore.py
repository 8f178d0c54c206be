"""The Oxigraph store answers like the rdflib store."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.compare import isomorphic

from atfgraph.errors import QueryError, UsageError
from atfgraph.loader import load
from atfgraph.namespaces import ATF, DEFAULT_BASE
from atfgraph.oxstore import OxigraphStore, to_oxigraph, to_rdflib
from atfgraph.queries import bind, list_saved
from atfgraph.store import MemoryStore, QueryForm, Store, open_store
from tests.conftest import DATA, GOLDEN

QUERIES = [
    "SELECT ?e ?label WHERE { ?e a atf:Event ; rdfs:label ?label } ORDER BY ?e",
    "SELECT ?topic (COUNT(?e) AS ?n) WHERE { ?e atf:topic ?topic } GROUP BY ?topic ORDER BY ?topic",
    "SELECT ?e ?b WHERE { ?e atf:date/atf:earliest ?b } ORDER BY ?b ?e",
    "ASK { ?e a atf:Attack }",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
]


@pytest.fixture(scope="module")
def stores() -> tuple[Store, Store]:
    memory = load(GOLDEN / "small").store
    oxigraph = OxigraphStore()
    oxigraph.add(memory.quads())
    return memory, oxigraph


@pytest.mark.parametrize("query", QUERIES)
def test_same_answers(stores: tuple[Store, Store], query: str) -> None:
    memory, oxigraph = stores
    assert memory.query(query) == oxigraph.query(query)


def test_construct_gives_the_same_graph(stores: tuple[Store, Store]) -> None:
    memory, oxigraph = stores
    query = "CONSTRUCT { ?e atf:country ?c } WHERE { ?e atf:country ?c }"
    a, b = memory.query(query), oxigraph.query(query)
    assert a.form is b.form is QueryForm.CONSTRUCT
    assert a.graph is not None and b.graph is not None and len(a.graph) > 0
    assert isomorphic(a.graph, b.graph)


def test_bindings_filter_before_grouping(stores: tuple[Store, Store]) -> None:
    memory, oxigraph = stores
    query = "SELECT (COUNT(?e) AS ?n) WHERE { ?e atf:topic ?topic }"
    topic = URIRef("https://w3id.org/atfgraph/topic/counter-terrorism")
    assert memory.query(query, {"topic": topic}) == oxigraph.query(query, {"topic": topic})
    (row,) = oxigraph.query(query, {"topic": topic}).rows
    assert row[0] == Literal(3)  # the attack, the 4th meeting and the declaration in tests/golden/small


def test_a_hostile_value_stays_one_literal(stores: tuple[Store, Store]) -> None:
    _, oxigraph = stores
    hostile = Literal('x" } ; DROP ALL ; #')
    result = oxigraph.query("SELECT ?e WHERE { ?e rdfs:label ?label }", {"label": hostile})
    assert result.rows == ()


def test_union_len_and_quads_match(stores: tuple[Store, Store]) -> None:
    memory, oxigraph = stores
    assert len(memory) == len(oxigraph)
    assert isomorphic(memory.union(), oxigraph.union())
    assert sorted(memory.quads()) == sorted(oxigraph.quads())


def test_plain_strings_come_back_plain() -> None:
    assert to_rdflib(to_oxigraph(Literal("A"))) == Literal("A")
    assert to_rdflib(to_oxigraph(Literal("2013", datatype=URIRef("http://www.w3.org/2001/XMLSchema#gYear")))) \
        == Literal("2013", datatype=URIRef("http://www.w3.org/2001/XMLSchema#gYear"))
    assert to_rdflib(to_oxigraph(Literal("x", lang="en"))) == Literal("x", lang="en")


def test_syntax_error_has_line_and_column(stores: tuple[Store, Store]) -> None:
    _, oxigraph = stores
    with pytest.raises(QueryError, match="line 2, column"):
        oxigraph.query("SELECT *\nWHERE { ?s ?p }")


def test_on_disk_store_is_reused(tmp_path: Path) -> None:
    first = open_store(f"oxigraph:{tmp_path / 'store'}")
    first.add([(URIRef(f"{DEFAULT_BASE}event/x"), ATF.number, Literal(4), URIRef(f"{DEFAULT_BASE}graph/a"))])
    del first
    again = open_store(f"oxigraph:{tmp_path / 'store'}")
    assert len(again) == 1


def test_store_names() -> None:
    assert isinstance(open_store("memory"), MemoryStore)
    assert isinstance(open_store("oxigraph"), OxigraphStore)
    with pytest.raises(UsageError, match="unknown store"):
        open_store("neo4j")


@pytest.mark.parametrize("store_kind", [MemoryStore, OxigraphStore])
@pytest.mark.parametrize("clause", ["SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }}",
                                    "{{ SELECT ?s WHERE {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }} }}"])
def test_service_is_refused_before_any_connection(store_kind: type[Store], clause: str) -> None:
    import socket

    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listener.settimeout(0.5)
        query = "SELECT * WHERE { " + clause.format(port=listener.getsockname()[1]) + " }"
        with pytest.raises(QueryError, match="SERVICE is not allowed"):
            store_kind().query(query)
        with pytest.raises(TimeoutError):
            listener.accept()  # nobody tried to connect


def test_from_is_refused_and_a_comment_is_not_a_clause() -> None:
    store = MemoryStore()
    with pytest.raises(QueryError, match="FROM and FROM NAMED"):
        store.query("SELECT * FROM <http://127.0.0.1:9/g> WHERE { ?s ?p ?o }")
    assert store.query("SELECT * WHERE { ?s ?p ?o } # SERVICE <http://x/> FROM <http://y/>").rows == ()


def test_unknown_prefix_is_a_query_error() -> None:
    with pytest.raises(QueryError, match="nope"):
        MemoryStore().query("SELECT * WHERE { ?s nope:x ?o }")


class _Marker:
    """Something a caller holds while it queries: it must be freed once the caller returns."""


@pytest.mark.parametrize("store_kind", [MemoryStore, OxigraphStore])
def test_a_query_keeps_no_frame_of_its_caller_alive(store_kind: type[Store]) -> None:
    """rdflib's SPARQL parser (pyparsing, packrat cache on) kept the last parse's exceptions, and through
    their tracebacks every caller's frame and locals: a whole build after its last query, then, with the
    cache emptied, left to the cycle collector."""
    import gc
    import weakref

    store = store_kind()

    def caller() -> weakref.ref[_Marker]:
        marker = _Marker()
        store.query("SELECT ?s WHERE { ?s ?p ?o FILTER(?o > 1 && BOUND(?s)) } ORDER BY ?s")
        return weakref.ref(marker)

    gc.disable()  # freed by reference counting as the caller returns, not left to the cycle collector
    try:
        held = caller()
        assert held() is None
    finally:
        gc.enable()


COUNTRY_RECORD = """\
- kind: country
  id: tr
  alt_names: [Turkey]
  same_as: [http://www.wikidata.org/entity/Q43]
  sources: [selec-attf-page]
"""


def test_saved_queries_agree_when_two_graphs_state_the_same_triple(tmp_path: Path) -> None:
    """A country record restates what the ISO 3166 graph says of its country (its class, an alias), so the
    union of the graphs holds a triple twice on Oxigraph, whose union default graph is a bag, and once on
    rdflib. Every saved query still gives both stores the same answer."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    (data / "countries.yaml").write_text(COUNTRY_RECORD, encoding="utf-8")
    oxigraph, memory = load(data, store=OxigraphStore()), load(data, store=MemoryStore())
    assert oxigraph.problems == memory.problems == ()
    quads = [(quad.subject, quad.predicate, quad.object) for quad in oxigraph.store.store]  # type: ignore[attr-defined]
    assert len(quads) > len(set(quads))  # the case this test is about
    required = {"country": "TR", "entity": "attf"}
    for saved in list_saved():
        values = {p.name: required[p.name] for p in saved.parameters if p.required and p.name in required}
        got = oxigraph.store.query(saved.text, bind(saved, values, store=oxigraph.store))
        expected = memory.store.query(saved.text, bind(saved, values, store=memory.store))
        if expected.graph is not None:
            assert got.graph is not None and isomorphic(got.graph, expected.graph), saved.name
        else:
            assert got == expected, saved.name
