"""Every test runs against its own files: no test can touch a real ledger."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

#: Who a test's sessions are recorded for (``consultant.name`` unset: the login name, which
#: getpass reads from these first). Set for the whole run: session-wide fixtures too.
CONSULTANT = "kvtest"
for _name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
    os.environ[_name] = CONSULTANT


def pytest_configure(config: pytest.Config) -> None:
    """The ``process`` marker: a test of what only a real process shows (``-m 'not process'`` skips them)."""
    config.addinivalue_line(
        "markers",
        "process: runs kvsupport in real processes: the installed script, a terminal, signals, crashes",
    )
    config.addinivalue_line(
        "markers",
        "file_ledger: looks at a file ledger's own files (the CLI tests run on PostgreSQL too, these do not)",
    )
    config.addinivalue_line("markers", "russian: reads the Russian interface (LANG=ru_RU.UTF-8)")


@pytest.fixture(autouse=True)
def isolated_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point ``KVSUPPORT_*`` and the platform's user directories into ``tmp_path``."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("KVSUPPORT_LEDGER", str(tmp_path / "ledger" / "ledger.json"))
    monkeypatch.setenv("KVSUPPORT_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.delenv("KVSUPPORT_TARIFFS", raising=False)
    monkeypatch.delenv("KVSUPPORT_NO_FAST_PATH", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TZ", "Europe/Moscow")
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.setenv(name, CONSULTANT)
    # the interface speaks English unless a test asks for Russian (the ``russian`` fixture)
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    time.tzset()
    return tmp_path


RUSSIAN = {"LANG": "ru_RU.UTF-8"}


@pytest.fixture
def russian() -> dict[str, str | None]:
    """``env_extra`` for a call in Russian (``LANG=ru_RU.UTF-8``); the test skips while the
    compiled Russian catalogue does not translate the interface yet."""
    from kvsupport import i18n

    before = i18n.current()
    try:
        i18n.use("ru")
        ready = i18n._("error:") != "error:"
    finally:
        i18n.use(before)
    if not ready:
        pytest.skip("the Russian catalogue is not compiled yet (python tools/catalogue.py compile)")
    return dict(RUSSIAN)
