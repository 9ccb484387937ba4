"""``kvsupport export`` and ``kvsupport import``: the columns of SPEC §5, all or nothing (issue 5).

The round trip is byte for byte: importing assigns new ids in order of start,
so the export of a ledger whose ids follow the time order (every ledger built
by logging sessions as they happen) comes back identical, ids included; when
the ids do not follow the time order they are renumbered and only they differ.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from cli_testkit import Runner, install_ledger, snapshot

from conftest import build_ledger
from kvsupport.core.spreadsheet import from_formula_safe

CLIENTS: list[tuple[str, ...]] = [
    ("client", "add", "ромашка", "--name", "ООО «Ромашка»", "--inn", "7707083893", "--phone", "+74951234567"),
    ("client", "add", "лесная", "--name", "ТСЖ «Лесная 5»"),
]
BACKUP = ("--problem", "не считает пени", "--consent", "письмо от 02.10.2026")
REMOTE = ("--backup-confirmed", "--phone", "+7 916 000-11-22", "--problem", "перенос базы")

# Seven sessions, eight segments: session 2 is a link dropped and resumed; session 6
# ends October late at night and session 7 starts November just after midnight, local
# time (in UTC both are on 31 October).
SESSIONS: list[tuple[str, ...]] = [
    ("session", "add", "ромашка", "backup", "--start", "2026-10-05 10:00", "--duration", "61m", *BACKUP),
    ("session", "edit", "1", "--note", "пени, готово"),
    ("session", "start", "ромашка", "remote", "--at", "2026-10-06 14:00", "--backup-confirmed"),
    ("session", "stop", "--at", "2026-10-06 14:20"),
    ("session", "resume", "--at", "2026-10-06 14:25"),
    ("session", "stop", "--at", "2026-10-06 14:55", "--note", "связь оборвалась"),
    ("session", "add", "лесная", "line", "--start", "2026-10-07 09:00", "--duration", "15m"),
    (
        "session",
        "add",
        "лесная",
        "remote",
        "--start",
        "2026-10-08 10:00",
        "--end",
        "2026-10-08 11:30",
        *REMOTE,
    ),
    ("session", "add", "ромашка", "backup", "--start", "2026-10-09 16:00", "--duration", "45m", *BACKUP),
    ("session", "add", "лесная", "line", "--start", "2026-10-31 23:30", "--duration", "20m"),
    ("session", "add", "ромашка", "line", "--start", "2026-11-01 00:30", "--duration", "10m"),
]

HEADER = "id,client,service,start,end,problem,phone,consent,backup_confirmed,note,allow_overlap,consultant\n"
ROWS = [
    "1,ромашка,backup,2026-10-05T10:00:00+03:00,2026-10-05T11:01:00+03:00,не считает пени,,"
    'письмо от 02.10.2026,no,"пени, готово",no,kvtest\n',
    "2,ромашка,remote,2026-10-06T14:00:00+03:00,2026-10-06T14:20:00+03:00,,,,yes,"
    "связь оборвалась,no,kvtest\n",
    "2,ромашка,remote,2026-10-06T14:25:00+03:00,2026-10-06T14:55:00+03:00,,,,yes,"
    "связь оборвалась,no,kvtest\n",
    "3,лесная,line,2026-10-07T09:00:00+03:00,2026-10-07T09:15:00+03:00,,,,no,,no,kvtest\n",
    "4,лесная,remote,2026-10-08T10:00:00+03:00,2026-10-08T11:30:00+03:00,перенос базы,"
    "'+7 916 000-11-22,,yes,,no,kvtest\n",  # a phone a spreadsheet would read as a formula: quoted
    "5,ромашка,backup,2026-10-09T16:00:00+03:00,2026-10-09T16:45:00+03:00,не считает пени,,"
    "письмо от 02.10.2026,no,,no,kvtest\n",
    "6,лесная,line,2026-10-31T23:30:00+03:00,2026-10-31T23:50:00+03:00,,,,no,,no,kvtest\n",
    "7,ромашка,line,2026-11-01T00:30:00+03:00,2026-11-01T00:40:00+03:00,,,,no,,no,kvtest\n",
]
EXPORT_CSV = HEADER + "".join(ROWS)


@pytest.fixture(scope="session")
def october_ledger(tmp_path_factory: pytest.TempPathFactory, moscow_config_bytes: bytes) -> Path:
    """Two clients and SESSIONS, made once."""
    return build_ledger(tmp_path_factory.mktemp("october"), moscow_config_bytes, *CLIENTS, *SESSIONS)


@pytest.fixture(scope="session")
def twin_ledger(tmp_path_factory: pytest.TempPathFactory, moscow_config_bytes: bytes) -> Path:
    """The same two clients and no session, made once."""
    return build_ledger(tmp_path_factory.mktemp("twin"), moscow_config_bytes, *CLIENTS)


@pytest.fixture
def october(moscow: Path, ledger_dir: Path, october_ledger: Path) -> Path:
    """This test's ledger (``KVSUPPORT_LEDGER``): a copy of ``october_ledger``; its directory."""
    install_ledger(october_ledger, ledger_dir)
    return ledger_dir


