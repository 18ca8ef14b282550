package dev.switchboard.core;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.agent.AgentRuntimes;
import dev.switchboard.core.auth.GatewayAuth;
import dev.switchboard.core.auth.internal.AuthAudit;
import dev.switchboard.core.auth.internal.AuthRateLimiter;
import dev.switchboard.core.auth.internal.GatewayConnectGuard;
import dev.switchboard.core.auth.internal.OriginPolicy;
import dev.switchboard.core.channel.AccountState;
import dev.switchboard.core.channel.AccountStatus;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.channel.internal.AccountSupervisor;
import dev.switchboard.core.channel.internal.ChannelResources;
import dev.switchboard.core.channel.internal.ChannelSupervisor;
import dev.switchboard.core.channel.internal.StatusListeners;
import dev.switchboard.core.config.AccountConfig;
import dev.switchboard.core.config.ChannelSection;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.internal.Closer;
import dev.switchboard.core.internal.ServerCounters;
import dev.switchboard.core.owner.OwnerPaths;
import dev.switchboard.core.owner.OwnerRecord;
import dev.switchboard.core.owner.OwnerRecord.Phase;
import dev.switchboard.core.owner.internal.GatewayOwner;
import dev.switchboard.core.routing.internal.ReplyRouting;
import dev.switchboard.core.secrets.SecretResolver;
import dev.switchboard.core.secrets.SecretSnapshot;
import dev.switchboard.core.selector.AccountResolver;
import dev.switchboard.core.selector.ChannelSelector;
import dev.switchboard.core.selector.CredentialCheck;
import dev.switchboard.core.selector.SelectedAccount;
import dev.switchboard.core.server.ExposureRule;
import dev.switchboard.core.server.ListenAddress;
import dev.switchboard.core.server.Readiness;
import dev.switchboard.core.server.internal.ControlProtocol;
import dev.switchboard.core.server.internal.GatewayControlPlane;
import dev.switchboard.core.server.internal.GatewayServer;
import dev.switchboard.core.server.internal.HttpLimits;
import dev.switchboard.core.server.internal.ServerLimits;
import dev.switchboard.core.server.internal.WebhookRoutes;
import dev.switchboard.core.store.internal.Store;
import dev.switchboard.core.store.internal.StoreMaintenance;
import dev.switchboard.protocol.Protocol;
import dev.switchboard.spi.ChannelKind;
import dev.switchboard.spi.InboundSink;
import dev.switchboard.spi.Secret;
import dev.switchboard.spi.agent.AgentRuntime;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
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
 * and starts the accounts. Each part is registered with one {@link Closer} as it starts, so a failed
 * start undoes exactly what it did (phase {@code failed}) and {@link #close()} stops every part in
 * reverse order, each step whatever the others did, within {@code gateway.shutdown_timeout_ms}: past
 * it the port and the lock are released anyway and the log names what did not finish. The library
 * installs no shutdown hook and never exits the JVM: the launcher does.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);
    /** What a {@code shutdown} event before an in-process restart tells clients to wait. */
    private static final long RESTART_EXPECTED_MS = 2_000;

    /** Lifecycle states; transitions only go forward. */
    public enum State {
        NEW,
        STARTING,
        RUNNING,
        STOPPING,
        STOPPED,
        FAILED
    }

    /** The parts an embedder may ask about once the gateway runs. */
    private record Running(GatewayAuth auth, GatewayOwner owner, GatewayServer server, ChannelSupervisor channels) {}

    /** How the gateway stops: what {@code owner.json} and the clients are told. */
    private record Stop(Phase phase, String reason, Optional<String> error, boolean restart) {}

    private final Builder settings;
    // the builder's required and defaulted settings, as build() resolved them
    private final GatewayConfig config;
    private final ChannelRegistry registry;
    private final SecretResolver secretResolver;
    private final ListenAddress listen;
    private final OwnerPaths paths;
    private final Closer closer = new Closer();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private volatile State state = State.NEW;
    private volatile boolean restartRequested;
    private volatile List<SelectedAccount> selection = List.of();
    private volatile @Nullable Running running;
    private volatile Stop stop = new Stop(Phase.STOPPED, "closed", Optional.empty(), false);
    private final ServerCounters serverCounters = new ServerCounters();

    private Gateway(
            Builder settings,
            GatewayConfig config,
            Path stateDir,
            ChannelRegistry registry,
            SecretResolver secretResolver,
            ListenAddress listen) {
        this.settings = settings;
        this.config = config;
        this.registry = registry;
        this.secretResolver = secretResolver;
        this.listen = listen;
        this.paths = new OwnerPaths(stateDir);
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
            throw new IllegalStateException("gateway already " + state.name().toLowerCase(Locale.ROOT));
        }
        state = State.STARTING;
        try {
            // nothing touched yet: a mistake fails before any file or socket is disturbed
            selection = plan();
            SecretSnapshot secrets = SecretSnapshot.resolve(config, secretResolver);
            CredentialCheck.requireDistinct(
                    registry,
                    config,
                    (account, key) -> Optional.ofNullable(secrets.account(account.channelId(), account.accountId())
                            .get(key)));
            refuseUnauthenticatedExposure();
            GatewayAuth auth = GatewayAuth.resolve(
                    config.gateway().auth(), secrets, settings.environment, settings.cliToken, GatewayAuth::mintToken);
            Running started = startParts(secrets, auth);
            running = started;
            state = State.RUNNING;
            log.info(
                    "gateway running on {}:{} (instance {}, {} channel account(s))",
                    listen.host(),
                    started.server().port(),
                    started.owner().current().instanceId(),
                    selection.size());
            return this;
        } catch (RuntimeException | Error e) {
            stop = new Stop(Phase.FAILED, "start failed", Optional.ofNullable(e.getMessage()), false);
            closeParts();
            state = State.FAILED;
            stopped.countDown();
            throw e;
        }
    }

    /**
     * Starts the parts in order, registering each with the closer as it starts: the owner lock, the
     * store, the threads, the reply loop's parts (wired, not yet running), the control protocol and
     * the port, then the reply loop, the channels and the store's maintenance.
     */
    private Running startParts(SecretSnapshot secrets, GatewayAuth auth) {
        GatewayTuning tuning = settings.tuning;
        GatewayOwner owner = GatewayOwner.acquire(paths, initialOwnerRecord(), settings.clock);
        closer.registerEssential("owner lock", () -> {
            Stop how = stop;
            owner.close(how.phase(), how.reason(), how.error().orElse(null));
        });
        Store store = Store.open(config.store().url(paths.stateDir()), settings.clock);
        closer.register("store", store::close);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "gateway-scheduler");
            thread.setDaemon(true);
            return thread;
        });
        closer.register("scheduler", scheduler::shutdownNow);
        ExecutorService workers = workerPool();
        closer.register("workers", workers::shutdownNow);
        OkHttpClient httpClient = httpClient();
        WebhookRoutes webhooks = new WebhookRoutes(workers);

        StatusListeners statusListeners = new StatusListeners();
        ChannelResources resources = new ChannelResources(
                httpClient,
                scheduler,
                settings.clock,
                tuning.channelRestart(),
                tuning.channelStableAfter(),
                Optional.of(store.cursors()),
                Optional.of(webhooks));
        ChannelSupervisor channels = new ChannelSupervisor(runAccounts().stream()
                .map(account -> new AccountSupervisor(
                        registry.byId(account.channelId()).orElseThrow(),
                        secrets.settings(account),
                        secrets.accountFailure(account.channelId(), account.accountId()),
                        resources,
                        statusListeners))
                .toList());
        Optional<AgentRuntime> agent = Optional.empty();
        Optional<ReplyRouting> routing = Optional.empty();
        if (settings.inbound == null) {
            agent = Optional.of(agentRuntime(secrets, httpClient));
            routing = Optional.of(new ReplyRouting(
                    store,
                    agent.get(),
                    channels,
                    channel -> config.channel(channel).flatMap(ChannelSection::defaultAccount),
                    scheduler,
                    settings.clock,
                    routingSettings(config.agent(), tuning)));
        }
        StoreMaintenance maintenance = new StoreMaintenance(store, settings.clock, scheduler, workers);
        ControlProtocol control = new ControlProtocol(
                new GatewayControlPlane(
                        owner,
                        settings.version,
                        settings.clock,
                        config,
                        auth,
                        channels,
                        maintenance,
                        routing,
                        agent,
                        serverCounters,
                        new GatewayControlPlane.Lifecycle() {
                            @Override
                            public void stop(String reason) {
                                stopInBackground(reason, false);
                            }

                            @Override
                            public void restart(String reason) {
                                restartRequested = true;
                                stopInBackground(reason, true);
                            }
                        }),
                serverLimits(),
                connectGuard(auth, owner, scheduler),
                workers,
                scheduler);
        closer.register("control protocol", control::close);
        GatewayServer server = GatewayServer.start(
                listen,
                owner.current().instanceId(),
                () -> readiness(channels),
                Optional.of(control),
                Optional.of(webhooks),
                httpLimits(),
                serverCounters);
        closer.registerEssential("server", server::close);
        owner.update(record -> record.withPort(server.port()));

        statusListeners
                .add(Gateway::logStatus)
                .add(status -> owner.tryUpdate(record -> record.withChannels(ownerChannels(channels))))
                .add(control::channelChanged)
                .add(settings.channelListener);
        if (routing.isPresent()) {
            routing.get().start();
            closer.register("reply loop", routing.get()::close);
        }
        // the builder's sink exactly when there is no reply loop
        channels.start(
                routing.isPresent()
                        ? routing.get().inbound()
                        : requireNonNull(settings.inbound, "no reply loop and no inbound sink"));
        closer.register("channels", channels::close);
        maintenance.start();
        closer.register("store maintenance", maintenance::close);
        owner.update(record -> record.withPhase(Phase.RUNNING).withChannels(ownerChannels(channels)));
        owner.startHeartbeat(scheduler, tuning.heartbeat());
        // the first step of a stop: clients hear why before anything closes under them
        closer.register("shutdown event", () -> {
            Stop how = stop;
            control.shutdown(how.reason(), how.restart() ? Optional.of(RESTART_EXPECTED_MS) : Optional.empty());
        });
        return new Running(auth, owner, server, channels);
    }

    /** Stops with reason {@code closed}. */
    @Override
    public void close() {
        close("closed");
    }

    /**
     * Stops gracefully: every control client gets a {@code shutdown} event, channels close (each
     * bounded), running turns get their grace, the port closes, owner.json records phase {@code
     * stopped} with {@code reason}, and the lock is released. Every step runs whatever the others
     * did; returns within {@code gateway.shutdown_timeout_ms} whatever hangs. Idempotent.
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
        stop = new Stop(Phase.STOPPED, reason, Optional.empty(), restart);
        requireRunning().owner().tryUpdate(record -> record.withPhase(Phase.STOPPING).toBuilder()
                .shutdownReason(reason)
                .build());
        closeParts();
        state = State.STOPPED;
        stopped.countDown();
    }

    /** Runs the closer within the shutdown deadline; never throws. */
    private void closeParts() {
        Closer.Outcome outcome = closer.close(config.gateway().shutdownTimeout(), "gateway-stop");
        if (!outcome.clean()) {
            log.warn("gateway stopped, but not cleanly: {}", outcome.describe());
        }
    }

    /** A stop asked over the protocol: after the current response is on its way (the stop closes its socket). */
    private void stopInBackground(String reason, boolean restart) {
        Thread thread = new Thread(() -> close(reason, restart), "gateway-stop-request");
        thread.setDaemon(false);
        thread.start();
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
        return requireRunning().auth();
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
        return requireRunning().server().port();
    }

    public String instanceId() {
        return requireRunning().owner().current().instanceId();
    }

    public String controlToken() {
        return requireRunning().owner().controlToken();
    }

    /** Every running account's state and counters, in selection order; empty before the start. */
    public List<AccountStatus> channels() {
        Running current = running;
        return current == null ? List.of() : current.channels().statuses();
    }

    /** The accounts this gateway runs and why each was chosen. */
    public List<SelectedAccount> selection() {
        return selection;
    }

    public Readiness readiness() {
        Running current = running;
        if (current == null) {
            return new Readiness(
                    false,
                    selection.stream()
                            .map(s -> s.channelId() + "." + s.accountId() + " (starting)")
                            .toList());
        }
        return readiness(current.channels());
    }

    private static Readiness readiness(ChannelSupervisor channels) {
        List<String> waiting = channels.notReady();
        return new Readiness(waiting.isEmpty(), waiting);
    }

    /** Validates selection and allowlists without touching a file or socket. */
    private List<SelectedAccount> plan() {
        List<SelectedAccount> accounts = new AccountResolver(registry).resolve(config, settings.selectors);
        if (settings.mode == OwnerRecord.Mode.MULTI_CHANNEL_SERVE && accounts.isEmpty()) {
            throw SwitchboardException.config("multi-channel-serve needs at least one enabled runtime channel, and "
                    + config.source().map(Path::toString).orElse("the built-in defaults")
                    + " enable none (use gateway run to serve without channels)");
        }
        return accounts;
    }

    /** SPEC §5.1: no auth on a non-loopback bind is refused. */
    private void refuseUnauthenticatedExposure() {
        ExposureRule.refusal(listen, config.gateway().auth().mode()).ifPresent(refusal -> {
            throw SwitchboardException.config(refusal);
        });
    }

    private OwnerRecord initialOwnerRecord() {
        return OwnerRecord.forStart(paths, settings.mode, settings.version, settings.clock)
                .session(settings.session.orElse(null))
                .configPath(config.source().map(Path::toString).orElse(null))
                .bind(listen.host())
                .portSource(listen.portSource())
                .channels(selection.stream()
                        .map(s -> new OwnerRecord.ChannelStatus(
                                s.channelId(), s.accountId(), AccountState.STARTING.wireName(), Optional.empty()))
                        .toList())
                .build();
    }

    /**
     * The selected accounts, and with the built-in reply loop every account of each enabled
     * outbound-only channel (a group-robot webhook): never in the reply loop (SPEC §3), but run so
     * {@code send} can deliver through it.
     */
    private List<AccountConfig> runAccounts() {
        List<AccountConfig> accounts = new ArrayList<>();
        selection.forEach(selected -> accounts.add(selected.account()));
        if (settings.inbound != null) {
            return accounts;
        }
        for (ChannelSection section : config.channels().values()) {
            boolean outboundOnly = registry.byId(section.channelId())
                    .map(provider -> provider.kind() == ChannelKind.OUTBOUND_ONLY)
                    .orElse(false);
            if (section.enabled() && outboundOnly) {
                accounts.addAll(section.accounts().values());
            }
        }
        return accounts;
    }

    /** The agent the builder was given (the caller closes it), else the configured one (closed with the gateway). */
    private AgentRuntime agentRuntime(SecretSnapshot secrets, OkHttpClient httpClient) {
        if (settings.agent != null) {
            return settings.agent;
        }
        AgentRuntime runtime =
                AgentRuntimes.create(config.agent(), secrets.gateway("agent.openai.api_key"), httpClient);
        closer.register("agent", runtime::close);
        return runtime;
    }

    private static ReplyRouting.Settings routingSettings(GatewayConfig.Agent agent, GatewayTuning tuning) {
        String prompt = agent.openai().systemPrompt();
        return new ReplyRouting.Settings(
                agent.historyLimit(),
                prompt.isBlank() ? Optional.empty() : Optional.of(prompt),
                tuning.outboxRetry(),
                tuning.typingDelay(),
                tuning.typingInterval(),
                tuning.turnGrace());
    }

    /** The builder's client, else one the gateway creates and shuts down with itself. */
    private OkHttpClient httpClient() {
        if (settings.httpClient != null) {
            return settings.httpClient;
        }
        OkHttpClient client = new OkHttpClient();
        closer.register("http client", () -> {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        });
        return client;
    }

    private static void logStatus(AccountStatus status) {
        log.info(
                "{}.{} is {}{}",
                status.channelId(),
                status.accountId(),
                status.state().wireName(),
                status.lastError().map(error -> ": " + error).orElse(""));
    }

    private static List<OwnerRecord.ChannelStatus> ownerChannels(ChannelSupervisor channels) {
        return channels.statuses().stream()
                .map(s -> new OwnerRecord.ChannelStatus(
                        s.channelId(), s.accountId(), s.state().wireName(), s.lastError()))
                .toList();
    }

    private ServerLimits serverLimits() {
        GatewayConfig.Limits limits = config.gateway().limits();
        return new ServerLimits(
                limits.maxPayloadBytes(),
                limits.maxBufferedBytes(),
                Duration.ofMillis(limits.tickIntervalMs()),
                Duration.ofMillis(Protocol.HANDSHAKE_TIMEOUT_MS),
                Duration.ofMillis(limits.slowConsumerTimeoutMs()));
    }

    private HttpLimits httpLimits() {
        GatewayConfig.Limits limits = config.gateway().limits();
        return new HttpLimits(
                limits.maxConnections(),
                Duration.ofMillis(limits.requestHeaderTimeoutMs()),
                Duration.ofMillis(limits.httpIdleTimeoutMs()));
    }

    private GatewayConnectGuard connectGuard(GatewayAuth auth, GatewayOwner owner, ScheduledExecutorService scheduler) {
        AuthAudit audit = new AuthAudit(serverCounters, settings.clock);
        long flushMs = AuthAudit.FLUSH_EVERY.toMillis();
        // runs until the scheduler stops with the gateway; flush only logs and counts
        var unused = scheduler.scheduleAtFixedRate(audit::flush, flushMs, flushMs, TimeUnit.MILLISECONDS);
        return new GatewayConnectGuard(
                () -> auth,
                new AuthRateLimiter(settings.clock),
                new OriginPolicy(config.gateway().controlUi().allowedOrigins()),
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

    private Running requireRunning() {
        Running current = running;
        if (current == null) {
            throw new IllegalStateException("gateway is " + state.name().toLowerCase(Locale.ROOT) + ", not started");
        }
        return current;
    }

    /** Settings of a gateway; {@link #config} and {@link #stateDir} are required. */
    public static final class Builder {
        private @Nullable GatewayConfig config;
        private @Nullable Path stateDir;
        private @Nullable ChannelRegistry registry;
        private List<ChannelSelector> selectors = List.of();
        private @Nullable SecretResolver secretResolver;
        private @Nullable ListenAddress listen;
        private OwnerRecord.Mode mode = OwnerRecord.Mode.GATEWAY;
        private Optional<String> session = Optional.empty();
        private String version = Version.current();
        private Clock clock = Clock.systemUTC();
        private GatewayTuning tuning = GatewayTuning.DEFAULTS;
        private @Nullable OkHttpClient httpClient;
        private @Nullable InboundSink inbound;
        private Consumer<AccountStatus> channelListener = status -> {};
        private @Nullable AgentRuntime agent;
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

        public Builder session(@Nullable String session) {
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

        /** Timings (heartbeat, backoffs, typing indicator, turn grace); default {@link GatewayTuning#DEFAULTS}. */
        public Builder tuning(GatewayTuning tuning) {
            this.tuning = requireNonNull(tuning, "tuning is null");
            return this;
        }

        /** The HTTP client shared with adapters; default: one the gateway creates and closes. */
        public Builder httpClient(OkHttpClient httpClient) {
            this.httpClient = requireNonNull(httpClient, "httpClient is null");
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
        public Builder token(@Nullable String token) {
            this.cliToken = Optional.ofNullable(token);
            return this;
        }

        public Gateway build() {
            GatewayConfig builtConfig = requireNonNull(config, "config is not set");
            Path builtStateDir = requireNonNull(stateDir, "stateDir is not set");
            return new Gateway(
                    this,
                    builtConfig,
                    builtStateDir,
                    registry != null ? registry : ChannelRegistry.discover(),
                    secretResolver != null ? secretResolver : SecretResolver.system(),
                    listen != null
                            ? listen
                            : ListenAddress.resolve(
                                    OptionalInt.empty(), Optional.empty(), Map.of(), builtConfig, false));
        }
    }
}
