"""Issue 12, item 12: client codes whatever their case, a new code, an archived client."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_testkit import Runner, assert_refused, snapshot

from kvsupport.cli.undohint import undo_hint

BACKUP = ("--problem", "пени", "--consent", "письмо от 01.10.2026")


@pytest.fixture
def worked(run: Runner, romashka: str, moscow: Path) -> str:
    """romashka with a remote session in October 2026 (invoiced as 2026-0001, with the
    connection fee), a backup in November (not invoiced) and an order ahead."""
    for argv in (
        (
            "session",
            "add",
            "ROMASHKA",
            "remote",
            "--backup-confirmed",
            "--start",
            "2026-10-05 10:00",
            "--duration",
            "90m",
        ),
        ("invoice", "--month", "2026-10", "--date", "2026-11-02"),
        ("session", "add", "Romashka", "backup", "--start", "2026-11-05 10:00", "--duration", "45m", *BACKUP),
        ("order", "add", "romashka", "remote", "--at", "2099-01-10 10:00"),
    ):
        done = run(*argv)
        assert done.code == 0, (argv, done.stderr)
    return romashka


def codes(run: Runner, *args: str) -> list[object]:
    listed = run(*args, "--format", "json")
    assert listed.code == 0, listed.stderr
    return [row["client"] for row in listed.json()]


def test_a_code_is_matched_whatever_its_case(run: Runner, worked: str) -> None:
    assert codes(run, "session", "list", "--all", "--client", "RoMaShKa") == ["romashka", "romashka"]
    assert codes(run, "order", "list") == ["romashka"]
    report = run("report", "--month", "2026-10", "--client", "ROMASHKA", "--format", "json")
    assert report.json()["rows"][0]["key"] == "romashka"
    listed = run("invoice", "list", "--client", "Romashka", "--format", "json")
    assert [row["number"] for row in listed.json()] == ["2026-0001"]


def test_a_new_code_takes_the_sessions_and_orders_with_it(run: Runner, worked: str) -> None:
    renamed = run("client", "edit", "Romashka", "--code", "romashka-spb", "--phone", "+7 812 000-00-00")
    assert renamed.code == 0, renamed.stderr
    assert renamed.stderr == (
        "changed client romashka-spb: code, phone; renamed from romashka: 2 sessions and 1 order follow; "
        "issued invoices keep the code they were issued with (2026-0001)\n"
    )
    assert codes(run, "session", "list", "--all") == ["romashka-spb", "romashka-spb"]
    assert codes(run, "order", "list") == ["romashka-spb"]
    shown = run("client", "show", "romashka-spb", "--format", "json").json()
    assert (shown["phone"], shown["former_codes"]) == ("+7 812 000-00-00", ["romashka"])
    # the issued invoice keeps the code it froze, and is still the client's
    invoice = run("invoice", "show", "2026-0001", "--format", "json").json()
    assert invoice["client"]["code"] == "romashka"
    listed = run("invoice", "list", "--client", "ROMASHKA-SPB", "--format", "json").json()
    assert [row["number"] for row in listed] == ["2026-0001"]
    old = run("session", "start", "romashka", "line")
    assert_refused(old, 1, "unknown client 'romashka'")
    assert old.stderr.splitlines()[1] == "hint: 'romashka' is now 'romashka-spb'"
    assert run("ledger", "check").code == 0
    # voided, its session and fee are billable again: under the new code
    assert run("invoice", "void", "2026-0001", "--reason", "новый код").code == 0
    again = run("invoice", "--month", "2026-10", "--date", "2026-11-03", "--format", "json").json()
    assert [(inv["client"]["code"], inv["total"]) for inv in again] == [("romashka-spb", "5950.00")]
    assert run("ledger", "check").code == 0


@pytest.mark.parametrize(
    ("new", "code", "says"),
    [
        ("ТСЖ", 1, "client 'ТСЖ' exists as 'тсж' (codes differ only by case)"),
        ("romashka", 2, "client 'romashka' has that code already"),
        ("-x", 2, "invalid client code '-x'"),
    ],
)
def test_a_new_code_in_use_is_refused(
    run: Runner, worked: str, ledger_dir: Path, new: str, code: int, says: str
) -> None:
    assert run("client", "add", "тсж", "--name", "ТСЖ").code == 0
    before = snapshot(ledger_dir)
    assert_refused(run("client", "edit", "romashka", "--code", new), code, says)
    assert snapshot(ledger_dir) == before


def test_a_former_code_stays_taken(run: Runner, worked: str) -> None:
    assert run("client", "edit", "romashka", "--code", "romashka-spb").code == 0
    refused = run("client", "add", "Romashka", "--name", "Другая")
    assert_refused(refused, 1, "'Romashka' was the code of client 'romashka-spb'; its invoices still name it")


def test_a_change_of_case_is_a_rename(run: Runner, worked: str) -> None:
    assert run("client", "edit", "romashka", "--code", "Romashka").code == 0
    assert codes(run, "session", "list", "--all") == ["Romashka", "Romashka"]
    assert run("ledger", "check").code == 0


# ------------------------------------------------------------ archive


def test_archive_hides_a_client_and_keeps_its_history(run: Runner, worked: str) -> None:
    archived = run("client", "archive", "ROMASHKA")
    assert archived.code == 0, archived.stderr
    hint = undo_hint()
    assert archived.stderr.splitlines() == [
        "archived client romashka (ООО «Ромашка»): hidden from lists and completion; 2 sessions and "
        "1 invoice are kept (back with 'kvsupport client unarchive romashka')",
        *([f"hint: {hint}"] if hint else []),
    ]
    assert run("client", "list", "--format", "json").json() == []
    assert "no clients yet" in run("client", "list").stderr
    every = run("client", "list", "--all", "--format", "json").json()
    assert [(c["code"], c["archived"]) for c in every] == [("romashka", True)]
    assert "archived:        yes" in run("client", "show", "romashka").stdout
    assert len(codes(run, "session", "list", "--all")) == 2  # history kept
    refused = run("session", "start", "romashka", "line")
    assert_refused(refused, 1, "client 'romashka' is archived")
    assert refused.stderr.splitlines()[1] == "hint: bring it back first: kvsupport client unarchive romashka"
    assert_refused(run("order", "add", "romashka", "line", "--at", "2099-02-01 10:00"), 1, "is archived")
    # its unbilled work can still be invoiced
    issued = run("invoice", "--month", "2026-11", "--date", "2026-12-01", "--format", "json")
    assert [inv["client"]["code"] for inv in issued.json()] == ["romashka"]
    assert_refused(run("client", "archive", "romashka"), 1, "client 'romashka' is archived already")

    back = run("client", "unarchive", "romashka")
    assert back.stderr == "client romashka (ООО «Ромашка») is back in lists\n"
    assert [c["code"] for c in run("client", "list", "--format", "json").json()] == ["romashka"]


def complete(run: Runner, *words: str) -> list[str]:
    """What bash completion offers for the last of ``words`` (typed after ``kvsupport``)."""
    line = " ".join(("kvsupport", *words))
    done = run(
        env_extra={
            "_KVSUPPORT_COMPLETE": "complete_bash",
            "COMP_WORDS": line,
            "COMP_CWORD": str(len(words)),
        }
    )
    assert done.code == 0, done.stderr
    return done.stdout.split()


def test_completion_offers_the_codes_not_archived(run: Runner, worked: str) -> None:
    assert run("client", "add", "rosa", "--name", "Rosa").code == 0
    assert run("client", "add", "other", "--name", "Other").code == 0
    assert complete(run, "session", "start", "ro") == ["romashka", "rosa"]
    assert complete(run, "session", "list", "--client", "") == ["romashka", "rosa", "other"]
    assert run("client", "archive", "rosa").code == 0
    assert complete(run, "session", "start", "ro") == ["romashka"]
    assert complete(run, "client", "unarchive", "") == ["rosa"]


def test_undo_takes_a_rename_back_whole(run: Runner, worked: str) -> None:
    assert run("client", "edit", "romashka", "--code", "romashka-spb").code == 0
    undone = run("undo")
    assert undone.code == 0, undone.stderr
    assert undone.stderr.startswith("undone: changed client ")
    assert codes(run, "session", "list", "--all") == ["romashka", "romashka"]
    assert codes(run, "order", "list") == ["romashka"]
    assert run("client", "show", "romashka", "--format", "json").json()["former_codes"] == []
    assert_refused(run("client", "show", "romashka-spb"), 1, "unknown client 'romashka-spb'")
    assert run("ledger", "check").code == 0


def test_undo_takes_an_archive_back(run: Runner, worked: str) -> None:
    assert run("client", "archive", "romashka").code == 0
    undone = run("undo")
    assert undone.stderr == "undone: archived client romashka\n"
    assert [c["code"] for c in run("client", "list", "--format", "json").json()] == ["romashka"]
