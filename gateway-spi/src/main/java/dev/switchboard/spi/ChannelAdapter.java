package dev.switchboard.spi;

import java.util.Optional;

/**
 * One running channel account. Created by {@link ChannelProvider#create(ChannelContext)}, owned by
 * the gateway's supervisor for that account. The supervisor calls {@link #start()} once, on its own
 * thread, then the gateway calls {@link #send}, {@link #typing} and {@link #probe()} from other threads
 * (concurrently with each other and with the adapter's own threads), and the supervisor calls {@link
 * #close()} exactly when it is done with the adapter. After a failure the supervisor closes this
 * adapter and creates a new one rather than restarting it, so an adapter runs once.
 *
 * <p>The adapter must be thread-safe for {@code send}, {@code typing}, {@code probe} and {@code close}.
 * It receives on threads it starts itself (named after the channel and account) or through a {@link
 * ChannelContext#webhook webhook}, hands what it received to {@link ChannelContext#inbound()}, and
 * reports its state through {@link ChannelContext#status()}.
 */
public interface ChannelAdapter extends AutoCloseable {
    /**
     * Starts receiving. May return before the platform connection is up (report it through
     * {@link StatusReporter#connected()}) and should: connect on the adapter's own thread, so a slow
     * platform never holds up the gateway. A {@link RuntimeException} means the account cannot start
     * at all, which the supervisor treats like {@link StatusReporter#failed(String, boolean)} (not
     * permanent). An I/O failure is reported, not thrown. Called once, on the account's supervisor
     * thread.
     */
    void start();

    /**
     * Delivers one message, splitting it at the platform's length limit and keeping the parts in
     * order. Blocks until the platform has taken every part, within the adapter's own timeouts. The
     * gateway counts the message delivered when this returns, so return only when the platform said
     * it took the message: a refusal must throw. The gateway never sends two messages of one
     * conversation at once, but does send to different conversations concurrently.
     *
     * @param message what to send, where
     * @throws SendException when the platform did not take it: {@link SendException#retryable} ones
     *     are sent again later with backoff, {@link SendException#permanent} ones end failed with the
     *     message as the reason
     */
    void send(OutboundMessage message);

    /**
     * The agent is working on a reply in this conversation (Telegram's "typing..."). The gateway calls
     * it when a turn starts and again every few seconds until the reply is ready. Best effort: return
     * at once (send the indicator asynchronously) and never throw. Default: nothing.
     *
     * @param conversationId the conversation the reply goes to
     * @param threadId the topic or thread in it, when the inbound message had one
     */
    default void typing(String conversationId, Optional<String> threadId) {}

    /**
     * Checks the credentials against the platform (for {@code channels status --probe}), e.g. with
     * Telegram's {@code getMe}. May block for a few seconds on the network. Called from a gateway
     * worker thread while this is the account's current adapter (after {@link #start()}, possibly
     * before it connected), and by {@code switchboard doctor} on an adapter it created and never
     * starts (then {@link #close()}s): so it must not depend on the receive loop. Report a failure as
     * a failed result; an exception counts as one, described by its class and message.
     *
     * @return whether the platform accepted the credentials, with a short secret-free detail
     */
    ProbeResult probe();

    /**
     * Stops receiving and releases every thread and socket the adapter holds (cancelling a long poll
     * in flight). Idempotent, also before {@link #start()}; returns within a few seconds even if the
     * platform does not answer. Called on the account's supervisor thread. Declares no checked
     * exception.
     */
    @Override
    void close();

    /**
     * The adapter for an account whose settings the channel cannot run with (a malformed token or key, found in
     * {@link ChannelProvider#create}): it reports {@link StatusReporter#failed(String, boolean) failed} for good
     * when started, since a malformed setting never fixes itself (restarting would loop); its sends fail
     * permanently and its probe fails, each with {@code problem} as the reason.
     *
     * @param status the account's reporter ({@link ChannelContext#status()})
     * @param problem what is wrong, in one secret-free line naming the key
     * @return an adapter that never connects
     */
    static ChannelAdapter misconfigured(StatusReporter status, String problem) {
        return new MisconfiguredAdapter(status, problem);
    }
}
