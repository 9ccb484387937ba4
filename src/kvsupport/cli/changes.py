"""What a change of the ledger was, in words: ``undo``, ``ledger changes``, ``ledger backups``.

The journal keeps each change as data (what it added, changed or deleted, and
what the command called it); the words are chosen here, in the interface's
language, when it is shown.
"""

from __future__ import annotations

from kvsupport.i18n import N_, _
from kvsupport.storage.api import Change

#: (op, kind) -> an English msgid with {key}: Russian words differ by kind (сеанс удалён, запись удалена)
_WORDS = {
    ("add", "session"): N_("added session {key}"),
    ("change", "session"): N_("changed session {key}"),
    ("delete", "session"): N_("deleted session {key}"),
    ("add", "client"): N_("added client {key}"),
    ("change", "client"): N_("changed client {key}"),
    ("delete", "client"): N_("deleted client {key}"),
    ("add", "order"): N_("added order {key}"),
    ("change", "order"): N_("changed order {key}"),
    ("delete", "order"): N_("deleted order {key}"),
    ("add", "invoice"): N_("issued invoice {key}"),
    ("change", "invoice"): N_("changed invoice {key}"),
    ("delete", "invoice"): N_("deleted invoice {key}"),
}
#: a change of a kind the table does not know
_CHANGED = N_("changed {key}")
_SHOWN = 3

#: command -> (the kind of record it is about, an English msgid with {keys})
_ACTIONS = {
    "session start": ("session", N_("started session {keys}")),
    "session stop": ("session", N_("stopped session {keys}")),
    "session resume": ("session", N_("resumed session {keys}")),
    "session cancel": ("session", N_("cancelled session {keys}")),
    "session add": ("session", N_("added session {keys}")),
    "session edit": ("session", N_("edited session {keys}")),
    "session delete": ("session", N_("deleted session {keys}")),
    "client add": ("client", N_("added client {keys}")),
    "client edit": ("client", N_("changed client {keys}")),
    "client archive": ("client", N_("archived client {keys}")),
    "client unarchive": ("client", N_("brought back client {keys}")),
    "order add": ("order", N_("added order {keys}")),
    "order cancel": ("order", N_("cancelled order {keys}")),
    "invoice": ("invoice", N_("issued invoice {keys}")),
    "invoice void": ("invoice", N_("voided invoice {keys}")),
    "invoice pay": ("invoice", N_("recorded the payment of invoice {keys}")),
    "import": ("session", N_("imported session {keys}")),
}


def change_text(change: Change) -> str:
    """``deleted session 12``; ``issued invoice 2026-0001, 2026-0002``; ``imported session
    14, 15, 16 and 40 more``."""
    known = _ACTIONS.get(change.action or "")
    if known is not None and change.undoes is None:
        kind, words = known
        keys = [op[2] for op in change.ops if len(op) == 3 and op[1] == kind]
        if keys:
            text = _(words).format(keys=", ".join(keys[:_SHOWN]))
            total = sum(1 for op in change.ops if len(op) == 3 and op[1] == kind)
            more = (total - min(total, _SHOWN)) + (change.size - len(change.ops))
            return _("{changes} and {count} more").format(changes=text, count=more) if more > 0 else text
    parts = []
    for op in change.ops[:_SHOWN]:
        verb, kind, key = [*op, "", "", ""][:3]
        parts.append(_(_WORDS.get((verb, kind), _CHANGED)).format(key=key))
    text = ", ".join(parts)
    more = change.size - min(len(change.ops), _SHOWN)
    if more > 0:
        text = _("{changes} and {count} more").format(changes=text, count=more)
    if change.undoes is not None:
        text = _("took back change {number}: {changes}").format(number=change.undoes, changes=text)
    return text
