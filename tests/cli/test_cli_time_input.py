"""Times typed on the command line (SPEC §5): relative, clock, swallowed options, the future."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from cli_testkit import Result, Runner, assert_refused, invoke, now_local, snapshot, stamp

FRONT_ENDS = ["fast", "typer"]


def either(front_end: str, *args: str) -> Result:
    """Run through the fast path or, with ``KVSUPPORT_NO_FAST_PATH=1``, the Typer app."""
    return invoke(args, fast=front_end == "fast")


def test_relative_at_is_minutes_ago_not_months(run: Runner, romashka: str) -> None:
    before = now_local().replace(second=0, microsecond=0)
    result = run("session", "start", romashka, "line", "--at", "-15m", "--format", "json")
    after = now_local()
    assert result.code == 0, result.stderr
    start = datetime.fromisoformat(result.json()["start"])
    assert start.utcoffset() == timedelta(hours=3)
    assert before - timedelta(minutes=15) <= start <= after - timedelta(minutes=15)
    assert (start.second, start.microsecond) == (0, 0)  # the clock's seconds are dropped


def test_relative_hours_and_minutes(run: Runner, romashka: str) -> None:
    result = run("session", "start", romashka, "line", "--at", "-1h30m", "--format", "json")
    assert result.code == 0, result.stderr
    start = datetime.fromisoformat(result.json()["start"])
    assert abs(now_local() - timedelta(minutes=90) - start) < timedelta(seconds=70)


@pytest.mark.parametrize("front_end", FRONT_ENDS)
def test_61_minutes_ago_and_a_stop_now_are_worked_and_billed_alike(romashka: str, front_end: str) -> None:
    """Issue 12, item 2: whole minutes from the clock, so worked and billed never differ by a second."""
    args = ("--problem", "пени", "--consent", "письмо от 20.11", "--at", "-61m")
    assert either(front_end, "session", "start", romashka, "backup", *args).code == 0
    stopped = either(front_end, "session", "stop", "--format", "json")
    assert stopped.code == 0, stopped.stderr
    record = stopped.json()
    segment = record["segments"][0]
    for moment in (segment["start"], segment["end"]):
        assert datetime.fromisoformat(moment).second == 0
    assert record["minutes"] in (61, 62)  # 62 only if the minute turned between the two commands
    assert record["billable_minutes"] == record["minutes"]
    assert record["amount"] == {61: "1321.67", 62: "1343.33"}[record["minutes"]]


def test_a_stop_in_the_start_minute_is_refused_with_the_way_out(run: Runner, romashka: str) -> None:
    at = stamp(now_local() - timedelta(hours=2))
    assert run("session", "start", romashka, "line", "--at", at).code == 0
    result = run("session", "stop", "--at", at)
    assert_refused(result, 2, "is not after the start")
    assert "hint: it started this minute" in result.stderr
    assert "kvsupport session cancel" in result.stderr


@pytest.mark.parametrize(
    ("at", "start"),
    [
        ("24.11.2026 15:00", "2026-11-24T15:00:00+03:00"),
        ("вчера 23:30", None),
        ("yesterday 23:30", None),
        ("-15м", None),
        ("-1ч30м", None),
    ],
)
def test_russian_forms_are_accepted(run: Runner, romashka: str, at: str, start: str | None) -> None:
    result = run("session", "start", romashka, "line", "--at", at, "--format", "json")
    assert result.code == 0, result.stderr
    if start is not None:
        assert result.json()["start"] == start


def test_the_day_before_yesterday_is_a_day_word(run: Runner, romashka: str) -> None:
    before = (now_local() - timedelta(days=2)).date()
    added = run(
        "session", "add", romashka, "line", "--start", "позавчера 10:00", "--duration", "15 мин", "-f", "json"
    )
    assert added.code == 0, added.stderr
    assert added.json()["start"].startswith(f"{before.isoformat()}T10:00:00")
    listed = run("session", "list", "--from", "позавчера", "--to", "позавчера", "--format", "json")
    assert listed.code == 0, listed.stderr
    assert [row["id"] for row in listed.json()] == [added.json()["id"]]


@pytest.mark.parametrize("typed", ["ноябрь 2026", "Ноября 2026 г.", "нояб. 2026", "november 2026", "11.2026"])
def test_a_month_by_its_name(run: Runner, romashka: str, typed: str) -> None:
    added = run("session", "add", romashka, "line", "--start", "20.11.2026 10:00", "--duration", "1ч")
    assert added.code == 0, added.stderr
    listed = run("session", "list", "--month", typed, "--format", "json")
    assert listed.code == 0, listed.stderr
    assert len(listed.json()) == 1
    reported = run("report", "--month", typed, "--format", "json")
    assert reported.code == 0, reported.stderr
    assert reported.json()["period"] == "2026-11"


def test_a_month_named_without_a_year_is_the_latest_that_has_begun(run: Runner, romashka: str) -> None:
    today = now_local().date()
    names = [
        "январь",
        "февраль",
        "март",
        "апрель",
        "май",
        "июнь",
        "июль",
        "август",
        "сентябрь",
        "октябрь",
        "ноябрь",
        "декабрь",
    ]
    this = run("report", "--month", names[today.month - 1], "--format", "json")
    assert this.code == 0, this.stderr
    assert this.json()["period"] == f"{today:%Y-%m}"
    later = today.month % 12  # next month's index: not begun this year, so last year's
    year = today.year - 1 if today.month < 12 else today.year
    named = run("report", "--month", names[later], "--format", "json")
    assert named.code == 0, named.stderr
    assert named.json()["period"] == f"{year:04d}-{later + 1:02d}"


def test_an_unknown_month_name_is_refused_with_the_forms(run: Runner) -> None:
    result = run("report", "--month", "ноябрьь")
    assert result.code == 2
    assert (
        result.first_error == "error: invalid month 'ноябрьь': expected YYYY-MM, MM.YYYY or the month's name"
    )
    assert "november 2026" in result.stderr


@pytest.mark.parametrize(
    ("duration", "minutes"),
    [("1ч30м", 90), ("1 ч 30 мин", 90), ("90 мин", 90), ("2 ч", 120), ("1:30", 90), ("1 ч. 30 мин.", 90)],
)
def test_russian_durations_are_accepted(run: Runner, romashka: str, duration: str, minutes: int) -> None:
    result = run(
        "session",
        "add",
        romashka,
        "line",
        "--start",
        "20.11.2026 10:00",
        "--duration",
        duration,
        "-f",
        "json",
    )
    assert result.code == 0, result.stderr
    assert result.json()["minutes"] == minutes


def test_a_bare_end_takes_the_date_of_the_start(run: Runner, romashka: str) -> None:
    """Issue 12, item 1: a 70-minute session on 24.11, not an end "in the future" today."""
    result = run(
        "session",
        "add",
        romashka,
        "line",
        "--start",
        "2026-11-24 15:00",
        "--end",
        "16:10",
        "--format",
        "json",
    )
    assert result.code == 0, result.stderr
    record = result.json()
    assert (record["start"], record["end"], record["minutes"]) == (
        "2026-11-24T15:00:00+03:00",
        "2026-11-24T16:10:00+03:00",
        70,
    )
    assert "taken as" not in result.stderr  # the plain reading: nothing to echo


def test_a_bare_end_past_midnight_is_the_next_day_and_says_so(run: Runner, romashka: str) -> None:
    result = run(
        "session",
        "add",
        romashka,
        "line",
        "--start",
        "24.11.2026 23:30",
        "--end",
        "00:45",
        "--format",
        "json",
    )
    assert result.code == 0, result.stderr
    record = result.json()
    assert (record["end"], record["minutes"]) == ("2026-11-25T00:45:00+03:00", 75)
    assert "'00:45' is taken as 2026-11-25 00:45" in result.stderr


def zone_at_midnight() -> str:
    """A zone where it is now between 00:00 and 00:59 (``Etc/GMT-3`` is UTC+3)."""
    hour = datetime.now(UTC).hour
    offset = (24 - hour) % 24
    offset = offset - 24 if offset > 14 else offset
    return "Etc/UTC" if offset == 0 else f"Etc/GMT{-offset:+d}"


@pytest.mark.parametrize("front_end", FRONT_ENDS)
def test_a_bare_time_still_ahead_shortly_after_midnight_is_yesterdays(romashka: str, front_end: str) -> None:
    """Typed at 00:xx, 23:30 is last night's; the date is echoed back."""
    zone = zone_at_midnight()
    assert invoke(("config", "set", "timezone", zone)).code == 0
    local = datetime.now(ZoneInfo(zone))
    assert local.hour in (0, 1)  # 1 only if the hour turned just now: 23:30 is still far ahead
    result = either(front_end, "session", "start", romashka, "line", "--at", "23:30", "--format", "json")
    assert result.code == 0, result.stderr
    start = datetime.fromisoformat(result.json()["start"])
    yesterday = local.date() - timedelta(days=1)
    assert (start.date(), start.hour, start.minute) == (yesterday, 23, 30)
    assert f"'23:30' is taken as {yesterday:%Y-%m-%d} 23:30" in result.stderr


