"""The payment QR code (issue 13, item 13-14): its text, where it appears, and a decode
of the code drawn in the PDF, read back as a bank app would."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
from doc_sample import SUPPLIER, make_invoice, with_vat

from kvsupport.core.models import Invoice
from kvsupport.documents.html import render_html
from kvsupport.documents.layout import document
from kvsupport.documents.payment import fields, missing_requisites, payload, purpose
from kvsupport.documents.pdf import render_pdf
from kvsupport.documents.qr import svg_document
from toolkit import need

INVOICE = make_invoice()

EXPECTED = (
    "ST00012|Name=ООО «Бонус»|PersonalAcc=40702810938000012345|BankName=ПАО Сбербанк, г. Москва"
    "|BIC=044525225|CorrespAcc=30101810400000000225|PayeeINN=7707083893|KPP=773601001|Sum=662167"
    "|Purpose=Оплата по счёту № 2026-0001 от 30.11.2026 по договору № 15 от 01.02.2017, без НДС"
)

ENTREPRENEUR = {
    **SUPPLIER,
    "name": "ИП Новиков Андрей Сергеевич",
    "inn": "500100732259",
    "kpp": "773601001",  # left over from a company: an entrepreneur's code must not carry it
    "kind": "entrepreneur",
}


def parsed(text: str) -> dict[str, str]:
    """The fields of a payment text, split on its own separator (the 8th character)."""
    assert text.startswith("ST00012")
    separator = text[7]
    return dict(part.split("=", 1) for part in text.split(separator)[1:])


def test_the_text_of_the_fixture() -> None:
    assert payload(INVOICE) == EXPECTED


def test_sum_is_kopecks_as_a_whole_number() -> None:
    assert parsed(EXPECTED)["Sum"] == "662167"
    assert INVOICE.total == Decimal("6621.67")


def test_required_fields_come_first_in_the_standards_order() -> None:
    found = fields(INVOICE)
    assert found is not None
    assert [key for key, _ in found][:5] == ["Name", "PersonalAcc", "BankName", "BIC", "CorrespAcc"]


def test_an_entrepreneur_has_no_kpp_in_the_code() -> None:
    text = payload(INVOICE._replace(supplier=ENTREPRENEUR))
    assert text is not None
    values = parsed(text)
    assert "KPP" not in values
    assert (values["Name"], values["PayeeINN"]) == ("ИП Новиков Андрей Сергеевич", "500100732259")


def test_a_value_holding_the_separator_gets_another_one() -> None:
    supplier = {**SUPPLIER, "name": "ООО «Альфа|Омега»"}
    text = payload(INVOICE._replace(supplier=supplier))
    assert text is not None
    assert text[7] == "#"  # the first candidate after «|» that no value holds
    assert parsed(text)["Name"] == "ООО «Альфа|Омега»"


def test_purpose_with_vat_names_the_rate_and_the_amount() -> None:
    taxed = with_vat(INVOICE, "22")
    assert purpose(taxed) == (
        "Оплата по счёту № 2026-0001 от 30.11.2026 по договору № 15 от 01.02.2017, в т.ч. НДС 22% 1194.07"
    )
    assert taxed.vat_amount == Decimal("1194.07")


def test_purpose_never_passes_160_characters() -> None:
    client = {**INVOICE.client, "contract": "№ " + "очень длинный номер " * 10 + "от 01.02.2017"}
    text = purpose(INVOICE._replace(client=client))
    assert text == "Оплата по счёту № 2026-0001 от 30.11.2026, без НДС"  # the contract dropped, not cut
    long_number = INVOICE._replace(number="Я" * 200)
    assert len(purpose(long_number)) == 160


def test_a_contract_typed_with_its_own_word_is_not_doubled() -> None:
    client = {**INVOICE.client, "contract": "Договор № 7 от 01.03.2020"}
    assert "по договору № 7 от 01.03.2020," in purpose(INVOICE._replace(client=client))


@pytest.mark.parametrize("key", ["name", "account", "bank", "bik", "correspondent_account"])
def test_no_code_without_a_bank_requisite(key: str) -> None:
    supplier = {**SUPPLIER, key: None}
    assert missing_requisites(supplier) == [key]
    bare = INVOICE._replace(supplier=supplier)
    assert payload(bare) is None
    assert document(bare, act=False).payment is None
    assert '<svg class="qr"' not in render_html(document(bare, act=False))


@pytest.mark.parametrize(
    "invoice",
    [
        INVOICE._replace(status="void", void_reason="дубль"),
        INVOICE._replace(status="paid"),
    ],
    ids=["void", "paid"],
)
def test_no_code_on_an_invoice_not_to_be_paid(invoice: Invoice) -> None:
    assert document(invoice, act=False).payment is None


def test_the_act_has_no_code_and_the_invoice_has_one() -> None:
    assert document(INVOICE, act=True).payment is None
    doc = document(INVOICE, act=False)
    assert doc.payment is not None
    assert doc.payment.payload == EXPECTED
    assert doc.payment.caption == "QR-код для оплаты в приложении банка (ГОСТ\u00a0Р\u00a056042-2014)"


def test_the_html_page_carries_the_code_inline_with_its_caption() -> None:
    page = render_html(document(INVOICE, act=False))
    (svg,) = re.findall(r'<svg viewBox="[^"]+" class="qr">.*?</svg>', page)
    assert "xmlns" not in svg  # inline in HTML: no namespace, nothing fetched
    assert "<path" in svg
    assert "QR-код для оплаты в приложении банка" in page
    assert '<svg class="qr"' not in render_html(document(INVOICE, act=True))


def test_the_svg_file_is_well_formed_and_sized_in_millimetres() -> None:
    svg = svg_document(EXPECTED, "Оплата счёта № 2026-0001")
    root = ET.fromstring(svg.encode("utf-8"))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("width") == "40.0mm"
    assert root.findtext("{http://www.w3.org/2000/svg}title") == "Оплата счёта № 2026-0001"


def test_the_pdf_draws_the_code_as_vectors_not_an_image() -> None:
    pdf = render_pdf(document(INVOICE, act=False))
    assert b"/Subtype /Image" not in pdf


def _decode(pdf: bytes, tmp_path: Path) -> str:
    """The QR code on the PDF's first page, as ``zbarimg`` reads it from a 200 dpi scan."""
    need("pdftoppm", package="poppler-utils")
    need("zbarimg", package="zbar-tools")
    (tmp_path / "invoice.pdf").write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "200",
            "-f",
            "1",
            "-l",
            "1",
            str(tmp_path / "invoice.pdf"),
            str(tmp_path / "page"),
        ],
        check=True,
        capture_output=True,
    )
    (png,) = tmp_path.glob("page*.png")
    out = subprocess.run(
        ["zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", str(png)], capture_output=True, check=True
    )
    return out.stdout.decode("utf-8").rstrip("\n")


def test_the_code_in_the_pdf_decodes_to_every_field(tmp_path: Path) -> None:
    decoded = _decode(render_pdf(document(INVOICE, act=False)), tmp_path)
    assert decoded == EXPECTED
    assert parsed(decoded) == {
        "Name": "ООО «Бонус»",
        "PersonalAcc": "40702810938000012345",
        "BankName": "ПАО Сбербанк, г. Москва",
        "BIC": "044525225",
        "CorrespAcc": "30101810400000000225",
        "PayeeINN": "7707083893",
        "KPP": "773601001",
        "Sum": "662167",
        "Purpose": "Оплата по счёту № 2026-0001 от 30.11.2026 по договору № 15 от 01.02.2017, без НДС",
    }


def test_an_entrepreneurs_code_with_vat_decodes_too(tmp_path: Path) -> None:
    invoice = with_vat(INVOICE._replace(supplier=ENTREPRENEUR), "5")
    decoded = _decode(render_pdf(document(invoice, act=False)), tmp_path)
    assert decoded == payload(invoice)
    assert "KPP" not in parsed(decoded)
    assert parsed(decoded)["Purpose"].endswith("в т.ч. НДС 5% 315.32")
