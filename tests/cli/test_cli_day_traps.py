"""Issue 12: a consultant's day without traps, each item through the command line."""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from cli_testkit import Runner, assert_refused, minute_ago, normalise, snapshot, stamp

from kvsupport.cli.undohint import undo_hint
from kvsupport.ops.invoices import month_to_invoice


@pytest.fixture
def t0() -> datetime:
    """A whole minute three hours ago."""
    return minute_ago(timedelta(hours=3))


def record(run: Runner, session_id: int) -> dict[str, object]:
    shown = run("session", "show", str(session_id), "--format", "json")
    assert shown.code == 0, shown.stderr
    found: dict[str, object] = shown.json()
    return found


# ------------------------------------------------------- items 1, 2, 4: times and notes


def test_a_second_stop_adds_to_the_note(run: Runner, romashka: str) -> None:
    """Item 4: the note of a resumed session's second stop is added, not put in place."""
    assert run("session", "start", romashka, "line", "--at", "-30m").code == 0
    assert run("session", "stop", "--at", "-20m", "--note", "связь оборвалась").code == 0
    assert run("session", "resume", "--at", "-10m").code == 0
    assert run("session", "stop", "--note", "пересчитали пени").code == 0
    assert record(run, 1)["note"] == "связь оборвалась\nпересчитали пени"


# ------------------------------------------------------- item 3: session edit


def test_edit_duration_sets_the_worked_time(run: Runner, romashka: str, t0: datetime) -> None:
    args = ("--problem", "пени", "--consent", "письмо")
    assert (
        run("session", "add", romashka, "backup", "--start", stamp(t0), "--duration", "45m", *args).code == 0
    )
    edited = run("session", "edit", "1", "--duration", "1 ч 1 мин")
    assert edited.code == 0, edited.stderr
    assert "edited session 1: worked 1h01m, billed 61 min × 1300.00/h = 1321.67 RUB" in edited.stderr
    shown = record(run, 1)
    assert (shown["minutes"], shown["amount"], shown["start"]) == (61, "1321.67", t0.isoformat())


def test_edit_duration_of_a_resumed_session_moves_the_last_end(run: Runner, romashka: str) -> None:
    assert run("session", "start", romashka, "line", "--at", "-60m").code == 0
    assert run("session", "stop", "--at", "-50m").code == 0
    assert run("session", "resume", "--at", "-40m").code == 0
    assert run("session", "stop", "--at", "-30m").code == 0
    assert run("session", "edit", "--duration", "15m").code == 0
    shown = record(run, 1)
    assert shown["minutes"] == 15
    segments = shown["segments"]
    assert isinstance(segments, list)
    first, last = (
        datetime.fromisoformat(seg["end"]) - datetime.fromisoformat(seg["start"]) for seg in segments
    )
    assert (first, last) == (timedelta(minutes=10), timedelta(minutes=5))
    refused = run("session", "edit", "--duration", "10m")
    assert_refused(refused, 2, "--duration 10m", "earlier segments")


def test_edit_without_an_id_edits_the_most_recent_session(run: Runner, romashka: str, t0: datetime) -> None:
    assert run("session", "add", romashka, "line", "--start", stamp(t0), "--duration", "5m").code == 0
    assert (
        run(
            "session", "add", romashka, "line", "--start", stamp(t0 - timedelta(days=1)), "--duration", "5m"
        ).code
        == 0
    )
    edited = run("session", "edit", "--note", "перезвонить")
    assert edited.code == 0, edited.stderr
    assert "edited session 2" in edited.stderr
    assert (record(run, 1)["note"], record(run, 2)["note"]) == (None, "перезвонить")
    ended = run("session", "edit", "--end", f"{(t0 - timedelta(days=1) + timedelta(minutes=20)):%H:%M}")
    assert ended.code == 0, ended.stderr
    assert record(run, 2)["minutes"] == 20  # a bare HH:MM on that session's own date


def test_edit_without_an_id_takes_the_running_session(run: Runner, romashka: str, t0: datetime) -> None:
    assert run("session", "add", romashka, "line", "--start", stamp(t0), "--duration", "5m").code == 0
    assert run("session", "start", romashka, "line", "--at", "-5m").code == 0
    assert run("session", "edit", "--note", "идёт").code == 0
    assert record(run, 2)["note"] == "идёт"
    assert_refused(run("session", "edit", "--duration", "10m"), 1, "session 2 is running")


