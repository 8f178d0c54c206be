"""Median latency of every saved query on generated data, on the Oxigraph and the rdflib store.

Usage: ``python benchmarks/queries.py [--events 10000 100000] [--stores oxigraph memory] [--runs 5]``.
The data is built once per size into N-Quads, then loaded into each store (outside the timings).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from atfgraph.export import Format, render
from atfgraph.graphfile import load_graph_file
from atfgraph.loader import load
from atfgraph.oxstore import OxigraphStore
from atfgraph.queries import bind, list_saved
from atfgraph.store import open_store
from benchmarks.generate import generate

# Parameters for the queries that require one, chosen to exist in the generated data.
PARAMETERS = {"events-in-country": {"country": "TR"}, "provenance": {"entity": "event/event-7"},
              "members-without-events": {"organisation": "org-1"}, "partners": {"host": "org-0"}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--stores", nargs="+", default=["oxigraph", "memory"])
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    for events in options.events:
        with tempfile.TemporaryDirectory() as folder:
            data = Path(folder) / "data"
            generate(data, events)
            build = load(data, store=OxigraphStore())
            graph_file = Path(folder) / "graph.nq"
            graph_file.write_text(render(build.store, Format.NQ, build.base), encoding="utf-8")
            print(f"\n== {events:,} events, {len(build.store):,} triples: median of {options.runs} runs, ms ==")
            stores = {name: load_graph_file(graph_file, open_store(name)) for name in options.stores}
            print(f"{'query':<26}" + "".join(f"{name:>12}" for name in stores))
            for saved in list_saved():
                cells = []
                for store in stores.values():
                    bindings = bind(saved, PARAMETERS.get(saved.name, {}), build.base, store)
                    times = []
                    for _ in range(options.runs):
                        started = time.perf_counter()
                        store.query(saved.text, bindings)
                        times.append(1000 * (time.perf_counter() - started))
                    cells.append(f"{statistics.median(times):>12,.0f}")
                print(f"{saved.name:<26}" + "".join(cells), flush=True)


if __name__ == "__main__":
    main()
