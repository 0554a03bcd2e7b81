"""The table editor in a real browser: keys, paste and delete behave like a spreadsheet, and the
edits reach the network."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.pages import PEOPLE, assert_no_errors, button, cell, delete_table_row, paste, table_rows
from tests.e2e.server import wait_until_drawn

pytestmark = pytest.mark.e2e


def test_a_block_pasted_from_a_spreadsheet_fills_cells_and_adds_rows(page: Page) -> None:
    paste(cell(page, "New row", "Name"), "Emily\t-7\t-3\t1\r\nFrank\t20\t2\t0\r\n")
    assert table_rows(page)[4:] == [["Emily", "-7", "-3", "1"], ["Frank", "20", "2", "0"]]
    expect(page.get_by_text("6 rows · inputs")).to_be_visible()
    paste(cell(page, 1, "Weight - 135"), "-4\t-2\t1\tan extra cell is dropped")
    assert table_rows(page)[0] == ["Alice", "-4", "-2", "1"]
    assert_no_errors(page)


def test_arrow_keys_move_between_rows_and_escape_takes_back_a_cell(page: Page) -> None:
    box = cell(page, 1, "Height - 66")
    box.click()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(cell(page, 3, "Height - 66")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("99", delay=60)
    page.keyboard.press("Escape")
    expect(cell(page, 3, "Height - 66")).to_have_value("4")
    page.keyboard.press("ArrowUp")
    expect(cell(page, 2, "Height - 66")).to_be_focused()
    page.keyboard.press("Tab")
    wait_until_drawn(page)
    assert table_rows(page)[2] == ["Charlie", "17", "4", "0"]


def test_deleting_rows_renumbers_the_rest_and_the_table_can_grow_again(page: Page) -> None:
    delete_table_row(page, 1)
    delete_table_row(page, 1)
    assert [row[0] for row in table_rows(page)] == PEOPLE[2:]
    expect(page.get_by_role("button", name="Delete row 3", exact=True)).to_have_count(0)
    expect(page.get_by_text("2 rows · inputs")).to_be_visible()
    button(page, "Step").click()
    wait_until_drawn(page)
    assert_no_errors(page)


def test_escape_in_a_just_started_row_takes_the_row_back(page: Page) -> None:
    box = cell(page, "New row", "Name")
    box.click()
    page.keyboard.type("Em", delay=60)
    expect(cell(page, 5, "Name")).to_have_value("Em")
    page.keyboard.press("Escape")
    expect(cell(page, 5, "Name")).to_have_count(0)
    expect(cell(page, "New row", "Name")).to_be_focused()
    page.keyboard.press("Tab")
    wait_until_drawn(page)
    assert [row[0] for row in table_rows(page)] == PEOPLE
