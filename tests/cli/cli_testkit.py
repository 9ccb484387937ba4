"""Helpers for the CLI tests: run kvsupport (in this process, or the installed script), read its output."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from in_process import run_main

MOSCOW = ZoneInfo("Europe/Moscow")
MONEY = re.compile(r"\d+\.\d{2}")

EnvExtra = Mapping[str, str | None]


@dataclass(frozen=True)
class Result:
    """What one run of ``kvsupport`` did: exit code, stdout, stderr."""

    code: int
    stdout: str
    stderr: str
    #: stdout as written (a PDF, or a ``\r`` that ``stdout`` reads as a line end)
    stdout_bytes: bytes = field(default=b"", repr=False, compare=False)

    def json(self) -> Any:
        """stdout parsed as JSON."""
        return json.loads(self.stdout)

    @property
    def first_error(self) -> str:
        """The first line of stderr (where ``error: …`` belongs)."""
        return self.stderr.splitlines()[0] if self.stderr else ""

    @property
    def error_lines(self) -> list[str]:
        """The ``error:`` lines of stderr."""
        return [line for line in self.stderr.splitlines() if line.startswith("error:")]


class Runner(Protocol):
    """The ``run`` fixtures: ``run("session", "status", env_extra={...}, stdin="...")``."""

    def __call__(self, *args: str, env_extra: EnvExtra | None = None, stdin: str | None = None) -> Result:
        """Run kvsupport with ``args``."""
        ...


def console_script() -> str:
    """The installed ``kvsupport`` of this interpreter's environment (else the one on PATH)."""
    beside = Path(sys.executable).parent / "kvsupport"
    if beside.exists():
        return str(beside)
    found = shutil.which("kvsupport")
    if found is None:
        raise RuntimeError("the kvsupport console script is not installed")
    return found


#: Set to 1 to run every CLI test through a subprocess of the installed script.
SUBPROCESS_ENV = "KVSUPPORT_TEST_SUBPROCESS"


def subprocess_mode() -> bool:
    """Whether ``KVSUPPORT_TEST_SUBPROCESS=1`` sends every run to a real process."""
    return os.environ.get(SUBPROCESS_ENV, "") not in ("", "0")


def invoke(
    args: tuple[str, ...],
    *,
    fast: bool = True,
    env_extra: EnvExtra | None = None,
    stdin: str | None = None,
    process: bool = False,
) -> Result:
    """Run ``kvsupport ARGS`` with this process's environment; what it did.

    In this process (``kvsupport.cli.entry.main``, see ``in_process``) unless
    ``process=True`` or ``KVSUPPORT_TEST_SUBPROCESS=1``: then the installed console
    script runs in a subprocess. ``fast=False`` sets ``KVSUPPORT_NO_FAST_PATH=1``
    (the Typer app serves every command). A ``None`` in ``env_extra`` removes that
    variable.
    """
    if process or subprocess_mode():
        return invoke_process(args, fast=fast, env_extra=env_extra, stdin=stdin)
    code, out, err = run_main(args, fast=fast, env_extra=env_extra, stdin=stdin, prog=console_script())
    return Result(code, as_text(out), as_text(err), out)


def invoke_process(
    args: tuple[str, ...],
    *,
    fast: bool = True,
    env_extra: EnvExtra | None = None,
    stdin: str | None = None,
) -> Result:
    """Run the installed ``kvsupport ARGS`` in a subprocess (see :func:`invoke`)."""
    env = dict(os.environ)
    env.pop("KVSUPPORT_NO_FAST_PATH", None)
    if not fast:
        env["KVSUPPORT_NO_FAST_PATH"] = "1"
    for key, value in (env_extra or {}).items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    done = subprocess.run(
        [console_script(), *args],
        input=(stdin or "").encode("utf-8"),
        capture_output=True,
        env=env,
        timeout=60,
        check=False,
    )
    return Result(done.returncode, as_text(done.stdout), as_text(done.stderr), done.stdout)


def as_text(data: bytes) -> str:
    """Output bytes as text, read as ``subprocess.run(text=True)`` reads a pipe: UTF-8,
    any line end as ``\\n`` (bytes that are not UTF-8, a PDF, become U+FFFD)."""
    return data.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n")


