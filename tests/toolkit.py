"""Programs the tests read documents back with (poppler-utils, zbar-tools).

Locally a test skips when one is missing; under CI (``KVSUPPORT_TEST_TOOLS_REQUIRED``,
set by ``.ci/run``, which installs them) a missing one fails it, so a green CI run
always looked at the real PDF.
"""

from __future__ import annotations

import os
import shutil

import pytest

REQUIRED = "KVSUPPORT_TEST_TOOLS_REQUIRED"


def need(*programs: str, package: str) -> None:
    """Skip (fail under CI) unless every one of ``programs`` is on PATH."""
    missing = [p for p in programs if shutil.which(p) is None]
    if not missing:
        return
    message = f"{', '.join(missing)} ({package}) is not installed"
    if os.environ.get(REQUIRED):
        pytest.fail(f"{message}, and {REQUIRED} is set")
    pytest.skip(message)
