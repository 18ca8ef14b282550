package dev.switchboard.cli.gateway;

import dev.switchboard.cli.Main;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code switchboard ...} in a JVM of its own, as an operator runs it: its own pid, signals, exit
 * code, stdout and stderr (kept in files so a test failure can show them).
 */
final class GatewayProcess implements AutoCloseable {
    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static final Pattern RUNNING = Pattern.compile("running: ws://127\\.0\\.0\\.1:(\\d+) \\(pid (\\d+)");

    private final Process process;
    private final Path out;
    private final Path err;

    private GatewayProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    static GatewayProcess start(Path home, Path logs, String... args) throws IOException {
        return start(home, logs, Map.of(), args);
    }

    static GatewayProcess start(Path home, Path logs, Map<String, String> extraEnv, String... args) throws IOException {
        return start(home, logs, extraEnv, List.of(), args);
    }

    /**
     * Like {@link #start(Path, Path, Map, String...)} with {@code extraClasspath} in front of the test
     * class path: a test can give the gateway JVM service registrations (a channel provider) that the
     * other tests' JVMs do not see.
     */
    static GatewayProcess start(
            Path home, Path logs, Map<String, String> extraEnv, List<Path> extraClasspath, String... args)
            throws IOException {
        List<String> classpath = new ArrayList<>();
        extraClasspath.forEach(path -> classpath.add(path.toString()));
        classpath.add(System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(
                List.of(java(), "-cp", String.join(File.pathSeparator, classpath), Main.class.getName()));
        command.addAll(List.of(args));
        return start(command, home, logs, extraEnv);
    }

    /**
     * {@code java [jvmOptions] -jar <launcherJar> args}: the launcher jar as an operator runs it, with
     * nothing of the test's class path.
     */
    static GatewayProcess startJar(Path home, Path logs, Path launcherJar, List<String> jvmOptions, String... args)
            throws IOException {
        return startJar(home, logs, Map.of(), launcherJar, jvmOptions, args);
    }

    /** Like {@link #startJar(Path, Path, Path, List, String...)} with {@code extraEnv} exported to the gateway. */
    static GatewayProcess startJar(
            Path home,
            Path logs,
            Map<String, String> extraEnv,
            Path launcherJar,
            List<String> jvmOptions,
            String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", launcherJar.toString()));
        command.addAll(List.of(args));
        return start(command, home, logs, extraEnv);
    }

    private static String java() {
        return ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static GatewayProcess start(List<String> command, Path home, Path logs, Map<String, String> extraEnv)
            throws IOException {
        Files.createDirectories(logs);
        Path out = Files.createTempFile(logs, "gateway-", ".out");
        Path err = Files.createTempFile(logs, "gateway-", ".err");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(key -> key.startsWith("SWITCHBOARD_"));
        env.put("HOME", home.toString());
        env.putAll(extraEnv);
        return new GatewayProcess(builder.start(), out, err);
    }

    /** Waits until the gateway printed its running line; returns the port it listens on. */
    int awaitRunning() throws IOException, InterruptedException {
        awaitStdout(RUNNING);
        Matcher matcher = RUNNING.matcher(stdout());
        matcher.find();
        return Integer.parseInt(matcher.group(1));
    }

    /** Waits until stdout has a match of {@code pattern}. */
    void awaitStdout(Pattern pattern) throws IOException, InterruptedException {
        await(out, pattern);
    }

    /** Waits until stderr (where {@code gateway run} shows channel state changes) has a match of {@code pattern}. */
    void awaitStderr(Pattern pattern) throws IOException, InterruptedException {
        await(err, pattern);
    }

    private void await(Path output, Pattern pattern) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (pattern.matcher(Files.readString(output, StandardCharsets.UTF_8))
                    .find()) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "exited with " + process.exitValue() + " before printing " + pattern + ": " + describe());
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("no " + pattern + " within " + STARTUP.toSeconds() + "s: " + describe());
    }

    /** Waits for the process to exit by itself; returns its exit code. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(STARTUP.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("still running: " + describe());
        }
        return process.exitValue();
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(STARTUP.toSeconds(), TimeUnit.SECONDS);
    }

    String stdout() throws IOException {
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    String stderr() throws IOException {
        return Files.readString(err, StandardCharsets.UTF_8);
    }

    String describe() {
        try {
            return "\n--- stdout\n" + stdout() + "\n--- stderr\n" + stderr();
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                kill9();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // killed already; the caller sees the interrupt
            }
        }
    }
}
