"""Run several Streamlit processes of the playground behind HAProxy, with sticky sessions by cookie.

One Streamlit process runs its sessions' Python on one core at a time (the GIL), so a machine with N
cores serves a workshop best with N processes. A browser session lives in the memory of the process
that opened its websocket, so HAProxy pins every browser to one process with a cookie it inserts.

    python deploy/replicas.py --processes 2 --port 8501

starts the processes and the proxy, prints the URLs and runs until Ctrl+C. From Python (tests,
benchmarks): ``with running_replicas(2) as replicas: ... replicas.url ...``.

``haproxy_config`` is the one place the proxy's configuration is written; ``deploy/haproxy.cfg`` is its
output for the default setup (two processes on ports 8601 and 8602, the proxy on 8501).
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STICKY_COOKIE = "PLAYGROUND_SERVER"
HEALTH_PATH = "/_stcore/health"
HEALTH_TIMEOUT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 10.0
HAPROXY_FALLBACK = "/usr/sbin/haproxy"  # Debian's package; /usr/sbin is not on every user's PATH
INSTALL_HINT = "HAProxy is needed to run replicas: install it with `apt-get install -y haproxy`"


def haproxy_config(app_ports: list[int], proxy_port: int, address: str = "127.0.0.1") -> str:
    """A complete HAProxy configuration: a frontend on ``address:proxy_port`` that spreads new
    sessions over the app processes on 127.0.0.1:<app_ports> and keeps each browser on its process."""
    if not app_ports:
        raise ValueError("at least one app port is needed")
    servers = "\n".join(
        f"    server app{number} 127.0.0.1:{port} check inter 2s cookie app{number}"
        for number, port in enumerate(app_ports, start=1)
    )
    return f"""\
# HAProxy in front of the playground's Streamlit processes. Written by deploy/replicas.py
# (haproxy_config); edit the generator, not this text.

defaults
    # Read HTTP, so the proxy can set and read the sticky cookie; websockets pass through as tunnels.
    mode http
    # The processes tell where a request came from (X-Forwarded-For).
    option forwardfor
    timeout connect 5s
    # A slow or idle client may not hold a connection before it has sent its request headers.
    timeout http-request 10s
    # Plain HTTP requests and responses (pages, scripts, uploads); an idle keep-alive connection.
    timeout client 1m
    timeout server 1m
    timeout http-keep-alive 10s
    # An upgraded websocket carries a whole session: keep it open through a long quiet hour.
    timeout tunnel 1h

frontend playground
    bind {address}:{proxy_port}
    default_backend streamlit