@pytest.mark.parametrize("front_end", FRONT_ENDS)
def test_an_order_at_a_bare_time_stays_today(romashka: str, front_end: str) -> None:
    """An order may lie ahead: no midnight rule for it."""
    zone = zone_at_midnight()
    assert invoke(("config", "set", "timezone", zone)).code == 0
    result = invoke(("order", "add", romashka, "line", "--at", "23:30", "--problem", "печать"), fast=False)
    assert result.code == 0, result.stderr
    assert "taken as" not in result.stderr
    (order,) = invoke(("order", "list", "--format", "json")).json()
    assert datetime.fromisoformat(order["at"]).date() == datetime.now(ZoneInfo(zone)).date()


def test_absolute_at_is_local_time(run: Runner, romashka: str) -> None:
    moment = (now_local() - timedelta(hours=2)).replace(second=0, microsecond=0)
    result = run("session", "start", romashka, "line", "--at", stamp(moment), "--format", "json")
    assert result.code == 0, result.stderr
    assert datetime.fromisoformat(result.json()["start"]) == moment


@pytest.mark.parametrize("front_end", FRONT_ENDS)
@pytest.mark.parametrize(
    "tail",
    [("--at", "--problem", "x"), ("--at", "--problem"), ("--at", "--allow-overlap")],
    ids=["with-value-after", "last", "flag"],
)
def test_at_that_swallowed_an_option_is_refused(
    romashka: str, ledger_dir: Path, front_end: str, tail: tuple[str, ...]
) -> None:
    before = snapshot(ledger_dir)
    result = either(front_end, "session", "start", romashka, "line", *tail)
    assert result.code == 2
    assert result.stdout == ""
    assert result.first_error.startswith("error:")
    assert "looks like an option" in result.first_error
    assert tail[1] in result.first_error
    assert "Traceback" not in result.stderr
    assert snapshot(ledger_dir) == before


