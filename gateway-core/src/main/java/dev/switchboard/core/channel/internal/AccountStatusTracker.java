package dev.switchboard.core.channel.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.channel.AccountState;
import dev.switchboard.core.channel.AccountStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The live state and counters of one account. State changes are published to a listener (the
 * gateway turns them into {@code channel} events and owner.json updates); counters are not, they
 * are read on demand.
 */
final class AccountStatusTracker {
    private final String channelId;
    private final String accountId;
    private final Clock clock;
    private final Consumer<AccountStatus> listener;

    private final AtomicLong inbound = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong outbound = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong restarts = new AtomicLong();
    private volatile @Nullable Instant lastInboundAt;
    private volatile @Nullable Instant lastOutboundAt;

    private AccountState state = AccountState.STOPPED;
    private @Nullable String lastError;
    private Instant since;
    /** While the account waits as its platform asked: when the wait began and when it ends. */
    private @Nullable Instant waitingFrom;

    private @Nullable Instant resumesAt;

    AccountStatusTracker(String channelId, String accountId, Clock clock, Consumer<AccountStatus> listener) {
        this.channelId = requireNonNull(channelId, "channelId is null");
        this.accountId = requireNonNull(accountId, "accountId is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.listener = requireNonNull(listener, "listener is null");
        this.since = clock.instant();
    }

    /**
     * Moves to {@code next}; {@code error} replaces lastError when given (it is kept otherwise). Ends a
     * wait: the account is doing something else now.
     */
    void transition(AccountState next, @Nullable String error) {
        move(next, error, null);
    }

    /**
     * The account waits {@code wait} before it receives again, as its platform asked: {@code
     * reconnecting} with {@code reason} and the instant it resumes, until the next transition.
     */
    void waiting(String reason, Duration wait) {
        move(AccountState.RECONNECTING, reason, wait);
    }

    private void move(AccountState next, @Nullable String error, @Nullable Duration wait) {
        AccountStatus snapshot;
        synchronized (this) {
            Instant now = clock.instant();
            Instant resumes = wait == null ? null : now.plus(wait);
            boolean changed =
                    next != state || (error != null && !error.equals(lastError)) || !Objects.equals(resumes, resumesAt);
            if (!changed) {
                return;
            }
            if (next != state) {
                since = now;
            }
            state = next;
            if (error != null) {
                lastError = error;
            }
            waitingFrom = resumes == null ? null : now;
            resumesAt = resumes;
            snapshot = snapshot();
        }
        listener.accept(snapshot);
    }

    synchronized AccountState state() {
        return state;
    }

    void inbound() {
        inbound.incrementAndGet();
        lastInboundAt = clock.instant();
    }

    void dropped() {
        dropped.incrementAndGet();
    }

    void outbound() {
        outbound.incrementAndGet();
        lastOutboundAt = clock.instant();
    }

    void failedMessage() {
        failed.incrementAndGet();
    }

    void restarted() {
        restarts.incrementAndGet();
    }

    synchronized AccountStatus snapshot() {
        Instant now = clock.instant();
        Instant from = waitingFrom;
        Instant until = resumesAt;
        boolean stalled = from != null
                && until != null
                && until.isAfter(now)
                && Duration.between(from, until).compareTo(AccountStatus.STALL_AFTER) > 0;
        return new AccountStatus(
                channelId,
                accountId,
                state,
                Optional.ofNullable(lastError),
                since,
                Optional.ofNullable(lastInboundAt),
                Optional.ofNullable(lastOutboundAt),
                restarts.get(),
                inbound.get(),
                dropped.get(),
                outbound.get(),
                failed.get(),
                Optional.ofNullable(until),
                stalled);
    }
}
