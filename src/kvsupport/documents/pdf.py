"""The PDF form of an invoice or act: A4 portrait, DejaVu Sans embedded.

fpdf2 is imported inside :func:`render_pdf` (it costs ~120 ms to import,
MEASURED.md). DejaVu Sans is bundled in ``fonts/`` (licence beside it): it has
Cyrillic and «₽», which Liberation Sans lacks. The creation date is derived
from the invoice date, so the same document always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .layout import Appendix, BankDetails, Document, Field, Party, Payment, SignatureBlock, TimeBlock

if TYPE_CHECKING:
    from fpdf import FPDF

__all__ = ["render_pdf"]

FONTS = Path(__file__).with_name("fonts")
_FAMILY = "DejaVu"
_LEFT = 15.0  # mm; the margin on every side
_WIDTH = 180.0  # mm of A4 between the margins
_BLANK = "________________"
_NBSP = "\u00a0"
_GREY = (235, 235, 235)
_LINE = 4.3  # mm per line of 9 pt text
_QR_SIZE = 32.0  # mm, quiet zone included: 0.45 mm modules at the usual 270-byte text


class PageHeads(Protocol):
    """What the page machinery needs of a document (an invoice, an act, a reconciliation act)."""

    @property
    def running_head(self) -> str:
        """What heads each page after the first."""
        ...

    @property
    def page_label(self) -> str:
        """«Страница {page} из {pages}»."""
        ...


def _pdf_class(doc: PageHeads) -> type[FPDF]:
    """An FPDF whose pages after the first are headed by ``doc.running_head`` and
    every page is footed «Страница N из M» (M filled in when the document is done)."""
    from fpdf import FPDF

    class Paged(FPDF):
        def header(self) -> None:
            if self.page_no() == 1:
                return
            _font(self, 8, grey=True)
            self.set_xy(_LEFT, 8)
            self.cell(_WIDTH, 4, doc.running_head, align="L")
            self.set_draw_color(150)
            self.line(_LEFT, 12.5, _LEFT + _WIDTH, 12.5)
            self.set_draw_color(0)
            self.set_text_color(0)
            self.set_xy(_LEFT, _LEFT)

        def footer(self) -> None:
            _font(self, 8, grey=True)
            self.set_xy(_LEFT, -11)
            label = doc.page_label.format(page=self.page_no(), pages=self.str_alias_nb_pages)
            self.cell(_WIDTH, 4, label, align="R")
            self.set_text_color(0)

    return Paged


def render_pdf(doc: Document) -> bytes:
    """``doc`` as a PDF with the same content as the HTML page; same input, same bytes.

    Pages are numbered; a page after the first repeats the document's title (number and
    date) at its top, and a table that runs on repeats its header row.
    """
    pdf = _pdf_class(doc)(orientation="P", unit="mm", format="A4")
    pdf.set_margins(_LEFT, _LEFT, _LEFT)
    pdf.set_auto_page_break(True, margin=_LEFT)
    pdf.add_font(_FAMILY, "", FONTS / "DejaVuSans.ttf")
    pdf.add_font(_FAMILY, "B", FONTS / "DejaVuSans-Bold.ttf")
    pdf.set_creation_date(dt.datetime.combine(doc.issued_on, dt.time(12), tzinfo=dt.UTC))
    pdf.set_title(doc.title)
    pdf.set_subject(doc.period)
    pdf.set_author(doc.supplier.name)
    pdf.set_creator("kvsupport")
    pdf.set_lang(doc.language)
    pdf.add_page()

    if doc.bank is not None:
        _bank(pdf, doc.bank)
        pdf.ln(5)
    _font(pdf, 14, bold=True)
    pdf.multi_cell(_WIDTH, 7, doc.title, new_x="LMARGIN", new_y="NEXT", align="L")
    _font(pdf, 9)
    pdf.multi_cell(_WIDTH, _LINE, doc.period, new_x="LMARGIN", new_y="NEXT", align="L")
    if doc.replaces:
        _font(pdf, 9, bold=True)
        pdf.multi_cell(_WIDTH, _LINE, doc.replaces, new_x="LMARGIN", new_y="NEXT", align="L")
    _rule(pdf, pdf.get_y() + 1.5)
    pdf.ln(4)
    if doc.banner:
        _banner(pdf, doc.banner)
    _font(pdf, 9)
    heading_width = 4 + max(pdf.get_string_width(f"{p.heading}:") for p in (doc.supplier, doc.customer))
    parties_top = pdf.get_y()
    width = _WIDTH - (_QR_SIZE + 5 if doc.payment else 0)
    _party(pdf, doc.supplier, heading_width, width)
    _party(pdf, doc.customer, heading_width, width)
    if doc.payment is not None:
        _payment_code(pdf, doc.payment, parties_top)
    if doc.basis:
        _font(pdf, 9)
        pdf.multi_cell(_WIDTH, _LINE, doc.basis, new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.ln(1)
    pdf.ln(1)
    _items(pdf, doc)
    _totals(pdf, doc.totals)
    pdf.ln(2)
    _font(pdf, 9)
    pdf.multi_cell(_WIDTH, _LINE, doc.summary, new_x="LMARGIN", new_y="NEXT", align="L")
    _font(pdf, 9, bold=True)
    pdf.multi_cell(_WIDTH, _LINE, doc.words, new_x="LMARGIN", new_y="NEXT", align="L")
    if doc.due:
        pdf.ln(1.5)
        pdf.multi_cell(_WIDTH, _LINE, doc.due, new_x="LMARGIN", new_y="NEXT", align="L")
    if doc.statement:
        pdf.ln(3)
        _font(pdf, 9)
        pdf.multi_cell(_WIDTH, _LINE, doc.statement, new_x="LMARGIN", new_y="NEXT", align="L")
    _signatures(pdf, doc.signatures)
    if doc.appendix is not None:
        _appendix(pdf, doc.appendix)
    return bytes(pdf.output())


def _payment_code(pdf: FPDF, payment: Payment, top: float) -> None:
    """The payment QR code at the right of the parties, from ``top``, drawn as filled
    rectangles (vectors: sharp at any zoom, read back from a scan), its caption under
    it; the page goes on below whichever is lower, the parties or the code."""
    from .qr import dark_runs, module_count

    below_parties = pdf.get_y()
    x, module = _LEFT + _WIDTH - _QR_SIZE, _QR_SIZE / module_count(payment.payload)
    pdf.set_fill_color(0)
    for row, column, length in dark_runs(payment.payload):
        pdf.rect(x + column * module, top + row * module, length * module, module, style="F")
    pdf.set_xy(x - 2, top + _QR_SIZE - 1)
    _font(pdf, 6.5, grey=True)
    pdf.multi_cell(_QR_SIZE + 4, 2.8, payment.caption, new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.set_text_color(0)
    pdf.set_xy(_LEFT, max(below_parties, pdf.get_y() + 2))


def _font(pdf: FPDF, size: float, *, bold: bool = False, grey: bool = False) -> None:
    pdf.set_font(_FAMILY, "B" if bold else "", size)
    pdf.set_text_color(80 if grey else 0)


def _rule(pdf: FPDF, y: float) -> None:
    """A bold horizontal line across the page; the thin line width is restored."""
    pdf.set_line_width(0.6)
    pdf.line(_LEFT, y, _LEFT + _WIDTH, y)
    pdf.set_line_width(0.2)


def _value(field: Field) -> str:
    return field.value or _BLANK


def _face(*, bold: bool = False, size: float | None = None, fill: bool = False) -> Any:
    from fpdf.fonts import FontFace

    return FontFace(emphasis="B" if bold else None, size_pt=size, fill_color=_GREY if fill else None)


def _bank(pdf: FPDF, bank: BankDetails) -> None:
    """The payee's bank grid, as at the top of a Russian invoice."""
    from fpdf.enums import CellBordersLayout as Side

    _font(pdf, 9)
    small = _face(size=7)
    upper = Side.LEFT | Side.RIGHT | Side.TOP
    lower = Side.LEFT | Side.RIGHT | Side.BOTTOM
    with pdf.table(
        col_widths=(52, 52, 22, 54),
        width=_WIDTH,
        first_row_as_headings=False,
        line_height=_LINE,
        v_align="TOP",
        text_align="LEFT",
        padding=(0.7, 1.5),
    ) as table:
        row = table.row()
        row.cell(_value(bank.bank), colspan=2, border=upper)
        row.cell(bank.bik.label)
        row.cell(_value(bank.bik))
        row = table.row()
        row.cell(bank.bank.label, colspan=2, style=small, border=lower)
        row.cell(bank.correspondent_account.label)
        row.cell(_value(bank.correspondent_account))
        row = table.row()
        if bank.kpp is None:  # an entrepreneur: no KPP
            row.cell(f"{bank.inn.label} {_value(bank.inn)}", colspan=2)
        else:
            row.cell(f"{bank.inn.label} {_value(bank.inn)}")
            row.cell(f"{bank.kpp.label} {_value(bank.kpp)}")
        row.cell(bank.account.label, rowspan=3)
        row.cell(_value(bank.account), rowspan=3)
        row = table.row()
        row.cell(_value(bank.recipient), colspan=2, border=upper)
        row = table.row()
        row.cell(bank.recipient.label, colspan=2, style=small, border=lower)


