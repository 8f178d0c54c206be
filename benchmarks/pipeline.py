"""Benchmark of the build pipeline, stage by stage: read, map, validate, write.

Prints records/s, triples/s and the process's peak RSS after each stage for generated datasets of the
shipped data's shape. Usage: ``python benchmarks/pipeline.py [--events 1000 10000 100000]``.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from atfgraph.checks import check  # noqa: E402
from atfgraph.export import Format, render  # noqa: E402
from atfgraph.loader import load_contents  # noqa: E402
from atfgraph.read import iter_files  # noqa: E402
from benchmarks.generate import generate  # noqa: E402


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(events: int, skip_validate: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        generate(data, events)
        print(f"\n== {events:,} events ==")
        print(f"{'stage':<14}{'seconds':>9}{'records/s':>12}{'triples/s':>12}{'peak RSS MB':>13}")

        started = time.perf_counter()
        contents = list(iter_files(data))
        records = sum(len(content.records) for content in contents)
        report("read", started, records, 0)

        started = time.perf_counter()
        build = load_contents(contents)
        triples = len(build.store)
        report("map", started, records, triples)
        if build.problems:
            print(f"  unexpected problems: {build.problems[:3]}")

        if not skip_validate:
            started = time.perf_counter()
            result = check(build)
            report("validate", started, records, triples)
            if not result.conforms:
                print(f"  unexpected violations: {result.violations[:3]}")

        for fmt in (Format.TTL, Format.JSONLD, Format.NQ):
            started = time.perf_counter()
            text = render(build.store, fmt, build.base)
            (Path(folder) / fmt.filename).write_text(text, encoding="utf-8")
            report(f"write {fmt.value}", started, records, triples)
        print(f"{records:,} records, {triples:,} triples")


def report(stage: str, started: float, records: int, triples: int) -> None:
    seconds = time.perf_counter() - started
    per_record = f"{records / seconds:,.0f}" if records else "-"
    per_triple = f"{triples / seconds:,.0f}" if triples else "-"
    print(f"{stage:<14}{seconds:>9.2f}{per_record:>12}{per_triple:>12}{peak_rss_mb():>13,.0f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--skip-validate", action="store_true", help="leave out SHACL (slow on large data)")
    options = parser.parse_args()
    for events in options.events:
        run(events, options.skip_validate)


if __name__ == "__main__":
    main()
