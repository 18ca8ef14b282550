-- Switchboard store, schema version 2. See docs/store.md (Retention).
-- Outbox rows without an inbound message (protocol send, agent deliver) were already allowed by
-- V1 (inbound_id is nullable); this version adds the indexes the hourly purge and agent.wait use.

-- The purge deletes delivered and failed outbox rows by age.
CREATE INDEX outbox_finished ON outbox (finished_at) WHERE status <> 'pending';

-- The purge deletes answered inbound messages by age.
CREATE INDEX inbound_answered ON inbound (answered_at) WHERE answered_at IS NOT NULL;

-- agent.wait finds a finished run's result by its run id.
CREATE INDEX idempotency_run ON idempotency (run_id);
