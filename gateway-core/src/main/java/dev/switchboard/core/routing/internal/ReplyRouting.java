package dev.switchboard.core.routing.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.channel.internal.ChannelSupervisor;
import dev.switchboard.core.cluster.internal.AccountOwnership;
import dev.switchboard.core.store.internal.Store;
import dev.switchboard.spi.Backoff;
import dev.switchboard.spi.InboundSink;
import dev.switchboard.spi.agent.AgentRuntime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The reply loop of SPEC §6 assembled: inbound messages ({@link #inbound()}) and protocol runs
 * ({@link #webChat()}) share the conversations' serial lanes and the {@link Turns}; replies and
 * proactive sends ({@link #outbound()}) go through one durable outbox to the channels' accounts.
 *
 * <pre>
 * adapter -> inbound() = ReplyLoop (durable accept) -> ConversationQueue (lane per session)
 *         -> Turns (agent, history) -> outbox row -> OutboxSender -> AccountSupervisor.send
 * </pre>
 *
 * Constructing wires the parts and starts nothing; {@link #start()} sends what the last run left
 * pending and answers what it left unanswered.
 */
public final class ReplyRouting implements AutoCloseable {
    /** Conversations answered at once; more wait on their lanes (turns mostly wait on the agent). */
    private static final int REPLY_WORKERS = 32;
    /** Conversations sent to at once. */
    private static final int OUTBOX_PARALLELISM = 4;

    /**
     * How the reply loop behaves.
     *
     * @param historyLimit the turns of history an agent run sees ({@code agent.history_limit})
     * @param systemPrompt the system prompt of every run; empty: the runtime's own
     * @param outboxBackoff how failed sends back off
     * @param typingDelay how long a turn runs before the typing indicator shows
     * @param typingInterval how often the typing indicator is renewed
     * @param turnGrace how long {@link #close()} lets running turns finish (the rest are answered after
     *     a restart)
     */
    public record Settings(
            int historyLimit,
            Optional<String> systemPrompt,
            Backoff outboxBackoff,
            Duration typingDelay,
            Duration typingInterval,
            Duration turnGrace) {
        public Settings {
            requireNonNull(systemPrompt, "systemPrompt is null");
            requireNonNull(outboxBackoff, "outboxBackoff is null");
            requireNonNull(typingDelay, "typingDelay is null");
            requireNonNull(typingInterval, "typingInterval is null");
            requireNonNull(turnGrace, "turnGrace is null");
        }
    }

    private final ConversationQueue queue;
    private final ReplyLoop loop;
    private final OutboxSender sender;
    private final WebChat webChat;
    private final Outbound outbound;
    private final Duration turnGrace;
    private final Turns turns;
    private final boolean soleGateway;

    /**
     * @param channels the accounts replies and sends go to (typing indicators too)
     * @param ownership which accounts this gateway sends for: all of them, or on a cluster replica
     *     the ones whose lease it holds
     * @param senders the accounts a proactive send may name: the running ones, or on a cluster
     *     replica every configured one (its owner sends)
     * @param defaultAccount a channel's configured {@code default_account}, for proactive sends
     * @param scheduler runs the typing indicators
     * @param timings gets the agent runs' and the delivered replies' durations
     */
    public ReplyRouting(
            Store store,
            AgentRuntime agent,
            ChannelSupervisor channels,
            AccountOwnership ownership,
            Supplier<List<Outbound.Target>> senders,
            Function<String, Optional<String>> defaultAccount,
            ScheduledExecutorService scheduler,
            Clock clock,
            Settings settings,
            LoopTimings timings) {
        requireNonNull(store, "store is null");
        requireNonNull(channels, "channels is null");
        requireNonNull(settings, "settings is null");
        this.turnGrace = settings.turnGrace();
        this.queue = new ConversationQueue(REPLY_WORKERS);
        this.turns = new Turns(store, agent, settings.historyLimit(), settings.systemPrompt(), timings);
        this.soleGateway = ownership == AccountOwnership.SOLE;
        this.sender = new OutboxSender(
                store, channels::find, ownership, clock, settings.outboxBackoff(), OUTBOX_PARALLELISM, timings);
        TypingIndicator typing =
                new TypingIndicator(channels::typing, scheduler, settings.typingDelay(), settings.typingInterval());
        this.loop = new ReplyLoop(store, queue, turns, sender::offer, Optional.of(typing));
        this.webChat = new WebChat(store, new ProtocolRuns(store, queue, turns));
        this.outbound = new Outbound(store, senders, defaultAccount, sender::wake);
    }

    /**
     * Answers the turns that start from now on with {@code agent} and these settings (a hot reload
     * of {@code [agent]}); turns already running finish with the agent they began with.
     */
    public void reconfigureAgent(AgentRuntime agent, int historyLimit, Optional<String> systemPrompt) {
        turns.reconfigure(new Turns.AgentSetup(agent, historyLimit, systemPrompt));
    }

    /** Sends the rows the last run left pending, then answers the messages it left unanswered. */
    public void start() {
        sender.start();
        loop.start(soleGateway);
    }

    /**
     * Answers one account's messages accepted before {@code acceptedBefore} and left unanswered,
     * and sends its pending rows: a cluster replica took the account over (docs/cluster.md).
     */
    public void recover(String channel, String account, Instant acceptedBefore) {
        loop.recover(channel, account, acceptedBefore);
        sender.reconcileNow();
    }

    /** Where the channels deliver allowed inbound messages. */
    public InboundSink inbound() {
        return loop;
    }

    /** The built-in webchat and the protocol's agent runs ({@code chat.*}, {@code agent}, {@code sessions.*}). */
    public WebChat webChat() {
        return webChat;
    }

    /** Proactive sends ({@code send}, {@code agent} deliveries). */
    public Outbound outbound() {
        return outbound;
    }

    /**
     * Stops taking messages, lets running turns finish for the turn grace (unfinished ones stay
     * unanswered in the store and are answered after a restart), then stops the sender (pending rows
     * wait for the next start). Does not close the store or the agent.
     */
    @Override
    public void close() {
        loop.close();
        queue.close(turnGrace);
        sender.close();
    }
}
