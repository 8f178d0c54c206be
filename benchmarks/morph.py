"""Morph-KGC on the same events CSV, for the "read + map to N-Triples" comparison of issue 6.

Morph-KGC (PyPI ``morph-kgc``) pins old releases of rdflib and pyoxigraph, so it lives in a virtual
environment of its own (``make bench-setup`` makes ``.venv-morph``) and runs as ``python -m morph_kgc
config.ini``, as its users run it.

The mapping (YARRRML, which Morph-KGC reads natively) is the closest RML can come to atfgraph's mapping of
an event row: the same IRIs for events, organisations, sources, topics and dates, the multi-valued columns
split at ``;`` with Morph-KGC's own ``string_split_explode``. It does less than atfgraph, which makes the
comparison conservative: no country names resolved to ISO codes, no topic labels resolved to concepts,
no date bounds or precision, no check of any reference, no provenance graph per file.
"""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

ID = "https://w3id.org/atfgraph/id/"

_HEADER = f"""prefixes:
  atf: https://w3id.org/atfgraph/ontology#
  rdfs: http://www.w3.org/2000/01/rdf-schema#
  xsd: http://www.w3.org/2001/XMLSchema#
  grel: http://users.ugent.be/~bjdmeest/function/grel.ttl#
  morph-kgc: https://github.com/morph-kgc/morph-kgc/function/built-in.ttl#
  id: {ID}

mappings:
"""

# (column, predicate, the IRI prefix of each value)
_MULTI = (
    ("participants", "atf:participant", f"{ID}country/"),
    ("organisers", "atf:organiser", f"{ID}organisation/"),
    ("partners", "atf:partner", f"{ID}organisation/"),
    ("topics", "atf:topic", "https://w3id.org/atfgraph/topic/"),
    ("sources", "atf:source", f"{ID}source/"),
    ("follows", "atf:follows", f"{ID}event/"),
)


@dataclass(frozen=True)
class MorphRun:
    """One Morph-KGC materialisation: wall time of the process and the N-Triples lines it wrote."""

    seconds: float
    triples: int


def _split(column: str, predicate: str, prefix: str) -> str:
    """A multi-valued column as IRIs: prefix the first value, and every value after a ``;``, then split."""
    return f"""      - p: {predicate}
        o:
          function: morph-kgc:string_split_explode
          parameters:
            - parameter: grel:valueParameter
              value:
                function: morph-kgc:concat
                parameters:
                  - [grel:valueParameter1, "{prefix}"]
                  - parameter: grel:valueParameter2
                    value:
                      function: grel:string_replace
                      parameters:
                        - [grel:valueParameter, $({column})]
                        - [grel:p_string_find, ";"]
                        - [grel:p_string_replace, ";{prefix}"]
            - [grel:p_string_sep, ";"]
          type: iri
"""


def mapping(csv_files: list[Path]) -> str:
    """The YARRRML mapping of atfgraph's event columns for these CSV files."""
    sources = "".join(f"      - [{path}~csv]\n" for path in csv_files)
    event = f"""  event:
    sources:
{sources}    s: id:event/$(id)
    po:
      - [a, atf:Event]
      - [a, atf:$(type)~iri]
      - [rdfs:label, $(title)]
      - [atf:description, $(description)]
      - [atf:number, $(number), xsd:integer]
      - [atf:date, id:event/$(id)#date~iri]
      - [atf:country, id:country/$(location.country)~iri]
      - [atf:place, id:city/$(location.country)-$(location.city)~iri]
      - [atf:series, id:organisation/$(series)~iri]
"""
    event += "".join(_split(*spec) for spec in _MULTI)
    date = f"""  date:
    sources:
{sources}    s: id:event/$(id)#date
    po:
      - [a, atf:DateSpec]
      - [atf:dateText, $(date)]
"""
    return _HEADER + event + date


def run_morph(python: Path, csv_files: list[Path], folder: Path) -> MorphRun:
    """Materialise the events with Morph-KGC into ``folder/morph.nt``; the process is timed from outside."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "mapping.yml").write_text(mapping(csv_files), encoding="utf-8")
    output = folder / "morph.nt"
    (folder / "config.ini").write_text(
        "[CONFIGURATION]\n"
        f"output_file={output}\n"
        "na_values=\n"  # an empty cell is no value, as in atfgraph
        "logging_level=WARNING\n"
        "[DataSource1]\n"
        f"mappings={folder / 'mapping.yml'}\n",
        encoding="utf-8",
    )
    started = time.perf_counter()
    subprocess.run([str(python.absolute()), "-m", "morph_kgc", str(folder / "config.ini")], check=True, cwd=folder,
                   timeout=3600)
    seconds = time.perf_counter() - started
    with output.open("rb") as handle:
        triples = sum(1 for line in handle if line.strip())
    return MorphRun(seconds, triples)


__all__ = ["MorphRun", "mapping", "run_morph"]
