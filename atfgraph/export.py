"""Writing a store's graph as Turtle, JSON-LD, N-Quads and N-Triples: deterministic and atomic.

Every file is written next to its target under a temporary name and renamed over it only once all of
them are complete, so a failed run leaves the last good build as it was. Outputs are sorted so the same
input gives the same bytes whatever Python's hash seed.
"""

from __future__ import annotations

import bisect
import collections
import concurrent.futures
import contextlib
import enum
import heapq
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from rdflib import Dataset, Graph

from atfgraph.errors import OutputError
from atfgraph.gcpause import cycle_collection_paused
from atfgraph.jsontext import indented, sort_sets
from atfgraph.namespaces import PREFIXES, entity_prefixes
from atfgraph.resources import ontology_dir
from atfgraph.store import Store


class Format(enum.Enum):
    """The graph formats atfgraph writes, by their usual file suffix."""

    TTL = "ttl"
    JSONLD = "jsonld"
    NQ = "nq"
    NT = "nt"

    @property
    def filename(self) -> str:
        """The file a build writes this format to."""
        return f"graph.{self.value}"


DEFAULT_FORMATS = (Format.TTL, Format.JSONLD, Format.NQ)


def context() -> dict[str, Any]:
    """The shipped JSON-LD context (the value of ``@context``)."""
    with (ontology_dir() / "context.jsonld").open(encoding="utf-8") as handle:
        document: dict[str, Any] = json.load(handle)
    return dict(document["@context"])


def prefixed_graph(store: Store, base: str) -> Graph:
    """The union graph with the standard prefixes and one prefix per entity kind bound."""
    graph = store.union()
    for prefix, namespace in {**PREFIXES, **entity_prefixes(base)}.items():
        graph.bind(prefix, namespace, replace=True)
    return graph


def turtle(graph: Graph) -> str:
    """Turtle of a graph (rdflib orders subjects and predicates; there are no blank nodes to number)."""
    return graph.serialize(format="turtle")


def jsonld(graph: Graph) -> str:
    """JSON-LD compacted with the shipped context, embedded inline so the file reads offline."""
    # Entity prefixes are not merged in: "country", "document" and "source" are property terms there.
    text = graph.serialize(format="json-ld", context=context(), auto_compact=True)
    return _dump_jsonld(json.loads(text))


def _dump_jsonld(document: Any) -> str:
    """Indented, keys sorted, arrays sorted (JSON-LD arrays are sets unless ``@list``): deterministic text.
    The document is sorted in place: it is always one made for this call."""
    return indented(sort_sets(document)) + "\n"


def nquads(store: Store) -> str:
    """N-Quads of every named graph, one sorted line per quad."""
    dataset = Dataset()
    for subject, predicate, obj, name in store.quads():
        dataset.graph(name).add((subject, predicate, obj))
    text = dataset.serialize(format="nquads")
    # Split on "\n" only: str.splitlines() also breaks at form feeds and U+2028, which may stand raw in
    # a literal.
    return _sorted_lines(_default_graph_line(line) for line in text.split("\n"))


def ntriples(graph: Graph) -> str:
    """N-Triples of the union graph, one sorted line per triple."""
    return _sorted_lines(graph.serialize(format="nt").split("\n"))


def _default_graph_line(line: str) -> str:
    # rdflib writes a default-graph quad as "s p o  ." (an empty graph term); keep the usual single space.
    return line[:-3] + " ." if line.endswith("  .") else line


def _sorted_lines(lines: Iterable[str]) -> str:
    unique = sorted({line for line in lines if line.strip()})
    return "".join(f"{line}\n" for line in unique)


def render(store: Store, fmt: Format, base: str) -> str:
    """The text of one output format."""
    return render_bytes(store, fmt, base).decode("utf-8")


def render_bytes(store: Store, fmt: Format, base: str) -> bytes:
    """One output format as UTF-8 bytes, what is written to a file."""
    with Renderer(store, base, (fmt,)) as renderer:
        return renderer.render(fmt)


_DUMPERS = 2

_FROM_TRIPLE_LINES = frozenset({Format.TTL, Format.JSONLD, Format.NT})


