"""The data: choosing a data set, the editable table, which columns to learn from, and what is wrong.

Choosing a data set loads it at once; what it replaces (the table as edited, its model, settings and
column choices) comes back with Undo, so no edit is ever lost without a way back.
"""

from __future__ import annotations

import streamlit as st

from playground.presets import NOISE_RANGE, POINTS_RANGE, SOURCES, TUTORIAL
from playground.session import Session, Snapshot
from playground.settings import MAX_SEED
from playground.table import input_choices, target_choices
from playground.text import escape_markdown
from playground.views import adapter, keys
from playground.views.table_editor import show_table_editor
from playground.views.transfer import show_table_transfer

TASK_LABELS = {
    "auto": "Work it out",
    "binary": "Binary",
    "multiclass": "Multi-class",
    "regression": "Regression",
}


def show_source_picker(session: Session) -> None:
    """Sidebar: the data set menu (choosing one loads it), its size, noise and seed, and Undo.

    The menu always shows where the table came from: a table uploaded or opened by link leaves it
    empty, so choosing any entry, the tutorial too, loads it.
    """
    st.subheader("Data")
    source = _data_set_menu(session, keys.SOURCE)
    if source not in (None, TUTORIAL):
        controls = session.data_set
        st.slider(
            "Points", *POINTS_RANGE, step=10, **_data_set_control(keys.PRESET_SIZE, "size", controls.size)
        )
        st.slider(
            "Noise", *NOISE_RANGE, step=0.05, **_data_set_control(keys.PRESET_NOISE, "noise", controls.noise)
        )
        st.number_input(
            "Data seed", 0, MAX_SEED, step=1, **_data_set_control(keys.PRESET_SEED, "seed", controls.seed)
        )
    edited = " (edited)" if session.is_edited() else ""
    st.caption(escape_markdown(f"Table now: {session.source}{edited}"))
    if session.undo is not None:
        _undo_button(session.undo, keys.UNDO_LOAD, f"Undo: bring back the previous {session.undo.replaced}")


def show_data_set_menu(session: Session) -> None:
    """The data set menu and Undo, for workshop mode (the sidebar, with the rest, is hidden there)."""
    if session.undo is None:
        _data_set_menu(session, keys.WORKSHOP_SOURCE)
        return
    menu, undo = st.columns([3, 1], vertical_alignment="bottom")
    with menu:
        _data_set_menu(session, keys.WORKSHOP_SOURCE)
    with undo:
        _undo_button(session.undo, keys.WORKSHOP_UNDO_LOAD, "Undo")


def _data_set_control(key: str, name: str, value: float) -> dict:
    return adapter.bound(key, value, Session.change_data_set, name)


def _data_set_menu(session: Session, key: str) -> str | None:
    """The data set menu under ``key``, showing the table's source; choosing an entry loads it."""
    return st.selectbox(
        "Data set",
        SOURCES,
        placeholder="Your own table",
        **adapter.bound(key, session.data_set_shown(), Session.load_data_set),
    )


def _undo_button(undo: Snapshot, key: str, label: str) -> None:
    """Undo, by the data set menu: brings back what ``undo`` holds."""
    st.button(
        label,
        icon=":material/undo:",
        width="stretch",
        help=escape_markdown(_undo_hint(undo)),
        **adapter.clicked(key, Session.undo_load),
    )


def _undo_hint(undo: Snapshot) -> str:
    """What the Undo button brings back, in a sentence."""
    if undo.replaced == "model":
        return (
            f"Back to the previous model and its settings, on {undo.source} as you left it "
            "(pressing it again redoes)."
        )
    return f"Back to: {undo.source}, as you left it (pressing it again redoes)."


def show_data_tab(session: Session) -> None:
    """The editable table, the column choices, what is wrong with the table, and its files."""
    check = session.check()
    show_table_editor(session, check.bad_cells)
    _show_column_choices(session)
    _show_problems(session)
    show_table_transfer(session)


def _show_column_choices(session: Session) -> None:
    table, choices, version = session.current_table(), session.fitted_choices(), session.table_version
    left, middle, right = st.columns([3, 2, 2])
    left.multiselect(
        "Inputs",
        input_choices(table, choices.target),
        **adapter.bound(
            keys.choice_key("inputs", version), list(choices.inputs or ()), Session.choose_inputs
        ),
    )
    middle.selectbox(
        "Target",
        target_choices(table),
        **adapter.bound(keys.choice_key("target", version), choices.target, Session.choose_target),
    )
    right.selectbox(
        "Problem type",
        list(TASK_LABELS),
        format_func=TASK_LABELS.get,
        **adapter.bound(keys.choice_key("task", version), choices.task, Session.choose_task),
    )


def _show_problems(session: Session) -> None:
    check = session.check()
    message = session.messages.get("edit")
    if message is not None:
        st.error(escape_markdown(message[1]), icon=":material/error:")
    if check.data is not None:
        data = check.data
        classes = f", classes: {', '.join(data.class_labels)}" if data.class_labels else ""
        summary = (
            f"{len(data.X)} rows · inputs: {', '.join(data.feature_names)} · "
            f"target: {data.target_name} ({TASK_LABELS[data.task].lower()}{classes})"
        )
        st.caption(escape_markdown(summary))
        return
    items = "\n".join(f"- {escape_markdown(problem)}" for problem in check.problems)
    marked = " (the cells are marked in red)" if check.bad_cells else ""
    st.error(f"Training is off until the table is fixed{marked}:\n\n" + items, icon="✏️")
