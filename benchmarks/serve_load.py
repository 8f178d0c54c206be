"""Load test of ``atfgraph serve``: N concurrent clients on loopback for a fixed time; a benchmark, not a test.

Starts ``atfgraph serve`` on the shipped data on a free 127.0.0.1 port, then runs N client threads for a
fixed time, each with its own keep-alive connection, going round a mix of saved queries (HTML pages and
their JSON/CSV twins), entity pages (HTML and Turtle), the label search and ad-hoc SPARQL (SELECT, ASK,
CONSTRUCT). Prints throughput, p50/p90/p99 latency overall and per kind of request, and errors (expected:
none). Every request goes to the loopback address; the run is bounded in time and stops the server itself.

    python benchmarks/serve_load.py [--clients 8] [--seconds 10] [--workers 2] [--store oxigraph|memory]
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx2

ROOT = Path(__file__).resolve().parent.parent
STARTUP_SECONDS = 60.0

MIX: list[tuple[str, str, dict[str, str]]] = [
    ("saved-html", "/queries/events-in-country?country=Turkey", {}),
    ("saved-json", "/queries/events-in-country.json?country=TR", {}),
    ("saved-json", "/queries/coordination.json", {}),
    ("saved-csv", "/queries/events-by-topic.csv?topic=information-exchange", {}),
    ("saved-html", "/queries/timeline", {}),
    ("entity-html", "/id/organisation/attf", {}),
    ("entity-html", "/id/country/TR", {}),
    ("entity-html", "/id/event/attf-meeting-4", {}),
    ("entity-ttl", "/id/organisation/selec", {"Accept": "text/turtle"}),
    ("search-json", "/search.json?q=task", {}),
    ("sparql-select", "/sparql?query=" + "SELECT%20%3Fo%20%3Fl%20WHERE%20%7B%20%3Fo%20a%20atf%3AOrganisation%20%3B"
                                        "%20rdfs%3Alabel%20%3Fl%20%7D%20ORDER%20BY%20%3Fl", {}),
    ("sparql-ask", "/sparql?query=ASK%20%7B%20%3Fs%20a%20atf%3AEvent%20%7D", {}),
    ("sparql-construct", "/sparql?query=CONSTRUCT%20WHERE%20%7B%20%3Fa%20atf%3ApartOf%20%3Fb%20%7D",
     {"Accept": "application/n-triples"}),
]


@dataclass
class Tally:
    """What one client saw: latencies by kind of request, and errors."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter[str] = field(default_factory=Counter)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(port: int, options: argparse.Namespace) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "atfgraph", "serve", "--data", str(options.data), "--port", str(port),
               "--workers", str(options.workers), "--store", options.store, "--timeout", str(options.timeout)]
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + STARTUP_SECONDS
    with httpx2.Client(timeout=5) as http:
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise SystemExit(f"the server stopped with exit code {server.returncode}")
            try:
                if http.get(f"http://127.0.0.1:{port}/sparql/description").status_code == 200:
                    return server
            except httpx2.TransportError:
                pass
            time.sleep(0.2)
    stop_server(server)
    raise SystemExit("the server did not start in time")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    """Stop the server this script started (Ctrl-C, then a kill if it does not go)."""
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=15)


def client(base: str, index: int, deadline: float, tally: Tally) -> None:
    position = index  # each client starts at a different place in the mix
    with httpx2.Client(base_url=base, timeout=30) as http:
        while time.monotonic() < deadline:
            kind, path, headers = MIX[position % len(MIX)]
            position += 1
            started = time.perf_counter()
            try:
                response = http.get(path, headers=headers)
                elapsed = time.perf_counter() - started
                if response.status_code != 200:
                    tally.errors[f"{kind}: HTTP {response.status_code}"] += 1
                    continue
            except httpx2.HTTPError as error:
                tally.errors[f"{kind}: {type(error).__name__}"] += 1
                continue
            tally.latencies[kind].append(elapsed)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(tallies: list[Tally], seconds: float, options: argparse.Namespace) -> None:
    by_kind: dict[str, list[float]] = defaultdict(list)
    errors: Counter[str] = Counter()
    for tally in tallies:
        for kind, values in tally.latencies.items():
            by_kind[kind] += values
        errors.update(tally.errors)
    every = [value for values in by_kind.values() for value in values]
    print(f"atfgraph serve load test: {options.clients} clients, {seconds:.1f} s, {options.workers} workers, "
          f"store {options.store}, {os.cpu_count()} CPU(s)")
    if not every:
        print("no request succeeded")
    else:
        print(f"requests: {len(every)} ok, {sum(errors.values())} errors; throughput {len(every) / seconds:.1f} req/s")
        print(f"latency: p50 {percentile(every, 0.5) * 1000:.0f} ms, p90 {percentile(every, 0.9) * 1000:.0f} ms, "
              f"p99 {percentile(every, 0.99) * 1000:.0f} ms, max {max(every) * 1000:.0f} ms")
        print(f"{'kind':<18}{'count':>7}{'p50 ms':>9}{'p99 ms':>9}{'mean ms':>9}")
        for kind in sorted(by_kind):
            values = by_kind[kind]
            print(f"{kind:<18}{len(values):>7}{percentile(values, 0.5) * 1000:>9.0f}"
                  f"{percentile(values, 0.99) * 1000:>9.0f}{statistics.fmean(values) * 1000:>9.0f}")
    for error, count in sorted(errors.items()):
        print(f"error: {error} × {count}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (threads)")
    parser.add_argument("--seconds", type=float, default=10.0, help="how long the clients keep asking")
    parser.add_argument("--workers", type=int, default=2, help="the server's query workers")
    parser.add_argument("--store", default="oxigraph", choices=["oxigraph", "memory"], help="the server's store")
    parser.add_argument("--timeout", type=float, default=10.0, help="the server's query time limit")
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="the data folder to serve")
    options = parser.parse_args()
    port = free_port()
    server = start_server(port, options)
    try:
        tallies = [Tally() for _ in range(options.clients)]
        started = time.monotonic()
        deadline = started + options.seconds
        threads = [threading.Thread(target=client, args=(f"http://127.0.0.1:{port}", index, deadline, tally))
                   for index, tally in enumerate(tallies)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=options.seconds + 60)
        report(tallies, time.monotonic() - started, options)
    finally:
        stop_server(server)


if __name__ == "__main__":
    main()
