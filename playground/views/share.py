"""Share links: restore a setup from the URL on first open, and make a link for the current setup.

The link holds the data set (preset parameters, or the edited table when it is small), the chosen
columns, every setting and the slider positions; ``playground.share`` encodes and validates it.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from playground.presets import TUTORIAL, PresetSource, load_source, table_from_dataset
from playground.settings import Settings
from playground.share import (
    MAX_TABLE_ROWS,
    SHARE_PARAM,
    SharedSetup,
    TableSource,
    decode_setup,
    encode_setup,
    frame_from_table_source,
    table_source_from_frame,
)
from playground.table import same_cells
from playground.text import escape_markdown
from playground.views import keys
from playground.views.state import AppState


def restore_from_link(state: AppState) -> None:
    """Once per session: if the URL carries a share link, load its setup before any widget is drawn."""
    if state.link_checked:
        return
    state.link_checked = True
    text = st.query_params.get(SHARE_PARAM)
    if text is None:
        return
    setup, problems = decode_setup(text)
    problems += _apply(state, setup)
    if problems:
        message = "Part of the link could not be used: " + " ".join(problems)
        state.messages["link"] = ("error", message)
        st.toast(escape_markdown(message), icon=":material/link_off:", duration="infinite")


def _apply(state: AppState, setup: SharedSetup) -> list[str]:
    """Load the link's setup; returns a sentence for each column choice its table does not have."""
    table, description = _table_of(setup.source)
    choices, problems = _column_choices(setup, {str(name) for name in table.columns})
    preset = setup.source if isinstance(setup.source, PresetSource) else None
    # nothing of the user's is replaced (the session has just begun), so there is nothing to undo
    state.load_table(
        table, source=description, preset=preset, settings=setup.settings, choices=choices, undoable=False
    )
    for index, value in enumerate(setup.slider_values):
        st.session_state[keys.slider_key(state.table_version, index)] = value
    return problems


def _column_choices(setup: SharedSetup, columns: set[str]) -> tuple[dict[str, object], list[str]]:
    """The link's column choices that ``columns`` has, and a sentence for each it does not."""
    choices: dict[str, object] = {"task": setup.task}
    problems = []
    if setup.input_columns is not None:
        missing = [name for name in setup.input_columns if name not in columns]
        choices["inputs"] = [name for name in setup.input_columns if name in columns]
        if missing:
            problems.append(f"Its table has no input column {_quoted(missing)}; those inputs were left out.")
    if setup.target_column is not None:
        if setup.target_column in columns:
            choices["target"] = setup.target_column
        else:
            problems.append(
                f"Its table has no target column '{setup.target_column}'; the last column is used."
            )
    return choices, problems


def _quoted(names: list[str]) -> str:
    return ", ".join(f"'{name}'" for name in names)


def _table_of(source: PresetSource | TableSource | None) -> tuple[pd.DataFrame, str]:
    if isinstance(source, PresetSource):
        dataset = source.dataset()
        return table_from_dataset(dataset), f"{source.name}, {source.n_samples} points (from a link)"
    if isinstance(source, TableSource):
        return frame_from_table_source(source), "A table from a link"
    return table_from_dataset(load_source(TUTORIAL, 4, 0.0, 0)), TUTORIAL


def current_setup(state: AppState, settings: Settings, sliders: list[float]) -> SharedSetup:
    """The setup on screen now, ready to encode (raises ValueError when the table cannot travel)."""
    table = state.current_table()
    version = state.table_version
    return SharedSetup(
        source=_source_of(state, table),
        input_columns=tuple(st.session_state.get(keys.choice_key("inputs", version), ())),
        target_column=st.session_state.get(keys.choice_key("target", version)),
        task=st.session_state.get(keys.choice_key("task", version), "auto"),
        settings=settings,
        slider_values=tuple(float(value) for value in sliders),
    )


def _source_of(state: AppState, table: pd.DataFrame) -> PresetSource | TableSource | None:
    """The shortest description that rebuilds ``table``: a preset's parameters, the tutorial, or the cells."""
    if state.preset is not None and same_cells(table, _table_of_preset(state.preset)):
        return state.preset
    if same_cells(table, table_from_dataset(load_source(TUTORIAL, 4, 0.0, 0))):
        return None
    source = table_source_from_frame(table)
    if source is None:
        raise ValueError(
            f"The table has {len(table)} rows; a link can carry up to {MAX_TABLE_ROWS}. "
            "Download it as CSV to share it instead."
        )
    return source


def _table_of_preset(preset: PresetSource) -> pd.DataFrame:
    return table_from_dataset(preset.dataset())


def show_share(state: AppState, settings: Settings, sliders: list[float]) -> None:
    """A button that makes a link for the current setup and shows it ready to copy."""
    st.markdown("#### Share this setup")
    st.caption("The link opens the same data, columns, network, settings and sliders — untrained, same seed.")
    if st.button("Make a share link", key=keys.MAKE_LINK, icon=":material/link:"):
        try:
            encoded = encode_setup(current_setup(state, settings, sliders))
        except ValueError as problem:
            st.error(escape_markdown(str(problem)))
            return
        st.code(_base_url() + "?" + urlencode({SHARE_PARAM: encoded}), language=None, wrap_lines=True)
        st.caption("Copy the link above (the copy button is at its right).")
    message = state.messages.get("link")
    if message is not None:
        st.warning(escape_markdown(message[1]))


def _base_url() -> str:
    url = st.context.url or ""
    return url.split("?", 1)[0]
