"""The SHACL shapes in ontology/shapes.ttl.

A hand-made baseline graph (one of each class, everything right) conforms with no result at all; each case
below breaks exactly one constraint of it and must be reported on the expected node, by the expected shape,
with the expected path, constraint, severity and message, and nothing else. The graphs are written as Turtle,
as another tool might write them, so these cases show the shapes catching what the record stage never sees.
Validation runs the way the build runs it: data plus the ontology's triples, no inference, advanced
(SHACL-SPARQL) features on.

To stay fast, the cases are validated in one run: each case gets its own copy of the baseline under a base IRI
of its own, and results are sorted back to their case by their focus node.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from atfgraph.checks import shacl
from atfgraph.dates import Precision
from atfgraph.fields import CREDIBILITY_RANGE, FIELDS, RELIABILITY_GRADES

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology"

ATF = Namespace("https://w3id.org/atfgraph/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
SH = Namespace("http://www.w3.org/ns/shacl#")
SHAPE = Namespace("https://w3id.org/atfgraph/shapes#")
TOPIC = Namespace("https://w3id.org/atfgraph/topic/")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
BASE = "https://w3id.org/atfgraph/id/"

PREFIXES = f"""
@prefix atf: <{ATF}> .
@prefix dcterms: <{DCTERMS}> .
@prefix org: <{ORG}> .
@prefix rdfs: <{RDFS}> .
@prefix skos: <{SKOS}> .
@prefix topic: <{TOPIC}> .
@prefix xsd: <{XSD}> .
"""

BASELINE = """
<source/selec-site> a atf:Source ;
    rdfs:label "SELEC website" ;
    atf:url "https://www.selec.org/"^^xsd:anyURI ;
    dcterms:publisher "SELEC" ;
    atf:accessed <source/selec-site#accessed> ;
    atf:reliability "B" ;
    atf:credibility 2 ;
    atf:description "The centre's own pages." .

<source/selec-site#accessed> a atf:DateSpec ;
    atf:dateText "2024-03-01" ;
    atf:dateValue "2024-03-01"^^xsd:date ;
    atf:earliest "2024-03-01"^^xsd:date ;
    atf:latest "2024-03-01"^^xsd:date ;
    atf:precision "day" .

<country/RO> a atf:Country ;
    rdfs:label "Romania" ;
    atf:alpha2 "RO" ;
    atf:alpha3 "ROU" ;
    atf:numericCode "642" .

<country/TR> a atf:Country ;
    rdfs:label "Türkiye" ;
    atf:alpha2 "TR" ;
    atf:alpha3 "TUR" ;
    atf:numericCode "792" ;
    skos:altLabel "Turkey", "Republic of Turkey" ;
    atf:sameAs <http://www.wikidata.org/entity/Q43> ;
    atf:source <source/selec-site> .

<country/CS> a atf:Country ;
    rdfs:label "Serbia and Montenegro" ;
    atf:alpha2 "CS" ;
    atf:alpha3 "SCG" ;
    atf:numericCode "891" ;
    atf:withdrawn "2006-09-26"^^xsd:date .

<city/ro-bucharest> a atf:City ;
    rdfs:label "Bucharest" ;
    atf:country <country/RO> .

<organisation/selec> a atf:Organisation, atf:LawEnforcementCentre ;
    rdfs:label "Southeast European Law Enforcement Center" ;
    atf:shortName "SELEC" ;
    skos:altLabel "SELEC Center" ;
    atf:seat <city/ro-bucharest> ;
    atf:founded <organisation/selec#founded> ;
    atf:predecessor <organisation/seci-center> ;
    atf:mergedFrom <organisation/seci-center> ;
    atf:membership <organisation/selec#member-RO> ;
    atf:recordedFigure <organisation/selec#figure-1> ;
    atf:topic <topic/cybercrime> ;
    atf:source <source/selec-site> ;
    atf:sameAs <http://www.wikidata.org/entity/Q7569387> ;
    atf:description "Successor of the SECI Center." ;
    atf:claim <organisation/selec#claim-1> .

<organisation/selec#founded> a atf:DateSpec ;
    atf:dateText "2009-10-09" ;
    atf:dateValue "2009-10-09"^^xsd:date ;
    atf:earliest "2009-10-09"^^xsd:date ;
    atf:latest "2009-10-09"^^xsd:date ;
    atf:precision "day" .

<organisation/selec#member-RO> a atf:Membership ;
    org:organization <organisation/selec> ;
    org:member <country/RO> ;
    atf:memberFrom <organisation/selec#member-RO-from> ;
    atf:memberTo <organisation/selec#member-RO-to> ;
    atf:source <source/selec-site> ;
    atf:description "A founding member." .

<organisation/selec#member-RO-from> a atf:DateSpec ;
    atf:dateText "2011" ;
    atf:dateValue "2011"^^xsd:gYear ;
    atf:earliest "2011-01-01"^^xsd:date ;
    atf:latest "2011-12-31"^^xsd:date ;
    atf:precision "year" .

<organisation/selec#member-RO-to> a atf:DateSpec ;
    atf:dateText "2020-05" ;
    atf:dateValue "2020-05"^^xsd:gYearMonth ;
    atf:earliest "2020-05-01"^^xsd:date ;
    atf:latest "2020-05-31"^^xsd:date ;
    atf:precision "month" .

<country/RO#link-1> a atf:CooperationLink ;
    atf:linkedActor <country/RO>, <organisation/selec> ;
    atf:sharedEvents 1 ;
    atf:sharedEvent <event/attf-4> .

<country/RO> atf:cooperatedWith <organisation/selec> .

<organisation/selec#figure-1> a atf:RecordedFigure ;
    rdfs:label "meetings at international level" ;
    atf:value 7 ;
    atf:source <source/selec-site> .

<organisation/selec#claim-1> a atf:Claim ;
    atf:claimAbout <organisation/selec> ;
    atf:claimField "founded" ;
    atf:claimProperty atf:founded ;
    atf:claimValue <organisation/selec#claim-1-value> ;
    atf:source <source/selec-site> ;
    atf:description "The convention was signed in 2009, the centre opened in 2011." .

<organisation/selec#claim-1-value> a atf:DateSpec ;
    atf:dateText "2011~" ;
    atf:dateValue "2011"^^xsd:gYear ;
    atf:earliest "2011-01-01"^^xsd:date ;
    atf:latest "2011-12-31"^^xsd:date ;
    atf:precision "year" ;
    atf:approximate true .

