package dev.switchboard.core.auth.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.switchboard.core.auth.GatewayAuth;
import dev.switchboard.core.auth.internal.ConnectGuard.Outcome;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.internal.ServerCounters;
import dev.switchboard.core.secrets.SecretResolver;
import dev.switchboard.core.secrets.SecretSnapshot;
import dev.switchboard.core.testing.LogCapture;
import dev.switchboard.core.testing.ManualClock;
import dev.switchboard.spi.Secret;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GatewayConnectGuardTest {
    private static final String TOKEN = "right-token-s3cr3t";
    private static final InetSocketAddress REMOTE = remote(new byte[] {(byte) 203, 0, 113, 7});
    private static final InetSocketAddress LOOPBACK = remote(new byte[] {127, 0, 0, 1});

    private final ManualClock clock = new ManualClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final ServerCounters counters = new ServerCounters();
    private final AuthAudit audit = new AuthAudit(counters, clock);
    private final GatewayAuth auth = auth();
    private final LogCapture log = LogCapture.attach(AuthAudit.class);

    @AfterEach
    void detach() {
        log.close();
    }

    @Test
    void aConcurrentBurstOfBadConnectsFromOneAddressGetsNoMoreChecksThanTheLimit() throws Exception {
        int burst = 20;
        // every attempt of the burst is either refused or held in its credential check until all
        // have got that far: each one's lockout check happens before any failure is recorded
        CountDownLatch allThere = new CountDownLatch(burst);
        AtomicInteger checks = new AtomicInteger();
        ThreadLocal<Boolean> checked = new ThreadLocal<>();
        GatewayConnectGuard guard = guard(() -> {
            checked.set(true);
            checks.incrementAndGet();
            allThere.countDown();
            awaitQuietly(allThere);
            return auth;
        });
        ExecutorService pool = Executors.newFixedThreadPool(burst);
        List<Future<Outcome>> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < burst; i++) {
                String wrong = "wrong-" + i;
                outcomes.add(pool.submit(() -> {
                    checked.set(false);
                    Outcome outcome =
                            guard.authenticate(REMOTE, Optional.empty(), Optional.of(wrong), Optional.empty());
                    if (!checked.get()) {
                        allThere.countDown();
                    }
                    return outcome;
                }));
            }
        } finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(checks).as("credential checks").hasValue(10);
        List<Outcome> done = new ArrayList<>();
        for (Future<Outcome> outcome : outcomes) {
            done.add(outcome.get());
        }
        assertThat(done)
                .filteredOn(o -> o.failureCode().equals("AUTH_TOKEN_MISMATCH"))
                .hasSize(10);
        assertThat(done).filteredOn(o -> o.lockedFor().isPresent()).hasSize(10);
        assertThat(counters.authFailures()).isEqualTo(10);
        assertThat(counters.lockouts()).isEqualTo(1);
        assertThat(guard.authenticate(REMOTE, Optional.empty(), Optional.of(TOKEN), Optional.empty())
                        .lockedFor())
                .as("even the right token while locked out")
                .hasValue(Duration.ofMinutes(5));
    }

    @Test
    void failuresAreLoggedOncePerAddressAndMinuteWithTheirCodeLockoutsAlwaysCredentialsNever() {
        GatewayConnectGuard guard = guard(() -> auth);
        for (int i = 0; i < 25; i++) {
            guard.authenticate(REMOTE, Optional.empty(), Optional.of("wrong-" + TOKEN + i), Optional.empty());
            guard.authenticate(LOOPBACK, Optional.empty(), Optional.empty(), Optional.of("pw-" + TOKEN));
        }

        assertThat(log.lines(Level.WARN))
                .containsExactly(
                        "WARN failed authentication from 203.0.113.7: AUTH_TOKEN_MISMATCH",
                        "WARN failed authentication from 127.0.0.1: AUTH_TOKEN_MISSING",
                        "WARN locking out 203.0.113.7 for 300 s after too many failed authentications; its connects"
                                + " are refused (RATE_LIMITED) without checking credentials");

        clock.advance(Duration.ofMinutes(1));
        audit.flush();

        assertThat(log.lines(Level.WARN))
                .hasSize(5)
                .endsWith(
                        "WARN 24 more failed or refused connects from 203.0.113.7 in the last 60 s",
                        "WARN 24 more failed or refused connects from 127.0.0.1 in the last 60 s");
        assertThat(log.lines()).noneMatch(line -> line.contains(TOKEN));
        assertThat(counters.authFailures())
                .as("10 remote (then locked out) + 25 loopback")
                .isEqualTo(35);
        assertThat(counters.lockouts()).isEqualTo(1);
    }

    @Test
    void aSuccessIsNeitherLoggedNorCounted() {
        GatewayConnectGuard guard = guard(() -> auth);

        assertThat(guard.authenticate(REMOTE, Optional.empty(), Optional.of(TOKEN), Optional.empty())
                        .ok())
                .isTrue();

        assertThat(log.lines()).isEmpty();
        assertThat(counters.authFailures()).isZero();
    }

    private GatewayConnectGuard guard(Supplier<GatewayAuth> current) {
        return new GatewayConnectGuard(
                current,
                new AuthRateLimiter(clock),
                () -> new OriginPolicy(List.of()),
                Secret.of("control-token"),
                audit);
    }

    private static GatewayAuth auth() {
        GatewayConfig config = new ConfigLoader(ChannelRegistry.of())
                .parse("gateway.auth.token = \"" + TOKEN + "\"", "switchboard.conf");
        return GatewayAuth.resolve(
                config.gateway().auth(),
                SecretSnapshot.resolve(config, new SecretResolver(Map.of(), SecretResolver.DEFAULT_EXEC_TIMEOUT)),
                Map.of(),
                Optional.empty(),
                GatewayAuth::mintToken);
    }

    private static InetSocketAddress remote(byte[] address) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(address), 40_000);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
