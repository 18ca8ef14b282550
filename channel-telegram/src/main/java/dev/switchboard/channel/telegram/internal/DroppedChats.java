package dev.switchboard.channel.telegram.internal;

import dev.switchboard.spi.InboundMessage;
import dev.switchboard.spi.InboundSink;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands messages to the gateway and logs, once per chat, the chats whose messages the allowlist
 * dropped: that is how an operator learns the id of a chat to allow. Chat ids are not secret; the
 * message text is never logged.
 */
final class DroppedChats {
    private static final Logger log = LoggerFactory.getLogger(DroppedChats.class);
    private static final int REMEMBERED = 1_000;

    private final Set<String> logged = ConcurrentHashMap.newKeySet();
    private final InboundSink inbound;

    DroppedChats(InboundSink inbound) {
        this.inbound = inbound;
    }

    /** {@link InboundSink#accept}, noting a drop. */
    InboundSink.Result accept(InboundMessage message) {
        return noted(message, inbound.accept(message));
    }

    /** {@link InboundSink#acceptAll}, noting drops. */
    List<InboundSink.Result> acceptAll(List<InboundMessage> messages) {
        List<InboundSink.Result> results = inbound.acceptAll(messages);
        for (int i = 0; i < results.size(); i++) {
            noted(messages.get(i), results.get(i));
        }
        return results;
    }

    private InboundSink.Result noted(InboundMessage message, InboundSink.Result result) {
        if (result == InboundSink.Result.DROPPED
                && logged.size() < REMEMBERED
                && logged.add(message.conversationId())) {
            log.info("telegram: dropped a message from chat {} (not in allowed_chat_ids)", message.conversationId());
        }
        return result;
    }
}