class Renderer:
    """Writes one store's output formats to files.

    On Oxigraph every format streams from sorted lines kept on disk, not in memory: each named graph is
    dumped by Oxigraph, sorted on its own and written to a run file in ``workdir``, once. N-Quads are the runs
    merged, each line given its graph's name; the union's triples are the runs merged with duplicates across
    graphs dropped, into a file from which Turtle, JSON-LD and N-Triples are all made. The number of its lines
    is the graph's triple count, which a build then need not ask the store for (2.9 s at 100,000 events).
    Sorted bytes are sorted code points (UTF-8), so the same graph gives the same bytes whatever the store's
    insertion order. Use as a context manager: the work files are removed on leaving it.
    """

    def __init__(self, store: Store, base: str, formats: tuple[Format, ...], workdir: Path | None = None,
                 keep_runs: bool = False) -> None:
        self.store = store
        self.keep_runs = keep_runs  # for graph_runs after the writing (see atfgraph.lastbuild)
        self.base = base
        self._left = list(formats)
        self._workdir = workdir
        self._work: Path | None = None
        self._runs: list[tuple[Path, bytes]] | None = None
        self._union: Path | None = None
        self.triple_count: int | None = None
        self.quad_count = 0  # the runs' lines, once they are made

    def __enter__(self) -> Renderer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Remove the work files."""
        if self._work is not None:
            shutil.rmtree(self._work, ignore_errors=True)
            self._work = self._union = self._runs = None

    def write(self, fmt: Format, target: Path) -> None:
        """Write one format to ``target`` (overwritten)."""
        try:
            with cycle_collection_paused():  # JSON-LD makes a dict per node: see atfgraph.gcpause
                if not is_oxigraph(self.store):
                    target.write_bytes(_render_with_rdflib(self.store, fmt, self.base))
                elif fmt is Format.NQ:
                    self._write_nquads(target)
                else:
                    self._write_from_triples(fmt, target)
        except OSError as error:
            raise OutputError(f"cannot write {error.filename or target}: {error.strerror}") from error

    def render(self, fmt: Format) -> bytes:
        """One format's bytes (through a work file)."""
        target = self._work_dir() / f"rendered.{fmt.value}"
        try:
            self.write(fmt, target)
            return target.read_bytes()
        finally:
            target.unlink(missing_ok=True)

    def _work_dir(self) -> Path:
        if self._work is None:
            if self._workdir is not None:
                self._workdir.mkdir(parents=True, exist_ok=True)
            self._work = Path(tempfile.mkdtemp(prefix=".atfgraph-work.", dir=self._workdir))
        return self._work

    def _write_from_triples(self, fmt: Format, target: Path) -> None:
        import pyoxigraph as ox

        union = self._union_file()
        if fmt is Format.NT:
            shutil.copyfile(union, target)
        elif fmt is Format.JSONLD:
            write_jsonld(union, target)
        else:
            # Oxigraph's Turtle writer keeps the order it is given: sorted N-Triples in, the same Turtle out.
            triples = ox.parse(path=str(union), format=ox.RdfFormat.N_TRIPLES)
            prefixes = {**PREFIXES, **entity_prefixes(self.base)}
            ox.serialize(triples, str(target), format=ox.RdfFormat.TURTLE, prefixes=prefixes)
        self._done(fmt)

    side_process_from = 500_000
    """The quads from which JSON-LD is written by a second process: starting one costs about half a
    second, which pays from some 20,000 events (at 10,000 the whole writing was slower; at 100,000 four
    seconds faster)."""

    def write_all(self, targets: Sequence[tuple[Format, Path]], announce: Callable[[str], None] | None = None,
                  release: Callable[[], None] | None = None) -> None:
        """Write several formats, each to its target, telling ``announce`` as each starts.

        On Oxigraph, every format is written from the graphs' sorted runs, and ``release`` (if given) is called
        once they are made (with JSON-LD beside, once its process has its input): the store is not read after
        that. On a graph large enough for it to pay (:attr:`side_process_from`), JSON-LD, the longest to write
        and all Python, is written by a second process from the union's file while this one writes the others
        (Oxigraph's Turtle, the merged N-Quads): on two cores it takes its time off the build. The process is
        started as soon as the runs are made, so that its start overlaps the merging of the union. Its bytes
        are those :meth:`write` gives (the same code writes them).
        """
        tell = announce if announce is not None else _quiet
        if not targets or not is_oxigraph(self.store):
            for fmt, target in targets:
                tell(f"writing {fmt.filename}")
                self.write(fmt, target)
            return
        jsonld = next((target for fmt, target in targets if fmt is Format.JSONLD), None)
        needs_union = any(fmt in _FROM_TRIPLE_LINES for fmt, _ in targets)
        if self._runs is None or (needs_union and self._union is None):
            tell("sorting the triples")
        with contextlib.ExitStack() as stack:
            side: SideWriter | None = None
            try:
                self.graph_runs()
                if jsonld is not None and len(targets) > 1 and self.quad_count >= self.side_process_from:
                    side = stack.enter_context(SideWriter(jsonld))
                elif release is not None:
                    release()
                union = self._union_file() if needs_union else None
            except OSError as error:
                raise OutputError(f"cannot write {error.filename or targets[0][1]}: {error.strerror}") from error
            if side is None or union is None:
                for fmt, target in targets:
                    tell(f"writing {fmt.filename}")
                    self.write(fmt, target)
                return
            tell(f"writing {Format.JSONLD.filename} (in a second process)")
            side.begin(union)
            # Letting the store go holds the interpreter for a second (Oxigraph frees its memory): done once
            # JSON-LD's process has its input, while that process is still small.
            if release is not None:
                release()
            for fmt, target in targets:
                if fmt is not Format.JSONLD:
                    tell(f"writing {fmt.filename}")
                    self.write(fmt, target)
            tell(f"waiting for {Format.JSONLD.filename}")
            side.wait()
        self._done(Format.JSONLD)

    def _done(self, fmt: Format) -> None:
        """Remove the work files no format left to write needs."""
        if fmt in self._left:
            self._left.remove(fmt)
        needs_union = any(left in _FROM_TRIPLE_LINES for left in self._left)
        if not needs_union and self._union is not None:
            self._union.unlink(missing_ok=True)
            self._union = None
        if self._runs is not None and not self.keep_runs and Format.NQ not in self._left and \
                (self._union is not None or not needs_union):
            for run, _ in self._runs:
                run.unlink(missing_ok=True)
            self._runs = None

    def _union_file(self) -> Path:
        """The union's distinct triples as sorted N-Triples lines, in a work file."""
        if self._union is None:
            union = self._work_dir() / "union.nt"
            with contextlib.ExitStack() as stack:
                streams = [stack.enter_context(_open_run(run)) for run, _ in self.graph_runs()]
                self.triple_count = _merge(streams, union)
            self._union = union
        return self._union

    def _write_nquads(self, target: Path) -> None:
        with contextlib.ExitStack() as stack:
            streams: list[Iterable[bytes]] = []
            for run, name in self.graph_runs():
                lines = stack.enter_context(_open_run(run))
                # "s p o ." becomes "s p o <g> .": a graph's sorted triples stay sorted as quads, and quads of
                # different graphs merge in order, as no line is a prefix of another (see _merge).
                streams.append(_quads(lines, name) if name else lines)
            _merge(streams, target, distinct=False)
        self._done(Format.NQ)

    @property
    def has_runs(self) -> bool:
        """Whether the graphs' runs were made (by writing a format whole)."""
        return self._runs is not None

    def graph_runs(self) -> list[tuple[Path, bytes]]:
        """Each graph's triples, sorted, in a run file of its own, with the graph's name as N-Quads write it
        (empty for the default graph): dumped and sorted once, for the union and for N-Quads. The files are
        the renderer's, removed when it closes (or earlier, unless it keeps them)."""
        if self._runs is None:
            import pyoxigraph as ox

            oxigraph = self.store.store  # type: ignore[attr-defined]
            graphs: list[ox.NamedNode | ox.DefaultGraph] = [ox.DefaultGraph(), *oxigraph.named_graphs()]

            def dump(graph: ox.NamedNode | ox.DefaultGraph) -> bytes | None:
                return oxigraph.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph)  # type: ignore[no-any-return]

            # Dumping is most of the time (1.9 s of 2.9 s at 100,000 events) and Oxigraph does it without the
            # GIL: two graphs are dumped at a time on threads while the lines of the last are sorted here.
            # Two ahead, not more: each waiting dump is memory.
            runs: list[tuple[Path, bytes]] = []
            with concurrent.futures.ThreadPoolExecutor(_DUMPERS) as dumpers:
                ahead = collections.deque(dumpers.submit(dump, graph) for graph in graphs[:_DUMPERS])
                for index, graph in enumerate(graphs):
                    text = ahead.popleft().result()
                    if index + _DUMPERS < len(graphs):
                        ahead.append(dumpers.submit(dump, graphs[index + _DUMPERS]))
                    name = b"" if isinstance(graph, ox.DefaultGraph) else str(graph).encode("utf-8")
                    runs.append((self._sorted_run(text), name))
                    del text
            self._runs = runs
        return self._runs

    def _sorted_run(self, dump: bytes | None) -> Path:
        """A graph's N-Triples dump, sorted and written to a run file."""
        lines = sorted_lines(dump)
        del dump
        self.quad_count += len(lines)
        handle, name = tempfile.mkstemp(prefix="run.", dir=self._work_dir())
        with os.fdopen(handle, "wb") as stream:
            if lines:
                lines.append(b"")
                stream.write(b"\n".join(lines))
        return Path(name)


