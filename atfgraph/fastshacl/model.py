"""The shapes graph as frozen values: paths, targets, constraints and shapes.

:mod:`atfgraph.fastshacl.parse` builds these from an rdflib graph; :mod:`atfgraph.fastshacl.compile` turns
them into SPARQL. Shapes refer to one another by node (``Shapes.shapes`` maps each node to its shape), so a
shape used by several others is compiled from one value.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.namespace import Namespace

from atfgraph.fastshacl.terms import Term

SH = Namespace("http://www.w3.org/ns/shacl#")


# --- property paths (SHACL §2.3.1)


@dataclass(frozen=True)
class InversePath:
    """``sh:inversePath``: the path followed backwards."""

    path: Path


@dataclass(frozen=True)
class SequencePath:
    """An RDF list of paths: one after the other."""

    paths: tuple[Path, ...]


@dataclass(frozen=True)
class AlternativePath:
    """``sh:alternativePath``: any one of the paths."""

    paths: tuple[Path, ...]


@dataclass(frozen=True)
class ZeroOrMorePath:
    """``sh:zeroOrMorePath``: the node itself and every node the path leads to, repeatedly."""

    path: Path


@dataclass(frozen=True)
class OneOrMorePath:
    """``sh:oneOrMorePath``: every node the path leads to, repeatedly."""

    path: Path


@dataclass(frozen=True)
class ZeroOrOnePath:
    """``sh:zeroOrOnePath``: the node itself and the nodes one step along the path."""

    path: Path


Path = URIRef | InversePath | SequencePath | AlternativePath | ZeroOrMorePath | OneOrMorePath | ZeroOrOnePath
"""A SHACL property path; a predicate path is the predicate's IRI itself."""


# --- targets (SHACL §2.1.3, SHACL-AF §5.1)


@dataclass(frozen=True)
class NodeTarget:
    """``sh:targetNode``: this node, whether or not it occurs in the data."""

    node: Term


@dataclass(frozen=True)
class ClassTarget:
    """``sh:targetClass`` (or a shape that is also a class): every SHACL instance of the class."""

    cls: Term


@dataclass(frozen=True)
class SubjectsOfTarget:
    """``sh:targetSubjectsOf``: every subject of the predicate."""

    predicate: URIRef


@dataclass(frozen=True)
class ObjectsOfTarget:
    """``sh:targetObjectsOf``: every object of the predicate."""

    predicate: URIRef


@dataclass(frozen=True)
class SparqlTarget:
    """``sh:target [ a sh:SPARQLTarget ; sh:select ... ]``: the ``?this`` bindings of a SELECT query."""

    node: Term
    select: str
    prefixes: tuple[tuple[str, str], ...]


Target = NodeTarget | ClassTarget | SubjectsOfTarget | ObjectsOfTarget | SparqlTarget


# --- constraints (SHACL §4 and §5)


class NodeKind(enum.Enum):
    """The six values of ``sh:nodeKind``, by the kinds of term each admits."""

    IRI = "IRI"
    BLANK_NODE = "BlankNode"
    LITERAL = "Literal"
    BLANK_NODE_OR_IRI = "BlankNodeOrIRI"
    BLANK_NODE_OR_LITERAL = "BlankNodeOrLiteral"
    IRI_OR_LITERAL = "IRIOrLiteral"


class Comparison(enum.Enum):
    """The four value range parameters, each with the SPARQL operator that must hold (``bound OP value``)."""

    MIN_EXCLUSIVE = ("minExclusive", "<")
    MIN_INCLUSIVE = ("minInclusive", "<=")
    MAX_EXCLUSIVE = ("maxExclusive", ">")
    MAX_INCLUSIVE = ("maxInclusive", ">=")

    @property
    def parameter(self) -> str:
        """The local name of the SHACL parameter."""
        return self.value[0]

    @property
    def operator(self) -> str:
        """The SPARQL comparison ``bound OP value`` that must be true."""
        return self.value[1]


class PairKind(enum.Enum):
    """The four property pair parameters, each with the SPARQL test between a value and an other value."""

    EQUALS = "equals"
    DISJOINT = "disjoint"
    LESS_THAN = "lessThan"
    LESS_THAN_OR_EQUALS = "lessThanOrEquals"


@dataclass(frozen=True)
class ClassConstraint:
    """``sh:class``: each value is a SHACL instance of the class (literals never are)."""

    cls: Term

    @property
    def component(self) -> URIRef:
        """The constraint component results name."""
        return SH.ClassConstraintComponent


