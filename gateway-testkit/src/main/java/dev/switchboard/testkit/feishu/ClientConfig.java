package dev.switchboard.testkit.feishu;

/**
 * The connection settings the server hands the client, in the endpoint answer ({@code data.ClientConfig}) and in
 * pong payloads, with Feishu's PascalCase JSON keys.
 *
 * @param reconnectCount how many reconnects to try; -1 forever
 * @param reconnectInterval seconds between reconnects
 * @param reconnectNonce the first reconnect waits a random 0..nonce seconds
 * @param pingInterval seconds between the client's pings
 */
public record ClientConfig(int reconnectCount, int reconnectInterval, int reconnectNonce, int pingInterval) {
    /** What the platform sends: retry forever every 120 s after up to 30 s, ping every 120 s. */
    public static final ClientConfig PLATFORM_DEFAULT = new ClientConfig(-1, 120, 30, 120);

    public ClientConfig {
        if (reconnectCount < -1) {
            throw new IllegalArgumentException("reconnectCount: " + reconnectCount + " (expected: >= -1)");
        }
        if (reconnectInterval < 0 || reconnectNonce < 0 || pingInterval < 1) {
            throw new IllegalArgumentException("ClientConfig: reconnectInterval " + reconnectInterval
                    + ", reconnectNonce " + reconnectNonce + ", pingInterval " + pingInterval
                    + " (expected: >= 0, >= 0, >= 1 seconds)");
        }
    }

    String toJson() {
        return "{\"ReconnectCount\":" + reconnectCount + ",\"ReconnectInterval\":" + reconnectInterval
                + ",\"ReconnectNonce\":" + reconnectNonce + ",\"PingInterval\":" + pingInterval + "}";
    }
}
