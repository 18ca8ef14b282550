package dev.switchboard.cli;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.auth.GatewayAuth;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.config.SecretRef;
import dev.switchboard.core.owner.LivenessProbe;
import dev.switchboard.core.owner.OwnerInspector;
import dev.switchboard.core.owner.OwnerRecord;
import dev.switchboard.core.owner.OwnerState;
import dev.switchboard.core.owner.OwnerStatus;
import dev.switchboard.core.secrets.SecretResolutionException;
import dev.switchboard.core.secrets.SecretResolver;
import dev.switchboard.protocol.ConnectParams;
import dev.switchboard.protocol.ErrorCodes;
import dev.switchboard.protocol.Frame;
import dev.switchboard.protocol.GatewayClient;
import dev.switchboard.protocol.GatewayClientException;
import dev.switchboard.protocol.HelloOk;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Which gateway a command talks to, and with which credential (SPEC §9).
 *
 * <p>URL: {@code --url} > {@code gateway.remote.url} when the config says {@code gateway.mode =
 * "remote"} > the local owner of the state directory ({@code ws://<bind>:<port>} from {@code
 * owner.json}, a wildcard bind dialled on loopback).
 *
 * <p>Credential, local target: {@code --token} > {@code <state>/gateway/control.token} when
 * readable > {@code SWITCHBOARD_GATEWAY_TOKEN} > {@code SWITCHBOARD_GATEWAY_PASSWORD}. Remote
 * target: {@code --token} > {@code SWITCHBOARD_GATEWAY_TOKEN} > {@code gateway.remote.token} >
 * {@code SWITCHBOARD_GATEWAY_PASSWORD}.
 *
 * <p>Connecting fails fast (3 s) and never falls back to another target. A local target must answer
 * with the {@code instanceId} of {@code owner.json}: an unrelated or replaced server is never taken
 * for the owner. Every failure says where the URL and the credential came from, never a value.
 */
public final class GatewayTarget {
    /** How long connecting and the handshake may take: clients fail fast. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

    /** The {@code client} block of the CLI's {@code connect}. */
    static final ConnectParams.ClientInfo CLIENT = new ConnectParams.ClientInfo(
            "switchboard-cli",
            BuildVersion.get(),
            System.getProperty("os.name", "unknown").toLowerCase(Locale.ROOT),
            "cli");

    /** Where the gateway is. */
    public enum Kind {
        /** The owner of this state directory, found through its owner files. */
        LOCAL,
        /** A gateway named by URL ({@code --url} or {@code gateway.remote.url}). */
        REMOTE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Kind kind;
    private final URI url;
    private final String urlSource;
    private final Credential credential;
    private final Optional<OwnerRecord> owner;
    private final Path stateDir;

    private GatewayTarget(
            Kind kind, URI url, String urlSource, Credential credential, Optional<OwnerRecord> owner, Path stateDir) {
        this.kind = kind;
        this.url = url;
        this.urlSource = urlSource;
        this.credential = credential;
        this.owner = owner;
        this.stateDir = stateDir;
    }

