"""Who signs, and as whom (issue 13, items 4-7): kinds, titles, «Фамилия И. О.», the contract."""

from __future__ import annotations

import datetime as dt

import pytest
from doc_sample import CLIENT, SUPPLIER, make_invoice

from kvsupport.documents.html import render_html
from kvsupport.documents.layout import NBSP, Document, Field, document, short_name, split_signatory

INVOICE = make_invoice()

ENTREPRENEUR = {
    **SUPPLIER,
    "name": "ИП Новиков Андрей Сергеевич",
    "inn": "500100732259",
    "kpp": None,
    "ogrn": "304500116000157",
    "director": None,
    "accountant": None,
    "kind": "entrepreneur",
}
ENTREPRENEUR_CLIENT = {
    "code": "petrov",
    "name": "ИП Петров Пётр Петрович",
    "inn": "772012345670",
    "ogrn": "304770000012345",
    "address": "г. Москва, ул. Тверская, д. 1",
    "kind": "entrepreneur",
}


def _plain(text: str) -> str:
    return text.replace(NBSP, " ")


def _signatures(doc: Document) -> list[list[tuple[str, str]]]:
    return [[(s.role, _plain(s.name)) for s in block.signatures] for block in doc.signatures]


@pytest.mark.parametrize(
    ("full", "short"),
    [
        ("Иванов Иван Иванович", "Иванов И. И."),
        ("Иванов И. И.", "Иванов И. И."),
        ("Иванов И.И.", "Иванов И. И."),
        ("Иван Иванович Иванов", "Иванов И. И."),  # the name first: the patronymic says so
        ("Сидорова Анна", "Сидорова А."),
        ("Алиев Рустам Гусейн оглы", "Алиев Р. Г."),
        ("Петров", "Петров"),
        ("", ""),
    ],
)
def test_short_name(full: str, short: str) -> None:
    assert _plain(short_name(full)) == short


def test_a_short_name_never_breaks_across_lines() -> None:
    assert short_name("Иванов Иван Иванович") == f"Иванов{NBSP}И.{NBSP}И."


@pytest.mark.parametrize(
    ("text", "title", "name"),
    [
        ("Председатель правления Петров П. П.", "Председатель правления", "Петров П. П."),
        ("Председатель правления Петров П.П.", "Председатель правления", "Петров П. П."),
        ("Генеральный директор Сидоров Сидор Сидорович", "Генеральный директор", "Сидоров Сидор Сидорович"),
        ("Директор Петрова", "Директор", "Петрова"),
        ("Председатель правления, Петров Пётр", "Председатель правления", "Петров Пётр"),
        ("Петров Пётр Петрович", "", "Петров Пётр Петрович"),
        ("", "", ""),
    ],
)
def test_split_signatory(text: str, title: str, name: str) -> None:
    assert split_signatory(text) == (title, name)


def test_the_invoice_is_signed_by_the_head_and_the_chief_accountant_not_the_consultant() -> None:
    assert _signatures(document(INVOICE, act=False)) == [
        [("Руководитель", "Петров П. П."), ("Главный бухгалтер", "Сидорова А. В.")]
    ]
    titled = {**SUPPLIER, "director_title": "Генеральный директор", "director": "Петров Пётр Петрович"}
    assert _signatures(document(INVOICE._replace(supplier=titled), act=False))[0][0] == (
        "Генеральный директор",
        "Петров П. П.",
    )


def test_without_an_accountant_the_line_is_left_blank() -> None:
    supplier = {**SUPPLIER, "accountant": None}
    assert _signatures(document(INVOICE._replace(supplier=supplier), act=False)) == [
        [("Руководитель", "Петров П. П."), ("Бухгалтер", "")]
    ]


def test_the_act_is_signed_by_the_clients_signatory_under_its_title() -> None:
    doc = document(INVOICE, act=True)
    assert _signatures(doc) == [
        [("Руководитель", "Петров П. П.")],
        [("Председатель правления", "Смирнов О. П.")],
    ]
    assert [b.stamp for b in doc.signatures] == ["М.П.", "М.П."]
    unsigned = {**CLIENT, "signatory": None}
    assert _signatures(document(INVOICE._replace(client=unsigned), act=True))[1] == [("Руководитель", "")]


