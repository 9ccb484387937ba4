-- kvsupport ledger schema, version 3: money coming in (SPEC §12).
--
-- An invoice may now be partly paid; its payments live in its ``record`` (the
-- codec's ``payments``), its open balance and the day of its latest payment in
-- ``summary``, which listings read. Summaries written before this step get
-- them here: none of those invoices had payments kept, so an issued one owes
-- its total and a paid or void one nothing.

ALTER TABLE invoices DROP CONSTRAINT IF EXISTS invoices_status_check;
ALTER TABLE invoices ADD CONSTRAINT invoices_status_check
    CHECK (status IN ('issued', 'partly_paid', 'paid', 'void'));

UPDATE invoices
SET summary = summary || jsonb_build_object(
        'balance', CASE WHEN status = 'issued' THEN summary -> 'total' ELSE to_jsonb('0.00'::text) END,
        'last_payment_on', summary -> 'paid_on')
WHERE NOT summary ? 'balance';