@pytest.fixture
def twin(moscow: Path, tmp_path: Path, twin_ledger: Path) -> Path:
    """A second ledger with the same clients, beside this test's; its ``ledger.json``."""
    where = tmp_path / "twin"
    shutil.copytree(twin_ledger, where)
    return where / "ledger.json"


def export(run: Runner, *args: str, ledger: Path | None = None) -> str:
    env = None if ledger is None else {"KVSUPPORT_LEDGER": str(ledger)}
    result = run("export", *args, env_extra=env)
    assert result.code == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def sessions(run: Runner, ledger: Path | None = None) -> list[dict[str, object]]:
    env = None if ledger is None else {"KVSUPPORT_LEDGER": str(ledger)}
    result = run("session", "list", "--all", "--format", "json", env_extra=env)
    assert result.code == 0, result.stderr
    rows: list[dict[str, object]] = result.json()
    return rows


# -------------------------------------------------------------------- export


def test_export_csv_one_row_per_segment(run: Runner, october: Path) -> None:
    assert export(run, "--format", "csv") == EXPORT_CSV


def test_export_json(run: Runner, october: Path) -> None:
    rows = json.loads(export(run, "--format", "json"))
    as_csv = list(csv.DictReader(io.StringIO(EXPORT_CSV)))
    assert len(rows) == len(as_csv) == 8
    for row, line in zip(rows, as_csv, strict=True):
        assert list(row) == list(line)
        assert row["id"] == int(line["id"])
        assert row["backup_confirmed"] is (line["backup_confirmed"] == "yes")
        for key in ("client", "service", "start", "end", "problem", "phone", "consent", "note"):
            assert row[key] == (from_formula_safe(line[key]) or None), key
    assert rows[3] == {
        "id": 3,
        "client": "лесная",
        "service": "line",
        "start": "2026-10-07T09:00:00+03:00",
        "end": "2026-10-07T09:15:00+03:00",
        "problem": None,
        "phone": None,
        "consent": None,
        "backup_confirmed": False,
        "note": None,
        "allow_overlap": False,
        "consultant": "kvtest",
    }


@pytest.mark.parametrize(
    ("args", "ids"),
    [
        (("--month", "2026-10"), ["1", "2", "2", "3", "4", "5", "6"]),
        (("--month", "2026-11"), ["7"]),
        (("--client", "лесная"), ["3", "4", "6"]),
        (("-m", "2026-10", "-c", "ромашка"), ["1", "2", "2", "5"]),
        (("--month", "2026-11", "--client", "лесная"), []),
    ],
    ids=["october", "november", "client", "both", "none"],
)
def test_export_filters_by_local_month_and_client(
    run: Runner, october: Path, args: tuple[str, ...], ids: list[str]
) -> None:
    text = export(run, *args)
    assert text.startswith(HEADER)
    lines = text[len(HEADER) :].splitlines(keepends=True)
    assert [line.split(",", 1)[0] for line in lines] == ids
    assert set(lines) <= set(ROWS)


