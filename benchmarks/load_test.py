"""Many people on one server: some train non-stop, the rest move the "Ask the network" sliders.

One ``streamlit run app.py`` on 127.0.0.1 and ONE headless Chromium (every simulated user is a browser
context, so a separate Streamlit session, in the same browser process). Trainers set Epochs to 100,000,
press Train, and Reset and Train again whenever a run ends; their frames are the distinct values of the Epoch
metric, recorded in the page by a MutationObserver. Slider users press End/Home on the first input
slider about once a second and time key press → new prediction text, as ``bench_browser.py`` does.

Prints errors, slider latency, frames per second per trainer, server memory and whether every session
still shows its own data. Run from anywhere: ``python benchmarks/load_test.py [--users 30 --trainers 10
--seconds 60]``. Browser and server share the machine's cores, so latencies include the browser's own
rendering load; "browser CPU" counts every process under this script but the server (Chromium and
Playwright's driver). On the 2-core machine the browser, not the server, is what saturates: with 15 users
or more the server uses well under one core while the pages' own redrawing takes the rest.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from playwright.async_api import Browser, BrowserContext, Page, async_playwright, expect  # noqa: E402

from benchmarks._common import paced_moves  # noqa: E402
from benchmarks.bench_browser import RECORD_EPOCHS  # noqa: E402
from tests.e2e.server import (  # noqa: E402
    READY_SELECTOR,
    SKELETON_SELECTOR,
    launch_chromium,
    rss_kib,
    start_server,
    stop_server,
)

PEOPLE = ["Alice", "Bob", "Charlie", "Diana"]
TUTORIAL_CAPTION = "Table now: Tutorial: four people"
EPOCHS = "100000"
SLIDER_PERIOD_SECONDS = 1.0
SLIDER_TIMEOUT_MS = 10_000
ACTION_TIMEOUT_MS = 15_000
OPEN_CONCURRENCY = 4  # pages opened at once during setup (all 2 cores are busy drawing a fresh page)
SETUP_TIMEOUT_SECONDS = 100.0
VIEWPORT = {"width": 1280, "height": 720}
TARGETS = {"errors": "0", "slider p95": "<= 1000 ms"}

# Timestamp of the next change of the prediction text (as in bench_browser.py).
WATCH_PREDICTION = """(panel) => {
    const find = () => [...panel.querySelectorAll('[data-testid="stMarkdownContainer"]')]
        .find((m) => m.innerText.includes('Predicted'));
    window.__before = find().innerText;
    window.__changedAt = null;
    const observer = new MutationObserver(() => {
        const now = find();
        if (now && now.innerText !== window.__before && window.__changedAt === null) {
            window.__changedAt = performance.now();
            observer.disconnect();
        }
    });
    observer.observe(panel, {subtree: true, childList: true, characterData: true});
}"""

EPOCH_VALUE = """() => {
    const metric = document.querySelector('[data-metric="Epoch"]');
    return metric?.textContent.trim() ?? null;
}"""


@dataclass
class User:
    index: int
    role: str  # "trainer" or "slider"
    context: BrowserContext
    page: Page
    errors: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    frames_per_second: float = float("nan")
    frames: int = 0
    restarts: int = 0
    own_data: bool = False
    own_data_detail: str = ""


async def wait_until_drawn(page: Page, timeout_ms: float = 30_000) -> None:
    await page.wait_for_selector(READY_SELECTOR, timeout=timeout_ms)
    await page.wait_for_function(
        f"() => document.querySelectorAll('{SKELETON_SELECTOR}').length === 0", timeout=timeout_ms
    )


def first_line(error: BaseException) -> str:
    """The first line of an error's message (some errors have none)."""
    return (str(error).splitlines() or [""])[0]


def button(page: Page, name: str):
    return page.get_by_role("button", name=name, exact=True)


