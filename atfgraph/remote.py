"""A read-only store behind a SPARQL 1.1 Protocol endpoint, and the HTTP client the loader shares.

``atfgraph query --endpoint URL`` runs queries on :class:`RemoteStore`; :mod:`atfgraph.gsp` pushes builds with
the same :class:`HttpClient`. Only the standard library speaks HTTP here: a request is one POST or PUT of a
body that is already in memory, which ``urllib.request`` does well, and it keeps the install small.

The endpoint's default graph must be the union of its graphs for queries to see what the local stores see
(Virtuoso and GraphDB do this by default; Oxigraph with ``serve --union-default-graph``; Fuseki with
``unionDefaultGraph``): :meth:`RemoteStore.query` sends the query as it is. ``quads``, ``union`` and ``len``
do not depend on it.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from email.message import Message
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Identifier, Node

from atfgraph.errors import EndpointError, QueryError, UsageError
from atfgraph.namespaces import PREFIXES
from atfgraph.sparqltext import bind_values
from atfgraph.store import Quad, QueryForm, QueryResult, Store, check_syntax

DEFAULT_GRAPH = URIRef(str(DATASET_DEFAULT_GRAPH_ID))
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
MESSAGE_LIMIT = 300
"""How much of a server's error message goes into ours (servers may answer with whole HTML pages)."""


# --- credentials, retries, requests


@dataclass(frozen=True)
class Auth:
    """Credentials sent with every request: HTTP basic (user and password) or a bearer token, or none."""

    user: str | None = None
    password: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)

    def header(self) -> str | None:
        """The ``Authorization`` header's value, if any."""
        if self.token is not None:
            return f"Bearer {self.token}"
        if self.user is not None:
            pair = f"{self.user}:{self.password or ''}".encode()
            return "Basic " + base64.b64encode(pair).decode("ascii")
        return None


def auth_from_options(user: str | None, password: str | None, token_env: str | None,
                      environ: Mapping[str, str] | None = None) -> Auth:
    """Credentials from the command-line options; the token is read from the environment variable named.

    A token is never taken from the command line itself, where other users of the machine can read it.
    """
    environ = os.environ if environ is None else environ
    if token_env is not None and (user is not None or password is not None):
        raise UsageError("give --user/--password or --token-env, not both")
    if password is not None and user is None:
        raise UsageError("--password needs --user")
    if user is not None:
        if ":" in user:
            raise UsageError("--user cannot contain ':' (HTTP basic authentication splits on it)")
        return Auth(user=user, password=password or "")
    if token_env is not None:
        token = environ.get(token_env, "").strip()
        if not token:
            raise UsageError(f"--token-env {token_env}: the environment variable {token_env} is not set or empty")
        if any(char.isspace() for char in token):
            raise UsageError(f"--token-env {token_env}: the token contains white space")
        return Auth(token=token)
    return Auth()


@dataclass(frozen=True)
class Retry:
    """How often to send a request again after a server error (5xx) or a refused or broken connection.

    Never after a refusal (4xx), nor after a timeout (the server may still be at work on the request).

    The waits double from ``backoff`` seconds up to ``cap``: 0.5, 1, 2 s by default.
    """

    retries: int = 3
    backoff: float = 0.5
    cap: float = 8.0

    def delays(self) -> Iterator[float]:
        """The wait before each retry, in order."""
        for attempt in range(self.retries):
            yield min(self.backoff * 2**attempt, self.cap)


@dataclass(frozen=True)
class Response:
    """An HTTP answer with a 2xx status."""

    status: int
    content_type: str
    body: bytes


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # urllib would turn a redirected POST into a GET without its body and send the credentials to whatever
    # host the redirect names; a clear error telling the user the right URL is safer.
    def redirect_request(self, req: urllib.request.Request, fp: Any, code: int, msg: str,
                         headers: Message, newurl: str) -> urllib.request.Request | None:
        return None


class _Transient(Exception):
    """A failure worth another try: a 5xx status, a refused or broken connection."""

    def __init__(self, error: EndpointError) -> None:
        super().__init__(str(error))
        self.error = error


