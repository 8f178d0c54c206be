"""RDF terms between rdflib (shapes, reports), pyoxigraph (the data) and SPARQL query text.

RDF 1.1 makes ``"A"`` and ``"A"^^xsd:string`` one term. Oxigraph hands back every simple literal typed
``xsd:string`` while rdflib keeps the two apart, so terms coming out of the store are turned back into
rdflib's plain form, and :func:`normal` does the same for terms from any other source before two terms are
compared.
"""

from __future__ import annotations

import re

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

Term = URIRef | BNode | Literal
"""An RDF term on the rdflib side."""

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal
"""An RDF term on the Oxigraph side (RDF-star triple terms are never produced by the queries here)."""

_XSD_STRING = str(XSD.string)
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_BNODE_ID = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def normal(term: Term) -> Term:
    """The term in rdflib's plain form: a literal typed ``xsd:string`` becomes a simple literal."""
    if isinstance(term, Literal) and term.datatype is not None and str(term.datatype) == _XSD_STRING:
        return Literal(str(term))
    return term


def from_oxigraph(term: OxTerm) -> Term:
    """A pyoxigraph term as an rdflib term; ``xsd:string`` literals come back plain (see module notes)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language is not None:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    if datatype == _XSD_STRING:
        return Literal(term.value)
    # Oxigraph already wrote valid values in canonical form; rdflib's own normalisation would turn an
    # ill-typed "yes"^^xsd:boolean into "false", a different (and valid) term, so it is kept off.
    return Literal(term.value, datatype=URIRef(datatype), normalize=False)


def blank_node_id_ok(node: BNode) -> bool:
    """Whether a blank node label can be used as is in Oxigraph (rdflib's generated labels always can)."""
    return bool(_BNODE_ID.match(str(node)))


def iri(value: str) -> str:
    """An IRI in SPARQL syntax; ``ValueError`` for characters no IRI may hold."""
    if _IRI_FORBIDDEN.search(value):
        raise ValueError(f"not a valid IRI for a SPARQL query: {value!r}")
    return f"<{value}>"


def string(value: str) -> str:
    """A string in SPARQL syntax, escaped."""
    return '"' + "".join(_ESCAPES.get(char, char) for char in value) + '"'


def sparql(term: Term) -> str:
    """An IRI or literal in SPARQL syntax. Blank nodes have no syntax that names one node: ``ValueError``."""
    if isinstance(term, URIRef):
        return iri(str(term))
    if isinstance(term, BNode):
        raise ValueError(f"a blank node ({term.n3()}) cannot be named in a SPARQL query")
    text = string(str(term))
    if term.language is not None:
        return f"{text}@{term.language}"
    if term.datatype is not None and str(term.datatype) != _XSD_STRING:
        return f"{text}^^{iri(str(term.datatype))}"
    return text


def sparql_ox(term: OxTerm) -> str:
    """A pyoxigraph IRI or literal in SPARQL syntax (``ValueError`` for blank nodes)."""
    return sparql(from_oxigraph(term))
