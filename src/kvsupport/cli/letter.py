"""``kvsupport letter show``: what a client's letter would give a session, before ``--letter`` uses it."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from kvsupport.cli import figures
from kvsupport.cli.options import ItemFormat, ItemFormatOpt
from kvsupport.cli.output import print_json
from kvsupport.core.letters import Letter
from kvsupport.core.text import printable
from kvsupport.i18n import _
from kvsupport.ops.evidence import human_size, read_letter_file

app = typer.Typer(
    add_completion=False, no_args_is_help=True, help="A client's letter (.eml): what a session takes from it."
)
commands = {"letter": app}


def letter_record(letter: Letter) -> dict[str, Any]:
    """The JSON shape: ``letter`` and ``attachments`` as a session's evidence keeps them
    (SPEC §11), then what a session would take (problem, phone, consent) and the body."""
    return {
        "letter": {
            "from": letter.sender_address,
            "from_name": letter.sender_name,
            "date": letter.date.isoformat(),
            "subject": letter.subject,
            "message_id": letter.message_id,
            "sha256": letter.sha256,
        },
        "attachments": [
            {"name": a.name, "content_type": a.content_type, "size": a.size, "sha256": a.sha256}
            for a in letter.attachments
        ],
        "problem": letter.problem,
        "phone": letter.phone,
        "consent": letter.consent,
        "consent_phrase": letter.consent_phrase,
        "body": letter.body,
    }


@app.callback()
def letter() -> None:
    """A client's letter (.eml): what a session takes from it."""  # a group, though it has one verb yet


@app.command("show")
def letter_show(
    file: Annotated[str, typer.Argument(metavar="FILE.eml", help="The letter, saved from the mail program.")],
    fmt: ItemFormatOpt = ItemFormat.text,
) -> None:
    """Show what a letter gives a session: sender, date, problem, phone, consent, attachments.

    Example: kvsupport letter show письмо.eml
    """
    letter = read_letter_file(file)
    if fmt is ItemFormat.json:
        print_json(letter_record(letter))
        return
    sender = (
        f"{letter.sender_name} <{letter.sender_address}>" if letter.sender_name else letter.sender_address
    )
    none = _("(none)")
    rows = [
        (_("from"), sender),
        (_("date"), f"{figures.day(letter.date.date())} {letter.date:%H:%M %z}"),
        (_("subject"), letter.subject or none),
        (_("message id"), letter.message_id or none),
        (_("sha256"), letter.sha256),
        (_("problem"), letter.problem or none),
        (_("phone"), letter.phone or _("(none found)")),
    ]
    if letter.consent is not None:
        rows.append((_("consent"), f"{letter.consent} («{letter.consent_phrase}»)"))
    else:
        rows.append((_("consent"), _("(none: the letter does not say it agrees to pay; give --consent)")))
    width = max(len(label) for label, _value in rows) + 2
    for label, value in rows:  # a letter is anyone's text: no control character reaches the terminal
        print(printable(f"{label + ':':{width}} {value}"))
    print(_("attachments:") if letter.attachments else _("attachments: (none)"))
    for item in letter.attachments:
        print(printable(f"  {item.name}  {human_size(item.size)}  sha256 {item.sha256}"))