    /**
     * The gateway of {@code health}, {@code status} and {@code channels status}: {@code --url}, else
     * the config's remote gateway when {@code gateway.mode = "remote"}, else the local owner.
     *
     * @param registry the channels, to load the config file (only asked for when there is one)
     * @throws SwitchboardException when no target can be named: local and not running
     *     ({@link GatewayRpcException}), a bad {@code --url}, remote mode without a URL, a config that
     *     does not load, a {@code gateway.remote.token} that does not resolve
     */
    public static GatewayTarget resolve(
            GlobalOptions globals, CliEnvironment env, Workspace workspace, Supplier<ChannelRegistry> registry) {
        Config config = new Config(workspace, registry);
        if (globals.url().isPresent()) {
            return remote(globals, env, workspace, registry);
        }
        Optional<GatewayConfig> loaded;
        try {
            loaded = config.get();
        } catch (SwitchboardException e) {
            // a bad edit of the file must not stop the operator asking the gateway still running on the
            // previous config; with no local gateway the config's problems are the answer
            if (e.kind() != SwitchboardException.Kind.CONFIG) {
                throw e;
            }
            GatewayTarget owner;
            try {
                owner = local(globals, env, workspace);
            } catch (SwitchboardException notRunning) {
                throw e;
            }
            env.err()
                    .println("warning: "
                            + workspace.configFile().map(Path::toString).orElse("the config file")
                            + " does not load (switchboard" + globals.stateFlags() + " config validate says why);"
                            + " asking the gateway running on " + workspace.stateDir());
            return owner;
        }
        if (remoteMode(loaded)) {
            String configured = loaded.orElseThrow()
                    .gateway()
                    .remote()
                    .url()
                    .orElseThrow(() -> SwitchboardException.config(
                            "gateway.mode is \"remote\" but gateway.remote.url is not set in "
                                    + workspace.configFile().map(Path::toString).orElse("the config")
                                    + " (set it to the gateway's ws:// URL, or pass --url)"));
            URI url = parseUrl(configured, "gateway.remote.url");
            return new GatewayTarget(
                    Kind.REMOTE,
                    url,
                    "gateway.remote.url (gateway.mode = \"remote\")",
                    remoteCredential(globals, env, config),
                    Optional.empty(),
                    workspace.stateDir());
        }
        return local(globals, env, workspace);
    }

    /**
     * The local owner when {@link #resolve} would pick it without a word: no {@code --url}, a config
     * file that loads (or none) and is not in remote mode — known without loading it when it is the
     * file the owner runs, unchanged ({@link Workspace#configLoadedBy}) — a running owner that has
     * bound its port.
     * Empty in every other case, having printed nothing, so that {@link #resolve} can run and say why.
     */
    static Optional<GatewayTarget> plainLocal(
            GlobalOptions globals, CliEnvironment env, Workspace workspace, Supplier<ChannelRegistry> registry) {
        if (globals.url().isPresent()) {
            return Optional.empty();
        }
        try {
            GatewayTarget local = local(globals, env, workspace);
            // resolve loads the config for its mode and warns when it does not load; the file the
            // owner runs, unchanged, is known to load in local mode
            boolean loadedByOwner = local.owner().isPresent()
                    && workspace.configLoadedBy(local.owner().get());
            if (!loadedByOwner && remoteMode(new Config(workspace, registry).get())) {
                return Optional.empty();
            }
            return Optional.of(local);
        } catch (RuntimeException e) {
            return Optional.empty(); // resolve reports it
        }
    }

    private static boolean remoteMode(Optional<GatewayConfig> loaded) {
        return loaded.isPresent() && loaded.get().gateway().mode() == GatewayConfig.Mode.REMOTE;
    }

    /**
     * The gateway named by {@code --url}, with the remote credential order. The config file is read
     * only when neither {@code --token} nor {@code SWITCHBOARD_GATEWAY_TOKEN} is set (for {@code
     * gateway.remote.token}).
     */
    public static GatewayTarget remote(
            GlobalOptions globals, CliEnvironment env, Workspace workspace, Supplier<ChannelRegistry> registry) {
        URI url = globals.url().orElseThrow(() -> new IllegalStateException("no --url given"));
        return new GatewayTarget(
                Kind.REMOTE,
                parseUrl(url.toString(), "--url"),
                "--url",
                remoteCredential(globals, env, new Config(workspace, registry)),
                Optional.empty(),
                workspace.stateDir());
    }

