"""``--letter FILE.eml``: a client's letter as a session's (or order's) evidence (SPEC §11).

The letter is read (:func:`read_letter_file`) before the ledger is opened, so a
malformed one is one error and nothing is stored. What the command line does not
give is taken from it (:func:`take`): the problem, a phone (unless the session,
the order or the client has one), the consent to pay (only when the body agrees
to pay explicitly, :data:`kvsupport.core.mailtext.CONSENT_PHRASES`), and always
the evidence: sender, date, subject, ``Message-ID``, the file's SHA-256 and each
attachment's name, size and SHA-256. Every value taken is said on stderr.

Imported only when ``--letter`` is given: ``session start`` stays light without it.
Free of Typer: the fast path of ``session start`` calls it too.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

from kvsupport.core.evidence import evidence_of, file_size
from kvsupport.core.letters import Letter, read_letter
from kvsupport.core.models import Client, Order
from kvsupport.core.rules import missing_requirements
from kvsupport.errors import InvalidValue, KvsupportError, Refused
from kvsupport.i18n import _, current
from kvsupport.ops.env import Env
from kvsupport.ops.sessions import Details, requirement_names
from kvsupport.storage import reading

#: The largest letter read. Mail services cap a letter near 25-30 MB of
#: attachments (about 40 MB as .eml); parsing takes ~10x the file in memory
#: (a 28 MB letter: 0.7 s, 283 MiB here).
MAX_LETTER_BYTES = reading.MAX_LETTER_BYTES


def human_size(size: int) -> str:
    """``812 bytes``, ``12.4 MB``: a file size for people, in the interface's language
    (powers of 1024; a decimal comma in Russian)."""
    text = file_size(size, "en")
    number, unit = text.split(" ")
    if current() == "ru":
        number = number.replace(".", ",")
    templates = {"bytes": _("{n} bytes"), "KB": _("{n} KB"), "MB": _("{n} MB"), "GB": _("{n} GB")}
    return templates[unit].format(n=number)


def read_letter_file(file: str) -> Letter:
    """The letter in ``file``, parsed; InvalidValue naming the file when it cannot be read or used."""
    path = Path(file)
    try:
        size = path.stat().st_size
        if size > MAX_LETTER_BYTES:
            raise InvalidValue(
                _("{file} is {size}: larger than a letter can be ({limit})").format(
                    file=file, size=human_size(size), limit=human_size(MAX_LETTER_BYTES)
                ),
                hint=_("give the letter saved as .eml, not a folder or an archive"),
            )
        data = reading.read_capped(path, MAX_LETTER_BYTES)  # /dev/zero or a pipe has no size first
    except OSError as exc:
        raise InvalidValue(
            _("cannot read {file}: {reason}").format(file=file, reason=exc.strerror or exc)
        ) from None
    try:
        return read_letter(data)
    except InvalidValue as exc:
        raise InvalidValue(
            _("{file}: {problem}").format(file=file, problem=exc.message), hint=exc.hint
        ) from None


#: how far ahead of now a letter's date may be (the sender's clock, a zone written wrong)
#: before the letter is taken as malformed
FUTURE_SLACK = timedelta(days=1)


class Taken(NamedTuple):
    """The details with what the letter gave, what was taken (to say on stderr) and
    warnings (``warning:`` lines)."""

    details: Details
    notes: list[str]
    warnings: list[str] = []  # noqa: RUF012 - never mutated, a new list is passed


def take(
    env: Env,
    file: str,
    details: Details,
    *,
    client: str | None,
    service: str | None,
    on: date | None,
    start: datetime | None = None,
) -> Taken:
    """``details`` completed from the letter in ``file`` for a session (or an order) of
    ``client`` and ``service`` (``None``: the order's, ``details.order``).

    ``on`` is the local date the session starts, to check the tariff's requirements
    then: a service that needs consent while neither ``--consent`` nor the letter
    gives it is refused, saying the letter does not agree to pay (``None``: an
    order, whose consent is checked when it is started).

    ``start``: when the session starts (an order: when it is planned). Consent taken
    from a letter written after it is kept (a phone agreement first, the letter
    later, is common) but warned of; a letter dated more than :data:`FUTURE_SLACK`
    ahead of now is refused as malformed.
    """
    letter = read_letter_file(file)
    _refuse_future(env, letter, file)
    evidence = evidence_of(letter, Path(file).name)
    order, known = _order_and_client(env, details.order, client)
    if order is not None:  # what the order gives comes before the letter, as start takes it
        client, service = client or order.client, service or order.service
        details = details._replace(
            problem=details.problem or order.problem,
            phone=details.phone or order.phone,
            consent=details.consent or order.consent,
        )
    notes: list[str] = []
    if not details.problem and letter.problem:
        details = details._replace(problem=letter.problem)
        notes.append(_("problem from the letter: «{text}»").format(text=letter.problem))
    if not (details.phone or (known.phone if known else None)) and letter.phone:
        taken = _phone(letter.phone)
        if taken is not None:
            details = details._replace(phone=taken)
            notes.append(_("phone from the letter: {phone}").format(phone=taken))
    warnings: list[str] = []
    if not details.consent and letter.consent is not None:
        details = details._replace(consent=letter.consent)
        notes.append(
            _("consent from the letter: «{record}» (it says «{phrase}»)").format(
                record=letter.consent, phrase=letter.consent_phrase
            )
        )
        if start is not None and letter.date > start:
            warnings.append(
                _(
                    "the letter of {date} is later than the session's start {start}: "
                    "the consent to pay was written after the work began"
                ).format(date=_stamp(env, letter.date), start=_stamp(env, start))
            )
    details = details._replace(evidence=evidence)
    notes.append(evidence_note(letter))
    if on is not None and known is not None and service is not None and not details.consent:
        _refuse_without_consent(env, known, service, on, details, file)
    return Taken(details, notes, warnings)


def _stamp(env: Env, moment: datetime) -> str:
    return f"{env.local(moment):%d.%m.%Y %H:%M}"


def _refuse_future(env: Env, letter: Letter, file: str) -> None:
    """A letter dated more than a day ahead of now is malformed: no consent, no evidence."""
    if letter.date <= env.now + FUTURE_SLACK:
        return
    raise InvalidValue(
        _(
            "{file}: the letter is dated {date}, in the future: it cannot be the client's letter as sent"
        ).format(file=file, date=_stamp(env, letter.date)),
        hint=_("check the letter's Date header; give the consent with --consent and the letter later"),
    )


def _order_and_client(env: Env, order_id: int | None, code: str | None) -> tuple[Order | None, Client | None]:
    """The order ``order_id`` (if open) and the client of the session, read in a unit of
    work of their own; the command's own unit of work checks them again."""
    with env.store() as store:
        order = None
        if order_id is not None:
            order = next((o for o in store.orders() if o.id == order_id and o.status == "open"), None)
        if order is not None:
            code = code or order.client
        if code is None:
            return order, None
        return order, store.client(code)


def _phone(text: str) -> str | None:
    from kvsupport.core.requisites import check_phone

    try:
        return check_phone(text)
    except InvalidValue:
        return None


def evidence_note(letter: Letter) -> str:
    """``evidence: the letter of 24.11.2026 from tsj@example.ru, 1 attachment: база.zip (12.4 MB)``."""
    named = {"date": f"{letter.date:%d.%m.%Y}", "sender": letter.sender_address, "sha": letter.sha256[:12]}
    if not letter.attachments:
        return _("evidence: the letter of {date} from {sender} (sha256 {sha})").format(**named)
    files = ", ".join(f"{a.name} ({human_size(a.size)})" for a in letter.attachments)
    return _("evidence: the letter of {date} from {sender} (sha256 {sha}); attached: {files}").format(
        **named, files=files
    )


def _refuse_without_consent(
    env: Env, client: Client, service_key: str, on: date, details: Details, file: str
) -> None:
    """Refuse a session whose service needs consent when the letter does not give it."""
    try:
        _version, service = env.tariffs.service_on(service_key, on)
    except KvsupportError:
        return  # the command itself names an unknown service
    from kvsupport.core.models import Segment, Session
    from kvsupport.core.timeinput import current_minute

    probe = Session(
        0, client.code, service_key, (Segment(current_minute(env.now, tz=env.tz)),), **details._asdict()
    )
    missing = missing_requirements(service, probe, client)
    if "consent" not in missing:
        return
    hint = (
        _(
            "give --consent TEXT (the client's explicit agreement to pay, e.g. 'письмо от 20.11.2026'); "
            "a letter agrees when it says, for example, «оплату гарантируем» or «согласны оплатить»; "
            "and --phone P: the letter gives no phone"
        )
        if "phone" in missing
        else _(
            "give --consent TEXT (the client's explicit agreement to pay, e.g. 'письмо от 20.11.2026'); "
            "a letter agrees when it says, for example, «оплату гарантируем» or «согласны оплатить»"
        )
    )
    raise Refused(
        _(
            "{service} for {client} needs {missing} on record: "
            "the letter {file} does not say the client agrees to pay"
        ).format(
            service=service_key,
            client=client.code,
            missing=requirement_names(missing),
            file=file,
        ),
        hint=hint,
    )
