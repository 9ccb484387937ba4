"""One entry point for the file formats of a document: HTML (``str``) or PDF (``bytes``).

The terminal form is not here: it needs a rich console, see
:func:`kvsupport.documents.text.render_text`. JSON is the invoice record
itself (``kvsupport.storage.codec.encode_invoice``), the same for an act.
"""

from __future__ import annotations

from kvsupport.core.models import Invoice
from kvsupport.core.text import printable_fields

from .layout import document

__all__ = ["FORMATS", "render"]

FORMATS = ("html", "pdf")
"""The formats :func:`render` writes."""


def render(invoice: Invoice, *, act: bool = False, fmt: str, language: str = "ru") -> bytes | str:
    """``invoice`` (or its act) as HTML text or PDF bytes.

    Raises ``ValueError`` for a format other than ``html`` or ``pdf``, or an
    unknown language.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown document format {fmt!r}; expected one of {', '.join(FORMATS)}")
    doc = printable_fields(document(invoice, act=act, language=language))  # no control characters
    if fmt == "html":
        from .html import render_html

        return render_html(doc)
    from .pdf import render_pdf

    return render_pdf(doc)