def test_empty_export(run: Runner, october: Path) -> None:
    assert export(run, "--month", "2026-09", "--format", "json") == "[]\n"
    assert export(run, "--month", "2026-09") == HEADER


def test_export_of_a_ledger_without_sessions(run: Runner, twin: Path) -> None:
    assert export(run, "--format", "json", ledger=twin) == "[]\n"
    assert export(run, ledger=twin) == HEADER


def test_a_running_session_is_not_exported(run: Runner, october: Path) -> None:
    assert run("session", "start", "ромашка", "line", "--at", "-5m").code == 0
    assert export(run) == EXPORT_CSV


@pytest.mark.parametrize(
    ("argv", "word"),
    [
        (("export", "--format", "xml"), "xml"),
        (("export", "--month", "2026-13"), "2026-13"),
    ],
)
def test_export_bad_usage(run: Runner, october: Path, argv: tuple[str, ...], word: str) -> None:
    result = run(*argv)
    assert result.code == 2
    assert result.stdout == ""
    assert result.first_error.startswith("error: ")
    assert word in result.first_error


# ---------------------------------------------------------------- round trip


def test_csv_round_trip_into_another_ledger(run: Runner, october: Path, twin: Path, tmp_path: Path) -> None:
    exported = tmp_path / "october.csv"
    exported.write_text(export(run), "utf-8")
    result = run("--ledger", str(twin), "import", str(exported))
    assert result.code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == f"imported 7 session(s) from {exported}\n"
    assert export(run, ledger=twin) == EXPORT_CSV
    assert export(run, "--format", "json", ledger=twin) == export(run, "--format", "json")
    # the charges are the same too: minutes, billed minutes, amounts, notes
    assert sessions(run, twin) == sessions(run)


def test_round_trip_through_stdin_and_the_environment(run: Runner, october: Path, twin: Path) -> None:
    before = snapshot(october)
    result = run("import", "-", env_extra={"KVSUPPORT_LEDGER": str(twin)}, stdin=export(run))
    assert result.code == 0, result.stderr
    assert result.stderr == "imported 7 session(s) from stdin\n"
    assert export(run, ledger=twin) == EXPORT_CSV
    assert snapshot(october) == before  # the source ledger is only read


def test_ids_out_of_time_order_are_renumbered(run: Runner, romashka: str, twin: Path) -> None:
    # session 1 is logged after session 2 happened; import numbers them in time order
    for start in ("2026-10-09 10:00", "2026-10-05 10:00"):
        assert run("session", "add", romashka, "line", "--start", start, "--duration", "10m").code == 0
    source = export(run)
    assert [line.split(",")[0] for line in source.splitlines()[1:]] == ["2", "1"]
    twin_env = {"KVSUPPORT_LEDGER": str(twin)}
    assert run("client", "add", romashka, "--name", "ООО «Ромашка»", env_extra=twin_env).code == 0
    assert run("import", "-", env_extra=twin_env, stdin=source).code == 0
    again = export(run, ledger=twin)
    assert [line.split(",")[0] for line in again.splitlines()[1:]] == ["1", "2"]
    assert [line.split(",", 1)[1] for line in again.splitlines()] == [
        line.split(",", 1)[1] for line in source.splitlines()
    ]


def test_importing_the_same_rows_again_is_refused_as_overlaps(run: Runner, october: Path) -> None:
    before = snapshot(october)
    result = run("import", "-", stdin=EXPORT_CSV)
    assert result.code == 2
    assert result.stdout == ""
    assert result.error_lines[0] == (
        "error: stdin: line 2: stored session 1 overlaps the imported backup session of ромашка "
        "at 2026-10-05 10:00"
    )
    assert len(result.error_lines) >= 7
    assert result.stderr.splitlines()[-1] == "hint: nothing was imported"
    assert snapshot(october) == before


