"""The ontology files in ontology/: atf.ttl, topics.ttl and context.jsonld.

They parse, every term is declared and documented, every term the code and the mapping document use is in
the ontology, the topic scheme is consistent, and the JSON-LD context expands to the terms it names.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyld import jsonld
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS

# rdflib's closed XSD namespace warns when pytest probes module attributes; an open one does not.
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology"
ATF_TTL = ONTOLOGY / "atf.ttl"
TOPICS_TTL = ONTOLOGY / "topics.ttl"
CONTEXT = ONTOLOGY / "context.jsonld"
MAPPING_MD = ROOT / "docs" / "mapping.md"
PACKAGE = ROOT / "atfgraph"

# Written out here rather than imported, so that these tests do not depend on code being written alongside.
ATF_NS = "https://w3id.org/atfgraph/ontology#"
TOPIC_NS = "https://w3id.org/atfgraph/topic/"
ORG_NS = "http://www.w3.org/ns/org#"
SCHEMA_NS = "https://schema.org/"
SEM_NS = "http://semanticweb.cs.vu.nl/2009/11/sem/"
TIME_NS = "http://www.w3.org/2006/time#"
ONTOLOGY_IRI = URIRef("https://w3id.org/atfgraph/ontology")
TOPIC_SCHEME = URIRef(TOPIC_NS + "scheme")

STANDARD_NAMESPACES = {
    "org": ORG_NS,
    "schema": SCHEMA_NS,
    "sem": SEM_NS,
    "skos": str(SKOS),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "time": TIME_NS,
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
}
"""Vocabularies the ontology may align to; anything else outside atf: is a typo or an unplanned dependency."""

CONTEXT_PREFIXES = {"atf": ATF_NS, "topic": TOPIC_NS, **STANDARD_NAMESPACES}

DECLARATION_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property)
PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property)
COERCED_DATATYPES = {XSD.date, XSD.integer, XSD.anyURI, XSD.boolean}
"""Ranges for which the context gives a datatype, so compacted values are plain strings."""
UNCOERCED = {"dateValue", "startValue", "endValue", "claimValue"}
"""Properties whose datatype varies: the context must leave their values as they are."""

EXPECTED_TOPICS: dict[str, tuple[str, ...]] = {
    # id: broader ids
    "counter-terrorism": (),
    "terrorist-financing": ("counter-terrorism",),
    "terrorist-groups": ("counter-terrorism",),
    "terrorism-crime-nexus": ("counter-terrorism", "organised-crime"),
    "post-blast-investigation": ("counter-terrorism",),
    "hijacking": ("counter-terrorism",),
    "trafficking": (),
    "arms-trafficking": ("trafficking",),
    "wmd-trafficking": ("trafficking",),
    "nuclear-materials-trafficking": ("wmd-trafficking",),
    "dual-use-goods": ("wmd-trafficking",),
    "organised-crime": (),
    "law-enforcement-cooperation": (),
    "joint-investigations": ("law-enforcement-cooperation",),
    "training": ("law-enforcement-cooperation",),
    "information-exchange": ("law-enforcement-cooperation",),
}

_ATF_TERM_PATTERNS = (
    re.compile(r"\bATF\.([A-Za-z][A-Za-z0-9_]*)"),
    re.compile(r"""\bATF\[\s*["']([^"']+)["']\s*\]"""),
    re.compile(r"(?<![\w/#.-])atf:([A-Za-z][A-Za-z0-9_]*)"),
)
_TOPIC_TERM_PATTERNS = (
    re.compile(r"\bTOPIC\.([A-Za-z][A-Za-z0-9_]*)"),
    re.compile(r"""\bTOPIC\[\s*["']([^"']+)["']\s*\]"""),
)


@pytest.fixture(scope="module")
def atf() -> Graph:
    return Graph().parse(ATF_TTL, format="turtle")


@pytest.fixture(scope="module")
def topics() -> Graph:
    return Graph().parse(TOPICS_TTL, format="turtle")


@pytest.fixture(scope="module")
def context() -> dict[str, object]:
    document = json.loads(CONTEXT.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def _atf(name: str) -> URIRef:
    return URIRef(ATF_NS + name)


def _topic(name: str) -> URIRef:
    return URIRef(TOPIC_NS + name)


def _declared(graph: Graph, *types: URIRef) -> set[URIRef]:
    """The atf: IRIs declared with one of ``types`` (all declaration types when none is given)."""
    found: set[URIRef] = set()
    for rdf_type in types or DECLARATION_TYPES:
        for subject in graph.subjects(RDF.type, rdf_type):
            if isinstance(subject, URIRef) and str(subject).startswith(ATF_NS):
                found.add(subject)
    return found


def _scan(paths: Iterator[Path], patterns: tuple[re.Pattern[str], ...]) -> dict[str, set[str]]:
    """Names matched in the files (read only, never imported), each with the files that use it."""
    names: dict[str, set[str]] = {}
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        for pattern in patterns:
            for name in pattern.findall(text):
                names.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    return names


def _python_sources() -> Iterator[Path]:
    return iter(sorted(PACKAGE.rglob("*.py")))


def _expand(context_terms: dict[str, object], value: str) -> str:
    """A context term's IRI, written as a compact IRI or a full one, in full."""
    prefix, colon, rest = value.partition(":")
    if colon and prefix in context_terms and isinstance(context_terms[prefix], str) and not rest.startswith("//"):
        return str(context_terms[prefix]) + rest
    return value


