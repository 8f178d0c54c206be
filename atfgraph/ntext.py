"""RDF terms as N-Triples text: what the mapping writes, and what Oxigraph loads in one Rust call.

Building an rdflib term for every value and converting it again for Oxigraph cost more than all the rest of
mapping (profiled at 10,000 events); a term written once as text costs a string format. The text is exactly
what N-Triples and N-Quads lines need, so the same strings feed an Oxigraph bulk load, rdflib's N-Quads
parser (the in-memory store) and the incremental build's cache.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from atfgraph.namespaces import XSD

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_INTEGER = f"<{XSD.integer}>"
_BOOLEAN = f"<{XSD.boolean}>"
_DATE = f"<{XSD.date}>"


def iri(value: str) -> str:
    """An IRI term: ``<value>`` (the value is already a valid IRI: the records' URLs are checked)."""
    return f"<{value}>"


def string(value: str) -> str:
    """A plain string literal, with the four characters N-Triples must escape escaped."""
    return f'"{value.translate(_ESCAPES)}"'


def literal(value: str | int | bool | datetime.date | Literal) -> str:
    """A literal as rdflib's ``Literal(value)`` makes it: str plain, int ``xsd:integer``, bool
    ``xsd:boolean``, date ``xsd:date``; an rdflib literal as it is."""
    if isinstance(value, str):
        if isinstance(value, Literal):
            return term(value)
        return string(value)
    if isinstance(value, bool):  # before int: a bool is an int
        return f'"{"true" if value else "false"}"^^{_BOOLEAN}'
    if isinstance(value, int):
        return f'"{value}"^^{_INTEGER}'
    if isinstance(value, datetime.date):
        return f'"{value.isoformat()}"^^{_DATE}'
    raise TypeError(f"no literal form for {type(value).__name__}")


def term(node: Node) -> str:
    """Any rdflib term as N-Triples text."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        text = string(str(node))
        if node.language:
            return f"{text}@{node.language}"
        if node.datatype is not None and str(node.datatype) != str(XSD.string):
            return f"{text}^^<{node.datatype}>"
        return text
    if isinstance(node, BNode):
        return f"_:{node}"
    raise TypeError(f"not an RDF term: {node!r}")


def nquads(lines: Iterable[tuple[str, str, str, str]]) -> bytes:
    """N-Quads bytes of quads given as term texts (an empty graph text stands for the default graph)."""
    return "".join(f"{s} {p} {o} {g} .\n" if g else f"{s} {p} {o} .\n" for s, p, o, g in lines).encode("utf-8")


__all__ = ["iri", "literal", "nquads", "string", "term"]
