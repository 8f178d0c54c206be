"""Saved SPARQL queries: their headers, the catalogue in ``queries/``, and binding their parameters.

A saved query is a ``.rq`` file that starts with a comment header::

    # title: Events by topic
    # description: Events tagged with a topic or any narrower topic,
    #   in chronological order.
    # param: topic (topic) = counter-terrorism — the topic, by id or label

A line indented after ``#`` continues the field above it. A parameter without ``= default`` is required.
Its name is a variable of the query (``?topic``); :func:`bind` turns the text an analyst gives into the RDF
term that variable is bound to when the query runs. The text is never pasted into the query, so a value
full of SPARQL syntax is still one literal, one IRI, or an error.
"""

from __future__ import annotations

import difflib
import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.term import Identifier

from atfgraph.countries import UnknownCountry, resolve_country
from atfgraph.dates import DateError, parse_date
from atfgraph.errors import QueryError
from atfgraph.fields import Kind
from atfgraph.mapping import Mapper
from atfgraph.namespaces import DEFAULT_BASE, PREFIXES, RDF, RDFS, SKOS, entity_prefixes
from atfgraph.normalise import SLUG, topic_key
from atfgraph.resources import queries_dir, topics_graph
from atfgraph.store import Store


class ParamType(enum.Enum):
    """What a parameter's text means, and so which RDF term it becomes."""

    IRI = "iri"  # an IRI, <IRI> or prefixed name
    ENTITY = "entity"  # a record id → {base}{kind}/{id}
    COUNTRY = "country"  # an ISO code or a name → the country's IRI, {base}country/{code}
    TOPIC = "topic"  # a topic id, label or alternative label → the topic's IRI
    DATE = "date"  # EDTF or ISO → xsd:date (its earliest day, or its latest with date:latest)
    INTEGER = "integer"  # → xsd:integer
    STRING = "string"  # → a plain literal


_KINDS: dict[ParamType, frozenset[str]] = {
    ParamType.ENTITY: frozenset(kind.value for kind in Kind),
    ParamType.DATE: frozenset({"earliest", "latest"}),
}
"""The parameter types that take a kind after a colon, and the kinds each accepts."""


@dataclass(frozen=True)
class Parameter:
    """A declared parameter: ``name (type:kind) = default — help``."""

    name: str
    type: ParamType
    default: str | None
    help: str
    kind: str | None = None

    @property
    def required(self) -> bool:
        """Whether the caller must give a value (there is no default)."""
        return self.default is None

    def __str__(self) -> str:
        kind = f":{self.kind}" if self.kind else ""
        default = "" if self.default is None else f" = {self.default}"
        help_text = f" — {self.help}" if self.help else ""
        return f"{self.name} ({self.type.value}{kind}){default}{help_text}"


@dataclass(frozen=True)
class SavedQuery:
    """A SPARQL query with its header; ``path`` is None for a query given as text."""

    name: str
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    text: str
    path: Path | None = None

    def declared(self) -> str:
        """The declared parameters in one sentence, for error messages."""
        if not self.parameters:
            return f"{self.name} declares no parameters"
        return f"{self.name} declares: " + "; ".join(str(parameter) for parameter in self.parameters)


# --- headers

_FIELD = re.compile(r"#\s?(?P<key>title|description|param):\s*(?P<value>.*)$")
_CONTINUATION = re.compile(r"#\s{2,}(?P<value>\S.*)$")
_PARAM = re.compile(
    r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\(\s*(?P<type>[a-z]+)(?::(?P<kind>[a-z-]+))?\s*\)"
    r"\s*(?:=\s*(?P<default>.*?))?\s*(?:(?:—|--)\s*(?P<help>.*))?$"
)