@dataclass(frozen=True)
class HttpClient:
    """Sends requests with credentials, a timeout and bounded retries, and turns failures into clear errors."""

    auth: Auth = Auth()
    timeout: float = 60.0
    retry: Retry = Retry()
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False, compare=False)
    on_retry: Callable[[str], None] | None = field(default=None, repr=False, compare=False)
    """Told about each retry (why, and the wait), so that a command can show it."""

    def send(self, method: str, url: str, body: bytes | None = None, headers: Mapping[str, str] | None = None,
             ok_statuses: frozenset[int] = frozenset()) -> Response:
        """Send one request, retrying on 5xx and connection errors; raise :class:`EndpointError` otherwise.

        ``ok_statuses`` are non-2xx statuses the caller expects and handles (returned, not raised).
        """
        delays = self.retry.delays()
        tries = 0
        while True:
            tries += 1
            try:
                return self._once(method, url, body, headers or {}, ok_statuses)
            except _Transient as transient:
                delay = next(delays, None)
                if delay is None:
                    error = transient.error
                    if tries > 1:
                        error = EndpointError(f"{error} (after {tries} tries)", error.url, error.status)
                    raise error from None
                if self.on_retry is not None:
                    self.on_retry(f"{transient.error}; trying again in {delay:g} s")
                self.sleep(delay)

    def _once(self, method: str, url: str, body: bytes | None, headers: Mapping[str, str],
              ok_statuses: frozenset[int]) -> Response:
        request = urllib.request.Request(url, data=body, method=method, headers=dict(headers))
        authorization = self.auth.header()
        if authorization is not None:
            request.add_unredirected_header("Authorization", authorization)
        opener = urllib.request.build_opener(_NoRedirect())
        what = f"{method} {_redact(url)}"
        try:
            with opener.open(request, timeout=self.timeout) as answer:
                return Response(answer.status, answer.headers.get_content_type(), answer.read())
        except urllib.error.HTTPError as error:
            status = error.code
            if status in ok_statuses:
                return Response(status, error.headers.get_content_type(), _read(error))
            message = _server_message(error)
            if 300 <= status < 400:
                where = error.headers.get("Location", "?")
                raise EndpointError(f"{what}: HTTP {status}, redirected to {where}; give that URL instead",
                                    url, status) from None
            failure = EndpointError(f"{what}: HTTP {status} {error.reason}{message}", url, status)
            if status >= 500:
                raise _Transient(failure) from None
            raise failure from None
        except urllib.error.URLError as error:
            raise _connection_failure(what, url, error.reason, self.timeout) from None
        except (TimeoutError, OSError, http.client.HTTPException) as error:
            raise _connection_failure(what, url, error, self.timeout) from None


def _read(error: urllib.error.HTTPError) -> bytes:
    try:
        return error.read()
    except (OSError, http.client.HTTPException):
        return b""


def _server_message(error: urllib.error.HTTPError) -> str:
    """The start of the server's explanation, on one line (``: …``), or nothing."""
    text = _read(error)[: 64 * 1024].decode("utf-8", "replace")
    if error.headers.get_content_type() == "text/html":
        text = re.sub(r"<[^>]*>", " ", text)  # a tag-free HTML error page reads well enough
    text = " ".join(text.split())
    if not text:
        return ""
    if len(text) > MESSAGE_LIMIT:
        text = text[:MESSAGE_LIMIT] + "…"
    return f": {text}"


def _connection_failure(what: str, url: str, reason: object, timeout: float) -> EndpointError | _Transient:
    if isinstance(reason, TimeoutError):
        # Not retried: the server may still be working on the request, and a second one would compete with
        # it (a write) or wait as long again (a heavy query).
        return EndpointError(f"{what}: no answer within {timeout:g} s (a longer --timeout may help)", url)
    if isinstance(reason, ConnectionRefusedError):
        text = "connection refused (is the server running, and is the port right?)"
    elif isinstance(reason, socket.gaierror):
        return EndpointError(f"{what}: cannot resolve the host name: {reason.strerror}", url)
    elif isinstance(reason, OSError) and reason.strerror:
        text = reason.strerror
    else:
        text = str(reason) or type(reason).__name__
    return _Transient(EndpointError(f"{what}: {text}", url))


def _redact(url: str) -> str:
    """The URL without a password written into it (``http://user:secret@host``)."""
    parts = urllib.parse.urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urllib.parse.urlunsplit(parts._replace(netloc=f"{parts.username}:***@{host}"))


