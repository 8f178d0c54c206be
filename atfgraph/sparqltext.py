"""Small, careful edits of SPARQL query text that the engines' APIs cannot do for us.

Oxigraph substitutes a variable only when the query projects it, so parameters are bound by a ``VALUES``
block placed first in the outermost ``WHERE`` group. The block is built from RDF terms serialised by the
engine's own N-Triples writer, so a value can never become query syntax; a trailing ``VALUES`` clause would
not do, since SPARQL joins it after ``GROUP BY``, where the parameter is out of scope.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from atfgraph.errors import QueryError

_KEYWORD = re.compile(r"[A-Za-z_]+")


def where_brace(query: str) -> int:
    """The offset of the ``{`` opening the outermost WHERE group (skipping comments, strings and IRIs)."""
    index = 0
    construct_template = None
    seen_where = False
    depth = 0
    while index < len(query):
        char = query[index]
        if char == "#":
            end = query.find("\n", index)
            index = len(query) if end < 0 else end + 1
            continue
        if char in "\"'":
            index = _skip_string(query, index)
            continue
        if char == "<" and _looks_like_iri(query, index):
            index = query.index(">", index) + 1
            continue
        if char.isalpha():
            word = _KEYWORD.match(query, index)
            assert word is not None
            upper = word.group(0).upper()
            if depth == 0:
                if upper == "CONSTRUCT":
                    construct_template = True
                elif upper == "WHERE":
                    seen_where = True
            index = word.end()
            continue
        if char == "{":
            if depth == 0 and (seen_where or not construct_template):
                return index
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0 and construct_template and not seen_where:
                construct_template = False  # CONSTRUCT { … } { … }: the short form has no WHERE keyword
                seen_where = True
        index += 1
    raise QueryError("cannot find the query's WHERE group to bind parameters in")


def _looks_like_iri(query: str, index: int) -> bool:
    end = query.find(">", index)
    return end > 0 and not any(char in query[index + 1:end] for char in ' \t\n"{}|^`\\')


def _skip_string(query: str, index: int) -> int:
    quote = query[index]
    if query.startswith(quote * 3, index):
        end = query.find(quote * 3, index + 3)
        return len(query) if end < 0 else end + 3
    index += 1
    while index < len(query):
        if query[index] == "\\":
            index += 2
            continue
        if query[index] == quote:
            return index + 1
        index += 1
    return index


def bind_values(query: str, bindings: Mapping[str, str]) -> str:
    """The query with a one-row ``VALUES`` block of already-serialised terms, first in its WHERE group."""
    if not bindings:
        return query
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(bindings.values())
    brace = where_brace(query)
    return f"{query[:brace + 1]} VALUES ({names}) {{ ({values}) }} {query[brace + 1:]}"


__all__ = ["bind_values", "where_brace"]
