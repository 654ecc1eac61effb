"""A wall-clock limit around one piece of work (reading or extracting one article), so that no
single input can hold a run past a configurable time. No NLP here.

The limit is a SIGALRM timer: it interrupts Python code (trafilatura, the rules) at the next
bytecode, and C code (lxml, the parser) when it returns to Python. It is enforced in the main
thread of a process on POSIX systems; elsewhere (a worker thread, Windows) the work runs unbounded.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from onrecord.errors import InputError

#: Once the limit has passed, the alarm fires again this often, in case the work swallowed it.
REPEAT_SECONDS = 0.25


class TimeLimitExceeded(InputError):
    """One input took longer than its time limit; it is skipped and the run goes on."""


class _Expired(BaseException):
    """Raised by the alarm; a BaseException, so that libraries' ``except Exception`` cannot swallow it."""


def can_limit_time() -> bool:
    """True where ``time_limit`` is enforced: a POSIX system, in the main thread."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float, message: str) -> Iterator[None]:
    """Run the body for at most ``seconds`` (0, less or infinite: no limit); past it, raise TimeLimitExceeded(message).

    Limits nest: an inner limit never outlasts an outer one, and the outer one's timer is put back after.
    """
    if not 0 < seconds < float("inf") or not can_limit_time():
        yield
        return
    outer_delay, outer_interval = signal.getitimer(signal.ITIMER_REAL)
    if outer_delay and outer_delay <= seconds:  # an enclosing limit ends first: it alone applies
        yield
        return
    started = time.monotonic()
    armed = True

    def expire(signum: int, frame: object) -> None:
        if armed:
            raise _Expired

    outer_handler = signal.signal(signal.SIGALRM, expire)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds, REPEAT_SECONDS)
        yield
    except _Expired:
        armed = False
        raise TimeLimitExceeded(message) from None
    finally:
        armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, outer_handler)
        if outer_delay:
            left = outer_delay - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 1e-3), outer_interval)
