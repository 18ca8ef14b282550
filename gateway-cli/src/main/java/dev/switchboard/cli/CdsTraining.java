package dev.switchboard.cli;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.owner.HealthzProbe;
import dev.switchboard.core.owner.OwnerInspector;
import dev.switchboard.core.owner.OwnerPaths;
import dev.switchboard.core.owner.OwnerRecord;
import dev.switchboard.core.owner.OwnerState;
import dev.switchboard.core.owner.PortSource;
import dev.switchboard.core.owner.internal.GatewayOwner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The training runs of {@code bin/switchboard}'s class-data-sharing archives ({@code java
 * -XX:ArchiveClassesAtExit=... -cp switchboard.jar dev.switchboard.cli.CdsTraining status|cli|gateway}),
 * so the classes a command loads come from an archive, parsed and verified once:
 *
 * <ul>
 *   <li>{@code status}: what a plain {@code gateway status [--json]} loads (the quick path), with no
 *       gateway and against a running one (this JVM owns a state dir and answers its {@code /healthz}
 *       probe). Kept small: the JVM maps the whole archive at every start, and this command's budget is
 *       twice a bare {@code java -version};
 *   <li>{@code cli}: the other short commands — {@code --help} (the injector and picocli's command
 *       model), {@code config validate}, and {@code health}, {@code status}, {@code channels} and
 *       {@code channels status} against a gateway running in a process of its own;
 *   <li>{@code gateway}: a {@code gateway run} on built-in defaults until it is ready, stopped by
 *       {@code gateway stop}.
 * </ul>
 */
public final class CdsTraining {
    private static final String TEMP_PREFIX = "switchboard-cds-";

    private CdsTraining() {}

    public static void main(String[] args) throws IOException {
        Path state = Files.createTempDirectory(TEMP_PREFIX);
        sweepStaleTrainings(requireNonNull(state.getParent(), "a temp dir has a parent"));
        // also when the training is stopped by a signal (Ctrl-C on the first command after a build);
        // what the stopped training still writes meanwhile is swept by a later one
        Thread cleanup = new Thread(() -> deleteTree(state), "cds-training-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            PrintStream discard = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
            CliEnvironment env = new CliEnvironment(trainingEnv(state), state, discard, discard, Clock.systemUTC());
            String kind = args.length == 1 ? args[0] : "";
            switch (kind) {
                case "gateway" -> runGatewayOnce(env, state.resolve("gateway-run"));
                case "status" -> {
                    // as an operator runs it (the state dir found from $HOME), then with the options
                    Main.run(env, "gateway", "status", "--json");
                    Main.run(env, "gateway", "status", "--json", "--state-dir", state.toString());
                    Main.run(env, "gateway", "status", "--state-dir", state.toString());
                    statusOfRunningGateway(env, state.resolve("running"));
                }
                case "cli" -> {
                    Main.run(env, "--help");
                    commandsAgainstGatewayProcess(env, state.resolve("gateway-process"));
                }
                default -> throw new IllegalArgumentException(
                        "training: '" + kind + "' (expected: gateway, status or cli)");
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs
            }
            deleteTree(state);
        }
    }

    /**
     * Deletes the temporary dirs of trainings that were stopped more than an hour ago (a training
     * takes seconds; a younger one may be another build's, running now).
     */
    private static void sweepStaleTrainings(Path tmp) {
        long cutoff = System.currentTimeMillis() - TimeUnit.HOURS.toMillis(1);
        try (var dirs = Files.newDirectoryStream(tmp, TEMP_PREFIX + "*")) {
            for (Path dir : dirs) {
                if (Files.getLastModifiedTime(dir).toMillis() < cutoff) {
                    deleteTree(dir);
                }
            }
        } catch (IOException e) {
            // a temp dir that cannot be listed: nothing to sweep
        }
    }

