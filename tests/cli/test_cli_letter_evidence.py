"""``--letter FILE.eml`` on ``session start``, ``session add`` and ``order add`` (SPEC §11).

Letters are written here byte by byte as Russian mailers send them: Outlook from
a Russian Windows (windows-1251 headers and body), an old Unix mailer (koi8-r,
an RFC 2231 attachment name), and a modern one (UTF-8, the standard library's
writer). Each carries a "backup": bytes made here, whose size and SHA-256 the
test computes itself.
"""

from __future__ import annotations

import base64
import hashlib
import shutil
import subprocess
import sys
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from cli_testkit import Result, Runner, assert_refused, snapshot

MOSCOW = ZoneInfo("Europe/Moscow")
BACKUP = bytes(range(256)) * 50  # 12 800 bytes standing in for a zipped database
SHA_BACKUP = hashlib.sha256(BACKUP).hexdigest()
CONSENTING = "Здравствуйте!\nНе считаются пени за ноябрь.\nОплату гарантируем.\nтел. 8 (495) 765-43-21\n"
ASKING = "Здравствуйте!\nНе считаются пени за ноябрь.\nСколько это будет стоить?\n"


def word(text: str, charset: str) -> str:
    """An RFC 2047 encoded-word."""
    return f"=?{charset}?B?{base64.b64encode(text.encode(charset)).decode()}?="


def legacy_letter(body: str, charset: str, *, attach: bool = True, date: str | None = None) -> bytes:
    """A multipart letter with its headers and body in ``charset`` and a backup attached
    under an RFC 2231 name in the same charset."""
    head = [
        f"From: {word('ТСЖ Ромашка', charset)} <tsj@example.ru>",
        "To: support@example.ru",
        f"Subject: {word('Не считаются пени', charset)}",
        f"Date: {date or 'Tue, 24 Nov 2026 10:15:00 +0300'}",
        "Message-ID: <20261124101500.1234@example.ru>",
        "MIME-Version: 1.0",
        'Content-Type: multipart/mixed; boundary="==b=="',
    ]
    text = body.replace("\n", "\r\n").encode(charset)
    out = ("\r\n".join(head) + "\r\n\r\n--==b==\r\n").encode()
    out += f"Content-Type: text/plain; charset={charset}\r\nContent-Transfer-Encoding: 8bit\r\n\r\n".encode()
    out += text + b"\r\n"
    if attach:
        name = quote("база.zip".encode(charset), safe="")
        out += (
            "--==b==\r\nContent-Type: application/zip\r\nContent-Transfer-Encoding: base64\r\n"
            f"Content-Disposition: attachment; filename*={charset}''{name}\r\n\r\n"
        ).encode() + base64.encodebytes(BACKUP)
    return out + b"--==b==--\r\n"


def modern_letter(body: str) -> bytes:
    """A UTF-8 letter as Thunderbird or Gmail write one, with the backup and a screenshot."""
    message = EmailMessage()
    message["From"] = "Бухгалтер ЖСК «Лесная 5» <buh@lesnaya5.ru>"
    message["To"] = "support@example.ru"
    message["Subject"] = "Резервная копия базы"
    message["Date"] = "Mon, 30 Nov 2026 09:05:00 +0500"
    message["Message-ID"] = "<lesnaya-1@lesnaya5.ru>"
    message.set_content(body)
    message.add_attachment(BACKUP, maintype="application", subtype="zip", filename="база ноябрь.zip")
    message.add_attachment(b"\x89PNG" * 10, maintype="image", subtype="png", filename="ошибка.png")
    return message.as_bytes()


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def show(run: Runner, session_id: int) -> dict[str, Any]:
    result = run("session", "show", str(session_id), "--format", "json")
    assert result.code == 0, result.stderr
    record: dict[str, Any] = result.json()
    return record


def add_backup(run: Runner, client: str, letter: Path, *extra: str) -> Result:
    return run(
        "session", "add", client, "backup", "--start", "2026-11-24 11:00", "--duration", "45m",
        "--letter", str(letter), *extra,
    )  # fmt: skip


@pytest.fixture
def bare(moscow: Path, run: Runner) -> str:
    """A client with no phone on record, so the letter's phone counts; its code."""
    assert run("client", "add", "lesnaya", "--name", "ТСЖ «Лесная»").code == 0
    return "lesnaya"


# --------------------------------------------------------- what a letter gives


