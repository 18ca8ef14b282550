package dev.switchboard.channel.feishu.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One long connection: opened from an endpoint, pinging at the server's interval, handing data frames to a
 * {@link Frames} handler, and ended by a failure, a close, a handshake rejection or silence (nothing heard for
 * two ping periods: a socket that stays open while nothing arrives is the most reported silent failure).
 */
final class LongConnection {
    private static final Logger log = LoggerFactory.getLogger(LongConnection.class);
    private static final int CLOSE_NORMAL = 1000;
    /** Half-alive sockets are the most reported silent failure: notice one within a minute (field-complaints.md). */
    static final Duration MAX_PING_PERIOD = Duration.ofSeconds(30);

    /** How the connection ended. */
    sealed interface End permits Rejected, Broken {}

    /** The platform refused the upgrade, with its Handshake-* headers. */
    record Rejected(int handshakeStatus, String message, Optional<String> authErrorCode) implements End {
        /** 514 (auth failed) and 403 (forbidden) do not pass by retrying. */
        boolean permanent() {
            return (handshakeStatus == 514 || handshakeStatus == 403)
                    && !authErrorCode.filter(code -> code.equals("1000040350")).isPresent();
        }
    }

    /** The socket failed, closed or went silent. */
    record Broken(String reason, boolean wasOpen) implements End {}

    /** Where data frames go; called on the socket's reader thread, one frame at a time. */
    interface Frames {
        /** Handles a data frame; {@code ack} sends its acknowledgement. */
        void onData(Frame frame, Acknowledger ack);
    }

    /** Sends the acknowledgement of a data frame. */
    interface Acknowledger {
        void ack(Frame frame, Duration processing);
    }

    private final ObjectMapper mapper;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final OpenApi.Endpoint endpoint;
    private final Frames frames;
    private final Runnable onOpen;
    private final CompletableFuture<End> ended = new CompletableFuture<>();
    private final AtomicLong nextSeq = new AtomicLong(1);

    private volatile ClientConfig config;
    private volatile Instant lastHeard;
    private volatile boolean open;
    private volatile @Nullable WebSocket socket;
    private volatile @Nullable ScheduledFuture<?> pinger;

    LongConnection(
            ObjectMapper mapper,
            Clock clock,
            ScheduledExecutorService scheduler,
            OpenApi.Endpoint endpoint,
            Frames frames,
            Runnable onOpen) {
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.endpoint = requireNonNull(endpoint, "endpoint is null");
        this.frames = requireNonNull(frames, "frames is null");
        this.onOpen = requireNonNull(onOpen, "onOpen is null");
        this.config = endpoint.config();
        this.lastHeard = clock.instant();
    }

    /** Opens the socket; {@link #ended()} completes when it is over. */
    void open(OkHttpClient client) {
        Request request = new Request.Builder()
                .url(endpoint.url().toString().replaceFirst("^ws", "http"))
                .build();
        socket = client.newWebSocket(request, new Listener());
    }

    CompletableFuture<End> ended() {
        return ended;
    }

    ClientConfig config() {
        return config;
    }

    /** Ends the connection (close frame, then the socket is cancelled if the server does not answer). */
    void close() {
        end(new Broken("closed", open));
        WebSocket ws = socket;
        if (ws != null && !ws.close(CLOSE_NORMAL, "client closing")) {
            ws.cancel();
        }
    }

    private void end(End how) {
        ScheduledFuture<?> task = pinger;
        if (task != null) {
            task.cancel(false);
        }
        ended.complete(how);
    }

    private void schedulePings() {
        ScheduledFuture<?> previous = pinger;
        if (previous != null) {
            previous.cancel(false);
        }
        long every = pingPeriod().toMillis();
        pinger = scheduler.scheduleAtFixedRate(this::ping, 0, every, TimeUnit.MILLISECONDS);
    }

    /**
     * How often to ping: the server's interval, but at least every {@link #MAX_PING_PERIOD}. The platform's
     * default (120 s) would leave a dead socket unnoticed for four minutes; a ping is a few bytes.
     */
    Duration pingPeriod() {
        Duration asked = config.pingInterval();
        return asked.compareTo(MAX_PING_PERIOD) > 0 ? MAX_PING_PERIOD : asked;
    }

