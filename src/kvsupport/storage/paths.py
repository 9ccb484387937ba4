"""Where each file lives: option > environment > user directory (> packaged default).

SPEC §4. The user directories are platformdirs' (the XDG ones on Linux, computed
here without importing it; elsewhere platformdirs itself, imported only when
neither an option nor an environment variable names the file).
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from kvsupport.errors import InvalidValue

APP = "kvsupport"
PACKAGED_TARIFFS = Path(__file__).resolve().parent.parent / "data" / "tariffs.toml"


def _user_data_dir() -> Path:
    if sys.platform == "linux":
        return _xdg("XDG_DATA_HOME", "~/.local/share")
    from platformdirs import user_data_path

    return user_data_path(APP, appauthor=False)


def _user_config_dir() -> Path:
    if sys.platform == "linux":
        return _xdg("XDG_CONFIG_HOME", "~/.config")
    from platformdirs import user_config_path

    return user_config_path(APP, appauthor=False)


def _xdg(variable: str, default: str) -> Path:
    """The XDG base directory platformdirs gives on Linux, without importing it (~8 ms,
    on every command a consultant types without an option): ``$variable`` when it is an
    absolute path (the XDG spec ignores any other), else ``default``; then the app's
    folder (tests/storage/test_paths.py compares it with platformdirs)."""
    base = os.environ.get(variable, "")
    return Path(base if os.path.isabs(base) else os.path.expanduser(default)) / APP


def _given(option: str | Path | None, env: str) -> Path | None:
    """The option's path, else the environment's (an empty variable counts as unset)."""
    name = env.removeprefix("KVSUPPORT_").lower()
    if option is not None:
        if not str(option).strip():
            from kvsupport.i18n import _

            raise InvalidValue(
                _("{option}: the path is empty").format(option=f"--{name}"),
                hint=_("give a file, or leave out {option}").format(option=f"--{name}"),
            )
        return _within_limits(Path(option).expanduser(), f"--{name}")
    value = os.environ.get(env)
    return _within_limits(Path(value).expanduser(), env) if value else None


PATH_MAX = 4096
"""Bytes in a path, and (``NAME_MAX``) in one of its names, that Linux accepts."""
NAME_MAX = 255


def _within_limits(path: Path, source: str) -> Path:
    """Refuse a path the system would refuse, before any command trips over it."""
    from kvsupport.i18n import _

    raw = os.fsencode(path)
    longest = max((len(os.fsencode(part)) for part in path.parts), default=0)
    if len(raw) < PATH_MAX and longest <= NAME_MAX:
        return path
    shown = str(path)[:60] + "…"
    if len(raw) >= PATH_MAX:
        problem = _("the path is {size} bytes long; the system takes up to {limit}").format(
            size=len(raw), limit=PATH_MAX - 1
        )
    else:
        problem = _("a name in the path is {size} bytes long; the system takes up to {limit}").format(
            size=longest, limit=NAME_MAX
        )
    raise InvalidValue(f"{source} {shown}: {problem}", hint=_("give a shorter path"))


def ledger_path(option: str | Path | None = None) -> Path:
    """The ledger file: ``--ledger`` > ``KVSUPPORT_LEDGER`` > user data dir/ledger.json."""
    given = _given(option, "KVSUPPORT_LEDGER")
    if given is None:
        return _user_data_dir() / "ledger.json"
    if option is not None:
        _refuse_mistyped_url(str(option), "--ledger")
    else:
        _refuse_mistyped_url(os.environ["KVSUPPORT_LEDGER"], "KVSUPPORT_LEDGER")
    return given


_URL_LIKE = re.compile(r"(?:postgres(?:ql)?:|[A-Za-z][A-Za-z0-9+.-]*://)", re.IGNORECASE)


def _refuse_mistyped_url(given: str, source: str) -> None:
    """A ledger given as ``postgresql:/…``, ``postgres:…`` or ``mysql://…`` is a database
    address mistyped or of a kind kvsupport does not keep, not a file name: taken as one,
    it would start a new, empty file ledger in a folder named after the address."""
    from kvsupport.i18n import _

    text = given.strip()
    if _URL_LIKE.match(text):
        raise InvalidValue(
            _("{source} {location}: not a PostgreSQL address, nor a file").format(
                source=source, location=text
            ),
            hint=_("a team ledger is postgresql://USER@HOST/DATABASE; a file ledger is a path"),
        )


def ledger_location(option: str | None = None) -> str:
    """The ledger: a PostgreSQL URL as given, else the file of :func:`ledger_path`."""
    from kvsupport.storage import is_database

    given = option if option is not None else os.environ.get("KVSUPPORT_LEDGER")
    if given and is_database(given.strip()):
        return given.strip()
    return str(ledger_path(option))


def config_path(option: str | Path | None = None) -> Path:
    """The config file: ``--config`` > ``KVSUPPORT_CONFIG`` > user config dir/config.toml."""
    return _given(option, "KVSUPPORT_CONFIG") or _user_config_dir() / "config.toml"


def user_tariffs_path() -> Path:
    """Where ``tariff new`` writes when no file is named: user config dir/tariffs.toml."""
    return _user_config_dir() / "tariffs.toml"


def tariffs_path(option: str | Path | None = None) -> Path:
    """The tariff file: option > ``KVSUPPORT_TARIFFS`` > user config dir > packaged default."""
    given = _given(option, "KVSUPPORT_TARIFFS")
    if given is not None:
        return given
    user = user_tariffs_path()
    return user if user.exists() else PACKAGED_TARIFFS
