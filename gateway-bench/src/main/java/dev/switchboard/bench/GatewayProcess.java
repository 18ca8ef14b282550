package dev.switchboard.bench;

import static java.util.Objects.requireNonNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A gateway in a child JVM ({@link BenchGatewayMain}) on this JVM's class path: its port, its pid
 * (for {@code jcmd}), and its heap used after a full GC, asked for over stdin.
 */
final class GatewayProcess implements AutoCloseable {
    private final Process process;
    private final Writer commands;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> jvmOptions;
    private final int port;
    private final long pid;
    private final String collectors;
    private final long maxHeap;

    private GatewayProcess(Process process, List<String> jvmOptions) throws InterruptedException {
        this.process = process;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readLines, "bench-gateway-stdout");
        reader.setDaemon(true);
        reader.start();
        Map<String, String> ready = expect("ready", Duration.ofSeconds(60));
        this.port = Integer.parseInt(ready.get("port"));
        this.pid = Long.parseLong(ready.get("pid"));
        this.collectors = requireNonNull(ready.get("gc"), "the gateway's ready line names no collectors");
        this.maxHeap = Long.parseLong(ready.get("maxHeap"));
    }

    /** Starts {@link BenchGatewayMain} with {@code jvmOptions}; its stderr goes to ours. */
    static GatewayProcess start(List<String> jvmOptions, String token) throws IOException, InterruptedException {
        return start(jvmOptions, token, Optional.empty());
    }

    /** Starts {@link BenchGatewayMain} with {@code jvmOptions} on the given config file (channels included). */
    static GatewayProcess start(List<String> jvmOptions, String token, Optional<Path> config)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmOptions);
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        command.add("-Dorg.jboss.logging.provider=slf4j");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(BenchGatewayMain.class.getName());
        command.add(token);
        config.ifPresent(file -> command.add(file.toString()));
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            return new GatewayProcess(process, jvmOptions);
        } catch (RuntimeException | InterruptedException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    int port() {
        return port;
    }

    long pid() {
        return pid;
    }

    /** The collectors the gateway JVM runs, as its MXBeans name them. */
    String collectors() {
        return collectors;
    }

    long maxHeap() {
        return maxHeap;
    }

    List<String> jvmOptions() {
        return jvmOptions;
    }

    /** Heap used after two full collections in the gateway JVM, in bytes. */
    long heapUsedAfterGc() {
        send("heap");
        return Long.parseLong(expect("heap", Duration.ofMinutes(2)).get("used"));
    }

    /** {@code jcmd <pid> GC.class_histogram}, the first {@code rows} classes; empty when jcmd fails. */
    String classHistogram(int rows) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process histo = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram")
                    .redirectErrorStream(true)
                    .start();
            StringBuilder text = new StringBuilder();
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(histo.getInputStream(), StandardCharsets.UTF_8))) {
                int n = 0;
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (n++ < rows + 3) {
                        text.append(line).append('\n');
                    }
                }
            }
            return histo.waitFor(60, TimeUnit.SECONDS) && histo.exitValue() == 0 ? text.toString() : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** SIGKILL: the gateway gets no chance to clean up (a crashed host, as far as the others can tell). */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                send("stop");
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (UncheckedIOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void send(String command) {
        try {
            commands.write(command + "\n");
            commands.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("gateway JVM (pid " + pid + ") is gone: " + e.getMessage(), e);
        }
    }

    /** Waits for a {@code <kind> key=value ...} line; fails on an {@code error} line or an exit. */
    private Map<String, String> expect(String kind, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                String line = lines.poll(100, TimeUnit.MILLISECONDS);
                if (line == null) {
                    if (!process.isAlive() && lines.isEmpty()) {
                        throw new IllegalStateException(
                                "gateway JVM exited with " + process.exitValue() + " before reporting " + kind);
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(
                                "gateway JVM did not report " + kind + " within " + timeout.toSeconds() + " s");
                    }
                    continue;
                }
                if (line.startsWith("error ")) {
                    throw new IllegalStateException("gateway JVM: " + line.substring(6));
                }
                if (line.startsWith(kind + " ")) {
                    Map<String, String> values = new HashMap<>();
                    for (String part : line.substring(kind.length() + 1).split(" ", -1)) {
                        int eq = part.indexOf('=');
                        if (eq > 0) {
                            values.put(part.substring(0, eq), part.substring(eq + 1));
                        }
                    }
                    return values;
                }
                // anything else the gateway prints to stdout is passed through
                System.err.println("[gateway] " + line);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + kind, e);
        }
    }

    private void readLines() {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            // the process is gone; expect() reports it
        }
    }
}
