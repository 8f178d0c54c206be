"""Validating only what a change can affect: which nodes' SHACL results may change, and what to check them on.

A focus node's results depend only on the triples the shapes read from it. :func:`shapes_reach` works out,
from the shapes themselves (their targets, paths, constraints and the triple patterns of their SPARQL
queries), how far that is: triples up to ``hops`` steps away along objects, and chains of a few predicates
followed to any length (``atf:partOf+``). For the shipped shapes that is two steps (an event's organiser,
and the organiser's class) and the ``partOf``, ``partOfEvent`` and ``skos:broader`` chains. Shapes that read
anything else (an inverse path, ``sh:targetObjectsOf``, a SPARQL pattern not led from ``$this``, more steps)
are not scoped: the build then validates the whole graph, so no rule is ever judged on too little.

Given the subjects whose quads changed, the nodes whose results may change are those subjects, the nodes
with one of them as an object (two steps), and the nodes reaching one of them along a chain; these are
validated again on a store holding their quads, their objects' quads and their chains, and every other
node keeps its last results. :mod:`atfgraph.lastbuild` keeps what this needs; a test compares the results
with a whole validation after many kinds of change.
"""

from __future__ import annotations

import mmap
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path

from rdflib import URIRef, Variable
from rdflib.paths import MulPath
from rdflib.paths import SequencePath as RdflibSequence
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue

from atfgraph.checks import validate_oxigraph
from atfgraph.fastshacl import ValidationReport, ValidationResult, Validator
from atfgraph.fastshacl.model import (
    AlternativePath,
    AndConstraint,
    ClassConstraint,
    ClassTarget,
    ClosedConstraint,
    NodeConstraint,
    NodeTarget,
    NotConstraint,
    OneOrMorePath,
    OrConstraint,
    PairConstraint,
    PropertyConstraint,
    QualifiedConstraint,
    SequencePath,
    Shape,
    Shapes,
    SparqlConstraint,
    SparqlTarget,
    SubjectsOfTarget,
    XoneConstraint,
    ZeroOrMorePath,
    ZeroOrOnePath,
)
from atfgraph.fastshacl.parse import parse
from atfgraph.oxstore import OxigraphStore
from atfgraph.parsecache import parse_apart
from atfgraph.resources import shapes_graph

REACHABLE_HOPS = 2
"""The steps a scoped validation covers: a node's own triples and its objects' triples."""


@dataclass(frozen=True)
class Reach:
    """How far shapes read from a focus node: triples up to ``hops`` steps along objects, and chains of the
    ``chains`` predicates (IRIs) to any length."""

    hops: int
    chains: frozenset[str]


class _Unbounded(Exception):
    """The shapes read something a scoped validation does not cover."""


@cache
def shapes_reach() -> Reach | None:
    """The shipped shapes' reach, or None when they read beyond what a scoped validation covers."""
    return reach_of(parse(shapes_graph()))


def reach_of(shapes: Shapes) -> Reach | None:
    """The reach of a parsed shapes graph (None: unbounded, or more than :data:`REACHABLE_HOPS` steps)."""
    walker = _Walker(shapes)
    try:
        for shape in shapes.shapes.values():
            if shape.targets and not shape.deactivated:
                for target in shape.targets:
                    walker.target(target)
                walker.shape(shape, 0)
    except _Unbounded:
        return None
    if walker.hops > REACHABLE_HOPS:
        return None
    return Reach(walker.hops, frozenset(walker.chains))


