"""When a literal "matches" a datatype for ``sh:datatype`` (SHACL §4.1.2): same datatype IRI, and not ill-typed.

The lexical forms are judged by Oxigraph's own XSD parsers, reached through SPARQL casts: Oxigraph keeps a
literal it cannot parse as it was written, so a cast of an ill-typed literal to its own datatype is an error
while a cast of a well-typed one gives a value. That covers the datatypes SPARQL 1.1 operates on and the
date, time, duration and Gregorian types besides. Datatypes without a cast get a regular expression for their
lexical space (XSD 1.1 Part 2), or none when every string is a valid lexical form (``xsd:string``,
``xsd:anyURI``, datatypes outside XSD).

Two consequences of Oxigraph's storage are documented in the package notes: a valid literal of a derived
integer type (``"5"^^xsd:int``) is stored as ``xsd:integer``, and valid numbers and booleans are stored in
canonical form.
"""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import RDF, RDFS, XSD

from atfgraph.fastshacl.terms import iri, string

_CAST = {XSD[name] for name in (
    "boolean", "integer", "decimal", "float", "double", "dateTime", "date", "time", "duration",
    "yearMonthDuration", "dayTimeDuration", "gYear", "gYearMonth", "gMonthDay", "gMonth", "gDay",
)}
_INTEGER_RANGES: dict[URIRef, tuple[int | None, int | None]] = {
    XSD.long: (-(2**63), 2**63 - 1), XSD.int: (-(2**31), 2**31 - 1), XSD.short: (-32768, 32767),
    XSD.byte: (-128, 127), XSD.unsignedLong: (0, 2**64 - 1), XSD.unsignedInt: (0, 2**32 - 1),
    XSD.unsignedShort: (0, 65535), XSD.unsignedByte: (0, 255), XSD.nonNegativeInteger: (0, None),
    XSD.positiveInteger: (1, None), XSD.nonPositiveInteger: (None, 0), XSD.negativeInteger: (None, -1),
}
# Real characters, not escapes: the pattern reaches the regular expression engine through a SPARQL string.
_NAME_START = "A-Za-z_\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D\u2070-\u218F"
_NAME_CHAR = _NAME_START + "\\-.0-9\u00B7\u0300-\u036F\u203F-\u2040"
_LEXICAL = {
    XSD.dateTimeStamp: (r"^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?"
                        r"(Z|[+-][0-9]{2}:[0-9]{2})$"),
    XSD.hexBinary: r"^([0-9a-fA-F]{2})*$",
    XSD.base64Binary: (r"^(([A-Za-z0-9+/] ?){4})*(([A-Za-z0-9+/] ?){3}[A-Za-z0-9+/]"
                       r"|([A-Za-z0-9+/] ?){2}[AEIMQUYcgkosw048] ?=|[A-Za-z0-9+/] ?[AQgw] ?= ?=)?$"),
    XSD.language: r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$",
    XSD.normalizedString: r"^[^\r\n\t]*$",
    XSD.token: r"^([^\s]+( [^\s]+)*)?$",
    XSD.NMTOKEN: f"^[{_NAME_CHAR}]+$",
    XSD.Name: f"^[{_NAME_START}:][{_NAME_CHAR}:]*$",
    XSD.NCName: f"^[{_NAME_START}][{_NAME_CHAR}]*$",
}


def matches(variable: str, datatype: URIRef) -> str:
    """A SPARQL expression, true when the value of ``?variable`` is a literal matching the datatype."""
    value = f"?{variable}"
    if datatype == RDFS.Literal:
        return "false"  # the datatype of a literal is never rdfs:Literal (SPARQL DATATYPE)
    same = f"isLiteral({value}) && datatype({value}) = {iri(str(datatype))}"
    if datatype in _CAST:
        return f"({same} && COALESCE(isLiteral({iri(str(datatype))}({value})), false))"
    if datatype in _INTEGER_RANGES:
        low, high = _INTEGER_RANGES[datatype]
        number = f"{iri(str(XSD.integer))}(STR({value}))"
        checks = [f'REGEX(STR({value}), "^[+-]?[0-9]+$")']
        if low is not None:
            checks.append(f"{number} >= {low}")
        if high is not None:
            checks.append(f"{number} <= {high}")
        return f"({same} && COALESCE({' && '.join(checks)}, false))"
    if datatype in _LEXICAL:
        return f"({same} && REGEX(STR({value}), {string(_LEXICAL[datatype])}))"
    if datatype == RDF.langString:
        return f"(isLiteral({value}) && LANG({value}) != \"\")"
    return f"({same})"