def _banner(pdf: FPDF, text: str) -> None:
    _font(pdf, 13, bold=True)
    pdf.set_text_color(176, 0, 0)
    pdf.set_draw_color(176, 0, 0)
    pdf.set_line_width(0.8)
    pdf.multi_cell(_WIDTH, 9, text, border=1, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_line_width(0.2)
    pdf.set_draw_color(0)
    pdf.set_text_color(0)
    pdf.ln(3)


def _party(pdf: FPDF, party: Party, heading_width: float, width: float = _WIDTH) -> None:
    """Heading in a left column; name (bold) and requisites in the right one, the two
    ``width`` wide together."""
    top = pdf.get_y()
    _font(pdf, 9)
    pdf.multi_cell(heading_width - 2, _LINE, f"{party.heading}:", new_x="LMARGIN", new_y="NEXT", align="L")
    bottom = pdf.get_y()
    pdf.set_xy(_LEFT + heading_width, top)
    _font(pdf, 9, bold=True)
    pdf.multi_cell(width - heading_width, _LINE, party.name or _BLANK, new_x="LEFT", new_y="NEXT", align="L")
    _font(pdf, 9)
    for field in party.fields:
        pdf.multi_cell(
            width - heading_width,
            _LINE,
            f"{field.label}: {_value(field)}",
            new_x="LEFT",
            new_y="NEXT",
            align="L",
        )
    pdf.set_xy(_LEFT, max(bottom, pdf.get_y()) + 2)


def _items(pdf: FPDF, doc: Document) -> None:
    """The services table; long descriptions wrap inside their cell; the header row
    repeats on every page the table runs onto."""
    _font(pdf, 9)
    numeric = ("CENTER", "LEFT", "CENTER", "CENTER", "RIGHT")
    aligns = (*numeric, "CENTER", "RIGHT", "RIGHT") if doc.vat_columns else (*numeric, "RIGHT")
    with pdf.table(
        col_widths=_item_widths(pdf, doc),
        width=_WIDTH,
        line_height=_LINE,
        v_align="TOP",
        text_align=aligns,
        headings_style=_face(bold=True, fill=True),
        padding=(0.8, 1.2),
        repeat_headings=1,
    ) as table:
        head = table.row()
        for text in doc.headers:
            head.cell(text, align="CENTER")
        for r in doc.rows:
            table.row(r.cells(doc.vat_columns))


def _item_widths(pdf: FPDF, doc: Document) -> tuple[float, ...]:
    """Narrow columns as wide as their widest text (headings in bold; a heading of two
    words, «Ставка НДС», may take two lines); the description takes the rest."""
    columns = list(zip(doc.headers, *(r.cells(doc.vat_columns) for r in doc.rows), strict=True))
    money = {4, len(columns) - 1}  # prices and sums: at least 18 mm, so the column looks even
    widths: list[float] = []
    for i, (heading, *cells) in enumerate(columns):
        if i == 1:
            widths.append(0.0)
            continue
        _font(pdf, 9, bold=True)
        widest = max(pdf.get_string_width(word) for word in heading.split())
        _font(pdf, 9)
        widest = max([widest, *(pdf.get_string_width(text) for text in cells)])
        widths.append(max(widest + 3, 18.0 if i in money else 7.0))
    widths[1] = _WIDTH - sum(widths)
    return tuple(widths)


def _totals(pdf: FPDF, totals: tuple[Field, ...]) -> None:
    pdf.ln(1.5)
    _font(pdf, 9, bold=True)
    for field in totals:
        pdf.cell(_WIDTH - 30, _LINE + 0.6, field.label, align="R")
        pdf.cell(30, _LINE + 0.6, field.value or "—", align="R", new_x="LMARGIN", new_y="NEXT")


def _signature_lines(pdf: FPDF, block: SignatureBlock, width: float) -> list[tuple[str, bool]]:
    """Lines of one signature block, each with whether it is bold. A title too long to
    share a line with «________ / Петров П. П. /» gets a line of its own."""
    lines: list[tuple[str, bool]] = []
    if block.heading:
        lines.append((block.heading, True))
    if block.organisation:
        lines.append((block.organisation, False))
    _font(pdf, 9)
    for sig in block.signatures:
        name = sig.name or _NBSP * 24
        for blank in (_BLANK, _BLANK[:10]):  # a shorter line for the pen before a line of its own
            line = f"{sig.role} {blank} / {name} /"
            if pdf.get_string_width(line) <= width:
                lines.append((line, False))
                break
        else:
            lines += [(sig.role, False), (f"{_BLANK} / {name} /", False)]
    if block.stamp:
        lines.append((block.stamp, False))
    return lines


def _signatures(pdf: FPDF, blocks: tuple[SignatureBlock, ...]) -> None:
    """Side by side: the invoice's signatures, or the act's two parties."""
    if len(blocks) == 1:
        blocks = tuple(SignatureBlock("", "", (sig,), "") for sig in blocks[0].signatures)
    if pdf.will_page_break(30):
        pdf.add_page()
    pdf.ln(4)
    _rule(pdf, pdf.get_y())
    pdf.ln(4)
    top = pdf.get_y()
    column = _WIDTH / len(blocks)
    bottom = top
    for i, block in enumerate(blocks):
        x = _LEFT + i * column
        pdf.set_xy(x, top)
        for text, bold in _signature_lines(pdf, block, column - 4 - 2 * pdf.c_margin):
            _font(pdf, 9, bold=bold)
            pdf.multi_cell(column - 4, _LINE, text, new_x="LEFT", new_y="NEXT", align="L")
            pdf.set_xy(x, pdf.get_y() + 2.5)
        bottom = max(bottom, pdf.get_y())
    pdf.set_xy(_LEFT, bottom)


def _appendix(pdf: FPDF, appendix: Appendix) -> None:
    """«Приложение: расчёт времени»: one small table of segments per session line."""
    first = appendix.blocks[0] if appendix.blocks else None
    if pdf.will_page_break(16 + (_block_height(first) if first else 0)):
        pdf.add_page()
    else:
        pdf.ln(6)
    _font(pdf, 11, bold=True)
    pdf.multi_cell(_WIDTH, 6, appendix.title, new_x="LMARGIN", new_y="NEXT", align="L")
    if appendix.notes:
        _font(pdf, 8, grey=True)
        pdf.multi_cell(_WIDTH, 4, " ".join(appendix.notes), new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.set_text_color(0)
    for block in appendix.blocks:
        if pdf.will_page_break(_block_height(block)):
            pdf.add_page()
        pdf.ln(2)
        _font(pdf, 9, bold=True)
        pdf.multi_cell(_WIDTH, _LINE, block.heading, new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.ln(1)
        _font(pdf, 8.5)
        with pdf.table(
            col_widths=(42, 42, 36),
            width=120,
            align="LEFT",
            line_height=4.2,
            text_align=("LEFT", "LEFT", "RIGHT"),
            headings_style=_face(bold=True, fill=True),
            padding=(0.6, 2),
        ) as table:
            head = table.row()
            for text in appendix.headers:
                head.cell(text, align="CENTER")
            for r in block.rows:
                table.row((r.start, r.end, r.duration))
        pdf.ln(0.8)
        _font(pdf, 9)
        pdf.multi_cell(_WIDTH, _LINE, block.summary, new_x="LMARGIN", new_y="NEXT", align="L")


def _block_height(block: TimeBlock) -> float:
    """Roughly how tall one appendix block prints, to keep it on one page."""
    heading_lines = 1 + len(block.heading) // 95
    return 3 + heading_lines * _LINE + (len(block.rows) + 1) * 5.4 + _LINE