<organisation/seci-center> a atf:Organisation, atf:LawEnforcementCentre ;
    rdfs:label "SECI Regional Center for Combating Trans-border Crime" ;
    atf:successor <organisation/selec> ;
    atf:founded <organisation/seci-center#founded> ;
    atf:dissolved <organisation/seci-center#dissolved> ;
    atf:source <source/selec-site> .

<organisation/seci-center#founded> a atf:DateSpec ;
    atf:dateText "1999" ;
    atf:dateValue "1999"^^xsd:gYear ;
    atf:earliest "1999-01-01"^^xsd:date ;
    atf:latest "1999-12-31"^^xsd:date ;
    atf:precision "year" .

<organisation/seci-center#dissolved> a atf:DateSpec ;
    atf:dateText "2011-10-07" ;
    atf:dateValue "2011-10-07"^^xsd:date ;
    atf:earliest "2011-10-07"^^xsd:date ;
    atf:latest "2011-10-07"^^xsd:date ;
    atf:precision "day" .

<organisation/attf> a atf:Organisation, atf:TaskForce ;
    rdfs:label "Anti-Terrorism Task Force" ;
    atf:shortName "ATTF" ;
    atf:partOf <organisation/selec> ;
    atf:coordination <organisation/attf#coordination> ;
    atf:source <source/selec-site> .

<organisation/attf#coordination> a atf:Coordination ;
    atf:coordinatedOrganisation <organisation/attf> ;
    atf:coordinatingCountry <country/TR> ;
    atf:coordinatingAgency <organisation/tnp> .

<organisation/tnp> a atf:Organisation, atf:NationalAgency ;
    rdfs:label "Turkish National Police" ;
    atf:country <country/TR> ;
    atf:source <source/selec-site> .

<event/attf-4> a atf:Event, atf:Meeting ;
    rdfs:label "4th meeting of the Anti-Terrorism Task Force" ;
    atf:date <event/attf-4#date> ;
    atf:place <city/ro-bucharest> ;
    atf:country <country/RO> ;
    atf:venue "SELEC headquarters" ;
    atf:series <organisation/attf> ;
    atf:number 4 ;
    atf:organiser <organisation/selec> ;
    atf:participant <country/TR>, <country/RO> ;
    atf:partner <organisation/tnp> ;
    atf:partOfEvent <event/conference> ;
    atf:document <document/declaration> ;
    atf:follows <event/attack> ;
    atf:topic <topic/cybercrime> ;
    atf:source <source/selec-site> .

<event/attf-4#date> a atf:DateSpec ;
    atf:dateText "2013-11-04/2013-11-05" ;
    atf:startValue "2013-11-04"^^xsd:date ;
    atf:endValue "2013-11-05"^^xsd:date ;
    atf:earliest "2013-11-04"^^xsd:date ;
    atf:latest "2013-11-05"^^xsd:date ;
    atf:precision "interval" .

<event/conference> a atf:Event, atf:Conference ;
    rdfs:label "Regional conference on terrorist financing" ;
    atf:date <event/conference#date> ;
    atf:source <source/selec-site> .

<event/conference#date> a atf:DateSpec ;
    atf:dateText "2013?" ;
    atf:dateValue "2013"^^xsd:gYear ;
    atf:earliest "2013-01-01"^^xsd:date ;
    atf:latest "2013-12-31"^^xsd:date ;
    atf:precision "year" ;
    atf:uncertain true .

<event/attack> a atf:Event, atf:Attack ;
    rdfs:label "Istanbul bombings" ;
    atf:date <event/attack#date> ;
    atf:place <country/TR> ;
    atf:country <country/TR> ;
    atf:source <source/selec-site> .

<event/attack#date> a atf:DateSpec ;
    atf:dateText "XXXX-11-15" ;
    atf:dateValue "--11-15"^^xsd:gMonthDay ;
    atf:precision "month-day" .

<document/declaration> a atf:Document, atf:Declaration ;
    rdfs:label "Bucharest Declaration on the Suppression of Terrorism" ;
    atf:date <document/declaration#date> ;
    atf:place <city/ro-bucharest> ;
    atf:country <country/RO> ;
    atf:venue "Palace of the Parliament" ;
    atf:adoptedBy <organisation/selec>, <country/RO> ;
    atf:signatory <country/TR>, <country/RO> ;
    atf:concerns <event/attack> ;
    atf:topic <topic/cybercrime> ;
    atf:source <source/selec-site> .

<document/declaration#date> a atf:DateSpec ;
    atf:dateText "2013-11-05" ;
    atf:dateValue "2013-11-05"^^xsd:date ;
    atf:earliest "2013-11-05"^^xsd:date ;
    atf:latest "2013-11-05"^^xsd:date ;
    atf:precision "day" .

<topic/cybercrime> a skos:Concept, atf:Topic ;
    skos:prefLabel "Cybercrime" ;
    rdfs:label "Cybercrime" ;
    skos:altLabel "computer crime" ;
    skos:broader <topic/crime> ;
    skos:inScheme topic:scheme ;
    skos:definition "Crime committed with or against computers and networks." ;
    atf:source <source/selec-site> .

<topic/crime> a skos:Concept, atf:Topic ;
    skos:prefLabel "Crime"@en, "Criminalité"@fr ;
    rdfs:label "Crime"@en ;
    skos:narrower <topic/cybercrime> ;
    skos:inScheme topic:scheme .

<graph/organisations.yaml> a atf:SourceFile ;
    atf:path "organisations.yaml" ;
    atf:sha256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" .
