"""Terminal escape injection (issue 9 B17, §D): control characters are refused in typed
input, and a ledger that holds some anyway (an old one, a hand edit) prints none of them."""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from cli_testkit import Runner, assert_refused, snapshot

from kvsupport.core.text import REPLACEMENT, control_character, printable

#: what an attacker would put in a client's name: set the window title, clear the screen,
#: ring the bell, return to the line start and overprint it, and a C1 CSI
ATTACK = "\x1b]0;pwned\x07\x1b[2J\r\x9b31m\x00"
MARK = "ZZMARKZZ"
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@pytest.fixture
def poisoned(romashka: str, ledger_dir: Path, run: Runner) -> str:
    """``romashka`` renamed ``ООО <ATTACK>`` and a backup session whose note holds it, written
    into the ledger files by hand (kvsupport itself refuses to store it); the code."""
    assert run("client", "edit", "romashka", "--name", f"ООО {MARK}").code == 0
    added = run(
        "session", "add", "romashka", "backup", "--start", "2026-10-05 10:00", "--duration", "45m",
        "--problem", "пени", "--consent", "письмо", "--note", MARK,
    )  # fmt: skip
    assert added.code == 0, added.stderr
    escaped = json.dumps(ATTACK)[1:-1]  # as JSON writes it: \u001b…
    for path in ledger_dir.rglob("*.json"):
        text = path.read_text("utf-8")
        if MARK in text:
            path.write_text(text.replace(MARK, escaped), "utf-8")
    listed = run("client", "show", "romashka", "--format", "json")
    assert listed.json()["name"] == f"ООО {ATTACK}"  # the ledger really holds it
    return "romashka"


@pytest.mark.file_ledger  # the ledger is poisoned by editing its files
@pytest.mark.parametrize(
    "argv",
    [
        ("client", "show", "romashka"),
        ("client", "list"),
        ("client", "list", "--format", "csv"),
        ("session", "list", "--month", "2026-10"),
        ("session", "list", "--month", "2026-10", "--format", "csv"),
        ("session", "show", "1"),
        ("export", "--format", "csv"),
        ("report", "--month", "2026-10"),
        ("invoice", "--month", "2026-10", "--date", "2026-11-02"),
    ],
    ids=" ".join,
)
def test_no_output_carries_a_control_character(run: Runner, poisoned: str, argv: tuple[str, ...]) -> None:
    result = run(*argv)
    assert result.code == 0, result.stderr
    assert RAW.search(result.stdout) is None, repr(result.stdout)
    assert RAW.search(result.stderr) is None, repr(result.stderr)
    if argv[:2] not in (("session", "list"), ("session", "show"), ("report", "--month")) or "csv" in argv:
        assert REPLACEMENT in result.stdout + result.stderr  # the name or note is there, neutralised


@pytest.mark.file_ledger  # the ledger is poisoned by editing its files
def test_json_keeps_the_value_with_every_control_character_escaped(run: Runner, poisoned: str) -> None:
    result = run("client", "show", "romashka", "--format", "json")
    assert RAW.search(result.stdout) is None, repr(result.stdout)
    assert "\\u009b" in result.stdout  # json escapes C0 itself; C1 is escaped too
    assert result.json()["name"] == f"ООО {ATTACK}"


@pytest.mark.file_ledger  # the ledger is poisoned by editing its files
@pytest.mark.parametrize("fmt", ["text", "html", "pdf"])
def test_documents_carry_no_control_character(run: Runner, poisoned: str, tmp_path: Path, fmt: str) -> None:
    assert run("invoice", "--month", "2026-10", "--date", "2026-11-02").code == 0
    out = tmp_path / f"invoice.{fmt}"
    result = run("invoice", "show", "2026-0001", "--format", fmt, "-o", str(out))
    assert result.code == 0, result.stderr
    if fmt == "pdf":
        if shutil.which("pdftotext") is None:
            pytest.skip("pdftotext (poppler-utils) is not installed")
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(out), "-"], capture_output=True, check=True, text=True
        ).stdout
        text = text.replace("\x0c", "")  # pdftotext's own page break
    else:
        text = out.read_text("utf-8")
    assert "ООО" in text
    assert RAW.search(text) is None, repr(text)
    assert REPLACEMENT in text