async def open_user(
    browser: Browser, url: str, index: int, role: str, gate: asyncio.Semaphore, deadline: float
) -> User:
    """A new context showing the drawn tutorial, prepared for its role; fails when setup time is up."""
    async with gate:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError(f"user {index}: setup time was up before this page could be opened")
        began = time.monotonic()
        user = await asyncio.wait_for(_open_user(browser, url, index, role), remaining)
        print(f"user {index:2d} ({role}) ready in {time.monotonic() - began:4.1f} s", file=sys.stderr)
        return user


async def _open_user(browser: Browser, url: str, index: int, role: str) -> User:
    context = await browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(30_000)
    page = await context.new_page()
    user = User(index, role, context, page)
    page.on("crash", lambda _page: user.errors.append("page crashed"))
    page.on("pageerror", lambda error: user.errors.append(f"javascript error: {error}"))
    await page.goto(url)
    await wait_until_drawn(page)
    if role == "trainer":
        epochs = page.get_by_role("spinbutton", name="Epochs")
        await epochs.fill(EPOCHS)
        await epochs.press("Enter")
        await expect(epochs).to_have_value(EPOCHS)
        await wait_until_drawn(page)
        await page.evaluate(RECORD_EPOCHS)
    else:
        await page.get_by_role("tab", name="Ask the network").click()
        panel = page.get_by_role("tabpanel", name="Ask the network")
        prediction = panel.get_by_test_id("stMarkdownContainer").filter(has_text="Predicted")
        await expect(prediction).to_be_visible()
    return user


async def press_train(page: Page) -> None:
    """Press Train and wait until the server has started the run, or fail: the Epoch figure moves (a
    run of the tutorial may be over before Pause could be seen enabled)."""
    before = await page.evaluate(EPOCH_VALUE)
    await button(page, "Train").click(timeout=ACTION_TIMEOUT_MS)
    await page.wait_for_function(
        f"(before) => ({EPOCH_VALUE})() !== before", arg=before, timeout=ACTION_TIMEOUT_MS
    )


async def train(user: User, start: float, seconds: float) -> None:
    """Press Train, press it again whenever a run ends, until the time is up; then Pause and count."""
    page = user.page
    await asyncio.sleep(max(0.0, start - time.monotonic()))
    window_start = await page.evaluate("performance.now()")
    end = start + seconds
    try:
        await press_train(page)
        while time.monotonic() < end:
            await asyncio.sleep(min(0.5, max(0.0, end - time.monotonic())))
            if time.monotonic() < end and await button(page, "Pause").is_disabled():
                user.restarts += 1  # a model holds at most 100,000 epochs: a new run starts anew
                await button(page, "Reset").click(timeout=ACTION_TIMEOUT_MS)
                await press_train(page)
    except Exception as error:  # a timeout is a measured failure; the frames so far still count
        user.errors.append(f"train: {type(error).__name__}: {first_line(error)}")
        await asyncio.sleep(max(0.0, end - time.monotonic()))
    window_end = await page.evaluate("performance.now()")
    frames = await page.evaluate("window.__frames")
    moving = [stamp for stamp, value in frames if value != "0" and window_start <= stamp <= window_end]
    user.frames = len(moving)
    user.frames_per_second = len(moving) / ((window_end - window_start) / 1000)
    if await button(page, "Pause").is_enabled():
        await button(page, "Pause").click()
    await expect(button(page, "Train")).to_be_enabled(timeout=30_000)


async def move_sliders(user: User, start: float, seconds: float) -> None:
    """About once a second: End or Home on the first slider, timed to the changed prediction text."""
    page = user.page
    panel = page.get_by_role("tabpanel", name="Ask the network")
    thumb = panel.get_by_role("slider").first
    async for move in paced_moves(start, seconds, SLIDER_PERIOD_SECONDS):
        try:
            await wait_until_drawn(page, SLIDER_TIMEOUT_MS)
            await panel.evaluate(WATCH_PREDICTION)
            await thumb.focus()
            pressed_at = await page.evaluate("performance.now()")
            await page.keyboard.press("End" if move % 2 == 0 else "Home")
            await page.wait_for_function("() => window.__changedAt !== null", timeout=SLIDER_TIMEOUT_MS)
            user.latencies.append(await page.evaluate("window.__changedAt") - pressed_at)
        except Exception as error:  # a timeout is a measured failure, not a crash of the script
            user.errors.append(f"slider move {move}: {type(error).__name__}: {first_line(error)}")


