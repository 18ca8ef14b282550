package dev.switchboard.core.channel.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.channel.AccountState;
import dev.switchboard.core.channel.AccountStatus;
import dev.switchboard.core.internal.Failures;
import dev.switchboard.spi.AccountSettings;
import dev.switchboard.spi.ChannelAdapter;
import dev.switchboard.spi.ChannelProvider;
import dev.switchboard.spi.InboundSink;
import dev.switchboard.spi.OutboundMessage;
import dev.switchboard.spi.ProbeResult;
import dev.switchboard.spi.SendException;
import dev.switchboard.spi.StatusReporter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs one channel account: creates its adapter, starts it, and when it fails closes it and starts a
 * fresh one after an exponential backoff with jitter. Each account has its own lifecycle thread, so
 * an account that hangs or fails never holds up the others or the gateway.
 *
 * <p>Every adapter is a new <em>generation</em>; its status reports are ignored once it has been
 * replaced, and the old adapter is closed before the new one starts, so a platform never sees two
 * pollers from one account.
 */
public final class AccountSupervisor {
    private static final Logger log = LoggerFactory.getLogger(AccountSupervisor.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final ChannelProvider provider;
    private final ChannelResources resources;
    private final AccountStatusTracker tracker;
    private final ScheduledExecutorService lifecycle;
    private final AccountLease lease;

    // replaced by a reload (reconfigure on the lifecycle thread, updateLive from the reloader)
    private volatile AccountSettings settings;
    private volatile Optional<String> degradedReason;
    private volatile Redactor redactor;
    private volatile @Nullable AllowlistGate gate;

    /** Moved on by the lifecycle thread only; reporters on adapter threads compare against it. */
    private final AtomicInteger generation = new AtomicInteger();
    // written on the lifecycle thread only; volatile so reporters on adapter threads see it
    private volatile boolean closing;
    private volatile @Nullable ChannelAdapter adapter;
    /**
     * The adapter once its {@code start()} returned: what sends, typing and probes use. A start that
     * throws never gets here, so no send is attempted (and counted) against an adapter failing to start.
     */
    private volatile @Nullable ChannelAdapter started;
    /** Failures since the account last stayed connected for {@code stableAfter}; lifecycle thread only. */
    private int consecutiveFailures;

    private @Nullable ScheduledFuture<?> pendingRestart;
    private @Nullable ScheduledFuture<?> stableCheck;

    /**
     * @param degradedReason when present (a secret could not be resolved) the account is not
     *     started and shows {@code degraded} with this reason
     */
    public AccountSupervisor(
            ChannelProvider provider,
            AccountSettings settings,
            Optional<String> degradedReason,
            ChannelResources resources,
            Consumer<AccountStatus> listener) {
        this(provider, settings, degradedReason, resources, listener, AccountLease.SOLE);
    }

    /**
     * @param lease the replica's lease the account runs under (docs/cluster.md); {@link
     *     AccountLease#SOLE} for a single gateway
     */
    public AccountSupervisor(
            ChannelProvider provider,
            AccountSettings settings,
            Optional<String> degradedReason,
            ChannelResources resources,
            Consumer<AccountStatus> listener,
            AccountLease lease) {
        this.lease = requireNonNull(lease, "lease is null");
        this.provider = requireNonNull(provider, "provider is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.degradedReason = requireNonNull(degradedReason, "degradedReason is null");
        this.resources = requireNonNull(resources, "resources is null");
        this.tracker = new AccountStatusTracker(
                settings.channelId(),
                settings.accountId(),
                resources.clock(),
                requireNonNull(listener, "listener is null"));
        this.redactor = new Redactor(settings.secrets().values());
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "channel-" + settings.channelId() + "-" + settings.accountId());
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.lifecycle = executor;
    }

    public String channelId() {
        return settings.channelId();
    }

    public String accountId() {
        return settings.accountId();
    }

    /** Starts the account in the background, its allowed messages going to {@code inbound}; returns at once. */
    public void start(InboundSink inbound) {
        requireNonNull(inbound, "inbound is null");
        InboundSink checked = lease.fence().isPresent()
                ? new LeaseCheckedSink(inbound, lease, channelId() + "." + accountId())
                : inbound;
        this.gate = new AllowlistGate(settings.strings(provider.allowlistKey()), checked, tracker);
        if (degradedReason.isPresent()) {
            tracker.transition(AccountState.DEGRADED, redactor.redact(degradedReason.get()));
            return;
        }
        lifecycle.execute(this::launch);
    }

    /**
     * Whether an adapter exists to take sends. False before the first adapter has started, while one
     * starts, while the supervisor waits to restart a failed one, and after close: a send then cannot
     * reach the platform.
     */
    public boolean running() {
        return started != null;
    }

    public AccountStatus status() {
        return tracker.snapshot();
    }

    /**
     * Checks the account's credentials against its platform through the running adapter. Blocks
     * (network); call it from a worker. Secret values are stripped from the answer.
     */
    public ProbeResult probe() {
        ChannelAdapter current = started;
        if (current == null) {
            AccountStatus status = status();
            return ProbeResult.failed("not running (" + status.state().wireName()
                    + status.lastError().map(error -> ": " + error).orElse("") + ")");
        }
        try {
            ProbeResult result = current.probe();
            return new ProbeResult(result.ok(), redactor.redact(result.detail()));
        } catch (RuntimeException | LinkageError e) {
            return ProbeResult.failed(redactor.redact(Failures.describe(e)));
        }
    }

    /**
     * Sends through the running adapter (SPEC §6 outbox). Blocks until the platform took it.
     *
     * @throws SendException from the adapter, or a retryable one when no adapter is running
     */
    public void send(OutboundMessage message) {
        requireNonNull(message, "message is null");
        if (!lease.isHeld()) {
            throw SendException.retryable(
                    channelId() + "." + accountId() + ": this replica's lease on the account has lapsed", null);
        }
        ChannelAdapter current = started;
        if (current == null) {
            throw SendException.retryable(
                    channelId() + "." + accountId() + " is not running ("
                            + status().state().wireName() + ")",
                    null);
        }
        current.send(message);
        tracker.outbound(); // counted here, not by each adapter: a delivery is a send that returned
    }

    /**
     * Shows the platform's typing indicator through the running adapter; nothing while none runs.
     * Best effort: an adapter's failure is logged at debug and ignored.
     */
    public void typing(String conversationId, Optional<String> threadId) {
        ChannelAdapter current = started;
        if (current == null) {
            return;
        }
        try {
            current.typing(conversationId, threadId);
        } catch (RuntimeException | LinkageError e) {
            log.debug(
                    "{}.{}: typing indicator failed: {}",
                    channelId(),
                    accountId(),
                    redactor.redact(Failures.describe(e)));
        }
    }

    /** Failures counted towards the next restart delay (for tests; read on the lifecycle thread). */
    int consecutiveFailures() {
        try {
            return lifecycle.submit(() -> consecutiveFailures).get();
        } catch (Exception e) {
            throw new IllegalStateException("account " + channelId() + "." + accountId() + " is closed", e);
        }
    }

    /** Counts an outbound message that failed permanently. */
    public void countFailedMessage() {
        tracker.failedMessage();
    }

    /**
     * Takes settings that differ only in keys applied live (the allowlist): the running adapter keeps
     * running, the next message is checked against the new allowlist.
     */
    public void updateLive(AccountSettings updated) {
        requireNonNull(updated, "updated is null");
        settings = updated;
        updateAllowlist(updated);
    }

    private void updateAllowlist(AccountSettings updated) {
        AllowlistGate current = gate;
        if (current != null) {
            current.update(updated.strings(provider.allowlistKey()));
        }
    }

    /**
     * Restarts the account with new settings (a reload changed its keys or secrets): the running
     * adapter is closed fully before the new one is created, so the platform never sees two. With a
     * {@code degradedReason} (a secret that no longer resolves) the account stays down, {@code
     * degraded} with the reason. Returns once the old adapter is closed; the new one starts next on the
     * account's thread.
     */
    public void reconfigure(AccountSettings updated, Optional<String> degraded) {
        requireNonNull(updated, "updated is null");
        requireNonNull(degraded, "degraded is null");
        try {
            lifecycle
                    .submit(() -> {
                        if (closing) {
                            return;
                        }
                        cancel(pendingRestart);
                        retireAdapter();
                        consecutiveFailures = 0;
                        // old secrets stay redacted: the closed adapter may still log with them
                        redactor = redactor.with(updated.secrets().values());
                        settings = updated;
                        degradedReason = degraded;
                        updateAllowlist(updated);
                        if (degraded.isPresent()) {
                            tracker.transition(AccountState.DEGRADED, redactor.redact(degraded.get()));
                            return;
                        }
                        tracker.restarted();
                        lifecycle.execute(this::launch); // after this task: the caller waits for the close only
                    })
                    .get(CLOSE_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RejectedExecutionException | java.util.concurrent.ExecutionException e) {
            log.debug("{}.{}: reconfigure skipped: {}", channelId(), accountId(), Failures.describe(e));
        } catch (java.util.concurrent.TimeoutException e) {
            log.warn(
                    "{}.{}: restart with new settings still running after {}s",
                    channelId(),
                    accountId(),
                    CLOSE_TIMEOUT.toSeconds() * 2);
        }
    }

    /** Asks the account to stop; {@link #awaitClosed()} waits for it. */
    public void beginClose() {
        if (closing) {
            return;
        }
        closing = true;
        lifecycle.execute(() -> {
            cancel(pendingRestart);
            cancel(stableCheck);
            closeAdapter();
            tracker.transition(AccountState.STOPPED, null);
        });
        lifecycle.shutdown();
    }

    /** Waits (bounded) until the adapter is closed; interrupts a start that hangs past the bound. */
    public void awaitClosed() {
        try {
            if (!lifecycle.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn(
                        "{}.{} did not close within {}s; interrupting it",
                        channelId(),
                        accountId(),
                        CLOSE_TIMEOUT.toSeconds());
                lifecycle.shutdownNow();
                tracker.transition(AccountState.STOPPED, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            lifecycle.shutdownNow();
        }
    }

    public void close() {
        beginClose();
        awaitClosed();
    }

    private void launch() {
        if (closing) {
            return;
        }
        int current = generation.incrementAndGet();
        tracker.transition(AccountState.STARTING, null);
        withMdc(() -> {
            try {
                ChannelAdapter created = provider.create(new AccountContext(
                        settings,
                        requireNonNull(gate, "launched before start(inbound)"),
                        new Reporter(current),
                        resources.httpClient(),
                        resources.scheduler(),
                        resources.clock(),
                        resources.cursors(),
                        lease.fence(),
                        resources.webhooks()));
                adapter = created;
                created.start();
                started = created;
            } catch (Exception | LinkageError e) {
                log.debug("{}.{} failed to start", channelId(), accountId(), e);
                onFailure(current, Failures.describe(e), false);
            }
        });
    }

    /** Runs on the lifecycle thread. */
    private void onFailure(int failedGeneration, String reason, boolean permanent) {
        if (failedGeneration != generation.get() || closing) {
            return;
        }
        retireAdapter(); // it connected, but not for long enough: this failure counts on top
        String shown = redactor.redact(reason);
        if (permanent) {
            log.error("{}.{} failed permanently: {}", channelId(), accountId(), shown);
            tracker.transition(AccountState.FAILED, shown);
            return;
        }
        Duration delay = resources.restartBackoff().delay(consecutiveFailures++);
        log.warn("{}.{} failed: {}; restarting in {} ms", channelId(), accountId(), shown, delay.toMillis());
        tracker.transition(AccountState.RECONNECTING, shown);
        pendingRestart = lifecycle.schedule(
                () -> {
                    tracker.restarted();
                    launch();
                },
                delay.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * Closes the running adapter and moves to the next generation, so reports still in flight from the
     * closed one are ignored, and drops its pending "stayed connected" check. Lifecycle thread only.
     */
    private void retireAdapter() {
        closeAdapter();
        generation.incrementAndGet();
        cancel(stableCheck);
    }

    private void closeAdapter() {
        started = null;
        ChannelAdapter closing = adapter;
        adapter = null;
        if (closing == null) {
            return;
        }
        try {
            closing.close();
        } catch (RuntimeException e) {
            log.warn(
                    "{}.{} adapter failed to close: {}",
                    channelId(),
                    accountId(),
                    redactor.redact(Failures.describe(e)));
        }
    }

    /**
     * The account connected: its backoff starts over once it has stayed connected for {@code
     * stableAfter}, not at once, so an adapter that connects and then dies at once (a poison update)
     * restarts slower each time instead of in a hot loop. Lifecycle thread only.
     */
    private void onConnected() {
        tracker.transition(AccountState.CONNECTED, null);
        cancel(stableCheck);
        int connectedGeneration = generation.get();
        stableCheck = lifecycle.schedule(
                () -> {
                    if (connectedGeneration == generation.get() && tracker.state() == AccountState.CONNECTED) {
                        consecutiveFailures = 0;
                    }
                },
                resources.stableAfter().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private static void cancel(@Nullable ScheduledFuture<?> task) {
        if (task != null) {
            task.cancel(false);
        }
    }

    /** Runs {@code action} on the lifecycle thread, unless the account is already shutting down. */
    private void onLifecycleThread(Runnable action) {
        try {
            lifecycle.execute(action);
        } catch (RejectedExecutionException e) {
            // closing: the close task owns the adapter now
        }
    }

    private void withMdc(Runnable action) {
        MDC.put("channel", channelId());
        MDC.put("account", accountId());
        try {
            action.run();
        } finally {
            MDC.remove("channel");
            MDC.remove("account");
        }
    }

    /** The status reporter of one adapter generation. */
    private final class Reporter implements StatusReporter {
        private final int owner;

        Reporter(int owner) {
            this.owner = owner;
        }

        private boolean current() {
            return owner == generation.get() && !closing;
        }

        @Override
        public void connected() {
            if (current()) {
                onLifecycleThread(() -> {
                    if (current()) {
                        onConnected();
                    }
                });
            }
        }

        @Override
        public void reconnecting(String reason) {
            if (current()) {
                tracker.transition(AccountState.RECONNECTING, redactor.redact(reason));
            }
        }

        @Override
        public void degraded(String reason) {
            if (current()) {
                tracker.transition(AccountState.DEGRADED, redactor.redact(reason));
            }
        }

        @Override
        public void waiting(String reason, Duration wait) {
            requireNonNull(wait, "wait is null");
            if (current()) {
                tracker.waiting(redactor.redact(reason), wait.isNegative() ? Duration.ZERO : wait);
            }
        }

        /** Counted as dropped and logged here, once per skip, so every channel's skips look alike. */
        @Override
        public void skipped(String reason) {
            if (current()) {
                tracker.dropped();
                log.warn("{}.{}: skipped {}", channelId(), accountId(), redactor.redact(reason));
            }
        }

        @Override
        public void failed(String reason, boolean permanent) {
            if (current()) {
                onLifecycleThread(() -> onFailure(owner, reason, permanent));
            }
        }
    }
}