"""


# --- running the shapes


@cache
def ontology_graph() -> Graph:
    return Graph().parse(ONTOLOGY / "atf.ttl", format="turtle")


@cache
def shapes_graph() -> Graph:
    return Graph().parse(ONTOLOGY / "shapes.ttl", format="turtle")


@cache
def baseline_graph() -> Graph:
    return turtle(BASELINE)


def turtle(text: str, base: str = BASE) -> Graph:
    """Turtle with the test prefixes, its relative IRIs (``<event/attack>``) resolved against ``base``."""
    return Graph().parse(data=f"@base <{base}> .\n{PREFIXES}\n{text}", format="turtle")


def validate(data: Graph) -> Graph:
    """The SHACL results graph, as the build makes it (data plus ontology, no inference, advanced)."""
    _, results = shacl(data)
    return results


@dataclass(frozen=True)
class Result:
    focus: Node | None
    path: Node | None
    shape: Node | None
    component: Node | None
    severity: Node | None
    message: str


def results_of(report: Graph) -> list[Result]:
    """Every sh:ValidationResult in the report, read as checks.shacl reads them: nested sh:detail results
    included, so a shape that made them would show here as extra, unlocated results."""
    return [
        Result(
            focus=report.value(result, SH.focusNode),
            path=report.value(result, SH.resultPath),
            shape=report.value(result, SH.sourceShape),
            component=report.value(result, SH.sourceConstraintComponent),
            severity=report.value(result, SH.resultSeverity),
            message=" | ".join(sorted(str(m) for m in report.objects(result, SH.resultMessage))),
        )
        for result in report.subjects(RDF.type, SH.ValidationResult)
    ]


def node(relative: str) -> URIRef:
    return URIRef(BASE + relative)


# --- one broken constraint per case


@dataclass(frozen=True)
class Case:
    id: str
    focus: str  # relative to BASE
    shape: str  # local name in the shapes namespace
    path: URIRef | None
    component: str  # local name of the sh:...ConstraintComponent
    says: str  # a phrase the analyst reads in the message
    add: str = ""
    remove: str = ""
    severity: URIRef = SH.Violation


CASES = [
    # labels
    Case("organisation without a name", "organisation/tnp", "Organisation-label", RDFS.label, "MinCount",
         "exactly one name", remove='<organisation/tnp> rdfs:label "Turkish National Police" .'),
    Case("event with two titles", "event/attack", "Event-label", RDFS.label, "MaxCount", "exactly one title",
         add='<event/attack> rdfs:label "Bombings in Istanbul" .'),
    Case("node typed only as a subclass is still checked", "event/training", "Event-label", RDFS.label,
         "MinCount", "exactly one title",
         add="<event/training> a atf:Training ; atf:place <country/RO> ; atf:source <source/selec-site> ."),
    Case("document with an empty title", "document/declaration", "Document-label", RDFS.label, "MinLength",
         "non-empty text",
         remove='<document/declaration> rdfs:label "Bucharest Declaration on the Suppression of Terrorism" .',
         add='<document/declaration> rdfs:label "" .'),
    Case("source without a title", "source/selec-site", "Source-label", RDFS.label, "MinCount",
         "exactly one title", remove='<source/selec-site> rdfs:label "SELEC website" .'),
    Case("country without a name", "country/CS", "Country-label", RDFS.label, "MinCount", "exactly one name",
         remove='<country/CS> rdfs:label "Serbia and Montenegro" .'),
    Case("city named by a number", "city/ro-bucharest", "City-label", RDFS.label, "Or", "non-empty text",
         remove='<city/ro-bucharest> rdfs:label "Bucharest" .', add="<city/ro-bucharest> rdfs:label 42 ."),
    Case("city spelt two ways", "city/ro-bucharest", "City-label", RDFS.label, "MaxCount", "two spellings",
         add='<city/ro-bucharest> rdfs:label "București" .'),
    Case("topic without a preferred label", "topic/cybercrime", "Topic-prefLabel", SKOS.prefLabel, "MinCount",
         "preferred label", remove='<topic/cybercrime> skos:prefLabel "Cybercrime" .'),
    Case("topic with two English preferred labels", "topic/crime", "Topic-prefLabel", SKOS.prefLabel,
         "UniqueLang", "at most one per language", add='<topic/crime> skos:prefLabel "Crimes"@en .'),
    Case("topic with two untagged preferred labels", "topic/cybercrime", "Topic-prefLabel-untagged",
         SKOS.prefLabel, "QualifiedMaxCount", "without a language tag",
         add='<topic/cybercrime> skos:prefLabel "Cyber crime" .'),
    # cardinalities
    Case("event with two dates", "event/conference", "Event-date", ATF.date, "MaxCount", "at most one date",
         add="<event/conference> atf:date <event/attack#date> ."),
    Case("event in two places", "event/attack", "Event-place", ATF.place, "MaxCount", "at most one place",
         add="<event/attack> atf:place <city/ro-bucharest> ."),
    Case("event in two countries", "event/attack", "Event-country", ATF.country, "MaxCount",
         "at most one country", add="<event/attack> atf:country <country/RO> ."),
    Case("event with an empty venue", "event/attf-4", "Event-venue", ATF.venue, "MinLength", "non-empty text",
         remove='<event/attf-4> atf:venue "SELEC headquarters" .', add='<event/attf-4> atf:venue "" .'),
    Case("event in two series", "event/attf-4", "Event-series", ATF.series, "MaxCount", "at most one series",
         add="<event/attf-4> atf:series <organisation/selec> ."),
    Case("meeting number 0", "event/attf-4", "Event-number", ATF.number, "MinInclusive", "1 or more",
         remove="<event/attf-4> atf:number 4 .", add="<event/attf-4> atf:number 0 ."),
    Case("meeting number as text", "event/attf-4", "Event-number", ATF.number, "Datatype", "whole number",
         remove="<event/attf-4> atf:number 4 .", add='<event/attf-4> atf:number "4th" .'),
    Case("event part of two events", "event/attf-4", "Event-partOfEvent", ATF.partOfEvent, "MaxCount",
         "at most one larger event", add="<event/attf-4> atf:partOfEvent <event/attack> ."),
    Case("organisation with two short names", "organisation/attf", "Organisation-shortName", ATF.shortName,
         "MaxCount", "at most one short name", add='<organisation/attf> atf:shortName "AT-TF" .'),
    Case("organisation founded twice", "organisation/seci-center", "Organisation-founded", ATF.founded,
         "MaxCount", "at most one founding date",
         add="<organisation/seci-center> atf:founded <organisation/selec#founded> ."),
    Case("organisation dissolved twice", "organisation/seci-center", "Organisation-dissolved", ATF.dissolved,
         "MaxCount", "at most one dissolution date",
         add="<organisation/seci-center> atf:dissolved <event/attack#date> ."),
    Case("organisation with two countries", "organisation/tnp", "Organisation-country", ATF.country,
         "MaxCount", "at most one country", add="<organisation/tnp> atf:country <country/RO> ."),
    Case("organisation with two seats", "organisation/selec", "Organisation-seat", ATF.seat, "MaxCount",
         "at most one seat", add="<organisation/selec> atf:seat <country/RO> ."),
    Case("source with two URLs", "source/selec-site", "Source-url", ATF.url, "MaxCount", "at most one URL",
         add='<source/selec-site> atf:url "https://selec.org/"^^xsd:anyURI .'),
    Case("source URL as a plain string", "source/selec-site", "Source-url", ATF.url, "Datatype", "xsd:anyURI",
         remove='<source/selec-site> atf:url "https://www.selec.org/"^^xsd:anyURI .',
         add='<source/selec-site> atf:url "https://www.selec.org/" .'),
    Case("source with two publishers", "source/selec-site", "Source-publisher", DCTERMS.publisher, "MaxCount",
         "at most one publisher", add='<source/selec-site> dcterms:publisher "SECI" .'),
    Case("source accessed twice", "source/selec-site", "Source-accessed", ATF.accessed, "MaxCount",
         "at most one date", add="<source/selec-site> atf:accessed <event/attf-4#date> ."),
    Case("reliability outside the Admiralty scale", "source/selec-site", "Source-reliability",
         ATF.reliability, "In", "A to F",
         remove='<source/selec-site> atf:reliability "B" .', add='<source/selec-site> atf:reliability "G" .'),
    Case("credibility above 6", "source/selec-site", "Source-credibility", ATF.credibility, "MaxInclusive",
         "from 1 to 6", remove="<source/selec-site> atf:credibility 2 .",
         add="<source/selec-site> atf:credibility 7 ."),
    Case("credibility as text", "source/selec-site", "Source-credibility", ATF.credibility, "Datatype",
         "whole number", remove="<source/selec-site> atf:credibility 2 .",
         add='<source/selec-site> atf:credibility "2" .'),
    # dates
    Case("date without its text", "organisation/selec#founded", "DateSpec-dateText", ATF.dateText, "MinCount",
         "exactly one text", remove='<organisation/selec#founded> atf:dateText "2009-10-09" .'),
    Case("date text typed as a year", "organisation/selec#founded", "DateSpec-dateText", ATF.dateText,
         "Datatype", "plain string", remove='<organisation/selec#founded> atf:dateText "2009-10-09" .',
         add='<organisation/selec#founded> atf:dateText "2009-10-09"^^xsd:date .'),
    Case("impossible date value", "document/declaration#date", "DateSpec-dateValue", ATF.dateValue, "Or",
         "valid xsd:date",
         remove='<document/declaration#date> atf:dateValue "2013-11-05"^^xsd:date .',
         add='<document/declaration#date> atf:dateValue "2013-02-30"^^xsd:date .'),
    Case("date value as a date-time", "document/declaration#date", "DateSpec-dateValue", ATF.dateValue, "Or",
         "xsd:gYearMonth",
         remove='<document/declaration#date> atf:dateValue "2013-11-05"^^xsd:date .',
         add='<document/declaration#date> atf:dateValue "2013-11-05T10:00:00"^^xsd:dateTime .'),
    Case("year as an ill-typed xsd:date", "event/conference#date", "DateSpec-dateValue", ATF.dateValue, "Or",
         "xsd:gYear", remove='<event/conference#date> atf:dateValue "2013"^^xsd:gYear .',
         add='<event/conference#date> atf:dateValue "2013"^^xsd:date .'),
    Case("date with two values", "document/declaration#date", "DateSpec-dateValue", ATF.dateValue,
         "MaxCount", "at most one value",
         add='<document/declaration#date> atf:dateValue "2013-11"^^xsd:gYearMonth .'),
    Case("span start as plain text", "event/attf-4#date", "DateSpec-startValue", ATF.startValue, "Or",
         "start value", remove='<event/attf-4#date> atf:startValue "2013-11-04"^^xsd:date .',
         add='<event/attf-4#date> atf:startValue "2013-11-04" .'),
    Case("span with two ends", "event/attf-4#date", "DateSpec-endValue", ATF.endValue, "MaxCount",
         "at most one end value", add='<event/attf-4#date> atf:endValue "2013-11"^^xsd:gYearMonth .'),
    Case("earliest as a year", "event/conference#date", "DateSpec-earliest", ATF.earliest, "Datatype",
         "earliest day", remove='<event/conference#date> atf:earliest "2013-01-01"^^xsd:date .',
         add='<event/conference#date> atf:earliest "2013"^^xsd:gYear .'),
    Case("two latest days", "event/conference#date", "DateSpec-latest", ATF.latest, "MaxCount",
         "at most one latest day", add='<event/conference#date> atf:latest "2013-12-30"^^xsd:date .'),
    Case("unknown precision", "event/conference#date", "DateSpec-precision", ATF.precision, "In",
         "at most one precision", remove='<event/conference#date> atf:precision "year" .',
         add='<event/conference#date> atf:precision "week" .'),
    Case("approximate as text", "organisation/selec#claim-1-value", "DateSpec-approximate", ATF.approximate,
         "Datatype", "xsd:boolean", remove="<organisation/selec#claim-1-value> atf:approximate true .",
         add='<organisation/selec#claim-1-value> atf:approximate "yes" .'),
    Case("uncertain as text", "event/conference#date", "DateSpec-uncertain", ATF.uncertain, "Datatype",
         "xsd:boolean", remove="<event/conference#date> atf:uncertain true .",
         add='<event/conference#date> atf:uncertain "maybe" .'),
    # ordered bounds (SHACL-SPARQL)
    Case("date bounds the wrong way round", "document/declaration#date", "DateBoundsShape", ATF.latest,
         "SPARQL", "earliest day (2013-11-06) is after its latest day (2013-11-05)",
         remove='<document/declaration#date> atf:earliest "2013-11-05"^^xsd:date .',
         add='<document/declaration#date> atf:earliest "2013-11-06"^^xsd:date .'),
    Case("membership ending before it begins", "organisation/selec#member-RO", "MembershipPeriodShape",
         ATF.memberTo, "SPARQL", "from no earlier than 2011-01-01, to no later than 2005-12-31",
         add="<organisation/selec#member-RO> atf:memberTo <organisation/selec#member-RO-to-2005> ."
             "<organisation/selec#member-RO-to-2005> a atf:DateSpec ; atf:dateText \"2005\" ;"
             " atf:earliest \"2005-01-01\"^^xsd:date ; atf:latest \"2005-12-31\"^^xsd:date .",
         remove="<organisation/selec#member-RO> atf:memberTo <organisation/selec#member-RO-to> ."),
    Case("organisation dissolved before it was founded", "organisation/seci-center",
         "OrganisationLifespanShape", ATF.dissolved, "SPARQL",
         "founded no earlier than 2015-01-01, dissolved no later than 2011-10-07",
         remove='<organisation/seci-center#founded> atf:earliest "1999-01-01"^^xsd:date .'
                '<organisation/seci-center#founded> atf:latest "1999-12-31"^^xsd:date .',
         add='<organisation/seci-center#founded> atf:earliest "2015-01-01"^^xsd:date .'
             '<organisation/seci-center#founded> atf:latest "2015-12-31"^^xsd:date .'),
    # classes of referenced nodes
    Case("topic as an organiser", "event/attf-4", "Event-organiser", ATF.organiser, "Class",
         "country or an organisation", add="<event/attf-4> atf:organiser <topic/crime> ."),
    Case("source as a participant", "event/attf-4", "Event-participant", ATF.participant, "Class",
         "country or an organisation", add="<event/attf-4> atf:participant <source/selec-site> ."),
    Case("city as a partner", "event/attf-4", "Event-partner", ATF.partner, "Class",
         "country or an organisation", add="<event/attf-4> atf:partner <city/ro-bucharest> ."),
    Case("country as a meeting series", "event/attf-4", "Event-series", ATF.series, "Class",
         "must be an organisation", remove="<event/attf-4> atf:series <organisation/attf> .",
         add="<event/attf-4> atf:series <country/TR> ."),
    Case("event as a larger event of nothing", "event/attf-4", "Event-partOfEvent", ATF.partOfEvent, "Class",
         "must be an event", remove="<event/attf-4> atf:partOfEvent <event/conference> .",
         add="<event/attf-4> atf:partOfEvent <document/declaration> ."),
    Case("document as an event's document that is not one", "event/attf-4", "Event-document", ATF.document,
         "Class", "must be a document", add="<event/attf-4> atf:document <event/attack> ."),
    Case("event following an organisation", "event/attf-4", "Event-follows", ATF.follows, "Class",
         "only follow", add="<event/attf-4> atf:follows <organisation/selec> ."),
    Case("event placed at a topic", "event/conference", "Event-place", ATF.place, "Class",
         "city or a country", add="<event/conference> atf:place <topic/crime> ."),
    Case("event country that is a city", "event/conference", "Event-country", ATF.country, "Class",
         "must be a country", add="<event/conference> atf:country <city/ro-bucharest> ."),
    Case("event date as a literal, as another tool writes it", "event/attack", "Event-date", ATF.date,
         "Class", "date node", remove="<event/attack> atf:date <event/attack#date> .",
         add='<event/attack> atf:date "2003-11-15"^^xsd:date .'),
    Case("organisation part of a country", "organisation/attf", "Organisation-partOf", ATF.partOf, "Class",
         "organisation (atf:Organisation)", add="<organisation/attf> atf:partOf <country/TR> ."),
    Case("country as a predecessor", "organisation/selec", "Organisation-predecessor", ATF.predecessor,
         "Class", "must be an organisation", add="<organisation/selec> atf:predecessor <country/CS> ."),
    Case("document as a successor", "organisation/seci-center", "Organisation-successor", ATF.successor,
         "Class", "must be an organisation",
         add="<organisation/seci-center> atf:successor <document/declaration> ."),
    Case("merged from a city", "organisation/selec", "Organisation-mergedFrom", ATF.mergedFrom, "Class",
         "merged from", add="<organisation/selec> atf:mergedFrom <city/ro-bucharest> ."),
    Case("seat at a source", "organisation/tnp", "Organisation-seat", ATF.seat, "Class", "city or a country",
         add="<organisation/tnp> atf:seat <source/selec-site> ."),
    Case("organisation country that is an organisation", "organisation/attf", "Organisation-country",
         ATF.country, "Class", "must be a country",
         add="<organisation/attf> atf:country <organisation/tnp> ."),
    Case("membership link to a country", "organisation/attf", "Organisation-membership", ATF.membership,
         "Class", "membership node", add="<organisation/attf> atf:membership <country/TR> ."),
    Case("figure link to a source", "organisation/attf", "Organisation-recordedFigure", ATF.recordedFigure,
         "Class", "figure node", add="<organisation/attf> atf:recordedFigure <source/selec-site> ."),
    Case("document concerning an organisation", "document/declaration", "Document-concerns", ATF.concerns,
         "Class", "only concern", add="<document/declaration> atf:concerns <organisation/attf> ."),
    Case("document adopted by a topic", "document/declaration", "Document-adoptedBy", ATF.adoptedBy, "Class",
         "country or an organisation", add="<document/declaration> atf:adoptedBy <topic/crime> ."),
    Case("organisation as a signatory", "document/declaration", "Document-signatory", ATF.signatory, "Class",
         "must be a country", add="<document/declaration> atf:signatory <organisation/selec> ."),
    Case("document place that is an event", "document/declaration", "Document-place", ATF.place, "Class",
         "city or a country", remove="<document/declaration> atf:place <city/ro-bucharest> .",
         add="<document/declaration> atf:place <event/attack> ."),
    Case("source that is an organisation", "event/attack", "any-source", ATF.source, "Class",
         "source record", add="<event/attack> atf:source <organisation/selec> ."),
    Case("topic that is not in the data", "event/attf-4", "any-topic", ATF.topic, "Class",
         "topic of the scheme", add="<event/attf-4> atf:topic <https://example.org/topics/terror> ."),
    Case("claim link to a source", "organisation/attf", "any-claim", ATF.claim, "Class", "claim node",
         add="<organisation/attf> atf:claim <source/selec-site> ."),
    Case("source accessed on a year literal", "source/selec-site", "Source-accessed", ATF.accessed, "Class",
         "date node", remove="<source/selec-site> atf:accessed <source/selec-site#accessed> .",
         add='<source/selec-site> atf:accessed "2024"^^xsd:gYear .'),
    # coordination
    Case("coordination without a coordinator", "organisation/attf#coordination", "CoordinatorShape", None,
         "Or", "needs a coordinator",
         remove="<organisation/attf#coordination> atf:coordinatingCountry <country/TR> ;"
                " atf:coordinatingAgency <organisation/tnp> ."),
    Case("two coordinating countries", "organisation/attf#coordination", "Coordination-coordinatingCountry",
         ATF.coordinatingCountry, "MaxCount", "at most one coordinating country",
         add="<organisation/attf#coordination> atf:coordinatingCountry <country/RO> ."),
    Case("coordinating country that is an agency", "organisation/attf#coordination",
         "Coordination-coordinatingCountry", ATF.coordinatingCountry, "Class",
         "a coordinating country must be a country (atf:Country)",
         remove="<organisation/attf#coordination> atf:coordinatingCountry <country/TR> .",
         add="<organisation/attf#coordination> atf:coordinatingCountry <organisation/tnp> ."),
    Case("two coordinating agencies", "organisation/attf#coordination", "Coordination-coordinatingAgency",
         ATF.coordinatingAgency, "MaxCount", "at most one coordinating agency",
         add="<organisation/attf#coordination> atf:coordinatingAgency <organisation/selec> ."),
    Case("coordinating agency that is a country", "organisation/attf#coordination",
         "Coordination-coordinatingAgency", ATF.coordinatingAgency, "Class", "must be an organisation",
         remove="<organisation/attf#coordination> atf:coordinatingAgency <organisation/tnp> .",
         add="<organisation/attf#coordination> atf:coordinatingAgency <country/RO> ."),
    Case("coordination of nothing", "organisation/attf#coordination", "Coordination-coordinatedOrganisation",
         ATF.coordinatedOrganisation, "MinCount", "exactly one organisation",
         remove="<organisation/attf#coordination> atf:coordinatedOrganisation <organisation/attf> ."),
    Case("organisation with two coordinations", "organisation/attf", "Organisation-coordination",
         ATF.coordination, "MaxCount", "at most one coordination",
         add="<organisation/attf> atf:coordination <organisation/attf#coordination-2> ."
             "<organisation/attf#coordination-2> a atf:Coordination ;"
             " atf:coordinatedOrganisation <organisation/attf> ; atf:coordinatingCountry <country/RO> ."),
    # membership
    Case("membership of no organisation", "organisation/selec#member-RO", "Membership-organization",
         ORG.organization, "MinCount", "exactly one organisation",
         remove="<organisation/selec#member-RO> org:organization <organisation/selec> ."),
    Case("organisation as a member", "organisation/selec#member-RO", "Membership-member", ORG.member,
         "Class", "a member must be a country",
         remove="<organisation/selec#member-RO> org:member <country/RO> .",
         add="<organisation/selec#member-RO> org:member <organisation/tnp> ."),
    Case("membership with two members", "organisation/selec#member-RO", "Membership-member", ORG.member,
         "MaxCount", "exactly one member", add="<organisation/selec#member-RO> org:member <country/TR> ."),
    Case("membership with two start dates", "organisation/selec#member-RO", "Membership-memberFrom",
         ATF.memberFrom, "MaxCount", "at most one start date",
         add="<organisation/selec#member-RO> atf:memberFrom <organisation/selec#founded> ."),
    Case("membership end that is not a date node", "organisation/selec#member-RO", "Membership-memberTo",
         ATF.memberTo, "Class", "date node",
         remove="<organisation/selec#member-RO> atf:memberTo <organisation/selec#member-RO-to> .",
         add='<organisation/selec#member-RO> atf:memberTo "2020-05"^^xsd:gYearMonth .'),
    # topics
    Case("topic outside the scheme", "topic/cybercrime", "Topic-inScheme", SKOS.inScheme, "HasValue",
         "topic scheme", remove="<topic/cybercrime> skos:inScheme topic:scheme .",
         add="<topic/cybercrime> skos:inScheme <https://example.org/another-scheme> ."),
    Case("broader topic that is an organisation", "topic/cybercrime", "Topic-broader", SKOS.broader, "Class",
         "must be a topic", add="<topic/cybercrime> skos:broader <organisation/selec> ."),
    Case("narrower topic that is a source", "topic/crime", "Topic-narrower", SKOS.narrower, "Class",
         "must be a topic", add="<topic/crime> skos:narrower <source/selec-site> ."),
    Case("topic broader than itself", "topic/crime", "TopicCycleShape", SKOS.broader, "SPARQL",
         "its own broader topic", add="<topic/crime> skos:broader <topic/crime> ."),
    Case("topic with an empty definition", "topic/cybercrime", "Topic-definition", SKOS.definition,
         "MinLength", "non-empty text",
         remove='<topic/cybercrime> skos:definition'
                ' "Crime committed with or against computers and networks." .',
         add='<topic/cybercrime> skos:definition "" .'),
    Case("topic with two English labels", "topic/crime", "Topic-label", RDFS.label, "UniqueLang",
         "at most one per language", add='<topic/crime> rdfs:label "Crimes"@en .'),
    # countries
    Case("alpha-2 code in lower case", "country/RO", "Country-alpha2", ATF.alpha2, "Pattern",
         "two capital letters", remove='<country/RO> atf:alpha2 "RO" .',
         add='<country/RO> atf:alpha2 "ro" .'),
    Case("country without an alpha-3 code", "country/TR", "Country-alpha3", ATF.alpha3, "MinCount",
         "alpha-3", remove='<country/TR> atf:alpha3 "TUR" .'),
    Case("numeric code without its leading zeros", "country/RO", "Country-numericCode", ATF.numericCode,
         "Pattern", "three digits", remove='<country/RO> atf:numericCode "642" .',
         add='<country/RO> atf:numericCode "42" .'),
    Case("withdrawal date as text", "country/CS", "Country-withdrawn", ATF.withdrawn, "Datatype", "xsd:date",
         remove='<country/CS> atf:withdrawn "2006-09-26"^^xsd:date .',
         add='<country/CS> atf:withdrawn "2006" .'),
    Case("city in no country", "city/ro-bucharest", "City-country", ATF.country, "MinCount",
         "exactly one country", remove="<city/ro-bucharest> atf:country <country/RO> ."),
    # figures and claims
    Case("cooperation link with one actor", "country/RO#link-1", "CooperationLink-linkedActor",
         ATF.linkedActor, "MinCount", "exactly two actors",
         remove="<country/RO#link-1> atf:linkedActor <organisation/selec> ."),
    Case("cooperation with an event", "country/RO", "cooperatedWith-actor", ATF.cooperatedWith, "Class",
         "a country or organisation", add="<country/RO> atf:cooperatedWith <event/attf-4> ."),
    Case("figure without a label", "organisation/selec#figure-1", "RecordedFigure-label", RDFS.label,
         "MinCount", "saying what it counts",
         remove='<organisation/selec#figure-1> rdfs:label "meetings at international level" .'),
    Case("negative figure", "organisation/selec#figure-1", "RecordedFigure-value", ATF.value, "MinInclusive",
         "0 or more", remove="<organisation/selec#figure-1> atf:value 7 .",
         add="<organisation/selec#figure-1> atf:value -7 ."),
    Case("figure with a fraction", "organisation/selec#figure-1", "RecordedFigure-value", ATF.value,
         "Datatype", "whole number", remove="<organisation/selec#figure-1> atf:value 7 .",
         add="<organisation/selec#figure-1> atf:value 7.5 ."),
    Case("claim without its source", "organisation/selec#claim-1", "Claim-source", ATF.source, "MinCount",
         "without its source is pointless",
         remove="<organisation/selec#claim-1> atf:source <source/selec-site> ."),
    Case("claim without a value", "organisation/selec#claim-1", "Claim-claimValue", ATF.claimValue,
         "MinCount", "at least one value",
         remove="<organisation/selec#claim-1> atf:claimValue <organisation/selec#claim-1-value> ."),
    Case("claim about nothing", "organisation/selec#claim-1", "Claim-claimAbout", ATF.claimAbout, "MinCount",
         "exactly one record", remove="<organisation/selec#claim-1> atf:claimAbout <organisation/selec> ."),
    Case("claim about two fields", "organisation/selec#claim-1", "Claim-claimField", ATF.claimField,
         "MaxCount", "exactly one field", add='<organisation/selec#claim-1> atf:claimField "dissolved" .'),
    Case("claim property as text", "organisation/selec#claim-1", "Claim-claimProperty", ATF.claimProperty,
         "NodeKind", "as an IRI", remove="<organisation/selec#claim-1> atf:claimProperty atf:founded .",
         add='<organisation/selec#claim-1> atf:claimProperty "founded" .'),
    # warnings and infos: reported, but they do not fail a build
    Case("organisation without a source", "organisation/tnp", "Organisation-source", ATF.source, "MinCount",
         "no source: say where this comes from", severity=SH.Warning,
         remove="<organisation/tnp> atf:source <source/selec-site> ."),
    Case("event without a source", "event/conference", "Event-source", ATF.source, "MinCount",
         "no source: say where this comes from", severity=SH.Warning,
         remove="<event/conference> atf:source <source/selec-site> ."),
    Case("document without a source", "document/declaration", "Document-source", ATF.source, "MinCount",
         "no source: say where this comes from", severity=SH.Warning,
         remove="<document/declaration> atf:source <source/selec-site> ."),
    Case("event with neither date nor place", "event/conference", "EventWhenWhereShape", None, "Or",
         "neither a date", severity=SH.Info, remove="<event/conference> atf:date <event/conference#date> ."),
    # properties any record may carry, and more cycles
    Case("same-as as text", "organisation/selec", "any-sameAs", ATF.sameAs, "NodeKind", "must be an IRI",
         add='<organisation/selec> atf:sameAs "Q7569387" .'),
    Case("empty description", "organisation/selec#member-RO", "any-description", ATF.description, "MinLength",
         "non-empty text", remove='<organisation/selec#member-RO> atf:description "A founding member." .',
         add='<organisation/selec#member-RO> atf:description "" .'),
    Case("empty alternative name", "country/TR", "any-altLabel", SKOS.altLabel, "MinLength", "non-empty text",
         add='<country/TR> skos:altLabel "" .'),
    Case("organisation part of itself", "organisation/attf", "OrganisationPartOfCycleShape", ATF.partOf,
         "SPARQL", "part of itself", add="<organisation/attf> atf:partOf <organisation/attf> ."),
    Case("event part of itself", "event/conference", "EventPartOfCycleShape", ATF.partOfEvent, "SPARQL",
         "part of itself", add="<event/conference> atf:partOfEvent <event/conference> ."),
    Case("input file with a bad checksum", "graph/organisations.yaml", "SourceFile-sha256", ATF.sha256,
         "Pattern", "64 lowercase hexadecimal digits",
         remove='<graph/organisations.yaml> atf:sha256'
                ' "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" .',
         add='<graph/organisations.yaml> atf:sha256 "E3B0C442" .'),
]


def case_base(index: int) -> str:
    return f"{BASE}case-{index}/"


def broken(case: Case, base: str = BASE) -> Graph:
    """The baseline under ``base``, with the case's triples removed and added."""
    graph = turtle(BASELINE, base)
    if case.remove:
        for triple in turtle(case.remove, base):
            assert triple in graph, f"{case.id}: {triple} is not in the baseline"
            graph.remove(triple)
    if case.add:
        graph += turtle(case.add, base)
    return graph


