package dev.switchboard.core;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.agent.AgentRuntimes;
import dev.switchboard.core.auth.AuthAudit;
import dev.switchboard.core.auth.AuthRateLimiter;
import dev.switchboard.core.auth.GatewayAuth;
import dev.switchboard.core.auth.GatewayConnectGuard;
import dev.switchboard.core.auth.OriginPolicy;
import dev.switchboard.core.channel.AccountSupervisor;
import dev.switchboard.core.channel.Backoff;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.channel.ChannelResources;
import dev.switchboard.core.channel.ChannelSupervisor;
import dev.switchboard.core.config.AccountConfig;
import dev.switchboard.core.config.ChannelSection;
import dev.switchboard.core.config.ConfigHash;
import dev.switchboard.core.config.ConfigView;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.owner.GatewayOwner;
import dev.switchboard.core.owner.OwnerPaths;
import dev.switchboard.core.owner.OwnerRecord;
import dev.switchboard.core.owner.OwnerRecord.Phase;
import dev.switchboard.core.routing.Outbound;
import dev.switchboard.core.routing.OutboxSender;
import dev.switchboard.core.routing.ReplyLoop;
import dev.switchboard.core.routing.WebChat;
import dev.switchboard.core.secrets.SecretResolver;
import dev.switchboard.core.secrets.SecretSnapshot;
import dev.switchboard.core.selector.AccountResolver;
import dev.switchboard.core.selector.ChannelSelector;
import dev.switchboard.core.selector.CredentialCheck;
import dev.switchboard.core.selector.SelectedAccount;
import dev.switchboard.core.server.ControlPlane;
import dev.switchboard.core.server.ControlProtocol;
import dev.switchboard.core.server.GatewayServer;
import dev.switchboard.core.server.HttpLimits;
import dev.switchboard.core.server.ListenAddress;
import dev.switchboard.core.server.Readiness;
import dev.switchboard.core.server.ServerCounters;
import dev.switchboard.core.server.ServerLimits;
import dev.switchboard.core.server.WebhookRoutes;
import dev.switchboard.core.store.OutboxRow;
import dev.switchboard.core.store.Retention;
import dev.switchboard.core.store.Store;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.Protocol;
import dev.switchboard.spi.AccountState;
import dev.switchboard.spi.AccountStatus;
import dev.switchboard.spi.AgentRuntime;
import dev.switchboard.spi.ChannelKind;
import dev.switchboard.spi.InboundSink;
import dev.switchboard.spi.ProbeResult;
import dev.switchboard.spi.Secret;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gateway: the owner of a state directory, its port, and its channel accounts.
 *
 * <pre>{@code
 * try (Gateway gateway = Gateway.builder()
 *         .config(new ConfigLoader(registry).load(path))
 *         .stateDir(stateDir)
 *         .registry(registry)
 *         .build()
 *         .start()) {
 *     gateway.awaitStopped();
 * }
 * }</pre>
 *
 * <p>{@link #start()} checks everything that needs no file or socket first (selection,
 * allowlists, secrets, credentials), then takes ownership of the state directory, binds the port
 * and starts the accounts. A failed start undoes what it did and records phase {@code failed}.
 * {@link #close()} is idempotent and bounded. The library installs no shutdown hook and never
 * exits the JVM: the launcher does.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);
    /** What a {@code shutdown} event before an in-process restart tells clients to wait. */
    private static final long RESTART_EXPECTED_MS = 2_000;
    /** Conversations answered at once; more wait in their queues. */
    private static final int REPLY_WORKERS = 32;
    /** Conversations sent to at once. */
    private static final int OUTBOX_PARALLELISM = 4;
    /** How long close() lets running turns finish; unfinished ones are answered after a restart. */
    private static final Duration TURN_GRACE = Duration.ofSeconds(10);
    /** The store purge runs shortly after start, then hourly (docs/store.md, Retention). */
    private static final Duration PURGE_FIRST_DELAY = Duration.ofMinutes(1);

    private static final Duration PURGE_INTERVAL = Duration.ofHours(1);
    /** How often the store is checked for {@code health} (a live check with {@code probe:true}). */
    private static final Duration STORE_CHECK_INTERVAL = Duration.ofSeconds(1);
    /** How long the agent provider probe of {@code health {probe:true}} may take. */
    private static final Duration AGENT_PROBE_TIMEOUT = Duration.ofSeconds(5);

    /** Lifecycle states; transitions only go forward. */
    public enum State {
        NEW,
        STARTING,
        RUNNING,
        STOPPING,
        STOPPED,
        FAILED
    }

    private final Builder settings;
    private final OwnerPaths paths;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private volatile State state = State.NEW;
    private volatile boolean restartRequested;
    private volatile GatewayAuth auth;
    private GatewayOwner owner;
    private GatewayServer server;
    private ControlProtocol control;
    private volatile ChannelSupervisor channels;
    private ScheduledExecutorService scheduler;
    private ExecutorService workers;
    private WebhookRoutes webhooks;
    private String configHash;
    private OkHttpClient ownedHttpClient;
    private volatile List<SelectedAccount> selection = List.of();
    private Store store;
    private volatile ReplyLoop replyLoop;
    private AgentRuntime agentRuntime;
    private volatile OutboxSender outboxSender;
    private volatile Outbound outbound;
    private volatile ControlPlane.StoreHealth lastStoreHealth;
    private final ServerCounters serverCounters = new ServerCounters();

    private Gateway(Builder settings) {
        this.settings = settings;
        this.paths = new OwnerPaths(settings.stateDir);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the gateway; returns once the port is bound and every account is starting in the
     * background.
     *
     * @throws SwitchboardException with kind USAGE for a bad selector, CONFIG for a configuration
     *     that refuses to run (including a state directory another gateway owns), RUNTIME otherwise
     */
    public synchronized Gateway start() {
        if (state != State.NEW) {
            throw new IllegalStateException("gateway already " + state.name().toLowerCase());
        }
        state = State.STARTING;
        try {
            selection = plan();
            SecretSnapshot secrets = SecretSnapshot.resolve(settings.config, settings.secretResolver);
            CredentialCheck.requireDistinct(
                    settings.registry,
                    settings.config,
                    (account, key) -> Optional.ofNullable(secrets.account(account.channelId(), account.accountId())
                            .get(key)));
            refuseUnauthenticatedExposure();
            auth = GatewayAuth.resolve(
                    settings.config.gateway().auth(),
                    secrets,
                    settings.environment,
                    settings.cliToken,
                    GatewayAuth::mintToken);
            configHash = ConfigHash.of(settings.config);

            owner = GatewayOwner.acquire(paths, initialOwnerRecord(), settings.clock);
            store = Store.open(settings.config.store().url(paths.stateDir()), settings.clock);
            scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "gateway-scheduler");
                thread.setDaemon(true);
                return thread;
            });
            workers = workerPool();
            control = new ControlProtocol(new Control(), serverLimits(), connectGuard(), workers, scheduler);
            webhooks = new WebhookRoutes(workers);
            server = GatewayServer.start(
                    settings.listen,
                    owner.current().instanceId(),
                    this::readiness,
                    Optional.of(control),
                    Optional.of(webhooks),
                    httpLimits(),
                    serverCounters);
            owner.update(record -> record.withPort(server.port()));
            InboundSink inbound = settings.inbound != null ? settings.inbound : startReplyLoop(secrets);
            List<AccountConfig> accounts = new ArrayList<>();
            selection.forEach(selected -> accounts.add(selected.account()));
            if (replyLoop != null) {
                accounts.addAll(sendOnlyAccounts()); // they only send, from the outbox
            }
            channels = new ChannelSupervisor(accounts.stream()
                    .map(account -> new AccountSupervisor(
                            settings.registry.byId(account.channelId()).orElseThrow(),
                            secrets.settings(account),
                            secrets.accountFailure(account.channelId(), account.accountId()),
                            channelResources(inbound),
                            this::onChannelStatus))
                    .toList());
            channels.start();
            if (replyLoop != null) {
                outboxSender = new OutboxSender(
                                store, channels.accounts(), settings.clock, settings.outboxBackoff, OUTBOX_PARALLELISM)
                        .start();
                outboxSender.wake(); // rows committed while the field was still null
                outbound = new Outbound(
                        store,
                        () -> channels.accounts(),
                        channel -> settings.config.channel(channel).flatMap(ChannelSection::defaultAccount),
                        this::wakeOutbox);
                scheduler.scheduleAtFixedRate(
                        this::measureStoreInBackground, 0, STORE_CHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
                scheduler.scheduleAtFixedRate(
                        this::purgeInBackground,
                        PURGE_FIRST_DELAY.toMillis(),
                        PURGE_INTERVAL.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
            measureStore();
            owner.update(record -> record.withPhase(Phase.RUNNING).withChannels(ownerChannels()));
            owner.startHeartbeat(scheduler, settings.heartbeat);
            state = State.RUNNING;
            log.info(
                    "gateway running on {}:{} (instance {}, {} channel account(s))",
                    settings.listen.host(),
                    server.port(),
                    owner.current().instanceId(),
                    selection.size());
            return this;
        } catch (RuntimeException | Error e) {
            state = State.FAILED;
            release(Phase.FAILED, "start failed", e.getMessage());
            throw e;
        }
    }

    /** Stops with reason {@code closed}. */
    @Override
    public void close() {
        close("closed");
    }

    /**
     * Stops gracefully: every control client gets a {@code shutdown} event, channels close (each
     * bounded), the port closes, owner.json records phase {@code stopped} with {@code reason}, and
     * the lock is released. Idempotent.
     */
    public void close(String reason) {
        close(reason, false);
    }

    private void close(String reason, boolean restart) {
        synchronized (this) {
            if (state == State.NEW) {
                state = State.STOPPED;
                stopped.countDown();
                return;
            }
            if (state != State.RUNNING) {
                return;
            }
            state = State.STOPPING;
        }
        log.info("gateway {}: {}", restart ? "restarting" : "stopping", reason);
        owner.update(record -> record.withPhase(Phase.STOPPING).toBuilder()
                .shutdownReason(reason)
                .build());
        control.shutdown(reason, restart ? Optional.of(RESTART_EXPECTED_MS) : Optional.empty());
        release(Phase.STOPPED, reason, null);
        state = State.STOPPED;
    }

    /**
     * Whether the gateway stopped because {@code gateway.restart} asked it to: the launcher then
     * re-reads the config and starts a new one.
     */
    public boolean restartRequested() {
        return restartRequested;
    }

    /** The credentials in force; the launcher prints a minted token once. */
    public GatewayAuth auth() {
        requireRunning();
        return auth;
    }

    /** Blocks until the gateway has stopped (or failed). */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public State state() {
        return state;
    }

    /** The bound port (the real one when started with port 0). */
    public int port() {
        requireRunning();
        return server.port();
    }

    public String instanceId() {
        requireRunning();
        return owner.current().instanceId();
    }

    public String controlToken() {
        requireRunning();
        return owner.controlToken();
    }

    /** Every running account's state and counters, in selection order. */
    public List<AccountStatus> channels() {
        ChannelSupervisor current = channels;
        return current == null ? List.of() : current.statuses();
    }

    /** The accounts this gateway runs and why each was chosen. */
    public List<SelectedAccount> selection() {
        return selection;
    }

    public Readiness readiness() {
        ChannelSupervisor current = channels;
        if (current == null) {
            return new Readiness(
                    false,
                    selection.stream()
                            .map(s -> s.channelId() + "." + s.accountId() + " (starting)")
                            .toList());
        }
        List<String> waiting = current.statuses().stream()
                .filter(status -> status.state() != AccountState.CONNECTED
                        && !(status.state() == AccountState.DEGRADED
                                && status.lastError().isPresent()))
                .map(status -> status.channelId() + "." + status.accountId() + " ("
                        + status.state().wireName() + ")")
                .toList();
        return new Readiness(waiting.isEmpty(), waiting);
    }

    /** Validates selection and allowlists without touching a file or socket. */
    private List<SelectedAccount> plan() {
        List<SelectedAccount> accounts =
                new AccountResolver(settings.registry).resolve(settings.config, settings.selectors);
        if (settings.mode == OwnerRecord.Mode.MULTI_CHANNEL_SERVE && accounts.isEmpty()) {
            throw SwitchboardException.config("multi-channel-serve needs at least one enabled runtime channel, and "
                    + settings.config.source().map(Path::toString).orElse("the built-in defaults")
                    + " enable none (use gateway run to serve without channels)");
        }
        return accounts;
    }

    /** SPEC §5.1: no auth on a non-loopback bind is refused. */
    private void refuseUnauthenticatedExposure() {
        ListenAddress listen = settings.listen;
        if (!listen.isLoopback() && settings.config.gateway().auth().mode() == GatewayConfig.AuthMode.NONE) {
            throw SwitchboardException.config("refusing to bind gateway to " + listen.host() + ":" + listen.port()
                    + " without auth (set gateway.auth.token/password or SWITCHBOARD_GATEWAY_TOKEN)");
        }
    }

    private OwnerRecord initialOwnerRecord() {
        return OwnerRecord.forStart(paths, settings.mode, settings.version, settings.clock)
                .session(settings.session.orElse(null))
                .configPath(settings.config.source().map(Path::toString).orElse(null))
                .bind(settings.listen.host())
                .portSource(settings.listen.portSource())
                .channels(selection.stream()
                        .map(s -> new OwnerRecord.ChannelStatus(
                                s.channelId(), s.accountId(), AccountState.STARTING.wireName(), Optional.empty()))
                        .toList())
                .build();
    }

    /** The built-in reply loop: answers what it accepted before the last stop, then takes new messages. */
    private InboundSink startReplyLoop(SecretSnapshot secrets) {
        GatewayConfig.Agent agent = settings.config.agent();
        agentRuntime = settings.agent != null
                ? settings.agent
                : AgentRuntimes.create(agent, secrets.gateway("agent.openai.api_key"), httpClient());
        String prompt = agent.openai().systemPrompt();
        replyLoop = new ReplyLoop(
                        store,
                        agentRuntime,
                        agent.historyLimit(),
                        prompt.isBlank() ? Optional.empty() : Optional.of(prompt),
                        this::offerToOutbox,
                        REPLY_WORKERS,
                        TURN_GRACE)
                .typing(this::showTyping, scheduler, settings.typingDelay, settings.typingInterval)
                .start();
        return replyLoop;
    }

    private void offerToOutbox(OutboxRow row) {
        OutboxSender sender = outboxSender;
        if (sender != null) {
            sender.offer(row);
        }
    }

    private void wakeOutbox() {
        OutboxSender sender = outboxSender;
        if (sender != null) {
            sender.wake();
        }
    }

    /** The reply loop's typing indicator, through the account's live adapter (none while it is down). */
    private void showTyping(String channelId, String accountId, String conversationId, Optional<String> threadId) {
        ChannelSupervisor current = channels;
        if (current != null) {
            current.find(channelId, accountId).ifPresent(account -> account.typing(conversationId, threadId));
        }
    }

    /**
     * Every account of each enabled outbound-only channel (a group-robot webhook): never in the reply
     * loop (SPEC §3), but run so {@code send} can deliver through it.
     */
    private List<AccountConfig> sendOnlyAccounts() {
        List<AccountConfig> accounts = new ArrayList<>();
        for (ChannelSection section : settings.config.channels().values()) {
            boolean outboundOnly = settings.registry
                    .byId(section.channelId())
                    .map(provider -> provider.kind() == ChannelKind.OUTBOUND_ONLY)
                    .orElse(false);
            if (section.enabled() && outboundOnly) {
                accounts.addAll(section.accounts().values());
            }
        }
        return accounts;
    }

    /** The store check that {@code health} without {@code probe} reports, on a worker once a second. */
    private void measureStoreInBackground() {
        try {
            workers.execute(this::measureStore);
        } catch (RejectedExecutionException e) {
            // stopping, or the workers are saturated: the next tick measures
        }
    }

    /** The hourly purge (docs/store.md, Retention), handed to a worker: the scheduler must not block. */
    private void purgeInBackground() {
        try {
            workers.execute(() -> {
                try {
                    Retention.Purged purged = Retention.purge(store, settings.clock.instant());
                    if (purged.total() > 0) {
                        log.info(
                                "store purge: {} outbox row(s), {} inbound message(s), {} idempotency key(s)",
                                purged.outbox(),
                                purged.inbound(),
                                purged.idempotency());
                    }
                } catch (RuntimeException e) {
                    log.warn("store purge failed (retried in an hour): {}", e.getMessage(), e);
                }
            });
        } catch (RejectedExecutionException e) {
            // stopping, or the workers are saturated: the next run purges
        }
    }

    /** Queries the store and remembers the result for {@code health} snapshots that must not block. */
    private ControlPlane.StoreHealth measureStore() {
        ControlPlane.StoreHealth health;
        try {
            health = new ControlPlane.StoreHealth(true, store.ping().toMillis(), Optional.empty());
        } catch (RuntimeException e) {
            health = new ControlPlane.StoreHealth(false, 0, Optional.of(e.getMessage()));
        }
        lastStoreHealth = health;
        return health;
    }

    private OkHttpClient httpClient() {
        if (settings.httpClient != null) {
            return settings.httpClient;
        }
        if (ownedHttpClient == null) {
            ownedHttpClient = new OkHttpClient();
        }
        return ownedHttpClient;
    }

    private ChannelResources channelResources(InboundSink inbound) {
        return new ChannelResources(
                inbound,
                httpClient(),
                scheduler,
                settings.clock,
                settings.backoff,
                Optional.of(store.cursors()),
                Optional.of(webhooks));
    }

    private void onChannelStatus(AccountStatus status) {
        log.info(
                "{}.{} is {}{}",
                status.channelId(),
                status.accountId(),
                status.state().wireName(),
                status.lastError().map(error -> ": " + error).orElse(""));
        GatewayOwner current = owner;
        if (current != null && !current.isClosed() && channels != null) {
            current.update(record -> record.withChannels(ownerChannels()));
        }
        ControlProtocol protocol = control;
        if (protocol != null) {
            protocol.channelChanged(status);
        }
        settings.channelListener.accept(status);
    }

    private List<OwnerRecord.ChannelStatus> ownerChannels() {
        return channels().stream()
                .map(s -> new OwnerRecord.ChannelStatus(
                        s.channelId(), s.accountId(), s.state().wireName(), s.lastError()))
                .toList();
    }

    /** Undoes whatever start() got to, in reverse order; never throws. */
    private void release(Phase phase, String reason, String error) {
        try {
            if (channels != null) {
                channels.close();
            }
            if (replyLoop != null) {
                replyLoop.close(); // running turns finish (bounded); the rest is answered after a restart
            }
            if (agentRuntime != null && agentRuntime != settings.agent) {
                agentRuntime.close(); // one handed to the builder belongs to the caller
            }
            if (outboxSender != null) {
                outboxSender.close();
            }
            if (store != null) {
                store.close();
            }
            if (control != null) {
                control.close();
            }
            if (server != null) {
                server.close();
            }
            if (owner != null) {
                owner.update(record -> record.withChannels(ownerChannels()));
                owner.close(phase, reason, error);
            }
        } catch (RuntimeException e) {
            log.warn("error while stopping the gateway: {}", e.getMessage(), e);
        } finally {
            if (scheduler != null) {
                scheduler.shutdownNow();
            }
            if (workers != null) {
                workers.shutdownNow();
            }
            if (ownedHttpClient != null) {
                ownedHttpClient.dispatcher().executorService().shutdown();
                ownedHttpClient.connectionPool().evictAll();
            }
            stopped.countDown();
        }
    }

    private ServerLimits serverLimits() {
        GatewayConfig.Limits limits = settings.config.gateway().limits();
        return new ServerLimits(
                limits.maxPayloadBytes(),
                limits.maxBufferedBytes(),
                Duration.ofMillis(limits.tickIntervalMs()),
                Duration.ofMillis(Protocol.HANDSHAKE_TIMEOUT_MS));
    }

    private HttpLimits httpLimits() {
        GatewayConfig.Limits limits = settings.config.gateway().limits();
        return new HttpLimits(
                limits.maxConnections(),
                Duration.ofMillis(limits.requestHeaderTimeoutMs()),
                Duration.ofMillis(limits.httpIdleTimeoutMs()));
    }

    private GatewayConnectGuard connectGuard() {
        AuthAudit audit = new AuthAudit(serverCounters, settings.clock);
        long flushMs = AuthAudit.FLUSH_EVERY.toMillis();
        scheduler.scheduleAtFixedRate(audit::flush, flushMs, flushMs, TimeUnit.MILLISECONDS);
        return new GatewayConnectGuard(
                () -> auth,
                new AuthRateLimiter(settings.clock),
                new OriginPolicy(settings.config.gateway().controlUi().allowedOrigins()),
                Secret.of(owner.controlToken()),
                audit);
    }

    /** Blocking protocol work (probes); bounded, so a flood is answered UNAVAILABLE, not queued forever. */
    private static ExecutorService workerPool() {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor pool =
                new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(256), runnable -> {
                    Thread thread = new Thread(runnable, "gateway-worker-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private long uptimeMs() {
        return Duration.between(owner.current().startedAt(), settings.clock.instant())
                .toMillis();
    }

    /** What the control protocol sees of this gateway. */
    private final class Control implements ControlPlane {
        @Override
        public String instanceId() {
            return owner.current().instanceId();
        }

        @Override
        public String version() {
            return settings.version;
        }

        @Override
        public long uptimeMs() {
            return Gateway.this.uptimeMs();
        }

        @Override
        public ObjectNode status() {
            OwnerRecord record = owner.current();
            ObjectNode status = FrameCodec.json()
                    .createObjectNode()
                    .put("instanceId", record.instanceId())
                    .put("version", settings.version)
                    .put("pid", record.pid())
                    .put("mode", record.mode().wireName())
                    .put("session", record.session().orElse(null))
                    .put("uptimeMs", Gateway.this.uptimeMs())
                    .put("startedAt", record.startedAt().toString())
                    .put("stateDir", record.stateDir())
                    .put("configPath", record.configPath().orElse(null))
                    .put("bind", record.bind());
            record.port().ifPresent(port -> status.put("port", port));
            status.put("authMode", auth.mode().name().toLowerCase(java.util.Locale.ROOT));
            ArrayNode list = status.putArray("channels");
            for (AccountStatus account : Gateway.this.channels()) {
                list.addObject()
                        .put("channel", account.channelId())
                        .put("account", account.accountId())
                        .put("state", account.state().wireName());
            }
            return status;
        }

        @Override
        public List<AccountStatus> channels() {
            return Gateway.this.channels();
        }

        @Override
        public Map<String, ProbeResult> probeChannels() {
            ChannelSupervisor current = channels;
            Map<String, ProbeResult> results = new LinkedHashMap<>();
            if (current != null) {
                for (AccountSupervisor account : current.accounts()) {
                    results.put(account.channelId() + "." + account.accountId(), account.probe());
                }
            }
            return results;
        }

        @Override
        public ObjectNode config() {
            ObjectNode payload = FrameCodec.json().createObjectNode();
            payload.put("path", settings.config.source().map(Path::toString).orElse(null));
            payload.put("hash", configHash);
            payload.set("config", ConfigView.toJson(settings.config));
            return payload;
        }

        @Override
        public Optional<WebChat> webChat() {
            ReplyLoop loop = replyLoop;
            return loop == null ? Optional.empty() : Optional.of(loop.webChat());
        }

        @Override
        public Optional<Outbound> outbound() {
            return Optional.ofNullable(outbound);
        }

        @Override
        public ServerCounters serverCounters() {
            return serverCounters;
        }

        @Override
        public Optional<StoreHealth> storeHealth(boolean measure) {
            if (store == null) {
                return Optional.empty();
            }
            StoreHealth last = lastStoreHealth;
            return Optional.of(measure || last == null ? measureStore() : last);
        }

        @Override
        public Optional<AgentHealth> agentHealth(boolean probe) {
            AgentRuntime runtime = agentRuntime;
            if (runtime == null) {
                return Optional.empty();
            }
            return Optional.of(new AgentHealth(
                    runtime.id(),
                    probe ? Optional.of(AgentRuntimes.probe(runtime, AGENT_PROBE_TIMEOUT)) : Optional.empty()));
        }

        @Override
        public void requestStop(String reason) {
            inBackground(() -> close(reason, false));
        }

        @Override
        public void requestRestart(String reason) {
            restartRequested = true;
            inBackground(() -> close(reason, true));
        }

        /** After the current response is on its way: the stop closes the socket that asked. */
        private void inBackground(Runnable action) {
            Thread thread = new Thread(action, "gateway-stop");
            thread.setDaemon(false);
            thread.start();
        }
    }

    private void requireRunning() {
        if (server == null || owner == null) {
            throw new IllegalStateException("gateway is " + state.name().toLowerCase() + ", not started");
        }
    }

    /** Settings of a gateway; {@link #config} and {@link #stateDir} are required. */
    public static final class Builder {
        private GatewayConfig config;
        private Path stateDir;
        private ChannelRegistry registry;
        private List<ChannelSelector> selectors = List.of();
        private SecretResolver secretResolver;
        private ListenAddress listen;
        private OwnerRecord.Mode mode = OwnerRecord.Mode.GATEWAY;
        private Optional<String> session = Optional.empty();
        private String version = Version.current();
        private Clock clock = Clock.systemUTC();
        private Duration heartbeat = Duration.ofSeconds(5);
        private Backoff backoff = Backoff.CHANNEL_RESTART;
        private OkHttpClient httpClient;
        private InboundSink inbound;
        private Backoff outboxBackoff = OutboxSender.DEFAULT_BACKOFF;
        private Consumer<AccountStatus> channelListener = status -> {};
        private AgentRuntime agent;
        private Duration typingInterval = ReplyLoop.TYPING_INTERVAL;
        private Duration typingDelay = ReplyLoop.TYPING_DELAY;
        private Map<String, String> environment = System.getenv();
        private Optional<String> cliToken = Optional.empty();

        private Builder() {}

        public Builder config(GatewayConfig config) {
            this.config = requireNonNull(config, "config is null");
            return this;
        }

        public Builder stateDir(Path stateDir) {
            this.stateDir = requireNonNull(stateDir, "stateDir is null");
            return this;
        }

        /** Channels known to this gateway; default: discovered with ServiceLoader. */
        public Builder registry(ChannelRegistry registry) {
            this.registry = requireNonNull(registry, "registry is null");
            return this;
        }

        /** Parsed {@code --channel-account} entries; default: every family's default account. */
        public Builder selectors(List<ChannelSelector> selectors) {
            this.selectors = List.copyOf(selectors);
            return this;
        }

        /** Default: the process environment, 5 s exec timeout. */
        public Builder secretResolver(SecretResolver secretResolver) {
            this.secretResolver = requireNonNull(secretResolver, "secretResolver is null");
            return this;
        }

        /** Default: {@code gateway.port} / {@code gateway.bind} of the config, else 18789 on loopback. */
        public Builder listen(ListenAddress listen) {
            this.listen = requireNonNull(listen, "listen is null");
            return this;
        }

        public Builder mode(OwnerRecord.Mode mode) {
            this.mode = requireNonNull(mode, "mode is null");
            return this;
        }

        public Builder session(String session) {
            this.session = Optional.ofNullable(session);
            return this;
        }

        public Builder version(String version) {
            this.version = requireNonNull(version, "version is null");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock is null");
            return this;
        }

        public Builder heartbeat(Duration heartbeat) {
            this.heartbeat = requireNonNull(heartbeat, "heartbeat is null");
            return this;
        }

        /** How failed accounts back off before a restart; default 1 s to 60 s. */
        public Builder backoff(Backoff backoff) {
            this.backoff = requireNonNull(backoff, "backoff is null");
            return this;
        }

        /** The HTTP client shared with adapters; default: one the gateway creates and closes. */
        public Builder httpClient(OkHttpClient httpClient) {
            this.httpClient = requireNonNull(httpClient, "httpClient is null");
            return this;
        }

        /** How outbox retries back off; default 1 s to 5 min. */
        public Builder outboxBackoff(Backoff outboxBackoff) {
            this.outboxBackoff = requireNonNull(outboxBackoff, "outboxBackoff is null");
            return this;
        }

        /**
         * Where allowed inbound messages go instead of the built-in reply loop (for embedders with a
         * loop of their own); default: the reply loop of SPEC §6, on the store.
         */
        public Builder inbound(InboundSink inbound) {
            this.inbound = requireNonNull(inbound, "inbound is null");
            return this;
        }

        /**
         * The agent of the reply loop instead of the one {@code [agent] provider} names (embedders,
         * tests). The caller keeps ownership: the gateway does not close it.
         */
        public Builder agent(AgentRuntime agent) {
            this.agent = requireNonNull(agent, "agent is null");
            return this;
        }

        /** How long a turn runs before the typing indicator shows; default 500 ms. */
        public Builder typingDelay(Duration typingDelay) {
            this.typingDelay = requireNonNull(typingDelay, "typingDelay is null");
            return this;
        }

        /** How often the typing indicator is renewed while a turn runs; default 4 s. */
        public Builder typingInterval(Duration typingInterval) {
            this.typingInterval = requireNonNull(typingInterval, "typingInterval is null");
            return this;
        }

        /** Called on every account state change (from the account's thread). */
        public Builder onChannelStatus(Consumer<AccountStatus> listener) {
            this.channelListener = requireNonNull(listener, "listener is null");
            return this;
        }

        /** Environment variables for credentials ({@code SWITCHBOARD_GATEWAY_TOKEN}); default: the process's. */
        public Builder environment(Map<String, String> environment) {
            this.environment = Map.copyOf(environment);
            return this;
        }

        /** A token given on the command line; it takes precedence over env and config. */
        public Builder token(String token) {
            this.cliToken = Optional.ofNullable(token);
            return this;
        }

        public Gateway build() {
            requireNonNull(config, "config is not set");
            requireNonNull(stateDir, "stateDir is not set");
            if (registry == null) {
                registry = ChannelRegistry.discover();
            }
            if (secretResolver == null) {
                secretResolver = SecretResolver.system();
            }
            if (listen == null) {
                listen = ListenAddress.resolve(OptionalInt.empty(), Optional.empty(), Map.of(), config, false);
            }
            return new Gateway(this);
        }
    }
}
