"""``kvsupport import teamviewer``: TeamViewer's connection logs into sessions (SPEC §11).

The logs are written here in the exact shapes of the public samples (plaso's
``test_data/teamviewer/``): the consultant's ``Connections.txt`` padded with
spaces to 32 columns, the client's ``Connections_incoming.txt`` TAB-separated
with a display name and a trailing TAB. Stamps are UTC (TeamViewer's), the
consultant works in Moscow (UTC+3), every date is in November 2026.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from cli_testkit import Runner, install_ledger, snapshot

# the plain helper of tests/cli/conftest.py, imported by pytest as ``conftest``
from conftest import build_ledger

ROMASHKA_TV = "1660360496"
LESNAYA_TV = "565955529"
STRANGER_TV = "987654321"
LESNAYA = "тсж-лесная"

CLIENTS = (
    ("client", "add", "romashka", "--name", "ООО «Ромашка»", "--teamviewer-id", "1 660 360 496"),
    ("client", "add", LESNAYA, "--name", "ТСЖ «Лесная 5»", "--teamviewer-id", f"11111111,{LESNAYA_TV}"),
)


def guid(n: int) -> str:
    return f"{{{n:08x}-7dc5-4bb9-8d54-ca80953f65f8}}"


def outgoing(partner: str, start: str, end: str, n: int) -> str:
    """A ``Connections.txt`` row, padded as plaso's sample is."""
    return "".join(f.ljust(32) for f in (partner, start, end, "IEUser", "RemoteControl")) + guid(n)


def incoming(partner: str, name: str, start: str, end: str, n: int) -> str:
    """A ``Connections_incoming.txt`` row: seven TAB-separated fields and a trailing TAB."""
    return "\t".join((partner, name, start, end, "Бухгалтер", "RemoteControl", guid(n))) + "\t"


def write_log(path: Path, *rows: str, encoding: str = "utf-8") -> Path:
    """A log as TeamViewer writes it: CRLF line ends, a leading empty line."""
    path.write_bytes(("\r\n" + "\r\n".join(rows) + "\r\n").encode(encoding))
    return path


# 24.11.2026, UTC: 10:00-10:20, a drop, 10:25-10:50 (one session); 13:00-13:40 (a second)
DAY = (
    outgoing(ROMASHKA_TV, "24-11-2026 07:00:00", "24-11-2026 07:20:00", 1),
    outgoing(ROMASHKA_TV, "24-11-2026 07:25:00", "24-11-2026 07:50:30", 2),
    outgoing(ROMASHKA_TV, "24-11-2026 10:00:00", "24-11-2026 10:40:00", 3),
)


@pytest.fixture(scope="session")
def tv_clients_ledger(tmp_path_factory: pytest.TempPathFactory, moscow_config_bytes: bytes) -> Path:
    """Two clients with TeamViewer IDs (made once)."""
    return build_ledger(tmp_path_factory.mktemp("tv-clients"), moscow_config_bytes, *CLIENTS)


@pytest.fixture
def clients(moscow: Path, ledger_dir: Path, tv_clients_ledger: Path) -> Path:
    """This test's ledger: a copy of the two clients; its directory."""
    install_ledger(tv_clients_ledger, ledger_dir)
    return ledger_dir


def sessions(run: Runner) -> list[dict[str, Any]]:
    result = run("session", "list", "--all", "--format", "json")
    assert result.code == 0, result.stderr
    rows: list[dict[str, Any]] = result.json()
    return rows


def imported(run: Runner, log: Path, *options: str) -> str:
    """``import teamviewer LOG --backup-confirmed OPTIONS``: its stderr, after exit 0."""
    result = run("import", "teamviewer", str(log), "--backup-confirmed", *options)
    assert result.code == 0, result.stderr
    assert result.stdout == ""
    return result.stderr


# ------------------------------------------------------------ the outgoing log


