package dev.switchboard.cli.doctor;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.GatewayTargets;
import dev.switchboard.cli.GlobalOptions;
import dev.switchboard.cli.LoggingSetup;
import dev.switchboard.cli.PluginLocations;
import dev.switchboard.cli.Workspace;
import dev.switchboard.cli.doctor.Check.Status;
import dev.switchboard.cli.internal.ConfigValidation;
import dev.switchboard.cli.internal.FileModes;
import dev.switchboard.cli.internal.Selections;
import dev.switchboard.cli.profiles.HostProfiles;
import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.channel.plugins.ChannelPlugins;
import dev.switchboard.core.config.AccountConfig;
import dev.switchboard.core.config.ChannelSection;
import dev.switchboard.core.config.ConfigException;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.core.config.ConfigLocator;
import dev.switchboard.core.config.ConfigProblem;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.config.SecretRef;
import dev.switchboard.core.owner.HealthzProbe;
import dev.switchboard.core.owner.OwnerInspector;
import dev.switchboard.core.owner.OwnerPaths;
import dev.switchboard.core.owner.OwnerRecord;
import dev.switchboard.core.owner.OwnerState;
import dev.switchboard.core.owner.OwnerStatus;
import dev.switchboard.core.secrets.SecretField;
import dev.switchboard.core.secrets.SecretResolver;
import dev.switchboard.core.secrets.SecretSnapshot;
import dev.switchboard.core.selector.SelectedAccount;
import dev.switchboard.core.server.BindFailure;
import dev.switchboard.core.server.ExposureRule;
import dev.switchboard.core.server.ListenAddress;
import dev.switchboard.spi.ChannelKind;
import dev.switchboard.spi.ChannelProvider;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The doctor's checks. Nothing here needs a running gateway; when one runs, it probes the credentials of the
 * accounts it serves ({@link CredentialChecks}). Each check runs whatever the
 * earlier ones found, so a broken config or a corrupt state file is explained, never a reason to
 * stop. Secret values are resolved (that is the check) but never kept in a message.
 */
final class Doctor {
    private static final String NOT_LOADED = "the config file does not load (the config check says why)";

    static final String TOKEN_ENV = "SWITCHBOARD_GATEWAY_TOKEN";
    static final String PASSWORD_ENV = "SWITCHBOARD_GATEWAY_PASSWORD";

    private final GlobalOptions globals;
    private final CliEnvironment env;
    private final ChannelRegistry registry;
    private final GatewayTargets targets;
    private final List<Check> checks = new ArrayList<>();
    /** What checkConfig found, for checkSecrets to report its secrets lines. */
    private Optional<ConfigValidation.Result> validation = Optional.empty();
    /**
     * The findings of a config that loaded whose topic has a check of its own (auth, allowlists, default
     * accounts, credentials): listed there, with their file:line, and not under config, so that each
     * problem is reported once.
     */
    private List<ConfigValidation.Finding> routed = List.of();
    /** The routed findings a check has listed: any other is listed under config at the end, never lost. */
    private final Set<ConfigValidation.Finding> listed = new HashSet<>();

    Doctor(
            GlobalOptions globals,
            CliEnvironment env,
            GatewayTargets targets,
            PluginLocations pluginLocations,
            ChannelPlugins plugins) {
        this.globals = requireNonNull(globals, "globals is null");
        this.env = requireNonNull(env, "env is null");
        this.targets = requireNonNull(targets, "targets is null");
        PluginChecks.Result pluginChecks = PluginChecks.run(pluginLocations, plugins);
        // the plugins come first: which config sections are valid depends on them
        this.checks.addAll(pluginChecks.checks());
        this.registry = pluginChecks.registry();
    }

    /** What the doctor found, what {@code --fix} changed before checking, and what it would not change. */
    record Report(Path stateDir, List<Check> checks, List<String> fixesApplied, List<String> fixesDeclined) {
        Report {
            checks = List.copyOf(checks);
            fixesApplied = List.copyOf(fixesApplied);
            fixesDeclined = List.copyOf(fixesDeclined);
        }