    /** Deletes {@code dir} and what is in it, as far as it can: the training's files are scratch. */
    private static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException e) {
            // gone already, or a file the child gateway still writes: the OS's temp cleanup takes the rest
        }
    }

    /**
     * The real environment with {@code $HOME} in the training's temporary dir and no {@code
     * SWITCHBOARD_*} variable: the runs read and iterate a real environment as a command does, and never
     * touch the operator's gateway.
     */
    private static Map<String, String> trainingEnv(Path home) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.keySet().removeIf(name -> name.startsWith("SWITCHBOARD_"));
        env.put("HOME", home.toString());
        return env;
    }

    /**
     * {@code health}, {@code channels}, {@code status}, {@code channels status} and {@code config
     * validate} against a gateway in a process of its own (its classes stay out of this archive), then
     * {@code gateway stop}.
     */
    private static void commandsAgainstGatewayProcess(CliEnvironment env, Path state) throws IOException {
        String dir = state.toString();
        Main.run(env, "config", "init", "--state-dir", dir);
        ProcessBuilder builder = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"),
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "gateway",
                        "run",
                        "--allow-unconfigured",
                        "--state-dir",
                        dir,
                        "--port",
                        "0")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().clear();
        builder.environment().putAll(env.env());
        Process gateway = builder.start();
        // a training stopped by a signal (Ctrl-C on the first command after a build) takes it along
        Thread reaper = new Thread(gateway::destroyForcibly, "cds-training-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        try {
            awaitRunning(state, gateway::isAlive);
            Main.run(env, "config", "validate", "--state-dir", dir);
            // the starter config is HOCON; a TOML file loads the TOML parser's classes too
            Path toml = state.resolve("training.toml");
            Files.writeString(toml, "[gateway]\nport = 18789\nbind = \"loopback\"\n\n[agent]\nprovider = \"echo\"\n");
            Main.run(env, "config", "validate", toml.toString());
            Main.run(env, "health", "--json", "--state-dir", dir);
            Main.run(env, "health", "--state-dir", dir);
            Main.run(env, "channels", "--json", "--state-dir", dir);
            Main.run(env, "channels", "--state-dir", dir);
            Main.run(env, "status", "--json", "--state-dir", dir);
            Main.run(env, "status", "--state-dir", dir);
            Main.run(env, "channels", "status", "--json", "--state-dir", dir);
            Main.run(env, "channels", "status", "--state-dir", dir);
            Main.run(env, "gateway", "stop", "--state-dir", dir);
            gateway.waitFor(30, TimeUnit.SECONDS); // then, stopped or not, it is destroyed below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            gateway.destroyForcibly();
            Runtime.getRuntime().removeShutdownHook(reaper);
        }
    }

    /** Waits (at most 30 s) until the gateway of {@code state} runs, or {@code alive} turns false. */
    private static void awaitRunning(Path state, BooleanSupplier alive) {
        OwnerInspector inspector = new OwnerInspector(new OwnerPaths(state), Clock.systemUTC(), new HealthzProbe());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (alive.getAsBoolean()
                && inspector.inspect().state() != OwnerState.RUNNING
                && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** {@code gateway run} on built-in defaults, port 0, until it runs; then {@code gateway stop}. */
    private static void runGatewayOnce(CliEnvironment env, Path state) {
        String stateDir = state.toString();
        Thread gateway = new Thread(
                () -> Main.run(env, "gateway", "run", "--allow-unconfigured", "--state-dir", stateDir, "--port", "0"),
                "cds-training-gateway");
        gateway.setDaemon(true);
        gateway.start();
        awaitRunning(state, gateway::isAlive);
        if (Thread.currentThread().isInterrupted()) {
            return;
        }
        Main.run(env, "gateway", "stop", "--state-dir", stateDir);
        try {
            gateway.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * {@code gateway status --json} and {@code gateway status} against a running gateway: this JVM
     * owns {@code state} as one would (owner.json, the lock) and answers its {@code /healthz} probes.
     */
    private static void statusOfRunningGateway(CliEnvironment env, Path state) throws IOException {
        try (ServerSocket server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
            OwnerRecord initial = OwnerRecord.forStart(
                            new OwnerPaths(state), OwnerRecord.Mode.GATEWAY, "training", Clock.systemUTC())
                    .port(server.getLocalPort())
                    .portSource(PortSource.CLI)
                    .phase(OwnerRecord.Phase.RUNNING)
                    .build();
            try (GatewayOwner owner = GatewayOwner.acquire(new OwnerPaths(state), initial, Clock.systemUTC())) {
                Thread answers =
                        new Thread(() -> answerHealthz(server, owner.current().instanceId()));
                answers.setDaemon(true);
                answers.start();
                Main.run(env, "gateway", "status", "--json", "--state-dir", state.toString());
                Main.run(env, "gateway", "status", "--state-dir", state.toString());
            }
        }
    }

    /** Answers {@code /healthz} as the gateway {@code instanceId} would, until the socket closes. */
    private static void answerHealthz(ServerSocket server, String instanceId) {
        byte[] body = ("{\"ok\":true,\"instanceId\":\"" + instanceId + "\"}").getBytes(StandardCharsets.UTF_8);
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                socket.getInputStream().read(new byte[4096]);
                ByteArrayOutputStream response = new ByteArrayOutputStream();
                response.writeBytes(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                response.writeBytes(body);
                socket.getOutputStream().write(response.toByteArray());
            } catch (IOException e) {
                return; // closed: training is over
            }
        }
    }
}
