"""Run ``kvsupport`` inside the test process, as a fresh process would see it.

``kvsupport.cli.entry.main(args)`` runs with this run's environment, its own
stdin/stdout/stderr (text over bytes, ``.buffer`` included, not a terminal) and
``sys.argv``; ``SystemExit`` gives the exit code and an uncaught exception is
printed and exits 1, as the interpreter does. Everything a run could change in
the process is put back afterwards, and what must never change (the working
directory, the umask, signal handlers, open file descriptors, the garbage
collector, ``os.environ``, a pushed Typer context) is checked: a change fails
the test that caused it.

About 30 times cheaper than a subprocess of the installed script (no
interpreter start, Typer imported once). What only a real process can show
(closed streams, a broken pipe, signals, a terminal, the console script itself,
no Typer on the fast path) is tested with ``invoke(..., process=True)``.
"""

from __future__ import annotations

import gc
import io
import logging
import os
import signal
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

EnvExtra = Mapping[str, str | None]

#: One run at a time: streams, ``os.environ`` and the zone are the process's.
_LOCK = threading.Lock()
_SIGNALS = tuple(
    getattr(signal, name)
    for name in ("SIGINT", "SIGTERM", "SIGHUP", "SIGPIPE", "SIGQUIT")
    if hasattr(signal, name)
)


def run_main(
    args: Sequence[str], *, fast: bool, env_extra: EnvExtra | None, stdin: str | None, prog: str
) -> tuple[int, bytes, bytes]:
    """Run ``kvsupport ARGS`` in this process; exit code, stdout and stderr bytes.

    ``fast=False`` sets ``KVSUPPORT_NO_FAST_PATH=1``; a ``None`` in ``env_extra``
    removes that variable for the run.
    """
    with (
        _LOCK,
        _environment(fast, env_extra),
        _process_state_checked(),
        _module_state_kept(),
        _root_logging_unhandled(),
        _streams(stdin.encode("utf-8") if stdin is not None else b"", [prog, *args]) as (out, err),
    ):
        code = _exit_code(list(args))
        sys.stdout.flush()
        sys.stderr.flush()
    return code, out.getvalue(), err.getvalue()


def _exit_code(args: list[str]) -> int:
    from kvsupport.cli.entry import main

    try:
        main(args)
    except SystemExit as exc:
        return _code_of(exc.code)
    except BaseException:  # what the interpreter does with an exception nobody caught
        traceback.print_exc(file=sys.stderr)
        return 1
    return 0


def _code_of(code: object) -> int:
    """The process exit status ``sys.exit(code)`` gives."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    sys.stderr.write(f"{code}\n")
    return 1


class _Sink(io.BytesIO):
    """A stream's bytes, still readable after the product closed the stream."""

    def close(self) -> None:
        """Keep the bytes (a real process's pipe outlives a closed ``sys.stdout``)."""


@contextmanager
def _streams(stdin: bytes, argv: list[str]) -> Iterator[tuple[_Sink, _Sink]]:
    """``sys.stdin/stdout/stderr`` as Python makes them over pipes (UTF-8, ``\\n``), and ``sys.argv``."""
    saved = sys.stdin, sys.stdout, sys.stderr, sys.argv
    out, err = _Sink(), _Sink()
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8", newline="\n")
    sys.stdout = io.TextIOWrapper(out, encoding="utf-8", newline="\n", write_through=True)
    sys.stderr = io.TextIOWrapper(
        err, encoding="utf-8", errors="backslashreplace", newline="\n", write_through=True
    )
    sys.argv = argv
    try:
        yield out, err
    finally:
        sys.stdin, sys.stdout, sys.stderr, sys.argv = saved


def _sync_tz(before: str | None) -> None:
    if os.environ.get("TZ") != before:
        time.tzset()


def _sync_import_time_env() -> None:
    """Typer reads a few variables once, when ``typer.rich_utils`` is imported; a fresh
    process would read this run's values (``FORCE_COLOR`` in CI, ``TERMINAL_WIDTH``)."""
    rich_utils: Any = sys.modules.get("typer.rich_utils")
    if rich_utils is None:
        return
    width = os.environ.get("TERMINAL_WIDTH")
    rich_utils.MAX_WIDTH = int(width) if width else None
    force = any(os.environ.get(name) for name in ("GITHUB_ACTIONS", "FORCE_COLOR", "PY_COLORS"))
    rich_utils.FORCE_TERMINAL = False if os.environ.get("_TYPER_FORCE_DISABLE_TERMINAL") else (force or None)