@pytest.mark.parametrize("front_end", FRONT_ENDS)
def test_note_that_swallowed_an_option_is_refused(romashka: str, front_end: str) -> None:
    assert either(front_end, "session", "start", romashka, "line", "--at", "-10m").code == 0
    result = either(front_end, "session", "stop", "--note", "--at", "11:05")
    assert result.code == 2
    assert result.stdout == ""
    assert result.first_error.startswith("error: --note '--at' looks like an option")
    assert either(front_end, "session", "status", "--format", "json").json()["running"]["id"] == 1


def test_problem_that_swallowed_an_option_is_refused(run: Runner, romashka: str) -> None:
    result = run("session", "start", romashka, "backup", "--problem", "--consent", "письмо от 20.11")
    assert result.code == 2
    assert result.stdout == ""
    assert result.first_error.startswith("error: --problem '--consent' looks like an option")


def test_add_start_that_swallowed_an_option_is_refused(run: Runner, romashka: str) -> None:
    result = run("session", "add", romashka, "line", "--start", "--duration", "1h")
    assert result.code == 2
    assert result.stdout == ""
    assert "looks like an option" in result.first_error


@pytest.mark.parametrize("front_end", FRONT_ENDS)
@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("25:00", "25:00"),
        ("10:75", "10:75"),
        ("15m", "sign"),
        ("-1.5h", "-1.5h"),
        ("вчера", "вчера"),
        ("-1,5ч", "-1,5ч"),
        ("31.11.2026 10:00", "day 31"),
        ("позавчера", "позавчера"),
    ],
)
def test_bad_times_are_refused(romashka: str, front_end: str, value: str, says: str) -> None:
    result = either(front_end, "session", "start", romashka, "line", "--at", value)
    assert result.code == 2
    assert result.stdout == ""
    assert result.first_error.startswith("error:")
    assert says in result.first_error
    assert result.stderr.splitlines()[1].startswith("hint:")