@pytest.mark.parametrize("charset", ["windows-1251", "koi8-r"])
def test_a_legacy_letter_gives_problem_phone_consent_and_evidence(
    run: Runner, bare: str, tmp_path: Path, charset: str
) -> None:
    letter = write(tmp_path, "письмо.eml", legacy_letter(CONSENTING, charset))
    result = add_backup(run, bare, letter)
    assert result.code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "problem from the letter: «Не считаются пени за ноябрь.»",
        "phone from the letter: 8 (495) 765-43-21",
        "consent from the letter: «письмо от 24.11.2026, tsj@example.ru» (it says «Оплату гарантируем»)",
        f"evidence: the letter of 24.11.2026 from tsj@example.ru (sha256 "
        f"{hashlib.sha256(letter.read_bytes()).hexdigest()[:12]}); attached: база.zip (12.5 KB)",
        "added session 1: worked 45m, billed 60 min × 1300.00/h = 1300.00 RUB",
    ]
    record = show(run, 1)
    assert (record["problem"], record["phone"], record["consent"]) == (
        "Не считаются пени за ноябрь.",
        "8 (495) 765-43-21",
        "письмо от 24.11.2026, tsj@example.ru",
    )
    assert record["evidence"] == {
        "letter": {
            "from": "tsj@example.ru",
            "from_name": "ТСЖ Ромашка",
            "date": "2026-11-24T10:15:00+03:00",
            "subject": "Не считаются пени",
            "message_id": "<20261124101500.1234@example.ru>",
            "sha256": hashlib.sha256(letter.read_bytes()).hexdigest(),
            "file": "письмо.eml",
        },
        "attachments": [
            {"name": "база.zip", "size": len(BACKUP), "sha256": SHA_BACKUP, "content_type": "application/zip"}
        ],
    }


def test_a_utf8_letter_with_two_attachments_and_what_session_show_lists(
    run: Runner, bare: str, tmp_path: Path
) -> None:
    letter = write(
        tmp_path, "backup.eml", modern_letter("Добрый день!\nНе проводится оплата.\nСогласны оплатить.\n")
    )
    assert add_backup(run, bare, letter, "--phone", "+7 916 000-11-22").code == 0
    record = show(run, 1)
    assert record["phone"] == "+7 916 000-11-22"  # given: the letter's is not taken
    assert record["consent"] == "письмо от 30.11.2026, buh@lesnaya5.ru"
    names = [(a["name"], a["size"]) for a in record["evidence"]["attachments"]]
    assert names == [("база ноябрь.zip", len(BACKUP)), ("ошибка.png", 40)]
    text = run("session", "show", "1").stdout.splitlines()
    assert (
        "letter:   30.11.2026 09:05 +0500 from Бухгалтер ЖСК «Лесная 5» <buh@lesnaya5.ru>, "
        "«Резервная копия базы»" in text
    )
    assert "Backup received: база ноябрь.zip, 12.5 KB, 30.11.2026" in text
    assert "Attachment received: ошибка.png, 40 bytes, 30.11.2026" in text
    assert f"          sha256 {SHA_BACKUP}" in text


def test_what_the_command_line_gives_comes_first(run: Runner, romashka: str, tmp_path: Path) -> None:
    letter = write(tmp_path, "письмо.eml", legacy_letter(CONSENTING, "windows-1251"))
    result = add_backup(run, romashka, letter, "--problem", "перенос базы", "--consent", "звонок 23.11")
    assert result.code == 0, result.stderr
    assert result.stderr.splitlines()[0].startswith(
        "evidence: the letter of 24.11.2026"
    )  # nothing else taken
    record = show(run, 1)
    # romashka has a phone on record: the letter's is not copied onto the session
    assert (record["problem"], record["phone"], record["consent"]) == ("перенос базы", None, "звонок 23.11")
    assert record["evidence"]["letter"]["from"] == "tsj@example.ru"


# ------------------------------------------------------------ refusals