        boolean ok() {
            return count(Status.FAIL) == 0;
        }

        long count(Status status) {
            return checks.stream().filter(c -> c.status() == status).count();
        }
    }

    Report run(boolean fix) {
        return run(fix ? DoctorFixes.Scope.DOCTOR : DoctorFixes.Scope.NONE);
    }

    /** Makes the repairs of {@code scope} (none, {@code doctor --fix}'s or {@code setup}'s), then checks. */
    Report run(DoctorFixes.Scope scope) {
        Path stateDir = new ConfigLocator(env.env(), env.home())
                .stateDir(globals.stateDir(), globals.profile(), globals.dev())
                .toAbsolutePath()
                .normalize();
        OwnerPaths paths = new OwnerPaths(stateDir);
        DoctorFixes fixes = new DoctorFixes(globals, env, registry);
        fixes.run(paths, scope);
        Optional<GatewayConfig> config = checkConfig();
        checkStateFiles(paths);
        Optional<SecretSnapshot> secrets = config.map(this::checkSecrets);
        OwnerStatus owner = checkOwner(paths);
        // a config file that does not load says nothing of its port and auth: the built-in defaults
        // would be checked in their place, contradicting the file
        boolean unreadable = config.isEmpty() && configFile().isPresent();
        GatewayConfig effective = config.orElseGet(() -> new ConfigLoader(registry).defaults());
        Optional<ListenAddress> listen = Optional.empty();
        if (unreadable) {
            add(Check.skip("port", NOT_LOADED));
        } else {
            listen = checkPort(effective, owner);
        }
        add(ProfileChecks.check(
                new HostProfiles(env.home(), env.clock()), stateDir, configFile(), listen, owner, registry));
        if (unreadable) {
            add(Check.skip("auth", NOT_LOADED));
        } else {
            checkAuth(effective, listen, paths);
        }
        checkChannels(config, secrets, owner);
        List<ConfigProblem> unlisted = routed.stream()
                .filter(f -> !listed.contains(f))
                .map(ConfigValidation.Finding::problem)
                .toList();
        if (!unlisted.isEmpty()) {
            fail(
                    "config",
                    new ConfigException(unlisted.get(0).file(), unlisted).getMessage(),
                    "fix the lines listed, then run: switchboard config validate");
        }
        add(ServiceCheck.run(globals, env));
        return new Report(stateDir, checks, fixes.applied(), fixes.declined());
    }

    /** This run's config file, if it has one (the config check says why not). */
    private Optional<Path> configFile() {
        try {
            return Workspace.locate(globals, env).configFile();
        } catch (SwitchboardException e) {
            return Optional.empty();
        }
    }

    // ----------------------------------------------------------------------------------- config