@pytest.mark.parametrize("front_end", FRONT_ENDS)
def test_future_start_is_refused(romashka: str, front_end: str) -> None:
    result = either(front_end, "session", "start", romashka, "line", "--at", "+30m")
    assert result.code == 2
    assert result.stdout == ""
    assert result.first_error.startswith("error: start ")
    assert "future" in result.first_error
    assert either(front_end, "session", "status").stdout.strip() == "no session is running"


def test_future_end_of_an_added_session_is_refused(run: Runner, romashka: str) -> None:
    tomorrow = stamp(now_local() + timedelta(days=1))
    result = run("session", "add", romashka, "line", "--start", tomorrow, "--duration", "30m")
    assert result.code == 2
    assert "future" in result.first_error


@pytest.mark.parametrize("duration", ["90", "1.5h", "-30m", "0m", "2d"])
def test_bad_durations_are_refused(run: Runner, romashka: str, duration: str) -> None:
    result = run("session", "add", romashka, "line", "--start", "-3h", "--duration", duration)
    assert result.code == 2
    assert result.stdout == ""
    assert result.first_error.startswith("error: invalid duration")


# ------------------------------------------------ clock changes (issue 9, item A2)

# New York falls back on Sunday 2026-11-01 at 02:00 EDT (to 01:00 EST): the night from
# Saturday 31 October has 25 hours. 23:30 EDT plus 4 hours of work is 02:30 EST; on the
# wall clock it would be 03:30 EST, 5 hours of real time, billed 6500.00 instead of 5200.00.
BACKUP = ("--problem", "пени", "--consent", "письмо от 30.10")


def new_york(front: Runner) -> None:
    result = front("config", "set", "timezone", "America/New_York")
    assert result.code == 0, result.stderr


def test_a_duration_across_the_fall_back_night_is_elapsed_time(run: Runner, romashka: str) -> None:
    new_york(run)
    result = run(
        "session", "add", romashka, "backup", "--start", "2026-10-31 23:30", "--duration", "4h", *BACKUP,
        "--format", "json",
    )  # fmt: skip
    assert result.code == 0, result.stderr
    record = result.json()
    assert (record["start"], record["end"]) == ("2026-10-31T23:30:00-04:00", "2026-11-01T02:30:00-05:00")
    assert (record["minutes"], record["billable_minutes"], record["amount"]) == (240, 240, "5200.00")
    assert "worked 4h00m, billed 240 min" in result.stderr
    shown = run("session", "show", "1", "--format", "json").json()  # as stored, read back
    assert (shown["minutes"], shown["amount"]) == (240, "5200.00")


def test_a_duration_across_the_spring_forward_night_is_elapsed_time(run: Runner, romashka: str) -> None:
    """2026-03-08 02:00 EST jumps to 03:00 EDT: 23:30 + 4 h is 04:30 EDT (wall clock: 03:30, 3 h)."""
    new_york(run)
    result = run(
        "session",
        "add",
        romashka,
        "line",
        "--start",
        "2026-03-07 23:30",
        "--duration",
        "4h",
        "--format",
        "json",
    )
    assert result.code == 0, result.stderr
    assert (result.json()["end"], result.json()["minutes"]) == ("2026-03-08T04:30:00-04:00", 240)


def test_a_start_and_end_across_the_fall_back_night_confirm_the_real_time(run: Runner, romashka: str) -> None:
    """01:30 EDT to 03:00 EST is 2 h 30 min, though the wall clock moved 1 h 30 min."""
    new_york(run)
    result = run(
        "session",
        "add",
        romashka,
        "backup",
        "--start",
        "2026-11-01 01:30",
        "--end",
        "2026-11-01 03:00",
        *BACKUP,
    )
    assert result.code == 0, result.stderr
    assert "worked 2h30m, billed 150 min × 1300.00/h = 3250.00 RUB" in result.stderr
    shown = run("session", "show", "1")
    assert "1. 2026-11-01 01:30:00 – 03:00:00  2h30m" in shown.stdout


