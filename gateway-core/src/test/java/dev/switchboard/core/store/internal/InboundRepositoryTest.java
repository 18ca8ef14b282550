package dev.switchboard.core.store.internal;

import static dev.switchboard.core.store.internal.StoreFixtures.T0;
import static dev.switchboard.core.store.internal.StoreFixtures.inbound;
import static dev.switchboard.core.store.internal.StoreFixtures.reply;
import static dev.switchboard.core.store.internal.StoreFixtures.url;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.testing.ManualClock;
import dev.switchboard.spi.InboundMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InboundRepositoryTest extends StoreTestBase {

    @Test
    void theSameKeyTwiceIsADuplicateOfTheFirstRowAndAnotherAccountIsNot() {
        try (Store store = Store.open(url(dir), new ManualClock(T0))) {
            AcceptResult first = store.inbound().accept(inbound("bot_a", "42"), "telegram:bot_a:chat-1");
            AcceptResult again = store.inbound().accept(inbound("bot_a", "42"), "telegram:bot_a:chat-1");
            AcceptResult otherAccount = store.inbound().accept(inbound("bot_b", "42"), "telegram:bot_b:chat-1");
            AcceptResult otherChannel =
                    store.inbound().accept(inbound("feishu", "bot_a", "chat-1", "42"), "feishu:bot_a:chat-1");

            assertThat(first).isEqualTo(AcceptResult.accepted(first.id()));
            assertThat(again).isEqualTo(AcceptResult.duplicate(first.id()));
            assertThat(otherAccount.status()).isEqualTo(AcceptResult.Status.ACCEPTED);
            assertThat(otherChannel.status()).isEqualTo(AcceptResult.Status.ACCEPTED);
            assertThat(List.of(first.id(), otherAccount.id(), otherChannel.id()))
                    .doesNotHaveDuplicates();
            assertThat(store.inbound().counts())
                    .containsExactly(
                            new InboundCount("feishu", "bot_a", 1, 1),
                            new InboundCount("telegram", "bot_a", 1, 1),
                            new InboundCount("telegram", "bot_b", 1, 1));
        }
    }

    @Test
    void anAcceptedRowKeepsTheWholeMessage() {
        ManualClock clock = new ManualClock(T0.plusSeconds(5));
        try (Store store = Store.open(url(dir), clock)) {
            InboundMessage message = new InboundMessage(
                    "telegram",
                    "bot_a",
                    "-100123",
                    java.util.Optional.of("77"),
                    "user-9",
                    "555",
                    "line one\nline two ✓",
                    T0);
            long id =
                    store.inbound().accept(message, "telegram:bot_a:-100123:77").id();

            InboundRow row = store.inbound().find(id).orElseThrow();
            assertThat(row.message()).isEqualTo(message);
            assertThat(row.sessionKey()).isEqualTo("telegram:bot_a:-100123:77");
            assertThat(row.acceptedAt()).isEqualTo(T0.plusSeconds(5));
            assertThat(row.answered()).isFalse();
            assertThat(store.inbound().find(id + 1)).isEmpty();
        }
    }

    @Test
    void concurrentAcceptsStoreEachDistinctMessageExactlyOnce() throws Exception {
        int threads = 8;
        int perThread = 500;
        // every fifth message of each thread is one of 100 ids that all 8 threads send: 20% duplicates
        Map<String, Long> acceptedIds = new ConcurrentHashMap<>();
        AtomicInteger duplicates = new AtomicInteger();
        List<String> wrongDuplicates = java.util.Collections.synchronizedList(new ArrayList<>());
        try (Store store = Store.open(url(dir), new ManualClock(T0))) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        String id = i % 5 == 0 ? "shared-" + (i / 5) : "t" + thread + "-" + i;
                        AcceptResult result = store.inbound().accept(inbound("bot_a", id), "telegram:bot_a:chat-1");
                        if (result.isDuplicate()) {
                            duplicates.incrementAndGet();
                            wrongDuplicates.add(id + "=" + result.id());
                        } else if (acceptedIds.putIfAbsent(id, result.id()) != null) {
                            throw new AssertionError("accepted twice: " + id);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();

            int distinct = threads * (perThread - perThread / 5) + perThread / 5;
            assertThat(acceptedIds).hasSize(distinct);
            assertThat(duplicates).hasValue(threads * perThread - distinct);
            // each duplicate named the row that holds its key
            wrongDuplicates.removeIf(entry -> {
                String[] parts = entry.split("=", -1);
                return acceptedIds.get(parts[0]).equals(Long.valueOf(parts[1]));
            });
            assertThat(wrongDuplicates).isEmpty();
            assertThat(store.inbound().counts())
                    .containsExactly(new InboundCount("telegram", "bot_a", distinct, distinct));
        }
    }

    @Test
    void anAcceptedMessageStaysUnansweredAcrossACrashUntilItsReplyIsEnqueued() {
        String url = url(dir);
        ManualClock clock = new ManualClock(T0);
        InboundMessage first = inbound("bot_a", "1");
        InboundMessage second = inbound("bot_a", "2");
        long firstId;
        long secondId;
        // accepted, then the process dies before answering: the store is simply not used again
        Store crashed = Store.open(url, clock);
        firstId = crashed.inbound().accept(first, "telegram:bot_a:chat-1").id();
        secondId = crashed.inbound().accept(second, "telegram:bot_a:chat-1").id();
        crashed.close();

        try (Store store = Store.open(url, clock)) {
            assertThat(store.inbound().unanswered(10))
                    .extracting(InboundRow::id)
                    .containsExactly(firstId, secondId);
            assertThat(store.inbound().unanswered(1)).extracting(InboundRow::id).containsExactly(firstId);
            clock.advance(Duration.ofSeconds(3));
            store.outbox().enqueueReply(firstId, reply(first, "answer"));
        }

        try (Store store = Store.open(url, clock)) {
            assertThat(store.inbound().unanswered(10))
                    .extracting(InboundRow::id)
                    .containsExactly(secondId);
            assertThat(store.inbound().find(firstId).orElseThrow().answeredAt()).contains(T0.plusSeconds(3));
            assertThat(store.outbox().pending()).singleElement().satisfies(row -> {
                assertThat(row.inboundId()).hasValue(firstId);
                assertThat(row.status()).isEqualTo(OutboxRow.Status.PENDING);
                assertThat(row.message().text()).isEqualTo("answer");
            });
            assertThat(store.inbound().counts()).containsExactly(new InboundCount("telegram", "bot_a", 2, 1));
        }
    }
}
