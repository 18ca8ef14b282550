package dev.switchboard.cli.gateway;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.GatewayTarget;
import dev.switchboard.cli.GlobalOptions;
import dev.switchboard.cli.LoggingSetup;
import dev.switchboard.cli.Workspace;
import dev.switchboard.cli.internal.ConfigValidation;
import dev.switchboard.cli.profiles.HostProfiles;
import dev.switchboard.cli.profiles.PortHolder;
import dev.switchboard.core.Gateway;
import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.auth.GatewayAuth;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.config.ConfigCheck;
import dev.switchboard.core.config.ConfigException;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.core.config.ConfigProblem;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.owner.OwnerInspector;
import dev.switchboard.core.owner.OwnerRecord;
import dev.switchboard.core.owner.OwnerState;
import dev.switchboard.core.owner.OwnerStatus;
import dev.switchboard.core.owner.OwnerStopper;
import dev.switchboard.core.owner.StopOutcome;
import dev.switchboard.core.secrets.SecretResolver;
import dev.switchboard.core.selector.AccountResolver;
import dev.switchboard.core.selector.ChannelSelector;
import dev.switchboard.core.selector.SelectedAccount;
import dev.switchboard.core.selector.SelectorParser;
import dev.switchboard.core.server.ListenAddress;
import dev.switchboard.core.server.PortInUseException;
import java.io.Console;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a gateway in the foreground until it is stopped: what {@code gateway run} and {@code
 * multi-channel-serve} share. Everything that can be wrong with the command line or the config is
 * checked before a file is written or a socket opened.
 */
