"""JSON-LD compacted with the shipped context, written from a stream of triples sorted by subject.

rdflib's JSON-LD serialiser needs the whole graph as rdflib objects and decides each triple's key anew: at
10,000 events it took 11 s of a 18 s build, and it grows past the memory target at 100,000. This writer
makes *the same document* from the sorted N-Triples the other writers use: the choice of key and value form
is rdflib's own (its ``Context.find_term``, ``shrink_iri`` and ``to_symbol``, following its ``Converter``),
made once per predicate and kind of object instead of once per triple. A test holds the two to the same
bytes on the shipped data and on generated data, and pyld (a separate JSON-LD processor) reads the output
back to the same graph.

What rdflib handles and this writer does not need is refused rather than guessed: blank nodes, RDF lists
and contexts with ``@container`` terms (the shipped context has none).
"""

from __future__ import annotations

import copy
import enum
import re
from collections.abc import Callable, Iterable, Iterator
from json.encoder import encode_basestring  # the C function, as atfgraph.jsontext uses
from typing import Any

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.plugins.serializers.jsonld import PLAIN_LITERAL_TYPES
from rdflib.plugins.shared.jsonld.context import UNDEF, Context
from rdflib.plugins.shared.jsonld.keys import ID, VOCAB

from atfgraph.jsontext import indented, sort_sets, sorted_text
from atfgraph.namespaces import RDF, XSD

Statement = tuple[str, str, str, str, str | None]
"""A triple as the writer reads it: subject IRI, predicate IRI, object value, object datatype (:data:`IRI` for
an IRI), language tag."""

IRI = "@iri"
"""The datatype of a statement whose object is an IRI."""

_RDF_TYPE = str(RDF.type)
_XSD_STRING = str(XSD.string)
_LANG_STRING = str(RDF.langString)
_NATIVE = frozenset(str(datatype) for datatype in PLAIN_LITERAL_TYPES)


class Form(enum.Enum):
    """How one object is written under its key (see rdflib's ``Converter.add_to_node``)."""

    LEXICAL = "lexical"  # the literal's text: a coerced term, or a plain string
    NATIVE = "native"  # a JSON number or boolean (an integer, double or boolean with no coerced term)
    TYPED = "typed"  # {"@type": datatype, "@value": text}
    LANGUAGE = "language"  # {"@language": tag, "@value": text}
    SHRUNK = "shrunk"  # an IRI as a compact IRI, under a term coerced to @id
    SYMBOL = "symbol"  # an IRI as a term or compact IRI, under @type or a term coerced to @vocab
    REFERENCE = "reference"  # {"@id": compact IRI}


class UnsupportedGraph(ValueError):
    """The graph uses something this writer does not write (rdflib's serialiser then must)."""