@dataclass(frozen=True)
class DatatypeConstraint:
    """``sh:datatype``: each value is a literal of the datatype whose lexical form is valid for it."""

    datatype: URIRef

    @property
    def component(self) -> URIRef:
        """The constraint component results name."""
        return SH.DatatypeConstraintComponent


@dataclass(frozen=True)
class NodeKindConstraint:
    """``sh:nodeKind``: each value is an IRI, blank node or literal as the kind allows."""

    kind: NodeKind

    @property
    def component(self) -> URIRef:
        """The constraint component results name."""
        return SH.NodeKindConstraintComponent


@dataclass(frozen=True)
class MinCountConstraint:
    """``sh:minCount``: at least this many values."""

    count: int

    @property
    def component(self) -> URIRef:
        """The constraint component results name."""
        return SH.MinCountConstraintComponent


@dataclass(frozen=True)
class MaxCountConstraint:
    """``sh:maxCount``: at most this many values."""

    count: int

    @property
    def component(self) -> URIRef:
        """The constraint component results name."""
        return SH.MaxCountConstraintComponent


@dataclass(frozen=True)
class RangeConstraint:
    """``sh:minInclusive`` and its three siblings: ``bound OP value`` is true for each value."""

    comparison: Comparison
    bound: Literal

    @property
    def component(self) -> URIRef:
        """The constraint component results name."""
        name = self.comparison.parameter
        return SH[f"{name[0].upper()}{name[1:]}ConstraintComponent"]


@dataclass(frozen=True)
class LengthConstraint:
    """``sh:minLength`` / ``sh:maxLength`` on the string form of each value (blank nodes always fail)."""

    maximum: bool
    length: int

    @property
    def component(self) -> URIRef:
        """The constraint component results name."""
        return SH.MaxLengthConstraintComponent if self.maximum else SH.MinLengthConstraintComponent


@dataclass(frozen=True)
class PatternConstraint:
    """``sh:pattern`` with its ``sh:flags``: the string form of each value matches (SPARQL ``REGEX``)."""

    pattern: str
    flags: str | None

    @property
    def component(self) -> URIRef:
        """The constraint component results name."""
        return SH.PatternConstraintComponent


@dataclass(frozen=True)
class LanguageInConstraint:
    """``sh:languageIn``: each value has a language tag matching one of the ranges (``langMatches``)."""

    languages: tuple[str, ...]

    @property
    def component(self) -> URIRef:
        """The constraint component results name."""
        return SH.LanguageInConstraintComponent


@dataclass(frozen=True)
class UniqueLangConstraint:
    """``sh:uniqueLang true``: no two values share a language tag."""

    @property
    def component(self) -> URIRef:
        """The constraint component results name."""
        return SH.UniqueLangConstraintComponent


@dataclass(frozen=True)
class InConstraint:
    """``sh:in``: each value is one of the members (the same RDF term)."""

    members: tuple[Term, ...]

    @property
    def component(self) -> URIRef:
        """The constraint component results name."""
        return SH.InConstraintComponent


@dataclass(frozen=True)
class HasValueConstraint:
    """``sh:hasValue``: the term is among the values."""

    value: Term

    @property
    def component(self) -> URIRef:
        """The constraint component results name."""
        return SH.HasValueConstraintComponent


@dataclass(frozen=True)
class PairConstraint:
    """``sh:equals``, ``sh:disjoint``, ``sh:lessThan``, ``sh:lessThanOrEquals`` against another predicate."""

    kind: PairKind
    predicate: URIRef

    @property
    def component(self) -> URIRef:
        """The constraint component results name."""
        name = self.kind.value
        return SH[f"{name[0].upper()}{name[1:]}ConstraintComponent"]


@dataclass(frozen=True)
class ClosedConstraint:
    """``sh:closed true``: values have no predicates but the shape's property paths and the ignored ones."""

    allowed: frozenset[URIRef]

    @property
    def component(self) -> URIRef:
        """The constraint component results name."""
        return SH.ClosedConstraintComponent


@dataclass(frozen=True)
class NotConstraint:
    """``sh:not``: no value conforms to the shape."""

    shape: Term

    @property
    def component(self) -> URIRef:
        """The constraint component results name."""
        return SH.NotConstraintComponent


@dataclass(frozen=True)
class AndConstraint:
    """``sh:and``: each value conforms to every shape of the list."""

    shapes: tuple[Term, ...]

    @property
    def component(self) -> URIRef:
        """The constraint component results name."""
        return SH.AndConstraintComponent


