package dev.switchboard.testkit.feishu;

import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.xnio.IoUtils;

/** One client's WebSocket on the fake; the protocol is {@link FakeFeishuApp}'s. Guarded by the app's lock. */
final class LongConnection {
    final String deviceId;
    final int serviceId;
    final Instant openedAt;
    private final WebSocketChannel channel;
    private int pings;
    private @Nullable Instant closedAt;
    private boolean silenced;

    LongConnection(String deviceId, int serviceId, WebSocketChannel channel, Instant openedAt) {
        this.deviceId = deviceId;
        this.serviceId = serviceId;
        this.channel = channel;
        this.openedAt = openedAt;
    }

    /** Sends one binary message; Undertow queues it, so any thread may call this. */
    void send(Pbbp2Frame frame) {
        if (closedAt == null) {
            WebSockets.sendBinary(ByteBuffer.wrap(frame.encode()), channel, null);
        }
    }

    boolean isOpen() {
        return closedAt == null;
    }

    boolean canPush() {
        return closedAt == null && !silenced;
    }

    void pinged() {
        pings++;
    }

    void silence() {
        silenced = true;
    }

    boolean isSilenced() {
        return silenced;
    }

    void closed(Instant at) {
        if (closedAt == null) {
            closedAt = at;
        }
    }

    /** A WebSocket close frame; the socket closes once the client answers it. */
    void close(int code, String reason) {
        WebSockets.sendClose(new CloseMessage(code, reason), channel, null);
    }

    /**
     * Closes the TCP connection at once, with no close frame: the network dropped it. Done on the channel's I/O
     * thread, so it never frees a buffer under a read in progress.
     */
    void sever() {
        channel.getIoThread().execute(() -> IoUtils.safeClose(channel));
    }

    ConnectedClient snapshot() {
        return new ConnectedClient(deviceId, serviceId, openedAt, pings, Optional.ofNullable(closedAt), silenced);
    }
}