def test_an_entrepreneur_supplier() -> None:
    invoice = INVOICE._replace(supplier=ENTREPRENEUR)
    doc = document(invoice, act=False)
    assert doc.supplier.fields[:2] == (Field("ИНН", "500100732259"), Field("ОГРНИП", "304500116000157"))
    assert doc.bank is not None
    assert doc.bank.kpp is None  # not even a blank to fill in
    # signed by himself, his name taken from «ИП …»; no accountant line of a company
    assert _signatures(doc) == [[("Индивидуальный предприниматель", "Новиков А. С.")]]
    act = document(invoice, act=True)
    assert _signatures(act)[0] == [("Индивидуальный предприниматель", "Новиков А. С.")]
    assert [b.stamp for b in act.signatures] == ["", "М.П."]  # no «М.П.» unless configured
    stamped = document(invoice._replace(supplier={**ENTREPRENEUR, "stamp": True}), act=True)
    assert stamped.signatures[0].stamp == "М.П."
    plain = document(INVOICE._replace(supplier={**SUPPLIER, "stamp": False}), act=True)
    assert plain.signatures[0].stamp == ""
    supplier_part = render_html(doc).split("Покупатель (Заказчик)")[0]  # the bank grid and the supplier
    assert "КПП" not in supplier_part
    assert "Руководитель" not in render_html(doc)


def test_an_entrepreneur_with_an_accountant_has_the_line() -> None:
    supplier = {**ENTREPRENEUR, "director": "Новиков Андрей Сергеевич", "accountant": "Орлова Ольга Олеговна"}
    assert _signatures(document(INVOICE._replace(supplier=supplier), act=False)) == [
        [("Индивидуальный предприниматель", "Новиков А. С."), ("Главный бухгалтер", "Орлова О. О.")]
    ]


def test_an_entrepreneur_customer() -> None:
    doc = document(INVOICE._replace(client=ENTREPRENEUR_CLIENT), act=True)
    labels = [f.label for f in doc.customer.fields]
    assert labels[:2] == ["ИНН", "ОГРНИП"]
    assert "КПП" not in labels
    assert "ИНН/КПП" not in labels
    assert _signatures(doc)[1] == [("Индивидуальный предприниматель", "Петров П. П.")]
    assert doc.signatures[1].stamp == ""


def test_a_record_without_a_kind_is_a_company() -> None:
    old = {k: v for k, v in SUPPLIER.items() if k not in ("kind", "director_title", "accountant", "stamp")}
    doc = document(INVOICE._replace(supplier=old), act=True)
    assert doc.supplier.fields[0] == Field("ИНН/КПП", "7707083893 / 773601001")
    assert doc.signatures[0].stamp == "М.П."


@pytest.mark.parametrize(
    ("contract", "basis"),
    [
        ("№ 15 от 01.02.2017", "Основание: договор № 15 от 01.02.2017"),
        ("договор № 15 от 01.02.2017", "Основание: договор № 15 от 01.02.2017"),
        ("Договор оказания услуг № 3", "Основание: Договор оказания услуг № 3"),
    ],
)
def test_the_contract_is_the_basis_of_invoice_and_act(contract: str, basis: str) -> None:
    invoice = INVOICE._replace(client={**CLIENT, "contract": contract})
    assert document(invoice, act=False).basis == basis
    assert document(invoice, act=True).basis == basis
    assert basis in render_html(document(invoice, act=True))


def test_no_contract_no_basis() -> None:
    assert document(INVOICE._replace(client={**CLIENT, "contract": None}), act=False).basis is None


def test_the_act_has_its_own_date() -> None:
    invoice = INVOICE._replace(date=dt.date(2026, 12, 2), act_date=dt.date(2026, 11, 30))
    assert document(invoice, act=False).title == "Счёт на оплату № 2026-0001 от 2 декабря 2026 г."
    act = document(invoice, act=True)
    assert act.title == "Акт об оказании услуг № 2026-0001 от 30 ноября 2026 г."
    assert act.issued_on == dt.date(2026, 11, 30)
    # an invoice issued before acts had a date of their own: the act was dated with it
    old = document(invoice._replace(act_date=None), act=True)
    assert old.title == "Акт об оказании услуг № 2026-0001 от 2 декабря 2026 г."


def test_a_replacement_says_what_it_replaces() -> None:
    invoice = INVOICE._replace(number="2026-0007", replaces="2026-0002")
    assert document(invoice, act=False).replaces == "Взамен аннулированного счёта № 2026-0002"
    assert document(invoice, act=True).replaces == "Взамен акта № 2026-0002 (счёт аннулирован)"
    assert "Взамен аннулированного счёта № 2026-0002" in render_html(document(invoice, act=False))
    assert document(INVOICE, act=False).replaces is None


def test_continuation_pages_repeat_the_title_and_the_banner() -> None:
    doc = document(INVOICE, act=False)
    assert doc.running_head == doc.title
    assert doc.page_label == "Страница {page} из {pages}"
    void = document(INVOICE._replace(status="void", void_reason="дубль"), act=False)
    assert void.running_head == f"{void.title} — АННУЛИРОВАН: дубль"
