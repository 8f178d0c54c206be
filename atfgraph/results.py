"""Rendering a query's answer: a terminal table, SPARQL 1.1 CSV, TSV and JSON results, Markdown, Turtle, JSON-LD.

SELECT answers go to table, csv, tsv, json or md; an ASK answer to any of those as true or false; CONSTRUCT
and DESCRIBE answers to Turtle (the table format means Turtle for them) or JSON-LD. The same answer always
gives the same text: blank nodes are renamed b0, b1… in the order they first appear.
"""

from __future__ import annotations

import csv
import enum
import io
import json
import unicodedata
from collections.abc import Iterable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from atfgraph.errors import UsageError
from atfgraph.export import jsonld, turtle
from atfgraph.namespaces import DEFAULT_BASE, PREFIXES, RDF, XSD, entity_prefixes
from atfgraph.store import QueryForm, QueryResult


class ResultFormat(enum.Enum):
    """The formats a query's answer can be written in."""

    TABLE = "table"
    CSV = "csv"
    TSV = "tsv"
    JSON = "json"
    MD = "md"
    TTL = "ttl"
    JSONLD = "jsonld"


GRAPH_FORMATS = frozenset({ResultFormat.TABLE, ResultFormat.TTL, ResultFormat.JSONLD})
"""Formats for CONSTRUCT and DESCRIBE answers (table means Turtle there)."""

SOLUTION_FORMATS = frozenset({ResultFormat.TABLE, ResultFormat.CSV, ResultFormat.TSV, ResultFormat.JSON,
                              ResultFormat.MD})
"""Formats for SELECT and ASK answers."""

MAX_CELL = 60
"""The widest a table cell gets before it is cut with an ellipsis: other formats keep every character."""

_PLAIN = frozenset({XSD.string, RDF.langString})
"""Datatypes the JSON results format leaves out (a plain or language-tagged string)."""


def render(result: QueryResult, fmt: ResultFormat, base: str = DEFAULT_BASE, width: int | None = None) -> str:
    """The text of an answer in a format; :class:`UsageError` when the format does not suit the answer.

    ``width`` is the terminal's, which a table is narrowed to fit; other formats ignore it.
    """
    graph_answer = result.form in (QueryForm.CONSTRUCT, QueryForm.DESCRIBE)
    allowed = GRAPH_FORMATS if graph_answer else SOLUTION_FORMATS
    if fmt not in allowed:
        choices = ", ".join(sorted(item.value for item in allowed))
        raise UsageError(f"a {result.form.value} answer cannot be written as {fmt.value}; use {choices}")
    if graph_answer:
        graph = _prefixed(result.graph if result.graph is not None else Graph(), base)
        return jsonld(graph) if fmt is ResultFormat.JSONLD else turtle(graph)
    if result.form is QueryForm.ASK:
        if fmt is ResultFormat.JSON:
            return json.dumps({"head": {}, "boolean": bool(result.boolean)}, indent=2) + "\n"
        return ("true" if result.boolean else "false") + "\n"
    rows = _renamed(result.rows)
    if fmt is ResultFormat.CSV:
        return to_csv(result.variables, rows)
    if fmt is ResultFormat.TSV:
        return to_tsv(result.variables, rows)
    if fmt is ResultFormat.JSON:
        return to_json(result.variables, rows)
    names = Names(base)
    if fmt is ResultFormat.MD:
        return to_markdown(result.variables, rows, names)
    return to_table(result.variables, rows, names, width=width)


Rows = tuple[tuple[Node | None, ...], ...]


def _renamed(rows: Rows) -> Rows:
    """Blank nodes renamed b0, b1… in order of appearance: their own labels change from run to run."""
    labels: dict[BNode, BNode] = {}

    def rename(term: Node | None) -> Node | None:
        if isinstance(term, BNode):
            return labels.setdefault(term, BNode(f"b{len(labels)}"))
        return term

    return tuple(tuple(rename(term) for term in row) for row in rows)


def _prefixed(graph: Graph, base: str) -> Graph:
    """A copy of a graph with the standard and entity prefixes bound, for readable Turtle."""
    copy = Graph()
    for prefix, namespace in {**PREFIXES, **entity_prefixes(base)}.items():
        copy.bind(prefix, namespace, replace=True)
    for triple in graph:
        copy.add(triple)
    return copy


# --- SPARQL 1.1 Query Results CSV, TSV and JSON


