package dev.switchboard.channel.feishu.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.spi.InboundMessage;
import dev.switchboard.spi.InboundSink;
import dev.switchboard.spi.StatusReporter;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The long connection's data frames: parts reassembled, the event read ({@link MessageEvents}), the message
 * handed to the gateway, and only then the frame acknowledged. When the gateway cannot take the message the
 * frame is not acknowledged, so the platform pushes it again; a duplicate push is acknowledged (the gateway
 * answers it DUPLICATE). Events that are not messages for the bot are acknowledged and passed over; a payload
 * no correct channel can read is acknowledged (pushing it again would not help) and reported skipped.
 */
final class EventFrames implements LongConnection.Frames {
    private static final Logger log = LoggerFactory.getLogger(EventFrames.class);
    private static final int REMEMBERED_DROPS = 1_000;

    private final MessageEvents events;
    private final InboundSink inbound;
    private final Clock clock;
    private final StatusReporter status;
    private final Consumer<String> degraded;
    private final FragmentBuffer fragments =
            new FragmentBuffer(FragmentBuffer.DEFAULT_TTL, FragmentBuffer.DEFAULT_MAX_OPEN);
    private final Set<String> loggedDrops = ConcurrentHashMap.newKeySet();

    EventFrames(
            MessageEvents events, InboundSink inbound, Clock clock, StatusReporter status, Consumer<String> degraded) {
        this.events = requireNonNull(events, "events is null");
        this.inbound = requireNonNull(inbound, "inbound is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.status = requireNonNull(status, "status is null");
        this.degraded = requireNonNull(degraded, "degraded is null");
    }

    @Override
    public synchronized void onData(Frame frame, LongConnection.Acknowledger ack) {
        long started = System.nanoTime();
        String type = frame.header("type").orElse("");
        if (!type.equals("event")) {
            // card callbacks (type card) are not acknowledged by the SDKs either: this channel has no cards
            log.debug("feishu long connection: passing over a data frame of type \"{}\"", type);
            return;
        }
        Optional<byte[]> whole;
        try {
            whole = fragments.add(
                    frame.header("message_id").orElse(""),
                    number(frame.header("sum"), 1),
                    number(frame.header("seq"), 0),
                    frame.payload().toByteArray(),
                    clock.instant());
        } catch (FragmentBuffer.BadFragmentException e) {
            status.skipped("a data frame with a bad fragment header: " + e.getMessage());
            ack.ack(frame, elapsed(started));
            return;
        }
        if (whole.isEmpty()) {
            return; // the event's last part acknowledges it
        }
        MessageEvents.Read read = events.read(whole.get(), clock.instant());
        if (read instanceof MessageEvents.Message message) {
            try {
                noteDrop(message.message(), inbound.accept(message.message()));
            } catch (RuntimeException e) {
                // InboundRejectedException (the store cannot write) or a failure of ours: unacknowledged, the
                // platform pushes the event again
                degraded.accept("the gateway could not store an incoming message (" + OpenApi.describe(e)
                        + "); the platform will push it again");
                return;
            }
        } else if (read instanceof MessageEvents.Malformed malformed) {
            status.skipped(malformed.reason());
        } else if (read instanceof MessageEvents.Ignored ignored) {
            log.debug("feishu: passing over an event: {}", ignored.reason());
        }
        ack.ack(frame, elapsed(started));
    }

    private void noteDrop(InboundMessage message, InboundSink.Result result) {
        if (result == InboundSink.Result.DROPPED
                && loggedDrops.size() < REMEMBERED_DROPS
                && loggedDrops.add(message.conversationId())) {
            log.info("feishu: dropped a message from chat {} (not in allowed_chat_ids)", message.conversationId());
        }
    }

    private static Duration elapsed(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    private static int number(Optional<String> header, int fallback) {
        if (header.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(header.get().trim());
        } catch (NumberFormatException e) {
            return -1; // refused by the fragment buffer, with the reason
        }
    }
}
