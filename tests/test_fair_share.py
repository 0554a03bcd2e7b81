"""Sharing the server between training sessions: the pace and the record of who trains."""

from __future__ import annotations

import threading

import pytest

from playground.fair_share import (
    ACTIVE_SECONDS,
    BASE_SLICE_SECONDS,
    BASE_TICK_SECONDS,
    TrainingSessions,
    pace_for,
)


def test_one_or_two_sessions_train_at_full_pace():
    assert pace_for(0) == pace_for(1)
    assert pace_for(1).tick_seconds == BASE_TICK_SECONDS
    assert pace_for(1).slice_seconds == BASE_SLICE_SECONDS


@pytest.mark.parametrize("n", [3, 10, 30])
def test_many_sessions_share_the_budget(n):
    pace = pace_for(n)
    assert pace.slice_seconds == pytest.approx(BASE_SLICE_SECONDS / n)
    assert pace.tick_seconds > BASE_TICK_SECONDS
    # together the sessions train at most one base slice per base tick, whatever their number
    assert n * pace.slice_seconds / pace.tick_seconds <= BASE_SLICE_SECONDS / BASE_TICK_SECONDS


def test_sessions_count_while_they_train_and_expire_after():
    sessions = TrainingSessions()
    assert sessions.count(0.0) == 0
    assert sessions.count(0.0, "a") == 1
    assert sessions.count(0.5, "b") == 2
    assert sessions.count(0.5, "a") == 2
    assert sessions.count(0.5 + ACTIVE_SECONDS + 0.1) == 0


def test_counting_from_many_threads_is_safe():
    sessions = TrainingSessions()
    threads = [threading.Thread(target=sessions.count, args=(1.0, f"s{i}")) for i in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sessions.count(1.0) == 50
