"""The text documents' line wrapping: its shortcut for a short cell is textwrap's answer."""

from __future__ import annotations

import textwrap

from hypothesis import given
from hypothesis import strategies as st

from kvsupport.documents.text import _wrap

CHARACTERS = st.sampled_from(list("ab1,.-— \u00a0\u2009\t\n\r\x0b\x0c"))


@given(st.text(CHARACTERS, max_size=20), st.integers(min_value=1, max_value=24))
def test_wrapping_is_textwraps(text: str, width: int) -> None:
    assert _wrap(text, width) == (textwrap.wrap(text, width, break_on_hyphens=False) or [""])


def test_a_no_break_space_never_breaks() -> None:
    assert _wrap("1\u00a0300,00 ₽ за час", 9) == ["1\u00a0300,00", "₽ за час"]
