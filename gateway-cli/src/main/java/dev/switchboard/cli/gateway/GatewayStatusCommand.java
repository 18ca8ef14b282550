package dev.switchboard.cli.gateway;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.cli.GatewayRpcException;
import dev.switchboard.cli.GatewaySession;
import dev.switchboard.cli.GatewayTarget;
import dev.switchboard.cli.GlobalOptions;
import dev.switchboard.cli.Workspace;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.owner.OwnerRecord;
import dev.switchboard.core.owner.OwnerState;
import dev.switchboard.core.owner.OwnerStatus;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.Scopes;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
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
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    @Option(names = "--json", description = "Print JSON (stable, documented).")
    private boolean json;

    @Option(
            names = "--deep",
            description = "Also ask the running gateway over RPC: health and channel accounts, probed live.")
    private boolean deep;

    private final GlobalOptions globals;
    private final CliEnvironment env;
    private final Provider<ChannelRegistry> channels;

    @Inject
    GatewayStatusCommand(GlobalOptions globals, CliEnvironment env, Provider<ChannelRegistry> channels) {
        this.globals = requireNonNull(globals, "globals is null");
        this.env = requireNonNull(env, "env is null");
        this.channels = requireNonNull(channels, "channels is null");
    }

    public GlobalOptions globals() {
        return globals;
    }

    @Override
    public Integer call() {
        Workspace workspace = Workspace.locate(globals, env);
        if (globals.url().isPresent()) {
            return remote(GatewayTarget.remote(globals, env, workspace, channels::get));
        }
        OwnerStatus status = workspace.inspector(env.clock()).inspect();
        Map<String, Object> report = new LinkedHashMap<>(status.toJson());
        Optional<LiveStatus> live = Optional.empty();
        if (deep && status.state() == OwnerState.RUNNING && status.owner().isPresent()) {
            OwnerRecord owner = status.owner().get();
            live = Optional.of(LiveStatus.fetch(() -> GatewayTarget.forOwner(globals, env, workspace, owner)));
            live.get().addTo(report);
        }
        if (json) {
            env.out().println(StatusJson.write(report));
        } else {
            StatusText.print(status, live, env.out());
        }
        return ExitCodes.OK;
    }

    /** A gateway named by {@code --url}: {@code running} when it answers, else why not. */
    private int remote(GatewayTarget target) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("state", "unreachable");
        report.put("url", target.url().toString());
        Optional<JsonNode> status = Optional.empty();
        Optional<LiveStatus> live = Optional.empty();
        try (GatewaySession session = target.connect(List.of(Scopes.READ), CALL_TIMEOUT)) {
            status = Optional.of(session.call(Methods.STATUS, GatewaySession.params()));
            report.put("state", "running");
            report.putAll(JSON.convertValue(status.get(), MAP));
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
        if (json) {
            env.out().println(StatusJson.write(report));
        } else {
            StatusText.printRemote(report, status, live, env.out());
        }
        return ExitCodes.OK;
    }
}