# ------------------------------------------------------------------- import


def test_import_with_a_duration_column_and_joined_segments(run: Runner, twin: Path) -> None:
    text = (
        "id,client,service,start,duration,problem,consent,backup_confirmed,note\n"
        "a,лесная,remote,2026-10-12 10:00,20m,,,да,\n"
        "b,ромашка,backup,2026-10-12 12:00,1h01m,пени,письмо от 11.10,,\n"
        "a,лесная,remote,2026-10-12 10:25,30m,,,yes,\n"
        ",ромашка,line,2026-10-13 09:00,5m,,,no,\n"
    )
    result = run("--ledger", str(twin), "import", "-", stdin=text)
    assert result.code == 0, result.stderr
    assert result.stderr == "imported 3 session(s) from stdin\n"
    remote, backup, line = sessions(run, twin)
    assert (remote["id"], remote["client"], remote["service"]) == (1, "лесная", "remote")
    assert remote["segments"] == [
        {"start": "2026-10-12T10:00:00+03:00", "end": "2026-10-12T10:20:00+03:00", "ref": None},
        {"start": "2026-10-12T10:25:00+03:00", "end": "2026-10-12T10:55:00+03:00", "ref": None},
    ]
    assert (remote["minutes"], remote["billable_minutes"], remote["amount"]) == (50, 60, "1300.00")
    assert remote["backup_confirmed"] is True
    assert (backup["end"], backup["problem"], backup["consent"]) == (
        "2026-10-12T13:01:00+03:00",
        "пени",
        "письмо от 11.10",
    )
    assert (backup["minutes"], backup["billable_minutes"], backup["amount"]) == (61, 61, "1321.67")
    assert (line["id"], line["end"], line["amount"]) == (3, "2026-10-13T09:05:00+03:00", "0.00")


def test_import_json_from_stdin(run: Runner, twin: Path) -> None:
    rows = [
        {"client": "ромашка", "service": "remote", "start": "2026-10-14T10:00:00+03:00", "duration": "1h30m"}
        | {"backup_confirmed": True, "note": "перенос"},
        {"client": "лесная", "service": "line", "start": "2026-10-14 12:00", "end": "2026-10-14 12:12"},
    ]
    text = json.dumps(rows, ensure_ascii=False)
    result = run("--ledger", str(twin), "import", "-", "--format", "json", stdin=text)
    assert result.code == 0, result.stderr
    assert result.stderr == "imported 2 session(s) from stdin\n"
    remote, line = sessions(run, twin)
    assert (remote["minutes"], remote["amount"], remote["note"]) == (90, "1950.00", "перенос")
    assert (line["client"], line["minutes"], line["amount"]) == ("лесная", 12, "0.00")


def test_import_format_follows_the_file_name(run: Runner, twin: Path, tmp_path: Path) -> None:
    rows = [{"client": "лесная", "service": "line", "start": "2026-10-14 12:00", "duration": "7m"}]
    file = tmp_path / "rows.json"
    file.write_text(json.dumps(rows), "utf-8")
    result = run("--ledger", str(twin), "import", str(file))
    assert result.code == 0, result.stderr
    assert [s["minutes"] for s in sessions(run, twin)] == [7]


@pytest.mark.parametrize("text", [HEADER, "client,service,start,end\n"], ids=["export-header", "short"])
def test_import_of_a_header_only_file_imports_nothing(run: Runner, twin: Path, text: str) -> None:
    result = run("--ledger", str(twin), "import", "-", stdin=text)
    assert result.code == 0, result.stderr
    assert result.stderr == "imported 0 session(s) from stdin\n"
    assert sessions(run, twin) == []