class JsonLdWriter:
    """Builds the compacted document for one context."""

    def __init__(self, context: dict[str, Any]) -> None:
        if any(isinstance(value, dict) and "@container" in value for value in context.values()):
            raise UnsupportedGraph("the context has @container terms")
        self.data = context
        self.context = Context(context)
        self._rules: dict[tuple[str, str, str | None], tuple[str, Form, str | None]] = {}
        self._shrunk: dict[str, str] = {}
        self._symbols: dict[str, str] = {}

    def document(self, triples: Iterable[ox.Triple]) -> dict[str, Any]:
        """The JSON-LD document (before the caller's sorting) of triples grouped by subject."""
        nodes = list(self.nodes(statements(triples)))
        if len(nodes) == 1:  # rdflib writes a one-node graph as that node
            return {**nodes[0], "@context": self.data}
        return {"@graph": nodes, "@context": self.data}

    def write(self, triples: Iterable[Statement], out: Callable[[str], object]) -> None:
        """The document's text, as ``indented(sort_sets(document(triples)))`` gives it plus a final newline,
        written node by node (see :meth:`write_nodes`). ``triples`` grouped by subject, from
        :func:`statements` or :func:`line_statements`."""
        self.write_nodes(self.nodes(triples), out)

    def write_lines(self, lines: Iterable[str], out: Callable[[str], object]) -> None:
        """:meth:`write` of N-Triples lines as Oxigraph writes them, grouped by subject (:meth:`line_nodes`)."""
        self.write_nodes(self.line_nodes(lines), out)

    def write_nodes(self, nodes: Iterable[dict[str, Any]], out: Callable[[str], object]) -> None:
        """The document's text of nodes made by this writer: only the nodes' texts are kept, not the nodes.

        The ``@graph`` array is sorted by each node's compact JSON text, which begins ``{"@id": "<id>"`` (no
        key sorts before "@id" in a node; checked); JSON strings are prefix-free, so sorting by the encoded
        ``@id`` alone gives the same order, and ids are distinct (checked too).
        """
        entries: list[tuple[str, str]] = []
        first: dict[str, Any] | None = None
        for node in nodes:
            if min(node) != "@id":
                raise UnsupportedGraph(f"a key sorts before @id in node {node['@id']}")
            if not entries:
                first = node
            entries.append((encode_basestring(node["@id"]), sorted_text(node, 2)))
        if len(entries) == 1 and first is not None:  # rdflib writes a one-node graph as that node
            out(indented(sort_sets({**first, "@context": self.data})) + "\n")
            return
        entries.sort(key=lambda entry: entry[0])
        if any(entries[index][0] == entries[index + 1][0] for index in range(len(entries) - 1)):
            raise UnsupportedGraph("two nodes have the same compact @id")
        context = indented(sort_sets(copy.deepcopy(self.data)), 1)  # sorted in place: a copy
        out('{\n  "@context": ' + context + ',\n  "@graph": ')
        if not entries:
            out("[]\n}\n")
            return
        separator = "[\n    "
        for _, text in entries:
            out(separator)
            out(text)
            separator = ",\n    "
        out("\n  ]\n}\n")

    def nodes(self, triples: Iterable[Statement]) -> Iterator[dict[str, Any]]:
        """One node per subject of triples grouped by subject (before the caller's sorting)."""
        node: dict[str, Any] = {}
        subject: str | None = None
        for iri, predicate, value, datatype, language in triples:
            if iri != subject:
                if subject is not None:
                    yield node
                subject = iri
                node = {"@id": self.shrink(iri)}
            _add(node, *self._entry(predicate, value, datatype, language))
        if subject is not None:
            yield node

    def line_nodes(self, lines: Iterable[str]) -> Iterator[dict[str, Any]]:
        """:meth:`nodes` of N-Triples lines, read as :func:`line_statements` reads them but in the same loop
        (the writer's longest: a generator step and a tuple less per triple; a test holds the two to the same
        nodes)."""
        node: dict[str, Any] = {}
        subject: str | None = None
        rules, shrunk = self._rules, self._shrunk
        for line in lines:
            head, predicate, obj = line.split(" ", 2)
            if head != subject:
                if head[0] != "<":
                    raise UnsupportedGraph(f"blank node subject {head}")
                if subject is not None:
                    yield node
                subject = head
                node = {"@id": self.shrink(head[1:-1])}
            predicate = predicate[1:-1]
            obj = obj.rstrip("\n")[:-2]  # " ."
            if obj[0] == "<":
                value = obj[1:-1]
                rule = rules.get((predicate, IRI, None))
                if rule is not None and rule[1] is Form.SHRUNK:
                    key = rule[0]
                    entry: Any = shrunk.get(value)
                    if entry is None:
                        entry = self.shrink(value)
                else:
                    key, entry = self._entry(predicate, value, IRI, None)
            elif obj[0] == '"':
                value, datatype, language = _literal(obj)
                rule = rules.get((predicate, datatype, language))
                if rule is not None and rule[1] is Form.LEXICAL:
                    key, entry = rule[0], value
                else:
                    key, entry = self._entry(predicate, value, datatype, language)
            else:
                raise UnsupportedGraph(f"blank node object {obj}")
            _add(node, key, entry)  # a call costs nothing measurable here (0.48 s either way for 2.4 M)
        if subject is not None:
            yield node

    def shrink(self, iri: str) -> str:
        found = self._shrunk.get(iri)
        if found is None:
            found = self._shrunk[iri] = self.context.shrink_iri(iri)
        return found

    def symbol(self, iri: str) -> str:
        found = self._symbols.get(iri)
        if found is None:
            found = self._symbols[iri] = self.context.to_symbol(iri) or iri
        return found

    def _entry(self, predicate: str, value: str, datatype: str, language: str | None) -> tuple[str, Any]:
        key, form, extra = self._rule(predicate, datatype, language)
        if datatype == IRI:
            if form is Form.SHRUNK:
                return key, self.shrink(value)
            if form is Form.SYMBOL:
                return key, self.symbol(value)
            return key, {"@id": self.shrink(value)}
        if form is Form.LEXICAL:
            return key, value
        if form is Form.NATIVE:
            return key, Literal(value, datatype=URIRef(datatype)).toPython()
        if form is Form.TYPED:
            return key, {"@type": extra, "@value": value}
        return key, {"@language": extra, "@value": value}

    def _rule(self, predicate: str, datatype: str, language: str | None) -> tuple[str, Form, str | None]:
        signature = (predicate, datatype, language)
        found = self._rules.get(signature)
        if found is None:
            found = self._rules[signature] = self._decide(predicate, datatype, language)
        return found

    def _decide(self, predicate: str, datatype: str, language: str | None) -> tuple[str, Form, str | None]:
        """rdflib's ``Converter.add_to_node`` for one predicate and kind of object, without lists or sets."""
        context = self.context
        if datatype == IRI:
            term = None
            for coercion in (ID, VOCAB, UNDEF):
                term = context.find_term(predicate, coercion, None)  # type: ignore[arg-type]  # as rdflib calls it
                if term:
                    break
            if term:
                if term.type == ID:
                    return term.name, Form.SHRUNK, None
                if term.type == VOCAB:
                    return term.name, Form.SYMBOL, None
                return term.name, Form.REFERENCE, None
            if predicate == _RDF_TYPE:
                return context.type_key, Form.SYMBOL, None
            return self._fallback_key(predicate), Form.REFERENCE, None
        # rdflib's literals carry no datatype for plain and language-tagged strings.
        rdflib_datatype = None if datatype in (_XSD_STRING, _LANG_STRING) else datatype
        term = context.find_term(predicate, rdflib_datatype, language=language)
        if term:
            if term.type:
                if term.type == ID or term.type == rdflib_datatype:
                    return term.name, Form.LEXICAL, None
            elif term.language and language == term.language:
                return term.name, Form.LEXICAL, None
            return (term.name, *self._raw_form(rdflib_datatype, language))
        return (self._fallback_key(predicate), *self._raw_form(rdflib_datatype, language))

    def _fallback_key(self, predicate: str) -> str:
        key = self.context.to_symbol(predicate) or predicate
        key_term = self.context.terms.get(key)
        if key_term and (key_term.type or key_term.container):
            return predicate
        return key

    def _raw_form(self, datatype: str | None, language: str | None) -> tuple[Form, str | None]:
        """rdflib's ``Converter.to_raw_value`` for a literal, under an active context with no default language."""
        if datatype is not None:
            if datatype in _NATIVE:
                return Form.NATIVE, None
            return Form.TYPED, self.symbol(datatype)
        if language and language != self.context.language:
            return Form.LANGUAGE, language
        return Form.LEXICAL, None


