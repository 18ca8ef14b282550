package dev.switchboard.core;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.channel.AccountSupervisor;
import dev.switchboard.core.channel.Backoff;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.channel.ChannelResources;
import dev.switchboard.core.channel.ChannelSupervisor;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.owner.GatewayOwner;
import dev.switchboard.core.owner.OwnerPaths;
import dev.switchboard.core.owner.OwnerRecord;
import dev.switchboard.core.owner.OwnerRecord.Phase;
import dev.switchboard.core.secrets.SecretResolver;
import dev.switchboard.core.secrets.SecretSnapshot;
import dev.switchboard.core.selector.AccountResolver;
import dev.switchboard.core.selector.ChannelSelector;
import dev.switchboard.core.selector.CredentialCheck;
import dev.switchboard.core.selector.SelectedAccount;
import dev.switchboard.core.server.GatewayServer;
import dev.switchboard.core.server.ListenAddress;
import dev.switchboard.core.server.Readiness;
import dev.switchboard.spi.AccountState;
import dev.switchboard.spi.AccountStatus;
import dev.switchboard.spi.InboundRejectedException;
import dev.switchboard.spi.InboundSink;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
    private GatewayOwner owner;
    private GatewayServer server;
    private ChannelSupervisor channels;
    private ScheduledExecutorService scheduler;
    private OkHttpClient ownedHttpClient;
    private volatile List<SelectedAccount> selection = List.of();

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

            owner = GatewayOwner.acquire(paths, initialOwnerRecord(), settings.clock);
            scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "gateway-scheduler");
                thread.setDaemon(true);
                return thread;
            });
            server = GatewayServer.start(settings.listen, owner.current().instanceId(), this::readiness);
            owner.update(record -> record.withPort(server.port()));
            channels = new ChannelSupervisor(selection.stream()
                    .map(selected -> new AccountSupervisor(
                            selected.provider(),
                            secrets.settings(selected.account()),
                            secrets.accountFailure(selected.channelId(), selected.accountId()),
                            channelResources(),
                            this::onChannelStatus))
                    .toList());
            channels.start();
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
     * Stops gracefully: channels close (each bounded), the port closes, owner.json records phase
     * {@code stopped} with {@code reason}, and the lock is released. Idempotent.
     */
    public void close(String reason) {
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
        log.info("gateway stopping: {}", reason);
        owner.update(record -> record.withPhase(Phase.STOPPING).toBuilder()
                .shutdownReason(reason)
                .build());
        release(Phase.STOPPED, reason, null);
        state = State.STOPPED;
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

    private ChannelResources channelResources() {
        OkHttpClient http = settings.httpClient;
        if (http == null) {
            ownedHttpClient = new OkHttpClient();
            http = ownedHttpClient;
        }
        return new ChannelResources(settings.inbound, http, scheduler, settings.clock, settings.backoff);
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
            if (ownedHttpClient != null) {
                ownedHttpClient.dispatcher().executorService().shutdown();
                ownedHttpClient.connectionPool().evictAll();
            }
            stopped.countDown();
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
        private InboundSink inbound = Builder::noReplyLoop;
        private Consumer<AccountStatus> channelListener = status -> {};

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

        /** Where allowed inbound messages go. */
        public Builder inbound(InboundSink inbound) {
            this.inbound = requireNonNull(inbound, "inbound is null");
            return this;
        }

        /** Called on every account state change (from the account's thread). */
        public Builder onChannelStatus(Consumer<AccountStatus> listener) {
            this.channelListener = requireNonNull(listener, "listener is null");
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

        /**
         * Until a reply loop is wired in, nothing can answer a message, so none is accepted: the
         * adapter leaves it unacknowledged and the platform keeps it.
         */
        private static InboundSink.Result noReplyLoop(dev.switchboard.spi.InboundMessage message) {
            throw new InboundRejectedException("no reply loop is wired into this gateway", null);
        }
    }
}