def write_jsonld(union: Path, target: Path) -> None:
    """JSON-LD of the union's sorted N-Triples lines, compacted with the shipped context."""
    from atfgraph.jsonldwrite import JsonLdWriter  # imports pyoxigraph too

    # Lines end at "\n" only (a literal may hold U+2028 raw; "\r" is escaped).
    with union.open(encoding="utf-8", newline="\n") as lines, \
            target.open("w", encoding="utf-8", newline="\n") as stream:
        JsonLdWriter(context()).write_lines(lines, stream.write)


class SideWriter:
    """:func:`write_jsonld` run by a second Python process (the interpreter running this one), started before
    its input is ready: :meth:`begin` tells it the union's file once it is written.

    A process of its own rather than a thread (the writer is Python and would hold the GIL) or a fork (the
    parent holds Oxigraph's threads and a large heap). Leaving the ``with`` block before :meth:`wait` stops it.
    """

    def __init__(self, target: Path) -> None:
        self.target = target
        self._union: Path | None = None
        package_parent = str(Path(__file__).resolve().parent.parent)
        environment = dict(os.environ)
        environment["PYTHONPATH"] = os.pathsep.join(filter(None, [package_parent, environment.get("PYTHONPATH")]))
        self._process: subprocess.Popen[bytes] | None = None
        if sys.executable:  # else an embedding program: no interpreter to start, written here by wait
            with contextlib.suppress(OSError):  # no second process to be had: the same
                self._process = subprocess.Popen(
                    [sys.executable, "-c", _SIDE_PROGRAM], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE, env=environment)

    def begin(self, union: Path) -> None:
        """Give the process its input: the union's sorted N-Triples."""
        self._union = union
        if self._process is not None and self._process.stdin is not None:
            # A process that ended already (it could not start) says why when waited for.
            with contextlib.suppress(OSError):
                self._process.stdin.write(json.dumps([str(union), str(self.target)]).encode("utf-8") + b"\n")
                self._process.stdin.close()

    def wait(self) -> None:
        """Until the file is written; an :class:`OutputError` if it cannot be. Should the second process fail
        for any reason (it could not start, or its interpreter cannot run this code), the file is written
        here: the process only ever saves time, it never fails a build that could succeed."""
        assert self._union is not None, "begin first"
        process = self._process
        if process is not None:
            if process.stderr is not None:
                process.stderr.read()  # a few lines at most; why it failed is found again below, if it can be
            _close(process)
            self._process = None
            if process.returncode == 0:
                return
        try:
            write_jsonld(self._union, self.target)
        except OSError as error:
            raise OutputError(f"cannot write {error.filename or self.target}: {error.strerror}") from error

    def __enter__(self) -> SideWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._process is not None:
            self._process.kill()
            _close(self._process)
            self._process = None