def parse(text: str, name: str, path: Path | None = None) -> SavedQuery:
    """Read a query's header; raises :class:`QueryError` (with file and line) when it is malformed."""
    where = str(path) if path is not None else name
    fields: dict[str, list[str]] = {"title": [], "description": []}
    params: list[tuple[int, str]] = []
    current: list[str] | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        if not line.startswith("#"):
            if line.strip():
                break  # the header is the comment block before the query
            current = None
            continue
        field, continued = _FIELD.match(line), _CONTINUATION.match(line)
        if field is not None:
            key, value = field["key"], field["value"].strip()
            if key == "param":
                params.append((number, value))
                current = None
            else:
                if fields[key]:
                    raise QueryError(f"{where}:{number}: '{key}' is given twice")
                fields[key] = current = [value]
        elif continued is not None and current is not None:
            current.append(continued["value"].strip())
        else:
            current = None  # a free comment: not part of the header
    parameters = tuple(_parameter(value, where, number, text) for number, value in params)
    seen: set[str] = set()
    for parameter in parameters:
        if parameter.name in seen:
            raise QueryError(f"{where}: parameter '{parameter.name}' is declared twice")
        seen.add(parameter.name)
    title = " ".join(fields["title"]) or name
    return SavedQuery(name, title, " ".join(fields["description"]), parameters, text, path)


def _parameter(value: str, where: str, number: int, text: str) -> Parameter:
    match = _PARAM.fullmatch(value)
    if match is None:
        raise QueryError(f"{where}:{number}: cannot read the parameter '{value}'; write "
                         "'name (type) = default — help' (no '= default' when it is required)")
    name, type_name, kind = match["name"], match["type"], match["kind"]
    try:
        param_type = ParamType(type_name)
    except ValueError:
        choices = ", ".join(item.value for item in ParamType)
        raise QueryError(f"{where}:{number}: unknown parameter type '{type_name}'; use one of {choices}") from None
    if kind is not None and kind not in _KINDS.get(param_type, frozenset()):
        allowed = ", ".join(sorted(_KINDS.get(param_type, frozenset()))) or "none"
        raise QueryError(f"{where}:{number}: '{param_type.value}' takes no kind '{kind}' (kinds: {allowed})")
    if match["default"] == "":
        raise QueryError(f"{where}:{number}: '=' with no default; leave it out to make '{name}' required")
    if not re.search(rf"[?$]{name}\b", _body(text)):
        raise QueryError(f"{where}:{number}: parameter '{name}' is declared but ?{name} is not in the query")
    return Parameter(name, param_type, match["default"], (match["help"] or "").strip(), kind)


def _body(text: str) -> str:
    """The query without its comment lines, so that a variable named in a comment does not count."""
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


# --- the catalogue


def read(path: Path) -> SavedQuery:
    """A query file, named after its file name without ``.rq``."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise QueryError(f"cannot read {path}: {error.strerror}") from error
    except UnicodeDecodeError as error:
        raise QueryError(f"{path} is not UTF-8 text") from error
    return parse(text, path.stem, path)


def list_saved(folder: Path | None = None) -> tuple[SavedQuery, ...]:
    """Every saved query in ``folder`` (the shipped ``queries/`` by default), by name."""
    folder = folder if folder is not None else queries_dir()
    return tuple(read(path) for path in sorted(folder.glob("*.rq")))


def find(name_or_path: str, folder: Path | None = None) -> SavedQuery:
    """A saved query by name (``timeline``), or any query file by path (``my/query.rq``)."""
    folder = folder if folder is not None else queries_dir()
    path = Path(name_or_path)
    if path.suffix == ".rq" or len(path.parts) > 1:
        if not path.is_file():
            raise QueryError(f"query file not found: {path}")
        return read(path)
    saved = folder / f"{name_or_path}.rq"
    if saved.is_file():
        return read(saved)
    names = sorted(candidate.stem for candidate in folder.glob("*.rq"))
    close = difflib.get_close_matches(name_or_path, names, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    raise QueryError(f"no saved query '{name_or_path}'{hint} Saved queries: {', '.join(names)}")


def from_text(text: str) -> SavedQuery:
    """A query given on the command line; its header, if any, is read like a file's."""
    return parse(text, "query")


# --- binding parameters