def test_a_reconnect_within_the_gap_is_one_session_billed_once(
    run: Runner, clients: Path, tmp_path: Path
) -> None:
    log = write_log(tmp_path / "Connections.txt", *DAY)
    stderr = imported(run, log)
    assert stderr.splitlines()[-1] == "imported 2 sessions (3 connections)"
    first, second = sessions(run)
    assert (first["client"], first["service"], first["source"]) == ("romashka", "remote", "teamviewer")
    assert first["segments"] == [
        {"start": "2026-11-24T10:00:00+03:00", "end": "2026-11-24T10:20:00+03:00", "ref": guid(1)},
        {"start": "2026-11-24T10:25:00+03:00", "end": "2026-11-24T10:50:30+03:00", "ref": guid(2)},
    ]
    # 45 min 30 s of work, the one-hour minimum charged once: 1300.00, not 2 × 1300.00
    assert (first["seconds"], first["billable_minutes"], first["amount"]) == (2730, 60, "1300.00")
    assert (first["backup_confirmed"], first["consultant"]) == (True, "kvtest")
    assert second["segments"] == [
        {"start": "2026-11-24T13:00:00+03:00", "end": "2026-11-24T13:40:00+03:00", "ref": guid(3)}
    ]
    assert "imported session 1: remote for romashka, 2026-11-24 10:00–10:20, 10:25–10:50: " in stderr


def test_a_break_beyond_the_gap_is_a_session_of_its_own(run: Runner, clients: Path, tmp_path: Path) -> None:
    log = write_log(tmp_path / "Connections.txt", *DAY[:2])
    imported(run, log, "--merge-gap", "4m")
    assert [len(s["segments"]) for s in sessions(run)] == [1, 1]
    assert [s["amount"] for s in sessions(run)] == ["1300.00", "1300.00"]


def test_the_log_read_in_another_zone(run: Runner, clients: Path, tmp_path: Path) -> None:
    log = write_log(tmp_path / "Connections.txt", DAY[2])
    imported(run, log, "--tz", "Europe/Moscow")
    (only,) = sessions(run)
    assert only["start"] == "2026-11-24T10:00:00+03:00"


def test_short_connections_are_skipped_as_accidental(run: Runner, clients: Path, tmp_path: Path) -> None:
    short = outgoing(ROMASHKA_TV, "24-11-2026 12:00:00", "24-11-2026 12:00:40", 9)
    log = write_log(tmp_path / "Connections.txt", DAY[2], short)
    stderr = imported(run, log)
    assert "line 3 skipped: shorter than the minimum of 1 min: taken as accidental" in stderr
    assert len(sessions(run)) == 1
    run("session", "delete", "1")
    imported(run, log, "--min-length", "0")
    assert len(sessions(run)) == 2


# ------------------------------------------------- the incoming log, unknown IDs


def test_incoming_log_in_cp1251_with_cyrillic_names_and_an_unknown_partner(
    run: Runner, clients: Path, tmp_path: Path
) -> None:
    log = write_log(
        tmp_path / "Connections_incoming.txt",
        incoming(LESNAYA_TV, "Бухгалтерия ТСЖ", "25-11-2026 06:00:00", "25-11-2026 06:40:00", 11),
        incoming(LESNAYA_TV, "Бухгалтерия ТСЖ", "25-11-2026 06:40:07", "25-11-2026 06:50:00", 12),
        incoming(STRANGER_TV, "Иван Петрович", "25-11-2026 08:00:00", "25-11-2026 08:30:00", 13),
        incoming(STRANGER_TV, "Иван Петрович", "25-11-2026 12:00:00", "25-11-2026 12:05:00", 14),
        encoding="cp1251",
    )
    result = run("import", "teamviewer", str(log), "--backup-confirmed")
    assert result.code == 0, result.stderr
    assert (
        f"warning: partner {STRANGER_TV} «Иван Петрович» (2 connections, 35m) is no client's TeamViewer ID: "
        "not imported"
    ) in result.stderr
    assert "kvsupport client edit CODE --teamviewer-id ID" in result.stderr
    (only,) = sessions(run)
    assert (only["client"], len(only["segments"]), only["minutes"]) == (LESNAYA, 2, 49)

    # mapped now, the partner's rows come in; the others are there already
    assert (
        run("client", "edit", "romashka", "--teamviewer-id", ROMASHKA_TV, "--teamviewer-id", STRANGER_TV).code
        == 0
    )
    stderr = imported(run, log)
    assert "imported 2 sessions (2 connections)" in stderr
    assert "2 connections were in the ledger already" in stderr
    assert [s["client"] for s in sessions(run)] == [LESNAYA, "romashka", "romashka"]


def test_a_log_of_only_unknown_partners_imports_nothing_and_is_no_error(
    run: Runner, clients: Path, ledger_dir: Path, tmp_path: Path
) -> None:
    log = write_log(
        tmp_path / "Connections.txt", outgoing(STRANGER_TV, "24-11-2026 07:00:00", "24-11-2026 08:00:00", 1)
    )
    before = snapshot(ledger_dir)
    result = run("import", "teamviewer", str(log))
    assert result.code == 0, result.stderr
    assert f"warning: partner {STRANGER_TV} (1 connection, 1h00m)" in result.stderr
    assert result.stderr.splitlines()[-1] == "nothing to import"
    assert sessions(run) == []
    assert before.keys() <= snapshot(ledger_dir).keys()


