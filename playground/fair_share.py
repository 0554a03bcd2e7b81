"""One server, many training sessions: frames get rarer as more sessions train, and each trains more.

A Streamlit server runs every session's Python on one core at a time, and each training session asks
for a message of frames every tick. ``pace_for`` paces by work, not by frames: the sessions that trained
in the last seconds share one training budget (a fixed share of the core), messages come less often
as they grow in number but never less than MIN_FRAMES_PER_SECOND, and each frame trains as many epochs
as its share allows. A run therefore takes as long as the CPU forces, not a fixed number of frames;
one cheap enough (FINISH_SECONDS) is trained whole in the page's run that starts it. ``TrainingSessions``
lets one session's script run at a time, by priority: a slider's answer, a page run, a live frame.
Measured by benchmarks/load_test_ws.py; the figures are in the README ("Hosting a workshop").
"""

from __future__ import annotations

import contextlib
import enum
import math
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

# One trainer alone: every 0.112 s the page gets four frames and shows them 28 ms apart (36 frames/s).
# Four frames a message: Streamlit's own work per message, in the server and in the browser (about 5
# and 15 ms), is paid once for four frames.
FRAMES_PER_TICK = 4
BASE_TICK_SECONDS = 0.112
# Each more trainer makes messages rarer, up to one every MAX_TICK_SECONDS (four frames: 5.7 frames/s).
EXTRA_TICK_PER_TRAINER = 0.02
MAX_TICK_SECONDS = 0.7
MIN_FRAMES_PER_SECOND = FRAMES_PER_TICK / MAX_TICK_SECONDS
# Training, summed over the sessions that train, takes at most this share of one core; the rest is
# left to drawing frames and to everyone else's clicks and sliders. One trainer alone: 14 ms a frame.
TRAINING_SHARE = 0.5
# A run is spread over about this long, so that even the four-row tutorial is seen learning: 30 frames
# for one trainer alone, a handful when many train (each then trains more epochs). Spreading it wider
# when many train meant more messages, which a busy server sent later: runs took longer, not smoother.
RUN_SPREAD_SECONDS = 0.84
# A run that looks cheap enough to end within this much training (the thread's CPU time; the tutorial's
# 1,000 epochs take about 0.03 s) is finished in the page's run that starts it: one run of the page
# instead of a run of the page, a few messages and a second run of the page at its end. Its frames are
# then played over RUN_SPREAD_SECONDS.
FINISH_SECONDS = 0.15
# A live frame that has waited this long for its turn queues as a click (clicks would starve it).
FRAME_PATIENCE_SECONDS = 0.5
# A page run that has held the turn for this much of its thread's CPU time gives it up between two parts
# of the page when one that outranks it waits (a slider's answer; everyone's clicks, for a heavy
# session), and takes it back before its equals: a slow run is served in parts, the others between them.
TURN_BUDGET_SECONDS = 0.02
# A session whose page runs took more than this much CPU time lately (halving every USAGE_HALF_LIFE
# seconds) waits behind everyone's clicks: a person clicking once a second costs about 0.1 s here, a
# client sending its largest table five times a second several seconds. A visitor's first page run
# (about 0.15 s) is not counted: a newcomer who then sets the epochs and presses Train counted as
# heavy, and waited. (At 0.5 s, a stranger's usage fell below it during each pause, and it went on
# unchecked: others' Step p95 × 3.4 instead of × 1.8 at 2 MB.)
HEAVY_SECONDS = 0.15
USAGE_HALF_LIFE = 2.0
# While others use the server, a heavy session gets at most this share of it: after a turn that took s
# seconds, its next turn waits s × (1 / HEAVY_SHARE − 1), at most MAX_HEAVY_PAUSE (it is still served).
HEAVY_SHARE = 0.05
MAX_HEAVY_PAUSE = 2.0
# Another session counts as using the server when it has had a turn (any: a click, a slider, a frame)
# within this long.
OTHERS_WINDOW_SECONDS = 0.5
MAX_COUNTED_SESSIONS = 1000
# A session that has not trained for this long no longer counts. Long enough that a room where people
# train, look at the result and train again counts them all: a count that swings at every run made
# the pages' ticks change (a whole-page rerun each) several times a run.
ACTIVE_SECONDS = 10.0
# A page's tick is set when the whole page runs; a ticking page runs it again once the tick it should
# have is this many times shorter or longer than the one it has.
RETUNE_RATIO = 2.0


class Priority(enum.IntEnum):
    """Who goes first when several sessions wait for their turn: the higher, the sooner."""

    FRAME = 0  # a live frame: the page shows the last frames meanwhile
    HEAVY = 1  # a page run of a session that has lately taken far more than its share (see ``turn``)
    CLICK = 2  # a run of the whole page: a button, a setting, a table edit
    ANSWER = 3  # a slider's answer: a few milliseconds, and someone watches for it


