"""The payment QR code drawn: modules for the PDF, SVG for the HTML page and for a file.

segno makes the symbol (it needs no other library); it is imported inside the
functions that draw, as fpdf2 is, so no other command pays for it. The text is
encoded as UTF-8 bytes without an ECI marker: the header ``ST00012`` already says
UTF-8, and that is what bank apps and ``zbarimg`` read back exactly. Error
correction level M: a printed page survives a fold or a stain.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from segno import QRCode

__all__ = ["QUIET_ZONE", "dark_runs", "module_count", "svg_document", "svg_inline"]

QUIET_ZONE = 4
"""Light modules around the symbol, as the QR standard asks (ISO/IEC 18004)."""


def _symbol(payload: str) -> QRCode:
    import segno

    return segno.make(payload, error="m", encoding="utf-8", eci=False, micro=False, boost_error=False)


def module_count(payload: str) -> int:
    """Modules on a side, quiet zone included."""
    return len(_symbol(payload).matrix) + 2 * QUIET_ZONE


def dark_runs(payload: str) -> list[tuple[int, int, int]]:
    """The dark modules as horizontal runs ``(row, column, length)``, quiet zone
    included in the coordinates: one filled rectangle each in the PDF."""
    runs: list[tuple[int, int, int]] = []
    for y, row in enumerate(_symbol(payload).matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                runs.append((y + QUIET_ZONE, start + QUIET_ZONE, x - start))
            else:
                x += 1
    return runs


def svg_inline(payload: str, title: str) -> str:
    """An ``<svg>`` element to place in an HTML page; its size is set by CSS (a view
    box, no width or height), its ``<title>`` is ``title``."""
    return str(
        _symbol(payload).svg_inline(
            border=QUIET_ZONE, omitsize=True, svgclass="qr", lineclass=None, title=title
        )
    )


def svg_document(payload: str, title: str, size_mm: int = 40) -> str:
    """A standalone SVG file of the code, ``size_mm`` millimetres square."""
    out = io.BytesIO()
    symbol = _symbol(payload)
    side = len(symbol.matrix) + 2 * QUIET_ZONE
    symbol.save(
        out, kind="svg", border=QUIET_ZONE, scale=size_mm / side, unit="mm", title=title, xmldecl=True
    )
    return out.getvalue().decode("utf-8")
