"""Sharing the server between training sessions: the pace and the record of who trains."""

from __future__ import annotations

import threading

import pytest

from playground import fair_share
from playground.fair_share import (
    ACTIVE_SECONDS,
    BASE_TICK_SECONDS,
    FRAMES_PER_TICK,
    MIN_FRAMES_PER_SECOND,
    RUN_SPREAD_SECONDS,
    TRAINING_SHARE,
    Priority,
    TrainingSessions,
    needs_new_tick,
    pace_for,
)

ROOMS = [1, 2, 3, 10, 30, 60, 500]


def test_one_session_alone_trains_at_full_pace():
    assert pace_for(0) == pace_for(1)
    assert pace_for(1).tick_seconds == BASE_TICK_SECONDS
    assert pace_for(1).frames_per_run == 32  # the tutorial's 1000 epochs are seen over 32 frames


@pytest.mark.parametrize("n", ROOMS)
def test_together_the_sessions_train_within_their_share_of_the_core(n):
    pace = pace_for(n)
    trained_per_second = n * pace.slice_seconds * FRAMES_PER_TICK / pace.tick_seconds
    assert trained_per_second == pytest.approx(TRAINING_SHARE)


@pytest.mark.parametrize("n", ROOMS)
def test_frames_never_come_rarer_than_the_minimum(n):
    assert FRAMES_PER_TICK / pace_for(n).tick_seconds >= MIN_FRAMES_PER_SECOND >= 5


@pytest.mark.parametrize(("fewer", "more"), [(1, 2), (2, 10), (10, 30), (30, 60)])
def test_more_trainers_mean_rarer_frames_that_each_train_more_of_a_run(fewer, more):
    small, large = pace_for(fewer), pace_for(more)
    assert large.tick_seconds >= small.tick_seconds
    assert large.frames_per_run <= small.frames_per_run
    # a cheap run is spread over about the same time, however many train (pace by work, not frames),
    # in whole messages of frames
    for pace in (small, large):
        assert pace.frames_per_run % FRAMES_PER_TICK == 0
        messages = pace.frames_per_run // FRAMES_PER_TICK
        assert RUN_SPREAD_SECONDS <= messages * pace.tick_seconds < RUN_SPREAD_SECONDS + pace.tick_seconds


def test_a_ticking_page_is_retuned_only_when_the_room_changes_a_lot():
    assert not needs_new_tick(pace_for(1), pace_for(2))
    assert not needs_new_tick(pace_for(30), pace_for(20))
    assert needs_new_tick(pace_for(1), pace_for(30))
    assert needs_new_tick(pace_for(30), pace_for(1))


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


