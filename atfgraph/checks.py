"""SHACL validation with pyshacl, and the report that joins record problems and SHACL results.

The ontology's subclass axioms are put into the data graph so pyshacl needs no (slow) RDFS inference.
Each SHACL result is traced back to the record line that made its focus node.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, partial

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from atfgraph.errors import DataError, Location, Problem, Severity
from atfgraph.fastshacl import ValidationReport, Validator
from atfgraph.loader import Build
from atfgraph.namespaces import PREFIXES, RDF, SH
from atfgraph.oxstore import OxigraphStore
from atfgraph.parsecache import parse_apart
from atfgraph.resources import ontology_graph, shapes_graph

_SEVERITIES = {SH.Violation: Severity.VIOLATION, SH.Warning: Severity.WARNING, SH.Info: Severity.INFO}


@dataclass(frozen=True)
class Report:
    """Everything found wrong with a dataset: record problems and SHACL results, each located."""

    problems: tuple[Problem, ...]
    shacl_results: Graph | None = field(default=None, compare=False)
    validation: ValidationReport | None = field(default=None, compare=False)  # when fastshacl validated

    @property
    def conforms(self) -> bool:
        """True when nothing is a violation (warnings are allowed)."""
        return not self.violations

    @property
    def violations(self) -> tuple[Problem, ...]:
        """The problems that fail a build."""
        return tuple(problem for problem in self.problems if problem.severity is Severity.VIOLATION)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """Problems worth fixing that do not fail a build (a record with no source)."""
        return tuple(problem for problem in self.problems if problem.severity is Severity.WARNING)

    @property
    def infos(self) -> tuple[Problem, ...]:
        """Notes for the analyst (an event with neither date nor place)."""
        return tuple(problem for problem in self.problems if problem.severity is Severity.INFO)

    @property
    def summary(self) -> str:
        """One line: how many violations, warnings and notes."""
        return f"{len(self.violations)} violation(s), {len(self.warnings)} warning(s), {len(self.infos)} note(s)"

    def raise_for_problems(self) -> None:
        """Raise :class:`DataError` carrying every violation, if there is any."""
        if self.violations:
            raise DataError(list(self.violations))

    def to_text(self) -> str:
        """One line per problem, ``FILE:LINE: kind 'id': field: message``, then a summary line."""
        lines = [str(problem) for problem in self.problems]
        lines.append(self.summary)
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        """The report as JSON: ``conforms`` and a list of problems with file, line, field and message."""
        body = {
            "conforms": self.conforms,
            "violations": len(self.violations),
            "warnings": len(self.warnings),
            "notes": len(self.infos),
            "problems": [
                {
                    "file": problem.location.file,
                    "line": problem.location.line,
                    "column": problem.location.column,
                    "kind": problem.kind,
                    "id": problem.record_id,
                    "field": problem.field,
                    "severity": problem.severity.value,
                    "message": problem.message,
                    "source": problem.source,
                }
                for problem in self.problems
            ],
        }
        return json.dumps(body, indent=2, ensure_ascii=False, sort_keys=True) + "\n"

    def to_turtle(self) -> str:
        """The standard ``sh:ValidationReport`` of the SHACL stage, as Turtle."""
        graph = self.shacl_results if self.shacl_results is not None else _empty_report()
        return graph.serialize(format="turtle")


def shacl(data: Graph, locate: Build | None = None) -> tuple[list[Problem], Graph]:
    """Validate a graph against the shipped shapes; results are located through ``locate`` when given."""
    data_graph = Graph()
    for triple in data:
        data_graph.add(triple)
    for triple in ontology_graph():
        data_graph.add(triple)
    # Imported here: a quarter of a second that builds on Oxigraph never need.
    import pyshacl

    # pyshacl parses SPARQL with rdflib: apart, see atfgraph.parsecache.
    _, results, _ = parse_apart(partial(pyshacl.validate, data_graph, shacl_graph=shapes_graph(), inference="none",
                                        allow_warnings=True, abort_on_first=False, advanced=True))
    assert isinstance(results, Graph)
    for prefix, namespace in PREFIXES.items():
        results.bind(prefix, namespace)
    # Only the report's own results: nested sh:detail results (from sh:node) have no record to point at.
    reports = results.subjects(RDF.type, SH.ValidationReport)
    top = [result for report in reports for result in results.objects(report, SH.result)]
    problems = [_problem(results, result, locate) for result in top]
    return problems, results


def check(build: Build) -> Report:
    """Every check on a loaded dataset: the record problems found while loading, then SHACL.

    An Oxigraph store is validated where it is, by the shapes compiled to SPARQL (:mod:`atfgraph.fastshacl`,
    tested to give pyshacl's results); an rdflib store by pyshacl.
    """
    if isinstance(build.store, OxigraphStore):
        return report_of(build, validate_oxigraph(build.store))
    problems, results = shacl(build.store.union(), build)
    return Report(_ordered([*build.problems, *problems]), results)


def report_of(build: Build, validation: ValidationReport) -> Report:
    """The report of a build whose SHACL results are known: its record problems and those results, located."""
    problems, results = _located(validation, build)
    return Report(_ordered([*build.problems, *problems]), results, validation)


def validate_oxigraph(store: OxigraphStore, validator: Validator | None = None) -> ValidationReport:
    """Validate an Oxigraph store against the shipped shapes with the SPARQL-compiled validator (or the
    shipped shapes compiled before: :func:`shapes_validator`).

    The ontology's triples (the subclass axioms the shapes rely on) are added in a named graph of their own
    for the run and removed after it, so the store holds the data alone again.
    """
    ontology = URIRef("urn:atfgraph:validation:ontology")
    store.add((s, p, o, ontology) for s, p, o in ontology_graph())
    try:
        # Threads pay off on large graphs only; on small ones they just leave pyoxigraph objects for the
        # garbage collector to drop on another thread, which pyoxigraph reports as an error.
        workers = 2 if len(store.store) > THREADED_FROM else 1
        return (validator or _validator()).validate(store.store, workers=workers)
    finally:
        store.store.remove_graph(ox.NamedNode(str(ontology)))


def shacl_oxigraph(store: OxigraphStore, locate: Build | None = None) -> tuple[list[Problem], Graph]:
    """Validate an Oxigraph store against the shipped shapes (see :func:`validate_oxigraph`); the results
    located through ``locate`` when given, and as a report graph."""
    return _located(validate_oxigraph(store), locate)


def _located(report: ValidationReport, locate: Build | None) -> tuple[list[Problem], Graph]:
    results = report.to_rdflib_report()
    for prefix, namespace in PREFIXES.items():
        results.bind(prefix, namespace)
    reports = results.subjects(RDF.type, SH.ValidationReport)
    top = [result for found in reports for result in results.objects(found, SH.result)]
    return [_problem(results, result, locate) for result in top], results


THREADED_FROM = 200_000
"""Quads from which validation runs its queries in two threads."""


@cache
def _validator() -> Validator:
    return Validator(shapes_graph())


def shapes_validator() -> Validator:
    """The shipped shapes, compiled (once per process; a cached build keeps a copy, as reading the shapes
    takes longer than the rest of validating a small change)."""
    return _validator()


def _problem(results: Graph, result: Node, locate: Build | None) -> Problem:
    focus = results.value(result, SH.focusNode)
    path = results.value(result, SH.resultPath)
    message = results.value(result, SH.resultMessage)
    level = results.value(result, SH.resultSeverity)
    severity = _SEVERITIES.get(level, Severity.VIOLATION) if isinstance(level, URIRef) else Severity.VIOLATION
    shape = results.value(result, SH.sourceShape)
    location = None
    if locate is not None and isinstance(focus, URIRef):
        location = locate.location_of(focus, path if isinstance(path, URIRef) else None)
    kind, record_id = _kind_and_id(focus, locate.base if locate is not None else "")
    value = results.value(result, SH.value)
    text = str(message) if message is not None else "does not conform"
    if value is not None and value != focus and str(value) not in text:
        text += f" (value: {value.n3(results.namespace_manager)})"
    return Problem(
        location or Location(f"<{focus}>" if focus is not None else "graph"),
        text,
        kind=kind,
        record_id=record_id,
        field=path.n3(results.namespace_manager) if isinstance(path, URIRef) else "",
        severity=severity,
        source=str(shape) if isinstance(shape, URIRef) else "shacl",
    )


def _kind_and_id(focus: Node | None, base: str) -> tuple[str, str]:
    if not isinstance(focus, URIRef) or not base or not focus.startswith(base):
        return "", ""
    kind, _, rest = focus[len(base):].partition("/")
    return kind, rest.split("#", 1)[0]


def _ordered(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    return tuple(sorted(problems, key=lambda problem: (problem.location, problem.field, problem.message)))


def _empty_report() -> Graph:
    graph = Graph()
    report = URIRef("urn:atfgraph:report")
    graph.add((report, RDF.type, SH.ValidationReport))
    graph.add((report, SH.conforms, Literal(True)))
    return graph


__all__ = ["Report", "check", "report_of", "shacl", "shacl_oxigraph", "shapes_validator", "validate_oxigraph"]
