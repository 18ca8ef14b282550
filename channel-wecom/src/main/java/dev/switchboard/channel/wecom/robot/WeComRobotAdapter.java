package dev.switchboard.channel.wecom.robot;

import static java.util.Objects.requireNonNull;

import dev.switchboard.spi.ChannelAdapter;
import dev.switchboard.spi.OutboundMessage;
import dev.switchboard.spi.ProbeResult;
import dev.switchboard.spi.SendException;
import dev.switchboard.spi.StatusReporter;
import dev.switchboard.spi.TextSplitter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One group robot: posts what the gateway sends to the robot's group, and receives nothing. It holds no thread
 * and no socket; "connected" means ready to post.
 */
final class WeComRobotAdapter implements ChannelAdapter {
    private static final Logger log = LoggerFactory.getLogger(WeComRobotAdapter.class);

    private final WeComRobotSettings settings;
    private final RobotWebhook webhook;
    private final StatusReporter status;
    private final String name;
    /** One group: posts go out one at a time, in the order the gateway hands them over. */
    private final ReentrantLock posting = new ReentrantLock();
    /** How many parts of a split message are posted, so a retry does not post them again. */
    private final Map<String, Integer> postedParts = new ConcurrentHashMap<>();
    /** Whether the last post was refused for its key; guarded by {@link #posting}. */
    private boolean keyRefused;

    WeComRobotAdapter(WeComRobotSettings settings, RobotWebhook webhook, StatusReporter status, String name) {
        this.settings = requireNonNull(settings, "settings is null");
        this.webhook = requireNonNull(webhook, "webhook is null");
        this.status = requireNonNull(status, "status is null");
        this.name = requireNonNull(name, "name is null");
    }

    @Override
    public void start() {
        status.connected();
    }

    @Override
    public void send(OutboundMessage message) {
        if (!settings.allows(message.conversationId())) {
            throw SendException.permanent("to '" + message.conversationId() + "' is not one of this robot's names"
                    + " (expected one of " + WeComRobotSettings.ALLOWED_CONVERSATION_IDS + ": "
                    + String.join(
                            ", ",
                            settings.allowedConversationIds().stream().sorted().toList()) + ")");
        }
        List<String> parts = TextSplitter.byUtf8Bytes(
                        message.text(), settings.msgType().maxBytes())
                .stream()
                .filter(part -> !part.isBlank())
                .toList();
        if (parts.isEmpty()) {
            throw SendException.permanent(
                    "the message is empty (expected: some text; the robot posts no blank" + " message)");
        }
        posting.lock();
        try {
            int done = postedParts.getOrDefault(message.idempotencyKey(), 0);
            for (int i = done; i < parts.size(); i++) {
                post(parts.get(i));
                postedParts.put(message.idempotencyKey(), i + 1);
            }
            postedParts.remove(message.idempotencyKey());
        } finally {
            posting.unlock();
        }
    }

    /** Posts one part; throws what the platform's answer means for the message. Holds {@link #posting}. */
    private void post(String content) {
        RobotWebhook.Answer answer = webhook.post(RobotWebhook.message(settings.msgType(), content));
        if (answer.ok()) {
            if (keyRefused) {
                keyRefused = false;
                status.connected();
            }
            return;
        }
        switch (answer.errcode()) {
            case RobotWebhook.API_FREQ_OUT_OF_LIMIT -> throw SendException.rateLimited(
                    answer.describe() + " (the robot may post 20 messages a minute; retrying in "
                            + settings.rateLimitWait().toSeconds() + " s)",
                    settings.rateLimitWait());
            case RobotWebhook.SYSTEM_BUSY -> throw SendException.retryable(answer.describe(), null);
            case RobotWebhook.INVALID_WEBHOOK_URL -> {
                keyRefused = true;
                String reason = "the platform refused the robot's key: " + answer.describe() + " (expected: the key"
                        + " of a robot still in its group; check " + WeComRobotSettings.KEY + ")";
                status.degraded(reason);
                throw SendException.permanent(reason);
            }
            default -> throw SendException.permanent(answer.describe());
        }
    }

    /**
     * The robot has no read API, and a test message would show in the group. The probe posts a text message with
     * no content instead: the platform refuses it without posting anything, and how it refuses tells a refused key
     * (93000) from an accepted one (any other refusal).
     */
    @Override
    public ProbeResult probe() {
        RobotWebhook.Answer answer;
        try {
            answer = webhook.post(RobotWebhook.message(WeComRobotSettings.MsgType.TEXT, ""));
        } catch (SendException e) {
            return ProbeResult.failed(String.valueOf(e.getMessage()));
        }
        if (answer.errcode() == RobotWebhook.INVALID_WEBHOOK_URL) {
            return ProbeResult.failed("key refused: " + answer.describe());
        }
        log.debug("{}: probe answered {}", name, answer.describe());
        if (answer.ok()) {
            return ProbeResult.ok("key accepted");
        }
        return ProbeResult.ok("key accepted (an empty test message was refused with errcode " + answer.errcode()
                + ", nothing was posted)");
    }

    @Override
    public void close() {
        // nothing to release: no thread, no socket of its own (the shared client's pool belongs to the gateway)
    }

    @Override
    public String toString() {
        return "WeComRobotAdapter[" + name + ", " + webhook + "]";
    }
}
