"""Compiling shapes into checks: SPARQL SELECT queries whose solutions are validation results.

Each constraint of each shape that has focus nodes becomes one check (a property pair constraint on a node
shape, two). A check's query comes in one of three forms, chosen for speed on Oxigraph:

``candidates``
    A query over the whole store, without the focus nodes: every solution would be a result if its
    ``?this`` is a focus node of the shape, which the engine then tests for the few solutions there are. Used
    for the constraints that look at values (``sh:datatype``, ``sh:class``, ``sh:maxCount``...) along paths
    without repetition: a scan of one predicate with a filter, shared by every shape that has the same test
    on the same path, instead of a join with a class's instances per shape. The ``sh:class`` checks of all
    predicates that require one class share one query, so the class's instances are gathered once.
``focused``
    A query with a gap for the focus nodes' pattern, which the engine fills in: needed where the absence of
    values is the problem (``sh:minCount``, ``sh:hasValue``), for node shapes, paths with repetition, and
    SPARQL constraints (the focus nodes joined into the top-level group, see :mod:`.sparqltext`).
``per_focus``
    A SPARQL constraint that joining would change: run once per focus node with ``$this`` substituted.

Most checks also carry a cheap sufficient test for "no result", which the engine runs first and shares
between checks (it counts; it lists nothing). For a path without repetition (``scan``): no subject has two
values along it (``single_valued``: no ``sh:maxCount`` of 1 or more can fail), or no value along it meets a
check's ``violation`` expression; all such tests of one path are counted in one scan of it. For a
``FOCUS MINUS {...}`` check (``minus``): the focus nodes are all among the nodes the patterns match.

Every query is written so that duplicate solutions do no harm (DISTINCT, COUNT(DISTINCT ...), MINUS): the
store is queried with its default graph as the union of all graphs, where a triple stored in two graphs is
seen twice.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

from rdflib import URIRef

from atfgraph.fastshacl import expressions, sparqltext
from atfgraph.fastshacl.errors import UnsupportedFeature
from atfgraph.fastshacl.expressions import Context, anti_joins, negate, path_text, render, value_ok
from atfgraph.fastshacl.model import (
    SH,
    VALUE_CONSTRAINTS,
    ClassConstraint,
    ClosedConstraint,
    Constraint,
    HasValueConstraint,
    MaxCountConstraint,
    MinCountConstraint,
    PairConstraint,
    PairKind,
    Path,
    PropertyConstraint,
    QualifiedConstraint,
    Shape,
    Shapes,
    SparqlConstraint,
    UniqueLangConstraint,
    is_simple,
)
from atfgraph.fastshacl.terms import Term, iri


@dataclass(frozen=True)
class Check:
    """One query (in one of the three forms of the module notes) and how its solutions become results."""

    shape: Shape
    component: URIRef
    candidates: str | None = None
    focused: tuple[str, str] | None = None
    per_focus: str | None = None
    predicate: URIRef | None = None
    """For a candidates query shared by several predicates: the solutions whose ``?p`` is this one."""
    instance_of: Term | None = None
    """For a ``sh:class`` check on a plain predicate: the class (its query is shared with other predicates)."""
    scan: str | None = None
    """A path without repetition (SPARQL) whose single scan answers the tests below."""
    single_valued: bool = False
    """When no node has two values along ``scan``, the check has no result."""
    violation: str | None = None
    """When no value along ``scan`` meets this expression (over ``?value``), the check has no result."""
    minus: tuple[str, ...] = ()
    """The focused query is ``FOCUS MINUS {p1} MINUS {p2}...``: these patterns, each binding ``?this``."""
    value_is_focus: bool = False
    """The value of each result is its focus node (constraints of node shapes)."""
    path_from_solution: bool = False
    """The result path is the solution's ``?path`` when it is an IRI (sh:closed, SPARQL constraints)."""
    sparql: SparqlConstraint | None = None

    def query(self, focus: str) -> str:
        """The focused query with the focus nodes' pattern (a group binding ``?this``) filled in."""
        assert self.focused is not None
        head, tail = self.focused
        return f"{head}{focus}{tail}"

    def queries(self) -> list[str]:
        """The check's query texts, for reading (the focus pattern shown as ``{ #focus nodes# }``)."""
        texts = [text for text in (self.candidates, self.per_focus) if text is not None]
        if self.focused is not None:
            texts.append(self.query("{ #focus nodes#\n }"))
        return texts


