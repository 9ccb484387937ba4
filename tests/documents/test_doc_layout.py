"""The view model: every printed string, formatted, in the document's language."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
from doc_sample import line_with, make_invoice

from kvsupport.core.models import Segment
from kvsupport.documents.layout import NBSP, Document, Field, document, format_minutes

INVOICE = make_invoice()


def _plain(text: str) -> str:
    return text.replace(NBSP, " ")


def _all_text(doc: Document) -> str:
    """Every printed string of ``doc``, one per line."""
    parts = [doc.title, doc.period, doc.summary, doc.words]
    parts += [doc.supplier.name, doc.customer.name]
    parts += [f"{f.label}: {f.value}" for f in doc.supplier.fields + doc.customer.fields + doc.totals]
    parts += [r.description for r in doc.rows]
    return _plain("\n".join(parts))


def test_invoice_title_and_period() -> None:
    doc = document(INVOICE, act=False)
    assert doc.title == "Счёт на оплату № 2026-0001 от 30 ноября 2026 г."
    assert doc.period == "за ноябрь 2026 г."
    assert doc.kind == "invoice"
    assert doc.statement is None
    assert doc.banner is None


def test_act_title_statement_and_two_signature_blocks() -> None:
    doc = document(INVOICE, act=True)
    assert doc.title == "Акт об оказании услуг № 2026-0001 от 30 ноября 2026 г."
    assert doc.statement == (
        "Вышеперечисленные услуги выполнены полностью и в срок. "
        "Заказчик претензий по объёму, качеству и срокам оказания услуг не имеет."
    )
    assert [b.heading for b in doc.signatures] == ["Исполнитель", "Заказчик"]
    assert [b.stamp for b in doc.signatures] == ["М.П.", "М.П."]
    assert [b.organisation for b in doc.signatures] == ["ООО «Бонус»", "ТСЖ «Берёзка»"]
    assert doc.bank is None  # the act carries the bank requisites in the supplier block
    labels = [f.label for f in doc.supplier.fields]
    assert labels == ["ИНН/КПП", "ОГРН", "Адрес", "Банк", "БИК", "к/с", "р/с"]


def test_invoice_signatures_name_director_and_chief_accountant() -> None:
    (block,) = document(INVOICE, act=False).signatures
    assert [(s.role, _plain(s.name)) for s in block.signatures] == [
        ("Руководитель", "Петров П. П."),
        ("Главный бухгалтер", "Сидорова А. В."),
    ]


def test_english() -> None:
    doc = document(INVOICE, act=False, language="en")
    assert doc.title == "Invoice No. 2026-0001 of 30 November 2026"
    assert doc.period == "for November 2026"
    assert doc.words == "Six thousand six hundred and twenty-one roubles 67 kopecks"
    assert doc.rows[0].unit == "service"
    assert doc.rows[2].price == "4,000.00"
    assert _plain(doc.rows[1].description).endswith(
        "worked 1 h 01 min, billed 1 h 01 min (rate 1,300.00 ₽/h)"
    )
    act = document(INVOICE, act=True, language="en")
    assert act.title == "Certificate of services rendered No. 2026-0001 of 30 November 2026"


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown language 'de'"):
        document(INVOICE, act=False, language="de")


@pytest.mark.parametrize(
    ("month", "genitive", "nominative"),
    [(1, "января", "январь"), (3, "марта", "март"), (5, "мая", "май"), (8, "августа", "август")],
)
def test_month_names(month: int, genitive: str, nominative: str) -> None:
    changed = INVOICE._replace(date=dt.date(2027, month, 2), period=f"2027-{month:02d}")
    doc = document(changed, act=False)
    assert doc.title.endswith(f"от 2 {genitive} 2027 г.")
    assert doc.period == f"за {nominative} 2027 г."


def test_rows_describe_what_was_done() -> None:
    rows = document(INVOICE, act=False).rows
    assert _plain(rows[1].description) == (
        "Дистанционная техподдержка: прямое подключение к компьютеру, 25.11.2026: "
        "отработано 1 ч 01 мин, к оплате 1 ч 01 мин (тариф 1 300,00 ₽/ч)"
    )
    assert "отработано 44 мин, к оплате 1 ч 00 мин" in _plain(rows[0].description)
    assert rows[2].description == "Подключение к системе дистанционного обслуживания (единоразово)"
    # a duration never splits across lines
    assert f"1{NBSP}ч{NBSP}01{NBSP}мин" in rows[1].description


def test_totals_without_vat() -> None:
    doc = document(INVOICE, act=False)
    assert doc.totals == (
        Field("Итого:", f"6{NBSP}621,67"),
        Field("Без налога (НДС)", ""),
        Field("Всего к оплате:", f"6{NBSP}621,67"),
    )
    assert doc.summary == f"Всего наименований 3, на сумму 6{NBSP}621,67 руб."
    assert doc.words == "Шесть тысяч шестьсот двадцать один рубль 67 копеек"
    assert [f.label for f in document(INVOICE, act=True).totals] == ["Итого:", "Без налога (НДС)"]


def test_words_are_capitalised() -> None:
    doc = document(INVOICE._replace(total_in_words="шесть тысяч рублей 00 копеек"), act=False)
    assert doc.words == "Шесть тысяч рублей 00 копеек"


def test_due_date_on_the_invoice_only() -> None:
    assert document(INVOICE, act=False).due == "Оплатить не позднее 05.12.2026"
    assert document(INVOICE._replace(due_on=None), act=False).due is None
    assert document(INVOICE, act=True).due is None


def test_banners() -> None:
    void = INVOICE._replace(status="void", void_reason="ошибка в реквизитах")
    assert document(void, act=False).banner == "АННУЛИРОВАН: ошибка в реквизитах"
    assert document(void, act=True).banner == "АННУЛИРОВАН: ошибка в реквизитах"
    assert document(INVOICE._replace(status="void"), act=False).banner == "АННУЛИРОВАН"
    paid = INVOICE._replace(status="paid", paid_on=dt.date(2026, 12, 1))
    assert document(paid, act=False).banner == "ОПЛАЧЕН 01.12.2026"
    assert document(paid, act=False, language="en").banner == "PAID 01.12.2026"
    assert document(paid, act=True).banner is None


def test_missing_requisites_print_as_blanks() -> None:
    bare = INVOICE._replace(supplier={}, client={"code": "x", "name": "ТСЖ «Ромашка»", "inn": None})
    doc = document(bare, act=False)
    assert doc.supplier.name == ""
    assert doc.supplier.fields == (Field("ИНН/КПП", ""), Field("Адрес", ""))
    assert doc.customer.fields == (Field("ИНН/КПП", ""), Field("Адрес", ""))
    assert doc.bank is not None
    assert doc.bank.account == Field("Сч. №", "")
    assert [s.name for s in doc.signatures[0].signatures] == ["", ""]
    act = document(bare, act=True)
    assert [f.value for f in act.supplier.fields] == [""] * 6


def test_inn_without_kpp() -> None:
    client = {**INVOICE.client, "inn": "500100732259", "kpp": None}
    doc = document(INVOICE._replace(client=client), act=False)
    assert doc.customer.fields[0] == Field("ИНН", "500100732259")


def test_appendix_lists_segments_in_their_own_offset() -> None:
    appendix = document(INVOICE, act=False).appendix
    assert appendix is not None
    assert appendix.title == "Приложение: расчёт времени"
    first, second = appendix.blocks
    assert first.heading == "1. Дистанционная техподдержка: передача резервной копии по эл. почте, 05.11.2026"
    assert [(r.start, r.end, _plain(r.duration)) for r in second.rows] == [
        ("25.11.2026 14:00", "25.11.2026 14:20", "20 мин"),
        ("25.11.2026 14:25", "25.11.2026 15:06", "41 мин"),
    ]
    assert _plain(first.summary) == "Отработано 44 мин 30 с, к оплате 1 ч 00 мин"
    assert appendix.notes == (
        "Время округляется вверх до минуты, минимальный сеанс — 1 час.",
        "Время местное (UTC+03:00).",
    )


def test_appendix_names_offsets_when_they_differ() -> None:
    utc = dt.UTC
    segment = Segment(
        dt.datetime(2026, 11, 5, 7, 0, tzinfo=utc), dt.datetime(2026, 11, 5, 7, 44, 30, tzinfo=utc)
    )
    lines = (line_with(INVOICE.lines[0], segments=(segment,)), *INVOICE.lines[1:])
    appendix = document(INVOICE._replace(lines=lines), act=False).appendix
    assert appendix is not None
    assert appendix.blocks[0].rows[0].start == "05.11.2026 07:00 (UTC+00:00)"
    assert appendix.blocks[1].rows[0].start == "25.11.2026 14:00 (UTC+03:00)"
    assert not any(note.startswith("Время местное") for note in appendix.notes)


def test_appendix_note_only_states_a_rule_the_lines_follow() -> None:
    """A line billed differently (say a 15-minute step) gets the neutral note."""
    stepped = line_with(INVOICE.lines[1], billable_minutes=75)
    lines = (INVOICE.lines[0], stepped, INVOICE.lines[2])
    appendix = document(INVOICE._replace(lines=lines), act=False).appendix
    assert appendix is not None
    assert appendix.notes[0] == "К оплате — отработанное время, округлённое по условиям тарифа."


def test_no_appendix_without_sessions() -> None:
    assert document(INVOICE._replace(lines=INVOICE.lines[2:]), act=False).appendix is None


@pytest.mark.parametrize(
    ("minutes", "seconds", "ru", "en"),
    [
        (45, 0, "45 мин", "45 min"),
        (60, 0, "1 ч 00 мин", "1 h 00 min"),
        (61, 0, "1 ч 01 мин", "1 h 01 min"),
        (125, 0, "2 ч 05 мин", "2 h 05 min"),
        (44, 30, "44 мин 30 с", "44 min 30 s"),
        (0, 5, "0 мин 05 с", "0 min 05 s"),
    ],
)
def test_format_minutes(minutes: int, seconds: int, ru: str, en: str) -> None:
    assert format_minutes(minutes, "ru", seconds) == ru
    assert format_minutes(minutes, "en", seconds) == en


def test_every_printed_string_is_text() -> None:
    text = _all_text(document(INVOICE, act=False))
    assert "None" not in text
    assert "ИНН/КПП: 5024012340 / 502401001" in text


def test_layout_imports_neither_rich_nor_fpdf() -> None:
    code = (
        "import sys, kvsupport.documents.layout\n"
        "print(sorted(m for m in ('rich', 'fpdf', 'segno') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_no_drawing_library_until_something_is_drawn() -> None:
    """Start-up time (MEASURED.md): fpdf2 and segno come only with a drawing; the payment
    code's text is made without segno."""
    code = (
        "import sys, kvsupport.documents.layout, kvsupport.documents.payment, kvsupport.documents.qr\n"
        "import kvsupport.cli.invoice, kvsupport.cli.config_cmd, kvsupport.cli.client\n"
        "from kvsupport.core.models import Invoice\n"
        "from decimal import Decimal\n"
        "import datetime as dt\n"
        "inv = Invoice('1', dt.date(2026, 11, 30), '2026-11', 'issued', {'code': 'x', 'name': 'X'},\n"
        "    {'name': 'S', 'account': '1', 'bank': 'B', 'bik': '2', 'correspondent_account': '3'},\n"
        "    (), Decimal('1.00'), 'none', Decimal('0.00'), 'один рубль 00 копеек')\n"
        "assert kvsupport.documents.layout.document(inv, act=False).payment is not None\n"
        "print(sorted(m for m in ('fpdf', 'segno') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
