package dev.switchboard.spi;

import java.util.Optional;

/**
 * One running channel account. Created by {@link ChannelProvider#create(ChannelContext)}, owned by
 * the gateway's supervisor for that account. The supervisor calls {@link #start()} once, then
 * {@link #send} from any thread, and {@link #close()} exactly when it is done with the adapter;
 * after a failure it creates a new adapter rather than restarting this one.
 */
public interface ChannelAdapter extends AutoCloseable {
    /**
     * Starts receiving. May return before the platform connection is up (report it through
     * {@link StatusReporter#connected()}) and should: connect on the adapter's own thread, so a slow
     * platform never holds up the gateway. A {@link RuntimeException} means the account cannot start
     * at all, which the supervisor treats like {@link StatusReporter#failed(String, boolean)} (not
     * permanent). An I/O failure is reported, not thrown.
     */
    void start();

    /**
     * Delivers one message, splitting it at the platform's length limit and keeping the parts in
     * order. Blocks until the platform has taken every part.
     *
     * @throws SendException when the platform did not take it
     */
    void send(OutboundMessage message);

    /**
     * The agent is working on a reply in this conversation (Telegram's "typing..."). The gateway calls
     * it when a turn starts and again every few seconds until the reply is ready. Best effort: return
     * at once (send the indicator asynchronously) and never throw. Default: nothing.
     */
    default void typing(String conversationId, Optional<String> threadId) {}

    /** Checks the credentials against the platform (for {@code channels status --probe}). */
    ProbeResult probe();

    /**
     * Stops receiving and releases every thread and socket the adapter holds. Idempotent; returns
     * within a few seconds even if the platform does not answer.
     */
    @Override
    void close();
}
