"""Sharing and files in a real browser: share links, the model as a script, CSV uploads, workshop links.

Each test opens its own browser contexts (fresh Streamlit sessions) through ``open_app``; when a test
fails, every page it opened is saved as a screenshot in ``artifacts/`` before the contexts are closed.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from tests.e2e.pages import (
    PEOPLE,
    TRAINING_TIMEOUT_MS,
    button,
    choose,
    metric,
    open_tab,
    set_number,
    table_rows,
    train_to_end,
)
from tests.e2e.server import ARTIFACTS, wait_until_drawn

pytestmark = pytest.mark.e2e

VIEWPORT = {"width": 1280, "height": 720}
SCRIPT_TIMEOUT_SECONDS = 60
BAD_CSV = b"a,b\n1,2,3\n"
GOOD_CSV = b"x;y;label\n0;0;0\n1;1;1\n0;1;1\n1;0;0\n"

OpenApp = Callable[..., Page]


@pytest.fixture
def open_app(browser: Browser, app_url: str, request: pytest.FixtureRequest) -> Iterator[OpenApp]:
    """Opens the app (with an optional ``?query``) in a new browser context, so a new session.

    After a failed test each opened page is saved as ``artifacts/<test>_<n>.png``.
    """
    contexts: list[BrowserContext] = []
    failed_before = request.session.testsfailed

    def open_page(query: str = "", *, url: str | None = None) -> Page:
        context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
        contexts.append(context)
        context.set_default_timeout(30_000)
        opened = context.new_page()
        opened.goto(url or app_url + query)
        wait_until_drawn(opened)
        return opened

    yield open_page
    try:
        # The call phase's report is logged before teardown, so a failure has been counted by now.
        if request.session.testsfailed > failed_before:
            ARTIFACTS.mkdir(exist_ok=True)
            name = re.sub(r"[^A-Za-z0-9_.-]", "_", request.node.name)
            for number, context in enumerate(contexts):
                for opened in context.pages:
                    try:
                        opened.screenshot(path=str(ARTIFACTS / f"{name}_{number}.png"), timeout=10_000)
                    except Exception as problem:  # a screenshot must not hide the test's own failure
                        print(f"no screenshot of {name} context {number}: {problem}", file=sys.stderr)
    finally:
        for context in contexts:
            context.close()


def sidebar(page: Page) -> Locator:
    return page.get_by_test_id("stSidebar")


def table_caption(page: Page) -> Locator:
    return page.get_by_test_id("stCaptionContainer").filter(has_text=re.compile(r"^\s*\d+ rows · inputs"))


def make_share_link(page: Page) -> str:
    panel = open_tab(page, "Save and share")
    panel.get_by_role("button", name="Make a share link").click()
    code = panel.get_by_test_id("stCode")
    expect(code).to_contain_text("?s=")
    wait_until_drawn(page)
    return code.inner_text().strip()


def assert_no_exception(page: Page) -> None:
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_a_share_link_opens_the_same_data_and_settings_in_a_new_session(open_app: OpenApp) -> None:
    first = open_app()
    choose(first, "Data set", "Two moons")
    expect(sidebar(first).get_by_text("Table now: Two moons, 200 points")).to_be_visible()
    set_number(first, "Exact learning rate", "0.05")
    set_number(first, "Layer 1", "6")

    link = make_share_link(first)
    parts = urlsplit(link)
    assert parts.scheme == "http" and parts.netloc, f"not a full URL: {link!r}"
    assert list(parse_qs(parts.query)) == ["s"], f"unexpected query in {link!r}"
    share_panel = first.get_by_role("tabpanel", name="Save and share")
    expect(share_panel.get_by_test_id("stAlert"), "a message next to the link").to_have_count(0)

    second = open_app(url=link)
    caption = table_caption(second)
    expect(caption).to_contain_text("200 rows · inputs: x1, x2 · target: label")
    expect(sidebar(second).get_by_text("Table now: Two moons, 200 points (from a link)")).to_be_visible()
    expect(second.get_by_role("spinbutton", name="Exact learning rate", exact=True)).to_have_value("0.05")
    expect(second.get_by_role("spinbutton", name="Layer 1", exact=True)).to_have_value("6")
    expect(second.get_by_role("spinbutton", name="Layer 2", exact=True)).to_have_value("8")
    expect(second.get_by_role("spinbutton", name="Epochs", exact=True)).to_have_value("300")
    open_tab(first, "Data")
    assert caption.inner_text() == table_caption(first).inner_text()
    assert table_rows(second)[:5] == table_rows(first)[:5]
    assert_no_exception(second)

    # The link opens the setup untrained with the same seed, so training ends in the same place.
    losses = []
    for page in (first, second):
        train_to_end(page)
        expect(metric(page, "Epoch")).to_have_text("300", timeout=TRAINING_TIMEOUT_MS)
        losses.append(metric(page, "Train loss").inner_text())
    assert float(losses[0]) < 0.2, f"Two moons did not learn: train loss {losses[0]}"
    assert losses[0] == losses[1], f"trained from the link: {losses[1]}, from the original: {losses[0]}"
    assert_no_exception(first)


def test_a_tampered_link_opens_the_tutorial_and_says_it_could_not_be_read(open_app: OpenApp) -> None:
    page = open_app("?s=garbage")
    assert [row[0] for row in table_rows(page)] == PEOPLE
    expect(sidebar(page).get_by_text("Table now: Tutorial")).to_be_visible()
    panel = open_tab(page, "Save and share")
    warning = panel.get_by_test_id("stAlert").filter(has_text="could not be read")
    expect(warning).to_be_visible()
    assert_no_exception(page)


def test_the_model_as_a_python_script_predicts_what_the_page_shows(open_app: OpenApp, tmp_path: Path) -> None:
    page = open_app()
    train_to_end(page)
    expect(metric(page, "Epoch")).to_have_text("1,000")

    panel = open_tab(page, "Save and share")
    with page.expect_download() as download_info:
        panel.get_by_role("button", name="Model as a Python script").click()
    download = download_info.value
    assert download.suggested_filename == "model.py"
    script = tmp_path / "model.py"
    download.save_as(script)

    finished = subprocess.run(
        [sys.executable, str(script), "-7", "-3"],
        capture_output=True, text=True, timeout=SCRIPT_TIMEOUT_SECONDS, cwd=tmp_path, check=False,
    )  # fmt: skip
    assert finished.returncode == 0, finished.stderr
    found = re.fullmatch(r"\s*-7\.0 -3\.0 -> (\S+)\s*", finished.stdout)
    assert found, f"unexpected output of model.py: {finished.stdout!r}"
    script_probability = float(found.group(1))

    panel = open_tab(page, "Ask the network")
    panel.get_by_role("button", name=re.compile(r"^Ask about Emily \(-7\.0, -3\.0\)")).click()
    shown = panel.get_by_test_id("stMarkdownContainer").filter(has_text="P(Female = 1) =")
    expect(shown).to_contain_text("Predicted class: 1")
    wait_until_drawn(page)
    text = shown.inner_text()
    on_page = re.search(r"P\(Female = 1\) = ([0-9.]+)", text)
    assert on_page, f"unexpected prediction text: {text!r}"
    assert f"{script_probability:.3f}" == on_page.group(1), (
        f"model.py says {script_probability}, the page says {on_page.group(1)}"
    )
    assert_no_exception(page)


def upload(page: Page, name: str, content: bytes) -> None:
    uploader = page.get_by_test_id("stFileUploader").filter(has_text="Upload a CSV file as the table")
    uploader.locator("input[type=file]").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": content}
    )
    expect(uploader.get_by_text(name)).to_be_visible()
    wait_until_drawn(page)


def test_a_malformed_csv_is_refused_and_a_good_one_replaces_the_table(open_app: OpenApp) -> None:
    page = open_app()
    upload(page, "bad.csv", BAD_CSV)
    error = page.get_by_test_id("stAlert").filter(has_text="was not loaded")
    expect(error).to_be_visible()
    expect(error).to_contain_text("bad.csv")
    assert [row[0] for row in table_rows(page)] == PEOPLE
    expect(table_caption(page)).to_contain_text("4 rows · inputs: Weight - 135, Height - 66")
    assert_no_exception(page)

    upload(page, "good.csv", GOOD_CSV)
    expect(table_caption(page)).to_contain_text("4 rows · inputs: x, y · target: label")
    expect(page.get_by_test_id("stAlert").filter(has_text="Loaded good.csv")).to_be_visible()
    expect(error).to_have_count(0)
    assert table_rows(page) == [["0", "0", "0"], ["1", "1", "1"], ["0", "1", "1"], ["1", "0", "0"]]
    expect(sidebar(page).get_by_text("Table now: Uploaded: good.csv")).to_be_attached()
    assert_no_exception(page)


def test_a_tour_link_opens_workshop_mode_at_that_step(open_app: OpenApp) -> None:
    page = open_app("?tour=sgd")
    expect(page.get_by_role("switch", name="Workshop mode")).to_be_checked()
    expect(page.get_by_role("heading", name="One SGD step")).to_be_visible()
    expect(page.get_by_text("Step 4 of 6")).to_be_visible()
    expect(sidebar(page)).not_to_be_visible()

    button(page, "Next →").click()
    wait_until_drawn(page)
    expect(page.get_by_role("heading", name="Full training")).to_be_visible()
    expect(page.get_by_role("heading", name="One SGD step")).to_have_count(0)
    expect(sidebar(page)).not_to_be_visible()
    assert_no_exception(page)
