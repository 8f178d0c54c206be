"""The text of the SHACL-SPARQL queries in a shapes graph: prefixes, ``$PATH``, and how ``$this`` is bound.

SHACL pre-binds ``$this`` (SHACL §5.6): the query is evaluated once per focus node with the variable replaced
by the node. Running it once per node is what makes SPARQL constraints slow, so this module decides when one
query over all focus nodes gives the same solutions: the focus nodes are joined in as the first member of
the top-level group, which equals replacing the variable wherever ``$this`` is used at the top level of that
group (triple patterns, FILTER and BIND, EXISTS, the group of a top-level OPTIONAL) and the query has no
solution modifier that works across focus nodes (GROUP BY, aggregates, LIMIT, OFFSET). Elsewhere (a FILTER
inside a nested group or UNION branch, a subquery) the validator falls back to one evaluation per focus node,
the node written into the query text (:func:`substitute`). The restrictions of §5.6 (no MINUS, VALUES,
SERVICE; a nested SELECT projects ``$this``; no ``AS`` onto a pre-bound variable) are checked here and raise
:class:`ShapesError`.

The scan is a small lexer, not a parser: it only needs strings, IRIs and comments out of the way to find
braces, keywords and variables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from atfgraph.fastshacl.errors import ShapesError, UnsupportedFeature

_TOKEN = re.compile(
    r'(?P<space>\s+)'
    r'|(?P<comment>#[^\n]*)'
    r'|(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\')'
    r'|(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)'
    r'|(?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+)'
    r'|(?P<punct>[{}()])'
    r'|(?P<word>[^\s{}()"\'<#?$]+|[<?$])',
    re.DOTALL,
)
_AGGREGATES = {"COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT"}
_ACROSS_FOCUS_NODES = {"GROUP", "HAVING", "LIMIT", "OFFSET"}
_PRE_BOUND = {"this", "shapesGraph", "currentShape"}


@dataclass(frozen=True)
class Token:
    """A piece of query text: its kind (a group name of the lexer), its text and where it starts."""

    kind: str
    text: str
    start: int

    @property
    def upper(self) -> str:
        """The text in capitals, for keywords."""
        return self.text.upper()

    @property
    def variable(self) -> str | None:
        """The variable name without ``?``/``$``, for a variable."""
        return self.text[1:] if self.kind == "var" else None


def tokens(text: str) -> list[Token]:
    """The significant tokens of a query (no space, no comments)."""
    found = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "word"
        if kind not in ("space", "comment"):
            found.append(Token(kind, match.group(), match.start()))
    return found


def replace_variable(text: str, name: str, replacement: str) -> str:
    """The query with every use of the variable ``?name``/``$name`` replaced by some text."""
    pieces, last = [], 0
    for token in tokens(text):
        if token.variable == name:
            pieces.append(text[last:token.start])
            pieces.append(replacement)
            last = token.start + len(token.text)
    pieces.append(text[last:])
    return "".join(pieces)


def substitute(text: str, name: str, term: str) -> str:
    """The query with a variable replaced by a term (SHACL's pre-binding, §5.6): the term itself in patterns
    and expressions, ``(true)`` for ``BOUND(?name)``, and where a SELECT projects the variable ``(term AS ?name)``
    in the top-level query (so solutions still carry it) or a projection of a throwaway name in a subquery
    (binding ``?name`` there would clash with the top-level ``AS``)."""
    found = tokens(text)
    pieces, last = [], 0
    projecting, depth, selects = False, 0, 0
    for index, token in enumerate(found):
        if token.upper == "SELECT":
            projecting, depth, selects = True, 0, selects + 1
        elif projecting:
            if token.text == "(":
                depth += 1
            elif token.text == ")":
                depth -= 1
            elif token.text == "{" or token.upper == "WHERE":
                projecting = False
        if token.variable != name:
            continue
        start, end = token.start, token.start + len(token.text)
        bound = (index >= 2 and found[index - 1].text == "(" and found[index - 2].upper == "BOUND"
                 and index + 1 < len(found) and found[index + 1].text == ")")
        if bound:
            start, end = found[index - 2].start, found[index + 1].start + 1
            replacement = "(true)"
        elif projecting and depth == 0:
            replacement = f"({term} AS ?{name if selects == 1 else '__fs_prebound'})"
        else:
            replacement = term
        if start < last:
            continue  # pragma: no cover - overlapping spans cannot occur
        pieces.append(text[last:start])
        pieces.append(replacement)
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def uses_variable(text: str, name: str) -> bool:
    """Whether the query uses the variable anywhere."""
    return any(token.variable == name for token in tokens(text))


def with_prefixes(text: str, prefixes: tuple[tuple[str, str], ...]) -> str:
    """The query preceded by its PREFIX declarations."""
    head = "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in prefixes)
    return head + text


@dataclass(frozen=True)
class SelectQuery:
    """What the validator needs to know about a SPARQL constraint's SELECT query."""

    text: str
    where_open: int
    """Index of the ``{`` that opens the top-level WHERE group."""
    projection_end: int
    """Index just after ``SELECT`` (and ``DISTINCT``/``REDUCED``), where a variable can be added."""
    projected: frozenset[str]
    star: bool
    joinable: bool
    """Whether joining the focus nodes into the top-level group gives the pre-bound query's solutions."""

    def projects(self, name: str) -> bool:
        """Whether the query's solutions carry the variable."""
        return self.star or name in self.projected

    def projecting(self, name: str) -> str:
        """The query text, with the variable added to the projection if it is not there."""
        if self.projects(name):
            return self.text
        return f"{self.text[:self.projection_end]} ?{name} {self.text[self.projection_end:]}"

    def joined(self, pattern: str) -> str:
        """The query text with a group pattern joined as the first member of the top-level group."""
        cut = self.where_open + 1
        return f"{self.text[:cut]} {pattern} {self.text[cut:]}"


def analyse(text: str) -> SelectQuery:
    """Check a SPARQL constraint's query against SHACL §5.6 and find where the focus nodes go."""
    found = tokens(text)
    selects = [index for index, token in enumerate(found) if token.upper == "SELECT"]
    if not selects:
        raise ShapesError("a SHACL-SPARQL constraint must be a SELECT query")
    for token in found:
        if token.kind == "word" and token.upper in ("MINUS", "VALUES", "SERVICE"):
            raise ShapesError(f"a SHACL-SPARQL query must not use {token.upper} (SHACL §5.6)")
        if token.variable == "shapesGraph":
            raise UnsupportedFeature("$shapesGraph in a SPARQL query (the shapes graph is not queryable)")
    for index, token in enumerate(found[:-1]):
        if token.upper == "AS" and found[index + 1].variable in _PRE_BOUND:
            raise ShapesError(f"a SHACL-SPARQL query must not bind the pre-bound {found[index + 1].text} with AS")

    first = selects[0]
    position = first + 1
    while position < len(found) and found[position].upper in ("DISTINCT", "REDUCED"):
        position += 1
    projection_end = found[position - 1].start + len(found[position - 1].text)
    projected: set[str] = set()
    star = False
    depth = 0
    aggregate = False
    where_index = None
    for index in range(position, len(found)):
        token = found[index]
        if token.text == "(":
            depth += 1
        elif token.text == ")":
            depth -= 1
        elif token.text == "{" and depth == 0:
            where_index = index
            break
        elif token.text == "*" and depth == 0:
            star = True
        elif token.kind == "var" and depth == 0 and token.variable is not None:
            projected.add(token.variable)
        elif token.kind == "var" and depth > 0 and index > 0 and found[index - 1].upper == "AS":
            projected.add(token.text[1:])
        elif token.kind == "word" and token.upper in _AGGREGATES:
            aggregate = True
    if where_index is None:
        raise ShapesError("a SHACL-SPARQL SELECT query has no WHERE group")

    joinable, close = _scan_group(found, where_index)
    for token in found[close + 1:]:
        if token.kind == "word" and token.upper in _ACROSS_FOCUS_NODES:
            joinable = False
    return SelectQuery(
        text=text,
        where_open=found[where_index].start,
        projection_end=projection_end,
        projected=frozenset(projected),
        star=star,
        joinable=joinable and not aggregate,
    )


def _scan_group(found: list[Token], open_index: int) -> tuple[bool, int]:
    """Walk the WHERE group: whether every ``$this`` sits where a join equals substitution, and where the
    group closes. Nested SELECTs are checked for projecting ``$this`` on the way."""
    contexts: list[str] = []
    safe = True
    index = open_index
    while index < len(found):
        token = found[index]
        if token.text == "{":
            contexts.append(_context(found, index, not contexts))
            if contexts[-1] == "subquery":
                _check_subquery(found, index)
        elif token.text == "}":
            contexts.pop()
            if not contexts:
                return safe, index
        elif token.variable == "this" and not _safe(contexts):
            safe = False
        index += 1
    raise ShapesError("unbalanced braces in a SHACL-SPARQL query")


def _context(found: list[Token], index: int, top: bool) -> str:
    if top:
        return "where"
    if index + 1 < len(found) and found[index + 1].upper == "SELECT":
        return "subquery"
    before = found[index - 1].upper if index > 0 else ""
    if before in ("OPTIONAL", "EXISTS"):
        return before.lower()
    return "group"


def _safe(contexts: list[str]) -> bool:
    if contexts[:1] != ["where"]:
        return False
    rest = contexts[1:]
    if not rest or rest[0] == "exists":
        return True
    return rest[0] == "optional" and (len(rest) == 1 or rest[1] == "exists")


def _check_subquery(found: list[Token], open_index: int) -> None:
    projected = set()
    for token in found[open_index + 2:]:
        if token.text == "{" or token.upper == "WHERE":
            break
        if token.text == "*":
            raise ShapesError("a nested SELECT * does not project the pre-bound $this (SHACL §5.6)")
        if token.variable is not None:
            projected.add(token.variable)
    if "this" not in projected:
        raise ShapesError("a nested SELECT must project the pre-bound $this (SHACL §5.6)")
