"""The streaming JSON-LD writer: the same bytes as rdflib's serialiser, and the same graph to pyld."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyld import jsonld as pyld
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

from atfgraph.export import Format, context, jsonld, prefixed_graph, render
from atfgraph.jsonldwrite import JsonLdWriter, UnsupportedGraph, line_statements, statements
from atfgraph.jsontext import indented, sort_sets
from atfgraph.loader import load
from atfgraph.oxstore import OxigraphStore
from atfgraph.store import MemoryStore
from benchmarks.generate import generate
from tests.conftest import DATA

EX = Namespace("https://example.org/")


def _rdflib_and_ours(store: OxigraphStore, base: str) -> tuple[str, str]:
    return jsonld(prefixed_graph(store, base)), render(store, Format.JSONLD, base)


@pytest.mark.parametrize("events", [0, 400])
def test_same_bytes_as_rdflibs_serialiser(events: int) -> None:
    """The shipped data alone, and with generated events (every date form, country names, claims)."""
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        if events:
            generate(data, events)
        build = load(DATA if not events else data, store=OxigraphStore())
        expected, written = _rdflib_and_ours(build.store, build.base)  # type: ignore[arg-type]
    assert written == expected
    assert json.loads(written)["@graph"]  # many nodes: the comparison covered something


def test_pyld_reads_the_same_graph_back() -> None:
    build = load(DATA, store=OxigraphStore())
    written = render(build.store, Format.JSONLD, build.base)
    # The context is inline, so pyld needs no document loader (and so makes no request).
    nquads = pyld.to_rdf(json.loads(written), {"format": "application/n-quads"})
    assert isomorphic(Graph().parse(data=nquads, format="nquads"), build.store.union())


def _document(text: str) -> dict[str, Any]:
    writer = JsonLdWriter(context())
    return writer.document(ox.parse(text.encode(), format=ox.RdfFormat.N_TRIPLES))


def test_value_forms_follow_the_context_terms() -> None:
    """Coerced terms take bare values; other values keep their types; unknown predicates keep their IRIs."""
    atf = "https://w3id.org/atfgraph/ontology#"
    xsd = "http://www.w3.org/2001/XMLSchema#"
    text = (
        f'<{EX}e> <{atf}number> "4"^^<{xsd}integer> .\n'  # term coerced to xsd:integer: the text
        f'<{EX}e> <http://www.w3.org/2000/01/rdf-schema#label> "Four"@en .\n'  # plain term, language tag
        f'<{EX}e> <{EX}count> "5"^^<{xsd}integer> .\n'  # no term: a native JSON number
        f'<{EX}e> <{EX}when> "2003"^^<{xsd}gYear> .\n'  # no term: a typed value object
        f"<{EX}e> <{atf}place> <{EX}bucharest> .\n"  # term coerced to @id: the IRI
        f"<{EX}e> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{atf}Meeting> .\n"
    )
    document = _document(text)
    node = {key: value for key, value in document.items() if key != "@context"}
    expected_graph = Graph().parse(data=text, format="nt")
    assert node["number"] == "4"
    assert node["label"] == {"@language": "en", "@value": "Four"}
    assert node["@type"] == "Meeting"
    assert node["place"] == f"{EX}bucharest"
    assert node[f"{EX}count"] == 5
    assert node[f"{EX}when"] == {"@type": "xsd:gYear", "@value": "2003"}
    reread = Graph().parse(data=pyld.to_rdf(document, {"format": "application/n-quads"}), format="nquads")
    assert isomorphic(reread, expected_graph)


def test_blank_nodes_are_refused_not_guessed() -> None:
    with pytest.raises(UnsupportedGraph, match="blank node"):
        _document(f'_:b <{EX}p> "x" .\n')


def test_contexts_with_containers_are_refused() -> None:
    with pytest.raises(UnsupportedGraph, match="@container"):
        JsonLdWriter({"tags": {"@id": f"{EX}tag", "@container": "@set"}})


def test_memory_and_oxigraph_stores_write_the_same_jsonld() -> None:
    """The in-memory store keeps rdflib's serialiser: the two paths must agree byte for byte."""
    oxigraph = OxigraphStore()
    quads = [(EX.a, URIRef("https://w3id.org/atfgraph/ontology#label"), Literal("A"), EX.g),
             (EX.b, URIRef("https://w3id.org/atfgraph/ontology#label"), Literal("B"), EX.g)]
    oxigraph.add(quads)
    memory = MemoryStore()
    memory.add(quads)
    assert render(memory, Format.JSONLD, str(EX)) == render(oxigraph, Format.JSONLD, str(EX))


def _written(text: str) -> str:
    """The streaming writer's text, from N-Triples lines read as the renderer reads its file."""
    parts: list[str] = []
    JsonLdWriter(context()).write(line_statements(io.StringIO(text, newline="\n")), parts.append)
    return "".join(parts)