def to_csv(variables: tuple[str, ...], rows: Rows) -> str:
    """SPARQL 1.1 CSV: a header of variable names, then plain values (IRIs, lexical forms), CRLF lines."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow(["" if term is None else f"_:{term}" if isinstance(term, BNode) else str(term)
                         for term in row])
    return buffer.getvalue()


def to_tsv(variables: tuple[str, ...], rows: Rows) -> str:
    """SPARQL 1.1 TSV: a header of ``?variables``, then terms in Turtle syntax, an empty cell when unbound."""
    lines = ["\t".join(f"?{variable}" for variable in variables)]
    lines += ["\t".join(_turtle_term(term) for term in row) for row in rows]
    return "\n".join(lines) + "\n"


def _turtle_term(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        escaped = (str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
                   .replace("\r", "\\r").replace("\t", "\\t"))
        if term.language:
            return f'"{escaped}"@{term.language}'
        if term.datatype is not None and term.datatype != XSD.string:
            return f'"{escaped}"^^<{term.datatype}>'
        return f'"{escaped}"'
    return str(term)  # pragma: no cover - answers hold only IRIs, literals and blank nodes


def to_json(variables: tuple[str, ...], rows: Rows) -> str:
    """SPARQL 1.1 Query Results JSON; unbound variables are left out of a row's bindings."""
    bindings = [{variable: _json_term(term) for variable, term in zip(variables, row, strict=True)
                 if term is not None} for row in rows]
    document = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    value: dict[str, str] = {"type": "literal", "value": str(term)}
    if isinstance(term, Literal):
        if term.language:
            value["xml:lang"] = term.language
        elif term.datatype is not None and term.datatype not in _PLAIN:
            value["datatype"] = str(term.datatype)
    return value


# --- for people: a terminal table and Markdown


class Names:
    """Short names for IRIs: ``event:attf-meeting-4`` rather than the whole IRI."""

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        namespaces = {**PREFIXES, **entity_prefixes(base)}
        # Longest namespace first, so an entity prefix wins over a shorter one that also matches.
        self.namespaces = sorted(namespaces.items(), key=lambda item: (-len(item[1]), item[0]))

    def text(self, term: Node | None) -> str:
        """A term as a person reads it: a prefixed name, a literal's text, ``_:b0``; "" when unbound."""
        if term is None:
            return ""
        if isinstance(term, URIRef):
            for prefix, namespace in self.namespaces:
                if term.startswith(namespace) and len(term) > len(namespace):
                    return f"{prefix}:{term[len(namespace):]}"
            return f"<{term}>"
        if isinstance(term, BNode):
            return f"_:{term}"
        return " ".join(str(term).split())  # a line break would break the row


def to_table(variables: tuple[str, ...], rows: Rows, names: Names | None = None, max_cell: int = MAX_CELL,
             width: int | None = None) -> str:
    """An aligned table: a header, a rule, one line per row; long cells are cut with an ellipsis.

    With a ``width`` (a terminal's), the widest columns are narrowed, down to ``MIN_COLUMN``, until the
    table fits, so that lines do not wrap.
    """
    names = names if names is not None else Names()
    texts = [list(variables)] + [[names.text(term) for term in row] for row in rows]
    widths = [min(max_cell, max((_width(line[column]) for line in texts), default=0))
              for column in range(len(variables))]
    if width is not None:
        widths = _fitted(widths, width - 2 * max(len(widths) - 1, 0))
    cells = [[_cut(text, limit) for text, limit in zip(line, widths, strict=True)] for line in texts]
    lines = [_line(cells[0], widths), _line(["-" * limit for limit in widths], widths)]
    lines += [_line(line, widths) for line in cells[1:]]
    return "\n".join(lines) + "\n"


MIN_COLUMN = 8
"""The narrowest a column is made to fit a terminal."""


def _fitted(widths: list[int], room: int) -> list[int]:
    """Column widths narrowed, widest first, until they add up to ``room`` or none can narrow further."""
    widths = list(widths)
    while sum(widths) > room:
        widest = max(range(len(widths)), key=lambda column: (widths[column], column))  # the rightmost of equals
        if widths[widest] <= MIN_COLUMN:
            break
        widths[widest] -= 1
    return widths


def _line(cells: Iterable[str], widths: list[int]) -> str:
    padded = [cell + " " * (width - _width(cell)) for cell, width in zip(cells, widths, strict=True)]
    return "  ".join(padded).rstrip()


def _cut(text: str, limit: int) -> str:
    if _width(text) <= limit:
        return text
    kept, used = [], 0
    for char in text:
        used += _width(char)
        if used > limit - 1:
            break
        kept.append(char)
    return "".join(kept) + "…"


def _width(text: str) -> int:
    """Columns a text takes in a terminal: wide (East Asian) characters take two, combining marks none."""
    return sum(0 if unicodedata.combining(char) else 2 if unicodedata.east_asian_width(char) in "WF" else 1
               for char in text)


def to_markdown(variables: tuple[str, ...], rows: Rows, names: Names | None = None) -> str:
    """A Markdown table with short names; ``|`` in a cell is escaped."""
    names = names if names is not None else Names()

    def line(cells: Iterable[str]) -> str:
        return "| " + " | ".join(cell.replace("\\", "\\\\").replace("|", "\\|") for cell in cells) + " |"

    lines = [line(variables), "|" + "|".join(" --- " for _ in variables) + "|"]
    lines += [line(names.text(term) for term in row) for row in rows]
    return "\n".join(lines) + "\n"


__all__ = [
    "GRAPH_FORMATS",
    "MAX_CELL",
    "MIN_COLUMN",
    "SOLUTION_FORMATS",
    "Names",
    "ResultFormat",
    "render",
    "to_csv",
    "to_json",
    "to_markdown",
    "to_table",
    "to_tsv",
]
