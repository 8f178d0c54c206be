"""Rewriting a build's output files after a small change: only the blocks of the subjects whose triples changed.

Every format atfgraph writes is a head, then one block per subject in the order of a key the format gives
the subject, then a tail: N-Triples and N-Quads are sorted lines, so a subject's lines are next to each
other (its lines all begin ``<subject> ``, and no subject's text is a prefix of another's plus a space);
Turtle is Oxigraph's writing of those sorted lines, one paragraph per subject; JSON-LD is one node per
subject in the ``@graph`` array, sorted by the node's encoded ``@id``. So a file can be brought up to date
by copying the old one and putting in its place each changed subject's new block, found by binary search
on the file itself: nothing about the old file need be kept but the file.

A block is made from the subject's quads exactly as the whole-file writers make it (a test holds every
block of the shipped data and of generated data to the whole file). Anything this module does not expect in
an old file raises :class:`NotSpliceable`, and the caller writes the file whole instead.
"""

from __future__ import annotations

import mmap
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from json.encoder import encode_basestring
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from atfgraph.export import Format, context
from atfgraph.jsonldwrite import JsonLdWriter
from atfgraph.jsontext import indented, sort_sets


class NotSpliceable(Exception):
    """An old output is not laid out as this module expects: it must be written whole."""


@dataclass(frozen=True)
class SubjectQuads:
    """Everything a store holds about one subject: its quads as N-Quads lines, its triples as N-Triples lines
    (distinct: a triple stated in two graphs is one triple of the union), each sorted as the outputs sort."""

    subject: str  # the IRI
    quad_lines: tuple[str, ...]
    triple_lines: tuple[str, ...]

    @classmethod
    def of(cls, subject: str, quads: Iterable[ox.Quad]) -> SubjectQuads:
        """From a subject's quads (any order, as a store gives them)."""
        return cls.of_pairs(subject, map(quad_pair, quads))

    @classmethod
    def of_pairs(cls, subject: str, pairs: Iterable[tuple[str, str]]) -> SubjectQuads:
        """From (N-Triples line, graph) pairs, the graph as N-Triples text ("" for the default graph)."""
        quad_lines: set[str] = set()
        triple_lines: set[str] = set()
        for triple, graph in pairs:
            triple_lines.add(triple)
            quad_lines.add(f"{triple[:-3]} {graph} .\n" if graph else triple)
        return cls(subject, tuple(sorted(quad_lines, key=_utf8)), tuple(sorted(triple_lines, key=_utf8)))


def quad_pair(quad: ox.Quad) -> tuple[str, str]:
    """A quad as its N-Triples line and its graph as N-Triples text ("" for the default graph)."""
    graph = "" if isinstance(quad.graph_name, ox.DefaultGraph) else str(quad.graph_name)
    return f"{quad.subject} {quad.predicate} {quad.object} .\n", graph


def _utf8(line: str) -> bytes:
    # The writers sort bytes; for UTF-8 that is code point order, which str comparison also gives, but
    # sorting by the bytes says what is meant.
    return line.encode("utf-8")


class Layout(Protocol):
    """How one format lays out its blocks."""

    separator: bytes

    def key(self, subject: str) -> bytes:
        """The key the format orders a subject's block by."""

    def body(self, data: mmap.mmap) -> tuple[int, int]:
        """Where the blocks begin and end in a file of this format."""

    def next_block(self, data: mmap.mmap, position: int, body: tuple[int, int]) -> tuple[int, bytes] | None:
        """The first block starting at or after ``position`` in the body: its start and key."""

    def render(self, subject: SubjectQuads) -> bytes:
        """A subject's block (empty when the subject has no triple left)."""


class _Lines:
    """N-Triples or N-Quads: blocks are lines; a subject's block is its run of lines."""

    separator = b""

    def __init__(self, quads: bool) -> None:
        self.quads = quads

    def key(self, subject: str) -> bytes:
        return f"<{subject}>".encode()

    def body(self, data: mmap.mmap) -> tuple[int, int]:
        if len(data) and data[-1:] != b"\n":
            raise NotSpliceable("the file does not end with a line break")
        return 0, len(data)

    def next_block(self, data: mmap.mmap, position: int, body: tuple[int, int]) -> tuple[int, bytes] | None:
        start = position if position <= body[0] else data.find(b"\n", position - 1, body[1]) + 1
        if (start <= 0 and position > body[0]) or start >= body[1]:
            return None
        end = data.find(b" ", start, body[1])
        if end < 0:
            raise NotSpliceable(f"no term at byte {start}")
        return start, data[start:end]

    def render(self, subject: SubjectQuads) -> bytes:
        return "".join(subject.quad_lines if self.quads else subject.triple_lines).encode("utf-8")


