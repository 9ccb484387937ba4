"""The reconciliation act on the terminal (plain text) and as one printable HTML page.

The text form is the supplier's half only (a terminal is for reading it); the
page has both halves, the client's left empty to be filled in, like the PDF
(:mod:`.reconcile_pdf`). Every value of the HTML passes through
:func:`html.escape`. Pieces of the invoice's renderers are reused: the frame,
the boxed table, the parties and the signatures of :mod:`.text`, the parties and
signatures of :mod:`.html`.
"""

from __future__ import annotations

from html import escape

from . import html as invoice_html
from . import text as invoice_text
from .reconcile import ReconciliationDocument

__all__ = ["render_html", "text_lines"]


def text_lines(doc: ReconciliationDocument, width: int = invoice_text.MAX_WIDTH) -> list[str]:
    """The act as lines of plain text at most ``width`` wide."""
    heading = [
        *invoice_text._centred(doc.title, width - 4),
        *invoice_text._centred(doc.period, width - 4),
        *invoice_text._centred(doc.between, width - 4),
    ]
    lines = invoice_text._frame(heading, width, invoice_text.DOUBLE)
    lines += [text for text, _style in invoice_text._parties(doc.supplier, doc.customer, width)]
    lines += ["", *invoice_text._wrap(doc.intro, width), "", *invoice_text._wrap(doc.ours, width)]
    rows = [[r.date, r.document, r.debit, r.credit] for r in doc.rows]
    widths = [max(len(row[i]) for row in [list(doc.headers), *rows]) for i in range(4)]
    borders = 4 + 1 + 2 * 4
    widths[1] = max(12, width - borders - widths[0] - widths[2] - widths[3])
    lines += invoice_text._table(widths, rows, "llrr", header=list(doc.headers))
    lines += ["", *invoice_text._wrap(f"{doc.result_by} {doc.result}", width), ""]
    lines += [text for text, _style in invoice_text._signatures(doc.signatures, width)]
    return lines


_CSS = """
@page { size: A4; margin: 15mm }
* { box-sizing: border-box }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 9pt;
       line-height: 1.25; color: #000; width: 180mm; margin: 0 auto }
@media screen { body { margin: 15mm auto } }
table { border-collapse: collapse; width: 100% }
td, th { vertical-align: top }
h1 { font-size: 14pt; margin: 0; text-align: center }
.period, .between { margin: 1mm 0 0; text-align: center }
.between { padding-bottom: 2mm; border-bottom: 2px solid #000 }
.parties { margin: 3mm 0 }
.parties th { width: 1%; white-space: nowrap; text-align: left; padding: 1mm 4mm 1mm 0; font-weight: normal }
.parties td { padding: 1mm 0 }
.parties .name { font-weight: bold }
.blank { display: inline-block; min-width: 45mm; border-bottom: 1px solid #000 }
.intro { margin: 2mm 0 3mm }
.act th, .act td { border: 1px solid #000; padding: .8mm 1.2mm; font-size: 8pt }
.act th { background: #eee; text-align: center }
.act td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums }
.act td.date { white-space: nowrap }
.act tr.total td { font-weight: bold }
.act tr { break-inside: avoid }
.result { margin: 3mm 0 0 }
.result b { font-weight: bold }
.signs { margin-top: 5mm; border-top: 2px solid #000; padding-top: 4mm }
.signs td { width: 50%; padding-right: 4mm }
.signs p { margin: 0 0 4mm }
.signs .sign { white-space: nowrap }
.signs .head { font-weight: bold; margin-bottom: 1mm }
.line { display: inline-block; width: 20mm; border-bottom: 1px solid #000; margin: 0 1.5mm }
.nameline { display: inline-block; min-width: 25mm; padding: 0 1mm; text-align: center }
"""


def _act_table(doc: ReconciliationDocument) -> str:
    """Our half filled in, the client's half as empty cells of the same rows."""
    widths = ("9%", "33%", "10.5%", "10.5%", "9%", "13%", "7.5%", "7.5%")
    cols = "".join(f'<col style="width:{w}">' for w in widths)
    top = f'<tr><th colspan="4">{escape(doc.ours)}</th><th colspan="4">{escape(doc.theirs)}</th></tr>'
    names = "".join(f"<th>{escape(h)}</th>" for h in doc.headers)
    body = []
    for row in doc.rows:
        if row.total:
            ours = f'<td colspan="2">{escape(row.document)}</td>'
            theirs = f'<td colspan="2">{escape(row.document)}</td>'
        else:
            ours = f'<td class="date">{escape(row.date)}</td><td>{escape(row.document)}</td>'
            theirs = "<td></td><td></td>"
        money = f'<td class="num">{escape(row.debit)}</td><td class="num">{escape(row.credit)}</td>'
        css = ' class="total"' if row.total else ""
        body.append(f"<tr{css}>{ours}{money}{theirs}<td></td><td></td></tr>")
    return (
        f'<table class="act"><colgroup>{cols}</colgroup><thead>{top}<tr>{names}{names}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def render_html(doc: ReconciliationDocument) -> str:
    """``doc`` as one self-contained HTML page, A4 portrait, every value escaped."""
    parties = invoice_html._parties(doc.supplier, doc.customer, None)
    body = [
        f"<h1>{escape(doc.title)}</h1>",
        f'<p class="period">{escape(doc.period)}</p>',
        f'<p class="between">{escape(doc.between)}</p>',
        parties,
        f'<p class="intro">{escape(doc.intro)}</p>',
        _act_table(doc),
        f'<p class="result"><b>{escape(doc.result_by)}</b> {escape(doc.result)}</p>',
        invoice_html._signatures(doc.signatures),
    ]
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(doc.language)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(doc.title)} {escape(doc.period)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
