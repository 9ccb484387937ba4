"""The user directories kvsupport computes on Linux are platformdirs' own."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from platformdirs import user_config_path, user_data_path

from kvsupport.storage import paths

pytestmark = pytest.mark.skipif(
    sys.platform != "linux", reason="the XDG directories are computed on Linux only"
)


@pytest.mark.parametrize("data_home", [None, "", "   ", "/srv/data", "relative/data"])
@pytest.mark.parametrize("config_home", [None, "", "/etc/xdg-user", "~/conf"])
def test_the_user_directories_are_platformdirs_ones(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, data_home: str | None, config_home: str | None
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    for variable, value in (("XDG_DATA_HOME", data_home), ("XDG_CONFIG_HOME", config_home)):
        if value is None:
            monkeypatch.delenv(variable, raising=False)
        else:
            monkeypatch.setenv(variable, value)
    for variable in ("KVSUPPORT_LEDGER", "KVSUPPORT_CONFIG", "KVSUPPORT_TARIFFS"):
        monkeypatch.delenv(variable, raising=False)

    assert paths.ledger_path() == user_data_path("kvsupport", appauthor=False) / "ledger.json"
    assert paths.config_path() == user_config_path("kvsupport", appauthor=False) / "config.toml"
    assert paths.user_tariffs_path() == user_config_path("kvsupport", appauthor=False) / "tariffs.toml"


def test_no_platformdirs_import_on_linux() -> None:
    """The everyday commands do not pay for importing platformdirs."""
    import subprocess

    code = (
        "import sys; from kvsupport.storage import paths; "
        "paths.ledger_path(); paths.config_path(); print('platformdirs' in sys.modules)"
    )
    env = {"HOME": "/nonexistent", "PATH": "/usr/bin:/bin"}
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert shown.stdout == "False\n"
