"""Clearing pyparsing's packrat cache after rdflib parses SPARQL.

rdflib's SPARQL grammar runs pyparsing with packrat memoisation on, and the cache keeps the parse exceptions
of the last parse until the next one. Their tracebacks hold the frames they were raised in, and each frame
its caller: every frame up the stack, with its locals, stays alive. After a build's one query (the count
per class) that was the whole build (records, field locations and the Oxigraph store: 1.4 GB at 100,000
events), freed only at interpreter exit; and a pyoxigraph result iterator kept that way is freed on
whichever thread next parses, which pyoxigraph refuses (an unraisable RuntimeError in a test run).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from pyparsing import ParserElement


@contextmanager
def packrat_cleared() -> Iterator[None]:
    """Run a parse; empty pyparsing's cache when it ends, however it ends."""
    try:
        yield
    finally:
        ParserElement.reset_cache()


__all__ = ["packrat_cleared"]