# One bad row between two good ones (line 3 of the file), against the october ledger.
GOOD_BEFORE = "ромашка,line,2026-10-20 10:00,,15m,,,,no,\n"
GOOD_AFTER = "лесная,remote,2026-10-21 10:00,2026-10-21 11:00,,,,,yes,\n"
IMPORT_HEADER = "client,service,start,end,duration,problem,phone,consent,backup_confirmed,note\n"
BAD_ROWS = [
    ("ромашка,line,2026-10-20 25:00,,15m,,,,,", "invalid time '2026-10-20 25:00'"),
    ("ромашка,line,2026-10-20 12:00,,1.5h,,,,,", "invalid duration '1.5h'"),
    ("ромашка,line,2026-10-20 12:00,2026-10-20 11:00,,,,,,", "end is not after start"),
    ("ромашка,line,2026-10-20 12:00,2026-10-20 12:10,10m,,,,,", "give end or duration"),
    ("ромашка,line,2099-10-20 12:00,,10m,,,,,", "end is in the future"),
    ("никто,line,2026-10-20 12:00,,10m,,,,,", "unknown client 'никто'"),
    ("ромашка,nosuch,2026-10-20 12:00,,10m,,,,,", "service 'nosuch' is not in the tariff"),
    ("ромашка,backup,2026-10-20 12:00,,1h,пени,,,,", "backup needs consent"),
    ("лесная,backup,2026-10-20 12:00,,1h,пени,,письмо,,", "backup needs phone"),
    ("лесная,remote,2026-10-20 12:00,,1h,,,,no,", "remote needs backup confirmed"),
    ("ромашка,remote,2026-10-20 12:00,,1h,,,,может быть,", "backup_confirmed"),
    (
        "лесная,line,2026-10-20 10:10,,15m,,,,,",
        "the imported line session of лесная at 2026-10-20 10:10 overlaps "
        "the imported line session of ромашка at 2026-10-20 10:00",
    ),
    (
        "лесная,line,2026-10-05 10:30,,15m,,,,,",
        "stored session 1 overlaps the imported line session of лесная at 2026-10-05 10:30",
    ),
    (  # into the next month, where session 7 starts just after midnight
        "лесная,line,2026-10-31 23:55,,40m,,,,,",
        "stored session 7 overlaps the imported line session of лесная at 2026-10-31 23:55",
    ),
]


@pytest.mark.parametrize(("bad", "problem"), BAD_ROWS, ids=[problem[:30] for _, problem in BAD_ROWS])
def test_one_bad_row_stores_nothing_and_names_its_line(
    run: Runner, october: Path, tmp_path: Path, bad: str, problem: str
) -> None:
    file = tmp_path / "november.csv"
    file.write_text(IMPORT_HEADER + GOOD_BEFORE + bad + "\n" + GOOD_AFTER, "utf-8")
    before = snapshot(october)
    result = run("import", str(file))
    assert result.code == 2, result.stderr
    assert result.stdout == ""
    (error,) = result.error_lines
    assert error.startswith(f"error: {file}: line 3: ")
    assert problem in error
    assert result.stderr.splitlines()[-1] == "hint: nothing was imported"
    assert "Traceback" not in result.stderr
    assert snapshot(october) == before


def test_every_bad_row_is_reported(run: Runner, october: Path) -> None:
    text = (
        IMPORT_HEADER
        + "никто,line,2026-10-20 12:00,,10m,,,,,\n"
        + GOOD_BEFORE
        + "ромашка,backup,2026-10-22 12:00,,1h,,,,,\n"
        + "ромашка,line,2026-10-23 99:00,,10m,,,,,\n"
    )
    before = snapshot(october)
    result = run("import", "-", stdin=text)
    assert result.code == 2
    assert sorted(line.split(": ")[2] for line in result.error_lines) == ["line 2", "line 4", "line 5"]
    problems = " | ".join(result.error_lines)
    assert "line 2: unknown client 'никто'" in problems
    assert "line 4: backup needs problem, consent" in problems
    assert "line 5: invalid time '2026-10-23 99:00'" in problems
    assert snapshot(october) == before


