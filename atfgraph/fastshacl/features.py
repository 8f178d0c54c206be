"""Which SHACL features a shapes graph uses, named, and which of them this validator implements.

Used to decide, from the shapes alone, whether a shapes graph (a W3C test case, say) is one this validator
can run, and to list what a graph needs that it lacks. :func:`atfgraph.fastshacl.parse.parse` raises
:class:`UnsupportedFeature` for exactly the graphs whose features are not all in :data:`SUPPORTED`.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from atfgraph.fastshacl import sparqltext
from atfgraph.fastshacl.model import SH
from atfgraph.fastshacl.parse import (
    CONSTRAINT_PARAMETERS,
    DESCRIPTIVE_PARAMETERS,
    TARGET_PARAMETERS,
    ShapeReader,
    shape_reader,
)
from atfgraph.fastshacl.terms import Term

CUSTOM_COMPONENTS = "SPARQL-based constraint components"
AF_TARGET_TYPES = "SHACL-AF target types"
IMPLICIT_CLASS_TARGET = "implicit class target"
SPARQL_TARGET = "sh:SPARQLTarget"
PATH_KINDS = ("sh:inversePath", "sh:alternativePath", "sh:zeroOrMorePath", "sh:oneOrMorePath", "sh:zeroOrOnePath",
              "sequence path")

SUPPORTED = frozenset({
    *(f"sh:{name[len(str(SH)):]}" for name in CONSTRAINT_PARAMETERS | DESCRIPTIVE_PARAMETERS),
    *(f"sh:{name[len(str(SH)):]}" for name in TARGET_PARAMETERS if name != SH.target),
    *PATH_KINDS, IMPLICIT_CLASS_TARGET, SPARQL_TARGET, "sh:prefixes", "sh:select", "$PATH", "$currentShape",
})
"""Every feature name :func:`features` can report that this validator implements."""


def features(graph: Graph) -> frozenset[str]:
    """The SHACL features the graph's shapes use: ``sh:`` parameters by name (``sh:datatype``), target and path
    kinds, the SPARQL variables SHACL pre-binds, and the unsupported ones under the names of this module."""
    found: set[str] = set()
    if (None, SH.entailment, None) in graph:
        found.add("sh:entailment")
    reader = shape_reader(graph)
    for node in reader.shape_nodes():
        for predicate in {p for p in graph.predicates(node) if isinstance(p, URIRef)}:
            if predicate in reader.component_parameters:
                found.add(CUSTOM_COMPONENTS)
            elif predicate.startswith(str(SH)) and predicate != SH.target:
                found.add(f"sh:{predicate[len(str(SH)):]}")
        if reader.implicit_class_target(node):
            found.add(IMPLICIT_CLASS_TARGET)
        for target in reader.objects(node, SH.target):
            kinds = set(reader.objects(target, RDF.type))
            selects = reader.objects(target, SH.select)
            found.add(SPARQL_TARGET if len(selects) == 1 and kinds <= {SH.SPARQLTarget} else AF_TARGET_TYPES)
            found.update(_query_features(reader.objects(target, SH.select), (target, SH.prefixes, None) in graph))
        for path in reader.objects(node, SH.path):
            found.update(_path_features(reader, path, 0))
        for constraint in reader.objects(node, SH.sparql):
            found.update(_query_features(reader.objects(constraint, SH.select),
                                         (constraint, SH.prefixes, None) in graph))
    return frozenset(found)


def _query_features(selects: list[Term], prefixes: bool) -> set[str]:
    found = {"sh:prefixes"} if prefixes else set()
    for select in selects:
        for name in ("PATH", "currentShape", "shapesGraph"):
            if sparqltext.uses_variable(str(select), name):
                found.add(f"${name}")
    return found


def _path_features(reader: ShapeReader, node: Term, depth: int) -> set[str]:
    if isinstance(node, URIRef | Literal) or depth > 50:
        return set()
    found = set()
    if (node, RDF.first, None) in reader.graph:
        found.add("sequence path")
        for item in reader.items(node, SH.path):
            found.update(_path_features(reader, item, depth + 1))
        return found
    for predicate in (SH.inversePath, SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath):
        for inner in reader.objects(node, predicate):
            found.add(f"sh:{predicate[len(str(SH)):]}")
            found.update(_path_features(reader, inner, depth + 1))
    for alternatives in reader.objects(node, SH.alternativePath):
        found.add("sh:alternativePath")
        for item in reader.items(alternatives, SH.alternativePath):
            found.update(_path_features(reader, item, depth + 1))
    return found