@cache
def results_by_case() -> dict[str, list[Result]]:
    """Every case broken in its own copy of the baseline, validated in one run; results by case id."""
    data = Graph()
    for index, case in enumerate(CASES):
        data += broken(case, case_base(index))
    found: dict[str, list[Result]] = {case.id: [] for case in CASES}
    for result in results_of(validate(data)):
        focus = str(result.focus)
        owners = [case.id for index, case in enumerate(CASES) if focus.startswith(case_base(index))]
        assert len(owners) == 1, f"a result on no single case's copy: {result}"
        found[owners[0]].append(result)
    return found


def shape_message(shape: URIRef) -> str:
    messages = [str(message) for message in shapes_graph().objects(shape, SH.message)]
    assert len(messages) == 1, f"{shape} should have one sh:message"
    return messages[0]


def test_baseline_has_no_result_at_all() -> None:
    assert results_of(validate(baseline_graph())) == []


def test_baseline_has_an_instance_of_every_target_class() -> None:
    shapes, data = shapes_graph(), baseline_graph()
    for target in set(shapes.objects(None, SH.targetClass)):
        assert any(True for _ in data.subjects(RDF.type, target)), f"no {target} in the baseline"


def test_cases_have_distinct_names() -> None:
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("index", range(len(CASES)), ids=[case.id for case in CASES])
def test_each_broken_constraint_is_reported_alone(index: int) -> None:
    case = CASES[index]
    results = results_by_case()[case.id]
    assert results, f"{case.id}: not reported"
    shape = SHAPE[case.shape]
    # One broken rule: one result, or one per constraint of the same shape that the bad value breaks
    # (a credibility of "2" is neither an integer nor within 1..6).
    assert {(r.focus, r.shape, r.path, r.severity, r.message) for r in results} == {
        (URIRef(case_base(index) + case.focus), shape, case.path, case.severity, results[0].message)
    }, results
    assert SH[f"{case.component}ConstraintComponent"] in {r.component for r in results}
    assert len(results) == len({r.component for r in results}), results
    message = results[0].message
    assert case.says in message
    if case.component == "SPARQL":
        assert "{" not in message, "every placeholder in a SPARQL message is filled in"
    else:
        assert message == shape_message(shape)


