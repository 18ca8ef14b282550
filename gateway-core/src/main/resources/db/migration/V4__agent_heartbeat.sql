-- Switchboard store, schema version 4: agent heartbeats. See docs/store.md (Heartbeats).
-- One row per heartbeat schedule (name 'main'): the operator's switch, the newest slot claimed,
-- the latest run, the next one due and a wake text queued for it.
CREATE TABLE heartbeat_state (
    name TEXT PRIMARY KEY,
    -- set-heartbeats: 1 on, 0 off; NULL follows agent.heartbeat.enabled
    enabled INTEGER,
    -- epoch ms of the newest scheduled slot a run claimed (0: none): a slot runs at most once
    last_slot INTEGER NOT NULL,
    last_run_id TEXT,
    -- running (the gateway stopped during it if it stays so), ok, error, aborted
    last_status TEXT,
    last_at INTEGER,
    last_delivered INTEGER NOT NULL,
    next_at INTEGER,
    wake_text TEXT
);
