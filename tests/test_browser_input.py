"""Streamlit's reading of what a browser sends, as the app changes it (playground/views/browser_input.py):
a large message waits for the session's turn and counts towards its page run; a small one does not wait."""

from __future__ import annotations

import json
import threading

import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetStates
from streamlit.runtime.state import SafeSessionState, SessionState

from playground.fair_share import Priority
from playground.views import server_share
from playground.views.browser_input import LARGE_MESSAGE_BYTES, read_browser_messages_in_turn


def message(size: int) -> WidgetStates:
    states = WidgetStates()
    widget = states.widgets.add()
    widget.id = "editor"
    widget.json_value = '"' + "1" * size + '"'
    return states


def read_while_another_holds_the_turn(states: WidgetStates) -> tuple[bool, bool]:
    """Whether the reading had finished while another session held the turn, and whether it finished
    once the turn was given back."""
    read_browser_messages_in_turn()
    held, give_back = threading.Event(), threading.Event()

    def other_session() -> None:
        with server_share.server_turn():
            held.set()
            give_back.wait(10)

    holder = threading.Thread(target=other_session)
    holder.start()
    held.wait(10)
    reader = threading.Thread(
        target=SafeSessionState(SessionState(), lambda: None).on_script_will_rerun, args=(states,)
    )
    reader.start()
    reader.join(0.3)
    read_before = not reader.is_alive()
    give_back.set()
    reader.join(10)
    holder.join(10)
    return read_before, not reader.is_alive()


def test_a_large_message_is_read_only_in_the_sessions_turn():
    assert read_while_another_holds_the_turn(message(LARGE_MESSAGE_BYTES)) == (False, True)


def test_a_small_message_is_read_at_once():
    assert read_while_another_holds_the_turn(message(100)) == (True, True)


def test_a_large_message_is_read_after_the_clicks_that_wait():
    """Reading a large message is heavy work: everyone's clicks waiting for the turn go first."""
    read_browser_messages_in_turn()
    entered: list[str] = []
    sessions = server_share.training_sessions()
    held, release = threading.Event(), threading.Event()

    class Recorded(SessionState):
        def on_script_will_rerun(self, *args: object, **kwargs: object) -> None:
            entered.append("large message")

    def hold() -> None:
        with server_share.server_turn():
            held.set()
            release.wait(10)

    def click() -> None:
        with server_share.server_turn(Priority.CLICK):
            entered.append("click")

    threads = [
        threading.Thread(target=hold),
        threading.Thread(
            target=SafeSessionState(Recorded(), lambda: None).on_script_will_rerun,
            args=(message(LARGE_MESSAGE_BYTES),),
        ),
        threading.Thread(target=click),
    ]
    threads[0].start()
    held.wait(10)
    for queued, thread in enumerate(threads[1:], start=1):
        thread.start()
        for _ in range(1000):  # until it waits for its turn (at most 10 s)
            if sum(sessions.waiting(level) for level in Priority) >= queued:
                break
            threading.Event().wait(0.01)
    release.set()
    for thread in threads:
        thread.join(10)
    assert entered == ["click", "large message"]


@pytest.mark.parametrize(
    ("size", "queued_as"), [(100, Priority.CLICK), (LARGE_MESSAGE_BYTES, Priority.HEAVY)]
)
def test_the_page_run_after_a_large_message_queues_behind_everyones_clicks(size, queued_as):
    """A stranger's 2 MB tables cost too little each to count as heavy by what the session took, and
    its page runs then held the turn for whole parts of the page."""
    read_browser_messages_in_turn()
    sessions = server_share.training_sessions()
    read, held, release = threading.Event(), threading.Event(), threading.Event()
    queued: list[Priority] = []

    def hold() -> None:
        with server_share.server_turn():
            held.set()
            release.wait(10)

    def run_after_message() -> None:
        SafeSessionState(SessionState(), lambda: None).on_script_will_rerun(message(size))
        read.set()
        held.wait(10)
        with server_share.server_turn(Priority.CLICK, "someone"):  # the page run after it
            pass

    runner = threading.Thread(target=run_after_message)
    runner.start()
    read.wait(10)
    holder = threading.Thread(target=hold)
    holder.start()
    for _ in range(1000):  # until the page run waits for its turn (at most 10 s)
        queued = [level for level in Priority if sessions.waiting(level)]
        if queued:
            break
        threading.Event().wait(0.01)
    release.set()
    runner.join(10)
    holder.join(10)
    assert queued == [queued_as]


@pytest.mark.parametrize(("size", "counted"), [(100, False), (LARGE_MESSAGE_BYTES, True)])
def test_reading_a_large_message_counts_towards_the_next_page_run(size, counted):
    read_browser_messages_in_turn()
    with server_share.counted_page_run("before"):
        pass  # nothing read before this run is left over
    SafeSessionState(SessionState(), lambda: None).on_script_will_rerun(message(size))
    assert (server_share._BEFORE_RUN.cpu > 0) == counted


def test_a_long_state_parsed_once_is_written_back_as_its_own_text_and_a_changed_one_anew():
    from playground.views.browser_input import REMEMBERED_CHARACTERS, _GuardedJson

    guarded = _GuardedJson()
    text = json.dumps({"table": {"rows": [["Bob", "1" * REMEMBERED_CHARACTERS]]}}, separators=(",", ":"))
    state = guarded.loads(text)
    assert guarded.dumps(state) is text  # not encoded again
    state["table"] = {"rows": []}
    assert json.loads(guarded.dumps(state)) == {"table": {"rows": []}}


@pytest.mark.parametrize("first", [True, False])
def test_a_visitors_first_page_run_is_not_counted_but_what_its_browser_sent_is(first):
    import time

    read_browser_messages_in_turn()
    with server_share.counted_page_run("before"):
        pass
    SafeSessionState(SessionState(), lambda: None).on_script_will_rerun(message(LARGE_MESSAGE_BYTES))
    read = server_share._BEFORE_RUN.cpu
    with server_share.counted_page_run("visitor", first=first):
        end = time.thread_time() + 0.05
        while time.thread_time() < end:
            pass
    usage = server_share.training_sessions().usage("visitor")
    assert usage >= read * 0.99 and (usage < read + 0.04) == first  # the record halves every 2 s
