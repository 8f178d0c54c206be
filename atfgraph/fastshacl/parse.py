"""Reading a shapes graph (rdflib) into :mod:`atfgraph.fastshacl.model` values.

Every ``sh:`` predicate on a shape must be one this validator implements or one that does not take part in
validation (``sh:name``, ``sh:order``...): anything else raises :class:`UnsupportedFeature` naming it, so a
shapes graph is never validated with a rule silently left out.
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, XSD

from atfgraph.fastshacl.errors import ShapesError, UnsupportedFeature
from atfgraph.fastshacl.model import (
    SH,
    AlternativePath,
    AndConstraint,
    ClassConstraint,
    ClassTarget,
    ClosedConstraint,
    Comparison,
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
    NodeTarget,
    NotConstraint,
    ObjectsOfTarget,
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
    Shape,
    Shapes,
    SparqlConstraint,
    SparqlTarget,
    SubjectsOfTarget,
    Target,
    UniqueLangConstraint,
    XoneConstraint,
    ZeroOrMorePath,
    ZeroOrOnePath,
)
from atfgraph.fastshacl.terms import Term

# Parameters that take part in validation, and those that only describe (SHACL §2 and §4, SHACL-SPARQL §5).
CONSTRAINT_PARAMETERS = frozenset(SH[name] for name in (
    "class", "datatype", "nodeKind", "minCount", "maxCount", "minExclusive", "minInclusive", "maxExclusive",
    "maxInclusive", "minLength", "maxLength", "pattern", "flags", "languageIn", "uniqueLang", "equals", "disjoint",
    "lessThan", "lessThanOrEquals", "not", "and", "or", "xone", "node", "property", "qualifiedValueShape",
    "qualifiedValueShapesDisjoint", "qualifiedMinCount", "qualifiedMaxCount", "closed", "ignoredProperties",
    "hasValue", "in", "sparql",
))
TARGET_PARAMETERS = frozenset(SH[name] for name in (
    "targetClass", "targetNode", "targetObjectsOf", "targetSubjectsOf", "target",
))
DESCRIPTIVE_PARAMETERS = frozenset(SH[name] for name in (
    "path", "severity", "message", "deactivated", "name", "description", "order", "group", "defaultValue",
))
_SHAPE_VALUED = (SH.node, SH.property, SH["not"], SH.qualifiedValueShape)
_SHAPE_LISTS = (SH["and"], SH["or"], SH.xone)
_NODE_KINDS = {SH[kind.value]: kind for kind in NodeKind}
_DEFAULT_PREFIXES = {"rdf": str(RDF), "rdfs": str(RDFS), "owl": str(OWL)}
_INTEGER_TYPES = {XSD.integer, XSD.int, XSD.long, XSD.short, XSD.byte, XSD.nonNegativeInteger,
                  XSD.positiveInteger, XSD.unsignedInt, XSD.unsignedLong, XSD.unsignedShort, XSD.unsignedByte}


def parse(graph: Graph) -> Shapes:
    """Every shape of the graph, read and checked; ``ShapesError``/``UnsupportedFeature`` when it cannot be."""
    if (None, SH.entailment, None) in graph:
        raise UnsupportedFeature("sh:entailment")
    reader = ShapeReader(graph)
    return Shapes({node: reader.shape(node) for node in sorted(reader.shape_nodes(), key=_sort_key)})


def read_path(graph: Graph, node: Term) -> Path:
    """The SHACL path a node of the graph spells (a predicate, or a path node)."""
    return ShapeReader(graph).path(node)


def shape_reader(graph: Graph) -> ShapeReader:
    """A reader of the graph's shapes, for looking at them without building them all."""
    return ShapeReader(graph)


def _sort_key(term: Term) -> tuple[str, str]:
    return (type(term).__name__, str(term))


