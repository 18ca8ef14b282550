package dev.switchboard.cli.gateway;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.DurationConverter;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.cli.GatewaySession;
import dev.switchboard.cli.GatewayTarget;
import dev.switchboard.cli.GatewayTargets;
import dev.switchboard.core.owner.OwnerRecord;
import dev.switchboard.core.owner.ServiceOwner;
import dev.switchboard.protocol.GatewayClient;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.Scopes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code switchboard gateway restart}: asks the gateway to restart in-process (it re-reads its
 * config and keeps its pid), then waits until a new instance answers. Not a stop followed by a
 * start: the process, its supervisor and its port stay. A local gateway a service manager started
 * (owner.json {@code service}) is restarted through that manager instead, as a new process.
 */
@Command(
        name = "restart",
        mixinStandardHelpOptions = true,
        description = "Restart the running gateway in-process (re-reading its config).")
public final class GatewayRestartCommand implements Callable<Integer> {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(200);

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "30s",
            converter = DurationConverter.class,
            description = "How long to wait for the new instance, e.g. 30s, 2m (default: ${DEFAULT-VALUE}).")
    @SuppressWarnings("NullAway.Init") // picocli sets it before call(): it has a default
    private Duration timeout;

    private final GatewayTargets targets;
    private final CliEnvironment env;

    @Inject
    GatewayRestartCommand(GatewayTargets targets, CliEnvironment env) {
        this.targets = requireNonNull(targets, "targets is null");
        this.env = requireNonNull(env, "env is null");
    }

    @Override
    public Integer call() throws InterruptedException {
        String before;
        CountDownLatch closed = new CountDownLatch(1);
        GatewayTarget target = targets.resolve();
        Optional<OwnerRecord> managed = target.kind() == GatewayTarget.Kind.LOCAL
                ? target.owner().filter(owner -> owner.service().isPresent())
                : Optional.empty();
        if (managed.isPresent()) {
            return restartThroughManager(managed.get());
        }
        try (GatewaySession session = target.connect(List.of(Scopes.ADMIN), CALL_TIMEOUT, event -> {}, state -> {
            if (state == GatewayClient.State.DISCONNECTED) {
                closed.countDown();
            }
        })) {
            before = session.hello().server().instanceId();
            session.call(Methods.GATEWAY_RESTART);
            env.err().println("restart requested (instance " + before + "); waiting for the new instance...");
            closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        return awaitNewInstance(before);
    }

    /**
     * A gateway a service manager started is restarted by that manager, as a new process: the
     * manager keeps track of it, and a new jar or java installed since is picked up.
     */
    private int restartThroughManager(OwnerRecord owner) throws InterruptedException {
        ServiceOwner service = owner.service().orElseThrow();
        ServiceControl.Ran ran = new ServiceControl(env).run(service, ServiceControl.Action.RESTART, timeout);
        env.err()
                .println("restarting gateway (pid " + owner.pid() + ", managed by " + service + "): ran "
                        + ran.command());
        if (ran.failure().isPresent()) {
            env.err()
                    .println("error: " + ran.command() + " failed ("
                            + ran.failure().get() + ")");
            return ExitCodes.RUNTIME;
        }
        env.err().println("waiting for the new instance...");
        return awaitNewInstance(owner.instanceId());
    }

    private int awaitNewInstance(String before) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        String lastProblem = "no answer yet";
        while (Instant.now().isBefore(deadline)) {
            Optional<String> now = currentInstance();
            if (now.isPresent() && !now.get().equals(before)) {
                env.out().println("restarted (instance " + now.get() + ")");
                return ExitCodes.OK;
            }
            lastProblem = now.isPresent() ? "still the old instance" : "not answering";
            Thread.sleep(POLL.toMillis());
        }
        env.err().println("error: no new instance answered within " + timeout.toSeconds() + "s (" + lastProblem + ")");
        return ExitCodes.RUNTIME;
    }

    /** The instance answering right now, resolving the target again (a local owner's port may move). */
    private Optional<String> currentInstance() {
        try {
            return Optional.of(targets.resolve().ask(List.of(Scopes.READ), CALL_TIMEOUT, session -> session.hello()
                    .server()
                    .instanceId()));
        } catch (RuntimeException e) { // unreachable while it restarts: keep polling
            return Optional.empty();
        }
    }
}