def test_a_letter_without_consent_refuses_a_backup_session(
    run: Runner, bare: str, ledger_dir: Path, tmp_path: Path
) -> None:
    letter = write(tmp_path, "вопрос.eml", legacy_letter(ASKING, "koi8-r"))
    before = snapshot(ledger_dir)
    result = add_backup(run, bare, letter)
    assert_refused(
        result, 1, "backup for lesnaya needs phone, consent on record", f"the letter {letter} does not say"
    )
    assert "«оплату гарантируем»" in result.stderr
    assert "--phone P: the letter gives no phone" in result.stderr
    assert snapshot(ledger_dir) == before
    # with --consent it goes in, the letter still its evidence
    assert (
        add_backup(run, bare, letter, "--consent", "звонок 24.11.2026", "--phone", "+74950000001").code == 0
    )
    assert show(run, 1)["evidence"]["letter"]["file"] == "вопрос.eml"


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (legacy_letter(CONSENTING, "windows-1251").replace(b"Date: ", b"X-Date: "), "the letter has no date"),
        (legacy_letter(CONSENTING, "windows-1251")[:-12], "the letter is cut off"),
        (b"\x00\x01 not a letter at all", "not an e-mail message"),
    ],
    ids=["no-date", "truncated", "not-mime"],
)
def test_a_malformed_letter_is_one_error_and_nothing_is_stored(
    run: Runner, bare: str, ledger_dir: Path, tmp_path: Path, data: bytes, problem: str
) -> None:
    letter = write(tmp_path, "broken.eml", data)
    before = snapshot(ledger_dir)
    assert_refused(add_backup(run, bare, letter), 2, str(letter), problem)
    assert_refused(run("session", "start", bare, "backup", "--letter", str(letter)), 2, problem)
    assert_refused(run("order", "add", bare, "backup", "--at", "+1h", "--letter", str(letter)), 2, problem)
    assert snapshot(ledger_dir) == before


# ------------------------------------------------------ start, order, invoice


@pytest.mark.file_ledger  # twin ledgers as files; on PostgreSQL, test_cli_fast_path compares the two
def test_session_start_takes_the_letter_on_both_front_ends(
    run: Runner, run_typer: Runner, bare: str, ledger_dir: Path, tmp_path: Path
) -> None:
    letter = write(tmp_path, "письмо.eml", legacy_letter(CONSENTING, "windows-1251"))
    twin = ledger_dir.with_name("ledger-typer")
    shutil.copytree(ledger_dir, twin)
    argv = ("session", "start", bare, "backup", "--at", "-30m", "--letter", str(letter))
    fast = run(*argv)
    slow = run_typer(*argv, env_extra={"KVSUPPORT_LEDGER": str(twin / "ledger.json")})
    assert (fast.code, fast.stderr.splitlines()[:4]) == (slow.code, slow.stderr.splitlines()[:4])
    assert fast.code == 0, fast.stderr
    assert fast.stderr.splitlines()[2].startswith("consent from the letter:")
    on_typer = run_typer(
        "session", "status", "--format", "json", env_extra={"KVSUPPORT_LEDGER": str(twin / "ledger.json")}
    )
    assert (
        run("session", "status", "--format", "json").json()["running"]["evidence"]
        == on_typer.json()["running"]["evidence"]
    )


def test_an_orders_letter_passes_to_the_session_started_from_it(
    run: Runner, bare: str, tmp_path: Path
) -> None:
    letter = write(tmp_path, "письмо.eml", legacy_letter(CONSENTING, "windows-1251"))
    added = run("order", "add", bare, "backup", "--at", "+2h", "--letter", str(letter))
    assert added.code == 0, added.stderr
    assert "consent from the letter" in added.stderr
    (order,) = run("order", "list", "--format", "json").json()
    assert order["consent"] == "письмо от 24.11.2026, tsj@example.ru"
    assert order["evidence"]["attachments"][0]["sha256"] == SHA_BACKUP
    started = run("session", "start", "--order", "1")
    assert started.code == 0, started.stderr  # the order's consent counts
    running = run("session", "status", "--format", "json").json()["running"]
    assert (running["order"], running["consent"], running["evidence"]) == (
        1,
        order["consent"],
        order["evidence"],
    )


def test_the_invoice_appendix_names_the_letter(run: Runner, bare: str, tmp_path: Path) -> None:
    letter = write(tmp_path, "письмо.eml", legacy_letter(CONSENTING, "windows-1251"))
    assert add_backup(run, bare, letter).code == 0
    issued = run("invoice", "--month", "2026-11", "--date", "2026-11-30")
    assert issued.code == 0, issued.stderr
    number = run("invoice", "list", "--format", "json").json()[0]["number"]
    html = run("invoice", "show", number, "--format", "html")
    assert html.code == 0, html.stderr
    assert (
        "Заявка: письмо от 24.11.2026, tsj@example.ru «Не считаются пени». "
        "Получена резервная копия: база.zip, 12,5 КБ, 24.11.2026."
    ) in html.stdout
    shown = run("invoice", "show", number, "--format", "json").json()
    assert (
        shown["lines"][0]["evidence"]["letter"]["sha256"] == hashlib.sha256(letter.read_bytes()).hexdigest()
    )


# ------------------------------------------------------------ the hot path