def test_a_cycle_of_broader_topics_is_reported_on_each_topic() -> None:
    graph = turtle(BASELINE)
    graph += turtle("<topic/crime> skos:broader <topic/cybercrime> .")
    results = results_of(validate(graph))
    assert {(result.focus, result.shape) for result in results} == {
        (node("topic/crime"), SHAPE.TopicCycleShape),
        (node("topic/cybercrime"), SHAPE.TopicCycleShape),
    }


def test_strings_typed_xsd_string_are_accepted_as_plain_strings() -> None:
    """RDF 1.1 makes "A" and "A"^^xsd:string one term; some tools and stores write the second form."""
    graph = turtle(BASELINE)
    typed = Graph()
    for subject, predicate, value in graph:
        if isinstance(value, Literal) and value.datatype is None and value.language is None:
            value = Literal(str(value), datatype=XSD.string)
        typed.add((subject, predicate, value))
    assert len(typed) == len(graph)
    assert results_of(validate(typed)) == []


def test_the_shipped_topic_scheme_conforms() -> None:
    topics = Graph().parse(ONTOLOGY / "topics.ttl", format="turtle")
    assert results_of(validate(topics)) == []


# --- the shapes themselves


def property_shapes() -> set[Node]:
    return set(shapes_graph().subjects(SH.path, None))


