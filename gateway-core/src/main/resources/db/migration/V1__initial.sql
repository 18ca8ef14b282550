-- Switchboard store, schema version 1. See docs/store.md.
-- Plain SQL that SQLite (3.35+) and PostgreSQL (9.5+) both accept, except where a comment says
-- otherwise. Statements are split on ';' at the end of a line: no ';' inside literals.
-- Instants are epoch milliseconds (INTEGER), text is TEXT. On PostgreSQL each statement is
-- translated as it runs (StoreDialect.ddl): INTEGER becomes BIGINT and "id INTEGER PRIMARY KEY"
-- (SQLite: an alias of the rowid) an identity column.

-- Every inbound message the gateway accepted. The row is the durable accept (SPEC 6): the
-- platform is acknowledged only after it is committed. answered_at is set in the same
-- transaction that writes the message's outbox row.
CREATE TABLE inbound (
    id INTEGER PRIMARY KEY,
    channel TEXT NOT NULL,
    account TEXT NOT NULL,
    platform_message_id TEXT NOT NULL,
    conversation TEXT NOT NULL,
    thread TEXT,
    sender TEXT NOT NULL,
    text TEXT NOT NULL,
    session_key TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    accepted_at INTEGER NOT NULL,
    answered_at INTEGER,
    CONSTRAINT inbound_dedup UNIQUE (channel, account, platform_message_id)
);

CREATE INDEX inbound_unanswered ON inbound (id) WHERE answered_at IS NULL;

-- Messages to deliver. A reply has inbound_id set, and UNIQUE (inbound_id) makes it exactly one
-- reply per inbound message. A proactive send has no inbound_id and is unique on its
-- idempotency key within its account.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    inbound_id INTEGER REFERENCES inbound (id),
    channel TEXT NOT NULL,
    account TEXT NOT NULL,
    conversation TEXT NOT NULL,
    thread TEXT,
    reply_to TEXT,
    text TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    finished_at INTEGER,
    CONSTRAINT outbox_one_reply UNIQUE (inbound_id),
    CONSTRAINT outbox_idempotency UNIQUE (channel, account, idempotency_key)
);

CREATE INDEX outbox_pending ON outbox (next_attempt_at, id) WHERE status = 'pending';

-- Conversations with the agent. At most one current (ended_at IS NULL) session per key;
-- /new and /reset end it and start another.
CREATE TABLE chat_session (
    id INTEGER PRIMARY KEY,
    session_key TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_activity_at INTEGER NOT NULL,
    ended_at INTEGER
);

CREATE UNIQUE INDEX chat_session_current ON chat_session (session_key) WHERE ended_at IS NULL;

-- The turns of a session, oldest first by id.
CREATE TABLE session_turn (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES chat_session (id),
    role TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
    content TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE INDEX session_turn_by_session ON session_turn (session_id, id);

-- Per-account positions in a platform's stream, such as Telegram's update offset.
CREATE TABLE channel_cursor (
    channel TEXT NOT NULL,
    account TEXT NOT NULL,
    name TEXT NOT NULL,
    cursor_value TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (channel, account, name)
);

-- Idempotency keys of chat.send, agent and send (SPEC 5.3), honoured for 5 minutes.
CREATE TABLE idempotency (
    idem_key TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    run_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    completed_at INTEGER,
    result_json TEXT
);

CREATE INDEX idempotency_created ON idempotency (created_at);