def test_session_start_without_a_letter_reads_no_mail_code() -> None:
    """The letter code (and the stdlib email package) load only for --letter."""
    code = (
        "import sys\n"
        "import kvsupport.cli.fast, kvsupport.cli.hot\n"
        "mail = ('email', 'kvsupport.core.letters', 'kvsupport.core.evidence', 'kvsupport.ops.evidence')\n"
        "print(sorted(m for m in sys.modules if m in mail or m.startswith('email.')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_letter_path_imports_no_framework() -> None:
    code = (
        "import sys\n"
        "import kvsupport.cli.hot, kvsupport.ops.evidence\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('typer', 'rich', 'click', 'pydantic')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


# ------------------------------------------------------ the letter's date (finding 8)


def _date_header(moment: datetime) -> str:
    return format_datetime(moment.astimezone(MOSCOW))


@pytest.mark.russian
def test_consent_from_a_letter_written_after_the_start_is_kept_with_a_warning(
    run: Runner, bare: str, tmp_path: Path, russian: dict[str, str | None]
) -> None:
    letter = write(tmp_path, "письмо.eml", legacy_letter(CONSENTING, "windows-1251"))  # 24.11.2026 10:15
    argv = ("session", "add", bare, "backup", "--start", "2026-11-20 10:00", "--duration", "61m")
    added = run(*argv, "--letter", str(letter))
    assert added.code == 0, added.stderr
    assert added.stderr.splitlines()[0] == (
        "warning: the letter of 24.11.2026 10:15 is later than the session's start 20.11.2026 10:00: "
        "the consent to pay was written after the work began"
    )
    assert show(run, 1)["consent"] == "письмо от 24.11.2026, tsj@example.ru"
    said = run(*argv, "--allow-overlap", "--letter", str(letter), env_extra=russian)
    assert said.code == 0, said.stderr
    first = said.stderr.splitlines()[0]
    assert first.startswith("предупреждение: ")
    assert "24.11.2026 10:15" in first
    assert "20.11.2026 10:00" in first
    # the consent given on the command line is the consent: the letter is evidence only
    given = run(*argv, "--allow-overlap", "--consent", "по телефону", "--letter", str(letter))
    assert given.code == 0, given.stderr
    assert "warning" not in given.stderr
    # before the start: no warning
    assert "warning" not in add_backup(run, bare, letter).stderr


def test_session_start_warns_of_a_letter_later_than_its_start_on_both_front_ends(
    run: Runner, run_typer: Runner, bare: str, tmp_path: Path
) -> None:
    written = datetime.now(MOSCOW) - timedelta(minutes=10)
    letter = write(tmp_path, "письмо.eml", legacy_letter(CONSENTING, "koi8-r", date=_date_header(written)))
    argv = ("session", "start", bare, "backup", "--at", "-30m", "--letter", str(letter))
    for runner in (run, run_typer):
        started = runner(*argv)
        assert started.code == 0, started.stderr
        assert started.stderr.startswith("warning: the letter of "), started.stderr
        assert "is later than the session's start" in started.stderr.splitlines()[0]
        assert run("session", "cancel").code == 0


@pytest.mark.russian
def test_a_letter_dated_in_the_future_is_refused_as_malformed(
    run: Runner, bare: str, ledger_dir: Path, tmp_path: Path, russian: dict[str, str | None]
) -> None:
    ahead = write(
        tmp_path,
        "ahead.eml",
        legacy_letter(CONSENTING, "windows-1251", date="Tue, 01 Jan 2030 10:00:00 +0300"),
    )
    before = snapshot(ledger_dir)
    for argv in (
        ("session", "add", bare, "backup", "--start", "2026-11-20 10:00", "--duration", "61m"),
        ("session", "start", bare, "backup", "--at", "-30m"),
        ("order", "add", bare, "backup", "--at", "+2h"),
    ):
        refused = run(*argv, "--letter", str(ahead))
        assert_refused(refused, 2, str(ahead), "01.01.2030 10:00", "in the future")
        assert snapshot(ledger_dir) == before
    said = run(
        "session", "start", bare, "backup", "--consent", "c", "--letter", str(ahead), env_extra=russian
    )
    assert said.code == 2
    assert said.first_error.startswith("ошибка: ")
    assert "01.01.2030" in said.first_error
    assert "Traceback" not in said.stderr
    # a few hours ahead (the sender's clock, a zone written wrong) is still a letter
    soon = datetime.now(MOSCOW) + timedelta(hours=5)
    near = write(tmp_path, "soon.eml", legacy_letter(CONSENTING, "windows-1251", date=_date_header(soon)))
    assert run("session", "start", bare, "backup", "--letter", str(near)).code == 0
    assert snapshot(ledger_dir) != before
