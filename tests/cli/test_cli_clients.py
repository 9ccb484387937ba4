"""``kvsupport client add|list|show|edit`` as a consultant types them (SPEC §2, §5; issue 3)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from cli_testkit import Runner, assert_refused, database, install_ledger, snapshot

from conftest import build_ledger

#: ``client add`` with every option; the code is Cyrillic
FULL = (
    "client",
    "add",
    "ромашка",
    "--name",
    "ООО «Ромашка»",
    "--inn",
    "7707083893",
    "--kpp",
    "770701001",
    "--ogrn",
    "1027700132195",
    "--address",
    "г. Москва, ул. Лесная, д. 5",
    "--phone",
    "+7 (495) 123-45-67",
    "--email",
    "buh@romashka.ru",
    "--teamviewer-id",
    "123 456 789",
    "--license-until",
    "2027-06-30",
    "--fee-paid",
)
#: ``client add`` with the name only
BARE = ("client", "add", "тсж_лесная-5", "--name", "ТСЖ «Лесная 5»")

#: ``client show --format json`` of FULL
FULL_RECORD: dict[str, object] = {
    "code": "ромашка",
    "name": "ООО «Ромашка»",
    "inn": "7707083893",
    "kpp": "770701001",
    "ogrn": "1027700132195",
    "address": "г. Москва, ул. Лесная, д. 5",
    "phone": "+7 (495) 123-45-67",
    "email": "buh@romashka.ru",
    "teamviewer_id": "123456789",  # typed "123 456 789", as TeamViewer shows it
    "teamviewer_ids": ["123456789"],
    "license_until": "2027-06-30",
    "fee_paid": True,
    "fees_charged": {},
    "kind": "company",
    "signatory": None,
    "contract": None,
    "archived": False,
    "former_codes": [],
    "license_ended": False,
}
BARE_RECORD: dict[str, object] = {
    "code": "тсж_лесная-5",
    "name": "ТСЖ «Лесная 5»",
    "inn": None,
    "kpp": None,
    "ogrn": None,
    "address": None,
    "phone": None,
    "email": None,
    "teamviewer_id": None,
    "teamviewer_ids": [],
    "license_until": None,
    "fee_paid": False,
    "fees_charged": {},
    "kind": "company",
    "signatory": None,
    "contract": None,
    "archived": False,
    "former_codes": [],
    "license_ended": False,
}


@pytest.fixture(scope="session")
def two_clients_ledger(tmp_path_factory: pytest.TempPathFactory, moscow_config_bytes: bytes) -> Path:
    """A ledger directory with FULL and BARE, made once."""
    return build_ledger(tmp_path_factory.mktemp("two-clients"), moscow_config_bytes, FULL, BARE)


@pytest.fixture
def two_clients(moscow: Path, ledger_dir: Path, two_clients_ledger: Path) -> Path:
    """This test's copy of ``two_clients_ledger``; the ledger directory."""
    install_ledger(two_clients_ledger, ledger_dir)
    return ledger_dir


def show(run: Runner, code: str) -> dict[str, object]:
    result = run("client", "show", code, "--format", "json")
    assert result.code == 0, result.stderr
    assert result.stderr == ""
    record: dict[str, object] = result.json()
    return record


# ---------------------------------------------------------------------- add


def test_add_with_every_option_and_a_cyrillic_code(run: Runner, moscow: Path, ledger_dir: Path) -> None:
    result = run(*FULL)
    assert result.code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == "added client ромашка: ООО «Ромашка»\n"
    if database() is None:
        assert (ledger_dir / "ledger.json").is_file()
    assert show(run, "ромашка") == FULL_RECORD


def test_add_normalises_spaces_in_requisites(run: Runner, moscow: Path) -> None:
    result = run("client", "add", "x", "--name", "X", "--inn", " 7707 083 893 ", "--kpp", "7707 01 001")
    assert result.code == 0, result.stderr
    record = show(run, "x")
    assert (record["inn"], record["kpp"]) == ("7707083893", "770701001")


@pytest.mark.parametrize(
    ("option", "value", "stored"),
    [
        ("--inn", "500100732259", "500100732259"),  # 12 digits: an individual entrepreneur
        ("--ogrn", "304500116000157", "304500116000157"),  # OGRNIP, 15 digits
        ("--license-until", "31.12.2027", "2027-12-31"),
    ],
)
def test_add_accepts_the_other_valid_forms(
    run: Runner, moscow: Path, option: str, value: str, stored: str
) -> None:
    assert run("client", "add", "ип", "--name", "ИП Петров", option, value).code == 0
    key = option[2:].replace("-", "_")
    assert show(run, "ип")[key] == stored


