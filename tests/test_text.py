"""Text from strangers: the one-pass check for characters no cell can keep agrees with the two checks it
stands for, on plain ASCII (its fast path) and on any text, lone surrogates included."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from playground.text import has_control_character, has_lone_surrogate, has_unsafe_character, utf8_size

any_character = st.characters(exclude_categories=())  # lone surrogates and control characters too
ascii_character = st.characters(max_codepoint=0x7F)


@given(st.one_of(st.text(ascii_character), st.text(any_character)))
def test_unsafe_is_a_lone_surrogate_or_a_control_character(text: str) -> None:
    assert has_unsafe_character(text) == (has_lone_surrogate(text) or has_control_character(text))


def test_tab_newline_return_and_delete_are_kept_and_nul_is_not() -> None:
    assert not has_unsafe_character("1\t2\n3\r4\x7f ~")
    assert has_unsafe_character("12\x00")
    assert has_unsafe_character("é\x1f")


@given(st.text(any_character))
def test_utf8_size_counts_bytes_as_they_travel(text: str) -> None:
    assert utf8_size(text) == len(text.encode("utf-8", "surrogatepass"))
