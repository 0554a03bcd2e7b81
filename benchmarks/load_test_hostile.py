"""One hostile client among normal users: does a huge table-editor message slow everyone else down?

A workshop server is open to whoever has the link, and the table editor accepts a whole table from the
browser. This load test measures what the largest such message costs the people using the server at
the same time. Every simulated user is a websocket client from ``load_test_ws.py`` (``User``: it speaks
Streamlit's own protocol, BackMsg / ForwardMsg protobufs over ``/_stcore/stream``, and keeps what a
browser would know), so nearly all the CPU is left to the server under test:

* steppers (``--steppers``, 10) press Step (widget key "step") again and again. A press is timed until
  the network picture ("playground_network") arrives with a frame at the next epoch; the stepper then
  waits for the page run to finish, looks for ``STEP_PAUSE_SECONDS`` (± ``--step-jitter`` of it, 0 by
  default) and presses again. Steppers never press Train first: the tutorial's run ends inside the
  page run of its click, so one Train press would add nothing but a different starting epoch;
* slider users (``--sliders``, 5) move the first "Ask the network" slider about once a second and time
  send → the new "### P(" prediction markdown (``move_sliders`` of ``load_test_ws.py``, unchanged);
* one hostile client sends the table editor ("playground_table_editor", key "table_editor") the
  largest table it can: ``HOSTILE_ROWS`` rows of the editor's columns, every cell the valid number
  "1.000…0" padded to the length that makes the message ``--hostile-mb`` megabytes (10⁶ bytes, as
  Streamlit counts its own size limits). It sends one, waits for that rerun's ``script_finished`` (or
  a timeout), and sends the next, until time is up. When the server closes its connection (it may
  refuse a message that is too big) it opens a new session and goes on, counting the closes. It runs
  in a process of its own: building and sending a 20 MB message in the event loop that times the
  others stalled that loop, and added tens of milliseconds to what was measured for them.

The server's memory (VmRSS) is read after everyone has connected, every half second during the load,
and at the end. ``--compare`` runs the same load without, then with, the hostile client, each on a
fresh server, and prints both columns and how much the hostile client stretched the p95s. With
``--rounds N`` it does that N times, without and with taken in turn, and prints each round's p95s and
those of all rounds' latencies pooled: on a 2-core machine that also runs the load generator and the
hostile client, one pair of runs moved the ratio by as much as the hostile client did. Figures are
reported, not judged: the script exits 0 whenever it ran to the end.

Run from anywhere: ``python benchmarks/load_test_hostile.py [--compare [--rounds 4]] [--seconds 60]``.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import contextlib
import json
import math
import multiprocessing
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: E402

from benchmarks.load_test_ws import (  # noqa: E402
    REPLY_TIMEOUT_SECONDS,
    SETUP_TIMEOUT_SECONDS,
    User,
    _open_user,
    move_sliders,
    open_everyone,
    percentile,
    print_table,
    report_errors,
    trigger,
)
from tests.e2e.server import rss_kib, start_server, stop_server  # noqa: E402

TABLE_EDITOR_COMPONENT = "playground_table_editor"
TABLE_STATE_KEY = "table"  # the editor's setStateValue("table", …) in static/table_editor.js
STEP_KEY = "step"
HOSTILE_INDEX = -1  # the hostile client's user number in messages (the others count from 0)
HOSTILE_ROWS = 5000  # the most rows the app accepts from the editor (playground/table.py, MAX_ROWS)
STEP_PAUSE_SECONDS = 1.0  # a person looks at the stepped network before pressing again
HOSTILE_ANSWER_TIMEOUT_SECONDS = 30.0  # a hostile message without script_finished by then: unanswered
HOSTILE_SEND_TIMEOUT_SECONDS = 30.0
HOSTILE_RECONNECT_PAUSE_SECONDS = 1.0
END_GRACE_SECONDS = 10.0  # after the load: how long a last hostile message may still wait for its answer
RUN_TIMEOUT_MARGIN_SECONDS = 90.0  # the whole load may overrun --seconds by this much, then it is cut
RSS_SAMPLE_SECONDS = 0.5
POLL_SECONDS = 0.01
BYTES_PER_MB = 10**6

Row = tuple[str, str, str]  # (measure, value, note) as load_test_ws.print_table prints it


# --- the hostile client -------------------------------------------------------------------------------


@dataclass
class TableEditor:
    """What a browser's table editor knows from the component's element: where to send the table and
    what the table must look like to be accepted (``editor_data`` in playground/table_edits.py)."""

    widget_id: str
    fragment_id: str
    version: str  # the table's name in this session; a message for another version is ignored
    column_count: int
    max_rows: int
    max_cell_characters: int


@dataclass
class HostileUser(User):
    """A ``User`` that also reads the table editor's element and counts every finished script run
    (fragment runs included), so it can tell when the server has answered its message."""

    editor: TableEditor | None = None
    script_runs_finished: int = 0

    def handle(self, message: ForwardMsg) -> None:
        super().handle(message)
        if message.WhichOneof("type") == "script_finished":
            self.script_runs_finished += 1

    def handle_delta(self, message: ForwardMsg) -> None:
        super().handle_delta(message)
        delta = message.delta
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        is_editor = (
            element.WhichOneof("type") == "bidi_component"
            and element.bidi_component.component_name == TABLE_EDITOR_COMPONENT
        )
        # The editor's data echoes back every table this client sends (20 MB of JSON): read it only
        # once, from the session's first run; the version stays the same for the session's life.
        if is_editor and self.editor is None:
            component = element.bidi_component
            data = json.loads(component.json)
            self.editor = TableEditor(
                widget_id=component.id,
                fragment_id=delta.fragment_id,
                version=data["version"],
                column_count=len(data["columns"]),
                max_rows=data["maxRows"],
                max_cell_characters=data["maxChars"],
            )

    def connection_closed(self) -> bool:
        return self.reader is None or self.reader.done()


@dataclass
class HostileTable:
    """The hostile message's rows, as the JSON text the editor would send: ``rows`` rows of
    ``column_count`` cells, each the number 1 written as "1.000…0", ``cell_characters`` long."""

    rows: int
    column_count: int
    cell_characters: int
    rows_json: str = field(init=False)

    def __post_init__(self) -> None:
        cell = "1." + "0" * (self.cell_characters - 2) if self.cell_characters >= 3 else "1"
        row_json = json.dumps([cell] * self.column_count, separators=(",", ":"))
        self.rows_json = "[" + ",".join([row_json] * self.rows) + "]"

    def state_json(self, version: str, seq: int) -> str:
        """The component state ``{"table": {"version", "seq", "rows"}}``, as the browser sends it."""
        # Spliced rather than json.dumps'd each time: the rows are the same 20 MB in every message.
        return (
            f'{{"{TABLE_STATE_KEY}":{{"version":{json.dumps(version)},"seq":{seq},"rows":{self.rows_json}}}}}'
        )

    def widget_state(self, editor: TableEditor, seq: int) -> WidgetState:
        return WidgetState(id=editor.widget_id, json_value=self.state_json(editor.version, seq))


def hostile_table_for(editor: TableEditor, target_bytes: int) -> HostileTable:
    """The table whose component state is as close to ``target_bytes`` as whole characters allow."""
    rows = min(HOSTILE_ROWS, editor.max_rows)
    empty = HostileTable(rows, editor.column_count, 1)
    bytes_per_extra_character = rows * editor.column_count
    base = len(empty.state_json(editor.version, 1))
    cell_characters = 1 + max(0, target_bytes - base) // bytes_per_extra_character
    return HostileTable(rows, editor.column_count, max(3, cell_characters))


@dataclass
class HostileRecord:
    """What the hostile client did and what the server did to it."""

    target_bytes: int
    sent: int = 0
    answered: int = 0
    unanswered: int = 0  # no script_finished within HOSTILE_ANSWER_TIMEOUT_SECONDS
    closed: int = 0  # connections the server closed (or that broke) under the hostile client
    close_reasons: list[str] = field(default_factory=list)
    sessions_opened: int = 0
    failed_connects: list[str] = field(default_factory=list)
    answer_seconds: list[float] = field(default_factory=list)
    # The widget states of the last message: what Streamlit's server.maxWidgetStateSize limits; the
    # websocket frame is a few hundred bytes more (page hash, URL, locale).
    widget_state_bytes: int = 0
    cell_characters: int = 0
    max_cell_characters: int = 0  # the editor's own limit, from the component's data


async def open_hostile(url: str, index: int, timeout: float) -> HostileUser:
    """A new hostile session that has finished its first page run and drawn the table editor."""
    user = HostileUser(index, "hostile", url)
    try:
        await asyncio.wait_for(_open_user(user), timeout)
        if user.editor is None:
            raise RuntimeError(f"no {TABLE_EDITOR_COMPONENT} element in the first run")
    except BaseException:
        await user.close()
        raise
    return user


async def send_hostile_tables(url: str, start: float, seconds: float, record: HostileRecord) -> None:
    """Send the largest table again and again, each after the last one's answer, until time is up;
    open a new session whenever the server closes the connection."""
    user: HostileUser | None = None
    table: HostileTable | None = None
    seq = 0
    end = start + seconds
    await asyncio.sleep(max(0.0, start - time.monotonic()))
    try:
        while time.monotonic() < end:
            if user is not None and user.connection_closed():
                record.closed += 1
                record.close_reasons.append(close_reason(user))
                await user.close()
                user = None
                await asyncio.sleep(min(HOSTILE_RECONNECT_PAUSE_SECONDS, max(0.0, end - time.monotonic())))
                continue
            if user is None:
                try:
                    timeout = max(1.0, min(SETUP_TIMEOUT_SECONDS, end - time.monotonic()))
                    user = await open_hostile(url, HOSTILE_INDEX, timeout)
                    record.sessions_opened += 1
                except Exception as error:
                    record.failed_connects.append(f"{type(error).__name__}: {error}")
                    await asyncio.sleep(HOSTILE_RECONNECT_PAUSE_SECONDS)
                    continue
                table = None  # a new session has a new table version
            editor = user.editor
            assert editor is not None
            if table is None:
                table = hostile_table_for(editor, record.target_bytes)
                record.cell_characters = table.cell_characters
                record.max_cell_characters = editor.max_cell_characters
            seq += 1
            user.remember(table.widget_state(editor, seq))
            runs_before = user.script_runs_finished
            sent_at = time.monotonic()
            try:
                await asyncio.wait_for(
                    user.rerun(fragment_id=editor.fragment_id), HOSTILE_SEND_TIMEOUT_SECONDS
                )
            except Exception as error:  # a refused or broken connection: counted as a close, then reopened
                if not user.connection_closed():
                    record.closed += 1
                    record.close_reasons.append(f"send: {type(error).__name__}: {error}")
                    await user.close()
                    user = None
                continue
            record.sent += 1
            record.widget_state_bytes = sum(state.ByteSize() for state in user.sent_states.values())
            await wait_for_answer(user, runs_before, sent_at, end, record)
    finally:
        if user is not None:
            await user.close()


def hostile_elsewhere(url: str, start: float, seconds: float, target_bytes: int) -> HostileRecord:
    """The hostile client's whole life, in a process of its own (``time.monotonic`` is the machine's
    clock, the same in every process): its record of what it sent and what happened."""
    record = HostileRecord(target_bytes)
    asyncio.run(send_hostile_tables(url, start, seconds, record))
    return record


async def wait_for_answer(
    user: HostileUser, runs_before: int, sent_at: float, end: float, record: HostileRecord
) -> None:
    """Until a script run finishes after the message (answered), the connection closes, or time is up."""
    deadline = min(sent_at + HOSTILE_ANSWER_TIMEOUT_SECONDS, end + END_GRACE_SECONDS)
    while time.monotonic() < deadline:
        if user.script_runs_finished > runs_before:
            record.answered += 1
            record.answer_seconds.append(time.monotonic() - sent_at)
            return
        if user.connection_closed():
            return  # the loop counts the close and reconnects
        await asyncio.sleep(POLL_SECONDS)
    record.unanswered += 1


def close_reason(user: HostileUser) -> str:
    """The websocket close code and reason the server gave, as far as the client saw them."""
    if user.ws is None:
        return "never connected"
    code, reason = user.ws.close_code, user.ws.close_reason
    return f"{code} {reason}".strip() if code is not None else "closed without a code"


# --- steppers -----------------------------------------------------------------------------------------


def last_arrived_epoch(user: User) -> int:
    """The epoch of the newest picture frame that has arrived (0 before any)."""
    return user.player.arrived[-1][1] if user.player.arrived else 0


async def wait_for_epoch(user: User, seen: int, epoch: int, timeout: float) -> float:
    """When the first picture message after the ``seen`` first ones arrived with a frame at ``epoch``
    or later (monotonic seconds); TimeoutError after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        for arrived_at, arrived_epoch in user.player.arrived[seen:]:
            if arrived_epoch >= epoch:
                return arrived_at
        if time.monotonic() > deadline:
            raise TimeoutError(f"no picture at epoch {epoch} within {timeout:.0f} s of Step")
        if user.reader is not None and user.reader.done():
            raise ConnectionError("the connection closed while waiting for the stepped picture")
        await asyncio.sleep(POLL_SECONDS)


