package dev.switchboard.core.store.internal;

import dev.switchboard.spi.InboundMessage;
import dev.switchboard.spi.OutboundMessage;
import dev.switchboard.testkit.postgres.TestPostgres;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/** Messages and URLs shared by the store tests. */
final class StoreFixtures {
    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private StoreFixtures() {}

    /** The tag of tests about SQLite's file, modes and pragmas: the PostgreSQL run leaves them out. */
    static final String SQLITE_ONLY = "sqlite-only";

    /** The tag of tests about a PostgreSQL server (restarts, pool): the SQLite run leaves them out. */
    static final String POSTGRESQL_ONLY = "postgresql-only";

    /** Which database the run tests: {@code sqlite} (the default) or {@code postgresql}. */
    static final String DATABASE = System.getProperty("switchboard.test.store", "sqlite");

    /** The store URL of a test's directory: its SQLite file, or its own database on the test server. */
    static String url(Path dir) {
        return onPostgresql()
                ? TestPostgres.get().url(dir)
                : "jdbc:sqlite:" + dir.resolve("state").resolve("switchboard.db");
    }

    static boolean onPostgresql() {
        return DATABASE.equals("postgresql");
    }

    static InboundMessage inbound(String account, String platformMessageId) {
        return inbound("telegram", account, "chat-1", platformMessageId);
    }

    static InboundMessage inbound(String channel, String account, String conversation, String platformMessageId) {
        return new InboundMessage(
                channel,
                account,
                conversation,
                Optional.empty(),
                "user-7",
                platformMessageId,
                "hello " + platformMessageId,
                T0);
    }

    static OutboundMessage reply(InboundMessage to, String text) {
        return new OutboundMessage(
                to.conversationId(),
                to.threadId(),
                Optional.of(to.platformMessageId()),
                text,
                "reply:" + to.channelId() + ":" + to.accountId() + ":" + to.platformMessageId());
    }

    static OutboundMessage send(String conversation, String text, String idempotencyKey) {
        return new OutboundMessage(conversation, Optional.empty(), Optional.empty(), text, idempotencyKey);
    }
}
