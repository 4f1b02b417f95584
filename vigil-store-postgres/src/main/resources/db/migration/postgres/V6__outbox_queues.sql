-- The outbox holds several queues (notification intents, deliveries); an item given up for good keeps its reason
-- (a dead letter). Keys stay unique across queues.
ALTER TABLE outbox ADD COLUMN queue TEXT COLLATE "C" NOT NULL DEFAULT 'intents';
ALTER TABLE outbox ADD COLUMN failure TEXT;
DROP INDEX outbox_open;
CREATE INDEX outbox_open ON outbox (queue, id) WHERE done_at IS NULL;
CREATE INDEX outbox_dead ON outbox (queue, done_at) WHERE failure IS NOT NULL;
