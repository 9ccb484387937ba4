"""``kvsupport ledger path|check``: where the ledger is, and whether every record reads."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from cli_testkit import Runner, assert_refused, snapshot

CONSENT = ("--problem", "пени", "--consent", "письмо")


def test_ledger_path_prints_the_file_in_use(run: Runner, tmp_path: Path) -> None:
    result = run("ledger", "path")
    assert (result.code, result.stdout, result.stderr) == (0, os.environ["KVSUPPORT_LEDGER"] + "\n", "")
    other = str(tmp_path / "other.json")
    assert run("--ledger", other, "ledger", "path").stdout == other + "\n"


def test_ledger_check_counts_what_it_read(run: Runner, romashka: str) -> None:
    for args in (
        ("session", "add", romashka, "backup", "--start", "2026-10-05 10:00", "--duration", "45m", *CONSENT),
        ("session", "add", romashka, "line", "--start", "2026-11-02 10:00", "--duration", "5m"),
        ("invoice", "--month", "2026-10", "--date", "2026-11-01"),
        ("session", "start", romashka, "line", "--at", "-5m"),
    ):
        assert run(*args).code == 0, args
    result = run("ledger", "check")
    assert result.code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr.endswith(": ok — 1 clients, 3 sessions, 1 invoices, 0 orders\n")


@pytest.mark.file_ledger
def test_ledger_check_shows_the_first_problems_of_many(run: Runner, romashka: str, ledger_dir: Path) -> None:
    starts = [f"2026-10-{(n - 1) // 2 + 1:02d} {10 + n % 2}:00" for n in range(1, 61)]
    rows = "".join(f"{romashka},line,{start},5m\n" for start in starts)  # one run, not 60 session adds
    imported = run("import", "-", stdin="client,service,start,duration\n" + rows)
    assert imported.code == 0, imported.stderr
    assert run("session", "list", "--all", "--format", "json").json()[-1]["id"] == 60
    manifest_path = ledger_dir / "ledger.json"
    manifest = json.loads(manifest_path.read_text("utf-8"))
    manifest["clients"] = {}  # every session's client is now unknown
    manifest_path.write_text(json.dumps(manifest), "utf-8")
    result = run("ledger", "check")
    assert result.code == 1
    assert len(result.error_lines) == 50
    assert result.stderr.splitlines()[-1] == "hint: 10 more problems not shown"


@pytest.mark.file_ledger
def test_ledger_check_names_a_damaged_part_and_changes_nothing(
    run: Runner, romashka: str, ledger_dir: Path
) -> None:
    added = run("session", "add", romashka, "line", "--start", "2026-10-05 10:00", "--duration", "5m")
    assert added.code == 0
    manifest = json.loads((ledger_dir / "ledger.json").read_text("utf-8"))
    part = ledger_dir / "ledger.json.d" / "parts" / manifest["parts"]["sessions/2026-10"]["file"]
    doc = json.loads(part.read_text("utf-8"))
    doc["records"][0]["segments"][0]["start"] = "yesterday"
    part.write_text(json.dumps(doc), "utf-8")
    before = snapshot(ledger_dir)

    result = run("ledger", "check")
    assert result.code == 1
    assert result.stdout == ""
    (line,) = result.error_lines
    assert line.startswith(f"error: {part}: records[0].segments[0].start: "), line
    assert "Traceback" not in result.stderr
    assert snapshot(ledger_dir) == before


@pytest.mark.file_ledger
def test_ledger_check_finds_an_invoice_whose_lines_do_not_add_up(
    run: Runner, romashka: str, ledger_dir: Path
) -> None:
    start = ("--start", "2026-10-05 10:00", "--duration", "45m")
    assert run("session", "add", romashka, "backup", *start, *CONSENT).code == 0
    assert run("invoice", "--month", "2026-10", "--date", "2026-11-01").code == 0
    manifest = json.loads((ledger_dir / "ledger.json").read_text("utf-8"))
    part = ledger_dir / "ledger.json.d" / "parts" / manifest["parts"]["invoices/2026-10"]["file"]
    doc = json.loads(part.read_text("utf-8"))
    doc["records"][0]["total"] = "1.00"
    part.write_text(json.dumps(doc), "utf-8")
    result = run("ledger", "check")
    assert result.code == 1
    index = ledger_dir / "ledger.json.d" / "parts" / manifest["parts"]["index/invoices"]["file"]
    assert result.error_lines == [
        f"error: {index}: invoice 2026-0001: out of step with invoices/2026-10",  # it says 1300.00
        "error: invoices/2026-10: invoice 2026-0001: total 1.00 but its lines add to 1300.00",
    ]


def test_an_empty_ledger_option_is_refused(run: Runner) -> None:
    result = run("--ledger", "", "session", "status")
    assert (result.code, result.stdout) == (2, "")
    assert result.first_error == "error: --ledger: the path is empty"


@pytest.mark.parametrize(
    "location",
    ["postgresql:/postgres@/kvtest?host=/tmp", "postgres:kvtest", "POSTGRESQL://x/y", "mysql://me@db/ledger"],
)
@pytest.mark.parametrize("command", [("session", "start", "romashka", "line"), ("client", "list")])
def test_a_mistyped_database_address_is_refused_not_made_a_file_ledger(
    run: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, location: str, command: tuple[str, ...]
) -> None:
    """Taken as a file name, ``postgresql:/…`` would start an empty ledger in a folder
    named after the address, and the consultant's work would go there unseen."""
    monkeypatch.chdir(tmp_path)
    before = sorted(tmp_path.iterdir())
    for result in (
        run("--ledger", location, *command),
        run(*command, env_extra={"KVSUPPORT_LEDGER": location}),
    ):
        assert (result.code, result.stdout) == (2, "")
        (line, hint) = result.stderr.splitlines()
        assert line.endswith(f" {location}: not a PostgreSQL address, nor a file")
        assert hint.startswith("hint: a team ledger is postgresql://")
    assert sorted(tmp_path.iterdir()) == before


