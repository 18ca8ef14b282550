package dev.switchboard.bench;

import static dev.switchboard.bench.BenchOptions.atLeast;
import static dev.switchboard.bench.BenchOptions.required;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.FrameCodec;
import java.io.IOException;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The start-up budgets of SPEC §12, through the launcher an operator runs ({@code bin/switchboard},
 * or any command given with {@code --launcher}):
 *
 * <ul>
 *   <li><b>floor</b>: a bare {@code java -version} of the same JDK, measured in the same run,
 *       interleaved with the commands, so a noisy machine moves both;
 *   <li><b>short commands</b>: {@code gateway status --json} (budget: 2x the floor) with no gateway
 *       and with one running, and {@code health --json}, {@code status --json}, {@code channels
 *       --json}, {@code channels status --json}, {@code config validate} against the running one —
 *       wall time of the whole process, as a shell sees it;
 *   <li><b>cold start</b>: {@code gateway run --allow-unconfigured} (no channels, echo agent) in a
 *       fresh state dir to the first {@code /readyz} 200 (budget: 1.5 s), polled every 5 ms.
 * </ul>
 *
 * <p>A command that exits non-zero (other than the documented ones it may) fails the run.
 */
public final class StartupBench {
    private static final double STATUS_BUDGET_RATIO = 2.0;
    private static final long READY_BUDGET_MS = 1500;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final String TOKEN = "bench-token-not-secret-0123456789";

    private StartupBench() {}