@dataclass(frozen=True)
class Plan:
    """The checks of a shapes graph, and for each shape that has focus nodes, where they come from."""

    shapes: Shapes
    checks: tuple[Check, ...]
    parents: dict[Term, tuple[Term, ...]]
    """For each active shape, the active shapes whose ``sh:property`` it is: their value nodes are its focus
    nodes too."""

    def active(self) -> list[Shape]:
        """The shapes that have focus nodes: their own targets, or a parent that has them."""
        return [self.shapes[node] for node in self.parents]


_FOCUS = "\x00focus\x00"


def compile_shapes(shapes: Shapes) -> Plan:
    """The plan for a shapes graph: checks for every constraint of every shape that can have focus nodes."""
    parents = _parents(shapes)
    context = Context(shapes)
    checks: list[Check] = []
    for node in parents:
        shape = shapes[node]
        for constraint in shape.constraints:
            checks.extend(_checks(shape, constraint, context))
    return Plan(shapes, tuple(_share_class_scans(checks)), parents)


def _parents(shapes: Shapes) -> dict[Term, tuple[Term, ...]]:
    """Active shapes (with focus nodes) and their active sh:property parents, found to a fixed point."""
    parents: dict[Term, set[Term]] = {node: set() for node, shape in shapes.shapes.items()
                                      if shape.targets and not shape.deactivated}
    changed = True
    while changed:
        changed = False
        for node in list(parents):
            for constraint in shapes[node].constraints:
                if isinstance(constraint, PropertyConstraint):
                    child = shapes.shapes.get(constraint.shape)
                    if child is None or child.deactivated:
                        continue
                    known = parents.setdefault(child.node, set())
                    if node not in known:
                        known.add(node)
                        changed = True
    return {node: tuple(sorted(found, key=str)) for node, found in parents.items()}


def _checks(shape: Shape, constraint: Constraint, context: Context) -> list[Check]:
    path = shape.path
    if isinstance(constraint, VALUE_CONSTRAINTS):
        return [_value_check(shape, constraint, context)]
    if isinstance(constraint, PropertyConstraint):
        return []  # the property shape reports for itself on these focus nodes (see Plan.parents)
    if isinstance(constraint, SparqlConstraint):
        return [_sparql_check(shape, constraint)]
    if isinstance(constraint, ClosedConstraint):
        return [_closed_check(shape, constraint)]
    if isinstance(constraint, PairConstraint):
        return _pair_checks(shape, constraint)
    if isinstance(constraint, HasValueConstraint):
        value = expressions.term_text(constraint.value, "sh:hasValue")
        if path is None:
            return [_focused(shape, constraint.component, f"SELECT DISTINCT ?this WHERE {{ {_FOCUS} "
                                                           f"FILTER(!sameTerm(?this, {value})) }}")]
        return [_without(shape, constraint.component, path, f"?this {path_text(path)} {value}")]
    if path is None:
        return []  # minCount, maxCount, uniqueLang and qualified counts apply to property shapes only
    steps = path_text(path)
    if isinstance(constraint, MinCountConstraint):
        if constraint.count == 0:
            return []
        if constraint.count == 1:
            return [_without(shape, constraint.component, path, f"?this {steps} ?value")]
        return [_focused(shape, constraint.component, _counted(steps, "", "<", constraint.count))]
    if isinstance(constraint, MaxCountConstraint):
        return [_count_check(shape, constraint.component, path, "", ">", constraint.count)]
    if isinstance(constraint, UniqueLangConstraint):
        select = (f"SELECT ?this ?lang WHERE {{ {{}} ?this {steps} ?value FILTER(LANG(?value) != \"\") "
                  f"BIND(LCASE(LANG(?value)) AS ?lang) }} GROUP BY ?this ?lang HAVING (COUNT(DISTINCT ?value) > 1)")
        return [_single_valued(_maybe_candidates(shape, constraint.component, path, select), path)]
    if isinstance(constraint, QualifiedConstraint):
        test = f"FILTER({render(expressions.qualifies(constraint, 'value', context))})"
        checks = []
        if constraint.maximum is not None:
            checks.append(_count_check(shape, SH.QualifiedMaxCountConstraintComponent, path, test, ">",
                                       constraint.maximum))
        if constraint.minimum:
            checks.append(_focused(shape, SH.QualifiedMinCountConstraintComponent,
                                   _counted(steps, test, "<", constraint.minimum)))
        return checks
    raise TypeError(f"no check for {constraint!r}")  # pragma: no cover - every constraint kind is handled