    private void ping() {
        WebSocket ws = socket;
        if (ws == null || ended.isDone()) {
            return;
        }
        Duration silent = Duration.between(lastHeard, clock.instant());
        if (silent.compareTo(pingPeriod().multipliedBy(2)) > 0) {
            // half-alive: open, but the server has not answered two pings
            end(new Broken(
                    "no pong for " + silent.toSeconds() + " s (ping interval "
                            + pingPeriod().toSeconds() + " s)",
                    true));
            ws.cancel();
            return;
        }
        long seq = nextSeq.getAndIncrement();
        ws.send(ByteString.of(Frame.of(
                        seq,
                        0,
                        endpoint.serviceId(),
                        Frame.CONTROL,
                        List.of(new Frame.Header("type", "ping")),
                        com.google.protobuf.ByteString.EMPTY)
                .encode()));
    }

    private void onControl(Frame frame) {
        lastHeard = clock.instant();
        if (!frame.header("type").orElse("").equals("pong") || frame.payload().isEmpty()) {
            return;
        }
        try {
            JsonNode json = mapper.readTree(frame.payload().toByteArray());
            ClientConfig updated = ClientConfig.from(json, config);
            if (!updated.equals(config)) {
                boolean newPing = !updated.pingInterval().equals(config.pingInterval());
                config = updated;
                log.debug("feishu long connection: the server's ClientConfig is now {}", updated);
                if (newPing) {
                    schedulePings();
                }
            }
        } catch (IOException e) {
            log.debug("feishu long connection: a pong whose payload is no ClientConfig ({})", e.getMessage());
        }
    }

    private void ack(WebSocket ws, Frame frame, Duration processing) {
        List<Frame.Header> headers = new java.util.ArrayList<>(frame.headers());
        headers.add(new Frame.Header("biz_rt", Long.toString(processing.toMillis())));
        com.google.protobuf.ByteString payload =
                com.google.protobuf.ByteString.copyFromUtf8("{\"code\":200,\"headers\":{},\"data\":null}");
        ws.send(ByteString.of(frame.with(headers, payload).encode()));
    }

    private final class Listener extends WebSocketListener {
        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            open = true;
            lastHeard = clock.instant();
            if (ended.isDone()) {
                webSocket.cancel();
                return;
            }
            onOpen.run();
            schedulePings();
        }

        @Override
        public void onMessage(WebSocket webSocket, ByteString bytes) {
            Frame frame;
            try {
                frame = Frame.decode(bytes.toByteArray());
            } catch (Frame.MalformedFrameException e) {
                log.warn("feishu long connection: ignoring a binary message that is no frame: {}", e.getMessage());
                return;
            }
            if (frame.method() == Frame.CONTROL) {
                onControl(frame);
            } else if (frame.method() == Frame.DATA) {
                lastHeard = clock.instant();
                frames.onData(frame, (acked, processing) -> ack(webSocket, acked, processing));
            }
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            // the platform speaks binary frames only; text is ignored, as the SDKs do
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            webSocket.close(CLOSE_NORMAL, null);
            end(new Broken(
                    "the platform closed the connection (" + code + (reason.isEmpty() ? "" : " " + reason) + ")",
                    open));
        }

        @Override
        public void onClosed(WebSocket webSocket, int code, String reason) {
            end(new Broken("the connection closed (" + code + ")", open));
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable t, @Nullable Response response) {
            String status = response == null ? null : response.header("Handshake-Status");
            if (!open && response != null && status != null) {
                int handshakeStatus;
                try {
                    handshakeStatus = Integer.parseInt(status.trim());
                } catch (NumberFormatException e) {
                    handshakeStatus = 0;
                }
                String message =
                        Optional.ofNullable(response.header("Handshake-Msg")).orElse("");
                end(new Rejected(
                        handshakeStatus, message, Optional.ofNullable(response.header("Handshake-Autherrcode"))));
                return;
            }
            String reason = response != null && !open
                    ? "the upgrade to the long connection was refused (HTTP " + response.code() + ")"
                    : "the long connection failed (" + OpenApi.describe(t) + ")";
            end(new Broken(reason, open));
        }
    }
}