async def press_step_repeatedly(user: User, start: float, seconds: float, jitter: float = 0.0) -> None:
    """Press Step, time it to the picture at the next epoch (kept in ``user.latencies``, ms), let the
    page run finish, pause (STEP_PAUSE_SECONDS, each pause off by up to ± ``jitter`` of it), and press
    again until time is up. A failed press is an error; the next press goes on from whatever epoch the
    picture shows by then."""
    await asyncio.sleep(max(0.0, start - time.monotonic()) + random.uniform(0, STEP_PAUSE_SECONDS))
    end = start + seconds
    press = 0
    while time.monotonic() < end:
        if user.reader is not None and user.reader.done():
            break  # the reader has recorded the disconnect
        try:
            step = user.widget(STEP_KEY)
            if step.proto.disabled:
                raise RuntimeError("Step is disabled")
            next_epoch = last_arrived_epoch(user) + 1
            seen, runs_before = len(user.player.arrived), user.full_runs_finished
            pressed_at = time.monotonic()
            await user.rerun([trigger(step.id)])
            arrived_at = await wait_for_epoch(user, seen, next_epoch, REPLY_TIMEOUT_SECONDS)
            user.latencies.append((arrived_at - pressed_at) * 1000)
            await user.wait_full_run(runs_before)
        except Exception as error:  # a timeout is a measured failure, not a crash of the script
            user.errors.append(f"step {press}: {type(error).__name__}: {error}")
        press += 1
        pause = STEP_PAUSE_SECONDS * random.uniform(1 - jitter, 1 + jitter)
        await asyncio.sleep(min(pause, max(0.0, end - time.monotonic())))