def _focused(shape: Shape, component: URIRef, select: str, *, value_is_focus: bool = False,
             path_from_solution: bool = False, minus: tuple[str, ...] = ()) -> Check:
    head, _, tail = select.partition(_FOCUS)
    return Check(shape, component, focused=(head, tail), value_is_focus=value_is_focus,
                 path_from_solution=path_from_solution, minus=minus)


def _maybe_candidates(shape: Shape, component: URIRef, path: Path, select: str) -> Check:
    """A query written with an empty group ``{}`` where the focus nodes go: run over the whole store when the
    path has no repetition, else with the focus nodes put in."""
    if is_simple(path):
        return Check(shape, component, candidates=select.replace("{ {} ", "{ ", 1))
    return _focused(shape, component, select.replace("{}", _FOCUS, 1))


def _single_valued(check: Check, path: Path) -> Check:
    return replace(check, scan=path_text(path), single_valued=True) if check.candidates is not None else check


def _without(shape: Shape, component: URIRef, path: Path, pattern: str) -> Check:
    """Focus nodes for which the pattern (binding ``?this``) has no solution."""
    if is_simple(path):
        return _focused(shape, component, f"SELECT DISTINCT ?this WHERE {{ {_FOCUS} MINUS {{ {pattern} }} }}",
                        minus=(pattern,))
    return _focused(shape, component, f"SELECT DISTINCT ?this WHERE {{ {_FOCUS} FILTER NOT EXISTS {{ {pattern} }} }}")


def _counted(steps: str, test: str, operator: str, count: int) -> str:
    return (f"SELECT ?this WHERE {{ {_FOCUS} OPTIONAL {{ ?this {steps} ?value {test} }} }} "
            f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) {operator} {count})")


def _count_check(shape: Shape, component: URIRef, path: Path, test: str, operator: str, count: int) -> Check:
    select = (f"SELECT ?this WHERE {{ {{}} ?this {path_text(path)} ?value {test} }} "
              f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) {operator} {count})")
    check = _maybe_candidates(shape, component, path, select)
    return _single_valued(check, path) if count >= 1 else check


def _value_check(shape: Shape, constraint: Constraint, context: Context) -> Check:
    component = constraint.component
    if shape.path is None:
        if isinstance(constraint, ClassConstraint):
            patterns: list[str] | None = [expressions.instance_pattern("this", constraint.cls)]
        else:
            patterns = anti_joins(negate(value_ok(constraint, "this", context)))
        if patterns is not None:
            minus = " ".join(f"MINUS {{ {pattern} }}" for pattern in patterns)
            return _focused(shape, component, f"SELECT DISTINCT ?this WHERE {{ {_FOCUS} {minus} }}",
                            value_is_focus=True, minus=tuple(patterns))
        ok = render(value_ok(constraint, "this", context))
        return _focused(shape, component, f"SELECT DISTINCT ?this WHERE {{ {_FOCUS} FILTER(!{ok}) }}",
                        value_is_focus=True)
    steps = path_text(shape.path)
    if isinstance(constraint, ClassConstraint):
        test = f"FILTER NOT EXISTS {{ {expressions.instance_pattern('value', constraint.cls)} }}"
        violation = None
    else:
        violation = f"!{render(value_ok(constraint, 'value', context))}"
        test = f"FILTER({violation})"
    select = f"SELECT DISTINCT ?this ?value WHERE {{ {{}} ?this {steps} ?value {test} }}"
    check = _maybe_candidates(shape, component, shape.path, select)
    if check.candidates is None:
        return check
    if isinstance(constraint, ClassConstraint):
        return replace(check, instance_of=constraint.cls) if isinstance(shape.path, URIRef) else check
    return replace(check, scan=steps, violation=violation)


