"""Showing user-supplied text (column names, labels, cells, file names) as plain text, never as markup.

Every string a stranger can choose reaches the page through one of these functions: Streamlit's text
elements render Markdown (links, images, bold). The app's own components write names with
``textContent`` (never as HTML).
"""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=&@])")
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Markdown turns bare addresses into live links even when every special character is escaped
# (GitHub-flavoured autolinks: http://…, www.…, name@host); an invisible word joiner breaks them.
_AUTOLINK = re.compile(r"(?i)(?<=:)(?=//)|(?<=www)(?=\.)|(?<=@)")
_WORD_JOINER = "\u2060"


def encodable(text: object) -> str:
    """``str(text)`` with lone surrogates (which UTF-8 cannot carry to the browser) replaced by '�'."""
    return _LONE_SURROGATE.sub("\ufffd", str(text))


def escape_markdown(text: object) -> str:
    """Text that Streamlit's Markdown shows literally: no bold, links, images, HTML, maths or line breaks."""
    flat = _AUTOLINK.sub(_WORD_JOINER, " ".join(encodable(text).split()))
    return _MARKDOWN_SPECIAL.sub(r"\\\1", flat)


def counted(number: int, noun: str) -> str:
    """'1 row', '2 rows', '5,000 rows'."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"
