package dev.switchboard.core.routing.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.spi.InboundMessage;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's typing indicator while a platform message's turn runs: shown once the turn has run
 * for {@code delay} (a reply ready sooner makes it pointless, and each one is an API call), renewed
 * every {@code interval} on the shared scheduler, never on the turn's lane; best effort.
 */
final class TypingIndicator {
    private static final Logger log = LoggerFactory.getLogger(TypingIndicator.class);

    /** Shows a platform's typing indicator in a conversation (through the account's running adapter). */
    @FunctionalInterface
    interface Target {
        void typing(String channelId, String accountId, String conversationId, Optional<String> threadId);
    }

    private final Target target;
    private final ScheduledExecutorService scheduler;
    private final Duration delay;
    private final Duration interval;

    TypingIndicator(Target target, ScheduledExecutorService scheduler, Duration delay, Duration interval) {
        this.target = requireNonNull(target, "target is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.delay = requireNonNull(delay, "delay is null");
        this.interval = requireNonNull(interval, "interval is null");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay: " + delay + " (expected: zero or positive)");
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval: " + interval + " (expected: a positive duration)");
        }
    }

    /** Starts showing the indicator for {@code message}'s turn; cancel the handle when the turn ends. */
    Optional<ScheduledFuture<?>> begin(InboundMessage message) {
        Runnable show = () -> {
            try {
                target.typing(message.channelId(), message.accountId(), message.conversationId(), message.threadId());
            } catch (RuntimeException e) {
                log.debug("typing indicator failed: {}", e.toString());
            }
        };
        try {
            return Optional.of(
                    scheduler.scheduleAtFixedRate(show, delay.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS));
        } catch (RejectedExecutionException e) {
            return Optional.empty(); // stopping
        }
    }
}
