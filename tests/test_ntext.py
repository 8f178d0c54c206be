"""Term text: what the mapping writes must be the term rdflib's ``Literal(value)`` or ``URIRef`` stands for,
as a separate parser (Oxigraph's N-Triples reader) reads it."""

from __future__ import annotations

import datetime

import pyoxigraph as ox
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Literal, URIRef

from atfgraph.ntext import iri, literal, nquads, term
from atfgraph.oxstore import to_oxigraph


def _read_object(text: str) -> object:
    (triple,) = ox.parse(f"<https://example.org/s> <https://example.org/p> {text} .\n".encode(),
                         format=ox.RdfFormat.N_TRIPLES)
    return triple.object


@given(st.one_of(st.text(), st.integers(), st.booleans(), st.dates()))
def test_literal_is_rdflibs_literal(value: str | int | bool | datetime.date) -> None:
    assert _read_object(literal(value)) == to_oxigraph(Literal(value))


@given(st.text(), st.sampled_from([None, "en", "ro"]))
def test_rdflib_terms_keep_their_datatype_or_language(text: str, language: str | None) -> None:
    plain = Literal(text, lang=language)
    typed = Literal(text, datatype=URIRef("http://www.w3.org/2001/XMLSchema#gYear"))
    assert _read_object(term(plain)) == to_oxigraph(plain)
    assert _read_object(term(typed)) == to_oxigraph(typed)


def test_iris_and_quads_in_the_default_and_a_named_graph() -> None:
    subject, predicate = iri("https://example.org/s"), iri("https://example.org/p")
    data = nquads([(subject, predicate, literal("a \"b\"\n"), ""),
                   (subject, predicate, literal(3), iri("https://example.org/g"))])
    quads = list(ox.parse(data, format=ox.RdfFormat.N_QUADS))
    assert [quad.graph_name for quad in quads] == [ox.DefaultGraph(), ox.NamedNode("https://example.org/g")]
    assert quads[0].object == ox.Literal('a "b"\n')
