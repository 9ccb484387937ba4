"""Documents an accountant accepts, through the installed ``kvsupport`` (issue 13; issue 12, item 6).

Every date is fixed (October and November 2026) and every ``invoice`` run passes
``--date``: nothing depends on the clock. The supplier's config is written once, by one
``config set`` of all its keys (item 15), and copied per test.
"""

from __future__ import annotations

import os
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from cli_testkit import Result, Runner, assert_refused, install_ledger, snapshot

from conftest import ROMASHKA, build_ledger
from toolkit import need

SUPPLIER = {
    "timezone": "Europe/Moscow",
    "supplier.name": "ООО «Бонус»",
    "supplier.inn": "7707083893",
    "supplier.kpp": "773601001",
    "supplier.ogrn": "1027700132195",
    "supplier.address": "117997, г. Москва, ул. Вавилова, д. 19",
    "supplier.bank": "ПАО Сбербанк, г. Москва",
    "supplier.bik": "044525225",
    "supplier.correspondent_account": "30101810400000000225",
    "supplier.account": "40702810938000012345",
    "supplier.director": "Петров Пётр Петрович",
    "supplier.director_title": "Генеральный директор",
    "supplier.accountant": "Сидорова Анна Викторовна",
}
#: another bank: Альфа-Банк's BIK, its correspondent account, an account whose control key fits
NEW_BANK = {
    "supplier.bik": "044525593",
    "supplier.account": "40702810801300012345",
    "supplier.correspondent_account": "30101810200000000593",
}
ENTREPRENEUR = (
    ("supplier.kind", "entrepreneur"),
    ("supplier.name", "ИП Новиков Андрей Сергеевич"),
    ("supplier.inn", "500100732259"),
    ("supplier.kpp", ""),
    ("supplier.ogrn", "304500116000157"),
    ("supplier.director", ""),
    ("supplier.director_title", ""),
    ("supplier.accountant", ""),
)
BACKUP = ("--problem", "не считает пени", "--consent", "письмо от 01.10.2026")
ISSUE = ("invoice", "--month", "2026-10", "--date", "2026-11-02")
BEREZKA = (
    "client",
    "add",
    "berezka",
    "--name",
    "ТСЖ «Берёзка»",
    "--inn",
    "5024012340",
    "--kpp",
    "502401001",
    "--address",
    "г. Красногорск, ул. Ленина, д. 5",
    "--phone",
    "+7 495 123-45-67",
    "--signatory",
    "Председатель правления Смирнов Олег Петрович",
    "--contract",
    "№ 15 от 01.02.2017",
)
OCTOBER = (
    BEREZKA,
    ("session", "add", "berezka", "backup", "--start", "2026-10-05 10:00", "--duration", "45m", *BACKUP),
    ("session", "add", "berezka", "backup", "--start", "2026-10-28 10:00", "--duration", "61m", *BACKUP),
)


def ok(result: Result) -> Result:
    assert result.code == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


def plain(text: str) -> str:
    return text.replace("\xa0", " ")


@pytest.fixture(scope="session")
def supplier_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The supplier's config, written by one ``config set`` of thirteen keys."""
    where = tmp_path_factory.mktemp("documents-supplier")
    pairs = [part for item in SUPPLIER.items() for part in item]
    build_ledger(where, b"", ("config", "set", *pairs))
    return (where / "config.toml").read_bytes()


@pytest.fixture(scope="session")
def october_ledger(tmp_path_factory: pytest.TempPathFactory, supplier_bytes: bytes) -> Path:
    """``berezka`` (signatory, contract) with two October sessions, the last on 28.10."""
    return build_ledger(tmp_path_factory.mktemp("documents-october"), supplier_bytes, *OCTOBER)


