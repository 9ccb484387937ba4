"""The PDF form of a reconciliation act: A4 portrait, the invoice's fonts and page machinery.

Pages are numbered and a page after the first is headed with the act's title,
period and client (:func:`.pdf._pdf_class`); the table's two header rows repeat
on every page it runs onto. The creation date is the period's last day, so the
same act always gives the same bytes. fpdf2 is imported inside
:func:`render_pdf`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from . import pdf as invoice_pdf
from .pdf import _FAMILY, _LEFT, _LINE, _WIDTH, FONTS, _face, _font, _party, _rule, _signatures
from .reconcile import ReconciliationDocument

if TYPE_CHECKING:
    from fpdf import FPDF

__all__ = ["render_pdf"]


def render_pdf(doc: ReconciliationDocument) -> bytes:
    """``doc`` as a PDF with the content of the HTML page; same input, same bytes."""
    pdf = invoice_pdf._pdf_class(doc)(orientation="P", unit="mm", format="A4")
    pdf.set_margins(_LEFT, _LEFT, _LEFT)
    pdf.set_auto_page_break(True, margin=_LEFT)
    pdf.add_font(_FAMILY, "", FONTS / "DejaVuSans.ttf")
    pdf.add_font(_FAMILY, "B", FONTS / "DejaVuSans-Bold.ttf")
    pdf.set_creation_date(dt.datetime.combine(doc.issued_on, dt.time(12), tzinfo=dt.UTC))
    pdf.set_title(f"{doc.title} {doc.period}")
    pdf.set_subject(doc.between)
    pdf.set_author(doc.supplier.name)
    pdf.set_creator("kvsupport")
    pdf.set_lang(doc.language)
    pdf.add_page()

    _font(pdf, 14, bold=True)
    pdf.multi_cell(_WIDTH, 7, doc.title, new_x="LMARGIN", new_y="NEXT", align="C")
    _font(pdf, 9)
    for text in (doc.period, doc.between):
        pdf.multi_cell(_WIDTH, _LINE, text, new_x="LMARGIN", new_y="NEXT", align="C")
    _rule(pdf, pdf.get_y() + 1.5)
    pdf.ln(4)
    _font(pdf, 9)
    heading_width = 4 + max(pdf.get_string_width(f"{p.heading}:") for p in (doc.supplier, doc.customer))
    _party(pdf, doc.supplier, heading_width)
    _party(pdf, doc.customer, heading_width)
    _font(pdf, 9)
    pdf.multi_cell(_WIDTH, _LINE, doc.intro, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.ln(2)
    _table(pdf, doc)
    if pdf.will_page_break(3 + 4 * _LINE + 34):  # the result stays with the signatures under it
        pdf.add_page()
    else:
        pdf.ln(3)
    _font(pdf, 9, bold=True)
    pdf.multi_cell(_WIDTH, _LINE, doc.result_by, new_x="LMARGIN", new_y="NEXT", align="L")
    _font(pdf, 9)
    pdf.multi_cell(_WIDTH, _LINE, doc.result, new_x="LMARGIN", new_y="NEXT", align="L")
    _signatures(pdf, doc.signatures)
    return bytes(pdf.output())


def _table(pdf: FPDF, doc: ReconciliationDocument) -> None:
    """Both halves: ours filled in, the client's empty; balance and turnover rows bold, their
    label across the date and document columns."""
    _font(pdf, 8)
    bold = _face(bold=True)
    with pdf.table(
        col_widths=_widths(pdf, doc),
        width=_WIDTH,
        line_height=3.8,
        v_align="TOP",
        text_align=("LEFT", "LEFT", "RIGHT", "RIGHT", "LEFT", "LEFT", "RIGHT", "RIGHT"),
        headings_style=_face(bold=True, fill=True),
        num_heading_rows=2,
        repeat_headings=1,
        padding=(0.8, 1.0),
    ) as table:
        top = table.row()
        top.cell(doc.ours, colspan=4, align="CENTER")
        top.cell(doc.theirs, colspan=4, align="CENTER")
        names = table.row()
        for _half in range(2):
            for heading in doc.headers:
                names.cell(heading, align="CENTER")
        for item in doc.rows:
            row = table.row()
            if item.total:
                row.cell(item.document, colspan=2, style=bold)
                row.cell(item.debit, style=bold)
                row.cell(item.credit, style=bold)
                row.cell(item.document, colspan=2, style=bold)
            else:
                for text in (item.date, item.document, item.debit, item.credit, "", ""):
                    row.cell(text)
            row.cell("")
            row.cell("")


def _widths(pdf: FPDF, doc: ReconciliationDocument) -> tuple[float, ...]:
    """Each column as wide as its heading and its widest text (headings and totals in bold);
    the client's half as narrow as its headings and the balance labels allow (its sums at
    least 14 mm, for a hand); our document column takes the rest."""
    pad = 3.0
    _font(pdf, 8, bold=True)
    heads = [pdf.get_string_width(text) + pad for text in doc.headers]
    labels = max(pdf.get_string_width(row.document) + pad for row in doc.rows if row.total)
    sums = max(pdf.get_string_width(text) + pad for row in doc.rows for text in (row.debit, row.credit))
    date = max(heads[0], pdf.get_string_width("00.00.0000") + pad)
    money = max(18.0, heads[2], heads[3], sums)
    their_money = max(14.0, heads[2], heads[3])
    their_date = max(14.0, heads[0])
    their_document = max(heads[1], labels - their_date)
    _font(pdf, 8)
    document = _WIDTH - date - 2 * money - their_date - their_document - 2 * their_money
    return (date, document, money, money, their_date, their_document, their_money, their_money)
