"""Golden files: the fixed invoice as terminal text, HTML, act HTML and JSON.

The expected files live in ``tests/golden/``. After an intended change, run
``KVSUPPORT_UPDATE_GOLDEN=1 pytest tests/documents/test_golden.py``, look at
the diff, and commit it. Trailing spaces (rich pads its lines) are not kept.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from doc_sample import make_invoice
from rich.console import Console

from kvsupport.core.records import invoice_record
from kvsupport.documents.html import render_html
from kvsupport.documents.layout import document
from kvsupport.documents.text import render_text

GOLDEN = Path(__file__).parent.parent / "golden"

INVOICE = make_invoice()


def _normalised(text: str) -> str:
    return "".join(line.rstrip() + "\n" for line in text.splitlines())


def _check(name: str, actual: str) -> None:
    path = GOLDEN / name
    actual = _normalised(actual)
    if os.environ.get("KVSUPPORT_UPDATE_GOLDEN") == "1":
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"{path} is missing: run with KVSUPPORT_UPDATE_GOLDEN=1 to write it"
    assert actual == path.read_text(encoding="utf-8"), f"{name} differs from {path}"


def test_invoice_text() -> None:
    out = io.StringIO()
    render_text(document(INVOICE, act=False), Console(width=100, color_system=None, file=out))
    _check("invoice.txt", out.getvalue())


@pytest.mark.parametrize(("name", "act"), [("invoice.html", False), ("act.html", True)])
def test_html(name: str, act: bool) -> None:
    _check(name, render_html(document(INVOICE, act=act)))


def test_invoice_json() -> None:
    _check("invoice.json", json.dumps(invoice_record(INVOICE), ensure_ascii=False, indent=2))
