"""Rendering query answers (atfgraph.results): every format is read back with a reader that is not ours.

CSV with the csv module, JSON with the json module and pyoxigraph, TSV with pyoxigraph, Turtle and JSON-LD
with pyoxigraph; the table and Markdown by their layout.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from atfgraph.errors import UsageError
from atfgraph.loader import load
from atfgraph.namespaces import ATF, DEFAULT_BASE, RDF, RDFS, XSD
from atfgraph.queries import SavedQuery, bind, find, list_saved
from atfgraph.results import MAX_CELL, MIN_COLUMN, Names, ResultFormat, render, to_table
from atfgraph.store import QueryForm, QueryResult, Store

ROOT = Path(__file__).resolve().parent.parent
EVENT = URIRef(f"{DEFAULT_BASE}event/attf-meeting-4")
ODD = 'Comma, "quote"\nnew line\ttab \\ backslash | pipe'
"""A literal with everything the text formats must escape."""

SAMPLE = QueryResult(
    QueryForm.SELECT,
    variables=("iri", "plain", "lang", "typed", "blank", "missing"),
    rows=(
        (EVENT, Literal(ODD), Literal("Türkiye", lang="tr"), Literal(4), BNode("xyz"), None),
        (URIRef("https://example.org/other#x"), Literal("plain"), Literal("x", lang="en"),
         Literal("2011-06-29", datatype=XSD.date), BNode("abc"), None),
        (EVENT, Literal(""), None, Literal(True), BNode("xyz"), None),
    ),
)
"""Every kind of term: IRIs with and without a prefix, plain, tagged and typed literals, blank nodes, unbound."""

# The sample as it must come back: blank nodes renamed b0, b1 in order of appearance.
EXPECTED: list[tuple[Node | None, ...]] = [
    (EVENT, Literal(ODD), Literal("Türkiye", lang="tr"), Literal(4), BNode("b0"), None),
    (URIRef("https://example.org/other#x"), Literal("plain"), Literal("x", lang="en"),
     Literal("2011-06-29", datatype=XSD.date), BNode("b1"), None),
    (EVENT, Literal(""), None, Literal(True), BNode("b0"), None),
]


@pytest.fixture(scope="session")
def store() -> Store:
    """The shipped data, loaded once for the whole session."""
    return load(ROOT / "data").store


def from_oxigraph(term: ox.NamedNode | ox.Literal | ox.BlankNode | None) -> Node | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == str(XSD.string):
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def solutions(text: str, fmt: ox.QueryResultsFormat) -> tuple[list[str], list[tuple[Node | None, ...]]]:
    parsed = ox.parse_query_results(text, fmt)
    assert isinstance(parsed, ox.QuerySolutions)
    variables = [variable.value for variable in parsed.variables]
    return variables, [tuple(from_oxigraph(solution[variable]) for variable in variables) for solution in parsed]


def same_terms(rows: list[tuple[Node | None, ...]], expected: list[tuple[Node | None, ...]]) -> None:
    # rdflib's Literal(4) and "4"^^xsd:integer are equal; compare lexical form, datatype and language too.
    assert len(rows) == len(expected)
    for row, wanted in zip(rows, expected, strict=True):
        assert row == wanted
        for term, other in zip(row, wanted, strict=True):
            if isinstance(other, Literal):
                assert isinstance(term, Literal)
                assert _literal_key(term) == _literal_key(other)


def _literal_key(literal: Literal) -> tuple[str, URIRef | None, str | None]:
    datatype = None if literal.language else literal.datatype or XSD.string
    return str(literal), datatype, literal.language


# --- SPARQL 1.1 CSV, TSV, JSON


def test_csv_reads_back_with_the_csv_module() -> None:
    text = render(SAMPLE, ResultFormat.CSV)
    assert text.endswith("\r\n") and "\r\n" in text.split(ODD.split("\n")[0])[0]
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows == [
        ["iri", "plain", "lang", "typed", "blank", "missing"],
        [str(EVENT), ODD, "Türkiye", "4", "_:b0", ""],
        ["https://example.org/other#x", "plain", "x", "2011-06-29", "_:b1", ""],
        [str(EVENT), "", "", "true", "_:b0", ""],
    ]


def test_tsv_reads_back_with_oxigraph() -> None:
    text = render(SAMPLE, ResultFormat.TSV)
    assert text.splitlines()[0] == "?iri\t?plain\t?lang\t?typed\t?blank\t?missing"
    assert len(text.splitlines()) == 4  # line breaks and tabs inside literals are escaped
    variables, rows = solutions(text, ox.QueryResultsFormat.TSV)
    assert variables == list(SAMPLE.variables)
    same_terms(rows, EXPECTED)


def test_json_is_the_sparql_results_format() -> None:
    text = render(SAMPLE, ResultFormat.JSON)
    document = json.loads(text)
    assert document["head"] == {"vars": ["iri", "plain", "lang", "typed", "blank", "missing"]}
    first, second, third = document["results"]["bindings"]
    assert first == {
        "iri": {"type": "uri", "value": str(EVENT)},
        "plain": {"type": "literal", "value": ODD},
        "lang": {"type": "literal", "value": "Türkiye", "xml:lang": "tr"},
        "typed": {"type": "literal", "value": "4", "datatype": str(XSD.integer)},
        "blank": {"type": "bnode", "value": "b0"},
    }
    assert second["typed"] == {"type": "literal", "value": "2011-06-29", "datatype": str(XSD.date)}
    assert third["blank"] == {"type": "bnode", "value": "b0"}
    assert "lang" not in third and "missing" not in third
    variables, rows = solutions(text, ox.QueryResultsFormat.JSON)
    assert variables == list(SAMPLE.variables)
    same_terms(rows, EXPECTED)


def test_blank_nodes_are_renamed_the_same_whatever_their_labels() -> None:
    relabelled = QueryResult(QueryForm.SELECT, SAMPLE.variables, tuple(
        tuple(BNode(f"other-{term}") if isinstance(term, BNode) else term for term in row) for row in SAMPLE.rows))
    for fmt in (ResultFormat.CSV, ResultFormat.TSV, ResultFormat.JSON, ResultFormat.TABLE, ResultFormat.MD):
        assert render(relabelled, fmt) == render(SAMPLE, fmt)


def test_ask_answers() -> None:
    yes, no = QueryResult(QueryForm.ASK, boolean=True), QueryResult(QueryForm.ASK, boolean=False)
    for fmt in (ResultFormat.TABLE, ResultFormat.CSV, ResultFormat.TSV, ResultFormat.MD):
        assert (render(yes, fmt), render(no, fmt)) == ("true\n", "false\n")
    assert json.loads(render(yes, ResultFormat.JSON)) == {"head": {}, "boolean": True}
    parsed = ox.parse_query_results(render(no, ResultFormat.JSON), ox.QueryResultsFormat.JSON)
    assert isinstance(parsed, ox.QueryBoolean) and not bool(parsed)


def test_no_rows_still_gives_the_header() -> None:
    empty = QueryResult(QueryForm.SELECT, ("a", "b"), ())
    assert render(empty, ResultFormat.CSV) == "a,b\r\n"
    assert render(empty, ResultFormat.TSV) == "?a\t?b\n"
    assert json.loads(render(empty, ResultFormat.JSON)) == {"head": {"vars": ["a", "b"]}, "results": {"bindings": []}}
    assert render(empty, ResultFormat.TABLE) == "a  b\n-  -\n"


# --- for people


def test_table_uses_prefixed_names_and_aligns_columns() -> None:
    text = render(SAMPLE, ResultFormat.TABLE)
    lines = text.splitlines()
    assert lines[0].split() == list(SAMPLE.variables)
    assert set(lines[1].replace(" ", "")) == {"-"}
    assert lines[2].startswith("event:attf-meeting-4  ")
    assert lines[3].startswith("<https://example.org/other#x>")
    # Every column starts where its header does.
    starts = [lines[0].index(name) for name in SAMPLE.variables[:5]]
    for line, row in zip(lines[2:], EXPECTED, strict=True):
        for start, term in zip(starts, row, strict=False):
            cell = Names().text(term)
            if cell:
                assert line[start:].startswith(cell[:10]), (line, cell)
    # The literal's line break and tab became spaces; nothing is cut below the limit.
    assert 'Comma, "quote" new line tab \\ backslash | pipe' in lines[2]


def test_table_cuts_long_cells() -> None:
    long = QueryResult(QueryForm.SELECT, ("text",), ((Literal("x" * 100),),))
    line = render(long, ResultFormat.TABLE).splitlines()[2]
    assert line == "x" * (MAX_CELL - 1) + "…"


def test_table_fits_a_terminal_width(store: Store) -> None:
    query = find("timeline")
    result = store.query(query.text, bind(query, {}, store=store))
    for width in (80, 120, 200):
        lines = render(result, ResultFormat.TABLE, width=width).splitlines()
        assert max(len(line) for line in lines) <= width
        assert lines[2].startswith("2001-09-11")
    narrow = to_table(result.variables, result.rows, width=10)
    assert all(len(cell) >= MIN_COLUMN for cell in narrow.splitlines()[1].split())


def test_table_counts_wide_characters_twice() -> None:
    wide = QueryResult(QueryForm.SELECT, ("name", "n"), ((Literal("東京"), Literal(1)), (Literal("Rome"), Literal(2))))
    lines = render(wide, ResultFormat.TABLE).splitlines()
    assert lines[2] == "東京  1"
    assert lines[3] == "Rome  2"


def test_markdown_table() -> None:
    lines = render(SAMPLE, ResultFormat.MD).splitlines()
    assert lines[0] == "| iri | plain | lang | typed | blank | missing |"
    assert lines[1] == "| --- | --- | --- | --- | --- | --- |"
    assert lines[2] == ('| event:attf-meeting-4 | Comma, "quote" new line tab \\\\ backslash \\| pipe | Türkiye | 4 '
                        '| _:b0 |  |')
    for line in lines:
        # Unescaped pipes: one per column and one more.
        assert line.replace("\\|", "").count("|") == len(SAMPLE.variables) + 1


# --- graphs


@pytest.fixture(scope="session")
def network(store: Store) -> QueryResult:
    query = find("cooperation-network")
    return store.query(query.text, bind(query, {}, store=store))


def triples_of(graph: Graph) -> set[tuple[Node, Node, Node]]:
    return set(graph)


def test_construct_prints_turtle_that_oxigraph_reads(network: QueryResult) -> None:
    assert network.graph is not None
    for fmt in (ResultFormat.TTL, ResultFormat.TABLE):
        text = render(network, fmt)
        assert "@prefix atf: <https://w3id.org/atfgraph/ontology#> ." in text
        assert "organisation:rcc" in text  # entity prefixes make it readable
        parsed = {(from_oxigraph(t.subject), from_oxigraph(t.predicate), from_oxigraph(t.object))
                  for t in ox.parse(text, ox.RdfFormat.TURTLE)}
        assert parsed == triples_of(network.graph)


def test_construct_as_json_ld_that_oxigraph_reads(network: QueryResult) -> None:
    assert network.graph is not None
    text = render(network, ResultFormat.JSONLD)
    json.loads(text)
    parsed = {(from_oxigraph(t.subject), from_oxigraph(t.predicate), from_oxigraph(t.object))
              for t in ox.parse(text, ox.RdfFormat.JSON_LD)}
    assert parsed == triples_of(network.graph)


def test_describe_prints_turtle(store: Store) -> None:
    result = store.query(f"DESCRIBE <{EVENT}>")
    assert result.form is QueryForm.DESCRIBE
    text = render(result, ResultFormat.TABLE)
    graph = Graph().parse(data=text, format="turtle")
    assert (EVENT, RDFS.label, Literal("4th meeting of the Anti-Terrorism Task Force")) in graph
    assert (EVENT, RDF.type, ATF.Meeting) in graph


@pytest.mark.parametrize("fmt", [ResultFormat.CSV, ResultFormat.TSV, ResultFormat.JSON, ResultFormat.MD])
def test_a_graph_cannot_be_a_table_of_rows(network: QueryResult, fmt: ResultFormat) -> None:
    with pytest.raises(UsageError, match=r"CONSTRUCT answer cannot be written as .*; use jsonld, table, ttl"):
        render(network, fmt)


@pytest.mark.parametrize("fmt", [ResultFormat.TTL, ResultFormat.JSONLD])
def test_rows_cannot_be_a_graph(fmt: ResultFormat) -> None:
    with pytest.raises(UsageError, match="SELECT answer cannot be written as"):
        render(SAMPLE, fmt)
    with pytest.raises(UsageError, match="ASK answer cannot be written as"):
        render(QueryResult(QueryForm.ASK, boolean=True), fmt)


# --- the saved queries' answers in every format


SELECTS = [query for query in list_saved(ROOT / "queries") if "CONSTRUCT" not in query.text]
REQUIRED = {"events-in-country": {"country": "TR"}, "provenance": {"entity": "attf-meeting-4"}}


@pytest.mark.parametrize("query", SELECTS, ids=lambda query: query.name)
def test_saved_answers_read_back_in_every_format(store: Store, query: SavedQuery) -> None:
    result = store.query(query.text, bind(query, REQUIRED.get(query.name, {}), store=store))
    rows = [tuple(row) for row in result.rows]
    for fmt in (ox.QueryResultsFormat.JSON, ox.QueryResultsFormat.TSV):
        name = "json" if fmt == ox.QueryResultsFormat.JSON else "tsv"
        variables, parsed = solutions(render(result, ResultFormat(name)), fmt)
        assert tuple(variables) == result.variables
        assert parsed == rows
    table = list(csv.reader(io.StringIO(render(result, ResultFormat.CSV), newline="")))
    assert table[0] == list(result.variables)
    assert table[1:] == [["" if term is None else str(term) for term in row] for row in rows]
    assert len(render(result, ResultFormat.TABLE).splitlines()) == len(rows) + 2
    assert len(render(result, ResultFormat.MD).splitlines()) == len(rows) + 2
