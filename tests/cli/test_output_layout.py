"""The JSON and CSV layouts of listings: one record per line, whatever the values hold."""

from __future__ import annotations

import contextlib
import csv
import io
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kvsupport.cli import output
from kvsupport.core.spreadsheet import formula_safe
from kvsupport.core.text import printable

TRICKY = ['}, {"id": 1', '"}, {"id": ', "\\", '\\"}, {"id": ', "Ромашка «ТСЖ»", "a\nb", "\r", "a\r\nb", ""]
texts = st.one_of(st.sampled_from(TRICKY), st.text(max_size=30))
flat_rows = st.lists(
    st.builds(
        lambda id_, note, ok, client: {"id": id_, "note": note, "ok": ok, "client": client},
        st.integers(0, 10**6),
        st.none() | texts,
        st.booleans(),
        texts,
    ),
    max_size=40,
)


def _printed(rows: list[dict[str, Any]], fmt: str, fields: list[str] | None = None, batch: int = 1000) -> str:
    saved, output._BATCH = output._BATCH, batch
    buffer = io.StringIO()
    try:
        with contextlib.redirect_stdout(buffer):
            output.stream_rows(iter(rows), fmt, fields)
    finally:
        output._BATCH = saved
    return buffer.getvalue()


@settings(max_examples=200, deadline=None)
@given(rows=flat_rows, batch=st.integers(1, 7))
def test_json_listing_is_the_rows_one_per_line(rows: list[dict[str, Any]], batch: int) -> None:
    text = _printed(rows, "json", batch=batch)
    assert json.loads(text) == rows
    lines = text.split("\n")[:-1]  # not splitlines(): U+0085 and U+2028 stay raw in JSON text
    assert len(lines) == (1 if not rows else len(rows) + 2)
    for line, row in zip(lines[1:-1], rows, strict=False):
        assert json.loads(line.strip().rstrip(",")) == row


def test_rows_with_nested_records_stay_the_same_json() -> None:
    # (a nested record that starts with the records' first key may start a line too)
    rows: list[dict[str, Any]] = [
        {"id": 1, "segments": [{"id": 9, "start": "10:00"}, {"id": 10, "start": "11:00"}]},
        {"other": "first key differs"},
        {"id": 3, "segments": []},
    ]
    assert json.loads(_printed(rows, "json")) == rows


@settings(max_examples=100, deadline=None)
@given(rows=flat_rows)
def test_csv_listing_has_a_header_and_yes_no_and_empty_cells(rows: list[dict[str, Any]]) -> None:
    text = _printed(rows, "csv", ["id", "client", "ok", "note", "missing"])
    back = list(csv.reader(io.StringIO(text, newline="")))
    assert back[0] == ["id", "client", "ok", "note", "missing"]
    expected = [
        [str(r["id"]), _cell(r["client"]), "yes" if r["ok"] else "no", _cell(r["note"] or ""), ""]
        for r in rows
    ]
    assert back[1:] == expected


def _cell(text: str) -> str:
    """A text cell as CSV writes it: quoted against spreadsheet formulas, no control characters
    but newline and tab (issue 9 B14, B17)."""
    return printable(formula_safe(text))