@pytest.fixture
def config(isolated_files: Path, supplier_bytes: bytes) -> Path:
    path = Path(os.environ["KVSUPPORT_CONFIG"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(supplier_bytes)
    return path


@pytest.fixture
def october(config: Path, october_ledger: Path, ledger_dir: Path) -> list[Path]:
    """This test's ledger (a copy of ``october_ledger``) and config: what a refusal must leave."""
    install_ledger(october_ledger, ledger_dir)
    return [ledger_dir, config]


def issue(run: Runner, *extra: str) -> list[dict[str, Any]]:
    invoices: list[dict[str, Any]] = ok(run(*ISSUE, "--format", "json", *extra)).json()
    return invoices


# ------------------------------------------------------------------ dates (items 1-3)


def test_the_act_is_dated_the_last_day_of_the_month(run: Runner, october: list[Path]) -> None:
    (invoice,) = issue(run)
    assert (invoice["date"], invoice["act_date"]) == ("2026-11-02", "2026-10-31")
    act = plain(ok(run("invoice", "show", "2026-0001", "--act")).stdout)
    assert "Акт об оказании услуг № 2026-0001 от 31 октября 2026 г." in act
    assert "Счёт на оплату № 2026-0001 от 2 ноября 2026 г." in plain(
        ok(run("invoice", "show", "2026-0001")).stdout
    )


def test_an_act_date_before_the_last_session_is_refused_naming_it(run: Runner, october: list[Path]) -> None:
    before = snapshot(*october)
    result = run(*ISSUE, "--act-date", "2026-10-27")
    assert_refused(result, 2, "act date 2026-10-27", "session 2", "2026-10-28")
    assert snapshot(*october) == before
    (invoice,) = issue(run, "--act-date", "2026-11-01")
    assert invoice["act_date"] == "2026-11-01"
    assert invoice["number"] == "2026-0001"  # the refusal spent no number


def test_an_invoice_date_before_the_last_session_is_refused(run: Runner, october: list[Path]) -> None:
    before = snapshot(*october)
    result = run("invoice", "--month", "2026-10", "--date", "2026-10-01")
    assert_refused(result, 2, "invoice date 2026-10-01", "session 2", "2026-10-28")
    assert snapshot(*october) == before


# ------------------------------------------------------------ the JSON (items 3, 9)


def test_the_json_gains_currency_schema_and_per_line_unit_price_vat(run: Runner, october: list[Path]) -> None:
    (invoice,) = issue(run)
    assert (invoice["currency"], invoice["schema"], invoice["replaces"]) == ("RUB", 3, None)
    for line in invoice["lines"]:
        assert (line["quantity"], line["unit"], line["unit_code"]) == (1, "усл. ед.", "876")
        assert line["price"] == line["amount"]
        assert (line["vat_rate"], line["vat_amount"]) == (None, "0.00")
    assert [line["amount"] for line in invoice["lines"]] == ["1300.00", "1321.67"]


# ------------------------------------------------------- who signs (items 4-7)


def test_signatories_titles_short_names_and_the_contract(run: Runner, october: list[Path]) -> None:
    issue(run)
    text = plain(ok(run("invoice", "show", "2026-0001")).stdout)
    assert "Генеральный директор ________________ / Петров П. П. /" in text
    assert "Главный бухгалтер ________________ / Сидорова А. В. /" in text
    assert "Основание: договор № 15 от 01.02.2017" in text
    assert "Без налога (НДС)" in text
    act = plain(ok(run("invoice", "show", "2026-0001", "--act")).stdout)
    # a title too long for its column has a line of its own, the signature under it
    assert re.search(r"Председатель правления\n.*________________ / Смирнов О\. П\. /", act), act
    assert "Основание: договор № 15 от 01.02.2017" in act
    assert act.count("М.П.") == 2


def test_an_entrepreneur_supplier_in_one_config_set(run: Runner, october: list[Path]) -> None:
    # the kind alone is refused: the company's KPP and 10-digit INN do not fit it
    assert_refused(run("config", "set", "supplier.kind", "entrepreneur"), 2, "supplier.inn")
    pairs = [part for item in ENTREPRENEUR for part in item]
    set_all = ok(run("config", "set", *pairs, *(x for kv in NEW_BANK.items() for x in kv)))
    assert "removed supplier.kpp" in set_all.stderr
    issue(run)
    text = plain(ok(run("invoice", "show", "2026-0001")).stdout)
    assert "ОГРНИП: 304500116000157" in text
    assert "КПП" not in text.split("Покупатель")[0]  # none in the bank grid or the supplier's block
    assert "Индивидуальный предприниматель ________________ / Новиков А. С. /" in text
    assert "Руководитель" not in text
    assert "Бухгалтер" not in text
    act = plain(ok(run("invoice", "show", "2026-0001", "--act")).stdout)
    assert act.count("М.П.") == 1  # the customer's; an entrepreneur has none unless configured
    ok(run("config", "set", "supplier.stamp", "yes"))
    assert plain(ok(run("invoice", "show", "2026-0001", "--act")).stdout).count("М.П.") == 1  # frozen
    (record,) = [ok(run("invoice", "show", "2026-0001", "--format", "json")).json()]
    assert (record["supplier"]["kind"], record["supplier"]["kpp"]) == ("entrepreneur", None)


def test_an_entrepreneur_client(run: Runner, october: list[Path]) -> None:
    base = ("client", "add", "petrov", "--name", "ИП Петров Пётр Петрович", "--kind", "entrepreneur")
    assert_refused(run(*base, "--inn", "7707083893"), 2, "--inn", "12 digits")
    assert_refused(run(*base, "--inn", "772012345670", "--kpp", "773601001"), 2, "KPP")
    assert_refused(run(*base, "--ogrn", "1027700132195"), 2, "--ogrn", "15 digits")
    ok(
        run(
            *base,
            "--inn",
            "772012345670",
            "--address",
            "г. Москва, ул. Тверская, д. 1",
            "--phone",
            "+74950000001",
        )
    )
    shown = ok(run("client", "show", "petrov", "--format", "json")).json()
    assert (shown["kind"], shown["signatory"], shown["contract"]) == ("entrepreneur", None, None)
    assert_refused(run("client", "edit", "berezka", "--kind", "entrepreneur"), 2, "--inn")
    ok(run("session", "add", "petrov", "backup", "--start", "2026-10-06 10:00", "--duration", "1h", *BACKUP))
    issue(run, "--client", "petrov")
    act = plain(ok(run("invoice", "show", "2026-0001", "--act")).stdout)
    assert re.search(r"Индивидуальный предприниматель\n.*________________ / Петров П\. П\. /", act), act
    assert act.count("М.П.") == 1  # the supplier's only
    ok(run("client", "edit", "petrov", "--signatory", "Петров П. П.", "--contract", "договор № 3"))
    assert ok(run("client", "show", "petrov", "--format", "json")).json()["contract"] == "договор № 3"


# ---------------------------------------------------- the replacement (item 12)


def test_a_replacement_invoice_says_which_it_replaces(run: Runner, october: list[Path]) -> None:
    issue(run)
    ok(run("invoice", "void", "2026-0001", "--reason", "ошибка в реквизитах"))
    (second,) = issue(run)
    assert (second["number"], second["replaces"]) == ("2026-0002", "2026-0001")
    assert "Взамен аннулированного счёта № 2026-0001" in plain(ok(run("invoice", "show", "2026-0002")).stdout)
    ok(run("invoice", "void", "2026-0002", "--reason", "опять"))
    (third,) = issue(run)
    assert third["replaces"] == "2026-0002"  # the latest void, not one already replaced
    ok(run("session", "add", "berezka", "backup", "--start", "2026-10-29 10:00", "--duration", "1h", *BACKUP))
    (new,) = issue(run)
    assert new["replaces"] is None  # new work replaces nothing


# ------------------------------------------------ the payment code (items 13-14)


def test_the_payment_code_alone_as_svg(run: Runner, october: list[Path], tmp_path: Path) -> None:
    issue(run)
    shown = ok(run("invoice", "show", "2026-0001", "--format", "svg"))
    root = ET.fromstring(shown.stdout.encode("utf-8"))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.findtext("{http://www.w3.org/2000/svg}title") == "Payment of invoice 2026-0001"
    out = tmp_path / "qr.svg"
    ok(run("invoice", "show", "2026-0001", "--format", "svg", "-o", str(out)))
    assert out.read_text("utf-8") == shown.stdout
    assert_refused(run("invoice", "show", "2026-0001", "--act", "--format", "svg"), 2, "act")
    ok(run("invoice", "pay", "2026-0001", "--date", "2026-11-02"))
    assert_refused(run("invoice", "show", "2026-0001", "--format", "svg"), 1, "2026-0001", "paid")


def test_without_bank_requisites_no_code_and_a_warning(
    run: Runner, october: list[Path], tmp_path: Path
) -> None:
    ok(run("config", "set", "supplier.bank", "", "supplier.bik", ""))
    issue(run)
    page = tmp_path / "invoice.html"
    written = ok(run("invoice", "show", "2026-0001", "--format", "html", "-o", str(page)))
    assert (
        "warning: invoice 2026-0001 has no payment QR code: the supplier's supplier.bank, supplier.bik"
        in (written.stderr)
    )
    assert 'class="qr"' not in page.read_text("utf-8")
    assert_refused(run("invoice", "show", "2026-0001", "--format", "svg"), 1, "supplier's bank, bik")
    # the act is never paid: no warning for it
    assert ok(
        run("invoice", "show", "2026-0001", "--act", "--format", "html", "-o", str(page))
    ).stderr.startswith("wrote")


def test_the_code_on_the_printed_pdf_pays_this_invoice(
    run: Runner, october: list[Path], tmp_path: Path
) -> None:
    need("pdftoppm", package="poppler-utils")
    need("zbarimg", package="zbar-tools")
    issue(run)
    pdf = tmp_path / "invoice.pdf"
    ok(run("invoice", "show", "2026-0001", "--format", "pdf", "-o", str(pdf)))
    subprocess.run(
        ["pdftoppm", "-png", "-r", "200", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")], check=True
    )
    (png,) = tmp_path.glob("p*.png")
    raw = subprocess.run(
        ["zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", str(png)], capture_output=True, check=True
    ).stdout.decode("utf-8")
    assert raw.rstrip("\n").split("|") == [
        "ST00012",
        "Name=ООО «Бонус»",
        "PersonalAcc=40702810938000012345",
        "BankName=ПАО Сбербанк, г. Москва",
        "BIC=044525225",
        "CorrespAcc=30101810400000000225",
        "PayeeINN=7707083893",
        "KPP=773601001",
        "Sum=262167",
        "Purpose=Оплата по счёту № 2026-0001 от 02.11.2026 по договору № 15 от 01.02.2017, без НДС",
    ]


# ----------------------------------------------- several keys at once (item 15)


def test_a_change_of_bank_in_one_command(run: Runner, config: Path) -> None:
    before = snapshot(config)
    alone = run("config", "set", "supplier.bik", NEW_BANK["supplier.bik"])
    assert_refused(alone, 2, "supplier.account")
    assert "hint: set related keys in one command" in alone.stderr
    assert snapshot(config) == before
    pairs = [x for kv in NEW_BANK.items() for x in kv]
    result = ok(run("config", "set", *pairs))
    assert result.stderr.splitlines() == [f"{k} = {v} ({config})" for k, v in NEW_BANK.items()]
    values = ok(run("config", "show", "--format", "json")).json()
    assert {k: values[k] for k in NEW_BANK} == NEW_BANK


@pytest.mark.parametrize(
    ("args", "word"),
    [
        (("supplier.bik", "044525593", "supplier.account"), "'supplier.account' has no value"),
        (("supplier.bik", "044525593", "supplier.bik", "044525225"), "supplier.bik is given twice"),
        (("supplier.director", "Сидоров С. С.", "supplier.iban", "DE89"), "supplier.iban"),
        (("supplier.director", "Сидоров С. С.", "supplier.inn", "7707083894"), "INN"),
        (("supplier.kind", "ngo"), "company or entrepreneur"),
        (("supplier.stamp", "maybe"), "yes or no"),
    ],
)
def test_several_keys_are_refused_together(
    run: Runner, config: Path, args: tuple[str, ...], word: str
) -> None:
    before = snapshot(config)
    assert_refused(run("config", "set", *args), 2, word)
    assert snapshot(config) == before  # not even the good first pair is written


# ------------------------------------ no number on an invoice nobody can pay (issue 12)


@pytest.mark.parametrize("key", ["supplier.name", "supplier.inn", "supplier.account"])
def test_no_invoice_without_the_suppliers_name_inn_or_account(
    run: Runner, october: list[Path], key: str
) -> None:
    ok(run("config", "set", key, ""))
    before = snapshot(*october)
    result = run(*ISSUE)
    assert_refused(result, 1, "cannot issue invoices", key)
    assert snapshot(*october) == before
    dry = ok(run(*ISSUE, "--dry-run", "--format", "json"))
    assert f"warning: {key} not set in the config: the run itself will be refused" in dry.stderr
    assert snapshot(*october) == before
    value = SUPPLIER[key]
    ok(run("config", "set", key, value))
    assert [inv["number"] for inv in issue(run)] == ["2026-0001"]  # no number was spent


def test_a_customer_without_inn_or_address_is_warned_of(run: Runner, config: Path) -> None:
    ok(run(*ROMASHKA))
    ok(
        run(
            "session", "add", "romashka", "backup", "--start", "2026-10-05 10:00", "--duration", "1h", *BACKUP
        )
    )
    result = ok(run(*ISSUE, "--format", "json"))
    assert (
        "warning: client romashka has no address on record: invoice 2026-0001 prints blanks; "
        "kvsupport client edit romashka --address …"
    ) in result.stderr