    private Optional<GatewayConfig> checkConfig() {
        Workspace workspace;
        try {
            workspace = Workspace.locate(globals, env);
        } catch (ConfigException e) {
            fail("config", e.getMessage(), "fix the path in --config or " + ConfigLocator.CONFIG_PATH_ENV);
            return Optional.empty();
        }
        if (workspace.configFile().isEmpty()) {
            if (globals.dev()) {
                add(Check.ok("config", "no config file; --dev runs on built-in defaults"));
                return Optional.empty();
            }
            String message;
            try {
                workspace.loadConfig(registry, false);
                message = "no config file found";
            } catch (SwitchboardException e) {
                message = e.getMessage().replaceFirst("; run 'switchboard config init'.*$", "");
            }
            fail(
                    "config",
                    message,
                    "switchboard config init (writes " + workspace.stateDir().resolve(ConfigLocator.FILE_NAMES.get(0))
                            + ")");
            return Optional.empty();
        }
        Path file = workspace.configFile().get();
        ConfigValidation.Result result;
        try {
            result = ConfigValidation.run(
                    registry, new ConfigLoader(registry).check(file), env.env(), Optional.empty(), Set.of());
        } catch (ConfigException e) {
            fail("config", e.getMessage(), "fix the file, then run: switchboard config validate");
            return Optional.empty();
        }
        validation = Optional.of(result);
        boolean loads = result.check().problems().isEmpty();
        // the lines config validate prints, in its words; the secrets ones under "secrets", and, when the
        // config loads (so the checks below run), each other topic's under its own check
        List<ConfigProblem> problems = result.findings().stream()
                .filter(f -> f.topic() == ConfigValidation.Topic.CONFIG
                        || (!loads && f.topic() != ConfigValidation.Topic.SECRET))
                .map(ConfigValidation.Finding::problem)
                .toList();
        if (loads) {
            routed = result.findings().stream()
                    .filter(f ->
                            f.topic() != ConfigValidation.Topic.CONFIG && f.topic() != ConfigValidation.Topic.SECRET)
                    .toList();
        }
        if (!problems.isEmpty()) {
            fail(
                    "config",
                    new ConfigException(file.toString(), problems).getMessage(),
                    "fix the lines listed, then run: switchboard config validate");
        }
        if (!loads) {
            // no config to hand on: checkSecrets does not run, so its lines go out here
            secretFindings(result);
            return Optional.empty();
        }
        GatewayConfig config = result.check().config().orElseThrow();
        if (problems.isEmpty()) {
            int accounts = config.channels().values().stream()
                    .mapToInt(s -> s.accounts().size())
                    .sum();
            add(Check.ok(
                    "config",
                    file + " (" + plural(config.channels().size(), "channel section") + ", "
                            + plural(accounts, "account") + ")"));
        }
        return Optional.of(config);
    }

    /** The secrets lines of {@code config validate}: fail for what stops or degrades, warn for the rest. */
    private void secretFindings(ConfigValidation.Result result) {
        for (ConfigValidation.Finding finding : result.findings()) {
            if (finding.topic() != ConfigValidation.Topic.SECRET) {
                continue;
            }
            String fix = fixFor(finding.problem().path(), finding.secret().orElse(null));
            if (finding.severity() == ConfigValidation.Severity.WARNING) {
                add(Check.warn("secrets", finding.format(), fix));
            } else {
                fail("secrets", finding.format(), fix);
            }
        }
    }

    // ------------------------------------------------------------------------------ state files

    private void checkStateFiles(OwnerPaths paths) {
        Path stateDir = paths.stateDir();
        if (!Files.exists(stateDir)) {
            add(Check.warn(
                    "state dir",
                    stateDir + " does not exist yet; created on first gateway run",
                    "nothing needed; or create it now with: switchboard doctor --fix"));
            return;
        }
        checkMode("state dir", stateDir, true);
        if (Files.exists(paths.gatewayDir())) {
            checkMode("gateway dir", paths.gatewayDir(), true);
        }
        if (Files.exists(LoggingSetup.logDir(stateDir))) {
            checkMode("logs dir", LoggingSetup.logDir(stateDir), true);
        }
        for (Path file : List.of(paths.ownerFile(), paths.controlTokenFile(), DoctorFixes.tokenFile(paths))) {
            if (Files.exists(file)) {
                checkMode(file.getFileName().toString(), file, false);
            }
        }
    }

    private void checkMode(String name, Path path, boolean directory) {
        if (directory ? !Files.isDirectory(path) : !Files.isRegularFile(path)) {
            fail(
                    name,
                    path + " exists but is not a " + (directory ? "directory" : "regular file"),
                    "move it out of the way; the gateway recreates it");
            return;
        }
        Optional<Set<PosixFilePermission>> permissions;
        try {
            permissions = FileModes.permissions(path);
        } catch (IOException e) {
            fail(
                    name,
                    "cannot read the permissions of " + path + " ("
                            + e.getClass().getSimpleName() + ")",
                    "check that it belongs to the user who runs the gateway");
            return;
        }
        Optional<String> mode = permissions.map(FileModes::octal);
        if (permissions.isPresent() && FileModes.groupOrOthers(permissions.get())) {
            fail(
                    name,
                    path + " is accessible by group/others (mode " + mode.get() + ")",
                    "chmod " + (directory ? "700 " : "600 ") + path + " (or: switchboard doctor --fix)");
            return;
        }
        Optional<String> unwritable = directory ? cannotCreateFilesIn(path) : Optional.empty();
        if (unwritable.isPresent()) {
            fail(
                    name,
                    path + " is not writable by this user (" + unwritable.get()
                            + mode.map(m -> ", mode " + m).orElse("") + "): gateway run cannot create its files there",
                    "chmod 700 " + path + " (or: switchboard doctor --fix)");
            return;
        }
        add(Check.ok(name, path + mode.map(m -> " (" + m + ")").orElse("")));
    }

