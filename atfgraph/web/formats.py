"""The answer formats of the endpoint, choosing one for a request, and writing an answer in it.

SELECT and ASK answers: SPARQL 1.1 Query Results JSON (the default), XML, CSV and TSV. CONSTRUCT and
DESCRIBE answers: Turtle (the default), JSON-LD, N-Triples and RDF/XML. A client chooses by ``Accept``, or
by a ``format`` parameter (``json``, ``xml``, ``csv``, ``tsv``, ``ttl``, ``jsonld``, ``nt``, ``rdf``), which
wins, so a plain link can ask for a download.
"""

from __future__ import annotations

import enum
import json
import re
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from atfgraph.namespaces import PREFIXES, entity_prefixes
from atfgraph.results import ResultFormat, render
from atfgraph.store import QueryForm, QueryResult
from atfgraph.web.errors import WebError
from atfgraph.web.negotiation import best_match


class Format(enum.Enum):
    """An answer format, by the name a ``format`` parameter or a file suffix gives it."""

    JSON = "json"
    XML = "xml"
    CSV = "csv"
    TSV = "tsv"
    TURTLE = "ttl"
    JSONLD = "jsonld"
    NTRIPLES = "nt"
    RDFXML = "rdf"

    @property
    def media_type(self) -> str:
        """The media type the answer is sent as."""
        return _MEDIA[self][0]

    @property
    def accepted(self) -> tuple[str, ...]:
        """Every media type a client may ask for this format by, its own first."""
        return _MEDIA[self]

    @property
    def graph(self) -> bool:
        """Whether this format writes a graph (CONSTRUCT, DESCRIBE) rather than solutions (SELECT, ASK)."""
        return self in GRAPH_FORMATS


_MEDIA: dict[Format, tuple[str, ...]] = {
    Format.JSON: ("application/sparql-results+json", "application/json"),
    Format.XML: ("application/sparql-results+xml", "application/xml", "text/xml"),
    Format.CSV: ("text/csv",),
    Format.TSV: ("text/tab-separated-values",),
    Format.TURTLE: ("text/turtle", "application/turtle", "application/x-turtle"),
    Format.JSONLD: ("application/ld+json", "application/x-json+ld", "application/json"),
    Format.NTRIPLES: ("application/n-triples", "text/plain"),
    Format.RDFXML: ("application/rdf+xml", "application/xml", "text/xml"),
}
"""Each format's media type first, then the other types that clients ask for it by."""

SOLUTION_FORMATS = (Format.JSON, Format.XML, Format.CSV, Format.TSV)
GRAPH_FORMATS = (Format.TURTLE, Format.JSONLD, Format.NTRIPLES, Format.RDFXML)
TRUNCATED_HEADER = "X-Atfgraph-Truncated"


def formats_for(form: QueryForm) -> tuple[Format, ...]:
    """The formats an answer of this form can be written in, the default first."""
    return GRAPH_FORMATS if form in (QueryForm.CONSTRUCT, QueryForm.DESCRIBE) else SOLUTION_FORMATS


_ALIASES = {"turtle": Format.TURTLE, "n3": Format.TURTLE, "json-ld": Format.JSONLD, "ntriples": Format.NTRIPLES,
            "n-triples": Format.NTRIPLES, "rdfxml": Format.RDFXML, "rdf+xml": Format.RDFXML, "rdf/xml": Format.RDFXML}
"""Other names clients give formats (SPARQLWrapper sends ``format=turtle``; Turtle is also valid N3)."""


def by_name(name: str, form: QueryForm) -> Format | None:
    """The format a ``format`` parameter names (a short name, an alias or a media type), if any."""
    key = name.strip().lower()
    allowed = formats_for(form)
    for item in allowed:  # a media type, or "xml", which means RDF/XML for a graph
        if key in item.accepted or (key == "xml" and item is Format.RDFXML):
            return item
    try:
        return Format(key)
    except ValueError:
        return _ALIASES.get(key)


