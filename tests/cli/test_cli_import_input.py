"""``import`` of files a user really has (issue 9 §C, §D): Excel's semicolons, a byte-order
mark on stdin, Windows-1251, a huge cell, JSON nested deep — each read, or one error line."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from cli_testkit import Result, Runner, assert_refused, console_script, snapshot

HEADER = "client,service,start,duration,problem,note"
ROW = "romashka,line,2026-10-05 10:00,15m,не считает пени,звонок"


def run_bytes(*args: str, stdin: bytes, env_extra: dict[str, str] | None = None) -> Result:
    """``kvsupport ARGS`` with raw bytes on stdin."""
    done = subprocess.run(
        [console_script(), *args],
        input=stdin,
        capture_output=True,
        env={**os.environ, **(env_extra or {})},
        timeout=60,
        check=False,
    )
    return Result(done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8"))


def stored(run: Runner) -> list[dict[str, object]]:
    result = run("export", "--format", "json")
    assert result.code == 0, result.stderr
    rows: list[dict[str, object]] = result.json()
    return rows


def test_a_semicolon_csv_from_russian_excel_is_read(run: Runner, romashka: str, tmp_path: Path) -> None:
    file = tmp_path / "excel.csv"
    file.write_text(
        "client;service;start;duration;problem;note\n"
        'romashka;line;2026-10-05 10:00;15m;"пени; не считает";звонок\n',
        encoding="utf-8",
    )
    result = run("import", str(file))
    assert result.code == 0, result.stderr
    (row,) = stored(run)
    assert row["problem"] == "пени; не считает"
    assert row["note"] == "звонок"


def test_a_byte_order_mark_on_stdin_is_dropped_as_in_a_file(run: Runner, romashka: str) -> None:
    result = run_bytes("import", "-", "--format", "csv", stdin=f"\ufeff{HEADER}\n{ROW}\n".encode())
    assert result.code == 0, result.stderr
    (row,) = stored(run)
    assert row["client"] == "romashka"


def test_cp1251_on_stdin_says_so_and_how_to_convert(run: Runner, romashka: str, ledger_dir: Path) -> None:
    before = snapshot(ledger_dir)
    result = run_bytes(
        "import",
        "-",
        "--format",
        "csv",
        stdin=f"{HEADER}\n{ROW}\n".encode("cp1251"),
        env_extra={"PYTHONIOENCODING": "utf-8:strict", "LC_ALL": "C.UTF-8"},
    )
    assert_refused(result, 2, "stdin", "not UTF-8", "line 2", "cp1251")
    assert "iconv -f cp1251 -t utf-8" in result.stderr
    assert snapshot(ledger_dir) == before


def test_a_cp1251_file_names_its_encoding(run: Runner, romashka: str, tmp_path: Path) -> None:
    file = tmp_path / "cp1251.csv"
    file.write_bytes(f"{HEADER}\n{ROW}\n".encode("cp1251"))
    result = run("import", str(file))
    assert_refused(result, 2, str(file), "not UTF-8", "cp1251")
    assert "UTF-8" in result.stderr.splitlines()[1]


def test_a_cell_over_the_csv_field_limit_is_one_error(run: Runner, romashka: str, ledger_dir: Path) -> None:
    before = snapshot(ledger_dir)
    huge = "ж" * 131_073
    result = run("import", "-", "--format", "csv", stdin=f"{HEADER}\n{ROW}\n{ROW[:-6]}{huge}\n")
    assert_refused(result, 2, "stdin", "line 3", "field larger than field limit")
    assert snapshot(ledger_dir) == before


@pytest.mark.parametrize(
    "row",
    [
        "romashka,line,2026-10-05 11:00,15m,пени",  # the last cell dropped
        'romashka,line,2026-10-05 11:00,15m,"пени,звонок',  # a quote that swallows the rest
        "romashka;line;2026-10-05 11:00;15m;пени",  # a semicolon row under a comma header
    ],
)
def test_a_row_shorter_than_the_header_is_one_error_naming_its_line(
    run: Runner, romashka: str, ledger_dir: Path, tmp_path: Path, row: str
) -> None:
    before = snapshot(ledger_dir)
    text = f"{HEADER}\n{ROW}\n{row}\n"
    file = tmp_path / "short.csv"
    file.write_text(text, "utf-8")
    for result in (run("import", "-", stdin=text), run("import", str(file))):
        assert_refused(result, 2, "line 3", "fewer cells than the first line names columns")
    assert snapshot(ledger_dir) == before


def test_json_nested_100000_deep_is_one_error(run: Runner, romashka: str) -> None:
    result = run("import", "-", "--format", "json", stdin="[" * 100_000 + "]" * 100_000)
    assert_refused(result, 2, "stdin", "nested too deeply")


@pytest.mark.parametrize(("option", "command"), [("--tariffs", "tariff"), ("--config", "config")])
def test_an_endless_file_is_read_only_up_to_its_limit(run: Runner, option: str, command: str) -> None:
    result = run(option, "/dev/zero", command, "show")
    assert_refused(result, 1, "/dev/zero", "larger than 1 MiB")


def test_a_config_nested_50000_deep_is_one_error(run: Runner) -> None:
    config = Path(os.environ["KVSUPPORT_CONFIG"])
    config.write_text("supplier = " + "[" * 50_000 + "]" * 50_000 + "\n")
    result = run("config", "show")
    assert_refused(result, 1, str(config), "nested too deeply")


def test_config_tables_nested_50000_deep_are_one_error(run: Runner) -> None:
    config = Path(os.environ["KVSUPPORT_CONFIG"])
    config.write_text("[" + ".".join(["a"] * 50_000) + "]\nb = 1\n")
    result = run("config", "show")
    assert_refused(result, 1, str(config), "nested too deeply")


def test_tariffs_nested_deep_are_one_error(run: Runner, tmp_path: Path) -> None:
    tariffs = tmp_path / "deep.toml"
    tariffs.write_text("tariff = " + "[" * 50_000 + "]" * 50_000 + "\n")
    result = run("--tariffs", str(tariffs), "tariff", "list")
    assert_refused(result, 1, str(tariffs), "nested too deeply")


def test_a_byte_order_mark_is_dropped_from_the_config_and_the_tariff_file(
    run: Runner, tmp_path: Path
) -> None:
    config = Path(os.environ["KVSUPPORT_CONFIG"])
    config.write_bytes('\ufefftimezone = "Europe/Moscow"\n'.encode())
    shown = run("config", "show", "--format", "json")
    assert shown.code == 0, shown.stderr
    assert shown.json()["timezone"] == "Europe/Moscow"
    tariffs = tmp_path / "bom.toml"
    from kvsupport.storage.paths import PACKAGED_TARIFFS

    tariffs.write_bytes(b"\xef\xbb\xbf" + PACKAGED_TARIFFS.read_bytes())
    listed = run("--tariffs", str(tariffs), "tariff", "list", "--format", "json")
    assert listed.code == 0, listed.stderr
    assert [v["effective"] for v in listed.json()] == ["2017-01-01"]


def test_an_endless_letter_is_read_only_up_to_its_limit(run: Runner) -> None:
    assert_refused(run("letter", "show", "/dev/zero"), 2, "/dev/zero", "larger than 64 MiB")
