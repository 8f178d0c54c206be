"""Checking records against the field table and resolving their values.

Dates become :class:`AnalystDate`, countries :class:`Country` (ISO 3166), topic labels topic IRIs, and
record ids references of a known kind. Every problem is collected with its location; a record with problems
is still normalised as far as possible so that later records can be checked against it.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from rdflib import URIRef

from atfgraph.countries import Country, UnknownCountry, resolve_country
from atfgraph.dates import AnalystDate, DateError, ordered, parse_date
from atfgraph.errors import Location, Problem
from atfgraph.fields import (
    CLAIM_PARTS,
    CREDIBILITY_RANGE,
    FIELDS,
    FIGURE_PARTS,
    LOCATION_PARTS,
    MEMBER_PARTS,
    TYPE_CLASSES,
    Field,
    FieldType,
    Kind,
    field_map,
)
from atfgraph.records import Record

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_KINDS = {kind.value: kind for kind in Kind}
_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]+$")


@dataclass(frozen=True)
class Ref:
    """A resolved reference to another record."""

    kind: Kind
    id: str


@dataclass(frozen=True)
class TopicRef:
    """A resolved topic: from the shipped scheme or from a topic record."""

    iri: URIRef


@dataclass(frozen=True)
class Place:
    """Where something happened or is based."""

    city: str | None
    country: Country | None
    venue: str | None


@dataclass(frozen=True)
class Member:
    """A country's membership of an organisation, with its dates and sources."""

    country: Country
    start: AnalystDate | None
    end: AnalystDate | None
    sources: tuple[Ref, ...]
    description: str | None
    line: int


@dataclass(frozen=True)
class Figure:
    """A figure a source states about an organisation (``7 meetings at international level``)."""

    label: str
    value: int
    sources: tuple[Ref, ...]
    description: str | None
    line: int


@dataclass(frozen=True)
class Claim:
    """A value of a field that a source gives differently from the record's own value."""

    field: Field
    value: Any
    sources: tuple[Ref, ...]
    description: str | None
    line: int


Actor = Ref | Country


@dataclass(frozen=True)
class Entity:
    """A checked record: its kind, id, type (from the ``type`` field) and resolved values by field name."""

    kind: Kind
    id: str
    type: str
    values: Mapping[str, Any]
    record: Record


@dataclass
class Catalogue:
    """What references are resolved against: every record id, and every topic label."""

    ids: dict[str, tuple[Kind, Location]] = field(default_factory=dict)
    topics: dict[str, URIRef] = field(default_factory=dict)
    country_records: dict[str, Location] = field(default_factory=dict)


def topic_key(text: str) -> str:
    """The form under which topic ids and labels are matched: case-, space- and dash-insensitive."""
    return re.sub(r"[\s_-]+", " ", text.strip().casefold())


def catalogue_records(
    records: Iterable[Record], topic_labels: Mapping[str, URIRef], topic_base: str
) -> tuple[Catalogue, list[Problem]]:
    """First pass: index ids (finding duplicates, bad kinds and bad ids) and topic labels."""
    catalogue = Catalogue(topics=dict(topic_labels))
    problems: list[Problem] = []
    kinds = {kind.value: kind for kind in Kind}
    for record in records:
        kind = kinds.get(record.kind)
        if kind is None:
            hint = _did_you_mean(record.kind, kinds)
            problems.append(_problem(record, "kind", f"unknown kind '{record.kind}'{hint}"))
            continue
        if kind is Kind.COUNTRY:
            continue  # a country record is keyed by the country it adds to, checked when normalised
        if not SLUG.match(record.id):
            problems.append(_problem(record, "id", f"'{record.id}' is not a lowercase slug (letters, digits, dashes)"))
            continue
        previous = catalogue.ids.get(record.id)
        if previous is not None:
            problems.append(_problem(record, "id", f"duplicate id '{record.id}', first used at {previous[1]}"))
            continue
        catalogue.ids[record.id] = (kind, record.location)
        if kind is Kind.TOPIC:
            iri = URIRef(f"{topic_base}{record.id}")
            catalogue.topics.setdefault(topic_key(record.id), iri)
            for label in _texts(record.fields.get("label")) + _texts(record.fields.get("alt_labels")):
                catalogue.topics.setdefault(topic_key(label), iri)
    return catalogue, problems


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []


