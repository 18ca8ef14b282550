package dev.switchboard.cli.gateway;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.cli.GatewayRpcException;
import dev.switchboard.cli.GatewaySession;
import dev.switchboard.cli.GatewayTarget;
import dev.switchboard.cli.GatewayTargets;
import dev.switchboard.cli.GlobalOptions;
import dev.switchboard.cli.Workspace;
import dev.switchboard.cli.internal.JsonOption;
import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.owner.OwnerPaths;
import dev.switchboard.core.owner.OwnerRecord;
import dev.switchboard.core.owner.OwnerState;
import dev.switchboard.core.owner.OwnerStatus;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.PlainJson;
import dev.switchboard.protocol.Scopes;
import dev.switchboard.protocol.Status;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code switchboard gateway status}: is the gateway up, on which port, with which channels.
 *
 * <p>Locally the state comes from the owner files, the OS lock and an identity probe; with {@code
 * --deep} the running gateway is also asked over RPC. With {@code --url} it is the status of that
 * gateway, from RPC {@code status} alone. Exits 0 whatever the state.
 *
 * <p>Start-up budget (SPEC §12): wall time at most twice a bare {@code java -version}. Load no
 * more than needed: no channel discovery, no config parsing beyond what locating the gateway needs.
 */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show whether the gateway is running.")
public final class GatewayStatusCommand implements Callable<Integer> {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    @Mixin
    private JsonOption json;

    @Option(
            names = "--deep",
            description = "Also ask the running gateway over RPC: health and channel accounts, probed live.")
    private boolean deep;

    private final GatewayTargets targets;
    private final CliEnvironment env;

    @Inject
    GatewayStatusCommand(GatewayTargets targets, CliEnvironment env) {
        this.targets = requireNonNull(targets, "targets is null");
        this.env = requireNonNull(env, "env is null");
    }

    public GlobalOptions globals() {
        return targets.globals();
    }

    @Override
    public Integer call() {
        if (targets.globals().url().isPresent()) {
            return remote(targets.remote());
        }
        OwnerStatus status = targets.workspace().inspector(env.clock()).inspect();
        if (deep && status.state() == OwnerState.RUNNING && status.owner().isPresent()) {
            OwnerRecord owner = status.owner().get();
            print(
                    status,
                    Optional.of(LiveStatus.fetch(() -> targets.owner(owner))),
                    targets.globals(),
                    json.enabled(),
                    env);
        } else {
            print(status, Optional.empty(), targets.globals(), json.enabled(), env);
        }
        return ExitCodes.OK;
    }

    /**
     * The local status without {@code --deep}: what {@code QuickPath} runs before (and without) the
     * injector and picocli's command model.
     */
    public static int local(Workspace workspace, GlobalOptions globals, boolean json, CliEnvironment env) {
        print(workspace.inspector(env.clock()).inspect(), Optional.empty(), globals, json, env);
        return ExitCodes.OK;
    }

    private static void print(
            OwnerStatus status, Optional<LiveStatus> live, GlobalOptions globals, boolean json, CliEnvironment env) {
        Map<String, Object> report = new LinkedHashMap<>(status.toJson());
        clusterView(status).ifPresent(cluster -> report.put("cluster", cluster));
        live.ifPresent(l -> l.addTo(report));
        Optional<InstalledService> installed = installedService(globals, env);
        report.put(
                "installedService",
                installed.map(GatewayStatusCommand::describe).orElse(null));
        JsonOption.print(json, env.out(), report, out -> StatusText.print(status, live, installed, out));
    }

    /**
     * A running cluster replica's view of the cluster, as it last wrote it to {@code
     * <state>/gateway/cluster.json} (every 5 s; docs/cluster.md); none for a single gateway.
     */
    private static Optional<Map<String, Object>> clusterView(OwnerStatus status) {
        if (status.state() != OwnerState.RUNNING || status.owner().isEmpty()) {
            return Optional.empty();
        }
        Path file = new OwnerPaths(Path.of(status.owner().get().stateDir())).clusterFile();
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            return Optional.empty(); // not a replica
        }
        try {
            // the plain reader, not databind: this is the quick path (start-up budget, SPEC §12)
            return PlainJson.read(content) instanceof Map<?, ?> view
                    ? Optional.of(objectKeyed(view))
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // caught between two writes: status never fails
        }
    }

    /** A JSON object as the plain reader gives it: its keys are strings. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> objectKeyed(Map<?, ?> object) {
        return (Map<String, Object>) object;
    }

    /** The definition {@code gateway install} wrote for this profile; none when it cannot be read. */
    private static Optional<InstalledService> installedService(GlobalOptions globals, CliEnvironment env) {
        try {
            return InstalledService.find(globals, env);
        } catch (IOException | SwitchboardException e) {
            return Optional.empty(); // status never fails; doctor's service check says what is wrong
        }
    }

    private static Map<String, Object> describe(InstalledService service) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("manager", service.manager());
        json.put("name", service.name());
        json.put("file", service.file().toString());
        return json;
    }

    /** A gateway named by {@code --url}: {@code running} when it answers, else why not. */
    private int remote(GatewayTarget target) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("state", "unreachable");
        report.put("url", target.url().toString());
        Optional<Status> status = Optional.empty();
        Optional<LiveStatus> live = Optional.empty();
        try (GatewaySession session = target.connect(List.of(Scopes.READ), CALL_TIMEOUT)) {
            status = Optional.of(session.call(Methods.STATUS, Status.class));
            report.put("state", "running");
            report.putAll(FrameCodec.json().convertValue(status.get(), JsonMaps.MAP));
            report.put("rpc", "ok");
            if (deep) {
                live = Optional.of(LiveStatus.fetch(session));
                live.get().addTo(report);
            }
        } catch (GatewayRpcException e) {
            report.put("state", e.answered() ? "refused" : "unreachable");
            report.put("rpc", e.getMessage().replaceAll("\\R", " "));
        }
        report.put("target", target.kind().wireName());
        report.put("credentialSource", target.credentialSource());
        Optional<Status> answered = status;
        Optional<LiveStatus> deepStatus = live;
        json.print(env.out(), report, out -> StatusText.printRemote(report, answered, deepStatus, out));
        return ExitCodes.OK;
    }

    /** Made on first use: a type reference reads generic signatures, which a plain status never needs. */
    private static final class JsonMaps {
        static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};
    }
}
