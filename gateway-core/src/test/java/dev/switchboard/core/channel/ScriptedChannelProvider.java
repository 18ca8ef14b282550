package dev.switchboard.core.channel;

import dev.switchboard.spi.ChannelAdapter;
import dev.switchboard.spi.ChannelContext;
import dev.switchboard.spi.ChannelKind;
import dev.switchboard.spi.OutboundMessage;
import dev.switchboard.spi.ProbeResult;
import dev.switchboard.spi.SendException;
import dev.switchboard.testkit.channel.TestChannelProvider;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A real provider whose adapters behave as a test scripts them: fail to start for chosen accounts or
 * attempts, connect otherwise, and record every generation so tests can fail one on demand.
 */
public class ScriptedChannelProvider extends TestChannelProvider {
    /** Decides whether the adapter for (account, attempt number from 1) throws from start(). */
    private volatile StartScript startScript = (account, attempt) -> false;

    /** While set, adapters' close() blocks until it is counted down, ignoring interrupts (a stuck socket). */
    private volatile CountDownLatch closeBlocker;

    /** Whether adapters report connected and then fail at once, as on a poison update. */
    private volatile boolean dieAfterConnect;

    /** Decides whether a send of (message, attempt number of its idempotency key from 1) fails. */
    private volatile SendScript sendScript = (message, attempt) -> null;

    public final List<ScriptedAdapter> created = new CopyOnWriteArrayList<>();
    /** Every message a platform took, in the order it took them, across adapters. */
    public final List<OutboundMessage> sent = new CopyOnWriteArrayList<>();
    /** The conversation of every typing indicator shown, in order, across adapters. */
    public final List<String> typing = new CopyOnWriteArrayList<>();

    private final Map<String, AtomicInteger> sendAttempts = new ConcurrentHashMap<>();
    final AtomicInteger open = new AtomicInteger();
    public final AtomicInteger maxOpen = new AtomicInteger();

    ScriptedChannelProvider(String id, Set<String> aliases, ChannelKind kind) {
        super(Spec.replyLoop(id, "allowed_ids")
                .withAliases(aliases.toArray(String[]::new))
                .withKind(kind)
                .withSecrets("token")
                .withSettings("note"));
    }

    public static ScriptedChannelProvider replyLoop(String id, String... aliases) {
        return new ScriptedChannelProvider(id, Set.of(aliases), ChannelKind.REPLY_LOOP);
    }

    /** A send-only channel (a group-robot webhook): never in the reply loop. */
    public static ScriptedChannelProvider outboundOnly(String id) {
        return new ScriptedChannelProvider(id, Set.of(), ChannelKind.OUTBOUND_ONLY);
    }

    /** Makes start() throw for the accounts the predicate selects. */
    public ScriptedChannelProvider failingStart(Predicate<String> account) {
        this.startScript = (acct, attempt) -> account.test(acct);
        return this;
    }

    /** Makes adapters' close() hang until {@code release} is counted down, whatever interrupts it. */
    public ScriptedChannelProvider closingOnlyAfter(CountDownLatch release) {
        this.closeBlocker = release;
        return this;
    }

    /** Adapters connect, then report a (retryable) failure at once: the hot-loop shape of a poison update. */
    public ScriptedChannelProvider dyingAfterConnect(boolean die) {
        this.dieAfterConnect = die;
        return this;
    }

    public ScriptedChannelProvider failingFirstStarts(int count) {
        this.startScript = (acct, attempt) -> attempt <= count;
        return this;
    }

    /** Makes send() throw the returned exception, or succeed when it returns null. */
    public ScriptedChannelProvider sending(SendScript script) {
        this.sendScript = script;
        return this;
    }

    /** How many times a message with this idempotency key was handed to send(). */
    public int sendAttempts(String idempotencyKey) {
        AtomicInteger attempts = sendAttempts.get(idempotencyKey);
        return attempts == null ? 0 : attempts.get();
    }

    public interface SendScript {
        /** A {@link SendException}, or any unchecked throwable a broken channel may throw; null to succeed. */
        Throwable fails(OutboundMessage message, int attempt);
    }

    interface StartScript {
        boolean fails(String account, int attempt);
    }

    @Override
    public ChannelAdapter create(ChannelContext context) {
        String account = context.settings().accountId();
        int attempt =
                (int) created.stream().filter(a -> a.account.equals(account)).count() + 1;
        ScriptedAdapter adapter = new ScriptedAdapter(context, account, startScript.fails(account, attempt));
        created.add(adapter);
        return adapter;
    }

    public List<ScriptedAdapter> adapters(String account) {
        return created.stream().filter(a -> a.account.equals(account)).toList();
    }

    public final class ScriptedAdapter implements ChannelAdapter {
        public final ChannelContext context;
        final String account;
        final boolean failStart;
        public volatile boolean closed;
        public final AtomicInteger closeCalls = new AtomicInteger();
        /** When the supervisor created this generation ({@link System#nanoTime()}). */
        public final long createdAtNanos = System.nanoTime();

        ScriptedAdapter(ChannelContext context, String account, boolean failStart) {
            this.context = context;
            this.account = account;
            this.failStart = failStart;
        }

        @Override
        public void start() {
            int now = open.incrementAndGet();
            maxOpen.accumulateAndGet(now, Math::max);
            if (failStart) {
                throw new IllegalStateException("platform refused " + account + " with token "
                        + context.settings()
                                .secret("token")
                                .map(s -> s.reveal())
                                .orElse("-"));
            }
            context.status().connected();
            if (dieAfterConnect) {
                context.status().failed("update 42 crashed the receive loop", false);
            }
        }

        @Override
        public void send(OutboundMessage message) {
            int attempt = sendAttempts
                    .computeIfAbsent(message.idempotencyKey(), key -> new AtomicInteger())
                    .incrementAndGet();
            Throwable failure = sendScript.fails(message, attempt);
            if (failure instanceof Error error) {
                throw error;
            }
            if (failure != null) {
                throw (RuntimeException) failure;
            }
            sent.add(message);
        }

        @Override
        public void typing(String conversationId, Optional<String> threadId) {
            typing.add(conversationId);
        }

        @Override
        public ProbeResult probe() {
            return ProbeResult.ok(account);
        }

        @Override
        public void close() {
            CountDownLatch blocker = closeBlocker;
            while (blocker != null && blocker.getCount() > 0) {
                try {
                    blocker.await();
                } catch (InterruptedException e) {
                    // hangs on, as a socket stuck in the kernel would
                }
            }
            if (closeCalls.getAndIncrement() == 0) {
                closed = true;
                open.decrementAndGet();
            }
        }
    }
}