@pytest.mark.parametrize(
    ("count", "hint"), [(51, "1 more problem not shown"), (52, "2 more problems not shown")]
)
def test_the_problems_beyond_fifty_are_counted(run: Runner, october: Path, count: int, hint: str) -> None:
    text = IMPORT_HEADER + "никто,line,2026-10-20 12:00,,10m,,,,,\n" * count
    result = run("import", "-", stdin=text)
    assert result.code == 2
    assert len(result.error_lines) == 50
    assert result.stderr.splitlines()[-1] == f"hint: nothing was imported; {hint}"


def test_a_bad_json_item_is_named_by_its_number(run: Runner, october: Path) -> None:
    rows = [
        {"client": "ромашка", "service": "line", "start": "2026-10-20 10:00", "duration": "5m"},
        {"client": "ромашка", "service": "line", "start": "2026-10-20 11:00", "duration": "5m", "x": 1},
    ]
    before = snapshot(october)
    result = run("import", "-", "--format", "json", stdin=json.dumps(rows))
    assert result.code == 2
    (error,) = result.error_lines
    assert error.startswith("error: stdin: item 2: x: ")
    assert snapshot(october) == before


@pytest.mark.parametrize(
    ("argv", "stdin", "word"),
    [
        (("import", "-"), "", "empty CSV"),
        (("import", "-"), "client,service,start,end,colour\n", "unknown column 'colour'"),
        (("import", "-", "--format", "json"), "{not json", "invalid JSON"),
        (("import", "-", "--format", "json"), '{"client": "ромашка"}', "JSON array"),
        (("import", "-", "--format", "xml"), "", "xml"),
        (("import", "/nonexistent/october.csv"), "", "/nonexistent/october.csv"),
    ],
    ids=["empty", "column", "json", "not-a-list", "format", "missing-file"],
)
def test_unreadable_input_is_refused(
    run: Runner, october: Path, argv: tuple[str, ...], stdin: str, word: str
) -> None:
    before = snapshot(october)
    result = run(*argv, stdin=stdin)
    assert result.code == 2, result.stderr
    assert result.stdout == ""
    assert result.first_error.startswith("error: ")
    assert word in result.first_error
    assert snapshot(october) == before


def test_quiet_import(run: Runner, twin: Path) -> None:
    result = run("-q", "--ledger", str(twin), "import", "-", stdin=HEADER + ROWS[3])
    assert (result.code, result.stdout, result.stderr) == (0, "", "")
    assert [s["client"] for s in sessions(run, twin)] == ["лесная"]


def test_sessions_allowed_to_overlap_round_trip(run: Runner, october: Path, tmp_path: Path) -> None:
    start = ("--start", "2026-10-20 10:00", "--duration", "30m")
    assert run("session", "add", "лесная", "line", *start).code == 0
    assert run("session", "add", "ромашка", "line", *start, "--allow-overlap").code == 0
    exported = tmp_path / "all.csv"
    exported.write_text(export(run), "utf-8")
    twin = tmp_path / "twin" / "ledger.json"
    for client in CLIENTS:
        assert run("--ledger", str(twin), *client).code == 0
    imported = run("--ledger", str(twin), "import", str(exported))
    assert imported.code == 0, imported.stderr

    def without_ids(text: str) -> list[str]:  # an import numbers sessions in time order
        return sorted(line.partition(",")[2] for line in text.splitlines())

    assert without_ids(export(run, ledger=twin)) == without_ids(exported.read_text("utf-8"))
    assert ",ромашка,line,2026-10-20T10:00:00+03:00,2026-10-20T10:30:00+03:00,,,,no,,yes" in (
        export(run, ledger=twin)
    )


def test_an_export_that_fails_writes_nothing_on_stdout(run: Runner, october: Path) -> None:
    for fmt in ("csv", "json"):
        result = run("export", "--client", "nobody", "--format", fmt)
        assert (result.code, result.stdout) == (1, "")
        assert result.first_error == "error: unknown client 'nobody'"


def test_the_checked_row_keeps_every_field_of_the_model() -> None:
    from kvsupport.ops.transfer import Fields, Row

    assert set(Fields._fields) == set(Row.model_fields)
