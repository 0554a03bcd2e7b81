"""Sessions in a real browser: two people at once never see each other's data, and a server restart in
the middle of training leaves a page that works again once Streamlit has reconnected.
"""

from __future__ import annotations

import re
import signal
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from playground.presets import TUTORIAL
from tests.e2e.conftest import VIEWPORT
from tests.e2e.pages import (
    PEOPLE,
    assert_no_errors,
    button,
    choose,
    epoch,
    metric,
    table_rows,
    wait_for_epoch_above,
)
from tests.e2e.server import start_server, stop_server, wait_until_drawn

pytestmark = pytest.mark.e2e

TUTORIAL_CAPTION = f"Table now: {TUTORIAL}"
XOR_CAPTION = "Table now: XOR, 200 points"
RECONNECT_TIMEOUT_MS = 20_000

# Every change of the app's connection and script state from now on, as [ms, connection, script].
RECORD_APP_STATES = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    const started = performance.now();
    const record = () => {
        const {testConnectionState: connection, testScriptState: script} = app.dataset;
        window.__states.push([Math.round(performance.now() - started), connection, script]);
    };
    window.__states = [];
    record();
    new MutationObserver(record).observe(app, {attributes: true});
}"""
# After a reconnection (the connection left CONNECTED and came back), the new server ran the script.
RERAN_AFTER_RECONNECT = """() => {
    const lost = window.__states.findIndex(([, connection]) => connection !== "CONNECTED");
    const back = window.__states.findIndex(([, connection], at) => at > lost && connection === "CONNECTED");
    const ran = window.__states.slice(back).some(([, , script]) => script === "running");
    return lost >= 0 && back > lost && ran;
}"""


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    """Two browser contexts open at the same time: two independent Streamlit sessions."""
    opened = [browser.new_context(viewport=VIEWPORT) for _ in range(2)]
    for context in opened:
        context.set_default_timeout(30_000)
    try:
        yield opened
    finally:
        for context in opened:
            context.close()


def open_app(context: BrowserContext, url: str) -> Page:
    page = context.new_page()
    page.goto(url)
    wait_until_drawn(page)
    return page


def data_table_names(page: Page) -> list[str]:
    page.get_by_role("tab", name="Data", exact=True).click()
    return [row[0] for row in table_rows(page)]


def test_two_sessions_at_once_keep_their_own_table_and_model(
    contexts: list[BrowserContext], app_url: str
) -> None:
    a, b = (open_app(context, app_url) for context in contexts)
    b_epochs = b.get_by_role("spinbutton", name="Epochs").input_value()

    choose(a, "Data set", "XOR")
    expect(a.get_by_text(XOR_CAPTION)).to_be_visible()
    button(a, "Train").click()
    wait_for_epoch_above(a, 0)

    # B, untouched, while A trains: still the tutorial's table, its untrained model and its own settings.
    expect(b.get_by_text(TUTORIAL_CAPTION)).to_be_visible()
    assert data_table_names(b) == PEOPLE
    expect(b.get_by_text(re.compile(r"^4 rows · inputs"))).to_be_visible()
    expect(metric(b, "Epoch")).to_have_text("0")
    expect(button(b, "Train")).to_be_enabled()
    expect(button(b, "Pause")).to_be_disabled()
    expect(b.get_by_role("combobox", name="Data set")).to_have_value(TUTORIAL)
    expect(b.get_by_role("spinbutton", name="Epochs")).to_have_value(b_epochs)
    assert_no_errors(b)

    # A: the XOR table with its 200 rows, trained further than B ever was.
    expect(a.get_by_text(XOR_CAPTION)).to_be_visible()
    expect(a.get_by_role("combobox", name="Data set")).to_have_value("XOR")
    a.get_by_role("tab", name="Data", exact=True).click()
    expect(a.get_by_text(re.compile(r"^200 rows · inputs"))).to_be_visible()
    assert not set(data_table_names(a)) & set(PEOPLE)
    assert epoch(a) > 0
    assert_no_errors(a)
    wait_until_drawn(b)
    expect(metric(b, "Epoch")).to_have_text("0")


def test_page_works_again_after_the_server_restarts_mid_training(browser: Browser) -> None:
    server = start_server()
    port = urlsplit(server.url).port
    servers = [server]
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(30_000)
    try:
        page = open_app(context, server.url)
        epochs = page.get_by_role("spinbutton", name="Epochs")
        epochs.fill("100000")  # a run that lasts well beyond the restart
        epochs.press("Enter")
        expect(epochs).to_have_value("100000")
        wait_until_drawn(page)
        button(page, "Train").click()
        wait_for_epoch_above(page, 0)
        expect(button(page, "Pause")).to_be_enabled()

        page.evaluate(RECORD_APP_STATES)
        server.process.send_signal(signal.SIGKILL)
        server.process.wait(timeout=10)
        servers.append(start_server(port))

        # Reconnected: the new server ran the script for this page and the page is drawn again.
        try:
            page.wait_for_function(RERAN_AFTER_RECONNECT, timeout=RECONNECT_TIMEOUT_MS)
        except PlaywrightTimeoutError:
            raise AssertionError(f"no rerun after reconnecting: {page.evaluate('window.__states')}") from None
        wait_until_drawn(page, timeout_ms=RECONNECT_TIMEOUT_MS)
        assert_no_errors(page)
        expect(page.get_by_test_id("stToast")).to_contain_text("started again from the tutorial")
        train = button(page, "Train")
        expect(train).to_be_enabled(timeout=RECONNECT_TIMEOUT_MS)
        before = epoch(page)
        train.click()
        wait_for_epoch_above(page, before, RECONNECT_TIMEOUT_MS)
        wait_for_epoch_above(page, epoch(page), RECONNECT_TIMEOUT_MS)  # still climbing
        assert_no_errors(page)
    finally:
        context.close()
        for started in servers:
            stop_server(started)


def test_a_reload_says_the_earlier_work_is_gone_but_a_copied_address_opened_elsewhere_does_not(
    contexts: list[BrowserContext], app_url: str
) -> None:
    first, elsewhere = contexts
    page = open_app(first, app_url)
    expect(page.get_by_test_id("stToast")).to_have_count(0)
    copied = page.url
    # The tab marker's script notes the session in the tab once the page is up; a person reloads later.
    page.wait_for_function("() => window.sessionStorage.getItem('nn-playground-session') !== null")
    page.reload()
    wait_until_drawn(page)
    expect(page.get_by_test_id("stToast")).to_contain_text("started again from the tutorial")

    other = open_app(elsewhere, copied)
    wait_until_drawn(other)
    other.wait_for_timeout(1_500)  # the tab marker reports within a rerun; give it time to be wrong
    expect(other.get_by_test_id("stToast")).to_have_count(0)
    assert "session=" not in copied
