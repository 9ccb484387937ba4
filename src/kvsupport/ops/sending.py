"""Invoices to clients by e-mail, as drafts: one ``.eml`` per invoice (SPEC §12).

kvsupport writes the letter -- To the client's e-mail, From ``supplier.email``,
a Russian text, the invoice and act PDFs attached, ``X-Unsent: 1`` -- and the
consultant's mail program sends it. There is no SMTP here: a draft the
consultant looks at before it goes is the safer default for an invoice, and it
keeps mail passwords out of kvsupport altogether.

Everything is checked before a file is written (a void invoice, a client
without an e-mail, a reminder for an invoice that is not overdue: refused,
nothing written); the ledger is read, the PDFs rendered and the drafts written
without holding it, and then one short change records when each was drafted
(``drafted_at``, or ``reminded_at`` for a reminder), so ``--all-unsent`` passes
over it next time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kvsupport.core.models import OPEN_STATUSES, Client, Invoice
from kvsupport.errors import InvalidValue, Refused
from kvsupport.i18n import _
from kvsupport.ops.env import Env


@dataclass(frozen=True)
class Draft:
    """One letter written: the invoice, the file, and whom it is to."""

    invoice: str
    client: str
    to: str
    path: Path
    reminder: bool


def send_drafts(
    env: Env,
    directory: Path,
    *,
    number: str | None = None,
    month: tuple[int, int] | None = None,
    reminder: bool = False,
) -> list[Draft]:
    """Write the draft of invoice ``number`` (``reminder``: a reminder of it), or of every
    invoice of ``month`` not drafted yet (issued or partly paid), into ``directory``."""
    from kvsupport.storage.outputs import make_output_directory

    supplier_email = env.config.text("supplier.email")
    if not supplier_email:
        raise Refused(
            _("supplier.email is not set: a letter needs a sender"),
            hint=_("kvsupport config set supplier.email buh@example.ru"),
        )
    with env.store() as store:
        if number is not None:
            invoices = [store.invoice(number)]
        else:
            assert month is not None
            period = f"{month[0]:04d}-{month[1]:02d}"
            invoices = [
                invoice
                for invoice in store.invoices(periods=[period], statuses=OPEN_STATUSES)
                if invoice.drafted_at is None
            ]
        clients = store.clients()
    for invoice in invoices:
        _check(invoice, reminder, env.today)
    recipients = _recipients(invoices, clients)
    make_output_directory(directory, ledger=env.ledger_location, what="--draft")
    drafts = [
        _write(env, invoice, recipients[invoice.client_code], directory, supplier_email, reminder)
        for invoice in invoices
    ]
    if drafts:
        _record(env, [draft.invoice for draft in drafts], reminder)
    return drafts


def _check(invoice: Invoice, reminder: bool, today: date) -> None:
    if invoice.status == "void":
        raise Refused(
            _("invoice {number} is void ({reason}): it is not sent").format(
                number=invoice.number, reason=invoice.void_reason
            )
        )
    if not reminder:
        return
    if invoice.status not in OPEN_STATUSES:
        raise Refused(
            _("invoice {number} was paid on {date}: no reminder is due").format(
                number=invoice.number, date=invoice.paid_on
            )
        )
    if invoice.due_on is None or invoice.due_on >= today:
        due = invoice.due_on.isoformat() if invoice.due_on else _("no due date")
        raise Refused(
            _("invoice {number} is not overdue (due: {due}): no reminder is due").format(
                number=invoice.number, due=due
            ),
            hint=_("send the invoice itself without --reminder"),
        )


def _recipients(invoices: list[Invoice], clients: Mapping[str, Client]) -> dict[str, tuple[str, str]]:
    """Each client's name and e-mail (its record today, else as the invoice froze it); the
    clients without one are refused together, by code."""
    found: dict[str, tuple[str, str]] = {}
    missing: list[str] = []
    for invoice in invoices:
        code = invoice.client_code
        client = clients.get(code)
        email = (client.email if client else None) or str(invoice.client.get("email") or "")
        name = client.name if client else str(invoice.client.get("name") or code)
        if email:
            found[code] = (name, email)
        elif code not in missing:
            missing.append(code)
    if missing:
        raise Refused(
            _("client {codes} has no e-mail on record: no letter can be written").format(
                codes=", ".join(missing)
            ),
            hint=_("kvsupport client edit {code} --email buh@example.ru; nothing was written").format(
                code=missing[0]
            ),
        )
    return found


def _write(
    env: Env, invoice: Invoice, recipient: tuple[str, str], directory: Path, sender: str, reminder: bool
) -> Draft:
    import email.policy

    from kvsupport.documents.mail import Correspondent, file_stem, invoice_message
    from kvsupport.documents.payment import payload
    from kvsupport.documents.render import render
    from kvsupport.storage.outputs import write_output

    language = env.config.language
    stem = file_stem(invoice.number)
    attachments = []
    for act, word in ((False, "Счёт"), (True, "Акт")):
        data = render(invoice, act=act, fmt="pdf", language=language)
        assert isinstance(data, bytes)
        attachments.append((f"{word} {stem}.pdf", data))
    supplier_name = str(env.config.get("supplier.name") or invoice.supplier.get("name") or "")
    message = invoice_message(
        invoice,
        supplier=Correspondent(supplier_name, sender),
        client=Correspondent(*recipient),
        signer=_signer(env),
        attachments=attachments,
        now=env.now.astimezone(env.tz),
        today=env.today,
        reminder=reminder,
        qr=invoice.status in OPEN_STATUSES and payload(invoice) is not None,
    )
    path = directory / f"{stem}{'-reminder' if reminder else ''}.eml"
    write_output(path, message.as_bytes(policy=email.policy.SMTP), kept=env.kept, what="--draft")
    return Draft(invoice.number, invoice.client_code, recipient[1], path, reminder)


def _signer(env: Env) -> str:
    """Who signs the letter: the consultant (``consultant.name``), else the director."""
    return env.config.text("consultant.name") or env.config.text("supplier.director") or ""


def _record(env: Env, numbers: list[str], reminder: bool) -> None:
    """Record on each invoice when its letter was drafted (a reminder: when it was reminded)."""
    if not numbers:
        return
    with env.store(write=True) as store:
        at = env.local(env.now).replace(microsecond=0)  # with the local offset, as sessions' times
        for number in numbers:
            invoice = store.invoice(number)
            if reminder:
                store.put_invoice(invoice._replace(reminded_at=at))
            else:
                store.put_invoice(invoice._replace(drafted_at=at))


def check_choice(number: str | None, all_unsent: bool, month: str | None, reminder: bool) -> None:
    """Exactly one of NUMBER and ``--all-unsent --month M``; a reminder is of one invoice."""
    if number is None and not all_unsent:
        raise InvalidValue(
            _("give an invoice NUMBER, or --all-unsent --month M"),
            hint=_("kvsupport invoice send 2026-0001 --draft DIR"),
        )
    if number is not None and all_unsent:
        raise InvalidValue(_("give an invoice NUMBER or --all-unsent, not both"))
    if all_unsent and month is None:
        raise InvalidValue(_("--all-unsent needs --month M: the month whose invoices to send"))
    if number is not None and month is not None:
        raise InvalidValue(_("--month goes with --all-unsent, not with an invoice NUMBER"))
    if reminder and all_unsent:
        raise InvalidValue(
            _("--reminder is for one overdue invoice: give its NUMBER"),
            hint=_("see them with 'kvsupport invoice list --overdue'"),
        )
