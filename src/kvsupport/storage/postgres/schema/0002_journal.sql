-- kvsupport ledger schema, version 2: the journal of changes behind `kvsupport undo`.
-- One row a change: who, when, what the command called it, the first records it
-- touched (ops) and every record as it was before with a digest of what it left
-- (entries, kvsupport.storage.journal). Only the recent ones are kept.

CREATE TABLE changes (
    number     bigserial   PRIMARY KEY,
    at         timestamptz NOT NULL DEFAULT now(),
    consultant text,
    action     text,
    ops        jsonb       NOT NULL,
    count      integer     NOT NULL,
    undone_by  bigint,
    undoes     bigint,
    entries    jsonb       NOT NULL
);
