"""The processes that run queries, so that a query can be stopped: a process can be killed, a thread cannot.

The server forks one *nursery* process when it starts, before it has any thread: the nursery holds the
loaded graph and forks a *worker* for every slot of the pool, and again whenever the server kills a worker
that ran past its time limit. Forking only from the single-threaded nursery means no worker is ever forked
from the server's threaded event loop (a fork there can copy a lock some other thread holds).

A worker receives one task at a time on its pipe, runs it against the store and sends back the outcome:
the task's value, or an :class:`HttpError` saying what went wrong, never a stack trace.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import sys
from dataclasses import dataclass
from multiprocessing import reduction
from multiprocessing.connection import Connection, Pipe
from typing import Any, Protocol, TypeVar

from atfgraph.errors import AtfgraphError, DataError, QueryError
from atfgraph.store import Store
from atfgraph.web.errors import HttpError, WebError
from atfgraph.web.source import GraphSource

T_co = TypeVar("T_co", covariant=True)

logger = logging.getLogger("atfgraph.web")

SPAWN = "spawn"
"""A request to the nursery: fork a worker, answer with its pid and the server's end of its pipe."""

STOP = "stop"
"""A request to the nursery: exit. (The end of its pipe is no sure sign: other processes forked from the
server may hold a copy of the server's end.)"""


class Task(Protocol[T_co]):
    """Work for a worker: a picklable object whose ``run`` reads the store and returns a picklable value."""

    def run(self, store: Store) -> T_co:
        """Do the work."""
        ...  # pragma: no cover - a protocol


@dataclass(frozen=True)
class Done:
    """A task's value, as sent back by a worker."""

    value: Any


INTERNAL = HttpError(500, "Internal Server Error", "the server could not answer this request; the cause is in its log")


def outcome_of(task: Task[Any], store: Store) -> Done | HttpError:
    """Run a task, turning every failure into the error the client will see."""
    try:
        return Done(task.run(store))
    except WebError as error:
        return error.error
    except QueryError as error:
        return HttpError(400, "Bad query", str(error))
    except DataError as error:
        return HttpError(500, "Graph unavailable", str(error))
    except AtfgraphError as error:
        return HttpError(400, "Bad request", str(error))
    except Exception:  # a bug or an engine failure: logged here, never shown to the client
        logger.exception("task %s failed", type(task).__name__)
        return INTERNAL


def serve(source: GraphSource, connection: Connection) -> None:
    """A worker's loop: receive a task, run it, send the outcome; stop when the server closes the pipe."""
    store: Store | None = None
    while True:
        try:
            task = connection.recv()
        except (EOFError, OSError):
            return
        if store is None:
            try:
                store = source.open()
            except AtfgraphError as error:
                logger.error("cannot open the graph: %s", error)
                _send(connection, HttpError(503, "Graph unavailable", "the server cannot open its graph"))
                continue
        if not _send(connection, outcome_of(task, store)):
            return


def _send(connection: Connection, outcome: Done | HttpError) -> bool:
    """Send an outcome; False when the server has gone. A value that cannot be pickled becomes a 500."""
    try:
        connection.send(outcome)
    except (BrokenPipeError, ConnectionError, EOFError):
        return False
    except Exception:  # pickling failed before anything was written, so the pipe is still in step
        logger.exception("cannot send an answer back to the server")
        try:
            connection.send(INTERNAL)
        except OSError:
            return False
    return True


def nursery(source: GraphSource, control: Connection, server: int, servers_end: Connection) -> None:
    """The nursery's loop: fork a worker for each request on ``control``; stop when told or when the server goes."""
    servers_end.close()  # the fork copied it; holding it would keep our own end from ever seeing EOF
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the server, which then stops us
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps the workers the server kills
    die_with_parent(server)
    source.warm()
    while True:
        try:
            request = control.recv()
        except (EOFError, OSError):
            return
        if request == STOP:
            return
        if request != SPAWN:
            continue
        ours, theirs = Pipe()
        here = os.getpid()
        pid = os.fork()
        if pid == 0:  # the worker
            status = 0
            try:
                control.close()
                ours.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                die_with_parent(here)
                serve(source, theirs)
            except BaseException:
                status = 1
            finally:
                os._exit(status)  # never run the server's exit handlers in a worker
        theirs.close()
        try:
            control.send(pid)
            reduction.send_handle(control, ours.fileno(), server)
        except OSError:
            return
        finally:
            ours.close()


def die_with_parent(parent: int) -> None:
    """Ask Linux to kill this process when its parent dies, so no worker outlives a killed server."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # pragma: no cover - a libc without prctl
            pass
    if os.getppid() != parent:  # the parent died before the request above took effect
        os._exit(0)


__all__ = ["INTERNAL", "SPAWN", "STOP", "Done", "Task", "die_with_parent", "nursery", "outcome_of", "serve"]