def test_edit_without_an_id_with_no_session_is_refused(run: Runner, romashka: str, ledger_dir: Path) -> None:
    before = snapshot(ledger_dir)
    result = run("session", "edit", "--note", "x")
    assert_refused(result, 1, "no session to edit")
    assert "kvsupport session edit ID" in result.stderr
    assert snapshot(ledger_dir) == before


def test_edit_end_and_duration_together_are_refused(run: Runner, one_session: int) -> None:
    assert_refused(run("session", "edit", "--end", "10:00", "--duration", "10m"), 2, "--end or --duration")


# ------------------------------------------------------- item 10: --unbilled


def test_unbilled_lists_billable_work_only_never_free_calls(run: Runner, romashka: str, t0: datetime) -> None:
    backup = ("--problem", "пени", "--consent", "письмо")
    assert run("session", "add", romashka, "line", "--start", stamp(t0), "--duration", "10m").code == 0
    later = stamp(t0 + timedelta(minutes=20))
    assert run("session", "add", romashka, "backup", "--start", later, "--duration", "45m", *backup).code == 0
    listed = run("session", "list", "--all", "--unbilled", "--format", "json")
    assert listed.code == 0, listed.stderr
    assert [(row["id"], row["service"]) for row in listed.json()] == [(2, "backup")]
    everything = run("session", "list", "--all", "--format", "json").json()
    assert [row["id"] for row in everything] == [1, 2]


# ------------------------------------------------------- item 11: an empty default month


def last_month_day() -> datetime:
    """10:00 three days before this month began (Moscow time): a day of last month."""
    first = minute_ago(timedelta(0)).replace(day=1, hour=10, minute=0)
    return first - timedelta(days=3)


def test_an_empty_default_month_points_at_the_month_with_sessions(run: Runner, romashka: str) -> None:
    earlier = last_month_day()
    assert run("session", "add", romashka, "line", "--start", stamp(earlier), "--duration", "10m").code == 0
    listed = run("session", "list")
    assert listed.code == 0
    assert listed.stdout == ""
    this_month = f"{minute_ago(timedelta(0)):%Y-%m}"
    assert listed.stderr.splitlines() == [
        f"no sessions in {this_month}",
        f"hint: {earlier:%Y-%m} has some: --month {earlier:%Y-%m}",
    ]
    named = run("session", "list", "--month", this_month)
    assert named.stderr.strip() == f"no sessions in {this_month}"  # named: no pointer
    as_json = run("session", "list", "--format", "json")
    assert (as_json.stdout.strip(), as_json.stderr) == ("[]", "")


def test_the_pointer_follows_the_filters(run: Runner, romashka: str) -> None:
    earlier = last_month_day()
    assert run("session", "add", romashka, "line", "--start", stamp(earlier), "--duration", "10m").code == 0
    listed = run("session", "list", "--service", "backup")
    assert listed.stderr.splitlines() == [f"no sessions in {minute_ago(timedelta(0)):%Y-%m}"]


# ------------------------------------------------------- item 13: finding a session


@pytest.fixture
def three_sessions(run: Runner, romashka: str, t0: datetime) -> datetime:
    """Sessions 1-3 on three days: line «пени», backup «сальдо» (consent «письмо»), line note «Пени»."""
    backup = ("--problem", "не сходится сальдо", "--consent", "письмо от 20.11")
    days = [t0 - timedelta(days=2), t0 - timedelta(days=1), t0]
    assert (
        run(
            "session",
            "add",
            romashka,
            "line",
            "--start",
            stamp(days[0]),
            "--duration",
            "5m",
            "--problem",
            "пени",
        ).code
        == 0
    )
    assert (
        run("session", "add", romashka, "backup", "--start", stamp(days[1]), "--duration", "5m", *backup).code
        == 0
    )
    assert (
        run(
            "session",
            "add",
            romashka,
            "line",
            "--start",
            stamp(days[2]),
            "--duration",
            "5m",
            "--note",
            "ПЕНИ снова",
        ).code
        == 0
    )
    return t0


def ids(run: Runner, *args: str) -> list[int]:
    listed = run("session", "list", *args, "--format", "json")
    assert listed.code == 0, listed.stderr
    return [row["id"] for row in listed.json()]


def test_grep_searches_problem_note_and_consent_without_case(run: Runner, three_sessions: datetime) -> None:
    assert ids(run, "--all", "--grep", "пени") == [1, 3]
    assert ids(run, "--all", "--grep", "ПИСЬМО") == [2]
    assert ids(run, "--all", "--grep", "нет такого") == []


