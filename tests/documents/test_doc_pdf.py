"""The PDF: A4, DejaVu Sans embedded, Cyrillic and «₽» extractable, same bytes each time."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from doc_sample import make_invoice

from kvsupport.documents.layout import document
from kvsupport.documents.pdf import FONTS, render_pdf
from kvsupport.documents.render import render
from toolkit import need

INVOICE = make_invoice()


def _text(pdf: bytes, tmp_path: Path) -> str:
    """The PDF's text as ``pdftotext`` extracts it, no-break spaces made plain."""
    need("pdftotext", package="poppler-utils")
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return " ".join(out.stdout.decode("utf-8").replace("\u00a0", " ").split())


def test_pdf_is_a_pdf_with_embedded_fonts() -> None:
    pdf = render_pdf(document(INVOICE, act=False))
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    assert b"/FontFile2" in pdf
    assert b"DejaVuSans" in pdf
    assert b"/MediaBox [0 0 595.28 841.89]" in pdf  # A4 portrait


def test_same_input_same_bytes() -> None:
    assert render_pdf(document(INVOICE, act=False)) == render_pdf(document(INVOICE, act=False))
    assert render(INVOICE, act=True, fmt="pdf") == render(INVOICE, act=True, fmt="pdf")


def test_invoice_text_is_extractable(tmp_path: Path) -> None:
    text = _text(render_pdf(document(INVOICE, act=False)), tmp_path)
    for expected in (
        "Счёт на оплату № 2026-0001 от 30 ноября 2026 г.",
        "6 621,67",
        "1 321,67",
        "₽/ч",
        "Шесть тысяч шестьсот двадцать один рубль 67 копеек",
        "Без налога (НДС)",
        "Всего наименований 3, на сумму 6 621,67 руб.",
        "Оплатить не позднее 05.12.2026",
        "ТСЖ «Берёзка»",
        "40702810938000012345",
        "Приложение: расчёт времени",
    ):
        assert expected in text


def test_act_text_is_extractable(tmp_path: Path) -> None:
    text = _text(render_pdf(document(INVOICE, act=True)), tmp_path)
    assert "Акт об оказании услуг № 2026-0001 от 30 ноября 2026 г." in text
    assert "Заказчик претензий по объёму, качеству и срокам оказания услуг не имеет." in text
    assert text.count("М.П.") == 2


def test_long_and_missing_values_do_not_break_the_pdf(tmp_path: Path) -> None:
    long_name = "ТСЖ «" + "Очень длинное название " * 8 + "»"
    inv = INVOICE._replace(supplier={}, client={"code": "x", "name": long_name}, lines=INVOICE.lines * 10)
    text = _text(render_pdf(document(inv, act=True, language="en")), tmp_path)
    assert "Очень длинное название" in text
    assert "None" not in text


def test_fonts_ship_with_their_licence() -> None:
    assert (FONTS / "DejaVuSans.ttf").is_file()
    assert (FONTS / "DejaVuSans-Bold.ttf").is_file()
    assert "Bitstream" in (FONTS / "LICENSE-DejaVu.txt").read_text(encoding="utf-8")


def test_render_refuses_an_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown document format 'docx'"):
        render(INVOICE, fmt="docx")


def _pages(pdf: bytes, tmp_path: Path) -> list[str]:
    """The text of each page (``pdftotext`` puts a form feed between pages)."""
    text = _text_raw(pdf, tmp_path)
    return [" ".join(page.split()) for page in text.split("\f") if page.strip()]


def _text_raw(pdf: bytes, tmp_path: Path) -> str:
    need("pdftotext", package="poppler-utils")
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8").replace("\u00a0", " ")


def test_pages_are_numbered_and_continuation_pages_say_whose_they_are(tmp_path: Path) -> None:
    forty = INVOICE._replace(lines=INVOICE.lines[:2] * 20)
    pages = _pages(render_pdf(document(forty, act=False)), tmp_path)
    count = len(pages)
    assert count >= 3
    title = "Счёт на оплату № 2026-0001 от 30 ноября 2026 г."
    for number, page in enumerate(pages, 1):
        assert f"Страница {number} из {count}" in page
        if number > 1:
            assert page.startswith(title), page[:80]
    with_rows = [page for page in pages if "единоразово" in page or "₽/ч)" in page]
    assert len(with_rows) >= 2  # the table runs onto a second page…
    for page in with_rows:
        assert "Наименование работ, услуг" in page  # …and its header row repeats there


def test_a_void_documents_continuation_pages_say_it_is_void(tmp_path: Path) -> None:
    void = INVOICE._replace(lines=INVOICE.lines * 12, status="void", void_reason="дубль")
    pages = _pages(render_pdf(document(void, act=True)), tmp_path)
    assert len(pages) > 1
    assert pages[1].startswith("Акт об оказании услуг № 2026-0001 от 30 ноября 2026 г. — АННУЛИРОВАН: дубль")


def test_a_single_page_says_so(tmp_path: Path) -> None:
    (page,) = _pages(render_pdf(document(INVOICE._replace(lines=INVOICE.lines[:1]), act=False)), tmp_path)
    assert "Страница 1 из 1" in page