def test_a_file_ledger_may_have_a_colon_in_its_name(run: Runner, tmp_path: Path) -> None:
    ledger = tmp_path / "ledger:2026.json"
    assert run("--ledger", str(ledger), "client", "add", "romashka", "--name", "ТСЖ").code == 0
    assert ledger.exists()


# ------------------------------------------------------------------ ledger copy (finding 9b)


@pytest.mark.russian
def test_copy_from_a_missing_file_is_refused_and_creates_nothing(
    run: Runner, moscow: Path, tmp_path: Path, russian: dict[str, str | None]
) -> None:
    typo = tmp_path / "data" / "typo.json"
    archive = tmp_path / "archive.json"
    ledger = os.environ["KVSUPPORT_LEDGER"]  # a file not written yet, or an empty database
    before = snapshot(tmp_path)
    for target in (str(archive), ledger):
        refused = run("ledger", "copy", str(typo), target)
        assert_refused(refused, 1, str(typo), "does not exist")
        assert snapshot(tmp_path) == before
    assert not archive.exists()
    assert not Path(f"{archive}.d").exists()
    said = run("ledger", "copy", str(typo), str(archive), env_extra=russian)
    assert said.code == 1
    assert said.first_error.startswith("ошибка: ")
    assert str(typo) in said.first_error
    assert "не существует" in said.first_error
    assert snapshot(tmp_path) == before


def test_copy_into_a_file_that_is_not_a_ledger_leaves_nothing_beside_it(
    run: Runner, romashka: str, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.json"
    notes.write_text("{}\n")
    refused = run("ledger", "copy", os.environ["KVSUPPORT_LEDGER"], str(notes))
    assert_refused(refused, 1, "not a kvsupport ledger")
    assert notes.read_text() == "{}\n"
    assert not Path(f"{notes}.d").exists()
    assert "backups" not in refused.stderr.replace("keeps no backups", "")
    assert refused.stderr.splitlines()[1] == (
        "hint: nothing was changed; kvsupport keeps no backups of it: is it the ledger you meant?"
    )
