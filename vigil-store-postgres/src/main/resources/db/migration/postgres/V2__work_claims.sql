-- Units of work (one notification delivery, one scheduled check) that exactly one node must do once.
CREATE TABLE work_item (
    id          BIGSERIAL PRIMARY KEY,
    kind        TEXT        NOT NULL,
    work_key    TEXT        NOT NULL,
    payload     BYTEA       NOT NULL,
    claimed_by  TEXT,
    claimed_until TIMESTAMPTZ,
    done_at     TIMESTAMPTZ,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (kind, work_key)
);
CREATE INDEX work_item_open ON work_item (kind, id) WHERE done_at IS NULL;
