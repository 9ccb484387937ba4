"""Invoices sent as e-mail drafts (SPEC §12): ``invoice send`` writes an ``.eml`` that the
standard library reads back -- To, From, a Russian subject and body, ``X-Unsent: 1``, the
invoice and act PDFs (opened with pdftotext) -- and the invoice records the draft."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import os
import re
import shutil
import stat
import subprocess
from email.header import decode_header, make_header
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from cli_testkit import Runner, assert_refused, snapshot
from money_testkit import SETTINGS, invoices, ok


def read(path: Path) -> EmailMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    assert message.defects == []
    return message


def display(message: EmailMessage, header: str) -> str:
    """A header as a mail program shows it: adjacent encoded-words joined (RFC 2047 §6.2)."""
    raw = email.message_from_bytes(message.as_bytes(), policy=email.policy.compat32)[header]
    return str(make_header(decode_header(raw)))


def pdf_text(data: bytes, tmp_path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "attachment.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", " ", text.replace("\xa0", " "))


def test_a_draft_has_the_letter_and_both_pdfs(run: Runner, month_end: Path, tmp_path: Path) -> None:
    drafts = tmp_path / "черновики"
    result = ok(run("invoice", "send", "2026-0003", "--draft", str(drafts)))
    path = drafts / "2026-0003.eml"
    assert result.stdout == ""
    assert result.stderr.strip() == (
        f"wrote {path}: letter with invoice 2026-0003 to romashka <buh@romashka.example.ru>"
    )
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    raw = path.read_bytes()
    assert b"\r\n" in raw  # CRLF, as mail is
    assert b"\n" not in raw.replace(b"\r\n", b"")

    message = read(path)
    assert message["X-Unsent"] == "1"
    assert message["To"].addresses[0].addr_spec == "buh@romashka.example.ru"
    assert display(message, "To") == "ТСЖ «Ромашка» <buh@romashka.example.ru>"
    assert display(message, "From") == f"ООО «Бонус» <{SETTINGS['supplier.email']}>"
    assert message["Subject"] == "Счёт № 2026-0003 от 30.11.2026 и акт за ноябрь 2026 г. — ООО «Бонус»"
    assert message["Date"].datetime.tzinfo is not None
    assert message["Message-ID"].endswith("@bonus.example.ru>")
    body = message.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert "Направляем счёт № 2026-0003 от 30.11.2026 на сумму 2\xa0621,67 руб." in text
    assert "Оплатить счёт просим не позднее 05.12.2026." in text
    assert "QR-коду" in text
    assert text.rstrip().endswith("Иванов И. И.\nООО «Бонус»\nbuh@bonus.example.ru")

    attachments = {part.get_filename(): part for part in message.iter_attachments()}
    assert list(attachments) == ["Счёт 2026-0003.pdf", "Акт 2026-0003.pdf"]
    for name, part in attachments.items():
        assert part.get_content_type() == "application/pdf"
        data = part.get_content()
        assert isinstance(data, bytes), name
        assert data.startswith(b"%PDF-"), name
    invoice = pdf_text(attachments["Счёт 2026-0003.pdf"].get_content(), tmp_path)
    assert "Счёт на оплату № 2026-0003 от 30 ноября 2026 г." in invoice
    assert "Всего к оплате: 2 621,67" in invoice
    act = pdf_text(attachments["Акт 2026-0003.pdf"].get_content(), tmp_path)
    assert "Акт об оказании услуг № 2026-0003 от 30 ноября 2026 г." in act

    record = invoices(run)["2026-0003"]
    drafted = dt.datetime.fromisoformat(record["drafted_at"])
    assert drafted.utcoffset() == dt.timedelta(hours=3)  # local time, with its offset
    assert abs(dt.datetime.now(ZoneInfo("Europe/Moscow")) - drafted) < dt.timedelta(minutes=5)
    assert record["reminded_at"] is None


def test_all_unsent_refuses_a_client_without_email_and_then_skips_what_was_drafted(
    run: Runner, month_end: Path, tmp_path: Path, ledger_dir: Path
) -> None:
    drafts = tmp_path / "drafts"
    ok(run("invoice", "send", "2026-0003", "--draft", str(drafts)))
    before = snapshot(ledger_dir, drafts)
    refused = run("invoice", "send", "--all-unsent", "--month", "2026-11", "--draft", str(drafts))
    assert_refused(refused, 1, "tiho", "no e-mail")
    assert "kvsupport client edit tiho --email" in refused.stderr
    assert snapshot(ledger_dir, drafts) == before  # nothing written, nothing recorded

    ok(run("client", "edit", "tiho", "--email", "uk@tihiy.example.ru"))
    done = ok(run("invoice", "send", "--all-unsent", "--month", "11.2026", "--draft", str(drafts)))
    assert [line.split(":")[0] for line in done.stderr.splitlines()] == [
        f"wrote {drafts / '2026-0004.eml'}",
        f"wrote {drafts / '2026-0005.eml'}",
    ]
    assert read(drafts / "2026-0005.eml")["To"].addresses[0].addr_spec == "uk@tihiy.example.ru"
    assert sorted(p.name for p in drafts.iterdir()) == ["2026-0003.eml", "2026-0004.eml", "2026-0005.eml"]
    again = ok(run("invoice", "send", "--all-unsent", "--month", "2026-11", "--draft", str(drafts)))
    assert "nothing to send for 2026-11" in again.stderr
    assert all(invoices(run)[n]["drafted_at"] for n in ("2026-0003", "2026-0004", "2026-0005"))


def test_a_reminder_of_an_overdue_invoice(run: Runner, month_end: Path, tmp_path: Path) -> None:
    ok(run("invoice", "pay", "2026-0002", "--amount", "1000", "--date", "2026-11-20"))
    result = ok(run("invoice", "send", "2026-0002", "--reminder", "--draft", str(tmp_path)))
    assert "reminder for invoice 2026-0002 to lesnaya" in result.stderr
    message = read(tmp_path / "2026-0002-reminder.eml")
    assert message["Subject"] == "Напоминание об оплате счёта № 2026-0002 от 02.11.2026 — ООО «Бонус»"
    body = message.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    late = (dt.datetime.now(ZoneInfo("Europe/Moscow")).date() - dt.date(2026, 11, 7)).days
    assert "оплачен частично: остаток к оплате 321,67 руб." in text.replace("\xa0", " ")
    assert f"Срок оплаты — 07.11.2026, просрочка {late} " in text
    assert "Просим оплатить 321,67 руб." in text.replace("\xa0", " ")
    invoice = next(p for p in message.iter_attachments() if p.get_filename() == "Счёт 2026-0002.pdf")
    assert "ОПЛАЧЕН ЧАСТИЧНО: остаток к оплате 321,67 руб." in pdf_text(invoice.get_content(), tmp_path)
    record = invoices(run)["2026-0002"]
    assert record["reminded_at"] is not None
    assert record["drafted_at"] is None


def test_refusals_write_nothing(run: Runner, month_end: Path, tmp_path: Path, ledger_dir: Path) -> None:
    drafts = tmp_path / "drafts"
    # an invoice due a year from today is not overdue, whenever this runs
    ok(run("config", "set", "invoice.due_days", "365"))
    ok(run("session", "add", "tiho", "backup", "--start", "2026-11-20 10:00", "--duration", "1h",
           "--problem", "пени", "--consent", "письмо"))  # fmt: skip
    today = dt.datetime.now(ZoneInfo("Europe/Moscow")).date().isoformat()
    ok(run("invoice", "--month", "2026-11", "--date", today))  # 2026-0006, tiho
    ok(run("client", "edit", "tiho", "--email", "uk@tihiy.example.ru"))
    ok(run("invoice", "void", "2026-0004", "--reason", "дубль"))
    ok(run("invoice", "pay", "2026-0001", "--date", "2026-11-20"))
    before = snapshot(ledger_dir)
    cases = [
        (("2026-0006", "--reminder"), 1, ("2026-0006", "not overdue")),
        (("2026-0001", "--reminder"), 1, ("2026-0001", "paid")),
        (("2026-0004",), 1, ("2026-0004", "void")),
        (("2026-9999",), 1, ("2026-9999",)),
        ((), 2, ("NUMBER",)),
        (("2026-0003", "--all-unsent"), 2, ("not both",)),
        (("--all-unsent",), 2, ("--month",)),
        (("--all-unsent", "--month", "2026-11", "--reminder"), 2, ("--reminder",)),
    ]
    for args, code, words in cases:
        assert_refused(run("invoice", "send", *args, "--draft", str(drafts)), code, *words)
    assert not drafts.exists()
    assert snapshot(ledger_dir) == before

    config = Path(os.environ["KVSUPPORT_CONFIG"])  # a config from before supplier.email
    config.write_text(config.read_text("utf-8").replace('email = "buh@bonus.example.ru"\n', ""), "utf-8")
    assert "buh@bonus.example.ru" not in ok(run("config", "show")).stdout
    assert_refused(run("invoice", "send", "2026-0003", "--draft", str(drafts)), 1, "supplier.email")
    assert not drafts.exists()


def test_a_draft_is_never_written_through_a_link(run: Runner, month_end: Path, tmp_path: Path) -> None:
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    target = tmp_path / "elsewhere.txt"
    target.write_text("keep me", "utf-8")
    (drafts / "2026-0003.eml").symlink_to(target)
    assert_refused(run("invoice", "send", "2026-0003", "--draft", str(drafts)), 2, "symbolic link")
    assert target.read_text("utf-8") == "keep me"
    assert invoices(run)["2026-0003"]["drafted_at"] is None
