"""What the browser tests do on the page, as a person would: read metrics, press buttons, type into the
table, choose from menus. Shared by every browser test module and the browser benchmark.

The table editor is the app's own component (``static/table_editor.js``): one text box per
cell, named "Row N, <column>" (and "New row, <column>" for the blank row at the bottom), so a test
finds cells the way a screen reader would.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from playground.transfer import LoadedModel, model_from_json
from tests.e2e.server import wait_until_drawn

PEOPLE = ["Alice", "Bob", "Charlie", "Diana"]
PICTURE = '[data-picture="network"]'
TRAINING_TIMEOUT_MS = 60_000

# Records every distinct text of the Epoch and Train loss metrics, as the page shows them.
RECORD_METRICS = """() => {
    window.__epochs = [];
    window.__losses = [];
    const valueOf = (label) => {
        const metric = document.querySelector(`[data-metric="${label}"]`);
        return metric?.textContent.trim();
    };
    const record = (list, value) => {
        if (value !== undefined && !list.includes(value)) list.push(value);
    };
    const observe = () => {
        record(window.__epochs, valueOf("Epoch"));
        record(window.__losses, valueOf("Train loss"));
    };
    observe();
    const options = {subtree: true, childList: true, characterData: true};
    new MutationObserver(observe).observe(document.body, options);
}"""


def metric(page: Page, label: str) -> Locator:
    """The value of the figure above the network picture with exactly this label."""
    return page.locator(f'[data-metric="{label}"]')


# The share of a canvas's pixels that are painted and not blank white: 0 for an empty picture.
INK = """(canvas) => {
    const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 0; i < pixels.length; i += 4) {
        const white = pixels[i] > 245 && pixels[i + 1] > 245 && pixels[i + 2] > 245;
        if (pixels[i + 3] > 0 && !white) painted += 1;
    }
    return painted / (pixels.length / 4);
}"""


def picture_canvas(page: Page, label: str) -> Locator:
    """A canvas of the network picture by its label: "Decision surface", "Loss curve", "h1 map", …"""
    return page.locator(f'canvas[aria-label="{label}"]')


def ink(canvas: Locator) -> float:
    """How much of the canvas is painted (0: blank)."""
    return canvas.evaluate(INK)


def epoch(page: Page) -> int:
    return int(metric(page, "Epoch").inner_text().replace(",", ""))


def wait_for_epoch_above(page: Page, least: int, timeout_ms: float = 30_000) -> None:
    """Until the Epoch counter shows more than ``least`` (it may be absent while the page reruns)."""
    page.wait_for_function(
        """(least) => {
            const text = document.querySelector('[data-metric="Epoch"]')?.textContent;
            return text && Number(text.replace(/,/g, '')) > least;
        }""",
        arg=least,
        timeout=timeout_ms,
    )


def button(page: Page, name: str) -> Locator:
    return page.get_by_role("button", name=name, exact=True)


def assert_no_errors(page: Page) -> None:
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)


def train_to_end(page: Page) -> None:
    """Press Train and wait until the run is over and the page redrawn (a short run may be over before
    the Pause button could be seen enabled, so the Epoch figure tells that training happened)."""
    before = metric(page, "Epoch").inner_text()
    button(page, "Train").click()
    expect(metric(page, "Epoch")).not_to_have_text(before, timeout=TRAINING_TIMEOUT_MS)
    expect(button(page, "Train")).to_be_enabled(timeout=TRAINING_TIMEOUT_MS)
    wait_until_drawn(page, TRAINING_TIMEOUT_MS)


def open_tab(page: Page, name: str) -> Locator:
    page.get_by_role("tab", name=name).click()
    panel = page.get_by_role("tabpanel", name=name)
    expect(panel).to_be_visible()
    return panel


def table_rows(page: Page) -> list[list[str]]:
    """The Data tab's table as typed: one list of cell texts per row (the blank row left out)."""
    # The editor's script runs once the page is drawn; its blank row shows that it has drawn the table.
    expect(page.locator("input[aria-label^='New row, ']").first).to_be_attached()
    boxes = page.locator("input[aria-label^='Row ']")
    labelled = boxes.evaluate_all("boxes => boxes.map(box => [box.getAttribute('aria-label'), box.value])")
    rows: dict[int, list[str]] = {}
    for label, value in labelled:
        rows.setdefault(int(label.split(",")[0].removeprefix("Row ")), []).append(value)
    return [rows[number] for number in sorted(rows)]


def cell(page: Page, row: int | str, column: str) -> Locator:
    """The text box of a table cell: ``row`` counts from 1 as on the page, or is "New row"."""
    name = row if isinstance(row, str) else f"Row {row}"
    return page.get_by_role("textbox", name=f"{name}, {column}", exact=True)


