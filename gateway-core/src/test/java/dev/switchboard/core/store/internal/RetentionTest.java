package dev.switchboard.core.store.internal;

import static dev.switchboard.core.store.internal.StoreFixtures.T0;
import static dev.switchboard.core.store.internal.StoreFixtures.inbound;
import static dev.switchboard.core.store.internal.StoreFixtures.reply;
import static dev.switchboard.core.store.internal.StoreFixtures.send;
import static dev.switchboard.core.store.internal.StoreFixtures.url;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.testing.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetentionTest extends StoreTestBase {

    @Test
    void thePurgeDeletesOnlyFinishedRowsAndAnsweredMessagesOlderThanSevenDaysAndExpiredKeys() {
        ManualClock clock = new ManualClock(T0);
        try (Store store = Store.open(url(dir), clock)) {
            // old: answered, its reply delivered at T0
            long oldInbound = store.inbound()
                    .accept(inbound("a", "1"), "telegram:a:chat-1")
                    .id();
            long oldDelivered = store.outbox().enqueueReply(oldInbound, reply(inbound("a", "1"), "old reply"));
            store.outbox().markDelivered(oldDelivered, T0);
            // old: a send that failed at T0
            long oldFailed = store.outbox().enqueue(send("chat-2", "failed", "k-failed"), "telegram", "a");
            store.outbox().markFailed(oldFailed, "403 blocked");
            // old: answered, but its reply is still retrying
            long retrying = store.inbound()
                    .accept(inbound("a", "2"), "telegram:a:chat-1")
                    .id();
            long pendingReply = store.outbox().enqueueReply(retrying, reply(inbound("a", "2"), "still trying"));
            // old: accepted and never answered
            long unanswered = store.inbound()
                    .accept(inbound("a", "3"), "telegram:a:chat-1")
                    .id();
            store.idempotency().claim("chat.send:old", "chat.send", "run-old", T0);
            store.idempotency().complete("chat.send:old", "run-old", "{\"status\":\"ok\"}");

            clock.advance(Duration.ofDays(6));
            long recentInbound = store.inbound()
                    .accept(inbound("a", "4"), "telegram:a:chat-1")
                    .id();
            long recentReply = store.outbox().enqueueReply(recentInbound, reply(inbound("a", "4"), "recent"));
            store.outbox().markDelivered(recentReply, clock.instant());

            clock.advance(Duration.ofDays(1).plusHours(1)); // T0 + 7 days 1 hour
            store.idempotency().claim("chat.send:fresh", "chat.send", "run-fresh", clock.instant());

            Retention.Purged purged = Retention.purge(store, clock.instant());

            assertThat(purged).isEqualTo(new Retention.Purged(2, 1, 1));
            assertThat(store.outbox().find(oldDelivered)).isEmpty();
            assertThat(store.outbox().find(oldFailed)).isEmpty();
            assertThat(store.inbound().find(oldInbound)).isEmpty();
            assertThat(store.outbox().find(pendingReply)).isPresent();
            assertThat(store.inbound().find(retrying)).isPresent();
            assertThat(store.inbound().find(unanswered)).isPresent();
            assertThat(store.inbound().find(recentInbound)).isPresent();
            assertThat(store.outbox().find(recentReply)).isPresent();
            assertThat(store.idempotency().findByRunId("run-old")).isEmpty();
            assertThat(store.idempotency().findByRunId("run-fresh")).isPresent();
            assertThat(store.inbound().unanswered(10))
                    .extracting(InboundRow::id)
                    .containsExactly(unanswered);
        }
    }

    @Test
    void aProactiveSendIsQueuedOncePerKeyForFiveMinutes() {
        ManualClock clock = new ManualClock(T0);
        try (Store store = Store.open(url(dir), clock)) {
            OutboxRepository.Queued first =
                    store.outbox().enqueueSend("send:k1", send("room", "hello", "send-1"), "notify", "ops");
            clock.advance(Duration.ofMinutes(4));
            OutboxRepository.Queued repeat =
                    store.outbox().enqueueSend("send:k1", send("room", "hello", "send-2"), "notify", "ops");
            assertThat(first.repeated()).isFalse();
            assertThat(repeat).isEqualTo(new OutboxRepository.Queued(first.id(), true));
            assertThat(store.outbox().pending()).hasSize(1);
            assertThat(store.outbox().find(first.id()).orElseThrow().inboundId())
                    .isEmpty();

            clock.advance(Duration.ofMinutes(2)); // the key expired: a new send
            OutboxRepository.Queued later =
                    store.outbox().enqueueSend("send:k1", send("room", "hello", "send-3"), "notify", "ops");
            assertThat(later.repeated()).isFalse();
            assertThat(later.id()).isNotEqualTo(first.id());
            assertThat(store.outbox().pending()).hasSize(2);
        }
    }
}