    /**
     * The running owner of the state directory; reads no config.
     *
     * @throws GatewayRpcException NOT_RUNNING when no live process owns it, UNAVAILABLE when it has
     *     not bound its port yet or its owner.json cannot be read
     */
    public static GatewayTarget local(GlobalOptions globals, CliEnvironment env, Workspace workspace) {
        // the owner's identity is checked by the RPC handshake itself, so the inspector does not probe
        OwnerInspector inspector = new OwnerInspector(workspace.ownerPaths(), env.clock(), LivenessProbe.NONE);
        OwnerStatus status = inspector.inspect();
        Path stateDir = workspace.stateDir();
        if (status.state() == OwnerState.STOPPED) {
            throw new GatewayRpcException(
                    GatewayRpcException.NOT_RUNNING,
                    false,
                    "gateway not running (state dir " + stateDir + "); " + startHint(globals));
        }
        if (status.state() == OwnerState.STALE) {
            throw new GatewayRpcException(
                    GatewayRpcException.NOT_RUNNING,
                    false,
                    "gateway not running (state dir " + stateDir + "; the previous gateway, pid "
                            + status.owner().map(OwnerRecord::pid).orElse(0L)
                            + ", died without cleaning up); " + startHint(globals));
        }
        if (status.owner().isEmpty()) {
            throw new GatewayRpcException(
                    ErrorCodes.UNAVAILABLE,
                    false,
                    "the gateway of state dir " + stateDir + " holds its lock but "
                            + status.problem().orElse("owner.json cannot be read")
                            + "; see: switchboard" + globals.stateFlags() + " gateway status");
        }
        return forOwner(globals, env, workspace, status.owner().get());
    }

    private static String startHint(GlobalOptions globals) {
        return "start it with: switchboard" + globals.stateFlags() + " gateway run";
    }

    /** The given owner of the state directory (what {@code gateway stop} asks to stop). */
    public static GatewayTarget forOwner(
            GlobalOptions globals, CliEnvironment env, Workspace workspace, OwnerRecord owner) {
        requireNonNull(owner, "owner is null");
        Optional<String> url = ownerUrl(owner);
        if (url.isEmpty()) {
            throw new GatewayRpcException(
                    ErrorCodes.UNAVAILABLE,
                    false,
                    "the gateway of state dir " + workspace.stateDir() + " (pid " + owner.pid()
                            + ") is starting and has not bound its port yet; try again in a moment");
        }
        return new GatewayTarget(
                Kind.LOCAL,
                URI.create(url.get()),
                "owner.json of " + workspace.stateDir(),
                localCredential(globals, env, workspace),
                Optional.of(owner),
                workspace.stateDir());
    }

    public Kind kind() {
        return kind;
    }

    public URI url() {
        return url;
    }

    /** Where the URL came from: {@code --url}, {@code gateway.remote.url (...)}, {@code owner.json of ...}. */
    public String urlSource() {
        return urlSource;
    }

    /** Where the credential comes from, e.g. {@code the token from SWITCHBOARD_GATEWAY_TOKEN}; never a value. */
    public String credentialSource() {
        return credential.source();
    }

    /** The owner whose instance must answer, for a local target. */
    public Optional<OwnerRecord> owner() {
        return owner;
    }

    /** {@link #connect(List, Duration, Consumer, Consumer)} without listeners. */
    public GatewaySession connect(List<String> scopes, Duration requestTimeout) {
        return connect(scopes, requestTimeout, event -> {}, state -> {});
    }

    /**
     * Connects (challenge, connect, hello-ok) within {@link #CONNECT_TIMEOUT} and, for a local
     * target, checks that the server is the owner named by owner.json.
     *
     * @throws GatewayRpcException when it cannot: unreachable, refused (the gateway's message verbatim
     *     and the credential source the CLI used), or answered as another instance
     */
    public GatewaySession connect(
            List<String> scopes,
            Duration requestTimeout,
            Consumer<Frame.Event> onEvent,
            Consumer<GatewayClient.State> onState) {
        GatewayClient.Builder builder = GatewayClient.builder(url)
                .connectTimeout(CONNECT_TIMEOUT)
                .requestTimeout(requestTimeout)
                .scopes(scopes)
                .clientInfo(CLIENT.id(), CLIENT.version(), CLIENT.platform(), CLIENT.mode())
                .onEvent(onEvent)
                .onStateChange(onState);
        credential.token().ifPresent(builder::token);
        credential.password().ifPresent(builder::password);
        GatewayClient client;
        try {
            client = builder.connect();
        } catch (GatewayClientException e) {
            throw connectFailure(e);
        }
        HelloOk hello;
        try {
            hello = client.helloOk();
        } catch (GatewayClientException e) {
            client.close();
            throw new GatewayRpcException(e.code(), true, e.getMessage());
        }
        if (owner.isPresent()) {
            String answered = hello.server().instanceId();
            if (!answered.equals(owner.get().instanceId())) {
                client.close();
                throw new GatewayRpcException(
                        GatewayRpcException.IDENTITY_MISMATCH,
                        true,
                        "the server at " + url + " answered as gateway instance '" + answered + "', but owner.json of "
                                + stateDir + " names instance '" + owner.get().instanceId()
                                + "': it is not the owner of this state dir (did the gateway restart? try again)");
            }
        }
        return new GatewaySession(this, client, hello);
    }

