package dev.switchboard.core;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.agent.AgentRuntimes;
import dev.switchboard.core.auth.GatewayAuth;
import dev.switchboard.core.auth.HookTokenRule;
import dev.switchboard.core.auth.internal.AuthAudit;
import dev.switchboard.core.auth.internal.AuthRateLimiter;
import dev.switchboard.core.auth.internal.GatewayConnectGuard;
import dev.switchboard.core.auth.internal.OriginPolicy;
import dev.switchboard.core.automation.internal.AutomationRoutes;
import dev.switchboard.core.channel.AccountState;
import dev.switchboard.core.channel.AccountStatus;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.channel.internal.AccountLease;
import dev.switchboard.core.channel.internal.AccountOwnership;
import dev.switchboard.core.channel.internal.AccountSupervisor;
import dev.switchboard.core.channel.internal.ChannelResources;
import dev.switchboard.core.channel.internal.ChannelSupervisor;
import dev.switchboard.core.channel.internal.StatusListeners;
import dev.switchboard.core.cluster.ClusterRule;
import dev.switchboard.core.cluster.internal.AccountKey;
import dev.switchboard.core.cluster.internal.ClusterChannels;
import dev.switchboard.core.cluster.internal.LeaseKeeper;
import dev.switchboard.core.cluster.internal.OwnerForwarding;
import dev.switchboard.core.config.AccountConfig;
import dev.switchboard.core.config.ChannelSection;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.config.internal.ConfigHash;
import dev.switchboard.core.heartbeat.internal.Heartbeats;
import dev.switchboard.core.http.internal.HttpAccess;
import dev.switchboard.core.http.internal.HttpRoute;
import dev.switchboard.core.http.openai.internal.OpenAiApi;
import dev.switchboard.core.internal.Closer;
import dev.switchboard.core.internal.ServerCounters;
import dev.switchboard.core.logs.LogDirectory;
import dev.switchboard.core.metrics.internal.GatewayMetrics;
import dev.switchboard.core.metrics.internal.MetricsRoute;
import dev.switchboard.core.owner.OwnerPaths;
import dev.switchboard.core.owner.OwnerRecord;
import dev.switchboard.core.owner.OwnerRecord.Phase;
import dev.switchboard.core.owner.ServiceOwner;
import dev.switchboard.core.owner.internal.GatewayOwner;
import dev.switchboard.core.owner.internal.OwnerFiles;
import dev.switchboard.core.owner.internal.OwnerUrls;
import dev.switchboard.core.reload.ReloadOutcome;
import dev.switchboard.core.reload.ReloadPlan;
import dev.switchboard.core.reload.ReloadPlanner;
import dev.switchboard.core.reload.ReloadRules;
import dev.switchboard.core.reload.internal.ConfigFileWriter;
import dev.switchboard.core.reload.internal.ConfigWatcher;
import dev.switchboard.core.routing.internal.Outbound;
import dev.switchboard.core.routing.internal.ReplyRouting;
import dev.switchboard.core.secrets.SecretResolutionException;
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
import dev.switchboard.core.server.internal.MethodCalls;
import dev.switchboard.core.server.internal.ReloadPayloads;
import dev.switchboard.core.server.internal.ServerLimits;
import dev.switchboard.core.server.internal.WebhookRoutes;
import dev.switchboard.core.store.internal.Store;
import dev.switchboard.core.store.internal.StoreMaintenance;
import dev.switchboard.core.ui.internal.ControlUi;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.Payloads;
import dev.switchboard.protocol.Protocol;
import dev.switchboard.protocol.ProtocolException;
import dev.switchboard.spi.ChannelKind;
import dev.switchboard.spi.InboundSink;
import dev.switchboard.spi.ReloadKind;
import dev.switchboard.spi.Secret;
import dev.switchboard.spi.agent.AgentRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
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
    /** The keys the heartbeat schedule reads at each run: a reload reschedules, the agent stays. */
    private static final String HEARTBEAT_KEYS = "agent.heartbeat.";
    /** SPEC §8: at most one in-process restart for a config change per this interval. */
    public static final Duration RELOAD_RESTART_INTERVAL = Duration.ofSeconds(30);
    /** How long an agent runtime replaced by a reload lives on for the turns that began with it. */
    private static final Duration RETIRED_AGENT_GRACE = Duration.ofMinutes(10);

    /** Lifecycle states; transitions only go forward. */
    public enum State {
        NEW,
        STARTING,
        RUNNING,
        STOPPING,
        STOPPED,
        FAILED
    }

    /** The parts of a running gateway: what an embedder may ask about, and what a reload changes. */
    private record Running(
            GatewayOwner owner,
            GatewayServer server,
            ChannelSupervisor channels,
            ControlProtocol control,
            Optional<ReplyRouting> routing,
            ChannelResources resources,
            StatusListeners statusListeners,
            Supplier<OkHttpClient> httpClient,
            ScheduledExecutorService scheduler,
            GatewayMetrics metrics,
            Optional<Heartbeats> heartbeats) {}

    /** How the gateway stops: what {@code owner.json} and the clients are told. */
    private record Stop(Phase phase, String reason, Optional<String> error, boolean restart) {}

    private final Builder settings;
    // the builder's required and defaulted settings, as build() resolved them
    private final ChannelRegistry registry;
    private final SecretResolver secretResolver;
    private final ListenAddress listen;
    private final OwnerPaths paths;
    private final Closer closer = new Closer();
    private final CountDownLatch stopped = new CountDownLatch(1);

    /** The configuration in force: the builder's, then each reload's. */
    private volatile GatewayConfig config;
    /** What is running, as the reload planner compares it: config, secrets, accounts. */
    private volatile ReloadPlanner.@Nullable Activation active;

    private volatile @Nullable GatewayAuth auth;
    private volatile OriginPolicy origins;
    /** {@code gateway.hooks.token} in force, kept current across reloads like {@link #auth}. */
    private volatile Optional<Secret> hookToken = Optional.empty();

    private volatile Optional<AgentRuntime> agent = Optional.empty();
    private final Object reloadLock = new Object();
    private final ReloadPlanner planner;
    private volatile String activeHash = "";
    private volatile @Nullable ConfigWatcher watcher;
    private boolean restartScheduled; // under reloadLock
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
        this.origins = new OriginPolicy(config.gateway().controlUi().allowedOrigins());
        this.planner = new ReloadPlanner(new ReloadRules(registry));
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
            GatewayAuth resolvedAuth = GatewayAuth.resolve(
                    config.gateway().auth(), secrets, settings.environment, settings.cliToken, GatewayAuth::mintToken);
            refuseHookSettings(config, secrets, resolvedAuth);
            this.auth = resolvedAuth;
            this.hookToken = secrets.gateway(HookTokenRule.TOKEN_KEY);
            settings.logLevel.accept(config.gateway().logLevel());
            Running started = startParts(secrets);
            running = started;
            active = new ReloadPlanner.Activation(config, secrets, runAccounts(selection, config));
            activeHash = ConfigHash.of(config);
            watchConfigFile();
            state = State.RUNNING;
            started.metrics().prepareInBackground(); // its class loading is no part of the start
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
    private Running startParts(SecretSnapshot secrets) {
        GatewayTuning tuning = settings.tuning;
        GatewayOwner owner = GatewayOwner.acquire(paths, initialOwnerRecord(), settings.clock);
        closer.registerEssential("owner lock", () -> {
            Stop how = stop;
            owner.close(how.phase(), how.reason(), how.error().orElse(null));
        });
        String storePasswordFailure = secrets.failures().get("store.password");
        if (storePasswordFailure != null) {
            throw SwitchboardException.config("store.password: " + storePasswordFailure);
        }
        Store store = Store.open(
                config.store().url(paths.stateDir()),
                config.store().user(),
                secrets.gateway("store.password"),
                settings.clock);
        closer.register("store", store::close);
        GatewayMetrics metrics = new GatewayMetrics();
        closer.register("metrics", metrics::close);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "gateway-scheduler");
            thread.setDaemon(true);
            return thread;
        });
        closer.register("scheduler", scheduler::shutdownNow);
        ExecutorService workers = workerPool();
        closer.register("workers", workers::shutdownNow);
        Supplier<OkHttpClient> httpClient = httpClient();
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
        // a cluster replica starts no account here: its lease keeper starts those whose lease it takes
        Optional<LeaseKeeper> cluster = clusterKeeper(store);
        ChannelSupervisor channels = new ChannelSupervisor(
                cluster.isPresent()
                        ? List.of()
                        : runAccounts(selection, config).stream()
                                .map(account -> accountSupervisor(account, secrets, resources, statusListeners))
                                .toList());
        Optional<ReplyRouting> routing = Optional.empty();
        if (settings.inbound == null) {
            AgentRuntime runtime = agentRuntime(config, secrets, httpClient);
            if (settings.agent == null) {
                closer.register("agent", () -> agent.ifPresent(AgentRuntime::close)); // the one in force then
            }
            agent = Optional.of(runtime);
            routing = Optional.of(new ReplyRouting(
                    store,
                    runtime,
                    channels,
                    cluster.<AccountOwnership>map(keeper -> keeper).orElse(AccountOwnership.SOLE),
                    cluster.isPresent()
                            ? () -> targets(runAccounts(selection, config))
                            : () -> channels.accounts().stream()
                                    .map(a -> new Outbound.Target(a.channelId(), a.accountId()))
                                    .toList(),
                    channel -> config.channel(channel).flatMap(ChannelSection::defaultAccount),
                    scheduler,
                    settings.clock,
                    routingSettings(config.agent(), tuning),
                    metrics));
        }
        Optional<Heartbeats> heartbeats = routing.map(loop -> new Heartbeats(
                store,
                loop.webChat().runs(),
                loop.outbound(),
                () -> config.agent().heartbeat(),
                scheduler,
                workers,
                settings.clock));
        StoreMaintenance maintenance = new StoreMaintenance(store, settings.clock, scheduler, workers);
        GatewayConnectGuard guard = connectGuard(owner, scheduler);
        ControlProtocol control = new ControlProtocol(
                new GatewayControlPlane(
                        owner,
                        settings.version,
                        settings.clock,
                        () -> config,
                        () -> requireNonNull(auth, "auth"),
                        channels,
                        maintenance,
                        routing,
                        () -> agent,
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
                        },
                        new Reloads(),
                        settings.logDir.map(
                                dir -> new LogDirectory(dir, settings.clock.withZone(ZoneId.systemDefault()))),
                        cluster,
                        cluster.map(
                                keeper -> new OwnerForwarding(keeper, () -> requireNonNull(auth, "auth"), httpClient)),
                        () -> runAccounts(selection, config).stream()
                                .map(a -> new AccountKey(a.channelId(), a.accountId()))
                                .toList(),
                        heartbeats),
                serverLimits(),
                guard,
                workers,
                scheduler);
        closer.register("control protocol", control::close);
        heartbeats.ifPresent(runs -> runs.onRun(control::heartbeatRan));
        GatewayServer server = GatewayServer.start(
                listen,
                owner.current().instanceId(),
                () -> readiness(channels),
                Optional.of(control),
                Optional.of(webhooks),
                httpRoutes(new HttpAccess(guard), control.methodCalls(), routing, metrics, workers),
                httpLimits(),
                serverCounters);
        closer.registerEssential("server", server::close);
        metrics.bindServer(serverCounters, server::openConnections, control::connectionCount);
        metrics.bindOutbox(() -> store.outbox().pendingCount());
        metrics.bindAccounts(channels::statuses);
        owner.update(record -> record.withPort(server.port()));

        // owner.json first: an operator who reads the state change in the log and runs `gateway status`
        // at once sees it there too (the write syncs to disk, which can take a while on a busy host)
        statusListeners
                .add(status -> owner.tryUpdate(record -> record.withChannels(ownerChannels(channels))))
                .add(Gateway::logStatus)
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
        if (heartbeats.isPresent()) {
            heartbeats.get().start();
            closer.register("heartbeats", heartbeats.get()::close);
        }
        if (cluster.isPresent()) {
            // closed before the channels and the reply loop (the closer runs backwards): a stop closes
            // the adapters and releases the leases first, then running turns finish and their replies
            // wait in the outbox for the accounts' new owners
            closer.register("cluster leases", cluster.get()::close);
            Optional<ReplyRouting> loop = routing;
            cluster.get()
                    .start(
                            advertisedUrl(server.port()),
                            new ClusterChannels(
                                    () -> runAccounts(selection, config),
                                    (account, lease) -> accountSupervisor(
                                            account, currentSecrets(secrets), resources, statusListeners, lease),
                                    channels,
                                    loop,
                                    settings.clock));
        }
        cluster.ifPresent(keeper -> publishClusterView(keeper, scheduler));
        maintenance.start();
        closer.register("store maintenance", maintenance::close);
        owner.update(record -> record.withPhase(Phase.RUNNING).withChannels(ownerChannels(channels)));
        owner.startHeartbeat(scheduler, tuning.heartbeat());
        // the first step of a stop: clients hear why before anything closes under them
        closer.register("shutdown event", () -> {
            Stop how = stop;
            control.shutdown(how.reason(), how.restart() ? Optional.of(RESTART_EXPECTED_MS) : Optional.empty());
        });
        return new Running(
                owner,
                server,
                channels,
                control,
                routing,
                resources,
                statusListeners,
                httpClient,
                scheduler,
                metrics,
                heartbeats);
    }

    private AccountSupervisor accountSupervisor(
            AccountConfig account, SecretSnapshot secrets, ChannelResources resources, StatusListeners listeners) {
        return accountSupervisor(account, secrets, resources, listeners, AccountLease.SOLE);
    }

    private AccountSupervisor accountSupervisor(
            AccountConfig account,
            SecretSnapshot secrets,
            ChannelResources resources,
            StatusListeners listeners,
            AccountLease lease) {
        return new AccountSupervisor(
                registry.byId(account.channelId()).orElseThrow(),
                secrets.settings(account),
                secrets.accountFailure(account.channelId(), account.accountId()),
                resources,
                listeners,
                lease);
    }

    /** The secrets in force: the last reload's, else the start's. */
    private SecretSnapshot currentSecrets(SecretSnapshot atStart) {
        ReloadPlanner.Activation now = active;
        return now == null ? atStart : now.secrets();
    }

    private static List<Outbound.Target> targets(List<AccountConfig> accounts) {
        return accounts.stream()
                .map(a -> new Outbound.Target(a.channelId(), a.accountId()))
                .toList();
    }

    /**
     * Keeps {@code <state>/gateway/cluster.json} current (every 5 s), so {@code gateway status} shows
     * the cluster without a call to the gateway; deleted when the gateway stops.
     */
    private void publishClusterView(LeaseKeeper keeper, ScheduledExecutorService scheduler) {
        Path file = paths.clusterFile();
        var unused = scheduler.scheduleWithFixedDelay(
                () -> {
                    try {
                        OwnerFiles.writeAtomically(
                                file,
                                FrameCodec.json()
                                        .writeValueAsBytes(
                                                Payloads.toJson(keeper.view().toWire())));
                    } catch (IOException | RuntimeException e) {
                        log.debug("cluster: could not write {}: {}", file, e.getMessage());
                    }
                },
                0,
                5,
                TimeUnit.SECONDS);
        closer.register("cluster view file", () -> Files.deleteIfExists(file));
    }

    /** The lease keeper of a cluster replica (docs/cluster.md); empty for a single gateway. */
    private Optional<LeaseKeeper> clusterKeeper(Store store) {
        GatewayConfig.Cluster cluster = config.gateway().cluster();
        if (!cluster.enabled()) {
            return Optional.empty();
        }
        if (ClusterRule.storeUnfit(config)) {
            throw SwitchboardException.config(ClusterRule.ENABLED_KEY + " " + ClusterRule.NEEDS_POSTGRESQL);
        }
        if (requireNonNull(auth, "auth").minted()) {
            throw SwitchboardException.config("gateway.cluster.enabled = true needs the gateway's credential configured"
                    + " (gateway.auth.token, or SWITCHBOARD_GATEWAY_TOKEN), the same on every replica: the replicas"
                    + " forward calls to an account's owner with it, and a token minted per start differs");
        }
        String replicaId = cluster.replicaId().orElseGet(() -> hostName() + ":" + listen.port());
        return Optional.of(new LeaseKeeper(store.leases(), new LeaseKeeper.Settings(replicaId, cluster.leaseTtl())));
    }

    private String advertisedUrl(int port) {
        return config.gateway().cluster().advertiseUrl().orElseGet(() -> {
            // a wildcard bind is reached by the host's name from the other replicas' hosts
            String dial = OwnerUrls.dialHost(listen.host());
            boolean wildcard = dial.equals("127.0.0.1") && !listen.host().equals("127.0.0.1");
            return "ws://" + OwnerUrls.authority(wildcard ? hostName() : dial, port);
        });
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
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

    // --------------------------------------------------------------------------- hot reload (SPEC §8)

    /**
     * What applying {@code next} would do, checked as a start would check it (selection, allowlists,
     * distinct credentials, auth on a non-loopback bind, every secret resolved). Touches nothing.
     *
     * @throws SwitchboardException naming every problem when {@code next} could not run
     */
    public ReloadPlan planReload(GatewayConfig next) {
        return prepare(next, resolveSecrets(next), ConfigHash.of(next)).plan();
    }

    /**
     * Applies {@code next} as {@code gateway.reload.mode} says (SPEC §8): {@code hybrid} applies hot
     * and channel changes live and restarts in-process when a restart path changed; {@code hot}
     * applies the live part only; {@code restart} restarts on any change; {@code off} ignores it.
     *
     * @param trigger what asked, for the log: {@code config file changed}
     * @throws SwitchboardException when {@code next} could not run: the running config stays
     */
    public ReloadOutcome reload(GatewayConfig next, String trigger) {
        synchronized (reloadLock) {
            return counted(() -> applyPrepared(prepare(next, resolveSecrets(next), ConfigHash.of(next)), trigger));
        }
    }

    /** Counts a config change for {@code /metrics}: applied (live or by a restart, now or deferred), or failed. */
    private ReloadOutcome counted(Supplier<ReloadOutcome> reload) {
        // a gateway that is not running refuses the change (prepare says why) and counts nothing
        Optional<GatewayMetrics> metrics = Optional.ofNullable(running).map(Running::metrics);
        ReloadOutcome outcome;
        try {
            outcome = reload.get();
        } catch (SwitchboardException | ProtocolException e) {
            metrics.ifPresent(GatewayMetrics::reloadFailed);
            throw e;
        }
        switch (outcome.action()) {
            case APPLIED, RESTARTING, RESTART_DEFERRED, RESTART_NEEDED -> metrics.ifPresent(
                    GatewayMetrics::reloadApplied);
            case NOTHING_CHANGED, IGNORED -> {}
        }
        return outcome;
    }

    /**
     * Re-reads the config file and applies it ({@link #reload}); what the file watcher calls. An
     * invalid file is logged as {@code config reload skipped: <every error>} and the running config
     * stays.
     */
    public ReloadOutcome reloadConfigFile(String trigger) {
        synchronized (reloadLock) {
            GatewayConfig current = config;
            Path file = current.source()
                    .orElseThrow(() -> SwitchboardException.config(
                            "the gateway runs on built-in defaults: there is no config file to reload"));
            if (current.gateway().reload() == GatewayConfig.ReloadMode.OFF) {
                log.info("{}: gateway.reload.mode is off, the change is ignored until the next start", trigger);
                return ignored(activeHash);
            }
            return counted(() -> {
                Prepared prepared;
                try {
                    GatewayConfig next = new ConfigLoader(registry).load(file);
                    prepared = prepare(next, resolveSecrets(next), ConfigHash.of(next));
                } catch (SwitchboardException e) {
                    log.warn("config reload skipped: {}", oneLine(e.getMessage()));
                    throw e;
                }
                return applyPrepared(prepared, trigger);
            });
        }
    }

    /**
     * Re-resolves every secret without changing the config (SPEC §2.3) and applies what changed, live
     * whatever the reload mode: a rotated gateway credential closes the sockets that used it (4001), a
     * changed account secret restarts that account, one that no longer resolves leaves its account
     * {@code degraded} with the reason while the others carry on.
     *
     * @throws SwitchboardException when the gateway's own auth secret does not resolve: the old
     *     snapshot stays
     */
    public ReloadOutcome reloadSecrets() {
        synchronized (reloadLock) {
            return counted(() -> {
                SecretSnapshot fresh;
                try {
                    fresh = SecretSnapshot.resolve(config, secretResolver);
                } catch (SecretResolutionException e) {
                    log.warn("secrets reload rejected, the previous secrets stay: {}", e.getMessage());
                    throw SwitchboardException.config(
                            "secrets reload rejected, the previous secrets stay: " + e.getMessage());
                }
                Prepared prepared = prepare(config, fresh, activeHash);
                if (prepared.plan().isEmpty()) {
                    return outcome(prepared, ReloadOutcome.Action.NOTHING_CHANGED, "every secret resolved as before");
                }
                applyLive(prepared, "secrets reload");
                return outcome(
                        prepared,
                        ReloadOutcome.Action.APPLIED,
                        "applied " + prepared.plan().describeChanges());
            });
        }
    }

    /** A configuration ready to be applied: validated, its secrets resolved, its plan made. */
    private record Prepared(
            GatewayConfig config,
            SecretSnapshot secrets,
            GatewayAuth auth,
            List<SelectedAccount> selection,
            List<AccountConfig> accounts,
            ReloadPlan plan,
            String hash) {}

    private SecretSnapshot resolveSecrets(GatewayConfig next) {
        try {
            return SecretSnapshot.resolve(next, secretResolver);
        } catch (SecretResolutionException e) {
            throw SwitchboardException.config(e.getMessage());
        }
    }

    private Prepared prepare(GatewayConfig next, SecretSnapshot secrets, String hash) {
        if (state != State.RUNNING) {
            throw SwitchboardException.config("the gateway is " + state.name().toLowerCase(Locale.ROOT)
                    + ": a config change applies to a running gateway only");
        }
        ReloadPlanner.Activation before = requireNonNull(active, "reload before the gateway started");
        GatewayAuth current = requireNonNull(auth, "auth");
        if (next.gateway().mode() == GatewayConfig.Mode.REMOTE) {
            throw SwitchboardException.config("gateway.mode = \"remote\" would stop this gateway: stop it with"
                    + " switchboard gateway stop instead");
        }
        List<SelectedAccount> nextSelection = select(next);
        CredentialCheck.requireDistinct(
                registry,
                next,
                (account, key) -> Optional.ofNullable(secrets.account(account.channelId(), account.accountId())
                        .get(key)));
        refuseUnauthenticatedExposure(settings.listenFor.apply(next), next);
        // a token minted for this run stays the token: a reload must not lock clients out
        GatewayAuth nextAuth = GatewayAuth.resolve(
                next.gateway().auth(), secrets, settings.environment, settings.cliToken, () -> current.mintedToken()
                        .map(Secret::reveal)
                        .orElseGet(GatewayAuth::mintToken));
        refuseHookSettings(next, secrets, nextAuth);
        List<AccountConfig> accounts = runAccounts(nextSelection, next);
        ReloadPlan plan = planner.plan(before, new ReloadPlanner.Activation(next, secrets, accounts));
        return new Prepared(next, secrets, nextAuth, nextSelection, accounts, plan, hash);
    }

    /** Under reloadLock. */
    private ReloadOutcome applyPrepared(Prepared prepared, String trigger) {
        ReloadPlan plan = prepared.plan();
        if (plan.isEmpty()) {
            adopt(prepared);
            return outcome(prepared, ReloadOutcome.Action.NOTHING_CHANGED, "nothing to apply: no setting changed");
        }
        GatewayConfig.ReloadMode mode = config.gateway().reload();
        switch (mode) {
            case OFF -> {
                log.info("{}: gateway.reload.mode is off, not applied: {}", trigger, plan.describeChanges());
                return outcome(
                        prepared,
                        ReloadOutcome.Action.IGNORED,
                        "gateway.reload.mode is off: takes effect at the next start");
            }
            case RESTART -> {
                return restartFor(prepared, trigger);
            }
            case HYBRID -> {
                if (plan.needsRestart() || accountsChangeOnReplica(plan)) {
                    return restartFor(prepared, trigger);
                }
                applyLive(prepared, trigger);
                return outcome(prepared, ReloadOutcome.Action.APPLIED, "applied " + plan.describeChanges());
            }
            case HOT -> {
                if (accountsChangeOnReplica(plan)) {
                    return restartFor(prepared, trigger);
                }
                applyLive(prepared, trigger);
                if (plan.needsRestart()) {
                    String waiting = String.join(", ", plan.paths(ReloadKind.RESTART));
                    log.warn(
                            "{} changed but needs a restart to take effect (gateway.reload.mode = hot):"
                                    + " switchboard gateway restart",
                            waiting);
                    return outcome(
                            prepared,
                            ReloadOutcome.Action.RESTART_NEEDED,
                            "applied the live part; " + waiting + " takes effect at the next restart");
                }
                return outcome(prepared, ReloadOutcome.Action.APPLIED, "applied " + plan.describeChanges());
            }
        }
        throw new IllegalStateException("reload mode " + mode);
    }

    /**
     * A cluster replica runs only the accounts it holds leases on, so it takes account changes by a
     * restart: the new configuration's accounts are then leased afresh (docs/cluster.md).
     */
    private boolean accountsChangeOnReplica(ReloadPlan plan) {
        return config.gateway().cluster().enabled()
                && !(plan.stopped().isEmpty()
                        && plan.restarted().isEmpty()
                        && plan.updated().isEmpty()
                        && plan.started().isEmpty());
    }

    /**
     * An in-process restart for a change that needs one (SPEC §8): clients get {@code shutdown} with
     * {@code restartExpectedMs} and close 1012, running turns finish within their grace, the launcher
     * re-reads the config and binds again. At most one per {@link #RELOAD_RESTART_INTERVAL}: a later
     * one waits for the interval to pass. Under reloadLock.
     */
    private ReloadOutcome restartFor(Prepared prepared, String trigger) {
        String reason = "config change needs a restart: "
                + String.join(", ", prepared.plan().paths());
        Instant now = settings.clock.instant();
        if (now.isBefore(settings.restartNotBefore)) {
            Duration wait = Duration.between(now, settings.restartNotBefore);
            if (!restartScheduled) {
                restartScheduled = true;
                var unused = requireRunning()
                        .scheduler()
                        .schedule(() -> requestRestart(reason), wait.toMillis(), TimeUnit.MILLISECONDS);
            }
            log.info(
                    "{}: {}; the last restart was under {}s ago, restarting in {} ms",
                    trigger,
                    reason,
                    RELOAD_RESTART_INTERVAL.toSeconds(),
                    wait.toMillis());
            return outcome(
                    prepared, ReloadOutcome.Action.RESTART_DEFERRED, reason + " (in " + wait.toMillis() + " ms)");
        }
        log.info("{}: {}", trigger, reason);
        requireRunning()
                .control()
                .configChanged(prepared.hash(), prepared.plan().paths());
        requestRestart(reason);
        return outcome(prepared, ReloadOutcome.Action.RESTARTING, reason);
    }

    private void requestRestart(String reason) {
        restartRequested = true;
        stopInBackground(reason, true);
    }

    /**
     * Applies hot and channel changes to the running parts. Accounts first (stopped, restarted with
     * their old adapter closed first, updated live, started), then the agent, then the gateway's
     * credential: sockets that used a rotated one are closed 4001 once the new one is in force.
     * Under reloadLock.
     */
    private void applyLive(Prepared prepared, String trigger) {
        Running parts = requireRunning();
        ReloadPlan plan = prepared.plan();
        Map<String, AccountConfig> accounts = new LinkedHashMap<>();
        prepared.accounts().forEach(account -> accounts.put(account.channelId() + "." + account.accountId(), account));
        for (String name : plan.stopped()) {
            String[] id = name.split("\\.", 2);
            parts.channels().remove(id[0], id[1]);
        }
        for (String name : plan.restarted()) {
            AccountConfig account = requireNonNull(accounts.get(name), name);
            parts.channels()
                    .find(account.channelId(), account.accountId())
                    .ifPresent(running -> running.reconfigure(
                            prepared.secrets().settings(account),
                            prepared.secrets().accountFailure(account.channelId(), account.accountId())));
        }
        for (String name : plan.updated()) {
            AccountConfig account = requireNonNull(accounts.get(name), name);
            parts.channels()
                    .find(account.channelId(), account.accountId())
                    .ifPresent(running -> running.updateLive(prepared.secrets().settings(account)));
        }
        for (String name : plan.started()) {
            parts.channels()
                    .add(accountSupervisor(
                            requireNonNull(accounts.get(name), name),
                            prepared.secrets(),
                            parts.resources(),
                            parts.statusListeners()));
        }
        if (parts.routing().isPresent()
                && plan.paths().stream()
                        .anyMatch(path -> path.startsWith("agent.") && !path.startsWith(HEARTBEAT_KEYS))) {
            swapAgent(parts, prepared);
        }
        GatewayConfig.Heartbeat heartbeatBefore = config.agent().heartbeat();
        if (plan.paths().contains("gateway.log_level")) {
            settings.logLevel.accept(prepared.config().gateway().logLevel());
        }
        GatewayAuth previous = requireNonNull(auth, "auth");
        adopt(prepared);
        if (!previous.sameCredentials(prepared.auth())) {
            int closed = parts.control().credentialRotated();
            log.info("gateway auth changed: {} socket(s) that used the old credential closed (4001)", closed);
        }
        if (plan.paths().stream().anyMatch(path -> path.startsWith(HEARTBEAT_KEYS))) {
            parts.heartbeats()
                    .ifPresent(runs -> runs.configChanged(
                            heartbeatBefore, prepared.config().agent().heartbeat()));
        }
        parts.owner().tryUpdate(record -> record.withChannels(ownerChannels(parts.channels())));
        log.info("config reloaded ({}): {}", trigger, plan.describeChanges());
        parts.control().configChanged(prepared.hash(), plan.paths());
    }

    /** Makes {@code prepared} the configuration in force. */
    private void adopt(Prepared prepared) {
        auth = prepared.auth();
        hookToken = prepared.secrets().gateway(HookTokenRule.TOKEN_KEY);
        origins = new OriginPolicy(prepared.config().gateway().controlUi().allowedOrigins());
        config = prepared.config();
        selection = prepared.selection();
        active = new ReloadPlanner.Activation(prepared.config(), prepared.secrets(), prepared.accounts());
        activeHash = prepared.hash();
        requireRunning().owner().tryUpdate(record -> record.withConfigChecksum(ownerConfigChecksum()));
    }

    /** owner.json's {@code configChecksum}: of the bytes the config in force was read from. */
    private @Nullable String ownerConfigChecksum() {
        return config.sourceChecksum().orElse(null);
    }

    /**
     * Turns that start from now on use an agent built from the new {@code [agent]}; the one it
     * replaces is closed once the turns that began with it have had time to finish.
     */
    private void swapAgent(Running parts, Prepared prepared) {
        AgentRuntime next = agentRuntime(prepared.config(), prepared.secrets(), parts.httpClient());
        Optional<AgentRuntime> previous = agent;
        agent = Optional.of(next);
        GatewayConfig.Agent settingsOf = prepared.config().agent();
        String prompt = settingsOf.openai().systemPrompt();
        parts.routing()
                .orElseThrow()
                .reconfigureAgent(
                        next, settingsOf.historyLimit(), prompt.isBlank() ? Optional.empty() : Optional.of(prompt));
        if (settings.agent == null && previous.isPresent() && previous.get() != next) {
            AgentRuntime retired = previous.get();
            var unused =
                    parts.scheduler().schedule(retired::close, RETIRED_AGENT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private ReloadOutcome outcome(Prepared prepared, ReloadOutcome.Action action, String message) {
        Map<String, String> degraded = new TreeMap<>();
        for (AccountConfig account : prepared.accounts()) {
            prepared.secrets()
                    .accountFailure(account.channelId(), account.accountId())
                    .ifPresent(reason -> degraded.put(account.channelId() + "." + account.accountId(), reason));
        }
        return new ReloadOutcome(prepared.plan(), action, prepared.hash(), degraded, message);
    }

    private ReloadOutcome ignored(String hash) {
        return new ReloadOutcome(
                new ReloadPlan(List.of(), List.of(), List.of(), List.of(), List.of()),
                ReloadOutcome.Action.IGNORED,
                hash,
                Map.of(),
                "gateway.reload.mode is off: takes effect at the next start");
    }

    /** Every problem of a multi-line config error on one log line. */
    private static String oneLine(@Nullable String message) {
        return message == null ? "" : message.strip().replace("\n", "; ");
    }

    /** Starts the file watcher when the builder asked for one and the config came from a file. */
    private void watchConfigFile() {
        if (!settings.watchConfig || config.source().isEmpty()) {
            return;
        }
        Path file = config.source().get();
        ConfigWatcher started = ConfigWatcher.start(file, ConfigWatcher.DEFAULT_DEBOUNCE, new ConfigWatcher.Listener() {
            @Override
            public void changed() {
                try {
                    reloadConfigFile("config file changed");
                } catch (RuntimeException e) {
                    log.debug("config reload failed", e); // reloadConfigFile logged why
                }
            }

            @Override
            public void missing(String reason) {
                log.debug("config file {}: {}", file, reason); // the watcher warned, naming the file
            }
        });
        watcher = started;
        closer.register("config watcher", started::close);
    }

    /** The reload engine as the control protocol reaches it; every refusal is an INVALID_REQUEST naming why. */
    private final class Reloads implements GatewayControlPlane.Reloads {
        @Override
        public String activeHash() {
            return activeHash;
        }

        @Override
        public ObjectNode plan(String raw) {
            GatewayConfig next = parse(raw);
            return ReloadPayloads.plan(refusing(() -> planReload(next)), ConfigHash.of(raw), modeName());
        }

        @Override
        public ObjectNode apply(String raw, String baseHash) {
            synchronized (reloadLock) {
                Path file = config.source()
                        .orElseThrow(() -> ProtocolException.invalid("the gateway runs on built-in defaults:"
                                + " there is no config file to write (start it with --config FILE)"));
                String onDisk = fileHash(file);
                if (!onDisk.equals(baseHash)) {
                    throw ProtocolException.invalid("baseHash " + baseHash + " is stale: " + file
                            + " changed since it was read (its hash is now " + onDisk
                            + "); read it again with config.get and redo the edit");
                }
                ReloadOutcome outcome = counted(() -> {
                    GatewayConfig next = parse(raw);
                    String hash = ConfigHash.of(raw);
                    Prepared prepared = refusing(() -> prepare(next, resolveSecrets(next), hash));
                    ConfigFileWriter.write(file, raw);
                    ConfigWatcher current = watcher;
                    if (current != null) {
                        current.accepted(
                                raw.getBytes(StandardCharsets.UTF_8)); // applied here, not again by the watcher
                    }
                    log.info("config.apply wrote {}", file);
                    return applyPrepared(prepared, "config.apply");
                });
                return ReloadPayloads.outcome(outcome, modeName());
            }
        }

        @Override
        public ObjectNode reloadSecrets() {
            return ReloadPayloads.outcome(refusing(Gateway.this::reloadSecrets), modeName());
        }

        /** {@code raw} read as the active file's format; every problem in one INVALID_REQUEST. */
        private GatewayConfig parse(String raw) {
            String name = config.source().map(Path::toString).orElse("switchboard.conf");
            return refusing(() -> new ConfigLoader(registry).parse(raw, name));
        }

        private String modeName() {
            return config.gateway().reload().name().toLowerCase(Locale.ROOT);
        }

        private <T> T refusing(Supplier<T> action) {
            try {
                return action.get();
            } catch (SwitchboardException e) {
                throw ProtocolException.invalid(oneLine(e.getMessage()));
            }
        }

        private static String fileHash(Path file) {
            try {
                return Files.exists(file) ? ConfigHash.of(Files.readString(file, StandardCharsets.UTF_8)) : "";
            } catch (IOException e) {
                throw ProtocolException.invalid(
                        "cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
            }
        }
    }

    /** The credentials in force; the launcher prints a minted token once. */
    public GatewayAuth auth() {
        requireRunning();
        return requireNonNull(auth, "auth");
    }

    /** The configuration in force (the last reload's). */
    public GatewayConfig config() {
        return config;
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
        return select(config);
    }

    private List<SelectedAccount> select(GatewayConfig config) {
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
        refuseUnauthenticatedExposure(listen, config);
    }

    private static void refuseUnauthenticatedExposure(ListenAddress listen, GatewayConfig config) {
        ExposureRule.refusal(listen, config.gateway().auth().mode()).ifPresent(refusal -> {
            throw SwitchboardException.config(refusal);
        });
    }

    private OwnerRecord initialOwnerRecord() {
        return OwnerRecord.forStart(paths, settings.mode, settings.version, settings.clock)
                .session(settings.session.orElse(null))
                .configPath(config.source().map(Path::toString).orElse(null))
                .configChecksum(ownerConfigChecksum())
                .bind(listen.host())
                .portSource(listen.portSource())
                .service(ServiceOwner.fromEnvironment(settings.environment))
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
    private List<AccountConfig> runAccounts(List<SelectedAccount> selection, GatewayConfig config) {
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
    private AgentRuntime agentRuntime(GatewayConfig config, SecretSnapshot secrets, Supplier<OkHttpClient> httpClient) {
        if (settings.agent != null) {
            return settings.agent;
        }
        return AgentRuntimes.create(config.agent(), secrets.gateway("agent.openai.api_key"), httpClient);
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

    /**
     * The builder's client, else one the gateway creates at first use (the first channel or agent that
     * needs HTTP) and shuts down with itself: a client loads the TLS trust store, ~100s of ms of a start
     * that needs none (measured).
     */
    private Supplier<OkHttpClient> httpClient() {
        OkHttpClient given = settings.httpClient;
        if (given != null) {
            return () -> given;
        }
        AtomicReference<@Nullable OkHttpClient> made = new AtomicReference<>();
        closer.register("http client", () -> {
            OkHttpClient client = made.get();
            if (client != null) {
                client.dispatcher().executorService().shutdown();
                client.connectionPool().evictAll();
            }
        });
        return () -> {
            OkHttpClient client = made.get();
            if (client == null) {
                synchronized (made) {
                    client = made.get();
                    if (client == null) {
                        client = new OkHttpClient();
                        made.set(client);
                    }
                }
            }
            return client;
        };
    }

    /** The one log line of a channel's state change (adapters do not log their own reports again). */
    private static void logStatus(AccountStatus status) {
        if (status.troubled()) {
            log.warn("{}", status.describe());
        } else {
            log.info("{}", status.describe());
        }
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

    /** The HTTP APIs and the Control UI on the gateway's port (SPEC §5.2), each behind {@code access}. */
    private List<HttpRoute> httpRoutes(
            HttpAccess access,
            MethodCalls calls,
            Optional<ReplyRouting> routing,
            GatewayMetrics metrics,
            ExecutorService workers) {
        List<HttpRoute> routes = new ArrayList<>();
        routes.addAll(ControlUi.routes(() -> config.gateway().controlUi().enabled(), access));
        routes.addAll(AutomationRoutes.of(access, calls, () -> config, () -> hookToken, workers, settings.clock));
        routes.addAll(new OpenAiApi(
                        access, () -> config, () -> agent, routing.map(ReplyRouting::webChat), workers, settings.clock)
                .routes());
        routes.add(
                MetricsRoute.of(metrics, access, () -> config.gateway().http().metrics(), workers));
        return routes;
    }

    /** {@link HookTokenRule}: hooks enabled without a token of their own do not start or reload. */
    private static void refuseHookSettings(GatewayConfig config, SecretSnapshot secrets, GatewayAuth auth) {
        HookTokenRule.refusal(
                        config.gateway().hooks(),
                        secrets.gateway(HookTokenRule.TOKEN_KEY),
                        Optional.ofNullable(secrets.failures().get(HookTokenRule.TOKEN_KEY)),
                        value -> HookTokenRule.gatewayAccepts(auth, value))
                .ifPresent(message -> {
                    throw SwitchboardException.config(message);
                });
    }

    private GatewayConnectGuard connectGuard(GatewayOwner owner, ScheduledExecutorService scheduler) {
        AuthAudit audit = new AuthAudit(serverCounters, settings.clock);
        long flushMs = AuthAudit.FLUSH_EVERY.toMillis();
        // runs until the scheduler stops with the gateway; flush only logs and counts
        var unused = scheduler.scheduleAtFixedRate(audit::flush, flushMs, flushMs, TimeUnit.MILLISECONDS);
        return new GatewayConnectGuard(
                () -> requireNonNull(auth, "auth"),
                new AuthRateLimiter(settings.clock),
                () -> origins,
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
        private boolean watchConfig;
        private Consumer<String> logLevel = level -> {};
        private Function<GatewayConfig, ListenAddress> listenFor = config -> requireNonNull(listen, "listen");
        private Instant restartNotBefore = Instant.MIN;
        private Optional<Path> logDir = Optional.empty();

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

        /**
         * Sets the log level ({@code gateway.log_level}: error | warn | info | debug | trace) at the
         * start and on each reload that changes it. The core logs through SLF4J only, so the
         * launcher, which owns the logging backend, applies it. Default: nothing.
         */
        public Builder onLogLevel(Consumer<String> logLevel) {
            this.logLevel = requireNonNull(logLevel, "logLevel is null");
            return this;
        }

        /**
         * Watches the config file the config came from and applies its changes as {@code
         * gateway.reload.mode} says (SPEC §8); default: no watching.
         */
        public Builder watchConfig(boolean watchConfig) {
            this.watchConfig = watchConfig;
            return this;
        }

        /**
         * Where a config would listen, for the checks a reload makes (auth on a non-loopback bind):
         * the launcher's flags and environment applied to it. Default: {@link #listen}'s address.
         */
        public Builder listenFor(Function<GatewayConfig, ListenAddress> listenFor) {
            this.listenFor = requireNonNull(listenFor, "listenFor is null");
            return this;
        }

        /**
         * A config change that needs a restart waits until this instant (SPEC §8: at most one such
         * restart per 30 s); the launcher sets it after an in-process restart. Default: no wait.
         */
        public Builder restartNotBefore(Instant restartNotBefore) {
            this.restartNotBefore = requireNonNull(restartNotBefore, "restartNotBefore is null");
            return this;
        }

        /**
         * The directory the launcher's logging writes the daily {@code gateway-YYYY-MM-DD.log} files of
         * JSON lines to, for {@code logs.tail}. The core configures no logging itself. Default: none
         * ({@code logs.tail} answers that this gateway writes no log file).
         */
        public Builder logDir(Path logDir) {
            this.logDir = Optional.of(requireNonNull(logDir, "logDir is null"));
            return this;
        }

        public Gateway build() {
            GatewayConfig builtConfig = requireNonNull(config, "config is not set");
            Path builtStateDir = requireNonNull(stateDir, "stateDir is not set");
            if (listen == null) {
                listen = ListenAddress.resolve(OptionalInt.empty(), Optional.empty(), Map.of(), builtConfig, false);
            }
            return new Gateway(
                    this,
                    builtConfig,
                    builtStateDir,
                    registry != null ? registry : ChannelRegistry.discover(),
                    secretResolver != null ? secretResolver : SecretResolver.system(),
                    listen);
        }
    }
}