def _to_graph(document: object) -> Graph:
    """The triples of a JSON-LD document, as pyld reads them."""
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads"})
    # Everything is in the default graph, so the lines are N-Triples (rdflib's N-Quads parser warns).
    return Graph().parse(data=nquads, format="nt")


# atf.ttl


def test_ontology_header(atf: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in atf
    assert atf.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal("0.1.0")
    for predicate in (RDFS.label, RDFS.comment, DCTERMS.title):
        value = atf.value(ONTOLOGY_IRI, predicate)
        assert isinstance(value, Literal) and value.language == "en", predicate


def test_ontology_has_no_dates_or_timestamps(atf: Graph) -> None:
    # A date in the header would change the file on every release and is not needed by anything.
    for predicate in (DCTERMS.created, DCTERMS.modified, DCTERMS.issued, DCTERMS.date):
        assert not list(atf.objects(ONTOLOGY_IRI, predicate)), predicate
    for literal in atf.objects():
        if isinstance(literal, Literal):
            assert literal.datatype not in (XSD.date, XSD.dateTime, XSD.dateTimeStamp), literal


def test_no_blank_nodes_in_the_ontology(atf: Graph) -> None:
    for triple in atf:
        assert not any(isinstance(term, BNode) for term in triple), triple


def test_every_declared_term_has_an_english_label_and_comment(atf: Graph) -> None:
    for term in _declared(atf):
        for predicate in (RDFS.label, RDFS.comment):
            values = list(atf.objects(term, predicate))
            assert len(values) == 1, f"{term} has {len(values)} {predicate}"
            value = values[0]
            assert isinstance(value, Literal) and value.language == "en", f"{term} {predicate}"
            assert str(value).strip() == str(value) and str(value), f"{term} {predicate}"


def test_every_atf_term_used_in_the_ontology_is_declared(atf: Graph) -> None:
    declared = _declared(atf)
    used = {term for triple in atf for term in triple if isinstance(term, URIRef) and str(term).startswith(ATF_NS)}
    assert used - declared == set()


def test_each_term_is_declared_once_as_one_kind(atf: Graph) -> None:
    for term in _declared(atf):
        kinds = [kind for kind in DECLARATION_TYPES if (term, RDF.type, kind) in atf]
        assert len(kinds) == 1, f"{term} is declared as {kinds}"


def test_terms_in_the_mapping_document_are_declared(atf: Graph) -> None:
    used = _scan(iter([MAPPING_MD]), _ATF_TERM_PATTERNS)
    assert used, "docs/mapping.md names no atf: term: has its format changed?"
    missing = sorted(name for name in used if _atf(name) not in _declared(atf))
    assert missing == []


def test_terms_in_the_code_are_declared(atf: Graph) -> None:
    used = _scan(_python_sources(), _ATF_TERM_PATTERNS)
    assert used, "no ATF term found in atfgraph/: has the namespace been renamed?"
    declared = _declared(atf)
    missing = {name: sorted(files) for name, files in used.items() if _atf(name) not in declared}
    assert missing == {}


def test_topics_in_the_code_are_in_the_topic_scheme(topics: Graph) -> None:
    used = _scan(_python_sources(), _TOPIC_TERM_PATTERNS)
    missing = {
        name: sorted(files)
        for name, files in used.items()
        if (_topic(name), RDF.type, SKOS.Concept) not in topics
        and (_topic(name), RDF.type, SKOS.ConceptScheme) not in topics
    }
    assert missing == {}


def test_classes_the_mapping_names_are_classes(atf: Graph) -> None:
    classes = _declared(atf, OWL.Class)
    # One sentence per kind of record in docs/mapping.md: "`a atf:Organisation` or ...".
    text = MAPPING_MD.read_text(encoding="utf-8")
    named = set(re.findall(r"\ba atf:([A-Za-z]+)", text))
    named |= set(re.findall(r"\batf:([A-Z][A-Za-z]+)", text))
    assert named and {_atf(name) for name in named} <= classes


def test_properties_start_lower_case_and_classes_upper_case(atf: Graph) -> None:
    for term in _declared(atf, OWL.Class):
        assert str(term)[len(ATF_NS)].isupper(), term
    for term in _declared(atf, *PROPERTY_TYPES):
        assert str(term)[len(ATF_NS)].islower(), term


def _under(atf: Graph, name: str, root: str) -> bool:
    return _atf(root) in set(atf.transitive_objects(_atf(name), RDFS.subClassOf))


@pytest.mark.parametrize(("root", "members"), [("Actor", ("Organisation", "Country")), ("Place", ("Country", "City"))])
def test_actors_and_places(atf: Graph, root: str, members: tuple[str, ...]) -> None:
    for member in members:
        assert _under(atf, member, root), f"atf:{member} is not under atf:{root}"


@pytest.mark.parametrize(
    ("table", "root"),
    [
        ("ORGANISATION_TYPES", "Organisation"),
        ("EVENT_TYPES", "Event"),
        ("DOCUMENT_TYPES", "Document"),
        ("KIND_CLASSES", None),
    ],
)
def test_type_tables_in_the_code_name_classes(atf: Graph, table: str, root: str | None) -> None:
    # Read as text, not imported: the dict literal of that name in atfgraph/fields.py.
    text = (PACKAGE / "fields.py").read_text(encoding="utf-8")
    match = re.search(rf"^{table}\b[^=]*=\s*\{{(.*?)^\}}", text, re.DOTALL | re.MULTILINE)
    assert match, f"{table} not found in atfgraph/fields.py"
    names = re.findall(r"\bATF\.([A-Za-z]\w*)", match.group(1))
    assert names, table
    classes = _declared(atf, OWL.Class)
    for name in names:
        assert _atf(name) in classes, f"{table}: atf:{name} is not a class"
        if root is not None:
            assert _under(atf, name, root), f"{table}: atf:{name} is not under atf:{root}"


def test_alignment_targets_are_standard_vocabularies(atf: Graph) -> None:
    allowed = tuple(STANDARD_NAMESPACES.values())
    for predicate in (RDFS.subClassOf, RDFS.subPropertyOf, OWL.inverseOf, OWL.equivalentClass, OWL.equivalentProperty):
        for subject, target in atf.subject_objects(predicate):
            assert isinstance(target, URIRef), (subject, predicate, target)
            if str(target).startswith(ATF_NS):
                assert target in _declared(atf), target
            else:
                assert str(target).startswith(allowed), f"{subject} {predicate} {target}"


def test_requested_alignments(atf: Graph) -> None:
    org, schema, sem = Namespace(ORG_NS), Namespace(SCHEMA_NS), Namespace(SEM_NS)
    expected_classes = {
        "Organisation": {org["Organization"], schema["Organization"]},
        "TaskForce": {org["OrganizationalUnit"]},
        "InternationalOrganisation": {org["FormalOrganization"]},
        "NationalAgency": {schema["GovernmentOrganization"]},
        "Event": {sem["Event"], schema["Event"]},
        "Topic": {SKOS.Concept},
        "Document": {schema["CreativeWork"], PROV.Entity},
        "Membership": {org["Membership"]},
        "DateSpec": {URIRef(TIME_NS + "TemporalEntity")},
        "Claim": {RDF.Statement, PROV.Entity},
        "SourceFile": {PROV.Entity},
        "Actor": {sem["Actor"], PROV.Agent},
        "Place": {sem["Place"], schema["Place"]},
    }
    for name, targets in expected_classes.items():
        assert targets <= set(atf.objects(_atf(name), RDFS.subClassOf)), name
    expected_properties = {
        "partOf": {org["subOrganizationOf"]},
        "partOfEvent": {sem["subEventOf"], schema["superEvent"]},
        "organiser": {schema["organizer"], sem["hasActor"]},
        "participant": {schema["attendee"], sem["hasActor"]},
        "place": {sem["hasPlace"], schema["location"]},
        "topic": {DCTERMS.subject, schema["about"]},
        "source": {DCTERMS.source, PROV.wasDerivedFrom},
        "predecessor": {DCTERMS.replaces},
        "successor": {DCTERMS.isReplacedBy},
        "sameAs": {schema["sameAs"]},
    }
    for name, targets in expected_properties.items():
        assert targets <= set(atf.objects(_atf(name), RDFS.subPropertyOf)), name


def test_domains_and_ranges_are_declared_classes_or_datatypes(atf: Graph) -> None:
    classes = _declared(atf, OWL.Class)
    for term in _declared(atf, *PROPERTY_TYPES):
        for predicate in (RDFS.domain, RDFS.range):
            for target in atf.objects(term, predicate):
                if str(target).startswith(ATF_NS):
                    assert target in classes, f"{term} {predicate} {target}"
        for target in atf.objects(term, RDFS.range):
            if (term, RDF.type, OWL.DatatypeProperty) in atf:
                assert str(target).startswith(str(XSD)) or target == RDFS.Literal, f"{term} range {target}"
            elif (term, RDF.type, OWL.ObjectProperty) in atf:
                assert not str(target).startswith(str(XSD)) and target != RDFS.Literal, f"{term} range {target}"


def test_date_values_have_no_fixed_range(atf: Graph) -> None:
    # Their datatype depends on the precision known: a fixed range would make most values ill-typed.
    for name in UNCOERCED:
        assert atf.value(_atf(name), RDFS.range) is None, name


# topics.ttl


def _concepts(topics: Graph) -> set[URIRef]:
    return {c for c in topics.subjects(RDF.type, SKOS.Concept) if isinstance(c, URIRef)}


def _labels(topics: Graph, concept: URIRef) -> set[str]:
    return {str(v).casefold() for p in (SKOS.prefLabel, SKOS.altLabel) for v in topics.objects(concept, p)}


def test_topic_scheme(topics: Graph) -> None:
    assert (TOPIC_SCHEME, RDF.type, SKOS.ConceptScheme) in topics
    assert list(topics.objects(TOPIC_SCHEME, SKOS.prefLabel)) == [
        Literal("Counter-terrorism cooperation topics", lang="en")
    ]


def test_topic_ids_are_exactly_the_shipped_ones(topics: Graph) -> None:
    assert _concepts(topics) == {_topic(name) for name in EXPECTED_TOPICS}


def test_topic_hierarchy_is_as_shipped(topics: Graph) -> None:
    for name, broader in EXPECTED_TOPICS.items():
        assert set(topics.objects(_topic(name), SKOS.broader)) == {_topic(b) for b in broader}, name


def test_every_topic_is_complete(topics: Graph) -> None:
    for concept in _concepts(topics):
        assert (concept, RDF.type, _atf("Topic")) in topics, concept
        pref = list(topics.objects(concept, SKOS.prefLabel))
        assert len(pref) == 1, f"{concept} has {len(pref)} prefLabels"
        assert isinstance(pref[0], Literal) and pref[0].language == "en", concept
        assert list(topics.objects(concept, RDFS.label)) == pref, concept
        definitions = list(topics.objects(concept, SKOS.definition))
        assert len(definitions) == 1, concept
        assert isinstance(definitions[0], Literal) and definitions[0].language == "en", concept
        for alt in topics.objects(concept, SKOS.altLabel):
            assert isinstance(alt, Literal) and alt.language == "en", (concept, alt)
        assert list(topics.objects(concept, SKOS.inScheme)) == [TOPIC_SCHEME], concept


def test_broader_and_narrower_are_inverse(topics: Graph) -> None:
    broader = set(topics.subject_objects(SKOS.broader))
    narrower = {(o, s) for s, o in topics.subject_objects(SKOS.narrower)}
    assert broader == narrower
    concepts = _concepts(topics)
    assert {term for pair in broader for term in pair} <= concepts


def test_top_concepts(topics: Graph) -> None:
    tops = set(topics.objects(TOPIC_SCHEME, SKOS.hasTopConcept))
    assert tops == set(topics.subjects(SKOS.topConceptOf, TOPIC_SCHEME))
    assert tops == {_topic(name) for name, broader in EXPECTED_TOPICS.items() if not broader}
    for concept in _concepts(topics):
        has_broader = topics.value(concept, SKOS.broader) is not None
        assert has_broader != (concept in tops), concept


def test_no_label_is_shared_between_topics(topics: Graph) -> None:
    # Records name topics by label or alternative label, so a shared label would be ambiguous.
    owner: dict[str, URIRef] = {}
    for concept in sorted(_concepts(topics)):
        for label in _labels(topics, concept) | {str(concept)[len(TOPIC_NS) :].casefold()}:
            assert owner.setdefault(label, concept) == concept, f"{label!r}: {owner[label]} and {concept}"


def test_no_broader_cycles(topics: Graph) -> None:
    for concept in _concepts(topics):
        above = set(topics.transitive_objects(concept, SKOS.broader)) - {concept}
        for ancestor in above:
            assert concept not in set(topics.transitive_objects(ancestor, SKOS.broader)), concept


# context.jsonld


def _terms(context: dict[str, object]) -> dict[str, object]:
    terms = context["@context"]
    assert isinstance(terms, dict)
    return terms


def _term_iri(terms: dict[str, object], definition: object) -> str:
    iri = definition["@id"] if isinstance(definition, dict) else definition
    assert isinstance(iri, str)
    return _expand(terms, iri)


def test_context_is_formatted_deterministically(context: dict[str, object]) -> None:
    text = CONTEXT.read_text(encoding="utf-8")
    assert text == json.dumps(context, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_context_prefixes(context: dict[str, object]) -> None:
    terms = _terms(context)
    assert terms["@version"] == 1.1
    for prefix, iri in CONTEXT_PREFIXES.items():
        assert terms.get(prefix) == iri, prefix


def test_context_has_no_default_language(context: dict[str, object]) -> None:
    assert "@language" not in CONTEXT.read_text(encoding="utf-8")
    assert "@vocab" not in _terms(context)


def test_context_terms_name_declared_atf_terms(atf: Graph, context: dict[str, object]) -> None:
    terms = _terms(context)
    declared = _declared(atf)
    for term, definition in terms.items():
        if term.startswith("@") or term in CONTEXT_PREFIXES:
            continue
        iri = _term_iri(terms, definition)
        assert iri.startswith(tuple(CONTEXT_PREFIXES.values())), f"{term}: {iri}"
        if iri.startswith(ATF_NS):
            assert URIRef(iri) in declared, f"{term}: {iri}"


def test_context_covers_every_atf_property(atf: Graph, context: dict[str, object]) -> None:
    terms = _terms(context)
    named = {_term_iri(terms, d) for t, d in terms.items() if not t.startswith("@") and t not in CONTEXT_PREFIXES}
    missing = sorted(str(p) for p in _declared(atf, *PROPERTY_TYPES) if str(p) not in named)
    assert missing == []


def test_context_coercion_follows_the_ontology(atf: Graph, context: dict[str, object]) -> None:
    terms = _terms(context)
    for term, definition in terms.items():
        if term.startswith("@") or term in CONTEXT_PREFIXES:
            continue
        iri = URIRef(_term_iri(terms, definition))
        coercion = definition.get("@type") if isinstance(definition, dict) else None
        if isinstance(definition, dict):
            assert set(definition) <= {"@id", "@type"}, term
        if (iri, RDF.type, OWL.ObjectProperty) in atf:
            assert coercion == "@id", term
        elif (iri, RDF.type, OWL.DatatypeProperty) in atf:
            rng = atf.value(iri, RDFS.range)
            wanted = f"xsd:{str(rng)[len(str(XSD)) :]}" if rng in COERCED_DATATYPES else None
            assert coercion == wanted, term
        elif str(iri).startswith(ATF_NS):
            assert coercion is None, term
    for name in UNCOERCED:
        assert terms[name] == f"atf:{name}", name


def test_standard_terms_in_context(context: dict[str, object]) -> None:
    terms = _terms(context)
    expected = {
        "label": str(RDFS.label),
        "altLabel": str(SKOS.altLabel),
        "prefLabel": str(SKOS.prefLabel),
        "broader": str(SKOS.broader),
        "narrower": str(SKOS.narrower),
        "inScheme": str(SKOS.inScheme),
        "definition": str(SKOS.definition),
        "publisher": str(DCTERMS.publisher),
        "member": ORG_NS + "member",
        "organization": ORG_NS + "organization",
    }
    for term, iri in expected.items():
        assert _term_iri(terms, terms[term]) == iri, term


EVENT = "https://w3id.org/atfgraph/id/event/attf-4"
SOURCE = "https://w3id.org/atfgraph/id/source/selec-attf"
ORGANISATION = "https://w3id.org/atfgraph/id/organisation/attf"

ROUND_TRIP_JSONLD = {
    "@graph": [
        {
            "@id": EVENT,
            "@type": "Meeting",
            "label": "4th meeting of the Anti-Terrorism Task Force",
            "date": {
                "@id": EVENT + "#date",
                "@type": "DateSpec",
                "dateText": "XXXX-10-23",
                "dateValue": {"@value": "--10-23", "@type": "xsd:gMonthDay"},
                "precision": "month-day",
                "uncertain": True,
            },
            "place": "https://w3id.org/atfgraph/id/city/ro-bucharest",
            "country": "https://w3id.org/atfgraph/id/country/RO",
            "venue": "SELEC headquarters",
            "series": ORGANISATION,
            "number": 4,
            "organiser": [ORGANISATION],
            "topics": ["topic:counter-terrorism", "topic:terrorist-financing"],
            "source": SOURCE,
            "sameAs": "http://www.wikidata.org/entity/Q1",
        },
        {
            "@id": SOURCE,
            "@type": "Source",
            "label": "Anti-Terrorism Task Force",
            "url": "https://www.selec.org/",
            "publisher": "SELEC",
            "reliability": "B",
            "credibility": 2,
            "accessed": {
                "@id": SOURCE + "#accessed",
                "@type": "DateSpec",
                "dateText": "2024",
                "dateValue": {"@value": "2024", "@type": "xsd:gYear"},
                "earliest": "2024-01-01",
                "latest": "2024-12-31",
                "approximate": "true",
            },
        },
        {
            "@id": ORGANISATION,
            "@type": ["TaskForce"],
            "shortName": "ATTF",
            "altLabel": ["SECI ATTF"],
            "membership": {
                "@id": ORGANISATION + "#member-AL",
                "@type": "Membership",
                "organization": ORGANISATION,
                "member": "https://w3id.org/atfgraph/id/country/AL",
            },
            "claim": {
                "@id": ORGANISATION + "#claim-1",
                "@type": "Claim",
                "claimAbout": ORGANISATION,
                "claimField": "founded",
                "claimProperty": "atf:founded",
                "claimValue": "2003-02",
            },
        },
    ]
}

ROUND_TRIP_TURTLE = """
@prefix atf: <https://w3id.org/atfgraph/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix topic: <https://w3id.org/atfgraph/topic/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<https://w3id.org/atfgraph/id/event/attf-4> a atf:Meeting ;
    rdfs:label "4th meeting of the Anti-Terrorism Task Force" ;
    atf:date <https://w3id.org/atfgraph/id/event/attf-4#date> ;
    atf:place <https://w3id.org/atfgraph/id/city/ro-bucharest> ;
    atf:country <https://w3id.org/atfgraph/id/country/RO> ;
    atf:venue "SELEC headquarters" ;
    atf:series <https://w3id.org/atfgraph/id/organisation/attf> ;
    atf:number "4"^^xsd:integer ;
    atf:organiser <https://w3id.org/atfgraph/id/organisation/attf> ;
    atf:topic topic:counter-terrorism, topic:terrorist-financing ;
    atf:source <https://w3id.org/atfgraph/id/source/selec-attf> ;
    atf:sameAs <http://www.wikidata.org/entity/Q1> .

<https://w3id.org/atfgraph/id/event/attf-4#date> a atf:DateSpec ;
    atf:dateText "XXXX-10-23" ;
    atf:dateValue "--10-23"^^xsd:gMonthDay ;
    atf:precision "month-day" ;
    atf:uncertain "true"^^xsd:boolean .

<https://w3id.org/atfgraph/id/source/selec-attf> a atf:Source ;
    rdfs:label "Anti-Terrorism Task Force" ;
    atf:url "https://www.selec.org/"^^xsd:anyURI ;
    dcterms:publisher "SELEC" ;
    atf:reliability "B" ;
    atf:credibility "2"^^xsd:integer ;
    atf:accessed <https://w3id.org/atfgraph/id/source/selec-attf#accessed> .

<https://w3id.org/atfgraph/id/source/selec-attf#accessed> a atf:DateSpec ;
    atf:dateText "2024" ;
    atf:dateValue "2024"^^xsd:gYear ;
    atf:earliest "2024-01-01"^^xsd:date ;
    atf:latest "2024-12-31"^^xsd:date ;
    atf:approximate "true"^^xsd:boolean .

<https://w3id.org/atfgraph/id/organisation/attf> a atf:TaskForce ;
    atf:shortName "ATTF" ;
    skos:altLabel "SECI ATTF" ;
    atf:membership <https://w3id.org/atfgraph/id/organisation/attf#member-AL> ;
    atf:claim <https://w3id.org/atfgraph/id/organisation/attf#claim-1> .

<https://w3id.org/atfgraph/id/organisation/attf#member-AL> a atf:Membership ;
    org:organization <https://w3id.org/atfgraph/id/organisation/attf> ;
    org:member <https://w3id.org/atfgraph/id/country/AL> .

<https://w3id.org/atfgraph/id/organisation/attf#claim-1> a atf:Claim ;
    atf:claimAbout <https://w3id.org/atfgraph/id/organisation/attf> ;
    atf:claimField "founded" ;
    atf:claimProperty atf:founded ;
    atf:claimValue "2003-02" .
"""


def test_context_expands_to_the_expected_triples(context: dict[str, object]) -> None:
    document = {"@context": context["@context"], **ROUND_TRIP_JSONLD}
    expected = Graph().parse(data=ROUND_TRIP_TURTLE, format="turtle")
    got = _to_graph(jsonld.expand(document))
    assert isomorphic(got, expected), sorted(set(got) ^ set(expected))


def test_context_compacts_the_graph_to_short_terms(context: dict[str, object]) -> None:
    graph = Graph().parse(data=ROUND_TRIP_TURTLE, format="turtle")
    expanded = jsonld.from_rdf(graph.serialize(format="nt"), {"format": "application/n-quads"})
    compacted = jsonld.compact(expanded, context)
    text = json.dumps(compacted)
    assert "@language" not in text
    nodes = {node["@id"]: node for node in compacted["@graph"]}
    for node in nodes.values():
        for key in node:
            # Every property in the graph has a short term: no compact or full IRI is left as a key.
            assert key.startswith("@") or (":" not in key and "/" not in key), key
    event = nodes[EVENT]
    assert event["@type"] == "Meeting"
    assert event["label"] == "4th meeting of the Anti-Terrorism Task Force"
    assert sorted(event["topics"]) == ["topic:counter-terrorism", "topic:terrorist-financing"]
    assert event["number"] == "4"
    assert nodes[SOURCE]["url"] == "https://www.selec.org/"
    assert nodes[EVENT + "#date"]["dateValue"] == {"@type": "xsd:gMonthDay", "@value": "--10-23"}
    assert nodes[ORGANISATION + "#claim-1"]["claimProperty"] == "atf:founded"
    # And back again, unchanged.
    assert isomorphic(_to_graph(compacted), graph)


def test_rdflib_round_trips_through_the_context(context: dict[str, object]) -> None:
    # Exports are likely to be written by rdflib's own JSON-LD serializer: it must accept the context too.
    graph = Graph().parse(data=ROUND_TRIP_TURTLE, format="turtle")
    text = graph.serialize(format="json-ld", context=context["@context"])
    document = json.loads(text)
    assert document["@context"] == context["@context"]
    assert isomorphic(_to_graph(document), graph)