# ------------------------------------------------------- importing again


def test_the_same_file_again_adds_nothing_and_says_so(
    run: Runner, clients: Path, ledger_dir: Path, tmp_path: Path
) -> None:
    log = write_log(tmp_path / "Connections.txt", *DAY)
    imported(run, log)
    listed = sessions(run)
    before = snapshot(ledger_dir)
    stderr = imported(run, log)
    assert stderr.splitlines()[-1] == "nothing new to import: 3 connections were in the ledger already"
    assert sessions(run) == listed
    assert snapshot(ledger_dir) == before


def test_a_grown_log_adds_its_new_rows_to_the_session_they_continue(
    run: Runner, clients: Path, tmp_path: Path
) -> None:
    imported(run, write_log(tmp_path / "Connections.txt", *DAY[:2]))
    (first,) = sessions(run)
    assert first["amount"] == "1300.00"
    grown = write_log(
        tmp_path / "Connections-later.txt",
        *DAY,
        outgoing(ROMASHKA_TV, "24-11-2026 07:55:00", "24-11-2026 08:30:00", 4),  # 5 min after row 2
    )
    stderr = imported(run, grown)
    assert "imported 1 session (1 connection)" in stderr
    assert "added 1 connection to session 1" in stderr
    assert "2 connections were in the ledger already" in stderr
    continued, later = sessions(run)
    assert continued["id"] == 1
    assert [seg["ref"] for seg in continued["segments"]] == [guid(1), guid(2), guid(4)]
    # 1 h 20 min 30 s in three segments, still one minimum: 81 min × 1300/60
    assert (continued["billable_minutes"], continued["amount"]) == (81, "1755.00")
    assert [seg["ref"] for seg in later["segments"]] == [guid(3)]


def test_a_row_overlapping_a_stored_session_is_reported_and_never_billed(
    run: Runner, clients: Path, tmp_path: Path
) -> None:
    typed = ("session", "add", "romashka", "line", "--start", "2026-11-24 12:50", "--duration", "30m")
    assert run(*typed).code == 0
    log = write_log(tmp_path / "Connections.txt", *DAY)
    stderr = imported(run, log)
    assert (
        "warning: line 4 (2026-11-24 13:00–13:40) overlaps session 1 "
        "(romashka, line, 2026-11-24 12:50–13:20): skipped"
    ) in stderr
    remote, line = sessions(run)  # oldest first
    assert (line["id"], line["service"], line["amount"]) == (1, "line", "0.00")
    assert [seg["ref"] for seg in remote["segments"]] == [guid(1), guid(2)]


# ------------------------------------------------------------ rules, dry run


def test_remote_without_backup_confirmed_is_refused_all_or_nothing(
    run: Runner, clients: Path, ledger_dir: Path, tmp_path: Path
) -> None:
    log = write_log(tmp_path / "Connections.txt", *DAY)
    before = snapshot(ledger_dir)
    result = run("import", "teamviewer", str(log))
    assert result.code == 1
    assert result.stdout == ""
    assert result.error_lines == [
        "error: line 2: remote for romashka needs the backup confirmed: pass --backup-confirmed "
        "if the client made a backup before each of these sessions",
        "error: line 4: remote for romashka needs the backup confirmed: pass --backup-confirmed "
        "if the client made a backup before each of these sessions",
    ]
    assert "hint: nothing was imported" in result.stderr
    assert snapshot(ledger_dir) == before
    # another service needs no backup: --service line takes them as the free line
    result = run("import", "teamviewer", str(log), "--service", "line")
    assert result.code == 0, result.stderr
    assert [s["service"] for s in sessions(run)] == ["line", "line"]


