"""A shape's focus nodes, as a SPARQL pattern, a tested subset, or a list.

Focus nodes are never listed in full unless they must be. They are a group pattern binding a variable (the
shape's targets, and for a property shape reached through ``sh:property`` its parents' value nodes) that
checks put into their queries; ``sh:targetNode`` nodes and the answers of SPARQL targets are the exception,
found once and written in as ``VALUES`` (so Oxigraph binds ``$this`` first in a SPARQL constraint, instead of
evaluating the constraint over the whole store). Whether a few given nodes are focus nodes is asked with one
``VALUES`` query; for many, the focus nodes are listed once and intersected.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import RDF, RDFS

from atfgraph.fastshacl.compile import Plan
from atfgraph.fastshacl.errors import UnsupportedFeature
from atfgraph.fastshacl.expressions import path_text
from atfgraph.fastshacl.model import ClassTarget, NodeTarget, ObjectsOfTarget, SparqlTarget, SubjectsOfTarget, Target
from atfgraph.fastshacl.once import Once
from atfgraph.fastshacl.sparqltext import with_prefixes
from atfgraph.fastshacl.terms import OxTerm, Term, iri
from atfgraph.oxstore import to_oxigraph

Solution = dict[str, OxTerm]
Query = Callable[[str], list[Solution]]

MEMBERSHIP_QUERY_LIMIT = 2000
"""Up to this many candidate focus nodes are tested with one VALUES query; above, the focus set is listed."""

_TYPE_PATH = f"{iri(str(RDF.type))}/{iri(str(RDFS.subClassOf))}*"


class FocusNodes:
    """The focus nodes of a plan's shapes in one store; ``query`` runs a SELECT and ``shared`` runs one that
    other parts of the run may also need (computed once)."""

    def __init__(self, plan: Plan, query: Query, shared: Query) -> None:
        self.plan = plan
        self.query = query
        self.shared = shared
        self._names = itertools.count()
        self._fixed: Once[frozenset[OxTerm]] = Once()
        self._listed: Once[frozenset[OxTerm]] = Once()

    def key(self, node: Term, expanding: tuple[Term, ...] = ()) -> frozenset[object]:
        """What a shape's focus nodes are made of, so that shapes with the same focus nodes share a key: its
        targets, and its parents' keys (with the path, for property shapes)."""
        if node in expanding:
            raise UnsupportedFeature("recursive shapes through sh:property", node)
        parts: set[object] = set(self.plan.shapes[node].targets)
        for parent in self.plan.parents.get(node, ()):
            parent_shape = self.plan.shapes[parent]
            key = self.key(parent, (*expanding, node))
            if parent_shape.path is None:
                parts.update(key)
            else:
                parts.add((key, parent_shape.path))
        return frozenset(parts)

    def fixed(self, node: Term) -> frozenset[OxTerm]:
        """The focus nodes a shape names itself (``sh:targetNode``) or gets from its SPARQL targets."""

        def compute() -> frozenset[OxTerm]:
            found: set[OxTerm] = set()
            for target in self.plan.shapes[node].targets:
                if isinstance(target, NodeTarget):
                    found.add(to_oxigraph(target.node))
                elif isinstance(target, SparqlTarget):
                    text = with_prefixes(target.select, target.prefixes)
                    found.update(solution["this"] for solution in self.shared(text) if "this" in solution)
            return frozenset(found)

        return self._fixed.get(node, compute)

    def pattern(self, node: Term, variable: str, expanding: tuple[Term, ...] = ()) -> str | None:
        """A group pattern binding ``?variable`` to every focus node of the shape (with repeats), or None
        when the shape can have none."""
        if node in expanding:
            raise UnsupportedFeature("recursive shapes through sh:property", node)
        parts = []
        fixed = self.fixed(node)
        if any(isinstance(term, ox.BlankNode) for term in fixed):
            raise UnsupportedFeature("blank nodes as focus nodes from sh:targetNode or a SPARQL target", node)
        if fixed:
            parts.append(f"{{ VALUES ?{variable} {{ {values(fixed)} }} }}")
        for target in self.plan.shapes[node].targets:
            part = self._target(target, variable)
            if part is not None:
                parts.append(part)
        for parent in self.plan.parents.get(node, ()):
            parent_shape = self.plan.shapes[parent]
            if parent_shape.path is None:
                inner = self.pattern(parent, variable, (*expanding, node))
                if inner is not None:
                    parts.append(inner)
            else:
                name = self._fresh()
                inner = self.pattern(parent, name, (*expanding, node))
                if inner is not None:
                    parts.append(f"{{ {inner} ?{name} {path_text(parent_shape.path)} ?{variable} }}")
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else "{ " + " UNION ".join(parts) + " }"

    def _target(self, target: Target, variable: str) -> str | None:
        """The pattern of a target that SPARQL can state inline (not sh:targetNode, not a SPARQL target)."""
        if isinstance(target, ClassTarget):
            if not isinstance(target.cls, URIRef):
                raise UnsupportedFeature("a blank node as sh:targetClass")
            return f"{{ ?{variable} {_TYPE_PATH} {iri(str(target.cls))} }}"
        if isinstance(target, SubjectsOfTarget):
            return f"{{ ?{variable} {iri(str(target.predicate))} ?{self._fresh()} }}"
        if isinstance(target, ObjectsOfTarget):
            return f"{{ ?{self._fresh()} {iri(str(target.predicate))} ?{variable} }}"
        return None

    def listed(self, node: Term) -> frozenset[OxTerm]:
        """Every focus node of the shape, listed."""

        def compute() -> frozenset[OxTerm]:
            pattern = self.pattern(node, "this")
            if pattern is None:
                return frozenset()
            return frozenset(s["this"] for s in self.query(f"SELECT DISTINCT ?this WHERE {{ {pattern} }}"))

        return self._listed.get(node, compute)

    def members(self, node: Term, nodes: set[OxTerm]) -> set[OxTerm]:
        """Those of the nodes that are focus nodes of the shape."""
        if not nodes:
            return set()
        if len(nodes) > MEMBERSHIP_QUERY_LIMIT or any(isinstance(term, ox.BlankNode) for term in nodes):
            return nodes & self.listed(node)
        found = nodes & self.fixed(node)
        inline = [part for part in (self._target(target, "this") for target in self.plan.shapes[node].targets)
                  if part is not None]
        if inline and nodes - found:
            union = " UNION ".join(inline)
            text = f"SELECT DISTINCT ?this WHERE {{ VALUES ?this {{ {values(nodes - found)} }} {union} }}"
            found.update(solution["this"] for solution in self.query(text))
        for parent in self.plan.parents.get(node, ()):
            remaining = nodes - found
            if not remaining:
                break
            parent_shape = self.plan.shapes[parent]
            if parent_shape.path is None:
                found |= self.members(parent, remaining)
                continue
            text = (f"SELECT DISTINCT ?this ?parent WHERE {{ VALUES ?this {{ {values(remaining)} }} "
                    f"?parent {path_text(parent_shape.path)} ?this }}")
            by_parent: defaultdict[OxTerm, set[OxTerm]] = defaultdict(set)
            for solution in self.query(text):
                by_parent[solution["parent"]].add(solution["this"])
            for member in self.members(parent, set(by_parent)):
                found |= by_parent[member]
        return found

    def _fresh(self) -> str:
        return f"__fs_f{next(self._names)}"


def values(terms: Iterable[OxTerm]) -> str:
    """Terms for a VALUES block (callers keep blank nodes out: SPARQL has no syntax that names one)."""
    return " ".join(sorted(str(term) for term in terms))
