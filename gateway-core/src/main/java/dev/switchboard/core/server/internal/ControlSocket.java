package dev.switchboard.core.server.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.protocol.CloseCodes;
import dev.switchboard.protocol.Frame;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.Protocol;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.StreamSourceFrameChannel;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;

/**
 * One WebSocket's I/O and limits (SPEC §5.3, §5.4): reads whole text frames up to the current size
 * limit, queues frames while counting the bytes not yet written, and closes with a code and a reason
 * cut to what a close frame holds.
 *
 * <p>Read progress: a socket that has unsent bytes none of which were written for {@code
 * slowConsumerTimeout}, or that leaves a ping unanswered as long, is closed 1008 "slow consumer",
 * whatever its buffer holds; one whose unsent bytes pass {@code maxBufferedBytes} is closed at once.
 * The ping also finds peers that vanished without a FIN: their kernel keeps accepting small writes
 * for many minutes, but no pong comes back. {@link #checkProgress} is called regularly for every
 * authenticated socket.
 */
public final class ControlSocket extends AbstractReceiveListener {
    /** The close reason a WebSocket close frame holds: 125 payload bytes less the 2-byte code. */
    public static final int MAX_CLOSE_REASON_BYTES = 123;
    /** The reason of every slow-consumer close. */
    public static final String SLOW_CONSUMER = "slow consumer";

    /** How long the peer gets to answer a written close frame before the connection is dropped. */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger(ControlSocket.class);
    private static final byte[] PING_PAYLOAD = {'s', 'b'};

    /** What the owner of the socket gets from it, on an I/O thread. */
    public interface Receiver {
        /** One whole text frame within the size limit. */
        void onText(String text);

        /** A binary frame (its content is dropped: the protocol is JSON text). */
        void onBinary();
    }

    private static final Receiver NOT_READING = new Receiver() {
        @Override
        public void onText(String text) {}

        @Override
        public void onBinary() {}
    };

    private final WebSocketChannel channel;
    private final ServerLimits limits;
    private final ScheduledExecutorService timers;
    private final InetSocketAddress remote;
    private final String id = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong unsent = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** When the unsent bytes last moved: a write completed, or the first byte was queued. */
    private volatile long lastWriteNanos = System.nanoTime();
    /** Whether a ping awaits its pong, and since when. */
    private volatile boolean pingOutstanding;

    private volatile long pingSentNanos;

    private volatile boolean authenticated;
    private volatile Receiver receiver = NOT_READING;

    public ControlSocket(WebSocketChannel channel, ServerLimits limits, ScheduledExecutorService timers) {
        this.channel = requireNonNull(channel, "channel is null");
        this.limits = requireNonNull(limits, "limits is null");
        this.timers = requireNonNull(timers, "timers is null");
        this.remote = channel.getSourceAddress();
    }

    /** A short random id for logs and presence. */
    public String id() {
        return id;
    }

    public InetSocketAddress remote() {
        return remote;
    }

    public String remoteHost() {
        return remote.getAddress().getHostAddress();
    }

    /** Runs {@code task} once the connection is gone, however it ended. */
    public void whenClosed(Runnable task) {
        channel.addCloseTask(ch -> {
            closed.set(true);
            task.run();
        });
    }

    /** Starts reading; frames go to {@code receiver}. */
    public void startReading(Receiver receiver) {
        this.receiver = requireNonNull(receiver, "receiver is null");
        channel.getReceiveSetter().set(this);
        channel.resumeReceives();
    }

    /** The handshake is done: frames up to {@code maxPayloadBytes} from now on. */
    public void authenticated() {
        authenticated = true;
    }

    public boolean isClosed() {
        return closed.get();
    }

    public void send(Frame frame) {
        sendText(FrameCodec.encode(frame));
    }

    /** Queues a text frame; past {@code maxBufferedBytes} of unsent bytes the socket is closed instead. */
    public void sendText(String text) {
        if (closed.get()) {
            return;
        }
        long size = Utf8.length(text);
        if (!queued(size)) {
            return;
        }
        WebSockets.sendText(text, channel, new Written(size));
    }

    /**
     * Closes the socket if it made no read progress for {@code slowConsumerTimeout}; else, when it
     * owes nothing, pings it, so that the next check can tell whether its peer still reads.
     */
    public void checkProgress(long nowNanos) {
        if (closed.get()) {
            return;
        }
        long timeout = limits.slowConsumerTimeout().toNanos();
        long pending = unsent.get();
        boolean awaitingPong = pingOutstanding;
        if (pending > 0 && nowNanos - lastWriteNanos > timeout) {
            closeSlowConsumer("none of " + pending + " unsent bytes written for "
                    + limits.slowConsumerTimeout().toMillis() + " ms");
        } else if (awaitingPong && nowNanos - pingSentNanos > timeout) {
            closeSlowConsumer("no pong for " + limits.slowConsumerTimeout().toMillis() + " ms");
        } else if (!awaitingPong && pending == 0) {
            // only when nothing is queued: a ping behind a large response would measure the response
            pingSentNanos = nowNanos;
            pingOutstanding = true;
            if (queued(PING_PAYLOAD.length)) {
                WebSockets.sendPing(ByteBuffer.wrap(PING_PAYLOAD), channel, new Written(PING_PAYLOAD.length));
            }
        }
    }