# A malformed requisite is refused with exit 2 and nothing is stored.
BAD_VALUES = [
    (("--inn", "7707083894"), "INN", "checksum"),
    (("--inn", "770708389"), "INN", "not 9 digits"),
    (("--inn", "77070838ЗЗ"), "INN", "digits"),
    (("--kpp", "77070100A"), "KPP", "77070100A"),
    (("--kpp", "7707АБ001"), "KPP", "7707АБ001"),  # Cyrillic letters that look Latin
    (("--kpp", "77070100"), "KPP", "9 characters"),
    (("--inn", "500100732259", "--kpp", "770701001"), "KPP", "12-digit INN"),
    (("--ogrn", "1027700132196"), "OGRN", "checksum"),
    (("--phone", "звонить Ивану"), "phone", "звонить Ивану"),
    (("--email", "buh.romashka.ru"), "email", "@"),
    (("--license-until", "2026-02-30"), "2026-02-30", "does not exist"),
    (("--license-until", "до конца года"), "до конца года", ""),
    (("--name", "  "), "name", "empty"),
]


@pytest.mark.parametrize(
    ("extra", "field", "word"), BAD_VALUES, ids=[" ".join(extra) for extra, _, _ in BAD_VALUES]
)
def test_add_refuses_a_malformed_value_and_stores_nothing(
    run: Runner, two_clients: Path, extra: tuple[str, ...], field: str, word: str
) -> None:
    before = snapshot(two_clients)
    assert_refused(run("client", "add", "новый", "--name", "Новый", *extra), 2, field, word)
    assert snapshot(two_clients) == before


@pytest.mark.parametrize("code", ["тсж лесная", "a.b", "ромашка!", "-x", ""])
def test_add_refuses_a_code_that_is_not_a_word(run: Runner, two_clients: Path, code: str) -> None:
    before = snapshot(two_clients)
    result = run("client", "add", "--name", "X", "--", code)
    assert result.code == 2, result.stderr
    assert result.stdout == ""
    assert result.first_error == f"error: invalid client code {code!r}"
    assert "hint: use letters (Cyrillic too)" in result.stderr
    assert snapshot(two_clients) == before


def test_add_a_duplicate_code_is_refused(run: Runner, two_clients: Path) -> None:
    before = snapshot(two_clients)
    result = run("client", "add", "ромашка", "--name", "Другая «Ромашка»", "--inn", "5001007329")
    assert result.code == 1
    assert result.stdout == ""
    assert result.first_error == "error: client 'ромашка' exists"
    assert "kvsupport client edit ромашка" in result.stderr
    assert snapshot(two_clients) == before
    assert show(run, "ромашка")["name"] == "ООО «Ромашка»"


def test_codes_that_differ_only_by_case_are_one_code(run: Runner, two_clients: Path) -> None:
    """Issue 12, item 12: ``Ромашка`` is ``ромашка``; a second client by that code is refused."""
    before = snapshot(two_clients)
    result = run("client", "add", "Ромашка", "--name", "Другая")
    assert_refused(result, 1, "client 'Ромашка' exists as 'ромашка' (codes differ only by case)")
    assert snapshot(two_clients) == before
    assert show(run, "Ромашка")["name"] == "ООО «Ромашка»"
    assert show(run, "РОМАШКА")["code"] == "ромашка"


# ------------------------------------------------------------ list and show


def test_list_json_in_the_order_added(run: Runner, two_clients: Path) -> None:
    result = run("client", "list", "--format", "json")
    assert result.code == 0
    assert result.stderr == ""
    assert result.json() == [FULL_RECORD, BARE_RECORD]


def test_list_csv(run: Runner, two_clients: Path) -> None:
    result = run("client", "list", "--format", "csv")
    assert result.code == 0
    assert result.stderr == ""
    header = result.stdout.splitlines()[0]
    assert header == ",".join(FULL_RECORD)
    full, bare = csv.DictReader(io.StringIO(result.stdout))
    assert full["code"] == "ромашка"
    assert full["address"] == "г. Москва, ул. Лесная, д. 5"  # commas quoted, read back whole
    assert (full["inn"], full["kpp"], full["license_until"]) == ("7707083893", "770701001", "2027-06-30")
    assert (full["fee_paid"], full["license_ended"]) == ("yes", "no")
    assert bare["code"] == "тсж_лесная-5"
    assert (bare["inn"], bare["phone"], bare["license_until"], bare["fee_paid"]) == ("", "", "", "no")


