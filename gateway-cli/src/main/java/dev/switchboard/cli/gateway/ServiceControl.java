package dev.switchboard.cli.gateway;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.core.owner.ServiceOwner;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Stops or restarts a gateway through the service manager that started it ({@code systemctl --user
 * stop|restart <unit>}, {@code launchctl kill SIGTERM|kickstart -k gui/<uid>/<label>}): a manager
 * told to stop does not start the gateway again, as it would after a signal or RPC behind its back.
 */
final class ServiceControl {
    /** Replaces {@code systemctl} (found on the PATH): a test and packaging aid. */
    static final String SYSTEMCTL_ENV = "SWITCHBOARD_SYSTEMCTL";
    /** Replaces {@code launchctl} (found on the PATH): a test and packaging aid. */
    static final String LAUNCHCTL_ENV = "SWITCHBOARD_LAUNCHCTL";

    enum Action {
        STOP,
        RESTART
    }

    /**
     * What running the manager's command came to.
     *
     * @param command what was run, as one line
     * @param failure empty when it exited 0, else why not: {@code exit 5: Unit x not loaded.}
     */
    record Ran(String command, Optional<String> failure) {
        Ran {
            requireNonNull(command, "command is null");
            requireNonNull(failure, "failure is null");
        }
    }

    private final CliEnvironment env;

    ServiceControl(CliEnvironment env) {
        this.env = requireNonNull(env, "env is null");
    }

    List<String> command(ServiceOwner service, Action action) {
        return switch (service.manager()) {
            case SYSTEMD -> List.of(
                    env.getenv(SYSTEMCTL_ENV).orElse("systemctl"),
                    "--user",
                    action == Action.STOP ? "stop" : "restart",
                    service.name());
            case LAUNCHD -> {
                String target = "gui/" + uid() + "/" + service.name();
                String launchctl = env.getenv(LAUNCHCTL_ENV).orElse("launchctl");
                // SIGTERM makes the gateway exit 0, which KeepAlive {SuccessfulExit=false} does not restart
                yield action == Action.STOP
                        ? List.of(launchctl, "kill", "SIGTERM", target)
                        : List.of(launchctl, "kickstart", "-k", target);
            }
        };
    }

    /** Runs the command and waits for it (systemctl stop returns once the unit stopped), up to {@code timeout}. */
    Ran run(ServiceOwner service, Action action, Duration timeout) throws InterruptedException {
        List<String> command = command(service, action);
        String line = String.join(" ", command);
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
        } catch (IOException e) {
            return new Ran(line, Optional.of("cannot run it: " + e.getMessage()));
        }
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            return new Ran(line, Optional.of("still running after " + timeout.toSeconds() + "s"));
        }
        if (process.exitValue() == 0) {
            return new Ran(line, Optional.empty());
        }
        String firstLine = stderr.join()
                .lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty())
                .findFirst()
                .map(l -> ": " + l)
                .orElse(" (nothing on stderr)");
        return new Ran(line, Optional.of("exit " + process.exitValue() + firstLine));
    }

    private static String readAll(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** The user's launchd domain is {@code gui/<uid>}. */
    private static long uid() {
        return new com.sun.security.auth.module.UnixSystem().getUid();
    }
}