class ShapeReader:
    """Reads shapes from a graph. Graph access goes through the typed helpers below: rdflib returns any
    ``Node``, a shapes graph holds only IRIs, blank nodes and literals."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.component_parameters = self._custom_component_parameters()

    def objects(self, node: Term | None, predicate: URIRef) -> list[Term]:
        """The objects of the node's triples with the predicate (of every such triple when node is None)."""
        return [_term(value) for value in self.graph.objects(node, predicate)]

    def subjects(self, predicate: URIRef, value: Term | None = None) -> list[Term]:
        """The subjects of triples with the predicate (and object)."""
        return [_term(node) for node in self.graph.subjects(predicate, value)]

    def value(self, node: Term, predicate: URIRef) -> Term | None:
        """The object of the node's triple with the predicate, if any."""
        found = self.graph.value(node, predicate)
        return None if found is None else _term(found)

    # --- which nodes are shapes (SHACL §2.1)

    def instances(self, cls: URIRef) -> set[Term]:
        """The SHACL instances of a class in the shapes graph (rdf:type/rdfs:subClassOf*)."""
        found: set[Term] = set()
        for subclass in self.graph.transitive_subjects(RDFS.subClassOf, cls):
            found.update(self.subjects(RDF.type, _term(subclass)))
        return found

    def shape_nodes(self) -> set[Term]:
        """Every node that is a shape (SHACL §2.1): an instance of sh:NodeShape or sh:PropertyShape, the subject
        of a target or constraint parameter, or the value of a shape-expecting parameter."""
        parameter_nodes = set(self.objects(None, SH.parameter))
        nodes = self.instances(SH.NodeShape) | self.instances(SH.PropertyShape)
        for predicate in TARGET_PARAMETERS | CONSTRAINT_PARAMETERS | {SH.path}:
            nodes.update(self.subjects(predicate))
        for predicate in _SHAPE_VALUED:
            nodes.update(self.objects(None, predicate))
        for predicate in _SHAPE_LISTS:
            for head in self.objects(None, predicate):
                nodes.update(self.items(head, predicate))
        return {node for node in nodes if node not in parameter_nodes and not isinstance(node, Literal)}

    def _custom_component_parameters(self) -> set[URIRef]:
        parameters: set[URIRef] = set()
        for component in self.instances(SH.ConstraintComponent):
            for parameter in self.objects(component, SH.parameter):
                parameters.update(p for p in self.objects(parameter, SH.path) if isinstance(p, URIRef))
        return parameters

    # --- one shape

    def shape(self, node: Term) -> Shape:
        """One shape, read and checked."""
        graph = self.graph
        # A shape may be its own SPARQL constraint (sh:sparql pointing to itself), with the query's triples.
        own_query = {SH.select, SH.prefixes} if (None, SH.sparql, node) in graph else set()
        for predicate in {p for p in graph.predicates(node) if isinstance(p, URIRef)}:
            if predicate in self.component_parameters:
                raise UnsupportedFeature(f"SPARQL-based constraint component parameter {predicate.n3()}", node)
            if (str(predicate).startswith(str(SH)) and predicate not in CONSTRAINT_PARAMETERS
                    and predicate not in TARGET_PARAMETERS and predicate not in DESCRIPTIVE_PARAMETERS
                    and predicate not in own_query):
                raise UnsupportedFeature(f"sh:{predicate[len(str(SH)):]}", node)
        paths = list(self.objects(node, SH.path))
        if len(paths) > 1:
            raise ShapesError(f"{node.n3()} has more than one sh:path")
        path = self.path(paths[0]) if paths else None
        severities = list(self.objects(node, SH.severity))
        if len(severities) > 1 or (severities and not isinstance(severities[0], URIRef)):
            raise ShapesError(f"{node.n3()} needs at most one sh:severity, an IRI")
        return Shape(
            node=node,
            path=path,
            targets=tuple(self.targets(node)),
            constraints=tuple(self.constraints(node, path is not None)),
            severity=severities[0] if severities and isinstance(severities[0], URIRef) else SH.Violation,
            messages=self.messages(node),
            deactivated=self.boolean(node, SH.deactivated),
        )

    def path(self, node: Term, depth: int = 0) -> Path:
        """The property path a node spells (SHACL §2.3.1)."""
        graph = self.graph
        if depth > 50:
            raise ShapesError("property path nested too deeply (a cycle?)")
        if isinstance(node, URIRef):
            if node == RDF.nil:
                raise ShapesError("an empty list is not a property path")
            return node
        if isinstance(node, Literal):
            raise ShapesError(f"a literal is not a property path: {node.n3()}")
        if (node, RDF.first, None) in graph:
            parts = tuple(self.path(part, depth + 1) for part in self.items(node, SH.path))
            if len(parts) < 2:
                raise ShapesError("a sequence path needs at least two members")
            return SequencePath(parts)
        inner = self.value(node, SH.inversePath)
        if inner is not None:
            return InversePath(self.path(inner, depth + 1))
        inner = self.value(node, SH.zeroOrMorePath)
        if inner is not None:
            return ZeroOrMorePath(self.path(inner, depth + 1))
        inner = self.value(node, SH.oneOrMorePath)
        if inner is not None:
            return OneOrMorePath(self.path(inner, depth + 1))
        inner = self.value(node, SH.zeroOrOnePath)
        if inner is not None:
            return ZeroOrOnePath(self.path(inner, depth + 1))
        alternatives = self.value(node, SH.alternativePath)
        if alternatives is not None:
            parts = tuple(self.path(part, depth + 1) for part in self.items(alternatives, SH.alternativePath))
            if len(parts) < 2:
                raise ShapesError("an alternative path needs at least two members")
            return AlternativePath(parts)
        raise ShapesError(f"not a SHACL property path: {node.n3()}")

    def targets(self, node: Term) -> Iterator[Target]:
        """The shape's targets, the implicit class target included."""
        for value in self.objects(node, SH.targetNode):
            yield NodeTarget(_term(value))
        for value in self.objects(node, SH.targetClass):
            if isinstance(value, Literal):
                raise ShapesError(f"sh:targetClass of {node.n3()} is a literal")
            yield ClassTarget(value)
        if self.implicit_class_target(node):
            yield ClassTarget(node)
        for value in self.objects(node, SH.targetSubjectsOf):
            yield SubjectsOfTarget(self.iri(value, SH.targetSubjectsOf))
        for value in self.objects(node, SH.targetObjectsOf):
            yield ObjectsOfTarget(self.iri(value, SH.targetObjectsOf))
        for value in self.objects(node, SH.target):
            selects = list(self.objects(value, SH.select))
            kinds = set(self.objects(value, RDF.type))
            if len(selects) != 1 or not (kinds <= {SH.SPARQLTarget}):
                raise UnsupportedFeature("sh:target other than a SPARQL target with one sh:select", node)
            yield SparqlTarget(_term(value), self.text(selects[0], SH.select), self.prefixes(value))

    def implicit_class_target(self, node: Term) -> bool:
        """Whether the shape is also a class, and so targets its instances (SHACL §2.1.3.3)."""
        classes = set(self.graph.transitive_subjects(RDFS.subClassOf, RDFS.Class))
        return any(kind in classes for kind in self.objects(node, RDF.type)) and any(
            (node, RDF.type, kind) in self.graph for kind in (SH.NodeShape, SH.PropertyShape))

    def constraints(self, node: Term, is_property: bool) -> Iterator[Constraint]:
        """The shape's constraints, one per parameter value (counts only on property shapes)."""
        for value in self.objects(node, SH["class"]):
            if isinstance(value, Literal):
                raise ShapesError(f"sh:class of {node.n3()} is a literal")
            yield ClassConstraint(value)
        for value in self.objects(node, SH.datatype):
            yield DatatypeConstraint(self.iri(value, SH.datatype))
        for value in self.objects(node, SH.nodeKind):
            if not isinstance(value, URIRef) or value not in _NODE_KINDS:
                raise ShapesError(f"sh:nodeKind of {node.n3()} is not one of the six node kinds")
            yield NodeKindConstraint(_NODE_KINDS[value])
        if is_property:
            for value in self.objects(node, SH.minCount):
                yield MinCountConstraint(self.integer(value, SH.minCount))
            for value in self.objects(node, SH.maxCount):
                yield MaxCountConstraint(self.integer(value, SH.maxCount))
        for comparison in Comparison:
            for value in self.objects(node, SH[comparison.parameter]):
                if not isinstance(value, Literal):
                    raise ShapesError(f"sh:{comparison.parameter} of {node.n3()} is not a literal")
                yield RangeConstraint(comparison, value)
        for maximum, parameter in ((False, SH.minLength), (True, SH.maxLength)):
            for value in self.objects(node, parameter):
                yield LengthConstraint(maximum, self.integer(value, parameter))
        flags = list(self.objects(node, SH.flags))
        if len(flags) > 1:
            raise ShapesError(f"{node.n3()} has more than one sh:flags")
        for value in self.objects(node, SH.pattern):
            yield PatternConstraint(self.text(value, SH.pattern), self.text(flags[0], SH.flags) if flags else None)
        for value in self.objects(node, SH.languageIn):
            yield LanguageInConstraint(tuple(self.text(tag, SH.languageIn) for tag in self.items(value, SH.languageIn)))
        if is_property and self.boolean(node, SH.uniqueLang):
            yield UniqueLangConstraint()
        for kind in PairKind:
            for value in self.objects(node, SH[kind.value]):
                yield PairConstraint(kind, self.iri(value, SH[kind.value]))
        for value in self.objects(node, SH["not"]):
            yield NotConstraint(_term(value))
        for value in self.objects(node, SH["and"]):
            yield AndConstraint(tuple(self.items(value, SH["and"])))
        for value in self.objects(node, SH["or"]):
            yield OrConstraint(tuple(self.items(value, SH["or"])))
        for value in self.objects(node, SH.xone):
            yield XoneConstraint(tuple(self.items(value, SH.xone)))
        for value in self.objects(node, SH.node):
            yield NodeConstraint(_term(value))
        for value in self.objects(node, SH.property):
            if self.value(value, SH.path) is None:
                raise ShapesError(f"the value of sh:property of {node.n3()} is not a property shape")
            yield PropertyConstraint(_term(value))
        yield from self.qualified(node)
        if self.boolean(node, SH.closed):
            allowed = {path for shape in self.objects(node, SH.property)
                       for path in self.objects(shape, SH.path) if isinstance(path, URIRef)}
            for value in self.objects(node, SH.ignoredProperties):
                allowed.update(self.iri(item, SH.ignoredProperties) for item in self.items(value, SH.ignoredProperties))
            yield ClosedConstraint(frozenset(allowed))
        for value in self.objects(node, SH.hasValue):
            yield HasValueConstraint(_term(value))
        for value in self.objects(node, SH["in"]):
            yield InConstraint(tuple(self.items(value, SH["in"])))
        for value in self.objects(node, SH.sparql):
            sparql = self.sparql(value)
            if sparql is not None:
                yield sparql

    def qualified(self, node: Term) -> Iterator[QualifiedConstraint]:
        """Qualified value shape constraints, with their sibling shapes when they must be disjoint."""
        shapes = list(self.objects(node, SH.qualifiedValueShape))
        if not shapes:
            return
        minimum = [self.integer(v, SH.qualifiedMinCount) for v in self.objects(node, SH.qualifiedMinCount)]
        maximum = [self.integer(v, SH.qualifiedMaxCount) for v in self.objects(node, SH.qualifiedMaxCount)]
        if len(minimum) > 1 or len(maximum) > 1 or not (minimum or maximum):
            raise ShapesError(f"{node.n3()} needs one sh:qualifiedMinCount and/or one sh:qualifiedMaxCount")
        disjoint = self.boolean(node, SH.qualifiedValueShapesDisjoint)
        for shape in shapes:
            siblings: set[Term] = set()
            if disjoint:
                for parent in self.subjects(SH.property, node):
                    for sibling_property in self.objects(parent, SH.property):
                        siblings.update(self.objects(sibling_property, SH.qualifiedValueShape))
                siblings.discard(_term(shape))
            yield QualifiedConstraint(_term(shape), minimum[0] if minimum else None,
                                      maximum[0] if maximum else None, tuple(sorted(siblings, key=_sort_key)))

    def sparql(self, node: Term) -> SparqlConstraint | None:
        """A SPARQL constraint (None when deactivated)."""
        graph = self.graph
        if self.boolean(node, SH.deactivated):
            return None
        selects = list(self.objects(node, SH.select))
        if (node, SH.ask, None) in graph:
            raise ShapesError(f"{node.n3()}: a SPARQL constraint needs sh:select (sh:ask is for validators)")
        if len(selects) != 1:
            raise ShapesError(f"{node.n3()}: a SPARQL constraint needs exactly one sh:select")
        return SparqlConstraint(_term(node), self.text(selects[0], SH.select), self.prefixes(node), self.messages(node))

    # --- values

    def prefixes(self, node: Term) -> tuple[tuple[str, str], ...]:
        """The prefix declarations of ``sh:prefixes`` (SHACL §5.2.1), with rdf, rdfs and owl as pyshacl has
        them by default."""
        graph = self.graph
        found = dict(_DEFAULT_PREFIXES)
        declared: dict[str, str] = {}
        sources = set(self.objects(node, SH.prefixes))
        for start in list(sources):  # and what they import (owl:imports), within the shapes graph
            sources.update(_term(imported) for imported in graph.transitive_objects(start, OWL.imports)
                           if imported is not None)
        for source in sorted(sources, key=str):
            for declaration in self.objects(source, SH.declare):
                prefixes = list(self.objects(declaration, SH.prefix))
                namespaces = list(self.objects(declaration, SH.namespace))
                if len(prefixes) != 1 or len(namespaces) != 1 or not isinstance(prefixes[0], Literal):
                    raise ShapesError(f"a sh:declare of {source.n3()} needs one sh:prefix and one sh:namespace")
                prefix, namespace = str(prefixes[0]), str(namespaces[0])
                if declared.get(prefix, namespace) != namespace:
                    raise ShapesError(f"prefix {prefix!r} is declared with two namespaces")
                declared[prefix] = namespace
        found.update(declared)
        return tuple(sorted(found.items()))

    def messages(self, node: Term) -> tuple[Literal, ...]:
        """The node's sh:message values, in a stable order."""
        messages = []
        for value in self.objects(node, SH.message):
            if not isinstance(value, Literal):
                raise ShapesError(f"sh:message of {node.n3()} is not a literal")
            messages.append(value)
        return tuple(sorted(messages, key=lambda message: (str(message), message.language or "")))

    def items(self, head: Term, parameter: URIRef) -> list[Term]:
        """The members of an RDF list that is the value of a parameter."""
        if head == RDF.nil:
            return []
        if not isinstance(head, BNode | URIRef) or (head, RDF.first, None) not in self.graph:
            raise ShapesError(f"the value of {parameter.n3()} must be an RDF list")
        return [_term(item) for item in Collection(self.graph, head)]

    def iri(self, value: Term, parameter: URIRef) -> URIRef:
        """A parameter value that must be an IRI."""
        if not isinstance(value, URIRef):
            raise ShapesError(f"the value of {parameter.n3()} must be an IRI, not {value.n3()}")
        return value

    def integer(self, value: Term, parameter: URIRef) -> int:
        """A parameter value that must be a non-negative integer."""
        if (not isinstance(value, Literal) or value.datatype not in _INTEGER_TYPES
                or not isinstance(value.value, int) or value.value < 0):
            raise ShapesError(f"the value of {parameter.n3()} must be a non-negative integer, not {value.n3()}")
        return value.value

    def text(self, value: Term, parameter: URIRef) -> str:
        """A parameter value that must be a string."""
        if not isinstance(value, Literal) or value.language is not None or value.datatype not in (None, XSD.string):
            raise ShapesError(f"the value of {parameter.n3()} must be a string, not {value.n3()}")
        return str(value)

    def boolean(self, node: Term, parameter: URIRef) -> bool:
        """Whether a boolean parameter is switched on (absent means off)."""
        values = list(self.objects(node, parameter))
        if len(values) > 1:
            raise ShapesError(f"{node.n3()} has more than one {parameter.n3()}")
        if not values:
            return False
        value = values[0]
        if not isinstance(value, Literal) or value.datatype != XSD.boolean or not isinstance(value.value, bool):
            raise ShapesError(f"the value of {parameter.n3()} on {node.n3()} must be true or false")
        # Only the term true switches a parameter on: "1"^^xsd:boolean has the same value but is another term
        # (W3C test core/property/uniqueLang-002).
        return str(value) == "true"


def _term(node: object) -> Term:
    if isinstance(node, URIRef | BNode | Literal):
        return node
    raise ShapesError(f"not an RDF term: {node!r}")


