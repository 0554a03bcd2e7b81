"""Start and stop the app's Streamlit server and a headless Chromium, for browser tests and benchmarks.

Kept free of pytest so ``benchmarks/bench_browser.py`` can use the same helpers.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HEALTH_TIMEOUT_SECONDS = 60.0
READY_SELECTOR = '[data-testid="stApp"][data-test-script-state="notRunning"]'
SKELETON_SELECTOR = '[data-testid="stSkeleton"]'


@dataclass
class Server:
    """A running app (``python serve.py``): its process and the URL it answers on."""

    process: subprocess.Popen
    url: str
    started_at: float  # time.perf_counter() just before the process was spawned


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int | None = None, timeout: float = HEALTH_TIMEOUT_SECONDS) -> Server:
    """Spawn the app from the repository root and wait until its health endpoint answers "ok"."""
    port = port or free_port()
    command = [
        sys.executable, "serve.py",
        "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    started_at = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = Server(process, f"http://127.0.0.1:{port}", started_at)
    try:
        wait_for_health(server, timeout)
    except BaseException:
        stop_server(server)
        raise
    return server


def wait_for_health(server: Server, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {server.process.returncode} before answering")
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as response:
                if response.read().decode().strip() == "ok":
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{server.url}/_stcore/health did not answer 'ok' within {timeout:.0f} s")


def stop_server(server: Server) -> None:
    """Terminate the server and wait for it; kill it when it does not stop within 10 s."""
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(timeout=10)


def rss_kib(pid: int) -> int:
    """Resident memory of a process in KiB, from /proc/<pid>/status."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS line for process {pid}")


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def wait_until_drawn(page, timeout_ms: float = 30_000) -> None:
    """Until the script has finished running, no skeleton placeholder remains and every network picture
    has shown the frames it was sent (after Pause or the end of a run it still plays those)."""
    page.wait_for_selector(READY_SELECTOR, timeout=timeout_ms)
    page.wait_for_function(
        f"() => document.querySelectorAll('{SKELETON_SELECTOR}').length === 0", timeout=timeout_ms
    )
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-picture]')].every((picture) =>
            (picture.dataset.waiting ?? '0') === '0')""",
        timeout=timeout_ms,
    )
