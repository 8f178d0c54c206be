"""Every IRI atfgraph's code uses, in one place.

The ontology terms here must match ``ontology/atf.ttl``; a test checks that each one is declared there
with a label and a comment.
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

ATF = Namespace("https://w3id.org/atfgraph/ontology#")
"""The project's own ontology."""

TOPIC = Namespace("https://w3id.org/atfgraph/topic/")
"""The shipped topic scheme's concepts (fixed, whatever base IRI the data is built under)."""

TOPIC_SCHEME = TOPIC["scheme"]

DEFAULT_BASE = "https://w3id.org/atfgraph/id/"
"""Where entity IRIs live unless ``--base`` says otherwise: ``{base}{kind}/{id}``."""

ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
TIME = Namespace("http://www.w3.org/2006/time#")
SH = Namespace("http://www.w3.org/ns/shacl#")

PREFIXES: dict[str, str] = {
    "atf": str(ATF),
    "topic": str(TOPIC),
    "org": str(ORG),
    "schema": str(SCHEMA),
    "sem": str(SEM),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "time": str(TIME),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "sh": str(SH),
}
"""Prefixes bound in every output and offered to every query."""


def entity_prefixes(base: str) -> dict[str, str]:
    """Prefixes for the entity IRIs of a dataset built under ``base`` (one per kind)."""
    # Topics added by records live under {base}topic/ too, but "topic:" names the shipped scheme.
    kinds = ("organisation", "event", "country", "city", "document", "source", "graph")
    return {kind: f"{base}{kind}/" for kind in kinds}


__all__ = [
    "ATF",
    "DCTERMS",
    "DEFAULT_BASE",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SEM",
    "SH",
    "SKOS",
    "TIME",
    "TOPIC",
    "TOPIC_SCHEME",
    "XSD",
    "entity_prefixes",
]