def bind(query: SavedQuery, values: Mapping[str, str], base: str = DEFAULT_BASE,
         store: Store | None = None) -> dict[str, Identifier]:
    """The RDF term for each declared parameter, from the text given or the default.

    With a store, topics defined by records are found too and entity ids are checked to exist. Raises
    :class:`QueryError` naming the declared parameters when one is unknown, missing or has a bad value.
    """
    declared = {parameter.name: parameter for parameter in query.parameters}
    unknown = sorted(set(values) - set(declared))
    if unknown:
        raise QueryError(f"unknown parameter {', '.join(repr(name) for name in unknown)}; {query.declared()}")
    bindings: dict[str, Identifier] = {}
    for parameter in query.parameters:
        text = values.get(parameter.name, parameter.default)
        if text is None:
            raise QueryError(f"missing parameter '{parameter.name}'; {query.declared()}")
        try:
            bindings[parameter.name] = convert(parameter, text, base, store)
        except ValueError as error:
            raise QueryError(f"parameter '{parameter.name}': {error}; {query.declared()}") from error
    return bindings


def convert(parameter: Parameter, text: str, base: str = DEFAULT_BASE, store: Store | None = None) -> Identifier:
    """One parameter's value as an RDF term; raises ``ValueError`` saying what is wrong with the text."""
    kind = parameter.type
    if kind is ParamType.STRING:
        return Literal(text)  # exactly as given: a title may well end in a space
    text = text.strip()
    if kind is ParamType.INTEGER:
        if not re.fullmatch(r"[+-]?\d+", text):
            raise ValueError(f"'{text}' is not a whole number")
        return Literal(int(text))
    if kind is ParamType.DATE:
        return _date(text, parameter.kind or "earliest")
    if kind is ParamType.COUNTRY:
        try:
            country = resolve_country(text)
        except UnknownCountry as error:
            raise ValueError(str(error)) from None
        return Mapper(base).country_iri(country)  # the mapping is the one place that names countries
    if kind is ParamType.TOPIC:
        return _topic(text, store)
    if kind is ParamType.ENTITY:
        return _entity(text, parameter.kind, base, store)
    return _iri(text, base)


def _date(text: str, bound: str) -> Literal:
    try:
        date = parse_date(text)
    except DateError as error:
        raise ValueError(str(error)) from None
    earliest, latest = date.literal_bounds()
    chosen = latest if bound == "latest" else earliest
    if chosen is None:
        raise ValueError(f"'{text}' has no known {bound} day; give a date with a year")
    return chosen


_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*")


def _iri(text: str, base: str) -> URIRef:
    """An IRI from ``<IRI>``, a prefixed name (standard or entity prefixes) or an absolute IRI."""
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    prefix, colon, local = text.partition(":")
    namespaces = {**PREFIXES, **entity_prefixes(base)}
    if colon and prefix in namespaces and not local.startswith("//"):
        text = namespaces[prefix] + local
    if not _ABSOLUTE_IRI.fullmatch(text):
        raise ValueError(f"'{text}' is not an absolute IRI or a known prefixed name")
    return URIRef(text)


_RECORD_ID = re.compile(rf"{SLUG.pattern.strip('^$')}|[A-Z]{{2}}")
"""A record id (a lowercase slug), or a country's alpha-2 code, which is how country IRIs end."""


def _entity(text: str, kind: str | None, base: str, store: Store | None) -> URIRef:
    """An entity's IRI from its record id, ``kind/id``, ``kind:id`` or its IRI."""
    kinds = sorted(_KINDS[ParamType.ENTITY])
    given_kind, separator, record_id = text.replace(":", "/", 1).partition("/")
    if separator and given_kind in kinds and _RECORD_ID.fullmatch(record_id):
        if kind is not None and given_kind != kind:
            raise ValueError(f"'{text}' is a {given_kind}, not a {kind}")
        kind = given_kind
    elif _RECORD_ID.fullmatch(text):
        record_id = text
    else:
        iri = _iri(text, base)
        if store is not None and not _exists(store, iri):
            raise ValueError(f"nothing in the graph has the IRI {iri}")
        return iri
    if store is None:
        if kind is None:
            raise ValueError(f"cannot tell the kind of '{record_id}' without a graph; write kind/{record_id}")
        return _topic(record_id, None) if kind == "topic" else URIRef(f"{base}{kind}/{record_id}")
    candidates = [kind] if kind is not None else kinds
    found = [iri for iri in (_by_id(name, record_id, base, store) for name in candidates) if iri is not None]
    if len(found) == 1:
        return found[0]
    if found:
        raise ValueError(f"'{record_id}' names several records: {', '.join(found)}; write kind/{record_id}")
    known = _ids(store, [f"{base}{name}/" for name in candidates])
    close = difflib.get_close_matches(record_id, known, n=3)
    hint = "; did you mean " + " or ".join(f"'{name}'" for name in close) + "?" if close else ""
    raise ValueError(f"no {kind or 'record'} '{record_id}' in the graph{hint}")


