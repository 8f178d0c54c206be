"""What a query must pass before it runs: it parses, it reads (no Update), and it stays on this machine.

Both rdflib and pyoxigraph call out to the network when they evaluate ``SERVICE``, and rdflib fetches the
graph named by ``FROM``/``FROM NAMED`` over HTTP. Text searches for those keywords are fooled by comments,
strings and odd spacing, so the check walks rdflib's parse tree of the query instead: a ``SERVICE`` in a
sub-query or a ``FILTER EXISTS`` is found, one in a comment or a string is not there to find.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pyparsing import ParseException
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from atfgraph.namespaces import PREFIXES
from atfgraph.parsecache import parse_apart
from atfgraph.store import DATASET_CLAUSE, SERVICE_CLAUSE, QueryForm, parse_tree_names
from atfgraph.web.errors import WebError


def update_refused() -> WebError:
    """The error for a SPARQL Update, however it was sent."""
    return WebError(403, "SPARQL Update is not allowed", "this endpoint is read-only: it answers queries only")


_SERVICE = SERVICE_CLAUSE
_DATASET = DATASET_CLAUSE


@dataclass(frozen=True)
class CheckedQuery:
    """A query that passed: its form, and the text to run (with a row limit added to a SELECT without one)."""

    form: QueryForm
    text: str
    limited: bool = False


@lru_cache(maxsize=256)
def check_query(text: str, max_rows: int | None = None) -> CheckedQuery:
    """Parse and inspect a query; :class:`WebError` when it is malformed (400), an Update (403), calls
    ``SERVICE`` (403) or names its own dataset (400). Each text is checked once per process (parsing is
    most of the cost of a small query).

    With ``max_rows``, a SELECT that has no ``LIMIT`` of its own gets ``LIMIT max_rows + 1``, so the engine
    stops after one row more than the server will send (the extra row tells that the answer was cut).
    """
    try:
        parsed = parse_apart(parseQuery, text)
    except ParseException as error:
        if is_update(text):
            raise update_refused() from None
        raise WebError(400, "Malformed query",
                       f"SPARQL syntax error at line {error.lineno}, column {error.col}: {error.msg}") from None
    names = set(parse_tree_names(parsed))
    if _SERVICE in names:
        raise WebError(403, "SERVICE is not allowed",
                       "this endpoint does not call other endpoints: remove the SERVICE clause")
    if _DATASET in names:
        raise WebError(400, "FROM is not supported",
                       "the default graph is the union of every named graph here; use GRAPH to choose one "
                       "instead of FROM or FROM NAMED")
    query = parsed[1]
    form = QueryForm(str(query.name).removesuffix("Query").upper())
    limited = max_rows is not None and form is QueryForm.SELECT and "limitoffset" not in _limit_keys(query) \
        and "valuesClause" not in query
    try:
        # rdflib raises bare exceptions for an unknown prefix or a badly scoped variable: they are the query's fault.
        translateQuery(parsed, initNs=PREFIXES)
    except Exception as error:
        raise WebError(400, "Bad query", str(error) or type(error).__name__) from None
    if limited and max_rows is not None:
        # A new line first: the query may end in a comment, which would swallow the LIMIT.
        return CheckedQuery(form, f"{text}\nLIMIT {max_rows + 1}\n", limited=True)
    return CheckedQuery(form, text)


def _limit_keys(query: CompValue) -> set[str]:
    """``{"limitoffset"}`` when the query has a LIMIT (an OFFSET alone does not bound the rows)."""
    if "limitoffset" in query and "limit" in query["limitoffset"]:
        return {"limitoffset"}
    return set()


def is_update(text: str) -> bool:
    """Whether the text is a SPARQL Update request (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR``…)."""
    try:
        parse_apart(parseUpdate, text)
    except ParseException:
        return False
    return True


__all__ = ["CheckedQuery", "check_query", "is_update", "update_refused"]
