-- Vigil PostgreSQL store, layout 1. See PostgresMetricStore for the meaning of each table.
CREATE TABLE series (
    id     BIGINT PRIMARY KEY,   -- SeriesKey.id(), signed 64-bit
    metric TEXT NOT NULL,
    labels TEXT NOT NULL,        -- canonical JSON, see CanonicalLabels
    kind   SMALLINT NOT NULL     -- MetricKind.code()
);

CREATE TABLE rollup_10s (
    series_id    BIGINT NOT NULL,
    bucket_start BIGINT NOT NULL, -- epoch milliseconds, aligned to 10 s
    data         BYTEA NOT NULL,  -- Aggregate.encode()
    PRIMARY KEY (series_id, bucket_start)
);
CREATE INDEX rollup_10s_by_bucket ON rollup_10s (bucket_start);

CREATE TABLE rollup_1m (
    series_id    BIGINT NOT NULL,
    bucket_start BIGINT NOT NULL,
    data         BYTEA NOT NULL,
    PRIMARY KEY (series_id, bucket_start)
);
CREATE INDEX rollup_1m_by_bucket ON rollup_1m (bucket_start);

CREATE TABLE rollup_1h (
    series_id    BIGINT NOT NULL,
    bucket_start BIGINT NOT NULL,
    data         BYTEA NOT NULL,
    PRIMARY KEY (series_id, bucket_start)
);
CREATE INDEX rollup_1h_by_bucket ON rollup_1h (bucket_start);

-- 'checkpoint': WAL position of the last commit; 'downsampled.<TIER>': per-tier downsample watermark.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
