"""The record format, declared once: every kind, its fields, their types and the RDF property each becomes.

Reading, checking, mapping and the record-format documentation all follow this table; a test checks that
the SHACL shapes constrain every property named here.
"""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass

from rdflib import URIRef

from atfgraph.namespaces import ATF, DCTERMS, RDFS, SKOS


class Kind(enum.Enum):
    """The kinds of record an analyst writes."""

    ORGANISATION = "organisation"
    EVENT = "event"
    TOPIC = "topic"
    DOCUMENT = "document"
    SOURCE = "source"
    COUNTRY = "country"

    # Members are singletons compared by identity, so identity hashing agrees with equality; Enum's own
    # __hash__ is Python code (hash of the name), and kinds and field types key the mapping's hottest
    # lookups (hundreds of thousands a second).
    __hash__ = object.__hash__


class FieldType(enum.Enum):
    """What a field holds; decides how it is read, checked and mapped."""

    TEXT = "text"
    TEXT_LIST = "list of texts"
    INTEGER = "integer"
    DATE = "EDTF date"
    URL = "URL"
    URL_LIST = "list of URLs"
    CHOICE = "one of a fixed set"
    REFERENCE = "id of a record"
    REFERENCE_LIST = "list of record ids"
    COUNTRY = "country code or name"
    COUNTRY_LIST = "list of country codes or names"
    ACTOR_LIST = "list of countries or organisation ids"
    TOPIC_LIST = "list of topic ids or labels"
    MEMBERS = "list of member countries, each optionally with from/to dates"
    LOCATION = "place: city, country, venue"
    FIGURES = "list of recorded figures: label, value, sources"
    CLAIMS = "list of sourced alternative values: field, value, sources, note"

    __hash__ = object.__hash__  # as Kind's


@dataclass(frozen=True)
class Field:
    """One field of a record kind."""

    name: str
    type: FieldType
    doc: str
    predicate: URIRef | None = None
    required: bool = False
    refs: tuple[Kind, ...] = ()
    choices: tuple[str, ...] = ()

    @property
    def multi(self) -> bool:
        """Whether the field takes several values."""
        return self.type in _MULTI_TYPES


_MULTI_TYPES = frozenset(
    {
        FieldType.TEXT_LIST,
        FieldType.URL_LIST,
        FieldType.REFERENCE_LIST,
        FieldType.COUNTRY_LIST,
        FieldType.ACTOR_LIST,
        FieldType.TOPIC_LIST,
        FieldType.MEMBERS,
        FieldType.FIGURES,
        FieldType.CLAIMS,
    }
)

ORGANISATION_TYPES: dict[str, URIRef] = {
    "organisation": ATF.Organisation,
    "international-organisation": ATF.InternationalOrganisation,
    "law-enforcement-centre": ATF.LawEnforcementCentre,
    "task-force": ATF.TaskForce,
    "sub-group": ATF.SubGroup,
    "decision-body": ATF.DecisionBody,
    "national-agency": ATF.NationalAgency,
}

EVENT_TYPES: dict[str, URIRef] = {
    "event": ATF.Event,
    "meeting": ATF.Meeting,
    "working-meeting": ATF.WorkingMeeting,
    "workshop": ATF.Workshop,
    "training": ATF.Training,
    "conference": ATF.Conference,
    "investigation": ATF.Investigation,
    "joint-investigation": ATF.JointInvestigation,
    "operation": ATF.Operation,
    "attack": ATF.Attack,
}

DOCUMENT_TYPES: dict[str, URIRef] = {
    "document": ATF.Document,
    "declaration": ATF.Declaration,
    "resolution": ATF.Resolution,
    "agreement": ATF.Agreement,
    "convention": ATF.Convention,
    "report": ATF.Report,
}

KIND_CLASSES: dict[Kind, URIRef] = {
    Kind.ORGANISATION: ATF.Organisation,
    Kind.EVENT: ATF.Event,
    Kind.TOPIC: ATF.Topic,
    Kind.DOCUMENT: ATF.Document,
    Kind.SOURCE: ATF.Source,
    Kind.COUNTRY: ATF.Country,
}

