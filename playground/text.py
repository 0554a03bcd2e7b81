"""Showing user-supplied text (column names, labels, messages that quote them) as plain text."""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def escape_markdown(text: str) -> str:
    """Text that Streamlit's Markdown shows literally: no bold, links, HTML, maths or line breaks."""
    flat = " ".join(str(text).split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", flat)
