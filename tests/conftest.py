"""Shared test setup: the repository root importable without installing the project, and reproducible
Hypothesis runs (the same examples on every machine and every run, no example database)."""

import os
import sys
from pathlib import Path

from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", derandomize=False, max_examples=2000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def tutorial_prepared_data():
    """The tutorial's four people as validated arrays, exactly as the app's table gives them."""
    from playground.presets import TUTORIAL, load_source, table_from_dataset
    from playground.table import check_table, default_target, input_choices

    table = table_from_dataset(load_source(TUTORIAL, 4, 0.0, 0))
    target = default_target(table)
    return check_table(table, input_choices(table, target), target).data


def unpacked(text: str, dtype: str = "<f8") -> list[float]:
    """The numbers a picture frame carries packed (base64 of little-endian floats)."""
    import base64

    import numpy as np

    return np.frombuffer(base64.b64decode(text), dtype=dtype).tolist()


def open_tab(at, name: str):
    """Open a tab of the page in an AppTest (which cannot click tabs): the intent a click on the tab
    sends, then a run of the page."""
    from playground.session import Session
    from playground.views import keys

    at.session_state[keys.STATE].apply(Session.set_view, "page_tab", name)
    return at.run()


def pytest_runtest_setup(item) -> None:
    """Each test's sessions start on a server of their own: the record of who trained and how much
    each session took of the server (one object per process, ``st.cache_resource``) starts empty, so a
    session of an earlier test never counts as another user of the server."""
    if "streamlit" in sys.modules:
        from playground.views.server_share import training_sessions

        training_sessions.clear()