class _Walker:
    def __init__(self, shapes: Shapes) -> None:
        self.shapes = shapes
        self.hops = 0
        self.chains: set[str] = set()
        self._seen: set[tuple[object, int]] = set()

    def read(self, hop: int) -> None:
        self.hops = max(self.hops, hop)
        if self.hops > REACHABLE_HOPS:
            raise _Unbounded(f"reads {hop} steps away")

    def target(self, target: object) -> None:
        if isinstance(target, (ClassTarget, SubjectsOfTarget)):
            self.read(1)
        elif isinstance(target, SparqlTarget):
            self.sparql(target.select, target.prefixes, 0)
        elif not isinstance(target, NodeTarget):
            raise _Unbounded(f"target {type(target).__name__}")

    def shape(self, shape: Shape, depth: int) -> None:
        if (shape.node, depth) in self._seen:
            return
        self._seen.add((shape.node, depth))
        value_depth = depth
        if shape.path is not None:
            value_depth = depth + self.path(shape.path)
            self.read(value_depth)
        for constraint in shape.constraints:
            self.constraint(constraint, depth, value_depth)

    def path(self, path: object) -> int:
        """The steps a path takes; a chain of one predicate is followed by the scoping, whatever its length."""
        if isinstance(path, URIRef):
            return 1
        if isinstance(path, SequencePath):
            return sum(self.path(step) for step in path.paths)
        if isinstance(path, AlternativePath):
            return max(self.path(step) for step in path.paths)
        if isinstance(path, ZeroOrOnePath):
            return self.path(path.path)
        if isinstance(path, (OneOrMorePath, ZeroOrMorePath)) and isinstance(path.path, URIRef):
            self.chains.add(str(path.path))
            return 1
        raise _Unbounded(f"path {path!r}")

    def constraint(self, constraint: object, depth: int, value_depth: int) -> None:
        if isinstance(constraint, (ClassConstraint, ClosedConstraint)):
            self.read(value_depth + 1)  # the value's types; the node's own triples
        elif isinstance(constraint, PairConstraint):
            self.read(depth + 1)
        elif isinstance(constraint, (NotConstraint, NodeConstraint, QualifiedConstraint)):
            self.shape(self.shapes[constraint.shape], value_depth)
        elif isinstance(constraint, (AndConstraint, OrConstraint, XoneConstraint)):
            for member in constraint.shapes:
                self.shape(self.shapes[member], value_depth)
        elif isinstance(constraint, PropertyConstraint):
            self.shape(self.shapes[constraint.shape], value_depth)
        elif isinstance(constraint, SparqlConstraint):
            self.sparql(constraint.select, constraint.prefixes, value_depth)
        # Every other component judges the values themselves, read already.

    def sparql(self, select: str, prefixes: tuple[tuple[str, str], ...], depth: int) -> None:
        """The steps a SPARQL query's triple patterns take from ``$this`` (``?this`` in a target)."""
        header = "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in prefixes)
        try:
            query = parse_apart(partial(prepareQuery, header + select.replace("$this", "?this")))
        except Exception as error:  # rdflib raises plain Exceptions for unknown prefixes
            raise _Unbounded(f"a query rdflib cannot read: {error}") from error
        patterns = list(_patterns(query.algebra))
        depths: dict[object, int] = {Variable("this"): depth}
        for _ in range(len(patterns) + 1):  # a pattern may lead from a variable reached by a later one
            for subject, predicate, obj in patterns:
                if subject in depths:
                    reached = depths[subject] + self._pattern_steps(predicate)
                    self.read(reached)
                    if isinstance(obj, Variable) and depths.get(obj, -1) < reached and obj != Variable("this"):
                        depths[obj] = reached
        for subject, _, _ in patterns:
            if subject not in depths:  # a constant subject, or one reached from the object side
                raise _Unbounded(f"a pattern not led from $this: {subject}")

    def _pattern_steps(self, predicate: object) -> int:
        if isinstance(predicate, URIRef):
            return 1
        if isinstance(predicate, RdflibSequence):
            return sum(self._pattern_steps(step) for step in predicate.args)
        if isinstance(predicate, MulPath) and isinstance(predicate.path, URIRef) and predicate.mod in ("+", "*"):
            self.chains.add(str(predicate.path))
            return 1
        raise _Unbounded(f"predicate {predicate!r}")  # a variable, an inverse or alternative path...


