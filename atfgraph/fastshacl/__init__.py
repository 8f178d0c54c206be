"""SHACL validation compiled to SPARQL and run on a pyoxigraph ``Store``: pyshacl's results, in seconds.

``validate(store, shapes)`` reads the shapes graph (rdflib, :mod:`.parse` into :mod:`.model` values),
compiles every constraint of every shape that has focus nodes into SPARQL SELECT queries whose solutions are
the validation results (:mod:`.compile`, with :mod:`.expressions` and :mod:`.datatypes`), runs them on the
store (:mod:`.engine`, :mod:`.focus`) and returns a :class:`ValidationReport` of frozen
:class:`ValidationResult` values, which :meth:`ValidationReport.to_rdflib_report` writes as a standard
``sh:ValidationReport`` graph. :class:`Validator` compiles once for many stores.

Supported: SHACL Core (every target, every property path, every constraint component) and SHACL-SPARQL
constraints (``sh:sparql`` with ``sh:prefixes``/``sh:declare``, ``$this``, ``$PATH``, ``$currentShape``,
message templates), plus SHACL-AF SPARQL targets. Not supported: SPARQL-based constraint components declared in
the shapes graph, ``$shapesGraph``, ``sh:entailment``, SHACL-AF rules, expressions and other target types;
a shapes graph using any of them raises :class:`UnsupportedFeature` naming it (:mod:`.features` lists what a
graph uses), so no rule is ever skipped silently.

Decisions worth knowing:

* The store is queried with its default graph as the union of all its graphs (``union=True``): atfgraph
  keeps each input file in a graph of its own. Every query counts a triple held in two graphs once. The
  ontology's triples (``rdfs:subClassOf``) must be in the store too, as they are in pyshacl's data graph.
* Oxigraph stores valid numbers and booleans by value: ``"5"^^xsd:int`` comes back as ``"5"^^xsd:integer``
  and ``"1.50"^^xsd:decimal`` as ``"1.5"`` (oxigraph/oxigraph#526). Such literals can therefore judge
  differently from pyshacl, which keeps derived integer types; atfgraph writes none.
* ``sh:datatype`` judges lexical forms with Oxigraph's XSD parsers, so an ill-typed ``xsd:gYearMonth``
  fails as SHACL says; pyshacl does not check that datatype. ``tests/test_fastshacl.py`` shows each place
  where the results differ from pyshacl's, and why.
* Messages of SPARQL constraints keep their template's language tag (pyshacl drops it).
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph

from atfgraph.fastshacl.compile import Check, Plan, compile_shapes
from atfgraph.fastshacl.engine import Engine
from atfgraph.fastshacl.errors import ShapesError, UnsupportedFeature, ValidationFailure
from atfgraph.fastshacl.features import SUPPORTED, features
from atfgraph.fastshacl.parse import parse
from atfgraph.fastshacl.report import ValidationReport, ValidationResult
from atfgraph.oxstore import to_oxigraph


class Validator:
    """A shapes graph compiled once, to validate any number of stores."""

    def __init__(self, shapes: Graph) -> None:
        self.plan = compile_shapes(parse(shapes))

    def validate(self, store: ox.Store, *, union: bool = True, workers: int = 2) -> ValidationReport:
        """Validate the store's triples: its default graph as the union of all its graphs, or (``union``
        False) its default graph alone. Queries run in ``workers`` threads."""
        results = Engine(store, self.plan, union=union, workers=workers).run()
        return ValidationReport(tuple(sorted(set(results), key=ValidationResult.sort_key)))


def validate(store: ox.Store, shapes: Graph, *, union: bool = True, workers: int = 2) -> ValidationReport:
    """Validate a store against a shapes graph (see :class:`Validator`)."""
    return Validator(shapes).validate(store, union=union, workers=workers)


def store_from_graphs(*graphs: Graph) -> ox.Store:
    """A new in-memory store holding the graphs' triples in its default graph, blank node labels kept so that
    results name the graphs' own blank nodes."""
    store = ox.Store()
    for graph in graphs:
        store.extend(
            ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))  # type: ignore[arg-type]
            for s, p, o in graph
        )
    return store


__all__ = [
    "SUPPORTED",
    "Check",
    "Plan",
    "ShapesError",
    "UnsupportedFeature",
    "ValidationFailure",
    "ValidationReport",
    "ValidationResult",
    "Validator",
    "compile_shapes",
    "features",
    "parse",
    "store_from_graphs",
    "validate",
]