def test_list_text(run: Runner, two_clients: Path) -> None:
    result = run("client", "list")
    assert result.code == 0
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert "Code" in lines[0]
    assert "Licence until" in lines[0]
    (full,) = [line for line in lines if "ромашка" in line]
    for cell in ("ООО «Ромашка»", "7707083893", "+7 (495) 123-45-67", "2027-06-30", "yes"):
        assert cell in full
    (bare,) = [line for line in lines if "тсж_лесная-5" in line]
    assert "ТСЖ «Лесная 5»" in bare
    assert "\x1b" not in result.stdout


def test_empty_list(run: Runner, moscow: Path) -> None:
    as_json = run("client", "list", "--format", "json")
    assert (as_json.code, as_json.stdout, as_json.stderr) == (0, "[]\n", "")
    as_text = run("client", "list")
    assert (as_text.code, as_text.stdout) == (0, "")
    assert as_text.stderr.startswith("no clients yet")
    assert "kvsupport client add" in as_text.stderr


def test_empty_list_csv_has_the_same_header(run: Runner, moscow: Path) -> None:
    empty = run("client", "list", "--format", "csv")
    assert empty.code == 0
    assert empty.stderr == ""
    assert empty.stdout == ",".join(FULL_RECORD) + "\n"
    assert run(*BARE).code == 0
    assert run("client", "list", "--format", "csv").stdout.splitlines()[0] == empty.stdout.strip()


def test_show_text(run: Runner, two_clients: Path) -> None:
    result = run("client", "show", "ромашка")
    assert result.code == 0
    assert result.stderr == ""
    fields = dict(line.split(":", 1) for line in result.stdout.splitlines())
    shown = {key.strip(): value.strip() for key, value in fields.items()}
    assert shown["code"] == "ромашка"
    assert shown["name"] == "ООО «Ромашка»"
    assert shown["inn"] == "7707083893"
    assert shown["kpp"] == "770701001"
    assert shown["ogrn"] == "1027700132195"
    assert shown["teamviewer ids"] == "123456789"
    assert shown["license until"] == "2027-06-30"
    bare = run("client", "show", "тсж_лесная-5").stdout
    assert "inn" not in bare  # empty fields are left out
    assert "ТСЖ «Лесная 5»" in bare


# ---------------------------------------------------------------------- edit


def test_edit_changes_only_the_fields_given(run: Runner, two_clients: Path) -> None:
    result = run(
        "client",
        "edit",
        "тсж_лесная-5",
        "--inn",
        "5001007329",
        "--kpp",
        "500101001",
        "--phone",
        "+7 916 000-11-22",
        "--license-until",
        "2020-01-01",
    )
    assert result.code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == "changed client тсж_лесная-5: inn, kpp, phone, license_until\n"
    expected = {
        **BARE_RECORD,
        "inn": "5001007329",
        "kpp": "500101001",
        "phone": "+7 916 000-11-22",
        "license_until": "2020-01-01",
        "license_ended": True,
    }
    assert show(run, "тсж_лесная-5") == expected
    assert show(run, "ромашка") == FULL_RECORD


def test_edit_with_an_empty_value_clears_the_field(run: Runner, two_clients: Path) -> None:
    result = run(
        "client", "edit", "ромашка", "--phone", "", "--email", "", "--license-until", "", "--fee-not-paid"
    )
    assert result.code == 0, result.stderr
    expected = {**FULL_RECORD, "phone": None, "email": None, "license_until": None, "fee_paid": False}
    assert show(run, "ромашка") == expected


def test_edit_name(run: Runner, two_clients: Path) -> None:
    assert run("client", "edit", "ромашка", "--name", "ООО «Ромашка-2»").code == 0
    assert show(run, "ромашка")["name"] == "ООО «Ромашка-2»"