def check_url(url: str, option: str = "--endpoint") -> str:
    """The URL if it is an absolute http(s) URL; raises :class:`UsageError` saying what is wrong otherwise."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"{option} {url!r}: give an http:// or https:// URL")
    if parts.fragment:
        raise UsageError(f"{option} {url!r}: a URL with a #fragment cannot be an endpoint")
    return url


# --- terms


_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_LANGUAGE = re.compile(r"[A-Za-z]+(?:-[A-Za-z0-9]+)*")


def nt_term(term: Node, blank_nodes: bool = False) -> str:
    """A term in N-Triples syntax, which is SPARQL syntax too; raises ``ValueError`` for what cannot be written.

    Blank nodes are refused unless ``blank_nodes``: in a query they would be new variables, not the node.
    """
    if isinstance(term, URIRef):
        if _IRI_FORBIDDEN.search(term):
            raise ValueError(f"{str(term)!r} is not a valid IRI")
        return f"<{term}>"
    if isinstance(term, Literal):
        text = str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        if term.language:
            if not _LANGUAGE.fullmatch(term.language):
                raise ValueError(f"{term.language!r} is not a valid language tag")
            return f'"{text}"@{term.language}'
        if term.datatype is not None and str(term.datatype) != XSD_STRING:
            return f'"{text}"^^{nt_term(term.datatype)}'
        return f'"{text}"'
    if isinstance(term, BNode) and blank_nodes:
        if not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*(?<!\.)", term):
            raise ValueError(f"{str(term)!r} is not a valid blank node label")
        return f"_:{term}"
    raise ValueError(f"cannot write {term!r} here")


def term_from_json(binding: Mapping[str, Any]) -> Node:
    """A term of the SPARQL 1.1 JSON results format as an rdflib term (xsd:string literals come back plain)."""
    kind, value = binding.get("type"), binding.get("value")
    if not isinstance(value, str):
        raise ValueError(f"a binding without a text value: {binding!r}")
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind in ("literal", "typed-literal"):  # "typed-literal": Virtuoso and other SPARQL 1.0-era servers
        language, datatype = binding.get("xml:lang"), binding.get("datatype")
        if language:
            return Literal(value, lang=language)
        if datatype and datatype not in (XSD_STRING, RDF_LANG_STRING):
            return Literal(value, datatype=URIRef(datatype))
        return Literal(value)
    raise ValueError(f"unknown kind of term {kind!r}")


# --- the store


_GRAPH_FORMATS = {
    "application/n-triples": "nt",
    "text/plain": "nt",  # N-Triples' type before 2014, still sent by older servers
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}
_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
_RESULTS_ACCEPT = "application/sparql-results+json"
_PREFIX_DECLARED = re.compile(r"(?<![\w?$])PREFIX\s+([A-Za-z][\w.-]*)?\s*:", re.IGNORECASE)

_ALL_TRIPLES = "{ ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } }"
"""Every triple, whether the endpoint's default graph is its own graph or the union of all graphs."""


