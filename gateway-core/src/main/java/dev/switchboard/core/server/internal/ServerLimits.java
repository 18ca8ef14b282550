package dev.switchboard.core.server.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.protocol.Protocol;
import java.time.Duration;

/**
 * The protocol limits of one server (SPEC §5.3, §5.4).
 *
 * @param maxPayloadBytes largest frame after the handshake
 * @param maxBufferedBytes unsent bytes at which a socket is closed as a slow consumer
 * @param tickInterval how often {@code tick} is sent
 * @param handshakeTimeout how long a socket may take to send {@code connect}
 * @param slowConsumerTimeout how long a socket may make no read progress (unsent bytes none of which
 *     were written, or a ping not answered) before it is closed as a slow consumer
 */
public record ServerLimits(
        long maxPayloadBytes,
        long maxBufferedBytes,
        Duration tickInterval,
        Duration handshakeTimeout,
        Duration slowConsumerTimeout) {
    /** The default of {@link #slowConsumerTimeout} ({@code gateway.slow_consumer_timeout_ms}). */
    public static final Duration DEFAULT_SLOW_CONSUMER_TIMEOUT = Duration.ofSeconds(30);

    public static final ServerLimits DEFAULTS = new ServerLimits(
            Protocol.DEFAULT_MAX_PAYLOAD_BYTES,
            Protocol.DEFAULT_MAX_BUFFERED_BYTES,
            Duration.ofMillis(Protocol.DEFAULT_TICK_INTERVAL_MS),
            Duration.ofMillis(Protocol.HANDSHAKE_TIMEOUT_MS),
            DEFAULT_SLOW_CONSUMER_TIMEOUT);

    public ServerLimits {
        requirePositive(tickInterval, "tickInterval");
        requirePositive(handshakeTimeout, "handshakeTimeout");
        requirePositive(slowConsumerTimeout, "slowConsumerTimeout");
        if (maxPayloadBytes < 1 || maxBufferedBytes < 1) {
            throw new IllegalArgumentException("maxPayloadBytes: " + maxPayloadBytes + ", maxBufferedBytes: "
                    + maxBufferedBytes + " (expected: positive sizes)");
        }
    }

    private static void requirePositive(Duration value, String name) {
        requireNonNull(value, name + " is null");
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: a positive duration)");
        }
    }
}
