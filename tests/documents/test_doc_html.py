"""The HTML page: self-contained, printable, every value escaped."""

from __future__ import annotations

import re

from doc_sample import make_invoice

from kvsupport.documents.html import render_html
from kvsupport.documents.layout import document
from kvsupport.documents.render import render

INVOICE = make_invoice()
HOSTILE = "<script>alert(1)</script> & Co \"Кавычки\" 'апостроф'"


def test_client_name_is_text_not_markup() -> None:
    client = {**INVOICE.client, "name": HOSTILE, "address": "<img src=x onerror=alert(1)>"}
    page = render_html(
        document(INVOICE._replace(client=client, void_reason=HOSTILE, status="void"), act=False)
    )
    assert "<script>" not in page
    assert "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co &quot;Кавычки&quot; &#x27;апостроф&#x27;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_values_in_every_part_are_escaped() -> None:
    supplier = {key: f"<b>{key}</b>" for key in INVOICE.supplier}
    page = render_html(document(INVOICE._replace(supplier=supplier), act=True))
    assert "<b>" not in page
    assert page.count("&lt;b&gt;") >= 8


def test_page_is_a_printable_self_contained_a4() -> None:
    page = render_html(document(INVOICE, act=False))
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="ru">' in page
    assert '<meta charset="utf-8">' in page
    assert "@page { size: A4; margin: 15mm }" in page
    assert "http" not in page  # no fonts, images, scripts or styles from elsewhere
    assert not re.search(r"<(script|link|img|iframe)\b", page)
    assert not re.search(r"\b(src|href)=", page)
    assert '<html lang="en">' in render_html(document(INVOICE, act=False, language="en"))


def test_page_shows_the_money() -> None:
    page = render_html(document(INVOICE, act=False))
    assert "<title>Счёт на оплату № 2026-0001 от 30 ноября 2026 г.</title>" in page
    assert "Без налога (НДС)" in page
    assert "Шесть тысяч шестьсот двадцать один рубль 67 копеек" in page
    for amount in ("1 300,00", "1 321,67", "4 000,00", "6 621,67"):
        assert amount.replace(" ", "\u00a0") in page
    assert "Всего наименований 3, на сумму 6\u00a0621,67 руб." in page
    assert "Оплатить не позднее 05.12.2026" in page
    assert "Приложение: расчёт времени" in page
    assert page.count('class="num"') >= 6  # prices and sums are right-aligned


def test_act_page() -> None:
    page = render_html(document(INVOICE, act=True))
    assert "Акт об оказании услуг № 2026-0001 от 30 ноября 2026 г." in page
    assert "Заказчик претензий по объёму, качеству и срокам оказания услуг не имеет." in page
    assert page.count("М.П.") == 2
    assert "Банк получателя" not in page


def test_missing_requisites_leave_blank_lines() -> None:
    page = render_html(document(INVOICE._replace(supplier={"name": None}), act=False))
    assert "None" not in page
    assert page.count('class="blank"') >= 8


def test_render_dispatches_html() -> None:
    assert render(INVOICE, fmt="html") == render_html(document(INVOICE, act=False))
