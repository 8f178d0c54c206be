"""Values computed once and shared between threads: the first thread to ask computes, the others wait."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass
class _Entry(Generic[T]):
    done: threading.Event = field(default_factory=threading.Event)
    value: T | None = None
    error: BaseException | None = None


class Once(Generic[T]):
    """A cache whose values are each computed once, by the first thread that asks for them. The asking thread
    computes (no task is queued), so threads of a pool that wait on one another cannot deadlock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[object, _Entry[T]] = {}

    def get(self, key: object, compute: Callable[[], T]) -> T:
        """The value for the key, computed now if no thread has computed it (an error is raised to all)."""
        with self._lock:
            entry = self._entries.get(key)
            owner = entry is None
            if entry is None:
                entry = self._entries[key] = _Entry()
        if owner:
            try:
                entry.value = compute()
            except BaseException as error:
                entry.error = error
                raise
            finally:
                entry.done.set()
        else:
            entry.done.wait()
            if entry.error is not None:
                raise entry.error
        return entry.value  # type: ignore[return-value]  # set by the owner before done
