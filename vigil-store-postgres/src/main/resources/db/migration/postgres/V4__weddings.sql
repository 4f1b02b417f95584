-- The wedding calendar and each wedding's critical-path events; see PostgresWeddingStore.
-- Ids and sources are compared byte-wise (COLLATE "C"), as in the embedded store, whatever the database's locale.
CREATE TABLE weddings (
    id                TEXT COLLATE "C" PRIMARY KEY,
    wedding_date      DATE NOT NULL,         -- the date of ceremony_start
    time_zone         TEXT NOT NULL,         -- IANA zone id of the venue
    ceremony_start    TIMESTAMP NOT NULL,    -- local to time_zone (no zone on purpose: a DST-gap time is kept as given)
    reception_end     TIMESTAMP NOT NULL,    -- local to time_zone, may be on the next date
    guest_count       INTEGER NOT NULL,
    venue             TEXT,
    vendor_ids        TEXT[] NOT NULL,
    status            TEXT NOT NULL,         -- WeddingStatus.wireName(): scheduled | cancelled
    source            TEXT COLLATE "C" NOT NULL,
    coordinator_name  TEXT,                  -- personal data: the coordinator's contact, each part may be NULL
    coordinator_email TEXT,
    coordinator_phone TEXT
);
CREATE INDEX weddings_by_date ON weddings (wedding_date, ceremony_start, id);
CREATE INDEX weddings_by_source ON weddings (source, id);

CREATE TABLE wedding_events (
    wedding_id TEXT COLLATE "C" NOT NULL,
    id         TEXT COLLATE "C" NOT NULL,
    type       TEXT NOT NULL,                -- WeddingEventType.wireName()
    name       TEXT,
    ref        TEXT,
    at         TIMESTAMPTZ NOT NULL,         -- to the millisecond
    count      INTEGER NOT NULL,
    PRIMARY KEY (wedding_id, id)
);
CREATE INDEX wedding_events_by_time ON wedding_events (wedding_id, at);