@dataclass(frozen=True)
class Pace:
    """How often a training session's page gets new frames, and how long it may train for each frame."""

    tick_seconds: float
    slice_seconds: float

    @property
    def frame_seconds(self) -> float:
        """How far apart the page shows the frames of a message."""
        return self.tick_seconds / FRAMES_PER_TICK

    @property
    def frames_per_run(self) -> int:
        """How many frames a run that is cheap to train is spread over: whole messages of frames over
        about RUN_SPREAD_SECONDS. A message's frames cost little beside the message itself, so its last
        message is filled rather than sent with one frame."""
        return FRAMES_PER_TICK * max(1, math.ceil(RUN_SPREAD_SECONDS / self.tick_seconds - 1e-9))

    def playing_seconds(self, frames: int) -> float:
        """How long the page takes to show a message of ``frames`` frames: a tick, or for a message that
        holds more than a tick's frames (a whole run), as long as a run is spread over."""
        return max(self.tick_seconds, min(frames * self.frame_seconds, RUN_SPREAD_SECONDS))


def needs_new_tick(current: Pace, wanted: Pace) -> bool:
    """True when a page ticking at ``current`` should be run again to tick at ``wanted``."""
    shorter, longer = sorted((current.tick_seconds, wanted.tick_seconds))
    return longer > RETUNE_RATIO * shorter


def pace_for(n_training: int) -> Pace:
    """The pace of each of ``n_training`` sessions training at once (one alone trains at full pace)."""
    n = max(1, n_training)
    tick = min(MAX_TICK_SECONDS, BASE_TICK_SECONDS + EXTRA_TICK_PER_TRAINER * (n - 1))
    return Pace(tick, TRAINING_SHARE * tick / FRAMES_PER_TICK / n)


