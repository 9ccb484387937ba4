"""A month end to take money in against (SPEC §12): the recipe of the ledger the bank,
reconciliation and sending tests share, and helpers to read it back.

October 2026 and November 2026 of three clients, invoiced on fixed dates; every date is
no later than 2026-12-03, so the October invoices (due 2026-11-07) are overdue whenever
the tests run, and nothing else here depends on the clock.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from bank_statements import LESNAYA_INN, ROMASHKA_INN, SUPPLIER_ACCOUNT, SUPPLIER_INN
from cli_testkit import Result, Runner

SETTINGS: dict[str, str] = {
    "timezone": "Europe/Moscow",
    "supplier.name": "ООО «Бонус»",
    "supplier.inn": SUPPLIER_INN,
    "supplier.kpp": "773601001",
    "supplier.address": "117997, г. Москва, ул. Вавилова, д. 19",
    "supplier.bank": "ПАО Сбербанк, г. Москва",
    "supplier.bik": "044525225",
    "supplier.correspondent_account": "30101810400000000225",
    "supplier.account": SUPPLIER_ACCOUNT,
    "supplier.director": "Петров Пётр Петрович",
    "supplier.email": "buh@bonus.example.ru",
    "consultant.name": "Иванов И. И.",
}
TIHO_INN = "7702070139"

CONSENT = ("--problem", "не считает пени", "--consent", "письмо от 01.10.2026")


def backup(client: str, start: str, duration: str) -> tuple[str, ...]:
    """``session add CLIENT backup`` with what the service requires."""
    return ("session", "add", client, "backup", "--start", start, "--duration", duration, *CONSENT)


CLIENTS: tuple[tuple[str, ...], ...] = (
    (
        "client", "add", "romashka", "--name", "ТСЖ «Ромашка»", "--inn", ROMASHKA_INN,
        "--phone", "+7 495 123-45-67", "--email", "buh@romashka.example.ru",
        "--address", "г. Москва, ул. Цветочная, д. 1", "--signatory", "Председатель правления Сидоров С. С.",
    ),
    (
        "client", "add", "lesnaya", "--name", "ТСЖ «Лесная 5»", "--inn", LESNAYA_INN,
        "--phone", "+74950000005", "--email", "lesnaya@example.ru",
    ),
    ("client", "add", "tiho", "--name", "УК «Тихий дом»", "--inn", TIHO_INN, "--phone", "+74950000007"),
)  # fmt: skip

#: the invoices these make, and their totals (45 min: the one-hour minimum, 1300.00; 61 min: 1321.67)
MONTH_END: tuple[tuple[str, ...], ...] = (
    *CLIENTS,
    backup("romashka", "2026-10-05 10:00", "45m"),
    backup("lesnaya", "2026-10-06 10:00", "61m"),
    ("invoice", "--month", "2026-10", "--date", "2026-11-02"),  # 2026-0001 romashka, 2026-0002 lesnaya
    backup("romashka", "2026-11-03 10:00", "61m"),
    backup("romashka", "2026-11-04 10:00", "45m"),
    backup("lesnaya", "2026-11-05 10:00", "45m"),
    backup("tiho", "2026-11-06 10:00", "45m"),
    ("invoice", "--month", "2026-11", "--date", "2026-11-30"),  # 2026-0003…0005
)
TOTALS = {
    "2026-0001": Decimal("1300.00"),
    "2026-0002": Decimal("1321.67"),
    "2026-0003": Decimal("2621.67"),
    "2026-0004": Decimal("1300.00"),
    "2026-0005": Decimal("1300.00"),
}
CLIENT_OF = {
    "2026-0001": "romashka",
    "2026-0002": "lesnaya",
    "2026-0003": "romashka",
    "2026-0004": "lesnaya",
    "2026-0005": "tiho",
}


def config_commands() -> tuple[tuple[str, ...], ...]:
    """``config set`` of :data:`SETTINGS`, in one command."""
    return (("config", "set", *(part for pair in SETTINGS.items() for part in pair)),)


def ok(result: Result) -> Result:
    """``result`` after checking it succeeded, without a traceback."""
    assert result.code == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


def invoices(run: Runner) -> dict[str, dict[str, Any]]:
    """Every invoice's JSON record by number (``invoice list --format json``)."""
    rows = ok(run("invoice", "list", "--format", "json")).json()
    return {row["number"]: row for row in rows}


def states(run: Runner) -> dict[str, tuple[str, str]]:
    """Each invoice's status and balance."""
    return {number: (row["status"], row["balance"]) for number, row in invoices(run).items()}