def now_local() -> datetime:
    """Now, in Moscow."""
    return datetime.now(MOSCOW)


def minute_ago(delta: timedelta) -> datetime:
    """``delta`` before now, cut to the whole minute (Moscow time): a fixed, past moment."""
    return (now_local() - delta).replace(second=0, microsecond=0)


def stamp(moment: datetime) -> str:
    """``YYYY-MM-DD HH:MM`` in Moscow time, as typed on the command line."""
    return f"{moment.astimezone(MOSCOW):%Y-%m-%d %H:%M}"


def month_of(moment: datetime) -> str:
    """``YYYY-MM`` of a moment in Moscow time."""
    return f"{moment.astimezone(MOSCOW):%Y-%m}"


#: On a PostgreSQL test ledger, the file ledger a prepared ledger is staged in first.
STAGING = "KVSUPPORT_TEST_STAGING"


def database() -> str | None:
    """The test's ledger when it is a PostgreSQL one."""
    location = os.environ.get("KVSUPPORT_LEDGER", "")
    return location if location.startswith(("postgresql://", "postgres://")) else None


def install_ledger(prepared: Path, ledger_dir: Path) -> None:
    """Make the test's ledger a copy of the prepared file ledger in ``prepared`` (a
    directory with ``ledger.json``): copied as files, and on PostgreSQL then copied into
    the test's database with ``kvsupport ledger copy``."""
    shutil.copytree(prepared, ledger_dir, dirs_exist_ok=True)
    target = database()
    if target is not None:
        done = invoke(("ledger", "copy", str(ledger_dir / "ledger.json"), target))
        assert done.code == 0, done.stderr


def snapshot(*paths: Path) -> dict[str, Any]:
    """Every file under ``paths`` (files or directories) with its bytes, and on a
    PostgreSQL test ledger every row of its tables: what "nothing changed" compares."""
    files: dict[str, Any] = {}
    target = database()
    if target is not None:
        import pgkit

        files["postgresql"] = pgkit.dump(target)
    for path in paths:
        if path.is_file():
            files[str(path)] = path.read_bytes()
        elif path.is_dir():
            for item in sorted(path.rglob("*")):
                if item.is_file():
                    files[str(item)] = item.read_bytes()
    return files


_ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})")
_CLOCK = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\b")
_DURATION = re.compile(r"\b(?:\d+h\d{2}m|\d+m|\d+s)\b")
_ELAPSED = re.compile(r'"(seconds|minutes|billable_minutes)": \d+')


def normalise(text: str) -> str:
    """Output with the parts that tick with the clock (now, worked time) replaced."""
    text = _ISO.sub("<ts>", text)
    text = _CLOCK.sub("<hh:mm>", text)
    text = _DURATION.sub("<dur>", text)
    return _ELAPSED.sub(r'"\1": <n>', text)


def assert_refused(result: Result, code: int, *words: str) -> None:
    """SPEC §5: the exit code, nothing on stdout, one ``error:`` line naming each of
    ``words``, only ``hint:`` lines after it, no traceback."""
    assert result.code == code, (result.code, result.stderr)
    assert result.stdout == ""
    assert result.first_error.startswith("error: "), result.stderr
    for word in words:
        assert word in result.first_error, result.stderr
    assert len(result.error_lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for line in result.stderr.splitlines()[1:]:
        assert line.startswith("hint: "), line


def on_a_terminal(width: int, *argv: str, env_extra: Mapping[str, str | None] | None = None) -> str:
    """``kvsupport ARGV`` with stdout on a pseudo-terminal ``width`` columns wide (where rich
    fits its tables), with ``env_extra`` (``None`` removes a variable); its output, colour
    codes removed."""
    import fcntl
    import pty
    import struct
    import termios

    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 50, width, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    for key, value in (env_extra or {}).items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    process = subprocess.Popen([console_script(), *argv], stdout=child, stderr=subprocess.DEVNULL, env=env)
    os.close(child)
    output = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    os.close(main)
    assert process.wait(timeout=60) == 0
    return re.sub(r"\x1b\[[0-9;]*m", "", output.decode("utf-8").replace("\r\n", "\n"))  # bold headers