def _by_id(kind: str, record_id: str, base: str, store: Store) -> URIRef | None:
    """The entity of a kind with this id in the graph, if there is one."""
    if kind == "topic":
        # A topic of the shipped scheme lives outside the base; topic_labels knows both kinds of topic.
        iri = topic_labels(store).get(topic_key(record_id))
        return iri if iri is not None and iri.rsplit("/", 1)[-1] == record_id else None
    iri = URIRef(f"{base}{kind}/{record_id}")
    return iri if _exists(store, iri) else None


def _exists(store: Store, iri: URIRef) -> bool:
    return bool(store.query("ASK { ?entity ?property ?value }", {"entity": iri}).boolean)


def _ids(store: Store, namespaces: list[str]) -> list[str]:
    """The record ids under some entity namespaces, for suggestions."""
    found: set[str] = set()
    for namespace in namespaces:
        result = store.query("SELECT DISTINCT ?entity WHERE { ?entity a ?class . "
                             "FILTER(STRSTARTS(STR(?entity), ?namespace)) }", {"namespace": Literal(namespace)})
        found.update(str(row[0])[len(namespace):] for row in result.rows if "#" not in str(row[0]))
    return sorted(found)


def _topic(text: str, store: Store | None) -> URIRef:
    """A topic by id, label or alternative label, matched as the normaliser matches them in records."""
    if text.startswith(("<", "topic:")) or "://" in text:
        return _iri(text, DEFAULT_BASE)
    labels = topic_labels(store)
    found = labels.get(topic_key(text))
    if found is None:
        close = difflib.get_close_matches(topic_key(text), list(labels), n=3)
        hint = "; did you mean " + " or ".join(f"'{name}'" for name in close) + "?" if close else ""
        raise ValueError(f"unknown topic '{text}'{hint}")
    return found


def topic_labels(store: Store | None = None) -> dict[str, URIRef]:
    """Every topic id, label and alternative label (as :func:`topic_key` makes them) → the topic.

    As in the normaliser, the shipped scheme comes first, then the topics a store holds (from records),
    and an earlier topic keeps a key that a later one also uses.
    """
    scheme = topics_graph()
    concepts = sorted(iri for iri in scheme.subjects(RDF.type, SKOS.Concept) if isinstance(iri, URIRef))
    groups = [(concept, [str(label) for predicate in (SKOS.prefLabel, RDFS.label, SKOS.altLabel)
                         for label in scheme.objects(concept, predicate)]) for concept in concepts]
    if store is not None:
        found: dict[URIRef, list[str]] = {}
        result = store.query("SELECT ?topic ?label WHERE { ?topic a skos:Concept . "
                             "OPTIONAL { ?topic skos:prefLabel|rdfs:label|skos:altLabel ?label } }")
        for topic, label in result.rows:
            if isinstance(topic, URIRef):
                found.setdefault(topic, []).extend([str(label)] if label is not None else [])
        groups += [(topic, sorted(found[topic])) for topic in sorted(found)]
    labels: dict[str, URIRef] = {}
    for concept, names in groups:
        for name in (concept.rsplit("/", 1)[-1], *names):
            labels.setdefault(topic_key(name), concept)
    return labels


__all__ = [
    "ParamType",
    "Parameter",
    "SavedQuery",
    "bind",
    "convert",
    "find",
    "from_text",
    "list_saved",
    "parse",
    "read",
    "topic_labels",
]
