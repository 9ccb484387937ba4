"""The core stays pure and the hot path stays light: proved in a fresh interpreter.

Each check imports modules in a subprocess (the test process has already
imported everything) and reports which forbidden modules ended up in
``sys.modules``.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

CORE_MODULES = [
    "kvsupport.core",
    "kvsupport.core.billing",
    "kvsupport.core.models",
    "kvsupport.core.money",
    "kvsupport.core.tariffs",
    "kvsupport.core.words",
    "kvsupport.core.timeinput",
    "kvsupport.core.timeparts",
    "kvsupport.core.requisites",
    "kvsupport.core.teamviewer",
    "kvsupport.core.letters",
    "kvsupport.core.evidence",
    "kvsupport.core.mailtext",
    "kvsupport.core.bankstatement",
    "kvsupport.core.invoicerefs",
    "kvsupport.core.payments",
    "kvsupport.core.settlement",
    "kvsupport.core.reconciliation",
    "kvsupport.core.spreadsheet",
    "kvsupport.core.text",
    "kvsupport.core.clientcodes",
]
NOT_IN_CORE = ["typer", "rich", "click", "pydantic", "kvsupport.storage", "kvsupport.cli", "json"]
NOT_ON_HOT_PATH = ["typer", "rich", "click", "pydantic"]

# No f-string or json here: the probe itself must import nothing beyond ``sys``.
PROBE = """
import importlib, sys
banned = sys.argv[1].split(",")
for name in sys.argv[2:]:
    importlib.import_module(name)
found = sorted(m for m in sys.modules if any(m == b or m.startswith(b + ".") for b in banned))
print("\\n".join(found))
"""


def loaded(modules: list[str], banned: list[str]) -> list[str]:
    """The ``banned`` modules (and their submodules) present after importing ``modules``."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, ",".join(banned), *modules],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_imports_nothing_outside_the_core(module: str) -> None:
    assert loaded([module], NOT_IN_CORE) == []


def test_whole_core_together_imports_nothing_outside_the_core() -> None:
    assert loaded(CORE_MODULES, NOT_IN_CORE) == []


def test_hot_path_imports_no_framework() -> None:
    """``session start/stop/status`` have a 50-60 ms budget: no typer, rich or pydantic."""
    assert loaded(["kvsupport.cli.fast", "kvsupport.cli.hot"], NOT_ON_HOT_PATH) == []


@pytest.mark.parametrize(
    ("module", "expected"),
    [
        ("json", ["json"]),
        ("kvsupport.storage.paths", ["kvsupport.storage"]),
    ],
)
def test_probe_does_see_forbidden_modules(module: str, expected: list[str]) -> None:
    """The check above can fail: a module that is imported is reported."""
    found = loaded([module], NOT_IN_CORE)
    assert set(expected) <= set(found)
