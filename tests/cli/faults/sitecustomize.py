"""Fault injection for the CLI tests, in a real ``kvsupport`` process.

Put this directory on ``PYTHONPATH`` (the ``enospc`` fixture of ``conftest.py``
does) and set ``KVSUPPORT_TEST_FAULT=enospc``: from then on every ``os.write``
to a regular file fails with ENOSPC, as on a full disk, while the terminal,
pipes and ``/dev/null`` still work. kvsupport writes every file it replaces
with ``os.write`` (temp file, fsync, rename), so this is a full disk for each of
them. Nothing of this is in kvsupport itself: without the variable the module
does nothing.
"""

from __future__ import annotations

import errno
import os
import stat
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing_extensions import Buffer

if os.environ.get("KVSUPPORT_TEST_FAULT") == "enospc":
    _real_write = os.write

    def _full_disk_write(fd: int, data: Buffer, /) -> int:
        if stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return _real_write(fd, data)

    os.write = _full_disk_write
