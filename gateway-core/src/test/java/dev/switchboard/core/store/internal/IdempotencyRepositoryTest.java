package dev.switchboard.core.store.internal;

import static dev.switchboard.core.store.internal.StoreFixtures.T0;
import static dev.switchboard.core.store.internal.StoreFixtures.url;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class IdempotencyRepositoryTest extends StoreTestBase {

    @Test
    void ofTwoCallersClaimingOneKeyExactlyOneWins() throws Exception {
        try (Store store = Store.open(url(dir), new ManualClock(T0))) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            CyclicBarrier start = new CyclicBarrier(2);
            List<Future<Boolean>> results = new ArrayList<>();
            for (String runId : List.of("run-1", "run-2")) {
                Callable<Boolean> claim = () -> {
                    start.await();
                    return store.idempotency().claim("idem-1", "agent", runId, T0);
                };
                results.add(pool.submit(claim));
            }
            boolean first = results.get(0).get(10, TimeUnit.SECONDS);
            boolean second = results.get(1).get(10, TimeUnit.SECONDS);
            pool.shutdown();

            assertThat(first ^ second).as("exactly one claim wins").isTrue();
            IdempotencyRecord record = store.idempotency().find("idem-1", T0).orElseThrow();
            assertThat(record.runId()).isEqualTo(first ? "run-1" : "run-2");
            assertThat(record.kind()).isEqualTo("agent");
            assertThat(record.inFlight()).isTrue();
        }
    }

    @Test
    void aCompletedKeyReturnsItsResultUntilFiveMinutesHavePassed() {
        ManualClock clock = new ManualClock(T0.plusSeconds(12));
        try (Store store = Store.open(url(dir), clock)) {
            assertThat(store.idempotency().claim("k", "chat.send", "run-1", T0)).isTrue();
            assertThat(store.idempotency().complete("k", "run-1", "{\"status\":\"ok\"}"))
                    .isTrue();
            assertThat(store.idempotency().complete("unknown", "run-1", "{}")).isFalse();
            assertThat(store.idempotency().complete("k", "run-other", "{}")).isFalse();

            Instant almost = T0.plus(Duration.ofMinutes(5)).minusMillis(1);
            IdempotencyRecord record = store.idempotency().find("k", almost).orElseThrow();
            assertThat(record.resultJson()).contains("{\"status\":\"ok\"}");
            assertThat(record.completedAt()).contains(T0.plusSeconds(12));
            assertThat(record.inFlight()).isFalse();
            assertThat(store.idempotency().claim("k", "chat.send", "run-2", almost))
                    .isFalse();

            Instant expired = T0.plus(Duration.ofMinutes(5));
            assertThat(store.idempotency().find("k", expired)).isEmpty();
            // after expiry the key is free again, for a new run
            assertThat(store.idempotency().claim("k", "chat.send", "run-2", expired))
                    .isTrue();
            assertThat(store.idempotency().find("k", expired).orElseThrow().runId())
                    .isEqualTo("run-2");
            assertThat(store.idempotency().find("k", expired).orElseThrow().inFlight())
                    .isTrue();
        }
    }

    @Test
    void purgeDeletesOnlyExpiredKeys() {
        try (Store store = Store.open(url(dir), new ManualClock(T0))) {
            store.idempotency().claim("old", "send", "r1", T0);
            store.idempotency().claim("new", "send", "r2", T0.plus(Duration.ofMinutes(3)));
            store.idempotency().complete("old", "r1", "{}");
            store.idempotency().complete("new", "r2", "{}");

            assertThat(store.idempotency().purgeExpired(T0.plus(Duration.ofMinutes(6))))
                    .isEqualTo(1);
            assertThat(store.idempotency().find("new", T0.plus(Duration.ofMinutes(6))))
                    .isPresent();
            assertThat(store.idempotency().purgeExpired(T0.plus(Duration.ofMinutes(6))))
                    .isZero();
        }
    }

    @Test
    void aRunStillInFlightHoldsItsKeyPastFiveMinutesUntilItEndsOrTheNextStartAbandonsIt() {
        try (Store store = Store.open(url(dir), new ManualClock(T0))) {
            assertThat(store.idempotency().claim("slow", "agent", "run-1", T0)).isTrue();
            Instant later = T0.plus(Duration.ofMinutes(7));

            // a repeat after five minutes still finds the running run, never starts a second one
            assertThat(store.idempotency().claim("slow", "agent", "run-2", later))
                    .isFalse();
            assertThat(store.idempotency().find("slow", later).orElseThrow().runId())
                    .isEqualTo("run-1");
            assertThat(store.idempotency().purgeExpired(later)).isZero();

            assertThat(store.idempotency().abandonInFlight("{\"status\":\"error\"}"))
                    .isEqualTo(1);
            assertThat(store.idempotency().find("slow", later)).isEmpty(); // finished and older than five minutes
            assertThat(store.idempotency().claim("slow", "agent", "run-2", later))
                    .isTrue();
        }
    }
}