def _add(node: dict[str, Any], key: str, entry: Any) -> None:
    """An entry under its key: the value itself for the first, a list once there are several."""
    found = node.get(key)
    if found is None:
        node[key] = entry
    elif isinstance(found, list):
        found.append(entry)
    else:
        node[key] = [found, entry]


def statements(triples: Iterable[ox.Triple]) -> Iterator[Statement]:
    """pyoxigraph triples as statements."""
    for triple in triples:
        subject, obj = triple.subject, triple.object
        if not isinstance(subject, ox.NamedNode):
            raise UnsupportedGraph(f"blank node subject {subject}")
        if isinstance(obj, ox.NamedNode):
            yield subject.value, triple.predicate.value, obj.value, IRI, None
        elif isinstance(obj, ox.Literal):
            yield subject.value, triple.predicate.value, obj.value, obj.datatype.value, obj.language
        else:
            raise UnsupportedGraph(f"blank node object {obj}")


def line_statements(lines: Iterable[str]) -> Iterator[Statement]:
    """Statements of N-Triples lines as Oxigraph writes them: one triple a line, its terms separated by one
    space and ended by " .", strings without a datatype. Read by splitting the text, 2.6 times as fast as
    making and reading pyoxigraph's objects (4.1 s for the 2.4 M triples of 100,000 events); a property test
    holds the two to the same statements, escapes included."""
    for line in lines:
        subject, predicate, obj = line.split(" ", 2)
        if subject[0] != "<":
            raise UnsupportedGraph(f"blank node subject {subject}")
        obj = obj.rstrip("\n")[:-2]  # " ."
        if obj[0] == "<":
            yield subject[1:-1], predicate[1:-1], obj[1:-1], IRI, None
            continue
        if obj[0] != '"':
            raise UnsupportedGraph(f"blank node object {obj}")
        yield subject[1:-1], predicate[1:-1], *_literal(obj)


def _literal(obj: str) -> tuple[str, str, str | None]:
    """A literal's N-Triples text (without the line's " .") as value, datatype and language tag."""
    end = obj.rfind('"')  # a datatype IRI or a language tag has no quote
    value = obj[1:end]
    if "\\" in value:
        value = _ESCAPE.sub(_unescape, value)
    suffix = obj[end + 1:]
    if not suffix:
        return value, _XSD_STRING, None
    if suffix[0] == "@":
        return value, _LANG_STRING, suffix[1:]
    return value, suffix[3:-1], None  # ^^<datatype>


_ESCAPE = re.compile(r"\\(?:([tbnrf\"'\\])|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))")
_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(match: re.Match[str]) -> str:
    """N-Triples' ECHAR and UCHAR escapes."""
    char, short, long = match.groups()
    if char is not None:
        return _ECHAR[char]
    return chr(int(short or long, 16))


__all__ = ["IRI", "Form", "JsonLdWriter", "Statement", "UnsupportedGraph", "line_statements", "statements"]