def _close(process: subprocess.Popen[bytes]) -> None:
    """Reap a process and close its pipes (its input may be closed already)."""
    process.wait()
    for pipe in (process.stdin, process.stderr):
        if pipe is not None:
            with contextlib.suppress(OSError):
                pipe.close()


def _quiet(text: str) -> None:
    """No one to tell."""


def sorted_lines(dump: bytes | None) -> list[bytes]:
    """The lines of an N-Triples dump, sorted, without the line breaks or empty lines."""
    # Split on b"\n" only; sorted as a list, not a set: Oxigraph dumps in index order, long runs of which
    # are already sorted, and Python's sort takes them as they are.
    lines = (dump or b"").split(b"\n")
    lines.sort()
    del lines[:bisect.bisect_right(lines, b"")]  # the empty ones, sorted first: a run has no empty line
    return lines


def _open_run(run: Path) -> BinaryIO:
    return run.open("rb", buffering=1 << 20)


def _quads(lines: Iterable[bytes], name: bytes) -> Iterator[bytes]:
    ending = b" " + name + b" .\n"
    return (line[:-3] + ending for line in lines)


def _merge(streams: Sequence[Iterable[bytes]], target: Path, distinct: bool = True) -> int:
    """Merge sorted streams of lines into ``target``; the lines written. With ``distinct``, a line found in
    several streams is written once (the union's triples); N-Quads need not ask, as no quad is in two runs.

    Lines keep their newline while merging: no N-Triples or N-Quads line is a proper prefix of another (each
    ends its last term with " ."), so lines sort the same with it as without.
    """
    merged: Iterable[bytes] = heapq.merge(*streams)
    if distinct:
        merged = (line for line, _ in itertools.groupby(merged))
    count = 0
    with target.open("wb", buffering=1 << 20) as out:
        write = out.write
        for line in merged:
            write(line)
            count += 1
    return count