def constrained_paths() -> set[Node]:
    return set(shapes_graph().objects(None, SH.path))


def test_every_field_predicate_is_constrained_by_a_property_shape() -> None:
    predicates = {spec.predicate for specs in FIELDS.values() for spec in specs if spec.predicate is not None}
    assert predicates, "the field table names predicates"
    assert sorted(predicates - constrained_paths()) == []


def test_every_ontology_property_is_constrained_by_a_property_shape() -> None:
    ontology = ontology_graph()
    properties = {
        term
        for kind in (OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property)
        for term in ontology.subjects(RDF.type, kind)
        if str(term).startswith(str(ATF))
    }
    assert sorted(properties - constrained_paths()) == []


def test_every_property_shape_has_a_name_and_a_message() -> None:
    shapes = shapes_graph()
    top_level = {shape for shape in property_shapes() if isinstance(shape, URIRef)}
    for shape in top_level:
        assert (shape, RDF.type, SH.PropertyShape) in shapes, shape
        assert shapes.value(shape, SH.name) is not None, f"{shape} has no sh:name"
        assert len(list(shapes.objects(shape, SH.message))) == 1, f"{shape} needs one sh:message"
    nested = property_shapes() - top_level  # inside sh:or, where the enclosing shape carries the message
    for shape in nested:
        assert any(True for _ in shapes.subjects(RDF.first, shape)), f"{shape} is not in an sh:or list"


