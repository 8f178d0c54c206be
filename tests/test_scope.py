"""Scoped validation: the reach of shapes, and the same results as validating the whole graph after a change."""

from __future__ import annotations

import random
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from atfgraph.checks import validate_oxigraph
from atfgraph.export import sorted_lines
from atfgraph.fastshacl.parse import parse
from atfgraph.loader import load
from atfgraph.namespaces import ATF, RDF, RDFS, SKOS
from atfgraph.oxstore import OxigraphStore
from atfgraph.scope import Pairs, Reach, reach_of, revalidate, shapes_reach
from atfgraph.splice import quad_pair
from benchmarks.generate import generate

SHAPES_HEAD = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
"""


def test_the_shipped_shapes_read_two_steps_and_three_chains() -> None:
    assert shapes_reach() == Reach(2, frozenset({str(ATF.partOf), str(ATF.partOfEvent), str(SKOS.broader)}))


@pytest.mark.parametrize("shapes", [
    "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path [ sh:inversePath ex:p ] ; sh:minCount 1 ] .",
    "ex:S a sh:NodeShape ; sh:targetObjectsOf ex:p ; sh:nodeKind sh:IRI .",
    "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ( ex:p ex:q ex:r ) ; sh:minCount 1 ] .",
    "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:node ex:T ] .\n"
    "ex:T a sh:NodeShape ; sh:property [ sh:path ex:q ; sh:class ex:D ] .",
    "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:select "
    '"SELECT $this WHERE { <http://example.org/c> <http://example.org/p> ?x . FILTER(?x > 3) }" ] .',
    "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:select "
    '"SELECT $this WHERE { ?other <http://example.org/p> $this }" ] .',
], ids=["inverse path", "objects-of target", "three steps", "node shape three steps", "constant subject",
        "pattern into $this"])
def test_shapes_that_read_further_are_not_scoped(shapes: str) -> None:
    graph = Graph().parse(data=SHAPES_HEAD + shapes, format="turtle")
    assert reach_of(parse(graph)) is None


def test_shapes_within_reach_are_scoped() -> None:
    graph = Graph().parse(data=SHAPES_HEAD + (
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:class ex:D ] ;"
        ' sh:sparql [ sh:select "SELECT $this WHERE { $this <http://example.org/q>+ $this }" ] .'), format="turtle")
    assert reach_of(parse(graph)) == Reach(2, frozenset({"http://example.org/q"}))


def _runs(store: ox.Store, folder: Path) -> list[Path]:
    """Each graph's sorted N-Triples lines, as a cached build keeps them."""
    folder.mkdir()
    runs = []
    for index, graph in enumerate([ox.DefaultGraph(), *store.named_graphs()]):
        lines = sorted_lines(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph))
        runs.append(folder / f"{index}.nt")
        runs[-1].write_bytes(b"".join(line + b"\n" for line in lines))
    return runs


def _lookup(store: ox.Store) -> object:
    def lookup(wanted: set[str]) -> Pairs:
        found: Pairs = {}
        for node in wanted:
            found[node] = sorted(map(quad_pair, store.quads_for_pattern(ox.NamedNode(node), None, None, None)))
        return found
    return lookup


def _nodes(store: ox.Store, cls: str) -> list[str]:
    return sorted({quad.subject.value for quad in store.quads_for_pattern(None, ox.NamedNode(str(RDF.type)),
                                                                           ox.NamedNode(cls), None)})


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> OxigraphStore:
    folder = tmp_path_factory.mktemp("generated")
    generate(folder / "data", 400, seed=5)
    build = load(folder / "data", store=OxigraphStore())
    assert isinstance(build.store, OxigraphStore)
    return build.store


CHAIN = [f"https://w3id.org/atfgraph/id/organisation/org-{number}" for number in (1, 2, 3)]
CYCLE = [f"https://w3id.org/atfgraph/id/organisation/org-{number}" for number in (4, 5, 6)]