class _Turtle:
    """Oxigraph's Turtle of the sorted union: the prefixes, then a paragraph per subject, whose first line
    begins with the subject in column 0 and whose other lines begin with a tab."""

    separator = b""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        self.prefixes = dict(prefixes)

    def key(self, subject: str) -> bytes:
        return f"<{subject}>".encode()

    def body(self, data: mmap.mmap) -> tuple[int, int]:
        return _after_prefixes(data), len(data)

    def next_block(self, data: mmap.mmap, position: int, body: tuple[int, int]) -> tuple[int, bytes] | None:
        start = body[0] if position <= body[0] else data.find(b"\n", position - 1, body[1]) + 1
        while 0 < start < body[1] and data[start:start + 1] == b"\t":
            start = data.find(b"\n", start, body[1]) + 1
        if (start <= 0 and position > body[0]) or start >= body[1]:
            return None
        end = data.find(b" ", start, body[1])
        if end < 0:
            raise NotSpliceable(f"no subject at byte {start}")
        return start, self._expand(data[start:end].decode("utf-8"))

    def _expand(self, token: str) -> bytes:
        if token.startswith("<") and token.endswith(">"):
            return token.encode()
        prefix, colon, local = token.partition(":")
        if not colon or prefix not in self.prefixes:
            raise NotSpliceable(f"subject {token!r} is neither an IRI nor a known prefixed name")
        local = _LOCAL_ESCAPE.sub(r"\1", local)  # Turtle's escapes in a local name (\. \- and the like)
        return f"<{self.prefixes[prefix]}{local}>".encode()

    def render(self, subject: SubjectQuads) -> bytes:
        if not subject.triple_lines:
            return b""
        triples = ox.parse("".join(subject.triple_lines).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
        text = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=self.prefixes)
        assert text is not None
        return text[_after_prefixes(text):]


_LOCAL_ESCAPE = re.compile(r"\\(.)")


def _after_prefixes(text: bytes | mmap.mmap) -> int:
    """Where Turtle's leading ``@prefix`` lines end (Oxigraph writes every prefix given, first)."""
    start = 0
    while text[start:start + 8] == b"@prefix ":
        start = text.find(b"\n", start) + 1
        if start <= 0:
            raise NotSpliceable("the prefixes do not end")
    return start


class _JsonLd:
    """atfgraph's JSON-LD: the context, then the ``@graph`` array of nodes, each beginning with its ``@id``."""

    separator = b",\n    "
    _HEAD = b'\n  "@graph": [\n    '
    _TAIL = b"\n  ]\n}\n"
    _NODE = b'{\n      "@id": '
    _STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')

    def __init__(self) -> None:
        self.writer = JsonLdWriter(context())

    def key(self, subject: str) -> bytes:
        return encode_basestring(self.writer.shrink(subject)).encode("utf-8")

    def body(self, data: mmap.mmap) -> tuple[int, int]:
        head = data.find(self._HEAD)
        if head < 0 or data[len(data) - len(self._TAIL):] != self._TAIL:
            raise NotSpliceable("no @graph array (a graph of one node is written as that node)")
        return head + len(self._HEAD), len(data) - len(self._TAIL)

    def next_block(self, data: mmap.mmap, position: int, body: tuple[int, int]) -> tuple[int, bytes] | None:
        if position <= body[0]:
            start = body[0]
        else:
            found = data.find(self.separator + self._NODE, position - len(self.separator), body[1])
            if found < 0:
                return None
            start = found + len(self.separator)
        if data[start:start + len(self._NODE)] != self._NODE:
            raise NotSpliceable(f"no node at byte {start}")
        match = self._STRING.match(data, start + len(self._NODE), body[1])
        if match is None:
            raise NotSpliceable(f"no @id at byte {start}")
        return start, match.group()

    def render(self, subject: SubjectQuads) -> bytes:
        if not subject.triple_lines:
            return b""
        nodes = list(self.writer.line_nodes(subject.triple_lines))
        if len(nodes) != 1 or min(nodes[0]) != "@id":
            raise NotSpliceable(f"the node of {subject.subject} is not one node led by its @id")
        return indented(sort_sets(nodes[0]), 2).encode("utf-8")


def layout(fmt: Format, prefixes: Mapping[str, str]) -> Layout:
    """The layout of one output format (``prefixes``: the Turtle file's)."""
    if fmt is Format.NQ:
        return _Lines(quads=True)
    if fmt is Format.NT:
        return _Lines(quads=False)
    if fmt is Format.TTL:
        return _Turtle(prefixes)
    return _JsonLd()


@dataclass
class Splice:
    """What splicing one file did: blocks replaced, added and removed."""

    replaced: int = 0
    added: int = 0
    removed: int = 0


