package dev.switchboard.core.routing.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.store.internal.OutboxRepository;
import dev.switchboard.core.store.internal.Store;
import dev.switchboard.spi.OutboundMessage;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Messages the gateway sends on its own initiative (protocol {@code send}, {@code agent} with {@code
 * deliver}): resolved to one of the accounts this gateway runs and put in the durable outbox, which
 * {@link OutboxSender} delivers with the account's usual per-chat ordering and retries.
 */
public final class Outbound {
    /** The idempotency kind of {@code send}. */
    public static final String SEND_KIND = "send";

    /** A channel account that sends. */
    public record Target(String channel, String account) {
        public Target {
            requireNonNull(channel, "channel is null");
            requireNonNull(account, "account is null");
        }

        /** The session key of a conversation of this account, as the reply loop names it. */
        public String sessionKey(String conversationId) {
            return SessionKeys.of(channel, account, conversationId, Optional.empty());
        }
    }

    /** The channel or account is not one this gateway runs; the message names what runs. */
    public static final class UnknownTargetException extends RuntimeException {
        UnknownTargetException(String message) {
            super(requireNonNull(message, "message is null"));
        }

        /** Never null: the constructor requires a message. */
        @Override
        public String getMessage() {
            return requireNonNull(super.getMessage());
        }
    }

    private final Store store;
    private final Supplier<List<Target>> accounts;
    private final Function<String, Optional<String>> configuredDefault;
    private final Runnable wake;

    /**
     * @param accounts the accounts a send may name: the ones this gateway runs (reply-loop and
     *     send-only), or on a cluster replica every configured one
     * @param configuredDefault a channel's {@code default_account}, when configured
     * @param wake tells the outbox sender a row is waiting
     */
    Outbound(
            Store store,
            Supplier<List<Target>> accounts,
            Function<String, Optional<String>> configuredDefault,
            Runnable wake) {
        this.store = requireNonNull(store, "store is null");
        this.accounts = requireNonNull(accounts, "accounts is null");
        this.configuredDefault = requireNonNull(configuredDefault, "configuredDefault is null");
        this.wake = requireNonNull(wake, "wake is null");
    }

    /**
     * The account to send through: {@code accountId} when given, else the channel's default among
     * the running accounts ({@code default_account}, else its only running account, else one named
     * {@code default}).
     *
     * @throws UnknownTargetException naming the running accounts when there is no such account
     */
    public Target resolve(String channel, Optional<String> accountId) {
        requireNonNull(channel, "channel is null");
        requireNonNull(accountId, "accountId is null");
        List<Target> running = accounts.get();
        List<String> ofChannel = running.stream()
                .filter(a -> a.channel().equals(channel))
                .map(Target::account)
                .toList();
        if (ofChannel.isEmpty()) {
            throw new UnknownTargetException(
                    "channel '" + channel + "' is not running in this gateway (running: " + describe(running) + ")");
        }
        if (accountId.isPresent()) {
            if (!ofChannel.contains(accountId.get())) {
                throw new UnknownTargetException("account '" + accountId.get() + "' of channel '" + channel
                        + "' is not running in this gateway (running: " + describe(running) + ")");
            }
            return new Target(channel, accountId.get());
        }
        Optional<String> configured = configuredDefault.apply(channel).filter(ofChannel::contains);
        if (configured.isPresent()) {
            return new Target(channel, configured.get());
        }
        if (ofChannel.size() == 1) {
            return new Target(channel, ofChannel.get(0));
        }
        if (ofChannel.contains("default")) {
            return new Target(channel, "default");
        }
        throw new UnknownTargetException("channel '" + channel + "' runs accounts " + String.join(", ", ofChannel)
                + " and none is its default; pass accountId");
    }

    /**
     * Queues a proactive message once per {@code idempotencyKey} within the idempotency TTL: a repeat
     * returns the first row's id and queues nothing.
     */
    public OutboxRepository.Queued send(Target target, String to, String text, String idempotencyKey) {
        requireNonNull(target, "target is null");
        requireNonNull(to, "to is null");
        requireNonNull(text, "text is null");
        requireNonNull(idempotencyKey, "idempotencyKey is null");
        // the row's own key is unique per send (the platform-side key, e.g. Feishu's uuid); the client's
        // key is honoured for the TTL only, through the idempotency claim
        OutboundMessage message =
                new OutboundMessage(to, Optional.empty(), Optional.empty(), text, "send-" + UUID.randomUUID());
        OutboxRepository.Queued queued = store.outbox()
                .enqueueSend(SEND_KIND + ":" + idempotencyKey, message, target.channel(), target.account());
        if (!queued.repeated()) {
            wake.run();
        }
        return queued;
    }

    /** Queues an agent run's reply to {@code to} (once per run); returns the outbox row id. */
    public long deliver(Target target, String to, String text, String runId) {
        requireNonNull(target, "target is null");
        long id = store.outbox()
                .enqueue(
                        new OutboundMessage(to, Optional.empty(), Optional.empty(), text, deliveryKey(runId)),
                        target.channel(),
                        target.account());
        wake.run();
        return id;
    }

    /** The outbox row key of run {@code runId}'s delivered reply: one row per run. */
    public static String deliveryKey(String runId) {
        return "agent-" + requireNonNull(runId, "runId is null");
    }

    private static String describe(List<Target> running) {
        return running.isEmpty()
                ? "none"
                : String.join(
                        ", ",
                        running.stream()
                                .map(a -> a.channel() + "." + a.account())
                                .toList());
    }
}
