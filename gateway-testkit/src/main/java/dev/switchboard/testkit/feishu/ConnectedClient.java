package dev.switchboard.testkit.feishu;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * A long connection a client opened, as the fake saw it.
 *
 * @param deviceId the {@code device_id} of the URL it connected with (the connection's id)
 * @param pings the ping frames it sent
 * @param closedAt when it closed, whichever side closed it; empty while open
 * @param silenced whether the fake stopped answering and pushing on it ({@link FakeFeishuApp#silenceConnections})
 */
public record ConnectedClient(
        String deviceId, int serviceId, Instant openedAt, int pings, Optional<Instant> closedAt, boolean silenced) {
    public ConnectedClient {
        requireNonNull(deviceId, "deviceId is null");
        requireNonNull(openedAt, "openedAt is null");
        requireNonNull(closedAt, "closedAt is null");
    }

    public boolean isOpen() {
        return closedAt.isEmpty();
    }
}