def _mutations(store: ox.Store, rng: random.Random) -> list[tuple[str, list[ox.Quad], list[ox.Quad]]]:
    """Changes of every kind the shapes can judge across nodes: (name, quads removed, quads added)."""
    organisations = _nodes(store, str(ATF.Organisation))
    topics = _nodes(store, str(ATF.Topic))
    dates = _nodes(store, str(ATF.DateSpec))
    graph = ox.NamedNode("https://example.org/graph/changed")
    org = rng.choice(organisations)
    first, second, third = rng.sample(organisations, 3)
    date = rng.choice(dates)
    topic_a, topic_b = rng.sample(topics, 2)
    # An event another one follows: once it is gone, the follower's sh:class result changes.
    event = rng.choice(sorted({quad.object.value for quad in store.quads_for_pattern(
        None, ox.NamedNode(str(ATF.follows)), None, None)}))
    part_of, broader = ox.NamedNode(str(ATF.partOf)), ox.NamedNode(str(SKOS.broader))
    chain = [ox.NamedNode(node) for node in CHAIN]
    return [
        # Events elsewhere name the organisation: without its class, their sh:class results change.
        ("an organisation loses its class", list(store.quads_for_pattern(
            ox.NamedNode(org), ox.NamedNode(str(RDF.type)), None, None)), []),
        # X is part of Y, and Y of Z (see the test): Z part of X closes a cycle, and X and Y, unchanged, are on it.
        ("a cycle of partOf closed by one edge", [], [ox.Quad(chain[2], part_of, chain[0], graph)]),
        ("a longer cycle", [], [
            ox.Quad(ox.NamedNode(first), part_of, ox.NamedNode(second), graph),
            ox.Quad(ox.NamedNode(second), part_of, ox.NamedNode(third), graph),
            ox.Quad(ox.NamedNode(third), part_of, ox.NamedNode(first), graph)]),
        ("a date's bounds out of order", list(store.quads_for_pattern(
            ox.NamedNode(date), ox.NamedNode(str(ATF.latest)), None, None)),
         [ox.Quad(ox.NamedNode(date), ox.NamedNode(str(ATF.latest)),
                  ox.Literal("1900-01-01", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")), graph),
          ox.Quad(ox.NamedNode(date), ox.NamedNode(str(ATF.earliest)),
                  ox.Literal("2100-01-01", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")), graph)]),
        # P's result depends on R, two steps along the cycle: the scoped store must hold the whole chain.
        ("a second label on a node of a cycle", [], [
            ox.Quad(ox.NamedNode(CYCLE[0]), ox.NamedNode(str(RDFS.label)), ox.Literal("Other"), graph)]),
        ("a cycle of broader topics", [], [
            ox.Quad(ox.NamedNode(topic_a), broader, ox.NamedNode(topic_b), graph),
            ox.Quad(ox.NamedNode(topic_b), broader, ox.NamedNode(topic_a), graph)]),
        ("an event others follow removed whole",
         list(store.quads_for_pattern(ox.NamedNode(event), None, None, None)), []),
        ("a second label", [], [ox.Quad(ox.NamedNode(org), ox.NamedNode(str(RDFS.label)), ox.Literal("Other"),
                                        graph)]),
    ]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_scoped_validation_gives_the_whole_validations_results(generated: OxigraphStore, tmp_path: Path,
                                                                   seed: int) -> None:
    """Each change is made to a copy of a generated graph; the results of validating the whole changed graph
    are compared with those of the last results plus a validation of the nodes the change can affect."""
    start = OxigraphStore()  # the generated graph and a chain of three organisations: X part of Y part of Z
    start.store.extend(generated.store.quads_for_pattern(None, None, None, None))
    chain = [ox.NamedNode(node) for node in CHAIN]
    start.store.extend(ox.Quad(chain[index], ox.NamedNode(str(ATF.partOf)), chain[index + 1],
                               ox.NamedNode("https://example.org/graph/chain")) for index in range(2))
    cycle = [ox.NamedNode(node) for node in CYCLE]  # and a cycle already there: P part of Q of R of P
    start.store.extend(ox.Quad(cycle[index], ox.NamedNode(str(ATF.partOf)), cycle[(index + 1) % 3],
                               ox.NamedNode("https://example.org/graph/cycle")) for index in range(3))
    before = start.store
    previous = validate_oxigraph(start)
    runs = _runs(before, tmp_path / "runs")
    for name, removed, added in _mutations(before, random.Random(seed)):
        changed = OxigraphStore()
        changed.store.extend(before.quads_for_pattern(None, None, None, None))
        for quad in removed:
            changed.store.remove(quad)
        changed.store.extend(added)
        subjects = {quad.subject.value for quad in (*removed, *added)}
        whole = validate_oxigraph(changed)
        scoped = revalidate(subjects, shapes_reach() or Reach(0, frozenset()), runs, _lookup(changed.store),
                            previous)
        assert scoped.results == whole.results, name
        assert whole.results != previous.results, name  # the change is one the shapes see
