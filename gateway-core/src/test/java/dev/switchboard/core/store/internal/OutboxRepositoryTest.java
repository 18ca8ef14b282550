package dev.switchboard.core.store.internal;

import static dev.switchboard.core.store.internal.StoreFixtures.T0;
import static dev.switchboard.core.store.internal.StoreFixtures.inbound;
import static dev.switchboard.core.store.internal.StoreFixtures.reply;
import static dev.switchboard.core.store.internal.StoreFixtures.send;
import static dev.switchboard.core.store.internal.StoreFixtures.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.testing.ManualClock;
import dev.switchboard.spi.InboundMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OutboxRepositoryTest extends StoreTestBase {

    @Test
    void aSecondReplyToTheSameInboundMessageReturnsTheFirstRow() {
        try (Store store = Store.open(url(dir), new ManualClock(T0))) {
            InboundMessage message = inbound("bot_a", "1");
            long inboundId =
                    store.inbound().accept(message, "telegram:bot_a:chat-1").id();

            long first = store.outbox().enqueueReply(inboundId, reply(message, "first answer"));
            long second = store.outbox().enqueueReply(inboundId, reply(message, "second answer"));

            assertThat(second).isEqualTo(first);
            assertThat(store.outbox().pending()).singleElement().satisfies(row -> {
                assertThat(row.message().text()).isEqualTo("first answer");
                assertThat(row.channel()).isEqualTo("telegram");
                assertThat(row.account()).isEqualTo("bot_a");
                assertThat(row.message().replyToPlatformMessageId()).contains("1");
            });
        }
    }

    @Test
    void aReplyToAnUnknownInboundMessageIsRefusedAndWritesNothing() {
        try (Store store = Store.open(url(dir), new ManualClock(T0))) {
            assertThatThrownBy(() -> store.outbox().enqueueReply(99, reply(inbound("bot_a", "1"), "x")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("no inbound message with id 99");
            assertThat(store.outbox().pending()).isEmpty();
        }
    }

    @Test
    void aProactiveSendIsUniqueOnItsIdempotencyKeyWithinTheAccount() {
        try (Store store = Store.open(url(dir), new ManualClock(T0))) {
            long first = store.outbox().enqueue(send("chat-1", "hi", "key-1"), "telegram", "bot_a");
            long again = store.outbox().enqueue(send("chat-1", "hi again", "key-1"), "telegram", "bot_a");
            long otherAccount = store.outbox().enqueue(send("chat-1", "hi", "key-1"), "telegram", "bot_b");

            assertThat(again).isEqualTo(first);
            assertThat(otherAccount).isNotEqualTo(first);
            OutboxRow row = store.outbox().find(first).orElseThrow();
            assertThat(row.inboundId()).isEmpty();
            assertThat(row.message().text()).isEqualTo("hi");
            assertThat(row.conversation()).isEqualTo("telegram:bot_a:chat-1");
            assertThat(store.outbox().pending()).hasSize(2);
        }
    }

    @Test
    void rowsMoveFromPendingThroughRetriesToDeliveredOrFailed() {
        ManualClock clock = new ManualClock(T0);
        try (Store store = Store.open(url(dir), clock)) {
            long a = store.outbox().enqueue(send("chat-1", "a", "ka"), "telegram", "bot_a");
            long b = store.outbox().enqueue(send("chat-2", "b", "kb"), "telegram", "bot_a");
            long c = store.outbox().enqueue(send("chat-1", "c", "kc"), "telegram", "bot_a");

            // oldest first, and the limit applies
            assertThat(store.outbox().due(T0, 10)).extracting(OutboxRow::id).containsExactly(a, b, c);
            assertThat(store.outbox().due(T0, 2)).extracting(OutboxRow::id).containsExactly(a, b);

            // a 429 on a: it waits, b and c stay due
            Instant later = T0.plusSeconds(30);
            assertThat(store.outbox().markRetry(a, later, "429 retry_after=30")).isTrue();
            assertThat(store.outbox().due(T0.plusSeconds(29), 10))
                    .extracting(OutboxRow::id)
                    .containsExactly(b, c);
            assertThat(store.outbox().due(later, 10)).extracting(OutboxRow::id).containsExactly(a, b, c);
            OutboxRow retried = store.outbox().find(a).orElseThrow();
            assertThat(retried.attempts()).isEqualTo(1);
            assertThat(retried.nextAttemptAt()).isEqualTo(later);
            assertThat(retried.lastError()).contains("429 retry_after=30");
            store.outbox().markRetry(a, later.plusSeconds(1), "503");
            assertThat(store.outbox().find(a).orElseThrow().attempts()).isEqualTo(2);

            // b delivered, c blocked for good
            assertThat(store.outbox().markDelivered(b, T0.plusSeconds(1))).isTrue();
            assertThat(store.outbox().markFailed(c, "403 bot was blocked by the user"))
                    .isTrue();
            assertThat(store.outbox().due(later.plusSeconds(60), 10))
                    .extracting(OutboxRow::id)
                    .containsExactly(a);
            assertThat(store.outbox().pending()).extracting(OutboxRow::id).containsExactly(a);

            OutboxRow delivered = store.outbox().find(b).orElseThrow();
            assertThat(delivered.status()).isEqualTo(OutboxRow.Status.DELIVERED);
            assertThat(delivered.finishedAt()).contains(T0.plusSeconds(1));
            OutboxRow failed = store.outbox().find(c).orElseThrow();
            assertThat(failed.status()).isEqualTo(OutboxRow.Status.FAILED);
            assertThat(failed.lastError()).contains("403 bot was blocked by the user");

            // finished rows do not move again
            assertThat(store.outbox().markRetry(b, later, "late")).isFalse();
            assertThat(store.outbox().markDelivered(c, later)).isFalse();
            assertThat(store.outbox().markFailed(b, "late")).isFalse();
            assertThat(store.outbox().markDelivered(999, later)).isFalse();
            assertThat(store.outbox().find(b).orElseThrow().status()).isEqualTo(OutboxRow.Status.DELIVERED);
        }
    }

    @Test
    void pendingRowsSurviveAReopenWithTheirSchedule() {
        String url = url(dir);
        ManualClock clock = new ManualClock(T0);
        long id;
        try (Store store = Store.open(url, clock)) {
            id = store.outbox()
                    .enqueue(
                            new dev.switchboard.spi.OutboundMessage(
                                    "chat-1", Optional.of("topic-3"), Optional.empty(), "hello", "k1"),
                            "telegram",
                            "bot_a");
            store.outbox().markRetry(id, T0.plus(Duration.ofMinutes(1)), "timeout");
        }
        try (Store store = Store.open(url, clock)) {
            assertThat(store.outbox().pending()).singleElement().satisfies(row -> {
                assertThat(row.id()).isEqualTo(id);
                assertThat(row.attempts()).isEqualTo(1);
                assertThat(row.nextAttemptAt()).isEqualTo(T0.plus(Duration.ofMinutes(1)));
                assertThat(row.message().threadId()).contains("topic-3");
                assertThat(row.conversation()).isEqualTo("telegram:bot_a:chat-1:topic-3");
            });
            assertThat(store.outbox().due(T0, 10)).isEmpty();
        }
    }
}
