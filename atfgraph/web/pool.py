"""The pool of worker processes, seen from the server: wait for a free worker, run a task under a time limit.

Requests wait for a worker without blocking the event loop (a memory stream hands out idle workers, first
come first served), and wait for the answer the same way (the event loop watches the worker's pipe). When
the time is up the worker is killed with SIGKILL, which stops the query however deep in an engine it is,
and the nursery forks a fresh one in its place. The client gets a 503 with the JSON error, never a 200
with half an answer.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import math
import multiprocessing
import os
import signal
import threading
import warnings
from dataclasses import dataclass
from multiprocessing import reduction
from multiprocessing.connection import Connection
from typing import Any, TypeVar

import anyio
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

from atfgraph.web.errors import HttpError, WebError
from atfgraph.web.sandbox import SPAWN, STOP, Done, Task, nursery
from atfgraph.web.source import GraphSource

T = TypeVar("T")

logger = logging.getLogger("atfgraph.web")


class PoolError(Exception):
    """The nursery cannot fork a worker (it has died)."""


@dataclass(frozen=True)
class Worker:
    """A worker process and the server's end of its pipe."""

    pid: int
    connection: Connection


class WorkerPool:
    """``size`` worker processes answering tasks, each under a time limit."""

    def __init__(self, source: GraphSource, size: int) -> None:
        self.source = source
        self.size = size
        self._control: Connection | None = None
        self._nursery: Any = None  # a multiprocessing Process (its type depends on the context)
        self._lock = threading.Lock()  # one conversation with the nursery at a time
        self._live: dict[int, Worker] = {}
        self._idle: list[Worker] = []
        self._send: MemoryObjectSendStream[Worker] | None = None
        self._receive: MemoryObjectReceiveStream[Worker] | None = None
        self.killed = 0
        """How many workers were killed (time limit, crash or abandoned request): for tests and the log."""

    def start(self) -> None:
        """Fork the nursery and the workers. Call before the server starts any thread."""
        if self._control is not None:
            return
        context = multiprocessing.get_context("fork")
        ours, theirs = context.Pipe()
        self._nursery = context.Process(target=nursery, args=(self.source, theirs, os.getpid(), ours),
                                        name="atfgraph-nursery", daemon=True)
        with warnings.catch_warnings():
            # Python 3.12+ warns on any fork of a process with a second OS thread; the only one here is
            # OpenBLAS's (numpy, loaded with networkx and matplotlib), which re-creates its threads after a
            # fork. The server's own threads (uvicorn, the test client) do not exist yet.
            warnings.filterwarnings("ignore", r"This process .* is multi-threaded", DeprecationWarning)
            self._nursery.start()
        theirs.close()
        self._control = ours
        atexit.register(self.close)
        self._idle = [self._spawn() for _ in range(self.size)]

    async def open(self) -> None:
        """Make the workers available to requests; call on the event loop that serves them (the lifespan).

        A pool serves one server once: its lifespan's end closes it, so a second server needs a new app.
        """
        if self._send is not None or self._control is None:
            raise RuntimeError("this worker pool was opened before: make a new app for another server")
        self._send, self._receive = anyio.create_memory_object_stream[Worker](max_buffer_size=math.inf)
        for worker in self._idle:
            self._send.send_nowait(worker)
        self._idle = []

    async def run(self, task: Task[T], timeout: float, wait: float) -> T:
        """The value of a task run by a free worker.

        Raises :class:`WebError`: 503 when no worker was free within ``wait`` seconds or the task ran past
        ``timeout`` seconds (its worker is then killed and replaced), 500 when the worker died, and the
        task's own errors as the worker reported them.
        """
        if self._receive is None or self._send is None:
            raise RuntimeError("the worker pool is not open: serve the app with its lifespan")
        try:
            with anyio.fail_after(wait):
                worker = await self._receive.receive()
        except TimeoutError:
            raise WebError(503, "Server busy", f"no worker was free within {wait:g} s; try again",
                           (("Retry-After", "1"),)) from None
        answered = False
        try:
            outcome = await self._ask(worker, task, timeout)
            answered = True
        finally:
            with anyio.CancelScope(shield=True):
                if answered:
                    self._give_back(worker)
                else:  # timed out, died, or the request was abandoned mid-query: the worker may be busy still
                    await self._replace(worker)
        if isinstance(outcome, HttpError):
            raise WebError.of(outcome)
        return outcome.value  # type: ignore[no-any-return]

    async def _ask(self, worker: Worker, task: Task[Any], timeout: float) -> Done | HttpError:
        try:
            worker.connection.send(task)
            with anyio.move_on_after(timeout) as scope:
                await anyio.wait_readable(worker.connection.fileno())
            if scope.cancelled_caught:
                raise WebError(503, "Query time limit exceeded",
                               f"the query ran for more than {timeout:g} s and was stopped; narrow it "
                               "(a LIMIT, more specific patterns) or run it with atfgraph query")
            outcome: Done | HttpError = await anyio.to_thread.run_sync(worker.connection.recv)
            return outcome
        except (EOFError, OSError):
            logger.error("worker %d stopped while answering a %s", worker.pid, type(task).__name__)
            raise WebError(500, "Internal Server Error", "the process answering this request stopped; "
                                                          "it has been replaced") from None

    async def _replace(self, worker: Worker) -> None:
        self._kill(worker)
        self.killed += 1
        try:
            fresh = await anyio.to_thread.run_sync(self._spawn)
        except PoolError as error:
            logger.error("cannot replace worker %d: %s", worker.pid, error)
            return
        self._give_back(fresh)

    def _give_back(self, worker: Worker) -> None:
        """Make a worker available again (unless the server is shutting down)."""
        try:
            assert self._send is not None
            self._send.send_nowait(worker)
        except (anyio.ClosedResourceError, anyio.BrokenResourceError):
            self._kill(worker)

    def _spawn(self) -> Worker:
        """A new worker from the nursery (blocking: a fork and two messages)."""
        with self._lock:
            if self._control is None:
                raise PoolError("the pool is closed")
            try:
                self._control.send(SPAWN)
                pid = self._control.recv()
                handle = reduction.recv_handle(self._control)
            except (EOFError, OSError) as error:
                raise PoolError(f"the nursery process has stopped: {error}") from error
            worker = Worker(int(pid), Connection(handle))
            self._live[worker.pid] = worker
            return worker

    def _kill(self, worker: Worker) -> None:
        self._live.pop(worker.pid, None)
        with contextlib.suppress(ProcessLookupError):  # it may have died on its own
            os.kill(worker.pid, signal.SIGKILL)
        worker.connection.close()

    @property
    def pids(self) -> tuple[int, ...]:
        """The process ids of the live workers."""
        return tuple(sorted(self._live))

    def close(self) -> None:
        """Kill every worker and stop the nursery. Safe to call twice."""
        atexit.unregister(self.close)
        for worker in list(self._live.values()):
            self._kill(worker)
        with self._lock:
            if self._control is not None:
                with contextlib.suppress(OSError):
                    self._control.send(STOP)
                self._control.close()
                self._control = None
        if self._nursery is not None:
            self._nursery.join(timeout=2)
            if self._nursery.is_alive():
                self._nursery.kill()
                self._nursery.join(timeout=5)
            self._nursery = None
        if self._send is not None:
            self._send.close()
        if self._receive is not None:
            self._receive.close()


__all__ = ["PoolError", "Worker", "WorkerPool"]