_REMEMBERED = frozenset({
    FieldType.REFERENCE, FieldType.REFERENCE_LIST, FieldType.COUNTRY, FieldType.COUNTRY_LIST, FieldType.ACTOR_LIST,
    FieldType.TOPIC_LIST, FieldType.DATE, FieldType.CHOICE, FieldType.URL, FieldType.URL_LIST,
})
"""Field types whose resolved value depends only on the raw value and the catalogue (see
:meth:`Normaliser._resolved`)."""


class Normaliser:
    """Second pass: check each record's fields and resolve their values."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.problems: list[Problem] = []
        # Every answer the catalogue gave, so an incremental build can tell whether a file's mapping
        # would come out the same against a changed catalogue.
        self.lookups: dict[str, str] = {}
        self._answers: dict[str, str] | None = None
        self._remembered: dict[tuple[int, object], tuple[Any, dict[str, str]]] = {}

    def answers(self) -> dict[str, str]:
        """Every answer the catalogue gives, by lookup key (a key absent is answered ""), made once: an
        incremental build compares thousands of recorded answers with it."""
        if self._answers is None:
            found: dict[str, str] = {}
            for key, (kind, location) in self.catalogue.ids.items():
                found[f"id:{key}"] = kind.value
                found[f"own:{key}"] = str(location)
            for key, iri in self.catalogue.topics.items():
                found[f"topic:{key}"] = str(iri)
            self._answers = found
        return self._answers

    def answer(self, key: str) -> str:
        """What the catalogue answers now to a lookup recorded in ``lookups``."""
        kind, _, value = key.partition(":")
        if kind == "id":
            found = self.catalogue.ids.get(value)
            return found[0].value if found else ""
        if kind == "own":
            found = self.catalogue.ids.get(value)
            return str(found[1]) if found else ""
        return str(self.catalogue.topics.get(value, ""))

    def _id(self, key: str) -> tuple[Kind, Location] | None:
        found = self.catalogue.ids.get(key)
        self.lookups[f"id:{key}"] = found[0].value if found else ""
        return found

    def entity(self, record: Record) -> Entity | None:
        """Check and resolve one record; problems go to ``self.problems``. None if it cannot be mapped."""
        kind = _KINDS.get(record.kind)
        if kind is None:
            return None
        record_id = record.id
        if kind is Kind.COUNTRY:
            country = self._country(record, "id", record.id)
            if country is None:
                return None
            record_id = country.key
        else:
            winner = self.catalogue.ids.get(record.id)
            self.lookups[f"own:{record.id}"] = str(winner[1]) if winner else ""
            if winner is None or winner[1] != record.location:
                return None  # a duplicate or a bad id, already reported
        fields = field_map(kind)
        values: dict[str, Any] = {}
        for name, raw in record.fields.items():
            spec = fields.get(name)
            if spec is None and name != "type":
                self._report(record, name, f"unknown field for a {kind.value}{_did_you_mean(name, fields)}")
                continue
            if raw is None or raw == "" or raw == []:
                continue
            if spec is None or (spec.type is FieldType.CHOICE and name == "type"):
                continue
            resolved = self._resolved(record, spec, name, raw)
            if resolved is not None:
                values[name] = resolved
        for spec in FIELDS[kind]:
            if spec.required and spec.name not in values and spec.name not in record.fields:
                self._report(record, spec.name, "required field is missing")
        entity_type = self._type(record, kind)
        return Entity(kind, record_id, entity_type, values, record)

    # --- the fixed-set fields

    def _type(self, record: Record, kind: Kind) -> str:
        default = kind.value
        raw = record.fields.get("type")
        classes = TYPE_CLASSES.get(kind)
        if raw is None or raw == "":
            return default
        if classes is None:
            self._report(record, "type", f"a {kind.value} has no type")
            return default
        if not isinstance(raw, str) or raw not in classes:
            self._report(record, "type", f"unknown {kind.value} type {raw!r}{_did_you_mean(str(raw), classes)}; "
                         f"one of: {', '.join(classes)}")
            return default
        return raw

    # --- one value by field type

    def _resolved(self, record: Record, spec: Field, name: str, raw: Any) -> Any:
        """A field's value resolved, remembered by field and raw value where resolving depends on nothing
        else (references, countries, topics, dates, choices, URLs against this build's fixed catalogue):
        large record sets repeat their actors, countries, topics and dates, and resolving was half of
        mapping. Only values resolved without a problem are remembered, so every problem is still
        reported at its own record; the catalogue questions a value asked are asked again, as the
        incremental build records them per record."""
        if spec.type not in _REMEMBERED:
            return self._value(record, spec, name, raw)
        try:
            key = (id(spec), raw if isinstance(raw, str) else tuple(raw) if isinstance(raw, list) else None)
            found = self._remembered.get(key) if key[1] is not None else None
        except TypeError:  # a list holding a mapping or a list: not remembered
            return self._value(record, spec, name, raw)
        if found is not None:
            value, asked = found
            if asked:
                self.lookups.update(asked)
            return value
        problems, outer = len(self.problems), self.lookups
        self.lookups = {}
        try:
            value = self._value(record, spec, name, raw)
            asked = self.lookups
        finally:
            outer.update(self.lookups)
            self.lookups = outer
        if key[1] is not None and len(self.problems) == problems and value is not None:
            self._remembered[key] = (value, asked)
        return value

    def _value(self, record: Record, spec: Field, name: str, raw: Any) -> Any:
        kind = spec.type
        if spec.multi and kind not in (FieldType.MEMBERS, FieldType.FIGURES, FieldType.CLAIMS):
            items = raw if isinstance(raw, list) else [raw]
            resolved = [self._single(record, spec, f"{name}[{index}]", item) for index, item in enumerate(items)]
            return tuple(item for item in resolved if item is not None)
        if kind is FieldType.MEMBERS:
            return self._members(record, spec, raw)
        if kind is FieldType.FIGURES:
            return self._figures(record, raw)
        if kind is FieldType.CLAIMS:
            return self._claims(record, raw)
        if isinstance(raw, list):
            self._report(record, name, f"takes one value, not a list ({spec.type.value})")
            return None
        return self._single(record, spec, name, raw)

    def _single(self, record: Record, spec: Field, name: str, raw: Any) -> Any:
        kind = spec.type
        if kind in (FieldType.TEXT, FieldType.TEXT_LIST):
            if isinstance(raw, (dict, list, bool)):
                self._report(record, name, f"expected text, got {_shape(raw)}")
                return None
            return raw if isinstance(raw, str) else str(raw)
        if kind is FieldType.INTEGER:
            return self._integer(record, spec, name, raw)
        if kind is FieldType.DATE:
            return self._date(record, name, raw)
        if kind in (FieldType.URL, FieldType.URL_LIST):
            if not isinstance(raw, str) or not _URL.match(raw.strip()):
                self._report(record, name, f"expected an absolute IRI such as https://…, got {raw!r}")
                return None
            try:  # RFC 3987, by the parser every store uses: "%zz" or "http://[x/" pass the pattern above
                ox.NamedNode(raw.strip())
            except ValueError as error:
                self._report(record, name, f"{raw.strip()!r} is not a valid IRI: {error}")
                return None
            return raw.strip()
        if kind is FieldType.CHOICE:
            if str(raw) not in spec.choices:
                self._report(record, name, f"{raw!r} is not one of {', '.join(spec.choices)}"
                             f"{_did_you_mean(str(raw), spec.choices)}")
                return None
            return str(raw)
        if kind in (FieldType.REFERENCE, FieldType.REFERENCE_LIST):
            return self._reference(record, name, raw, spec.refs)
        if kind in (FieldType.COUNTRY, FieldType.COUNTRY_LIST):
            return self._country(record, name, raw)
        if kind is FieldType.ACTOR_LIST:
            return self._actor(record, name, raw)
        if kind is FieldType.TOPIC_LIST:
            return self._topic(record, name, raw)
        if kind is FieldType.LOCATION:
            return self._place(record, name, raw)
        raise AssertionError(f"no reader for {kind}")  # pragma: no cover - the table and this agree

    def _integer(self, record: Record, spec: Field, name: str, raw: Any) -> int | None:
        if isinstance(raw, bool) or not (isinstance(raw, int) or (isinstance(raw, str) and raw.strip().isdigit())):
            self._report(record, name, f"expected a whole number, got {_shape(raw)}")
            return None
        number = int(raw)
        if spec.name == "credibility" and number not in CREDIBILITY_RANGE:
            self._report(record, name, f"credibility is graded 1 to 6, got {number}")
            return None
        return number

    def _date(self, record: Record, name: str, raw: Any) -> AnalystDate | None:
        if not isinstance(raw, (str, int, datetime.date)) or isinstance(raw, bool):
            self._report(record, name, f"expected an EDTF date, got {_shape(raw)}")
            return None
        try:
            return parse_date(raw)
        except DateError as error:
            self._report(record, name, str(error))
            return None

    def _reference(self, record: Record, name: str, raw: Any, kinds: tuple[Kind, ...]) -> Ref | None:
        if not isinstance(raw, str):
            self._report(record, name, f"expected the id of a {_kinds(kinds)}, got {_shape(raw)}")
            return None
        target = self._id(raw.strip())
        if target is None:
            candidates = [key for key, (kind, _) in self.catalogue.ids.items() if kind in kinds]
            self._report(record, name, f"unknown {_kinds(kinds)} id '{raw}'{_did_you_mean(raw, candidates)}")
            return None
        if target[0] not in kinds:
            self._report(record, name, f"'{raw}' is a {target[0].value}, expected a {_kinds(kinds)}")
            return None
        return Ref(target[0], raw.strip())

    def _country(self, record: Record, name: str, raw: Any) -> Country | None:
        if not isinstance(raw, str):
            self._report(record, name, f"expected a country code or name, got {_shape(raw)}")
            return None
        try:
            return resolve_country(raw)
        except UnknownCountry as error:
            self._report(record, name, str(error))
            return None

    def _actor(self, record: Record, name: str, raw: Any) -> Actor | None:
        """An organisation id, else a country: ids are checked first so a slug like 'europol' stays one."""
        if isinstance(raw, str) and self._id(raw.strip()) is not None:
            return self._reference(record, name, raw, (Kind.ORGANISATION,))
        if not isinstance(raw, str):
            self._report(record, name, f"expected an organisation id or a country, got {_shape(raw)}")
            return None
        try:
            return resolve_country(raw)
        except UnknownCountry as error:
            organisations = [key for key, (kind, _) in self.catalogue.ids.items() if kind is Kind.ORGANISATION]
            hint = _did_you_mean(raw, organisations)
            self._report(record, name, f"'{raw}' is neither an organisation id nor a country"
                         f"{hint or '; ' + str(error)}")
            return None

    def _topic(self, record: Record, name: str, raw: Any) -> TopicRef | None:
        if not isinstance(raw, str):
            self._report(record, name, f"expected a topic id or label, got {_shape(raw)}")
            return None
        key = topic_key(raw)
        iri = self.catalogue.topics.get(key)
        self.lookups[f"topic:{key}"] = str(iri or "")
        if iri is None:
            self._report(record, name, f"unknown topic '{raw}'{_did_you_mean(topic_key(raw), self.catalogue.topics)}")
            return None
        return TopicRef(iri)

    def _place(self, record: Record, name: str, raw: Any) -> Place | None:
        if isinstance(raw, str):
            raw = {"country": raw}
        if not isinstance(raw, dict):
            self._report(record, name, f"expected city, country and venue, got {_shape(raw)}")
            return None
        if not self._known_parts(record, name, raw, LOCATION_PARTS):
            return None
        country = self._country(record, f"{name}.country", raw["country"]) if raw.get("country") else None
        city = raw.get("city")
        if city is not None and country is None:
            self._report(record, f"{name}.city", "a city needs its country (location.country)")
        return Place(_text(city), country, _text(raw.get("venue")))

    def _members(self, record: Record, spec: Field, raw: Any) -> tuple[Member, ...]:
        members: list[Member] = []
        seen: set[tuple[str, str]] = set()
        for index, item in enumerate(raw if isinstance(raw, list) else [raw]):
            name = f"{spec.name}[{index}]"
            line = record.at(name).line
            entry = item if isinstance(item, dict) else {"country": item}
            if not self._known_parts(record, name, entry, MEMBER_PARTS):
                continue
            if "country" not in entry:
                self._report(record, name, "a member needs its country")
                continue
            country = self._country(record, name, entry["country"])
            start = self._date(record, name, entry["from"]) if entry.get("from") is not None else None
            end = self._date(record, name, entry["to"]) if entry.get("to") is not None else None
            if start and end and not ordered(start, end):
                self._report(record, name, f"membership ends ({end.text}) before it starts ({start.text})")
            sources = self._references(record, name, entry.get("sources"), (Kind.SOURCE,))
            if country is None:
                continue
            key = (country.key, start.text if start else "")
            if key in seen:
                self._report(record, name, f"{country.name} is listed twice with the same start")
                continue
            seen.add(key)
            members.append(Member(country, start, end, sources, _text(entry.get("description")), line))
        return tuple(members)

    def _figures(self, record: Record, raw: Any) -> tuple[Figure, ...]:
        figures: list[Figure] = []
        for index, item in enumerate(raw if isinstance(raw, list) else [raw]):
            name = f"figures[{index}]"
            if not isinstance(item, dict) or not self._known_parts(record, name, item, FIGURE_PARTS):
                if not isinstance(item, dict):
                    self._report(record, name, "a figure is a mapping of label, value and sources")
                continue
            label, value = item.get("label"), item.get("value")
            number = self._integer(record, Field("value", FieldType.INTEGER, ""), name, value)
            if not isinstance(label, str) or not label.strip():
                self._report(record, name, "a figure needs a label")
                continue
            if number is None:
                continue
            sources = self._references(record, name, item.get("sources"), (Kind.SOURCE,))
            figures.append(Figure(label, number, sources, _text(item.get("description")), record.at(name).line))
        return tuple(figures)

    def _claims(self, record: Record, raw: Any) -> tuple[Claim, ...]:
        kind = Kind(record.kind)
        fields = field_map(kind)
        claims: list[Claim] = []
        for index, item in enumerate(raw if isinstance(raw, list) else [raw]):
            name = f"claims[{index}]"
            if not isinstance(item, dict):
                self._report(record, name, "a claim is a mapping of field, value, sources and description")
                continue
            if not self._known_parts(record, name, item, CLAIM_PARTS):
                continue
            spec = fields.get(str(item.get("field")))
            if spec is None or spec.predicate is None or spec.type in (FieldType.CLAIMS, FieldType.MEMBERS,
                                                                        FieldType.FIGURES):
                self._report(record, name, f"claims can be made about a plain field of a {kind.value}, not "
                             f"{item.get('field')!r}{_did_you_mean(str(item.get('field')), fields)}")
                continue
            if item.get("value") in (None, ""):
                self._report(record, name, "a claim needs a value")
                continue
            value = self._value(record, spec, name, item["value"])
            sources = self._references(record, name, item.get("sources"), (Kind.SOURCE,))
            if not sources:
                self._report(record, name, "a claim needs the sources that make it")
            if value is not None and value != ():
                claims.append(Claim(spec, value, sources, _text(item.get("description")), record.at(name).line))
        return tuple(claims)

    # --- helpers

    def _references(self, record: Record, name: str, raw: Any, kinds: tuple[Kind, ...]) -> tuple[Ref, ...]:
        if raw is None:
            return ()
        items = raw if isinstance(raw, list) else [raw]
        resolved = (self._reference(record, name, item, kinds) for item in items)
        return tuple(ref for ref in resolved if ref is not None)

    def _known_parts(self, record: Record, name: str, value: dict[str, Any], parts: tuple[str, ...]) -> bool:
        unknown = [key for key in value if key not in parts]
        for key in unknown:
            self._report(record, f"{name}.{key}", f"unknown part{_did_you_mean(str(key), parts)}; "
                         f"expected: {', '.join(parts)}")
        return not unknown

    def _report(self, record: Record, name: str, message: str) -> None:
        self.problems.append(_problem(record, name, message))


def _problem(record: Record, name: str, message: str) -> Problem:
    return Problem(record.at(name), message, kind=record.kind, record_id=record.id, field=name)


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=3, cutoff=0.6)
    if not close:
        return ""
    return "; did you mean " + " or ".join(f"'{choice}'" for choice in close) + "?"


def _kinds(kinds: tuple[Kind, ...]) -> str:
    return " or ".join(kind.value for kind in kinds)


def _shape(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    return repr(value)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


__all__ = [
    "Catalogue",
    "Claim",
    "Entity",
    "Figure",
    "Member",
    "Normaliser",
    "Place",
    "Ref",
    "TopicRef",
    "catalogue_records",
    "topic_key",
]
