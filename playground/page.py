"""Page chrome: the compact header that leaves a projector's 720 rows for the charts."""

from __future__ import annotations

import streamlit as st

# Streamlit's default top padding (6rem) and h1 size eat a fifth of a 720-pixel screen.
COMPACT_STYLE = """
<style>
[data-testid="stMainBlockContainer"] { padding-top: 3.2rem; padding-bottom: 2rem; }
[data-testid="stSidebarHeader"] { height: 1rem; min-height: 1rem; padding: 0; }
[data-testid="stMetricValue"] { font-size: 2rem; }
</style>
"""


def show_header() -> None:
    """Style tweaks, the title and one line on what to do."""
    st.html(COMPACT_STYLE)
    st.markdown("## Neural-network playground")
    st.caption("Edit the data, press **Train** and watch a network learn — then ask it about new inputs.")