# --- one run ------------------------------------------------------------------------------------------


@dataclass
class ServerUnderTest:
    """The app's URL and, when this script started it, its process id (for memory) and how to stop it."""

    url: str
    pid: int | None
    stop: Callable[[], None]

    def rss_kib(self) -> int | None:
        if self.pid is None:
            return None
        with contextlib.suppress(OSError, RuntimeError):
            return rss_kib(self.pid)
        return None


def start_or_reuse_server(url: str | None) -> ServerUnderTest:
    if url:
        return ServerUnderTest(url.rstrip("/"), None, lambda: None)
    server = start_server()
    return ServerUnderTest(server.url, server.process.pid, lambda: stop_server(server))


@dataclass
class RunSettings:
    seconds: float
    steppers: int
    sliders: int
    hostile_mb: float
    with_hostile: bool
    url: str | None
    step_jitter: float = 0.0


@dataclass
class RunResult:
    """One load's report rows, and the latencies behind them (ms) for pooling rounds."""

    rows: list[Row]
    step_ms: list[float]
    slider_ms: list[float]
    errors: int  # of the normal users, setup and run included


async def run(settings: RunSettings) -> RunResult:
    """One load: start (or reuse) the server, connect everyone, apply the load, report the rows."""
    everyone: list[User] = []
    failed: list[BaseException] = []
    record = HostileRecord(round(settings.hostile_mb * BYTES_PER_MB))
    server = start_or_reuse_server(settings.url)
    run_errors: list[str] = []
    pool = concurrent.futures.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
    try:
        roles = ["stepper"] * settings.steppers + ["slider"] * settings.sliders
        everyone, failed, setup_seconds = await open_everyone(server.url, roles)
        setup_rss = server.rss_kib()
        peak_rss = setup_rss

        async def sample_rss() -> None:
            nonlocal peak_rss
            while True:
                await asyncio.sleep(RSS_SAMPLE_SECONDS)
                rss = server.rss_kib()
                if rss is not None:
                    peak_rss = max(peak_rss or 0, rss)

        sampler = asyncio.create_task(sample_rss())
        start = time.monotonic() + 1.0
        jobs = [
            press_step_repeatedly(user, start, settings.seconds, settings.step_jitter)
            if user.role == "stepper"
            else move_sliders(user, start, settings.seconds)
            for user in everyone
        ]
        if settings.with_hostile:  # in a process of its own: building 20 MB messages must not stall
            # the event loop that times everyone else (it did, by tens of milliseconds a message)
            jobs.append(
                asyncio.get_running_loop().run_in_executor(
                    pool, hostile_elsewhere, server.url, start, settings.seconds, record.target_bytes
                )
            )
        try:
            outcomes = await asyncio.wait_for(
                asyncio.gather(*jobs, return_exceptions=True), settings.seconds + RUN_TIMEOUT_MARGIN_SECONDS
            )
        except TimeoutError:
            outcomes = []
            run_errors.append(f"the load did not end within {RUN_TIMEOUT_MARGIN_SECONDS:.0f} s of its time")
        for user, outcome in zip(everyone, outcomes, strict=False):
            if isinstance(outcome, BaseException):
                user.errors.append(f"{user.role}: {type(outcome).__name__}: {outcome}")
        if settings.with_hostile and len(outcomes) == len(jobs):
            if isinstance(outcomes[-1], BaseException):
                run_errors.append(f"hostile client: {type(outcomes[-1]).__name__}: {outcomes[-1]}")
            else:
                record = outcomes[-1]
        sampler.cancel()
        end_rss = server.rss_kib()
        if end_rss is not None:
            peak_rss = max(peak_rss or 0, end_rss)
    finally:
        await asyncio.gather(*(user.close() for user in everyone), return_exceptions=True)
        pool.shutdown(cancel_futures=True)
        server.stop()
    report_errors(failed, everyone)
    for error in run_errors + record.failed_connects[:3]:
        print(error)
    rows = [("users connected (steppers + sliders) / asked for",
             f"{len(everyone)} / {len(roles)}", f"setup {setup_seconds:.0f} s")]  # fmt: skip
    rows += error_rows(everyone, len(failed) + len(run_errors))
    rows += latency_rows("Step → picture at the next epoch", [u for u in everyone if u.role == "stepper"])
    rows += latency_rows("slider → new prediction", [u for u in everyone if u.role == "slider"])
    rows += hostile_rows(record if settings.with_hostile else None)
    rows += memory_rows(setup_rss, peak_rss, end_rss)
    errors = len(failed) + len(run_errors) + sum(len(user.errors) for user in everyone)
    return RunResult(rows, latencies_of(everyone, "stepper"), latencies_of(everyone, "slider"), errors)


