"""1CClientBankExchange statements: read in any encoding banks use, refused naming the line."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from statement_samples import (
    LESNAYA_INN,
    ROMASHKA_ACCOUNT,
    ROMASHKA_INN,
    SUPPLIER_ACCOUNT,
    incoming,
    outgoing,
    statement_text,
)

from kvsupport.core.bankstatement import decode_statement, parse_statement, read_statement
from kvsupport.errors import InvalidValue

PURPOSE = "Оплата по счету N 2026-0001 от 30.11.26г за техподдержку. Без НДС"
TEXT = statement_text(
    incoming("17", "5300.00", PURPOSE),
    outgoing("201", "1500.00"),
    incoming("3", "18026,52", "Оплата по счету N 1024", kind="Банковский ордер", payer_inn=LESNAYA_INN),
)


@pytest.mark.parametrize(
    ("data", "encoding", "declared"),
    [
        (TEXT.encode("cp1251"), "cp1251", "Windows"),
        (statement_text(label="DOS").encode("cp866"), "cp866", "DOS"),
        (b"\xef\xbb\xbf" + statement_text(label="DOS").encode("utf-8"), "utf-8", "DOS"),
        (TEXT.encode("utf-8"), "utf-8", "Windows"),
        (TEXT.encode("cp866"), "cp866", "Windows"),  # says Windows, is DOS
        (statement_text(label="DOS").encode("cp1251"), "cp1251", "DOS"),  # says DOS, is Windows
    ],
    ids=["cp1251", "cp866", "utf-8 BOM before DOS", "utf-8", "cp866 labelled Windows", "cp1251 labelled DOS"],
)
def test_encoding_is_detected_not_trusted(data: bytes, encoding: str, declared: str) -> None:
    statement = read_statement(data)
    assert (statement.encoding, statement.declared_encoding) == (encoding, declared)
    assert statement.header["Отправитель"] == "Бухгалтерия ТБанк"
    assert statement.sections[0].fields["КонечныйОстаток"] == "6300.00"


@pytest.mark.parametrize("codec", ["cp1251", "cp866", "utf-8-sig"])
def test_documents_read_the_same_in_every_encoding(codec: str) -> None:
    statement = read_statement(TEXT.encode(codec))
    assert [(d.kind, d.number, d.amount) for d in statement.documents] == [
        ("Платежное поручение", "17", Decimal("5300.00")),
        ("Платежное поручение", "201", Decimal("1500.00")),
        ("Банковский ордер", "3", Decimal("18026.52")),
    ]
    first = statement.documents[0]
    assert first.purpose == PURPOSE
    assert first.get("ПлательщикИНН") == ROMASHKA_INN
    assert first.get("Плательщик1") == 'ТСЖ "Ромашка"'


def test_header_sections_and_document_values() -> None:
    statement = parse_statement(TEXT)
    assert statement.version == "1.03"
    assert statement.accounts == (SUPPLIER_ACCOUNT,)
    assert [(s.name, s.line) for s in statement.sections] == [("РасчСчет", 13)]
    payment, out, order = statement.documents
    assert payment.line == 22
    assert payment.date == dt.date(2026, 12, 3)
    assert (payment.received, payment.written_off) == (dt.date(2026, 12, 3), None)
    assert (out.received, out.written_off) == (None, dt.date(2026, 12, 3))
    assert payment.get("СтатусСоставителя") == ""
    assert payment.get("НетТакогоКлюча") == ""
    assert order.kind == "Банковский ордер"


def test_unknown_keys_are_kept_and_any_kind_is_accepted() -> None:
    text = statement_text(incoming("1", "10.00", "x", kind="Мемориальный ордер", extra=("НовыйКлюч2027=да",)))
    (document,) = parse_statement(text).documents
    assert (document.kind, document.get("НовыйКлюч2027")) == ("Мемориальный ордер", "да")


def test_repeated_header_accounts_are_all_kept() -> None:
    text = statement_text().replace(
        f"РасчСчет={SUPPLIER_ACCOUNT}\r\nДокумент",
        f"РасчСчет={SUPPLIER_ACCOUNT}\r\nРасчСчет={ROMASHKA_ACCOUNT}\r\nДокумент",
    )
    assert parse_statement(text).accounts == (SUPPLIER_ACCOUNT, ROMASHKA_ACCOUNT)


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("5300.00", "5300.00"),
        ("18026,52", "18026.52"),
        ("1 000,5", "1000.50"),
        ("7", "7.00"),
        (" 12.30 ", "12.30"),
    ],
)
def test_amounts_with_a_dot_or_a_comma(amount: str, expected: str) -> None:
    (document,) = parse_statement(statement_text(incoming("1", amount, "x"))).documents
    assert document.amount == Decimal(expected)
    assert str(document.amount) == expected


@pytest.mark.parametrize(
    ("extra", "purpose"),
    [
        ((), "Оплата по счету № 2026-0001"),
        (("НазначениеПлатежа1=Оплата по счету № 2026-0001",), "Оплата по счету № 2026-0001"),
        (
            ("НазначениеПлатежа1=по счету № 2026-0001", "НазначениеПлатежа2=за ноябрь"),
            "Оплата по счету № 2026-0001 за ноябрь",
        ),
    ],
    ids=["main only", "repeated in 1", "continued in 1 and 2"],
)
def test_purpose_joins_its_numbered_lines_without_repeating_them(
    extra: tuple[str, ...], purpose: str
) -> None:
    main = "Оплата" if len(extra) == 2 else "Оплата по счету № 2026-0001"
    (document,) = parse_statement(statement_text(incoming("1", "1.00", main, extra=extra))).documents
    assert document.purpose == purpose


def test_purpose_only_in_numbered_lines() -> None:
    lines = [line for line in incoming("1", "1.00", "") if not line.startswith("НазначениеПлатежа=")]
    lines[-1:-1] = ["НазначениеПлатежа1=Оплата по сч. 2026-1", "НазначениеПлатежа2=Без НДС"]
    (document,) = parse_statement(statement_text(lines)).documents
    assert document.purpose == "Оплата по сч. 2026-1 Без НДС"


def test_blank_lines_lf_endings_spaces_and_what_follows_the_end_are_tolerated() -> None:
    text = statement_text(incoming("1", "1.00", "x"), newline="\n")
    text = "\n\n" + text.replace("Номер=1\n", "  Номер = 1  \n\n").replace(
        "КонецФайла\n", "КонецФайла\n\x00\x00\n"
    )
    (document,) = parse_statement(text).documents
    assert document.number == "1"


def bad(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


ONE = statement_text(incoming("17", "5300.00", PURPOSE))  # the document begins on line 22


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "not a 1CClientBankExchange file: it is empty"),
        ("Дата;Сумма;Назначение\r\n03.12.2026;5300;x\r\n", "line 1: not a 1CClientBankExchange file"),
        (bad(ONE, "Номер=17", "Номер 17"), "line 23: expected Key=Value, found 'Номер 17'"),
        (bad(ONE, "Сумма=5300.00", "Сумма=5 300 руб."), "line 25: Сумма '5 300 руб.' is not an amount"),
        (bad(ONE, "Сумма=5300.00", "Сумма=-5300.00"), "line 25: Сумма '-5300.00' is not an amount"),
        (bad(ONE, "Сумма=5300.00", "Сумма=5300.001"), "is not an amount"),
        (
            bad(ONE, "Дата=03.12.2026", "Дата=31.11.2026"),
            "line 24: Дата '31.11.2026' is not a date DD.MM.YYYY",
        ),
        (bad(ONE, "Дата=03.12.2026", "Дата=2026-12-03"), "line 24: Дата '2026-12-03' is not a date"),
        (bad(ONE, "ДатаПоступило=03.12.2026", "ДатаПоступило=03.12"), "ДатаПоступило '03.12' is not a date"),
        (bad(ONE, "Сумма=5300.00\r\n", ""), "line 22: the document has no Сумма"),
        (
            bad(ONE, "КонецДокумента", "СекцияДокумент=Платежное поручение"),
            "line 51: the block begun on line 22 is not closed with КонецДокумента",
        ),
        (
            bad(ONE, "КонецРасчСчет", "КонецСчета"),
            "line 21: the block begun on line 13 is not closed with КонецРасчСчет",
        ),
        (ONE[: ONE.index("Очередность")], "the file ends inside the block begun on line 22"),
        (bad(ONE, "КонецФайла", ""), "the file ends without КонецФайла: it is cut off"),
    ],
    ids=[
        "empty",
        "csv",
        "no equals sign",
        "amount with words",
        "negative amount",
        "three decimals",
        "no such day",
        "iso date",
        "short date",
        "no amount",
        "document not closed",
        "section not closed",
        "cut off in a document",
        "no end of file",
    ],
)
def test_a_malformed_statement_names_its_line(text: str, problem: str) -> None:
    with pytest.raises(InvalidValue) as info:
        parse_statement(text)
    assert problem in info.value.message


def test_decode_keeps_the_text_exact() -> None:
    assert decode_statement(TEXT.encode("cp866")) == (TEXT, "cp866")
    assert decode_statement(b"\xef\xbb\xbf" + TEXT.encode()) == (TEXT, "utf-8")