def test_sessions_train_one_at_a_time():
    sessions = TrainingSessions()
    inside, most = 0, 0
    guard = threading.Lock()

    def train() -> None:
        nonlocal inside, most
        for _ in range(200):
            with sessions.turn():
                with guard:
                    inside += 1
                    most = max(most, inside)
                with guard:
                    inside -= 1

    threads = [threading.Thread(target=train) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most == 1


def entry_order(
    sessions: TrainingSessions, arrivals: list[tuple[str, Priority]], pause: float = 0.0
) -> list[str]:
    """While one thread holds the turn, threads arrive one after another (each waiting before the next
    comes, ``pause`` seconds after the first); then the turn is released. Who entered, in order."""
    entered: list[str] = []
    release = threading.Event()

    def hold() -> None:
        with sessions.turn():
            release.wait(10)

    def enter(name: str, priority: Priority) -> None:
        with sessions.turn(priority):
            entered.append(name)

    threads = [threading.Thread(target=hold)]
    threads[0].start()
    for count, (name, priority) in enumerate(arrivals, start=1):
        threads.append(threading.Thread(target=enter, args=(name, priority)))
        threads[-1].start()
        wait_until_queued(sessions, count)
        if count == 1:
            threading.Event().wait(pause)
    release.set()
    for thread in threads:
        thread.join(10)
    return entered


@pytest.mark.parametrize(
    "arrivals",
    [
        [Priority.FRAME, Priority.CLICK, Priority.ANSWER],
        [Priority.ANSWER, Priority.FRAME, Priority.CLICK],
        [Priority.CLICK, Priority.ANSWER, Priority.FRAME],
    ],
)
def test_waiting_turns_go_by_priority_whatever_their_order_of_arrival(arrivals: list[Priority]) -> None:
    """A slider's answer before a page run before a live frame, however they queued."""
    entered = entry_order(TrainingSessions(), [(priority.name, priority) for priority in arrivals])
    assert entered == ["ANSWER", "CLICK", "FRAME"]


def test_a_thread_in_its_turn_may_enter_again():
    """The page's run holds the turn while it runs its fragments, which take it again."""
    sessions = TrainingSessions()
    done = threading.Event()

    def nested() -> None:
        with sessions.turn(), sessions.turn(Priority.FRAME):
            done.set()

    thread = threading.Thread(target=nested, daemon=True)
    thread.start()
    assert done.wait(10), "entering the turn again blocked"


def test_turns_of_the_same_priority_come_in_their_order_of_arrival() -> None:
    arrivals = [(str(arrival), Priority.CLICK) for arrival in range(10)]
    assert entry_order(TrainingSessions(), arrivals) == [str(arrival) for arrival in range(10)]


def test_a_live_frame_that_waited_its_patience_goes_before_clicks_that_came_later(monkeypatch) -> None:
    monkeypatch.setattr(fair_share, "FRAME_PATIENCE_SECONDS", 0.05)
    arrivals = [("frame", Priority.FRAME), ("click", Priority.CLICK)]
    assert entry_order(TrainingSessions(), arrivals, pause=0.3) == ["frame", "click"]


@pytest.mark.parametrize("n_training", ROOMS)
def test_a_message_plays_over_its_tick_and_a_whole_run_over_the_runs_spread(n_training: int) -> None:
    pace = pace_for(n_training)
    assert pace.playing_seconds(FRAMES_PER_TICK) == pytest.approx(pace.tick_seconds)
    assert pace.playing_seconds(1) == pace.tick_seconds  # a run's last frame is not flashed either
    whole_run = pace.playing_seconds(pace.frames_per_run + FRAMES_PER_TICK)
    assert whole_run == pytest.approx(max(pace.tick_seconds, RUN_SPREAD_SECONDS))


def wait_until_queued(sessions: TrainingSessions, count: int) -> None:
    """Until ``count`` threads wait for their turn (at most 10 s)."""
    for _ in range(1000):
        if sum(sessions.waiting(level) for level in Priority) >= count:
            return
        threading.Event().wait(0.01)


def burn(seconds: float) -> None:
    """Spend this much of the thread's own CPU time."""
    import time

    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass


@pytest.mark.parametrize(("burnt", "waiter_first"), [(0.08, True), (0.0, False)])
def test_a_page_run_over_its_budget_lets_a_waiting_session_go_between_its_parts(burnt, waiter_first):
    sessions, entered = TrainingSessions(), []
    holding, other_waits = threading.Event(), threading.Event()

    def slow_page() -> None:
        with sessions.turn(), sessions.turn():  # a page run, and an intent inside it
            holding.set()
            other_waits.wait(10)
            burn(burnt)
            sessions.share(0.05)  # between two parts of the page
            entered.append("slow page, second part")

    def other() -> None:
        holding.wait(10)
        with sessions.turn(Priority.ANSWER):
            entered.append("other")

    threads = [threading.Thread(target=slow_page), threading.Thread(target=other)]
    for thread in threads:
        thread.start()
    wait_until_queued(sessions, 1)
    other_waits.set()
    for thread in threads:
        thread.join(10)
    expected = ["other", "slow page, second part"] if waiter_first else ["slow page, second part", "other"]
    assert entered == expected


def run_slow_page_among(
    sessions: TrainingSessions, arrivals: list[tuple[str, Priority]], who: str | None, cpu: float = 0.08
) -> list:
    """A page run (``who``'s, inside a turn taken before it was known whose) whose first part takes
    ``cpu`` seconds (by default over its budget), with ``arrivals`` queued while it runs; the order in
    which everyone got in after its first part."""
    entered: list[str] = []
    holding, all_wait = threading.Event(), threading.Event()

    def slow_page() -> None:
        with sessions.turn(), sessions.turn(Priority.CLICK, who):  # Streamlit reading, then the page
            holding.set()
            all_wait.wait(10)
            burn(cpu)
            sessions.share(0.05)
            entered.append("slow page, second part")

    def arrive(name: str, priority: Priority) -> None:
        with sessions.turn(priority):
            entered.append(name)

    threads = [threading.Thread(target=slow_page)]
    threads[0].start()
    holding.wait(10)
    for count, (name, priority) in enumerate(arrivals, start=1):
        threads.append(threading.Thread(target=arrive, args=(name, priority)))
        threads[-1].start()
        wait_until_queued(sessions, count)
    all_wait.set()
    for thread in threads:
        thread.join(10)
    return entered


def test_a_page_run_gives_way_to_those_who_outrank_it_and_then_goes_on_before_its_equals():
    """Not round-robin: when a room pressed Train at once, every page run ended near the last one."""
    entered = run_slow_page_among(
        TrainingSessions(), [("click", Priority.CLICK), ("answer", Priority.ANSWER)], None
    )
    assert entered == ["answer", "slow page, second part", "click"]


def test_a_heavy_sessions_page_run_gives_way_to_everyones_clicks(monkeypatch):
    monkeypatch.setattr(fair_share, "MAX_HEAVY_PAUSE", 0.0)
    sessions = TrainingSessions()
    sessions.note_run("greedy", fair_share.HEAVY_SECONDS + 0.05)
    entered = run_slow_page_among(sessions, [("click", Priority.CLICK)], "greedy")
    assert entered == ["click", "slow page, second part"]


PAGE = "slow page, second part"


@pytest.mark.parametrize(("heavy", "expected"), [(True, ["click", PAGE]), (False, [PAGE, "click"])])
def test_a_heavy_session_gives_way_at_every_part_of_its_work_however_short(monkeypatch, heavy, expected):
    """A stranger's 2 MB table took 40-70 ms between two turns it gave up (its 20 ms budget, then the
    next part): others' Step p95 × 1.7-2.3. A normal page run still keeps its turn within its budget."""
    monkeypatch.setattr(fair_share, "MAX_HEAVY_PAUSE", 0.0)
    sessions = TrainingSessions()
    sessions.note_run("someone", fair_share.HEAVY_SECONDS + 0.05 if heavy else 0.01)
    entered = run_slow_page_among(sessions, [("click", Priority.CLICK)], "someone", cpu=0.0)
    assert entered == expected


def test_a_page_run_alone_keeps_its_turn_over_its_budget():
    sessions = TrainingSessions()
    with sessions.turn():
        burn(0.06)
        sessions.share(0.05)  # nobody waits: nothing to give up
        assert sessions.waiting(Priority.CLICK) == 0


def test_a_session_that_took_far_more_than_its_share_waits_behind_everyones_clicks(monkeypatch):
    monkeypatch.setattr(fair_share, "MAX_HEAVY_PAUSE", 0.0)  # the order alone, here
    sessions = TrainingSessions()
    sessions.note_run("greedy", fair_share.HEAVY_SECONDS + 0.05)
    assert sessions.usage("greedy") > fair_share.HEAVY_SECONDS
    arrivals = [("greedy", Priority.CLICK, "greedy"), ("polite", Priority.CLICK, "polite")]
    entered: list[str] = []
    release = threading.Event()

    def hold() -> None:
        with sessions.turn():
            release.wait(10)

    def enter(name: str, priority: Priority, who: str) -> None:
        with sessions.turn(priority, who):
            entered.append(name)

    threads = [threading.Thread(target=hold)]
    threads[0].start()
    for count, arrival in enumerate(arrivals, start=1):
        threads.append(threading.Thread(target=enter, args=arrival))
        threads[-1].start()
        wait_until_queued(sessions, count)
    release.set()
    for thread in threads:
        thread.join(10)
    assert entered == ["polite", "greedy"]  # the greedy one came first, and went second


def test_what_a_session_took_fades():
    import time

    sessions = TrainingSessions()
    sessions.note_run("clicker", 0.05)
    now = time.monotonic()
    taken = sessions.usage("clicker", now)
    assert taken == pytest.approx(0.05, rel=1e-3)
    assert sessions.usage("clicker", now + fair_share.USAGE_HALF_LIFE) == pytest.approx(taken / 2)


def test_a_heavy_session_waits_before_its_turn_only_while_others_use_the_server():
    import time

    sessions = TrainingSessions()
    sessions.note_run("greedy", 0.6)  # heavy: its next turn is put off by 0.6 × (1 / share − 1), capped
    started = time.monotonic()
    with sessions.turn(Priority.CLICK, "greedy"):
        pass
    assert time.monotonic() - started < 0.1  # alone on the server: no wait
    with sessions.turn(Priority.CLICK, "polite"):  # another session, just now
        pass
    sessions.note_run("greedy", 0.6)
    started = time.monotonic()
    with sessions.turn(Priority.CLICK, "greedy"):
        pass
    assert time.monotonic() - started >= fair_share.MAX_HEAVY_PAUSE * 0.9
    with sessions.turn(Priority.CLICK, "polite"):
        pass
    started = time.monotonic()
    with sessions.turn(Priority.CLICK, "greedy"):
        pass  # the page run after the callback that waited above: one wait a run, not two
    assert time.monotonic() - started < 0.1


def test_a_newcomer_who_opens_the_page_and_trains_is_not_heavy():
    """Setting the epochs and pressing Train after the page opened (that first run is not counted)."""
    sessions = TrainingSessions()
    for spent in (0.03, 0.09):
        sessions.note_run("newcomer", spent)
    with sessions.turn(Priority.CLICK, "polite"):
        pass
    assert sessions._lowered(Priority.CLICK, "newcomer") == Priority.CLICK
    assert sessions._pause("newcomer") == 0.0