def latencies_of(everyone: list[User], role: str) -> list[float]:
    return [latency for user in everyone if user.role == role for latency in user.latencies]


# --- reporting ----------------------------------------------------------------------------------------


def error_rows(everyone: list[User], setup_and_run_errors: int) -> list[Row]:
    """Errors of the normal users, all in one figure and then by kind (the hostile client's are apart)."""
    errors = [error for user in everyone for error in user.errors]
    timeouts = sum("Timeout" in error for error in errors)
    disconnects = sum("disconnected" in error or "closed" in error for error in errors)
    total = str(len(errors) + setup_and_run_errors)
    return [
        ("errors of normal users (exceptions, disconnects, timeouts)", total, "0 expected"),
        ("  of which timeouts / disconnects", f"{timeouts} / {disconnects}", ""),
    ]


def latency_rows(action: str, users: list[User]) -> list[Row]:
    """How many of one kind of action were timed over all its users, and their p50, p95 and max."""
    latencies = [latency for user in users for latency in user.latencies]
    rows = [(f"{action}: timed", f"{len(latencies)}", f"{len(users)} users")]
    for name, figure in (("p50", statistics.median), ("p95", lambda ms: percentile(ms, 0.95)), ("max", max)):
        rows.append((f"{action} {name}", f"{figure(latencies):.0f} ms" if latencies else "–", ""))
    return rows


