"""Many people on one server, simulated as websocket clients: how many users can the SERVER serve?

``load_test.py`` drives real Chromium pages, and on a 2-core machine the browsers take most of the CPU.
Here every simulated user is a light asyncio websocket client that speaks Streamlit's own protocol to
``/_stcore/stream`` the way the browser's frontend does (binary ``BackMsg`` / ``ForwardMsg`` protobufs,
subprotocol "streamlit"), so nearly all the CPU is left to the server under test:

* every user opens the websocket and asks for the first run (``rerun_script`` with an empty query string
  and page hash), then reads the ``ForwardMsg`` stream (``new_session``, ``delta``s, ``auto_rerun``,
  ``script_finished``...) and keeps what a browser would: widget ids, fragment ids, the Epoch figure
  of the picture's frames;
* trainers run the tutorial's 1000-epoch run again and again, as a room told "everyone press Train"
  does: press Train (a trigger on the button of key "train"), then, like the browser's timer, send a
  fragment rerun (``fragment_id``, ``is_auto_rerun``) every interval that the server's ``auto_rerun``
  message gives; a frame is a new value of the Epoch figure; a run is timed from the press to the
  moment the frame that shows its last epoch is shown (and, as "trained", to the arrival of the
  message that holds it), and Train is pressed again once the page is ready
  and the person has looked at the result for ``--think`` seconds (default 2);
* slider users move the first "Ask the network" slider (key ``ask_<version>_0``) about once a second
  between its minimum and maximum (a fragment rerun with a ``double_array_value``) and time send →
  arrival of the new "### P(...) = " prediction markdown.

No rendering, no JavaScript, no browser-side message cache (the browser would send
``cached_message_hashes`` so the server may send references instead of repeated big messages; these
clients receive every message in full, which if anything costs the server a little more).

With ``--processes 2`` the users reach N app processes through HAProxy (``deploy/replicas.py``): each
first fetches the page to get the sticky-session cookie and sends it with its websocket, as a browser
does. ``--compare`` runs one process with the given users and then two processes with twice as many,
and prints the two side by side. ``--idle 100`` opens that many sessions that do nothing and prints
what they cost the server.

Run from anywhere: ``python benchmarks/load_test_ws.py [--users 40 --trainers 30 --seconds 60]``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import resource
import statistics
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: E402
from websockets.asyncio.client import ClientConnection, connect  # noqa: E402
from websockets.exceptions import ConnectionClosed  # noqa: E402

from benchmarks._common import paced_moves  # noqa: E402
from deploy.replicas import start_replicas, stop_replicas  # noqa: E402
from tests.e2e.server import rss_kib, start_server, stop_server  # noqa: E402

TUTORIAL_EPOCHS = 1000  # the tutorial's run, the default of the Epochs field
SLIDER_PERIOD_SECONDS = 1.0
REPLY_TIMEOUT_SECONDS = 10.0  # a slider move or a button press without an answer by then is an error
SETUP_TIMEOUT_SECONDS = 120.0
OPEN_CONCURRENCY = 4  # users whose first runs are requested at once during setup
PREDICTION_PREFIX = "### P("
PICTURE_COMPONENT = "playground_network"  # its frames carry the Epoch figure
TABS_KEY = "page_tab"  # the page's row of tabs
ASK_TAB = "Ask the network"
TARGETS = {"errors": "0", "slider p95": "<= 300 ms", "run": "<= 3 s", "frames": ">= 5 /s"}
IDLE_SECONDS = 30.0
THINK_SECONDS = 2.0  # a person looks at a finished run before pressing Train again


@dataclass
class Widget:
    id: str
    fragment_id: str  # the fragment the element was drawn in ("" outside any fragment)
    kind: str  # the Element oneof: "button", "slider", "number_input", ...
    proto: object


@dataclass
class Player:
    """When the page's picture shows each frame: the browser's queue (``play`` and ``showNext`` in
    static/network_view.js) replayed on the messages' arrival times. A training message's frames are
    shown one after the other, spread over the tick, the message in which a run ends too; a message that
    is not training is shown after the frames still waiting when it follows them, else at once."""

    waiting: list[dict] = field(default_factory=list)
    shown: list[tuple[float, str]] = field(default_factory=list)  # (when, the Epoch figure's text)
    arrived: list[tuple[float, int]] = field(default_factory=list)  # (when, a message's last epoch)
    next_at: float | None = None
    tick: float = 0.0
    per_message: int = 1

    def receive(self, at: float, frames: list[dict], tick: float) -> None:
        self.arrived.append((at, frames[-1]["epoch"]))
        self.advance(at)
        follows = bool(self.waiting) and frames[0]["epoch"] >= self.waiting[-1]["epoch"]
        if frames[0]["running"]:
            self.waiting = (self.waiting + frames)[-2 * len(frames) :]
        else:
            self.waiting = self.waiting + frames[-1:] if follows else frames[-1:]
        self.per_message = len(frames)
        self.tick = tick
        self.show(at)

    def show(self, at: float) -> None:
        frame = self.waiting.pop(0)
        self.shown.append((at, dict(frame["figures"])["Epoch"]))
        spacing = self.tick / max(self.per_message, len(self.waiting) + 1)
        self.next_at = at + spacing if self.waiting else None

    def advance(self, now: float) -> None:
        """Show every frame whose time has come by ``now``."""
        while self.waiting and self.next_at is not None and self.next_at <= now:
            self.show(self.next_at)


@dataclass
class User:
    """One websocket session and what its frontend would know after reading the ForwardMsg stream."""

    index: int
    role: str  # "trainer", "slider" or "idle"
    url: str
    cookie: str = ""  # the proxy's sticky-session cookie, sent with the websocket as a browser does
    ws: ClientConnection | None = None
    page_script_hash: str = ""
    widgets: dict[str, Widget] = field(default_factory=dict)  # by user key
    sent_states: dict[str, WidgetState] = field(default_factory=dict)  # values this user has set, by id
    auto_reruns: dict[str, float] = field(default_factory=dict)  # fragment id → interval (s)
    timers: dict[str, asyncio.Task] = field(default_factory=dict)
    running: bool = False  # between new_session and script_finished
    finished: asyncio.Event = field(default_factory=asyncio.Event)  # set at every script_finished
    full_runs_finished: int = 0
    player: Player = field(default_factory=lambda: Player())  # what the picture shows, and when
    prediction: tuple[float, str] | None = None  # last prediction markdown: (arrival, text)
    prediction_arrived: asyncio.Event = field(default_factory=asyncio.Event)
    errors: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    unchanged_predictions: int = 0
    runs: list[tuple[float, int]] = field(default_factory=list)  # (Train → its last frame in s, frames)
    trained: list[float] = field(default_factory=list)  # Train → the message with the run's last epoch (s)
    first_frames: list[float] = field(default_factory=list)  # Train → the run's first frame (s)
    auto_reruns_sent: int = 0
    messages: int = 0
    bytes_received: int = 0
    closed: bool = False
    reader: asyncio.Task | None = None

    # --- receiving ------------------------------------------------------------------------------------

    async def read(self) -> None:
        assert self.ws is not None
        try:
            async for data in self.ws:
                self.messages += 1
                self.bytes_received += len(data)
                message = ForwardMsg()
                message.ParseFromString(data)
                self.handle(message)
        except ConnectionClosed as closed:
            if not self.closed:
                self.errors.append(f"disconnected: {closed}")
        except Exception as error:  # a bug in this client must show, not hang the run
            self.errors.append(f"reader: {type(error).__name__}: {error}")
        finally:
            self.stop_timers()

    def handle(self, message: ForwardMsg) -> None:
        kind = message.WhichOneof("type")
        if kind == "new_session":
            self.running = True
            self.finished.clear()
            if message.new_session.page_script_hash:
                self.page_script_hash = message.new_session.page_script_hash
            if not message.metadata.run.fragment_ids:  # a full run: the browser drops its auto-rerun timers
                self.stop_timers()
                self.auto_reruns.clear()
        elif kind == "delta":
            self.handle_delta(message)
        elif kind == "auto_rerun":
            self.start_timer(message.auto_rerun.fragment_id, message.auto_rerun.interval)
        elif kind == "stop_auto_rerun":
            for fragment_id in message.stop_auto_rerun.fragment_ids:
                self.auto_reruns.pop(fragment_id, None)
                timer = self.timers.pop(fragment_id, None)
                if timer:
                    timer.cancel()
        elif kind == "script_finished":
            self.running = False
            status = message.script_finished
            if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                self.errors.append("script finished with a compile error")
            if not message.metadata.run.fragment_ids:
                self.full_runs_finished += 1
            self.finished.set()
        elif kind == "session_event":
            event = message.session_event
            if event.WhichOneof("type") == "script_compilation_exception":
                self.errors.append(f"compilation exception: {event.script_compilation_exception.message}")
        elif kind == "page_not_found":
            self.errors.append("page not found")

    def handle_delta(self, message: ForwardMsg) -> None:
        delta = message.delta
        if delta.WhichOneof("type") == "add_block" and delta.add_block.WhichOneof("type") == "tab_container":
            tabs = delta.add_block.tab_container
            if tabs.id:
                key = tabs.id.rsplit("-", 1)[-1] if tabs.id.startswith("$$ID-") else tabs.id
                self.widgets[key] = Widget(tabs.id, delta.fragment_id, "tabs", tabs)
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        if kind == "bidi_component" and element.bidi_component.component_name == PICTURE_COMPONENT:
            data = json.loads(element.bidi_component.json)
            self.player.receive(time.monotonic(), data["frames"], data.get("tickSeconds", 0.0))
        elif kind == "markdown":
            if element.markdown.body.startswith(PREDICTION_PREFIX):
                self.prediction = (time.monotonic(), element.markdown.body)
                self.prediction_arrived.set()
        elif kind == "exception":
            self.errors.append(f"exception element: {element.exception.type}: {element.exception.message}")
        elif kind in ("button", "slider", "number_input"):
            proto = getattr(element, kind)
            key = proto.id.rsplit("-", 1)[-1] if proto.id.startswith("$$ID-") else proto.id
            self.widgets[key] = Widget(proto.id, delta.fragment_id, kind, proto)

    # --- sending --------------------------------------------------------------------------------------

    async def rerun(
        self, extra: list[WidgetState] = (), fragment_id: str = "", is_auto_rerun: bool = False
    ) -> None:
        """A ``rerun_script`` with every value this user has set, plus ``extra`` (triggers, new values)."""
        assert self.ws is not None
        back = BackMsg()
        state = back.rerun_script
        state.query_string = ""
        state.page_script_hash = self.page_script_hash
        state.context_info.url = self.url + "/"
        state.context_info.timezone = "UTC"
        state.context_info.locale = "en-US"
        states = dict(self.sent_states)
        for widget_state in extra:
            states[widget_state.id] = widget_state
        for widget_state in states.values():
            state.widget_states.widgets.append(widget_state)
        if fragment_id:
            state.fragment_id = fragment_id
            state.is_auto_rerun = is_auto_rerun
        await self.ws.send(back.SerializeToString())

    def remember(self, widget_state: WidgetState) -> None:
        self.sent_states[widget_state.id] = widget_state

    def start_timer(self, fragment_id: str, interval: float) -> None:
        """Like the browser: every ``interval`` seconds a rerun of the fragment with the current states."""
        self.auto_reruns[fragment_id] = interval
        timer = self.timers.get(fragment_id)
        if timer is None or timer.done():
            self.timers[fragment_id] = asyncio.create_task(self.tick(fragment_id))

    async def tick(self, fragment_id: str) -> None:
        next_at = time.monotonic()
        while not self.closed and fragment_id in self.auto_reruns:
            next_at += self.auto_reruns[fragment_id]
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))
            if self.closed or fragment_id not in self.auto_reruns:
                return
            next_at = max(next_at, time.monotonic() - 1.0)  # like setInterval: no burst after a stall
            try:
                await self.rerun(fragment_id=fragment_id, is_auto_rerun=True)
                self.auto_reruns_sent += 1
            except ConnectionClosed:
                return

    def stop_timers(self) -> None:
        for timer in self.timers.values():
            timer.cancel()
        self.timers.clear()

    async def wait_full_run(self, after: int, timeout: float = REPLY_TIMEOUT_SECONDS) -> None:
        """Until more than ``after`` full runs have finished."""
        deadline = time.monotonic() + timeout
        while self.full_runs_finished <= after:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no full run finished within {timeout:.0f} s")
            self.finished.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.finished.wait(), min(remaining, 0.5))

    def widget(self, key: str) -> Widget:
        if key not in self.widgets:
            raise KeyError(f"no widget with key {key!r} drawn (have {sorted(self.widgets)[:8]}...)")
        return self.widgets[key]

    async def close(self) -> None:
        self.closed = True
        self.stop_timers()
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.ws.close(), 5)
        if self.reader is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.reader, 5)


def trigger(widget_id: str) -> WidgetState:
    return WidgetState(id=widget_id, trigger_value=True)


def slider_key(user: User) -> str:
    keys = sorted(key for key in user.widgets if key.startswith("ask_") and key.endswith("_0"))
    keys = [key for key in keys if user.widgets[key].kind == "slider"]
    if not keys:
        raise KeyError("no 'Ask the network' slider (key ask_<version>_0) drawn")
    return keys[-1]


# --- one user's life ----------------------------------------------------------------------------------


async def open_user(url: str, index: int, role: str, gate: asyncio.Semaphore, deadline: float) -> User:
    async with gate:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError(f"user {index}: setup time was up before this user could connect")
        began = time.monotonic()
        user = User(index, role, url)
        try:
            await asyncio.wait_for(_open_user(user), remaining)
        except BaseException:
            await user.close()
            raise
        print(f"user {index:2d} ({role}) ready in {time.monotonic() - began:4.1f} s", file=sys.stderr)
        return user


async def _open_user(user: User) -> None:
    user.cookie = await asyncio.to_thread(sticky_cookie, user.url)
    ws_url = user.url.replace("http://", "ws://") + "/_stcore/stream"
    headers = {"Cookie": user.cookie} if user.cookie else None
    user.ws = await connect(
        ws_url, subprotocols=["streamlit"], origin=user.url, proxy=None, max_size=None, open_timeout=30,
        additional_headers=headers,
    )  # fmt: skip
    user.reader = asyncio.create_task(user.read())
    await user.rerun()
    await user.wait_full_run(0, timeout=60)
    if user.role == "slider":  # a click on the Ask tab: only the open tab is drawn
        await open_tab(user, ASK_TAB)
        slider_key(user)
        if user.prediction is None:
            raise RuntimeError("no prediction markdown in the first run")


async def open_tab(user: User, label: str) -> None:
    """Open a tab of the page, as a click on it does (the tab row's value is the open tab's label)."""
    tabs = WidgetState(id=user.widget(TABS_KEY).id, string_value=label)
    user.remember(tabs)
    done = user.full_runs_finished
    await user.rerun()
    await user.wait_full_run(done, timeout=60)


def sticky_cookie(url: str) -> str:
    """The cookie a browser would keep from fetching the page (the proxy's session cookie; may be empty)."""
    with urllib.request.urlopen(url + "/", timeout=30) as response:
        response.read()
        cookies = response.headers.get_all("Set-Cookie") or []
    return "; ".join(cookie.split(";", 1)[0] for cookie in cookies)


async def press_train(user: User) -> None:
    """Press Train and wait until the page has run with it (a short run may end in that very run)."""
    train = user.widget("train")
    if train.proto.disabled:
        raise RuntimeError("Train is disabled")
    done = user.full_runs_finished
    await user.rerun([trigger(train.id)])
    await user.wait_full_run(done)


async def train(user: User, start: float, seconds: float, think: float) -> None:
    """Press Train, let the auto-rerun timer tick, and press again once the page shows the run ended,
    until time is up; each run is timed from the press to the frame that shows its last epoch."""
    await asyncio.sleep(max(0.0, start - time.monotonic()))
    end = start + seconds
    try:
        while time.monotonic() < end:
            first_epoch = shown_epoch(user)
            pressed = time.monotonic()
            seen = len(user.player.shown)
            await press_train(user)
            target = first_epoch + TUTORIAL_EPOCHS
            while shown_epoch(user) < target:
                user.player.advance(time.monotonic())
                if time.monotonic() - pressed > REPLY_TIMEOUT_SECONDS * 3:
                    raise TimeoutError(f"a run took over {REPLY_TIMEOUT_SECONDS * 3:.0f} s")
                await asyncio.sleep(0.01)
            shown = [
                (at, value) for at, value in user.player.shown[seen:] if epoch_number(value) > first_epoch
            ]
            arrived = next(stamp for stamp, value in shown if epoch_number(value) >= target)
            frames = len({value for _, value in shown})
            user.runs.append((arrived - pressed, frames))
            user.first_frames.append(shown[0][0] - pressed)
            user.trained.append(next(at for at, epoch in user.player.arrived if epoch >= target) - pressed)
            await wait_until_ready_to_train(user, end)
            await asyncio.sleep(min(think, max(0.0, end - time.monotonic())))
    except Exception as error:  # a timeout is a measured failure; the runs so far still count
        user.errors.append(f"train: {type(error).__name__}: {error}")
        await asyncio.sleep(max(0.0, end - time.monotonic()))
    user.stop_timers()
    user.auto_reruns.clear()


def epoch_number(text: str) -> int:
    return int(text.replace(",", ""))


def shown_epoch(user: User) -> int:
    return epoch_number(user.player.shown[-1][1]) if user.player.shown else 0


async def wait_until_ready_to_train(user: User, end: float) -> None:
    """Until the page would let a person press Train again: no ticking, no run under way, Train enabled."""
    while time.monotonic() < end:
        if not user.auto_reruns and not user.running and not user.widget("train").proto.disabled:
            return
        await asyncio.sleep(0.01)


async def move_sliders(user: User, start: float, seconds: float) -> None:
    """About once a second: the first slider to its max or min, timed to the new prediction markdown."""
    async for move in paced_moves(start, seconds, SLIDER_PERIOD_SECONDS):
        try:
            slider = user.widget(slider_key(user))
            proto = slider.proto
            value = proto.max if move % 2 == 0 else proto.min
            state = WidgetState(id=slider.id)
            state.double_array_value.data.append(value)
            user.remember(state)
            before = user.prediction[1] if user.prediction else None
            user.prediction_arrived.clear()
            sent = time.monotonic()
            await user.rerun(fragment_id=slider.fragment_id)
            await asyncio.wait_for(user.prediction_arrived.wait(), REPLY_TIMEOUT_SECONDS)
            arrived, text = user.prediction
            user.latencies.append((arrived - sent) * 1000)
            if text == before:
                user.unchanged_predictions += 1
            # Let the rest of the fragment run arrive before the next move, as a person would.
            remaining = REPLY_TIMEOUT_SECONDS - (time.monotonic() - sent)
            while user.running and remaining > 0:
                user.finished.clear()
                if user.running:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(user.finished.wait(), remaining)
                remaining = REPLY_TIMEOUT_SECONDS - (time.monotonic() - sent)
        except Exception as error:  # a timeout is a measured failure, not a crash of the script
            user.errors.append(f"slider move {move}: {type(error).__name__}: {error}")


# --- measuring ----------------------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def spread_roles(users: int, trainers: int) -> list[str]:
    """Trainers spread evenly through the order, so a setup cut short keeps the mix."""
    return [
        "trainer" if (index + 1) * trainers // users > index * trainers // users else "slider"
        for index in range(users)
    ]


@dataclass
class Servers:
    """The app processes under test and, with more than one, the proxy in front of them."""

    url: str
    app_pids: list[int]
    stop: object  # () -> None

    def cpu_seconds(self) -> float:
        return sum(cpu_seconds(pid) for pid in self.app_pids)

    def rss_kib(self) -> int:
        return sum(rss_kib(pid) for pid in self.app_pids)


def start_servers(processes: int) -> Servers:
    if processes == 1:
        server = start_server()
        return Servers(server.url, [server.process.pid], lambda: stop_server(server))
    replicas = start_replicas(processes)
    pids = [process.pid for process in replicas.app_processes]
    return Servers(replicas.url, pids, lambda: stop_replicas(replicas))


async def open_everyone(url: str, roles: list[str]) -> tuple[list[User], list[BaseException], float]:
    began = time.monotonic()
    gate = asyncio.Semaphore(OPEN_CONCURRENCY)
    deadline = began + SETUP_TIMEOUT_SECONDS
    opened = await asyncio.gather(
        *(open_user(url, index, role, gate, deadline) for index, role in enumerate(roles)),
        return_exceptions=True,
    )
    everyone = [result for result in opened if isinstance(result, User)]
    failed = [result for result in opened if isinstance(result, BaseException)]
    return everyone, failed, time.monotonic() - began


async def run(
    users: int, trainers: int, seconds: float, processes: int, think: float
) -> list[tuple[str, str, str]]:
    everyone: list[User] = []
    failed: list[BaseException] = []
    servers = start_servers(processes)
    try:
        everyone, failed, setup_seconds = await open_everyone(servers.url, spread_roles(users, trainers))
        idle_rss = servers.rss_kib()
        peak_rss = idle_rss

        async def sample_rss() -> None:
            nonlocal peak_rss
            while True:
                await asyncio.sleep(1.0)
                with contextlib.suppress(OSError, RuntimeError):
                    peak_rss = max(peak_rss, servers.rss_kib())

        sampler = asyncio.create_task(sample_rss())
        start = time.monotonic() + 1.0
        await asyncio.sleep(1.0)
        cpu_before, own_before = servers.cpu_seconds(), own_cpu_seconds()
        measured_from = time.monotonic()
        jobs = [
            train(user, start, seconds, think)
            if user.role == "trainer"
            else move_sliders(user, start, seconds)
            for user in everyone
        ]
        finished = await asyncio.wait_for(asyncio.gather(*jobs, return_exceptions=True), seconds + 60)
        elapsed = time.monotonic() - measured_from
        server_cpu = (servers.cpu_seconds() - cpu_before) / elapsed
        client_cpu = (own_cpu_seconds() - own_before) / elapsed
        sampler.cancel()
        for user, outcome in zip(everyone, finished, strict=True):
            if isinstance(outcome, BaseException):
                user.errors.append(f"{user.role}: {type(outcome).__name__}: {outcome}")
        # Sessions must show their own data: a slider user never trained, so its Epoch stayed 0.
        for user in everyone:
            shown = user.player.shown
            if user.role == "slider" and shown and shown[-1][1] != "0":
                user.errors.append(f"slider user shows Epoch {shown[-1][1]} (never trained)")
        server_rss = servers.rss_kib()
        peak_rss = max(peak_rss, server_rss)
    finally:
        await asyncio.gather(*(user.close() for user in everyone), return_exceptions=True)
        servers.stop()

    trainer_users = [user for user in everyone if user.role == "trainer"]
    slider_users = [user for user in everyone if user.role == "slider"]
    latencies = [latency for user in slider_users for latency in user.latencies]
    runs = [run for user in trainer_users for run in user.runs]
    error_count = len(failed) + sum(len(user.errors) for user in everyone)
    rows: list[tuple[str, str, str]] = []
    rows.append(("app processes", str(processes), "behind HAProxy" if processes > 1 else "no proxy"))
    rows.append(("users connected / asked for", f"{len(everyone)} / {users}", f"setup {setup_seconds:.0f} s"))
    rows.append(("errors (exceptions, disconnects, timeouts)", str(error_count), TARGETS["errors"]))
    if latencies:
        moves = f"{len(latencies)} moves, {len(slider_users)} users"
        rows.append((f"slider → prediction p50 ({moves})", f"{statistics.median(latencies):.0f} ms", ""))
        rows.append(
            ("slider → prediction p95", f"{percentile(latencies, 0.95):.0f} ms", TARGETS["slider p95"])
        )
        rows.append(("slider → prediction max", f"{max(latencies):.0f} ms", ""))
        unchanged = sum(user.unchanged_predictions for user in slider_users)
        rows.append(("predictions that arrived unchanged", str(unchanged), "0"))
    if trainer_users:
        rows.extend(trainer_rows(trainer_users, runs))
    received = sum(user.bytes_received for user in everyone) / 2**20
    rows.append(("ForwardMsg data received (all users)", f"{received:.0f} MiB", ""))
    rows.append(("app CPU during the run (all processes)", f"{server_cpu:.0%} of one core",
                 f"{os.cpu_count()} cores"))  # fmt: skip
    rows.append(("load-test client CPU during the run", f"{client_cpu:.0%} of one core", ""))
    rows.append(("app memory (VmRSS, all processes) after setup", f"{idle_rss / 1024:.0f} MiB", ""))
    rows.append(("app memory peak / end", f"{peak_rss / 1024:.0f} / {server_rss / 1024:.0f} MiB", ""))
    report_errors(failed, everyone)
    return rows


def trainer_rows(trainer_users: list[User], runs: list[tuple[float, int]]) -> list[tuple[str, str, str]]:
    """Tutorial runs: how long from Train to the last epoch on the page, and frames per second meanwhile."""
    if not runs:
        return [("tutorial runs finished", "0", "")]
    durations = [duration for duration, _ in runs]
    first = [seconds for user in trainer_users for seconds in user.first_frames]
    trained = [seconds for user in trainer_users for seconds in user.trained]
    rates = [
        sum(frames for _, frames in user.runs) / sum(duration for duration, _ in user.runs)
        for user in trainer_users
        if user.runs
    ]
    count = f"{len(runs)} runs, {len(trainer_users)} trainers"
    median_run = f"{statistics.median(durations):.2f} s"
    return [
        (f"tutorial run, Train → its last epoch shown, p50 ({count})", median_run, ""),
        ("tutorial run p95", f"{percentile(durations, 0.95):.2f} s", ""),
        ("tutorial run max", f"{max(durations):.2f} s", TARGETS["run"]),
        ("Train → the run's last epoch arrives (trained), p95", f"{percentile(trained, 0.95):.2f} s", ""),
        ("Train → the run's last epoch arrives (trained), max", f"{max(trained):.2f} s", ""),
        ("Train → first frame of the run, p50", f"{statistics.median(first):.2f} s", ""),
        ("Train → first frame of the run, p95", f"{percentile(first, 0.95):.2f} s", ""),
        ("frames/s while training, slowest trainer", f"{min(rates):.1f} /s", TARGETS["frames"]),
        ("frames/s while training, median trainer", f"{statistics.median(rates):.1f} /s", ""),
        ("frames per tutorial run, median", f"{statistics.median(frames for _, frames in runs):.0f}", ""),
    ]


def report_errors(failed: list[BaseException], everyone: list[User]) -> None:
    for result in failed:
        print(f"setup failed: {type(result).__name__}: {result}")
    for user in everyone:
        for error in user.errors[:3]:
            print(f"user {user.index} ({user.role}): {error}")
        if len(user.errors) > 3:
            print(f"user {user.index} ({user.role}): ... {len(user.errors) - 3} more")


async def run_idle(users: int, seconds: float) -> list[tuple[str, str, str]]:
    """``users`` sessions that open the page and then do nothing: what they cost the server."""
    servers = start_servers(1)
    everyone: list[User] = []
    try:
        alone = servers.rss_kib()
        everyone, failed, setup_seconds = await open_everyone(servers.url, ["idle"] * users)
        await asyncio.sleep(2.0)
        opened = servers.rss_kib()
        cpu_before, began = servers.cpu_seconds(), time.monotonic()
        await asyncio.sleep(seconds)
        cpu = (servers.cpu_seconds() - cpu_before) / (time.monotonic() - began)
        after = servers.rss_kib()
    finally:
        await asyncio.gather(*(user.close() for user in everyone), return_exceptions=True)
        servers.stop()
    report_errors(failed, everyone)
    per_session = (opened - alone) / max(1, len(everyone))
    return [
        ("idle sessions open / asked for", f"{len(everyone)} / {users}", f"setup {setup_seconds:.0f} s"),
        ("errors", str(len(failed) + sum(len(user.errors) for user in everyone)), TARGETS["errors"]),
        ("app memory (VmRSS) before anyone connects", f"{alone / 1024:.0f} MiB", ""),
        ("app memory with the sessions open", f"{opened / 1024:.0f} MiB", f"{per_session:.0f} KiB a session"),
        (f"app memory after {seconds:.0f} s idle", f"{after / 1024:.0f} MiB", ""),
        (f"app CPU over {seconds:.0f} s idle", f"{cpu:.1%} of one core", ""),
    ]


def explain(users: int, trainers: int, seconds: float, think: float) -> str:
    return (
        f"Simulated: {users} websocket clients speaking Streamlit's protocol (no browser, no rendering); "
        f"{trainers} press Train on the tutorial ({TUTORIAL_EPOCHS:,} epochs) again and again, sending the "
        f"live fragment's auto-reruns at the interval the server asks for, and look {think:g} s at each "
        f"finished run; {users - trainers} move an 'Ask the network' slider about once a second. "
        f"{seconds:.0f} s of load."
    )


def print_table(columns: list[list[tuple[str, str, str]]], headings: list[str]) -> None:
    """Rows of one or more runs side by side (the same measures in the same order), with their targets."""
    names = [name for name, _, _ in columns[0]]
    width = max(len(name) for name in names)
    print(f"{'measure':<{width}}  " + "  ".join(f"{heading:>16}" for heading in headings) + "  target")
    for index, name in enumerate(names):
        values = [column[index][1] if index < len(column) else "" for column in columns]
        target = columns[0][index][2]
        print(f"{name:<{width}}  " + "  ".join(f"{value:>16}" for value in values) + f"  {target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=40, help="simulated users (websocket sessions)")
    parser.add_argument("--trainers", type=int, default=30, help="how many of them train")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long the load lasts")
    parser.add_argument("--processes", type=int, default=1, help="app processes (more: behind HAProxy)")
    parser.add_argument("--compare", action="store_true", help="1 process, then 2 with twice the users")
    parser.add_argument("--idle", type=int, default=0, help="only open this many idle sessions")
    parser.add_argument("--think", type=float, default=THINK_SECONDS, help="seconds between runs")
    args = parser.parse_args()
    if not 0 <= args.trainers <= args.users or args.users < 1 or args.seconds <= 0:
        parser.error("need 0 <= trainers <= users, users >= 1 and seconds > 0")
    if args.users > 500 or args.idle > 500 or args.seconds > 3600 or not 1 <= args.processes <= 16:
        parser.error("at most 500 users, 3600 seconds and 16 processes")
    if not 0 <= args.think <= 60:
        parser.error("think between 0 and 60 seconds")
    began = time.monotonic()
    if args.idle:
        print(f"{args.idle} sessions open the page and stay idle for {IDLE_SECONDS:.0f} s, on one process.")
        print_table([asyncio.run(run_idle(args.idle, IDLE_SECONDS))], ["value"])
    elif args.compare:
        setups = [(1, args.users, args.trainers), (2, 2 * args.users, 2 * args.trainers)]
        columns = []
        for processes, users, trainers in setups:
            print(f"{processes} process(es): " + explain(users, trainers, args.seconds, args.think))
            columns.append(asyncio.run(run(users, trainers, args.seconds, processes, args.think)))
        print_table(columns, [f"{users} users, {p} proc" for p, users, _ in setups])
    else:
        print(explain(args.users, args.trainers, args.seconds, args.think))
        rows = asyncio.run(run(args.users, args.trainers, args.seconds, args.processes, args.think))
        print_table([rows], ["value"])
    print(f"total run time {time.monotonic() - began:.0f} s")


if __name__ == "__main__":
    main()