async def check_own_data(user: User) -> None:
    """The tutorial's four people in the Data tab, no exception box, and this session's own Epoch.

    Slider users never trained, so their Epoch must still be 0; a trainer's must be the last value its
    own observer saw (training is paused by now) and above 0.
    """
    page = user.page
    try:
        await wait_until_drawn(page)
        exceptions = await page.get_by_test_id("stException").count()
        if exceptions:
            user.errors.append(f"{exceptions} exception box(es)")
        await page.get_by_role("tab", name="Data", exact=True).click()
        names_boxes = page.locator("input[aria-label^='Row '][aria-label$=', Name']")
        await expect(names_boxes.first).to_be_attached()
        names = await names_boxes.evaluate_all("boxes => boxes.map(box => box.value)")
        caption = await page.get_by_text(TUTORIAL_CAPTION).count()
        epoch = await page.evaluate(EPOCH_VALUE)
        if user.role == "trainer":
            frames = await page.evaluate("window.__frames")
            expected_epoch = frames[-1][1] if frames else None
            epoch_ok = epoch == expected_epoch and epoch not in (None, "0")
        else:
            expected_epoch = "0"
            epoch_ok = epoch == "0"
        user.own_data = names == PEOPLE and caption == 1 and epoch_ok
        user.own_data_detail = f"rows {names}, caption {caption}, epoch {epoch} (own {expected_epoch})"
    except Exception as error:
        user.errors.append(f"final check: {type(error).__name__}: {first_line(error)}")
        user.own_data_detail = "final check failed"