def test_dry_run_shows_local_times_and_amounts_and_stores_nothing(
    run: Runner, clients: Path, ledger_dir: Path, tmp_path: Path
) -> None:
    log = write_log(tmp_path / "Connections.txt", *DAY)
    before = snapshot(ledger_dir)
    result = run("import", "teamviewer", str(log), "--backup-confirmed", "--dry-run")
    assert result.code == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"Sessions from {log} (times in Europe/Moscow; the log read in UTC):",
        "romashka (ООО «Ромашка»), remote — new session",
        "  1. 2026-11-24 10:00:00 – 10:20:00     20m  line 2",
        "  2. 2026-11-24 10:25:00 – 10:50:30     25m  line 3",
        "  worked 45m, billed 60 min × 1300.00/h = 1300.00 RUB",
        "romashka (ООО «Ромашка»), remote — new session",
        "  1. 2026-11-24 13:00:00 – 13:40:00     40m  line 4",
        "  worked 40m, billed 60 min × 1300.00/h = 1300.00 RUB",
    ]
    assert result.stderr == "would import 2 sessions (3 connections)\n"
    assert snapshot(ledger_dir) == before


def test_dry_run_without_backup_confirmed_shows_the_plan_and_the_refusal(
    run: Runner, clients: Path, ledger_dir: Path, tmp_path: Path
) -> None:
    log = write_log(tmp_path / "Connections.txt", DAY[2])
    before = snapshot(ledger_dir)
    result = run("import", "teamviewer", str(log), "--dry-run", "--format", "json")
    assert result.code == 1
    plan = result.json()
    assert (plan["kind"], plan["tz"], plan["stored"]) == ("outgoing", "UTC", False)
    (proposed,) = plan["sessions"]
    assert (proposed["id"], proposed["client"], proposed["amount"], proposed["lines"]) == (
        None,
        "romashka",
        "1300.00",
        [2],
    )
    assert proposed["segments"][0]["ref"] == guid(3)
    assert result.error_lines[0].startswith("error: line 2: remote for romashka needs the backup confirmed")
    assert snapshot(ledger_dir) == before


def test_a_malformed_line_is_named_and_nothing_is_stored(
    run: Runner, clients: Path, ledger_dir: Path, tmp_path: Path
) -> None:
    log = write_log(tmp_path / "Connections.txt", DAY[0], "1660360496  24-11-2026 25:00:00  garbage")
    before = snapshot(ledger_dir)
    result = run("import", "teamviewer", str(log), "--backup-confirmed")
    assert result.code == 2
    assert result.first_error.startswith("error: line 3: not a connection row")
    assert "hint: fix or delete these lines of the log; nothing was imported" in result.stderr
    assert snapshot(ledger_dir) == before


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (("--tz", "Mars/Olympus"), "--tz 'Mars/Olympus' is not a time zone"),
        (("--merge-gap", "soon"), "--merge-gap: invalid duration 'soon'"),
        (("--service", "nosuch"), "nosuch"),
    ],
    ids=["tz", "gap", "service"],
)
def test_bad_options_are_refused(
    run: Runner, clients: Path, tmp_path: Path, argv: tuple[str, ...], words: str
) -> None:
    log = write_log(tmp_path / "Connections.txt", DAY[2])
    result = run("import", "teamviewer", str(log), "--backup-confirmed", *argv)
    assert result.code in (1, 2)
    assert words in result.first_error, result.stderr
    assert sessions(run) == []


