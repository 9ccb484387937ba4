"""The README's quick tour, run as written: every command, and what it prints.

The first ``console`` block under «A quick tour» is read from README.md; each
``$ kvsupport …`` line runs in a fresh home directory (``/home/me`` in the text),
and what it prints (stdout, then stderr) is compared with the lines under it,
the clock's parts normalised (:func:`cli_testkit.normalise`). The tour starts a
session 61 minutes ago and looks at it: when the clock's minute turned during a
run, it runs once more.
"""

from __future__ import annotations

import shlex
from datetime import datetime
from pathlib import Path

import pytest
from cli_testkit import Runner, normalise

README = Path(__file__).resolve().parents[2] / "README.md"


def tour() -> list[tuple[list[str], str]]:
    """``(arguments, expected output)`` of each command of the quick tour."""
    text = README.read_text("utf-8")
    section = text.split("## A quick tour", 1)[1]
    block = section.split("```console\n", 1)[1].split("```", 1)[0]
    steps: list[tuple[list[str], list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            words = shlex.split(line[2:], comments=True)
            assert words[0] == "kvsupport", line
            steps.append((words[1:], []))
        else:
            steps[-1][1].append(line)
    return [(args, "".join(f"{line}\n" for line in lines)) for args, lines in steps]


def run_tour(run: Runner, where: Path) -> list[tuple[list[str], str, str]]:
    """Each command of the tour with what it printed and what the README says."""
    home = where / "home" / "me"
    env = {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "KVSUPPORT_CONFIG": None,
        "KVSUPPORT_LEDGER": None,
    }
    done = []
    for args, expected in tour():
        result = run(*args, env_extra=env)
        printed = (result.stdout + result.stderr).replace(str(home), "/home/me")
        done.append((args, printed, expected))
    return done


@pytest.mark.file_ledger  # the tour's ledger is the default one, a file in the user's data directory
def test_the_quick_tour_prints_what_the_readme_shows(run: Runner, tmp_path: Path) -> None:
    assert len(tour()) >= 6
    for attempt in range(2):
        minute = datetime.now().astimezone().replace(second=0, microsecond=0)
        done = run_tour(run, tmp_path / f"run{attempt}")
        if datetime.now().astimezone().replace(second=0, microsecond=0) == minute:
            break
    for args, printed, expected in done:
        assert normalise(printed) == normalise(expected), " ".join(args)
