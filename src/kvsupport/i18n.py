"""The interface language: English or Russian, through gettext catalogues.

Every message, hint, warning, table header and help text the tool prints is an
English ``msgid`` wrapped in :func:`_` (or :func:`ngettext` when it counts
something: Russian has three plural forms, «1 сеанс, 2 сеанса, 5 сеансов»).
The Russian catalogue lives in ``locale/ru/LC_MESSAGES/kvsupport.po`` and ships
compiled (``.mo``), so an installed kvsupport needs no Babel.

The language is chosen once per process (:func:`use`): the config's
``ui.language`` if set, else the locale (``LANGUAGE``, ``LC_ALL``,
``LC_MESSAGES``, ``LANG``, in that order): Russian when it starts with ``ru``,
else English. Exit codes and JSON/CSV output never depend on it.

The catalogue is opened directly (``GNUTranslations`` over the ``.mo`` file),
not through ``gettext.translation``: its search normalises locale names with the
``locale`` module on every start, and kvsupport knows exactly where its one
catalogue is. Nothing here touches ``locale.setlocale``: this machine has no
``ru_RU.UTF-8`` locale generated, and the interface must not depend on one.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping
from pathlib import Path

DOMAIN = "kvsupport"
LOCALEDIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("en", "ru")
ENV_ORDER = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_translation: gettext.NullTranslations | None = None
_language = "en"


def language_from_env(environ: Mapping[str, str] | None = None) -> str:
    """``ru`` when the first locale variable that is set starts with ``ru``, else ``en``.

    ``LANGUAGE`` may list several (``ru:en``); its first entry counts. ``C`` and
    ``POSIX`` mean English.
    """
    env = os.environ if environ is None else environ
    for name in ENV_ORDER:
        value = env.get(name, "")
        first = value.split(":", 1)[0].strip()
        if first:
            return "ru" if first.lower().startswith("ru") else "en"
    return "en"


def catalogue_path(language: str) -> Path:
    """Where the compiled catalogue of ``language`` lives."""
    return LOCALEDIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo"


def use(language: str | None = None) -> str:
    """Speak ``language`` (``None``: from the environment) from now on; returns it.

    A missing or unreadable Russian catalogue falls back to English rather than
    failing: the tool must still work.
    """
    global _translation, _language
    chosen = language if language in LANGUAGES else language_from_env()
    translation: gettext.NullTranslations = gettext.NullTranslations()
    if chosen != "en":
        try:
            with catalogue_path(chosen).open("rb") as fp:
                translation = gettext.GNUTranslations(fp)
        except OSError:
            chosen = "en"
    _translation, _language = translation, chosen
    return chosen


def current() -> str:
    """The interface language in use (``en`` or ``ru``)."""
    if _translation is None:
        use()
    return _language


def _(message: str) -> str:
    """``message`` (an English msgid) in the interface language."""
    if _translation is None:
        use()
    assert _translation is not None
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of ``singular``/``plural`` for ``n`` in the interface language."""
    if _translation is None:
        use()
    assert _translation is not None
    return _translation.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` as meant in ``context`` (one English word, two Russian ones:
    «согласие» as a label, «согласие на оплату» in a sentence)."""
    if _translation is None:
        use()
    assert _translation is not None
    return _translation.pgettext(context, message)


def NC_(context: str, message: str) -> str:
    """Mark ``message`` in ``context`` for extraction; :func:`pgettext` translates it."""
    del context
    return message


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it now (module-level tables)."""
    return message