    /**
     * Why this user cannot create a file in {@code dir}, found by creating and deleting one: mode bits
     * alone do not tell (root ignores them; ACLs, immutable files and read-only mounts do not show).
     */
    private static Optional<String> cannotCreateFilesIn(Path dir) {
        try {
            Files.delete(Files.createTempFile(dir, ".doctor-", ".tmp"));
            return Optional.empty();
        } catch (AccessDeniedException e) {
            return Optional.of("permission denied");
        } catch (FileSystemException e) {
            return Optional.of(e.getReason() == null ? e.getClass().getSimpleName() : e.getReason());
        } catch (IOException e) {
            return Optional.of(e.getClass().getSimpleName());
        }
    }

    // ---------------------------------------------------------------------------------- secrets

    private SecretSnapshot checkSecrets(GatewayConfig config) {
        Map<String, SecretRef> refs = secretRefs(config);
        SecretResolver resolver = new SecretResolver(env.env(), SecretResolver.DEFAULT_EXEC_TIMEOUT);
        GatewayConfig.Gateway gateway = config.gateway();
        // without the gateway's own auth, whose failure would make the snapshot throw: the
        // validation below reports that one
        GatewayConfig withoutAuth = new GatewayConfig(
                config.source(),
                config.sourceChecksum(),
                new GatewayConfig.Gateway(
                        gateway.mode(),
                        gateway.port(),
                        gateway.bind(),
                        new GatewayConfig.Auth(gateway.auth().mode(), Optional.empty(), Optional.empty()),
                        gateway.reload(),
                        gateway.remote(),
                        gateway.controlUi(),
                        gateway.http(),
                        gateway.hooks(),
                        gateway.limits(),
                        gateway.shutdownTimeout(),
                        gateway.logLevel(),
                        gateway.cluster()),
                config.agent(),
                config.store(),
                config.channels());
        SecretSnapshot snapshot = SecretSnapshot.resolve(withoutAuth, resolver);
        Optional<ConfigValidation.Result> result = validation;
        boolean failed = result.isPresent()
                && result.get().findings().stream().anyMatch(f -> f.topic() == ConfigValidation.Topic.SECRET);
        if (refs.isEmpty()) {
            add(Check.ok("secrets", "no secrets configured"));
        } else if (!failed) {
            add(Check.ok("secrets", plural(refs.size(), "secret") + " resolve"));
        }
        result.ifPresent(this::secretFindings);
        return snapshot;
    }

    /** Every secret the gateway resolves, by key path, in the snapshot's order. */
    private static Map<String, SecretRef> secretRefs(GatewayConfig config) {
        Map<String, SecretRef> refs = new LinkedHashMap<>();
        SecretSnapshot.fields(config).stream()
                .filter(SecretField::resolved)
                .forEach(field -> refs.put(field.path(), field.ref()));
        return refs;
    }

    private static String fixFor(String path, @Nullable SecretRef ref) {
        if (ref instanceof SecretRef.Env envRef) {
            return "set " + envRef.name() + " in the gateway's environment (export " + envRef.name()
                    + "=...), or change " + path;
        }
        if (ref instanceof SecretRef.File file) {
            return "make " + file.path() + " a non-empty file readable by the gateway's user only (chmod 600 "
                    + file.path() + ")";
        }
        if (ref instanceof SecretRef.Exec exec) {
            return "run "
                    + (exec.command().isEmpty() ? "the command" : exec.command().get(0))
                    + " by hand: it must exit 0 within 5s and print the secret";
        }
        return "write a value for " + path + ", or use { env = \"VAR\" }";
    }