class TrainingSessions:
    """Which sessions trained recently, and whose turn it is to train: the one piece of state the whole
    server shares (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last_trained: dict[str, float] = {}
        self._turns = threading.Condition()
        self._holder: int | None = None  # the thread whose turn it is
        self._held_priority = Priority.CLICK  # the priority it got its turn at
        self._depth = 0  # how many times that thread has entered (a fragment inside a page run)
        self._held_since = 0.0  # the holder's CPU time (time.thread_time) when its turn began
        self._usage: dict[str, tuple[float, float]] = {}  # session → (CPU seconds, decayed, as of when)
        self._not_before: dict[str, float] = {}  # a heavy session's next turn, not before this moment
        self._last_turn: dict[str, float] = {}  # session → when it last got a turn
        self._queues: list[deque[object]] = [deque() for _ in Priority]  # tickets of waiting threads

    @contextlib.contextmanager
    def turn(self, priority: Priority = Priority.CLICK, who: str | None = None) -> Iterator[None]:
        """One session's script runs at a time; a thread already in its turn may enter again.

        Python runs one thread at a time anyway. Sessions waiting for their turn sleep on a lock instead
        of taking the GIL from each other every millisecond: with 30 training at once that contention
        kept the server's event loop from sending the pages their messages. A turn waits while one of
        higher ``priority`` waits: a slider's answer never queues behind whole-page runs, and neither
        queues behind live frames; a live frame that has waited FRAME_PATIENCE_SECONDS queues as a click,
        so clicks never starve a page's frames. Turns of the same priority come first come, first
        served: woken in any order, an unlucky session waited over 20 s in a busy room. A session ``who``
        whose page runs took more than HEAVY_SECONDS lately (``note_run``) queues behind everyone's
        clicks (``Priority.HEAVY``), and while others use the server it waits first, so that it takes
        at most HEAVY_SHARE of it: one session cannot stall the others.
        """
        me = threading.get_ident()
        if self._holder != me and who is not None:
            time.sleep(self._pause(who))
        with self._turns:
            if self._holder != me:
                self._wait_for_turn(self._lowered(priority, who))
                self._holder, self._held_since = me, time.thread_time()
                self._held_priority = self._lowered(priority, who)
                if who is not None:
                    self._seen(who)
            elif who is not None:  # a turn taken before it was known whose it is (a message being read)
                self._held_priority = min(self._held_priority, self._lowered(priority, who))
            self._depth += 1
        try:
            yield
        finally:
            with self._turns:
                self._depth -= 1
                if not self._depth:
                    self._holder = None
                    self._turns.notify_all()

    def share(self, budget: float = TURN_BUDGET_SECONDS) -> None:
        """Between two parts of a page: when this thread has held its turn for more than ``budget``
        seconds of its CPU time and one that outranks it waits, give the turn up, and take it back
        before any of its own rank. Yielding to equals too would share the turn round-robin: when a
        whole room pressed Train at once, every page run then ended near the last one's end."""
        me = threading.get_ident()
        with self._turns:
            if self._held_priority == Priority.HEAVY:
                budget = 0.0  # a heavy session gives way at every part of its work
            if (
                self._holder != me
                or not self._higher_waits(self._held_priority)
                or time.thread_time() - self._held_since < budget
            ):
                return
            depth, self._holder, self._depth = self._depth, None, 0
            self._turns.notify_all()
            self._wait_for_turn(self._held_priority, first=True)
            self._holder, self._depth, self._held_since = me, depth, time.thread_time()

    def usage(self, who: str, now: float | None = None) -> float:
        """The CPU seconds session ``who``'s page runs took lately (each halving every USAGE_HALF_LIFE s)."""
        spent, at = self._usage.get(who, (0.0, 0.0))
        now = time.monotonic() if now is None else now
        return spent * 0.5 ** ((now - at) / USAGE_HALF_LIFE)

    def _lowered(self, priority: Priority, who: str | None) -> Priority:
        """A page run of a session that took far more than its share lately waits behind clicks."""
        heavy = priority == Priority.CLICK and who is not None and self.usage(who) > HEAVY_SECONDS
        return Priority.HEAVY if heavy else priority

    def _pause(self, who: str) -> float:
        """How long a heavy session waits before it queues, while other sessions use the server: once
        after each of its page runs (its callbacks and the page run after them wait once, not twice)."""
        now = time.monotonic()
        with self._turns:
            delay = min(MAX_HEAVY_PAUSE, self._not_before.pop(who, 0.0) - now)
            others = any(
                now - seen < OTHERS_WINDOW_SECONDS for other, seen in self._last_turn.items() if other != who
            )
        return delay if delay > 0 and others else 0.0

    def _seen(self, who: str) -> None:
        now = self._last_turn[who] = time.monotonic()
        if len(self._last_turn) > MAX_COUNTED_SESSIONS:  # forget the sessions long gone
            self._last_turn = {
                key: seen for key, seen in self._last_turn.items() if now - seen < ACTIVE_SECONDS
            }

    def note_run(self, who: str, spent: float) -> None:
        """Session ``who``'s page run took ``spent`` seconds of CPU (Streamlit's reading of what the
        browser sent included); a heavy session's next turn is put off so that it takes at most
        HEAVY_SHARE of the server."""
        with self._turns:
            self._count(who, spent)

    def _count(self, who: str, spent: float) -> None:
        now = time.monotonic()
        self._usage[who] = (self.usage(who, now) + spent, now)
        if self._usage[who][0] > HEAVY_SECONDS:
            self._not_before[who] = now + spent * (1 / HEAVY_SHARE - 1)
        else:
            self._not_before.pop(who, None)
        if len(self._usage) > MAX_COUNTED_SESSIONS:  # forget the idlest first: memory stays bounded
            idlest = min(self._usage, key=lambda session: self.usage(session, now))
            del self._usage[idlest]
            self._not_before.pop(idlest, None)

    def waiting(self, priority: Priority) -> int:
        """How many threads of this priority wait for their turn now."""
        with self._turns:
            return len(self._queues[priority])

    def _wait_for_turn(self, priority: Priority, first: bool = False) -> None:
        """Queue (at the end, or ``first``), and sleep until first in the queue, no turn held and none of
        higher priority waiting."""
        ticket = object()
        if first:
            self._queues[priority].appendleft(ticket)
        else:
            self._queues[priority].append(ticket)
        promote_at = time.monotonic() + FRAME_PATIENCE_SECONDS if priority == Priority.FRAME else None
        while (
            self._holder is not None
            or self._queues[priority][0] is not ticket
            or self._higher_waits(priority)
        ):
            if promote_at is not None and time.monotonic() >= promote_at:
                self._queues[priority].remove(ticket)
                priority, promote_at = Priority.CLICK, None
                self._queues[priority].append(ticket)
                continue
            self._turns.wait(None if promote_at is None else promote_at - time.monotonic())
        self._queues[priority].popleft()

    def _higher_waits(self, priority: Priority) -> bool:
        return any(self._queues[higher] for higher in range(priority + 1, len(Priority)))

    def count(self, now: float, training_session: str | None = None) -> int:
        """Sessions that trained within ACTIVE_SECONDS of ``now``; first marks ``training_session``."""
        with self._lock:
            if training_session is not None:
                self._last_trained[training_session] = now
            stale = [key for key, seen in self._last_trained.items() if now - seen > ACTIVE_SECONDS]
            for key in stale:
                del self._last_trained[key]
            return len(self._last_trained)
