"""Running rdflib's SPARQL parser where its leftovers cannot hold on to the caller.

rdflib's SPARQL grammar runs pyparsing with packrat memoisation on, and the cache keeps the parse exceptions
of the last parse until the next one. Their tracebacks hold the frames they were raised in, and each frame
its caller's: every frame up the stack, with its locals. After a build's one query (the count per class)
that was the whole build (records, field locations and the Oxigraph store: 1.4 GB at 100,000 events) until
the process ended; and a pyoxigraph result iterator kept that way is freed on whichever thread next parses,
which pyoxigraph refuses (an unraisable RuntimeError in a test run). Emptying the cache after a parse is not
enough: the exceptions then form reference cycles with those frames, which only the cycle collector frees
(2 s of walking at the end of a 100,000-event build).

So a parse runs on a short-lived thread of its own, whose frames lead up to nothing of the caller's, and the
cache is emptied when it ends. A thread per parse, not a pool: a pool's idle thread does not survive a fork,
and a forked child (a server worker) would wait for it forever. Parses are few (remembered per query text).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from pyparsing import ParserElement

T = TypeVar("T")


def parse_apart(function: Callable[..., T], *args: Any) -> T:
    """``function(*args)`` on a thread of its own, pyparsing's cache emptied after; its result, or its
    exception raised here."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = function(*args)
        except BaseException as error:  # handed to the caller as it is
            outcome["error"] = error
        finally:
            ParserElement.reset_cache()

    thread = threading.Thread(target=run, name="atfgraph-parse")
    thread.start()
    thread.join()
    failure = outcome.pop("error", None)
    if failure is not None:
        try:
            raise failure
        finally:
            del failure  # no cycle through this frame (as concurrent.futures does)
    value: T = outcome.pop("value")
    return value


__all__ = ["parse_apart"]
