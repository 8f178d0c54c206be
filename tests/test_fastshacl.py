"""fastshacl: the project's shapes run as SPARQL on Oxigraph give whole-graph pyshacl's results.

Three kinds of evidence:

* Equivalence with pyshacl run the way the build runs it (``atfgraph.checks.shacl``: data plus ontology, no
  inference, advanced features on, top-level results only), compared as sets of (focus node, result path,
  value, source shape, constraint component, severity, message text): on the shipped data, on the small
  golden dataset, and on a generated dataset with defects of every kind the shapes check injected into it
  (each of which must be found). The few places where pyshacl departs from SHACL, and the validator follows
  SHACL, are tests of their own below, each showing the one difference.
* The W3C SHACL test suite (``../shared/w3c-shacl-tests``): every case whose shapes use only features the
  validator implements (found by scanning the case's shapes, :func:`atfgraph.fastshacl.features.features`)
  must give the expected report; every other case must be refused naming the missing feature, and none of
  those may need a feature the project's shapes use.
* Smaller properties: threads change nothing, a triple held in two named graphs counts once, unsupported
  features are named, and the report graph says what the results say.
"""

from __future__ import annotations

import tempfile
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
import rdflib
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SKOS, XSD

import atfgraph
import atfgraph.fastshacl.engine as fast_engine
import atfgraph.fastshacl.focus as fast_focus
from atfgraph.checks import shacl
from atfgraph.fastshacl import (
    ShapesError,
    UnsupportedFeature,
    ValidationReport,
    Validator,
    store_from_graphs,
    validate,
)
from atfgraph.fastshacl.features import SUPPORTED, features
from atfgraph.fastshacl.parse import read_path
from atfgraph.fastshacl.terms import from_oxigraph, normal, sparql
from atfgraph.loader import load
from atfgraph.oxstore import to_oxigraph
from atfgraph.resources import ontology_graph, shapes_graph
from benchmarks.generate import generate
from tests.conftest import DATA
from tests.test_shapes import CASES, broken, case_base

ROOT = Path(__file__).resolve().parent.parent
W3C = ROOT.parent / "shared" / "w3c-shacl-tests"

