"""Running a plan's checks on a pyoxigraph ``Store`` and turning solutions into validation results.

Before a check's own query runs, its cheap test for "no result" does (see :mod:`.compile`): one scan per
path counts what every check on that path needs, one query per group of focus nodes tests every
``FOCUS MINUS {...}`` check on them. The solutions of a ``candidates`` check are kept only for focus nodes
(:mod:`.focus`).

Queries run in a thread pool: pyoxigraph releases the GIL while Oxigraph evaluates (``QuerySolutions``
iterates with the GIL detached), so two queries use two cores. The work several checks share (path scans,
class scans, focus groups, SPARQL targets) goes first, a task each, then the checks.
"""

from __future__ import annotations

import warnings
import weakref
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import ParamSpec, TypeVar

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from atfgraph.fastshacl.compile import Check, Plan
from atfgraph.fastshacl.errors import ValidationFailure
from atfgraph.fastshacl.focus import FocusNodes, Solution
from atfgraph.fastshacl.model import SparqlTarget
from atfgraph.fastshacl.once import Once
from atfgraph.fastshacl.report import ValidationResult, fill_in
from atfgraph.fastshacl.sparqltext import substitute
from atfgraph.fastshacl.terms import OxTerm, Term, from_oxigraph

SMALL_FOCUS = 20_000
"""Up to this many focus nodes (counted with repeats), a node without a required value is found by one
lookup per node (FILTER NOT EXISTS); above, by one anti-join over all nodes that have one (MINUS), which costs
as much as those nodes are many, whatever the focus nodes."""

_TRUE = ox.Literal("true", datatype=ox.NamedNode(str(XSD.boolean)))


@dataclass(frozen=True)
class _Profile:
    """What one scan of a path tells: whether no node has two values along it, and for each violation
    expression of the checks on it, how many values meet it."""

    single_valued: bool
    violations: dict[str, int]