def test_every_rule_outside_property_shapes_has_a_message() -> None:
    shapes = shapes_graph()
    for shape in set(shapes.subjects(RDF.type, SH.NodeShape)):
        if (shape, SH["or"], None) in shapes:
            assert shapes.value(shape, SH.message) is not None, f"{shape} has sh:or but no message"
        if (shape, SH.sparql, None) in shapes:
            target = shapes.value(shape, SH.target)
            assert target is not None, f"{shape}: a SPARQL check finds its focus nodes with one target query"
            assert shapes.value(target, SH.prefixes) is not None
            assert "?this" in str(shapes.value(target, SH.select))
    for constraint in shapes.objects(None, SH.sparql):
        assert shapes.value(constraint, SH.message) is not None, f"{constraint} has no message"
        assert shapes.value(constraint, SH.prefixes) is not None, f"{constraint} declares no prefixes"
        assert "$this" in str(shapes.value(constraint, SH.select))


def test_severities_are_violations_unless_said_otherwise() -> None:
    severities = {
        shape.split("#")[-1]: severity for shape, severity in shapes_graph().subject_objects(SH.severity)
    }
    assert severities == {
        "Organisation-source": SH.Warning,
        "Event-source": SH.Warning,
        "Document-source": SH.Warning,
        "EventWhenWhereShape": SH.Info,
    }


