"""The Russian catalogue is whole and in step with the code (issue 11).

``tools/catalogue.py check`` is the same check from the command line: every msgid of
the sources and of the command line's help has a Russian translation, no entry is
fuzzy, placeholders are the same in English and Russian, no translation is left for
a text the code no longer has, and the shipped ``.mo`` is compiled from the ``.po``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

TOOLS = Path(__file__).resolve().parent.parent / "tools"


@pytest.fixture(scope="module")
def catalogue() -> object:
    pytest.importorskip("babel")
    sys.path.insert(0, str(TOOLS))
    try:
        import catalogue as module
    finally:
        sys.path.remove(str(TOOLS))
    return module


def test_every_message_has_a_russian_translation_and_the_mo_is_current(catalogue: object) -> None:
    problems = catalogue.problems()  # type: ignore[attr-defined]
    assert problems == [], "\n".join(problems[:40])


def test_the_check_can_fail(catalogue: object, monkeypatch: pytest.MonkeyPatch) -> None:
    """A msgid the catalogue lacks is named (the check above is not empty by accident)."""
    real = catalogue._code_messages  # type: ignore[attr-defined]

    def with_one_more() -> object:
        yield from real()
        yield "src/kvsupport/nowhere.py", 1, "a text nobody translated {name}", None

    monkeypatch.setattr(catalogue, "_code_messages", with_one_more)
    problems = catalogue.problems()  # type: ignore[attr-defined]
    assert problems == [
        "not in the catalogue: 'a text nobody translated {name}' (src/kvsupport/nowhere.py:1)"
    ]
