"""Mapping checked entities to RDF: the one place that knows which ontology term a record field becomes.

Every node an entity owns (its dates, memberships, coordination, figures, claims) is a hash IRI of the
entity rather than a blank node, so outputs are byte-identical from run to run and SHACL results on those
nodes can be traced back to the record line that made them.

Triples are made as N-Triples term text (:mod:`atfgraph.ntext`), not rdflib terms: the text is what every
store loads fastest and what the cache keeps, and making it is several times cheaper.
"""

from __future__ import annotations

import unicodedata
import urllib.parse
from collections.abc import Iterator
from typing import Any, ClassVar

from rdflib import URIRef

from atfgraph.countries import Country, all_names, country_by_code
from atfgraph.dates import AnalystDate
from atfgraph.fields import FIELDS, KIND_CLASSES, TYPE_CLASSES, Field, FieldType, Kind
from atfgraph.namespaces import ATF, ORG, RDF, RDFS, SKOS, TOPIC_SCHEME, XSD
from atfgraph.normalise import Claim, Entity, Figure, Member, Place, Ref, TopicRef
from atfgraph.ntext import iri, literal, string, term

Triple = tuple[str, str, str]
"""Subject, predicate and object as N-Triples term text."""

Mapped = tuple[str, str, str, str]
"""A triple and the name of the record field that made it ("" for the record itself): the loader looks up
the field's line only for the first triple of each subject, which is all it keeps."""

_DIRECT_TYPES = frozenset({FieldType.TEXT, FieldType.TEXT_LIST, FieldType.INTEGER, FieldType.CHOICE})
_REFERENCE_TYPES = frozenset({FieldType.REFERENCE, FieldType.REFERENCE_LIST, FieldType.COUNTRY, FieldType.COUNTRY_LIST,
                              FieldType.ACTOR_LIST, FieldType.TOPIC_LIST})
_COORDINATION = frozenset({"coordinator", "coordinating_country"})  # references written on a coordination node
_TRUE = literal(True)


class _Terms:
    """The ontology terms the mapping writes, as text once."""

    type = iri(RDF.type)
    label = iri(RDFS.label)
    concept = iri(SKOS.Concept)
    in_scheme = iri(SKOS.inScheme)
    narrower = iri(SKOS.narrower)
    alt_label = iri(SKOS.altLabel)
    scheme = iri(TOPIC_SCHEME)
    any_uri = XSD.anyURI
    coordination, coordination_class = iri(ATF.coordination), iri(ATF.Coordination)
    coordinated = iri(ATF.coordinatedOrganisation)
    date_spec, date_text, precision = iri(ATF.DateSpec), iri(ATF.dateText), iri(ATF.precision)
    date_value, start_value, end_value = iri(ATF.dateValue), iri(ATF.startValue), iri(ATF.endValue)
    earliest, latest = iri(ATF.earliest), iri(ATF.latest)
    approximate, uncertain = iri(ATF.approximate), iri(ATF.uncertain)
    country, venue, city = iri(ATF.country), iri(ATF.venue), iri(ATF.City)
    membership, membership_class = iri(ATF.membership), iri(ATF.Membership)
    organization, member = iri(ORG.organization), iri(ORG.member)
    member_from, member_to = iri(ATF.memberFrom), iri(ATF.memberTo)
    source, description = iri(ATF.source), iri(ATF.description)
    figure, figure_class, value = iri(ATF.recordedFigure), iri(ATF.RecordedFigure), iri(ATF.value)
    claim, claim_class, claim_about = iri(ATF.claim), iri(ATF.Claim), iri(ATF.claimAbout)
    claim_field, claim_property, claim_value = iri(ATF.claimField), iri(ATF.claimProperty), iri(ATF.claimValue)
    country_class = iri(ATF.Country)
    alpha2, alpha3, numeric, withdrawn = iri(ATF.alpha2), iri(ATF.alpha3), iri(ATF.numericCode), iri(ATF.withdrawn)
    kinds: ClassVar[dict[Kind, str]] = {kind: iri(value) for kind, value in KIND_CLASSES.items()}
    types: ClassVar[dict[Kind, dict[str, str]]] = {
        kind: {name: iri(value) for name, value in classes.items()} for kind, classes in TYPE_CLASSES.items()
    }