@pytest.mark.parametrize(
    ("extra", "word"),
    [
        ((), "nothing to change"),
        (("--inn", "7707083894"), "INN"),
        (("--kpp", "77070100"), "KPP"),
        (("--name", ""), "name"),
        (("--inn", "500100732259"), "12-digit INN"),  # beside the stored KPP
        (("--license-until", "2027-02-29"), "2027-02-29"),
    ],
    ids=["nothing", "inn", "kpp", "empty-name", "kpp-and-12-digit-inn", "license"],
)
def test_edit_refuses_a_bad_value_and_changes_nothing(
    run: Runner, two_clients: Path, extra: tuple[str, ...], word: str
) -> None:
    before = snapshot(two_clients)
    result = run("client", "edit", "ромашка", *extra)
    assert result.code == 2, result.stderr
    assert result.stdout == ""
    assert result.first_error.startswith("error: ")
    assert word in result.first_error
    assert snapshot(two_clients) == before


# ----------------------------------------------------------- unknown client


@pytest.mark.parametrize(
    "argv",
    [
        ("client", "show", "ромашко"),
        ("client", "edit", "ромашко", "--name", "Рога и копыта"),
        ("session", "start", "ромашко", "line"),
        ("session", "add", "ромашко", "line", "--start", "2026-10-05 10:00", "--duration", "15m"),
        ("session", "list", "--client", "ромашко"),
        ("order", "add", "ромашко", "remote", "--at", "2099-01-10 10:00"),
        ("export", "--client", "ромашко", "--format", "json"),
        ("report", "--month", "2026-10", "--client", "ромашко"),
        ("invoice", "--month", "2026-10", "--client", "ромашко"),
        ("invoice", "list", "--client", "ромашко"),
    ],
    ids=lambda argv: " ".join(argv[:2]),
)
def test_unknown_client_is_refused_with_the_nearest_codes(
    run: Runner, two_clients: Path, argv: tuple[str, ...]
) -> None:
    before = snapshot(two_clients)
    result = run(*argv)
    assert result.code == 1, result.stderr
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "error: unknown client 'ромашко'",
        "hint: did you mean ромашка? (all: kvsupport client list)",
    ]
    assert snapshot(two_clients) == before


def test_an_unknown_code_near_none_points_at_the_list(run: Runner, two_clients: Path) -> None:
    result = run("session", "start", "рога", "line")
    assert_refused(result, 1, "unknown client 'рога'")
    assert result.stderr.splitlines()[1] == (
        "hint: kvsupport client list shows the 2 known; add one with 'kvsupport client add'"
    )


def test_the_start_of_a_code_suggests_the_codes_it_begins(run: Runner, two_clients: Path) -> None:
    result = run("client", "show", "ТСЖ")
    assert result.stderr.splitlines()[1] == "hint: did you mean тсж_лесная-5? (all: kvsupport client list)"


def test_unknown_client_in_an_empty_ledger(run: Runner, moscow: Path) -> None:
    result = run("client", "show", "рога")
    assert result.code == 1
    assert result.first_error == "error: unknown client 'рога'"
    assert "no clients yet: add one with 'kvsupport client add CODE --name NAME'" in result.stderr


# ------------------------------------------------------------ with sessions


def test_a_cyrillic_code_carries_through_sessions(run: Runner, two_clients: Path) -> None:
    added = run("session", "add", "ромашка", "line", "--start", "2026-10-05 10:00", "--duration", "15m")
    assert added.code == 0, added.stderr
    listed = run("session", "list", "--month", "2026-10", "--client", "ромашка", "--format", "json")
    assert listed.code == 0
    assert [(r["client"], r["minutes"]) for r in listed.json()] == [("ромашка", 15)]


def test_the_client_phone_satisfies_backup(run: Runner, two_clients: Path) -> None:
    args = ("--start", "2026-10-05 10:00", "--duration", "61m", "--problem", "пени", "--consent", "письмо")
    refused = run("session", "add", "тсж_лесная-5", "backup", *args)
    assert refused.code == 1
    assert "phone" in refused.first_error
    assert run("client", "edit", "тсж_лесная-5", "--phone", "+7 916 000-11-22").code == 0
    added = run("session", "add", "тсж_лесная-5", "backup", *args, "--format", "json")
    assert added.code == 0, added.stderr
    assert added.json()["amount"] == "1321.67"


def test_quiet_client_commands(run: Runner, moscow: Path) -> None:
    for argv in (FULL, ("client", "edit", "ромашка", "--phone", "+7 495 000-00-00")):
        result = run("-q", *argv)
        assert (result.code, result.stdout, result.stderr) == (0, "", "")
    assert show(run, "ромашка")["phone"] == "+7 495 000-00-00"
