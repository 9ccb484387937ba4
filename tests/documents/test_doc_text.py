"""The terminal form: rich output that reads as plain text off a terminal."""

from __future__ import annotations

import io

from doc_sample import make_invoice
from rich.console import Console

from kvsupport.documents.layout import document
from kvsupport.documents.text import render_text

INVOICE = make_invoice()


def _render(**options: object) -> str:
    out = io.StringIO()
    render_text(document(INVOICE, **options), Console(width=100, color_system=None, file=out))  # type: ignore[arg-type]
    return out.getvalue().replace("\u00a0", " ")


def test_void_act_in_english() -> None:
    text = _render(act=True, language="en")
    assert "Certificate of services rendered No. 2026-0001 of 30 November 2026" in text
    assert "Contractor" in text
    assert "L.S." in text
    void = io.StringIO()
    voided = INVOICE._replace(status="void", void_reason="дубль")
    render_text(document(voided, act=True), Console(width=100, color_system=None, file=void))
    assert "АННУЛИРОВАН: дубль" in void.getvalue()


def test_narrow_terminal_keeps_the_numbers_whole() -> None:
    out = io.StringIO()
    render_text(document(INVOICE, act=False), Console(width=60, color_system=None, file=out))
    text = out.getvalue().replace("\u00a0", " ")
    assert "6 621,67" in text
    assert "1 321,67" in text


def test_plain_when_not_a_terminal() -> None:
    out = io.StringIO()
    render_text(document(INVOICE, act=False), Console(file=out, width=100))
    assert "\x1b[" not in out.getvalue()
    assert "Счёт на оплату № 2026-0001" in out.getvalue()