def test_import_with_a_duration_across_the_fall_back_night_is_elapsed_time(
    run: Runner, romashka: str
) -> None:
    new_york(run)
    text = "client,service,start,duration,problem,consent\nromashka,backup,2026-10-31 23:30,4h,пени,письмо\n"
    result = run("import", "-", stdin=text)
    assert result.code == 0, result.stderr
    record = run("session", "show", "1", "--format", "json").json()
    assert (record["end"], record["minutes"], record["amount"]) == (
        "2026-11-01T02:30:00-05:00",
        240,
        "5200.00",
    )


def test_import_with_a_bare_end_takes_the_date_of_its_start(run: Runner, romashka: str) -> None:
    text = "client,service,start,end\nromashka,line,2026-11-24 23:30,00:15\n"
    result = run("import", "-", stdin=text)
    assert result.code == 0, result.stderr
    record = run("session", "show", "1", "--format", "json").json()
    assert (record["end"], record["minutes"]) == ("2026-11-25T00:15:00+03:00", 45)


# -------------------------------------- the system's zone, no timezone configured

SKIPPED = "invalid time '2026-03-08 02:30': it does not exist in the local zone (the clocks skip it)"


@pytest.mark.parametrize("front_end", FRONT_ENDS)
def test_a_skipped_time_is_refused_in_the_system_zone_as_in_a_configured_one(
    romashka: str, ledger_dir: Path, front_end: str
) -> None:
    """Issue 9, item A2: with TZ=America/New_York and no timezone in the config, 02:30 on the
    spring-forward night is refused, as it is with ``timezone = America/New_York``."""
    Path(os.environ["KVSUPPORT_CONFIG"]).unlink()  # romashka's Moscow config: no zone configured now
    before = snapshot(ledger_dir)
    system = either_env(front_end, {"TZ": "America/New_York"}, "session", "start", romashka, "line",
                        "--at", "2026-03-08 02:30")  # fmt: skip
    assert_refused(system, 2)
    assert system.first_error == f"error: {SKIPPED}"
    assert snapshot(ledger_dir) == before
    assert invoke(("config", "set", "timezone", "America/New_York"), env_extra={"TZ": "UTC"}).code == 0
    configured = either_env(front_end, {"TZ": "UTC"}, "session", "start", romashka, "line",
                            "--at", "2026-03-08 02:30")  # fmt: skip
    assert configured.first_error == system.first_error
    assert snapshot(ledger_dir) == before


def test_the_system_zone_decides_offsets_across_a_clock_change(isolated_files: Path) -> None:
    """No config at all: TZ=America/New_York is the local zone, DST included."""
    assert invoke(ROMASHKA_ADD).code == 0
    args = (
        "session",
        "add",
        "romashka",
        "line",
        "--start",
        "2026-10-31 23:30",
        "--duration",
        "4h",
        "-f",
        "json",
    )
    result = invoke(args, env_extra={"TZ": "America/New_York"})
    assert result.code == 0, result.stderr
    assert (result.json()["start"], result.json()["end"]) == (
        "2026-10-31T23:30:00-04:00",
        "2026-11-01T02:30:00-05:00",
    )


def either_env(front_end: str, env: dict[str, str], *args: str) -> Result:
    """``either`` with extra environment variables."""
    return invoke(args, fast=front_end == "fast", env_extra=env)


ROMASHKA_ADD = ("client", "add", "romashka", "--name", "ООО «Ромашка»", "--phone", "+7 495 123-45-67")


@pytest.mark.parametrize(
    ("environ", "link", "zone"),
    [
        ({"TZ": "America/New_York"}, "/usr/share/zoneinfo/Europe/Berlin", "America/New_York"),
        ({"TZ": ":Europe/Berlin"}, None, "Europe/Berlin"),
        ({"TZ": "/usr/share/zoneinfo/Asia/Tokyo"}, None, "Asia/Tokyo"),
        ({}, "/usr/share/zoneinfo/Europe/Berlin", "Europe/Berlin"),
        ({}, "../usr/share/zoneinfo/America/New_York", "America/New_York"),
        ({"TZ": "LOCALTIME"}, "../usr/share/zoneinfo/America/New_York", "America/New_York"),
        ({"TZ": "MSK-3"}, "/usr/share/zoneinfo/Europe/Berlin", None),  # a POSIX rule: the C library's
        ({"TZ": ""}, "/usr/share/zoneinfo/Europe/Berlin", None),
        ({"TZ": "Nowhere/Atlantis"}, "/usr/share/zoneinfo/Europe/Berlin", None),
        ({}, "/usr/share/zoneinfo/Nowhere/Atlantis", None),
        ({}, "/opt/elsewhere/Europe/Berlin", None),
        ({}, None, None),
    ],
)
def test_system_zone(tmp_path: Path, environ: dict[str, str], link: str | None, zone: str | None) -> None:
    from kvsupport.ops.env import system_zone

    localtime = tmp_path / "localtime"
    if link is not None:
        localtime.symlink_to(link)
    environ = {k: str(localtime) if v == "LOCALTIME" else v for k, v in environ.items()}
    found = system_zone(environ, localtime=str(localtime))
    assert (None if found is None else str(found)) == zone


