"""Two app processes behind HAProxy (deploy/replicas.py): the configuration HAProxy accepts, sticky
sessions by cookie for plain requests, the websocket and a real browser, and new sessions spread."""

from __future__ import annotations

import subprocess
import urllib.request
from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect
from websockets.sync.client import connect

from deploy.replicas import (
    STICKY_COOKIE,
    Replicas,
    find_haproxy,
    haproxy_config,
    running_replicas,
)
from tests.e2e.server import wait_until_drawn

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.e2e  # the browser test uses tests/e2e's one Chromium
PROCESSES = {"app1", "app2"}
NEW_CLIENTS = 4


@pytest.fixture(scope="module")
def replicas() -> Iterator[Replicas]:
    with running_replicas(2) as running:
        yield running


def get(url: str, cookie: str | None = None):
    """A GET with no cookie jar: the response's status, headers and body."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.headers, response.read()


def sticky_cookie(headers) -> str:
    """``NAME=value`` of the sticky cookie among a response's Set-Cookie headers."""
    jar = SimpleCookie()
    for header in headers.get_all("Set-Cookie") or []:
        jar.load(header)
    assert STICKY_COOKIE in jar, f"no {STICKY_COOKIE} cookie in {headers.get_all('Set-Cookie')}"
    return f"{STICKY_COOKIE}={jar[STICKY_COOKIE].value}"


def test_the_default_config_file_is_the_generated_one() -> None:
    assert (ROOT / "deploy" / "haproxy.cfg").read_text() == haproxy_config([8601, 8602], 8501)


def test_haproxy_accepts_a_generated_config(tmp_path: Path) -> None:
    config = tmp_path / "haproxy.cfg"
    config.write_text(haproxy_config([9001, 9002, 9003], 9000))
    check = subprocess.run([find_haproxy(), "-c", "-f", str(config)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert config.read_text().count("    server app") == 3


def test_a_missing_haproxy_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setattr("deploy.replicas.HAPROXY_FALLBACK", "/nonexistent/haproxy")
    with pytest.raises(RuntimeError, match="apt-get install"):
        find_haproxy()


def test_a_client_with_the_cookie_stays_on_its_process(replicas: Replicas) -> None:
    status, headers, _ = get(replicas.url + "/")
    assert status == 200
    served_by = headers["X-Served-By"]
    assert served_by in PROCESSES
    cookie = sticky_cookie(headers)
    assert cookie == f"{STICKY_COOKIE}={served_by}"

    paths = ["/", "/_stcore/health", "/_stcore/host-config"] * 4
    for path in paths[:10]:
        status, headers, _ = get(replicas.url + path, cookie)
        assert status == 200, path
        assert headers["X-Served-By"] == served_by, path
        assert headers.get_all("Set-Cookie") is None or STICKY_COOKIE not in str(
            headers.get_all("Set-Cookie")
        )

    # The websocket, where the session lives, is answered by the same process.
    websocket_url = replicas.url.replace("http://", "ws://") + "/_stcore/stream"
    with connect(websocket_url, additional_headers={"Cookie": cookie}, subprotocols=["streamlit"]) as ws:
        assert ws.response.status_code == 101
        assert ws.response.headers["X-Served-By"] == served_by


def test_new_clients_are_spread_over_the_processes(replicas: Replicas) -> None:
    served = []
    for _ in range(NEW_CLIENTS):
        _, headers, _ = get(replicas.url + "/")
        served.append(headers["X-Served-By"])
        assert sticky_cookie(headers) == f"{STICKY_COOKIE}={served[-1]}"
    assert set(served) == PROCESSES, served


def test_a_browser_session_stays_on_one_process_and_a_second_lands_on_the_other(
    replicas: Replicas, browser: Browser
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    context.set_default_timeout(30_000)
    try:
        page = context.new_page()
        served: list[str | None] = []  # X-Served-By of every HTTP response the page received
        page.on(
            "response",
            lambda response: (
                served.append(response.headers.get("x-served-by"))
                if response.url.startswith(replicas.url)
                else None
            ),
        )
        # The websocket's handshake is not a Playwright response: read it from Chromium's own events.
        handshakes: list[str | None] = []
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.on(
            "Network.webSocketHandshakeResponseReceived",
            lambda event: handshakes.append(
                {name.lower(): value for name, value in event["response"]["headers"].items()}.get(
                    "x-served-by"
                )
            ),
        )

        page.goto(replicas.url)
        wait_until_drawn(page)
        epoch = page.locator('[data-metric="Epoch"]')
        expect(epoch).to_have_text("0")
        for steps in range(1, 4):
            page.get_by_role("button", name="Step", exact=True).click()
            expect(epoch).to_have_text(str(steps))
            wait_until_drawn(page)
        expect(page.locator('[data-testid="stException"]')).to_have_count(0)

        page.reload()  # the same context: the sticky cookie goes along
        wait_until_drawn(page)
        expect(page.locator('[data-testid="stException"]')).to_have_count(0)

        assert served, "no response came through the proxy"
        assert len(set(served)) == 1 and served[0] in PROCESSES, served
        assert handshakes, "no websocket handshake was seen"
        assert set(handshakes) == {served[0]}, handshakes
        first_process = served[0]
    finally:
        context.close()

    # A new browser (no cookie) is a new session; round robin sends one of the next ones elsewhere.
    seen = {first_process}
    for _ in range(NEW_CLIENTS):
        fresh = browser.new_context()
        fresh.set_default_timeout(30_000)
        try:
            page = fresh.new_page()
            response = page.goto(replicas.url)
            assert response is not None
            process = response.headers.get("x-served-by")
            if process != first_process:
                wait_until_drawn(page)
                expect(page.locator('[data-testid="stException"]')).to_have_count(0)
            seen.add(process)
        finally:
            fresh.close()
        if len(seen) == len(PROCESSES):
            break
    assert seen == PROCESSES, seen
