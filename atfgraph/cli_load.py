"""The ``atfgraph load`` command: push a build to a triple store over the SPARQL 1.1 Graph Store Protocol.

Registered on the ``atfgraph`` group by :mod:`atfgraph.cli`; the credential options (``--user``/``--password``,
``--token-env``) come from :mod:`atfgraph.cli_common`, shared with every command that talks to an endpoint.
"""

from __future__ import annotations

from pathlib import Path

import click

from atfgraph.cli_common import ask_password, auth_options, errors, progress_bar
from atfgraph.gsp import DEFAULT_CHUNK, DEFAULT_TARGET, GraphStore, Targets, build_file, load_file
from atfgraph.remote import HttpClient, Retry, auth_from_options


@click.command("load")
@click.option("--endpoint", required=True, metavar="URL",
              help="The Graph Store Protocol endpoint: http://HOST:7878/store for Oxigraph, "
                   "http://HOST:8890/sparql-graph-crud-auth for Virtuoso.")
@click.option("--graph", "graph", metavar="IRI",
              help="Load everything (every named graph and the default graph) into this one graph.")
@click.option("--default-graph", metavar="IRI",
              help="Put the build's default graph (the description of each input file) into this named graph "
                   "instead of ENDPOINT?default: for stores without a default graph, such as Virtuoso.")
@click.option("--replace", is_flag=True,
              help="Also delete the graphs an earlier load put there that this build no longer has (the "
                   "graph of a records file since removed); without it they are kept. No effect with --graph.")
@auth_options
@click.option("--from", "source", default="out", show_default=True, type=click.Path(path_type=Path),
              help="A build folder (its graph.nq is loaded) or a graph file: .nq, .nt, .ttl, .trig, .jsonld.")
@click.option("--chunk-size", default=DEFAULT_CHUNK, show_default=True, type=click.IntRange(min=1),
              help="Triples per request.")
@click.option("--timeout", default=120.0, show_default=True, type=click.FloatRange(min=0, min_open=True),
              help="Seconds to wait for each answer.")
@click.option("--retries", default=3, show_default=True, type=click.IntRange(min=0, max=10),
              help="Tries again after a server error (5xx) or a refused or broken connection, waiting 0.5 s, "
                   "1 s, 2 s…; never after a refusal (4xx) or a timeout.")
def load(endpoint: str, graph: str | None, default_graph: str | None, replace: bool, user: str | None,
         password: str | None, token_env: str | None, source: Path, chunk_size: int, timeout: float,
         retries: int) -> None:
    """Push a build (default: ./out) to a triple store over the SPARQL 1.1 Graph Store Protocol.

    Each named graph of out/graph.nq (one per input file) goes to the graph of the same IRI
    (ENDPOINT?graph=IRI), and the default graph's triples, which describe each input file, to
    ENDPOINT?default (or to --default-graph IRI). That replaces the endpoint's default graph: in a shared
    store, give --default-graph IRI or --graph IRI.

    A graph's first chunk is sent with PUT, which replaces the graph, and the rest with POST, which adds:
    loading the same build twice leaves one copy, and a graph changed in the records is replaced whole.
    While a load runs, queries may see a graph half loaded.

    Exit codes: 0 loaded; 1 the endpoint refused a request (401, 403, 404, 405, 413, 415…), failed (5xx
    after the retries) or could not be reached; 2 a usage error (bad option, missing or malformed input,
    token variable not set), found before anything is sent.
    """
    with errors():
        auth = auth_from_options(user, ask_password(user, password), token_env)
        path = build_file(source)

        def tell(message: str) -> None:
            click.echo(f"\n{message}", err=True)

        client = HttpClient(auth=auth, timeout=timeout, retry=Retry(retries=retries), on_retry=tell)
        with progress_bar(f"loading {path.name}", threshold=0) as progress:
            result = load_file(path, GraphStore(endpoint, client), Targets(graph, default_graph), replace,
                               chunk_size, progress)
    for name in result.deleted:
        click.echo(f"deleted {name} (no longer in the build)")
    if result.kept:
        click.echo(f"kept {len(result.kept)} graph(s) that are no longer in the build: {', '.join(result.kept)}; "
                   "--replace deletes them", err=True)
    labels = [("(default graph)" if name == DEFAULT_TARGET else name, count) for name, count in result.graphs]
    width = max(len(label) for label, _ in labels)
    for label, count in labels:
        click.echo(f"  {label:<{width}}  {count:>9}")
    click.echo(f"loaded {result.triples} triples into {len(result.graphs)} graph(s) at {endpoint} "
               f"in {result.requests} request(s)")


__all__ = ["load"]
