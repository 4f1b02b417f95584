-- The alerting state; see PostgresStateStore. Text keys compare byte-wise (COLLATE "C"), as in the embedded store.
-- Documents by kind and id (rules, alert states, silences, maintenance windows), stored as given (text, not jsonb,
-- so that they round-trip unchanged).
CREATE TABLE documents (
    kind TEXT COLLATE "C" NOT NULL,
    id   TEXT COLLATE "C" NOT NULL,
    json TEXT NOT NULL,
    PRIMARY KEY (kind, id)
);

-- Append-only history streams.
CREATE TABLE history (
    seq    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    stream TEXT COLLATE "C" NOT NULL,
    at     BIGINT NOT NULL,              -- epoch milliseconds, as in the embedded store
    json   TEXT NOT NULL
);
CREATE INDEX history_by_stream ON history (stream, at, seq);
CREATE INDEX history_by_at ON history (at);

-- Notification intents, enqueued once per idempotency key and claimed by one node at a time (FOR UPDATE SKIP LOCKED).
-- A table of its own rather than work_item: it counts attempts and keeps the intent as text.
CREATE TABLE outbox (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key           TEXT COLLATE "C" NOT NULL UNIQUE,
    json          TEXT NOT NULL,
    enqueued_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    claimed_by    TEXT,
    claimed_until TIMESTAMPTZ,           -- the database's clock, shared by every node
    done_at       TIMESTAMPTZ,
    attempts      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX outbox_open ON outbox (id) WHERE done_at IS NULL;
