"""``kvsupport undo`` takes back the last change and says what (issue 12, item 7).

Each test runs on both backends (the file ledger's journal is in its manifest and
part files; the database's in the ``changes`` table).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_testkit import Runner, assert_refused, snapshot

from conftest import ROMASHKA

START = ("session", "start", "romashka", "line", "--at", "-30m")


def _ok(run: Runner, *args: str) -> str:
    done = run(*args)
    assert done.code == 0, (args, done.stderr)
    return done.stderr


def test_undo_a_delete_brings_the_session_back_and_says_so(run: Runner, one_session: int) -> None:
    before = run("session", "show", "1", "--format", "json").json()
    _ok(run, "session", "delete", "1")
    assert run("session", "show", "1").code == 1
    said = _ok(run, "undo")
    assert said == "undone: deleted session 1\n"
    after = run("session", "show", "1", "--format", "json").json()
    assert after == before
    assert run("ledger", "check").code == 0


def test_undo_again_goes_on_to_the_change_before(run: Runner, moscow: Path) -> None:
    _ok(run, *ROMASHKA)
    _ok(run, *START)
    _ok(run, "session", "stop")
    assert _ok(run, "undo") == "undone: stopped session 1\n"
    status = run("session", "status", "--format", "json").json()
    assert status["running"]["id"] == 1  # running again, as before the stop
    assert _ok(run, "undo") == "undone: started session 1\n"
    assert run("session", "status", "--format", "json").json()["running"] is None
    assert _ok(run, "undo") == "undone: added client romashka\n"
    assert run("client", "list", "--format", "json").stdout == "[]\n"
    refused = run("undo")
    assert_refused(refused, 1, "no change of yours to take back")


def test_an_issued_invoice_is_voided_not_undone(run: Runner, one_session: int, ledger_dir: Path) -> None:
    _ok(run, "session", "add", "romashka", "remote", "--start", "2026-10-05 10:00", "--duration", "61m",
        "--backup-confirmed")  # fmt: skip
    _ok(run, "invoice", "--month", "2026-10", "--date", "2026-11-01")
    number = run("invoice", "list", "--format", "json").json()[0]["number"]
    before = snapshot(ledger_dir)
    refused = run("undo")
    assert_refused(refused, 1, f"issued invoice {number}")
    assert f"kvsupport invoice void {number}" in refused.stderr
    assert snapshot(ledger_dir) == before


def test_a_record_changed_since_is_not_undone_over_the_later_change(
    run: Runner, one_session: int, ledger_dir: Path
) -> None:
    _ok(run, "session", "edit", "1", "--note", "first")
    other = {"LOGNAME": "olga", "USER": "olga"}  # a colleague changes the same session after
    assert run("session", "edit", "1", "--note", "second", env_extra=other).code == 0
    before = snapshot(ledger_dir)
    refused = run("undo")
    assert_refused(refused, 1, "session 1 was changed after change")
    assert snapshot(ledger_dir) == before
    assert run("undo", env_extra=other).stderr == "undone: edited session 1\n"  # hers is hers to undo
    assert run("session", "show", "1", "--format", "json").json()["note"] == "first"


def test_ledger_changes_lists_who_did_what(run: Runner, romashka: str) -> None:
    _ok(run, *START)
    _ok(run, "session", "stop")
    _ok(run, "undo")
    rows = json.loads(run("ledger", "changes", "--format", "json").stdout)
    assert [r["change"] for r in rows[:3]] == [
        f"took back change {rows[1]['number']}: changed session 1",
        "stopped session 1",
        "started session 1",
    ]
    assert rows[1]["undone_by"] == rows[0]["number"]
    assert {r["consultant"] for r in rows[:3]} == {"kvtest"}
    assert run("undo", "--format", "json").json()["changes"] == [["add", "session", "1"]]


@pytest.mark.russian
def test_nothing_to_undo_hints_at_what_the_backend_keeps(
    run: Runner, moscow: Path, ledger_backend: str, russian: dict[str, str | None]
) -> None:
    """A file ledger keeps backups; a PostgreSQL one keeps none of its own (finding 9e)."""
    refused = run("undo")
    assert_refused(refused, 1, "no change of yours to take back")
    if ledger_backend == "file":
        assert refused.stderr.splitlines()[1] == "hint: see 'kvsupport ledger backups'"
    else:
        assert "ledger backups" not in refused.stderr
        assert refused.stderr.splitlines()[1] == (
            "hint: see 'kvsupport ledger changes'; older states of a PostgreSQL ledger are in "
            "the database server's backups (pg_dump)"
        )
        russian_hint = run("undo", env_extra=russian).stderr.splitlines()[1]
        assert russian_hint.startswith("подсказка: ")
        assert "pg_dump" in russian_hint
        assert "kvsupport ledger changes" in russian_hint