T = _Terms


class Mapper:
    """Turns entities into triples under one base IRI."""

    def __init__(self, base: str) -> None:
        self.base = base
        # Cities named by records, in order of mention. They are described once, by their first mention,
        # in a reference graph rather than in the graph of the file that names them: "Chișinău" and
        # "Chisinau" share one IRI (two labels would break its one-label shape), and a file's own graph
        # must not depend on which other files name the same city (incremental builds reuse it as it is).
        self.cities: list[tuple[str, str, Country]] = []
        # What each date says of itself, the same wherever it is used: made once per distinct date.
        self._dates: dict[AnalystDate, tuple[tuple[str, str], ...]] = {}
        self._countries: dict[str, str] = {}

    # --- IRIs: each scheme written once, as text; the public methods give the same IRIs as rdflib terms

    def _record_text(self, kind: Kind, record_id: str) -> str:
        return f"{self.base}{kind.value}/{record_id}"

    def _country_text(self, key: str) -> str:
        return f"{self.base}country/{key}"

    def iri(self, kind: Kind, record_id: str) -> URIRef:
        """The IRI of a record: ``{base}{kind}/{id}``."""
        return URIRef(self._record_text(kind, record_id))

    def country_iri(self, country: Country) -> URIRef:
        """A country's IRI, keyed by its ISO 3166-1 alpha-2 code (alpha-4 for a historic one whose code was reused)."""
        return URIRef(self._country_text(country.key))

    def city_iri(self, city: str, country: Country) -> URIRef:
        """A city's IRI: its country's code and its name made into a slug."""
        return URIRef(f"{self.base}city/{country.key.lower()}-{slug(city)}")

    def entity_iri(self, entity: Entity) -> URIRef:
        """The IRI of a checked entity (a country record's is the country's own)."""
        if entity.kind is Kind.COUNTRY:
            return URIRef(self._country_text(entity.id))
        return self.iri(entity.kind, entity.id)

    def graph_iri(self, path: str) -> URIRef:
        """The named graph holding an input file's triples."""
        return URIRef(f"{self.base}graph/{urllib.parse.quote(path, safe='/')}")

    def _country(self, country: Country) -> str:
        found = self._countries.get(country.key)
        if found is None:
            found = self._countries[country.key] = iri(self._country_text(country.key))
        return found

    def _record(self, kind: Kind, record_id: str) -> str:
        return iri(self._record_text(kind, record_id))

    # --- entities

    def entity(self, entity: Entity) -> list[Mapped]:
        """Every triple one entity makes, each with the name of the field it came from.

        A list made here, with the commonest fields (texts, numbers, choices, references, dates) written
        in this loop: a generator per field and per date cost a tenth of mapping."""
        subject = iri(self.entity_iri(entity))
        out: list[Mapped] = [(subject, T.type, T.kinds[entity.kind], "")]
        append = out.append
        type_class = T.types.get(entity.kind, {}).get(entity.type) if entity.type is not None else None
        if type_class is not None and type_class != T.kinds[entity.kind]:
            append((subject, T.type, type_class, "type"))
        if entity.kind is Kind.TOPIC:
            out.extend(self._topic(subject, entity))
        values = entity.values
        for spec in FIELDS[entity.kind]:
            value = values.get(spec.name)
            if value is None or spec.predicate is None:
                continue
            name = spec.name
            kind = spec.type
            if kind in _DIRECT_TYPES:
                predicate = _predicate(spec)
                for item in value if isinstance(value, tuple) else (value,):
                    append((subject, predicate, literal(item), name))
            elif kind in _REFERENCE_TYPES and name not in _COORDINATION:
                predicate = _predicate(spec)
                for item in value if isinstance(value, tuple) else (value,):
                    append((subject, predicate, self.term(item), name))
            elif kind is FieldType.DATE:
                node = f"{subject[:-1]}#{name}>"
                append((subject, _predicate(spec), node, name))
                for predicate, obj in self._date(value):
                    append((node, predicate, obj, name))
            else:
                for s, p, o in self._field(subject, spec, value):
                    append((s, p, o, name))
        return out

    def _topic(self, subject: str, entity: Entity) -> Iterator[Mapped]:
        yield subject, T.type, T.concept, ""
        yield subject, T.in_scheme, T.scheme, ""
        label = entity.values.get("label")
        if isinstance(label, str):
            yield subject, T.label, string(label), "label"
        for broader in entity.values.get("broader", ()):
            yield iri(broader.iri), T.narrower, subject, "broader"

    def _field(self, subject: str, spec: Field, value: Any) -> Iterator[Triple]:
        """The triples of the fields :meth:`entity` does not write itself."""
        predicate = _predicate(spec)
        kind = spec.type
        values = value if isinstance(value, tuple) else (value,)
        if kind in (FieldType.URL, FieldType.URL_LIST):
            for item in values:
                if spec.name == "url":
                    yield subject, predicate, f"{string(item)}^^<{T.any_uri}>"
                else:
                    yield subject, predicate, iri(item)
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
        elif spec.name in _COORDINATION:
            node = f"{subject[:-1]}#coordination>"
            yield subject, T.coordination, node
            yield node, T.type, T.coordination_class
            yield node, T.coordinated, subject
            yield node, predicate, self.term(value)
        else:  # pragma: no cover - every field type is written by entity or above
            raise AssertionError(f"no mapping for {kind}")

    # --- values

    def term(self, value: Ref | Country | TopicRef) -> str:
        """The IRI a resolved reference points to, as term text."""
        if isinstance(value, Ref):
            return self._record(value.kind, value.id)
        if isinstance(value, TopicRef):
            return iri(value.iri)
        return self._country(value)

    def date(self, node: str, date: AnalystDate) -> Iterator[Triple]:
        """A date node: the text as written, the value at its precision, bounds, and qualifiers."""
        for predicate, obj in self._date(date):
            yield node, predicate, obj

    def _date(self, date: AnalystDate) -> tuple[tuple[str, str], ...]:
        """What a date says of itself, made once per distinct date."""
        statements = self._dates.get(date)
        if statements is None:
            statements = self._dates[date] = tuple(_date_statements(date))
        return statements

    def _place(self, subject: str, predicate: str, place: Place, whole: bool) -> Iterator[Triple]:
        if place.city and place.country:
            city = self._city(place.city, place.country)
            yield subject, predicate, city
        elif place.country:
            yield subject, predicate, self._country(place.country)
        if whole and place.country:
            yield subject, T.country, self._country(place.country)
        if place.venue:
            yield subject, T.venue, string(place.venue)

    def _city(self, name: str, country: Country) -> str:
        city = iri(self.city_iri(name, country))
        self.cities.append((city, name, country))
        return city

    def city(self, city: str, name: str, country: Country) -> Iterator[Triple]:
        """What a city's first mention says of it, for the reference graph of places."""
        yield city, T.type, T.city
        yield city, T.label, string(name)
        yield city, T.country, self._country(country)

    def _member(self, subject: str, member: Member, index: int, members: tuple[Member, ...]) -> Iterator[Triple]:
        code = member.country.key
        repeat = sum(1 for other in members[:index] if other.country.key == code)
        node = f"{subject[:-1]}#member-{code}" + (f"-{repeat + 1}" if repeat else "") + ">"
        yield subject, T.membership, node
        yield node, T.type, T.membership_class
        yield node, T.organization, subject
        yield node, T.member, self._country(member.country)
        for name, date, predicate in (("from", member.start, T.member_from), ("to", member.end, T.member_to)):
            if date is not None:
                date_node = f"{node[:-1]}-{name}>"
                yield node, predicate, date_node
                yield from self.date(date_node, date)
        for source in member.sources:
            yield node, T.source, self.term(source)
        if member.description:
            yield node, T.description, string(member.description)

    def _figure(self, subject: str, figure: Figure, index: int) -> Iterator[Triple]:
        node = f"{subject[:-1]}#figure-{index}>"
        yield subject, T.figure, node
        yield node, T.type, T.figure_class
        yield node, T.label, string(figure.label)
        yield node, T.value, literal(figure.value)
        for source in figure.sources:
            yield node, T.source, self.term(source)
        if figure.description:
            yield node, T.description, string(figure.description)

    def _claim(self, subject: str, claim: Claim, index: int) -> Iterator[Triple]:
        node = f"{subject[:-1]}#claim-{index}>"
        yield subject, T.claim, node
        yield node, T.type, T.claim_class
        yield node, T.claim_about, subject
        yield node, T.claim_field, string(claim.field.name)
        yield node, T.claim_property, _predicate(claim.field)
        values = claim.value if isinstance(claim.value, tuple) else (claim.value,)
        for item in values:
            if isinstance(item, AnalystDate):
                value_node = f"{node[:-1]}-value>"
                yield node, T.claim_value, value_node
                yield from self.date(value_node, item)
            elif isinstance(item, (Ref, Country, TopicRef)):
                yield node, T.claim_value, self.term(item)
            elif isinstance(item, Place):
                if item.city and item.country:
                    yield node, T.claim_value, self._city(item.city, item.country)
                elif item.country:
                    yield node, T.claim_value, self._country(item.country)
            else:
                yield node, T.claim_value, literal(item)
        for source in claim.sources:
            yield node, T.source, self.term(source)
        if claim.description:
            yield node, T.description, string(claim.description)

    # --- reference data

    def country(self, country: Country) -> Iterator[Triple]:
        """What ISO 3166 says of a country, for the reference graph."""
        subject = self._country(country)
        yield subject, T.type, T.country_class
        # The common name where ISO has one ("Moldova", not "Moldova, Republic of"): it is what analysts read.
        label = country.common_name or country.name
        yield subject, T.label, string(label)
        yield subject, T.alpha2, string(country.alpha2)
        yield subject, T.alpha3, string(country.alpha3)
        if country.numeric:  # a few historic countries never had one
            yield subject, T.numeric, string(country.numeric)
        for name in all_names(country):
            if name != label:
                yield subject, T.alt_label, string(name)
        if country.withdrawn is not None:
            yield subject, T.withdrawn, literal(country.withdrawn)


