-- Several nodes: the transaction that inserted a series, so that nodes can poll for series other nodes created
-- (see PostgresMetricStore.seriesAfter), and one WAL checkpoint per node ('checkpoint.<node id>').
ALTER TABLE series ADD COLUMN tx xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX series_by_tx ON series (tx);
UPDATE meta SET key = 'checkpoint.node-1' WHERE key = 'checkpoint';
