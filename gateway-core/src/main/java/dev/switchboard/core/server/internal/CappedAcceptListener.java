package dev.switchboard.core.server.internal;

import dev.switchboard.core.internal.LogThrottle;
import dev.switchboard.core.internal.ServerCounters;
import dev.switchboard.protocol.Protocol;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.channels.AcceptingChannel;

/**
 * Accepts connections and hands them to the HTTP listener while fewer than the cap are open; past
 * the cap it answers 503 and closes the connection at once. (XNIO's own {@code
 * CONNECTION_HIGH_WATER} only stops accepting: clients would wait in the kernel's backlog with no
 * answer.) Runs on the I/O thread that accepted.
 */
final class CappedAcceptListener implements ChannelListener<AcceptingChannel<StreamConnection>> {
    private static final String REFUSAL_BODY = "{\"error\":\"" + Protocol.CONNECTION_CAP_ERROR + "\"}";
    private static final byte[] REFUSAL = ("HTTP/1.1 503 Service Unavailable\r\n"
                    + "Content-Type: application/json\r\n"
                    + "Content-Length: " + REFUSAL_BODY.length() + "\r\n"
                    + "Retry-After: 1\r\n"
                    + "Connection: close\r\n\r\n"
                    + REFUSAL_BODY)
            .getBytes(StandardCharsets.US_ASCII);

    private static final String CAP = "cap";
    private static final String ACCEPT = "accept";

    private final ChannelListener<StreamConnection> open;
    private final LongSupplier openConnections;
    private final ConnectionCap cap;
    private final ServerCounters counters;
    private final LogThrottle warnings;

    CappedAcceptListener(
            ChannelListener<StreamConnection> open,
            LongSupplier openConnections,
            ConnectionCap cap,
            ServerCounters counters,
            LogThrottle warnings) {
        this.open = open;
        this.openConnections = openConnections;
        this.cap = cap;
        this.counters = counters;
        this.warnings = warnings;
    }

    @Override
    public void handleEvent(AcceptingChannel<StreamConnection> channel) {
        StreamConnection connection;
        try {
            connection = channel.accept();
        } catch (IOException e) {
            // e.g. "Too many open files": XNIO backs off accepting for a moment by itself
            warnings.warn(ACCEPT, "cannot accept a connection: {}", e.toString());
            return;
        }
        if (connection == null) {
            return;
        }
        // The HTTP listener counts a connection as open first thing, then may serve its first request
        // before it returns, so the count is read as is: a count of our own hand-overs would hold a
        // connection twice while it is served. Accepts racing on the other I/O threads may pass the
        // cap by one each, which the margin below the file limit absorbs.
        long open = openConnections.getAsLong();
        if (open >= cap.value()) {
            refuse(connection, open);
        } else {
            this.open.handleEvent(connection);
        }
    }

    private void refuse(StreamConnection connection, long open) {
        counters.connectionRefused();
        warnings.warn(
                CAP,
                "refusing connections: {} are open, the cap is {} ({}); first refused: {}",
                open,
                cap.value(),
                cap.describe(),
                connection.getPeerAddress());
        try {
            // a fresh socket's send buffer takes these few bytes at once; a client that reads sees why
            connection.getSinkChannel().write(ByteBuffer.wrap(REFUSAL));
        } catch (IOException e) {
            // gone already: nothing to tell it
        }
        IoUtils.safeClose(connection);
    }

    /** The line for refusals (and failed accepts) that were not logged one by one. */
    static String summary(String key, long suppressed, Duration elapsed) {
        String what = key.equals(CAP) ? "connections refused at the cap" : "failed accepts";
        return suppressed + " more " + what + " in the last " + Math.max(1, elapsed.toSeconds()) + " s";
    }
}
