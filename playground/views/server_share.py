"""What every session on this server shares: the record of who trains, and whose turn it is to run.

The one server-wide object (``st.cache_resource``); see playground/fair_share.py for what it does.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator

import streamlit as st

from playground.fair_share import Priority, TrainingSessions


@st.cache_resource
def training_sessions() -> TrainingSessions:
    """The server-wide record of who is training (one object for all sessions, by design)."""
    return TrainingSessions()


_MESSAGE = threading.local()  # whether the browser message this script thread is running for was large


def note_message(large: bool) -> None:
    """Streamlit is reading a browser message for this thread's next run: ``large`` or not."""
    _MESSAGE.large = large


@contextlib.contextmanager
def server_turn(priority: Priority = Priority.CLICK, who: str | None = None) -> Iterator[None]:
    """This session's turn to run Python on the server (see TrainingSessions.turn); the page runs of
    session ``who`` are counted, so one that takes far more than its share waits behind the others.
    The run of a large message (a whole table, say) is heavy work too: it waits behind everyone's
    clicks, however little the session took before."""
    if priority == Priority.CLICK and getattr(_MESSAGE, "large", False):
        priority = Priority.HEAVY
    with training_sessions().turn(priority, who):
        yield


def share_turn() -> None:
    """Between two parts of a page: a run that has held the turn too long lets others go first."""
    training_sessions().share()


_BEFORE_RUN = threading.local()  # a script thread's CPU time before the page runs (since its last page run)


@contextlib.contextmanager
def counted_before_run() -> Iterator[None]:
    """Work before the page runs (Streamlit reading the browser's message, a widget's callback): its
    CPU time counts towards the page run's, once however deeply these nest."""
    if getattr(_BEFORE_RUN, "counting", False):
        yield
        return
    _BEFORE_RUN.counting = True
    started = time.thread_time()
    try:
        yield
    finally:
        _BEFORE_RUN.counting = False
        _BEFORE_RUN.cpu = getattr(_BEFORE_RUN, "cpu", 0.0) + time.thread_time() - started


@contextlib.contextmanager
def counted_page_run(who: str, first: bool = False) -> Iterator[None]:
    """A run of the whole page: what it cost the server, its callbacks included, counts for session
    ``who`` (see ``TrainingSessions.note_run``); of a visitor's ``first`` run, which every visitor pays
    once, only what the browser sent with it counts."""
    started = time.thread_time()
    try:
        yield
    finally:
        spent = (0.0 if first else time.thread_time() - started) + getattr(_BEFORE_RUN, "cpu", 0.0)
        _BEFORE_RUN.cpu = 0.0
        training_sessions().note_run(who, spent)
