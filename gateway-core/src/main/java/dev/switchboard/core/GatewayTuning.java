package dev.switchboard.core;

import static java.util.Objects.requireNonNull;

import dev.switchboard.spi.Backoff;
import java.time.Duration;

/**
 * Timings an embedder or a test may tune; the defaults are what SPEC §4, §6 and §7 ask for, and what
 * a production gateway runs with. Operators tune the gateway through its config instead.
 *
 * @param heartbeat how often {@code owner.json} records that the owner is alive
 * @param channelRestart how failed channel accounts back off before their next start
 * @param channelStableAfter how long an account must stay connected before its restart backoff
 *     starts over (an adapter that connects and dies at once keeps backing off)
 * @param outboxRetry how failed outbox sends back off
 * @param typingDelay how long a turn runs before the typing indicator shows
 * @param typingInterval how often the typing indicator is renewed while a turn runs
 * @param turnGrace how long a stop lets running turns finish; unfinished ones are answered after
 *     the next start
 */
public record GatewayTuning(
        Duration heartbeat,
        Backoff channelRestart,
        Duration channelStableAfter,
        Backoff outboxRetry,
        Duration typingDelay,
        Duration typingInterval,
        Duration turnGrace) {
    public static final GatewayTuning DEFAULTS = new GatewayTuning(
            Duration.ofSeconds(5),
            Backoff.CHANNEL_RESTART,
            Duration.ofSeconds(60),
            new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5)),
            Duration.ofMillis(500),
            Duration.ofSeconds(4),
            Duration.ofSeconds(10));

    public GatewayTuning {
        positive(heartbeat, "heartbeat");
        requireNonNull(channelRestart, "channelRestart is null");
        positive(channelStableAfter, "channelStableAfter");
        requireNonNull(outboxRetry, "outboxRetry is null");
        requireNonNull(typingDelay, "typingDelay is null");
        if (typingDelay.isNegative()) {
            throw new IllegalArgumentException("typingDelay: " + typingDelay + " (expected: zero or positive)");
        }
        positive(typingInterval, "typingInterval");
        requireNonNull(turnGrace, "turnGrace is null");
        if (turnGrace.isNegative()) {
            throw new IllegalArgumentException("turnGrace: " + turnGrace + " (expected: zero or positive)");
        }
    }

    private static void positive(Duration value, String name) {
        requireNonNull(value, name + " is null");
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: a positive duration)");
        }
    }

    public GatewayTuning withHeartbeat(Duration heartbeat) {
        return new GatewayTuning(
                heartbeat, channelRestart, channelStableAfter, outboxRetry, typingDelay, typingInterval, turnGrace);
    }

    public GatewayTuning withChannelRestart(Backoff channelRestart) {
        return new GatewayTuning(
                heartbeat, channelRestart, channelStableAfter, outboxRetry, typingDelay, typingInterval, turnGrace);
    }

    public GatewayTuning withChannelStableAfter(Duration channelStableAfter) {
        return new GatewayTuning(
                heartbeat, channelRestart, channelStableAfter, outboxRetry, typingDelay, typingInterval, turnGrace);
    }

    public GatewayTuning withOutboxRetry(Backoff outboxRetry) {
        return new GatewayTuning(
                heartbeat, channelRestart, channelStableAfter, outboxRetry, typingDelay, typingInterval, turnGrace);
    }

    public GatewayTuning withTypingDelay(Duration typingDelay) {
        return new GatewayTuning(
                heartbeat, channelRestart, channelStableAfter, outboxRetry, typingDelay, typingInterval, turnGrace);
    }

    public GatewayTuning withTypingInterval(Duration typingInterval) {
        return new GatewayTuning(
                heartbeat, channelRestart, channelStableAfter, outboxRetry, typingDelay, typingInterval, turnGrace);
    }

    public GatewayTuning withTurnGrace(Duration turnGrace) {
        return new GatewayTuning(
                heartbeat, channelRestart, channelStableAfter, outboxRetry, typingDelay, typingInterval, turnGrace);
    }
}