def splice(old: Path, target: Path, fmt_layout: Layout, subjects: Iterable[SubjectQuads]) -> Splice:
    """Write to ``target`` the file ``old`` with each subject's block made anew from its quads (added where
    it was missing, removed where the subject has no triple left). Raises :class:`NotSpliceable` when ``old``
    is not laid out as expected, or when the file would change between one block and several."""
    blocks: dict[bytes, bytes] = {}
    for subject in subjects:
        blocks[fmt_layout.key(subject.subject)] = fmt_layout.render(subject)
    separator = fmt_layout.separator
    done = Splice()
    if old.stat().st_size == 0:
        raise NotSpliceable(f"{old} is empty")
    with old.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data, \
            target.open("wb") as out:
        body = fmt_layout.body(data)
        view = memoryview(data)
        try:
            out.write(view[:body[0]])
            pieces = _Pieces(out.write, separator)
            cursor = body[0]
            for key in sorted(blocks):
                start = _lower_bound(data, fmt_layout, body, key)
                found = start < body[1] and _key_at(data, fmt_layout, body, start) == key
                end = _block_end(data, fmt_layout, body, start, key) if found else start
                if start > cursor:  # the old blocks before this one, without the separator after them
                    until = start - len(separator) if start < body[1] else body[1]
                    pieces.add(view[cursor:until], _blocks_in(data, separator, cursor, until + len(separator)))
                elif start < cursor:
                    raise NotSpliceable("the blocks are not in key order")
                block = blocks[key]
                if block:
                    pieces.add(block, 1)
                if found:
                    done.replaced += bool(block)
                    done.removed += not block
                else:
                    done.added += bool(block)
                # Past the old block and the separator after it, if it was found.
                cursor = min(end + len(separator), body[1]) if found else start
            if cursor < body[1]:
                pieces.add(view[cursor:body[1]], _blocks_in(data, separator, cursor, body[1] + len(separator)))
            if separator and pieces.count < 2:
                raise NotSpliceable("fewer than two nodes: written as one node or none")
            out.write(view[body[1]:])
        finally:
            view.release()
    return done


class _Pieces:
    """Writes pieces with the separator between them."""

    def __init__(self, write: Callable[[bytes | memoryview], object], separator: bytes) -> None:
        self.write = write
        self.separator = separator
        self.count = 0

    def add(self, piece: bytes | memoryview, blocks: int) -> None:
        if self.count and self.separator:
            self.write(self.separator)
        self.write(piece)
        self.count += blocks


def _blocks_in(data: mmap.mmap, separator: bytes, start: int, end: int) -> int:
    """1 for a span of one old block, 2 for more (all the count is for: one block or several)."""
    if not separator:
        return 2
    return 2 if data.find(separator, start, end - len(separator)) >= 0 else 1


def lines_of(path: Path, subjects: Iterable[str]) -> dict[str, list[str]]:
    """Each subject's lines in a file of sorted N-Triples or N-Quads lines, found by binary search."""
    found: dict[str, list[str]] = {subject: [] for subject in subjects}
    if not found or path.stat().st_size == 0:
        return found
    lines = _Lines(quads=True)
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        body = lines.body(data)
        for subject, into in found.items():
            key = lines.key(subject)
            start = _lower_bound(data, lines, body, key)
            while start < body[1] and _key_at(data, lines, body, start) == key:
                end = data.find(b"\n", start) + 1
                into.append(data[start:end].decode("utf-8"))
                start = end
    return found


def _key_at(data: mmap.mmap, fmt_layout: Layout, body: tuple[int, int], start: int) -> bytes:
    found = fmt_layout.next_block(data, start, body)
    if found is None or found[0] != start:
        raise NotSpliceable(f"no block at byte {start}")
    return found[1]


def _lower_bound(data: mmap.mmap, fmt_layout: Layout, body: tuple[int, int], key: bytes) -> int:
    """The start of the first block whose key is ``key`` or after it (the body's end if none is)."""
    left, right, answer = body[0], body[1], body[1]
    while left < right:
        middle = (left + right) // 2
        found = fmt_layout.next_block(data, middle, body)
        if found is None or found[0] >= right:
            right = middle  # no block starts in [middle, right): the answer is before, or already found
        elif found[1] >= key:
            answer, right = found[0], middle
        else:
            left = found[0] + 1
    return answer


def _block_end(data: mmap.mmap, fmt_layout: Layout, body: tuple[int, int], start: int, key: bytes) -> int:
    """Where the block of ``key`` starting at ``start`` ends: before the next block of another key."""
    position = start + 1
    while True:
        found = fmt_layout.next_block(data, position, body)
        if found is None:
            return body[1]
        if found[1] != key:
            return found[0] - len(fmt_layout.separator)
        position = found[0] + 1


__all__ = ["Layout", "NotSpliceable", "Splice", "SubjectQuads", "layout", "lines_of", "quad_pair", "splice"]