def _patterns(node: object) -> Iterator[tuple[object, object, object]]:
    if isinstance(node, CompValue):
        if node.name == "BGP":
            yield from node.triples
        for value in node.values():
            yield from _patterns(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from _patterns(value)


def affected(changed: Iterable[str], reach: Reach, runs: Iterable[Path]) -> set[str]:
    """The nodes whose results may change: the changed subjects, the nodes with one as an object (when the
    shapes read two steps), and the nodes reaching one along a chain. ``runs``: files of N-Triples lines in
    which to find those nodes (the last build's graphs; a triple added since has a changed subject)."""
    found = set(changed)
    with _Lines(runs) as lines:
        referrers = lines.referrers(found)
        if reach.hops >= 2:
            found |= {subject for pairs in referrers.values() for subject, _ in pairs}
        # Followed on their own: a node two steps back along a chain may already be in for another reason.
        frontier, along = set(changed), set(changed)
        while frontier and reach.chains:
            referrers.update(lines.referrers(frontier - referrers.keys()))
            step = {subject for node in frontier for subject, predicate in referrers[node]
                    if predicate in reach.chains} - along
            along |= step
            frontier = step
    return found | along


Pairs = dict[str, list[tuple[str, str]]]
"""Nodes' quads as (N-Triples line, graph) pairs, by node."""


def neighbourhood(nodes: set[str], reach: Reach, lookup: Callable[[set[str]], Pairs]) -> Pairs:
    """The quads a scoped validation of ``nodes`` needs: theirs, their objects', and those of the chains from
    them. ``lookup`` gives nodes' quads as they are now."""
    found = lookup(set(nodes))
    objects = {obj for node in nodes for triple, _ in found[node] if (obj := _object_iri(triple)) is not None}
    found.update(lookup(objects - found.keys()))
    frontier, seen = set(nodes), set(nodes)
    while frontier and reach.chains:
        step = {obj for node in frontier for triple, _ in found[node]
                if triple.split(" ", 2)[1][1:-1] in reach.chains and (obj := _object_iri(triple)) is not None}
        step -= seen
        seen |= step
        found.update(lookup(step - found.keys()))
        frontier = step
    return found


def revalidate(changed: Iterable[str], reach: Reach, runs: Iterable[Path], lookup: Callable[[set[str]], Pairs],
               previous: ValidationReport, validator: Validator | None = None) -> ValidationReport:
    """The results of validating the whole graph now, from ``previous`` (the whole graph's results before the
    change): the nodes the changed subjects can affect (:func:`affected`, found in the ``runs`` of the graph
    before) are validated on a store of their :func:`neighbourhood`, and every other node keeps its results."""
    nodes = affected(changed, reach, runs)
    quads = neighbourhood(nodes, reach, lookup)
    store = OxigraphStore()
    store.load_nquads("".join(f"{triple[:-3]} {graph} .\n" if graph else triple
                              for pairs in quads.values() for triple, graph in pairs).encode("utf-8"))
    fresh = validate_oxigraph(store, validator)
    kept = [result for result in previous.results if not _among(result, nodes)]
    new = [result for result in fresh.results if _among(result, nodes)]
    return ValidationReport(tuple(sorted(set(kept + new), key=ValidationResult.sort_key)))


def _among(result: ValidationResult, nodes: set[str]) -> bool:
    return isinstance(result.focus_node, URIRef) and str(result.focus_node) in nodes


def _object_iri(triple: str) -> str | None:
    """The object of an N-Triples line when it is an IRI."""
    body = triple.rstrip("\n")[:-2]  # " ."
    if not body.endswith(">"):
        return None
    start = body.rfind(" <")
    if start < 0 or '"' in body[start:]:
        return None  # a datatype IRI, not an object
    return body[start + 2:-1]


class _Lines:
    """Files of N-Triples lines, mapped, for finding the subjects of triples with a given object."""

    def __init__(self, paths: Iterable[Path]) -> None:
        self._paths = [path for path in paths if path.stat().st_size]
        self._maps: list[mmap.mmap] = []

    def __enter__(self) -> _Lines:
        for path in self._paths:
            with path.open("rb") as handle:
                self._maps.append(mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ))
        return self

    def __exit__(self, *exc: object) -> None:
        for data in self._maps:
            data.close()
        self._maps = []

    def referrers(self, objects: Iterable[str]) -> dict[str, list[tuple[str, str]]]:
        """For each IRI, the (subject, predicate) of every line whose object it is: one scan of the files each.

        An IRI object is the last term of its line and follows a space, which tells it from a datatype
        (``^^<...>``); a literal's line ends with a quote, a language tag or a datatype, and a raw line
        break stands only at the end of a line."""
        found: dict[str, list[tuple[str, str]]] = {}
        for obj in objects:
            pairs = found[obj] = []
            ending = f" <{obj}> .\n".encode()
            for data in self._maps:
                position = data.find(ending)
                while position >= 0:
                    start = data.rfind(b"\n", 0, position) + 1
                    subject, predicate = data[start:position].decode("utf-8").split(" ", 2)[:2]
                    pairs.append((subject[1:-1], predicate[1:-1]))
                    position = data.find(ending, position + len(ending))
        return found


__all__ = ["REACHABLE_HOPS", "Pairs", "Reach", "affected", "neighbourhood", "reach_of", "revalidate", "shapes_reach"]