backend streamlit
    # A browser without the cookie (a new session) goes to the next process in turn.
    balance roundrobin
    # Sticky sessions: a session's websocket, state, media files and component assets live in the
    # memory of one process. HAProxy sets this cookie on the first response and routes on it after;
    # indirect: the processes never see it; nocache: no shared cache keeps a response carrying it.
    cookie {STICKY_COOKIE} insert indirect nocache httponly
    # A process that stops answering its health endpoint gets no requests, even those with its cookie,
    # until it answers again; those browsers start a new session on another process.
    option httpchk GET {HEALTH_PATH}
    http-check expect status 200
    # A process that refuses connections before the checks have marked it down: retry on another.
    option redispatch
    # Which process answered, for operators and tests.
    http-response set-header X-Served-By %[srv_name]
{servers}
"""


@dataclass
class Replicas:
    """Running app processes and the HAProxy in front of them."""

    url: str  # the proxy: what visitors open
    app_urls: list[str]  # each process directly, on 127.0.0.1
    app_processes: list[subprocess.Popen]
    proxy_process: subprocess.Popen | None
    workdir: Path  # the proxy's configuration and every process's log
    config_path: Path
    _tempdir: tempfile.TemporaryDirectory | None = field(default=None, repr=False)


def find_haproxy() -> str:
    """The path of the haproxy executable, or a RuntimeError saying how to install it."""
    found = shutil.which("haproxy")
    if found:
        return found
    if os.access(HAPROXY_FALLBACK, os.X_OK):
        return HAPROXY_FALLBACK
    raise RuntimeError(f"haproxy was not found on PATH nor at {HAPROXY_FALLBACK}. {INSTALL_HINT}")


def free_port(address: str = "127.0.0.1") -> int:
    """A port nothing listens on now (the system picks it when binding to port 0)."""
    with socket.socket(socket.AF_INET6 if ":" in address else socket.AF_INET) as sock:
        sock.bind((address, 0))
        return sock.getsockname()[1]


def start_replicas(
    processes: int,
    proxy_port: int | None = None,
    first_app_port: int | None = None,
    address: str = "127.0.0.1",
    timeout: float = HEALTH_TIMEOUT_SECONDS,
) -> Replicas:
    """Start ``processes`` app processes, wait until each is healthy, then start HAProxy in front of
    them and wait until the app answers through it. Everything is stopped again when a step fails."""
    if processes < 1:
        raise ValueError("processes must be at least 1")
    haproxy = find_haproxy()
    proxy_port = proxy_port or free_port(address if address not in ("0.0.0.0", "::") else "127.0.0.1")
    if first_app_port:
        app_ports = [first_app_port + index for index in range(processes)]
    else:
        app_ports = _distinct_free_ports(processes, taken={proxy_port})
    tempdir = tempfile.TemporaryDirectory(prefix="playground-replicas-")
    workdir = Path(tempdir.name)
    replicas = Replicas(
        url=f"http://{_url_host(address)}:{proxy_port}",
        app_urls=[f"http://127.0.0.1:{port}" for port in app_ports],
        app_processes=[],
        proxy_process=None,
        workdir=workdir,
        config_path=workdir / "haproxy.cfg",
        _tempdir=tempdir,
    )
    try:
        # One secret for all: a cookie one process signed (Streamlit's session and login cookies) is
        # then valid on every other.
        cookie_secret = secrets.token_hex(32)
        for port in app_ports:
            replicas.app_processes.append(_spawn_app(port, cookie_secret, workdir))
        for process, url, port in zip(replicas.app_processes, replicas.app_urls, app_ports, strict=True):
            _wait_for_health(url, process, timeout, f"the app process on {url}", workdir / f"app-{port}.log")
        replicas.config_path.write_text(haproxy_config(app_ports, proxy_port, address))
        with open(workdir / "haproxy.log", "wb") as log:
            replicas.proxy_process = subprocess.Popen(
                [haproxy, "-f", str(replicas.config_path), "-db"],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        _wait_for_health(
            replicas.url,
            replicas.proxy_process,
            timeout,
            f"HAProxy on {replicas.url}",
            workdir / "haproxy.log",
        )
    except BaseException:
        stop_replicas(replicas)
        raise
    return replicas


def stop_replicas(replicas: Replicas) -> None:
    """Stop the proxy first (no new requests), then every app process; kill what is still running
    after 10 s. Removes the temporary directory of configuration and logs."""
    _terminate([replicas.proxy_process])
    _terminate(replicas.app_processes)
    if replicas._tempdir is not None:
        replicas._tempdir.cleanup()
        replicas._tempdir = None


@contextmanager
def running_replicas(
    processes: int,
    proxy_port: int | None = None,
    first_app_port: int | None = None,
    address: str = "127.0.0.1",
    timeout: float = HEALTH_TIMEOUT_SECONDS,
) -> Iterator[Replicas]:
    """``with running_replicas(2) as replicas:`` — everything is stopped when the block ends."""
    replicas = start_replicas(processes, proxy_port, first_app_port, address, timeout)
    try:
        yield replicas
    finally:
        stop_replicas(replicas)


def _terminate(processes: list[subprocess.Popen | None]) -> None:
    """SIGTERM to each running process at once, then wait; SIGKILL to any still running after 10 s."""
    running = [process for process in processes if process is not None and process.poll() is None]
    for process in running:
        process.terminate()
    deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
    for process in running:
        try:
            process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _spawn_app(port: int, cookie_secret: str, workdir: Path) -> subprocess.Popen:
    command = [
        sys.executable, "serve.py",
        "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    # server.cookieSecret: Streamlit refuses it as a command-line flag (and the environment, unlike the
    # command line, is not visible to other users in `ps`).
    environment = {**os.environ, "STREAMLIT_SERVER_COOKIE_SECRET": cookie_secret}
    with open(workdir / f"app-{port}.log", "wb") as log:
        # A session of its own: Ctrl+C in a terminal reaches only the parent, which stops the
        # processes in order (the proxy first).
        return subprocess.Popen(
            command,
            cwd=ROOT,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _wait_for_health(url: str, process: subprocess.Popen, timeout: float, what: str, log: Path) -> None:
    """Until ``url``/_stcore/health answers "ok"; fails when the process exits or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"{what} exited with code {process.returncode} before answering; its output ended with:\n"
                + _tail(log)
            )
        try:
            with urllib.request.urlopen(url + HEALTH_PATH, timeout=2) as response:
                if response.read().decode().strip() == "ok":
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{what}: {HEALTH_PATH} did not answer 'ok' within {timeout:.0f} s")


def _tail(log: Path, lines: int = 20) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no output)"


def _distinct_free_ports(count: int, taken: set[int]) -> list[int]:
    ports: list[int] = []
    while len(ports) < count:
        port = free_port()
        if port not in taken and port not in ports:
            ports.append(port)
    return ports


def _url_host(address: str) -> str:
    if address in ("0.0.0.0", "::", ""):
        return "127.0.0.1"
    return f"[{address}]" if ":" in address else address


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Run the playground as several Streamlit processes behind HAProxy (sticky sessions)."
    )
    parser.add_argument(
        "--processes", type=int, default=os.cpu_count() or 1, help="app processes (default: one per core)"
    )
    parser.add_argument("--port", type=int, default=8501, help="the proxy's port (default: 8501)")
    parser.add_argument(
        "--address", default="127.0.0.1", help="the proxy's address (default: 127.0.0.1; 0.0.0.0: all)"
    )
    parser.add_argument(
        "--first-app-port",
        type=int,
        default=None,
        help="the processes listen on this port and the next ones (default: free ports)",
    )
    args = parser.parse_args(argv)

    # Ctrl+C (SIGINT, even when the shell started this in the background with it ignored) and SIGTERM
    # (a service manager, `kill`) both stop everything.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    replicas = None
    try:
        replicas = start_replicas(args.processes, args.port, args.first_app_port, args.address)
        print(f"Playground: {replicas.url}  ({len(replicas.app_urls)} processes behind HAProxy)")
        for number, url in enumerate(replicas.app_urls, start=1):
            print(f"  app{number}: {url}")
        print("Press Ctrl+C to stop.", flush=True)
        named = {
            f"app{number} ({url})": process
            for number, (url, process) in enumerate(
                zip(replicas.app_urls, replicas.app_processes, strict=True), start=1
            )
        }
        named["HAProxy"] = replicas.proxy_process
        while True:
            for name, process in named.items():
                if process is not None and process.poll() is not None:
                    print(f"{name} exited with code {process.returncode}; stopping the rest", file=sys.stderr)
                    return 1
            time.sleep(1.0)
    except KeyboardInterrupt:
        print("Stopping...", flush=True)
        return 0
    finally:
        # A second Ctrl+C must not leave processes behind half-way through stopping them.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if replicas is not None:
            stop_replicas(replicas)


if __name__ == "__main__":
    sys.exit(main())
