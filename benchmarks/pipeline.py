"""Benchmark of the build pipeline, stage by stage, side by side with the naive pipeline and Morph-KGC.

For each size, one generated dataset of the shipped data's shape is built by:

- **atfgraph** (Oxigraph store, SHACL compiled to SPARQL, Oxigraph and streaming writers);
- **naive** (``--naive-max EVENTS``): an rdflib graph, whole-graph pyshacl and rdflib's serialisers: what a
  home-made rdflib script does;
- **Morph-KGC** (``--morph-kgc PYTHON``): ``python -m morph_kgc config.ini`` with an RML mapping of the
  same events CSV, to N-Triples (see ``benchmarks/morph.py``; ``make bench-setup`` installs it apart).

Each pipeline runs in a process of its own, so each peak RSS is its own. Prints seconds, records/s,
triples/s and peak RSS per stage, then the ratios. With ``--incremental``, also a rebuild after a
one-record change. Usage:

    python benchmarks/pipeline.py [--events 1000 10000 100000] [--naive-max 10000]
                                  [--morph-kgc .venv-morph/bin/python]
                                  [--formats ttl,jsonld,nq] [--incremental] [--jobs N]
                                  [--on-disk-from 1000000]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from atfgraph.checks import check
from atfgraph.export import Format, Renderer
from atfgraph.gcpause import cycle_collection_paused
from atfgraph.incremental import load_incremental
from atfgraph.loader import load_contents
from atfgraph.read import iter_files
from atfgraph.store import open_store
from benchmarks.generate import generate
from benchmarks.morph import MorphRun, run_morph

Timings = dict[str, float]


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def stages(data: Path, store_name: str, formats: list[Format], jobs: int, validate: bool,
           nt_alone: bool = False) -> Timings:
    """Build ``data`` stage by stage in this process, then print each stage; the seconds of each.

    Rows are printed once the triples are known: a build on Oxigraph takes their number from its writers,
    and counting them apart (a COUNT DISTINCT over the union, ~450 MB at 100,000 events) would raise the
    peak memory of the stages it ran between. It is timed last, outside the build, when it is not part of it.
    """
    rows: list[tuple[str, float, int, bool, float]] = []  # stage, seconds, records, per triple, peak RSS

    def stage(name: str, seconds: float, records: int, per_triple: bool = True) -> float:
        rows.append((name, seconds, records, per_triple, peak_rss_mb()))
        return seconds

    timings: Timings = {}
    total = time.perf_counter()
    started = time.perf_counter()
    with cycle_collection_paused():  # as atfgraph.loader.load does
        contents = list(iter_files(data))
    records = sum(len(content.records) for content in contents)
    timings["read"] = stage("read", time.perf_counter() - started, records, per_triple=False)

    started = time.perf_counter()
    if jobs > 1:
        build, _ = load_incremental(data, None, store=open_store(store_name), jobs=jobs)
    else:
        build = load_contents(contents, store=open_store(store_name))
    del contents
    timings["map"] = stage("map", time.perf_counter() - started, records)
    counts_in_writers = store_name.startswith("oxigraph") and any(fmt is not Format.NQ for fmt in formats)
    triples = 0
    if not counts_in_writers:  # `atfgraph build` asks the store: part of the build
        started = time.perf_counter()
        triples = len(build.store)
        timings["count"] = stage("count triples", time.perf_counter() - started, 0)
    if build.problems:
        print(f"  unexpected problems: {build.problems[:3]}")

    if validate:
        started = time.perf_counter()
        result = check(build)
        timings["validate"] = stage("validate", time.perf_counter() - started, records)
        if not result.conforms:
            print(f"  unexpected violations: {result.violations[:3]}")

    with tempfile.TemporaryDirectory() as out, \
            Renderer(build.store, build.base, tuple(formats), Path(out)) as renderer:  # as `atfgraph build` does
        # Written together, as `atfgraph build` writes them (on Oxigraph, JSON-LD by a second process while
        # this one writes the others): the whole is timed, and each stage the renderer announces on its way.
        told: list[tuple[str, float]] = []
        started = time.perf_counter()
        renderer.write_all([(fmt, Path(out) / fmt.filename) for fmt in formats],
                           lambda text: told.append((text, time.perf_counter())))
        ended = time.perf_counter()
        for index, (text, at) in enumerate(told):
            until = told[index + 1][1] if index + 1 < len(told) else ended
            if "second process" in text:  # beside the others: until the wait for it ends
                until = ended
            rows.append((f"  {_STAGE_NAMES.get(text.split(' (')[0], text)}", until - at, records, True, peak_rss_mb()))
        timings["write"] = stage("write (all)", ended - started, records)
    timings["whole build"] = time.perf_counter() - total
    timings["peak RSS MB"] = peak_rss_mb()
    if counts_in_writers:
        assert renderer.triple_count is not None
        triples = renderer.triple_count
        started = time.perf_counter()
        assert len(build.store) == triples
        timings["count apart"] = stage("count triples", time.perf_counter() - started, 0)
    if nt_alone:  # for the Morph-KGC figure: N-Triples on their own, outside the build's figures
        started = time.perf_counter()
        with tempfile.TemporaryDirectory() as out, Renderer(build.store, build.base, (Format.NT,), Path(out)) as alone:
            alone.write(Format.NT, Path(out) / Format.NT.filename)
        timings["write nt alone"] = stage("write nt alone", time.perf_counter() - started, records)

    print(f"{'stage':<16}{'seconds':>9}{'records/s':>12}{'triples/s':>12}{'peak RSS MB':>13}")
    for name, seconds, count, per_triple, peak in rows:
        per_record = f"{count / seconds:,.0f}" if count else "-"
        per_triples = f"{triples / seconds:,.0f}" if per_triple and triples else "-"
        print(f"{name:<16}{seconds:>9.2f}{per_record:>12}{per_triples:>12}{peak:>13,.0f}")
    if counts_in_writers:
        print("(count triples, write nt alone: not part of the whole build, which takes the count from the writers)")
    timings["records"], timings["triples"] = records, triples
    print(f"{'whole build':<16}{timings['whole build']:>9.2f}   {records:,} records, {triples:,} triples; "
          f"peak RSS {timings['peak RSS MB']:,.0f} MB (this process)", flush=True)
    return timings


_STAGE_NAMES = {"sorting the triples": "sort triples", "waiting for graph.jsonld": "wait for jsonld",
                **{f"writing {fmt.filename}": f"write {fmt.value}" for fmt in Format}}


def incremental(data: Path, store_name: str, formats: list[Format], validate: bool) -> Timings:
    """What an analyst gets from ``atfgraph build --cache``, timed as a command of its own each time (start-up
    included): a clean build without a cache, a first build with one, then a rebuild after a one-record change
    (a description in the last events file), whose outputs are compared byte for byte with a clean build's of
    the changed data. Run in processes of their own, the builds share no memory or collector work."""
    timings: Timings = {}
    if not validate or not store_name.startswith("oxigraph"):
        return timings  # the rebuild validates, and keeps a state, only on Oxigraph
    chosen = ",".join(fmt.value for fmt in formats)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        runs = (("clean build", None, work / "clean"), ("cached build", work / "cache", work / "out"),
                ("rebuild 1 change", work / "cache", work / "out"), ("clean after change", None, work / "clean2"))
        for name, cache_dir, out in runs:
            command = [sys.executable, "-m", "atfgraph", "build", str(data), "-o", str(out), "--format", chosen,
                       "--store", store_name]
            if cache_dir is not None:
                command += ["--cache", str(cache_dir)]
            started = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            timings[name] = time.perf_counter() - started
            if done.returncode != 0:
                raise SystemExit(f"{name} failed: {done.stderr[-2000:]}")
            if name == "rebuild 1 change":  # the stage lines a large build prints, with the time so far
                for line in done.stderr.splitlines():
                    if line.startswith(("checking", "updating", "writing")):
                        print(f"  {line}")
            if name == "cached build":
                events_file = sorted((data / "events").glob("*.csv"))[-1]
                text = events_file.read_text(encoding="utf-8")
                events_file.write_text(text.replace("Synthetic event for benchmarks.", "A changed description.", 1),
                                       encoding="utf-8")
        same = all((work / "out" / fmt.filename).read_bytes() == (work / "clean2" / fmt.filename).read_bytes()
                   for fmt in formats)
        print(f"{'clean build':<18}{timings['clean build']:>9.2f}   (atfgraph build, without a cache)")
        print(f"{'cached build':<18}{timings['cached build']:>9.2f}   (atfgraph build --cache, the first time)")
        print(f"{'rebuild 1 change':<18}{timings['rebuild 1 change']:>9.2f}   "
              f"{100 * timings['rebuild 1 change'] / timings['clean build']:.1f}% of the clean build, "
              f"{100 * timings['rebuild 1 change'] / timings['cached build']:.1f}% of the cached build; "
              f"same bytes as a clean build of the changed data: {'yes' if same else 'NO'}")
        if not same:
            raise SystemExit("the rebuild's outputs differ from a clean build's")
    return timings


def child(options: argparse.Namespace) -> None:
    """One pipeline on one data folder, in this process; its timings as JSON to ``--timings``."""
    formats = [Format(name) for name in options.formats.split(",") if name]
    timings = stages(options.data, options.store, formats, options.jobs, not options.skip_validate,
                     options.nt_alone)
    if options.incremental:
        copy = Path(tempfile.mkdtemp()) / "data"
        shutil.copytree(options.data, copy)  # the change is made to a copy: the other pipelines read the original
        timings |= incremental(copy, options.store, formats, not options.skip_validate)
        shutil.rmtree(copy.parent, ignore_errors=True)
    options.timings.write_text(json.dumps(timings), encoding="utf-8")


def run_child(data: Path, folder: Path, store: str, options: argparse.Namespace, formats: str,
              incremental_too: bool, nt_alone: bool = False) -> Timings:
    timings = folder / f"timings-{store.partition(':')[0]}.json"  # oxigraph or memory: one run of each
    command = [sys.executable, __file__, "--child", "--data", str(data), "--store", store, "--formats", formats,
               "--jobs", str(options.jobs), "--timings", str(timings)]
    if options.skip_validate:
        command.append("--skip-validate")
    if incremental_too:
        command.append("--incremental")
    if nt_alone:
        command.append("--nt-alone")
    subprocess.run(command, check=True)
    result: Timings = json.loads(timings.read_text(encoding="utf-8"))
    return result


def run(events: int, options: argparse.Namespace) -> None:
    formats = options.formats
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        data = folder / "data"
        generate(data, events)
        on_disk = options.on_disk_from is not None and events >= options.on_disk_from
        store = f"oxigraph:{folder / 'store'}" if on_disk else "oxigraph"
        print(f"\n== {events:,} events: atfgraph (Oxigraph store{' on disk' if on_disk else ''}) ==")
        fast = run_child(data, folder, store, options, formats, options.incremental,
                         nt_alone=options.morph_kgc is not None)
        naive: Timings | None = None
        if events <= options.naive_max:
            print(f"\n== {events:,} events: naive (rdflib graph, pyshacl, rdflib serialisers) ==")
            naive = run_child(data, folder, "memory", options, formats, False)
        morph: MorphRun | None = None
        if options.morph_kgc is not None:
            csv_files = sorted((data / "events").glob("*.csv"))
            morph = run_morph(options.morph_kgc, csv_files, folder / "morph")
        summary(events, fast, naive, morph)


def summary(events: int, fast: Timings, naive: Timings | None, morph: MorphRun | None) -> None:
    print(f"\n-- {events:,} events: summary --")
    if naive is not None:
        print(f"{'stage':<16}{'atfgraph s':>12}{'naive s':>12}{'naive/atfgraph':>16}")
        shared = [key for key in naive if key in ("read", "map", "count", "validate", "write") and key in fast]
        for stage in shared:
            print(f"{stage:<16}{fast[stage]:>12.2f}{naive[stage]:>12.2f}{naive[stage] / fast[stage]:>15.1f}x")
        # The same stages on both sides.
        ours, theirs = sum(fast[stage] for stage in shared), sum(naive[stage] for stage in shared)
        print(f"{'whole build':<16}{ours:>12.2f}{theirs:>12.2f}{theirs / ours:>15.1f}x")
        print(f"{'peak RSS MB':<16}{fast['peak RSS MB']:>12,.0f}{naive['peak RSS MB']:>12,.0f}")
    if morph is not None:
        ours = fast["read"] + fast["map"] + fast["write nt alone"]
        print(f"read + map + write N-Triples: atfgraph {ours:.2f} s ({fast['triples']:,.0f} triples, all records); "
              f"Morph-KGC {morph.seconds:.2f} s ({morph.triples:,} triples, events CSV only): "
              f"Morph-KGC/atfgraph = {morph.seconds / ours:.2f}")
    if "rebuild 1 change" in fast:
        print(f"incremental rebuild after one change: {fast['rebuild 1 change']:.2f} s = "
              f"{100 * fast['rebuild 1 change'] / fast['clean build']:.1f}% of a clean build "
              f"({fast['clean build']:.2f} s), {100 * fast['rebuild 1 change'] / fast['cached build']:.1f}% of the "
              f"first build with a cache ({fast['cached build']:.2f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--formats", default="ttl,jsonld,nq")
    parser.add_argument("--naive-max", type=int, default=0, metavar="EVENTS",
                        help="also run the naive rdflib pipeline on sizes up to EVENTS (an hour at 100,000)")
    parser.add_argument("--morph-kgc", type=Path, metavar="PYTHON",
                        help="a Python with morph-kgc installed (make bench-setup: .venv-morph/bin/python)")
    parser.add_argument("--skip-validate", action="store_true", help="leave out SHACL")
    parser.add_argument("--incremental", action="store_true", help="also time a rebuild after one change")
    parser.add_argument("--jobs", type=int, default=1, help="map in this many processes (reading included)")
    parser.add_argument("--on-disk-from", type=int, metavar="EVENTS",
                        help="build sizes from EVENTS up in an on-disk store (--store oxigraph:PATH), as a "
                             "large build must be to stay within memory (1,000,000 events: 24 M triples)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--store", default="oxigraph", help=argparse.SUPPRESS)
    parser.add_argument("--timings", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--nt-alone", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(options)
        return
    for events in options.events:
        run(events, options)


if __name__ == "__main__":
    main()
