"""Documents written to files (``invoice show -o FILE``, ``invoice --output DIR``): temp file
then rename, never through a symlink, owner-only modes, never into the ledger's own files
(issue 9 A6, A12, B15, B16)."""

from __future__ import annotations

import stat
import subprocess
from pathlib import Path

import pytest
from cli_testkit import EnvExtra, Runner, assert_refused, console_script, install_ledger, snapshot

from conftest import ROMASHKA, build_ledger
from kvsupport.storage.jsonfiles.files import LedgerFiles

ISSUE = ("invoice", "--month", "2026-10", "--date", "2026-11-02")
BACKUP = ("--problem", "не считает пени", "--consent", "письмо от 01.10.2026")


@pytest.fixture(scope="session")
def issued_ledger(tmp_path_factory: pytest.TempPathFactory, moscow_config_bytes: bytes) -> Path:
    """``romashka``, one backup session in October 2026 and invoice 2026-0001 (made once)."""
    return build_ledger(
        tmp_path_factory.mktemp("issued"),
        moscow_config_bytes,
        ROMASHKA,
        ("session", "add", "romashka", "backup", "--start", "2026-10-05 10:00", "--duration", "45m", *BACKUP),
        ISSUE,
    )


@pytest.fixture
def issued(moscow: Path, ledger_dir: Path, issued_ledger: Path) -> Path:
    """A copy of ``issued_ledger`` as this test's ledger; the ledger file (on files)."""
    install_ledger(issued_ledger, ledger_dir)
    return ledger_dir / "ledger.json"


@pytest.fixture
def unissued(moscow: Path, ledger_dir: Path, issued_ledger: Path, run: Runner) -> Path:
    """The same session, not yet invoiced (the invoice voided, so it is billable again)."""
    install_ledger(issued_ledger, ledger_dir)
    assert run("invoice", "void", "2026-0001", "--reason", "test").code == 0
    return ledger_dir / "ledger.json"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def test_show_to_a_file_replaces_it_and_makes_it_owner_only(
    run: Runner, issued: Path, tmp_path: Path
) -> None:
    out = tmp_path / "invoice.html"
    out.write_text("an older copy\n")
    out.chmod(0o644)
    result = run("invoice", "show", "2026-0001", "--format", "html", "-o", str(out))
    assert result.code == 0, result.stderr
    assert out.read_text("utf-8").startswith("<!DOCTYPE html>")
    assert mode(out) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir() if ".tmp-" in p.name) == []


def test_a_failed_write_keeps_the_good_file_whole(
    run: Runner, run_process: Runner, issued: Path, tmp_path: Path, enospc: EnvExtra
) -> None:
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "invoice.pdf"
    assert run("invoice", "show", "2026-0001", "--format", "pdf", "-o", str(out)).code == 0
    good = out.read_bytes()
    result = run_process("invoice", "show", "2026-0001", "--format", "json", "-o", str(out), env_extra=enospc)
    assert_refused(result, 1, "cannot write", str(out), "No space left on device")
    assert out.read_bytes() == good  # not truncated, not half-written
    assert [p.name for p in out.parent.iterdir()] == ["invoice.pdf"]  # no temp file left


def test_a_symlink_at_the_name_is_refused_and_its_target_untouched(
    run: Runner, issued: Path, tmp_path: Path
) -> None:
    precious = tmp_path / "precious.txt"
    precious.write_text("do not overwrite\n")
    link = tmp_path / "act.pdf"
    link.symlink_to(precious)
    result = run("invoice", "show", "2026-0001", "--act", "--format", "pdf", "-o", str(link))
    assert_refused(result, 2, str(link), "symbolic link")
    assert precious.read_text() == "do not overwrite\n"
    assert link.is_symlink()


def test_a_link_planted_in_the_output_directory_is_not_written_through(
    run: Runner, unissued: Path, tmp_path: Path
) -> None:
    out = tmp_path / "docs"
    out.mkdir()
    precious = tmp_path / "precious.txt"
    precious.write_text("do not overwrite\n")
    (out / "2026-0002-invoice.html").symlink_to(precious)
    result = run(*ISSUE, "--output", str(out))
    assert result.code == 2, result.stderr
    (error,) = result.error_lines
    assert "symbolic link" in error
    assert "issued all the same: 2026-0002" in result.stderr  # the refusal does not hide the issue
    assert precious.read_text() == "do not overwrite\n"