def _share_class_scans(checks: list[Check]) -> list[Check]:
    """``sh:class`` checks on plain predicates, rewritten to one query per class: the predicates' values that
    are not instances, found with one MINUS (the instances gathered once, for all predicates)."""
    by_class: defaultdict[Term, set[URIRef]] = defaultdict(set)
    for check in checks:
        if check.instance_of is not None and isinstance(check.shape.path, URIRef):
            by_class[check.instance_of].add(check.shape.path)
    queries = {
        cls: (f"SELECT DISTINCT ?p ?this ?value WHERE {{ VALUES ?p {{ {' '.join(sorted(map(iri, predicates)))} }} "
              f"?this ?p ?value MINUS {{ {expressions.instance_pattern('value', cls)} }} }}")
        for cls, predicates in by_class.items()
    }
    return [
        replace(check, candidates=queries[check.instance_of], predicate=check.shape.path)
        if check.instance_of is not None and isinstance(check.shape.path, URIRef) else check
        for check in checks
    ]


def _closed_check(shape: Shape, constraint: ClosedConstraint) -> Check:
    allowed = ", ".join(sorted(iri(str(predicate)) for predicate in constraint.allowed))
    subject = "?this"
    values = ""
    if shape.path is not None:
        subject = "?__fs_node"
        values = f"?this {path_text(shape.path)} ?__fs_node ."
    select = (f"SELECT DISTINCT ?this ?path ?value WHERE {{ {_FOCUS} {values} {subject} ?path ?value "
              f"FILTER(?path NOT IN ({allowed})) }}")
    return _focused(shape, constraint.component, select, path_from_solution=True)


def _pair_checks(shape: Shape, constraint: PairConstraint) -> list[Check]:
    other = iri(str(constraint.predicate))
    component = constraint.component
    if shape.path is None:
        values, value = "BIND(?this AS ?value)", "?this"
        value_of = "FILTER(sameTerm(?this, ?value))"
    else:
        steps = path_text(shape.path)
        values, value = f"?this {steps} ?value .", "?value"
        value_of = f"?this {steps} ?value"
    head = f"SELECT DISTINCT ?this ?value WHERE {{ {_FOCUS} "
    if constraint.kind is PairKind.EQUALS:
        return [
            _focused(shape, component, f"{head}{values} FILTER NOT EXISTS {{ ?this {other} {value} }} }}"),
            _focused(shape, component, f"{head}?this {other} ?value FILTER NOT EXISTS {{ {value_of} }} }}"),
        ]
    if constraint.kind is PairKind.DISJOINT:
        return [_focused(shape, component, f"{head}{values} ?this {other} {value} }}")]
    operator = "<" if constraint.kind is PairKind.LESS_THAN else "<="
    return [_focused(shape, component, f"{head}{values} ?this {other} ?__fs_other "
                                       f"FILTER(!COALESCE({value} {operator} ?__fs_other, false)) }}")]


def _sparql_check(shape: Shape, constraint: SparqlConstraint) -> Check:
    text = constraint.select
    if shape.path is not None:
        text = sparqltext.replace_variable(text, "PATH", path_text(shape.path))
    elif sparqltext.uses_variable(text, "PATH"):
        raise UnsupportedFeature("$PATH in a SPARQL constraint of a node shape", shape.node)
    sparqltext.analyse(text)  # the rules of SHACL §5.6, on the query as written
    if sparqltext.uses_variable(text, "currentShape"):
        text = sparqltext.substitute(text, "currentShape", expressions.term_text(shape.node, "$currentShape"))
    query = sparqltext.analyse(sparqltext.analyse(text).projecting("this"))
    prologue = sparqltext.with_prefixes("", constraint.prefixes)
    focused = per_focus = None
    if query.joinable:
        head, tail = query.text[:query.where_open + 1], query.text[query.where_open + 1:]
        focused = (f"{prologue}{head} ", f" {tail}")
    else:
        per_focus = prologue + query.text
    return Check(shape, constraint.component, focused=focused, per_focus=per_focus, value_is_focus=shape.path is None,
                 path_from_solution=True, sparql=constraint)