final class GatewayLauncher {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayLauncher.class);
    private static final Duration FORCE_STOP_TIMEOUT = Duration.ofSeconds(30);

    /** What to run. */
    record Request(
            OwnerRecord.Mode mode,
            Optional<String> session,
            List<String> channelAccounts,
            OptionalInt port,
            Optional<String> bind,
            boolean force,
            boolean allowUnconfigured,
            boolean verbose) {}

    private final GlobalOptions globals;
    private final CliEnvironment env;
    private final ChannelRegistry registry;

    GatewayLauncher(GlobalOptions globals, CliEnvironment env, ChannelRegistry registry) {
        this.globals = requireNonNull(globals, "globals is null");
        this.env = requireNonNull(env, "env is null");
        this.registry = requireNonNull(registry, "registry is null");
    }

    int run(Request request) throws InterruptedException {
        // 1. nothing touched yet: selectors (exit 2), config (exit 78), selection and allowlists
        List<ChannelSelector> selectors = new SelectorParser(registry).parse(request.channelAccounts());
        Workspace workspace = Workspace.locate(globals, env);
        List<ConfigProblem> degraded = new ArrayList<>();
        GatewayConfig config = validatedConfig(request, workspace, selectors, degraded);
        if (config.gateway().mode() == GatewayConfig.Mode.REMOTE) {
            throw SwitchboardException.config("gateway.mode is \"remote\" in "
                    + config.source().map(Path::toString).orElse("the config")
                    + ": this host only runs clients (set gateway.mode = \"local\" to run the gateway here)");
        }
        List<SelectedAccount> selection = new AccountResolver(registry).resolve(config, selectors);
        ListenAddress listen = listenFor(request, config);

        // 2. from here on files and sockets
        if (request.force()) {
            stopPreviousOwner(workspace);
        }
        Path logDir = LoggingSetup.forGateway(workspace.stateDir(), request.verbose(), env.err());
        // discovery ran before the gateway's logging was set up: say which plugins it runs with now
        registry.plugins().forEach(plugin -> LOG.info("channel plugin {}", plugin.summary()));
        // the same lines config validate prints; the gateway starts these accounts degraded
        degraded.forEach(problem -> LOG.warn("{}", problem.format()));
        PrintStream progress = request.mode() == OwnerRecord.Mode.MULTI_CHANNEL_SERVE ? env.out() : env.err();

        StopSignals signals = StopSignals.install();
        Instant restartNotBefore = Instant.MIN;
        // after a restart: what ran before it, to fall back on if the new config cannot start
        Setup previous = null;
        try {
            while (true) {
                Gateway gateway;
                try {
                    gateway = start(request, workspace, config, selectors, listen, restartNotBefore, progress, signals);
                } catch (SwitchboardException e) {
                    if (previous == null) {
                        throw e;
                    }
                    // e.g. the new port is taken: a restart never turns into an outage
                    progress.println(
                            "the new config did not start (" + e.getMessage() + "); restarting with the previous one");
                    config = previous.config();
                    selection = previous.selection();
                    listen = previous.listen();
                    previous = null;
                    continue;
                }
                previous = null;
                printBanner(request, workspace, config, selection, listen, logDir, gateway);
                gateway.awaitStopped();
                if (!gateway.restartRequested()) {
                    return 0;
                }
                // SPEC §8: a config change restarts the gateway at most once per interval
                restartNotBefore = env.clock().instant().plus(Gateway.RELOAD_RESTART_INTERVAL);
                // gateway.restart: a new gateway on a freshly read config; a config that no longer
                // loads keeps the one that ran, so a restart never turns into an outage
                progress.println("restarting: re-reading "
                        + config.source().map(Path::toString).orElse("the built-in defaults"));
                previous = new Setup(config, selection, listen);
                try {
                    GatewayConfig fresh = workspace.loadConfig(registry, globals.dev() || request.allowUnconfigured());
                    selection = new AccountResolver(registry).resolve(fresh, selectors);
                    listen = listenFor(request, fresh);
                    config = fresh;
                } catch (SwitchboardException e) {
                    progress.println("config not reloaded, restarting with the previous one: " + e.getMessage());
                }
            }
        } finally {
            signals.uninstall();
        }
    }

    /**
     * The config file, refused with every problem {@code config validate} reports as an error (not
     * only the first); the problems that leave an account degraded go to {@code degraded}. Without a
     * file, the built-in defaults or the refusal naming the paths looked at.
     */
    private GatewayConfig validatedConfig(
            Request request, Workspace workspace, List<ChannelSelector> selectors, List<ConfigProblem> degraded) {
        if (workspace.configFile().isEmpty()) {
            return workspace.loadConfig(registry, globals.dev() || request.allowUnconfigured());
        }
        ConfigCheck check =
                new ConfigLoader(registry).check(workspace.configFile().get());
        Optional<ListenAddress> listen = check.config().map(config -> listenFor(request, config));
        Set<String> selected =
                selectors.stream().map(ChannelSelector::channelId).collect(Collectors.toSet());
        ConfigValidation.Result result = ConfigValidation.run(registry, check, env.env(), listen, selected);
        if (!result.refusals().isEmpty()) {
            throw new ConfigException(check.file(), result.refusals());
        }
        degraded.addAll(result.select(Set.of(ConfigValidation.Severity.DEGRADED)));
        return check.config().orElseThrow();
    }

    /** What one gateway of the restart loop runs with. */
    private record Setup(GatewayConfig config, List<SelectedAccount> selection, ListenAddress listen) {}

    private Gateway start(
            Request request,
            Workspace workspace,
            GatewayConfig config,
            List<ChannelSelector> selectors,
            ListenAddress listen,
            Instant restartNotBefore,
            PrintStream progress,
            StopSignals signals) {
        Gateway gateway = Gateway.builder()
                .config(config)
                .stateDir(workspace.stateDir())
                .logDir(LoggingSetup.logDir(workspace.stateDir())) // where forGateway writes, for logs.tail
                .registry(registry)
                .selectors(selectors)
                .secretResolver(new SecretResolver(env.env(), SecretResolver.DEFAULT_EXEC_TIMEOUT))
                .environment(env.env())
                .token(globals.token().orElse(null))
                .listen(listen)
                .listenFor(next -> listenFor(request, next))
                .watchConfig(true)
                .onLogLevel(level -> {
                    if (!request.verbose()) { // --verbose is debug whatever the file says
                        LoggingSetup.gatewayLevel(level);
                    }
                })
                .restartNotBefore(restartNotBefore)
                .mode(request.mode())
                .session(request.session().orElse(null))
                .clock(env.clock())
                // gateway run: the gateway's own log line on stderr is the progress line, so it is not
                // printed twice; multi-channel-serve shows the transitions on stdout as well
                .onChannelStatus(status -> {
                    if (request.mode() == OwnerRecord.Mode.MULTI_CHANNEL_SERVE) {
                        progress.println(status.describe());
                    }
                })
                .build();
        signals.stops(gateway, config.gateway().shutdownTimeout());
        try {
            gateway.start();
        } catch (PortInUseException e) {
            // the port may be another profile's gateway: say which, and how to reach it
            throw PortHolder.explain(e, new HostProfiles(env.home(), env.clock()), workspace.stateDir());
        }
        return gateway;
    }

    /** Where a config listens with this command line's {@code --port}/{@code --bind} and environment. */
    private ListenAddress listenFor(Request request, GatewayConfig config) {
        return ListenAddress.resolve(request.port(), request.bind(), env.env(), config, globals.dev());
    }

    private void printBanner(
            Request request,
            Workspace workspace,
            GatewayConfig config,
            List<SelectedAccount> selection,
            ListenAddress listen,
            Path logDir,
            Gateway gateway) {
        String url = "ws://" + listen.clientHost() + ":" + gateway.port();
        PrintStream out = env.out();
        out.println(describe(request.mode()) + " running: " + url + " (pid "
                + ProcessHandle.current().pid() + ", session "
                + request.session().orElse("-") + ", instance " + gateway.instanceId() + ")");
        out.println("  state    " + workspace.stateDir());
        out.println("  config   " + config.source().map(Path::toString).orElse("built-in defaults"));
        out.println("  logs     " + logDir);
        if (selection.isEmpty()) {
            out.println("  channels none enabled");
        }
        for (SelectedAccount account : selection) {
            out.println("  channel  " + account.channelId() + "." + account.accountId() + " ("
                    + account.source().description() + ")");
        }
        registry.plugins().forEach(plugin -> out.println("  plugin   " + plugin.summary()));
        printAuth(gateway.auth(), workspace);
        out.println("  health   http://" + listen.clientHost() + ":" + gateway.port() + "/healthz");
        if (config.gateway().controlUi().enabled()) {
            out.println("  ui       http://" + listen.clientHost() + ":" + gateway.port() + "/   (the Control UI)");
        }
        out.println("  stop     switchboard" + globals.stateFlags() + " gateway stop   (or Ctrl-C)");
        out.flush();
    }

    /**
     * Where clients' credentials come from. A minted token is shown once, and only on a terminal or
     * with {@code --dev}: a service's output ends up in a journal, where a secret must not.
     */
    private void printAuth(GatewayAuth auth, Workspace workspace) {
        PrintStream out = env.out();
        out.println("  auth     " + auth.mode().name().toLowerCase(java.util.Locale.ROOT) + ": clients send "
                + auth.expectedSource() + "; local CLI commands read "
                + workspace.ownerPaths().controlTokenFile());
        auth.overrides().forEach(warning -> env.err().println("warning: " + warning));
        if (auth.mintedToken().isEmpty()) {
            return;
        }
        if (globals.dev() || onTerminal()) {
            String token = auth.mintedToken().get().reveal();
            out.println("  token    " + token + "   (minted for this run only; to keep one: export"
                    + " SWITCHBOARD_GATEWAY_TOKEN=" + token + " and set gateway.auth.token = { env ="
                    + " \"SWITCHBOARD_GATEWAY_TOKEN\" })");
        } else {
            out.println("  token    minted for this run and not shown (output is not a terminal); set"
                    + " gateway.auth.token = { env = \"SWITCHBOARD_GATEWAY_TOKEN\" } to choose one");
        }
    }

    /**
     * Whether the process talks to a terminal. Up to JDK 21 a console exists only then; from JDK 22
     * on {@code System.console()} answers for redirected output too, and {@code Console.isTerminal()}
     * (absent before 22) tells.
     */
    private static boolean onTerminal() {
        return Optional.ofNullable(System.console())
                .map(GatewayLauncher::isTerminal)
                .orElse(false);
    }

    private static boolean isTerminal(Console console) {
        try {
            return Boolean.TRUE.equals(Console.class.getMethod("isTerminal").invoke(console));
        } catch (NoSuchMethodException e) {
            return true; // before JDK 22: a console exists only on a terminal
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    /** {@code --force}: stops a verified gateway owning this state dir; never anything else. */
    private void stopPreviousOwner(Workspace workspace) {
        OwnerInspector inspector = workspace.inspector(env.clock());
        OwnerStatus status = inspector.inspect();
        if (status.state() != OwnerState.RUNNING && status.state() != OwnerState.UNRESPONSIVE) {
            return;
        }
        env.err()
                .println("--force: stopping the gateway that owns " + workspace.stateDir() + " ("
                        + status.owner().map(o -> "pid " + o.pid()).orElse("pid unknown") + ")");
        StopOutcome outcome = new OwnerStopper(workspace.ownerPaths(), inspector, env.clock())
                .stop(
                        FORCE_STOP_TIMEOUT,
                        new RpcStopRequester(owner -> GatewayTarget.forOwner(globals, env, workspace, owner)));
        if (outcome.result() != StopOutcome.Result.STOPPED && outcome.result() != StopOutcome.Result.NOT_RUNNING) {
            throw SwitchboardException.config("--force could not stop the previous gateway: " + outcome.message());
        }
    }

    private static String describe(OwnerRecord.Mode mode) {
        return mode == OwnerRecord.Mode.MULTI_CHANNEL_SERVE ? "multi-channel-serve" : "gateway";
    }
}
