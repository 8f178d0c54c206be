"""Validation results as frozen values, and as a standard ``sh:ValidationReport`` graph (SHACL §3.6)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF

from atfgraph.fastshacl.model import (
    SH,
    AlternativePath,
    InversePath,
    OneOrMorePath,
    Path,
    SequencePath,
    ZeroOrMorePath,
    ZeroOrOnePath,
)
from atfgraph.fastshacl.terms import Term

_PLACEHOLDER = re.compile(r"\{[?$]([A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)\}")


@dataclass(frozen=True)
class ValidationResult:
    """One ``sh:ValidationResult``. ``result_path`` is a predicate IRI or a path value of
    :mod:`atfgraph.fastshacl.model`; ``value`` is None where SHACL gives none (cardinalities, sh:hasValue...)."""

    focus_node: Term
    result_path: Path | None
    value: Term | None
    source_shape: Term
    source_constraint_component: URIRef
    severity: URIRef
    messages: tuple[Literal, ...] = ()
    source_constraint: Term | None = None

    @property
    def message(self) -> Literal | None:
        """The first message, if the shape gives any."""
        return self.messages[0] if self.messages else None

    def sort_key(self) -> tuple[str, ...]:
        """A key that orders results the same way on every run."""
        return (str(self.focus_node), str(self.source_shape), str(self.source_constraint_component),
                str(self.result_path), "" if self.value is None else self.value.n3(),
                " ".join(str(message) for message in self.messages))


@dataclass(frozen=True)
class ValidationReport:
    """Every result of validating a store against a shapes graph, in a stable order."""

    results: tuple[ValidationResult, ...]

    @property
    def conforms(self) -> bool:
        """SHACL's ``sh:conforms``: true when there is no result at all, whatever its severity."""
        return not self.results

    def with_severity(self, severity: URIRef) -> tuple[ValidationResult, ...]:
        """The results of one severity (``SH.Violation``, ``SH.Warning``, ``SH.Info``)."""
        return tuple(result for result in self.results if result.severity == severity)

    def to_rdflib_report(self) -> Graph:
        """The standard report graph: a ``sh:ValidationReport`` with ``sh:conforms`` and one ``sh:result``
        per result, paths written out as SHACL path nodes."""
        graph = Graph()
        graph.bind("sh", SH)
        report = BNode()
        graph.add((report, RDF.type, SH.ValidationReport))
        graph.add((report, SH.conforms, Literal(self.conforms)))
        for result in self.results:
            node = BNode()
            graph.add((report, SH.result, node))
            graph.add((node, RDF.type, SH.ValidationResult))
            graph.add((node, SH.focusNode, result.focus_node))
            if result.result_path is not None:
                graph.add((node, SH.resultPath, path_node(graph, result.result_path)))
            if result.value is not None:
                graph.add((node, SH.value, result.value))
            graph.add((node, SH.sourceShape, result.source_shape))
            graph.add((node, SH.sourceConstraintComponent, result.source_constraint_component))
            graph.add((node, SH.resultSeverity, result.severity))
            if result.source_constraint is not None:
                graph.add((node, SH.sourceConstraint, result.source_constraint))
            for message in result.messages:
                graph.add((node, SH.resultMessage, message))
        return graph


def path_node(graph: Graph, path: Path) -> Term:
    """Write a path into a graph the way SHACL spells it; the node that stands for it."""
    if isinstance(path, URIRef):
        return path
    if isinstance(path, SequencePath):
        head = BNode()
        Collection(graph, head, [path_node(graph, part) for part in path.paths])
        return head
    node = BNode()
    if isinstance(path, AlternativePath):
        alternatives = BNode()
        Collection(graph, alternatives, [path_node(graph, part) for part in path.paths])
        graph.add((node, SH.alternativePath, alternatives))
        return node
    predicate = {InversePath: SH.inversePath, ZeroOrMorePath: SH.zeroOrMorePath, OneOrMorePath: SH.oneOrMorePath,
                 ZeroOrOnePath: SH.zeroOrOnePath}[type(path)]
    graph.add((node, predicate, path_node(graph, path.path)))
    return node


def fill_in(templates: Iterable[Literal], bindings: Mapping[str, Term]) -> tuple[Literal, ...]:
    """Message templates with ``{?var}``/``{$var}`` replaced by the solution's values (SHACL §5.3.2), as the
    lexical form of a literal or the text of an IRI. Unbound placeholders stay as written; the template's
    language tag stays on the message."""

    def value(match: re.Match[str]) -> str:
        bound = bindings.get(match.group(1))
        return match.group(0) if bound is None else str(bound)

    return tuple(
        Literal(_PLACEHOLDER.sub(value, str(template)), lang=template.language,
                datatype=None if template.language else template.datatype)
        for template in templates
    )