def _render_with_rdflib(store: Store, fmt: Format, base: str) -> bytes:
    if fmt is Format.NQ:
        return nquads(store).encode("utf-8")
    graph = prefixed_graph(store, base)
    if fmt is Format.TTL:
        return turtle(graph).encode("utf-8")
    if fmt is Format.JSONLD:
        return jsonld(graph).encode("utf-8")
    return ntriples(graph).encode("utf-8")


def is_oxigraph(store: Store) -> bool:
    """Whether a store is an Oxigraph one (checked without importing pyoxigraph)."""
    return type(store).__name__ == "OxigraphStore"  # no import: pyoxigraph loads only when it is used


def _umask() -> int:
    """The process's umask (read by setting it and setting it back, once, at import: not under threads)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _umask()


class StagedFiles:
    """Output files written one at a time under temporary names beside their targets, then put in place
    together by :meth:`commit`: all or nothing, and only one file's content need be in memory at a time.
    Leaving the ``with`` block without a commit removes what was staged; the targets are untouched."""

    def __init__(self) -> None:
        self._staged: list[tuple[Path, Path]] = []

    def add(self, target: Path, content: str | bytes) -> None:
        """Write one file's content under a temporary name."""
        data = content.encode("utf-8") if isinstance(content, str) else content
        staged = self.stage(target)
        try:
            staged.write_bytes(data)
        except OSError as error:
            raise OutputError(f"cannot write {error.filename or target}: {error.strerror}") from error

    def stage(self, target: Path) -> Path:
        """An empty file under a temporary name beside ``target``, for the caller to write, put in place by
        :meth:`commit` like the others."""
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            self._staged.append((Path(name), target))
            # mkstemp makes the file private (0600); an output gets the mode any new file would get.
            os.fchmod(handle, 0o666 & ~_UMASK)
            os.close(handle)
        except OSError as error:
            raise OutputError(f"cannot write {error.filename or target}: {error.strerror}") from error
        return Path(name)

    def commit(self) -> list[Path]:
        """Rename every staged file over its target."""
        written: list[Path] = []
        try:
            for temporary, target in self._staged:
                os.replace(temporary, target)
                written.append(target)
        except OSError as error:
            raise OutputError(f"cannot write {error.filename or 'output'}: {error.strerror}") from error
        self._staged = [(temporary, target) for temporary, target in self._staged if target not in written]
        return written

    def __enter__(self) -> StagedFiles:
        return self

    def __exit__(self, *exc: object) -> None:
        for temporary, _ in self._staged:
            with contextlib.suppress(OSError):
                temporary.unlink()
        self._staged = []


def write_atomically(files: dict[Path, str]) -> list[Path]:
    """Write every file under a temporary name, then rename each over its target; all or nothing."""
    with StagedFiles() as staged:
        for target, text in files.items():
            staged.add(target, text)
        return staged.commit()


_SIDE_PROGRAM = "import sys; from atfgraph.export import write_jsonld_here; sys.exit(write_jsonld_here(sys.stdin))"


def write_jsonld_here(orders: TextIO) -> int:
    """The second process of :class:`SideWriter`: waits for its order (the union's file and the target, as a
    JSON array on one line), then writes; exit status 0 once written, else 1 and why on stderr (2 without an
    order: the build stopped before giving one)."""
    order = orders.readline()
    if not order:
        return 2
    union, target = (Path(argument) for argument in json.loads(order))
    try:
        with cycle_collection_paused():
            write_jsonld(union, target)
    except (OSError, ValueError) as error:
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        return 1
    return 0


__all__ = ["DEFAULT_FORMATS", "Format", "Renderer", "StagedFiles", "context", "is_oxigraph", "jsonld", "nquads",
           "ntriples", "prefixed_graph", "render", "render_bytes", "sorted_lines", "turtle", "write_atomically",
           "write_jsonld", "write_jsonld_here"]