def test_system_zone_of_a_copied_localtime_file_is_none(tmp_path: Path) -> None:
    from kvsupport.ops.env import system_zone

    localtime = tmp_path / "localtime"
    localtime.write_bytes(b"TZif")
    assert system_zone({}, localtime=str(localtime)) is None


# ------------------------------------------- too long to be true (issue 9, section D)


def test_a_10000_hour_duration_is_refused_and_nothing_is_stored(
    run: Runner, romashka: str, ledger_dir: Path
) -> None:
    before = snapshot(ledger_dir)
    result = run("session", "add", romashka, "line", "--start", "01.01.2025 10:00", "--duration", "10000h")
    assert_refused(result, 2, "2025-01-01 10:00", "lasts 10000h00m, longer than the limit of 24 h")
    assert "hint: pass --allow-long if it really lasted that long" in result.stderr
    assert "kvsupport config set session.max_hours HOURS" in result.stderr
    assert snapshot(ledger_dir) == before


@pytest.mark.parametrize(("duration", "code"), [("24h", 0), ("24h01m", 2), ("1 ч", 0)])
def test_the_default_limit_is_24_hours(run: Runner, romashka: str, duration: str, code: int) -> None:
    result = run("session", "add", romashka, "line", "--start", "01.11.2026 08:00", "--duration", duration)
    assert result.code == code, result.stderr


def test_allow_long_stores_a_long_session(run: Runner, romashka: str) -> None:
    args = ("--start", "01.11.2026 08:00", "--end", "02.11.2026 10:00", "--allow-long", "--format", "json")
    result = run("session", "add", romashka, "line", *args)
    assert result.code == 0, result.stderr
    assert result.json()["minutes"] == 26 * 60


def test_the_limit_is_a_config_key(run: Runner, romashka: str) -> None:
    assert run("config", "set", "session.max_hours", "2").code == 0
    refused = run("session", "add", romashka, "line", "--start", "01.11.2026 08:00", "--duration", "2h01m")
    assert_refused(refused, 2, "longer than the limit of 2 h")
    assert (
        run("session", "add", romashka, "line", "--start", "01.11.2026 08:00", "--duration", "2h").code == 0
    )


@pytest.mark.parametrize("value", ["0", "1.5", "8785", "many"])
def test_a_bad_limit_is_refused(run: Runner, value: str) -> None:
    result = run("config", "set", "session.max_hours", value)
    assert result.code == 2
    assert "session.max_hours" in result.first_error


def test_an_edit_that_makes_a_segment_too_long_is_refused(run: Runner, romashka: str) -> None:
    assert (
        run("session", "add", romashka, "line", "--start", "01.11.2026 08:00", "--duration", "1h").code == 0
    )
    refused = run("session", "edit", "1", "--end", "03.11.2026 09:00")
    assert_refused(refused, 2, "longer than the limit of 24 h")
    assert run("session", "edit", "1", "--end", "03.11.2026 09:00", "--allow-long").code == 0
    assert run("session", "edit", "1", "--note", "забыл остановить").code == 0  # an allowed one stays allowed


def test_an_import_row_too_long_is_refused_naming_its_line(run: Runner, romashka: str) -> None:
    text = (
        "client,service,start,duration\n"
        "romashka,line,2026-11-02 10:00,1h\n"
        "romashka,line,2026-11-03 10:00,100h\n"
    )
    result = run("import", "-", stdin=text)
    assert result.code == 2
    assert result.first_error.startswith("error: stdin: line 3: ")
    assert "lasts 100h00m, longer than the limit of 24 h" in result.first_error
    assert run("session", "list", "--all", "--format", "json").json() == []
    assert run("import", "-", "--allow-long", stdin=text).code == 0
