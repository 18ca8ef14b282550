package dev.switchboard.core.server;

import dev.switchboard.protocol.Protocol;
import java.time.Duration;

/**
 * The protocol limits of one server (SPEC §5.3).
 *
 * @param maxPayloadBytes largest frame after the handshake
 * @param maxBufferedBytes unsent bytes at which a socket is closed as a slow consumer
 * @param tickInterval how often {@code tick} is sent
 * @param handshakeTimeout how long a socket may take to send {@code connect}
 */
public record ServerLimits(
        long maxPayloadBytes, long maxBufferedBytes, Duration tickInterval, Duration handshakeTimeout) {
    public static final ServerLimits DEFAULTS = new ServerLimits(
            Protocol.DEFAULT_MAX_PAYLOAD_BYTES,
            Protocol.DEFAULT_MAX_BUFFERED_BYTES,
            Duration.ofMillis(Protocol.DEFAULT_TICK_INTERVAL_MS),
            Duration.ofMillis(Protocol.HANDSHAKE_TIMEOUT_MS));
}