def hostile_rows(record: HostileRecord | None) -> list[Row]:
    """What the hostile client sent and got; dashes in a run without it, so columns line up."""
    names = [
        "hostile message: widget state size",
        "hostile cell length / the editor's cell limit",
        "hostile messages sent / answered / unanswered",
        "hostile answer time p50 / max",
        "hostile connections closed (sessions opened)",
    ]
    if record is None:
        return [(name, "–", "") for name in names]
    size = f"{record.widget_state_bytes / BYTES_PER_MB:.2f} MB" if record.sent else "nothing sent"
    answers = record.answer_seconds
    answer_times = f"{statistics.median(answers):.1f} / {max(answers):.1f} s" if answers else "–"
    reasons = ", ".join(sorted(set(record.close_reasons)))[:60]
    return [
        (names[0], size, f"target {record.target_bytes / BYTES_PER_MB:g} MB"),
        (names[1], f"{record.cell_characters} / {record.max_cell_characters}", ""),
        (names[2], f"{record.sent} / {record.answered} / {record.unanswered}", ""),
        (names[3], answer_times, ""),
        (names[4], f"{record.closed} ({record.sessions_opened})", reasons),
    ]


def memory_rows(setup_rss: int | None, peak_rss: int | None, end_rss: int | None) -> list[Row]:
    def mib(kib: int | None) -> str:
        return f"{kib / 1024:.0f}" if kib is not None else "n/a"

    note = "" if setup_rss is not None else "server not started here (--url)"
    return [
        ("app memory (VmRSS) after setup", f"{mib(setup_rss)} MiB", note),
        ("app memory peak / end", f"{mib(peak_rss)} / {mib(end_rss)} MiB", ""),
    ]