def type_rows(page: Page, first_cell: Locator, rows: list[list[str]], *, pace_ms: int = 90) -> None:
    """Click a cell, then type row after row at a person's speed: Tab between cells, Enter after a row.

    The pointer is moved away from the table after the click, as people do while typing.
    """
    first_cell.scroll_into_view_if_needed()
    first_cell.click()
    page.mouse.move(5, 5, steps=4)
    for cells in rows:
        for position, text in enumerate(cells):
            page.keyboard.type(text, delay=pace_ms)
            page.keyboard.press("Tab" if position < len(cells) - 1 else "Enter")
            page.wait_for_timeout(pace_ms)
    wait_until_drawn(page)


def replace_cell(page: Page, row: int, column: str, text: str) -> None:
    """Select a cell's text, type over it and leave the cell with Tab (which sends the edit)."""
    box = cell(page, row, column)
    box.scroll_into_view_if_needed()
    box.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(text, delay=40)
    page.keyboard.press("Tab")
    wait_until_drawn(page)


def delete_table_row(page: Page, row: int) -> None:
    page.get_by_role("button", name=f"Delete row {row}", exact=True).click()
    wait_until_drawn(page)


def grid_rows(grid: Locator) -> list[list[str]]:
    """The rows of a read-only st.dataframe, read from the accessible table its grid keeps in the DOM."""
    return grid.locator("tbody tr").evaluate_all(
        "rows => rows.map(row => [...row.querySelectorAll('td')].map(cell => cell.textContent))"
    )


def set_number(page: Page, label: str, value: str) -> None:
    """Type a value into a number input and wait for the rerun it starts."""
    field = page.get_by_role("spinbutton", name=label, exact=True)
    field.fill(value)
    field.press("Enter")
    wait_until_drawn(page)
    expect(field).to_have_value(value)


def choose(page: Page, label: str, option: str) -> None:
    """Pick ``option`` from a select box; opens the menu again, as a person would, when a rerun that
    was under way closed it before the option could be clicked."""
    wanted = page.get_by_role("option", name=option, exact=True)
    for _ in range(3):
        page.get_by_role("combobox", name=label).click()
        try:
            wanted.click(timeout=5_000)
            break
        except PlaywrightTimeoutError:
            wait_until_drawn(page)
    else:
        raise AssertionError(f"the menu {label!r} never offered {option!r}")
    wait_until_drawn(page)


PASTE = """(box, text) => {
    const data = new DataTransfer();
    data.setData("text/plain", text);
    box.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
}"""


def paste(box: Locator, text: str) -> None:
    """Paste ``text`` into a cell as the browser does for Ctrl+V (a paste event carrying the text)."""
    box.click()
    box.evaluate(PASTE, text)
    box.page.keyboard.press("Tab")
    wait_until_drawn(box.page)


def tiles(page: Page) -> list[list[dict]]:
    """Where each map is on the network canvas (CSS pixels): one list per layer, inputs first, once the
    picture has stopped reflowing (switching tabs can add or take away the page's scroll bar)."""
    placed = page.locator(PICTURE).evaluate("root => root.tiles()")
    for _ in range(50):
        page.wait_for_timeout(100)
        again = page.locator(PICTURE).evaluate("root => root.tiles()")
        if again == placed:
            return placed
        placed = again
    raise AssertionError("the picture kept moving its maps for 5 s")


def point_at_first_edge(page: Page, tip: str) -> tuple[float, float]:
    """Point at the middle of the first input's edge to the first hidden neuron until its tooltip reads
    ``tip``, as a person moves the mouse again when a tooltip does not show (the picture may have been
    drawn anew under a still pointer); returns where the pointer is."""
    shown = page.locator(PICTURE).locator(".np-tip")
    for _ in range(20):
        spots = tiles(page)
        source, target = spots[0][0], spots[1][0]
        box = picture_canvas(page, "Network").bounding_box()
        x = box["x"] + (source["x"] + source["size"] + target["x"]) / 2
        y = box["y"] + (source["y"] + target["y"]) / 2 + source["size"] / 2
        page.mouse.move(x, y - 20)
        page.mouse.move(x, y, steps=4)
        page.wait_for_timeout(150)
        if tip in shown.inner_text():
            return x, y
    raise AssertionError(f"pointing at the edge never showed {tip!r}; its tooltip: {shown.inner_text()!r}")


def download_model(page: Page, directory: Path) -> LoadedModel:
    """The model as the Save tab gives it, read back with the app's own checked reader."""
    panel = open_tab(page, "Save and share")
    with page.expect_download() as download_info:
        panel.get_by_role("button", name="Model (JSON)").click()
    path = directory / "model.json"
    download_info.value.save_as(path)
    open_tab(page, "Data")
    return model_from_json(path.read_bytes())