    // ------------------------------------------------------------------------------------ owner

    private OwnerStatus checkOwner(OwnerPaths paths) {
        OwnerStatus status = new OwnerInspector(paths, env.clock(), new HealthzProbe()).inspect();
        String name = "gateway owner";
        Optional<OwnerRecord> owner = status.owner();
        String pid = owner.map(o -> "pid " + o.pid()).orElse("pid unknown");
        switch (status.state()) {
            case RUNNING -> add(Check.ok(
                    name,
                    "running (" + pid
                            + owner.flatMap(o -> o.port().isPresent()
                                            ? Optional.of(", port " + o.port().getAsInt())
                                            : Optional.empty())
                                    .orElse("")
                            + status.url().map(u -> ", " + u).orElse("") + ")"));
            case STALE -> add(Check.warn(
                    name,
                    "previous gateway (" + pid + ") died without cleaning up; the next gateway run reclaims it",
                    "nothing needed; switchboard gateway run reclaims it (or remove its files now: switchboard"
                            + globals.stateFlags() + " doctor --fix)"));
            case UNRESPONSIVE -> fail(
                    name,
                    "a gateway (" + pid + ") holds " + paths.lockFile() + " but does not answer: " + status.rpc()
                            + status.problem().map(p -> "; " + p).orElse(""),
                    "switchboard gateway stop");
            case STOPPED -> {
                if (status.problem().isPresent()) {
                    fail(
                            name,
                            "not running, but " + status.problem().get(),
                            "the next gateway run replaces it; to clear it now: rm " + paths.ownerFile());
                } else {
                    add(Check.ok(name, "not running"));
                }
            }
        }
        return status;
    }

    // ------------------------------------------------------------------------------------- port