_PREDICATES: dict[str, str] = {}


def _predicate(spec: Field) -> str:
    """A field's predicate as term text (made once per predicate)."""
    assert spec.predicate is not None
    found = _PREDICATES.get(spec.predicate)
    if found is None:
        found = _PREDICATES[spec.predicate] = iri(spec.predicate)
    return found


def _date_statements(date: AnalystDate) -> Iterator[tuple[str, str]]:
    yield T.type, T.date_spec
    yield T.date_text, string(date.text)
    yield T.precision, string(date.precision.value)
    if date.value is not None:
        yield T.date_value, term(date.value)
    if date.start is not None and date.start.value is not None:
        yield T.start_value, term(date.start.value)
    if date.end is not None and date.end.value is not None:
        yield T.end_value, term(date.end.value)
    if date.earliest is not None:
        yield T.earliest, literal(date.earliest)
    if date.latest is not None:
        yield T.latest, literal(date.latest)
    if date.approximate:
        yield T.approximate, _TRUE
    if date.uncertain:
        yield T.uncertain, _TRUE


def slug(text: str) -> str:
    """A readable ASCII slug of a name ("Chișinău" → "chisinau"), for city IRIs."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").casefold()
    parts = "".join(char if char.isalnum() else " " for char in folded).split()
    return "-".join(parts) or urllib.parse.quote(text.strip(), safe="")


def countries_in(entity: Entity) -> tuple[Country, ...]:
    """Every country an entity refers to, so the reference graph can describe each once."""
    if entity.kind is Kind.COUNTRY:
        return (country_by_code(entity.id),)  # its own ISO data, even when nothing else refers to it
    found: list[Country] = []
    for value in entity.values.values():
        # Texts and lists of references or topics, most values, are passed over without a call.
        if isinstance(value, str):
            continue
        if isinstance(value, tuple):
            for item in value:
                if isinstance(item, Country):
                    found.append(item)
                elif not isinstance(item, (str, Ref, TopicRef)):
                    found.extend(_countries(item))
        else:
            found.extend(_countries(value))
    return tuple(found)


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