def test_service_and_dates_narrow_the_listing(run: Runner, three_sessions: datetime) -> None:
    t0 = three_sessions
    assert ids(run, "--all", "--service", "line") == [1, 3]
    day1 = f"{t0 - timedelta(days=1):%d.%m.%Y}"
    assert ids(run, "--from", day1) == [2, 3]
    assert ids(run, "--to", day1) == [1, 2]
    assert ids(run, "--from", day1, "--to", day1) == [2]
    assert ids(
        run, "--from", f"{t0 - timedelta(days=2):%Y-%m-%d}", "--service", "line", "--grep", "пени"
    ) == [1, 3]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--month", "2026-11", "--from", "2026-11-01"), "give one of --month, --from/--to and --all"),
        (("--all", "--to", "2026-11-01"), "give one of --month, --from/--to and --all"),
        (("--from", "2026-11-02", "--to", "2026-11-01"), "--to 2026-11-01 is before --from 2026-11-02"),
        (("--from", "32.11.2026"), "32.11.2026"),
    ],
)
def test_contradicting_ranges_are_refused(
    run: Runner, romashka: str, args: tuple[str, ...], says: str
) -> None:
    assert_refused(run("session", "list", *args), 2, says)


# ------------------------------------------------------- item 5: which month a bare invoice issues

BACKUP = ("--problem", "пени", "--consent", "письмо от 20.10")


@pytest.fixture
def october_and_november(run: Runner, romashka: str, moscow: Path) -> str:
    """A backup session on 20.10.2026 and one on 20.11.2026 (45 min each)."""
    for start in ("2026-10-20 10:00", "2026-11-20 10:00"):
        added = run("session", "add", romashka, "backup", "--start", start, "--duration", "45m", *BACKUP)
        assert added.code == 0, added.stderr
    return romashka


def periods(result_json: list[dict[str, object]]) -> list[object]:
    return [inv["period"] for inv in result_json]


def test_a_bare_invoice_issues_the_month_that_has_ended(run: Runner, october_and_november: str) -> None:
    issued = run("invoice", "--date", "2026-11-15", "--format", "json")
    assert issued.code == 0, issued.stderr
    assert periods(issued.json()) == ["2026-10"]
    assert issued.stderr.splitlines()[0] == (
        "invoicing 2026-10, the month that has ended (another: --month YYYY-MM)"
    )
    assert "issued 1 invoice(s) for 2026-10" in issued.stderr
    assert "in progress" not in issued.stderr


def test_on_a_months_last_day_a_bare_invoice_issues_that_month(
    run: Runner, october_and_november: str
) -> None:
    issued = run("invoice", "--date", "2026-11-30", "--dry-run", "--format", "json")
    assert issued.code == 0, issued.stderr
    assert periods(issued.json()) == ["2026-11"]
    assert issued.stderr.startswith("invoicing 2026-11, the month that has ended")


def test_on_the_first_a_bare_invoice_issues_the_month_before(run: Runner, october_and_november: str) -> None:
    issued = run("invoice", "--date", "2026-12-01", "--dry-run", "--format", "json")
    assert issued.code == 0, issued.stderr
    assert periods(issued.json()) == ["2026-11"]


@pytest.mark.parametrize(
    ("on", "month"),
    [
        (date(2027, 1, 1), (2026, 12)),
        (date(2026, 12, 31), (2026, 12)),
        (date(2028, 2, 28), (2028, 1)),
        (date(2028, 2, 29), (2028, 2)),
        (date(2026, 12, 2), (2026, 11)),
    ],
)
def test_month_to_invoice(on: date, month: tuple[int, int]) -> None:
    assert month_to_invoice(on) == month


def test_a_bare_invoice_today_never_issues_a_month_in_progress(
    run: Runner, october_and_november: str
) -> None:
    today = minute_ago(timedelta(0)).date()
    ended = (today + timedelta(days=1)).month != today.month
    previous = today.replace(day=1) - timedelta(days=1)
    expected = f"{today:%Y-%m}" if ended else f"{previous:%Y-%m}"
    issued = run("invoice", "--dry-run")
    assert issued.code == 0, issued.stderr
    assert issued.stderr.startswith(f"invoicing {expected}, the month that has ended")


def test_a_month_in_progress_named_is_issued_with_a_warning(run: Runner, october_and_november: str) -> None:
    issued = run("invoice", "--month", "2026-11", "--date", "2026-11-25", "--format", "json")
    assert issued.code == 0, issued.stderr
    assert periods(issued.json()) == ["2026-11"]
    assert issued.stderr.splitlines()[0] == (
        "warning: 2026-11 is still in progress (it ends 2026-11-30): work after 2026-11-25 will need "
        "another invoice"
    )
    quiet = run("invoice", "--month", "2026-10", "--date", "2026-11-25", "--dry-run")
    assert "in progress" not in quiet.stderr


