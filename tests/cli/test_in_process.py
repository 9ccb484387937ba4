"""The in-process runner gives each run a fresh process's view and catches what a run leaves behind."""

from __future__ import annotations

import gc
import os
import signal
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_testkit import Runner, invoke, subprocess_mode

import kvsupport.cli.entry
from kvsupport import i18n

pytestmark = pytest.mark.skipif(subprocess_mode(), reason="about the in-process runner")


def _main_doing(monkeypatch: pytest.MonkeyPatch, body: Callable[[], object]) -> None:
    """Make ``kvsupport.cli.entry.main`` run ``body`` instead (what the runner calls)."""

    def main(argv: list[str] | None = None) -> None:
        body()

    monkeypatch.setattr(kvsupport.cli.entry, "main", main)


def test_streams_are_pipes_with_bytes_beneath(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    def body() -> None:
        line = sys.stdin.readline()
        sys.stdout.write(f"{sys.stdin.isatty()} {sys.stdout.isatty()} {line!r}\n")
        sys.stdout.buffer.write(b"%PDF\xff\r\n")
        sys.stderr.write("\N{CYRILLIC SMALL LETTER ZHE}\n")
        raise SystemExit(3)

    _main_doing(monkeypatch, body)
    result = invoke(("x",), stdin="строка\r\nвторая")
    assert result.code == 3
    assert result.stdout_bytes == "False False 'строка\\r\\n'\n".encode() + b"%PDF\xff\r\n"
    assert result.stdout == "False False 'строка\\r\\n'\n%PDF\ufffd\n"  # as subprocess.run(text=True) reads
    assert result.stderr == "ж\n"


@pytest.mark.parametrize(
    ("exit_with", "code", "stderr"), [(None, 0, ""), (0, 0, ""), (2, 2, ""), ("boom", 1, "boom\n")]
)
def test_sys_exit_gives_the_exit_code(
    monkeypatch: pytest.MonkeyPatch, exit_with: object, code: int, stderr: str
) -> None:
    def body() -> None:
        raise SystemExit(exit_with)

    _main_doing(monkeypatch, body)
    result = invoke(("x",))
    assert (result.code, result.stderr) == (code, stderr)


def test_an_uncaught_exception_is_a_traceback_and_exit_1(monkeypatch: pytest.MonkeyPatch) -> None:
    def body() -> None:
        raise RuntimeError("bug")

    _main_doing(monkeypatch, body)
    result = invoke(("x",))
    assert result.code == 1
    assert result.stderr.startswith("Traceback (most recent call last):")
    assert result.stderr.endswith("RuntimeError: bug\n")


def test_the_environment_and_the_zone_are_the_runs_own() -> None:
    before = dict(os.environ), time.timezone
    seen: dict[str, object] = {}

    def body() -> None:
        seen.update(
            tz=time.timezone, fast=os.environ.get("KVSUPPORT_NO_FAST_PATH"), home=os.environ.get("HOME")
        )

    with pytest.MonkeyPatch.context() as patch:
        _main_doing(patch, body)
        assert invoke(("x",), fast=False, env_extra={"TZ": "Asia/Tokyo", "HOME": None}).code == 0
    assert seen == {"tz": -9 * 3600, "fast": "1", "home": None}
    assert (dict(os.environ), time.timezone) == before  # TZ=Europe/Moscow, tzset again


def test_each_run_reads_its_own_tmpdir(run: Runner, tmp_path: Path) -> None:
    """``tempfile`` reads ``TMPDIR`` once per process: each run is a fresh process."""
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        assert run("-q", "demo", env_extra={"TMPDIR": str(tmp_path / name)}).code == 0
        assert len(list((tmp_path / name).glob("kvsupport-demo-*"))) == 1
    assert tempfile.gettempdir() != str(tmp_path / "two")


def test_each_run_chooses_the_interface_language(run: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    """``entry.main`` calls ``i18n.use()`` every time: a run never speaks the previous run's language."""
    chosen: list[str] = []
    use = i18n.use

    def recording_use(language: str | None = None) -> str:
        chosen.append(i18n.language_from_env() if language is None else language)
        return use(language)

    monkeypatch.setattr(i18n, "use", recording_use)
    for language in ("ru_RU.UTF-8", "C", "ru"):
        assert run("session", "status", env_extra={"LANGUAGE": language}).code == 0
    assert chosen == ["ru", "en", "ru"]


OPENED: list[int] = []
LEAKS: dict[str, tuple[Callable[[], object], str]] = {
    "cwd": (lambda: os.chdir("/"), "the working directory is now /"),
    "umask": (lambda: os.umask(0o077), "the umask is now 77"),
    "signal": (lambda: signal.signal(signal.SIGTERM, signal.SIG_IGN), "SIGTERM"),
    "fd": (lambda: OPENED.append(os.open(os.devnull, os.O_RDONLY)), "/dev/null\\) left open"),
    "environ": (lambda: os.environ.update(KVSUPPORT_LEAKED="1"), "KVSUPPORT_LEAKED"),
    "gc": (gc.disable, "garbage collector was left off"),
}


@pytest.mark.parametrize("leak", list(LEAKS))
def test_a_run_that_leaves_process_state_behind_fails(monkeypatch: pytest.MonkeyPatch, leak: str) -> None:
    if leak == "fd" and not Path("/proc/self/fd").is_dir():
        pytest.skip("open descriptors are read from /proc")
    body, named = LEAKS[leak]
    cwd, handler = os.getcwd(), signal.getsignal(signal.SIGTERM)
    mask = os.umask(0o022)
    os.umask(mask)
    _main_doing(monkeypatch, body)
    try:
        with pytest.raises(AssertionError, match=named):
            invoke(("x",))
    finally:
        while OPENED:  # a descriptor is not the runner's to close: the test closes its own
            os.close(OPENED.pop())
    # and the rest was put back
    assert (os.getcwd(), signal.getsignal(signal.SIGTERM), os.umask(mask)) == (cwd, handler, mask)
    assert "KVSUPPORT_LEAKED" not in os.environ
    assert gc.isenabled()
