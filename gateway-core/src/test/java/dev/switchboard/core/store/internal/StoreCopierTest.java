package dev.switchboard.core.store.internal;

import static dev.switchboard.core.store.internal.StoreFixtures.T0;
import static dev.switchboard.core.store.internal.StoreFixtures.inbound;
import static dev.switchboard.core.store.internal.StoreFixtures.reply;
import static dev.switchboard.core.store.internal.StoreFixtures.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.store.StoreMigration;
import dev.switchboard.core.testing.ManualClock;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code store migrate}: an SQLite store copied into the store under test (PostgreSQL in that run). */
class StoreCopierTest extends StoreTestBase {
    @TempDir
    Path sourceDir;

    @Test
    void everythingTheReplyLoopReliesOnArrivesAndNewRowsContinueAfterIt() {
        String source = "jdbc:sqlite:" + sourceDir.resolve("switchboard.db");
        long answered;
        long unanswered;
        try (Store store = Store.open(source, new ManualClock(T0))) {
            answered = store.inbound()
                    .accept(inbound("bot_a", "1"), "telegram:bot_a:chat-1")
                    .id();
            store.outbox().enqueueReply(answered, reply(inbound("bot_a", "1"), "pending reply"));
            unanswered = store.inbound()
                    .accept(inbound("bot_a", "2"), "telegram:bot_a:chat-1")
                    .id();
            long session = store.sessions().current("telegram:bot_a:chat-1").id();
            store.sessions().appendTurn(session, Turn.Role.USER, "hello");
            store.sessions().appendTurn(session, Turn.Role.ASSISTANT, "hello back");
            store.cursors().put("telegram", "bot_a", "offset", "42");
            store.idempotency().claim("send:k1", "send", "run-1", T0);
        }

        var copied = StoreMigration.copy(location(source), location(url(dir)));

        assertThat(copied)
                .containsEntry("inbound", 2L)
                .containsEntry("outbox", 1L)
                .containsEntry("session_turn", 2L)
                .containsEntry("channel_cursor", 1L)
                .containsEntry("idempotency", 1L);
        try (Store store = Store.open(url(dir), new ManualClock(T0))) {
            // the dedup keys came along: a platform redelivering is still a duplicate
            assertThat(store.inbound().accept(inbound("bot_a", "1"), "telegram:bot_a:chat-1"))
                    .isEqualTo(AcceptResult.duplicate(answered));
            assertThat(store.inbound().unanswered(10))
                    .extracting(InboundRow::id)
                    .containsExactly(unanswered);
            assertThat(store.outbox().pending())
                    .extracting(row -> row.message().text())
                    .containsExactly("pending reply");
            long session = store.sessions().current("telegram:bot_a:chat-1").id();
            assertThat(store.sessions().history(session, 10))
                    .extracting(Turn::content)
                    .containsExactly("hello", "hello back");
            assertThat(store.cursors().get("telegram", "bot_a", "offset")).isEqualTo(Optional.of("42"));
            assertThat(store.idempotency().find("send:k1", T0)).isPresent();
            // ids continue after the copied ones
            long next = store.inbound()
                    .accept(inbound("bot_a", "3"), "telegram:bot_a:chat-1")
                    .id();
            assertThat(next).isGreaterThan(unanswered);
        }
    }

    @Test
    void aTargetThatHoldsRowsIsRefusedAndKeepsThem() {
        String source = "jdbc:sqlite:" + sourceDir.resolve("switchboard.db");
        try (Store store = Store.open(source, new ManualClock(T0))) {
            store.inbound().accept(inbound("bot_a", "1"), "telegram:bot_a:chat-1");
        }
        try (Store target = Store.open(url(dir), new ManualClock(T0))) {
            target.cursors().put("telegram", "bot_b", "offset", "7");
        }

        assertThatThrownBy(() -> StoreMigration.copy(location(source), location(url(dir))))
                .isInstanceOf(SwitchboardException.class)
                .hasMessageEndingWith(
                        " is not empty (1 rows in channel_cursor): store migrate copies into an empty database only");
        try (Store target = Store.open(url(dir), new ManualClock(T0))) {
            assertThat(target.inbound().unanswered(10)).isEqualTo(List.of());
            assertThat(target.cursors().get("telegram", "bot_b", "offset")).isEqualTo(Optional.of("7"));
        }
    }

    private static StoreMigration.Location location(String url) {
        return new StoreMigration.Location(url, Optional.empty(), Optional.empty());
    }
}