    /**
     * Sends a close frame with {@code code} and {@code reason} (cut to {@link
     * #MAX_CLOSE_REASON_BYTES} on a code point boundary), then drops the connection: {@link
     * #CLOSE_GRACE} after the frame is written, or after {@code slowConsumerTimeout} if it never is.
     */
    public void close(int code, String reason) {
        close(code, reason, limits.slowConsumerTimeout());
    }

    private void close(int code, String reason, Duration unwrittenDeadline) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Optional<ScheduledFuture<?>> deadline = later(() -> IoUtils.safeClose(channel), unwrittenDeadline);
        WebSockets.sendClose(code, Utf8.truncate(reason, MAX_CLOSE_REASON_BYTES), channel, new WebSocketCallback<>() {
            @Override
            public void complete(WebSocketChannel ch, Void context) {
                deadline.ifPresent(timer -> timer.cancel(false));
                later(() -> IoUtils.safeClose(ch), CLOSE_GRACE);
            }

            @Override
            public void onError(WebSocketChannel ch, Void context, Throwable error) {
                IoUtils.safeClose(ch);
            }
        });
    }

    /** A stuck socket will not take its close frame soon: it gets the grace, not the timeout. */
    private void closeSlowConsumer(String why) {
        log.warn("closing control socket {} ({}): slow consumer: {}", id, remoteHost(), why);
        close(CloseCodes.POLICY, SLOW_CONSUMER, CLOSE_GRACE);
    }

    /** Counts {@code size} unsent bytes; false (and the socket closing) when that passes the cap. */
    private boolean queued(long size) {
        if (unsent.get() == 0) {
            lastWriteNanos = System.nanoTime(); // the clock starts with the first unsent byte
        }
        long pending = unsent.addAndGet(size);
        if (pending > limits.maxBufferedBytes()) {
            closeSlowConsumer(pending + " unsent bytes (limit " + limits.maxBufferedBytes() + ")");
            return false;
        }
        return true;
    }

    private Optional<ScheduledFuture<?>> later(Runnable task, Duration delay) {
        try {
            return Optional.of(timers.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS));
        } catch (RejectedExecutionException e) {
            task.run(); // the server is stopping: no time left to wait
            return Optional.empty();
        }
    }

    private long frameLimit() {
        return authenticated ? limits.maxPayloadBytes() : Protocol.MAX_PREAUTH_PAYLOAD_BYTES;
    }

    private void closeTooBig(long limit) {
        close(
                CloseCodes.TOO_BIG,
                "frame too big (limit " + limit + " bytes" + (authenticated ? ")" : " before connect)"));
    }

    /** Reads one text message, refusing (1009) one larger than the current limit. */
    @Override
    protected void onText(WebSocketChannel ws, StreamSourceFrameChannel frame) {
        long limit = frameLimit();
        // Undertow checks the limit while it buffers, but not on its first read; the length check
        // after assembly covers that read (bounded by the socket buffer) and fragmented messages
        new BufferedTextMessage(limit, true).read(frame, new WebSocketCallback<>() {
            @Override
            public void complete(WebSocketChannel ch, BufferedTextMessage message) {
                String text = message.getData();
                if (text.length() > limit || Utf8.length(text) > limit) {
                    closeTooBig(limit);
                } else if (!closed.get()) {
                    receiver.onText(text);
                }
            }

            @Override
            public void onError(WebSocketChannel ch, BufferedTextMessage message, Throwable error) {
                closeTooBig(limit);
            }
        });
    }

    @Override
    protected void onBinary(WebSocketChannel ws, StreamSourceFrameChannel frame) {
        long limit = frameLimit();
        new BufferedBinaryMessage(limit, true).read(frame, new WebSocketCallback<>() {
            @Override
            public void complete(WebSocketChannel ch, BufferedBinaryMessage message) {
                message.getData().free();
                if (!closed.get()) {
                    receiver.onBinary();
                }
            }

            @Override
            public void onError(WebSocketChannel ch, BufferedBinaryMessage message, Throwable error) {
                closeTooBig(limit);
            }
        });
    }

    @Override
    protected void onFullPongMessage(WebSocketChannel ws, BufferedBinaryMessage message) throws IOException {
        pingOutstanding = false;
        super.onFullPongMessage(ws, message);
    }

    @Override
    protected void onError(WebSocketChannel ws, Throwable error) {
        log.debug("control socket {} failed: {}", id, error.toString());
        IoUtils.safeClose(ws);
    }

    /** Takes written bytes off the unsent count: the progress the slow-consumer rule looks for. */
    private final class Written implements WebSocketCallback<Void> {
        private final long size;

        Written(long size) {
            this.size = size;
        }

        @Override
        public void complete(WebSocketChannel ch, Void context) {
            unsent.addAndGet(-size);
            lastWriteNanos = System.nanoTime();
        }

        @Override
        public void onError(WebSocketChannel ch, Void context, Throwable error) {
            IoUtils.safeClose(ch);
        }
    }
}