    /**
     * Connects ({@link #connect(List, Duration)}), runs {@code calls} on the session and closes it.
     *
     * @throws GatewayRpcException when connecting or a call fails
     */
    public <T> T ask(List<String> scopes, Duration requestTimeout, Function<GatewaySession, T> calls) {
        try (GatewaySession session = connect(scopes, requestTimeout)) {
            return calls.apply(session);
        }
    }

    /** The token the CLI presents, if any: a secret, never printed. */
    Optional<String> token() {
        return credential.token();
    }

    /** The password the CLI presents, if any: a secret, never printed. */
    Optional<String> password() {
        return credential.password();
    }

    /** The line that says which credential the CLI presented, e.g. after an UNAUTHORIZED answer. */
    public String credentialLine() {
        return credential.sentLine();
    }

    private GatewayRpcException connectFailure(GatewayClientException e) {
        List<String> lines = new ArrayList<>();
        lines.add(e.getMessage());
        boolean answered = e.error().isPresent();
        if (answered) {
            lines.add(credential.sentLine());
        } else if (kind == Kind.LOCAL) {
            lines.add("(" + urlSource + " says the gateway, pid "
                    + owner.map(OwnerRecord::pid).orElse(0L) + ", listens there)");
        } else if (!urlSource.equals("--url")) {
            lines.add("(the URL comes from " + urlSource + ")");
        }
        return new GatewayRpcException(e.code(), answered, String.join("\n", lines));
    }

    @Override
    public String toString() {
        return "GatewayTarget[" + kind.wireName() + ", " + url + " from " + urlSource + ", " + credential.source()
                + "]";
    }

    private static Optional<String> ownerUrl(OwnerRecord owner) {
        if (owner.port().isEmpty()) {
            return Optional.empty();
        }
        String host = owner.bind().trim();
        if (host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            host = "127.0.0.1";
        }
        boolean ipv6 = host.indexOf(':') >= 0 && !host.startsWith("[");
        return Optional.of(
                "ws://" + (ipv6 ? "[" + host + "]" : host) + ":" + owner.port().getAsInt());
    }

    private static URI parseUrl(String value, String source) {
        URI url;
        try {
            url = new URI(value.trim());
        } catch (URISyntaxException e) {
            throw SwitchboardException.usage(
                    source + ": '" + value + "' is not a URL (expected: ws://host:port or" + " wss://host:port)");
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("ws") || scheme.equals("wss")) || url.getHost() == null) {
            throw SwitchboardException.usage(
                    source + ": '" + value + "' (expected: ws://host:port or wss://host:port)");
        }
        return url;
    }