ATF = Namespace("https://w3id.org/atfgraph/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
SH = Namespace("http://www.w3.org/ns/shacl#")
SHAPE = Namespace("https://w3id.org/atfgraph/shapes#")
ID = Namespace("https://w3id.org/atfgraph/id/")
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")

Key = tuple[object, ...]
"""A result as compared: focus, path, value, shape, component, severity, message texts."""


# --- running both validators


def pyshacl_keys(data: Graph) -> set[Key]:
    """pyshacl's results, as the build gets them (atfgraph.checks.shacl), top-level results only."""
    _, report = shacl(data)
    keys = set()
    for top in report.subjects(RDF.type, SH.ValidationReport):
        for result in report.objects(top, SH.result):
            path = report.value(result, SH.resultPath)
            keys.add(_key(
                report.value(result, SH.focusNode),
                read_path(report, path) if path is not None else None,  # type: ignore[arg-type]
                report.value(result, SH.value),
                report.value(result, SH.sourceShape),
                report.value(result, SH.sourceConstraintComponent),
                report.value(result, SH.resultSeverity),
                report.objects(result, SH.resultMessage),
            ))
    return keys


def fast_report(data: Graph, workers: int = 1) -> ValidationReport:
    """fastshacl's report for the data plus the ontology, loaded into a new Oxigraph store."""
    return validate(store_from_graphs(data, ontology_graph()), shapes_graph(), workers=workers)


def fast_keys(data: Graph) -> set[Key]:
    return keys_of(fast_report(data))


def keys_of(report: ValidationReport) -> set[Key]:
    return {
        _key(r.focus_node, r.result_path, r.value, r.source_shape, r.source_constraint_component, r.severity,
             r.messages)
        for r in report.results
    }


def _key(focus: object, path: object, value: object, shape: object, component: object, severity: object,
         messages: Iterator[object] | tuple[object, ...]) -> Key:
    # Message text only: pyshacl drops the language tag of SPARQL messages (test below); terms in RDF 1.1 form.
    texts = tuple(sorted(str(message) for message in messages))
    plain = normal(value) if isinstance(value, URIRef | BNode | Literal) else value
    return (focus, path, plain, shape, component, severity, texts)


def assert_same(expected: set[Key], found: set[Key]) -> None:
    missing, extra = sorted(expected - found, key=str), sorted(found - expected, key=str)
    assert not missing and not extra, f"only pyshacl: {missing[:5]}\nonly fastshacl: {extra[:5]}"


# --- equivalence on the project's datasets


@cache
def shipped() -> Graph:
    return atfgraph.load(ROOT / "data").store.union()


def test_shipped_data_gives_pyshacls_results() -> None:
    expected = pyshacl_keys(shipped())
    assert_same(expected, fast_keys(shipped()))


def test_small_golden_dataset_gives_pyshacls_results() -> None:
    data = atfgraph.load(ROOT / "tests" / "golden" / "small").store.union()
    assert_same(pyshacl_keys(data), fast_keys(data))


@dataclass(frozen=True)
class Defect:
    """A defect put into a graph, and the result it must produce."""

    what: str
    focus: URIRef
    shape: str
    component: str


class Injector:
    """Breaks a graph in many ways, each on a node of its own, remembering what each break must produce."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.defects: list[Defect] = []
        self.used: set[URIRef] = set()
        self.counter = 0

    def pick(self, cls: URIRef, having: URIRef | None = None, after: str = "") -> URIRef:
        """An instance of the class not broken yet (with a value for ``having``, greater than ``after``), the
        same one every run."""
        candidates = sorted(
            node for node in set(self.graph.subjects(RDF.type, cls))
            if isinstance(node, URIRef) and node not in self.used
            and (having is None or any(str(value) > after for value in self.graph.objects(node, having)))
        )
        node = candidates[0]
        self.used.add(node)
        return node

    def expect(self, what: str, focus: URIRef, shape: str, component: str) -> None:
        self.defects.append(Defect(what, focus, shape, component))

    def set(self, node: URIRef, predicate: URIRef, value: URIRef | Literal | None) -> None:
        """Replace the node's values for the predicate (remove them when value is None)."""
        self.graph.remove((node, predicate, None))
        if value is not None:
            self.graph.add((node, predicate, value))

    def date_node(self, earliest: str, latest: str) -> URIRef:
        """A complete, valid date node (a year) with the given bounds."""
        self.counter += 1
        node = ID[f"injected/date-{self.counter}"]
        for predicate, value in (
            (RDF.type, ATF.DateSpec), (ATF.dateText, Literal(earliest[:4])), (ATF.precision, Literal("year")),
            (ATF.earliest, Literal(earliest, datatype=XSD.date)), (ATF.latest, Literal(latest, datatype=XSD.date)),
        ):
            self.graph.add((node, predicate, value))
        return node


def inject_defects(graph: Graph) -> list[Defect]:
    """Every kind of defect the shapes check: at least one per constraint component and per SPARQL constraint
    of shapes.ttl (a test checks that), each on a node of its own."""
    g, x = graph, Injector(graph)
    topics = sorted(t for t in set(g.subjects(RDF.type, ATF.Topic)) if isinstance(t, URIRef))

    # events: cardinalities, datatypes, ranges, classes, warnings, infos, cycles
    e = x.pick(ATF.Event)
    x.set(e, RDFS.label, None)
    x.expect("event without a title", e, "Event-label", "MinCount")
    e = x.pick(ATF.Event, having=ATF.date)
    g.add((e, ATF.date, x.date_node("2001-01-01", "2001-12-31")))
    x.expect("event with two dates", e, "Event-date", "MaxCount")
    e = x.pick(ATF.Event)
    x.set(e, RDFS.label, Literal(42))
    x.expect("event titled by a number", e, "Event-label", "Or")
    e = x.pick(ATF.Event)
    x.set(e, ATF.description, Literal(""))
    x.expect("empty description", e, "any-description", "MinLength")
    e = x.pick(ATF.Event)
    x.set(e, ATF.number, Literal("4th"))
    x.expect("meeting number as text", e, "Event-number", "Datatype")
    e = x.pick(ATF.Event)
    x.set(e, ATF.number, Literal(0))
    x.expect("meeting number 0", e, "Event-number", "MinInclusive")
    e = x.pick(ATF.Event)
    g.add((e, ATF.participant, topics[0]))
    x.expect("a topic as a participant", e, "Event-participant", "Class")
    e = x.pick(ATF.Event)
    g.add((e, ATF.place, x.pick(ATF.Source)))
    x.expect("a source as a place", e, "Event-place", "Class")
    e = x.pick(ATF.Event)
    x.set(e, ATF.date, Literal("2003-11-15", datatype=XSD.date))
    x.expect("a date literal instead of a date node", e, "Event-date", "Class")
    e = x.pick(ATF.Event)
    x.set(e, ATF.source, None)
    x.expect("event without a source (warning)", e, "Event-source", "MinCount")
    e = x.pick(ATF.Event)
    x.set(e, ATF.date, None)
    x.set(e, ATF.place, None)
    x.expect("event with neither date nor place (info)", e, "EventWhenWhereShape", "Or")
    e = x.pick(ATF.Event)
    g.add((e, ATF.partOfEvent, e))
    x.expect("event part of itself", e, "EventPartOfCycleShape", "SPARQL")
    e = x.pick(ATF.Event)
    g.add((e, ATF.source, x.pick(ATF.Organisation)))
    x.expect("an organisation as a source", e, "any-source", "Class")
    e = x.pick(ATF.Event)
    g.add((e, ATF.topic, URIRef("https://example.org/topics/terror")))
    x.expect("a topic outside the scheme", e, "any-topic", "Class")
    e = x.pick(ATF.Event)
    g.add((e, ATF.sameAs, Literal("Q42")))
    x.expect("same-as as text", e, "any-sameAs", "NodeKind")

    # dates: ill-typed literals, wrong datatypes, sets of values, ordered bounds
    # a latest day after the impossible earliest one in string order: rdflib's SPARQL would find the bounds out
    # of order, which SPARQL does not (see test_deviation_rdflib_orders_ill_typed_dates)
    d = x.pick(ATF.DateSpec, having=ATF.latest, after="2013-03")
    x.set(d, ATF.earliest, Literal("2013-02-30", datatype=XSD.date))
    x.expect("an impossible day", d, "DateSpec-earliest", "Datatype")
    d = x.pick(ATF.DateSpec)
    x.set(d, ATF.dateText, Literal("2013-11-05", datatype=XSD.date))
    x.expect("date text typed as a date", d, "DateSpec-dateText", "Datatype")
    d = x.pick(ATF.DateSpec)
    x.set(d, ATF.dateText, None)
    x.expect("date without its text", d, "DateSpec-dateText", "MinCount")
    d = x.pick(ATF.DateSpec, having=ATF.dateValue)
    x.set(d, ATF.dateValue, Literal("2013"))
    x.expect("date value as plain text", d, "DateSpec-dateValue", "Or")
    d = x.pick(ATF.DateSpec, having=ATF.latest)
    g.add((d, ATF.latest, Literal("2199-12-31", datatype=XSD.date)))
    x.expect("two latest days", d, "DateSpec-latest", "MaxCount")
    d = x.pick(ATF.DateSpec, having=ATF.earliest)
    x.set(d, ATF.earliest, Literal("2200-01-01", datatype=XSD.date))
    x.expect("bounds the wrong way round", d, "DateBoundsShape", "SPARQL")
    d = x.pick(ATF.DateSpec)
    x.set(d, ATF.precision, Literal("week"))
    x.expect("unknown precision", d, "DateSpec-precision", "In")
    d = x.pick(ATF.DateSpec)
    g.add((d, ATF.approximate, Literal("yes")))
    x.expect("approximate as text", d, "DateSpec-approximate", "Datatype")

    # sources: grades out of range or outside the list, wrong datatypes
    s = x.pick(ATF.Source)
    x.set(s, ATF.credibility, Literal(7))
    x.expect("credibility above 6", s, "Source-credibility", "MaxInclusive")
    s = x.pick(ATF.Source)
    x.set(s, ATF.credibility, Literal("2"))
    x.expect("credibility as text", s, "Source-credibility", "Datatype")
    s = x.pick(ATF.Source)
    x.set(s, ATF.reliability, Literal("G"))
    x.expect("reliability outside A-F", s, "Source-reliability", "In")
    s = x.pick(ATF.Source)
    x.set(s, ATF.url, Literal("https://example.org/"))
    x.expect("URL as a plain string", s, "Source-url", "Datatype")
    s = x.pick(ATF.Source)
    x.set(s, RDFS.label, None)
    x.expect("source without a title", s, "Source-label", "MinCount")

    # organisations, coordinations, memberships
    o = x.pick(ATF.Organisation)
    x.set(o, ATF.source, None)
    x.expect("organisation without a source (warning)", o, "Organisation-source", "MinCount")
    o = x.pick(ATF.Organisation)
    g.add((o, ATF.country, ID["country/RO"]))
    g.add((o, ATF.country, ID["country/TR"]))
    x.expect("organisation in two countries", o, "Organisation-country", "MaxCount")
    o = x.pick(ATF.Organisation)
    g.add((o, ATF.partOf, o))
    x.expect("organisation part of itself", o, "OrganisationPartOfCycleShape", "SPARQL")
    o = x.pick(ATF.Organisation)
    g.add((o, ATF.partOf, ID["country/RO"]))
    x.expect("organisation part of a country", o, "Organisation-partOf", "Class")
    o = x.pick(ATF.Organisation, having=ATF.founded)
    g.add((o, ATF.dissolved, x.date_node("1900-01-01", "1900-12-31")))
    x.expect("dissolved before founded", o, "OrganisationLifespanShape", "SPARQL")
    c = x.pick(ATF.Coordination)
    x.set(c, ATF.coordinatingCountry, None)
    x.set(c, ATF.coordinatingAgency, None)
    x.expect("coordination without a coordinator", c, "CoordinatorShape", "Or")
    c = x.pick(ATF.Coordination)
    g.add((c, ATF.coordinatingCountry, ID["country/RO"]))
    g.add((c, ATF.coordinatingCountry, ID["country/TR"]))
    x.expect("two coordinating countries", c, "Coordination-coordinatingCountry", "MaxCount")
    c = x.pick(ATF.Coordination)
    x.set(c, ATF.coordinatedOrganisation, None)
    x.expect("coordination of nothing (a coordination member missing)", c,
             "Coordination-coordinatedOrganisation", "MinCount")
    m = x.pick(ATF.Membership)
    x.set(m, ORG.member, x.pick(ATF.Organisation))
    x.expect("an organisation as a member", m, "Membership-member", "Class")
    m = x.pick(ATF.Membership)
    x.set(m, ORG.organization, None)
    x.expect("membership of no organisation", m, "Membership-organization", "MinCount")
    m = x.pick(ATF.Membership, having=ATF.memberFrom)
    g.add((m, ATF.memberTo, x.date_node("1950-01-01", "1950-12-31")))
    x.expect("membership ending before it begins", m, "MembershipPeriodShape", "SPARQL")

    # documents
    doc = x.pick(ATF.Document)
    x.set(doc, ATF.source, None)
    x.expect("document without a source (warning)", doc, "Document-source", "MinCount")
    doc = x.pick(ATF.Document)
    g.add((doc, ATF.adoptedBy, topics[1]))
    x.expect("document adopted by a topic", doc, "Document-adoptedBy", "Class")

    # countries, cities, topics, input files
    country = ID["country/AL"]
    x.set(country, ATF.alpha2, Literal("al"))
    x.expect("alpha-2 code in lower case", country, "Country-alpha2", "Pattern")
    country = ID["country/BA"]
    x.set(country, ATF.alpha3, None)
    x.expect("country without an alpha-3 code", country, "Country-alpha3", "MinCount")
    country = ID["country/BG"]
    g.add((country, SKOS.altLabel, Literal("")))
    x.expect("empty alternative name", country, "any-altLabel", "MinLength")
    city = x.pick(ATF.City)
    x.set(city, ATF.country, None)
    x.expect("city in no country", city, "City-country", "MinCount")
    t = topics[2]
    x.set(t, SKOS.inScheme, URIRef("https://example.org/another-scheme"))
    x.expect("topic outside the scheme", t, "Topic-inScheme", "HasValue")
    t = topics[3]
    g.add((t, SKOS.prefLabel, Literal("Another", lang="en")))
    x.expect("two English preferred labels", t, "Topic-prefLabel", "UniqueLang")
    t = topics[4]
    g.add((t, SKOS.prefLabel, Literal("untagged one")))
    g.add((t, SKOS.prefLabel, Literal("untagged two")))
    x.expect("two untagged preferred labels", t, "Topic-prefLabel-untagged", "QualifiedMaxCount")
    t = topics[5]
    g.add((t, SKOS.broader, t))
    x.expect("topic broader than itself", t, "TopicCycleShape", "SPARQL")
    f = x.pick(ATF.SourceFile)
    x.set(f, ATF.sha256, Literal("E3B0C442"))
    x.expect("bad checksum", f, "SourceFile-sha256", "Pattern")

    # records of kinds the generator does not write: a claim, a figure, a cooperation link
    claim, figure, link = ID["injected/claim"], ID["injected/figure"], ID["injected/link"]
    org = x.pick(ATF.Organisation)
    source = x.pick(ATF.Source)
    for triple in (
        (org, ATF.claim, claim), (claim, RDF.type, ATF.Claim), (claim, ATF.claimAbout, org),
        (claim, ATF.claimField, Literal("founded")), (claim, ATF.claimProperty, Literal("founded")),
        (figure, RDF.type, ATF.RecordedFigure), (figure, RDFS.label, Literal("meetings")),
        (figure, ATF.value, Literal(-7)), (figure, ATF.source, source), (org, ATF.recordedFigure, figure),
        (link, RDF.type, ATF.CooperationLink), (link, ATF.linkedActor, org), (link, ATF.sharedEvents, Literal(1)),
        (link, ATF.sharedEvent, x.pick(ATF.Event)),
    ):
        g.add(triple)
    x.expect("claim property as text", claim, "Claim-claimProperty", "NodeKind")
    x.expect("claim without a value", claim, "Claim-claimValue", "MinCount")
    x.expect("claim without its source", claim, "Claim-source", "MinCount")
    x.expect("negative figure", figure, "RecordedFigure-value", "MinInclusive")
    x.expect("cooperation link with one actor", link, "CooperationLink-linkedActor", "MinCount")
    return x.defects


def expected_coverage() -> tuple[set[str], set[str]]:
    """The constraint components the project's shapes use, and their SPARQL constraints' shapes."""
    plan = Validator(shapes_graph()).plan
    components = {str(check.component).split("#")[-1].removesuffix("ConstraintComponent") for check in plan.checks}
    sparql_shapes = {str(check.shape.node).split("#")[-1] for check in plan.checks if check.sparql is not None}
    return components, sparql_shapes


@cache
def defective() -> tuple[Graph, tuple[Defect, ...]]:
    """A 3,000-event generated dataset with every kind of defect injected, plus tests/test_shapes.py's
    hand-made cases (each a copy of its baseline with one rule broken, under a base IRI of its own)."""
    with tempfile.TemporaryDirectory() as folder:
        generate(Path(folder) / "data", 3000)
        graph = atfgraph.load(Path(folder) / "data").store.union()
    defects = inject_defects(graph)
    for index, case in enumerate(CASES):
        graph += broken(case, case_base(index))
    return graph, tuple(defects)


@pytest.mark.slow
def test_generated_dataset_with_every_kind_of_defect_gives_pyshacls_results() -> None:
    graph, defects = defective()
    expected, found = pyshacl_keys(graph), fast_keys(graph)
    assert_same(expected, found)
    assert len(found) > len(defects) + len(CASES)

    seen = {(key[0], key[3], key[4]) for key in found}
    missed = [d.what for d in defects
              if (d.focus, SHAPE[d.shape], SH[f"{d.component}ConstraintComponent"]) not in seen]
    assert not missed, f"injected defects not reported: {missed}"

    components, sparql_shapes = expected_coverage()
    injected = {d.component for d in defects}
    assert components <= injected, f"no injected defect for components {components - injected}"
    assert sparql_shapes <= {d.shape for d in defects}, f"no defect for {sparql_shapes - {d.shape for d in defects}}"


# --- where pyshacl departs from SHACL (fastshacl follows SHACL; each difference shown on its own)


def one_date(value: Literal) -> Graph:
    """A date node of an event, valid but for its date value."""
    graph = Graph()
    date = ID["event/e#date"]
    for triple in (
        (date, RDF.type, ATF.DateSpec), (date, ATF.dateText, Literal("x")), (date, ATF.precision, Literal("month")),
        (date, ATF.dateValue, value),
    ):
        graph.add(triple)
    return graph


def test_deviation_pyshacl_accepts_ill_typed_gregorian_values() -> None:
    """SHACL: a literal of a datatype it is ill-typed for does not match it. pyshacl checks only the types
    rdflib parses (numbers, booleans, xsd:date/time/dateTime); "2013-13"^^xsd:gYearMonth passes there."""
    data = one_date(Literal("2013-13", datatype=XSD.gYearMonth))
    difference = fast_keys(data) - pyshacl_keys(data)
    assert {(key[0], key[3], key[4]) for key in difference} == {
        (ID["event/e#date"], SHAPE["DateSpec-dateValue"], SH.OrConstraintComponent)}
    assert pyshacl_keys(data) <= fast_keys(data)


def test_deviation_rdflib_keeps_plain_and_xsd_string_literals_apart() -> None:
    """RDF 1.1: "A" and "A"^^xsd:string are one term, so a city named both ways has one name. rdflib keeps two
    terms and pyshacl reports two names; Oxigraph (and fastshacl) hold one."""
    city = ID["city/x"]
    data = Graph()
    for triple in ((city, RDF.type, ATF.City), (city, ATF.country, ID["country/RO"]), (city, RDFS.label, Literal("A")),
                   (city, RDFS.label, Literal("A", datatype=XSD.string))):
        data.add(triple)
    difference = pyshacl_keys(data) - fast_keys(data)
    assert {(key[0], key[3], key[4]) for key in difference} == {
        (city, SHAPE["City-label"], SH.MaxCountConstraintComponent)}


def test_deviation_pyshacl_drops_the_language_of_sparql_messages() -> None:
    """SHACL fills a SPARQL constraint's message template; pyshacl returns the text without its language tag.
    The texts are equal (the equivalence tests compare texts); fastshacl keeps the tag."""
    data = one_date(Literal("2013-05", datatype=XSD.gYearMonth))
    date = ID["event/e#date"]
    data.add((date, ATF.earliest, Literal("2013-05-02", datatype=XSD.date)))
    data.add((date, ATF.latest, Literal("2013-05-01", datatype=XSD.date)))
    (result,) = fast_report(data).results
    assert result.message is not None and result.message.language == "en"
    assert str(result.message) == "the date's earliest day (2013-05-02) is after its latest day (2013-05-01)"
    assert pyshacl_keys(data) == fast_keys(data)


def test_deviation_rdflib_orders_ill_typed_dates() -> None:
    """SPARQL: comparing an ill-typed xsd:date is an error, so ``?earliest > ?latest`` is not true and the
    bounds check (which leaves ill-typed bounds to sh:datatype) stays silent. rdflib's SPARQL compares the
    strings, and pyshacl reports the bounds out of order as well."""
    data = one_date(Literal("2013-05", datatype=XSD.gYearMonth))
    date = ID["event/e#date"]
    data.add((date, ATF.earliest, Literal("2013-02-30", datatype=XSD.date)))
    data.add((date, ATF.latest, Literal("2005-06-10", datatype=XSD.date)))
    difference = pyshacl_keys(data) - fast_keys(data)
    assert {(key[0], key[3], key[4]) for key in difference} == {
        (date, SHAPE.DateBoundsShape, SH.SPARQLConstraintComponent)}
    assert {(key[3], key[4]) for key in fast_keys(data)} == {
        (SHAPE["DateSpec-earliest"], SH.DatatypeConstraintComponent)}


def test_deviation_pyshacl_lets_blank_nodes_pass_min_length_zero() -> None:
    """SHACL: a blank node fails sh:minLength and sh:maxLength whatever the length. pyshacl skips
    ``sh:minLength 0`` altogether. (The project's shapes ask for lengths of 1 on text values only.)"""
    graph = shapes("ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:minLength 0 ] .")
    data = Graph().parse(data="<http://example.org/a> <http://example.org/p> [ ] .", format="turtle")
    conforms, _, _ = pyshacl.validate(data, shacl_graph=graph)
    assert conforms
    (result,) = validate(store_from_graphs(data), graph).results
    assert result.source_constraint_component == SH.MinLengthConstraintComponent
    assert isinstance(result.value, BNode)


def test_oxigraph_stores_derived_integer_types_as_xsd_integer() -> None:
    """Not pyshacl's departure but Oxigraph's (oxigraph/oxigraph#526): it stores a valid "5"^^xsd:int as
    "5"^^xsd:integer, so a store cannot tell the two apart and sh:datatype xsd:integer accepts it; pyshacl
    reports it. atfgraph writes xsd:integer only."""
    event = ID["event/e"]
    data = Graph()
    for triple in ((event, RDF.type, ATF.Event), (event, RDFS.label, Literal("E")),
                   (event, ATF.place, ID["country/RO"]), (event, ATF.source, ID["source/s"]),
                   (event, ATF.number, Literal("5", datatype=XSD.int))):
        data.add(triple)
    difference = pyshacl_keys(data) - fast_keys(data)
    assert {(key[0], key[3], key[4]) for key in difference} == {
        (event, SHAPE["Event-number"], SH.DatatypeConstraintComponent)}


# --- the W3C SHACL test suite


@dataclass(frozen=True)
class W3CCase:
    """One sht:Validate entry of the suite."""

    name: str
    manifest: Path
    entry: URIRef
    data: URIRef
    shapes: URIRef


@cache
def parsed(uri: str) -> Graph:
    """A test file as written: rdflib's literal normalisation off, or "none"^^xsd:boolean becomes "false"."""
    previous = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # rdflib warns about the ill-typed test literals
            return Graph().parse(uri.removeprefix("file://"), format="turtle")
    finally:
        rdflib.NORMALIZE_LITERALS = previous


def manifests(path: Path) -> Iterator[tuple[Path, Graph]]:
    graph = parsed(path.as_uri())
    yield path, graph
    for included in graph.objects(None, MF.include):
        yield from manifests(Path(str(included).removeprefix("file://")))


@cache
def w3c_cases() -> tuple[W3CCase, ...]:
    cases = []
    for path, graph in manifests(W3C / "manifest.ttl"):
        for manifest in graph.subjects(RDF.type, MF.Manifest):
            for head in graph.objects(manifest, MF.entries):
                for entry in Collection(graph, head):
                    action = graph.value(entry, MF.action)
                    name = str(entry).removeprefix(W3C.as_uri() + "/")
                    cases.append(W3CCase(name, path, entry, graph.value(action, SHT.dataGraph),  # type: ignore[arg-type]
                                         graph.value(action, SHT.shapesGraph)))  # type: ignore[arg-type]
    return tuple(cases)


_EMPTY = ox.Store()


def as_stored(term: object) -> object:
    """A term as an Oxigraph store holds it: valid numbers in canonical form, derived integer types as
    xsd:integer (oxigraph/oxigraph#526). Expected and actual results are both compared in this form."""
    if isinstance(term, Literal):
        (solution,) = _EMPTY.query(f"SELECT ({sparql(term)} AS ?t) {{}}")  # type: ignore[misc]
        return normal(from_oxigraph(solution["t"]))
    return term


def result_keys(graph: Graph, report: URIRef | BNode, same_document: bool) -> set[Key]:
    keys = set()
    for result in graph.objects(report, SH.result):
        path = graph.value(result, SH.resultPath)
        key = (
            graph.value(result, SH.focusNode),
            read_path(graph, path) if path is not None else None,  # type: ignore[arg-type]
            graph.value(result, SH.value),
            graph.value(result, SH.sourceShape),
            graph.value(result, SH.sourceConstraintComponent),
            graph.value(result, SH.resultSeverity),
        )
        # Blank nodes of a data graph in a file of its own cannot be named by the manifest's report.
        keys.add(tuple(
            "_:" if isinstance(part, BNode) and not same_document else as_stored(part) for part in key))
    return keys


@dataclass(frozen=True)
class Outcome:
    features: frozenset[str]
    ran: bool
    passed: bool
    detail: str


@cache
def outcome(case: W3CCase) -> Outcome:
    manifest = parsed(case.manifest.as_uri())
    data, shapes = parsed(str(case.data)), parsed(str(case.shapes))
    used = features(shapes)
    expected = manifest.value(case.entry, MF.result)
    if not used <= SUPPORTED:
        with pytest.raises(UnsupportedFeature):
            validate(store_from_graphs(data), shapes)
        return Outcome(used, False, False, f"needs {sorted(used - SUPPORTED)}")
    try:
        report = validate(store_from_graphs(data), shapes, workers=1)
    except ShapesError as error:
        return Outcome(used, True, expected == SHT.Failure, f"failure: {error}")
    if expected == SHT.Failure:
        return Outcome(used, True, False, "a failure was expected")
    same_document = str(case.data) == case.manifest.as_uri()
    got = report.to_rdflib_report()
    (report_node,) = got.subjects(RDF.type, SH.ValidationReport)
    found = result_keys(got, report_node, same_document)  # type: ignore[arg-type]
    wanted = result_keys(manifest, expected, same_document)  # type: ignore[arg-type]
    conforms = manifest.value(expected, SH.conforms)
    passed = found == wanted and isinstance(conforms, Literal) and conforms.toPython() == report.conforms
    return Outcome(used, True, passed, f"missing {wanted - found}, unexpected {found - wanted}")


@pytest.mark.parametrize("case", w3c_cases(), ids=[case.name for case in w3c_cases()])
def test_w3c_case(case: W3CCase) -> None:
    found = outcome(case)
    if found.ran:
        assert found.passed, found.detail


def test_w3c_suite_covers_the_projects_features() -> None:
    outcomes = {case.name: outcome(case) for case in w3c_cases()}
    ran = [name for name, found in outcomes.items() if found.ran]
    passed = [name for name in ran if outcomes[name].passed]
    refused = {name: found.detail for name, found in outcomes.items() if not found.ran}
    print(f"\nW3C SHACL tests: {len(outcomes)} cases, {len(ran)} ran, {len(passed)} passed; "
          f"not applicable: {refused}")
    assert len(ran) >= 110 and passed == ran
    project = features(shapes_graph())
    # No case is left out for a feature the project's shapes use...
    for name, found in outcomes.items():
        if not found.ran:
            assert not (found.features - SUPPORTED) & project, name
    # ...and every feature they use that the suite tests was tested by a case that ran and passed.
    tested = set().union(*(found.features for found in outcomes.values()))
    for feature in project & tested:
        assert any(feature in outcomes[name].features for name in passed), feature
    assert project - tested <= {"sh:SPARQLTarget"}, "SHACL-AF targets are not in the suite; the rest is"


# --- smaller properties


def test_threads_change_nothing() -> None:
    graph, _ = defective()
    store = store_from_graphs(graph, ontology_graph())
    validator = Validator(shapes_graph())
    assert validator.validate(store, workers=1) == validator.validate(store, workers=3)


@pytest.mark.parametrize("setting", ["SMALL_FOCUS", "MEMBERSHIP_QUERY_LIMIT"])
def test_strategies_chosen_by_size_give_the_same_results(setting: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Large focus groups are tested by anti-join and counting, small ones node by node; many candidate
    focus nodes are checked against the listed focus nodes, few with one query. The test data is small, so
    each threshold is set to 0 here to take the other way, which must find the same results."""
    graph, _ = defective()
    store = store_from_graphs(graph, ontology_graph())
    validator = Validator(shapes_graph())
    expected = validator.validate(store)
    module = fast_engine if setting == "SMALL_FOCUS" else fast_focus
    monkeypatch.setattr(module, setting, 0)
    assert validator.validate(store) == expected


def test_a_triple_in_two_named_graphs_counts_once() -> None:
    """The store's default graph is the union of its graphs (atfgraph keeps a graph per input file)."""
    store = store_from_graphs(ontology_graph())
    for name in ("urn:graph:a", "urn:graph:b"):
        store.extend(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), ox.NamedNode(name))  # type: ignore[arg-type]
                     for s, p, o in shipped())
    assert keys_of(validate(store, shapes_graph())) == fast_keys(shipped())