@dataclass(frozen=True)
class OrConstraint:
    """``sh:or``: each value conforms to at least one shape of the list."""

    shapes: tuple[Term, ...]

    @property
    def component(self) -> URIRef:
        """The constraint component results name."""
        return SH.OrConstraintComponent


@dataclass(frozen=True)
class XoneConstraint:
    """``sh:xone``: each value conforms to exactly one shape of the list."""

    shapes: tuple[Term, ...]

    @property
    def component(self) -> URIRef:
        """The constraint component results name."""
        return SH.XoneConstraintComponent


@dataclass(frozen=True)
class NodeConstraint:
    """``sh:node``: each value conforms to the node shape."""

    shape: Term

    @property
    def component(self) -> URIRef:
        """The constraint component results name."""
        return SH.NodeConstraintComponent


@dataclass(frozen=True)
class PropertyConstraint:
    """``sh:property``: each value is validated against the property shape, which reports in its own name."""

    shape: Term

    @property
    def component(self) -> URIRef:
        """The constraint component results name."""
        return SH.PropertyConstraintComponent


@dataclass(frozen=True)
class QualifiedConstraint:
    """``sh:qualifiedValueShape`` with ``sh:qualifiedMinCount`` and/or ``sh:qualifiedMaxCount``.

    ``siblings`` are the sibling shapes when ``sh:qualifiedValueShapesDisjoint`` is true: a value counts
    only if it conforms to the qualified shape and to none of them.
    """

    shape: Term
    minimum: int | None
    maximum: int | None
    siblings: tuple[Term, ...] = ()

    @property
    def component(self) -> URIRef:
        """The component of the minimum; results of the maximum name QualifiedMaxCountConstraintComponent."""
        return SH.QualifiedMinCountConstraintComponent


@dataclass(frozen=True)
class SparqlConstraint:
    """``sh:sparql``: a SELECT query whose solutions, with ``$this`` pre-bound, are validation results."""

    node: Term
    select: str
    prefixes: tuple[tuple[str, str], ...]
    messages: tuple[Literal, ...]

    @property
    def component(self) -> URIRef:
        """The constraint component results name."""
        return SH.SPARQLConstraintComponent


Constraint = (
    ClassConstraint | DatatypeConstraint | NodeKindConstraint | MinCountConstraint | MaxCountConstraint
    | RangeConstraint | LengthConstraint | PatternConstraint | LanguageInConstraint | UniqueLangConstraint
    | InConstraint | HasValueConstraint | PairConstraint | ClosedConstraint | NotConstraint | AndConstraint
    | OrConstraint | XoneConstraint | NodeConstraint | PropertyConstraint | QualifiedConstraint | SparqlConstraint
)

VALUE_CONSTRAINTS = (
    ClassConstraint, DatatypeConstraint, NodeKindConstraint, RangeConstraint, LengthConstraint,
    PatternConstraint, LanguageInConstraint, InConstraint, NotConstraint, AndConstraint, OrConstraint,
    XoneConstraint, NodeConstraint,
)
"""Constraints that judge each value node on its own and report it as ``sh:value``."""


@dataclass(frozen=True)
class Shape:
    """A node shape (``path`` None) or property shape, with its targets, constraints and report settings."""

    node: Term
    path: Path | None
    targets: tuple[Target, ...] = ()
    constraints: tuple[Constraint, ...] = ()
    severity: URIRef = SH.Violation
    messages: tuple[Literal, ...] = ()
    deactivated: bool = False

    @property
    def is_property_shape(self) -> bool:
        """True for a property shape (one with ``sh:path``)."""
        return self.path is not None


@dataclass(frozen=True)
class Shapes:
    """Every shape of a shapes graph, by node."""

    shapes: dict[Term, Shape] = field(hash=False)

    def __getitem__(self, node: Term) -> Shape:
        return self.shapes[node]


def path_predicates(path: Path) -> frozenset[URIRef]:
    """Every predicate a path uses."""
    if isinstance(path, URIRef):
        return frozenset({path})
    if isinstance(path, SequencePath | AlternativePath):
        return frozenset().union(*(path_predicates(part) for part in path.paths))
    return path_predicates(path.path)


def is_simple(path: Path) -> bool:
    """True for a path without repetition or zero-length steps: its values can be listed for all nodes at once
    by one scan, and a node outside the data has none (so set difference gives the nodes without values)."""
    if isinstance(path, URIRef):
        return True
    if isinstance(path, InversePath):
        return is_simple(path.path)
    if isinstance(path, SequencePath | AlternativePath):
        return all(is_simple(part) for part in path.paths)
    return False