def test_typed_text_with_a_control_character_is_refused(run: Runner, romashka: str, ledger_dir: Path) -> None:
    before = snapshot(ledger_dir)
    for argv, where in [
        (("client", "add", "evil", "--name", "ООО \x1b[2J"), "--name"),
        (("client", "edit", "romashka", "--phone", "+7 495\r000"), "--phone"),
        (("client", "add", "ev\x07il", "--name", "ООО"), "argument 3"),
        (("session", "start", "romashka", "line", "--note", "a\x1bb"), "--note"),
        (("session", "start", "romashka", "backup", "--consent=письмо\x07"), "--consent"),
        (("session", "start", "romashka", "backup", "--consent", "письмо\nот 01.10"), "--consent"),
        (("order", "add", "romashka", "line", "--at", "+1h", "--problem", "a\rb"), "--problem"),
        (("config", "set", "supplier.name", "ООО \x1b]0;x\x07"), "argument 4"),
    ]:
        result = run(*argv)
        assert_refused(result, 2, where, "control character")
        assert RAW.search(result.stderr) is None, repr(result.stderr)  # the error shows it escaped
        assert "\\" in result.first_error  # escaped as Python writes it
    assert snapshot(ledger_dir) == before


def test_a_newline_is_fine_in_a_problem_and_a_note(run: Runner, romashka: str) -> None:
    result = run(
        "session", "add", "romashka", "backup", "--start", "2026-10-05 10:00", "--duration", "45m",
        "--problem", "не считает пени\nи не печатает", "--consent", "письмо",
        "--note", "1.\t звонок\n2. письмо",
    )  # fmt: skip
    assert result.code == 0, result.stderr
    (row,) = run("export", "--format", "json").json()
    assert row["problem"] == "не считает пени\nи не печатает"
    assert row["note"] == "1.\t звонок\n2. письмо"


def test_an_imported_row_with_a_control_character_is_refused(run: Runner, romashka: str) -> None:
    head = "client,service,start,duration,problem,consent,note\n"
    result = run(
        "import", "-", "--format", "csv",
        stdin=head + "romashka,line,2026-10-05 10:00,15m,,,ok\nromashka,line,2026-10-06 10:00,15m,,\x00x,\n",
    )  # fmt: skip
    assert_refused(result, 2, "line 3", "consent", "control character", "U+0000")
    assert run("export", "--format", "json").json() == []


def test_an_imported_problem_keeps_its_lines_as_newlines(run: Runner, romashka: str) -> None:
    text = (
        'client,service,start,duration,problem\r\nromashka,line,2026-10-05 10:00,15m,"пени\r\nи печать"\r\n'
    )
    result = run("import", "-", "--format", "csv", stdin=text)
    assert result.code == 0, result.stderr
    (row,) = run("export", "--format", "json").json()
    assert row["problem"] == "пени\nи печать"


def test_a_config_file_with_a_control_character_names_the_key(run: Runner) -> None:
    config = Path(os.environ["KVSUPPORT_CONFIG"])
    config.write_text('[supplier]\nname = "ООО \\u001b[2J"\n', "utf-8")
    assert_refused(run("config", "show"), 1, str(config), "supplier.name", "U+001B")


def test_printable_and_control_character() -> None:
    assert printable("a\x1b[2Jb\tc\nd\r\x9b\x7f") == f"a{REPLACEMENT}[2Jb\tc\nd{REPLACEMENT * 3}"
    assert printable("ООО «Ромашка»") == "ООО «Ромашка»"
    assert control_character("a\x1bb") == "U+001B ESC"
    assert control_character("a\nb") == "U+000A newline"
    assert control_character("a\nb\tc", multiline=True) is None
    assert control_character("a\rb", multiline=True) == "U+000D CR"
    assert control_character("\x85") is not None  # C1 NEL


def test_a_letter_shows_no_control_character(run: Runner, tmp_path: Path) -> None:
    def encoded(text: str) -> bytes:
        return b"=?utf-8?b?" + base64.b64encode(text.encode()) + b"?="

    letter = tmp_path / "letter.eml"
    letter.write_bytes(
        b"From: " + encoded("Ромашка\x1b]0;pwned\x07") + b" <a@b.ru>\r\n"
        b"To: support@example.ru\r\n"
        b"Subject: " + encoded("пени\x1b[2J") + b"\r\n"
        b"Date: Mon, 02 Nov 2026 10:00:00 +0300\r\n"
        b"Message-ID: <1@b.ru>\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\n" + "Не считает пени\r\n".encode()
    )
    shown = run("letter", "show", str(letter), "--format", "json")
    assert "\x1b" in shown.json()["letter"]["subject"]  # the letter really carries it
    result = run("letter", "show", str(letter))
    assert result.code == 0, result.stderr
    assert "пени" in result.stdout
    assert RAW.search(result.stdout) is None, repr(result.stdout)
