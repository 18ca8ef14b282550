package dev.switchboard.testkit.wecom;

import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;
import org.xnio.IoUtils;

/** One client's WebSocket on the fake; the protocol is {@link FakeWeCom}'s and the bot's. Guarded by their lock. */
final class BotConnection {
    final String id;
    final Instant openedAt;
    private final WebSocketChannel channel;
    /** The bot the client named in a subscribe (accepted or refused); null before. */
    @Nullable
    FakeWeComBot bot;

    boolean subscribed;
    int pings;
    boolean silenced;

    @Nullable
    Future<?> heartbeat;

    private @Nullable String closing;
    private @Nullable Instant closedAt;
    private @Nullable String closeReason;

    BotConnection(String id, WebSocketChannel channel, Instant openedAt) {
        this.id = id;
        this.channel = channel;
        this.openedAt = openedAt;
    }

    /** Sends one text frame; Undertow queues it, so any thread may call this. */
    void send(String json) {
        if (closedAt == null) {
            WebSockets.sendText(json, channel, null);
        }
    }

    boolean isOpen() {
        return closedAt == null;
    }

    /** Subscribed, open and not silenced: callbacks may be pushed here. */
    boolean canPush() {
        return closedAt == null && closing == null && subscribed && !silenced;
    }

    /** A close frame with {@code code}; the socket closes once the client answers it. */
    void close(int code, String reason) {
        if (closedAt == null && closing == null) {
            closing = reason;
            WebSockets.sendClose(new CloseMessage(code, reason), channel, null);
        }
    }

    /**
     * Cuts the TCP connection, with no close frame: the network or the server dropped it. Done on the channel's
     * I/O thread, so it never frees a buffer under a read in progress.
     */
    void sever(String reason) {
        if (closedAt == null) {
            if (closing == null) {
                closing = reason;
            }
            channel.getIoThread().execute(() -> IoUtils.safeClose(channel));
        }
    }

    void closed(Instant at) {
        if (closedAt == null) {
            closedAt = at;
            closeReason = closing != null ? closing : "client closed";
            if (heartbeat != null) {
                heartbeat.cancel(false);
            }
        }
    }

    ConnectedClient snapshot() {
        return new ConnectedClient(
                id,
                openedAt,
                subscribed,
                pings,
                silenced,
                Optional.ofNullable(closedAt),
                Optional.ofNullable(closeReason));
    }
}