def test_no_shape_is_closed() -> None:
    assert (None, SH.closed, None) not in shapes_graph()


def in_values(shape: URIRef) -> list[str]:
    """The texts an sh:in list allows, each of which must be listed both plain and typed xsd:string."""
    shapes = shapes_graph()
    head = shapes.value(shape, SH["in"])
    assert head is not None
    items = list(shapes.items(head))
    plain = [str(item) for item in items if isinstance(item, Literal) and item.datatype is None]
    typed = [str(item) for item in items if isinstance(item, Literal) and item.datatype == XSD.string]
    assert plain == typed, f"{shape}: list each value plain and as xsd:string"
    assert len(items) == 2 * len(plain), f"{shape}: only strings in the list"
    return plain


def test_reliability_grades_match_the_field_table() -> None:
    assert tuple(in_values(SHAPE["Source-reliability"])) == RELIABILITY_GRADES


def test_credibility_range_matches_the_field_table() -> None:
    shapes = shapes_graph()
    shape = SHAPE["Source-credibility"]
    low, high = shapes.value(shape, SH.minInclusive), shapes.value(shape, SH.maxInclusive)
    assert isinstance(low, Literal) and isinstance(high, Literal)
    assert range(low.toPython(), high.toPython() + 1) == CREDIBILITY_RANGE


def test_precisions_match_the_dates_module() -> None:
    assert set(in_values(SHAPE["DateSpec-precision"])) == {precision.value for precision in Precision}


def test_the_shapes_graph_is_valid_shacl() -> None:
    """Checked against the SHACL-SHACL shapes graph (W3C SHACL appendix C) that pyshacl ships."""
    shacl_shacl = files("pyshacl").joinpath("assets", "shacl-shacl.ttl")
    if not shacl_shacl.is_file():  # pragma: no cover - every pyshacl release since 0.9 ships it
        pytest.skip("this pyshacl ships no SHACL-SHACL shapes graph")
    meta = Graph().parse(data=shacl_shacl.read_text(encoding="utf-8"), format="turtle")
    conforms, _, text = pyshacl.validate(shapes_graph(), shacl_graph=meta, inference="none")
    assert conforms, text
