"""Benchmark of SHACL validation: whole-graph pyshacl against fastshacl (the shapes as SPARQL on Oxigraph).

For generated datasets of the shipped data's shape, prints the triple count, then the seconds each validator
takes on the same graph: fastshacl on an Oxigraph store (wall time and process CPU time, with 1 and 2
threads) and pyshacl the way the build runs it (``atfgraph.checks.shacl``). pyshacl is left out above 10,000
events unless ``--all`` is given (it takes minutes there). The wall times depend on what else the machine
runs: the load average is printed with them, and the CPU time is the steadier figure.

Usage: ``python benchmarks/shacl.py [--events 1000 10000 100000] [--all]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import RDF, SH

from atfgraph.checks import shacl
from atfgraph.fastshacl import Validator
from atfgraph.loader import load
from atfgraph.oxstore import OxigraphStore, to_oxigraph
from atfgraph.resources import ontology_graph, shapes_graph
from benchmarks.generate import generate

ONTOLOGY_GRAPH = ox.NamedNode("urn:atfgraph:ontology")


def run(events: int, with_pyshacl: bool, validator: Validator) -> None:
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        generate(data, events)
        started = time.perf_counter()
        store = OxigraphStore()
        build = load(data, store=store)
        store.store.extend(
            ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), ONTOLOGY_GRAPH)  # type: ignore[arg-type]
            for s, p, o in ontology_graph()
        )
        loaded = time.perf_counter() - started
        triples = len(store)
        print(f"\n== {events:,} events: {triples:,} triples (data and ontology, mapped and loaded in {loaded:.1f} s)")
        print(f"{'validator':<26}{'wall s':>9}{'CPU s':>9}{'results':>9}{'load avg':>10}")
        for workers in (1, 2):
            cpu, wall = time.process_time(), time.perf_counter()
            report = validator.validate(store.store, workers=workers)
            line(f"fastshacl, {workers} thread{'s' if workers > 1 else ''}", wall, cpu, len(report.results))
        if with_pyshacl:
            graph = build.store.union()
            cpu, wall = time.process_time(), time.perf_counter()
            _, results = shacl(graph)
            line("pyshacl", wall, cpu, _count(results))


def _count(results: Graph) -> int:
    """The report's top-level results (what the build reads)."""
    reports = results.subjects(RDF.type, SH.ValidationReport)
    return sum(1 for report in reports for _ in results.objects(report, SH.result))


def line(name: str, wall: float, cpu: float, results: int) -> None:
    wall_seconds, cpu_seconds = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{name:<26}{wall_seconds:>9.2f}{cpu_seconds:>9.2f}{results:>9}{os.getloadavg()[0]:>10.1f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--all", action="store_true", help="run pyshacl above 10,000 events too (minutes)")
    options = parser.parse_args()
    started = time.perf_counter()
    validator = Validator(shapes_graph())
    print(f"shapes compiled to {len(validator.plan.checks)} checks in {time.perf_counter() - started:.2f} s")
    for events in options.events:
        run(events, options.all or events <= 10_000, validator)


if __name__ == "__main__":
    main()