class Engine:
    """One validation run of a plan against a store."""

    def __init__(self, store: ox.Store, plan: Plan, *, union: bool = True, workers: int = 2) -> None:
        self.store = store
        self.plan = plan
        self.union = union
        self.workers = max(1, workers)
        # The focus-node finder calls back into this engine: weakly, or the two would form a cycle that keeps
        # the store alive after validation until the cycle collector runs (at the end of a 100,000-event
        # build, a second spent freeing it then).
        self.focus = FocusNodes(plan, _weakly(self.query), _weakly(self.shared))
        self._solutions: Once[list[Solution]] = Once()
        self._profiles: Once[_Profile] = Once()
        self._violations: defaultdict[str, set[str]] = defaultdict(set)
        self._small: Once[bool] = Once()
        self._covered: Once[frozenset[int]] = Once()
        self._minus_groups: defaultdict[frozenset[object], list[int]] = defaultdict(list)
        self._multiple: set[str] = set()
        for index, check in enumerate(plan.checks):
            if check.scan is not None and check.violation is not None:
                self._violations[check.scan].add(check.violation)
            if check.scan is not None and check.single_valued:
                self._multiple.add(check.scan)
            if check.minus:
                self._minus_groups[self.focus.key(check.shape.node)].append(index)
        self._index = {id(check): index for index, check in enumerate(plan.checks)}

    # --- running

    def run(self) -> list[ValidationResult]:
        """Every result of every check."""
        checks = _longest_first(self.plan.checks)
        if self.workers == 1:
            batches = [self.solutions(check) for check in checks]
        else:
            with ThreadPoolExecutor(self.workers, thread_name_prefix="fastshacl") as pool:
                # The work checks share goes first, each piece a task of its own: queued behind the checks,
                # one thread would compute it while the other waited for it.
                list(pool.map(_call, self.shared_work()))
                batches = list(pool.map(self.solutions, checks))
        # Results are made here, in the caller's thread: rdflib parses the lexical form of each typed literal
        # it builds and warns about odd ones ("yes"^^xsd:boolean), which is noise for the ill-typed values
        # results report; the warning filters are process-wide, so they are changed in one thread only.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            return [self.result(check, solution) for check, batch in zip(checks, batches, strict=True)
                    for solution in batch]

    def shared_work(self) -> list[Callable[[], object]]:
        """What several checks need, as separate pieces of work: anti-join tests of focus groups, class
        scans, path scans, SPARQL targets. Each result is kept for the checks."""
        work: list[Callable[[], object]] = []
        for indexes in self._minus_groups.values():
            work.append(partial(self._prepare_group, self.plan.checks[indexes[0]].shape.node))
        texts = {check.candidates for check in self.plan.checks if check.candidates and check.instance_of}
        work.extend(partial(self.shared, text) for text in sorted(texts))
        scans = {check.scan for check in self.plan.checks if check.scan is not None}
        work.extend(partial(self.profile, steps) for steps in sorted(scans))
        work.extend(partial(self.focus.fixed, shape.node) for shape in self.plan.active()
                    if any(isinstance(target, SparqlTarget) for target in shape.targets))
        return work

    def _prepare_group(self, node: Term) -> None:
        """Count a focus group, and run its anti-join test if it is large (see :meth:`solutions`)."""
        if not self.small_focus(node):
            key = self.focus.key(node)
            self._covered.get(key, lambda: self._cover(key))

    def query(self, text: str, substitutions: dict[str, OxTerm] | None = None) -> list[Solution]:
        """The solutions of a SELECT query, each a dict from variable name to term."""
        found = self.store.query(
            text,
            use_default_graph_as_union=self.union,
            substitutions={ox.Variable(name): term for name, term in (substitutions or {}).items()} or None,
        )
        # pyoxigraph's solution iterators must be dropped on the thread that made them: a traceback or a
        # future holding this frame would otherwise free them later on another thread (an unraisable error).
        try:
            assert isinstance(found, ox.QuerySolutions)
            names = [variable.value for variable in found.variables]
            solutions = []
            for solution in found:
                row: Solution = {}
                for name in names:
                    term = solution[name]
                    if term is not None:
                        row[name] = term
                solutions.append(row)
            return solutions
        finally:
            del found

    def shared(self, text: str) -> list[Solution]:
        """The solutions of a query several checks may run: computed once."""
        return self._solutions.get(text, lambda: self.query(text))

    def solutions(self, check: Check) -> list[Solution]:
        """The solutions of one check that are validation results."""
        if check.scan is not None:
            profile = self.profile(check.scan)
            if check.single_valued and profile.single_valued:
                return []
            if check.violation is not None and not profile.violations[check.violation]:
                return []
        if check.minus:
            if self.small_focus(check.shape.node):
                return self._lookups(check)
            if self.covered(check):
                return []
        if check.candidates is not None:
            solutions = self.shared(check.candidates)
            if check.predicate is not None:
                predicate = ox.NamedNode(str(check.predicate))
                solutions = [solution for solution in solutions if solution.get("p") == predicate]
            members = self.focus.members(check.shape.node, {solution["this"] for solution in solutions})
            solutions = [solution for solution in solutions if solution["this"] in members]
        elif check.focused is not None:
            pattern = self.focus.pattern(check.shape.node, "this")
            solutions = [] if pattern is None else self.query(check.query(pattern))
        else:
            assert check.per_focus is not None
            solutions = []
            for node in sorted(self.focus.listed(check.shape.node), key=str):
                if isinstance(node, ox.BlankNode):  # no syntax names it: Oxigraph binds it instead
                    found = self.query(check.per_focus, {"this": node})
                else:
                    found = self.query(substitute(check.per_focus, "this", str(node)))
                solutions.extend({**solution, "this": node} for solution in found)
        return solutions

    def _lookups(self, check: Check) -> list[Solution]:
        """A ``FOCUS MINUS {...}`` check evaluated as ``FILTER NOT EXISTS``, the same solutions (each pattern
        binds ``?this``), found by probing each focus node."""
        focus = self.focus.pattern(check.shape.node, "this")
        if focus is None:
            return []
        tests = " ".join(f"FILTER NOT EXISTS {{ {pattern} }}" for pattern in check.minus)
        return self.query(f"SELECT DISTINCT ?this WHERE {{ {focus} {tests} }}")

    def result(self, check: Check, solution: Solution) -> ValidationResult:
        """A solution of a check as a validation result."""
        shape = check.shape
        values = {name: from_oxigraph(term) for name, term in solution.items()}
        focus = values["this"]
        value = values.get("value")
        if value is None and check.value_is_focus:
            value = focus
        path = shape.path
        solution_path = values.get("path")
        if check.path_from_solution and isinstance(solution_path, URIRef):
            path = solution_path
        messages = shape.messages
        if check.sparql is not None:
            if solution.get("failure") == _TRUE:
                raise ValidationFailure(f"the SPARQL constraint {check.sparql.node.n3()} reported a failure")
            message = values.get("message")
            if isinstance(message, Literal):
                messages = (message,)
            else:
                messages = fill_in(check.sparql.messages or shape.messages, values)
        component = check.component
        return ValidationResult(focus, path, value, shape.node, component, shape.severity, messages,
                                check.sparql.node if check.sparql is not None else None)

    # --- sufficient tests for "no result"

    def profile(self, steps: str) -> _Profile:
        """One scan of a path, counting what the checks on it need to know (see :class:`_Profile`)."""

        def compute() -> _Profile:
            violations = sorted(self._violations[steps])
            # An expression that errs counts as a violation: the exact query then decides.
            counts = [f"(SUM(IF(COALESCE({test}, true), 1, 0)) AS ?b{i})" for i, test in enumerate(violations)]
            if steps in self._multiple:
                counts.insert(0, "(COUNT(*) AS ?n) (COUNT(DISTINCT ?this) AS ?m)")
            (found,) = self.query(f"SELECT {' '.join(counts)} WHERE {{ ?this {steps} ?value }}")
            return _Profile(
                single_valued=steps in self._multiple and found["n"] == found["m"],
                violations={test: int(found[f"b{i}"].value) for i, test in enumerate(violations)},
            )

        return self._profiles.get(steps, compute)

    def small_focus(self, node: Term) -> bool:
        """Whether the shape has at most :data:`SMALL_FOCUS` focus nodes (counting stops past the limit)."""

        def compute() -> bool:
            focus = self.focus.pattern(node, "this")
            if focus is None:
                return True
            text = f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT * WHERE {{ {focus} }} LIMIT {SMALL_FOCUS + 1} }}"
            (count,) = self.query(text)
            return int(count["n"].value) <= SMALL_FOCUS

        return self._small.get(self.focus.key(node), compute)

    def covered(self, check: Check) -> bool:
        """Whether every focus node of a ``FOCUS MINUS {...}`` check matches one of its patterns, so that the
        check has no result. Tested for all such checks on the same focus nodes in one query, by counting:
        the focus nodes are all covered when adding them to the covering nodes adds none."""
        key = self.focus.key(check.shape.node)
        return self._index[id(check)] in self._covered.get(key, lambda: self._cover(key))

    def _cover(self, key: frozenset[object]) -> frozenset[int]:
        indexes = self._minus_groups[key]
        focus = self.focus.pattern(self.plan.checks[indexes[0]].shape.node, "this")
        if focus is None:
            return frozenset(indexes)
        counts, branches = [], [focus + "".join(f" BIND(?this AS ?__fs_u{i})" for i in indexes)]
        for i in indexes:
            counts.append(f"(COUNT(DISTINCT ?__fs_u{i}) AS ?u{i}) (COUNT(DISTINCT ?__fs_s{i}) AS ?s{i})")
            for pattern in self.plan.checks[i].minus:
                branches.append(f"{pattern} BIND(?this AS ?__fs_u{i}) BIND(?this AS ?__fs_s{i})")
        union = " UNION ".join(f"{{ {branch} }}" for branch in branches)
        (found,) = self.query(f"SELECT {' '.join(counts)} WHERE {{ {union} }}")
        return frozenset(i for i in indexes if found[f"u{i}"] == found[f"s{i}"])


def _call(work: Callable[[], object]) -> object:
    return work()


def _longest_first(checks: Iterable[Check]) -> list[Check]:
    """Checks with focused queries on class targets tend to take longest; starting them first keeps both
    threads busy to the end."""
    return sorted(checks, key=lambda check: check.focused is None)


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _weakly(method: Callable[_P, _R]) -> Callable[_P, _R]:
    """A bound method called through a weak reference to its object (see Engine.__init__)."""
    reference = weakref.WeakMethod(method)

    def call(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        bound = reference()
        assert bound is not None, "the engine is gone"
        return bound(*args, **kwargs)

    return call
