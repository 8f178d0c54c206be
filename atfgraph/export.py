"""Writing a store's graph as Turtle, JSON-LD, N-Quads and N-Triples: deterministic and atomic.

Every file is written next to its target under a temporary name and renamed over it only once all of
them are complete, so a failed run leaves the last good build as it was. Outputs are sorted so the same
input gives the same bytes whatever Python's hash seed.
"""

from __future__ import annotations

import contextlib
import enum
import itertools
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

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
    """One output format as UTF-8 bytes, what is written to a file (no copy as str at scale)."""
    return Renderer(store, base, (fmt,)).render(fmt)


_FROM_TRIPLE_LINES = frozenset({Format.TTL, Format.JSONLD, Format.NT})


class Renderer:
    """Writes one store's output formats. On Oxigraph, Turtle, JSON-LD and N-Triples are all made from the
    union's distinct triples as sorted N-Triples lines: those are made once for all of them (2.7 s at
    100,000 events), kept until the last format in ``formats`` that needs them, and their number is the
    graph's triple count, which a build then need not ask the store for (2.9 s more)."""

    def __init__(self, store: Store, base: str, formats: tuple[Format, ...]) -> None:
        self.store = store
        self.base = base
        self._pending = [fmt for fmt in formats if fmt in _FROM_TRIPLE_LINES]
        self._lines: bytes | None = None
        self.triple_count: int | None = None

    def render(self, fmt: Format) -> bytes:
        """One format's bytes."""
        with cycle_collection_paused():  # JSON-LD makes a dict per node: see atfgraph.gcpause
            if not _is_oxigraph(self.store):
                return _render_with_rdflib(self.store, fmt, self.base)
            if fmt is Format.NQ:
                import pyoxigraph as ox

                return _sorted_byte_lines([self.store.store.dump(format=ox.RdfFormat.N_QUADS)])  # type: ignore[attr-defined]
            lines = self._triple_lines()
            if fmt in self._pending:
                self._pending.remove(fmt)
            if not self._pending:
                self._lines = None  # no later format needs them: freed once this one is made
            return _from_triple_lines(lines, fmt, self.base)

    def _triple_lines(self) -> bytes:
        if self._lines is None:
            import pyoxigraph as ox

            oxigraph = self.store.store  # type: ignore[attr-defined]
            # Each graph dumped as N-Triples in Rust, then merged (three times faster than a CONSTRUCT of them
            # all), one graph's dump at a time: each is split, then freed.
            graphs = [ox.DefaultGraph(), *oxigraph.named_graphs()]
            self._lines = _sorted_byte_lines(oxigraph.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
                                             for graph in graphs)
            self.triple_count = self._lines.count(b"\n")
        return self._lines


def _render_with_rdflib(store: Store, fmt: Format, base: str) -> bytes:
    if fmt is Format.NQ:
        return nquads(store).encode("utf-8")
    graph = prefixed_graph(store, base)
    if fmt is Format.TTL:
        return turtle(graph).encode("utf-8")
    if fmt is Format.JSONLD:
        return jsonld(graph).encode("utf-8")
    return ntriples(graph).encode("utf-8")


def _is_oxigraph(store: Store) -> bool:
    return type(store).__name__ == "OxigraphStore"  # no import: pyoxigraph loads only when it is used


def _from_triple_lines(lines: bytes, fmt: Format, base: str) -> bytes:
    """N-Triples as they are, Turtle by Oxigraph's serialiser, JSON-LD by :class:`JsonLdWriter`, from the
    union's sorted N-Triples lines (sorted as bytes: UTF-8 byte order is code point order): deterministic."""
    import pyoxigraph as ox

    from atfgraph.jsonldwrite import JsonLdWriter  # imports pyoxigraph too

    if fmt is Format.NT:
        return lines
    if fmt is Format.JSONLD:
        document = JsonLdWriter(context()).document(ox.parse(lines, format=ox.RdfFormat.N_TRIPLES))
        return _dump_jsonld(document).encode("utf-8")
    # Oxigraph's Turtle writer keeps the order it is given: sorted N-Triples in, the same Turtle out.
    ordered = ox.parse(lines, format=ox.RdfFormat.N_TRIPLES)
    prefixes = {**PREFIXES, **entity_prefixes(base)}
    return ox.serialize(ordered, format=ox.RdfFormat.TURTLE, prefixes=prefixes) or b""


def _sorted_byte_lines(chunks: Iterable[bytes | None]) -> bytes:
    """The distinct non-empty lines of the chunks, sorted, each ended by a newline (split on b"\\n" only).

    Sorted as a list, not a set: Oxigraph dumps in index order, long runs of which are already sorted, and
    Python's sort takes them as they are (0.25 s for 2.4 million lines, against 2.5 s from a set). Copies
    are avoided where they are large: joined with the newline as separator, and an empty last item for
    the final newline.
    """
    lines: list[bytes] = []
    for chunk in chunks:
        lines.extend((chunk or b"").split(b"\n"))
    lines.sort()
    unique = [line for line, _ in itertools.groupby(lines) if line.strip()]
    del lines
    if not unique:
        return b""
    unique.append(b"")
    return b"\n".join(unique)


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
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            self._staged.append((Path(name), target))
            # mkstemp makes the file private (0600); an output gets the mode any new file would get.
            os.fchmod(handle, 0o666 & ~_UMASK)
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
        except OSError as error:
            raise OutputError(f"cannot write {error.filename or target}: {error.strerror}") from error

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


__all__ = ["DEFAULT_FORMATS", "Format", "Renderer", "StagedFiles", "context", "jsonld", "nquads", "ntriples",
           "prefixed_graph", "render", "render_bytes", "turtle", "write_atomically"]