# ------------------------------------------------------- item 8: what a removal says


def said(message: str) -> list[str]:
    """``message`` and, once ``kvsupport undo`` exists, its hint line."""
    hint = undo_hint()
    return [message, *([f"hint: {hint}"] if hint else [])]


def test_cancel_says_what_it_discarded(run: Runner, romashka: str) -> None:
    assert run("session", "start", romashka, "line", "--at", "-15m").code == 0
    cancelled = run("session", "cancel")
    assert cancelled.code == 0, cancelled.stderr
    assert normalise(cancelled.stderr).splitlines() == said(
        "cancelled session 1 (line for romashka (ООО «Ромашка»)), started <hh:mm>: <dur> not recorded"
    )
    assert "15m not recorded" in cancelled.stderr


def test_cancel_of_a_resumed_session_says_what_it_keeps(run: Runner, romashka: str) -> None:
    assert run("session", "start", romashka, "line", "--at", "-30m").code == 0
    assert run("session", "stop", "--at", "-20m").code == 0
    assert run("session", "resume", "--at", "-5m").code == 0
    cancelled = run("session", "cancel")
    assert cancelled.stderr.splitlines() == said(
        "dropped the open segment 2 of session 1; its earlier segments are kept (worked 10m)"
    )


def test_delete_says_what_it_deleted(run: Runner, romashka: str) -> None:
    backup = ("--problem", "пени", "--consent", "письмо")
    assert (
        run(
            "session", "add", romashka, "backup", "--start", "2026-11-24 10:00", "--end", "11:01", *backup
        ).code
        == 0
    )
    deleted = run("session", "delete", "1")
    assert deleted.code == 0, deleted.stderr
    assert deleted.stdout == ""
    assert deleted.stderr.splitlines() == said(
        "deleted session 1 (romashka, backup, 2026-11-24 10:00–11:01, worked 1h01m, 1321.67 RUB)"
    )


def test_a_discarded_order_session_says_its_order_is_open_again(run: Runner, romashka: str) -> None:
    soon = stamp(minute_ago(timedelta(minutes=-30)))
    assert run("order", "add", romashka, "line", "--at", soon).code == 0
    assert run("session", "start", "--order", "1", "--at", "-1m").code == 0
    cancelled = run("session", "cancel")
    assert cancelled.stderr.splitlines()[0].endswith("; order 1 is open again")


def test_quiet_removals_say_nothing(run: Runner, romashka: str) -> None:
    assert run("session", "start", romashka, "line", "--at", "-15m").code == 0
    assert run("-q", "session", "cancel").stderr == ""


# ------------------------------------------------------- item 9: show and status


def test_show_prints_the_whole_record(run: Runner, romashka: str) -> None:
    soon = stamp(minute_ago(timedelta(minutes=-30)))
    assert run("order", "add", romashka, "backup", "--at", soon, "--problem", "не считаются пени").code == 0
    started = run("session", "start", "--order", "1", "--consent", "письмо от 20.11.2026", "--at", "-20m")
    assert started.code == 0, started.stderr
    assert run("session", "stop", "--at", "-10m", "--note", "связь оборвалась").code == 0
    assert run("session", "resume", "--at", "-5m").code == 0
    assert run("session", "stop", "--note", "пересчитали пени").code == 0
    shown = run("session", "show", "1")
    assert shown.code == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[1:8] == [
        "problem:  не считаются пени",
        "consent:  письмо от 20.11.2026",
        "phone:    +7 495 123-45-67 (the client's)",
        "note:     связь оборвалась",
        "          пересчитали пени",
        "order:    #1",
        "consultant: kvtest",
    ]
    assert lines[8] == "segments:"
    assert "amount:   1300.00 × 60 / 60 = 1300.00 RUB (half-up to kopecks)" in lines


def test_status_shows_the_phone_teamviewer_and_the_minimum(run: Runner, romashka: str) -> None:
    assert run("client", "edit", romashka, "--teamviewer-id", "123 456 789").code == 0
    backup = ("--problem", "пени", "--consent", "письмо")
    assert (
        run(
            "session", "start", romashka, "backup", "--at", "-20m", *backup, "--phone", "+7 916 000-11-22"
        ).code
        == 0
    )
    status = run("session", "status")
    assert status.code == 0, status.stderr
    lines = status.stdout.splitlines()
    assert lines[2] == "  phone +7 916 000-11-22, TeamViewer 123456789"
    assert lines[3] in (
        "  the 60-min minimum is used up in 40 min",
        "  the 60-min minimum is used up in 39 min",
    )
    record = run("session", "status", "--format", "json").json()
    assert list(record)[:2] == ["running", "next_order"]  # the keys it had, in their place
    assert record["running"]["id"] == 1
    assert (record["phone"], record["teamviewer_id"]) == ("+7 916 000-11-22", "123456789")
    assert record["minimum_left_minutes"] in (39, 40)


