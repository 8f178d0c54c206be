"""Benchmark of the build pipeline, stage by stage: read, map, validate, write; and an incremental rebuild.

Prints seconds, records/s, triples/s and the process's peak RSS after each stage for generated datasets of
the shipped data's shape. Usage:

    python benchmarks/pipeline.py [--events 1000 10000 100000] [--store memory|oxigraph] [--skip-validate]
                                  [--formats ttl,jsonld,nq] [--incremental]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from atfgraph.checks import check
from atfgraph.export import Format, render
from atfgraph.incremental import load_incremental
from atfgraph.loader import load_contents
from atfgraph.read import iter_files
from atfgraph.store import open_store
from benchmarks.generate import generate


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(events: int, options: argparse.Namespace) -> None:
    formats = [Format(name) for name in options.formats.split(",")]
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        generate(data, events)
        print(f"\n== {events:,} events, store {options.store} ==")
        print(f"{'stage':<16}{'seconds':>9}{'records/s':>12}{'triples/s':>12}{'peak RSS MB':>13}")
        total = time.perf_counter()

        started = time.perf_counter()
        contents = list(iter_files(data))
        records = sum(len(content.records) for content in contents)
        report("read", started, records, 0)

        started = time.perf_counter()
        if options.jobs > 1:
            build, _ = load_incremental(data, None, store=open_store(options.store), jobs=options.jobs)
        else:
            build = load_contents(contents, store=open_store(options.store))
        triples = len(build.store)
        report("map", started, records, triples)
        if build.problems:
            print(f"  unexpected problems: {build.problems[:3]}")

        if not options.skip_validate:
            started = time.perf_counter()
            result = check(build)
            report("validate", started, records, triples)
            if not result.conforms:
                print(f"  unexpected violations: {result.violations[:3]}")

        for fmt in formats:
            started = time.perf_counter()
            text = render(build.store, fmt, build.base)
            (Path(folder) / fmt.filename).write_text(text, encoding="utf-8")
            report(f"write {fmt.value}", started, records, triples)
        full = time.perf_counter() - total
        print(f"{'whole build':<16}{full:>9.2f}   {records:,} records, {triples:,} triples")
        if options.incremental:
            incremental(data, Path(folder), options, formats, full)


def incremental(data: Path, folder: Path, options: argparse.Namespace, formats: list[Format], full: float) -> None:
    """A cached build, a one-record change, and the rebuild: mapping, validation and writing included."""
    cache = folder / "cache"
    load_incremental(data, cache, store=open_store(options.store))
    events_file = sorted((data / "events").glob("*.csv"))[-1]
    text = events_file.read_text(encoding="utf-8")
    events_file.write_text(text.replace("Synthetic event for benchmarks.", "A changed description.", 1),
                           encoding="utf-8")
    started = time.perf_counter()
    build, reuse = load_incremental(data, cache, store=open_store(options.store))
    if not options.skip_validate:
        check(build)
    for fmt in formats:
        render(build.store, fmt, build.base)
    seconds = time.perf_counter() - started
    print(f"{'rebuild 1 change':<16}{seconds:>9.2f}   {reuse.reused} file(s) reused, {reuse.mapped} mapped: "
          f"{100 * seconds / full:.0f}% of the whole build")
    shutil.rmtree(cache, ignore_errors=True)


def report(stage: str, started: float, records: int, triples: int) -> None:
    seconds = time.perf_counter() - started
    per_record = f"{records / seconds:,.0f}" if records else "-"
    per_triple = f"{triples / seconds:,.0f}" if triples else "-"
    print(f"{stage:<16}{seconds:>9.2f}{per_record:>12}{per_triple:>12}{peak_rss_mb():>13,.0f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--store", default="memory", help="memory (rdflib) or oxigraph")
    parser.add_argument("--formats", default="ttl,jsonld,nq")
    parser.add_argument("--skip-validate", action="store_true", help="leave out SHACL (slow on large data)")
    parser.add_argument("--incremental", action="store_true", help="also time a rebuild after one change")
    parser.add_argument("--jobs", type=int, default=1, help="map in this many processes (reading included)")
    options = parser.parse_args()
    for events in options.events:
        run(events, options)


if __name__ == "__main__":
    main()
