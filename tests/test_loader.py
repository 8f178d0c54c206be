"""Loading a data folder: what a build keeps of its records once they are mapped."""

from __future__ import annotations

from rdflib import URIRef

from atfgraph.loader import load
from atfgraph.namespaces import ATF
from tests.conftest import DATA


def test_a_build_keeps_where_each_record_is_not_its_values() -> None:
    """Mapped records are let go; the copies kept to locate SHACL results carry their kind and lines only."""
    build = load(DATA)
    assert build.records and all(not record.fields for record in build.records.values())
    event = next(iri for iri, record in build.records.items() if record.kind == "event")
    located = build.location_of(URIRef(event), ATF.date)
    assert located is not None and located.line > build.records[event].location.line  # the field's own line