TYPE_CLASSES: dict[Kind, dict[str, URIRef]] = {
    Kind.ORGANISATION: ORGANISATION_TYPES,
    Kind.EVENT: EVENT_TYPES,
    Kind.DOCUMENT: DOCUMENT_TYPES,
}

RELIABILITY_GRADES = ("A", "B", "C", "D", "E", "F")
"""Admiralty code, source reliability: A completely reliable … E unreliable, F cannot be judged."""

_ORG = (Kind.ORGANISATION,)
_EVENT = (Kind.EVENT,)
_DOCUMENT = (Kind.DOCUMENT,)
_SOURCE = (Kind.SOURCE,)

_SOURCES = Field("sources", FieldType.REFERENCE_LIST, "ids of the source records this record relies on",
                 ATF.source, refs=_SOURCE)
_DESCRIPTION = Field("description", FieldType.TEXT, "free text; say here where a source is ambiguous",
                     ATF.description)
_TOPICS = Field("topics", FieldType.TOPIC_LIST, "topics, by id or by label or alternative label",
                ATF.topic, refs=(Kind.TOPIC,))
_SAME_AS = Field("same_as", FieldType.URL_LIST, "IRIs of the same thing elsewhere (Wikidata, GeoNames)",
                 ATF.sameAs)
_CLAIMS = Field("claims", FieldType.CLAIMS,
                "values of a field that other sources give differently, each with its sources", ATF.claim)

