package dev.switchboard.channel.feishu.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/**
 * The server's settings for the long connection, from the endpoint bootstrap and from pongs (which may change
 * them while connected).
 *
 * @param pingInterval how often the client pings
 * @param reconnectInterval the server's wait between reconnects: the channel's reconnect backoff stops there
 */
public record ClientConfig(Duration pingInterval, Duration reconnectInterval) {
    /** The platform's defaults (120 s each). */
    public static final ClientConfig DEFAULT = new ClientConfig(Duration.ofMinutes(2), Duration.ofMinutes(2));

    /** Reads {@code {"PingInterval":s,"ReconnectInterval":s,...}}; an absent or nonsensical value keeps {@code base}'s. */
    public static ClientConfig from(JsonNode json, ClientConfig base) {
        return new ClientConfig(
                seconds(json.path("PingInterval"), base.pingInterval()),
                seconds(json.path("ReconnectInterval"), base.reconnectInterval()));
    }

    private static Duration seconds(JsonNode value, Duration fallback) {
        return value.canConvertToLong() && value.asLong() > 0 && value.asLong() <= 86_400
                ? Duration.ofSeconds(value.asLong())
                : fallback;
    }
}
