-- Switchboard store, schema version 3. See docs/cluster.md.
-- Replicas sharing one PostgreSQL database (gateway.cluster.enabled) coordinate through these
-- tables; a single gateway leaves them empty. Times are epoch milliseconds of the database's clock,
-- so the replicas' own clocks never decide who owns what.

-- The replicas alive: each one rewrites its row every lease_ttl / 3; a row whose expires_at has
-- passed is a replica that died or stalled.
CREATE TABLE cluster_member (
    replica_id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    heartbeat_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);

-- Who runs each channel account. token is the fencing token: it grows by one at every acquisition,
-- and writes made for the account (cursor advances, outbox deliveries) commit only while the row
-- still holds the writer's replica id and token. owner is NULL once released.
CREATE TABLE account_lease (
    channel TEXT NOT NULL,
    account TEXT NOT NULL,
    owner TEXT,
    token INTEGER NOT NULL,
    acquired_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (channel, account)
);

-- Which replica, under which fencing token, wrote a cursor or delivered an outbox row, as
-- "<replica id>#<token>" (NULL: a single gateway), so an operator (and the fencing test) can see
-- that no replica wrote after losing its lease.
ALTER TABLE channel_cursor ADD COLUMN written_by TEXT;
ALTER TABLE outbox ADD COLUMN delivered_by TEXT;
