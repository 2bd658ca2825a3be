"""The time a reply's cue matching may take, and the timer signal that enforces it.

A rubric's regex can run away on some reply (Python's engine backtracks); matching stops when
the reply's budget is spent, and the caller tells the student what was skipped.
"""

from __future__ import annotations

import atexit
import signal
import threading
import time

# Seconds of cue matching one reply may take. A normal reply needs a few milliseconds and the
# longest one scored about ten; only a pathological pattern gets near this.
REPLY_BUDGET = 0.5


class Overrun(Exception):
    pass


def _interrupt(signum, frame):
    if _ticking and (_due is None or time.perf_counter() < _due):
        return  # a tick of the repeating timer outside a reply, or before its budget is spent
    raise Overrun()


class HardDeadline:
    """On the main thread (the command line, a batch worker) a timer signal stops even a single
    regex call that runs away: Python's engine checks for signals as it backtracks. Elsewhere
    (the app scores in a thread), or when the process already uses the timer or the signal, the
    budget is checked between regex calls only.

    The handler is installed once and left in place (it only ever fires inside a scoring call,
    since the timer is always disarmed on the way out): installing it for every reply cost more
    than matching the cues of a short one. A batch worker goes further (`tick`): one repeating
    timer for the whole process, and a reply only sets the time it is due."""

    def __init__(self, seconds: float | None) -> None:
        global _due
        self.armed = False  # this reply armed the timer (and disarms it)
        self.signalled = False  # a signal will stop the reply when its budget runs out
        if seconds is None:
            return
        if _ticking:
            if threading.get_ident() == _MAIN_IDENT:  # the signal is delivered to the main thread
                _due = time.perf_counter() + seconds
                self.signalled = True
            return
        if not _own_timer():
            return
        signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.001))
        self.armed = self.signalled = True

    def __enter__(self) -> "HardDeadline":
        return self

    def __exit__(self, *exc) -> None:
        global _due
        if self.armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
        elif self.signalled:  # the repeating timer's reply is over
            _due = None


def _own_timer() -> bool:
    """Whether this thread may use the process's real-time timer (installing the handler once)."""
    global _installed
    if not hasattr(signal, "setitimer") or threading.get_ident() != _MAIN_IDENT:
        return False
    if not _installed:
        if signal.getsignal(signal.SIGALRM) not in (signal.SIG_DFL, None) \
                or signal.getitimer(signal.ITIMER_REAL) != (0.0, 0.0):
            return False  # the process uses the timer itself
        signal.signal(signal.SIGALRM, _interrupt)
        _installed = True
    return True


def tick(every: float = 0.05) -> bool:
    """For a process that does nothing but score (a batch worker): one timer repeating every
    `every` seconds replaces arming and disarming one per reply (two system calls that cost about
    as much as matching a short reply's cues); a reply past its budget is stopped at the next
    tick. Returns False, changing nothing, where the timer is not this thread's to use."""
    global _ticking
    if _ticking:
        return True
    if not _own_timer():
        return False
    _ticking = True
    signal.setitimer(signal.ITIMER_REAL, every, every)
    # Stopped before the interpreter resets its handlers on the way out, or a last tick would
    # end the process with "Alarm clock".
    atexit.register(signal.setitimer, signal.ITIMER_REAL, 0)
    return True


_MAIN_IDENT = threading.main_thread().ident
_installed = False  # (asking the signal module each time cost as much as the timer)
_ticking = False  # a repeating timer runs (tick)
_due: float | None = None  # when the reply being matched runs out of budget, while ticking
