package dev.switchboard.core.auth.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.testing.ManualClock;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AuthRateLimiterTest {
    private static final String CLIENT = "203.0.113.7";

    private final ManualClock clock = new ManualClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final AuthRateLimiter limiter = new AuthRateLimiter(clock);

    @Test
    void tenFailuresInAMinuteLockTheAddressOutForFiveMinutes() {
        for (int i = 0; i < 9; i++) {
            limiter.recordFailure(CLIENT);
            clock.advance(Duration.ofSeconds(5));
        }
        assertThat(limiter.lockedFor(CLIENT)).isEmpty();

        limiter.recordFailure(CLIENT);

        assertThat(limiter.lockedFor(CLIENT)).hasValue(Duration.ofMinutes(5));
        clock.advance(Duration.ofMinutes(2));
        assertThat(limiter.lockedFor(CLIENT)).hasValue(Duration.ofMinutes(3));
        assertThat(limiter.lockedFor("198.51.100.1")).isEmpty();
    }

    @Test
    void theLockoutExpires() {
        fail(CLIENT, 10);
        clock.advance(Duration.ofMinutes(5).minusMillis(1));
        assertThat(limiter.lockedFor(CLIENT)).hasValue(Duration.ofMillis(1));

        clock.advance(Duration.ofMillis(1));

        assertThat(limiter.lockedFor(CLIENT)).isEmpty();
        // and the count starts again from zero
        fail(CLIENT, 9);
        assertThat(limiter.lockedFor(CLIENT)).isEmpty();
    }

    @Test
    void failuresOlderThanAMinuteDoNotCount() {
        fail(CLIENT, 9);
        clock.advance(Duration.ofSeconds(61));

        fail(CLIENT, 9);
        assertThat(limiter.lockedFor(CLIENT)).isEmpty();

        // the window rolls: the 9 failures of 30 s ago still count when the 10th comes
        clock.advance(Duration.ofSeconds(30));
        fail(CLIENT, 1);
        assertThat(limiter.lockedFor(CLIENT)).hasValue(Duration.ofMinutes(5));
    }

    @Test
    void successClearsTheFailures() {
        fail(CLIENT, 9);

        limiter.recordSuccess(CLIENT);
        fail(CLIENT, 9);

        assertThat(limiter.lockedFor(CLIENT)).isEmpty();
        fail(CLIENT, 1);
        assertThat(limiter.lockedFor(CLIENT)).isPresent();
    }

    @Test
    void successDoesNotLiftALockout() {
        fail(CLIENT, 10);

        limiter.recordSuccess(CLIENT);

        assertThat(limiter.lockedFor(CLIENT)).hasValue(Duration.ofMinutes(5));
    }

    @Test
    void expiredEntriesAreDropped() {
        fail("a", 3);
        fail("b", 10);
        assertThat(limiter.trackedAddresses()).isEqualTo(2);

        clock.advance(Duration.ofSeconds(61));
        assertThat(limiter.trackedAddresses()).isEqualTo(1); // b is still locked out

        clock.advance(Duration.ofMinutes(5));
        assertThat(limiter.trackedAddresses()).isZero();
    }

    @Test
    void atMostMaxAddressesAreTrackedTheOldestGoFirst() {
        AuthRateLimiter small = new AuthRateLimiter(clock, 3, Duration.ofMinutes(1), Duration.ofMinutes(5), 100);
        for (int i = 0; i < 250; i++) {
            small.recordFailure("10.0.0." + i);
            small.recordFailure("10.0.0." + i);
            small.recordFailure("10.0.0." + i); // locked out
        }

        assertThat(small.trackedAddresses()).isEqualTo(100);
        assertThat(small.lockedFor("10.0.0.249")).isPresent();
        assertThat(small.lockedFor("10.0.0.150")).isPresent();
        assertThat(small.lockedFor("10.0.0.149")).isEmpty(); // evicted
        assertThat(small.lockedFor("10.0.0.0")).isEmpty();
    }

    @Test
    void theDefaultCapIsTenThousandAddresses() {
        for (int i = 0; i < 10_050; i++) {
            limiter.recordFailure("addr-" + i);
        }

        assertThat(limiter.trackedAddresses()).isEqualTo(AuthRateLimiter.DEFAULT_MAX_ADDRESSES);
    }

    @Test
    void concurrentFailuresAreAllCounted() throws Exception {
        AuthRateLimiter many = new AuthRateLimiter(clock, 400, Duration.ofMinutes(1), Duration.ofMinutes(5), 10);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        try {
            for (int t = 0; t < 4; t++) {
                pool.execute(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    for (int i = 0; i < 99; i++) {
                        many.recordFailure(CLIENT);
                    }
                });
            }
            start.countDown();
        } finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(many.lockedFor(CLIENT)).isEmpty(); // 396 of 400

        many.recordFailure(CLIENT);
        many.recordFailure(CLIENT);
        many.recordFailure(CLIENT);
        assertThat(many.lockedFor(CLIENT)).isEmpty();
        many.recordFailure(CLIENT);
        assertThat(many.lockedFor(CLIENT)).isPresent();
    }

    @Test
    void attemptsInFlightCountAgainstTheLimit() {
        fail(CLIENT, 8);

        assertThat(limiter.begin(CLIENT)).isEmpty(); // the 9th try
        assertThat(limiter.begin(CLIENT)).isEmpty(); // the 10th
        assertThat(limiter.begin(CLIENT)).as("an 11th while two are in flight").hasValue(AuthRateLimiter.BUSY_RETRY);

        assertThat(limiter.recordFailure(CLIENT)).isEmpty();
        assertThat(limiter.recordFailure(CLIENT))
                .as("the 10th failure starts the lockout")
                .hasValue(Duration.ofMinutes(5));
        assertThat(limiter.begin(CLIENT)).hasValue(Duration.ofMinutes(5));
    }

    @Test
    void aSuccessfulAttemptClearsTheFailuresAndFreesItsPlace() {
        fail(CLIENT, 9);
        assertThat(limiter.begin(CLIENT)).isEmpty();
        assertThat(limiter.begin(CLIENT)).hasValue(AuthRateLimiter.BUSY_RETRY);

        limiter.recordSuccess(CLIENT);

        for (int i = 0; i < 10; i++) {
            assertThat(limiter.begin(CLIENT)).as("attempt %d", i + 1).isEmpty();
        }
        assertThat(limiter.begin(CLIENT)).hasValue(AuthRateLimiter.BUSY_RETRY);
    }

    @Test
    void aConcurrentBurstGetsExactlyTheLimitsTriesThenTheLockout() throws Exception {
        AtomicInteger tries = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        try {
            for (int t = 0; t < 8; t++) {
                pool.execute(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    for (int i = 0; i < 50; i++) {
                        if (limiter.begin(CLIENT).isEmpty()) {
                            tries.incrementAndGet();
                            limiter.recordFailure(CLIENT);
                        }
                    }
                });
            }
            start.countDown();
        } finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(tries).hasValue(AuthRateLimiter.DEFAULT_MAX_FAILURES);
        assertThat(limiter.lockedFor(CLIENT)).hasValue(Duration.ofMinutes(5));
    }

    @Test
    void loopbackWithoutABrowserOriginIsExempt() throws Exception {
        InetAddress v4 = InetAddress.getByName("127.0.0.1");
        InetAddress v6 = InetAddress.getByName("::1");
        InetAddress remote = InetAddress.getByName("192.0.2.10");

        assertThat(AuthRateLimiter.exempt(v4, Optional.empty())).isTrue();
        assertThat(AuthRateLimiter.exempt(v6, Optional.empty())).isTrue();
        assertThat(AuthRateLimiter.exempt(InetAddress.getByName("127.0.0.2"), Optional.empty()))
                .isTrue();
        assertThat(AuthRateLimiter.exempt(v4, Optional.of("http://127.0.0.1:18789")))
                .isFalse();
        assertThat(AuthRateLimiter.exempt(v4, Optional.of("null"))).isFalse();
        assertThat(AuthRateLimiter.exempt(remote, Optional.empty())).isFalse();
    }

    private void fail(String address, int times) {
        for (int i = 0; i < times; i++) {
            limiter.recordFailure(address);
        }
    }
}