    record Options(int runs, int warmup, List<String> launcher, String java, Optional<Path> json) {
        static Options parse(String[] args) {
            int runs = 15;
            int warmup = 2;
            List<String> launcher = List.of("bin/switchboard");
            String java = javaOnPath();
            Optional<Path> json = Optional.empty();
            for (int i = 0; i < args.length; i += 2) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--runs" -> runs = atLeast(1, args[i], value);
                    case "--warmup" -> warmup = atLeast(0, args[i], value);
                    case "--launcher" -> launcher =
                            List.of(required(args[i], value).trim().split("\\s+", -1));
                    case "--java" -> java = required(args[i], value);
                    case "--json" -> json = Optional.of(Path.of(required(args[i], value)));
                    default -> throw new IllegalArgumentException(
                            args[i] + ": unknown option (expected: --runs, --warmup, --launcher, --java, --json)");
                }
            }
            return new Options(runs, warmup, launcher, java, json);
        }

        /** {@code $JAVA_HOME/bin/java} when set, else {@code java} on the PATH: the one bin/switchboard uses. */
        private static String javaOnPath() {
            String home = System.getenv("JAVA_HOME");
            return home == null || home.isBlank()
                    ? "java"
                    : Path.of(home, "bin", "java").toString();
        }
    }

    public static void main(String[] args) throws Exception {
        BenchMain.main(
                "startup bench",
                args,
                Options::parse,
                options -> run(options, System.err),
                StartupBench::table,
                Options::json);
    }

    static ObjectNode run(Options options, PrintStream log) throws IOException, InterruptedException {
        ObjectNode report = FrameCodec.json().createObjectNode();
        report.put("benchmark", "startup");
        report.set("machine", ProtocolBench.machine());
        report.put("launcher", String.join(" ", options.launcher()));
        Path work = Files.createTempDirectory("switchboard-startup-bench-");
        try {
            Map<String, Latencies> figures = new LinkedHashMap<>();
            Path stopped = work.resolve("stopped");
            Path running = work.resolve("running");
            Map<String, List<String>> commands = new LinkedHashMap<>();
            commands.put("java -version", List.of(options.java(), "-version"));
            commands.put("gateway status --json (stopped)", cli(options, stopped, "gateway", "status", "--json"));
            commands.put("gateway status --json (running)", cli(options, running, "gateway", "status", "--json"));
            commands.put("health --json", cli(options, running, "health", "--json"));
            commands.put("status --json", cli(options, running, "status", "--json"));
            commands.put("channels --json", cli(options, running, "channels", "--json"));
            commands.put("channels status --json", cli(options, running, "channels", "status", "--json"));
            commands.put("config validate", cli(options, running, "config", "validate"));
            commands.keySet().forEach(name -> figures.put(name, new Latencies()));

            log.println("starting a gateway in " + running);
            Files.createDirectories(running);
            Files.writeString(running.resolve("switchboard.toml"), "[gateway]\nport = " + freePort() + "\n");
            Process gateway = start(cli(options, running, "gateway", "run"), running.resolve("gateway.log"));
            try {
                waitReady(gateway, readyzOf(running));
                for (int round = -options.warmup(); round < options.runs(); round++) {
                    for (Map.Entry<String, List<String>> command : commands.entrySet()) {
                        long nanos = time(command.getValue(), work.resolve("command.log"));
                        if (round >= 0) {
                            figure(figures, command.getKey()).record(nanos);
                        }
                    }
                }
            } finally {
                stop(gateway);
            }

            Latencies floor = figure(figures, "java -version");
            Latencies ready = new Latencies();
            Latencies readyFloor = new Latencies();
            for (int round = -Math.min(1, options.warmup()); round < options.runs(); round++) {
                Path state = work.resolve("cold-" + (round + 1));
                long nanos = coldStart(options, state);
                long floorNanos = time(List.of(options.java(), "-version"), work.resolve("command.log"));
                if (round >= 0) {
                    ready.record(nanos);
                    readyFloor.record(floorNanos);
                }
            }

            double floorMs = floor.summary().p50();
            ObjectNode commandsJson = report.putObject("commands");
            for (Map.Entry<String, Latencies> figure : figures.entrySet()) {
                ObjectNode json = figure.getValue().summary().toJson();
                json.put(
                        "ratioToFloor",
                        Latencies.round(figure.getValue().summary().p50() / floorMs));
                commandsJson.set(figure.getKey(), json);
            }
            double statusRatio =
                    figure(figures, "gateway status --json (running)").summary().p50() / floorMs;
            ObjectNode status = report.putObject("statusBudget");
            status.put("budgetRatio", STATUS_BUDGET_RATIO);
            status.put("ratio", Latencies.round(statusRatio));
            status.put("met", statusRatio <= STATUS_BUDGET_RATIO);
            ObjectNode cold = report.putObject("coldStart");
            cold.set("toReadyz", ready.summary().toJson());
            cold.set("floor", readyFloor.summary().toJson());
            cold.put(
                    "ratioToFloor",
                    Latencies.round(ready.summary().p50() / readyFloor.summary().p50()));
            cold.put("budgetMs", READY_BUDGET_MS);
            cold.put("met", ready.summary().p50() <= READY_BUDGET_MS);
            return report;
        } finally {
            deleteTree(work);
        }
    }

    private static Latencies figure(Map<String, Latencies> figures, String name) {
        Latencies figure = figures.get(name);
        if (figure == null) {
            throw new IllegalStateException("no figure " + name);
        }
        return figure;
    }

    private static List<String> cli(Options options, Path state, String... args) {
        List<String> command = new ArrayList<>(options.launcher());
        command.add("--state-dir");
        command.add(state.toString());
        command.addAll(List.of(args));
        return command;
    }

    /** The wall time of one run of {@code command} to its exit; a failing command fails the bench. */
    private static long time(List<String> command, Path output) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("SWITCHBOARD_GATEWAY_TOKEN", TOKEN);
        builder.redirectOutput(output.toFile());
        long start = System.nanoTime();
        Process process = builder.start();
        int exit = process.waitFor();
        long nanos = System.nanoTime() - start;
        if (exit != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + exit + ": "
                    + Files.readString(output).strip());
        }
        return nanos;
    }

    private static Process start(List<String> command, Path output) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("SWITCHBOARD_GATEWAY_TOKEN", TOKEN);
        builder.redirectOutput(output.toFile());
        return builder.start();
    }

    /** {@code gateway run} on built-in defaults in a fresh state dir, to the first {@code /readyz} 200. */
    private static long coldStart(Options options, Path state) throws IOException, InterruptedException {
        Files.createDirectories(state);
        int port = freePort();
        List<String> command =
                cli(options, state, "gateway", "run", "--allow-unconfigured", "--port", Integer.toString(port));
        long start = System.nanoTime();
        Process gateway = start(command, state.resolve("gateway.log"));
        try {
            waitReady(gateway, URI.create("http://127.0.0.1:" + port + "/readyz"));
            return System.nanoTime() - start;
        } finally {
            stop(gateway);
        }
    }

    private static URI readyzOf(Path state) throws IOException {
        String config = Files.readString(state.resolve("switchboard.toml"));
        String port = config.replaceAll("(?s).*port = (\\d+).*", "$1");
        return URI.create("http://127.0.0.1:" + port + "/readyz");
    }

    private static void waitReady(Process gateway, URI readyz) throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!gateway.isAlive()) {
                throw new IllegalStateException("the gateway exited " + gateway.exitValue() + " before " + readyz);
            }
            try {
                HttpURLConnection connection =
                        (HttpURLConnection) readyz.toURL().openConnection();
                connection.setConnectTimeout(1000);
                connection.setReadTimeout(1000);
                int status = connection.getResponseCode();
                connection.disconnect();
                if (status == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("no 200 from " + readyz + " within " + READY_TIMEOUT);
    }

    private static void stop(Process gateway) throws InterruptedException {
        gateway.destroy();
        if (!gateway.waitFor(30, TimeUnit.SECONDS)) {
            gateway.destroyForcibly().waitFor();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    static String table(ObjectNode report) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-36s %9s %9s %9s%n", "command", "p50 ms", "p90 ms", "x floor"));
        report.path("commands")
                .properties()
                .forEach(e -> out.append(String.format(
                        Locale.ROOT,
                        "%-36s %9.1f %9.1f %9.2f%n",
                        e.getKey(),
                        e.getValue().path("p50Ms").asDouble(),
                        e.getValue().path("p90Ms").asDouble(),
                        e.getValue().path("ratioToFloor").asDouble())));
        var cold = report.path("coldStart");
        out.append(String.format(
                Locale.ROOT,
                "%-36s %9.1f %9.1f %9.2f%n",
                "gateway run -> /readyz 200",
                cold.path("toReadyz").path("p50Ms").asDouble(),
                cold.path("toReadyz").path("p90Ms").asDouble(),
                cold.path("ratioToFloor").asDouble()));
        out.append(String.format(
                Locale.ROOT,
                "status budget (<= %.1fx floor): %s; cold start budget (<= %d ms): %s%n",
                report.path("statusBudget").path("budgetRatio").asDouble(),
                report.path("statusBudget").path("met").asBoolean() ? "met" : "NOT met",
                report.path("coldStart").path("budgetMs").asLong(),
                cold.path("met").asBoolean() ? "met" : "NOT met"));
        return out.toString();
    }
}
