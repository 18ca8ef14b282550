package dev.switchboard.testkit.tck;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Set;

/**
 * A channel's fake platform as the {@link ChannelTck} drives it: one bot account, two conversations (one the
 * account allows, one it does not), users writing, the texts the bot sent, and the faults the rules need: a
 * broken receive connection, refused sends, malformed payloads. A fresh instance per test; {@link #close()}
 * stops the fake.
 */
public interface TckPlatform extends AutoCloseable {
    /** A message a user sent, as a handle for {@link #redeliver}. */
    interface UserMessage {}

    /** How the platform refuses a send ({@link #refuseNextSend}). */
    enum SendRefusal {
        /**
         * A server error (HTTP 5xx, a dropped answer): the send may work later. The channel throws {@code
         * SendException.retryable}, the outbox retries, the reply arrives once.
         */
        SERVER_ERROR,
        /**
         * Flood control (HTTP 429 with the platform's wait, e.g. Telegram's {@code retry_after}; keep the wait
         * at a second or two). The channel throws {@code SendException.rateLimited} (or {@code retryable}); the
         * reply arrives once.
         */
        RATE_LIMITED,
        /**
         * A refusal no retry fixes (HTTP 4xx: the chat does not exist, the bot was blocked). The channel throws
         * {@code SendException.permanent} with the platform's reason; the reply is never sent and the account
         * counts it failed.
         */
        PERMANENT
    }

    /** Account settings the channel must refuse, and a fragment its error must contain. */
    record InvalidSettings(String accountHocon, String expectedError) {
        public InvalidSettings {
            requireNonNull(accountHocon, "accountHocon is null");
            requireNonNull(expectedError, "expectedError is null");
        }
    }

    /** The id of the channel under test (its provider's id, the config section name). */
    String channelId();

    /**
     * The body of one account's config table (HOCON) pointing at this platform, with {@code allowed} as its
     * conversation allowlist, e.g. {@code bot_token = "...", api_base_url = "http://127.0.0.1:...",
     * allowed_chat_ids = [42]}. Secrets may be literals.
     */
    String accountHocon(List<String> allowed);

    /** A conversation the TCK allows, by the id the allowlist and {@code InboundMessage.conversationId} use. */
    String allowedConversation();

    /** A conversation that is never in the allowlist. */
    String otherConversation();

    /** A user writes {@code text} in {@code conversation}; the channel receives it as the platform delivers. */
    UserMessage userSays(String conversation, String text);

    /** The platform delivers {@code message} again, as its redelivery looks (same platform message id). */
    void redeliver(UserMessage message);

    /** The texts the bot sent to {@code conversation} (as the user sees them), in order. */
    List<String> sentTexts(String conversation);

    /**
     * Breaks the channel's receive path from the platform side (closes its poll or socket, or makes the next
     * receive calls fail) so the channel must notice and recover by itself or through the supervisor.
     */
    void breakReceiveConnection();

    /**
     * The platform refuses the channel's next send (the next call that would deliver a text) with {@code
     * refusal}, without delivering it; later sends work again. Returns the platform's reason as the channel
     * receives it (e.g. {@code Bad Request: chat not found}): the reason of a {@link SendRefusal#PERMANENT}
     * failure, as the gateway records it, must contain it.
     */
    String refuseNextSend(SendRefusal refusal);

    /**
     * Names of payloads the platform can deliver that no correct implementation of the channel turns into a
     * message: a malformed update, a payload in a shape the channel cannot read (at least one). The TCK
     * delivers each with {@link #deliverMalformed} and checks the channel skips it, reports it with {@code
     * StatusReporter.skipped}, keeps receiving and answers the next message.
     */
    List<String> malformedPayloads();

    /** Delivers the malformed payload {@code name} (one of {@link #malformedPayloads()}) in {@code conversation}. */
    void deliverMalformed(String conversation, String name);

    /**
     * Connections, sockets or held polls the platform still sees from the channel. After the gateway closed,
     * this must reach 0.
     */
    int openConnections();

    /** Account settings the channel's config validation must refuse (at least one). */
    List<InvalidSettings> invalidAccountSettings();

    /**
     * Name prefixes of threads the platform fake itself starts lazily (they are not the channel's); the thread
     * leak check ignores them. Threads the fake started before the test are ignored anyway.
     */
    default Set<String> platformThreadPrefixes() {
        return Set.of();
    }

    @Override
    void close();
}
