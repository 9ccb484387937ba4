"""``kvsupport config set|show`` for the supplier's requisites (SPEC §4): checked, written, shown."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest
from cli_testkit import Runner, assert_refused, snapshot

GOOD: list[tuple[str, str, str]] = [
    # key, as typed, as stored and shown
    ("supplier.name", "ООО «Бонус»", "ООО «Бонус»"),
    ("supplier.inn", "7707083893", "7707083893"),
    ("supplier.kpp", "773601001", "773601001"),
    ("supplier.ogrn", "1027700132195", "1027700132195"),
    ("supplier.address", "117997, г. Москва, ул. Вавилова, д. 19", "117997, г. Москва, ул. Вавилова, д. 19"),
    ("supplier.bank", "ПАО Сбербанк, г. Москва", "ПАО Сбербанк, г. Москва"),
    ("supplier.bik", "044525225", "044525225"),
    ("supplier.correspondent_account", "30101810400000000225", "30101810400000000225"),
    ("supplier.account", "4070 2810 9380 0001 2345", "40702810938000012345"),
    ("supplier.director", "Петров П. П.", "Петров П. П."),
]


@pytest.fixture
def config() -> Path:
    """This test's config file (``KVSUPPORT_CONFIG``), not written yet."""
    return Path(os.environ["KVSUPPORT_CONFIG"])


@pytest.fixture
def with_bik(run: Runner, config: Path) -> Path:
    """A config holding the supplier's BIK: accounts are checked against it."""
    assert run("config", "set", "supplier.bik", "044525225").code == 0
    return config


def test_good_requisites_are_written_and_shown(run: Runner, config: Path) -> None:
    for key, typed, _ in GOOD:
        result = run("config", "set", key, typed)
        assert result.code == 0, result.stderr
        assert result.stdout == ""
        assert key in result.stderr

    shown = run("config", "show", "--format", "json")
    assert shown.code == 0
    assert shown.stderr == ""
    values = shown.json()
    for key, _, stored in GOOD:
        assert values[key] == stored, key

    text = run("config", "show")
    assert text.code == 0
    for key, _, stored in GOOD:
        (line,) = [ln for ln in text.stdout.splitlines() if ln.split(" ", 1)[0] == key]
        assert line.split(None, 1)[1] == stored

    # TOML with nested tables, as tomli-w writes it
    written = tomllib.loads(config.read_text("utf-8"))
    assert written["supplier"]["bik"] == "044525225"
    assert written["supplier"]["account"] == "40702810938000012345"
    assert written["supplier"]["name"] == "ООО «Бонус»"


BAD: list[tuple[str, str, str]] = [
    # key, value, a word the error names
    ("supplier.bik", "04452522", "BIK"),
    ("supplier.bik", "0445252250", "BIK"),
    ("supplier.bik", "144525225", "BIK"),
    ("supplier.bik", "04452522А", "BIK"),
    ("supplier.inn", "7707083894", "INN"),
    ("supplier.inn", "770708389", "INN"),
    ("supplier.inn", "50010073225", "INN"),
    ("supplier.kpp", "77360100", "KPP"),
    ("supplier.ogrn", "1027700132196", "OGRN"),
    ("supplier.account", "4070281093800001234", "supplier.account"),
    ("supplier.account", "4070281093800001234X", "supplier.account"),
    ("supplier.correspondent_account", "3010181040000000022", "supplier.correspondent_account"),
    ("supplier.name", "   ", "supplier.name"),
    ("supplier.iban", "DE89370400440532013000", "supplier.iban"),
    ("supplier", "ООО «Бонус»", "supplier"),
    ("invoice.number_format", "{year.__class__}-{seq}", "is not a number field"),
    ("invoice.number_format", "{seq!r:>20}", "is not a number field"),
    ("invoice.number_format", "{client}-{seq}", "is not a number field"),
    ("invoice.number_format", "{year}", "must contain {seq}"),
    ("invoice.number_format", "{year}-{seq:4}", "is not a number field"),  # would pad with spaces
]


@pytest.mark.parametrize(("key", "value", "word"), BAD, ids=[f"{k}={v}" for k, v, _ in BAD])
def test_a_bad_value_is_refused_and_nothing_written(
    run: Runner, with_bik: Path, key: str, value: str, word: str
) -> None:
    before = snapshot(with_bik)
    assert_refused(run("config", "set", key, value), 2, word, key)
    assert snapshot(with_bik) == before
    assert run("config", "show", "--format", "json").json()["supplier.bik"] == "044525225"


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("supplier.account", "40702810038000012345"),  # the control key (9th digit) is wrong
        ("supplier.correspondent_account", "30101810400000000226"),
    ],
)
def test_an_account_must_match_the_bik(run: Runner, with_bik: Path, key: str, value: str) -> None:
    before = snapshot(with_bik)
    result = run("config", "set", key, value)
    assert result.code == 2
    assert result.stdout == ""
    assert result.first_error.startswith(f"error: {key}: ")
    assert "044525225" in result.first_error
    assert snapshot(with_bik) == before
    assert run("config", "show", "--format", "json").json()[key] is None


def test_a_bik_that_does_not_match_the_account_on_record_is_refused(run: Runner, with_bik: Path) -> None:
    assert run("config", "set", "supplier.account", "40702810938000012345").code == 0
    before = snapshot(with_bik)
    result = run("config", "set", "supplier.bik", "044525593")  # a real BIK, another bank
    assert result.code == 2
    assert result.stdout == ""
    assert result.first_error.startswith("error: supplier.account: ")
    assert snapshot(with_bik) == before
    values = run("config", "show", "--format", "json").json()
    assert (values["supplier.bik"], values["supplier.account"]) == ("044525225", "40702810938000012345")


def test_an_account_waits_for_the_bik_then_is_checked(run: Runner, config: Path) -> None:
    # without a BIK only the shape can be checked
    assert run("config", "set", "supplier.account", "40702810038000012345").code == 0
    result = run("config", "set", "supplier.bik", "044525225")
    assert result.code == 2
    assert "supplier.account" in result.first_error
    assert run("config", "show", "--format", "json").json()["supplier.bik"] is None