def choose(form: QueryForm, accept: str | None, name: str | None = None) -> Format:
    """The format to answer in: the ``format`` parameter's if given, else the best match for ``Accept``.

    Raises :class:`WebError`: 400 for an unknown format name, 406 when nothing offered is acceptable.
    """
    allowed = formats_for(form)
    names = ", ".join(item.value for item in allowed)
    if name is not None:
        chosen = by_name(name, form)
        if chosen is None:
            raise WebError(400, "Unknown format", f"no format '{name}'; a {form.value} answer can be: {names}")
        if chosen not in allowed:
            raise WebError(406, "Not Acceptable", f"a {form.value} answer cannot be written as {chosen.value}; "
                                                  f"use one of {names}")
        return chosen
    offers = [(media, item) for item in allowed for media in _MEDIA[item]]
    media = best_match(accept, [media for media, _ in offers])
    if media is None:
        types = ", ".join(item.media_type for item in allowed)
        raise WebError(406, "Not Acceptable", f"a {form.value} answer can be sent as: {types}")
    return next(item for offered, item in offers if offered == media)


def encode(result: QueryResult, fmt: Format, base: str, truncated: bool = False) -> bytes:
    """An answer in a format, as UTF-8 bytes. SELECT results in JSON carry ``"atfgraph": {"truncated": …}``."""
    if fmt is Format.XML:
        return to_xml(result).encode("utf-8")
    if fmt is Format.NTRIPLES:
        return ntriples(result.graph if result.graph is not None else Graph()).encode("utf-8")
    if fmt is Format.RDFXML:
        return _prefixed(result.graph, base).serialize(format="xml").encode("utf-8")
    text = render(result, _RESULT_FORMATS[fmt], base)
    if fmt is Format.JSON and result.form is QueryForm.SELECT:
        document = json.loads(text)
        document["atfgraph"] = {"truncated": truncated}
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return text.encode("utf-8")


_RESULT_FORMATS = {Format.JSON: ResultFormat.JSON, Format.CSV: ResultFormat.CSV, Format.TSV: ResultFormat.TSV,
                   Format.TURTLE: ResultFormat.TTL, Format.JSONLD: ResultFormat.JSONLD}


def _prefixed(graph: Graph | None, base: str) -> Graph:
    copy = Graph()
    for prefix, namespace in {**PREFIXES, **entity_prefixes(base)}.items():
        copy.bind(prefix, namespace, replace=True)
    for triple in graph if graph is not None else ():
        copy.add(triple)
    return copy


def ntriples(graph: Graph) -> str:
    """N-Triples, one triple a line, sorted: the same bytes for the same graph."""
    text = graph.serialize(format="nt")
    lines = sorted(line for line in text.splitlines() if line.strip())
    return "".join(line + "\n" for line in lines)


# --- SPARQL Query Results XML Format

_XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters XML 1.0 cannot hold at all, even escaped; they are sent as U+FFFD."""

_NS = "http://www.w3.org/2005/sparql-results#"


def to_xml(result: QueryResult) -> str:
    """The SPARQL 1.1 Query Results XML document of a SELECT or ASK answer."""
    lines = ['<?xml version="1.0" encoding="utf-8"?>', f'<sparql xmlns="{_NS}">', "  <head>"]
    if result.form is QueryForm.ASK:
        lines += ["  </head>", f"  <boolean>{'true' if result.boolean else 'false'}</boolean>", "</sparql>"]
        return "\n".join(lines) + "\n"
    lines += [f"    <variable name={quoteattr(variable)}/>" for variable in result.variables]
    lines += ["  </head>", "  <results>"]
    blank: dict[BNode, str] = {}
    for row in result.rows:
        lines.append("    <result>")
        for variable, term in zip(result.variables, row, strict=True):
            if term is not None:
                lines.append(f"      <binding name={quoteattr(variable)}>{_xml_term(term, blank)}</binding>")
        lines.append("    </result>")
    lines += ["  </results>", "</sparql>"]
    return "\n".join(lines) + "\n"


def _xml_text(text: str) -> str:
    return escape(_XML_INVALID.sub("\ufffd", text))


def _xml_term(term: Node, blank: dict[BNode, str]) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{_xml_text(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{blank.setdefault(term, f'b{len(blank)}')}</bnode>"
    if isinstance(term, Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{_xml_text(str(term))}</literal>"
        if term.datatype is not None and term.datatype != XSD.string:
            return f"<literal datatype={quoteattr(str(term.datatype))}>{_xml_text(str(term))}</literal>"
        return f"<literal>{_xml_text(str(term))}</literal>"
    return f"<literal>{_xml_text(str(term))}</literal>"  # pragma: no cover - answers hold only RDF terms


__all__ = ["GRAPH_FORMATS", "SOLUTION_FORMATS", "TRUNCATED_HEADER", "Format", "choose", "encode", "formats_for",
           "ntriples", "to_xml"]
