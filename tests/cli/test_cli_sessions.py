"""The consultant's day through the installed ``kvsupport``: clients, sessions, charges (SPEC §3, §5, §6)."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from cli_testkit import MONEY, Runner, minute_ago, month_of, now_local, snapshot, stamp

SESSION_KEYS = {
    "id",
    "client",
    "service",
    "segments",
    "start",
    "end",
    "minutes",
    "billable_minutes",
    "tariff",
    "rate",
    "amount",
    "invoice",
    "problem",
    "note",
}


@pytest.fixture
def t0() -> datetime:
    """A whole minute three hours ago: sessions logged from here are in the past."""
    return minute_ago(timedelta(hours=3))


def at(moment: datetime, minutes: int = 0) -> str:
    """``moment`` plus ``minutes``, as typed after ``--at``."""
    return stamp(moment + timedelta(minutes=minutes))


def show_json(run: Runner, session_id: int) -> dict[str, object]:
    result = run("session", "show", str(session_id), "--format", "json")
    assert result.code == 0, result.stderr
    record: dict[str, object] = result.json()
    return record


def listing(run: Runner, moment: datetime) -> list[dict[str, object]]:
    result = run("session", "list", "--month", month_of(moment), "--format", "json")
    assert result.code == 0, result.stderr
    rows: list[dict[str, object]] = result.json()
    return rows


# ------------------------------------------------------------------ clients


def test_client_add_with_a_cyrillic_code(run: Runner) -> None:
    result = run(
        "client", "add", "тсж-лесная", "--name", "ТСЖ «Лесная 5»", "--inn", "7707083893", "--kpp", "770701001"
    )
    assert result.code == 0
    assert result.stdout == ""
    assert "тсж-лесная" in result.stderr

    shown = run("client", "show", "тсж-лесная", "--format", "json")
    assert shown.code == 0
    assert shown.stderr == ""
    record = shown.json()
    assert (record["code"], record["name"], record["inn"], record["kpp"]) == (
        "тсж-лесная",
        "ТСЖ «Лесная 5»",
        "7707083893",
        "770701001",
    )


def test_client_add_duplicate_is_refused(run: Runner) -> None:
    assert run("client", "add", "тсж-лесная", "--name", "Первая").code == 0
    result = run("client", "add", "тсж-лесная", "--name", "Вторая")
    assert result.code == 1
    assert result.stdout == ""
    assert result.first_error.startswith("error:")
    assert "тсж-лесная" in result.first_error
    assert run("client", "show", "тсж-лесная", "--format", "json").json()["name"] == "Первая"


def test_client_add_bad_inn_is_refused(run: Runner) -> None:
    result = run("client", "add", "x", "--name", "X", "--inn", "7707083894")
    assert result.code == 2
    assert result.stdout == ""
    assert result.first_error.startswith("error:")
    assert "INN" in result.first_error
    assert "7707083894" in result.first_error
    assert run("client", "list", "--format", "json").stdout.strip() == "[]"


@pytest.mark.parametrize("kpp", ["77070100", "7707010011"])
def test_client_add_kpp_of_wrong_length_is_refused(run: Runner, kpp: str) -> None:
    result = run("client", "add", "x", "--name", "X", "--inn", "7707083893", "--kpp", kpp)
    assert result.code == 2
    assert result.stdout == ""
    assert result.first_error.startswith("error:")
    assert "KPP" in result.first_error
    assert run("client", "list", "--format", "json").stdout.strip() == "[]"


# ------------------------------------------------------------ preconditions


def test_backup_without_problem_phone_consent_says_what_is_missing(run: Runner, moscow: Path) -> None:
    assert run("client", "add", "bezsvyazi", "--name", "Без телефона").code == 0
    result = run("session", "start", "bezsvyazi", "backup")
    assert result.code == 1
    assert result.stdout == ""
    assert result.first_error.startswith("error:")
    for missing in ("problem", "phone", "consent"):
        assert missing in result.first_error
    for option in ("--problem", "--phone", "--consent"):
        assert option in result.stderr
    assert "Traceback" not in result.stderr
    assert run("session", "status").stdout.strip() == "no session is running"


def test_backup_names_only_what_is_still_missing(run: Runner, moscow: Path) -> None:
    assert run("client", "add", "bezsvyazi", "--name", "Без телефона").code == 0
    result = run(
        "session", "start", "bezsvyazi", "backup", "--problem", "не считает пени", "--phone", "+74951234567"
    )
    assert result.code == 1
    assert "consent" in result.first_error
    assert "phone" not in result.first_error
    assert "problem" not in result.first_error
    assert "--consent" in result.stderr


def test_backup_takes_the_phone_from_the_client(run: Runner, romashka: str) -> None:
    result = run("session", "start", romashka, "backup", "--problem", "пени", "--consent", "письмо от 20.11")
    assert result.code == 0, result.stderr
    assert result.stdout == ""


def test_remote_without_backup_confirmed_is_refused(run: Runner, romashka: str) -> None:
    result = run("session", "start", romashka, "remote")
    assert result.code == 1
    assert result.stdout == ""
    assert result.first_error.startswith("error:")
    assert "backup" in result.first_error
    assert "--backup-confirmed" in result.stderr
    assert run("session", "start", romashka, "remote", "--backup-confirmed").code == 0


# ------------------------------------------------------- start, status, stop


def test_start_status_stop_charges_61_minutes_of_backup(run: Runner, romashka: str, t0: datetime) -> None:
    started = run(
        "session", "start", romashka, "backup", "--at", at(t0), "--problem", "пени", "--consent", "письмо"
    )
    assert started.code == 0, started.stderr
    assert started.stdout == ""
    assert started.stderr.startswith("started session 1:")

    status = run("session", "status")
    assert status.code == 0
    assert status.stdout.startswith("session 1: backup for romashka")
    assert status.stderr == ""

    stopped = run("session", "stop", "--at", at(t0, 61))
    assert stopped.code == 0, stopped.stderr
    assert stopped.stdout == ""
    assert "1321.67" in stopped.stderr

    record = show_json(run, 1)
    assert record["minutes"] == 61
    assert record["billable_minutes"] == 61
    assert record["rate"] == "1300.00"
    assert record["amount"] == "1321.67"
    assert record["tariff"] == "2017-01-01"
    assert record["end"] is not None
    assert run("session", "status").stdout.strip() == "no session is running"


def test_45_minutes_of_backup_are_charged_the_minimum(run: Runner, romashka: str, t0: datetime) -> None:
    args = ("--problem", "пени", "--consent", "письмо")
    result = run("session", "add", romashka, "backup", "--start", at(t0), "--end", at(t0, 45), *args)
    assert result.code == 0, result.stderr
    record = show_json(run, 1)
    assert (record["minutes"], record["billable_minutes"], record["amount"]) == (45, 60, "1300.00")


def test_stop_with_nothing_running_is_refused(run: Runner, romashka: str) -> None:
    result = run("session", "stop")
    assert result.code == 1
    assert result.stdout == ""
    assert result.first_error == "error: no session is running"


def test_second_start_names_the_running_session(run: Runner, romashka: str) -> None:
    assert run("session", "start", romashka, "line", "--at", "-10m").code == 0
    result = run("session", "start", romashka, "line")
    assert result.code == 1
    assert result.stdout == ""
    assert result.first_error.startswith("error: session 1 is running")
    assert len(listing(run, minute_ago(timedelta(minutes=10)))) == 1


# ----------------------------------------------------------------- overlaps


def test_overlap_with_an_earlier_session_is_refused_unless_allowed(
    run: Runner, romashka: str, t0: datetime
) -> None:
    assert run("session", "add", romashka, "line", "--start", at(t0), "--duration", "1h").code == 0
    refused = run("session", "add", romashka, "line", "--start", at(t0, 30), "--duration", "1h")
    assert refused.code == 1
    assert refused.stdout == ""
    assert refused.first_error.startswith("error: overlaps session 1 ")
    assert "--allow-overlap" in refused.stderr
    assert len(listing(run, t0)) == 1

    allowed = run(
        "session", "add", romashka, "line", "--start", at(t0, 30), "--duration", "1h", "--allow-overlap"
    )
    assert allowed.code == 0, allowed.stderr
    assert [row["id"] for row in listing(run, t0)] == [1, 2]


def test_a_running_session_counts_as_open_ended(run: Runner, romashka: str) -> None:
    assert run("session", "start", romashka, "line", "--at", "-60m").code == 0
    result = run("session", "add", romashka, "line", "--start", "-30m", "--duration", "10m")
    assert result.code == 1
    assert result.first_error.startswith("error: overlaps session 1 ")


def test_sessions_back_to_back_do_not_overlap(run: Runner, romashka: str, t0: datetime) -> None:
    assert run("session", "add", romashka, "line", "--start", at(t0), "--end", at(t0, 30)).code == 0
    result = run("session", "add", romashka, "line", "--start", at(t0, 30), "--end", at(t0, 40))
    assert result.code == 0, result.stderr


# ------------------------------------------------------------ resume, cancel


def test_resume_continues_the_same_session_and_charges_the_minimum_once(
    run: Runner, romashka: str, t0: datetime
) -> None:
    assert run("session", "start", romashka, "remote", "--backup-confirmed", "--at", at(t0)).code == 0
    assert run("session", "stop", "--at", at(t0, 20)).code == 0

    resumed = run("session", "resume", "--at", at(t0, 25), "--format", "json")
    assert resumed.code == 0, resumed.stderr
    assert resumed.json()["id"] == 1
    assert resumed.stderr.startswith("resumed session 1 ")
    assert "segment 2" in resumed.stderr
    assert run("session", "stop", "--at", at(t0, 55)).code == 0

    record = show_json(run, 1)
    segments = record["segments"]
    assert isinstance(segments, list)
    assert len(segments) == 2
    assert (record["minutes"], record["billable_minutes"], record["amount"]) == (50, 60, "1300.00")
    assert len(listing(run, t0)) == 1


def test_resume_by_id_and_its_open_segment_counts_as_open_ended(
    run: Runner, romashka: str, t0: datetime
) -> None:
    assert run("session", "add", romashka, "line", "--start", at(t0, 20), "--duration", "10m").code == 0
    assert run("session", "add", romashka, "line", "--start", at(t0), "--duration", "10m").code == 0
    refused = run("session", "resume", "2", "--at", at(t0, 15))
    assert refused.code == 1
    assert refused.first_error.startswith("error: overlaps session 1 ")

    result = run("session", "resume", "1", "--at", at(t0, 35))
    assert result.code == 0, result.stderr
    assert result.stderr.startswith("resumed session 1 ")


def test_resume_with_nothing_stopped_is_refused(run: Runner, romashka: str) -> None:
    result = run("session", "resume")
    assert result.code == 1
    assert result.stdout == ""
    assert result.first_error.startswith("error:")


def test_cancel_of_a_resumed_session_drops_only_the_open_segment(
    run: Runner, romashka: str, t0: datetime
) -> None:
    assert run("session", "start", romashka, "remote", "--backup-confirmed", "--at", at(t0)).code == 0
    assert run("session", "stop", "--at", at(t0, 20)).code == 0
    assert run("session", "resume", "--at", at(t0, 25)).code == 0

    result = run("session", "cancel")
    assert result.code == 0, result.stderr
    assert result.stdout == ""
    assert "dropped the open segment 2 of session 1" in result.stderr

    record = show_json(run, 1)
    segments = record["segments"]
    assert isinstance(segments, list)
    assert len(segments) == 1
    assert record["end"] is not None
    assert record["minutes"] == 20
    assert run("session", "status").stdout.strip() == "no session is running"


def test_cancel_of_a_fresh_session_removes_it(run: Runner, romashka: str) -> None:
    assert run("session", "start", romashka, "line", "--at", "-5m").code == 0
    result = run("session", "cancel")
    assert result.code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith("cancelled session 1 ")
    assert run("session", "list", "--format", "json").stdout.strip() == "[]"
    assert run("session", "show", "1").code == 1
    assert run("session", "cancel").code == 1


# --------------------------------------------------------------------- add


def test_add_with_duration(run: Runner, romashka: str, t0: datetime) -> None:
    result = run(
        "session", "add", romashka, "remote", "--start", at(t0), "--duration", "1h30m", "--backup-confirmed"
    )
    assert result.code == 0, result.stderr
    assert result.stdout == ""
    assert "1950.00" in result.stderr
    record = show_json(run, 1)
    assert (record["minutes"], record["billable_minutes"], record["amount"]) == (90, 90, "1950.00")


def test_add_with_end(run: Runner, romashka: str, t0: datetime) -> None:
    result = run(
        "session", "add", romashka, "line", "--start", at(t0), "--end", at(t0, 15), "--format", "json"
    )
    assert result.code == 0, result.stderr
    record = result.json()
    assert (record["id"], record["minutes"], record["amount"]) == (1, 15, "0.00")


@pytest.mark.parametrize("given", [("--end", "PLUS15", "--duration", "15m"), ()], ids=["both", "neither"])
def test_add_needs_exactly_one_of_end_and_duration(
    run: Runner, romashka: str, t0: datetime, given: tuple[str, ...]
) -> None:
    args = tuple(at(t0, 15) if a == "PLUS15" else a for a in given)
    result = run("session", "add", romashka, "line", "--start", at(t0), *args)
    assert result.code == 2
    assert result.stdout == ""
    assert result.first_error.startswith("error:")
    assert "--end" in result.first_error
    assert "--duration" in result.first_error
    assert listing(run, t0) == []


# ---------------------------------------------------------- list and show


def test_list_json_shape(run: Runner, romashka: str, t0: datetime) -> None:
    args = ("--problem", "пени", "--consent", "письмо", "--note", "готово")
    assert run("session", "add", romashka, "backup", "--start", at(t0), "--duration", "61m", *args).code == 0
    result = run("session", "list", "--month", month_of(t0), "--format", "json")
    assert result.code == 0
    assert result.stderr == ""
    (row,) = result.json()
    assert set(row) >= SESSION_KEYS
    assert (row["id"], row["client"], row["service"]) == (1, "romashka", "backup")
    assert (row["problem"], row["note"], row["invoice"]) == ("пени", "готово", None)
    assert (row["minutes"], row["billable_minutes"], row["tariff"]) == (61, 61, "2017-01-01")
    assert row["segments"] == [{"start": row["start"], "end": row["end"], "ref": None}]
    assert datetime.fromisoformat(row["end"]) - datetime.fromisoformat(row["start"]) == timedelta(minutes=61)
    assert datetime.fromisoformat(row["start"]).utcoffset() == timedelta(hours=3)
    for key in ("rate", "amount"):
        assert isinstance(row[key], str)
        assert MONEY.fullmatch(row[key])
    assert (row["rate"], row["amount"]) == ("1300.00", "1321.67")


def test_list_csv_has_a_header_row(run: Runner, romashka: str, t0: datetime) -> None:
    assert run("session", "add", romashka, "line", "--start", at(t0), "--duration", "15m").code == 0
    result = run("session", "list", "--month", month_of(t0), "--format", "csv")
    assert result.code == 0
    assert result.stderr == ""
    header = result.stdout.splitlines()[0].split(",")
    assert {"id", "client", "service", "start", "end", "amount"} <= set(header)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 1
    assert (rows[0]["id"], rows[0]["client"], rows[0]["amount"]) == ("1", "romashka", "0.00")


def test_empty_listing(run: Runner, romashka: str) -> None:
    as_json = run("session", "list", "--format", "json")
    assert as_json.code == 0
    assert as_json.stdout.strip() == "[]"
    assert as_json.stderr == ""

    as_text = run("session", "list")
    assert as_text.code == 0
    assert as_text.stdout == ""
    assert as_text.stderr.strip() == f"no sessions in {month_of(now_local())}"

    as_csv = run("session", "list", "--format", "csv")
    assert as_csv.code == 0
    assert len(as_csv.stdout.splitlines()) == 1
    assert as_csv.stdout.startswith("id,")


def test_list_filters_by_client(run: Runner, romashka: str, t0: datetime) -> None:
    assert run("client", "add", "тсж-лесная", "--name", "ТСЖ").code == 0
    assert run("session", "add", romashka, "line", "--start", at(t0), "--duration", "5m").code == 0
    assert run("session", "add", "тсж-лесная", "line", "--start", at(t0, 10), "--duration", "5m").code == 0
    result = run("session", "list", "--month", month_of(t0), "--client", "тсж-лесная", "--format", "json")
    assert result.code == 0
    assert [row["client"] for row in result.json()] == ["тсж-лесная"]


def test_show_explains_the_charge(run: Runner, romashka: str, t0: datetime) -> None:
    args = ("--problem", "пени", "--consent", "письмо")
    assert run("session", "add", romashka, "backup", "--start", at(t0), "--duration", "61m", *args).code == 0
    result = run("session", "show", "1")
    assert result.code == 0
    assert result.stderr == ""
    text = result.stdout
    for word in ("rounded", "minimum", "billed", "tariff", "rate", "amount"):
        assert word in text
    assert "61 min" in text
    assert "1300.00" in text
    assert "1321.67" in text
    assert "2017-01-01" in text


# ------------------------------------------------------------ edit, delete


def test_edit_end_recomputes_the_charge(run: Runner, romashka: str, t0: datetime) -> None:
    args = ("--problem", "пени", "--consent", "письмо")
    assert run("session", "add", romashka, "backup", "--start", at(t0), "--duration", "45m", *args).code == 0
    assert show_json(run, 1)["amount"] == "1300.00"

    result = run("session", "edit", "1", "--end", at(t0, 61))
    assert result.code == 0, result.stderr
    assert result.stdout == ""
    assert "1321.67" in result.stderr
    record = show_json(run, 1)
    assert (record["minutes"], record["amount"]) == (61, "1321.67")


def test_edit_note(run: Runner, romashka: str, t0: datetime) -> None:
    assert run("session", "add", romashka, "line", "--start", at(t0), "--duration", "5m").code == 0
    assert run("session", "edit", "1", "--note", "перезвонить").code == 0
    assert show_json(run, 1)["note"] == "перезвонить"


def test_edit_keeps_the_rules_of_add_and_an_empty_text_clears(
    run: Runner, romashka: str, t0: datetime, ledger_dir: Path
) -> None:
    assert (
        run("session", "add", romashka, "line", "--start", at(t0), "--duration", "5m", "--note", "x").code
        == 0
    )
    before = snapshot(ledger_dir)
    for args, says in (
        (("--end", stamp(t0 + timedelta(days=400))), "is in the future"),
        (("--start", stamp(t0 + timedelta(days=400))), "is in the future"),
        (("--phone", "x"), "invalid phone 'x'"),
        (("--end", at(t0, -10)), "a segment must end after it starts: "),
    ):
        refused = run("session", "edit", "1", *args)
        assert refused.code == 2, args
        assert refused.first_error.startswith("error: "), args
        assert says in refused.first_error, refused.stderr
    assert snapshot(ledger_dir) == before
    assert run("session", "edit", "1", "--note", "", "--phone", "+7 495 000-00-00").code == 0
    record = show_json(run, 1)
    assert (record["note"], record["phone"]) == (None, "+7 495 000-00-00")


def test_delete(run: Runner, romashka: str, t0: datetime) -> None:
    assert run("session", "add", romashka, "line", "--start", at(t0), "--duration", "5m").code == 0
    result = run("session", "delete", "1")
    assert result.code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith("deleted session 1 ")
    assert listing(run, t0) == []
    again = run("session", "delete", "1")
    assert again.code == 1
    assert again.first_error.startswith("error:")


# ----------------------------------------------------------------- licence


def test_line_for_a_client_whose_licence_ended_warns(run: Runner, moscow: Path) -> None:
    assert run("client", "add", "old", "--name", "Старый", "--license-until", "2020-01-01").code == 0
    result = run("session", "start", "old", "line", "--at", "-5m")
    assert result.code == 0, result.stderr
    assert result.stdout == ""
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1
    assert "licence" in warnings[0]
    assert "2020-01-01" in warnings[0]
    assert "error:" not in result.stderr
    assert run("client", "show", "old", "--format", "json").json()["license_ended"] is True


def test_line_within_the_licence_does_not_warn(run: Runner, moscow: Path) -> None:
    assert run("client", "add", "new", "--name", "Новый", "--license-until", "2099-12-31").code == 0
    result = run("session", "start", "new", "line", "--at", "-5m")
    assert result.code == 0, result.stderr
    assert "warning:" not in result.stderr


def test_a_discarded_session_reopens_its_order(run: Runner, romashka: str, t0: datetime) -> None:
    later = stamp(t0 + timedelta(days=2))
    assert run("order", "add", romashka, "line", "--at", later, "--problem", "печать").code == 0

    def order_status() -> tuple[str, int | None]:
        (order,) = run("order", "list", "--all", "--format", "json").json()
        return order["status"], order["session"]

    assert run("session", "start", "--order", "1", "--at", "-5m").code == 0
    assert order_status() == ("done", 1)
    assert run("session", "cancel").code == 0
    assert order_status() == ("open", None)
    assert run("session", "start", "--order", "1", "--at", "-5m").code == 0
    assert run("session", "stop").code == 0
    assert order_status() == ("done", 2)
    assert run("session", "delete", "2").code == 0
    assert order_status() == ("open", None)


def test_a_segment_ending_on_the_next_day_shows_that_day(run: Runner, romashka: str) -> None:
    added = run("session", "add", romashka, "line", "--start", "2026-11-27 23:30", "--duration", "1h")
    assert added.code == 0, added.stderr
    listed = run("session", "list", "--month", "2026-11")
    assert "23:30–2026-11-28 00:30" in listed.stdout
    shown = run("session", "show", "1")
    assert "1. 2026-11-27 23:30:00 – 2026-11-28 00:30:00  1h00m" in shown.stdout


def test_start_in_json_carries_the_charge_so_far(run: Runner, romashka: str) -> None:
    args = ("--problem", "пени", "--consent", "письмо", "--at", "-10m", "--format", "json")
    record = run("session", "start", romashka, "backup", *args).json()
    assert (record["running"], record["tariff"], record["rate"]) == (True, "2017-01-01", "1300.00")
    assert (record["billable_minutes"], record["amount"]) == (60, "1300.00")


def test_a_stop_seconds_after_the_start_warns_of_the_minimum(run: Runner, romashka: str) -> None:
    """Times from the clock are whole minutes; a start typed with seconds can still be a slip."""
    begin = (now_local() - timedelta(hours=2)).replace(second=30, microsecond=0)
    started = run("session", "start", romashka, "remote", "--backup-confirmed", "--at", begin.isoformat())
    assert started.code == 0, started.stderr
    stopped = run("session", "stop", "--at", (begin + timedelta(seconds=30)).isoformat())
    assert stopped.code == 0, stopped.stderr
    assert "session 1 lasted 30 s and is billed 60 min; if it was a slip: kvsupport session delete 1" in (
        stopped.stderr
    )