def descendants(exclude: int) -> set[int]:
    """This script's descendant processes (Playwright's driver, Chromium), minus one subtree (the server)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    tree, frontier = set(), [os.getpid()]
    while frontier:
        pid = frontier.pop()
        children = [child for child, parent in parents.items() if parent == pid and child != exclude]
        tree.update(children)
        frontier.extend(children)
    return tree


def browser_usage(exclude: int) -> tuple[int, int, float]:
    """Resident memory (KiB), process count and CPU seconds of everything but the server we started."""
    memory, count, cpu = 0, 0, 0.0
    for pid in descendants(exclude):
        try:
            memory += rss_kib(pid)
            cpu += cpu_seconds(pid)
            count += 1
        except (OSError, RuntimeError, ValueError, IndexError):
            continue
    return memory, count, cpu


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def run(users: int, trainers: int, seconds: float) -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []
    server = start_server()
    try:
        async with async_playwright() as playwright:
            browser = await launch_chromium(playwright)
            try:
                setup_began = time.monotonic()
                gate = asyncio.Semaphore(OPEN_CONCURRENCY)
                # Trainers spread evenly through the order, so a setup cut short keeps the mix.
                roles = [
                    "trainer" if (index + 1) * trainers // users > index * trainers // users else "slider"
                    for index in range(users)
                ]
                deadline = setup_began + SETUP_TIMEOUT_SECONDS
                opened = await asyncio.gather(
                    *(open_user(browser, server.url, index, role, gate, deadline)
                      for index, role in enumerate(roles)),
                    return_exceptions=True,
                )  # fmt: skip
                failed = [result for result in opened if isinstance(result, BaseException)]
                everyone = [result for result in opened if isinstance(result, User)]
                setup_seconds = time.monotonic() - setup_began
                idle_rss = rss_kib(server.process.pid)

                cpu_before = cpu_seconds(server.process.pid)
                browser_cpu_before = browser_usage(exclude=server.process.pid)[2]
                start = time.monotonic() + 1.0
                jobs = [
                    train(user, start, seconds)
                    if user.role == "trainer"
                    else move_sliders(user, start, seconds)
                    for user in everyone
                ]
                finished = await asyncio.wait_for(asyncio.gather(*jobs, return_exceptions=True), seconds + 60)
                elapsed = time.monotonic() - start
                server_cpu = (cpu_seconds(server.process.pid) - cpu_before) / elapsed
                browser_cpu = (browser_usage(exclude=server.process.pid)[2] - browser_cpu_before) / elapsed
                for user, outcome in zip(everyone, finished, strict=True):
                    if isinstance(outcome, BaseException):
                        user.errors.append(f"{user.role}: {type(outcome).__name__}: {first_line(outcome)}")
                await asyncio.gather(*(check_own_data(user) for user in everyone))
                server_rss = rss_kib(server.process.pid)
                browser_rss, browser_processes, _ = browser_usage(exclude=server.process.pid)
                for user in everyone:
                    await user.context.close()
            finally:
                await browser.close()
    finally:
        stop_server(server)

    trainer_users = [user for user in everyone if user.role == "trainer"]
    slider_users = [user for user in everyone if user.role == "slider"]
    latencies = [latency for user in slider_users for latency in user.latencies]
    error_count = len(failed) + sum(len(user.errors) for user in everyone)
    rows.append(("users opened / asked for", f"{len(everyone)} / {users}", f"setup {setup_seconds:.0f} s"))
    rows.append(("errors (exception boxes, crashes, timeouts)", str(error_count), TARGETS["errors"]))
    if latencies:
        rows.append((f"slider → prediction p50 ({len(latencies)} moves, {len(slider_users)} users)",
                     f"{statistics.median(latencies):.0f} ms", ""))  # fmt: skip
        rows.append(
            ("slider → prediction p95", f"{percentile(latencies, 0.95):.0f} ms", TARGETS["slider p95"])
        )
        rows.append(("slider → prediction max", f"{max(latencies):.0f} ms", ""))
    if trainer_users:
        rates = [user.frames_per_second for user in trainer_users if not math.isnan(user.frames_per_second)]
        rates = rates or [math.nan]
        rows.append(
            (f"frames/s per trainer, min ({len(trainer_users)} trainers)", f"{min(rates):.1f} /s", "")
        )
        rows.append(("frames/s per trainer, median", f"{statistics.median(rates):.1f} /s", ""))
        rows.append(("frames/s summed over trainers", f"{sum(rates):.1f} /s", ""))
        rows.append(("training restarts (a 100,000-epoch run ended)",
                     str(sum(user.restarts for user in trainer_users)), ""))  # fmt: skip
    rows.append(("server CPU during the run", f"{server_cpu:.0%} of one core", ""))
    rows.append(("browser CPU during the run", f"{browser_cpu:.0%} of one core", f"{os.cpu_count()} cores"))
    rows.append(("server memory (VmRSS) after setup", f"{idle_rss / 1024:.0f} MiB", ""))
    rows.append(("server memory (VmRSS) at the end", f"{server_rss / 1024:.0f} MiB", ""))
    rows.append((f"browser memory ({browser_processes} processes)", f"{browser_rss / 1024:.0f} MiB", ""))
    own = sum(user.own_data for user in everyone)
    rows.append(("sessions showing their own data", f"{own} / {len(everyone)}", "all"))

    for result in failed:
        print(f"setup failed: {type(result).__name__}: {first_line(result)}")
    for user in everyone:
        for error in user.errors[:3]:
            print(f"user {user.index} ({user.role}): {error}")
        if not user.own_data:
            print(f"user {user.index} ({user.role}) own data? {user.own_data_detail}")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=30, help="simulated users (browser contexts)")
    parser.add_argument("--trainers", type=int, default=10, help="how many of them train non-stop")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long the load lasts")
    args = parser.parse_args()
    if not 0 <= args.trainers <= args.users or args.users < 1 or args.seconds <= 0:
        parser.error("need 0 <= trainers <= users, users >= 1 and seconds > 0")
    began = time.monotonic()
    rows = asyncio.run(run(args.users, args.trainers, args.seconds))
    width = max(len(name) for name, _, _ in rows)
    print(f"{'measure':<{width}}  {'value':>12}  target")
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:>12}  {target}")
    print(f"total run time {time.monotonic() - began:.0f} s")


if __name__ == "__main__":
    main()
