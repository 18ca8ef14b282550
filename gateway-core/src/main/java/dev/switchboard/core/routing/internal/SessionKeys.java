package dev.switchboard.core.routing.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.spi.InboundMessage;
import java.util.Optional;

/**
 * Session keys (SPEC §6): {@code <channel>:<account>:<conversation>[:<thread>]} for platform
 * conversations, {@code webchat:<key>} for the protocol's built-in chat, {@code http:<name>} for the
 * OpenAI-compatible HTTP API. The one place that spells
 * them, so a reply, a proactive {@code agent} run and {@code chat.history} agree on a session.
 */
public final class SessionKeys {
    /** The channel prefix of every webchat session key. */
    public static final String WEBCHAT = "webchat";
    /** The prefix of the sessions of the OpenAI-compatible HTTP API. */
    public static final String HTTP = "http";

    private SessionKeys() {}

    /** The session of a platform conversation (and thread, for topics). */
    public static String of(String channelId, String accountId, String conversationId, Optional<String> threadId) {
        requireNonNull(channelId, "channelId is null");
        requireNonNull(accountId, "accountId is null");
        requireNonNull(conversationId, "conversationId is null");
        requireNonNull(threadId, "threadId is null");
        return channelId + ":" + accountId + ":" + conversationId
                + threadId.map(t -> ":" + t).orElse("");
    }

    /** The session an inbound message belongs to. */
    public static String of(InboundMessage message) {
        requireNonNull(message, "message is null");
        return of(message.channelId(), message.accountId(), message.conversationId(), message.threadId());
    }

    /** {@code webchat:<key>}; a key that already starts with {@code webchat:} as given. */
    public static String webchat(String key) {
        requireNonNull(key, "key is null");
        return key.startsWith(WEBCHAT + ":") ? key : WEBCHAT + ":" + key;
    }

    /** {@code http:<name>}: the session an HTTP API client names with its {@code user} or session header. */
    public static String http(String name) {
        requireNonNull(name, "name is null");
        return HTTP + ":" + name;
    }
}
