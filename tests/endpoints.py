"""Servers for the endpoint tests, on loopback only, each stopped when its ``with`` block ends.

:class:`OxigraphServer` runs the real ``oxigraph serve`` (PyPI package ``oxigraph``, in the ``test`` extra);
:class:`ScriptedServer` is a tiny standard-library server that answers from a script and records every
request, to test refusals, retries and credentials.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox

START_TIMEOUT = 30.0
"""Seconds to wait for a server to answer before the test fails."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (now; a server started next will very likely get it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def oxigraph_binary() -> str:
    """The ``oxigraph`` command: beside this Python first (the venv), then on PATH."""
    found = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if found is None:
        raise RuntimeError("the oxigraph server is not installed: pip install -e '.[test]'")
    return found


@dataclass(frozen=True)
class OxigraphServer:
    """A running ``oxigraph serve``: its Graph Store endpoint, its query endpoint, and the whole dataset."""

    base: str

    @property
    def store(self) -> str:
        """The Graph Store Protocol endpoint."""
        return f"{self.base}/store"

    @property
    def query(self) -> str:
        """The SPARQL query endpoint."""
        return f"{self.base}/query"

    def nquads(self) -> list[str]:
        """Every quad on the server as canonical N-Quads lines, sorted, read over plain HTTP."""
        return canonical_nquads(self._dataset())

    def quads(self) -> list[ox.Quad]:
        """Every quad on the server."""
        return list(ox.parse(self._dataset(), format=ox.RdfFormat.N_QUADS))

    def _dataset(self) -> bytes:
        request = urllib.request.Request(self.store, headers={"Accept": "application/n-quads"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            data: bytes = answer.read()
            return data

    def clear(self) -> None:
        """Remove everything (``CLEAR ALL`` on the update endpoint)."""
        request = urllib.request.Request(f"{self.base}/update", data=b"CLEAR ALL", method="POST",
                                         headers={"Content-Type": "application/sparql-update"})
        with urllib.request.urlopen(request, timeout=30):
            pass


def canonical_nquads(data: bytes) -> list[str]:
    """N-Quads text as pyoxigraph writes each quad, sorted: equal lists mean equal datasets (no blank nodes)."""
    return sorted(str(quad) for quad in ox.parse(data, format=ox.RdfFormat.N_QUADS))


@contextmanager
def oxigraph_server(folder: Path) -> Iterator[OxigraphServer]:
    """Start ``oxigraph serve`` on a free loopback port with its data in ``folder``; always stop it."""
    binary = oxigraph_binary()
    for _ in range(3):  # another process may take the free port between probing and binding it
        port = free_port()
        log = (folder / f"oxigraph-{port}.log").open("wb")
        process = subprocess.Popen(
            [binary, "serve", "--location", str(folder / "db"), "--bind", f"127.0.0.1:{port}",
             "--union-default-graph"],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
        try:
            if _wait_until_up(f"http://127.0.0.1:{port}/", process):
                yield OxigraphServer(f"http://127.0.0.1:{port}")
                return
        finally:
            _stop(process)
            log.close()
    raise RuntimeError(f"oxigraph serve did not start; see the logs in {folder}")


VIRTUOSO_INI = Path("/usr/share/virtuoso-opensource-7/virtuoso.ini")
"""The Debian package's configuration, copied with the database in a temporary folder and loopback ports."""


@dataclass(frozen=True)
class VirtuosoServer:
    """A running Virtuoso 7 (Debian's ``virtuoso-opensource``): its Graph Store and query endpoints."""

    base: str

    @property
    def store(self) -> str:
        """The Graph Store Protocol endpoint (``SPARQL_UPDATE`` granted to the anonymous SPARQL user)."""
        return f"{self.base}/sparql-graph-crud"

    @property
    def query(self) -> str:
        """The SPARQL query endpoint."""
        return f"{self.base}/sparql"


def _virtuoso_ini(folder: Path, sql_port: int, http_port: int) -> str:
    """The packaged configuration with its database files in ``folder`` and both servers on loopback ports."""
    text = VIRTUOSO_INI.read_text(encoding="utf-8").replace("/var/lib/virtuoso-opensource-7/db/", f"{folder}/")
    lines = []
    section = ""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            section = stripped
        if stripped.startswith("ServerPort") and section in ("[Parameters]", "[HTTPServer]"):
            port = sql_port if section == "[Parameters]" else http_port
            line = f"ServerPort = 127.0.0.1:{port}"
        elif stripped.startswith("DirsAllowed"):
            line = f"DirsAllowed = ., {folder}, /usr/share/virtuoso-opensource-7/vad"
        lines.append(line)
    return "\n".join(lines) + "\n"


@contextmanager
def virtuoso_server(folder: Path) -> Iterator[VirtuosoServer]:
    """Start Virtuoso on free loopback ports with a new database in ``folder``; always stop it.

    The anonymous ``SPARQL`` user is granted ``SPARQL_UPDATE`` (through ``isql-vt``, as the package's
    default ``dba`` account of a new database) so that the unauthenticated Graph Store endpoint accepts
    writes: acceptable on a test server that only listens on loopback and is removed afterwards.
    """
    binary, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if binary is None or isql is None or not VIRTUOSO_INI.exists():
        raise RuntimeError("Virtuoso is not installed: run scripts/install-system-deps.sh (virtuoso-opensource)")
    for _ in range(3):  # another process may take a free port between probing and binding it
        sql_port, http_port = free_port(), free_port()
        database = folder / f"virtuoso-{http_port}"
        database.mkdir()
        ini = database / "virtuoso.ini"
        ini.write_text(_virtuoso_ini(database, sql_port, http_port), encoding="utf-8")
        log = (database / "server.log").open("wb")
        process = subprocess.Popen([binary, "+foreground", "+configfile", str(ini)], cwd=database,
                                   stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{http_port}"
            if _wait_until_up(f"{base}/sparql?query=ASK%7B%7D", process):
                subprocess.run([isql, f"127.0.0.1:{sql_port}", "dba", "dba",
                                "exec=GRANT SPARQL_UPDATE TO \"SPARQL\";"],
                               check=True, capture_output=True, timeout=60)
                yield VirtuosoServer(base)
                return
        finally:
            _stop(process)
            log.close()
    raise RuntimeError(f"Virtuoso did not start; see the logs in {folder}")


def _wait_until_up(url: str, process: subprocess.Popen[bytes]) -> bool:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url, timeout=2):
                return True
        except (urllib.error.URLError, OSError):
            time.sleep(0.05)
    return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


# --- the scripted server


@dataclass(frozen=True)
class Recorded:
    """One request the scripted server received."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class Answer:
    """What the scripted server sends back."""

    status: int = 204
    body: bytes = b""
    content_type: str = "text/plain"
    headers: dict[str, str] = field(default_factory=dict)


Script = Callable[[Recorded], Answer]


@dataclass
class ScriptedServer:
    """The base URL of a running scripted server and the requests it has received, in order."""

    base: str
    requests: list[Recorded]


@contextmanager
def scripted_server(script: Script) -> Iterator[ScriptedServer]:
    """A loopback HTTP server that answers each request with ``script(request)``; stopped on exit."""
    requests: list[Recorded] = []
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        timeout = 10  # a client that stops half-way cannot hold the test

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            recorded = Recorded(self.command, self.path, {key.lower(): value for key, value in self.headers.items()},
                                body)
            with lock:
                requests.append(recorded)
            answer = script(recorded)
            try:
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.content_type)
                self.send_header("Content-Length", str(len(answer.body)))
                for key, value in answer.headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(answer.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test): nothing to answer

        do_GET = do_POST = do_PUT = do_DELETE = _answer

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep the test output clean

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield ScriptedServer(f"http://127.0.0.1:{server.server_address[1]}", requests)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def always(answer: Answer) -> Script:
    """A script that gives the same answer to every request."""
    return lambda _: answer


def in_turn(*answers: Answer) -> Script:
    """A script that gives these answers in order, then repeats the last one."""
    sent: list[int] = [0]

    def script(_: Recorded) -> Answer:
        index = min(sent[0], len(answers) - 1)
        sent[0] += 1
        return answers[index]

    return script


@contextmanager
def closed_port() -> Iterator[str]:
    """A loopback URL on which nothing listens."""
    yield f"http://127.0.0.1:{free_port()}/"
