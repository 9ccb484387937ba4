-- kvsupport ledger schema, version 1.
--
-- Every record is kept whole in a jsonb column ``record`` in the shape of
-- kvsupport.storage.codec (times with the offset they were typed in, money as
-- strings), so a ledger copied from files and back is the same byte for byte;
-- the other columns are what queries select and order by, and what the
-- constraints guard.

CREATE TABLE clients (
    code      text   PRIMARY KEY,
    position  bigint NOT NULL,          -- the order clients were added in
    record    jsonb  NOT NULL
);

CREATE TABLE sessions (
    id          bigint      PRIMARY KEY,
    client      text        NOT NULL REFERENCES clients (code) ON UPDATE CASCADE,
    consultant  text        NOT NULL,   -- '' for sessions recorded before consultants
    started_at  timestamptz NOT NULL,   -- the first segment's start
    ended_at    timestamptz,            -- the last segment's end; NULL while running
    running     boolean     NOT NULL,
    invoice     text,
    record      jsonb       NOT NULL,
    CHECK (running = (ended_at IS NULL))
);
CREATE INDEX sessions_by_start ON sessions (started_at, id);
CREATE INDEX sessions_by_end ON sessions (ended_at);
-- one running session per consultant, whatever races
CREATE UNIQUE INDEX sessions_one_running ON sessions (consultant) WHERE running;

CREATE TABLE last_stopped (
    consultant  text   PRIMARY KEY,
    session     bigint NOT NULL
);

CREATE TABLE orders (
    id      bigint PRIMARY KEY,
    record  jsonb  NOT NULL
);

CREATE TABLE invoices (
    number     text  PRIMARY KEY,       -- the last guard: a number is never issued twice
    period     text  NOT NULL,
    issued_on  date  NOT NULL,
    status     text  NOT NULL CHECK (status IN ('issued', 'paid', 'void')),
    client     text  NOT NULL,
    summary    jsonb NOT NULL,          -- what listings read: no lines, no requisites
    record     jsonb NOT NULL
);
CREATE INDEX invoices_by_period ON invoices (period);
CREATE INDEX invoices_by_issue ON invoices (issued_on, number);

-- Counters: 'session', 'order', and 'invoice:<series>' (a year, or 0). Taken with
-- UPDATE ... RETURNING in the transaction that stores what they number, so a
-- rolled-back change gives its number back: gapless, never reused.
CREATE TABLE counters (
    series  text   PRIMARY KEY,
    last    bigint NOT NULL
);