def p95_ratios(without: list[Row], with_hostile: list[Row]) -> list[Row]:
    """A third column for --compare: p95 with the hostile client over p95 without, on the p95 rows."""
    ratios = []
    for (name, plain, _), (_, hostile, _) in zip(without, with_hostile, strict=True):
        ratio = ""
        if name.endswith(" p95") and "–" not in (plain, hostile):
            plain_p95, hostile_p95 = (float(value.removesuffix(" ms")) for value in (plain, hostile))
            ratio = f"× {hostile_p95 / plain_p95:.2f}" if plain_p95 > 0 else "n/a"
        ratios.append((name, ratio, ""))
    return ratios


def explain(settings: RunSettings) -> str:
    hostile = (
        f"1 hostile client sends a {settings.hostile_mb:g} MB table ({HOSTILE_ROWS:,} rows) after each answer"
        if settings.with_hostile
        else "no hostile client"
    )
    return (
        f"{settings.steppers} steppers press Step every ~{STEP_PAUSE_SECONDS:g} s, {settings.sliders} users "
        f"move an 'Ask the network' slider about once a second, {hostile}; {settings.seconds:.0f} s of load."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="how long the load lasts")
    parser.add_argument("--steppers", type=int, default=10, help="users pressing Step")
    parser.add_argument("--sliders", type=int, default=5, help="users moving a slider")
    parser.add_argument("--hostile-mb", type=float, default=20.0, help="size of the hostile message, MB")
    parser.add_argument("--no-hostile", action="store_true", help="the same load without the hostile client")
    parser.add_argument("--compare", action="store_true", help="without, then with the hostile client")
    parser.add_argument("--url", help="an already running app (default: start one on 127.0.0.1)")
    parser.add_argument(
        "--step-jitter", type=float, default=0.0, help="each Step pause off by up to ± this share of it"
    )
    parser.add_argument(
        "--rounds", type=int, default=1, help="with --compare: alternate without/with this many times, pooled"
    )
    args = parser.parse_args()
    if not 0 < args.seconds <= 3600 or not 0 <= args.steppers <= 200 or not 0 <= args.sliders <= 200:
        parser.error("need 0 < seconds <= 3600 and 0 to 200 steppers and sliders")
    if not 1 <= args.rounds <= 20 or not 0 <= args.step_jitter < 1:
        parser.error("need 1 to 20 rounds and 0 <= step-jitter < 1")
    if args.steppers + args.sliders == 0 or not 0 < args.hostile_mb <= 1000:
        parser.error("need at least one stepper or slider user, and 0 < hostile-mb <= 1000")
    if args.compare and args.no_hostile:
        parser.error("--compare already runs without the hostile client")
    if args.rounds > 1 and not args.compare:
        parser.error("--rounds alternates without and with the hostile client: use it with --compare")
    began = time.monotonic()
    runs = [False, True] if args.compare else [not args.no_hostile]
    results: dict[bool, list[RunResult]] = {False: [], True: []}
    for round_number in range(1, args.rounds + 1):
        for with_hostile in runs:
            settings = RunSettings(
                args.seconds,
                args.steppers,
                args.sliders,
                args.hostile_mb,
                with_hostile,
                args.url,
                args.step_jitter,
            )
            print(f"round {round_number} of {args.rounds}: {explain(settings)}")
            results[with_hostile].append(asyncio.run(run(settings)))
    headings = ["with hostile" if with_hostile else "without hostile" for with_hostile in runs]
    if args.rounds == 1:
        columns = [results[with_hostile][0].rows for with_hostile in runs]
        if args.compare:
            columns.append(p95_ratios(*columns))
            headings.append("p95 with/without")
        print_table(columns, headings)
    else:
        print_table(pooled_columns(results[False], results[True]), [*headings, "p95 with/without"])
    print(f"total run time {time.monotonic() - began:.0f} s")


