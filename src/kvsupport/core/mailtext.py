"""What a letter's text says: the problem, a phone, consent to pay; HTML as text.

Heuristics over the body of a client's letter (:mod:`kvsupport.core.letters`),
written by hand because they are Russian-specific and small; each is a pure
function of text. What they find is a suggestion the command echoes, never a
silent guess.

Pure: text in, values out.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

__all__ = [
    "CONSENT_PHRASES",
    "find_consent",
    "find_phone",
    "html_to_text",
    "own_text",
    "problem_from",
]

#: The phrases that make a letter the client's consent to pay (SPEC §11), each
#: also matched in its other word forms (:data:`_FORMS`: «оплата гарантирована»,
#: «согласна оплатить», «подтверждаю оплату», «обязуюсь оплачивать») and with up
#: to two words between its words («гарантируем своевременную оплату», «согласны
#: с условиями оплаты»). A phrase preceded by «не» does not count.
CONSENT_PHRASES: tuple[str, ...] = (
    "оплату гарантируем",
    "гарантируем оплату",
    "согласны оплатить",
    "согласны на оплату",
    "согласны с оплатой",
    "оплату подтверждаем",
    "подтверждаем оплату",
    "обязуемся оплатить",
    "готовы оплатить",
)

#: Word forms accepted for the words of :data:`CONSENT_PHRASES` (ё is read as е).
_FORMS: dict[str, str] = {
    "оплату": r"оплат(?:а|у|ы|е|ой)",
    "оплатой": r"оплат(?:а|у|ы|е|ой)",
    "оплатить": r"(?:оплатить|оплачивать|оплатим|оплачиваем|произвести\s+оплату)",
    "гарантируем": r"(?:гарантиру(?:ем|ю)|гарантирован[аоы]?)",
    "согласны": r"(?:согласн[ыа]|согласен)",
    "подтверждаем": r"подтвержда(?:ем|ю)",
    "обязуемся": r"обязу(?:емся|юсь)",
    "готовы": r"готов[ыа]?",
    "с": r"(?:с|со)",
}
_GAP = r"(?:[\s,]+[^\s.!?;:]+){0,2}?[\s,]+"  # up to two words between, within a sentence
_CONSENT = [
    re.compile(
        r"(?<!\w)" + _GAP.join(_FORMS.get(w, re.escape(w)) for w in phrase.split()) + r"(?!\w)",
        re.IGNORECASE,
    )
    for phrase in CONSENT_PHRASES
]
_NEGATED_BEFORE = re.compile(r"(?:^|[^\w])(?:не|ни)\s+$", re.IGNORECASE)
_NEGATION_INSIDE = re.compile(r"(?<!\w)не(?!\w)", re.IGNORECASE)

# +7 or 8, then ten more digits with spaces, dashes or brackets between them.
_PHONE = re.compile(r"(?<![\w+])(?:\+\s*7|8)(?:[\s\-\u2010-\u2015()]*\d){10}(?!\d)")
_DASHES = re.compile(r"[\u2010-\u2015]")

# Where a reply or forward quotes an earlier letter: Outlook's separators and
# «От:»/«Отправлено:» block, and «24.11.2026, 10:15, "ТСЖ" <tsj@example.ru>:» or
# «… Иван пишет:» lines (with a digit, so «программа пишет:» is not one).
_QUOTE_HEADER = re.compile(
    r"^(?:-{2,}\s*(?:original message|исходное сообщение|пересылаемое сообщение|forwarded message"
    r"|перенаправленное сообщение)"
    r"|_{10,}\s*$"
    r"|(?:from|от):\s.*@.*"
    r"|(?:sent|отправлено):\s.*\d.*"
    r"|(?=.*\d).*(?:wrote|пишет|написал|написала|@\S*>?)\s*:\s*$)",
    re.IGNORECASE,
)
_SIGNATURE = re.compile(
    r"^(?:--\s*$|с уважением|с наилучшими пожеланиями|всего доброго|best regards|kind regards|regards\b"
    r"|отправлено (?:с|из)|sent from|(?:заранее\s+)?(?:спасибо|благодарим)\b.{0,30}$)",
    re.IGNORECASE,
)
# «Здравствуйте!», «Добрый день, Иван Петрович!», «Уважаемые коллеги,»: a name after
# the greeting is capitalised, so «Добрый день, у нас не считаются пени» is not one.
_NAME = r"[A-ZА-ЯЁ][\w.\-]*(?:\s+[A-ZА-ЯЁ][\w.\-]*){0,2}"
_GREETING = re.compile(
    r"^(?:(?i:здравствуйте|добрый\s+(?:день|вечер)|доброе\s+утро|доброго\s+времени\s+суток|приветствую"
    r"|привет|hello|hi|good\s+(?:morning|afternoon))(?:[\s,]+" + _NAME + r")?[\s!,.]*"
    r"|(?i:уважаем\w*)\s+[\w.\- ]{1,50}[!,]\s*)$"
)
_SUBJECT_PREFIX = re.compile(
    r"^(?:\s*(?:re|fw|fwd|ответ|отв|пересл|пересылка|ha)\s*(?:\[\d+\])?\s*:)+\s*", re.IGNORECASE
)
PROBLEM_LIMIT = 300


def find_consent(text: str) -> str | None:
    """The first words of ``text`` that agree to pay (:data:`CONSENT_PHRASES`), as written; else None.

    ``find_consent("Оплату гарантируем.")`` → ``"Оплату гарантируем"``;
    ``find_consent("оплату не гарантируем")`` → ``None``.
    """
    plain = text.replace("ё", "е").replace("Ё", "Е")
    found: list[tuple[int, str]] = []
    for pattern in _CONSENT:
        for match in pattern.finditer(plain):
            before = plain[max(0, match.start() - 12) : match.start()]
            if _NEGATED_BEFORE.search(before) or _NEGATION_INSIDE.search(match.group()):
                continue
            found.append((match.start(), " ".join(text[match.start() : match.end()].split())))
            break
    return min(found)[1] if found else None


def find_phone(text: str) -> str | None:
    """The first Russian phone number in ``text`` (``+7 …`` or ``8 (…) …``, eleven digits), else None.

    Returned as written, with single spaces and plain dashes:
    ``find_phone("тел. 8 (495) 123–45–67")`` → ``"8 (495) 123-45-67"``.
    """
    match = _PHONE.search(text)
    if match is None:
        return None
    return " ".join(_DASHES.sub("-", match.group()).split())


def own_text(body: str) -> str:
    """The body as the sender wrote it: quoted lines (``>``) and everything from a
    reply or forward header («-----Original Message-----», «… пишет:») on left out."""
    kept: list[str] = []
    for line in body.splitlines():
        stripped = line.strip()
        if _QUOTE_HEADER.match(stripped):
            break
        if stripped.startswith(">"):
            continue
        kept.append(line.rstrip())
    return "\n".join(kept).strip()


def problem_from(subject: str, body: str, limit: int = PROBLEM_LIMIT) -> str:
    """The problem a letter describes: its subject and the first meaningful lines of its body.

    ``Re:``/``Fwd:`` prefixes, greetings, lines that only agree to pay or give a
    phone, quoted replies and the signature are left out; at most three lines of
    the first paragraph are taken; the result is cut at a word to ``limit``
    characters. ``("Не считаются пени", "Здравствуйте!\\n\\nПосле обновления пени
    не начисляются.")`` → «Не считаются пени. После обновления пени не начисляются.»
    """
    topic = " ".join(_SUBJECT_PREFIX.sub("", subject).split())
    lines: list[str] = []
    for raw in own_text(body).splitlines():
        line = " ".join(raw.split())
        if not line:
            if lines:
                break
            continue
        if _SIGNATURE.match(line):
            break
        if _GREETING.match(line) or _only_consent_or_phone(line):
            continue
        lines.append(line)
        if len(lines) == 3:
            break
    text = " ".join(lines)
    if topic and text and topic.casefold() not in text.casefold():
        text = topic + ("" if topic[-1] in ".!?" else ".") + " " + text
    return _cut(text or topic, limit)


def _only_consent_or_phone(line: str) -> bool:
    """A short line that is there to agree to pay or to give a phone, not to describe the problem."""
    phone = find_phone(line)
    if phone is not None and len(line) - len(phone) < 25:
        return True
    return len(line) <= 60 and find_consent(line) is not None


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    if " " in head:
        head = head[: head.rindex(" ")]
    return head.rstrip(" ,;:-") + "…"


# ------------------------------------------------------------------ HTML


# Tags that end a line of text (``<br>`` is handled on its own: it may make an empty one).
_BLOCKS = frozenset({"address", "article", "blockquote", "dd", "div", "dl", "dt", "footer", "header", "hr"})
_BLOCKS |= {"h1", "h2", "h3", "h4", "h5", "h6", "li", "ol", "p", "pre", "section", "ul"}
_BLOCKS |= {"table", "tbody", "td", "th", "thead", "tr"}
_HIDDEN = frozenset(("head", "script", "style", "title", "template"))


class _TextParser(HTMLParser):
    """Collects the visible text of an HTML letter, a line per block; quoted
    (``<blockquote>``) lines get a ``> `` prefix, as in a plain-text reply."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._line: list[str] = []
        self._quoted_line = False
        self._hidden = 0
        self._quote = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self._hidden += 1
        elif tag == "br":
            self._break(keep_empty=True)  # <div><br></div> is how mailers write an empty line
        elif tag in _BLOCKS:
            self._break()
            if tag == "blockquote":
                self._quote += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCKS:
            self._break()
            if tag == "blockquote":
                self._quote = max(0, self._quote - 1)
            if tag in ("p", "table", "blockquote", "h1", "h2", "h3"):
                self.lines.append("")

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        if data.strip():
            self._quoted_line = self._quoted_line or self._quote > 0
        self._line.append(data)

    def _break(self, keep_empty: bool = False) -> None:
        line = " ".join("".join(self._line).replace("\xa0", " ").split())
        if line or keep_empty:
            self.lines.append(("> " if self._quoted_line else "") + line)
        self._line, self._quoted_line = [], False

    def text(self) -> str:
        """The text collected, blank lines between paragraphs, at most one in a row."""
        self._break()
        out: list[str] = []
        for line in self.lines:
            if line or (out and out[-1]):
                out.append(line)
        return "\n".join(out).strip()


def html_to_text(html: str) -> str:
    """Readable text of an HTML letter: tags and scripts gone, entities decoded,
    a line per paragraph, quoted replies marked with ``> ``."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    return parser.text()