def test_output_directories_are_owner_only_whatever_the_umask(
    unissued: Path, tmp_path: Path, isolated_files: Path
) -> None:
    out = tmp_path / "docs" / "2026" / "10"
    done = subprocess.run(
        ["sh", "-c", 'umask 000 && exec "$0" "$@"', console_script(), *ISSUE, "--output", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for level in (tmp_path / "docs", tmp_path / "docs" / "2026", out):
        assert mode(level) == 0o700, level
    written = sorted(out.iterdir())
    assert [p.name for p in written] == [
        "2026-0002-act.html",
        "2026-0002-act.pdf",
        "2026-0002-invoice.html",
        "2026-0002-invoice.pdf",
    ]
    assert {mode(p) for p in written} == {0o600}


def test_dot_dot_after_a_missing_directory_is_refused_and_makes_nothing(
    run: Runner, unissued: Path, tmp_path: Path, ledger_dir: Path
) -> None:
    before = snapshot(ledger_dir)
    result = run(*ISSUE, "--output", str(tmp_path / "stray" / ".." / "docs"))
    assert_refused(result, 2, "'..'", "stray")
    assert not (tmp_path / "stray").exists()
    assert not (tmp_path / "docs").exists()
    assert snapshot(ledger_dir) == before  # refused before anything was issued


def test_dot_dot_through_existing_directories_is_fine(run: Runner, issued: Path, tmp_path: Path) -> None:
    (tmp_path / "here").mkdir()
    out = tmp_path / "here" / ".." / "invoice.json"
    result = run("invoice", "show", "2026-0001", "--format", "json", "-o", str(out))
    assert result.code == 0, result.stderr
    assert (tmp_path / "invoice.json").exists()


@pytest.mark.file_ledger
@pytest.mark.parametrize("which", ["main", "lock", "parts", "backups", "in-parts", "in-backups"])
def test_show_refuses_to_write_over_the_ledgers_own_files(
    run: Runner, issued: Path, ledger_dir: Path, which: str
) -> None:
    files = LedgerFiles(issued)
    target = {
        "main": files.main,
        "lock": files.lock,
        "parts": files.parts,
        "backups": files.backups,
        "in-parts": files.parts / "2026-10.json",
        "in-backups": files.backups / "x.json",
    }[which]
    before = snapshot(ledger_dir)
    result = run("invoice", "show", "2026-0001", "--format", "json", "-o", str(target))
    assert_refused(result, 2, "ledger's own files")
    assert snapshot(ledger_dir) == before


@pytest.mark.file_ledger
def test_show_refuses_the_ledger_through_a_symlinked_directory(
    run: Runner, issued: Path, ledger_dir: Path, tmp_path: Path
) -> None:
    alias = tmp_path / "alias"
    alias.symlink_to(ledger_dir)
    before = snapshot(ledger_dir)
    result = run("invoice", "show", "2026-0001", "--format", "json", "-o", str(alias / issued.name))
    assert_refused(result, 2, "ledger's own files")
    assert snapshot(ledger_dir) == before


@pytest.mark.file_ledger
def test_output_into_the_ledgers_parts_is_refused_before_issuing(
    run: Runner, unissued: Path, ledger_dir: Path
) -> None:
    before = snapshot(ledger_dir)
    result = run(*ISSUE, "--output", str(LedgerFiles(unissued).parts))
    assert_refused(result, 2, "ledger's own files")
    assert snapshot(ledger_dir) == before


def test_show_to_a_device_is_refused(run: Runner, issued: Path) -> None:
    result = run("invoice", "show", "2026-0001", "--format", "json", "-o", "/dev/null")
    assert_refused(result, 2, "/dev/null", "not a regular file")


#: listings that take ``-o FILE``, in each of their file formats
LISTINGS = [
    ("report", "--month", "2026-10"),
    ("report", "--month", "2026-10", "--format", "csv"),
    ("report", "--month", "2026-10", "--format", "xlsx"),
    ("export",),
    ("export", "--format", "xlsx"),
    ("session", "list", "--month", "2026-10", "--format", "json"),
    ("client", "list"),
    ("invoice", "list", "--format", "csv"),
    ("tariff", "list"),
]


@pytest.mark.file_ledger
@pytest.mark.parametrize("argv", LISTINGS, ids=" ".join)
def test_a_listing_is_never_written_over_the_ledger(
    run: Runner, issued: Path, ledger_dir: Path, argv: tuple[str, ...]
) -> None:
    before = snapshot(ledger_dir)
    result = run(*argv, "-o", str(issued))
    assert_refused(result, 2, "ledger's own files")
    assert snapshot(ledger_dir) == before


@pytest.mark.parametrize(
    "argv",
    [*LISTINGS, ("invoice", "show", "2026-0001", "--format", "html"), ("invoice", "show", "2026-0001")],
    ids=" ".join,
)
@pytest.mark.parametrize("which", ["config", "tariffs"])
def test_no_output_is_written_over_the_config_or_the_tariff_file(
    run: Runner, issued: Path, tmp_path: Path, argv: tuple[str, ...], which: str
) -> None:
    """A document over config.toml would take the supplier's requisites with it, and
    every later command would fail on the file."""
    from kvsupport.storage.paths import PACKAGED_TARIFFS

    tariffs = tmp_path / "tariffs.toml"
    tariffs.write_bytes(PACKAGED_TARIFFS.read_bytes())
    config = tmp_path / "config.toml"
    target = config if which == "config" else tariffs
    before = (config.read_bytes(), tariffs.read_bytes())
    result = run("--tariffs", str(tariffs), *argv, "-o", str(target))
    assert_refused(result, 2, str(target), "the config or the tariff file kvsupport reads")
    assert (config.read_bytes(), tariffs.read_bytes()) == before
    assert run("--tariffs", str(tariffs), "invoice", "list").code == 0


@pytest.mark.parametrize("argv", LISTINGS, ids=" ".join)
def test_a_listing_to_a_file_replaces_it_whole_and_owner_only(
    run: Runner, issued: Path, tmp_path: Path, argv: tuple[str, ...]
) -> None:
    out = tmp_path / "out" / "listing"
    out.parent.mkdir()
    out.write_text("an older copy, much longer than what replaces it " * 1000)
    out.chmod(0o644)
    result = run(*argv, "-o", str(out))
    assert result.code == 0, result.stderr
    assert "an older copy" not in out.read_bytes().decode("utf-8", "replace")
    assert mode(out) == 0o600
    assert [p.name for p in out.parent.iterdir()] == ["listing"]  # no temp file left


def test_a_listing_that_fails_to_write_keeps_the_old_file(
    run_process: Runner, issued: Path, tmp_path: Path, enospc: EnvExtra
) -> None:
    out = tmp_path / "out" / "export.csv"
    out.parent.mkdir()
    out.write_text("the export of yesterday\n")
    result = run_process("export", "-o", str(out), env_extra=enospc)
    assert_refused(result, 1, "cannot write", str(out), "No space left on device")
    assert out.read_text() == "the export of yesterday\n"
    assert [p.name for p in out.parent.iterdir()] == ["export.csv"]
