package dev.switchboard.cli;

import dev.switchboard.core.owner.HealthzProbe;
import dev.switchboard.core.owner.OwnerInspector;
import dev.switchboard.core.owner.OwnerPaths;
import dev.switchboard.core.owner.OwnerRecord;
import dev.switchboard.core.owner.OwnerState;
import dev.switchboard.core.owner.PortSource;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The training runs of {@code bin/switchboard}'s class-data-sharing archives ({@code java
 * -XX:ArchiveClassesAtExit=... -cp switchboard.jar dev.switchboard.cli.CdsTraining cli|gateway}),
 * so the classes a command loads come from an archive, parsed and verified once:
 *
 * <ul>
 *   <li>{@code cli}: what the short commands load — {@code gateway status --json} (the quick path,
 *       with a {@code /healthz} probe answered by a socket here) and {@code --help} (the injector and
 *       picocli's command model). Kept small: the JVM maps and relocates the whole archive at every
 *       start;
 *   <li>{@code gateway}: a {@code gateway run} on built-in defaults until it is ready, stopped by
 *       {@code gateway stop}.
 * </ul>
 */
public final class CdsTraining {
    private CdsTraining() {}

    public static void main(String[] args) throws IOException {
        Path state = Files.createTempDirectory("switchboard-cds-");
        try {
            PrintStream discard = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
            CliEnvironment env = new CliEnvironment(Map.of(), state, discard, discard, Clock.systemUTC());
            if (args.length == 1 && args[0].equals("gateway")) {
                runGatewayOnce(env, state.resolve("gateway-run"));
            } else {
                Main.run(env, "gateway", "status", "--json", "--state-dir", state.toString());
                Main.run(env, "gateway", "status", "--state-dir", state.toString());
                Main.run(env, "--help");
                probeOnce(state);
            }
        } finally {
            try (var files = Files.walk(state)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
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
        OwnerInspector inspector = new OwnerInspector(new OwnerPaths(state), Clock.systemUTC(), new HealthzProbe());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (gateway.isAlive() && inspector.inspect().state() != OwnerState.RUNNING && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        Main.run(env, "gateway", "stop", "--state-dir", stateDir);
        try {
            gateway.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One {@code /healthz} probe against a socket that answers as a gateway would. */
    private static void probeOnce(Path state) throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            OwnerRecord owner = OwnerRecord.forStart(
                            new OwnerPaths(state), OwnerRecord.Mode.GATEWAY, "training", Clock.systemUTC())
                    .port(server.getLocalPort())
                    .portSource(PortSource.CLI)
                    .build();
            Thread answer = new Thread(() -> {
                try (Socket socket = server.accept()) {
                    socket.getInputStream().read(new byte[4096]);
                    byte[] body = ("{\"ok\":true,\"instanceId\":\"" + owner.instanceId() + "\"}")
                            .getBytes(StandardCharsets.UTF_8);
                    ByteArrayOutputStream response = new ByteArrayOutputStream();
                    response.writeBytes(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    response.writeBytes(body);
                    socket.getOutputStream().write(response.toByteArray());
                } catch (IOException e) {
                    // the probe reports it; training goes on
                }
            });
            answer.start();
            new HealthzProbe().probe(owner);
            try {
                answer.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