    private static Credential localCredential(GlobalOptions globals, CliEnvironment env, Workspace workspace) {
        Optional<Credential> fromFlag = flagToken(globals);
        if (fromFlag.isPresent()) {
            return fromFlag.get();
        }
        Path file = workspace.ownerPaths().controlTokenFile();
        String unreadable;
        try {
            String token = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (!token.isEmpty()) {
                return Credential.token(token, "the control token from " + file);
            }
            unreadable = file + " is empty";
        } catch (NoSuchFileException e) {
            unreadable = file + " does not exist";
        } catch (AccessDeniedException e) {
            unreadable = file + " is not readable by this user";
        } catch (IOException | RuntimeException e) {
            unreadable = "cannot read " + file + ": " + e.getMessage();
        }
        String why = " (" + unreadable + ")";
        Optional<String> envToken = env.getenv(GatewayAuth.TOKEN_ENV);
        if (envToken.isPresent()) {
            return Credential.token(envToken.get(), "the token from " + GatewayAuth.TOKEN_ENV + why);
        }
        Optional<String> envPassword = env.getenv(GatewayAuth.PASSWORD_ENV);
        if (envPassword.isPresent()) {
            return Credential.password(envPassword.get(), "the password from " + GatewayAuth.PASSWORD_ENV + why);
        }
        return Credential.none(
                "no credential" + why + "; no --token, " + GatewayAuth.TOKEN_ENV + " or " + GatewayAuth.PASSWORD_ENV);
    }

    private static Credential remoteCredential(GlobalOptions globals, CliEnvironment env, Config config) {
        Optional<Credential> fromFlag = flagToken(globals);
        if (fromFlag.isPresent()) {
            return fromFlag.get();
        }
        Optional<String> envToken = env.getenv(GatewayAuth.TOKEN_ENV);
        if (envToken.isPresent()) {
            return Credential.token(envToken.get(), "the token from " + GatewayAuth.TOKEN_ENV);
        }
        Optional<SecretRef> configured =
                config.get().flatMap(c -> c.gateway().remote().token());
        if (configured.isPresent()) {
            String source = "gateway.remote.token (" + configured.get().describe() + ")";
            try {
                String token = new SecretResolver(env.env(), SecretResolver.DEFAULT_EXEC_TIMEOUT)
                        .resolve(configured.get())
                        .reveal();
                return Credential.token(token, "the token from " + source);
            } catch (SecretResolutionException e) {
                throw new SwitchboardException(
                        SwitchboardException.Kind.RUNTIME,
                        "cannot resolve gateway.remote.token: " + e.getMessage() + " (or pass --token, or set "
                                + GatewayAuth.TOKEN_ENV + ")");
            }
        }
        Optional<String> envPassword = env.getenv(GatewayAuth.PASSWORD_ENV);
        if (envPassword.isPresent()) {
            return Credential.password(envPassword.get(), "the password from " + GatewayAuth.PASSWORD_ENV);
        }
        return Credential.none("no credential (no --token, " + GatewayAuth.TOKEN_ENV + ", gateway.remote.token or "
                + GatewayAuth.PASSWORD_ENV + ")");
    }

    private static Optional<Credential> flagToken(GlobalOptions globals) {
        Optional<String> token = globals.token();
        if (token.isPresent() && token.get().isBlank()) {
            throw SwitchboardException.usage("--token is empty (omit it to use the default credential)");
        }
        return token.map(value -> Credential.token(value, "the token given with --token"));
    }

    /** The config file, loaded once and only when asked for; empty when there is none. */
    private static final class Config {
        private final Workspace workspace;
        private final Supplier<ChannelRegistry> registry;
        private boolean loaded;
        private @Nullable GatewayConfig config;

        Config(Workspace workspace, Supplier<ChannelRegistry> registry) {
            this.workspace = workspace;
            this.registry = registry;
        }

        Optional<GatewayConfig> get() {
            if (!loaded) {
                config = workspace.configFile().isPresent() ? workspace.loadConfig(registry.get(), false) : null;
                loaded = true;
            }
            return Optional.ofNullable(config);
        }
    }

    /** What the CLI presents; {@code source} describes it, {@link #toString()} never shows a value. */
    private record Credential(Optional<String> token, Optional<String> password, String source) {
        static Credential token(String value, String source) {
            return new Credential(Optional.of(value), Optional.empty(), source);
        }

        static Credential password(String value, String source) {
            return new Credential(Optional.empty(), Optional.of(value), source);
        }

        static Credential none(String source) {
            return new Credential(Optional.empty(), Optional.empty(), source);
        }

        String sentLine() {
            return "the CLI sent " + source;
        }

        @Override
        public String toString() {
            return "Credential[" + source + "]";
        }
    }
}
