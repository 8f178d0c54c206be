"""Pausing Python's cycle collector while a build makes millions of long-lived objects.

Reading and mapping make records, field locations and term texts that live until the build ends and hold
no reference cycles. The collector still walks them all, again and again as the heap grows: at 100,000
events it took 3 of the 4.8 s of reading and more than a second of mapping. Paused, reading takes 1.8 s
and a collection afterwards finds next to nothing (10 objects). Reference counting still frees
everything as usual; only cycles wait until the pause ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """No cycle collection inside the block; the collector's earlier state afterwards (nesting is fine)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


__all__ = ["cycle_collection_paused"]
