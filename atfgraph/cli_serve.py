"""The ``atfgraph serve`` command: a read-only SPARQL endpoint and web UI over one graph.

Registered on the ``atfgraph`` group by :mod:`atfgraph.cli`. Exit codes as everywhere: 0 when stopped
normally, 1 when the data has errors, 2 for a usage error (bad option, no graph to serve).
"""

from __future__ import annotations

import ipaddress
from pathlib import Path

import click

from atfgraph.cli_common import base_option, errors, store_option
from atfgraph.web import Limits, Settings, create_app, load_source
from atfgraph.web.settings import DEFAULT_MAX_REQUEST_BYTES, DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT, DEFAULT_WORKERS

HEADER_ROOM = 64 * 1024
"""Room for the request line and headers on top of the query string the size limit allows."""


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


@click.command("serve")
@click.option("--graph", "graph_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Serve this graph file (.nq, .ttl, .jsonld, .nt, .trig).")
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Build this data folder in memory and serve it.")
@store_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but loopback makes the graph reachable from the network.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--timeout", default=DEFAULT_TIMEOUT, show_default=True, type=click.FloatRange(min=0, min_open=True),
              help="Seconds a query may run before it is stopped (503).")
@click.option("--max-rows", default=DEFAULT_MAX_ROWS, show_default=True, type=click.IntRange(min=1),
              help="Rows (or triples) in one answer; more are cut and flagged (X-Atfgraph-Truncated: true).")
@click.option("--max-request-bytes", default=DEFAULT_MAX_REQUEST_BYTES, show_default=True,
              type=click.IntRange(min=1), help="Largest request body or query string accepted (413, 414).")
@click.option("--workers", default=DEFAULT_WORKERS, show_default=True, type=click.IntRange(min=1),
              help="Queries answered at once, each in its own process.")
@click.option("--cors-origin", "cors_origins", multiple=True, metavar="ORIGIN",
              help="Let scripts on this origin (https://example.org) call the endpoint; repeat for several. "
                   "Off by default.")
@base_option
def serve(graph_file: Path | None, data_dir: Path | None, store_spec: str, host: str, port: int, timeout: float,
          max_rows: int, max_request_bytes: int, workers: int, cors_origins: tuple[str, ...], base: str) -> None:
    """Serve a graph read-only: the SPARQL 1.1 endpoint at /sparql and a web UI, until Ctrl-C.

    The graph is chosen as for every command: --graph FILE, --data DIR, --store oxigraph:PATH, else the
    last build (out/graph.nq), else ./data. Binds to 127.0.0.1 unless --host says otherwise. SPARQL Update,
    SERVICE and FROM are refused; see docs/serve.md for the limits and the error format.
    """
    import uvicorn  # the server loads only for this command

    with errors():
        limits = Limits(timeout=timeout, max_rows=max_rows, max_request_bytes=max_request_bytes, workers=workers)
        settings = Settings(base=base, limits=limits, cors_origins=cors_origins)
        source = load_source(graph_file, data_dir, store_spec, base)
        app = create_app(source, settings)  # forks the query workers now, before uvicorn starts any thread
    url = _url(host, port)
    click.echo(f"serving {source.description} at {url} (SPARQL endpoint: {url}sparql); Ctrl-C stops it")
    if not _loopback(host):
        click.secho(f"warning: listening on {host}: anyone who can reach this machine can query the graph",
                    fg="yellow", err=True)
    uvicorn.run(app, host=host, port=port, http="h11", log_level="info", server_header=False,
                h11_max_incomplete_event_size=max_request_bytes + HEADER_ROOM)


__all__ = ["serve"]
