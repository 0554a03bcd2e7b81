"""Showing user-supplied text (column names, labels, cells, file names) as plain text, never as markup.

Every string a stranger can choose reaches the page through one of these functions: Streamlit's text
elements render Markdown (links, images, bold). The app's own components write names with
``textContent`` (never as HTML).
"""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=&@])")
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Control characters never typed into a table; tab, newline and carriage return are CSV's own.
_CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_UNSAFE_IN_A_CELL = re.compile(r"[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f]")
_SAFE_ASCII = b"\t\n\r" + bytes(range(0x20, 0x80))  # the ASCII characters _UNSAFE_IN_A_CELL lets pass
# Markdown turns bare addresses into live links even when every special character is escaped
# (GitHub-flavoured autolinks: http://…, www.…, name@host); an invisible word joiner breaks them.
_AUTOLINK = re.compile(r"(?i)(?<=:)(?=//)|(?<=www)(?=\.)|(?<=@)")
_WORD_JOINER = "\u2060"


def encodable(text: object) -> str:
    """``str(text)`` with lone surrogates (which UTF-8 cannot carry to the browser) replaced by '�'."""
    return _LONE_SURROGATE.sub("\ufffd", str(text))


def has_lone_surrogate(text: str) -> bool:
    """True when ``text`` holds half of a UTF-16 pair, which no file or page can carry."""
    return _LONE_SURROGATE.search(text) is not None


def has_control_character(text: str) -> bool:
    """True when ``text`` holds a control character other than tab, newline and carriage return."""
    return _CONTROL_CHARACTER.search(text) is not None


def has_unsafe_character(text: str) -> bool:
    """True when ``text`` holds a lone surrogate or a control character (one search for both; plain
    ASCII, the usual case, by deleting every safe byte, four times faster on a 2 MB table)."""
    if text.isascii():
        return bool(text.encode("ascii").translate(None, _SAFE_ASCII))
    return _UNSAFE_IN_A_CELL.search(text) is not None


def utf8_size(text: str) -> int:
    """How many bytes ``text`` takes on the wire (UTF-8; a lone surrogate counted as its 3 bytes)."""
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


def escape_markdown(text: object) -> str:
    """Text that Streamlit's Markdown shows literally: no bold, links, images, HTML, maths or line breaks."""
    flat = _AUTOLINK.sub(_WORD_JOINER, " ".join(encodable(text).split()))
    return _MARKDOWN_SPECIAL.sub(r"\\\1", flat)


def counted(number: int, noun: str) -> str:
    """'1 row', '2 rows', '5,000 rows'."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"
