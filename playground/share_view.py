"""Share links: restore a setup from the URL on first open, and make a link for the current setup.

The link holds the data set (preset parameters, or the edited table when it is small), the chosen
columns, every setting and the slider positions; ``playground.share`` encodes and validates it.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from nn_core.datasets import make_preset
from playground.controls import apply_settings
from playground.inspect_view import slider_key
from playground.presets import TUTORIAL, load_source, table_from_dataset
from playground.settings import MAX_SEED, Settings
from playground.share import (
    MAX_TABLE_ROWS,
    SHARE_PARAM,
    PresetSource,
    SharedSetup,
    TableSource,
    decode_setup,
    encode_setup,
    frame_from_table_source,
    table_source_from_frame,
)
from playground.state import AppState, choice_key
from playground.text import escape_markdown

PRESET_WIDGET_LIMITS = {"preset_size": (20, 1000), "preset_noise": (0.0, 1.0), "preset_seed": (0, MAX_SEED)}


def restore_from_link(state: AppState) -> None:
    """Once per session: if the URL carries a share link, load its setup before any widget is drawn."""
    if state.link_checked:
        return
    state.link_checked = True
    text = st.query_params.get(SHARE_PARAM)
    if text is None:
        return
    setup, problems = decode_setup(text)
    _apply(state, setup)
    if problems:
        state.messages["link"] = ("error", "Part of the link could not be used: " + " ".join(problems))


def _apply(state: AppState, setup: SharedSetup) -> None:
    table, description = _table_of(setup.source)
    state.load_table(table, description, setup.source if isinstance(setup.source, PresetSource) else None)
    state.undo = None  # nothing of the user's was replaced: the session has just begun
    version = state.table_version
    if setup.input_columns is not None:
        st.session_state[choice_key("inputs", version)] = list(setup.input_columns)
    if setup.target_column is not None:
        st.session_state[choice_key("target", version)] = setup.target_column
    st.session_state[choice_key("task", version)] = setup.task
    apply_settings(setup.settings)
    for index, value in enumerate(setup.slider_values):
        st.session_state[slider_key(state, index)] = value


def _table_of(source: PresetSource | TableSource | None) -> tuple[pd.DataFrame, str]:
    if isinstance(source, PresetSource):
        dataset = make_preset(source.name, source.n_samples, source.noise, source.seed)
        _show_preset_in_sidebar(source)
        return table_from_dataset(dataset), f"{source.name}, {source.n_samples} points (from a link)"
    if isinstance(source, TableSource):
        return frame_from_table_source(source), "A table from a link"
    return table_from_dataset(load_source(TUTORIAL, 4, 0.0, 0)), TUTORIAL


def _show_preset_in_sidebar(source: PresetSource) -> None:
    st.session_state["source_choice"] = source.name
    for key, value in (("preset_size", source.n_samples), ("preset_noise", source.noise),
                       ("preset_seed", source.seed)):  # fmt: skip
        low, high = PRESET_WIDGET_LIMITS[key]
        st.session_state[key] = type(low)(min(max(value, low), high))


def current_setup(state: AppState, settings: Settings, sliders: list[float]) -> SharedSetup:
    """The setup on screen now, ready to encode (raises ValueError when the table cannot travel)."""
    table = state.current_table()
    version = state.table_version
    return SharedSetup(
        source=_source_of(state, table),
        input_columns=tuple(st.session_state.get(choice_key("inputs", version), ())),
        target_column=st.session_state.get(choice_key("target", version)),
        task=st.session_state.get(choice_key("task", version), "auto"),
        settings=settings,
        slider_values=tuple(float(value) for value in sliders),
    )


def _source_of(state: AppState, table: pd.DataFrame) -> PresetSource | TableSource | None:
    """The shortest description that rebuilds ``table``: a preset's parameters, the tutorial, or the cells."""
    if state.preset is not None and _same(table, _table_of_preset(state.preset)):
        return state.preset
    if _same(table, table_from_dataset(load_source(TUTORIAL, 4, 0.0, 0))):
        return None
    source = table_source_from_frame(table)
    if source is None:
        raise ValueError(
            f"The table has {len(table)} rows; a link can carry up to {MAX_TABLE_ROWS}. "
            "Download it as CSV to share it instead."
        )
    return source


def _table_of_preset(preset: PresetSource) -> pd.DataFrame:
    return table_from_dataset(make_preset(preset.name, preset.n_samples, preset.noise, preset.seed))


def _same(left: pd.DataFrame, right: pd.DataFrame) -> bool:
    return (
        left.shape == right.shape
        and list(left.columns) == list(right.columns)
        and (left.astype(str).values == right.astype(str).values).all()
    )


def show_share(state: AppState, settings: Settings, sliders: list[float]) -> None:
    """A button that makes a link for the current setup and shows it ready to copy."""
    st.markdown("#### Share this setup")
    st.caption("The link opens the same data, columns, network, settings and sliders — untrained, same seed.")
    if st.button("Make a share link", key="make_link", icon=":material/link:"):
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