def _whole(text: str) -> str:
    """The document built whole, then sorted and laid out: what the streaming writer must equal."""
    return indented(sort_sets(_document(text))) + "\n"


_LOCAL = st.lists(st.sampled_from(["a", "Z", "0", "9", "-", ".", "_", "~", "é", "字", "%2F"]), min_size=1,
                  max_size=6).map("".join)
_ATF_ID = "https://w3id.org/atfgraph/id/"


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(nodes=st.lists(st.tuples(st.sampled_from(["event/", "organisation/", "topic/", ""]), _LOCAL,
                                st.lists(_LOCAL, max_size=3)), max_size=8, unique_by=lambda node: node[:2]))
def test_written_node_by_node_as_the_whole_document_is(nodes: list[tuple[str, str, list[str]]]) -> None:
    """Node texts sorted by their encoded @id give the order of sorting whole nodes by their JSON text:
    ids that are prefixes of one another, escaped and non-ASCII characters, IRIs the context shrinks and
    IRIs it does not, one node, none."""
    lines = []
    for kind, local, labels in nodes:
        subject = f"<{_ATF_ID}{kind}{local}>" if kind else f"<{EX}{local}>"
        lines.append(f"{subject} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
                     f"<https://w3id.org/atfgraph/ontology#Event> .")
        lines.extend(f'{subject} <http://www.w3.org/2000/01/rdf-schema#label> "{label}" .' for label in labels)
    text = "".join(f"{line}\n" for line in sorted(set(lines)))
    assert _written(text) == _whole(text)


def test_an_empty_graph_and_a_one_node_graph_are_written_as_rdflib_writes_them() -> None:
    assert json.loads(_written(""))["@graph"] == []
    one = f'<{EX}a> <http://www.w3.org/2000/01/rdf-schema#label> "A" .\n'
    assert "@graph" not in json.loads(_written(one)) and _written(one) == _whole(one)


_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)


@settings(max_examples=150, deadline=None)
@given(value=_TEXT, language=st.sampled_from([None, "en", "tr", "sr-latn"]),
       datatype=st.sampled_from([None, "http://www.w3.org/2001/XMLSchema#date", "https://example.org/dt"]))
def test_lines_read_as_pyoxigraph_reads_them(value: str, language: str | None, datatype: str | None) -> None:
    """Any literal Oxigraph writes (quotes, backslashes, control characters, line separators, astral
    characters) reads back from its line as the same statement as pyoxigraph parses it."""
    obj = (ox.Literal(value, language=language) if language else
           ox.Literal(value, datatype=ox.NamedNode(datatype)) if datatype else ox.Literal(value))
    triples = [ox.Triple(ox.NamedNode(f"{EX}s"), ox.NamedNode(f"{EX}p"), obj),
               ox.Triple(ox.NamedNode(f"{EX}s"), ox.NamedNode(f"{EX}q"), ox.NamedNode(f"{EX}o"))]
    text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    assert text is not None
    lines = io.StringIO(text.decode("utf-8"), newline="\n")
    assert list(line_statements(lines)) == list(statements(ox.parse(text, format=ox.RdfFormat.N_TRIPLES)))
    # The writer's own reading of lines, in the same loop as it makes nodes: the same nodes.
    writer = JsonLdWriter(context())
    expected = list(writer.nodes(statements(ox.parse(text, format=ox.RdfFormat.N_TRIPLES))))
    assert list(writer.line_nodes(io.StringIO(text.decode("utf-8"), newline="\n"))) == expected


def test_lines_of_a_whole_build_give_the_nodes_statements_give() -> None:
    """Every node of the shipped data and of generated data, read from the sorted N-Triples the renderer
    writes, by the fused reader and by statements from pyoxigraph's parser."""
    with tempfile.TemporaryDirectory() as folder:
        generate(Path(folder), 300)
        for data in (DATA, Path(folder)):
            build = load(data, store=OxigraphStore())
            text = render(build.store, Format.NT, build.base)
            writer = JsonLdWriter(context())
            expected = list(writer.nodes(statements(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))))
            assert list(writer.line_nodes(io.StringIO(text, newline="\n"))) == expected
            assert len(expected) > 100


def test_blank_nodes_in_lines_are_refused_not_guessed() -> None:
    with pytest.raises(UnsupportedGraph, match="blank node subject"):
        list(line_statements([f'_:b <{EX}p> "x" .\n']))
    with pytest.raises(UnsupportedGraph, match="blank node object"):
        list(line_statements([f"<{EX}s> <{EX}p> _:b .\n"]))
    writer = JsonLdWriter(context())
    with pytest.raises(UnsupportedGraph, match="blank node subject"):
        list(writer.line_nodes([f'_:b <{EX}p> "x" .\n']))
    with pytest.raises(UnsupportedGraph, match="blank node object"):
        list(writer.line_nodes([f"<{EX}s> <{EX}p> _:b .\n"]))
