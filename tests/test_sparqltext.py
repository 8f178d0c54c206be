"""Finding the WHERE group in query text, and binding parameters there."""

from __future__ import annotations

import pytest

from atfgraph.errors import QueryError
from atfgraph.sparqltext import bind_values, where_brace


@pytest.mark.parametrize(("query", "before"), [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT * WHERE "),
    ("SELECT * { ?s ?p ?o }", "SELECT * "),
    ("PREFIX a: <http://x/y?q=1>  # { in a comment\nSELECT * WHERE { ?s a:p '{' }", "SELECT * WHERE "),
    ('SELECT ("{" AS ?x) """{""" WHERE { ?s ?p ?o }', 'SELECT ("{" AS ?x) """{""" WHERE '),
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT { ?s ?p ?o } WHERE "),
    ("CONSTRUCT { ?s ?p ?o } { ?s ?p ?o }", "CONSTRUCT { ?s ?p ?o } "),
    ("ASK { ?s ?p ?o }", "ASK "),
    ("SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o } } }", "SELECT ?s WHERE "),
    ("SELECT * WHERE { FILTER(?a < ?b) }", "SELECT * WHERE "),
])
def test_where_brace(query: str, before: str) -> None:
    index = where_brace(query)
    assert query[index] == "{"
    assert query[:index].replace("\n", " ").endswith(before.split("\n")[-1])


def test_no_group_is_an_error() -> None:
    with pytest.raises(QueryError):
        where_brace("SELECT * WHERE")


def test_values_go_first_in_the_group() -> None:
    bound = bind_values("SELECT ?s WHERE { ?s ?p ?o } GROUP BY ?s", {"o": '"x"', "p": "<http://p>"})
    assert bound == 'SELECT ?s WHERE { VALUES (?o ?p) { ("x" <http://p>) }  ?s ?p ?o } GROUP BY ?s'
    assert bind_values("ASK { }", {}) == "ASK { }"
