package dev.switchboard.cli.gateway;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.DurationConverter;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.cli.GatewaySession;
import dev.switchboard.cli.GatewayTarget;
import dev.switchboard.cli.GatewayTargets;
import dev.switchboard.cli.Workspace;
import dev.switchboard.core.owner.OwnerInspector;
import dev.switchboard.core.owner.OwnerRecord;
import dev.switchboard.core.owner.OwnerStopper;
import dev.switchboard.core.owner.ServiceOwner;
import dev.switchboard.core.owner.StopOutcome;
import dev.switchboard.protocol.Events;
import dev.switchboard.protocol.GatewayClient;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.Scopes;
import dev.switchboard.protocol.Shutdown;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code switchboard gateway stop}: ask the running gateway to shut down and wait for it.
 *
 * <p>Locally: RPC {@code gateway.stop} to the owner of the state dir, falling back to a SIGTERM
 * that is sent only to the verified owner process when the RPC fails; then waits for the lock to be
 * free. A gateway a service manager started (owner.json {@code service}) is stopped through that
 * manager instead. With {@code --url}: the RPC only, then waits for the gateway to close the
 * connection.
 */
@Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop the running gateway.")
public final class GatewayStopCommand implements Callable<Integer> {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "30s",
            converter = DurationConverter.class,
            description = "How long to wait for it to stop, e.g. 500ms, 30s, 2m (default: ${DEFAULT-VALUE}).")
    @SuppressWarnings("NullAway.Init") // picocli sets it before call(): it has a default
    private Duration timeout;

    private final GatewayTargets targets;
    private final CliEnvironment env;

    @Inject
    GatewayStopCommand(GatewayTargets targets, CliEnvironment env) {
        this.targets = requireNonNull(targets, "targets is null");
        this.env = requireNonNull(env, "env is null");
    }

    public Duration timeout() {
        return timeout;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (targets.globals().url().isPresent()) {
            return stopRemote(targets.remote());
        }
        Workspace workspace = targets.workspace();
        OwnerInspector inspector = workspace.inspector(env.clock());
        OwnerStopper stopper = new OwnerStopper(workspace.ownerPaths(), inspector, env.clock());
        Optional<OwnerRecord> running = inspector.inspect().owner().filter(owner -> inspector.lockHeld());
        if (running.isPresent() && running.get().service().isPresent()) {
            return stopThroughManager(
                    stopper, running.get(), running.get().service().get());
        }
        running.ifPresent(owner -> env.err().println("stopping gateway (pid " + owner.pid() + ")..."));
        RpcStopRequester requester = new RpcStopRequester(targets::owner);
        StopOutcome outcome = stopper.stop(timeout, requester);
        if (outcome.via() == StopOutcome.Via.SIGTERM || outcome.result() == StopOutcome.Result.REFUSED) {
            requester.failure().ifPresent(failure -> env.err()
                    .println("note: the stop request over RPC failed (" + failure + ")"
                            + (outcome.via() == StopOutcome.Via.SIGTERM
                                    ? "; sent SIGTERM to the verified owner"
                                    : "")));
        }
        return report(outcome);
    }

    /**
     * A gateway a service manager started is stopped by that manager: a signal or RPC behind its back
     * would be answered with a restart ({@code Restart=always}). No fallback when the manager fails:
     * the operator gets its error and decides.
     */
    private int stopThroughManager(OwnerStopper stopper, OwnerRecord owner, ServiceOwner service)
            throws InterruptedException {
        Instant start = env.clock().instant();
        ServiceControl.Ran ran = new ServiceControl(env).run(service, ServiceControl.Action.STOP, timeout);
        env.err()
                .println(
                        "stopping gateway (pid " + owner.pid() + ", managed by " + service + "): ran " + ran.command());
        if (ran.failure().isPresent()) {
            env.err()
                    .println("error: " + ran.command() + " failed ("
                            + ran.failure().get() + "); the gateway (pid " + owner.pid() + ") was not stopped");
            return ExitCodes.RUNTIME;
        }
        Duration left = timeout.minus(Duration.between(start, env.clock().instant()));
        return report(stopper.awaitStopped(owner, left.isNegative() ? Duration.ZERO : left));
    }

    private int report(StopOutcome outcome) {
        switch (outcome.result()) {
            case STOPPED -> {
                env.out().println("stopped");
                return ExitCodes.OK;
            }
            case NOT_RUNNING -> {
                env.out().println("not running");
                return ExitCodes.OK;
            }
            case TIMEOUT -> env.err().println("error: " + outcome.message());
            case REFUSED -> env.err().println("error: " + outcome.message());
        }
        return ExitCodes.RUNTIME;
    }

    /**
     * A gateway on another host: only the RPC is possible. Prints {@code stop requested} once the
     * gateway acknowledged, then waits until it closes the connection (it sends {@code shutdown} and
     * closes).
     */
    private int stopRemote(GatewayTarget target) throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        AtomicReference<String> reason = new AtomicReference<>();
        try (GatewaySession session = target.connect(
                List.of(Scopes.ADMIN),
                CALL_TIMEOUT,
                event -> {
                    if (event.event().equals(Events.SHUTDOWN)) {
                        reason.set(event.payload(Shutdown.class).reason());
                    }
                },
                state -> {
                    if (state == GatewayClient.State.DISCONNECTED) {
                        closed.countDown();
                    }
                })) {
            session.call(Methods.GATEWAY_STOP);
            env.out().println("stop requested");
            env.out().flush();
            if (!closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                env.err()
                        .println("error: the gateway at " + target.url() + " acknowledged the stop but still had the"
                                + " connection open after " + timeout.toMillis() + " ms");
                return ExitCodes.RUNTIME;
            }
        }
        env.out()
                .println("the gateway closed the connection"
                        + (reason.get() == null ? "" : " (shutdown: " + reason.get() + ")"));
        return ExitCodes.OK;
    }
}
