"""SPARQL for "this value passes this constraint" and "this node conforms to this shape".

A value-level constraint (``sh:datatype``, ``sh:class``, ``sh:or``...) becomes a boolean expression over the
variable holding the value; a whole shape (a member of ``sh:or``, the shape of ``sh:node``) becomes the
conjunction of its constraints, with ``EXISTS`` patterns for what depends on the node's values. Expressions
are kept as a small tree rather than text so that the compiler can turn a negated disjunction of ``EXISTS``
into a chain of ``MINUS`` (a hash anti-join in Oxigraph, far cheaper than one ``EXISTS`` probe per node).

Counts inside a nested shape (``sh:minCount 2`` in a member of ``sh:or``) are written with pairwise distinct
variables, which SPARQL can correlate with the outer node; more than :data:`MAX_NESTED_COUNT` is refused.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from rdflib import URIRef
from rdflib.namespace import RDF, RDFS

from atfgraph.fastshacl import datatypes
from atfgraph.fastshacl.errors import UnsupportedFeature
from atfgraph.fastshacl.model import (
    AlternativePath,
    AndConstraint,
    ClassConstraint,
    ClosedConstraint,
    Constraint,
    DatatypeConstraint,
    HasValueConstraint,
    InConstraint,
    InversePath,
    LanguageInConstraint,
    LengthConstraint,
    MaxCountConstraint,
    MinCountConstraint,
    NodeConstraint,
    NodeKind,
    NodeKindConstraint,
    NotConstraint,
    OneOrMorePath,
    OrConstraint,
    PairConstraint,
    PairKind,
    Path,
    PatternConstraint,
    PropertyConstraint,
    QualifiedConstraint,
    RangeConstraint,
    SequencePath,
    Shapes,
    SparqlConstraint,
    UniqueLangConstraint,
    XoneConstraint,
    ZeroOrMorePath,
    ZeroOrOnePath,
    is_simple,
)
from atfgraph.fastshacl.terms import Term, iri, sparql, string

MAX_NESTED_COUNT = 4
"""The largest count a nested shape may require (sh:minCount, sh:maxCount + 1, qualified counts)."""

_KIND_TESTS = {
    NodeKind.IRI: "isIRI({v})",
    NodeKind.BLANK_NODE: "isBlank({v})",
    NodeKind.LITERAL: "isLiteral({v})",
    NodeKind.BLANK_NODE_OR_IRI: "(isBlank({v}) || isIRI({v}))",
    NodeKind.BLANK_NODE_OR_LITERAL: "(isBlank({v}) || isLiteral({v}))",
    NodeKind.IRI_OR_LITERAL: "(isIRI({v}) || isLiteral({v}))",
}


# --- the expression tree


@dataclass(frozen=True)
class Atom:
    """A SPARQL expression; errors count as false."""

    text: str


@dataclass(frozen=True)
class Exists:
    """``EXISTS { pattern }`` (or ``NOT EXISTS`` when negated). ``anti_join`` says the pattern binds the
    subject variable itself, so ``MINUS { pattern }`` removes exactly the solutions ``FILTER NOT EXISTS``
    would."""

    pattern: str
    negated: bool = False
    anti_join: bool = False


@dataclass(frozen=True)
class Not:
    """Negation."""

    operand: Expr


@dataclass(frozen=True)
class All:
    """Conjunction (true when empty)."""

    operands: tuple[Expr, ...]


@dataclass(frozen=True)
class AnyOf:
    """Disjunction (false when empty)."""

    operands: tuple[Expr, ...]


@dataclass(frozen=True)
class ExactlyOne:
    """True when exactly one operand is true (``sh:xone``)."""

    operands: tuple[Expr, ...]


Expr = Atom | Exists | Not | All | AnyOf | ExactlyOne

TRUE = All(())
FALSE = AnyOf(())


def all_of(operands: tuple[Expr, ...]) -> Expr:
    """A conjunction, flattened: nested conjunctions merged, a single operand on its own."""
    flat: list[Expr] = []
    for operand in operands:
        flat.extend(operand.operands if isinstance(operand, All) else (operand,))
    return flat[0] if len(flat) == 1 else All(tuple(flat))


def any_of(operands: tuple[Expr, ...]) -> Expr:
    """A disjunction, flattened like :func:`all_of`."""
    flat: list[Expr] = []
    for operand in operands:
        flat.extend(operand.operands if isinstance(operand, AnyOf) else (operand,))
    return flat[0] if len(flat) == 1 else AnyOf(tuple(flat))


def negate(expression: Expr) -> Expr:
    """The negation, pushed through conjunctions and disjunctions (De Morgan) down to EXISTS and atoms."""
    if isinstance(expression, Exists):
        return Exists(expression.pattern, not expression.negated, expression.anti_join)
    if isinstance(expression, Not):
        return expression.operand
    if isinstance(expression, All):
        return any_of(tuple(negate(operand) for operand in expression.operands))
    if isinstance(expression, AnyOf):
        return all_of(tuple(negate(operand) for operand in expression.operands))
    return Not(expression)


def render(expression: Expr) -> str:
    """The expression as SPARQL text."""
    if isinstance(expression, Atom):
        return f"COALESCE({expression.text}, false)"
    if isinstance(expression, Exists):
        return f"{'NOT ' if expression.negated else ''}EXISTS {{ {expression.pattern} }}"
    if isinstance(expression, Not):
        return f"!({render(expression.operand)})"
    if isinstance(expression, All):
        return "(" + " && ".join(render(e) for e in expression.operands) + ")" if expression.operands else "true"
    if isinstance(expression, AnyOf):
        return "(" + " || ".join(render(e) for e in expression.operands) + ")" if expression.operands else "false"
    counts = " + ".join(f"IF({render(operand)}, 1, 0)" for operand in expression.operands)
    return f"(({counts or '0'}) = 1)"


def anti_joins(expression: Expr) -> list[str] | None:
    """The patterns of a conjunction of ``NOT EXISTS`` that can each be a ``MINUS``; None if it is not one."""
    operands = expression.operands if isinstance(expression, All) else (expression,)
    patterns = []
    for operand in operands:
        if not (isinstance(operand, Exists) and operand.negated and operand.anti_join):
            return None
        patterns.append(operand.pattern)
    return patterns or None


# --- paths and terms


def path_text(path: Path) -> str:
    """A SHACL path as a SPARQL property path."""
    if isinstance(path, URIRef):
        return iri(str(path))
    if isinstance(path, InversePath):
        return f"^({path_text(path.path)})"
    if isinstance(path, SequencePath):
        return "(" + " / ".join(path_text(part) for part in path.paths) + ")"
    if isinstance(path, AlternativePath):
        return "(" + " | ".join(path_text(part) for part in path.paths) + ")"
    suffix = {ZeroOrMorePath: "*", OneOrMorePath: "+", ZeroOrOnePath: "?"}[type(path)]
    return f"({path_text(path.path)}){suffix}"


def term_text(term: Term, feature: str) -> str:
    """A constant of the shapes graph in SPARQL; a blank node cannot be one (it names no node of the data)."""
    try:
        return sparql(term)
    except ValueError as error:
        raise UnsupportedFeature(f"{feature} with a blank node or invalid IRI value ({term.n3()})") from error


def instance_pattern(variable: str, cls: Term) -> str:
    """The pattern "``?variable`` is a SHACL instance of the class" (``rdf:type/rdfs:subClassOf*``)."""
    return f"?{variable} {iri(str(RDF.type))}/{iri(str(RDFS.subClassOf))}* {term_text(cls, 'sh:class')}"


# --- constraints and shapes


@dataclass
class Context:
    """The shapes, fresh variable names, and the shapes being expanded (to refuse recursion)."""

    shapes: Shapes
    counter: itertools.count[int] = field(default_factory=itertools.count)
    expanding: tuple[Term, ...] = ()

    def fresh(self, hint: str = "v") -> str:
        """A variable name no query text of a shapes graph uses."""
        return f"__fs_{hint}{next(self.counter)}"


def value_ok(constraint: Constraint, variable: str, context: Context) -> Expr:
    """True when the value in ``?variable`` passes a value-level constraint."""
    v = f"?{variable}"
    if isinstance(constraint, ClassConstraint):
        return all_of((Atom(f"!isLiteral({v})"), Exists(instance_pattern(variable, constraint.cls))))
    if isinstance(constraint, DatatypeConstraint):
        return Atom(datatypes.matches(variable, constraint.datatype))
    if isinstance(constraint, NodeKindConstraint):
        return Atom(_KIND_TESTS[constraint.kind].format(v=v))
    if isinstance(constraint, RangeConstraint):
        return Atom(f"{term_text(constraint.bound, 'range')} {constraint.comparison.operator} {v}")
    if isinstance(constraint, LengthConstraint):
        operator = "<=" if constraint.maximum else ">="
        return Atom(f"!isBlank({v}) && STRLEN(STR({v})) {operator} {constraint.length}")
    if isinstance(constraint, PatternConstraint):
        flags = f", {string(constraint.flags)}" if constraint.flags else ""
        return Atom(f"!isBlank({v}) && REGEX(STR({v}), {string(constraint.pattern)}{flags})")
    if isinstance(constraint, LanguageInConstraint):
        tests = " || ".join(f"langMatches(LANG({v}), {string(tag)})" for tag in constraint.languages)
        return Atom(f"isLiteral({v}) && ({tests or 'false'})")
    if isinstance(constraint, InConstraint):
        tests = " || ".join(f"sameTerm({v}, {term_text(member, 'sh:in')})" for member in constraint.members)
        return Atom(tests or "false")
    if isinstance(constraint, NotConstraint):
        return negate(conforms(constraint.shape, variable, context))
    if isinstance(constraint, AndConstraint):
        return all_of(tuple(conforms(shape, variable, context) for shape in constraint.shapes))
    if isinstance(constraint, OrConstraint):
        return any_of(tuple(conforms(shape, variable, context) for shape in constraint.shapes))
    if isinstance(constraint, XoneConstraint):
        return ExactlyOne(tuple(conforms(shape, variable, context) for shape in constraint.shapes))
    if isinstance(constraint, NodeConstraint):
        return conforms(constraint.shape, variable, context)
    raise TypeError(f"not a value-level constraint: {constraint!r}")


def conforms(node: Term, variable: str, context: Context) -> Expr:
    """True when the term in ``?variable`` conforms to the shape (SHACL §3.4 "conforms to")."""
    shape = context.shapes.shapes.get(node)
    if shape is None or shape.deactivated:
        return TRUE  # a node with no shape triples has no constraints; a deactivated shape accepts everything
    if node in context.expanding:
        raise UnsupportedFeature("recursive shapes (SHACL leaves their validation undefined)", node)
    inner = Context(context.shapes, context.counter, (*context.expanding, node))
    if shape.path is None:
        return all_of(tuple(_node_ok(constraint, variable, inner) for constraint in shape.constraints))
    return all_of(tuple(_property_ok(constraint, shape.path, variable, inner) for constraint in shape.constraints))


def _node_ok(constraint: Constraint, variable: str, context: Context) -> Expr:
    v = f"?{variable}"
    if isinstance(constraint, HasValueConstraint):
        return Atom(f"sameTerm({v}, {term_text(constraint.value, 'sh:hasValue')})")
    if isinstance(constraint, PropertyConstraint):
        return conforms(constraint.shape, variable, context)
    if isinstance(constraint, ClosedConstraint):
        p, o = context.fresh("p"), context.fresh("o")
        return Exists(f"{v} ?{p} ?{o} FILTER(?{p} NOT IN ({_iris(constraint.allowed)}))", negated=True)
    if isinstance(constraint, PairConstraint):
        return _pair_ok(constraint, None, variable, context)
    if isinstance(constraint, QualifiedConstraint | UniqueLangConstraint | MinCountConstraint | MaxCountConstraint):
        return TRUE  # these apply to property shapes only
    if isinstance(constraint, SparqlConstraint):
        raise UnsupportedFeature("sh:sparql in a shape used through sh:node, sh:or, sh:and, sh:xone or sh:not")
    return value_ok(constraint, variable, context)


def _property_ok(constraint: Constraint, path: Path, variable: str, context: Context) -> Expr:
    x, steps = f"?{variable}", path_text(path)
    simple = is_simple(path)
    if isinstance(constraint, MinCountConstraint):
        if constraint.count == 0:
            return TRUE
        return Exists(distinct_values(x, steps, constraint.count, context), anti_join=simple and constraint.count == 1)
    if isinstance(constraint, MaxCountConstraint):
        return Exists(distinct_values(x, steps, constraint.count + 1, context), negated=True)
    if isinstance(constraint, HasValueConstraint):
        return Exists(f"{x} {steps} {term_text(constraint.value, 'sh:hasValue')}", anti_join=simple)
    if isinstance(constraint, UniqueLangConstraint):
        a, b = context.fresh("a"), context.fresh("b")
        return Exists(f"{x} {steps} ?{a}, ?{b} FILTER(!sameTerm(?{a}, ?{b}) && LANG(?{a}) != \"\" "
                      f"&& LCASE(LANG(?{a})) = LCASE(LANG(?{b})))", negated=True)
    if isinstance(constraint, PairConstraint):
        return _pair_ok(constraint, steps, variable, context)
    if isinstance(constraint, ClosedConstraint):
        value, p, o = context.fresh(), context.fresh("p"), context.fresh("o")
        return Exists(f"{x} {steps} ?{value} . ?{value} ?{p} ?{o} "
                      f"FILTER(?{p} NOT IN ({_iris(constraint.allowed)}))", negated=True)
    if isinstance(constraint, PropertyConstraint):
        value = context.fresh()
        return Exists(f"{x} {steps} ?{value} FILTER(!{render(conforms(constraint.shape, value, context))})",
                      negated=True)
    if isinstance(constraint, QualifiedConstraint):
        checks: list[Expr] = []
        if constraint.minimum:
            checks.append(Exists(qualified_values(constraint, x, steps, constraint.minimum, context)))
        if constraint.maximum is not None:
            checks.append(Exists(qualified_values(constraint, x, steps, constraint.maximum + 1, context), negated=True))
        return all_of(tuple(checks))
    if isinstance(constraint, SparqlConstraint):
        raise UnsupportedFeature("sh:sparql in a shape used through sh:node, sh:or, sh:and, sh:xone or sh:not")
    value = context.fresh()
    return Exists(f"{x} {steps} ?{value} FILTER(!{render(value_ok(constraint, value, context))})", negated=True)


def _pair_ok(constraint: PairConstraint, steps: str | None, variable: str, context: Context) -> Expr:
    """A property pair constraint on the values of ``steps`` (or the node itself when None)."""
    x, other = f"?{variable}", iri(str(constraint.predicate))
    value = f"?{context.fresh()}"
    values = f"{x} {steps} {value} ." if steps is not None else f"BIND({x} AS {value})"
    if constraint.kind is PairKind.EQUALS:
        o = f"?{context.fresh('o')}"
        return all_of((
            Exists(f"{values} FILTER NOT EXISTS {{ {x} {other} {value} }}", negated=True),
            Exists(f"{x} {other} {o} FILTER NOT EXISTS {{ {_value_of(x, steps, o)} }}", negated=True),
        ))
    if constraint.kind is PairKind.DISJOINT:
        return Exists(f"{values} {x} {other} {value}", negated=True)
    operator = "<" if constraint.kind is PairKind.LESS_THAN else "<="
    o = f"?{context.fresh('o')}"
    return Exists(f"{values} {x} {other} {o} FILTER(!COALESCE({value} {operator} {o}, false))", negated=True)


def _value_of(x: str, steps: str | None, term: str) -> str:
    """The pattern "``term`` is a value node of ``x``"."""
    return f"{x} {steps} {term}" if steps is not None else f"FILTER(sameTerm({x}, {term}))"


def distinct_values(x: str, steps: str, count: int, context: Context) -> str:
    """The pattern "``x`` has at least ``count`` distinct values along the path"."""
    if count > MAX_NESTED_COUNT:
        raise UnsupportedFeature(f"a count above {MAX_NESTED_COUNT} in a shape used by another shape")
    names = [f"?{context.fresh()}" for _ in range(count)]
    return f"{x} {steps} {', '.join(names)} {_pairwise_distinct(names)}"


def qualified_values(constraint: QualifiedConstraint, x: str, steps: str, count: int, context: Context) -> str:
    """The pattern "``x`` has at least ``count`` distinct values that count for the qualified shape"."""
    if count > MAX_NESTED_COUNT:
        raise UnsupportedFeature(f"a qualified count above {MAX_NESTED_COUNT} in a shape used by another shape")
    names = [context.fresh() for _ in range(count)]
    tests = [render(qualifies(constraint, name, context)) for name in names]
    variables = [f"?{name}" for name in names]
    return f"{x} {steps} {', '.join(variables)} FILTER({' && '.join(tests)}) {_pairwise_distinct(variables)}"


def qualifies(constraint: QualifiedConstraint, variable: str, context: Context) -> Expr:
    """True when the value counts for a qualified constraint: conforms to the shape and to no sibling."""
    siblings = tuple(negate(conforms(sibling, variable, context)) for sibling in constraint.siblings)
    return all_of((conforms(constraint.shape, variable, context), *siblings))


def _pairwise_distinct(names: list[str]) -> str:
    tests = [f"!sameTerm({a}, {b})" for a, b in itertools.combinations(names, 2)]
    return f"FILTER({' && '.join(tests)})" if tests else ""


def _iris(predicates: frozenset[URIRef]) -> str:
    return ", ".join(sorted(iri(str(predicate)) for predicate in predicates))
