"""Invoices in the ledger: a part per period, and the index part that sums them up.

The index holds one row per invoice (number, date, status, total, client), so
``invoice list`` and ``report`` read one file, not every month's invoices. It
is derived data, kept in step by :meth:`InvoiceStore.put_invoice` and built
again from the invoice parts whenever its checksum of them does not match.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from typing import Any

from kvsupport.core.models import Invoice
from kvsupport.errors import LedgerError, NotFound
from kvsupport.i18n import _
from kvsupport.storage import codec
from kvsupport.storage.api import InvoiceSummary
from kvsupport.storage.jsonfiles.parts import INDEX_ROWS, INVOICE_INDEX, PartStore, _invoices_digest, _Part

#: what an issued invoice printed: never changed once stored (SPEC §7)
FROZEN_FIELDS = ("date", "period", "client", "supplier", "lines", "total", "vat_mode", "vat_amount", "due_on")


class InvoiceStore(PartStore):
    """The invoices of :class:`~kvsupport.storage.jsonfiles.store.FileStore`: parts and their index."""

    def invoices(
        self, periods: Iterable[str] | None = None, statuses: Iterable[str] | None = None
    ) -> list[Invoice]:
        """Invoices of ``periods`` (all if None) with one of ``statuses`` (any if None),
        in order of issue."""
        wanted = None if statuses is None else set(statuses)
        keys = (
            self._keys("invoices")
            if periods is None
            else [f"invoices/{p}" for p in periods if f"invoices/{p}" in self._m["parts"]]
        )
        out: list[Invoice] = []
        for key in keys:
            entry = self._m["parts"][key]
            for i, row in enumerate(self._part(key).records.values()):
                if wanted is not None and row.get("status") not in wanted:
                    continue
                where = f"{entry['file']}: records[{i}]"
                out.append(self._decoded(codec.decode_invoice, row, where))
        out.sort(key=lambda inv: (inv.date, inv.number))
        return out

    def _index_is_stale(self) -> bool:
        """True when the stored index does not match the invoice files (built by an
        older kvsupport, or by a writer that did not keep it)."""
        entry = self._m["parts"].get(INVOICE_INDEX)
        if entry is None:
            return bool(self._keys("invoices"))
        return bool(entry.get("rows") != INDEX_ROWS or entry.get("of") != _invoices_digest(self._m["parts"]))

    def _before_commit(self) -> None:
        """A change that finds the index stale stores it rebuilt, whatever it changed: the
        reads after it (a report, ``invoice list``) are served from the index again."""
        if INVOICE_INDEX not in self._parts and self._index_is_stale():
            with contextlib.suppress(LedgerError):  # an unreadable invoice file: the change goes on
                self._invoice_index()

    def _invoice_index(self) -> _Part:
        """The index part: one :func:`index_row` per invoice, kept in step by
        :meth:`put_invoice`. Its manifest entry names, by checksum, the invoice files
        it was built from; when they differ (a writer that did not keep it, a restored
        old manifest) or its file cannot be read, it is built again from the invoice
        parts and stored with the next change."""
        index = self._parts.get(INVOICE_INDEX)
        if index is not None:
            return index
        entry = self._m["parts"].get(INVOICE_INDEX)
        fresh = entry is not None and entry.get("rows") == INDEX_ROWS
        if fresh and entry.get("of") == _invoices_digest(self._m["parts"]):
            try:
                return self._part(INVOICE_INDEX)
            except LedgerError:
                pass  # derived data: build it again
        index = _Part("index", "invoices", {})
        for key in self._keys("invoices"):
            for number, record in self._part(key).records.items():
                index.records[number] = codec.index_row(record)
            self._forget(key)
        index.dirty = True
        self._parts[INVOICE_INDEX] = index
        return index

    def invoice_summaries(
        self, statuses: Iterable[str] | None = None, client: str | None = None
    ) -> list[InvoiceSummary]:
        """The figures of invoices with one of ``statuses`` (any if None), of ``client``
        (any if None), in order of issue; no invoice file is read."""
        wanted = None if statuses is None else set(statuses)
        rows = [
            row
            for row in self._invoice_index().records.values()
            if (wanted is None or row.get("status") in wanted)
            and (client is None or row.get("client_code") == client)
        ]
        rows.sort(key=lambda r: (str(r.get("date")), str(r.get("number"))))
        where = f"{self.files.parts}/{self._m['parts'].get(INVOICE_INDEX, {}).get('file', 'index')}"
        return [codec.decode_summary(row, where) for row in rows]

    def invoice_batches(self, numbers: Iterable[str]) -> Iterator[list[Invoice]]:
        """Whole invoices ``numbers`` in that order, a period's file at a time, each file
        held only while it is needed: ten years stream in a month's memory."""
        batch: list[Invoice] = []
        period = None
        for record in self._invoice_records(numbers):
            if batch and record.get("period") != period:
                yield batch
                batch = []
            period = record.get("period")
            where = f"{self.files.parts}/invoices-{period}"
            batch.append(self._decoded(codec.decode_invoice, record, where))
        if batch:
            yield batch

    def _invoice_records(self, numbers: Iterable[str]) -> Iterator[dict[str, Any]]:
        """The stored records of ``numbers``, in that order, each period's file held only
        while it is needed."""
        index = self._invoice_index().records
        wanted = [(n, f"invoices/{index[n]['period']}") for n in numbers if n in index]
        last_use = {key: i for i, (_, key) in enumerate(wanted)}
        for i, (number, key) in enumerate(wanted):
            record = self._part(key).records.get(number)
            if record is not None:
                yield record
            if last_use[key] == i:
                self._forget(key)

    def invoice(self, number: str) -> Invoice:
        """The invoice ``number`` (the index says which period's file holds it)."""
        period = self._invoice_index().records.get(number, {}).get("period")
        records = self._part(f"invoices/{period}").records if period is not None else {}
        row = records.get(number)
        if row is None:
            raise NotFound(
                _("no invoice {number}").format(number=number), hint=_("see 'kvsupport invoice list'")
            )
        file = self._m["parts"].get(f"invoices/{period}", {}).get("file", f"invoices/{period}")
        where = f"{file}: records[{list(records).index(number)}]"
        found: Invoice = self._decoded(codec.decode_invoice, row, where)
        return found

    def has_invoice(self, number: str) -> bool:
        """True when an invoice ``number`` is stored (whatever its status)."""
        return number in self._invoice_index().records

    def add_invoice(self, invoice: Invoice) -> None:
        """Store a newly issued invoice. A number already stored is refused, whatever
        the numbering format: an issued number is never issued again."""
        if self.has_invoice(invoice.number):
            raise LedgerError(
                _("invoice number {number} is taken already; refusing to issue it twice").format(
                    number=invoice.number
                ),
                hint=_("nothing was changed; check 'kvsupport config show' ({key})").format(
                    key="invoice.number_format"
                ),
            )
        self._store_invoice(invoice)

    def put_invoice(self, invoice: Invoice) -> None:
        """Store a change of a stored invoice: its status, payment or void reason. What it
        printed (lines, amounts, parties, dates) is frozen: a change to it is refused."""
        stored = self.invoice(invoice.number)
        frozen = [f for f in FROZEN_FIELDS if getattr(stored, f) != getattr(invoice, f)]
        if frozen:
            raise LedgerError(
                _("invoice {number} is issued: its {fields} cannot change").format(
                    number=invoice.number, fields=", ".join(frozen)
                ),
                hint=_("void it and issue a new one"),
            )
        self._store_invoice(invoice)

    def _raw_invoice(self, number: str) -> dict[str, Any] | None:
        """The stored record of invoice ``number``, or ``None``."""
        period = self._invoice_index().records.get(number, {}).get("period")
        key = f"invoices/{period}"
        if period is None or (key not in self._m["parts"] and key not in self._parts):
            return None
        return self._part(key).records.get(number)

    def _store_invoice(self, invoice: Invoice) -> None:
        self.recorder.saw("invoice", invoice.number, self._raw_invoice(invoice.number))
        record = codec.encode_invoice(invoice)
        part = self._part(f"invoices/{invoice.period}")
        part.records[invoice.number] = record
        part.dirty = True
        index = self._invoice_index()
        index.records[invoice.number] = codec.index_row(record)
        index.dirty = True
        self._dirty = True

    def next_invoice_seq(self, year: int) -> int:
        """The next sequence number of ``year``; numbers are never reused."""
        seqs = self._m["counters"].setdefault("invoice", {})
        seqs[str(year)] = seqs.get(str(year), 0) + 1
        self._dirty = True
        value: int = seqs[str(year)]
        return value