FIELDS: dict[Kind, tuple[Field, ...]] = {
    Kind.ORGANISATION: (
        Field("name", FieldType.TEXT, "full name", RDFS.label, required=True),
        Field("short_name", FieldType.TEXT, "acronym or short name (ATTF)", ATF.shortName),
        Field("alt_names", FieldType.TEXT_LIST, "other names, former names, translations", SKOS.altLabel),
        Field("type", FieldType.CHOICE, "kind of organisation (default: organisation)", None,
              choices=tuple(ORGANISATION_TYPES)),
        Field("part_of", FieldType.REFERENCE_LIST, "the organisations this one is a unit of", ATF.partOf,
              refs=_ORG),
        Field("country", FieldType.COUNTRY, "the country a national agency belongs to", ATF.country),
        Field("coordinator", FieldType.REFERENCE, "the organisation (agency) that coordinates it",
              ATF.coordinatingAgency, refs=_ORG),
        Field("coordinating_country", FieldType.COUNTRY, "the country that coordinates it",
              ATF.coordinatingCountry),
        Field("members", FieldType.MEMBERS, "member countries, each optionally with from/to dates and sources",
              ATF.membership),
        Field("founded", FieldType.DATE, "when it was founded", ATF.founded),
        Field("dissolved", FieldType.DATE, "when it ceased", ATF.dissolved),
        Field("predecessor", FieldType.REFERENCE, "the organisation it replaced", ATF.predecessor, refs=_ORG),
        Field("successor", FieldType.REFERENCE, "the organisation that replaced it", ATF.successor, refs=_ORG),
        Field("merged_from", FieldType.REFERENCE_LIST, "organisations merged to form it", ATF.mergedFrom,
              refs=_ORG),
        Field("seat", FieldType.LOCATION, "where it is based", ATF.seat),
        Field("figures", FieldType.FIGURES, "figures a source states about it (\"7 meetings\")",
              ATF.recordedFigure),
        _TOPICS,
        _SOURCES,
        _SAME_AS,
        _DESCRIPTION,
        _CLAIMS,
    ),
    Kind.EVENT: (
        Field("title", FieldType.TEXT, "what the event is called", RDFS.label, required=True),
        Field("type", FieldType.CHOICE, "kind of event (default: event)", None, choices=tuple(EVENT_TYPES)),
        Field("date", FieldType.DATE, "when, as EDTF (2013-11-04/2013-11-05, XXXX-10-23, 2008~)", ATF.date),
        Field("location", FieldType.LOCATION, "where: city, country and venue", ATF.place),
        Field("series", FieldType.REFERENCE, "the organisation whose meeting series it belongs to",
              ATF.series, refs=_ORG),
        Field("number", FieldType.INTEGER, "its number in the series (4 for the 4th meeting)", ATF.number),
        Field("organisers", FieldType.ACTOR_LIST, "who organised or hosted it", ATF.organiser),
        Field("participants", FieldType.ACTOR_LIST, "who took part", ATF.participant),
        Field("partners", FieldType.ACTOR_LIST, "partner organisations or countries that joined or supported it",
              ATF.partner),
        _TOPICS,
        Field("part_of", FieldType.REFERENCE, "a larger event this one is part of", ATF.partOfEvent,
              refs=_EVENT),
        Field("documents", FieldType.REFERENCE_LIST, "documents it produced or discussed", ATF.document,
              refs=_DOCUMENT),
        Field("follows", FieldType.REFERENCE_LIST, "earlier events it responds to", ATF.follows, refs=_EVENT),
        _SOURCES,
        _DESCRIPTION,
        _CLAIMS,
    ),
    Kind.TOPIC: (
        Field("label", FieldType.TEXT, "preferred label", SKOS.prefLabel, required=True),
        Field("alt_labels", FieldType.TEXT_LIST, "other labels analysts use", SKOS.altLabel),
        Field("broader", FieldType.TOPIC_LIST, "broader topics, by id or label", SKOS.broader,
              refs=(Kind.TOPIC,)),
        Field("description", FieldType.TEXT, "what the topic covers", SKOS.definition),
        _SOURCES,
    ),
    Kind.DOCUMENT: (
        Field("title", FieldType.TEXT, "title of the document", RDFS.label, required=True),
        Field("type", FieldType.CHOICE, "kind of document (default: document)", None,
              choices=tuple(DOCUMENT_TYPES)),
        Field("date", FieldType.DATE, "when it was adopted or signed, as EDTF", ATF.date),
        Field("location", FieldType.LOCATION, "where it was adopted or signed", ATF.place),
        Field("adopted_by", FieldType.ACTOR_LIST, "organisations or countries that adopted it", ATF.adoptedBy),
        Field("signatories", FieldType.COUNTRY_LIST, "countries that signed it", ATF.signatory),
        _TOPICS,
        Field("concerns", FieldType.REFERENCE_LIST, "events it is about", ATF.concerns, refs=_EVENT),
        _SOURCES,
        _DESCRIPTION,
        _CLAIMS,
    ),
    Kind.SOURCE: (
        Field("title", FieldType.TEXT, "title of the page or publication", RDFS.label, required=True),
        Field("url", FieldType.URL, "where it can be found", ATF.url),
        Field("publisher", FieldType.TEXT, "who published it", DCTERMS.publisher),
        Field("accessed", FieldType.DATE, "when it was read, as EDTF", ATF.accessed),
        Field("reliability", FieldType.CHOICE, "Admiralty source reliability, A (reliable) to F (cannot judge)",
              ATF.reliability, choices=RELIABILITY_GRADES),
        Field("credibility", FieldType.INTEGER, "Admiralty information credibility, 1 (confirmed) to 6",
              ATF.credibility),
        _DESCRIPTION,
    ),
    Kind.COUNTRY: (
        Field("alt_names", FieldType.TEXT_LIST, "other names of the country", SKOS.altLabel),
        _SAME_AS,
        _SOURCES,
        _DESCRIPTION,
    ),
}

LOCATION_PARTS = ("city", "country", "venue")
MEMBER_PARTS = ("country", "from", "to", "sources", "description")
FIGURE_PARTS = ("label", "value", "sources", "description")
CLAIM_PARTS = ("field", "value", "sources", "description")
COMMON_KEYS = ("kind", "id")

CREDIBILITY_RANGE = range(1, 7)


@functools.cache
def field_map(kind: Kind) -> dict[str, Field]:
    """The fields of a kind by name (one dict per kind: callers only read it)."""
    return {field.name: field for field in FIELDS[kind]}


__all__ = [
    "CLAIM_PARTS",
    "COMMON_KEYS",
    "CREDIBILITY_RANGE",
    "DOCUMENT_TYPES",
    "EVENT_TYPES",
    "FIELDS",
    "FIGURE_PARTS",
    "KIND_CLASSES",
    "LOCATION_PARTS",
    "MEMBER_PARTS",
    "ORGANISATION_TYPES",
    "RELIABILITY_GRADES",
    "TYPE_CLASSES",
    "Field",
    "FieldType",
    "Kind",
    "field_map",
]
