"""Mapping checked entities to RDF: the one place that knows which ontology term a record field becomes.

Every node an entity owns (its dates, memberships, coordination, figures, claims) is a hash IRI of the
entity rather than a blank node, so outputs are byte-identical from run to run and SHACL results on those
nodes can be traced back to the record line that made them.
"""

from __future__ import annotations

import unicodedata
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from atfgraph.countries import Country, all_names, country_by_code
from atfgraph.dates import AnalystDate
from atfgraph.errors import Location
from atfgraph.fields import FIELDS, KIND_CLASSES, TYPE_CLASSES, Field, FieldType, Kind
from atfgraph.namespaces import ATF, ORG, RDF, RDFS, SKOS, TOPIC_SCHEME, XSD
from atfgraph.normalise import Claim, Entity, Figure, Member, Place, Ref, TopicRef

Triple = tuple[Node, Node, Node]

_DIRECT_TYPES = frozenset({FieldType.TEXT, FieldType.TEXT_LIST, FieldType.INTEGER, FieldType.CHOICE})


@dataclass(frozen=True)
class Mapped:
    """A triple and the input location that made it."""

    triple: Triple
    location: Location


class Mapper:
    """Turns entities into triples under one base IRI."""

    def __init__(self, base: str) -> None:
        self.base = base
        # Cities named by records, in order of mention. They are described once, by their first mention,
        # in a reference graph rather than in the graph of the file that names them: "Chișinău" and
        # "Chisinau" share one IRI (two labels would break its one-label shape), and a file's own graph
        # must not depend on which other files name the same city (incremental builds reuse it as it is).
        self.cities: list[tuple[URIRef, str, Country]] = []

    # --- IRIs

    def iri(self, kind: Kind, record_id: str) -> URIRef:
        """The IRI of a record: ``{base}{kind}/{id}``."""
        return URIRef(f"{self.base}{kind.value}/{record_id}")

    def country_iri(self, country: Country) -> URIRef:
        """A country's IRI, keyed by its ISO 3166-1 alpha-2 code (alpha-4 for a historic one whose code was reused)."""
        return URIRef(f"{self.base}country/{country.key}")

    def city_iri(self, city: str, country: Country) -> URIRef:
        """A city's IRI: its country's code and its name made into a slug."""
        return URIRef(f"{self.base}city/{country.key.lower()}-{slug(city)}")

    def entity_iri(self, entity: Entity) -> URIRef:
        """The IRI of a checked entity (a country record's is the country's own)."""
        if entity.kind is Kind.COUNTRY:
            return URIRef(f"{self.base}country/{entity.id}")
        return self.iri(entity.kind, entity.id)

    def graph_iri(self, path: str) -> URIRef:
        """The named graph holding an input file's triples."""
        return URIRef(f"{self.base}graph/{urllib.parse.quote(path, safe='/')}")

    # --- entities

    def entity(self, entity: Entity) -> Iterator[Mapped]:
        """Every triple one entity makes, each with the line of the field it came from."""
        record = entity.record
        subject = self.entity_iri(entity)
        here = record.location
        yield Mapped((subject, RDF.type, KIND_CLASSES[entity.kind]), here)
        type_class = TYPE_CLASSES.get(entity.kind, {}).get(entity.type)
        if type_class is not None and type_class != KIND_CLASSES[entity.kind]:
            yield Mapped((subject, RDF.type, type_class), record.at("type"))
        if entity.kind is Kind.TOPIC:
            yield from self._topic(subject, entity)
        for spec in FIELDS[entity.kind]:
            value = entity.values.get(spec.name)
            if value is None or spec.predicate is None:
                continue
            at = record.at(spec.name)
            for triple in self._field(subject, spec, value, at.line):
                yield Mapped(triple, at)

    def _topic(self, subject: URIRef, entity: Entity) -> Iterator[Mapped]:
        here = entity.record.location
        yield Mapped((subject, RDF.type, SKOS.Concept), here)
        yield Mapped((subject, SKOS.inScheme, TOPIC_SCHEME), here)
        label = entity.values.get("label")
        if isinstance(label, str):
            yield Mapped((subject, RDFS.label, Literal(label)), entity.record.at("label"))
        for broader in entity.values.get("broader", ()):
            yield Mapped((broader.iri, SKOS.narrower, subject), entity.record.at("broader"))

    def _field(self, subject: URIRef, spec: Field, value: Any, line: int) -> Iterator[Triple]:
        predicate = spec.predicate
        assert predicate is not None
        kind = spec.type
        values = value if isinstance(value, tuple) else (value,)
        if kind in _DIRECT_TYPES:
            for item in values:
                yield subject, predicate, Literal(item)
        elif kind is FieldType.DATE:
            node = URIRef(f"{subject}#{spec.name}")
            yield subject, predicate, node
            yield from self.date(node, value)
        elif kind in (FieldType.URL, FieldType.URL_LIST):
            for item in values:
                if spec.name == "url":
                    yield subject, predicate, Literal(item, datatype=XSD.anyURI)
                else:
                    yield subject, predicate, URIRef(item)
        elif kind is FieldType.LOCATION:
            yield from self._place(subject, predicate, value, whole=spec.name != "seat")
        elif kind is FieldType.MEMBERS:
            for index, member in enumerate(values):
                yield from self._member(subject, member, index, values)
        elif kind is FieldType.FIGURES:
            for index, figure in enumerate(values, start=1):
                yield from self._figure(subject, figure, index)
        elif kind is FieldType.CLAIMS:
            for index, claim in enumerate(values, start=1):
                yield from self._claim(subject, claim, index)
        elif spec.name in ("coordinator", "coordinating_country"):
            node = URIRef(f"{subject}#coordination")
            yield subject, ATF.coordination, node
            yield node, RDF.type, ATF.Coordination
            yield node, ATF.coordinatedOrganisation, subject
            yield node, predicate, self.term(value)
        else:
            for item in values:
                yield subject, predicate, self.term(item)

    # --- values

    def term(self, value: Ref | Country | TopicRef) -> URIRef:
        """The IRI a resolved reference points to."""
        if isinstance(value, Ref):
            return self.iri(value.kind, value.id)
        if isinstance(value, TopicRef):
            return value.iri
        return self.country_iri(value)

    def date(self, node: URIRef, date: AnalystDate) -> Iterator[Triple]:
        """A date node: the text as written, the value at its precision, bounds, and qualifiers."""
        yield node, RDF.type, ATF.DateSpec
        yield node, ATF.dateText, Literal(date.text)
        yield node, ATF.precision, Literal(date.precision.value)
        if date.value is not None:
            yield node, ATF.dateValue, date.value
        if date.start is not None and date.start.value is not None:
            yield node, ATF.startValue, date.start.value
        if date.end is not None and date.end.value is not None:
            yield node, ATF.endValue, date.end.value
        earliest, latest = date.literal_bounds()
        if earliest is not None:
            yield node, ATF.earliest, earliest
        if latest is not None:
            yield node, ATF.latest, latest
        if date.approximate:
            yield node, ATF.approximate, Literal(True)
        if date.uncertain:
            yield node, ATF.uncertain, Literal(True)

    def _place(self, subject: URIRef, predicate: URIRef, place: Place, whole: bool) -> Iterator[Triple]:
        if place.city and place.country:
            city = self.city_iri(place.city, place.country)
            yield subject, predicate, city
            yield from self._city(city, place.city, place.country)
        elif place.country:
            yield subject, predicate, self.country_iri(place.country)
        if whole and place.country:
            yield subject, ATF.country, self.country_iri(place.country)
        if place.venue:
            yield subject, ATF.venue, Literal(place.venue)

    def _city(self, city: URIRef, name: str, country: Country) -> Iterator[Triple]:
        self.cities.append((city, name, country))
        return iter(())

    def city(self, city: URIRef, name: str, country: Country) -> Iterator[Triple]:
        """What a city's first mention says of it, for the reference graph of places."""
        yield city, RDF.type, ATF.City
        yield city, RDFS.label, Literal(name)
        yield city, ATF.country, self.country_iri(country)

    def _member(self, subject: URIRef, member: Member, index: int, members: tuple[Member, ...]) -> Iterator[Triple]:
        code = member.country.key
        repeat = sum(1 for other in members[:index] if other.country.key == code)
        node = URIRef(f"{subject}#member-{code}" + (f"-{repeat + 1}" if repeat else ""))
        yield subject, ATF.membership, node
        yield node, RDF.type, ATF.Membership
        yield node, ORG.organization, subject
        yield node, ORG.member, self.country_iri(member.country)
        for name, date, predicate in (("from", member.start, ATF.memberFrom), ("to", member.end, ATF.memberTo)):
            if date is not None:
                date_node = URIRef(f"{node}-{name}")
                yield node, predicate, date_node
                yield from self.date(date_node, date)
        for source in member.sources:
            yield node, ATF.source, self.term(source)
        if member.description:
            yield node, ATF.description, Literal(member.description)

    def _figure(self, subject: URIRef, figure: Figure, index: int) -> Iterator[Triple]:
        node = URIRef(f"{subject}#figure-{index}")
        yield subject, ATF.recordedFigure, node
        yield node, RDF.type, ATF.RecordedFigure
        yield node, RDFS.label, Literal(figure.label)
        yield node, ATF.value, Literal(figure.value)
        for source in figure.sources:
            yield node, ATF.source, self.term(source)
        if figure.description:
            yield node, ATF.description, Literal(figure.description)

    def _claim(self, subject: URIRef, claim: Claim, index: int) -> Iterator[Triple]:
        node = URIRef(f"{subject}#claim-{index}")
        assert claim.field.predicate is not None
        yield subject, ATF.claim, node
        yield node, RDF.type, ATF.Claim
        yield node, ATF.claimAbout, subject
        yield node, ATF.claimField, Literal(claim.field.name)
        yield node, ATF.claimProperty, claim.field.predicate
        values = claim.value if isinstance(claim.value, tuple) else (claim.value,)
        for item in values:
            if isinstance(item, AnalystDate):
                value_node = URIRef(f"{node}-value")
                yield node, ATF.claimValue, value_node
                yield from self.date(value_node, item)
            elif isinstance(item, (Ref, Country, TopicRef)):
                yield node, ATF.claimValue, self.term(item)
            elif isinstance(item, Place):
                if item.city and item.country:
                    city = self.city_iri(item.city, item.country)
                    yield node, ATF.claimValue, city
                    yield from self._city(city, item.city, item.country)
                elif item.country:
                    yield node, ATF.claimValue, self.country_iri(item.country)
            else:
                yield node, ATF.claimValue, Literal(item)
        for source in claim.sources:
            yield node, ATF.source, self.term(source)
        if claim.description:
            yield node, ATF.description, Literal(claim.description)

    # --- reference data

    def country(self, country: Country) -> Iterator[Triple]:
        """What ISO 3166 says of a country, for the reference graph."""
        subject = self.country_iri(country)
        yield subject, RDF.type, ATF.Country
        # The common name where ISO has one ("Moldova", not "Moldova, Republic of"): it is what analysts read.
        label = country.common_name or country.name
        yield subject, RDFS.label, Literal(label)
        yield subject, ATF.alpha2, Literal(country.alpha2)
        yield subject, ATF.alpha3, Literal(country.alpha3)
        if country.numeric:  # a few historic countries never had one
            yield subject, ATF.numericCode, Literal(country.numeric)
        for name in all_names(country):
            if name != label:
                yield subject, SKOS.altLabel, Literal(name)
        if country.withdrawn is not None:
            yield subject, ATF.withdrawn, Literal(country.withdrawn)


def slug(text: str) -> str:
    """A readable ASCII slug of a name ("Chișinău" → "chisinau"), for city IRIs."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").casefold()
    parts = "".join(char if char.isalnum() else " " for char in folded).split()
    return "-".join(parts) or urllib.parse.quote(text.strip(), safe="")


def countries_in(entity: Entity) -> Iterator[Country]:
    """Every country an entity refers to, so the reference graph can describe each once."""
    if entity.kind is Kind.COUNTRY:
        yield country_by_code(entity.id)  # its own ISO data, even when nothing else refers to it
        return
    for value in entity.values.values():
        yield from _countries(value)


def _countries(value: Any) -> Iterator[Country]:
    if isinstance(value, Country):
        yield value
    elif isinstance(value, tuple):
        for item in value:
            yield from _countries(item)
    elif isinstance(value, Member):
        yield value.country
    elif isinstance(value, Place):
        if value.country is not None:
            yield value.country
    elif isinstance(value, Claim):
        yield from _countries(value.value)


__all__ = ["Mapped", "Mapper", "countries_in", "slug"]