def test_not_a_log_and_a_missing_file(run: Runner, clients: Path, tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("купить хлеб\n", "utf-8")
    result = run("import", "teamviewer", str(other))
    assert result.code == 2
    assert result.first_error.startswith(f"error: {other}: not a TeamViewer connection log")
    missing = run("import", "teamviewer", str(tmp_path / "none.txt"))
    assert missing.code == 2
    assert missing.first_error.startswith(f"error: cannot read {tmp_path / 'none.txt'}")


# ----------------------------------------------- import FILE is what it was


def test_import_file_is_still_the_default_of_import(run: Runner, clients: Path, tmp_path: Path) -> None:
    rows = "client,service,start,duration\nromashka,line,2026-11-20 10:00,15m\n"
    (tmp_path / "a.csv").write_text(rows, "utf-8")
    assert (
        run("import", str(tmp_path / "a.csv")).stderr == f"imported 1 session(s) from {tmp_path / 'a.csv'}\n"
    )
    as_json = '[{"client": "romashka", "service": "line", "start": "2026-11-21 10:00", "duration": "15m"}]'
    assert run("import", "--format", "json", "-", stdin=as_json).code == 0
    assert run("import", "file", "-", stdin=rows.replace("11-20", "11-22")).code == 0
    assert [s["start"][:10] for s in sessions(run)] == ["2026-11-20", "2026-11-21", "2026-11-22"]


def test_import_help_names_both_ways(run: Runner) -> None:
    result = run("import", "--help")
    assert result.code == 0
    assert "Usage: kvsupport import [OPTIONS] FILE|- | teamviewer FILE" in result.stdout
    assert "│ file " in result.stdout
    assert "│ teamviewer " in result.stdout
    assert run("import").stdout.strip() == result.stdout.strip()  # bare, the group shows its help


# ----------------------------------------------------- clients' TeamViewer IDs


def test_a_client_keeps_several_teamviewer_ids(run: Runner, clients: Path) -> None:
    shown = run("client", "show", LESNAYA, "--format", "json").json()
    assert (shown["teamviewer_id"], shown["teamviewer_ids"]) == ("11111111", ["11111111", LESNAYA_TV])
    assert run("client", "show", "romashka", "--format", "json").json()["teamviewer_ids"] == [ROMASHKA_TV]
    assert "teamviewer ids:  11111111, 565955529" in run("client", "show", LESNAYA).stdout
    assert run("client", "edit", LESNAYA, "--teamviewer-id", "").code == 0
    assert run("client", "show", LESNAYA, "--format", "json").json()["teamviewer_ids"] == []


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("1234567", "invalid TeamViewer ID '1234567': expected 8 to 11 digits"),
        ("123456789012", "invalid TeamViewer ID '123456789012'"),
        ("12345678x", "invalid TeamViewer ID '12345678x'"),
        (ROMASHKA_TV, f"TeamViewer ID {ROMASHKA_TV} is client romashka's already"),
    ],
)
def test_a_bad_or_taken_teamviewer_id_is_refused(run: Runner, clients: Path, typed: str, words: str) -> None:
    result = run("client", "edit", LESNAYA, "--teamviewer-id", typed)
    assert result.code in (1, 2)
    assert words in result.first_error, result.stderr
    assert run("client", "show", LESNAYA, "--format", "json").json()["teamviewer_ids"] == [
        "11111111",
        LESNAYA_TV,
    ]


@pytest.mark.russian
def test_a_reconnect_to_an_invoiced_session_is_a_new_session_and_says_so(
    run: Runner, clients: Path, ledger_dir: Path, tmp_path: Path, russian: dict[str, str | None]
) -> None:
    """Finding 7: the invoiced session is frozen, so the row is a new session with its own
    minimum; the dry run, the JSON and the import itself all say so, naming the invoice."""
    imported(run, write_log(tmp_path / "Connections.txt", *DAY[:2]))
    issued = run("invoice", "--month", "2026-11", "--date", "2026-11-30")
    assert issued.code == 0, issued.stderr
    (invoiced,) = sessions(run)
    number = invoiced["invoice"]
    grown = write_log(
        tmp_path / "Connections-later.txt",
        *DAY[:2],
        outgoing(ROMASHKA_TV, "24-11-2026 07:56:30", "24-11-2026 08:41:30", 4),  # 6 min after row 3
    )
    warning = (
        f"warning: line 4 continues session 1, already on invoice {number}: {{}}, its minimum charged "
        f"again; to make it one session, void invoice {number} and import the log again"
    )
    before = snapshot(ledger_dir)
    dry = run("import", "teamviewer", str(grown), "--backup-confirmed", "--dry-run")
    assert dry.code == 0, dry.stderr
    assert (
        f"romashka (ООО «Ромашка»), remote — new session (continues session 1, on invoice {number}: "
        "a second minimum)"
    ) in dry.stdout.splitlines()
    assert warning.format("it would be a new session") in dry.stderr.splitlines()
    plan = run("import", "teamviewer", str(grown), "--backup-confirmed", "--dry-run", "--format", "json")
    assert plan.code == 0, plan.stderr
    (proposed,) = plan.json()["sessions"]
    assert proposed["continues"] == {"session": 1, "invoice": number, "second_minimum": True}
    assert warning.format("it would be a new session") in plan.stderr.splitlines()
    said = run(
        "import", "teamviewer", str(grown), "--backup-confirmed", "--dry-run", env_extra=russian
    ).stderr
    assert said.startswith("предупреждение: ")
    assert number in said
    assert "минимум" in said
    assert snapshot(ledger_dir) == before

    stderr = imported(run, grown)
    assert warning.format("imported as a new session") in stderr.splitlines()
    first, second = sessions(run)
    assert (first["invoice"], len(first["segments"])) == (number, 2)
    assert (second["invoice"], second["amount"], second["segments"][0]["ref"]) == (None, "1300.00", guid(4))
    # an unfrozen session still takes the reconnect, without a word of this
    assert "continues" not in imported(run, write_log(tmp_path / "again.txt", *DAY[:2]))