def test_status_of_a_free_call_has_no_minimum_and_the_clients_phone(run: Runner, romashka: str) -> None:
    assert run("session", "start", romashka, "line", "--at", "-2m").code == 0
    lines = run("session", "status").stdout.splitlines()
    assert lines[2:] == ["  phone +7 495 123-45-67"]
    record = run("session", "status", "--format", "json").json()
    assert (record["phone"], record["teamviewer_id"], record["minimum_left_minutes"]) == (
        "+7 495 123-45-67",
        None,
        None,
    )


def test_status_past_the_minimum_says_it_is_used_up(run: Runner, romashka: str) -> None:
    assert run("session", "start", romashka, "remote", "--backup-confirmed", "--at", "-61m").code == 0
    assert "  the 60-min minimum is used up" in run("session", "status").stdout.splitlines()
    assert run("session", "status", "-f", "json").json()["minimum_left_minutes"] == 0


# ------------------------------------------------------- item 14: orders


def put_past_order(client: str, service: str, when: datetime) -> int:
    """An order whose time has passed, put straight into the ledger (the command line only
    schedules ahead, and a test cannot wait for an order's time to pass)."""
    from kvsupport.core.models import Order
    from kvsupport.storage import open_store

    with open_store(os.environ["KVSUPPORT_LEDGER"], write=True) as store:
        order = Order(id=store.new_order_id(), client=client, service=service, at=when)
        store.put_order(order)
        return order.id


def test_a_missed_order_shows_in_order_list_and_status(run: Runner, romashka: str) -> None:
    when = minute_ago(timedelta(hours=2))
    put_past_order(romashka, "remote", when)
    listed = run("order", "list", "--format", "json").json()
    assert [(row["id"], row["status"], row["missed"]) for row in listed] == [(1, "open", True)]
    text = run("order", "list").stdout
    (row,) = [line for line in text.splitlines() if line.split() and line.split()[0] == "1"]
    assert row.split()[-1] == "missed"
    status = run("session", "status")
    assert status.stdout.splitlines() == [
        "no session is running",
        f"missed order: #1 romashka remote at {when:%H:%M} (start it: --order 1; or cancel it)"
        if when.date() == minute_ago(timedelta(0)).date()
        else f"missed order: #1 romashka remote at {when:%Y-%m-%d %H:%M} (start it: --order 1; or cancel it)",
    ]
    record = run("session", "status", "--format", "json").json()
    assert record["missed_orders"] == [
        {"id": 1, "client": "romashka", "service": "remote", "at": when.isoformat()}
    ]
    # started late all the same, it is missed no more
    assert run("session", "start", "--order", "1", "--backup-confirmed").code == 0
    assert run("session", "status", "--format", "json").json()["missed_orders"] == []
    assert run("order", "list", "--format", "json").json() == []


def test_an_order_just_due_is_the_next_not_missed(run: Runner, romashka: str) -> None:
    when = minute_ago(timedelta(minutes=5))
    if when.date() != minute_ago(timedelta(0)).date():
        pytest.skip("just after midnight: five minutes ago was yesterday")
    put_past_order(romashka, "remote", when)
    record = run("session", "status", "--format", "json").json()
    assert (record["next_order"]["id"], record["missed_orders"]) == (1, [])


def test_a_duplicate_order_is_refused(run: Runner, romashka: str, ledger_dir: Path) -> None:
    when = stamp(minute_ago(timedelta(days=-2)))
    assert run("order", "add", romashka, "remote", "--at", when).code == 0
    before = snapshot(ledger_dir)
    again = run("order", "add", "ROMASHKA", "remote", "--at", when)
    assert_refused(again, 1, "order 1 is for the same: remote for romashka at")
    assert "kvsupport order cancel" in again.stderr
    assert snapshot(ledger_dir) == before
    assert run("order", "add", romashka, "backup", "--at", when).code == 0  # another service
    assert run("order", "cancel", "1").code == 0
    assert run("order", "add", romashka, "remote", "--at", when).code == 0  # the first is cancelled
