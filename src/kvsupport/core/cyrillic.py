"""Which 8-bit code page a Russian text without a label is in: UTF-8, windows-1251 or KOI8-R.

Old mailers send a body as ``Content-Type: text/plain`` with ``8bit`` and no
charset; Russian ones wrote it in KOI8-R (Unix) or windows-1251 (Windows). Both
decode any byte, so the bytes alone do not say which; the letters do. The
heuristic (:func:`guess_8bit`):

1. strict UTF-8 when it decodes (ASCII too);
2. else the text is decoded both ways and each reading scored by its Cyrillic
   letters (:func:`russian_score`): each letter counts its frequency in Russian
   text (per mille, either case: о 110, е 85, а 80 … ф 3), and a capital right
   after a small letter inside a word costs 100. KOI8-R read as windows-1251 (and
   the other way round) swaps small and capital letters and turns frequent
   letters into rare ones: «Не считаются» in KOI8-R read as windows-1251 is
   «оЕ УЮЙФБАФУС»;
3. the higher score wins; a tie (no Cyrillic at all) is windows-1251, the more
   common of the two.

The bank statement's decoder (:func:`kvsupport.core.bankstatement.decode_statement`)
chooses between windows-1251 and cp866 by the format's own keys, which a letter
does not have; this one is for free text.

Pure: bytes in, text out.
"""

from __future__ import annotations

__all__ = ["guess_8bit", "russian_score"]

#: how often each letter occurs in Russian text, per mille (rounded; ъ and ё ~0)
FREQUENCY = {
    **dict(zip("оеаинтсрвлкмдпуяыьгзбчйхжшюцщэфъё", (
        110, 85, 80, 74, 67, 63, 55, 47, 45, 44, 35, 32, 30, 28, 26, 20, 19,
        17, 17, 16, 16, 14, 12, 10, 9, 7, 6, 5, 4, 3, 3, 0, 0,
    ), strict=True)),
}  # fmt: skip
#: what a capital right after a small letter inside a word costs
MIXED_CASE = 100
CANDIDATES = ("cp1251", "koi8-r")


def russian_score(text: str) -> int:
    """How much ``text`` reads like Russian (see the module's notes)."""
    score = 0
    after_small = False
    for char in text:
        small = char.lower()
        weight = FREQUENCY.get(small)
        if weight is None:
            after_small = False
            continue
        score += weight
        if char != small and after_small:
            score -= MIXED_CASE
        after_small = char == small
    return score


def guess_8bit(raw: bytes) -> tuple[str, str]:
    """The text of ``raw`` and the code page it was read in: ``utf-8``, ``cp1251`` or ``koi8-r``."""
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    readings = []
    for charset in CANDIDATES:
        text = raw.decode(charset, errors="replace")
        readings.append((russian_score(text), -CANDIDATES.index(charset), text, charset))
    _score, _rank, text, charset = max(readings)
    return text, charset