@contextmanager
def _environment(fast: bool, env_extra: EnvExtra | None) -> Iterator[None]:
    """This run's ``os.environ`` (and the C library's zone), put back afterwards."""
    saved = dict(os.environ)
    tz = os.environ.get("TZ")
    os.environ.pop("KVSUPPORT_NO_FAST_PATH", None)
    if not fast:
        os.environ["KVSUPPORT_NO_FAST_PATH"] = "1"
    for key, value in (env_extra or {}).items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    # A child with pipes for stdin/stdout/stderr finds no terminal size: rich falls
    # back to COLUMNS or 80. Here fd 0-2 may be a terminal (pytest -s): say 80.
    os.environ.setdefault("COLUMNS", "80")
    given = dict(os.environ)
    _sync_tz(tz)
    _sync_import_time_env()
    try:
        yield
        changed = sorted(k for k in given.keys() | os.environ.keys() if given.get(k) != os.environ.get(k))
        assert not changed, f"kvsupport changed os.environ: {changed}"
    finally:
        run_tz = os.environ.get("TZ")
        os.environ.clear()
        os.environ.update(saved)
        _sync_tz(run_tz)
        _sync_import_time_env()


def _open_fds() -> dict[int, str]:
    try:
        fds = os.listdir("/proc/self/fd")
    except OSError:  # no procfs: nothing to compare
        return {}
    found = {}
    for name in fds:
        try:
            found[int(name)] = os.readlink(f"/proc/self/fd/{name}")
        except OSError:  # the directory listing's own descriptor, closed by now
            continue
    return found


@contextmanager
def _process_state_checked() -> Iterator[None]:
    """Fail the run if it left the process different: cwd, umask, signal handlers,
    descriptors, the garbage collector switched off."""
    cwd = os.getcwd()
    collecting = gc.isenabled()
    umask = os.umask(0o022)
    os.umask(umask)
    handlers = {sig: signal.getsignal(sig) for sig in _SIGNALS}
    fds = _open_fds()
    yield
    leaks = []
    if os.getcwd() != cwd:
        leaks.append(f"the working directory is now {os.getcwd()}")
        os.chdir(cwd)
    if (now := os.umask(umask)) != umask:
        leaks.append(f"the umask is now {now:o}")
    for sig, handler in handlers.items():
        if signal.getsignal(sig) != handler:
            leaks.append(f"a handler of {signal.Signals(sig).name} was left installed")
            signal.signal(sig, handler)
    if gc.isenabled() != collecting:
        leaks.append("the garbage collector was left " + ("off" if collecting else "on"))
        (gc.enable if collecting else gc.disable)()
    opened = _open_fds().keys() - fds.keys()
    if opened:
        gc.collect()  # a file in a reference cycle is closed (with a ResourceWarning) here
        left = _open_fds()
        leaks.extend(f"file descriptor {fd} ({left[fd]}) left open" for fd in sorted(opened & left.keys()))
    assert not leaks, "kvsupport leaked process state: " + "; ".join(leaks)


@contextmanager
def _module_state_kept() -> Iterator[None]:
    """Module state a run sets for itself, put back: the interface language, ``tempfile``'s
    directory (read from ``TMPDIR`` once per process); no Typer context left pushed."""
    from kvsupport import i18n

    language = i18n._translation, i18n._language
    tempdir = tempfile.tempdir
    tempfile.tempdir = None  # as in a fresh process: this run's TMPDIR counts
    try:
        yield
    finally:
        i18n._translation, i18n._language = language
        tempfile.tempdir = tempdir
    click_globals: Any = sys.modules.get("typer._click.globals")
    if click_globals is not None:
        assert click_globals.get_current_context(silent=True) is None, "a Typer context was left pushed"


@contextmanager
def _root_logging_unhandled() -> Iterator[None]:
    """The root logger without pytest's capturing handlers: a library's warning goes to
    stderr (``logging.lastResort``), as in a process that configured no logging."""
    root = logging.getLogger()
    saved = root.handlers[:]
    root.handlers.clear()
    try:
        yield
    finally:
        root.handlers[:] = saved