    private Optional<ListenAddress> checkPort(GatewayConfig config, OwnerStatus owner) {
        ListenAddress listen;
        try {
            listen = ListenAddress.resolve(OptionalInt.empty(), Optional.empty(), env.env(), config, globals.dev());
        } catch (SwitchboardException e) {
            fail("port", e.getMessage(), "fix " + ListenAddress.PORT_ENV + ", gateway.port or gateway.bind");
            return Optional.empty();
        }
        String where = listen.host() + ":" + listen.port();
        String source = "port from " + listen.portSource().wireName();
        if (listen.port() == 0) {
            add(Check.ok("port", "port 0: a free port is picked at every start"));
            return Optional.of(listen);
        }
        Optional<OwnerRecord> record = owner.owner();
        boolean ours = record.isPresent()
                && record.get().port().isPresent()
                && record.get().port().getAsInt() == listen.port()
                && (owner.state() == OwnerState.RUNNING || owner.state() == OwnerState.UNRESPONSIVE);
        if (ours && owner.state() == OwnerState.RUNNING) {
            add(Check.ok(
                    "port",
                    where + " is held by this state dir's gateway (pid "
                            + record.get().pid() + ")"));
            return Optional.of(listen);
        }
        if (ours) {
            add(Check.warn(
                    "port",
                    where + " is held by this state dir's gateway (pid "
                            + record.get().pid() + "), which does not answer",
                    "switchboard gateway stop"));
            return Optional.of(listen);
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(listen.host()), listen.port()));
            add(Check.ok("port", where + " is free (" + source + ")"));
        } catch (BindException e) {
            String message = String.valueOf(e.getMessage());
            switch (BindFailure.of(e).orElse(BindFailure.OTHER)) {
                case IN_USE -> fail(
                        "port",
                        "another process is already listening on " + where + " (" + source + ")",
                        "stop that process, or pick another port with gateway.port or " + ListenAddress.PORT_ENV);
                case NOT_PERMITTED -> fail(
                        "port",
                        "not allowed to listen on " + where + " (" + message + ")",
                        "pick a port of 1024 or above with gateway.port or " + ListenAddress.PORT_ENV);
                case NOT_THIS_HOST -> fail(
                        "port",
                        "cannot listen on " + where + ": " + BindFailure.notThisHost(listen.host()),
                        "set gateway.bind to loopback, lan or an address of this host");
                case OTHER -> fail(
                        "port",
                        "cannot listen on " + where + " (" + message + ")",
                        "set gateway.bind to loopback, lan or an address of this host");
            }
        } catch (IOException e) {
            fail(
                    "port",
                    "cannot listen on " + where + " (" + e.getMessage() + ")",
                    "set gateway.bind to loopback, lan or an address of this host");
        }
        return Optional.of(listen);
    }

    // ------------------------------------------------------------------------------------- auth

    private void checkAuth(GatewayConfig config, Optional<ListenAddress> listen, OwnerPaths paths) {
        GatewayConfig.Auth auth = config.gateway().auth();
        Optional<String> refusal = routed(ConfigValidation.Topic.EXPOSURE, "")
                .or(() -> listen.flatMap(l -> ExposureRule.refusal(l, auth.mode())));
        if (refusal.isPresent()) {
            fail(
                    "auth",
                    refusal.get(),
                    "set gateway.auth.mode = \"token\" and gateway.auth.token = { env = \"" + TOKEN_ENV
                            + "\" }, or bind to loopback");
            return;
        }
        switch (auth.mode()) {
            case NONE -> add(Check.ok("auth", "none (loopback only: any local process may connect)"));
            case TOKEN -> {
                if (auth.token().isPresent()) {
                    add(Check.ok(
                            "auth",
                            "token from gateway.auth.token ("
                                    + Selections.source(auth.token().get()) + ")"));
                } else if (env.getenv(TOKEN_ENV).isPresent()) {
                    add(Check.ok("auth", "token from " + TOKEN_ENV));
                } else {
                    Path generated = DoctorFixes.tokenFile(paths);
                    add(Check.warn(
                            "auth",
                            "token mode with no token configured: a random token is minted at every start",
                            Files.isRegularFile(generated) && config.source().isPresent()
                                    ? "use the token doctor --fix generated: add "
                                            + DoctorFixes.tokenLine(
                                                    config.source().get(), generated) + " to "
                                            + config.source().get()
                                    : "persist one with gateway.auth.token = { env = \"" + TOKEN_ENV
                                            + "\" }, or generate a token file with: switchboard"
                                            + globals.stateFlags() + " doctor --fix"));
                }
            }
            case PASSWORD -> {
                if (auth.password().isPresent()) {
                    add(Check.ok(
                            "auth",
                            "password from gateway.auth.password ("
                                    + Selections.source(auth.password().get()) + ")"));
                } else if (env.getenv(PASSWORD_ENV).isPresent()) {
                    add(Check.ok("auth", "password from " + PASSWORD_ENV));
                } else {
                    fail(
                            "auth",
                            "password mode with no password configured",
                            "set gateway.auth.password = { env = \"" + PASSWORD_ENV + "\" }");
                }
            }
        }
    }

    // --------------------------------------------------------------------------------- channels

    private void checkChannels(Optional<GatewayConfig> loaded, Optional<SecretSnapshot> secrets, OwnerStatus owner) {
        if (loaded.isEmpty()) {
            add(Check.skip("channels", "no config loaded"));
            return;
        }
        GatewayConfig config = loaded.get();
        if (config.channels().isEmpty()) {
            add(Check.ok("channels", "no channel sections (gateway run serves without channels)"));
            return;
        }
        CredentialChecks probes =
                CredentialChecks.prepare(owner, targets, new OfflineProbe(CredentialChecks.PROBE_TIMEOUT, env.clock()));
        for (ChannelSection section : config.channels().values()) {
            String id = section.channelId();
            ChannelProvider provider = registry.byId(id).orElseThrow();
            if (!section.enabled()) {
                add(Check.skip(id, "disabled (" + id + ".enabled = false)"));
                continue;
            }
            boolean replyLoop = provider.kind() == ChannelKind.REPLY_LOOP;
            if (replyLoop) {
                Selections.Pick pick = Selections.defaultPick(registry, config, section);
                Optional<String> noDefault = routed(ConfigValidation.Topic.DEFAULT_ACCOUNT, id);
                if (pick.selected().isPresent() && noDefault.isEmpty()) {
                    SelectedAccount selected = pick.selected().get();
                    add(Check.ok(
                            id + " default account",
                            selected.accountId() + " (" + selected.source().description() + ")"));
                } else {
                    fail(
                            id + " default account",
                            noDefault.or(pick::error).orElse("no account can run by default"),
                            section.accounts().isEmpty()
                                    ? "add [" + id + ".accounts.<id>] or set " + id + ".enabled = false"
                                    : "set " + id + ".default_account to one of: "
                                            + String.join(
                                                    ", ", section.accounts().keySet()));
                }
            }
            add(Check.ok(
                    id + " settings",
                    plural(section.accounts().size(), "account") + " pass the " + provider.displayName()
                            + " channel's own checks"));
            if (replyLoop) {
                for (AccountConfig account : section.accounts().values()) {
                    checkAllowlist(provider, account);
                }
            }
            SecretSnapshot snapshot = secrets.orElseThrow();
            Optional<String> shared = routed(ConfigValidation.Topic.SHARED_CREDENTIAL, id)
                    .or(() -> Selections.sharedCredential(
                            registry,
                            config,
                            section,
                            (account, key) ->
                                    Optional.ofNullable(snapshot.account(account.channelId(), account.accountId())
                                            .get(key))));
            if (shared.isPresent()) {
                fail(id + " credentials", shared.get(), "give each account its own credential, or remove one");
            } else {
                add(Check.ok(
                        id + " credentials",
                        section.accounts().size() <= 1
                                ? "one account"
                                : "each account has its own " + String.join(" + ", provider.credentialKeys())));
            }
            for (AccountConfig account : section.accounts().values()) {
                add(probes.check(provider, account, snapshot));
            }
        }
    }

    private void checkAllowlist(ChannelProvider provider, AccountConfig account) {
        String name = account.channelId() + "." + account.accountId() + " allowlist";
        String path = account.path(provider.allowlistKey());
        List<String> allowlist = Selections.allowlist(provider, account);
        Optional<String> empty =
                routed(ConfigValidation.Topic.ALLOWLIST, account.channelId() + "." + account.accountId());
        if (empty.isPresent() || allowlist.isEmpty()) {
            fail(
                    name,
                    empty.orElse(path + " is empty; the account cannot run without a conversation allowlist"),
                    "list the conversation ids you trust in " + path + " (or \"*\" to allow any)");
        } else if (allowlist.contains("*")) {
            add(Check.warn(
                    name,
                    path + " is \"*\": any conversation may talk to the bot",
                    "list the conversation ids you trust in " + path));
        } else {
            add(Check.ok(name, plural(allowlist.size(), "conversation")));
        }
    }

    // ---------------------------------------------------------------------------------- helpers

    /** The lines of config validate this check reports instead of config, if it found any. */
    private Optional<String> routed(ConfigValidation.Topic topic, String subject) {
        List<ConfigValidation.Finding> found = routed.stream()
                .filter(f -> f.topic() == topic && f.subject().equals(subject))
                .toList();
        listed.addAll(found);
        List<String> lines =
                found.stream().map(ConfigValidation.Finding::format).toList();
        return lines.isEmpty() ? Optional.empty() : Optional.of(String.join("\n", lines));
    }

    private void add(Check check) {
        checks.add(check);
    }

    private void fail(String name, String detail, String fix) {
        checks.add(Check.fail(name, detail, fix));
    }

    static String plural(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
