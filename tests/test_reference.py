"""docs/cli.md is generated from the app: it fails here when it is stale."""

from __future__ import annotations

from pathlib import Path

from kvsupport.cli.reference import render_reference

DOC = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


def test_cli_reference_is_current() -> None:
    expected = render_reference()
    assert DOC.read_text("utf-8") == expected, (
        "docs/cli.md is stale: run `python -m kvsupport.cli.reference > docs/cli.md`"
    )


def test_every_command_has_an_example_in_its_help() -> None:
    text = render_reference()
    sections = [s for s in text.split("\n#") if s.startswith("### ") or s.startswith("#### ")]
    leaves = [s for s in sections if "Commands:" not in s]
    assert leaves
    missing = [s.splitlines()[0] for s in leaves if "Example:" not in s]
    assert missing == []