def test_the_store_may_be_the_default_graph_only() -> None:
    store = store_from_graphs(shipped(), ontology_graph())
    assert keys_of(validate(store, shapes_graph(), union=False)) == fast_keys(shipped())


def shapes(text: str) -> Graph:
    return Graph().parse(data=f"""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        {text}""", format="turtle")


@pytest.mark.parametrize(("text", "feature"), [
    ("ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:rule [ a sh:TripleRule ] .", "sh:rule"),
    ("ex:S a sh:NodeShape ; sh:target [ a ex:MyTarget ] .", "sh:target other than a SPARQL target"),
    ("ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:sparql [ sh:select 'SELECT $this WHERE { GRAPH $shapesGraph"
     " { } }' ] .", "$shapesGraph"),
    ("ex:C a sh:ConstraintComponent ; sh:parameter [ sh:path ex:p ] . ex:S sh:targetNode ex:a ; ex:p 1 .",
     "SPARQL-based constraint component"),
    ("ex:S sh:targetNode ex:a ; sh:node ex:S .", "recursive shapes"),
])
def test_unsupported_features_are_named(text: str, feature: str) -> None:
    with pytest.raises(UnsupportedFeature) as raised:
        validate(ox.Store(), shapes(text))
    assert feature in str(raised.value)


def test_a_sparql_query_breaking_the_pre_binding_rules_fails() -> None:
    graph = shapes("ex:S sh:targetNode ex:a ; sh:sparql [ sh:select 'SELECT $this WHERE { MINUS { $this ?p ?o } }' ] .")
    with pytest.raises(ShapesError, match="MINUS"):
        validate(ox.Store(), graph)