class RemoteStore(Store):
    """A SPARQL 1.1 Protocol query endpoint, read only.

    Queries are POSTed as an HTML form (``query=…``), which every endpoint accepts; ``direct=True`` sends the
    body as ``application/sparql-query`` instead. Parameters are bound by a ``VALUES`` block of N-Triples
    terms, as on the Oxigraph store, and the usual prefixes (atf:, rdfs:, skos:…) are declared for queries
    that do not declare them.
    """

    def __init__(self, url: str, client: HttpClient | None = None, direct: bool = False) -> None:
        self.url = check_url(url)
        self.client = client if client is not None else HttpClient()
        self.direct = direct

    def add(self, quads: Iterable[Quad]) -> None:
        raise UsageError(f"the endpoint {self.url} is read only here; push a build with `atfgraph load`")

    def quads(self) -> Iterator[Quad]:
        named = self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        for subject, predicate, obj, name in named.rows:
            assert subject is not None and predicate is not None and obj is not None
            yield subject, predicate, obj, URIRef(str(name))
        # Triples in no named graph: the default graph's own, whether or not the endpoint adds the union to it.
        default = self.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }")
        for subject, predicate, obj in default.rows:
            assert subject is not None and predicate is not None and obj is not None
            yield subject, predicate, obj, DEFAULT_GRAPH

    def union(self) -> Graph:
        graph = self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {_ALL_TRIPLES} }}").graph
        assert graph is not None
        return graph

    def __len__(self) -> int:
        result = self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{ {_ALL_TRIPLES} }} }}")
        (row,) = result.rows
        return int(str(row[0]))

    def query(self, sparql: str, bindings: Mapping[str, Identifier] | None = None) -> QueryResult:
        form = check_syntax(sparql)
        if bindings:
            try:
                values = {name: nt_term(value) for name, value in bindings.items()}
            except ValueError as error:
                raise QueryError(f"cannot bind a parameter on {self.url}: {error}") from None
            sparql = bind_values(sparql, values)
        text = _with_prefixes(sparql)
        graph_form = form in (QueryForm.CONSTRUCT, QueryForm.DESCRIBE)
        headers = {"Accept": _GRAPH_ACCEPT if graph_form else _RESULTS_ACCEPT}
        if self.direct:
            headers["Content-Type"] = "application/sparql-query; charset=utf-8"
            body = text.encode()
        else:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            body = urllib.parse.urlencode({"query": text}).encode("ascii")
        try:
            answer = self.client.send("POST", self.url, body, headers)
        except EndpointError as error:
            if error.status == 400:  # the endpoint's parser or evaluator refused the query: the query's fault
                raise QueryError(f"the endpoint refused the query: {error}") from None
            raise
        if graph_form:
            return QueryResult(form, graph=self._graph(answer))
        return self._results(form, answer)

    def _graph(self, answer: Response) -> Graph:
        fmt = _GRAPH_FORMATS.get(answer.content_type)
        if fmt is None:
            raise self._unusable(answer, "an RDF graph")
        graph = Graph()
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
        try:
            graph.parse(data=answer.body.decode("utf-8"), format=fmt)
        except Exception as error:  # rdflib's parsers raise many unrelated types
            raise EndpointError(f"{self.url} sent a graph that does not parse as {fmt}: {error}", self.url) from None
        if fmt != "nt":
            return graph
        # N-Triples has no plain/xsd:string distinction to lose, but some servers still write ^^xsd:string.
        typed = [triple for triple in graph if isinstance(triple[2], Literal) and str(triple[2].datatype) == XSD_STRING]
        for subject, predicate, obj in typed:
            graph.remove((subject, predicate, obj))
            graph.add((subject, predicate, Literal(str(obj))))
        return graph

    def _results(self, form: QueryForm, answer: Response) -> QueryResult:
        if answer.content_type not in ("application/sparql-results+json", "application/json"):
            raise self._unusable(answer, "SPARQL JSON results")
        try:
            document = json.loads(answer.body)
            if form is QueryForm.ASK:
                return QueryResult(QueryForm.ASK, boolean=bool(document["boolean"]))
            variables = tuple(str(name) for name in document["head"]["vars"])
            rows = tuple(
                tuple(term_from_json(row[name]) if name in row else None for name in variables)
                for row in document["results"]["bindings"]
            )
        except (ValueError, KeyError, TypeError) as error:
            raise EndpointError(f"{self.url} sent SPARQL JSON results that do not make sense: {error!r}",
                                self.url) from None
        return QueryResult(QueryForm.SELECT, variables=variables, rows=rows)

    def _unusable(self, answer: Response, expected: str) -> EndpointError:
        start = " ".join(answer.body[:200].decode("utf-8", "replace").split())
        return EndpointError(f"{self.url} answered with {answer.content_type}, not {expected}; is it the "
                             f"SPARQL query endpoint? It said: {start}", self.url, answer.status)


def _with_prefixes(query: str) -> str:
    """The query with the usual prefixes declared first, except those it declares itself."""
    body = "\n".join(line for line in query.splitlines() if not line.lstrip().startswith("#"))
    declared = {match.group(1) or "" for match in _PREFIX_DECLARED.finditer(body)}
    prologue = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items() if name not in declared)
    return prologue + query


def remote_store_from_options(endpoint: str, user: str | None = None, password: str | None = None,
                              token_env: str | None = None, timeout: float = 60.0) -> RemoteStore:
    """The store for ``--endpoint URL`` and the credential options; raises :class:`UsageError` on bad options."""
    client = HttpClient(auth=auth_from_options(user, password, token_env), timeout=timeout)
    return RemoteStore(endpoint, client)


__all__ = [
    "DEFAULT_GRAPH",
    "Auth",
    "EndpointError",
    "HttpClient",
    "RemoteStore",
    "Response",
    "Retry",
    "auth_from_options",
    "check_url",
    "nt_term",
    "remote_store_from_options",
    "term_from_json",
]