def p95(latencies: list[float]) -> float:
    """The 95th percentile, NaN when nothing was timed (the report then shows it)."""
    return percentile(latencies, 0.95) if latencies else math.nan


def pooled_columns(without: list[RunResult], with_hostile: list[RunResult]) -> list[list[Row]]:
    """Rounds of the same load, without and with the hostile client taken in turn (so a machine that
    gets busier or quieter weighs on both): each round's p95s, then every round's latencies pooled."""
    columns: list[list[Row]] = [[], [], []]
    errors = [str(sum(result.errors for result in results)) for results in (without, with_hostile)]
    for column, value in zip(columns, [*errors, ""], strict=True):
        column.append(("errors of normal users, all rounds", value, ""))
    for action, latencies in (("Step → picture", "step_ms"), ("slider → answer", "slider_ms")):
        p95s = []
        for results in (without, with_hostile):
            rounds = [p95(getattr(result, latencies)) for result in results]
            pooled = [ms for result in results for ms in getattr(result, latencies)]
            p95s.append((rounds, p95(pooled), len(pooled)))
        (plain_rounds, plain, n_plain), (hostile_rounds, hostile, n_hostile) = p95s
        round_ratios = " ".join(f"{h / p:.2f}" for p, h in zip(plain_rounds, hostile_rounds, strict=True))
        rows = [
            (f"{action} p95, each round", " ".join(f"{ms:.0f}" for ms in plain_rounds),
             " ".join(f"{ms:.0f}" for ms in hostile_rounds), f"× {round_ratios}"),
            (f"{action} p95, rounds pooled", f"{plain:.0f} ms ({n_plain})", f"{hostile:.0f} ms ({n_hostile})",
             f"× {hostile / plain:.2f}"),
        ]  # fmt: skip
        for row in rows:
            for column, value in zip(columns, row[1:], strict=True):
                column.append((row[0], value, ""))
    return columns


if __name__ == "__main__":
    main()
