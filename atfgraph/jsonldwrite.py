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
from collections.abc import Callable, Iterable, Iterator
from json.encoder import encode_basestring  # the C function, as atfgraph.jsontext uses
from typing import Any

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.plugins.serializers.jsonld import PLAIN_LITERAL_TYPES
from rdflib.plugins.shared.jsonld.context import UNDEF, Context
from rdflib.plugins.shared.jsonld.keys import ID, VOCAB

from atfgraph.jsontext import indented, sort_sets
from atfgraph.namespaces import RDF, XSD

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
        nodes = list(self._nodes(triples))
        if len(nodes) == 1:  # rdflib writes a one-node graph as that node
            return {**nodes[0], "@context": self.data}
        return {"@graph": nodes, "@context": self.data}

    def write(self, triples: Iterable[ox.Triple], out: Callable[[str], object]) -> None:
        """The document's text, as ``indented(sort_sets(document(triples)))`` gives it plus a final newline,
        written node by node: only the nodes' texts are kept, not the nodes.

        The ``@graph`` array is sorted by each node's compact JSON text, which begins ``{"@id": "<id>"`` (no
        key sorts before "@id" in a node; checked); JSON strings are prefix-free, so sorting by the encoded
        ``@id`` alone gives the same order, and ids are distinct (checked too).
        """
        entries: list[tuple[str, str]] = []
        first: dict[str, Any] | None = None
        for node in self._nodes(triples):
            if min(node) != "@id":
                raise UnsupportedGraph(f"a key sorts before @id in node {node['@id']}")
            if not entries:
                first = node
            entries.append((encode_basestring(node["@id"]), indented(sort_sets(node), 2)))
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

    def _nodes(self, triples: Iterable[ox.Triple]) -> Iterator[dict[str, Any]]:
        """One node per subject of triples grouped by subject."""
        node: dict[str, Any] | None = None
        subject: object = None
        for triple in triples:
            if triple.subject != subject:
                if node is not None:
                    yield node
                subject = triple.subject
                if not isinstance(subject, ox.NamedNode):
                    raise UnsupportedGraph(f"blank node subject {subject}")
                node = {"@id": self.shrink(subject.value)}
            assert node is not None
            key, value = self._entry(triple.predicate.value, triple.object)
            found = node.get(key)
            if found is None:
                node[key] = value
            elif isinstance(found, list):
                found.append(value)
            else:
                node[key] = [found, value]
        if node is not None:
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

    def _entry(self, predicate: str, obj: object) -> tuple[str, Any]:
        if isinstance(obj, ox.NamedNode):
            key, form, _ = self._rule(predicate, "@iri", None)
            if form is Form.SHRUNK:
                return key, self.shrink(obj.value)
            if form is Form.SYMBOL:
                return key, self.symbol(obj.value)
            return key, {"@id": self.shrink(obj.value)}
        if not isinstance(obj, ox.Literal):
            raise UnsupportedGraph(f"blank node object {obj}")
        datatype = obj.datatype.value
        language = obj.language
        key, form, extra = self._rule(predicate, datatype, language)
        if form is Form.LEXICAL:
            return key, obj.value
        if form is Form.NATIVE:
            return key, Literal(obj.value, datatype=URIRef(datatype)).toPython()
        if form is Form.TYPED:
            return key, {"@type": extra, "@value": obj.value}
        return key, {"@language": extra, "@value": obj.value}

    def _rule(self, predicate: str, datatype: str, language: str | None) -> tuple[str, Form, str | None]:
        signature = (predicate, datatype, language)
        found = self._rules.get(signature)
        if found is None:
            found = self._rules[signature] = self._decide(predicate, datatype, language)
        return found

    def _decide(self, predicate: str, datatype: str, language: str | None) -> tuple[str, Form, str | None]:
        """rdflib's ``Converter.add_to_node`` for one predicate and kind of object, without lists or sets."""
        context = self.context
        if datatype == "@iri":
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


__all__ = ["Form", "JsonLdWriter", "UnsupportedGraph"]
