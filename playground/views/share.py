"""The Save and share tab: the model's files, and a share link for the setup on the screen.

The link holds the data set (preset parameters, or the edited table when it is small), the chosen
columns, every setting and the slider positions; ``playground.share`` encodes and validates it.
"""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from playground.session import Session
from playground.share import SHARE_PARAM, encode_setup
from playground.text import escape_markdown
from playground.views import keys
from playground.views.transfer import show_model_transfer


def show_save_and_share(session: Session) -> None:
    show_model_transfer(session)
    show_share(session)


def show_share(session: Session) -> None:
    """A button that makes a link for the current setup and shows it ready to copy."""
    st.markdown("#### Share this setup")
    st.caption("The link opens the same data, columns, network, settings and sliders — untrained, same seed.")
    if st.button("Make a share link", key=keys.MAKE_LINK, icon=":material/link:"):
        try:
            encoded = encode_setup(session.shared_setup())
        except ValueError as problem:
            st.error(escape_markdown(str(problem)))
            return
        st.code(_base_url() + "?" + urlencode({SHARE_PARAM: encoded}), language=None, wrap_lines=True)
        st.caption("Copy the link above (the copy button is at its right).")
    message = session.messages.get("link")
    if message is not None:
        st.warning(escape_markdown(message[1]))


def _base_url() -> str:
    url = st.context.url or ""
    return url.split("?", 1)[0]