def test_the_report_graph_says_what_the_results_say() -> None:
    graph, _ = defective()
    report = fast_report(graph)
    document = report.to_rdflib_report()
    (node,) = document.subjects(RDF.type, SH.ValidationReport)
    assert document.value(node, SH.conforms) == Literal(False)
    results = list(document.objects(node, SH.result))
    assert len(results) == len(report.results)
    assert {result.severity for result in report.results} == {SH.Violation, SH.Warning, SH.Info}
    texts = {str(message) for result in results for message in document.objects(result, SH.resultMessage)}
    assert texts == {str(message) for result in report.results for message in result.messages}
    assert all(document.value(result, SH.sourceConstraintComponent) is not None for result in results)


def test_compiled_queries_can_be_read() -> None:
    """Each check's query is plain SPARQL, with the focus nodes' place shown, for inspection."""
    plan = Validator(shapes_graph()).plan
    for check in plan.checks:
        for text in check.queries():
            assert "SELECT" in text and "\x00" not in text


@pytest.mark.parametrize("workers", [1, 2])
def test_a_validation_leaves_no_reference_cycle_holding_the_store(workers: int) -> None:
    """The engine is freed as soon as its run ends, by reference counting alone: a cycle (its focus-node
    finder calling back into it) kept it, and the store it holds, until the cycle collector ran."""
    import gc
    import weakref

    store = store_from_graphs(load(DATA).store.union(), ontology_graph())
    plan = Validator(shapes_graph()).plan
    gc.disable()
    try:
        engine = fast_engine.Engine(store, plan, workers=workers)
        assert engine.run() is not None
        held = weakref.ref(engine)
        del engine
        assert held() is None
    finally:
        gc.enable()
